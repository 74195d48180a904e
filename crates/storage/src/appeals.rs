//! Appeals: registration (through the group-commit registrar), reads with access checks, lists,
//! and every lifecycle action. Rules come from tyndau-core; this module applies them and
//! persists the result together with its journal entry and notices, in one transaction.

use crate::conn::BatchConn;
use crate::db::{
    Arg, Backend, Db, Stmt, backend_of, execute_all, new_id, now_ms, placeholder,
    values_placeholders,
};
use crate::error::{ServiceError, ServiceResult};
use crate::reference::{Org, Reference};
use chrono::NaiveDate;
use sqlx::{Any, Row, Transaction};
use std::collections::HashMap;
use std::sync::Arc;
use tyndau_core::access::{self, AppealScope, ListScope, Op, Principal};
use tyndau_core::appeal::{
    Action, Channel, Form, Language, LeaveReason, Status, TransitionContext, transition,
};
use tyndau_core::deadlines::{Clock, Terms};
use tyndau_core::ids::Kato;
use tyndau_core::notify::{NoticeFacts, NoticeKind, UiLang, notice_language, render};

/// Who did something: a user, or the system itself (deadline monitor, routing).
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<String>,
    pub role: String,
    pub name: String,
    pub position: String,
}

impl Actor {
    pub fn system() -> Actor {
        Actor {
            id: None,
            role: "system".into(),
            name: "Tyndau".into(),
            position: "automatic registration".into(),
        }
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct AttachmentMeta {
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
}

#[derive(Debug, Clone)]
pub enum Applicant {
    Individual {
        user_id: Option<String>,
        name: String,
        iin: Option<String>,
        email: Option<String>,
        phone: Option<String>,
        address: Option<String>,
        language: Option<UiLang>,
    },
    LegalEntity {
        user_id: Option<String>,
        name: String,
        bin: String,
        email: Option<String>,
        phone: Option<String>,
        address: Option<String>,
    },
    Anonymous,
}

#[derive(Debug, Clone)]
pub struct NewAppeal {
    pub form: Form,
    pub channel: Channel,
    /// The language of the answer; `None`: the language the text is written in
    /// (`answer_language`).
    pub language: Option<Language>,
    pub applicant: Applicant,
    pub addressee_org_id: Option<String>,
    pub category_id: String,
    pub kato: Option<Kato>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub text: String,
    pub attachments: Vec<AttachmentMeta>,
    /// A report of a crime being prepared or committed, or of a threat to state or public
    /// security: such anonymous appeals are still considered (and forwarded at once).
    pub reports_crime: bool,
    pub received_at: i64,
    pub submitted_by: Option<String>,
    pub accepted_by: Actor,
    pub parent_appeal_id: Option<String>,
    pub idempotency: Option<IdempotencyKey>,
    /// Set when the category classifier chose `category_id` (the applicant gave none): kept
    /// on the registration's journal entry, so that who classified the appeal stays known.
    pub category_suggested: Option<SuggestedCategory>,
}

/// The classifier's choice of an appeal's category.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SuggestedCategory {
    pub confidence: f32,
    pub model_version: i64,
}

#[derive(Debug, Clone)]
pub struct IdempotencyKey {
    pub principal_id: String,
    pub key: String,
    pub request_hash: String,
}

/// One row of `appeals`.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct AppealRow {
    pub id: String,
    pub reg_no: String,
    pub ticket: String,
    pub form: String,
    pub channel: String,
    pub language: String,
    pub status: String,
    pub applicant_kind: String,
    pub applicant_id: Option<String>,
    pub applicant_name: Option<String>,
    pub applicant_iin: Option<String>,
    pub applicant_bin: Option<String>,
    pub applicant_email: Option<String>,
    pub applicant_phone: Option<String>,
    pub applicant_address: Option<String>,
    pub reports_crime: i64,
    pub addressee_org_id: String,
    pub org_id: String,
    pub category_id: String,
    pub kato: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub text: String,
    pub text_norm: String,
    /// The language the text is written in (kk, ru, en, other), identified at registration;
    /// `None` for an appeal registered before that, until the backfill reaches it.
    pub text_language: Option<String>,
    pub received_at: i64,
    pub registered_on: String,
    pub due_on: String,
    pub original_due_on: String,
    pub accepted_by_name: String,
    pub accepted_by_position: String,
    pub submitted_by: Option<String>,
    pub assignee_id: Option<String>,
    pub overdue: i64,
    pub reminded: i64,
    pub escalated_to_org_id: Option<String>,
    pub extensions: i64,
    pub forwards: i64,
    pub forwarded_late: i64,
    pub repeated_of: Option<String>,
    pub parent_appeal_id: Option<String>,
    pub answer_text: Option<String>,
    pub answered_at: Option<i64>,
    pub answered_by: Option<String>,
    pub rating: Option<i64>,
    pub rating_comment: Option<String>,
    pub closed_at: Option<i64>,
    pub leave_reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub version: i64,
    /// Sensitive topics (`tyndau_core::sensitive::topics_column`), NULL when none.
    pub sensitive: Option<String>,
    /// The terms (or category) that flagged it, "; "-separated.
    pub sensitive_because: Option<String>,
}

pub const APPEAL_COLS: &[&str] = &[
    "id",
    "reg_no",
    "ticket",
    "form",
    "channel",
    "language",
    "status",
    "applicant_kind",
    "applicant_id",
    "applicant_name",
    "applicant_iin",
    "applicant_bin",
    "applicant_email",
    "applicant_phone",
    "applicant_address",
    "reports_crime",
    "addressee_org_id",
    "org_id",
    "category_id",
    "kato",
    "lat",
    "lon",
    "text",
    "text_norm",
    "text_language",
    "received_at",
    "registered_on",
    "due_on",
    "original_due_on",
    "accepted_by_name",
    "accepted_by_position",
    "submitted_by",
    "assignee_id",
    "overdue",
    "reminded",
    "escalated_to_org_id",
    "extensions",
    "forwards",
    "forwarded_late",
    "repeated_of",
    "parent_appeal_id",
    "answer_text",
    "answered_at",
    "answered_by",
    "rating",
    "rating_comment",
    "closed_at",
    "leave_reason",
    "created_at",
    "updated_at",
    "version",
    "sensitive",
    "sensitive_because",
];

impl AppealRow {
    pub fn status(&self) -> Status {
        Status::parse(&self.status).expect("CHECK constraint keeps status valid")
    }
    pub fn scope(&self) -> AppealScope<'_> {
        AppealScope {
            applicant_user_id: self.applicant_id.as_deref(),
            org_id: &self.org_id,
        }
    }
    pub fn registered(&self) -> NaiveDate {
        self.registered_on.parse().expect("stored date")
    }
    pub fn due(&self) -> NaiveDate {
        self.due_on.parse().expect("stored date")
    }
    pub fn has_personal_data(&self) -> bool {
        self.applicant_kind != "anonymous"
    }

    /// The values of `APPEAL_COLS`, in order.
    fn args(&self) -> Vec<Arg> {
        vec![
            Arg::from(&self.id),
            Arg::from(&self.reg_no),
            Arg::from(&self.ticket),
            Arg::from(&self.form),
            Arg::from(&self.channel),
            Arg::from(&self.language),
            Arg::from(&self.status),
            Arg::from(&self.applicant_kind),
            Arg::from(&self.applicant_id),
            Arg::from(&self.applicant_name),
            Arg::from(&self.applicant_iin),
            Arg::from(&self.applicant_bin),
            Arg::from(&self.applicant_email),
            Arg::from(&self.applicant_phone),
            Arg::from(&self.applicant_address),
            Arg::from(self.reports_crime),
            Arg::from(&self.addressee_org_id),
            Arg::from(&self.org_id),
            Arg::from(&self.category_id),
            Arg::from(&self.kato),
            Arg::from(self.lat),
            Arg::from(self.lon),
            Arg::from(&self.text),
            Arg::from(&self.text_norm),
            Arg::from(&self.text_language),
            Arg::from(self.received_at),
            Arg::from(&self.registered_on),
            Arg::from(&self.due_on),
            Arg::from(&self.original_due_on),
            Arg::from(&self.accepted_by_name),
            Arg::from(&self.accepted_by_position),
            Arg::from(&self.submitted_by),
            Arg::from(&self.assignee_id),
            Arg::from(self.overdue),
            Arg::from(self.reminded),
            Arg::from(&self.escalated_to_org_id),
            Arg::from(self.extensions),
            Arg::from(self.forwards),
            Arg::from(self.forwarded_late),
            Arg::from(&self.repeated_of),
            Arg::from(&self.parent_appeal_id),
            Arg::from(&self.answer_text),
            Arg::from(self.answered_at),
            Arg::from(&self.answered_by),
            Arg::from(self.rating),
            Arg::from(&self.rating_comment),
            Arg::from(self.closed_at),
            Arg::from(&self.leave_reason),
            Arg::from(self.created_at),
            Arg::from(self.updated_at),
            Arg::from(self.version),
            Arg::from(&self.sensitive),
            Arg::from(&self.sensitive_because),
        ]
    }
}

