//! Petitions: their rows, their journal, the signing writer's batch, counts, invalidations and
//! discussion. Which transitions are legal is `tyndau_core::petition`; who may make them is decided
//! by the web layer in the `check` closure that `act` runs against the row it locked.

use crate::appeals::{Actor, row_chunks};
use crate::conn::BatchConn;
use crate::db::{Arg, Backend, Db, Stmt, new_id, now_ms, values_placeholders};
use crate::error::{ServiceError, ServiceResult};
use crate::reference::{Org, Reference};
use chrono::NaiveDate;
use sqlx::Row;
use std::collections::HashMap;
use tyndau_core::appeal::Language;
use tyndau_core::calendar::WorkWeek;
use tyndau_core::deadlines::{Clock, Terms};
use tyndau_core::org::OrgLevel;
use tyndau_core::petition::{
    CollectionMode, Decision, PetitionAction, PetitionRules, PetitionStatus, SignatureChannel,
    transition,
};

#[derive(Debug, Clone, serde::Serialize)]
pub struct PetitionRow {
    pub id: String,
    pub status: String,
    pub title: String,
    pub text: String,
    pub proposals: String,
    pub language: String,
    pub addressee_org_id: String,
    pub kato: Option<String>,
    pub collection_mode: String,
    pub author_id: String,
    pub author_name: String,
    pub author_public_name: String,
    pub author_iin: Option<String>,
    pub author_email: Option<String>,
    pub author_address: Option<String>,
    pub representative_authority: Option<String>,
    pub threshold: i64,
    pub signature_count: i64,
    pub submitted_on: Option<String>,
    pub moderation_due_on: Option<String>,
    pub moderator_id: Option<String>,
    pub admitted_on: Option<String>,
    pub link_only_due_on: Option<String>,
    pub public_from: Option<String>,
    pub collection_ends_on: Option<String>,
    pub threshold_reached_at: Option<i64>,
    pub registered_on: Option<String>,
    pub review_due_on: Option<String>,
    pub working_group: Option<String>,
    pub decision: Option<String>,
    pub decision_text: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub rejection_subject: Option<String>,
    pub rejection_reason: Option<String>,
    pub overdue: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
}

const COLS: &str = "id, status, title, text, proposals, language, addressee_org_id, kato, collection_mode, \
    author_id, author_name, author_public_name, author_iin, author_email, author_address, representative_authority, \
    threshold, signature_count, submitted_on, moderation_due_on, moderator_id, admitted_on, link_only_due_on, \
    public_from, collection_ends_on, threshold_reached_at, registered_on, review_due_on, working_group, decision, \
    decision_text, decided_by, decided_at, rejection_subject, rejection_reason, overdue, created_at, updated_at, version";

fn from_row(r: &sqlx::any::AnyRow) -> PetitionRow {
    PetitionRow {
        id: r.get(0),
        status: r.get(1),
        title: r.get(2),
        text: r.get(3),
        proposals: r.get(4),
        language: r.get(5),
        addressee_org_id: r.get(6),
        kato: r.get(7),
        collection_mode: r.get(8),
        author_id: r.get(9),
        author_name: r.get(10),
        author_public_name: r.get(11),
        author_iin: r.get(12),
        author_email: r.get(13),
        author_address: r.get(14),
        representative_authority: r.get(15),
        threshold: r.get(16),
        signature_count: r.get(17),
        submitted_on: r.get(18),
        moderation_due_on: r.get(19),
        moderator_id: r.get(20),
        admitted_on: r.get(21),
        link_only_due_on: r.get(22),
        public_from: r.get(23),
        collection_ends_on: r.get(24),
        threshold_reached_at: r.get(25),
        registered_on: r.get(26),
        review_due_on: r.get(27),
        working_group: r.get(28),
        decision: r.get(29),
        decision_text: r.get(30),
        decided_by: r.get(31),
        decided_at: r.get(32),
        rejection_subject: r.get(33),
        rejection_reason: r.get(34),
        overdue: r.get(35),
        created_at: r.get(36),
        updated_at: r.get(37),
        version: r.get(38),
    }
}

impl PetitionRow {
    pub fn status(&self) -> PetitionStatus {
        PetitionStatus::parse(&self.status).expect("stored status is valid")
    }
}

pub fn petition_not_found() -> ServiceError {
    ServiceError::not_found("petition_not_found", "petition")
}

/// A new draft; the author's filing data comes from their account (KZ_RULES §3: full name, IIN,
/// residence, e-mail).
#[derive(Debug, Clone)]
pub struct NewPetition {
    pub title: String,
    pub text: String,
    pub proposals: String,
    pub language: Language,
    pub addressee_org_id: String,
    pub kato: Option<String>,
    pub collection_mode: CollectionMode,
    pub representative_authority: Option<String>,
    pub author_id: String,
    pub author_name: String,
    pub author_public_name: String,
    pub author_iin: Option<String>,
    pub author_email: Option<String>,
    pub author_address: Option<String>,
    pub threshold: i64,
}

pub async fn create(db: &Db, p: &NewPetition, actor: &Actor) -> ServiceResult<PetitionRow> {
    let id = new_id();
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    sqlx::query(
        "INSERT INTO petitions (id, status, title, text, proposals, language, addressee_org_id, kato, collection_mode, \
         author_id, author_name, author_public_name, author_iin, author_email, author_address, representative_authority, \
         threshold, created_at, updated_at) VALUES ($1,'draft',$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$17)",
    )
    .bind(&id)
    .bind(&p.title)
    .bind(&p.text)
    .bind(&p.proposals)
    .bind(p.language.as_str())
    .bind(&p.addressee_org_id)
    .bind(&p.kato)
    .bind(p.collection_mode.as_str())
    .bind(&p.author_id)
    .bind(&p.author_name)
    .bind(&p.author_public_name)
    .bind(&p.author_iin)
    .bind(&p.author_email)
    .bind(&p.author_address)
    .bind(&p.representative_authority)
    .bind(p.threshold)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    insert_event(
        &mut tx,
        &id,
        now,
        actor,
        PetitionAction::Create,
        None,
        PetitionStatus::Draft,
        None,
        None,
    )
    .await?;
    tx.commit().await?;
    get(db, &id).await?.ok_or_else(petition_not_found)
}

