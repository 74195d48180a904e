//! Group commit for appeal registrations and petition signatures.
//!
//! Every registration and every signature must be durable before its 2xx answer, and a durable
//! commit costs an fsync. One writer owns these writes: it takes everything waiting in its queue,
//! writes it in one transaction (one fsync), and only then answers each caller. Under light load a
//! batch is one item and latency is one commit; under heavy load batches grow by themselves.
//!
//! The writer has a thread of its own. On SQLite it drives its own connection synchronously
//! (`conn::SqliteWriter`); on PostgreSQL it runs sqlx on a single-threaded runtime. Both run the
//! same `appeals::insert_batch` and `petitions::sign_batch`.

use crate::appeals::{PreparedAppeal, Registered, insert_batch};
use crate::conn::{BatchConn, SqliteWriter};
use crate::db::{
    Backend, Db, SQLITE_PRAGMAS, WAL_FORCE_FRAMES, WAL_RESTART_BACKLOG, WAL_RESTART_FRAMES,
    WRITER_CACHE, WalProgress, monotonic_us,
};
use crate::error::{ServiceError, ServiceResult};
use crate::petitions::{PetitionClock, PreparedSignature, SignOutcome, sign_batch};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// What the writer is asked to write.
#[derive(Debug, Clone)]
pub enum Write {
    Appeal(Box<PreparedAppeal>),
    /// One electronic signature, or an official's bulk entry of paper ones.
    Signatures(Vec<PreparedSignature>),
}

#[derive(Debug)]
pub enum Written {
    Appeal(Registered),
    Signatures(Vec<SignOutcome>),
}

type Job = (Write, oneshot::Sender<ServiceResult<Written>>);
type BatchResult = ServiceResult<Vec<ServiceResult<Written>>>;

#[derive(Clone)]
pub struct Registrar {
    tx: mpsc::Sender<Job>,
    /// Appeals handed to the writer since start, for background work that yields to a surge.
    appeals: Arc<std::sync::atomic::AtomicU64>,
}

/// Upper bound of one batch; keeps a transaction's size and the wait of its first caller bounded.
const MAX_BATCH: usize = 512;

impl Registrar {
    pub fn start(db: Db, clock: Arc<dyn PetitionClock>) -> anyhow::Result<Registrar> {
        let (tx, rx) = mpsc::channel::<Job>(8192);
        let thread = std::thread::Builder::new().name("tyndau-registrar".into());
        match (db.backend, db.sqlite_path.clone()) {
            (Backend::Sqlite, Some(path)) => {
                // This connection commits without fsync; `syncer` makes each batch durable.
                let pragmas =
                    format!("{SQLITE_PRAGMAS} PRAGMA synchronous = NORMAL; {WRITER_CACHE}");
                let writer = SqliteWriter::open(&path, &pragmas)?;
                let mut wal = path.clone().into_os_string();
                wal.push("-wal");
                let settle = syncer(std::path::PathBuf::from(wal))?;
                thread.spawn(move || {
                    let pacer = WalPacer::new(db.wal.clone());
                    futures::executor::block_on(run(
                        SqliteBatches(writer, settle, clock, pacer),
                        rx,
                    ))
                })?;
            }
            _ => {
                thread.spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("registrar runtime");
                    rt.block_on(run(SqlxBatches(db, clock), rx));
                })?;
            }
        }
        Ok(Registrar {
            tx,
            appeals: Default::default(),
        })
    }

    async fn submit(&self, w: Write) -> ServiceResult<Written> {
        let (tx, rx) = oneshot::channel();
        self.tx
            .send((w, tx))
            .await
            .map_err(|_| anyhow::anyhow!("the registrar has stopped"))?;
        rx.await
            .map_err(|_| ServiceError::Internal(anyhow::anyhow!("the registrar dropped a write")))?
    }

    /// How many appeals were handed to the writer since start (registered or not).
    pub fn appeals_submitted(&self) -> u64 {
        self.appeals.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub async fn register(&self, p: PreparedAppeal) -> ServiceResult<Registered> {
        self.appeals
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match self.submit(Write::Appeal(Box::new(p))).await? {
            Written::Appeal(r) => Ok(r),
            Written::Signatures(_) => Err(anyhow::anyhow!("registrar answered out of kind").into()),
        }
    }

    /// Writes signatures; one outcome per signature, in order, once they are durable.
    pub async fn sign(&self, s: Vec<PreparedSignature>) -> ServiceResult<Vec<SignOutcome>> {
        match self.submit(Write::Signatures(s)).await? {
            Written::Signatures(r) => Ok(r),
            Written::Appeal(_) => Err(anyhow::anyhow!("registrar answered out of kind").into()),
        }
    }
}

