//! Models trained inside Tyndau (issue 5, items 2 and 3): their persistence, their training
//! examples, and officials' confirmations and corrections of an appeal's category — each one a
//! training example of the category classifier.

use std::sync::Arc;

use sqlx::Row;
use tyndau_core::access::{self, Op, Principal};

use crate::appeals::{
    AppealRow, AppealSettings, EventRow, appeal_not_found, insert_events, select_sql,
};
use crate::db::{Db, backend_of, execute_all, new_id, now_ms};
use crate::error::{ServiceError, ServiceResult};
use crate::reference::Reference;

/// A persisted model.
#[derive(Debug, Clone)]
pub struct StoredModel {
    pub kind: String,
    pub version: i64,
    pub trained_at: i64,
    pub examples: i64,
    pub labels: i64,
    pub accuracy: Option<f64>,
    pub bytes: Vec<u8>,
}

pub async fn load(db: &Db, kind: &str) -> ServiceResult<Option<StoredModel>> {
    Ok(sqlx::query(
        "SELECT kind, version, trained_at, examples, labels, accuracy, bytes FROM models WHERE kind = $1",
    )
    .bind(kind)
    .fetch_optional(&db.read)
    .await?
    .map(|r| StoredModel {
        kind: r.get(0),
        version: r.get(1),
        trained_at: r.get(2),
        examples: r.get(3),
        labels: r.get(4),
        accuracy: r.get(5),
        bytes: r.get(6),
    }))
}

/// Stores a newly trained model as the next version of its kind; returns the version.
pub async fn save(
    db: &Db,
    kind: &str,
    examples: i64,
    labels: i64,
    accuracy: Option<f64>,
    bytes: &[u8],
) -> ServiceResult<i64> {
    let mut tx = db.begin_write().await?;
    let version: i64 = sqlx::query("SELECT version FROM models WHERE kind = $1")
        .bind(kind)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.get::<i64, _>(0))
        .unwrap_or(0)
        + 1;
    sqlx::query(
        "INSERT INTO models (kind, version, trained_at, examples, labels, accuracy, bytes) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (kind) DO UPDATE SET version = excluded.version, \
         trained_at = excluded.trained_at, examples = excluded.examples, labels = excluded.labels, \
         accuracy = excluded.accuracy, bytes = excluded.bytes",
    )
    .bind(kind)
    .bind(version)
    .bind(now_ms())
    .bind(examples)
    .bind(labels)
    .bind(accuracy)
    .bind(bytes.to_vec())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(version)
}

/// One example of the category classifier: the text and its category.
pub struct CategoryExample {
    pub text: String,
    pub category_id: String,
}