/// One journal entry.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct EventRow {
    pub id: String,
    pub appeal_id: String,
    pub at: i64,
    pub actor_id: Option<String>,
    pub actor_role: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub from_org_id: Option<String>,
    pub to_org_id: Option<String>,
    pub reason: Option<String>,
    pub data: Option<String>,
}

const EVENT_COLS: usize = 12;

impl EventRow {
    pub(crate) fn new(
        appeal_id: &str,
        at: i64,
        actor: &Actor,
        action: Action,
        from: Option<Status>,
        to: Status,
    ) -> EventRow {
        EventRow {
            id: new_id(),
            appeal_id: appeal_id.to_string(),
            at,
            actor_id: actor.id.clone(),
            actor_role: actor.role.clone(),
            action: action.as_str().to_string(),
            from_status: from.map(|s| s.as_str().to_string()),
            to_status: to.as_str().to_string(),
            from_org_id: None,
            to_org_id: None,
            reason: None,
            data: None,
        }
    }
    pub(crate) fn orgs(mut self, from: Option<&str>, to: Option<&str>) -> Self {
        self.from_org_id = from.map(String::from);
        self.to_org_id = to.map(String::from);
        self
    }
    pub(crate) fn reason(mut self, r: impl Into<String>) -> Self {
        self.reason = Some(r.into());
        self
    }
    pub fn data(mut self, v: serde_json::Value) -> Self {
        self.data = Some(v.to_string());
        self
    }
}

/// A notice to write to the outbox.
#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: String,
    pub user_id: Option<String>,
    pub appeal_id: String,
    pub kind: String,
    pub language: String,
    pub email: Option<String>,
    pub subject: String,
    pub body: String,
    pub created_at: i64,
}

const OUTBOX_COLS: usize = 10;

/// A fully prepared registration: the rows to insert once the registration number is known.
#[derive(Debug, Clone)]
pub struct PreparedAppeal {
    pub row: AppealRow,
    pub registering_org_code: String,
    pub events: Vec<EventRow>,
    pub notices: Vec<(NoticeKind, NoticeFacts)>,
    pub attachments: Vec<AttachmentMeta>,
    pub idempotency: Option<IdempotencyKey>,
    pub preferred_language: Option<UiLang>,
    pub repeat_check: Option<RepeatCheck>,
}

/// How to look for an earlier appeal on the same subject (same applicant, category and
/// addressee) with similar text.
#[derive(Debug, Clone, Copy)]
pub struct RepeatCheck {
    /// Only appeals received at or after this instant (epoch ms) count.
    pub since: i64,
    /// Word-set similarity at or above which the texts are the same issue.
    pub threshold: f64,
}

/// Settings the appeal service needs beside the law's terms.
#[derive(Debug, Clone)]
pub struct AppealSettings {
    pub terms: Terms,
    /// Word-set Jaccard similarity above which an appeal by the same applicant on the same
    /// subject (category and addressee) counts as repeated.
    pub repeat_similarity: f64,
    /// How far back (days) to look for an earlier appeal on the same subject.
    pub repeat_window_days: i64,
}

impl Default for AppealSettings {
    fn default() -> Self {
        AppealSettings {
            terms: Terms::default(),
            repeat_similarity: 0.5,
            repeat_window_days: 365,
        }
    }
}

pub fn clock<'a>(reference: &'a Reference, org: &Org, terms: &'a Terms) -> Clock<'a> {
    Clock {
        calendar: &reference.calendar,
        week: org.work_week,
        terms,
    }
}

fn ticket_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    let mut s = String::with_capacity(11);
    for i in 0..10 {
        if i == 5 {
            s.push('-');
        }
        s.push(ALPHABET[rng.gen_range(0..ALPHABET.len())] as char);
    }
    s
}

