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
                let writer = SqliteWriter::open(&path, SQLITE_PRAGMAS)?;
                thread
                    .spawn(move || futures::executor::block_on(run(SqliteBatches(writer), rx)))?;
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

/// Writes one batch in one transaction.
#[allow(async_fn_in_trait)]
trait Batches {
    async fn write(&mut self, batch: Vec<PreparedAppeal>) -> BatchResult;
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

struct SqliteBatches(SqliteWriter);

impl Batches for SqliteBatches {
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
                for ((_, reply), r) in jobs.drain(..).zip(results) {
                    let _ = reply.send(r);
                }
            }
            Err(e) if jobs.len() > 1 => {
                // One bad item must not fail its neighbours: retry each alone.
                tracing::warn!(error = %e, batch.size = jobs.len(), "registration batch failed; retrying one by one");
                for (p, reply) in jobs.drain(..) {
                    let r = match writer.write(vec![p]).await {
                        Ok(mut v) => v.pop().expect("one result"),
                        Err(e) => Err(e),
                    };
                    let _ = reply.send(r);
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
