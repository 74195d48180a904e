//! Sensitive appeals for priority control (issue 5, item 8): the flagged appeals, newest first.
//! Flags are set at registration (`appeals::prepare`, from the lexicon in the reference
//! snapshot); the partial index `appeals_sensitive` keeps this read proportional to the flagged
//! appeals, not to all of them.

use sqlx::Row;

use crate::db::Db;
use crate::error::ServiceResult;

/// One flagged appeal as supervisors see it (no personal data of the applicant).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SensitiveAppeal {
    pub id: String,
    pub reg_no: String,
    /// RFC 3339 in the API, as every other time there.
    #[serde(serialize_with = "rfc3339_millis")]
    pub received_at: i64,
    pub registered_on: String,
    pub due_on: String,
    pub status: String,
    pub org_id: String,
    pub category_id: String,
    pub kato: Option<String>,
    /// Topics, in the order of `tyndau_core::sensitive::Topic`.
    pub topics: Vec<String>,
    /// The terms (or `category:<id>`) that flagged it.
    pub because: String,
    pub text: String,
}

fn rfc3339_millis<S: serde::Serializer>(ms: &i64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(
        &chrono::DateTime::from_timestamp_millis(*ms)
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
            .unwrap_or_default(),
    )
}

/// Flagged appeals, newest first: of one topic or all, open ones only or all.
pub async fn flagged(
    db: &Db,
    topic: Option<tyndau_core::sensitive::Topic>,
    open_only: bool,
    limit: i64,
) -> ServiceResult<Vec<SensitiveAppeal>> {
    let mut sql = String::from(
        "SELECT id, reg_no, received_at, registered_on, due_on, status, org_id, category_id, kato, \
         sensitive, sensitive_because, text FROM appeals WHERE sensitive IS NOT NULL",
    );
    if open_only {
        sql.push_str(&format!(
            " AND status IN ({})",
            crate::stats::open_statuses_sql()
        ));
    }
    // Topics are a fixed vocabulary of snake_case words, so a match on the comma-separated list
    // with its delimiters is exact.
    let pattern = topic.map(|t| format!("%,{},%", t.as_str()));
    if pattern.is_some() {
        sql.push_str(" AND (',' || sensitive || ',') LIKE $2");
    }
    sql.push_str(" ORDER BY received_at DESC LIMIT $1");
    let mut q = sqlx::query(&sql).bind(limit);
    if let Some(p) = &pattern {
        q = q.bind(p.as_str());
    }
    Ok(q.fetch_all(&db.read)
        .await?
        .into_iter()
        .map(|r| SensitiveAppeal {
            id: r.get(0),
            reg_no: r.get(1),
            received_at: r.get(2),
            registered_on: r.get(3),
            due_on: r.get(4),
            status: r.get(5),
            org_id: r.get(6),
            category_id: r.get(7),
            kato: r.get(8),
            topics: r.get::<String, _>(9).split(',').map(String::from).collect(),
            because: r.get::<Option<String>, _>(10).unwrap_or_default(),
            text: r.get(11),
        })
        .collect())
}

/// Open flagged appeals per topic.
pub async fn open_by_topic(db: &Db) -> ServiceResult<Vec<(String, i64)>> {
    let mut counts: std::collections::BTreeMap<tyndau_core::sensitive::Topic, i64> =
        Default::default();
    let sql = format!(
        "SELECT sensitive, COUNT(*) FROM appeals WHERE sensitive IS NOT NULL \
         AND status IN ({}) GROUP BY sensitive",
        crate::stats::open_statuses_sql()
    );
    for r in sqlx::query(&sql).fetch_all(&db.read).await? {
        let topics: String = r.get(0);
        for t in topics
            .split(',')
            .filter_map(tyndau_core::sensitive::Topic::parse)
        {
            *counts.entry(t).or_default() += r.get::<i64, _>(1);
        }
    }
    Ok(counts
        .into_iter()
        .map(|(t, n)| (t.as_str().to_string(), n))
        .collect())
}