/// Validates and routes a new appeal, computes its dates and journal. Pure apart from the
/// repeated-appeal look-up, so it runs in the request task, not in the writer.
pub fn prepare(
    reference: &Reference,
    settings: &AppealSettings,
    a: NewAppeal,
) -> ServiceResult<PreparedAppeal> {
    let category = match &a.parent_appeal_id {
        // A complaint inherits its appeal's category, which may have been stored before groups
        // of categories were refused: it must still be filed.
        Some(_) => reference.category(&a.category_id)?,
        None => reference.check_appeal_category(&a.category_id)?,
    };
    if let Some(k) = a.kato
        && !reference.territories.contains_key(&k)
    {
        return Err(ServiceError::invalid(
            "unknown_territory",
            "kato",
            format!("no territory with KATO code {k}"),
        ));
    }
    let now = now_ms();
    let id = new_id();
    let anonymous = matches!(a.applicant, Applicant::Anonymous);

    // Addressee: the body the citizen chose, or the one the routing rules name.
    let rule = reference.route(category, a.kato);
    let addressee = match &a.addressee_org_id {
        Some(o) => reference.orgs.get(o).ok_or_else(|| {
            ServiceError::invalid(
                "unknown_organisation",
                "addressee_org_id",
                format!("no organisation with id '{o}'"),
            )
        })?,
        None => {
            let r = rule.ok_or_else(|| {
                ServiceError::invalid(
                    "no_route",
                    "addressee_org_id",
                    "no routing rule matches; name the addressee",
                )
            })?;
            reference.orgs.get(&r.org_id).ok_or_else(|| {
                anyhow::anyhow!("routing rule {} names a missing organisation", r.id)
            })?
        }
    };
    let c = clock(reference, addressee, &settings.terms);
    let registered = c.registration_date(a.received_at);
    let public_service = reference.is_public_service(category);
    let mut due = c.due_date(a.form, public_service, registered);

    let mut events = vec![
        EventRow::new(
            &id,
            now,
            &a.accepted_by,
            Action::Register,
            None,
            Status::Registered,
        )
        .orgs(None, Some(&addressee.id)),
    ];
    // What the registration's journal entry records beside the event itself.
    let mut registration = serde_json::Map::new();
    if let Some(m) = a.category_suggested {
        registration.insert("category_by".into(), "classifier".into());
        registration.insert(
            "confidence".into(),
            ((f64::from(m.confidence) * 1000.0).round() / 1000.0).into(),
        );
        registration.insert("model_version".into(), m.model_version.into());
    }
    let mut notices = vec![];
    let mut status = Status::Registered;
    let mut org = addressee;
    let mut forwards = 0;

    if anonymous && !a.reports_crime {
        // Anonymous appeals are registered but not considered (KZ_RULES §1).
        status = transition(status, Action::NotConsider, TransitionContext::default())?;
        events.push(
            EventRow::new(
                &id,
                now,
                &Actor::system(),
                Action::NotConsider,
                Some(Status::Registered),
                status,
            )
            .reason("anonymous appeal without a report of a crime or a threat to security"),
        );
    } else {
        let competent = reference.is_competent(addressee, category);
        match (a.addressee_org_id.is_some(), rule) {
            (false, Some(r)) => {
                // Routed by the rules: recorded on the registration entry itself (one journal
                // row fewer per appeal on the busiest write path).
                registration.insert("routed_by_rule".into(), r.id.clone().into());
            }
            (true, Some(r)) if !competent && r.org_id != addressee.id => {
                // Outside the addressee's competence: forwarded at once, with notice (АППК art. 76).
                let target = reference.orgs.get(&r.org_id).ok_or_else(|| {
                    anyhow::anyhow!("routing rule {} names a missing organisation", r.id)
                })?;
                let tc = clock(reference, target, &settings.terms);
                let received_there = tc.registration_date(now.max(a.received_at));
                due = tc.due_date(a.form, public_service, received_there);
                let to = transition(status, Action::Forward, TransitionContext::default())?;
                events.push(
                    EventRow::new(
                        &id,
                        now,
                        &Actor::system(),
                        Action::Forward,
                        Some(status),
                        to,
                    )
                    .orgs(Some(&addressee.id), Some(&target.id))
                    .reason("outside the addressee's competence")
                    .data(serde_json::json!({ "rule_id": r.id, "late": false })),
                );
                notices.push((
                    NoticeKind::Forwarded,
                    NoticeFacts {
                        org: target.names.ru.clone(),
                        reason: "outside the addressee's competence".into(),
                        due: due.to_string(),
                        ..Default::default()
                    },
                ));
                status = to;
                org = target;
                forwards = 1;
            }
            _ => {}
        }
    }

    let text_norm = tyndau_core::text::normalize(&a.text);
    let (kind, user_id, name, iin, bin, email, phone, address, pref) = match &a.applicant {
        Applicant::Individual {
            user_id,
            name,
            iin,
            email,
            phone,
            address,
            language,
        } => (
            "individual",
            user_id.clone(),
            Some(name.clone()),
            iin.clone(),
            None,
            email.clone(),
            phone.clone(),
            address.clone(),
            *language,
        ),
        Applicant::LegalEntity {
            user_id,
            name,
            bin,
            email,
            phone,
            address,
        } => (
            "legal_entity",
            user_id.clone(),
            Some(name.clone()),
            None,
            Some(bin.clone()),
            email.clone(),
            phone.clone(),
            address.clone(),
            None,
        ),
        Applicant::Anonymous => ("anonymous", None, None, None, None, None, None, None, None),
    };

    // Whether this is a repeat of an earlier appeal is decided in the writer, against the rows
    // committed so far and the rest of its batch (`insert_batch`).
    let repeat_check = match &user_id {
        Some(_) if status != Status::NotConsidered => Some(RepeatCheck {
            since: a.received_at - settings.repeat_window_days * 86_400_000,
            threshold: settings.repeat_similarity,
        }),
        _ => None,
    };
    if status != Status::NotConsidered {
        notices.insert(
            0,
            (
                NoticeKind::Registered,
                NoticeFacts {
                    due: due.to_string(),
                    ..Default::default()
                },
            ),
        );
    }

    if !registration.is_empty() {
        events[0].data = Some(serde_json::Value::Object(registration).to_string());
    }
    // Flagged here, where the text is normalised anyway, so that supervisors see a sensitive
    // appeal as soon as it is registered.
    let (sensitive, sensitive_because) = reference.lexicon.columns(
        &text_norm,
        &a.category_id,
        chrono::Datelike::month(&settings.terms.local_date(a.received_at)),
    );
    let written_in = tyndau_analytics::detect(&a.text);
    let language = a.language.unwrap_or_else(|| answer_language(written_in));
    let text_language = Some(written_in.code().to_string());
    let row = AppealRow {
        id,
        reg_no: String::new(),
        ticket: ticket_code(),
        form: a.form.as_str().into(),
        channel: a.channel.as_str().into(),
        language: language.as_str().into(),
        status: status.as_str().into(),
        applicant_kind: kind.into(),
        applicant_id: user_id,
        applicant_name: name,
        applicant_iin: iin,
        applicant_bin: bin,
        applicant_email: email,
        applicant_phone: phone,
        applicant_address: address,
        reports_crime: i64::from(a.reports_crime),
        addressee_org_id: addressee.id.clone(),
        org_id: org.id.clone(),
        category_id: a.category_id,
        kato: a.kato.map(|k| k.code()),
        lat: a.lat,
        lon: a.lon,
        text: a.text,
        text_norm,
        text_language,
        received_at: a.received_at,
        registered_on: registered.to_string(),
        due_on: due.to_string(),
        original_due_on: due.to_string(),
        accepted_by_name: a.accepted_by.name.clone(),
        accepted_by_position: a.accepted_by.position.clone(),
        submitted_by: a.submitted_by,
        assignee_id: None,
        overdue: 0,
        reminded: 0,
        escalated_to_org_id: None,
        extensions: 0,
        forwards,
        forwarded_late: 0,
        repeated_of: None,
        parent_appeal_id: a.parent_appeal_id,
        answer_text: None,
        answered_at: None,
        answered_by: None,
        rating: None,
        rating_comment: None,
        closed_at: None,
        leave_reason: None,
        created_at: now,
        updated_at: now,
        version: 0,
        sensitive,
        sensitive_because,
    };
    Ok(PreparedAppeal {
        row,
        registering_org_code: addressee.code.clone(),
        events,
        notices,
        attachments: a.attachments,
        idempotency: a.idempotency,
        preferred_language: pref,
        repeat_check,
    })
}

/// The language an appeal is answered in when the applicant chose none: the language it is
/// written in (KZ_RULES §1), where that is one the state answers in (Kazakh or Russian);
/// `other` for English and the rest.
pub fn answer_language(written_in: tyndau_analytics::Lang) -> Language {
    match written_in {
        tyndau_analytics::Lang::Kk => Language::Kk,
        tyndau_analytics::Lang::Ru => Language::Ru,
        tyndau_analytics::Lang::En | tyndau_analytics::Lang::Other => Language::Other,
    }
}

/// The outcome of registering one prepared appeal.
#[derive(Debug, Clone)]
pub enum Registered {
    New(Box<AppealRow>),
    /// The idempotency key was used before with the same request: this is that appeal.
    Replayed(String),
}

/// Inserts a batch of prepared appeals in the caller's transaction: numbers them, checks
/// idempotency keys, and writes rows, journal, attachments and notices with multi-row INSERTs.
pub async fn insert_batch<C: BatchConn>(
    tx: &mut C,
    batch: Vec<PreparedAppeal>,
) -> ServiceResult<Vec<ServiceResult<Registered>>> {
    insert_batch_moving(tx, batch, None, &Terms::default()).await
}

