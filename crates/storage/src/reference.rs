//! Reference data (territories, categories, organisations, routing rules, calendar), held in
//! memory as an immutable snapshot and replaced whole when an administrator changes it.

use crate::db::Db;
use crate::error::{ServiceError, ServiceResult};
use anyhow::Context;
use serde::Deserialize;
use sqlx::Row;
use std::collections::{HashMap, HashSet};
use tyndau_core::access::Principal;
use tyndau_core::calendar::{Calendar, DayEntry, DayKind, FixedHoliday, WorkWeek};
use tyndau_core::ids::Kato;
use tyndau_core::org::OrgLevel;
use tyndau_core::routing::RoutingRule;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Names {
    pub kk: String,
    pub ru: String,
    pub en: String,
}

impl Names {
    pub fn get(&self, lang: tyndau_core::notify::UiLang) -> &str {
        match lang {
            tyndau_core::notify::UiLang::Kk => &self.kk,
            tyndau_core::notify::UiLang::Ru => &self.ru,
            tyndau_core::notify::UiLang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Territory {
    pub kato: Kato,
    pub parent: Option<Kato>,
    pub level: String,
    pub names: Names,
    pub population: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Category {
    pub id: String,
    pub parent_id: Option<String>,
    pub names: Names,
    pub public_service: bool,
    pub security: bool,
}

#[derive(Debug, Clone)]
pub struct Org {
    pub id: String,
    pub code: String,
    pub names: Names,
    pub level: OrgLevel,
    pub parent_id: Option<String>,
    pub kato: Option<Kato>,
    pub work_week: WorkWeek,
    pub competences: HashSet<String>,
}

/// An immutable snapshot of the reference data.
pub struct Reference {
    pub territories: HashMap<Kato, Territory>,
    pub categories: HashMap<String, Category>,
    pub orgs: HashMap<String, Org>,
    pub rules: Vec<RoutingRule>,
    pub calendar: Calendar,
    pub calendar_entries: Vec<DayEntry>,
    pub fixed_holidays: Vec<FixedHoliday>,
    /// The sensitive-issues lexicon (table `sensitive_terms`) with the rules around it.
    pub lexicon: tyndau_core::sensitive::Lexicon,
    /// The body of each territorial level ([`OrgLevel::is_territorial`]) and territory; `None`
    /// where the registry has more than one, which the level and place then do not name.
    territorial: HashMap<(OrgLevel, Kato), Option<String>>,
}

impl Reference {
    pub async fn load(db: &Db) -> anyhow::Result<Reference> {
        let mut territories = HashMap::new();
        for r in sqlx::query("SELECT kato, parent_kato, level, name_kk, name_ru, name_en, population FROM territories")
            .fetch_all(&db.read)
            .await?
        {
            let kato = Kato::parse(&r.get::<String, _>(0)).context("stored KATO")?;
            let parent: Option<String> = r.get(1);
            territories.insert(
                kato,
                Territory {
                    kato,
                    parent: parent.and_then(|p| Kato::parse(&p).ok()),
                    level: r.get(2),
                    names: Names { kk: r.get(3), ru: r.get(4), en: r.get(5) },
                    population: r.get(6),
                },
            );
        }
        let mut categories = HashMap::new();
        for r in sqlx::query("SELECT id, parent_id, name_kk, name_ru, name_en, public_service, security FROM categories")
            .fetch_all(&db.read)
            .await?
        {
            let id: String = r.get(0);
            categories.insert(
                id.clone(),
                Category {
                    id,
                    parent_id: r.get(1),
                    names: Names { kk: r.get(2), ru: r.get(3), en: r.get(4) },
                    public_service: r.get::<i64, _>(5) != 0,
                    security: r.get::<i64, _>(6) != 0,
                },
            );
        }
        let mut competences: HashMap<String, HashSet<String>> = HashMap::new();
        for r in sqlx::query("SELECT org_id, category_id FROM org_competences")
            .fetch_all(&db.read)
            .await?
        {
            competences.entry(r.get(0)).or_default().insert(r.get(1));
        }
        let mut orgs = HashMap::new();
        for r in sqlx::query(
            "SELECT id, code, name_kk, name_ru, name_en, level, parent_id, kato, work_week FROM organisations",
        )
        .fetch_all(&db.read)
        .await?
        {
            let id: String = r.get(0);
            let kato: Option<String> = r.get(7);
            orgs.insert(
                id.clone(),
                Org {
                    competences: competences.remove(&id).unwrap_or_default(),
                    id,
                    code: r.get(1),
                    names: Names { kk: r.get(2), ru: r.get(3), en: r.get(4) },
                    level: OrgLevel::parse(&r.get::<String, _>(5)).context("stored org level")?,
                    parent_id: r.get(6),
                    kato: kato.and_then(|k| Kato::parse(&k).ok()),
                    work_week: WorkWeek::parse(&r.get::<String, _>(8)).context("stored work week")?,
                },
            );
        }
        let mut rules = Vec::new();
        for r in sqlx::query("SELECT id, category_id, kato, org_id, priority FROM routing_rules")
            .fetch_all(&db.read)
            .await?
        {
            let kato: Option<String> = r.get(2);
            rules.push(RoutingRule {
                id: r.get(0),
                category_id: r.get(1),
                territory: kato.and_then(|k| Kato::parse(&k).ok()),
                org_id: r.get(3),
                priority: r.get(4),
            });
        }
        let calendar_entries = load_calendar_entries(db).await?;
        let (fixed_holidays, _) = tyndau_core::calendar::builtin_data();
        let calendar = Calendar::new(&fixed_holidays, &calendar_entries);
        let lexicon = tyndau_core::sensitive::Lexicon::new(
            Default::default(),
            sensitive_terms(db)
                .await?
                .into_iter()
                .filter_map(|t| t.term)
                .collect(),
        );
        let mut territorial: HashMap<(OrgLevel, Kato), Option<String>> = HashMap::new();
        for o in orgs.values() {
            if let Some(kato) = o.kato.filter(|_| o.level.is_territorial()) {
                territorial
                    .entry((o.level, kato))
                    .and_modify(|id| *id = None)
                    .or_insert_with(|| Some(o.id.clone()));
            }
        }
        Ok(Reference {
            territorial,
            lexicon,
            territories,
            categories,
            orgs,
            rules,
            calendar,
            calendar_entries,
            fixed_holidays,
        })
    }

    /// The body of a territorial `level` whose territory holds `place` (the nearest up its
    /// ancestry), if the registry has exactly one there.
    pub fn territorial_body(&self, level: OrgLevel, place: Kato) -> Option<&Org> {
        place
            .ancestry()
            .iter()
            .find_map(|k| self.territorial.get(&(level, *k)))
            .and_then(|id| self.orgs.get(id.as_deref()?))
    }

    /// Whether `org` is competent for `category` (directly or through the parent category).
    pub fn is_competent(&self, org: &Org, category: &Category) -> bool {
        org.competences.contains(&category.id)
            || category
                .parent_id
                .as_ref()
                .is_some_and(|p| org.competences.contains(p))
    }

    /// The subcategories of a category, sorted (none for a subcategory). The taxonomy is a
    /// few hundred rows at most: a scan costs less than keeping an index in step with it.
    pub fn subcategories(&self, id: &str) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .categories
            .values()
            .filter(|c| c.parent_id.as_deref() == Some(id))
            .map(|c| c.id.as_str())
            .collect();
        v.sort_unstable();
        v
    }

    /// A category by id, or the `unknown_category` refusal.
    pub fn category(&self, id: &str) -> ServiceResult<&Category> {
        self.categories.get(id).ok_or_else(|| {
            ServiceError::invalid(
                "unknown_category",
                "category_id",
                format!("no category with id '{id}'"),
            )
        })
    }

    /// An appeal's category must be a subcategory where the category has them: the
    /// statistics, the classifier and the routing rules all count the subcategory, and a
    /// group of categories would leave it unknown.
    pub fn check_appeal_category(&self, id: &str) -> ServiceResult<&Category> {
        let category = self.category(id)?;
        let subs = self.subcategories(id);
        if !subs.is_empty() {
            return Err(ServiceError::invalid(
                "category_not_specific",
                "category_id",
                format!(
                    "'{id}' is a group of categories; choose one of its subcategories: {}",
                    subs.join(", ")
                ),
            ));
        }
        Ok(category)
    }

    pub fn is_public_service(&self, category: &Category) -> bool {
        category.public_service
            || category
                .parent_id
                .as_ref()
                .and_then(|p| self.categories.get(p))
                .is_some_and(|p| p.public_service)
    }

    pub fn is_security(&self, category: &Category) -> bool {
        category.security
            || category
                .parent_id
                .as_ref()
                .and_then(|p| self.categories.get(p))
                .is_some_and(|p| p.security)
    }

    /// The organisation and every organisation below it.
    pub fn org_subtree(&self, root: &str) -> Vec<String> {
        let edges: Vec<(String, Option<String>)> = self
            .orgs
            .values()
            .map(|o| (o.id.clone(), o.parent_id.clone()))
            .collect();
        let mut out = vec![root.to_string()];
        out.extend(tyndau_core::org::descendants(root, &edges));
        out
    }

    pub fn route(&self, category: &Category, kato: Option<Kato>) -> Option<&RoutingRule> {
        tyndau_core::routing::route(
            &self.rules,
            &category.id,
            category.parent_id.as_deref(),
            kato,
        )
    }
}

async fn load_calendar_entries(db: &Db) -> anyhow::Result<Vec<DayEntry>> {
    let rows =
        sqlx::query("SELECT day, kind, name, moves_if_weekend FROM calendar_days ORDER BY day")
            .fetch_all(&db.read)
            .await?;
    rows.iter()
        .map(|r| {
            let kind = match r.get::<String, _>(1).as_str() {
                "holiday" => DayKind::Holiday,
                "day_off" => DayKind::DayOff,
                _ => DayKind::WorkingDay,
            };
            Ok(DayEntry {
                date: r
                    .get::<String, _>(0)
                    .parse()
                    .context("stored calendar day")?,
                kind,
                name: r.get(2),
                moves_if_weekend: r.get::<i64, _>(3) != 0,
            })
        })
        .collect()
}

pub fn day_kind_str(k: DayKind) -> &'static str {
    match k {
        DayKind::Holiday => "holiday",
        DayKind::DayOff => "day_off",
        DayKind::WorkingDay => "working_day",
    }
}

pub async fn upsert_calendar_day(db: &Db, e: &DayEntry) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO calendar_days (day, kind, name, moves_if_weekend) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name, \
         moves_if_weekend = excluded.moves_if_weekend",
    )
    .bind(e.date.to_string())
    .bind(day_kind_str(e.kind))
    .bind(&e.name)
    .bind(i64::from(e.moves_if_weekend))
    .execute(&db.write)
    .await?;
    Ok(())
}

