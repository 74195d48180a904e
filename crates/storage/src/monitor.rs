//! The deadline monitor: marks overdue appeals, escalates them to the superior body's queue,
//! tells the applicant, and records reminders before the due date. Every effect is journaled.

use crate::appeals::{
    APPEAL_COLS, Actor, AppealRow, AppealSettings, EventRow, clock, insert_events, insert_outbox,
    notice_row,
};
use crate::db::Db;
use crate::db::{backend_of, execute_all};
use crate::error::ServiceResult;
use crate::reference::Reference;
use tyndau_core::appeal::Action;
use tyndau_core::calendar::WorkWeek;
use tyndau_core::notify::{NoticeFacts, NoticeKind};

#[derive(Debug, Default, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MonitorReport {
    pub overdue: usize,
    pub escalated: usize,
    pub reminded: usize,
}

const CHUNK: i64 = 500;

/// Appeals past their due date not yet marked overdue. The statuses that await an answer are the
/// core's (`Status::awaits_answer`), as everywhere; rendered in the same order as the partial
/// index `appeals_open_due`, which the planner matches by the text of its condition.
fn overdue_sql() -> String {
    format!(
        "SELECT {} FROM appeals WHERE status IN ({}) AND overdue = 0 AND due_on < $1 ORDER BY due_on LIMIT {CHUNK}",
        APPEAL_COLS.join(", "),
        crate::stats::open_statuses_sql()
    )
}

/// Appeals due within the reminder window and not yet reminded.
fn reminder_sql() -> String {
    format!(
        "SELECT {} FROM appeals WHERE status IN ({}) AND reminded = 0 AND overdue = 0 AND due_on >= $1 AND due_on <= $2",
        APPEAL_COLS.join(", "),
        crate::stats::open_statuses_sql()
    )
}

