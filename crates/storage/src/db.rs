//! The database handle: one code path over SQLite and PostgreSQL through sqlx's Any driver.
//!
//! SQL is written once, with `$n` placeholders (both SQLite and PostgreSQL accept them), and with
//! only the types Any carries: BIGINT, REAL/DOUBLE, TEXT. Times are epoch milliseconds.
//!
//! SQLite has one writer at a time. The registration writer (`registrar.rs`) has a connection of
//! its own and the write pool one more, so the two do not wait for each other's round trips; write
//! transactions start with `BEGIN IMMEDIATE`, so they queue for the write lock (busy_timeout)
//! instead of failing when a read inside them would have to be upgraded. Reads use their own pool. PostgreSQL uses one pool
//! for both.

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pub read: AnyPool,
    pub write: AnyPool,
    pub backend: Backend,
    /// The database file, for the registration writer's own connection (SQLite only).
    pub sqlite_path: Option<std::path::PathBuf>,
    /// What the background checkpointer last achieved, for the writer's choice of when to
    /// start the WAL again (SQLite only).
    pub wal: std::sync::Arc<WalProgress>,
}

/// The background checkpointer's last result, shared with the registration writer.
///
/// SQLite starts its WAL again from the beginning only when a write transaction begins while
/// every frame has been copied into the database file. Under a steady stream of registrations the
/// background checkpoints never get there (each commit adds frames while they copy), so the WAL
/// grew to the automatic checkpoint's limit and the writer then ran a checkpoint inside a batch:
/// copying everything the background had not yet copied and syncing the database file, 30–60 ms
/// during which every caller waited (the registration tail). The writer now restarts the WAL
/// itself, at a moment when the background has copied nearly everything, so that its own
/// checkpoint has little to copy.
#[derive(Debug, Default)]
pub struct WalProgress {
    /// Frames of the WAL copied into the database file by the last background checkpoint.
    backfilled: std::sync::atomic::AtomicI64,
    /// When that checkpoint started (`monotonic_us`).
    started_us: std::sync::atomic::AtomicU64,
    /// Whether a background checkpoint is running now: the writer's own would find the
    /// checkpoint lock taken, or sync the database file while that one writes into it.
    running: std::sync::atomic::AtomicBool,
}

/// Microseconds since the first call in this process: a clock the checkpointer and the writer share.
pub fn monotonic_us() -> u64 {
    static EPOCH: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    EPOCH
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_micros() as u64
        + 1
}

impl WalProgress {
    pub(crate) fn publish(&self, started_us: u64, backfilled: i64) {
        use std::sync::atomic::Ordering::{Relaxed, Release};
        self.backfilled.store(backfilled, Relaxed);
        self.started_us.store(started_us, Release);
    }

    fn set_running(&self, running: bool) {
        self.running
            .store(running, std::sync::atomic::Ordering::Release);
    }