#[allow(clippy::too_many_arguments)]
async fn insert_event(
    tx: &mut sqlx::AnyConnection,
    petition_id: &str,
    at: i64,
    actor: &Actor,
    action: PetitionAction,
    from: Option<PetitionStatus>,
    to: PetitionStatus,
    reason: Option<&str>,
    data: Option<&serde_json::Value>,
) -> ServiceResult<()> {
    sqlx::query("INSERT INTO petition_events (id, petition_id, at, actor_id, actor_role, action, from_status, to_status, reason, data) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)")
        .bind(new_id())
        .bind(petition_id)
        .bind(at)
        .bind(&actor.id)
        .bind(&actor.role)
        .bind(action.as_str())
        .bind(from.map(|s| s.as_str()))
        .bind(to.as_str())
        .bind(reason)
        .bind(data.map(|d| d.to_string()))
        .execute(&mut *tx)
        .await?;
    Ok(())
}

pub async fn get(db: &Db, id: &str) -> ServiceResult<Option<PetitionRow>> {
    let r = sqlx::query(&format!("SELECT {COLS} FROM petitions WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.read)
        .await?;
    Ok(r.as_ref().map(from_row))
}

fn lock_suffix(backend: Backend) -> &'static str {
    match backend {
        // BEGIN IMMEDIATE already holds SQLite's single write lock.
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE",
    }
}

/// One state change: checks `check` (who may do it) and the state machine against the row as
/// locked in the transaction, applies `sets`, and journals it — all or nothing.
pub struct Change {
    pub action: PetitionAction,
    pub sets: Vec<(&'static str, Arg)>,
    pub reason: Option<String>,
    pub data: Option<serde_json::Value>,
}

/// Signatures a petition to `org` needs: by its level and its territory's population.
pub fn threshold(reference: &Reference, rules: &PetitionRules, org: &Org) -> i64 {
    let population = org
        .kato
        .and_then(|k| reference.territories.get(&k))
        .and_then(|t| t.population)
        .map(|p| p as u64);
    rules.threshold(org.level, population) as i64
}

/// The effects of each step a person takes, the same for the API and the demo. Petition terms
/// are counted in the five-day week.
impl Change {
    fn new(action: PetitionAction, sets: Vec<(&'static str, Arg)>) -> Change {
        Change {
            action,
            sets,
            reason: None,
            data: None,
        }
    }

    /// Filed: registered today (after hours: the next working day); moderation term starts.
    pub fn submit(reference: &Reference, terms: &Terms, rules: &PetitionRules, now: i64) -> Change {
        let clock = Clock {
            calendar: &reference.calendar,
            week: WorkWeek::FiveDay,
            terms,
        };
        let on = clock.registration_date(now);
        Change::new(
            PetitionAction::Submit,
            vec![
                ("submitted_on", date_arg(on)),
                (
                    "moderation_due_on",
                    date_arg(rules.moderation_due(&reference.calendar, on)),
                ),
            ],
        )
    }

    pub fn take(moderator_id: &str) -> Change {
        Change::new(
            PetitionAction::TakeForModeration,
            vec![("moderator_id", Arg::Text(Some(moderator_id.into())))],
        )
    }

    /// Admitted today; the link-only term for the first signatures starts.
    pub fn admit(
        reference: &Reference,
        terms: &Terms,
        rules: &PetitionRules,
        mode: CollectionMode,
        now: i64,
    ) -> Change {
        let on = terms.local_date(now);
        Change::new(
            PetitionAction::Admit,
            vec![
                ("admitted_on", date_arg(on)),
                (
                    "link_only_due_on",
                    date_arg(rules.link_only_due(&reference.calendar, on, mode)),
                ),
            ],
        )
    }

    pub fn reject(subject: Option<String>, reason: String) -> Change {
        Change {
            data: subject
                .as_ref()
                .map(|s| serde_json::json!({ "subject": s })),
            reason: Some(reason.clone()),
            ..Change::new(
                PetitionAction::Reject,
                vec![
                    ("rejection_subject", Arg::Text(subject)),
                    ("rejection_reason", Arg::Text(Some(reason))),
                ],
            )
        }
    }

    /// The working group, always with the author (`tyndau_core::petition::working_group`).
    pub fn working_group(row: &PetitionRow, others: &[(String, String)]) -> Change {
        let group = serde_json::to_value(tyndau_core::petition::working_group(
            &row.author_public_name,
            others,
        ))
        .expect("a working group serialises");
        Change {
            data: Some(group.clone()),
            ..Change::new(
                PetitionAction::FormWorkingGroup,
                vec![("working_group", Arg::Text(Some(group.to_string())))],
            )
        }
    }

    pub fn decision(decision: Decision, text: String, head_id: &str, now: i64) -> Change {
        Change {
            reason: Some(text.clone()),
            data: Some(serde_json::json!({ "decision": decision })),
            ..Change::new(
                PetitionAction::PublishDecision,
                vec![
                    ("decision", Arg::Text(Some(decision.as_str().into()))),
                    ("decision_text", Arg::Text(Some(text))),
                    ("decided_by", Arg::Text(Some(head_id.into()))),
                    ("decided_at", Arg::Int(Some(now))),
                ],
            )
        }
    }

    pub fn close() -> Change {
        Change::new(PetitionAction::Close, vec![])
    }
}

fn date_arg(d: NaiveDate) -> Arg {
    Arg::Text(Some(d.to_string()))
}

pub async fn act(
    db: &Db,
    id: &str,
    actor: &Actor,
    check: impl FnOnce(&PetitionRow) -> ServiceResult<Change>,
) -> ServiceResult<PetitionRow> {
    let mut tx = db.begin_write().await?;
    let row = sqlx::query(&format!(
        "SELECT {COLS} FROM petitions WHERE id = $1{}",
        lock_suffix(db.backend)
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .map(|r| from_row(&r))
    .ok_or_else(petition_not_found)?;
    let change = check(&row)?;
    let from = row.status();
    let to = transition(from, change.action).map_err(|e| ServiceError::Conflict {
        code: "invalid_transition",
        message: e.to_string(),
    })?;
    let now = now_ms();
    let mut sql =
        String::from("UPDATE petitions SET status = $1, updated_at = $2, version = version + 1");
    let mut n = 3;
    for (col, _) in &change.sets {
        sql.push_str(&format!(", {col} = ${n}"));
        n += 1;
    }
    sql.push_str(&format!(" WHERE id = ${n}"));
    let mut q = sqlx::query(&sql).bind(to.as_str()).bind(now);
    for (_, a) in &change.sets {
        q = crate::db::bind_arg(q, a);
    }
    q.bind(id).execute(&mut *tx).await?;
    insert_event(
        &mut tx,
        id,
        now,
        actor,
        change.action,
        Some(from),
        to,
        change.reason.as_deref(),
        change.data.as_ref(),
    )
    .await?;
    tx.commit().await?;
    get(db, id).await?.ok_or_else(petition_not_found)
}

#[derive(Debug, Clone, Default)]
pub struct PetitionFilter {
    pub statuses: Vec<PetitionStatus>,
    pub addressee_org_id: Option<String>,
    pub kato: Option<String>,
    pub q: Option<String>,
    pub author_id: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn list(db: &Db, f: &PetitionFilter) -> ServiceResult<(Vec<PetitionRow>, i64)> {
    let mut wh = vec!["1=1".to_string()];
    let mut args: Vec<Arg> = vec![];
    let mut n = 1;
    let mut next = |args: &mut Vec<Arg>, a: Arg| {
        args.push(a);
        let p = format!("${n}");
        n += 1;
        p
    };
    if !f.statuses.is_empty() {
        let ps: Vec<String> = f
            .statuses
            .iter()
            .map(|s| next(&mut args, Arg::Text(Some(s.as_str().into()))))
            .collect();
        wh.push(format!("status IN ({})", ps.join(",")));
    }
    if let Some(o) = &f.addressee_org_id {
        wh.push(format!("addressee_org_id = {}", next(&mut args, o.into())));
    }
    if let Some(k) = &f.kato {
        // The territory or anything inside it (KATO codes nest by prefix).
        let prefix = k.trim_end_matches('0');
        wh.push(format!(
            "kato LIKE {}",
            next(&mut args, Arg::Text(Some(format!("{prefix}%"))))
        ));
    }
    if let Some(q) = &f.q {
        // The words as they are: `%` and `_` are escaped, not wildcards.
        let escaped = q
            .to_lowercase()
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pat = format!("%{escaped}%");
        let p = next(&mut args, Arg::Text(Some(pat)));
        wh.push(format!(
            "(LOWER(title) LIKE {p} ESCAPE '\\' OR LOWER(text) LIKE {p} ESCAPE '\\')"
        ));
    }
    if let Some(a) = &f.author_id {
        wh.push(format!("author_id = {}", next(&mut args, a.into())));
    }
    let where_sql = wh.join(" AND ");
    let count_sql = format!("SELECT COUNT(*) FROM petitions WHERE {where_sql}");
    let mut cq = sqlx::query(&count_sql);
    for a in &args {
        cq = crate::db::bind_arg(cq, a);
    }
    let total: i64 = cq.fetch_one(&db.read).await?.get(0);
    let sql = format!(
        "SELECT {COLS} FROM petitions WHERE {where_sql} ORDER BY signature_count DESC, created_at DESC LIMIT {} OFFSET {}",
        f.limit.clamp(1, 200),
        f.offset.max(0)
    );
    let rows = crate::db::bind_args(sqlx::query(&sql), &args)
        .fetch_all(&db.read)
        .await?;
    Ok((rows.iter().map(from_row).collect(), total))
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct PetitionEvent {
    pub id: String,
    pub at: i64,
    pub actor_id: Option<String>,
    pub actor_role: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: Option<String>,
    pub data: Option<String>,
}

pub async fn events(db: &Db, id: &str) -> ServiceResult<Vec<PetitionEvent>> {
    Ok(sqlx::query_as("SELECT id, at, actor_id, actor_role, action, from_status, to_status, reason, data FROM petition_events WHERE petition_id = $1 ORDER BY id")
        .bind(id)
        .fetch_all(&db.read)
        .await?)
}

pub async fn region_counts(db: &Db, id: &str) -> ServiceResult<Vec<(String, i64)>> {
    let rows = sqlx::query("SELECT kato, n FROM petition_region_counts WHERE petition_id = $1 AND n > 0 ORDER BY n DESC, kato")
        .bind(id)
        .fetch_all(&db.read)
        .await?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

pub async fn daily_counts(db: &Db, id: Option<&str>) -> ServiceResult<Vec<(String, String, i64)>> {
    let rows = match id {
        Some(id) => {
            sqlx::query("SELECT petition_id, day, n FROM petition_daily_counts WHERE petition_id = $1 ORDER BY day")
                .bind(id)
                .fetch_all(&db.read)
                .await?
        }
        None => {
            sqlx::query("SELECT d.petition_id, d.day, d.n FROM petition_daily_counts d JOIN petitions p ON p.id = d.petition_id \
                 WHERE p.status NOT IN ('draft','submitted','in_moderation','link_only') ORDER BY d.petition_id, d.day")
                .fetch_all(&db.read)
                .await?
        }
    };
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect())
}

/// The inadmissible subjects (KZ_RULES §3), seeded from `reference/petition_inadmissible_subjects.json`.
pub const INADMISSIBLE_SUBJECTS: &str =
    include_str!("../../../reference/petition_inadmissible_subjects.json");

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct Subject {
    pub code: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
}

pub async fn seed_subjects_if_empty(db: &Db) -> anyhow::Result<()> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM petition_inadmissible_subjects")
        .fetch_one(&db.read)
        .await?;
    if n > 0 {
        return Ok(());
    }
    #[derive(serde::Deserialize)]
    struct File {
        subjects: Vec<Subject>,
    }
    let f: File = serde_json::from_str(INADMISSIBLE_SUBJECTS)?;
    let mut tx = db.begin_write().await?;
    for s in f.subjects {
        upsert_subject_tx(&mut tx, &s).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn upsert_subject_tx(tx: &mut sqlx::AnyConnection, s: &Subject) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO petition_inadmissible_subjects (code, name_kk, name_ru, name_en, active) VALUES ($1,$2,$3,$4,1) \
         ON CONFLICT (code) DO UPDATE SET name_kk = excluded.name_kk, name_ru = excluded.name_ru, name_en = excluded.name_en, active = 1")
        .bind(&s.code).bind(&s.name_kk).bind(&s.name_ru).bind(&s.name_en)
        .execute(&mut *tx).await?;
    Ok(())
}

pub async fn upsert_subject(db: &Db, s: &Subject) -> ServiceResult<()> {
    let mut tx = db.begin_write().await?;
    upsert_subject_tx(&mut tx, s).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn deactivate_subject(db: &Db, code: &str) -> ServiceResult<bool> {
    let r = sqlx::query("UPDATE petition_inadmissible_subjects SET active = 0 WHERE code = $1")
        .bind(code)
        .execute(&db.write)
        .await?;
    Ok(r.rows_affected() > 0)
}

pub async fn subjects(db: &Db) -> ServiceResult<Vec<Subject>> {
    Ok(sqlx::query_as("SELECT code, name_kk, name_ru, name_en FROM petition_inadmissible_subjects WHERE active = 1 ORDER BY code")
        .fetch_all(&db.read)
        .await?)
}

// ---------------------------------------------------------------------------------------------
// Signing

/// One signature ready to write. `signer_hash` is the keyed hash of the signer's IIN.
#[derive(Debug, Clone)]
pub struct PreparedSignature {
    pub petition_id: String,
    pub signer_hash: String,
    pub public_name: String,
    /// The signer's region (KATO of the region), for the public counts by region.
    pub kato: Option<String>,
    pub channel: SignatureChannel,
    pub ip: Option<String>,
    pub network: Option<String>,
    pub email_domain: Option<String>,
    pub signed_at: i64,
    /// The official who entered a paper signature.
    pub entered_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SignOutcome {
    /// Written; the petition's valid count after the batch that wrote it.
    Signed {
        count: i64,
    },
    AlreadySigned,
    PetitionNotFound,
    NotOpen(PetitionStatus),
}

/// Dates the signing writer needs when a batch moves a petition on (the calendar lives in the
/// web layer's reference snapshot, which an administrator may change at any time).
pub trait PetitionClock: Send + Sync {
    fn rules(&self) -> &PetitionRules;
    /// Today's local date at `now_ms`.
    fn today(&self, now_ms: i64) -> NaiveDate;
    /// The registration date of a petition that reached its threshold at `now_ms`, and its
    /// review deadline for an addressee of `level`.
    fn review_terms(&self, now_ms: i64, level: OrgLevel) -> (NaiveDate, NaiveDate);
}

const SIG_COLS: [&str; 10] = [
    "signer_hash",
    "petition_id",
    "public_name",
    "kato",
    "channel",
    "ip",
    "network",
    "email_domain",
    "signed_at",
    "entered_by",
];
const REGION_UNKNOWN: &str = "unknown";

/// Writes a batch of signatures in the caller's transaction: looks up the petitions once, drops
/// duplicates (the primary key decides; `BatchConn::insert_new` tells which rows were new), adds
/// the batch's counts once per petition, region and day, and moves petitions that crossed the
/// first-signatures mark or the threshold on, journaled.
pub async fn sign_batch<C: BatchConn>(
    c: &mut C,
    batch: &[PreparedSignature],
    clock: &dyn PetitionClock,
) -> ServiceResult<Vec<SignOutcome>> {
    let backend = c.backend();
    let now = now_ms();
    let mut ids: Vec<&str> = batch.iter().map(|s| s.petition_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let ph = (1..=ids.len())
        .map(|i| crate::db::placeholder(backend, i))
        .collect::<Vec<_>>()
        .join(",");
    let sql = format!(
        "SELECT p.id, p.status, p.threshold, p.signature_count, o.level FROM petitions p \
         JOIN organisations o ON o.id = p.addressee_org_id WHERE p.id IN ({ph}){}",
        match backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE OF p",
        }
    );
    let args: Vec<Arg> = ids.iter().map(|i| Arg::Text(Some(i.to_string()))).collect();
    struct P {
        status: PetitionStatus,
        threshold: i64,
        count: i64,
        level: OrgLevel,
        added: i64,
    }
    let mut petitions: HashMap<String, P> = HashMap::new();
    for r in c.rows(&sql, &args).await? {
        petitions.insert(
            r[0].text(),
            P {
                status: PetitionStatus::parse(&r[1].text())
                    .ok_or_else(|| anyhow::anyhow!("stored petition status"))?,
                threshold: r[2].int(),
                count: r[3].int(),
                level: OrgLevel::parse(&r[4].text()).unwrap_or(OrgLevel::Central),
                added: 0,
            },
        );
    }
    let mut out: Vec<SignOutcome> = Vec::with_capacity(batch.len());
    let mut candidates: Vec<usize> = Vec::with_capacity(batch.len());
    let mut seen: std::collections::HashSet<(&str, &str)> = Default::default();
    for (i, s) in batch.iter().enumerate() {
        match petitions.get(&s.petition_id) {
            None => out.push(SignOutcome::PetitionNotFound),
            Some(p) if !accepts(p.status) => out.push(SignOutcome::NotOpen(p.status)),
            Some(_) if !seen.insert((&s.petition_id, &s.signer_hash)) => {
                out.push(SignOutcome::AlreadySigned)
            }
            Some(_) => {
                out.push(SignOutcome::Signed { count: 0 });
                candidates.push(i);
            }
        }
    }
    let rows: Vec<Vec<Arg>> = candidates
        .iter()
        .map(|&i| {
            let s = &batch[i];
            vec![
                Arg::Text(Some(s.signer_hash.clone())),
                Arg::Text(Some(s.petition_id.clone())),
                Arg::Text(Some(s.public_name.clone())),
                Arg::Text(s.kato.clone()),
                Arg::Text(Some(s.channel.as_str().into())),
                Arg::Text(s.ip.clone()),
                Arg::Text(s.network.clone()),
                Arg::Text(s.email_domain.clone()),
                Arg::Int(Some(s.signed_at)),
                Arg::Text(s.entered_by.clone()),
            ]
        })
        .collect();
    let new = c
        .insert_new("petition_signatures", &SIG_COLS, &[0, 1], &rows)
        .await?;
    // Counts of the batch, once per key.
    let mut by_region: HashMap<(&str, &str), i64> = HashMap::new();
    let mut by_day: HashMap<(&str, NaiveDate), i64> = HashMap::new();
    for (&i, new) in candidates.iter().zip(new) {
        let s = &batch[i];
        if !new {
            out[i] = SignOutcome::AlreadySigned;
            continue;
        }
        petitions.get_mut(&s.petition_id).expect("looked up").added += 1;
        *by_region
            .entry((&s.petition_id, s.kato.as_deref().unwrap_or(REGION_UNKNOWN)))
            .or_default() += 1;
        *by_day
            .entry((&s.petition_id, clock.today(s.signed_at)))
            .or_default() += 1;
    }
    let mut stmts: Vec<Stmt> = Vec::new();
    let regions = by_region
        .into_iter()
        .map(|((p, k), n)| ((p, k.to_string()), n));
    add_counts(
        backend,
        "petition_region_counts",
        "kato",
        regions.collect(),
        &mut stmts,
    );
    add_counts(
        backend,
        "petition_daily_counts",
        "day",
        by_day
            .into_iter()
            .map(|((p, d), n)| ((p, d.to_string()), n))
            .collect(),
        &mut stmts,
    );
    let rules = clock.rules();
    let ph = |n: usize| crate::db::placeholder(backend, n);
    for (id, p) in petitions.iter_mut().filter(|(_, p)| p.added > 0) {
        p.count += p.added;
        let mut status = p.status;
        let mut sets: Vec<(&str, Arg)> = vec![];
        let mut moves: Vec<(PetitionAction, PetitionStatus, PetitionStatus)> = vec![];
        if status == PetitionStatus::LinkOnly && p.count >= rules.link_only_signatures as i64 {
            let today = clock.today(now);
            sets.push(("public_from", Arg::Text(Some(today.to_string()))));
            sets.push((
                "collection_ends_on",
                Arg::Text(Some(rules.collection_ends(today).to_string())),
            ));
            moves.push((PetitionAction::GoPublic, status, PetitionStatus::Collecting));
            status = PetitionStatus::Collecting;
        }
        if status == PetitionStatus::Collecting && p.count >= p.threshold {
            let (registered, due) = clock.review_terms(now, p.level);
            sets.push(("threshold_reached_at", Arg::Int(Some(now))));
            sets.push(("registered_on", Arg::Text(Some(registered.to_string()))));
            sets.push(("review_due_on", Arg::Text(Some(due.to_string()))));
            moves.push((
                PetitionAction::ReachThreshold,
                status,
                PetitionStatus::ThresholdReached,
            ));
            status = PetitionStatus::ThresholdReached;
        }
        let mut sql = format!(
            "UPDATE petitions SET signature_count = signature_count + {}, updated_at = {}",
            ph(1),
            ph(2)
        );
        let mut args = vec![Arg::Int(Some(p.added)), Arg::Int(Some(now))];
        if status != p.status {
            sql.push_str(&format!(", status = {}, version = version + 1", ph(3)));
            args.push(Arg::Text(Some(status.as_str().into())));
        }
        for (col, a) in sets {
            sql.push_str(&format!(", {col} = {}", ph(args.len() + 1)));
            args.push(a);
        }
        sql.push_str(&format!(" WHERE id = {}", ph(args.len() + 1)));
        args.push(Arg::Text(Some(id.clone())));
        stmts.push(Stmt { sql, args });
        for (action, from, to) in moves {
            stmts.push(Stmt {
                sql: format!(
                    "INSERT INTO petition_events (id, petition_id, at, actor_id, actor_role, action, from_status, to_status, reason, data) VALUES {}",
                    values_placeholders(backend, 1, 10)
                ),
                args: vec![
                    Arg::Text(Some(new_id())),
                    Arg::Text(Some(id.clone())),
                    Arg::Int(Some(now)),
                    Arg::Text(None),
                    Arg::Text(Some("system".into())),
                    Arg::Text(Some(action.as_str().into())),
                    Arg::Text(Some(from.as_str().into())),
                    Arg::Text(Some(to.as_str().into())),
                    Arg::Text(None),
                    Arg::Text(Some(
                        serde_json::json!({"signature_count": p.count, "threshold": p.threshold})
                            .to_string(),
                    )),
                ],
            });
        }
        p.status = status;
    }
    c.exec_all(&stmts).await?;
    for (i, o) in out.iter_mut().enumerate() {
        if let SignOutcome::Signed { count } = o {
            *count = petitions[&batch[i].petition_id].count;
        }
    }
    Ok(out)
}

/// Adds a batch's counts per (petition, key) to a counts table: one upsert per chunk of keys.
fn add_counts(
    backend: Backend,
    table: &str,
    key: &str,
    counts: Vec<((&str, String), i64)>,
    out: &mut Vec<Stmt>,
) {
    for chunk in row_chunks(&counts) {
        out.push(Stmt {
            sql: format!(
                "INSERT INTO {table} (petition_id, {key}, n) VALUES {} \
                 ON CONFLICT (petition_id, {key}) DO UPDATE SET n = {table}.n + excluded.n",
                values_placeholders(backend, chunk.len(), 3)
            ),
            args: chunk
                .iter()
                .flat_map(|((p, k), n)| {
                    [
                        Arg::Text(Some(p.to_string())),
                        Arg::Text(Some(k.clone())),
                        Arg::Int(Some(*n)),
                    ]
                })
                .collect(),
        });
    }
}

/// Signatures are accepted from the link-only stage until the body takes the petition under
/// review: support keeps being recorded while the body registers it.
pub fn accepts(s: PetitionStatus) -> bool {
    s.accepts_signatures() || s == PetitionStatus::ThresholdReached
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct PublicSignature {
    pub public_name: String,
    pub region: Option<String>,
    pub channel: String,
    pub signed_at: i64,
}

pub async fn recent_signatures(
    db: &Db,
    id: &str,
    limit: i64,
) -> ServiceResult<Vec<PublicSignature>> {
    let rows = sqlx::query(&format!("SELECT public_name, kato, channel, signed_at FROM petition_signatures WHERE petition_id = $1 AND invalidation_id IS NULL ORDER BY signed_at DESC LIMIT {}", limit.clamp(1, 500)))
        .bind(id)
        .fetch_all(&db.read)
        .await?;
    Ok(rows
        .iter()
        .map(|r| PublicSignature {
            public_name: r.get(0),
            region: r.get(1),
            channel: r.get(2),
            signed_at: r.get(3),
        })
        .collect())
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct MySignature {
    pub petition_id: String,
    pub title: String,
    pub status: String,
    pub signed_at: i64,
    pub counted: bool,
}

pub async fn my_signatures(db: &Db, signer_hash: &str) -> ServiceResult<Vec<MySignature>> {
    let rows = sqlx::query("SELECT s.petition_id, p.title, p.status, s.signed_at, s.invalidation_id FROM petition_signatures s \
         JOIN petitions p ON p.id = s.petition_id WHERE s.signer_hash = $1 ORDER BY s.signed_at DESC")
        .bind(signer_hash)
        .fetch_all(&db.read)
        .await?;
    Ok(rows
        .iter()
        .map(|r| MySignature {
            petition_id: r.get(0),
            title: r.get(1),
            status: r.get(2),
            signed_at: r.get(3),
            counted: r.get::<Option<String>, _>(4).is_none(),
        })
        .collect())
}

/// How many signatures a petition holds, counted from the rows (the bench and tests compare
/// this with the maintained counter).
pub async fn count_rows(db: &Db, id: &str) -> ServiceResult<(i64, i64)> {
    let r = sqlx::query("SELECT COUNT(*), COUNT(DISTINCT signer_hash) FROM petition_signatures WHERE petition_id = $1 AND invalidation_id IS NULL")
        .bind(id)
        .fetch_one(&db.read)
        .await?;
    Ok((r.get(0), r.get(1)))
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Trend {
    pub key: String,
    pub signatures: i64,
    pub first_at: i64,
    pub last_at: i64,
}

/// The moderators' view: which addresses, networks and e-mail domains sign the most.
pub async fn trending(
    db: &Db,
    id: &str,
    column: &'static str,
    since_ms: i64,
    limit: i64,
) -> ServiceResult<Vec<Trend>> {
    debug_assert!(matches!(column, "ip" | "network" | "email_domain"));
    let rows = sqlx::query(&format!(
        "SELECT {column}, COUNT(*), MIN(signed_at), MAX(signed_at) FROM petition_signatures \
         WHERE petition_id = $1 AND signed_at >= $2 AND invalidation_id IS NULL AND {column} IS NOT NULL \
         GROUP BY {column} ORDER BY COUNT(*) DESC, {column} LIMIT {}",
        limit.clamp(1, 200)
    ))
    .bind(id)
    .bind(since_ms)
    .fetch_all(&db.read)
    .await?;
    Ok(rows
        .iter()
        .map(|r| Trend {
            key: r.get(0),
            signatures: r.get(1),
            first_at: r.get(2),
            last_at: r.get(3),
        })
        .collect())
}

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct Invalidation {
    pub id: String,
    pub petition_id: String,
    pub ip_range: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub reason: String,
    pub affected: i64,
    pub created_by: String,
    pub created_at: i64,
    pub reverted_by: Option<String>,
    pub reverted_at: Option<i64>,
}

/// Recomputes a petition's counters — total, by region, by local day — from its valid
/// signatures, in the caller's transaction (after a bulk invalidation or its reversal).
async fn recount(
    tx: &mut sqlx::AnyConnection,
    id: &str,
    utc_offset_minutes: i32,
) -> ServiceResult<i64> {
    let total: i64 = sqlx::query("SELECT COUNT(*) FROM petition_signatures WHERE petition_id = $1 AND invalidation_id IS NULL")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .get(0);
    sqlx::query("UPDATE petitions SET signature_count = $1, updated_at = $2, version = version + 1 WHERE id = $3")
        .bind(total)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let regions: Vec<(String, i64)> = sqlx::query(
        "SELECT COALESCE(kato, 'unknown'), COUNT(*) FROM petition_signatures \
         WHERE petition_id = $1 AND invalidation_id IS NULL GROUP BY COALESCE(kato, 'unknown')",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect();
    // Local days as whole days since the epoch, the same arithmetic on both databases.
    let offset_ms = i64::from(utc_offset_minutes) * 60_000;
    let days: Vec<(String, i64)> = sqlx::query(
        "SELECT (signed_at + $2) / 86400000, COUNT(*) FROM petition_signatures \
         WHERE petition_id = $1 AND invalidation_id IS NULL GROUP BY (signed_at + $2) / 86400000",
    )
    .bind(id)
    .bind(offset_ms)
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|r| {
        let day: i64 = r.get(0);
        let date = chrono::DateTime::from_timestamp(day * 86_400, 0)
            .map(|t| t.date_naive().to_string())
            .unwrap_or_default();
        (date, r.get(1))
    })
    .collect();
    for (table, key, rows) in [
        ("petition_region_counts", "kato", regions),
        ("petition_daily_counts", "day", days),
    ] {
        sqlx::query(&format!("UPDATE {table} SET n = 0 WHERE petition_id = $1"))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for (k, n) in rows {
            sqlx::query(&format!(
                "INSERT INTO {table} (petition_id, {key}, n) VALUES ($1, $2, $3) \
                 ON CONFLICT (petition_id, {key}) DO UPDATE SET n = excluded.n"
            ))
            .bind(id)
            .bind(k)
            .bind(n)
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(total)
}

/// Bulk invalidation of the valid signatures of a petition whose address lies in `range`
/// and/or that were made in [from_ms, to_ms). Journaled; reversible with `restore`.
#[allow(clippy::too_many_arguments)]
pub async fn invalidate(
    db: &Db,
    id: &str,
    actor: &Actor,
    range: Option<(String, tyndau_core::petition::IpRange)>,
    from_ms: Option<i64>,
    to_ms: Option<i64>,
    reason: &str,
    utc_offset_minutes: i32,
) -> ServiceResult<Invalidation> {
    let mut tx = db.begin_write().await?;
    let status: String = sqlx::query(&format!(
        "SELECT status FROM petitions WHERE id = $1{}",
        lock_suffix(db.backend)
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(petition_not_found)?
    .get(0);
    let status = PetitionStatus::parse(&status).ok_or_else(|| anyhow::anyhow!("stored status"))?;
    transition(status, PetitionAction::InvalidateSignatures).map_err(|e| {
        ServiceError::Conflict {
            code: "invalid_transition",
            message: e.to_string(),
        }
    })?;
    let inv_id = new_id();
    // The selection, with placeholders numbered from `first` (the UPDATE binds the
    // invalidation's id as $1 before it).
    let selection = |first: usize| {
        let mut wh = format!("petition_id = ${first} AND invalidation_id IS NULL");
        let mut args: Vec<Arg> = vec![Arg::Text(Some(id.into()))];
        if let Some(f) = from_ms {
            args.push(Arg::Int(Some(f)));
            wh.push_str(&format!(" AND signed_at >= ${}", first + args.len() - 1));
        }
        if let Some(t) = to_ms {
            args.push(Arg::Int(Some(t)));
            wh.push_str(&format!(" AND signed_at < ${}", first + args.len() - 1));
        }
        (wh, args)
    };
    let (wh, sel_args) = selection(2);
    let mut args: Vec<Arg> = vec![Arg::Text(Some(inv_id.clone()))];
    args.extend(sel_args);
    let mut ip_sets: Option<Vec<String>> = None;
    if let Some((_, r)) = &range {
        // CIDR matching is done here, not in SQL, so that it is the same on both databases.
        let (w1, a1) = selection(1);
        let ip_sql =
            format!("SELECT DISTINCT ip FROM petition_signatures WHERE {w1} AND ip IS NOT NULL");
        let ips: Vec<String> = crate::db::bind_args(sqlx::query(&ip_sql), &a1)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|row| row.get::<String, _>(0))
            .filter(|ip| ip.parse().map(|a| r.contains(a)).unwrap_or(false))
            .collect();
        ip_sets = Some(ips);
    }
    // Addresses are matched in chunks: a wide range may cover more addresses than one
    // statement may bind.
    let mut affected = 0i64;
    let chunks: Vec<Option<&[String]>> = match &ip_sets {
        None => vec![None],
        Some(ips) => ips.chunks(500).map(Some).collect(),
    };
    for chunk in chunks {
        let mut sql = format!("UPDATE petition_signatures SET invalidation_id = $1 WHERE {wh}");
        let mut all = args.clone();
        if let Some(ips) = chunk {
            let start = all.len() + 1;
            let ph: Vec<String> = (0..ips.len()).map(|k| format!("${}", start + k)).collect();
            sql.push_str(&format!(" AND ip IN ({})", ph.join(",")));
            all.extend(ips.iter().map(|ip| Arg::Text(Some(ip.clone()))));
        }
        affected += crate::db::bind_args(sqlx::query(&sql), &all)
            .execute(&mut *tx)
            .await?
            .rows_affected() as i64;
    }
    let now = now_ms();
    let creator = actor.id.clone().unwrap_or_default();
    sqlx::query("INSERT INTO petition_invalidations (id, petition_id, ip_range, from_ms, to_ms, reason, affected, created_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)")
        .bind(&inv_id).bind(id).bind(range.as_ref().map(|r| r.0.clone())).bind(from_ms).bind(to_ms)
        .bind(reason).bind(affected).bind(&creator).bind(now)
        .execute(&mut *tx).await?;
    let total = recount(&mut tx, id, utc_offset_minutes).await?;
    insert_event(
        &mut tx,
        id,
        now,
        actor,
        PetitionAction::InvalidateSignatures,
        Some(status),
        status,
        Some(reason),
        Some(&serde_json::json!({"invalidation_id": inv_id, "affected": affected, "signature_count": total,
            "ip_range": range.as_ref().map(|r| r.0.clone()), "from_ms": from_ms, "to_ms": to_ms})),
    )
    .await?;
    tx.commit().await?;
    Ok(Invalidation {
        id: inv_id,
        petition_id: id.into(),
        ip_range: range.map(|r| r.0),
        from_ms,
        to_ms,
        reason: reason.into(),
        affected,
        created_by: creator,
        created_at: now,
        reverted_by: None,
        reverted_at: None,
    })
}

pub async fn invalidations(db: &Db, id: &str) -> ServiceResult<Vec<Invalidation>> {
    Ok(sqlx::query_as("SELECT id, petition_id, ip_range, from_ms, to_ms, reason, affected, created_by, created_at, reverted_by, reverted_at \
         FROM petition_invalidations WHERE petition_id = $1 ORDER BY created_at")
        .bind(id)
        .fetch_all(&db.read)
        .await?)
}

/// Reverses a bulk invalidation: its signatures count again.
pub async fn restore(
    db: &Db,
    id: &str,
    inv_id: &str,
    actor: &Actor,
    reason: &str,
    utc_offset_minutes: i32,
) -> ServiceResult<i64> {
    let mut tx = db.begin_write().await?;
    let status: String = sqlx::query(&format!(
        "SELECT status FROM petitions WHERE id = $1{}",
        lock_suffix(db.backend)
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(petition_not_found)?
    .get(0);
    let status = PetitionStatus::parse(&status).ok_or_else(|| anyhow::anyhow!("stored status"))?;
    let now = now_ms();
    let r = sqlx::query("UPDATE petition_invalidations SET reverted_by = $1, reverted_at = $2 WHERE id = $3 AND petition_id = $4 AND reverted_at IS NULL")
        .bind(&actor.id).bind(now).bind(inv_id).bind(id)
        .execute(&mut *tx).await?;
    if r.rows_affected() == 0 {
        return Err(ServiceError::not_found(
            "invalidation_not_found",
            "active invalidation",
        ));
    }
    let restored = sqlx::query("UPDATE petition_signatures SET invalidation_id = NULL WHERE petition_id = $1 AND invalidation_id = $2")
        .bind(id)
        .bind(inv_id)
        .execute(&mut *tx)
        .await?
        .rows_affected() as i64;
    let total = recount(&mut tx, id, utc_offset_minutes).await?;
    insert_event(
        &mut tx,
        id,
        now,
        actor,
        PetitionAction::RestoreSignatures,
        Some(status),
        status,
        Some(reason),
        Some(&serde_json::json!({"invalidation_id": inv_id, "restored": restored, "signature_count": total})),
    )
    .await?;
    tx.commit().await?;
    Ok(restored)
}

// ---------------------------------------------------------------------------------------------
// Time: what the background task moves on.

/// Petitions whose term has passed on `today`, with the action due: lapse (link-only term),
/// expire (collection period), mark overdue (moderation or review term).
pub async fn due_work(db: &Db, today: NaiveDate) -> ServiceResult<Vec<(String, PetitionAction)>> {
    let t = today.to_string();
    let rows = sqlx::query(
        "SELECT id, 'lapse' FROM petitions WHERE status = 'link_only' AND link_only_due_on < $1 \
         UNION ALL SELECT id, 'expire' FROM petitions WHERE status = 'collecting' AND collection_ends_on < $1 \
         UNION ALL SELECT id, 'mark_overdue' FROM petitions WHERE overdue = 0 AND ( \
            (status IN ('submitted','in_moderation') AND moderation_due_on < $1) OR \
            (status IN ('threshold_reached','under_review') AND review_due_on < $1))",
    )
    .bind(&t)
    .fetch_all(&db.read)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            Some((
                r.get::<String, _>(0),
                PetitionAction::parse(&r.get::<String, _>(1))?,
            ))
        })
        .collect())
}

/// Applies every term that has passed on `today` (see `due_work`); returns how many were due.
pub async fn apply_due(db: &Db, today: NaiveDate) -> ServiceResult<usize> {
    let work = due_work(db, today).await?;
    let n = work.len();
    let system = Actor::system();
    for (id, action) in work {
        let r = act(db, &id, &system, |row| {
            // Re-checked on the locked row: a signature batch may have moved it on meanwhile.
            let still_due = match action {
                PetitionAction::Lapse => row.status() == PetitionStatus::LinkOnly,
                PetitionAction::Expire => row.status() == PetitionStatus::Collecting,
                _ => row.overdue == 0,
            };
            if !still_due {
                return Err(ServiceError::Conflict {
                    code: "no_longer_due",
                    message: String::new(),
                });
            }
            let sets = if action == PetitionAction::MarkOverdue {
                vec![("overdue", Arg::Int(Some(1)))]
            } else {
                vec![]
            };
            let reason = match action {
                PetitionAction::Lapse => {
                    "the first signatures were not collected within the link-only term"
                }
                PetitionAction::Expire => "the collection period ended before the threshold",
                _ => "the statutory term has passed",
            };
            Ok(Change {
                reason: Some(reason.into()),
                ..Change::new(action, sets)
            })
        })
        .await;
        match r {
            Ok(_)
            | Err(ServiceError::Conflict {
                code: "no_longer_due",
                ..
            }) => {}
            Err(e) => tracing::warn!(petition = %id, error = %e, "petition term action failed"),
        }
    }
    Ok(n)
}

// ---------------------------------------------------------------------------------------------
// Discussion

#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct Comment {
    pub id: String,
    pub petition_id: String,
    pub parent_id: Option<String>,
    #[serde(skip)]
    pub author_id: String,
    pub public_name: String,
    pub by_author: i64,
    pub text: String,
    pub reports: i64,
    pub hidden: i64,
    pub created_at: i64,
}

const COMMENT_COLS: &str = "id, petition_id, parent_id, author_id, public_name, by_author, text, reports, hidden, created_at";

#[allow(clippy::too_many_arguments)]
pub async fn add_comment(
    db: &Db,
    petition_id: &str,
    parent_id: Option<&str>,
    author_id: &str,
    public_name: &str,
    by_author: bool,
    text: &str,
) -> ServiceResult<Comment> {
    if let Some(p) = parent_id {
        let ok = sqlx::query("SELECT 1 FROM petition_comments WHERE id = $1 AND petition_id = $2")
            .bind(p)
            .bind(petition_id)
            .fetch_optional(&db.read)
            .await?
            .is_some();
        if !ok {
            return Err(ServiceError::invalid(
                "unknown_comment",
                "parent_id",
                "the comment replied to does not exist on this petition",
            ));
        }
    }
    let id = new_id();
    sqlx::query("INSERT INTO petition_comments (id, petition_id, parent_id, author_id, public_name, by_author, text, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)")
        .bind(&id).bind(petition_id).bind(parent_id).bind(author_id).bind(public_name)
        .bind(i64::from(by_author)).bind(text).bind(now_ms())
        .execute(&db.write).await?;
    comment(db, &id).await?.ok_or_else(comment_not_found)
}

pub fn comment_not_found() -> ServiceError {
    ServiceError::not_found("comment_not_found", "comment")
}

pub async fn comment(db: &Db, id: &str) -> ServiceResult<Option<Comment>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COMMENT_COLS} FROM petition_comments WHERE id = $1"
    ))
    .bind(id)
    .fetch_optional(&db.read)
    .await?)
}

pub async fn comments(
    db: &Db,
    petition_id: &str,
    include_hidden: bool,
) -> ServiceResult<Vec<Comment>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {COMMENT_COLS} FROM petition_comments WHERE petition_id = $1{} ORDER BY created_at, id",
        if include_hidden { "" } else { " AND hidden = 0" }
    ))
    .bind(petition_id)
    .fetch_all(&db.read)
    .await?)
}

/// Records a report; a user reports a comment once. Hides it at `hide_at` reports.
pub async fn report_comment(
    db: &Db,
    comment_id: &str,
    user_id: &str,
    reason: Option<&str>,
    hide_at: i64,
) -> ServiceResult<Comment> {
    let mut tx = db.begin_write().await?;
    let inserted = sqlx::query("INSERT INTO petition_comment_reports (comment_id, user_id, reason, at) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING")
        .bind(comment_id).bind(user_id).bind(reason).bind(now_ms())
        .execute(&mut *tx).await?.rows_affected();
    if inserted == 0 {
        return Err(ServiceError::Conflict {
            code: "already_reported",
            message: "you have already reported this comment".into(),
        });
    }
    sqlx::query("UPDATE petition_comments SET reports = reports + 1, hidden = CASE WHEN reports + 1 >= $1 AND moderated_by IS NULL THEN 1 ELSE hidden END WHERE id = $2")
        .bind(hide_at)
        .bind(comment_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    comment(db, comment_id).await?.ok_or_else(comment_not_found)
}

/// A moderator's decision on a comment; it overrides the report count from then on.
pub async fn moderate_comment(
    db: &Db,
    comment_id: &str,
    moderator: &str,
    hidden: bool,
) -> ServiceResult<Comment> {
    let r =
        sqlx::query("UPDATE petition_comments SET hidden = $1, moderated_by = $2 WHERE id = $3")
            .bind(i64::from(hidden))
            .bind(moderator)
            .bind(comment_id)
            .execute(&db.write)
            .await?;
    if r.rows_affected() == 0 {
        return Err(comment_not_found());
    }
    comment(db, comment_id).await?.ok_or_else(comment_not_found)
}
