//! Background work inside the server: the deadline monitor, the outbox sender, the
//! near-duplicate indexer, the daily transparency index and the hidden-services reports.

use crate::config::SmtpConfig;
use crate::state::AppState;
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;
use tokio::sync::watch;
use tyndau_storage::db::now_ms;
use tyndau_storage::outbox;

pub fn spawn_monitor(state: AppState, mut stop: watch::Receiver<bool>) {
    let secs = state.config.monitor_interval_secs;
    if secs == 0 {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(secs));
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.changed() => return,
            }
            let reference = state.reference();
            match tyndau_storage::monitor::run_once(
                &state.db,
                &reference,
                &state.settings,
                now_ms(),
            )
            .await
            {
                Ok(r) if r.overdue + r.reminded > 0 => {
                    tracing::info!(
                        monitor.overdue = r.overdue,
                        monitor.escalated = r.escalated,
                        monitor.reminded = r.reminded,
                        "deadline monitor run"
                    )
                }
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "deadline monitor failed"),
            }
            match crate::api::petitions::run_due(&state).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(petitions.moved = n, "petition terms applied"),
                Err(e) => tracing::error!(error = %e, "petition term monitor failed"),
            }
        }
    });
}

/// Appeals per second handed to the registration writer, over windows of at least a quarter
/// of a second (one pass of the indexer is a few milliseconds: too short to count batches in).
struct Arrivals {
    since: std::time::Instant,
    count: u64,
    rate: f64,
}

impl Arrivals {
    fn new(count: u64) -> Arrivals {
        Arrivals {
            since: std::time::Instant::now(),
            count,
            rate: 0.0,
        }
    }

    fn rate(&mut self, count: u64) -> f64 {
        let elapsed = self.since.elapsed();
        if elapsed >= Duration::from_millis(250) {
            self.rate = count.saturating_sub(self.count) as f64 / elapsed.as_secs_f64();
            self.since = std::time::Instant::now();
            self.count = count;
        }
        self.rate
    }
}

/// The pause before the indexer's next pass. A backlog (after a restart, a bulk load) is worked
/// off back to back, unless registrations are arriving faster than `yield_above` a second: two
/// thirds of what a registration surge writes to SQLite's WAL was the indexer's (16 band rows
/// per appeal, each at a random place of the band index), and every page of it is one more for
/// the checkpoints the registrations wait behind. Registration is the statutory duty; grouping
/// can wait for the surge to pass (bench/appeal_submit 20 64 without the indexer: 7,769 appeals
/// a second at p99 35 ms, against about 5,500 at p99 40 ms beside it).
fn similarity_pause(full: bool, rate: f64, interval_ms: u64, yield_above: u64) -> Duration {
    let surge = yield_above > 0 && rate > yield_above as f64;
    Duration::from_millis(if full && !surge { 5 } else { interval_ms })
}

/// The near-duplicate indexer: groups appeals shortly after they are registered, so the
/// registration itself does none of this work. Batches are small because on SQLite each one
/// holds the write lock that registrations also queue for.
pub fn spawn_similarity(state: AppState, mut stop: watch::Receiver<bool>) {
    let ms = state.config.similarity_interval_ms;
    if ms == 0 {
        return;
    }
    let threshold = state.config.similarity_threshold;
    const BATCH: i64 = 100;
    // The slow sweep (appeals whose registration committed after the cursor passed them) runs
    // at most this often, and again at once while it finds a full batch.
    const SWEEP_EVERY: Duration = Duration::from_secs(60);
    tokio::spawn(async move {
        let mut last_sweep: Option<std::time::Instant> = None;
        let mut arrivals = Arrivals::new(state.registrar.appeals_submitted());
        loop {
            let indexed =
                tyndau_storage::similarity::index_pending(&state.db, threshold, BATCH).await;
            let mut full = match indexed {
                Ok(n) => n as i64 == BATCH,
                Err(e) => {
                    // The error only: appeal texts and applicants stay out of the log.
                    tracing::error!(error = %e, "near-duplicate indexing failed");
                    false
                }
            };
            if !full && last_sweep.is_none_or(|t| t.elapsed() >= SWEEP_EVERY) {
                let since = state.config.terms.local_date(tyndau_storage::db::now_ms())
                    - chrono::Duration::days(tyndau_storage::similarity::SWEEP_DAYS);
                match tyndau_storage::similarity::sweep_unindexed(
                    &state.db, threshold, since, BATCH,
                )
                .await
                {
                    Ok(n) => {
                        if n > 0 {
                            tracing::info!(
                                appeals = n,
                                "near-duplicate sweep indexed late appeals"
                            );
                        }
                        full = n as i64 == BATCH;
                        if !full {
                            last_sweep = Some(std::time::Instant::now());
                        }
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "near-duplicate sweep failed");
                        last_sweep = Some(std::time::Instant::now());
                    }
                }
            }
            let rate = arrivals.rate(state.registrar.appeals_submitted());
            let pause = similarity_pause(full, rate, ms, state.config.similarity_yield_above);
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = stop.changed() => return,
            }
        }
    });
}