pub async fn delete_calendar_day(db: &Db, day: chrono::NaiveDate) -> anyhow::Result<bool> {
    let r = sqlx::query("DELETE FROM calendar_days WHERE day = $1")
        .bind(day.to_string())
        .execute(&db.write)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// One row of the sensitive-issues lexicon.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SensitiveTermRow {
    pub id: String,
    pub topic: String,
    pub text: String,
    pub created_at: i64,
    /// The parsed term; `None` for a stored row that no longer parses (kept visible, not used).
    #[serde(skip)]
    pub term: Option<tyndau_core::sensitive::Term>,
}

/// The lexicon as stored, ordered by topic and term.
pub async fn sensitive_terms(db: &Db) -> anyhow::Result<Vec<SensitiveTermRow>> {
    use tyndau_core::sensitive::{Term, Topic};
    Ok(
        sqlx::query("SELECT id, topic, term, created_at FROM sensitive_terms ORDER BY topic, term")
            .fetch_all(&db.read)
            .await?
            .into_iter()
            .map(|r| {
                let topic: String = r.get(1);
                let text: String = r.get(2);
                let term = Topic::parse(&topic).and_then(|t| Term::parse(t, &text).ok());
                SensitiveTermRow {
                    id: r.get(0),
                    topic,
                    text,
                    created_at: r.get(3),
                    term,
                }
            })
            .collect(),
    )
}

