//! The connection the registration writer runs its statements on.
//!
//! The statements are the same for every database (built once in `appeals.rs`); only the way they
//! reach the database differs. On PostgreSQL that is a sqlx connection. On SQLite it is a
//! connection owned by the writer's own thread and driven synchronously: sqlx gives every SQLite
//! connection a worker thread and hands each statement and each result row across threads, and
//! those hand-offs — hundreds of microseconds apiece on a busy machine — were most of the
//! writer's time, and the writer bounds registration throughput.

use crate::db::{Arg, Backend, Stmt};
use sqlx::Row;

/// A column value read back.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
}

impl Val {
    pub fn text(&self) -> String {
        match self {
            Val::Text(s) => s.clone(),
            Val::Int(i) => i.to_string(),
            Val::Real(r) => r.to_string(),
            Val::Null => String::new(),
        }
    }
    pub fn int(&self) -> i64 {
        match self {
            Val::Int(i) => *i,
            Val::Real(r) => *r as i64,
            Val::Text(s) => s.parse().unwrap_or_default(),
            Val::Null => 0,
        }
    }
}

#[allow(async_fn_in_trait)]
pub trait BatchConn {
    fn backend(&self) -> Backend;
    async fn rows(&mut self, sql: &str, args: &[Arg]) -> anyhow::Result<Vec<Vec<Val>>>;
    async fn exec_all(&mut self, stmts: &[Stmt]) -> anyhow::Result<()>;

    /// Inserts `rows` into `table` with `ON CONFLICT DO NOTHING` and says, row by row, whether
    /// the row was new. `key` are the indexes (into `cols`) of the conflict key, which must be
    /// text columns. The default sends multi-row statements and reads the new keys back with
    /// `RETURNING` (one round trip per chunk, which is what a networked database needs).
    async fn insert_new(
        &mut self,
        table: &str,
        cols: &[&str],
        key: &[usize],
        rows: &[Vec<Arg>],
    ) -> anyhow::Result<Vec<bool>> {
        let backend = self.backend();
        let key_cols: Vec<&str> = key.iter().map(|&k| cols[k]).collect();
        let key_of = |r: &[Arg]| -> Vec<String> {
            key.iter()
                .map(|&k| match &r[k] {
                    Arg::Text(Some(s)) => s.clone(),
                    _ => String::new(),
                })
                .collect()
        };
        let mut new_keys: std::collections::HashSet<Vec<String>> = Default::default();
        // Narrow rows: up to 256 per statement keeps the parameter count under PostgreSQL's
        // limit and the round trips few.
        for chunk in crate::appeals::row_chunks_up_to(rows, 256) {
            let sql = format!(
                "INSERT INTO {table} ({}) VALUES {} ON CONFLICT DO NOTHING RETURNING {}",
                cols.join(", "),
                crate::db::values_placeholders(backend, chunk.len(), cols.len()),
                key_cols.join(", ")
            );
            let args: Vec<Arg> = chunk.iter().flatten().cloned().collect();
            for r in self.rows(&sql, &args).await? {
                new_keys.insert(r.iter().map(Val::text).collect());
            }
        }
        Ok(rows.iter().map(|r| new_keys.contains(&key_of(r))).collect())
    }
}

impl BatchConn for sqlx::AnyConnection {
    fn backend(&self) -> Backend {
        crate::db::backend_of(self)
    }

    async fn rows(&mut self, sql: &str, args: &[Arg]) -> anyhow::Result<Vec<Vec<Val>>> {
        let rows = crate::db::bind_args(sqlx::query(sql), args)
            .fetch_all(&mut *self)
            .await?;
        Ok(rows
            .iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| {
                        if let Ok(v) = r.try_get::<Option<String>, _>(i) {
                            v.map_or(Val::Null, Val::Text)
                        } else if let Ok(v) = r.try_get::<Option<i64>, _>(i) {
                            v.map_or(Val::Null, Val::Int)
                        } else if let Ok(v) = r.try_get::<Option<f64>, _>(i) {
                            v.map_or(Val::Null, Val::Real)
                        } else {
                            Val::Null
                        }
                    })
                    .collect()
            })
            .collect())
    }

    async fn exec_all(&mut self, stmts: &[Stmt]) -> anyhow::Result<()> {
        crate::db::execute_all(self, stmts).await?;
        Ok(())
    }
}

/// A SQLite connection driven on the calling thread (the registration writer's own thread).
pub struct SqliteWriter {
    // Declared before `wal_frames` so that the connection, whose hook points at it, drops first.
    pub conn: rusqlite::Connection,
    /// Frames in the WAL after this connection's last commit (set by SQLite's WAL hook).
    wal_frames: Box<std::sync::atomic::AtomicI64>,
}