/// `insert_batch`, also moving the counters for a change of one stored appeal made in the same
/// transaction (`moved`: its row before and after). Both go into one sorted set of counter
/// statements: two statements, each sorted, could lock counter rows in opposite orders in two
/// concurrent transactions, and PostgreSQL would abort one as a deadlock.
pub async fn insert_batch_moving<C: BatchConn>(
    tx: &mut C,
    mut batch: Vec<PreparedAppeal>,
    moved: Option<(&AppealRow, &AppealRow)>,
    terms: &Terms,
) -> ServiceResult<Vec<ServiceResult<Registered>>> {
    let mut results: Vec<Option<ServiceResult<Registered>>> =
        (0..batch.len()).map(|_| None).collect();

    // Idempotency: an earlier use of the key answers with the earlier appeal. One look-up for
    // the whole batch; a key used twice within the batch refers to its first use.
    let started = std::time::Instant::now();
    let keys: Vec<&IdempotencyKey> = batch
        .iter()
        .filter_map(|p| p.idempotency.as_ref())
        .collect();
    let mut known: HashMap<(String, String), (String, String)> = HashMap::new();
    for chunk in row_chunks(&keys) {
        // An OR of key pairs: each is one primary-key search (a row-value `IN (VALUES ..)` made
        // SQLite scan the whole table).
        let backend = tx.backend();
        let cond: Vec<String> = (0..chunk.len())
            .map(|i| {
                let (a, b) = (
                    placeholder(backend, 2 * i + 1),
                    placeholder(backend, 2 * i + 2),
                );
                format!("(principal_id = {a} AND idem_key = {b})")
            })
            .collect();
        let sql = format!(
            "SELECT principal_id, idem_key, request_hash, appeal_id FROM idempotency_keys WHERE {}",
            cond.join(" OR ")
        );
        let args: Vec<Arg> = chunk
            .iter()
            .flat_map(|k| [Arg::from(&k.principal_id), Arg::from(&k.key)])
            .collect();
        for r in tx.rows(&sql, &args).await? {
            known.insert((r[0].text(), r[1].text()), (r[2].text(), r[3].text()));
        }
    }
    for i in 0..batch.len() {
        let Some(k) = &batch[i].idempotency else {
            continue;
        };
        let earlier = match known.get(&(k.principal_id.clone(), k.key.clone())) {
            Some((hash, id)) => Some((hash.clone(), id.clone())),
            None => batch[..i]
                .iter()
                .find(|q| {
                    q.idempotency
                        .as_ref()
                        .is_some_and(|qk| qk.principal_id == k.principal_id && qk.key == k.key)
                })
                .map(|q| {
                    (
                        q.idempotency
                            .as_ref()
                            .expect("found by key")
                            .request_hash
                            .clone(),
                        q.row.id.clone(),
                    )
                }),
        };
        if let Some((hash, id)) = earlier {
            results[i] = Some(if hash == k.request_hash {
                Ok(Registered::Replayed(id))
            } else {
                Err(idempotency_conflict())
            });
        }
    }

    // Registration numbers: one counter bump per (body, year) for the whole batch.
    let mut counters: Vec<((String, i32), i64)> = Vec::new();
    for (i, p) in batch.iter().enumerate() {
        if results[i].is_some() {
            continue;
        }
        let year = p.row.registered_on[..4].parse::<i32>().expect("date");
        let key = (p.row.addressee_org_id.clone(), year);
        match counters.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => counters.push((key, 1)),
        }
    }
    let mut next_seq: Vec<((String, i32), i64)> = Vec::new();
    // One statement bumps every counter of the batch (each statement is a round trip to the
    // database thread, and the writer's round trips bound registration throughput).
    for chunk in row_chunks(&counters) {
        let sql = format!(
            "INSERT INTO reg_counters (org_id, year, value) VALUES {} ON CONFLICT (org_id, year) \
             DO UPDATE SET value = reg_counters.value + excluded.value RETURNING org_id, year, value",
            values_placeholders(tx.backend(), chunk.len(), 3)
        );
        let args: Vec<Arg> = chunk
            .iter()
            .flat_map(|((org, year), n)| {
                [Arg::from(org), Arg::from(i64::from(*year)), Arg::from(*n)]
            })
            .collect();
        for r in tx.rows(&sql, &args).await? {
            let (org, year, end) = (r[0].text(), r[1].int(), r[2].int());
            let n = chunk
                .iter()
                .find(|((o, y), _)| *o == org && i64::from(*y) == year)
                .map(|c| c.1)
                .expect("bumped");
            next_seq.push(((org, year as i32), end - n + 1));
        }
    }

    let mut new_rows: Vec<usize> = Vec::new();
    for (i, p) in batch.iter_mut().enumerate() {
        if results[i].is_some() {
            continue;
        }
        let year = p.row.registered_on[..4].parse::<i32>().expect("date");
        let slot = next_seq
            .iter_mut()
            .find(|(k, _)| k.0 == p.row.addressee_org_id && k.1 == year)
            .expect("counted");
        p.row.reg_no = format!("{}/{}/{:06}", p.registering_org_code, year, slot.1);
        slot.1 += 1;
        new_rows.push(i);
    }

    let numbered_us = started.elapsed().as_micros() as u64;
    mark_repeats(tx, &mut batch, &new_rows).await?;
    let repeats_us = started.elapsed().as_micros() as u64;

    let backend = tx.backend();
    let mut writes: Vec<Stmt> = Vec::new();
    if !new_rows.is_empty() {
        insert_rows(
            backend,
            &new_rows.iter().map(|&i| &batch[i].row).collect::<Vec<_>>(),
            &mut writes,
        );
        let mut events: Vec<&EventRow> = Vec::new();
        let mut notices: Vec<OutboxRow> = Vec::new();
        for &i in &new_rows {
            let p = &batch[i];
            events.extend(p.events.iter());
            for (kind, facts) in &p.notices {
                let facts = NoticeFacts {
                    reg_no: p.row.reg_no.clone(),
                    ticket: p.row.ticket.clone(),
                    ..facts.clone()
                };
                notices.extend(notice_row(
                    &p.row,
                    p.preferred_language,
                    *kind,
                    &facts,
                    p.row.created_at,
                ));
            }
        }
        insert_events(backend, &events, &mut writes);
        insert_outbox(backend, &notices, &mut writes);
        let keyed: Vec<&PreparedAppeal> = new_rows
            .iter()
            .map(|&i| &batch[i])
            .filter(|p| p.idempotency.is_some())
            .collect();
        for chunk in row_chunks(&keyed) {
            writes.push(Stmt {
                sql: format!(
                    "INSERT INTO idempotency_keys (principal_id, idem_key, request_hash, appeal_id, created_at) VALUES {}",
                    values_placeholders(backend, chunk.len(), 5)
                ),
                args: chunk
                    .iter()
                    .flat_map(|p| {
                        let k = p.idempotency.as_ref().expect("filtered");
                        [
                            Arg::from(&k.principal_id),
                            Arg::from(&k.key),
                            Arg::from(&k.request_hash),
                            Arg::from(&p.row.id),
                            Arg::from(p.row.created_at),
                        ]
                    })
                    .collect(),
            });
        }
        for &i in &new_rows {
            let p = &batch[i];
            for at in &p.attachments {
                writes.push(Stmt {
                    sql: format!(
                        "INSERT INTO appeal_attachments (id, appeal_id, file_name, content_type, size_bytes, sha256) VALUES {}",
                        values_placeholders(backend, 1, 6)
                    ),
                    args: vec![
                        Arg::from(&new_id()),
                        Arg::from(&p.row.id),
                        Arg::from(&at.file_name),
                        Arg::from(&at.content_type),
                        Arg::from(at.size_bytes),
                        Arg::from(&at.sha256),
                    ],
                });
            }
        }
    }
    let before: Vec<&AppealRow> = moved.iter().map(|m| m.0).collect();
    let mut after: Vec<&AppealRow> = new_rows.iter().map(|&i| &batch[i].row).collect();
    after.extend(moved.iter().map(|m| m.1));
    crate::stats::counter_changes(backend, &before, &after, terms, &mut writes);
    if !writes.is_empty() {
        tx.exec_all(&writes).await?;
    }
    tracing::debug!(
        numbered_us,
        repeats_us,
        inserted_us = started.elapsed().as_micros() as u64,
        "registration batch written"
    );
    for &i in &new_rows {
        results[i] = Some(Ok(Registered::New(Box::new(batch[i].row.clone()))));
    }
    Ok(results
        .into_iter()
        .map(|r| r.expect("every item decided"))
        .collect())
}

/// Links each new appeal to an earlier one on the same subject with similar text: among the
/// batch's own earlier items first (they are the newest), then the stored appeals, the five most
/// recent of each subject. One query per chunk of the batch.
fn same_subject(a: &AppealRow, b: &AppealRow) -> bool {
    a.applicant_id == b.applicant_id
        && a.category_id == b.category_id
        && a.addressee_org_id == b.addressee_org_id
}