/// Adds a term; `Ok(None)` when the same term is already in the topic. An administrator's
/// addition (`by`) is audited in the same transaction: no term without its audit row.
pub async fn add_sensitive_term(
    db: &Db,
    term: &tyndau_core::sensitive::Term,
    by: Option<&Principal>,
) -> anyhow::Result<Option<String>> {
    let id = crate::db::new_id();
    let mut tx = db.begin_write().await?;
    let done = sqlx::query(
        "INSERT INTO sensitive_terms (id, topic, term, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (topic, term) DO NOTHING",
    )
    .bind(&id)
    .bind(term.topic.as_str())
    .bind(term.text())
    .bind(crate::db::now_ms())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(None);
    }
    if let Some(p) = by {
        crate::users::Audit {
            actor_id: &p.user_id,
            actor_role: p.role,
            action: "sensitive_term_added",
            subject_type: "sensitive_term",
            subject_id: &id,
            detail: Some(&format!("{}: {}", term.topic, term.text())),
        }
        .write(&mut tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Some(id))
}

/// Removes a term, audited in the same transaction; its topic and text, or `None` when there
/// was none with that id.
pub async fn delete_sensitive_term(
    db: &Db,
    id: &str,
    by: &Principal,
) -> anyhow::Result<Option<(String, String)>> {
    let mut tx = db.begin_write().await?;
    let Some((topic, term)) =
        sqlx::query("DELETE FROM sensitive_terms WHERE id = $1 RETURNING topic, term")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
    else {
        return Ok(None);
    };
    crate::users::Audit {
        actor_id: &by.user_id,
        actor_role: by.role,
        action: "sensitive_term_removed",
        subject_type: "sensitive_term",
        subject_id: id,
        detail: Some(&format!("{topic}: {term}")),
    }
    .write(&mut tx)
    .await?;
    tx.commit().await?;
    Ok(Some((topic, term)))
}