    pub fn running(&self) -> bool {
        self.running.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Frames copied by the last background checkpoint, if it started after `since_us` (a
    /// checkpoint that started earlier may have counted frames of a WAL since started again).
    pub fn backfilled_since(&self, since_us: u64) -> Option<i64> {
        use std::sync::atomic::Ordering::{Acquire, Relaxed};
        let started = self.started_us.load(Acquire);
        (started > since_us).then(|| self.backfilled.load(Relaxed))
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

/// Per-connection SQLite settings. `synchronous=FULL` in WAL mode makes every commit durable
/// (the WAL is fsynced before COMMIT returns): an acknowledged write survives a power cut.
/// `temp_store=MEMORY` keeps statement journals of multi-row INSERTs off the disk.
/// Checkpoints run in the background (`spawn_checkpointer`), not inside the writer's COMMIT;
/// the high auto-checkpoint limit is only a backstop.
pub const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA cache_size = -8192; \
     PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 20000;";

/// Page cache of the connections that write (the registration writer, the write pool): 64 MiB
/// instead of the readers' 8. A registration inserts into a dozen B-trees, several of them at
/// scattered places (an applicant's appeals, the near-duplicate band index); with 8 MiB most of
/// those leaf pages were read from the file again on each batch (bench/appeal_submit 60 64:
/// 5,286 → 5,923 appeals/s, p99 47.2 → 44.8 ms).
pub const WRITER_CACHE: &str = "PRAGMA cache_size = -65536;";

/// WAL length (frames of one page) from which the writer starts the WAL again as soon as the
/// background checkpointer has copied all but `WAL_RESTART_BACKLOG` frames: 16 MiB, some 30 ms
/// of a registration surge (a registration with its near-duplicate index rows writes ~24 pages).
/// Measured with bench/appeal_submit 60 64, one run each: 2,000 frames p99 46.7 ms at 5,153/s,
/// 4,000 47.7 ms at 5,008/s, 10,000 53.7 ms at 5,344/s (a backlog of 1,500: 51.8 ms at 4,288/s).
pub const WAL_RESTART_FRAMES: i64 = 4_000;
/// Frames the writer's own checkpoint may still have to copy when it starts the WAL again.
pub const WAL_RESTART_BACKLOG: i64 = 600;
/// WAL length from which the writer checkpoints whatever the background has copied: the limit
/// SQLite's automatic checkpoint had, kept as the backstop.
pub const WAL_FORCE_FRAMES: i64 = 20_000;
const WAL_CATCH_UP_PAUSE: Duration = Duration::from_millis(3);

impl Db {
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            anyhow::bail!("unsupported database URL scheme (use sqlite:// or postgres://)");
        };
        let opts = AnyConnectOptions::from_str(url).context("parsing the database URL")?;
        let db = match backend {
            Backend::Sqlite => {
                let pool = |n: u32, extra: &'static str| {
                    AnyPoolOptions::new()
                        .max_connections(n)
                        .min_connections(1)
                        // A local file does not drop connections; the default ping before
                        // every acquire was a thread round trip per query.
                        .test_before_acquire(false)
                        .acquire_timeout(Duration::from_secs(30))
                        .after_connect(move |conn, _| {
                            Box::pin(async move {
                                conn.execute(SQLITE_PRAGMAS).await?;
                                if !extra.is_empty() {
                                    conn.execute(extra).await?;
                                }
                                Ok(())
                            })
                        })
                };
                let write = pool(1, WRITER_CACHE)
                    .connect_with(opts.clone())
                    .await
                    .context("opening SQLite")?;
                let read = pool(8, "")
                    .connect_with(opts)
                    .await
                    .context("opening SQLite")?;
                let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
                let path = path.split('?').next().unwrap_or(path);
                Db {
                    read,
                    write,
                    backend,
                    sqlite_path: Some(path.into()),
                    wal: Default::default(),
                }
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect_with(opts)
                    .await
                    .context("connecting to PostgreSQL")?;
                Db {
                    read: pool.clone(),
                    write: pool,
                    backend,
                    sqlite_path: None,
                    wal: Default::default(),
                }
            }
        };
        Ok(db)
    }

    /// Starts a write transaction on a connection of the write pool.
    pub async fn begin_write(&self) -> sqlx::Result<sqlx::Transaction<'static, sqlx::Any>> {
        match self.backend {
            Backend::Sqlite => self.write.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.write.begin().await,
        }
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        let m = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        m.run(&self.write).await.context("running migrations")?;
        Ok(())
    }

    /// SQLite only: copies the WAL back into the database file every `period`, on a read
    /// connection, so that the writer's own checkpoints (`registrar`) have little left to copy.
    /// While the WAL is longer than `WAL_RESTART_FRAMES` it checkpoints again after a short
    /// pause instead of a whole period, so that what is left shrinks to what a few milliseconds
    /// of writes add and the writer can start the WAL again cheaply.
    pub fn spawn_checkpointer(&self, period: Duration) {
        if self.backend != Backend::Sqlite {
            return;
        }
        let pool = self.read.clone();
        let wal = self.wal.clone();
        tokio::spawn(async move {
            let mut pause = period;
            loop {
                tokio::time::sleep(pause).await;
                if pool.is_closed() {
                    return;
                }
                let started = monotonic_us();
                wal.set_running(true);
                let result = sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(PASSIVE)")
                    .fetch_one(&pool)
                    .await;
                wal.set_running(false);
                match result {
                    Ok((busy, log, done)) => {
                        tracing::debug!(
                            busy,
                            log,
                            done,
                            duration_us = monotonic_us() - started,
                            "background checkpoint"
                        );
                        if busy == 0 {
                            wal.publish(started, done);
                        }
                        pause = if log >= WAL_RESTART_FRAMES {
                            period.min(WAL_CATCH_UP_PAUSE)
                        } else {
                            period
                        };
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "WAL checkpoint failed");
                        pause = period;
                    }
                }
            }
        });
    }

    pub async fn close(&self) {
        self.read.close().await;
        self.write.close().await;
    }
}

/// Migration versions of each backend, for the test that keeps the two folders in step.
pub fn migration_versions() -> (Vec<i64>, Vec<i64>) {
    let v = |m: &sqlx::migrate::Migrator| m.iter().map(|x| x.version).collect();
    (v(&SQLITE_MIGRATIONS), v(&POSTGRES_MIGRATIONS))
}

/// Builds `($1,$2,..),($k,..)` for a multi-row INSERT of `rows` rows of `cols` columns.
///
/// On SQLite the placeholders are anonymous `?`: sqlx resolves each named parameter with
/// `sqlite3_bind_parameter_name`, a linear scan, which makes binding a statement of n named
/// parameters O(n²) — thousands of parameters in a batch INSERT spent most of their time there.
/// Both forms number the parameters in the same order, so the statement is otherwise the same.
pub fn values_placeholders(backend: Backend, rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 5);
    let mut n = 1;
    for r in 0..rows {
        if r > 0 {
            s.push(',');
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push(',');
            }
            match backend {
                Backend::Sqlite => s.push('?'),
                Backend::Postgres => {
                    s.push('$');
                    s.push_str(&n.to_string());
                }
            }
            n += 1;
        }
        s.push(')');
    }
    s
}