/// The transparency index: today's results are computed at start when missing (or computed
/// under another methodology, i.e. after an upgrade), then once per local day — the first check
/// after local midnight. Runs with the other deadline work (off when `monitor_interval_secs` is
/// 0: tests, one-off commands). A failure is logged and retried at the next check.
pub fn spawn_transparency(state: AppState, mut stop: watch::Receiver<bool>) {
    if state.config.monitor_interval_secs == 0 {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.changed() => return,
            }
            match transparency_once(&state).await {
                Ok(Some(r)) => tracing::info!(
                    transparency.day = %r.day,
                    transparency.bodies = r.bodies,
                    transparency.ranked = r.ranked,
                    "transparency index computed"
                ),
                Ok(None) => {}
                // The index holds aggregates per body only; the error names no person.
                Err(e) => tracing::error!(error = %e, "transparency index computation failed"),
            }
        }
    });
}

/// Computes today's transparency index unless it is there under the current methodology.
pub async fn transparency_once(
    state: &AppState,
) -> anyhow::Result<Option<tyndau_storage::transparency::ComputeReport>> {
    use tyndau_storage::transparency::{compute, computed_version};
    let m = tyndau_core::transparency::published();
    let now = now_ms();
    let today = state.config.terms.local_date(now);
    if computed_version(&state.db, today).await?.as_deref() == Some(m.version.as_str()) {
        return Ok(None);
    }
    let reference = state.reference();
    let r = compute(&state.db, &reference, &state.config.terms, m, today, now).await?;
    Ok(Some(r))
}

/// Hidden public services: the reports of the standard periods are computed at start when
/// missing or stale, at the first check after each local midnight, and at once when an
/// administrator changes the registry on this node (`AppState::hidden_services_stale`); the
/// periodic check also catches a change made on another node. A failure is logged (the report
/// holds appeal excerpts: the error only) and retried at the next check.
pub fn spawn_hidden_services(state: AppState, mut stop: watch::Receiver<bool>) {
    let secs = state.config.hidden_services.check_secs;
    if secs == 0 {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(secs));
        // A computation of several seconds must not be followed by a burst of missed checks.
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = state.hidden_services_stale.notified() => {}
                _ = stop.changed() => return,
            }
            match hidden_services_once(&state, false).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(
                    hidden_services.reports = n,
                    "hidden-service reports computed"
                ),
                Err(e) => tracing::error!(error = %e, "hidden-service report computation failed"),
            }
        }
    });
}

/// Computes and stores the report of each standard period that is missing or not current
/// (another day, or another registry); every one with `force`. How many were computed.
pub async fn hidden_services_once(state: &AppState, force: bool) -> anyhow::Result<usize> {
    use tyndau_storage::services;
    let cfg = &state.config.hidden_services;
    let today = state.config.terms.local_date(now_ms());
    let mut computed = 0;
    for &days in &cfg.periods_days {
        if !force {
            // Read again for each period: the registry may change during a computation.
            let fingerprint = services::current_fingerprint(&state.db, cfg.min_volume).await?;
            let stored = services::stored_report(&state.db, days).await?;
            if stored.is_some_and(|r| r.is_current(today, &fingerprint)) {
                continue;
            }
        }
        services::refresh_report(&state.db, &state.config.terms, days, today, cfg.min_volume)
            .await?;
        computed += 1;
    }
    Ok(computed)
}