pub const SENSITIVE_TERMS_SEED: &str = include_str!("../../../reference/sensitive_terms.json");

/// Fills an empty lexicon from `reference/sensitive_terms.json` (a new database, or one from
/// before the lexicon existed).
pub async fn seed_sensitive_terms_if_empty(db: &Db) -> anyhow::Result<bool> {
    use tyndau_core::sensitive::{Term, Topic};
    #[derive(serde::Deserialize)]
    struct Seed {
        terms: Vec<(String, String)>,
    }
    if sqlx::query("SELECT 1 FROM sensitive_terms LIMIT 1")
        .fetch_optional(&db.read)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let seed: Seed =
        serde_json::from_str(SENSITIVE_TERMS_SEED).context("reference/sensitive_terms.json")?;
    for (topic, text) in seed.terms {
        let topic = Topic::parse(&topic)
            .with_context(|| format!("sensitive_terms.json: unknown topic {topic}"))?;
        let term = Term::parse(topic, &text)
            .with_context(|| format!("sensitive_terms.json: bad term {text}"))?;
        add_sensitive_term(db, &term, None).await?;
    }
    Ok(true)
}

/// The shipped reference data of Kazakhstan (`reference/kz.json`).
#[derive(Debug, Deserialize)]
pub struct ReferenceFile {
    pub territories: Vec<TerritoryRow>,
    pub categories: Vec<CategoryRow>,
    pub organisations: Vec<OrgRow>,
    pub routing_rules: Vec<RuleRow>,
}