/// The `n`-th (1-based) parameter placeholder, for statements that also use
/// `values_placeholders` (on SQLite both must be anonymous and in binding order).
pub fn placeholder(backend: Backend, n: usize) -> String {
    match backend {
        Backend::Sqlite => "?".into(),
        Backend::Postgres => format!("${n}"),
    }
}

/// The backend a transaction runs on.
pub fn backend_of(conn: &sqlx::AnyConnection) -> Backend {
    if conn.backend_name().eq_ignore_ascii_case("sqlite") {
        Backend::Sqlite
    } else {
        Backend::Postgres
    }
}

/// One value to bind, owned, so that statements can be collected before they are sent.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(Option<String>),
    Int(Option<i64>),
    Real(Option<f64>),
}

impl From<&String> for Arg {
    fn from(v: &String) -> Arg {
        Arg::Text(Some(v.clone()))
    }
}
impl From<&Option<String>> for Arg {
    fn from(v: &Option<String>) -> Arg {
        Arg::Text(v.clone())
    }
}
impl From<i64> for Arg {
    fn from(v: i64) -> Arg {
        Arg::Int(Some(v))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Arg {
        Arg::Int(v)
    }
}
impl From<Option<f64>> for Arg {
    fn from(v: Option<f64>) -> Arg {
        Arg::Real(v)
    }
}

/// A statement with its arguments, in the placeholder style of `values_placeholders`.
#[derive(Debug, Clone)]
pub struct Stmt {
    pub sql: String,
    pub args: Vec<Arg>,
}

pub fn bind_arg<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    a: &'q Arg,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    match a {
        Arg::Text(v) => q.bind(v.as_deref()),
        Arg::Int(v) => q.bind(*v),
        // sqlx 0.8.6's Any driver sends a NULL f64 to PostgreSQL typed FLOAT4 (the Real and
        // Double kinds are swapped for nulls), and a cached statement first prepared with a
        // NULL then refuses a real f64 ("incorrect binary data format"). A NULL f32 is sent
        // as FLOAT8, the column's type.
        Arg::Real(None) => q.bind(None::<f32>),
        Arg::Real(Some(v)) => q.bind(*v),
    }
}

/// Binds every argument, in order.
pub fn bind_args<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    args: &'q [Arg],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for a in args {
        q = bind_arg(q, a);
    }
    q
}

/// Runs statements in order. SQLite receives them in one call — sqlx binds anonymous parameters
/// across the statements of a multi-statement query — because every call is a round trip to the
/// connection's thread, and those round trips bounded the registration writer. PostgreSQL's
/// extended protocol takes one statement per call.
pub async fn execute_all(conn: &mut sqlx::AnyConnection, stmts: &[Stmt]) -> sqlx::Result<()> {
    if stmts.is_empty() {
        return Ok(());
    }
    match backend_of(conn) {
        Backend::Sqlite => {
            let sql = stmts
                .iter()
                .map(|s| s.sql.as_str())
                .collect::<Vec<_>>()
                .join(";\n");
            let mut q = sqlx::query(&sql);
            for a in stmts.iter().flat_map(|s| &s.args) {
                q = bind_arg(q, a);
            }
            q.execute(&mut *conn).await?;
        }
        Backend::Postgres => {
            for s in stmts {
                let mut q = sqlx::query(&s.sql);
                for a in &s.args {
                    q = bind_arg(q, a);
                }
                q.execute(&mut *conn).await?;
            }
        }
    }
    Ok(())
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis() as i64
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_migration_versions() {
        let (s, p) = migration_versions();
        assert!(!s.is_empty());
        assert_eq!(s, p);
    }

    #[test]
    fn placeholders_number_rows_then_columns() {
        assert_eq!(
            values_placeholders(Backend::Postgres, 2, 3),
            "($1,$2,$3),($4,$5,$6)"
        );
        assert_eq!(values_placeholders(Backend::Sqlite, 1, 3), "(?,?,?)");
    }

    #[tokio::test]
    async fn sqlite_accepts_dollar_placeholders_through_any() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        let row: (i64, String) = sqlx::query_as("SELECT $1 + 1, $2")
            .bind(41i64)
            .bind("x")
            .fetch_one(&db.read)
            .await
            .unwrap();
        assert_eq!(row, (42, "x".to_string()));
        let mode: (String,) = sqlx::query_as("PRAGMA journal_mode")
            .fetch_one(&db.write)
            .await
            .unwrap();
        assert_eq!(mode.0, "wal");
    }
}
