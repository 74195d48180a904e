//! The database handle: one code path over SQLite and PostgreSQL through sqlx's Any driver.
//!
//! SQL is written once, with `$n` placeholders (both SQLite and PostgreSQL accept them), and with
//! only the types Any carries: BIGINT, REAL/DOUBLE, TEXT. Times are epoch milliseconds.
//!
//! SQLite has one writer at a time. Its write pool has two connections, so the registration
//! writer (`registrar.rs`) and other writes do not wait for each other's round trips; write
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
                let pool = |n: u32| {
                    AnyPoolOptions::new()
                        .max_connections(n)
                        .min_connections(1)
                        // A local file does not drop connections; the default ping before
                        // every acquire was a thread round trip per query.
                        .test_before_acquire(false)
                        .acquire_timeout(Duration::from_secs(30))
                        .after_connect(|conn, _| {
                            Box::pin(async move {
                                conn.execute(SQLITE_PRAGMAS).await?;
                                Ok(())
                            })
                        })
                };
                let write = pool(1)
                    .connect_with(opts.clone())
                    .await
                    .context("opening SQLite")?;
                let read = pool(8).connect_with(opts).await.context("opening SQLite")?;
                let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
                let path = path.split('?').next().unwrap_or(path);
                Db {
                    read,
                    write,
                    backend,
                    sqlite_path: Some(path.into()),
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
    /// connection, so that the writer never pays for a checkpoint inside a COMMIT.
    pub fn spawn_checkpointer(&self, period: Duration) {
        if self.backend != Backend::Sqlite {
            return;
        }
        let pool = self.read.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(period);
            loop {
                tick.tick().await;
                if pool.is_closed() {
                    return;
                }
                if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&pool)
                    .await
                {
                    tracing::warn!(error = %e, "WAL checkpoint failed");
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