async fn mark_repeats<C: BatchConn>(
    tx: &mut C,
    batch: &mut [PreparedAppeal],
    new_rows: &[usize],
) -> ServiceResult<()> {
    let checked: Vec<usize> = new_rows
        .iter()
        .copied()
        .filter(|&i| batch[i].repeat_check.is_some())
        .collect();
    if checked.is_empty() {
        return Ok(());
    }
    type Key = (String, String, String);
    let key = |r: &AppealRow| -> Key {
        (
            r.applicant_id.clone().unwrap_or_default(),
            r.category_id.clone(),
            r.addressee_org_id.clone(),
        )
    };
    let mut stored: HashMap<Key, Vec<(i64, String, String)>> = HashMap::new();
    let backend = tx.backend();
    for chunk in row_chunks(&checked) {
        // One limited index search per subject, joined with UNION ALL (a row-value `IN (VALUES ..)`
        // made SQLite scan the whole table).
        let parts: Vec<String> = (0..chunk.len())
            .map(|i| {
                let p = |k: usize| placeholder(backend, 4 * i + k);
                format!(
                    "SELECT * FROM (SELECT received_at, id, text_norm, applicant_id, category_id, addressee_org_id \
                     FROM appeals WHERE applicant_id = {} AND category_id = {} AND addressee_org_id = {} \
                     AND received_at >= {} ORDER BY received_at DESC LIMIT 5) AS s{i}",
                    p(1),
                    p(2),
                    p(3),
                    p(4)
                )
            })
            .collect();
        let sql = parts.join(" UNION ALL ");
        let mut args: Vec<Arg> = Vec::with_capacity(chunk.len() * 4);
        for &i in chunk {
            let (a, c, o) = key(&batch[i].row);
            args.extend([
                Arg::Text(Some(a)),
                Arg::Text(Some(c)),
                Arg::Text(Some(o)),
                Arg::from(batch[i].repeat_check.expect("filtered").since),
            ]);
        }
        for r in tx.rows(&sql, &args).await? {
            stored
                .entry((r[3].text(), r[4].text(), r[5].text()))
                .or_default()
                .push((r[0].int(), r[1].text(), r[2].text()));
        }
    }
    for list in stored.values_mut() {
        list.sort_by_key(|r| std::cmp::Reverse(r.0));
        list.dedup_by(|a, b| a.1 == b.1);
    }
    for (n, &i) in checked.iter().enumerate() {
        let check = batch[i].repeat_check.expect("filtered");
        let k = key(&batch[i].row);
        let text = &batch[i].row.text_norm;
        let similar = |t: &str| tyndau_core::text::similarity(t, text) >= check.threshold;
        let in_batch = checked[..n]
            .iter()
            .rev()
            .map(|&j| &batch[j].row)
            .find(|r| same_subject(r, &batch[i].row) && similar(&r.text_norm))
            .map(|r| r.id.clone());
        let earlier = in_batch.or_else(|| {
            stored.get(&k).and_then(|list| {
                list.iter()
                    .filter(|(at, _, _)| *at >= check.since)
                    .take(5)
                    .find(|(_, _, t)| similar(t))
                    .map(|(_, id, _)| id.clone())
            })
        });
        if let Some(earlier) = earlier {
            let p = &mut batch[i];
            let status = p.row.status();
            p.events.push(
                EventRow::new(
                    &p.row.id,
                    p.row.created_at,
                    &Actor::system(),
                    Action::MarkRepeated,
                    Some(status),
                    status,
                )
                .data(serde_json::json!({ "repeated_of": earlier })),
            );
            p.row.repeated_of = Some(earlier);
        }
    }
    Ok(())
}

fn idempotency_conflict() -> ServiceError {
    ServiceError::Conflict {
        code: "idempotency_key_reused",
        message: "this Idempotency-Key was already used with a different request".into(),
    }
}

/// Splits rows for multi-row statements into power-of-two chunks of at most 32 rows.
///
/// Few distinct chunk sizes mean few distinct SQL texts, so the prepared statements stay in the
/// connection's statement cache; preparing a statement of a thousand placeholders on every batch
/// cost more than executing it. 32 rows of the widest table stay far below the parameter limits
/// (SQLite 32,766; PostgreSQL 65,535).
pub fn row_chunks<T>(items: &[T]) -> impl Iterator<Item = &[T]> {
    row_chunks_up_to(items, 32)
}

/// `row_chunks` with another largest chunk (a power of two), for narrow rows.
pub fn row_chunks_up_to<T>(items: &[T], max: usize) -> impl Iterator<Item = &[T]> {
    let mut rest = items;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let n = rest.len().min(max);
        let size = 1usize << (usize::BITS - 1 - n.leading_zeros());
        let (head, tail) = rest.split_at(size);
        rest = tail;
        Some(head)
    })
}

fn insert_rows(backend: Backend, rows: &[&AppealRow], out: &mut Vec<Stmt>) {
    for chunk in row_chunks(rows) {
        out.push(Stmt {
            sql: format!(
                "INSERT INTO appeals ({}) VALUES {}",
                APPEAL_COLS.join(", "),
                values_placeholders(backend, chunk.len(), APPEAL_COLS.len())
            ),
            args: chunk.iter().flat_map(|r| r.args()).collect(),
        });
    }
}

pub(crate) fn insert_events(backend: Backend, events: &[&EventRow], out: &mut Vec<Stmt>) {
    for chunk in row_chunks(events) {
        out.push(Stmt {
            sql: format!(
                "INSERT INTO appeal_events (id, appeal_id, at, actor_id, actor_role, action, from_status, to_status, from_org_id, to_org_id, reason, data) VALUES {}",
                values_placeholders(backend, chunk.len(), EVENT_COLS)
            ),
            args: chunk
                .iter()
                .flat_map(|e| {
                    [
                        Arg::from(&e.id),
                        Arg::from(&e.appeal_id),
                        Arg::from(e.at),
                        Arg::from(&e.actor_id),
                        Arg::from(&e.actor_role),
                        Arg::from(&e.action),
                        Arg::from(&e.from_status),
                        Arg::from(&e.to_status),
                        Arg::from(&e.from_org_id),
                        Arg::from(&e.to_org_id),
                        Arg::from(&e.reason),
                        Arg::from(&e.data),
                    ]
                })
                .collect(),
        });
    }
}

pub(crate) fn insert_outbox(backend: Backend, rows: &[OutboxRow], out: &mut Vec<Stmt>) {
    for chunk in row_chunks(rows) {
        out.push(Stmt {
            sql: format!(
                "INSERT INTO outbox (id, user_id, appeal_id, kind, language, email, subject, body, created_at, next_attempt_at) VALUES {}",
                values_placeholders(backend, chunk.len(), OUTBOX_COLS)
            ),
            args: chunk
                .iter()
                .flat_map(|o| {
                    [
                        Arg::from(&o.id),
                        Arg::from(&o.user_id),
                        Arg::from(&o.appeal_id),
                        Arg::from(&o.kind),
                        Arg::from(&o.language),
                        Arg::from(&o.email),
                        Arg::from(&o.subject),
                        Arg::from(&o.body),
                        Arg::from(o.created_at),
                        Arg::from(o.created_at),
                    ]
                })
                .collect(),
        });
    }
}

/// A notice for the applicant, if there is anyone to tell (an account or an e-mail address).
pub(crate) fn notice_row(
    row: &AppealRow,
    preferred: Option<UiLang>,
    kind: NoticeKind,
    facts: &NoticeFacts,
    now: i64,
) -> Option<OutboxRow> {
    if row.applicant_id.is_none() && row.applicant_email.is_none() {
        return None;
    }
    let lang = notice_language(
        Language::parse(&row.language).unwrap_or(Language::Other),
        preferred,
    );
    let (subject, body) = render(kind, lang, facts);
    Some(OutboxRow {
        id: new_id(),
        user_id: row.applicant_id.clone(),
        appeal_id: row.id.clone(),
        kind: kind.as_str().into(),
        language: lang.as_str().into(),
        email: row.applicant_email.clone(),
        subject,
        body,
        created_at: now,
    })
}

// ---------------------------------------------------------------------------------------------
// Reads

pub(crate) fn select_sql(filter: &str) -> String {
    format!("SELECT {} FROM appeals {filter}", APPEAL_COLS.join(", "))
}

