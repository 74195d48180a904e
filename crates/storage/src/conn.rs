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
    pub conn: rusqlite::Connection,
}

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

impl SqliteWriter {
    pub fn open(path: &std::path::Path, pragmas: &str) -> anyhow::Result<SqliteWriter> {
        let conn = rusqlite::Connection::open(path)?;
        conn.execute_batch(pragmas)?;
        conn.set_prepared_statement_cache_capacity(256);
        Ok(SqliteWriter { conn })
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
}