type Reply = (
    oneshot::Sender<ServiceResult<Written>>,
    ServiceResult<Written>,
);

/// Writes one batch in one transaction, then answers its callers once it is durable.
#[allow(async_fn_in_trait)]
trait Batches {
    async fn write(&mut self, batch: Vec<Write>) -> BatchResult;

    /// Called after `write` committed; the default answers at once (the commit was durable).
    fn settle(&mut self, replies: Vec<Reply>) {
        for (reply, r) in replies {
            let _ = reply.send(r);
        }
    }

    /// Called between batches, once the callers of the last one are answered or on their way.
    fn between_batches(&mut self) {}
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

/// Writes a mixed batch on one connection inside the caller's transaction: the appeals in one
/// `insert_batch`, the signatures in one `sign_batch`, each result back in its job's place.
async fn write_mixed<C: BatchConn>(
    c: &mut C,
    batch: Vec<Write>,
    clock: &dyn PetitionClock,
) -> BatchResult {
    let mut appeals = Vec::new();
    let mut appeal_at = Vec::new();
    let mut sigs = Vec::new();
    let mut sig_spans = Vec::new();
    for (i, w) in batch.into_iter().enumerate() {
        match w {
            Write::Appeal(p) => {
                appeal_at.push(i);
                appeals.push(*p);
            }
            Write::Signatures(s) => {
                sig_spans.push((i, sigs.len(), s.len()));
                sigs.extend(s);
            }
        }
    }
    let n = appeal_at.len() + sig_spans.len();
    let mut out: Vec<Option<ServiceResult<Written>>> = (0..n).map(|_| None).collect();
    if !appeals.is_empty() {
        for (i, r) in appeal_at.into_iter().zip(insert_batch(c, appeals).await?) {
            out[i] = Some(r.map(Written::Appeal));
        }
    }
    if !sigs.is_empty() {
        let mut outcomes = sign_batch(c, &sigs, clock).await?;
        // Spans are taken from the back so that each `split_off` leaves the earlier ones.
        for (i, start, _) in sig_spans.into_iter().rev() {
            let tail = outcomes.split_off(start);
            out[i] = Some(Ok(Written::Signatures(tail)));
        }
    }
    Ok(out
        .into_iter()
        .map(|o| o.expect("every job answered"))
        .collect())
}

struct SqlxBatches(Db, Arc<dyn PetitionClock>);

impl Batches for SqlxBatches {
    async fn write(&mut self, batch: Vec<Write>) -> BatchResult {
        let mut tx = self.0.begin_write().await?;
        let results = write_mixed(&mut *tx, batch, self.1.as_ref()).await?;
        tx.commit().await?;
        Ok(results)
    }
}

struct SqliteBatches(
    SqliteWriter,
    std::sync::mpsc::Sender<Vec<Reply>>,
    Arc<dyn PetitionClock>,
    WalPacer,
);

/// Decides when the writer checkpoints on its own connection (see `db::WalProgress`): once the
/// WAL is long and the background checkpointer has copied nearly all of it, the writer copies
/// the rest between two batches, and its next transaction starts the WAL from the beginning.
struct WalPacer {
    progress: Arc<WalProgress>,
    /// When the WAL was last started again (`monotonic_us`), seen as a fall of its length.
    restarted_us: u64,
    last_frames: i64,
}

impl WalPacer {
    fn new(progress: Arc<WalProgress>) -> WalPacer {
        WalPacer {
            progress,
            restarted_us: monotonic_us(),
            last_frames: 0,
        }
    }

    /// Whether to checkpoint now, given the WAL's length after the last commit. Never while a
    /// background checkpoint runs: the writer's would find the lock taken, or sync the file under
    /// the other's writes.
    fn due(&mut self, frames: i64) -> bool {
        if frames < self.last_frames {
            self.restarted_us = monotonic_us();
        }
        self.last_frames = frames;
        if self.progress.running() {
            return false;
        }
        if frames >= WAL_FORCE_FRAMES {
            return true;
        }
        frames >= WAL_RESTART_FRAMES
            && self
                .progress
                .backfilled_since(self.restarted_us)
                .is_some_and(|done| done <= frames && frames - done <= WAL_RESTART_BACKLOG)
    }
}

impl Batches for SqliteBatches {
    fn between_batches(&mut self) {
        if !self.3.due(self.0.wal_frames()) {
            return;
        }
        let started = std::time::Instant::now();
        match self.0.checkpoint() {
            Ok(complete) => tracing::debug!(
                frames = self.0.wal_frames(),
                complete,
                duration_us = started.elapsed().as_micros() as u64,
                "writer checkpoint"
            ),
            Err(e) => tracing::warn!(error = %e, "writer checkpoint failed"),
        }
    }