/// The category examples, newest first: appeals whose category an official confirmed or
/// corrected, and answered appeals (answering without correcting the category confirms it).
pub async fn category_examples(db: &Db, limit: i64) -> ServiceResult<Vec<CategoryExample>> {
    Ok(sqlx::query(
        "SELECT text, category_id FROM appeals WHERE answered_at IS NOT NULL \
         OR id IN (SELECT appeal_id FROM category_labels) ORDER BY received_at DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.read)
    .await?
    .into_iter()
    .map(|r| CategoryExample {
        text: r.get(0),
        category_id: r.get(1),
    })
    .collect())
}

/// One example of the routing model: what the appeal said, where, and the body that answered.
pub struct RouteExample {
    pub text: String,
    pub kato: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub org_id: String,
}

/// Answered appeals, newest first: how appeals were actually routed and answered.
pub async fn route_examples(db: &Db, limit: i64) -> ServiceResult<Vec<RouteExample>> {
    Ok(sqlx::query(
        "SELECT text, kato, lat, lon, org_id FROM appeals WHERE answered_at IS NOT NULL \
         ORDER BY received_at DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(&db.read)
    .await?
    .into_iter()
    .map(|r| RouteExample {
        text: r.get(0),
        kato: r.get(1),
        lat: r.get(2),
        lon: r.get(3),
        org_id: r.get(4),
    })
    .collect())
}

/// What the training data looks like now: answered appeals, labels, the latest label's time.
/// A retrain is due when it moved on since the last training.
pub async fn data_mark(db: &Db) -> ServiceResult<(i64, i64, i64)> {
    let answered: i64 = sqlx::query("SELECT COUNT(*) FROM appeals WHERE answered_at IS NOT NULL")
        .fetch_one(&db.read)
        .await?
        .get(0);
    let r = sqlx::query("SELECT COUNT(*), COALESCE(MAX(labelled_at), 0) FROM category_labels")
        .fetch_one(&db.read)
        .await?;
    Ok((answered, r.get(0), r.get(1)))
}

/// An official confirms (`category_id` equal to the appeal's) or corrects its category (the
/// answer says which). The
/// correction moves the statistics and hotspot counters, and re-applies the category part of
/// the sensitive flags; both are journaled and kept as a training example.
pub async fn classify(
    db: &Db,
    reference: &Arc<Reference>,
    settings: &AppealSettings,
    principal: &Principal,
    appeal_id: &str,
    category_id: &str,
) -> ServiceResult<(AppealRow, bool)> {
    if !reference.categories.contains_key(category_id) {
        return Err(ServiceError::invalid(
            "unknown_category",
            "category_id",
            format!("no category with id '{category_id}'"),
        ));
    }
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let row = sqlx::query_as::<_, AppealRow>(&select_sql("WHERE id = $1"))
        .bind(appeal_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(appeal_not_found)?;
    if !access::decide(principal, Op::Read, &row.scope()) {
        return Err(appeal_not_found());
    }
    // Those who may assign the appeal within its body handle it, and so may classify it.
    if !access::decide(principal, Op::Assign, &row.scope()) {
        return Err(ServiceError::Forbidden(
            "only the officials handling the appeal may classify it".into(),
        ));
    }
    let confirmed = row.category_id == category_id;
    let mut next = row.clone();
    if !confirmed {
        next.category_id = category_id.to_string();
        next.updated_at = now;
        next.version += 1;
        let month = chrono::Datelike::month(&settings.terms.local_date(row.received_at));
        let flags = reference.lexicon.flags(&row.text_norm, category_id, month);
        next.sensitive = tyndau_core::sensitive::topics_column(&flags);
        next.sensitive_because = (!flags.is_empty()).then(|| {
            flags
                .iter()
                .map(|f| f.because.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        });
        let res = sqlx::query(
            "UPDATE appeals SET category_id = $1, sensitive = $2, sensitive_because = $3, updated_at = $4, \
             version = $5 WHERE id = $6 AND version = $7",
        )
        .bind(&next.category_id)
        .bind(&next.sensitive)
        .bind(&next.sensitive_because)
        .bind(now)
        .bind(next.version)
        .bind(&row.id)
        .bind(row.version)
        .execute(&mut *tx)
        .await?;
        if res.rows_affected() != 1 {
            return Err(ServiceError::Conflict {
                code: "concurrent_modification",
                message: "the appeal was changed by someone else; reload and try again".into(),
            });
        }
    }
    sqlx::query(
        "INSERT INTO category_labels (appeal_id, category_id, previous_id, labelled_by, labelled_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (appeal_id) DO UPDATE SET category_id = excluded.category_id, \
         previous_id = excluded.previous_id, labelled_by = excluded.labelled_by, labelled_at = excluded.labelled_at",
    )
    .bind(&row.id)
    .bind(category_id)
    .bind(&row.category_id)
    .bind(&principal.user_id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let ev = EventRow {
        id: new_id(),
        appeal_id: row.id.clone(),
        at: now,
        actor_id: Some(principal.user_id.clone()),
        actor_role: principal.role.as_str().to_string(),
        action: "classify".into(),
        from_status: Some(row.status.clone()),
        to_status: row.status.clone(),
        from_org_id: None,
        to_org_id: None,
        reason: None,
        data: Some(
            serde_json::json!({ "from": row.category_id, "to": category_id, "confirmed": confirmed })
                .to_string(),
        ),
    };
    let backend = backend_of(&tx);
    let mut writes = Vec::new();
    insert_events(backend, &[&ev], &mut writes);
    if !confirmed {
        crate::stats::counter_changes(backend, &[&row], &[&next], &settings.terms, &mut writes);
    }
    execute_all(&mut tx, &writes).await?;
    tx.commit().await?;
    Ok((next, confirmed))
}