pub async fn run_once(
    db: &Db,
    reference: &Reference,
    settings: &AppealSettings,
    now: i64,
) -> ServiceResult<MonitorReport> {
    let mut report = MonitorReport::default();
    let five = tyndau_core::deadlines::Clock {
        calendar: &reference.calendar,
        week: WorkWeek::FiveDay,
        terms: &settings.terms,
    };
    let today = five.local_date(now);
    let system = Actor::system();
    let overdue_sql = overdue_sql();

    loop {
        let rows = sqlx::query_as::<_, AppealRow>(&overdue_sql)
            .bind(today.to_string())
            .fetch_all(&db.read)
            .await?;
        if rows.is_empty() {
            break;
        }
        let mut tx = db.begin_write().await?;
        let backend = backend_of(&tx);
        let mut writes = Vec::new();
        let mut marked: Vec<(&AppealRow, AppealRow)> = Vec::new();
        for row in &rows {
            let status = row.status();
            let superior = reference
                .orgs
                .get(&row.org_id)
                .and_then(|o| o.parent_id.clone());
            let res = sqlx::query(
                "UPDATE appeals SET overdue = 1, escalated_to_org_id = COALESCE($1, escalated_to_org_id), updated_at = $2, version = version + 1 \
                 WHERE id = $3 AND overdue = 0 AND version = $4",
            )
            .bind(&superior)
            .bind(now)
            .bind(&row.id)
            // The row as read: changed since (answered, say), it is looked at again next round.
            .bind(row.version)
            .execute(&mut *tx)
            .await?;
            if res.rows_affected() == 0 {
                continue;
            }
            report.overdue += 1;
            let mut m = row.clone();
            m.overdue = 1;
            marked.push((row, m));
            let ev = EventRow::new(
                &row.id,
                now,
                &system,
                Action::MarkOverdue,
                Some(status),
                status,
            )
            .data(serde_json::json!({ "due_on": row.due_on }));
            insert_events(backend, &[&ev], &mut writes);
            if let Some(s) = &superior {
                report.escalated += 1;
                let ev = EventRow::new(
                    &row.id,
                    now,
                    &system,
                    Action::Escalate,
                    Some(status),
                    status,
                )
                .orgs(Some(&row.org_id), Some(s))
                .reason("overdue: escalated to the superior body");
                insert_events(backend, &[&ev], &mut writes);
            }
            let facts = NoticeFacts {
                reg_no: row.reg_no.clone(),
                ticket: row.ticket.clone(),
                due: row.due_on.clone(),
                ..Default::default()
            };
            if let Some(n) = notice_row(row, None, NoticeKind::Overdue, &facts, now) {
                insert_outbox(backend, &[n], &mut writes);
            }
        }
        // One sorted set of counter statements for the whole chunk: a statement per appeal
        // would lock counter rows out of order against a concurrent step (a deadlock).
        let (before, after): (Vec<&AppealRow>, Vec<&AppealRow>) =
            marked.iter().map(|(b, a)| (*b, a)).unzip();
        crate::stats::counter_changes(backend, &before, &after, &settings.terms, &mut writes);
        execute_all(&mut tx, &writes).await?;
        tx.commit().await?;
        if (rows.len() as i64) < CHUNK {
            break;
        }
    }

    // Reminders: due within the reminder window and not yet reminded. Candidates are chosen with
    // the widest window (six-day weeks reach no further), then checked with each body's week.
    let horizon = five.calendar.add_working_days(
        today,
        settings.terms.reminder_working_days_before_due,
        WorkWeek::FiveDay,
    );
    let rows = sqlx::query_as::<_, AppealRow>(&reminder_sql())
        .bind(today.to_string())
        .bind(horizon.to_string())
        .fetch_all(&db.read)
        .await?;
    if !rows.is_empty() {
        let mut tx = db.begin_write().await?;
        let backend = backend_of(&tx);
        let mut writes = Vec::new();
        for row in &rows {
            let Some(org) = reference.orgs.get(&row.org_id) else {
                continue;
            };
            let c = clock(reference, org, &settings.terms);
            if !c.reminder_due(today, row.due()) {
                continue;
            }
            let res = sqlx::query(
                "UPDATE appeals SET reminded = 1, updated_at = $1 WHERE id = $2 AND reminded = 0",
            )
            .bind(now)
            .bind(&row.id)
            .execute(&mut *tx)
            .await?;
            if res.rows_affected() == 0 {
                continue;
            }
            report.reminded += 1;
            let ev = EventRow::new(&row.id, now, &system, Action::Remind, Some(row.status()), row.status()).data(serde_json::json!({
                "due_on": row.due_on, "assignee_id": row.assignee_id,
                "working_days_left": c.calendar.working_days_between(today, row.due(), org.work_week),
            }));
            insert_events(backend, &[&ev], &mut writes);
        }
        execute_all(&mut tx, &writes).await?;
        tx.commit().await?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Row;
    use tyndau_core::appeal::Status;

    /// The shared list is the one the monitor always used, and its queries still read the
    /// partial index of open appeals by due date instead of scanning every appeal.
    #[tokio::test]
    async fn monitor_reads_open_appeals_through_the_open_due_index() {
        let awaiting: Vec<&str> = Status::ALL
            .iter()
            .filter(|s| s.awaits_answer())
            .map(|s| s.as_str())
            .collect();
        assert_eq!(
            awaiting,
            ["registered", "forwarded", "in_review", "extended"]
        );
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&format!("sqlite://{}/t.db?mode=rwc", dir.path().display()))
            .await
            .unwrap();
        db.migrate().await.unwrap();
        for (sql, days) in [(overdue_sql(), 1), (reminder_sql(), 2)] {
            let explain = format!("EXPLAIN QUERY PLAN {sql}");
            let mut q = sqlx::query(&explain);
            for d in ["2026-01-01", "2026-01-05"].into_iter().take(days) {
                q = q.bind(d);
            }
            let plan: Vec<String> = q
                .fetch_all(&db.read)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get::<String, _>(3))
                .collect();
            assert!(
                plan.iter().any(|p| p.contains("appeals_open_due")),
                "{sql}: {plan:?}"
            );
        }
    }
}