pub fn spawn_outbox(state: AppState, mut stop: watch::Receiver<bool>) {
    let Some(smtp) = state.config.smtp.clone() else {
        tracing::info!(
            "no SMTP server configured: notices are kept in the outbox and shown through the API only"
        );
        return;
    };
    let interval = Duration::from_millis(state.config.outbox_interval_ms.max(10));
    tokio::spawn(async move {
        let mailer = build_mailer(&smtp);
        let from: Mailbox = match smtp.from.parse() {
            Ok(f) => f,
            Err(e) => {
                tracing::error!(error = %e, "smtp.from is not a valid address; outbox sender not started");
                return;
            }
        };
        loop {
            match deliver_once(&state, &mailer, &from).await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::error!(error = %e, "outbox delivery failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                _ = stop.changed() => return,
            }
        }
    });
}

fn build_mailer(smtp: &SmtpConfig) -> AsyncSmtpTransport<Tokio1Executor> {
    // Plain SMTP to the configured relay (typically a local MTA that handles TLS onwards).
    let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
        .port(smtp.port)
        .timeout(Some(Duration::from_secs(20)));
    if let (Some(u), Some(p)) = (&smtp.username, &smtp.password) {
        b = b.credentials(lettre::transport::smtp::authentication::Credentials::new(
            u.clone(),
            p.clone(),
        ));
    }
    b.build()
}

/// Sends one batch of due notices; returns how many were attempted.
async fn deliver_once(
    state: &AppState,
    mailer: &AsyncSmtpTransport<Tokio1Executor>,
    from: &Mailbox,
) -> anyhow::Result<usize> {
    let batch = outbox::claim(&state.db, 50, 60_000).await?;
    let n = batch.len();
    for p in batch {
        let result = async {
            let to: Mailbox = p
                .email
                .parse()
                .map_err(|e| anyhow::anyhow!("recipient address: {e}"))?;
            let msg = Message::builder()
                .from(from.clone())
                .to(to)
                .subject(p.subject.clone())
                // Stable per notice: a resend after a crash is the same message to the receiver.
                .message_id(Some(format!("<{}@tyndau>", p.id)))
                .header(ContentType::TEXT_PLAIN)
                .body(p.body.clone())?;
            mailer.send(msg).await?;
            anyhow::Ok(())
        }
        .await;
        match result {
            Ok(()) => {
                outbox::mark_sent(&state.db, &p.id).await?;
                tracing::info!(outbox.id = %p.id, "notice e-mailed");
            }
            Err(e) => {
                // The error text may quote the address: keep it out of the log line.
                tracing::warn!(outbox.id = %p.id, outbox.attempts = p.attempts + 1, "notice delivery failed; will retry");
                outbox::mark_failed(&state.db, &p.id, p.attempts, &e.to_string()).await?;
            }
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_near_duplicate_indexer_yields_to_a_registration_surge_and_catches_up_after() {
        let ms = 500;
        let quick = Duration::from_millis(5);
        let slow = Duration::from_millis(ms);
        assert_eq!(similarity_pause(true, 50.0, ms, 1_000), quick, "a backlog");
        assert_eq!(
            similarity_pause(false, 50.0, ms, 1_000),
            slow,
            "nothing to do"
        );
        assert_eq!(similarity_pause(true, 5_000.0, ms, 1_000), slow, "a surge");
        assert_eq!(
            similarity_pause(true, 5_000.0, ms, 0),
            quick,
            "never yields"
        );
    }

    #[test]
    fn arrivals_are_counted_over_a_quarter_second_at_least() {
        let mut a = Arrivals::new(100);
        assert_eq!(a.rate(150), 0.0, "too soon to tell");
        std::thread::sleep(Duration::from_millis(260));
        let r = a.rate(400);
        assert!((300.0 / 0.4..=300.0 / 0.26).contains(&r), "{r}");
        assert_eq!(
            a.rate(100_000),
            r,
            "the last window's rate until the next one ends"
        );
    }
}