/// SQLite's WAL hook: called after every commit of the connection with the WAL's frame count.
/// Installing it replaces the connection's automatic checkpoint, which the writer now decides
/// itself (`registrar::WalPacer`).
unsafe extern "C" fn note_wal_frames(
    frames: *mut std::ffi::c_void,
    _db: *mut rusqlite::ffi::sqlite3,
    _name: *const std::ffi::c_char,
    n: std::ffi::c_int,
) -> std::ffi::c_int {
    // SAFETY: `frames` is the `AtomicI64` boxed in the `SqliteWriter` that owns the connection;
    // the box outlives the connection (field order) and does not move.
    unsafe { (*(frames as *const std::sync::atomic::AtomicI64)).store(n.into(), Relaxed) };
    rusqlite::ffi::SQLITE_OK
}
use std::sync::atomic::Ordering::Relaxed;

/// Bound by reference: copying every text into SQLite's value type showed up in the profile.
impl rusqlite::ToSql for Arg {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value, ValueRef};
        Ok(match self {
            Arg::Text(Some(s)) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Arg::Int(Some(i)) => ToSqlOutput::Owned(Value::Integer(*i)),
            Arg::Real(Some(r)) => ToSqlOutput::Owned(Value::Real(*r)),
            _ => ToSqlOutput::Owned(Value::Null),
        })
    }
}

/// How long the writer waits for the write lock before giving up (the pools' `busy_timeout`).
const WRITE_LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_secs(10);
const WRITE_LOCK_POLL: std::time::Duration = std::time::Duration::from_micros(100);

/// Busy handler of the writer's connection. SQLite's own (`busy_timeout`) sleeps 1, 2, 5, 10,
/// 15, 20, 25 … ms between attempts, so a registration batch that met another writer's short
/// transaction (the near-duplicate indexer, an official's action) slept tens of milliseconds
/// after the lock was free, and every caller of the batch with it: the registration tail. The
/// writer polls instead, finding the lock within 0.1 ms of its release.
fn wait_for_write_lock(attempts: i32) -> bool {
    if WRITE_LOCK_POLL * attempts.max(0) as u32 >= WRITE_LOCK_PATIENCE {
        return false;
    }
    std::thread::sleep(WRITE_LOCK_POLL);
    true
}

impl SqliteWriter {
    pub fn open(path: &std::path::Path, pragmas: &str) -> anyhow::Result<SqliteWriter> {
        let conn = rusqlite::Connection::open(path)?;
        conn.execute_batch(pragmas)?;
        conn.busy_handler(Some(wait_for_write_lock))?;
        conn.set_prepared_statement_cache_capacity(256);
        let wal_frames = Box::new(std::sync::atomic::AtomicI64::new(0));
        // SAFETY: the handle is this live connection's; the hook's argument is the boxed counter,
        // which outlives the connection (see the struct's field order).
        unsafe {
            rusqlite::ffi::sqlite3_wal_hook(
                conn.handle(),
                Some(note_wal_frames),
                &*wal_frames as *const std::sync::atomic::AtomicI64 as *mut std::ffi::c_void,
            );
        }
        Ok(SqliteWriter { conn, wal_frames })
    }

    /// Frames in the WAL after this connection's last commit (0 before the first).
    pub fn wal_frames(&self) -> i64 {
        self.wal_frames.load(Relaxed)
    }

    /// A PASSIVE checkpoint on this connection: `true` if it copied the whole WAL into the
    /// database file (so the next write transaction starts the WAL again from its beginning).
    pub fn checkpoint(&self) -> rusqlite::Result<bool> {
        let (busy, log, done): (i64, i64, i64) =
            self.conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
        Ok(busy == 0 && log == done)
    }
}

