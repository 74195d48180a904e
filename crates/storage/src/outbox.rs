//! The notification outbox: notices are written with the change they report and delivered by a
//! background sender. Delivery is at-least-once; each e-mail carries a Message-ID derived from the
//! outbox row, so a resend after a crash is recognisable as the same message.

use crate::db::{Db, now_ms};
use crate::error::ServiceResult;
use sqlx::Row;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Notice {
    pub id: String,
    pub appeal_id: Option<String>,
    pub kind: String,
    pub language: String,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

pub async fn for_user(db: &Db, user_id: &str, limit: i64) -> ServiceResult<Vec<Notice>> {
    let rows = sqlx::query(
        "SELECT id, appeal_id, kind, language, subject, body, created_at, sent_at FROM outbox \
         WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(user_id)
    .bind(limit)
    .fetch_all(&db.read)
    .await?;
    Ok(rows.iter().map(notice_from_row).collect())
}

pub async fn for_appeal(db: &Db, appeal_id: &str) -> ServiceResult<Vec<Notice>> {
    let rows = sqlx::query(
        "SELECT id, appeal_id, kind, language, subject, body, created_at, sent_at FROM outbox WHERE appeal_id = $1 ORDER BY id",
    )
    .bind(appeal_id)
    .fetch_all(&db.read)
    .await?;
    Ok(rows.iter().map(notice_from_row).collect())
}

fn notice_from_row(r: &sqlx::any::AnyRow) -> Notice {
    Notice {
        id: r.get(0),
        appeal_id: r.get(1),
        kind: r.get(2),
        language: r.get(3),
        subject: r.get(4),
        body: r.get(5),
        created_at: r.get(6),
        sent_at: r.get(7),
    }
}

#[derive(Debug, Clone)]
pub struct Pending {
    pub id: String,
    pub email: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// Claims up to `limit` due e-mails for `lease_ms`; a crashed sender's claims expire and are
/// taken again.
pub async fn claim(db: &Db, limit: i64, lease_ms: i64) -> ServiceResult<Vec<Pending>> {
    let now = now_ms();
    let rows = sqlx::query(
        "UPDATE outbox SET claimed_until = $1 WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL \
         AND email IS NOT NULL AND next_attempt_at <= $2 AND claimed_until < $2 ORDER BY id LIMIT $3) \
         AND claimed_until < $2 RETURNING id, email, subject, body, attempts",
    )
    .bind(now + lease_ms)
    .bind(now)
    .bind(limit)
    .fetch_all(&db.write)
    .await?;
    Ok(rows
        .iter()
        .map(|r| Pending {
            id: r.get(0),
            email: r.get(1),
            subject: r.get(2),
            body: r.get(3),
            attempts: r.get(4),
        })
        .collect())
}

pub async fn mark_sent(db: &Db, id: &str) -> ServiceResult<()> {
    sqlx::query(
        "UPDATE outbox SET sent_at = $1, claimed_until = 0, attempts = attempts + 1 WHERE id = $2",
    )
    .bind(now_ms())
    .bind(id)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// Records a failed attempt and when to try again (exponential back-off, capped at an hour).
pub async fn mark_failed(
    db: &Db,
    id: &str,
    attempts_before: i64,
    error: &str,
) -> ServiceResult<()> {
    let backoff = (5_000i64 << attempts_before.clamp(0, 10)).min(3_600_000);
    sqlx::query("UPDATE outbox SET attempts = attempts + 1, claimed_until = 0, next_attempt_at = $1, last_error = $2 WHERE id = $3")
        .bind(now_ms() + backoff)
        .bind(error)
        .bind(id)
        .execute(&db.write)
        .await?;
    Ok(())
}
