//! Hidden public services (issue 5, item 9): the registry of public services that
//! administrators keep, and the recurring applications that none of them covers — clusters of a
//! period's application-form appeals (`tyndau_analytics::topics`) that no registered service
//! matches, with their volume.

use anyhow::Context;
use chrono::NaiveDate;
use sqlx::Row;
use tyndau_core::access::Principal;
use tyndau_core::deadlines::Terms;
use tyndau_core::text::normalize;

use crate::db::{Db, now_ms};
use crate::error::{ServiceError, ServiceResult};

/// One registered public service.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PublicService {
    pub id: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub category_id: Option<String>,
    /// Phrases separated by ';'.
    pub keywords: String,
}

/// The keyword phrases of a service, each as the normalised word prefixes it needs.
pub fn phrases(keywords: &str) -> Vec<Vec<String>> {
    keywords
        .split(';')
        .map(|p| {
            normalize(p)
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(String::from)
                .collect::<Vec<_>>()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// Checks and normalises keywords as an administrator typed them.
pub fn clean_keywords(keywords: &str) -> ServiceResult<String> {
    let ps = phrases(keywords);
    // Separators or punctuation alone would be stored as no keywords, which covers every
    // application of the category: not what was typed.
    if ps.is_empty() && !keywords.trim().is_empty() {
        return Err(ServiceError::invalid(
            "no_keyword_phrase",
            "keywords",
            "the keywords hold no phrase: write words separated by ';', or leave them empty",
        ));
    }
    if ps.iter().flatten().any(|w| w.chars().count() < 3) {
        return Err(ServiceError::invalid(
            "keyword_too_short",
            "keywords",
            "every word of a keyword phrase needs at least three letters",
        ));
    }
    Ok(ps
        .iter()
        .map(|p| p.join(" "))
        .collect::<Vec<_>>()
        .join("; "))
}

impl PublicService {
    /// Whether the service covers an appeal of `category_id` with this normalised text.
    pub fn covers(&self, category_id: &str, text_norm: &str, phrases: &[Vec<String>]) -> bool {
        let category_ok = match &self.category_id {
            None => true,
            Some(c) => category_id == c || category_id.starts_with(&format!("{c}.")),
        };
        if !category_ok {
            return false;
        }
        if phrases.is_empty() {
            return true;
        }
        let words: Vec<&str> = text_norm.split(' ').collect();
        phrases.iter().any(|p| {
            p.iter()
                .all(|stem| words.iter().any(|w| w.starts_with(stem.as_str())))
        })
    }
}

pub async fn list(db: &Db) -> ServiceResult<Vec<PublicService>> {
    Ok(sqlx::query(
        "SELECT id, name_kk, name_ru, name_en, category_id, keywords FROM public_services ORDER BY name_en",
    )
    .fetch_all(&db.read)
    .await?
    .into_iter()
    .map(|r| PublicService {
        id: r.get(0),
        name_kk: r.get(1),
        name_ru: r.get(2),
        name_en: r.get(3),
        category_id: r.get(4),
        keywords: r.get(5),
    })
    .collect())
}

/// Adds a service; the id must be new. An administrator's addition (`by`) is audited in the
/// same transaction: no change to the registry without its audit row.
pub async fn add(db: &Db, s: &PublicService, by: Option<&Principal>) -> ServiceResult<()> {
    // Such a service would cover every application, and the hidden-service report would be
    // empty whatever citizens ask for.
    if s.category_id.is_none() && s.keywords.is_empty() {
        return Err(ServiceError::invalid(
            "service_covers_everything",
            "keywords",
            "a service needs a category or keywords: one with neither would cover every application",
        ));
    }
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "INSERT INTO public_services (id, name_kk, name_ru, name_en, category_id, keywords, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&s.id)
    .bind(&s.name_kk)
    .bind(&s.name_ru)
    .bind(&s.name_en)
    .bind(&s.category_id)
    .bind(&s.keywords)
    .bind(now_ms())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(ServiceError::Conflict {
            code: "duplicate_service",
            message: format!("a service with id '{}' is already registered", s.id),
        });
    }
    if let Some(p) = by {
        crate::users::Audit {
            actor_id: &p.user_id,
            actor_role: p.role,
            action: "public_service_added",
            subject_type: "public_service",
            subject_id: &s.id,
            detail: Some(&format!(
                "{} [{}] {}",
                s.name_en,
                s.category_id.as_deref().unwrap_or("any category"),
                s.keywords
            )),
        }
        .write(&mut tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Removes a service, audited in the same transaction; its English name, or `None` when there
/// was none.
pub async fn remove(db: &Db, id: &str, by: &Principal) -> ServiceResult<Option<String>> {
    let mut tx = db.begin_write().await?;
    let Some(name) = sqlx::query("DELETE FROM public_services WHERE id = $1 RETURNING name_en")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.get::<String, _>(0))
    else {
        return Ok(None);
    };
    crate::users::Audit {
        actor_id: &by.user_id,
        actor_role: by.role,
        action: "public_service_removed",
        subject_type: "public_service",
        subject_id: id,
        detail: Some(&name),
    }
    .write(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(Some(name))
}

pub const SEED: &str = include_str!("../../../reference/public_services.json");

/// Fills an empty registry from `reference/public_services.json`.
pub async fn seed_if_empty(db: &Db) -> anyhow::Result<bool> {
    #[derive(serde::Deserialize)]
    struct Seed {
        services: Vec<SeedRow>,
    }
    #[derive(serde::Deserialize)]
    struct SeedRow {
        id: String,
        kk: String,
        ru: String,
        en: String,
        category: Option<String>,
        keywords: String,
    }
    if sqlx::query("SELECT 1 FROM public_services LIMIT 1")
        .fetch_optional(&db.read)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let seed: Seed = serde_json::from_str(SEED).context("reference/public_services.json")?;
    for r in seed.services {
        let keywords = clean_keywords(&r.keywords)
            .map_err(|e| anyhow::anyhow!("public_services.json {}: {e:?}", r.id))?;
        add(
            db,
            &PublicService {
                id: r.id,
                name_kk: r.kk,
                name_ru: r.ru,
                name_en: r.en,
                category_id: r.category,
                keywords,
            },
            None,
        )
        .await
        .map_err(|e| anyhow::anyhow!("seeding public services: {e:?}"))?;
    }
    Ok(true)
}

/// A recurring request that no registered service covers.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct HiddenService {
    pub category_id: String,
    /// How many applications of the period ask for it.
    pub volume: usize,
    /// The words that characterise it, heaviest first.
    pub terms: Vec<String>,
    /// The registration numbers and ids of a few of them, newest first.
    pub examples: Vec<(String, String)>,
    /// The text of the newest one.
    pub sample: String,
}

/// The least cosine similarity of an application to a topic for it to join (binary stem
/// vectors: about half of the stems shared).
pub const TOPIC_SIMILARITY: f32 = 0.35;

/// How many of a period's applications the finder reads (the newest).
pub const MAX_APPLICATIONS: i64 = 50_000;

/// Bumped when the finder's method changes, so that reports stored by the old one are stale.
const METHOD_VERSION: u32 = 2;

/// What a report depends on besides the period's applications: the method, the least volume,
/// and what the registry covers (each service's category and keywords; names and ids cover
/// nothing). Any change to the registry that can change the report changes it.
pub fn fingerprint(services: &[PublicService], min_volume: usize) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(
        format!(
            "v{METHOD_VERSION} {TOPIC_SIMILARITY} {MAX_APPLICATIONS} {MAX_HIDDEN} {min_volume}"
        )
        .as_bytes(),
    );
    let mut covers: Vec<(&str, &str)> = services
        .iter()
        .map(|s| (s.category_id.as_deref().unwrap_or(""), s.keywords.as_str()))
        .collect();
    covers.sort_unstable();
    for (category, keywords) in covers {
        // Separators that neither part can contain keep ("a", "bc") apart from ("ab", "c").
        h.update([0]);
        h.update(category.as_bytes());
        h.update([1]);
        h.update(keywords.as_bytes());
    }
    hex::encode(&h.finalize()[..16])
}

/// The registry's current fingerprint (see `fingerprint`).
pub async fn current_fingerprint(db: &Db, min_volume: usize) -> ServiceResult<String> {
    Ok(fingerprint(&list(db).await?, min_volume))
}

/// A hidden-services report: the period, what it was computed from, and the result.
#[derive(Debug, Clone)]
pub struct HiddenReport {
    /// First and last local day of the period, both included.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub min_volume: usize,
    /// The registry's fingerprint when the report was computed.
    pub fingerprint: String,
    /// When the computation started (the applications are those registered before).
    pub computed_at: i64,
    /// How many applications of the period were read (at most `MAX_APPLICATIONS`, the newest).
    pub applications: usize,
    pub hidden: Vec<HiddenService>,
}

impl HiddenReport {
    /// Whether the report still answers for the period ending `today` under the registry whose
    /// fingerprint is `fingerprint`.
    pub fn is_current(&self, today: NaiveDate, fingerprint: &str) -> bool {
        self.to == today && self.fingerprint == fingerprint
    }
}

/// Clusters the applications received from local day `from` to `to` (both included) and
/// returns the clusters of at least `min_volume` appeals that no service covers (a service
/// covers a cluster when it covers at least half of its appeals), largest first.
pub async fn hidden_services(
    db: &Db,
    terms: &Terms,
    from: NaiveDate,
    to: NaiveDate,
    min_volume: usize,
) -> ServiceResult<HiddenReport> {
    let computed_at = now_ms();
    // The registry is read before the applications: a change to it after this point leaves a
    // fingerprint that differs from the registry's, so the report is stale, never wrongly fresh.
    let services = list(db).await?;
    let fingerprint = fingerprint(&services, min_volume);
    // The normalised texts only: the originals of the few examples shown are read afterwards.
    let rows = sqlx::query(
        "SELECT id, reg_no, category_id, text_norm FROM appeals \
         WHERE form = 'application' AND received_at >= $1 AND received_at < $2 \
         ORDER BY received_at DESC LIMIT $3",
    )
    .bind(terms.local_midnight_ms(from))
    .bind(terms.local_midnight_ms(to + chrono::Duration::days(1)))
    .bind(MAX_APPLICATIONS)
    .fetch_all(&db.read)
    .await?;
    let apps: Vec<(String, String, String, String)> = rows
        .into_iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    let applications = apps.len();
    // Clustering tens of thousands of texts is CPU work: off the async threads.
    let mut hidden = tokio::task::spawn_blocking(move || find_hidden(&apps, &services, min_volume))
        .await
        .map_err(|e| anyhow::anyhow!("hidden-service clustering: {e}"))?;
    hidden.truncate(MAX_HIDDEN);
    for h in &mut hidden {
        if let Some((_, id)) = h.examples.first() {
            h.sample = sqlx::query("SELECT text FROM appeals WHERE id = $1")
                .bind(id)
                .fetch_optional(&db.read)
                .await?
                .map(|r| r.get(0))
                .unwrap_or_default();
        }
    }
    Ok(HiddenReport {
        from,
        to,
        min_volume,
        fingerprint,
        computed_at,
        applications,
        hidden,
    })
}

/// Computes the report of the standard period of `period_days` days ending `today` and stores
/// it (unless a later computation is stored already; see `store_report`).
pub async fn refresh_report(
    db: &Db,
    terms: &Terms,
    period_days: i64,
    today: NaiveDate,
    min_volume: usize,
) -> ServiceResult<HiddenReport> {
    let from = today - chrono::Duration::days(period_days);
    let report = hidden_services(db, terms, from, today, min_volume).await?;
    store_report(db, period_days, &report).await?;
    Ok(report)
}

/// The stored report of the standard period of `period_days` days before its last day.
pub async fn stored_report(db: &Db, period_days: i64) -> ServiceResult<Option<HiddenReport>> {
    let Some(r) = sqlx::query(
        "SELECT from_day, to_day, min_volume, fingerprint, computed_at, applications, report \
         FROM hidden_service_reports WHERE period_days = $1",
    )
    .bind(period_days)
    .fetch_optional(&db.read)
    .await?
    else {
        return Ok(None);
    };
    let day = |i: usize| -> anyhow::Result<NaiveDate> {
        r.get::<String, _>(i)
            .parse()
            .context("a stored report's day")
    };
    Ok(Some(HiddenReport {
        from: day(0)?,
        to: day(1)?,
        min_volume: r.get::<i64, _>(2) as usize,
        fingerprint: r.get(3),
        computed_at: r.get(4),
        applications: r.get::<i64, _>(5) as usize,
        hidden: serde_json::from_str(&r.get::<String, _>(6)).context("a stored report")?,
    }))
}

/// Stores `report` as the one of its standard period, unless a computation that started later
/// is stored already (two nodes, or the worker and a reader, computing at once: the newer
/// result wins whichever finishes last). Whether it was stored.
pub async fn store_report(db: &Db, period_days: i64, report: &HiddenReport) -> ServiceResult<bool> {
    let json = serde_json::to_string(&report.hidden).context("serialising a report")?;
    let done = sqlx::query(
        "INSERT INTO hidden_service_reports \
         (period_days, from_day, to_day, min_volume, fingerprint, computed_at, applications, report) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (period_days) DO UPDATE SET from_day = excluded.from_day, \
         to_day = excluded.to_day, min_volume = excluded.min_volume, \
         fingerprint = excluded.fingerprint, computed_at = excluded.computed_at, \
         applications = excluded.applications, report = excluded.report \
         WHERE hidden_service_reports.computed_at <= excluded.computed_at",
    )
    .bind(period_days)
    .bind(report.from.to_string())
    .bind(report.to.to_string())
    .bind(report.min_volume as i64)
    .bind(&report.fingerprint)
    .bind(report.computed_at)
    .bind(report.applications as i64)
    .bind(json)
    .execute(&db.write)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The most recurring requests listed at once.
pub const MAX_HIDDEN: usize = 100;

/// (id, reg_no, category, normalised text), newest first → the uncovered topics, largest first.
fn find_hidden(
    apps: &[(String, String, String, String)],
    services: &[PublicService],
    min_volume: usize,
) -> Vec<HiddenService> {
    let service_phrases: Vec<Vec<Vec<String>>> =
        services.iter().map(|s| phrases(&s.keywords)).collect();
    let by_id: std::collections::HashMap<&str, usize> = apps
        .iter()
        .enumerate()
        .map(|(i, a)| (a.0.as_str(), i))
        .collect();
    // Oldest first, so that clusters grow from the first appeals on a subject.
    let docs: Vec<tyndau_analytics::topics::Doc> = apps
        .iter()
        .rev()
        .map(|a| tyndau_analytics::topics::Doc {
            id: &a.0,
            group: &a.2,
            text_norm: &a.3,
        })
        .collect();
    let topics = tyndau_analytics::topics::cluster(&docs, TOPIC_SIMILARITY);
    let mut out = Vec::new();
    for t in topics {
        if t.members.len() < min_volume {
            continue;
        }
        let members: Vec<&(String, String, String, String)> =
            t.members.iter().map(|m| &apps[by_id[m.as_str()]]).collect();
        let covered = services.iter().zip(&service_phrases).any(|(s, p)| {
            let n = members.iter().filter(|a| s.covers(&a.2, &a.3, p)).count();
            n * 2 >= members.len()
        });
        if covered {
            continue;
        }
        let newest: Vec<_> = members.iter().rev().take(5).collect();
        out.push(HiddenService {
            category_id: t.group.clone(),
            volume: members.len(),
            terms: t.terms.clone(),
            examples: newest.iter().map(|a| (a.1.clone(), a.0.clone())).collect(),
            sample: String::new(),
        });
    }
    out
}
