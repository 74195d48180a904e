//! Group commit for appeal registrations.
//!
//! Every registration must be durable before its 2xx answer, and a durable commit costs an fsync.
//! One writer owns registration writes: it takes every registration waiting in its queue, writes
//! them in one transaction (one fsync), and only then answers each caller. Under light load a
//! batch is one appeal and latency is one commit; under heavy load batches grow by themselves.
//!
//! The writer has a thread of its own. On SQLite it drives its own connection synchronously
//! (`conn::SqliteWriter`); on PostgreSQL it runs sqlx on a single-threaded runtime. Both run the
//! same `appeals::insert_batch`.

use crate::appeals::{PreparedAppeal, Registered, insert_batch};
use crate::conn::SqliteWriter;
use crate::db::{Backend, Db, SQLITE_PRAGMAS};
use crate::error::{ServiceError, ServiceResult};
use tokio::sync::{mpsc, oneshot};

type Job = (PreparedAppeal, oneshot::Sender<ServiceResult<Registered>>);
type BatchResult = ServiceResult<Vec<ServiceResult<Registered>>>;

#[derive(Clone)]
pub struct Registrar {
    tx: mpsc::Sender<Job>,
}

/// Upper bound of one batch; keeps a transaction's size and the wait of its first caller bounded.
const MAX_BATCH: usize = 512;

impl Registrar {
    pub fn start(db: Db) -> anyhow::Result<Registrar> {
        let (tx, rx) = mpsc::channel::<Job>(8192);
        let thread = std::thread::Builder::new().name("tyndau-registrar".into());
        match (db.backend, db.sqlite_path.clone()) {
            (Backend::Sqlite, Some(path)) => {
                // This connection commits without fsync; `syncer` makes each batch durable.
                let pragmas = format!("{SQLITE_PRAGMAS} PRAGMA synchronous = NORMAL;");
                let writer = SqliteWriter::open(&path, &pragmas)?;
                let mut wal = path.clone().into_os_string();
                wal.push("-wal");
                let settle = syncer(std::path::PathBuf::from(wal))?;
                thread.spawn(move || {
                    futures::executor::block_on(run(SqliteBatches(writer, settle), rx))
                })?;
            }
            _ => {
                thread.spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("registrar runtime");
                    rt.block_on(run(SqlxBatches(db), rx));
                })?;
            }
        }
        Ok(Registrar { tx })
    }

    pub async fn register(&self, p: PreparedAppeal) -> ServiceResult<Registered> {
        let (tx, rx) = oneshot::channel();
        self.tx
            .send((p, tx))
            .await
            .map_err(|_| anyhow::anyhow!("the registrar has stopped"))?;
        rx.await.map_err(|_| {
            ServiceError::Internal(anyhow::anyhow!("the registrar dropped a registration"))
        })?
    }
}

type Reply = (
    oneshot::Sender<ServiceResult<Registered>>,
    ServiceResult<Registered>,
);

/// Writes one batch in one transaction, then answers its callers once it is durable.
#[allow(async_fn_in_trait)]
trait Batches {
    async fn write(&mut self, batch: Vec<PreparedAppeal>) -> BatchResult;

    /// Called after `write` committed; the default answers at once (the commit was durable).
    fn settle(&mut self, replies: Vec<Reply>) {
        for (reply, r) in replies {
            let _ = reply.send(r);
        }
    }
}

/// A thread that makes committed batches durable: it fsyncs the WAL file, then answers the
/// batches' callers. The writer commits with `synchronous=NORMAL` (frames written, not yet
/// synced) and goes on to the next batch while this thread waits for the disk, so fsync is no
/// longer on the writer's path. Every fsync starts after the COMMIT of the batches it answers;
/// SQLite syncs the WAL before any checkpoint copies frames out of it, so a frame is durable either
/// in the WAL or in the database file.
fn syncer(wal: std::path::PathBuf) -> anyhow::Result<std::sync::mpsc::Sender<Vec<Reply>>> {
    let (tx, rx) = std::sync::mpsc::channel::<Vec<Reply>>();
    std::thread::Builder::new()
        .name("tyndau-walsync".into())
        .spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut pending = vec![first];
                pending.extend(rx.try_iter());
                let synced = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&wal)
                    .and_then(|f| f.sync_data());
                for (reply, r) in pending.into_iter().flatten() {
                    let r = match &synced {
                        Ok(()) => r,
                        Err(e) => Err(ServiceError::Internal(anyhow::anyhow!(
                            "syncing the WAL: {e}"
                        ))),
                    };
                    let _ = reply.send(r);
                }
            }
        })?;
    Ok(tx)
}

struct SqlxBatches(Db);

impl Batches for SqlxBatches {
    async fn write(&mut self, batch: Vec<PreparedAppeal>) -> BatchResult {
        let mut tx = self.0.begin_write().await?;
        let results = insert_batch(&mut *tx, batch).await?;
        tx.commit().await?;
        Ok(results)
    }
}

struct SqliteBatches(SqliteWriter, std::sync::mpsc::Sender<Vec<Reply>>);

impl Batches for SqliteBatches {
    fn settle(&mut self, replies: Vec<Reply>) {
        if let Err(std::sync::mpsc::SendError(replies)) = self.1.send(replies) {
            for (reply, _) in replies {
                let _ = reply.send(Err(ServiceError::Internal(anyhow::anyhow!(
                    "the WAL syncer has stopped"
                ))));
            }
        }
    }

    async fn write(&mut self, batch: Vec<PreparedAppeal>) -> BatchResult {
        let sql = |w: &SqliteWriter, s: &str| {
            w.conn
                .execute_batch(s)
                .map_err(|e| ServiceError::Internal(e.into()))
        };
        sql(&self.0, "BEGIN IMMEDIATE")?;
        let result = insert_batch(&mut self.0, batch).await;
        match result {
            Ok(r) => match sql(&self.0, "COMMIT") {
                Ok(()) => Ok(r),
                Err(e) => {
                    let _ = sql(&self.0, "ROLLBACK");
                    Err(e)
                }
            },
            Err(e) => {
                let _ = sql(&self.0, "ROLLBACK");
                Err(e)
            }
        }
    }
}

async fn run(mut writer: impl Batches, mut rx: mpsc::Receiver<Job>) {
    let mut jobs: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        let batch: Vec<PreparedAppeal> = jobs.iter().map(|j| j.0.clone()).collect();
        let started = std::time::Instant::now();
        let result = writer.write(batch).await;
        tracing::debug!(
            batch.size = jobs.len(),
            duration_us = started.elapsed().as_micros() as u64,
            "registration batch committed"
        );
        match result {
            Ok(results) => {
                let replies = jobs
                    .drain(..)
                    .map(|(_, reply)| reply)
                    .zip(results)
                    .collect();
                writer.settle(replies);
            }
            Err(e) if jobs.len() > 1 => {
                // One bad item must not fail its neighbours: retry each alone.
                tracing::warn!(error = %e, batch.size = jobs.len(), "registration batch failed; retrying one by one");
                for (p, reply) in jobs.drain(..) {
                    match writer.write(vec![p]).await {
                        Ok(mut v) => writer.settle(vec![(reply, v.pop().expect("one result"))]),
                        Err(e) => {
                            let _ = reply.send(Err(e));
                        }
                    }
                }
            }
            Err(e) => {
                for (_, reply) in jobs.drain(..) {
                    let _ = reply.send(Err(ServiceError::Internal(anyhow::anyhow!("{e}"))));
                }
            }
        }
    }
}