pub async fn get_row(db: &Db, id: &str) -> ServiceResult<Option<AppealRow>> {
    Ok(sqlx::query_as::<_, AppealRow>(&select_sql("WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.read)
        .await?)
}

/// One appeal as `principal` may see it. Refused reads look exactly like missing appeals, so
/// that nobody learns which appeal numbers exist.
pub async fn get_for(db: &Db, principal: &Principal, id: &str) -> ServiceResult<AppealRow> {
    let row = get_row(db, id).await?.ok_or_else(appeal_not_found)?;
    if !access::decide(principal, Op::Read, &row.scope()) {
        return Err(appeal_not_found());
    }
    Ok(row)
}

pub fn appeal_not_found() -> ServiceError {
    ServiceError::not_found("appeal_not_found", "appeal")
}

pub async fn events(db: &Db, appeal_id: &str) -> ServiceResult<Vec<EventRow>> {
    Ok(sqlx::query_as::<_, EventRow>(
        "SELECT id, appeal_id, at, actor_id, actor_role, action, from_status, to_status, from_org_id, to_org_id, reason, data \
         FROM appeal_events WHERE appeal_id = $1 ORDER BY id",
    )
    .bind(appeal_id)
    .fetch_all(&db.read)
    .await?)
}

pub async fn attachments(db: &Db, appeal_id: &str) -> ServiceResult<Vec<AttachmentMeta>> {
    let rows = sqlx::query("SELECT file_name, content_type, size_bytes, sha256 FROM appeal_attachments WHERE appeal_id = $1 ORDER BY id")
        .bind(appeal_id)
        .fetch_all(&db.read)
        .await?;
    Ok(rows
        .iter()
        .map(|r| AttachmentMeta {
            file_name: r.get(0),
            content_type: r.get(1),
            size_bytes: r.get(2),
            sha256: r.get(3),
        })
        .collect())
}

#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub status: Option<Status>,
    pub org_id: Option<String>,
    pub category_id: Option<String>,
    /// Appeals in this territory or anywhere below it.
    pub kato: Option<Kato>,
    pub overdue: Option<bool>,
    pub form: Option<Form>,
    pub registered_from: Option<NaiveDate>,
    pub registered_to: Option<NaiveDate>,
    pub escalated_to_org_id: Option<String>,
    pub limit: i64,
    /// Keyset pagination: the id of the last item of the previous page (ids are time-ordered).
    pub after: Option<String>,
}

/// Appeals the principal may see, newest first, filtered. The access scope comes from the core
/// (`list_scope`), the same rule that decides single reads.
pub async fn list(db: &Db, principal: &Principal, f: &ListFilter) -> ServiceResult<Vec<AppealRow>> {
    let mut wh: Vec<String> = Vec::new();
    let mut args: Vec<Arg> = Vec::new();
    let push = |cond: &str, a: Arg, args: &mut Vec<Arg>, wh: &mut Vec<String>| {
        args.push(a);
        wh.push(cond.replace('?', &format!("${}", args.len())));
    };
    match access::list_scope(principal) {
        ListScope::Applicant(u) => push("applicant_id = ?", text_arg(u), &mut args, &mut wh),
        ListScope::Orgs(orgs) => {
            if orgs.is_empty() {
                return Ok(vec![]);
            }
            let mut parts = Vec::new();
            for o in orgs {
                args.push(text_arg(o));
                parts.push(format!("${}", args.len()));
            }
            wh.push(format!("org_id IN ({})", parts.join(", ")));
        }
        ListScope::All => {}
    }
    if let Some(s) = f.status {
        push(
            "status = ?",
            text_arg(s.as_str().into()),
            &mut args,
            &mut wh,
        );
    }
    if let Some(o) = &f.org_id {
        push("org_id = ?", text_arg(o.clone()), &mut args, &mut wh);
    }
    if let Some(c) = &f.category_id {
        // A top category also matches its subcategories.
        args.push(text_arg(c.clone()));
        let n = args.len();
        args.push(text_arg(format!("{c}.%")));
        wh.push(format!(
            "(category_id = ${n} OR category_id LIKE ${})",
            n + 1
        ));
    }
    if let Some(k) = f.kato {
        let code = k.code();
        let prefix = code.trim_end_matches('0');
        push(
            "kato LIKE ?",
            text_arg(format!("{prefix}%")),
            &mut args,
            &mut wh,
        );
    }
    if let Some(o) = f.overdue {
        push("overdue = ?", int_arg(i64::from(o)), &mut args, &mut wh);
    }
    if let Some(fm) = f.form {
        push("form = ?", text_arg(fm.as_str().into()), &mut args, &mut wh);
    }
    if let Some(d) = f.registered_from {
        push(
            "registered_on >= ?",
            text_arg(d.to_string()),
            &mut args,
            &mut wh,
        );
    }
    if let Some(d) = f.registered_to {
        push(
            "registered_on <= ?",
            text_arg(d.to_string()),
            &mut args,
            &mut wh,
        );
    }
    if let Some(o) = &f.escalated_to_org_id {
        push(
            "escalated_to_org_id = ?",
            text_arg(o.clone()),
            &mut args,
            &mut wh,
        );
    }
    if let Some(a) = &f.after {
        push("id < ?", text_arg(a.clone()), &mut args, &mut wh);
    }
    let filter = if wh.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", wh.join(" AND "))
    };
    let sql = select_sql(&format!(
        "{filter} ORDER BY id DESC LIMIT {}",
        f.limit.clamp(1, 500)
    ));
    let mut q = sqlx::query_as::<_, AppealRow>(&sql);
    for a in args {
        q = match a {
            Arg::Text(s) => q.bind(s),
            Arg::Int(i) => q.bind(i),
            Arg::Real(r) => q.bind(r),
        };
    }
    Ok(q.fetch_all(&db.read).await?)
}

fn text_arg(s: String) -> Arg {
    Arg::Text(Some(s))
}

fn int_arg(v: i64) -> Arg {
    Arg::Int(Some(v))
}

// ---------------------------------------------------------------------------------------------
// Lifecycle actions

#[derive(Debug, Clone)]
pub enum Command {
    Assign {
        assignee_id: Option<String>,
    },
    Forward {
        org_id: String,
        reason: String,
    },
    Extend {
        new_due_on: NaiveDate,
        reason: String,
    },
    Answer {
        text: String,
    },
    Rate {
        score: i64,
        comment: Option<String>,
    },
    Complain {
        text: String,
        restore_reason: Option<String>,
    },
    Close {
        reason: Option<String>,
    },
    LeaveWithoutConsideration {
        reason: LeaveReason,
        comment: Option<String>,
    },
    Escalate {
        reason: String,
    },
}

impl Command {
    /// The free texts the step carries, by field: (field, text, whether it is a letter — an
    /// answer or a complaint, held to the appeal's own length — rather than a short reason).
    pub fn texts(&self) -> Vec<(&'static str, &str, bool)> {
        match self {
            Command::Assign { .. } => vec![],
            Command::Forward { reason, .. }
            | Command::Extend { reason, .. }
            | Command::Escalate { reason } => vec![("reason", reason.as_str(), false)],
            Command::Answer { text } => vec![("text", text.as_str(), true)],
            Command::Rate { comment, .. } | Command::LeaveWithoutConsideration { comment, .. } => {
                comment
                    .iter()
                    .map(|c| ("comment", c.as_str(), false))
                    .collect()
            }
            Command::Complain {
                text,
                restore_reason,
            } => {
                let mut v = vec![("text", text.as_str(), true)];
                v.extend(
                    restore_reason
                        .iter()
                        .map(|r| ("restore_reason", r.as_str(), false)),
                );
                v
            }
            Command::Close { reason } => reason
                .iter()
                .map(|r| ("reason", r.as_str(), false))
                .collect(),
        }
    }

    fn op_and_action(&self) -> (Op, Action) {
        match self {
            Command::Assign { .. } => (Op::Assign, Action::Assign),
            Command::Forward { .. } => (Op::Forward, Action::Forward),
            Command::Extend { .. } => (Op::Extend, Action::Extend),
            Command::Answer { .. } => (Op::Answer, Action::Answer),
            Command::Rate { .. } => (Op::Rate, Action::Rate),
            Command::Complain { .. } => (Op::Complain, Action::Complain),
            Command::Close { .. } => (Op::Close, Action::Close),
            Command::LeaveWithoutConsideration { .. } => (
                Op::LeaveWithoutConsideration,
                Action::LeaveWithoutConsideration,
            ),
            Command::Escalate { .. } => (Op::Escalate, Action::Escalate),
        }
    }
}

/// What an action produced besides the updated appeal.
#[derive(Debug, Clone)]
pub struct ActOutcome {
    pub appeal: AppealRow,
    /// For a complaint: the new complaint appeal registered with the superior body.
    pub created: Option<AppealRow>,
}

/// Applies one lifecycle command as `principal`, atomically with its journal entry and notices.
pub async fn act(
    db: &Db,
    reference: &Arc<Reference>,
    settings: &AppealSettings,
    principal: &Principal,
    actor: &Actor,
    appeal_id: &str,
    cmd: Command,
) -> ServiceResult<ActOutcome> {
    act_audited(
        db, reference, settings, principal, actor, appeal_id, cmd, None,
    )
    .await
}

