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
    // One statement: two savers (two server instances) never both write the same version.
    let r = sqlx::query(
        "INSERT INTO models (kind, version, trained_at, examples, labels, accuracy, bytes) \
         VALUES ($1, 1, $2, $3, $4, $5, $6) ON CONFLICT (kind) DO UPDATE SET version = models.version + 1, \
         trained_at = excluded.trained_at, examples = excluded.examples, labels = excluded.labels, \
         accuracy = excluded.accuracy, bytes = excluded.bytes RETURNING version",
    )
    .bind(kind)
    .bind(now_ms())
    .bind(examples)
    .bind(labels);
    // Through `bind_arg`: a NULL accuracy bound as a plain `Option<f64>` reaches PostgreSQL
    // typed FLOAT4, and the cached statement then refuses the next model's real accuracy.
    let accuracy = crate::db::Arg::Real(accuracy);
    let r = crate::db::bind_arg(r, &accuracy)
        .bind(bytes.to_vec())
        .fetch_one(&db.write)
        .await?;
    Ok(r.get(0))
}

/// The category appeals get when nobody chose one and the classifier is not sure: an official
/// classifies it. Such appeals teach the classifier nothing.
pub const UNCLASSIFIED: &str = "other.other";

/// One example of the category classifier: the text and its category.
pub struct CategoryExample {
    pub text: String,
    pub category_id: String,
}

/// The category examples, newest first: appeals whose category an official confirmed or
/// corrected, and answered appeals (the official answering sees the category, and the advice
/// to correct it, on the appeal's page: answering without correcting confirms it) — except
/// those left unclassified, which say nothing about their subject.
pub async fn category_examples(db: &Db, limit: i64) -> ServiceResult<Vec<CategoryExample>> {
    Ok(sqlx::query(
        "SELECT text, category_id FROM appeals WHERE (answered_at IS NOT NULL AND category_id <> $2) \
         OR id IN (SELECT appeal_id FROM category_labels) ORDER BY received_at DESC LIMIT $1",
    )
    .bind(limit)
    .bind(UNCLASSIFIED)
    .fetch_all(&db.read)
    .await?
    .into_iter()
    .map(|r| CategoryExample {
        text: r.get(0),
        category_id: r.get(1),
    })
    .collect())
}

/// One example of the routing model: what the appeal said, where, its category, and the body
/// that answered.
pub struct RouteExample {
    pub text: String,
    pub kato: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// The routing model's finer label; `None` for an unclassified appeal, whose category says
    /// nothing about the body.
    pub category_id: Option<String>,
    pub org_id: String,
}

/// Answered appeals, newest first: how appeals were actually routed and answered.
pub async fn route_examples(db: &Db, limit: i64) -> ServiceResult<Vec<RouteExample>> {
    Ok(sqlx::query(
        "SELECT text, kato, lat, lon, org_id, category_id FROM appeals \
         WHERE answered_at IS NOT NULL ORDER BY received_at DESC LIMIT $1",
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
        category_id: Some(r.get::<String, _>(5)).filter(|c| c != UNCLASSIFIED),
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
    reference.check_appeal_category(category_id)?;
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
    // What an answer was given on stays as it was: statistics of past months do not move.
    if !row.status().awaits_answer() {
        return Err(ServiceError::Conflict {
            code: "category_locked",
            message: "the appeal is answered or closed: its category stays as it was answered"
                .into(),
        });
    }
    let confirmed = row.category_id == category_id;
    let mut next = row.clone();
    if !confirmed {
        next.category_id = category_id.to_string();
        next.updated_at = now;
        next.version += 1;
        let month = chrono::Datelike::month(&settings.terms.local_date(row.received_at));
        (next.sensitive, next.sensitive_because) =
            reference
                .lexicon
                .columns(&row.text_norm, category_id, month);
        // The category decides the review term (public services are shorter, АППК art. 76):
        // the due date follows it, unless the head has already extended the term.
        let is_ps = |id: &str| {
            reference
                .categories
                .get(id)
                .is_some_and(|c| reference.is_public_service(c))
        };
        if is_ps(&row.category_id) != is_ps(category_id) {
            if row.extensions > 0 {
                return Err(ServiceError::Conflict {
                    code: "category_changes_term",
                    message: "the new category has another review term and this appeal's term \
                              was extended: register it anew or forward it instead"
                        .into(),
                });
            }
            let org = reference
                .orgs
                .get(&row.org_id)
                .ok_or_else(|| anyhow::anyhow!("appeal names a missing organisation"))?;
            let form = tyndau_core::appeal::Form::parse(&row.form)
                .ok_or_else(|| anyhow::anyhow!("stored form"))?;
            let due = crate::appeals::clock(reference, org, &settings.terms).due_date(
                form,
                is_ps(category_id),
                row.registered(),
            );
            next.due_on = due.to_string();
            next.original_due_on = due.to_string();
        }
        let res = sqlx::query(
            "UPDATE appeals SET category_id = $1, sensitive = $2, sensitive_because = $3, updated_at = $4, \
             version = $5, due_on = $8, original_due_on = $9 WHERE id = $6 AND version = $7",
        )
        .bind(&next.category_id)
        .bind(&next.sensitive)
        .bind(&next.sensitive_because)
        .bind(now)
        .bind(next.version)
        .bind(&row.id)
        .bind(row.version)
        .bind(&next.due_on)
        .bind(&next.original_due_on)
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
            serde_json::json!({ "from": row.category_id, "to": category_id, "confirmed": confirmed,
                "due_on": (next.due_on != row.due_on).then_some(&next.due_on) })
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