#[derive(Debug, Deserialize)]
pub struct TerritoryRow {
    pub kato: String,
    pub parent: Option<String>,
    pub level: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub population: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct CategoryRow {
    pub id: String,
    pub parent: Option<String>,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    #[serde(default)]
    pub public_service: bool,
    #[serde(default)]
    pub security: bool,
}

#[derive(Debug, Deserialize)]
pub struct OrgRow {
    pub id: String,
    pub code: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub level: String,
    pub parent: Option<String>,
    pub kato: Option<String>,
    #[serde(default = "five_day")]
    pub work_week: String,
    #[serde(default)]
    pub competences: Vec<String>,
}

fn five_day() -> String {
    "five_day".into()
}

#[derive(Debug, Deserialize)]
pub struct RuleRow {
    pub id: String,
    pub category: Option<String>,
    pub kato: Option<String>,
    pub org: String,
    #[serde(default)]
    pub priority: i64,
}

pub const KZ_REFERENCE: &str = include_str!("../../../reference/kz.json");

/// Loads the shipped reference data and calendar into an empty database. Does nothing when
/// organisations already exist, so a country's own data is never overwritten.
pub async fn seed_if_empty(db: &Db) -> anyhow::Result<bool> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM organisations")
        .fetch_one(&db.read)
        .await?;
    if n > 0 {
        return Ok(false);
    }
    let data: ReferenceFile = serde_json::from_str(KZ_REFERENCE).context("reference/kz.json")?;
    let mut tx = db.begin_write().await?;
    // Parents before children: the file lists them in that order, which foreign keys require.
    let level_rank = |l: &str| {
        ["region", "district", "rural_okrug", "settlement"]
            .iter()
            .position(|x| *x == l)
    };
    let mut territories: Vec<&TerritoryRow> = data.territories.iter().collect();
    territories.sort_by_key(|t| level_rank(&t.level));
    for t in territories {
        sqlx::query("INSERT INTO territories (kato, parent_kato, level, name_kk, name_ru, name_en, population) VALUES ($1,$2,$3,$4,$5,$6,$7)")
            .bind(&t.kato).bind(&t.parent).bind(&t.level).bind(&t.name_kk).bind(&t.name_ru).bind(&t.name_en).bind(t.population)
            .execute(&mut *tx).await.with_context(|| format!("territory {}", t.kato))?;
    }
    for c in &data.categories {
        sqlx::query("INSERT INTO categories (id, parent_id, name_kk, name_ru, name_en, public_service, security) VALUES ($1,$2,$3,$4,$5,$6,$7)")
            .bind(&c.id).bind(&c.parent).bind(&c.name_kk).bind(&c.name_ru).bind(&c.name_en)
            .bind(i64::from(c.public_service)).bind(i64::from(c.security))
            .execute(&mut *tx).await.with_context(|| format!("category {}", c.id))?;
    }
    // Organisations may name parents listed later: insert without parents, then link.
    for o in &data.organisations {
        sqlx::query("INSERT INTO organisations (id, code, name_kk, name_ru, name_en, level, parent_id, kato, work_week) VALUES ($1,$2,$3,$4,$5,$6,NULL,$7,$8)")
            .bind(&o.id).bind(&o.code).bind(&o.name_kk).bind(&o.name_ru).bind(&o.name_en).bind(&o.level).bind(&o.kato).bind(&o.work_week)
            .execute(&mut *tx).await.with_context(|| format!("organisation {}", o.id))?;
    }
    for o in &data.organisations {
        if let Some(p) = &o.parent {
            sqlx::query("UPDATE organisations SET parent_id = $1 WHERE id = $2")
                .bind(p)
                .bind(&o.id)
                .execute(&mut *tx)
                .await?;
        }
        for c in &o.competences {
            sqlx::query("INSERT INTO org_competences (org_id, category_id) VALUES ($1, $2)")
                .bind(&o.id)
                .bind(c)
                .execute(&mut *tx)
                .await
                .with_context(|| format!("competence {} of {}", c, o.id))?;
        }
    }
    for r in &data.routing_rules {
        sqlx::query("INSERT INTO routing_rules (id, category_id, kato, org_id, priority) VALUES ($1,$2,$3,$4,$5)")
            .bind(&r.id).bind(&r.category).bind(&r.kato).bind(&r.org).bind(r.priority)
            .execute(&mut *tx).await.with_context(|| format!("routing rule {}", r.id))?;
    }
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM calendar_days")
        .fetch_one(&mut *tx)
        .await?;
    if n == 0 {
        for e in tyndau_core::calendar::builtin_data().1 {
            sqlx::query("INSERT INTO calendar_days (day, kind, name, moves_if_weekend) VALUES ($1,$2,$3,$4)")
                .bind(e.date.to_string()).bind(day_kind_str(e.kind)).bind(&e.name).bind(i64::from(e.moves_if_weekend))
                .execute(&mut *tx).await?;
        }
    }
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_20_regions_have_their_kato_codes_kz_rules_6() {
        let data: ReferenceFile = serde_json::from_str(KZ_REFERENCE).unwrap();
        let mut regions: Vec<(&str, &str)> = data
            .territories
            .iter()
            .filter(|t| t.level == "region")
            .map(|t| (t.kato.as_str(), t.name_en.as_str()))
            .collect();
        regions.sort();
        let codes: Vec<&str> = regions.iter().map(|r| r.0).collect();
        assert_eq!(
            codes,
            [
                "100000000",
                "110000000",
                "150000000",
                "190000000",
                "230000000",
                "270000000",
                "310000000",
                "330000000",
                "350000000",
                "390000000",
                "430000000",
                "470000000",
                "550000000",
                "590000000",
                "610000000",
                "620000000",
                "630000000",
                "710000000",
                "750000000",
                "790000000"
            ]
        );
        for t in &data.territories {
            let k = Kato::parse(&t.kato).unwrap();
            if let Some(p) = &t.parent {
                assert!(
                    k.is_within(&Kato::parse(p).unwrap()),
                    "{} is not inside its parent {p}",
                    t.kato
                );
            }
        }
    }

    #[test]
    fn reference_file_references_resolve() {
        let data: ReferenceFile = serde_json::from_str(KZ_REFERENCE).unwrap();
        let cats: HashSet<&str> = data.categories.iter().map(|c| c.id.as_str()).collect();
        let orgs: HashSet<&str> = data.organisations.iter().map(|o| o.id.as_str()).collect();
        for o in &data.organisations {
            assert!(OrgLevel::parse(&o.level).is_some(), "{}", o.id);
            for c in &o.competences {
                assert!(
                    cats.contains(c.as_str()),
                    "{} names unknown category {c}",
                    o.id
                );
            }
        }
        for r in &data.routing_rules {
            assert!(orgs.contains(r.org.as_str()), "{}", r.id);
        }
        assert!(
            data.routing_rules
                .iter()
                .any(|r| r.category.is_none() && r.kato.is_none()),
            "a fallback rule exists"
        );
    }
}