/// An audit row naming the appeal, written by `act_audited` in the step's own transaction: a
/// step taken as part of an operation on many appeals (a group answer) is audited per appeal,
/// and only if it is committed.
#[derive(Debug, Clone, Copy)]
pub struct StepAudit<'a> {
    pub action: &'a str,
    pub detail: Option<&'a str>,
}

/// `act`, with an audit row of `principal` on the appeal in the same transaction.
#[allow(clippy::too_many_arguments)]
pub async fn act_audited(
    db: &Db,
    reference: &Arc<Reference>,
    settings: &AppealSettings,
    principal: &Principal,
    actor: &Actor,
    appeal_id: &str,
    cmd: Command,
    audit: Option<StepAudit<'_>>,
) -> ServiceResult<ActOutcome> {
    let now = now_ms();
    let mut tx = db.begin_write().await?;
    let row = sqlx::query_as::<_, AppealRow>(&select_sql("WHERE id = $1"))
        .bind(appeal_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(appeal_not_found)?;
    let (op, action) = cmd.op_and_action();
    if !access::decide(principal, Op::Read, &row.scope()) {
        return Err(appeal_not_found());
    }
    if !access::decide(principal, op, &row.scope()) {
        return Err(ServiceError::Forbidden(format!(
            "your role may not {} this appeal",
            action.as_str().replace('_', " ")
        )));
    }
    let from = row.status();
    let org = reference
        .orgs
        .get(&row.org_id)
        .ok_or_else(|| anyhow::anyhow!("appeal names a missing organisation"))?;
    let c = clock(reference, org, &settings.terms);
    let today = c.local_date(now);
    let to = transition(
        from,
        action,
        TransitionContext {
            overdue: row.overdue != 0 || (from.awaits_answer() && today > row.due()),
        },
    )?;

    let mut next = row.clone();
    next.status = to.as_str().into();
    next.updated_at = now;
    next.version += 1;
    let mut ev = EventRow::new(&row.id, now, actor, action, Some(from), to);
    let mut notice: Option<(NoticeKind, NoticeFacts)> = None;
    let mut created: Option<PreparedAppeal> = None;

    match cmd {
        Command::Assign { assignee_id } => {
            let assignee = assignee_id.unwrap_or_else(|| principal.user_id.clone());
            let ok: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE id = $1 AND org_id = $2 AND role IN ('official', 'head') AND disabled = 0")
                .bind(&assignee)
                .bind(&row.org_id)
                .fetch_optional(&mut *tx)
                .await?;
            if ok.is_none() {
                return Err(ServiceError::invalid(
                    "invalid_assignee",
                    "assignee_id",
                    "the assignee must be an active official of the organisation handling the appeal",
                ));
            }
            ev = ev.data(serde_json::json!({ "assignee_id": assignee }));
            next.assignee_id = Some(assignee);
        }
        Command::Forward { org_id, reason } => {
            let reason = required(reason, "reason")?;
            let target = reference.orgs.get(&org_id).ok_or_else(|| {
                ServiceError::invalid(
                    "unknown_organisation",
                    "org_id",
                    format!("no organisation with id '{org_id}'"),
                )
            })?;
            if target.id == row.org_id {
                return Err(ServiceError::invalid(
                    "same_organisation",
                    "org_id",
                    "the appeal is already with this organisation",
                ));
            }
            let late = c.is_forward_late(row.registered(), today);
            let tc = clock(reference, target, &settings.terms);
            let received_there = tc.registration_date(now);
            let form = Form::parse(&row.form).expect("stored form");
            let category = reference
                .categories
                .get(&row.category_id)
                .ok_or_else(|| anyhow::anyhow!("missing category"))?;
            let due = tc.due_date(form, reference.is_public_service(category), received_there);
            next.org_id = target.id.clone();
            next.assignee_id = None;
            next.forwards += 1;
            next.forwarded_late = i64::from(row.forwarded_late != 0 || late);
            next.due_on = due.to_string();
            next.overdue = 0;
            next.reminded = 0;
            ev = ev
                .orgs(Some(&row.org_id), Some(&target.id))
                .reason(reason.clone())
                .data(serde_json::json!({ "late": late, "forward_deadline": c.forward_deadline(row.registered()).to_string(), "due_on": due.to_string() }));
            notice = Some((
                NoticeKind::Forwarded,
                NoticeFacts {
                    org: target.names.ru.clone(),
                    reason,
                    due: due.to_string(),
                    ..Default::default()
                },
            ));
        }
        Command::Extend { new_due_on, reason } => {
            let reason = required(reason, "reason")?;
            c.check_extension(row.registered(), row.due(), new_due_on)
                .map_err(|e| {
                    let code = match e {
                        tyndau_core::deadlines::DeadlineError::ExceedsCap { .. } => {
                            "extension_exceeds_cap"
                        }
                        tyndau_core::deadlines::DeadlineError::NotLater { .. } => {
                            "extension_not_later"
                        }
                        tyndau_core::deadlines::DeadlineError::NotWorkingDay(_) => {
                            "due_date_not_working_day"
                        }
                    };
                    ServiceError::invalid(code, "new_due_on", e.to_string())
                })?;
            next.due_on = new_due_on.to_string();
            next.extensions += 1;
            next.overdue = 0;
            next.reminded = 0;
            ev = ev.reason(reason.clone()).data(serde_json::json!({
                "from_due_on": row.due_on, "to_due_on": new_due_on.to_string(),
                "cap": c.extension_cap(row.registered()).to_string(),
                "notice_due_on": c.extension_notice_due(today).to_string(),
            }));
            notice = Some((
                NoticeKind::Extended,
                NoticeFacts {
                    due: new_due_on.to_string(),
                    reason,
                    ..Default::default()
                },
            ));
        }
        Command::Answer { text } => {
            let text = required(text, "text")?;
            next.answer_text = Some(text);
            next.answered_at = Some(now);
            next.answered_by = Some(principal.user_id.clone());
            ev = ev.data(serde_json::json!({ "on_time": today <= row.due() }));
            notice = Some((NoticeKind::Answered, NoticeFacts::default()));
        }
        Command::Rate { score, comment } => {
            if !(1..=5).contains(&score) {
                return Err(ServiceError::invalid(
                    "invalid_rating",
                    "score",
                    "the score must be a whole number from 1 to 5",
                ));
            }
            next.rating = Some(score);
            next.rating_comment = comment.clone();
            ev = ev.data(serde_json::json!({ "score": score }));
        }
        Command::Complain {
            text,
            restore_reason,
        } => {
            let text = required(text, "text")?;
            // The window runs from when the applicant learned of the act: the answer, or, for
            // silence, the missed due date.
            let learned = match row.answered_at {
                Some(at) => c.local_date(at),
                None => row.due(),
            };
            let deadline = c.complaint_deadline(learned);
            let restore = restore_reason.filter(|r| !r.trim().is_empty());
            if today > deadline && restore.is_none() {
                return Err(ServiceError::invalid(
                    "complaint_window_expired",
                    "restore_reason",
                    format!(
                        "the 3-month complaint window ended on {deadline}; give restore_reason to ask for the term to be restored"
                    ),
                ));
            }
            let superior = org.parent_id.clone().ok_or_else(|| {
                ServiceError::invalid(
                    "no_superior_body",
                    "appeal_id",
                    "the organisation has no superior body to complain to",
                )
            })?;
            let applicant = applicant_of(&row);
            let complaint = NewAppeal {
                category_suggested: None,
                form: Form::Complaint,
                channel: Channel::parse(&row.channel).unwrap_or(Channel::Web),
                language: Language::parse(&row.language),
                applicant,
                addressee_org_id: Some(superior),
                category_id: row.category_id.clone(),
                kato: row.kato.as_deref().and_then(|k| Kato::parse(k).ok()),
                lat: row.lat,
                lon: row.lon,
                text,
                attachments: vec![],
                reports_crime: false,
                received_at: now,
                submitted_by: Some(principal.user_id.clone()),
                accepted_by: Actor::system(),
                parent_appeal_id: Some(row.id.clone()),
                idempotency: None,
            };
            let mut p = prepare(reference, settings, complaint)?;
            // A complaint goes to the superior body even if routing would send it elsewhere.
            p.row.org_id = p.row.addressee_org_id.clone();
            p.row.status = Status::Registered.as_str().into();
            p.events.retain(|e| e.action != Action::Forward.as_str());
            p.notices.retain(|n| n.0 != NoticeKind::Forwarded);
            ev = ev.data(serde_json::json!({
                "complaint_appeal_id": p.row.id, "window_ends": deadline.to_string(),
                "term_restored": restore.is_some(), "silence": row.answered_at.is_none(),
            }));
            if let Some(r) = restore {
                ev = ev.reason(r);
            }
            created = Some(p);
        }
        Command::Close { reason } => {
            next.closed_at = Some(now);
            // An empty reason is no reason: the journal shows none rather than "".
            if let Some(r) = reason.filter(|r| !r.trim().is_empty()) {
                ev = ev.reason(r);
            }
        }
        Command::LeaveWithoutConsideration { reason, comment } => {
            next.leave_reason = Some(reason.as_str().into());
            next.closed_at = Some(now);
            ev = ev.reason(reason.as_str());
            if let Some(c) = comment {
                ev = ev.data(serde_json::json!({ "comment": c }));
            }
            notice = Some((
                NoticeKind::LeftWithoutConsideration,
                NoticeFacts {
                    reason: reason.as_str().replace('_', " "),
                    ..Default::default()
                },
            ));
        }
        Command::Escalate { reason } => {
            let reason = required(reason, "reason")?;
            let target = org.parent_id.clone().unwrap_or_else(|| org.id.clone());
            next.escalated_to_org_id = Some(target.clone());
            ev = ev.orgs(Some(&row.org_id), Some(&target)).reason(reason);
        }
    }

    let res = sqlx::query(
        "UPDATE appeals SET status = $1, org_id = $2, assignee_id = $3, due_on = $4, overdue = $5, reminded = $6, \
         escalated_to_org_id = $7, extensions = $8, forwards = $9, forwarded_late = $10, answer_text = $11, \
         answered_at = $12, answered_by = $13, rating = $14, rating_comment = $15, closed_at = $16, leave_reason = $17, \
         updated_at = $18, version = $19 WHERE id = $20 AND version = $21",
    )
    .bind(&next.status)
    .bind(&next.org_id)
    .bind(&next.assignee_id)
    .bind(&next.due_on)
    .bind(next.overdue)
    .bind(next.reminded)
    .bind(&next.escalated_to_org_id)
    .bind(next.extensions)
    .bind(next.forwards)
    .bind(next.forwarded_late)
    .bind(&next.answer_text)
    .bind(next.answered_at)
    .bind(&next.answered_by)
    .bind(next.rating)
    .bind(&next.rating_comment)
    .bind(next.closed_at)
    .bind(&next.leave_reason)
    .bind(next.updated_at)
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
    let backend = backend_of(&tx);
    let mut writes = Vec::new();
    insert_events(backend, &[&ev], &mut writes);
    if let Some((kind, facts)) = notice {
        let facts = NoticeFacts {
            reg_no: next.reg_no.clone(),
            ticket: next.ticket.clone(),
            ..facts
        };
        let pref = applicant_language(&mut tx, next.applicant_id.as_deref()).await?;
        if let Some(n) = notice_row(&next, pref, kind, &facts, now) {
            insert_outbox(backend, &[n], &mut writes);
        }
    }
    // A step that files a complaint moves the counters with the complaint's (see
    // `insert_batch_moving`).
    if created.is_none() {
        crate::stats::counter_changes(backend, &[&row], &[&next], &settings.terms, &mut writes);
    }
    if let Some(a) = audit {
        writes.push(
            crate::users::Audit {
                actor_id: &principal.user_id,
                actor_role: principal.role,
                action: a.action,
                subject_type: "appeal",
                subject_id: &row.id,
                detail: a.detail,
            }
            .stmt(backend),
        );
    }
    execute_all(&mut tx, &writes).await?;
    let created = match created {
        Some(p) => {
            let mut r =
                insert_batch_moving(&mut *tx, vec![p], Some((&row, &next)), &settings.terms)
                    .await?;
            match r.pop().expect("one result")? {
                Registered::New(row) => Some(*row),
                Registered::Replayed(_) => None,
            }
        }
        None => None,
    };
    tx.commit().await?;
    Ok(ActOutcome {
        appeal: next,
        created,
    })
}

async fn applicant_language(
    tx: &mut Transaction<'_, Any>,
    user_id: Option<&str>,
) -> ServiceResult<Option<UiLang>> {
    let Some(u) = user_id else { return Ok(None) };
    let r: Option<(String,)> = sqlx::query_as("SELECT language FROM users WHERE id = $1")
        .bind(u)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(r.and_then(|(l,)| UiLang::parse(&l)))
}

fn applicant_of(row: &AppealRow) -> Applicant {
    match row.applicant_kind.as_str() {
        "legal_entity" => Applicant::LegalEntity {
            user_id: row.applicant_id.clone(),
            name: row.applicant_name.clone().unwrap_or_default(),
            bin: row.applicant_bin.clone().unwrap_or_default(),
            email: row.applicant_email.clone(),
            phone: row.applicant_phone.clone(),
            address: row.applicant_address.clone(),
        },
        "individual" => Applicant::Individual {
            user_id: row.applicant_id.clone(),
            name: row.applicant_name.clone().unwrap_or_default(),
            iin: row.applicant_iin.clone(),
            email: row.applicant_email.clone(),
            phone: row.applicant_phone.clone(),
            address: row.applicant_address.clone(),
            language: None,
        },
        _ => Applicant::Anonymous,
    }
}

fn required(s: String, field: &'static str) -> ServiceResult<String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(ServiceError::invalid(
            "missing_field",
            field,
            format!("{field} must not be empty"),
        ));
    }
    Ok(t.to_string())
}