    fn settle(&mut self, replies: Vec<Reply>) {
        if let Err(std::sync::mpsc::SendError(replies)) = self.1.send(replies) {
            for (reply, _) in replies {
                let _ = reply.send(Err(ServiceError::Internal(anyhow::anyhow!(
                    "the WAL syncer has stopped"
                ))));
            }
        }
    }

    async fn write(&mut self, batch: Vec<Write>) -> BatchResult {
        let sql = |w: &SqliteWriter, s: &str| {
            w.conn
                .execute_batch(s)
                .map_err(|e| ServiceError::Internal(e.into()))
        };
        sql(&self.0, "BEGIN IMMEDIATE")?;
        let result = write_mixed(&mut self.0, batch, self.2.as_ref()).await;
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
        let batch: Vec<Write> = jobs.iter().map(|j| j.0.clone()).collect();
        let started = std::time::Instant::now();
        let result = writer.write(batch).await;
        tracing::debug!(
            batch.size = jobs.len(),
            duration_us = started.elapsed().as_micros() as u64,
            "write batch committed"
        );
        match result {
            Ok(results) => {
                let replies = jobs
                    .drain(..)
                    .map(|(_, reply)| reply)
                    .zip(results)
                    .collect();
                writer.settle(replies);
                writer.between_batches();
            }
            Err(e) if jobs.len() > 1 => {
                // One bad item must not fail its neighbours: retry each alone.
                tracing::warn!(error = %e, batch.size = jobs.len(), "write batch failed; retrying one by one");
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A background checkpoint's result, started strictly after anything the pacer saw before.
    fn publish_now(progress: &WalProgress, backfilled: i64) {
        std::thread::sleep(std::time::Duration::from_millis(1));
        progress.publish(monotonic_us(), backfilled);
    }

    /// The writer checkpoints only once the WAL is long and the background has copied nearly
    /// all of it, so that its own checkpoint is short.
    #[test]
    fn the_writer_starts_the_wal_again_only_when_little_is_left_to_copy() {
        let progress = Arc::new(WalProgress::default());
        let mut pacer = WalPacer::new(progress.clone());
        publish_now(&progress, 0);
        assert!(!pacer.due(WAL_RESTART_FRAMES - 1), "the WAL is still short");
        publish_now(&progress, WAL_RESTART_FRAMES - 1);
        assert!(
            !pacer.due(WAL_RESTART_FRAMES + WAL_RESTART_BACKLOG),
            "too much left to copy"
        );
        publish_now(&progress, WAL_RESTART_FRAMES);
        assert!(pacer.due(WAL_RESTART_FRAMES + WAL_RESTART_BACKLOG));
        assert!(
            pacer.due(WAL_FORCE_FRAMES),
            "the backstop checkpoints whatever the background did"
        );
    }

    /// A checkpoint that started before the WAL was started again counted frames of the old
    /// WAL: it must not make a long backlog in the new one look copied.
    #[test]
    fn a_checkpoint_from_before_the_wal_started_again_does_not_count() {
        let progress = Arc::new(WalProgress::default());
        let mut pacer = WalPacer::new(progress.clone());
        assert!(
            !pacer.due(WAL_RESTART_FRAMES + 100),
            "nothing published yet"
        );
        publish_now(&progress, WAL_RESTART_FRAMES + 100);
        assert!(pacer.due(WAL_RESTART_FRAMES + 100));
        // The WAL starts again (it is shorter after a commit), then grows long before the
        // background has run again: its last figure is about the old WAL.
        assert!(!pacer.due(50));
        assert!(!pacer.due(WAL_RESTART_FRAMES + 150));
        publish_now(&progress, WAL_RESTART_FRAMES + 100);
        assert!(pacer.due(WAL_RESTART_FRAMES + 150), "a fresh figure counts");
        // A figure above the WAL's length is not about this WAL either.
        assert!(!pacer.due(30));
        publish_now(&progress, WAL_RESTART_FRAMES * 2);
        assert!(!pacer.due(WAL_RESTART_FRAMES + 10));
    }
}