impl BatchConn for SqliteWriter {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }

    async fn rows(&mut self, sql: &str, args: &[Arg]) -> anyhow::Result<Vec<Vec<Val>>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let n = stmt.column_count();
        let mut out = Vec::new();
        let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
        while let Some(r) = rows.next()? {
            let mut v = Vec::with_capacity(n);
            for i in 0..n {
                use rusqlite::types::ValueRef;
                v.push(match r.get_ref(i)? {
                    ValueRef::Null => Val::Null,
                    ValueRef::Integer(x) => Val::Int(x),
                    ValueRef::Real(x) => Val::Real(x),
                    ValueRef::Text(t) => Val::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(_) => Val::Null,
                });
            }
            out.push(v);
        }
        Ok(out)
    }

    async fn exec_all(&mut self, stmts: &[Stmt]) -> anyhow::Result<()> {
        for s in stmts {
            let mut st = self.conn.prepare_cached(&s.sql)?;
            st.execute(rusqlite::params_from_iter(s.args.iter()))?;
        }
        Ok(())
    }

    /// One prepared single-row statement run per row, the change count telling whether the row
    /// was new: no SQL text to build and parse per batch, and no `RETURNING`, which makes SQLite
    /// fill and drop an ephemeral table per statement (it showed in the signing writer's profile).
    async fn insert_new(
        &mut self,
        table: &str,
        cols: &[&str],
        _key: &[usize],
        rows: &[Vec<Arg>],
    ) -> anyhow::Result<Vec<bool>> {
        let sql = format!(
            "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT DO NOTHING",
            cols.join(", "),
            vec!["?"; cols.len()].join(", ")
        );
        let mut st = self.conn.prepare_cached(&sql)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(st.execute(rusqlite::params_from_iter(r.iter()))? == 1);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(key: &str, n: i64) -> Vec<Arg> {
        vec![Arg::Text(Some(key.into())), Arg::Int(Some(n))]
    }

    /// Both drivers must say the same: a row whose key is already stored is not new, and
    /// changes nothing.
    async fn insert_new_tells_which_rows_were_new(c: &mut impl BatchConn) {
        c.exec_all(&[Stmt {
            sql: "CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT NOT NULL)".into(),
            args: vec![],
        }])
        .await
        .unwrap();
        let first = c
            .insert_new("t", &["k", "n"], &[0], &[row("a", 1), row("b", 2)])
            .await
            .unwrap();
        assert_eq!(first, vec![true, true]);
        let second = c
            .insert_new(
                "t",
                &["k", "n"],
                &[0],
                &[row("c", 3), row("a", 9), row("d", 4)],
            )
            .await
            .unwrap();
        assert_eq!(second, vec![true, false, true]);
        let stored = c.rows("SELECT k, n FROM t ORDER BY k", &[]).await.unwrap();
        let stored: Vec<(String, i64)> = stored.iter().map(|r| (r[0].text(), r[1].int())).collect();
        let expect = [("a", 1), ("b", 2), ("c", 3), ("d", 4)];
        assert_eq!(
            stored,
            expect.map(|(k, n)| (k.to_string(), n)).to_vec(),
            "the conflicting row left the stored one as it was"
        );
    }

    #[test]
    fn the_writer_waits_for_a_held_write_lock_and_gives_up_only_after_its_patience() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        let w = SqliteWriter::open(&path, "PRAGMA journal_mode = WAL;").unwrap();
        w.conn.execute_batch("CREATE TABLE t (n INTEGER)").unwrap();
        let other = rusqlite::Connection::open(&path).unwrap();
        other
            .execute_batch("BEGIN IMMEDIATE; INSERT INTO t VALUES (1)")
            .unwrap();
        let holder = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            other.execute_batch("COMMIT").unwrap();
        });
        w.conn
            .execute_batch("BEGIN IMMEDIATE; INSERT INTO t VALUES (2); COMMIT")
            .expect("the writer waited for the lock instead of failing busy");
        holder.join().unwrap();
        let n: i64 = w
            .conn
            .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2);
        assert!(wait_for_write_lock(0));
        let last = (WRITE_LOCK_PATIENCE.as_micros() / WRITE_LOCK_POLL.as_micros()) as i32;
        assert!(!wait_for_write_lock(last));
    }

    /// The writer's own automatic checkpoint is off (its WAL hook replaced it): the WAL grows
    /// past SQLite's default limit of 1,000 frames, the writer sees how long it is after each
    /// commit, and once a checkpoint copied all of it, the next commit starts the WAL again.
    #[test]
    fn the_writer_knows_its_wal_length_and_starts_the_wal_again_after_a_complete_checkpoint() {
        let dir = tempfile::tempdir().unwrap();
        let w = SqliteWriter::open(&dir.path().join("w.db"), "PRAGMA journal_mode = WAL;").unwrap();
        assert_eq!(w.wal_frames(), 0);
        w.conn
            .execute_batch("CREATE TABLE t (k INTEGER PRIMARY KEY, v BLOB)")
            .unwrap();
        let mut last = w.wal_frames();
        assert!(last > 0, "the hook reported the first commit");
        for k in 0..300 {
            w.conn
                .execute("INSERT INTO t VALUES (?1, zeroblob(16000))", [k])
                .unwrap();
            assert!(w.wal_frames() > last, "each commit adds frames");
            last = w.wal_frames();
        }
        assert!(last > 1_000, "no automatic checkpoint: {last} frames");
        assert!(w.checkpoint().unwrap(), "nothing else holds the WAL");
        w.conn
            .execute("INSERT INTO t VALUES (1000, zeroblob(16000))", [])
            .unwrap();
        assert!(
            w.wal_frames() < 10,
            "the WAL started again: {} frames",
            w.wal_frames()
        );
        let n: i64 = w
            .conn
            .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 301);
    }

    #[tokio::test]
    async fn insert_new_on_the_sqlite_writer_and_through_sqlx_agree() {
        let dir = tempfile::tempdir().unwrap();
        let mut w =
            SqliteWriter::open(&dir.path().join("w.db"), "PRAGMA journal_mode = WAL;").unwrap();
        insert_new_tells_which_rows_were_new(&mut w).await;

        sqlx::any::install_default_drivers();
        let url = format!("sqlite://{}/x.db?mode=rwc", dir.path().display());
        let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(&url)
            .await
            .unwrap();
        insert_new_tells_which_rows_were_new(&mut c).await;
    }
}