/// Whether the principal may see the applicant's personal data of this appeal.
pub fn may_read_personal_data(principal: &Principal, row: &AppealRow) -> bool {
    row.has_personal_data() && access::decide(principal, Op::ReadPersonalData, &row.scope())
}

/// Records that an official read an applicant's personal data.
pub async fn audit_personal_data_read(
    db: &Db,
    principal: &Principal,
    row: &AppealRow,
) -> ServiceResult<()> {
    if access::personal_data_read_is_audited(principal) {
        crate::users::write_audit(
            db,
            &principal.user_id,
            principal.role,
            "read_personal_data",
            "appeal",
            &row.id,
            None,
        )
        .await?;
    }
    Ok(())
}

/// Identifies the text language of the appeals registered before it was identified at
/// registration (`text_language` NULL), five hundred per write transaction so that
/// registrations keep the writer meanwhile, walking the key so that each batch reads only what
/// follows the last. Returns how many it identified.
pub async fn backfill_text_language(db: &Db) -> anyhow::Result<u64> {
    let mut done = 0u64;
    let mut after = String::new();
    loop {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT id, text FROM appeals WHERE id > $1 AND text_language IS NULL \
             ORDER BY id LIMIT 500",
        )
        .bind(&after)
        .fetch_all(&db.read)
        .await?;
        let Some((last, _)) = rows.last() else {
            return Ok(done);
        };
        after = last.clone();
        let mut tx = db.begin_write().await?;
        for (id, text) in &rows {
            sqlx::query(
                "UPDATE appeals SET text_language = $1 WHERE id = $2 AND text_language IS NULL",
            )
            .bind(tyndau_analytics::detect(text).code())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        done += rows.len() as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::row_chunks;

    #[test]
    fn row_chunks_are_powers_of_two_covering_every_row_in_order() {
        for n in 0..200usize {
            let v: Vec<usize> = (0..n).collect();
            let chunks: Vec<&[usize]> = row_chunks(&v).collect();
            assert!(
                chunks
                    .iter()
                    .all(|c| c.len().is_power_of_two() && c.len() <= 32)
            );
            assert_eq!(chunks.concat(), v);
        }
    }
}
