//! Group commit for appeal registrations.
//!
//! Every registration must be durable before its 2xx answer, and a durable commit costs an fsync.
//! One task owns registration writes: it takes every registration waiting in its queue, writes
//! them in one transaction (one fsync), and only then answers each caller. Under light load a
//! batch is one appeal and latency is one commit; under heavy load batches grow by themselves.

use crate::appeals::{PreparedAppeal, Registered, insert_batch};
use crate::db::Db;
use crate::error::{ServiceError, ServiceResult};
use tokio::sync::{mpsc, oneshot};

type Job = (PreparedAppeal, oneshot::Sender<ServiceResult<Registered>>);

#[derive(Clone)]
pub struct Registrar {
    tx: mpsc::Sender<Job>,
}

/// Upper bound of one batch; keeps a transaction's size and the wait of its first caller bounded.
const MAX_BATCH: usize = 512;

impl Registrar {
    pub fn start(db: Db) -> Registrar {
        let (tx, rx) = mpsc::channel::<Job>(8192);
        // The writer gets a thread and a runtime of its own: on the shared runtime its many short
        // waits for the database (a dozen statements a batch) queued behind request handling,
        // and the single writer — the bottleneck of registration — sat idle in between.
        std::thread::Builder::new()
            .name("tyndau-registrar".into())
            .spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("registrar runtime");
                rt.block_on(run(db, rx));
            })
            .expect("registrar thread");
        Registrar { tx }
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

async fn run(db: Db, mut rx: mpsc::Receiver<Job>) {
    let mut jobs: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        let batch: Vec<PreparedAppeal> = jobs.iter().map(|j| j.0.clone()).collect();
        let started = std::time::Instant::now();
        let result = write(&db, batch).await;
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
                    let r = match write(&db, vec![p]).await {
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

async fn write(
    db: &Db,
    batch: Vec<PreparedAppeal>,
) -> ServiceResult<Vec<ServiceResult<Registered>>> {
    let mut tx = db.begin_write().await?;
    let results = insert_batch(&mut tx, batch).await?;
    tx.commit().await?;
    Ok(results)
}
