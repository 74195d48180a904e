//! Petition pages: browse and search, read, sign, create and submit, my signatures; the
//! moderators' take / admit / reject on the petition page.

use super::{CsrfForm, Ctx, FieldErrors};
use crate::api::petitions::{
    self as api, CreatePetition, DecisionReq, Member, RejectPetition, WorkingGroup, admit_petition,
    close_petition, create_petition, decide_petition, is_author, load_readable, may,
    reject_petition, sign_petition, submit_petition, take_petition, working_group_petition,
};
use crate::state::AppState;
use askama::Template;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use std::net::SocketAddr;
use tyndau_core::access::PetitionOp;
use tyndau_core::petition::PetitionStatus;
use tyndau_storage::petitions::{self as store, PetitionRow};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
}

#[derive(Template)]
#[template(path = "petitions.html")]
struct ListPage<'a> {
    c: &'a Ctx,
    q: ListQuery,
    rows: Vec<(PetitionRow, String)>,
    total: i64,
    statuses: Vec<&'static str>,
}

pub async fn list(
    State(state): State<AppState>,
    c: Ctx,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let q = match super::page_query(&c, q) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let listed: Vec<PetitionStatus> = PetitionStatus::ALL
        .iter()
        .copied()
        .filter(|s| s.is_listed())
        .collect();
    let statuses = match PetitionStatus::parse(&q.status) {
        Some(s) if s.is_listed() => vec![s],
        _ => listed.clone(),
    };
    let f = store::PetitionFilter {
        statuses,
        q: Some(q.q.trim().to_string()).filter(|s| !s.is_empty()),
        limit: 100,
        ..Default::default()
    };
    match store::list(&state.db, &f).await {
        Ok((rows, total)) => {
            let rows = rows
                .into_iter()
                .map(|p| {
                    let org = c.org_name(&state, &p.addressee_org_id);
                    (p, org)
                })
                .collect();
            let page = ListPage {
                c: &c,
                q,
                rows,
                total,
                statuses: listed.iter().map(|s| s.as_str()).collect(),
            };
            c.page(StatusCode::OK, &page)
        }
        Err(e) => c.error(e.into()),
    }
}

pub struct RegionLine {
    pub name: String,
    pub n: i64,
}

#[derive(Template)]
#[template(path = "petition.html")]
struct PetitionPage<'a> {
    c: &'a Ctx,
    p: PetitionRow,
    org: String,
    regions: Vec<RegionLine>,
    signed: bool,
    can_sign: bool,
    author: bool,
    moderator: bool,
    /// The addressed body may form the working group / decide / close.
    can_group: bool,
    can_decide: bool,
    can_close: bool,
    members: Vec<tyndau_core::petition::GroupMember>,
    subjects: Vec<store::Subject>,
    errors: FieldErrors,
    pct: i64,
}

async fn petition_page(state: &AppState, c: &Ctx, id: &str, errors: FieldErrors) -> Response {
    let row = match load_readable(state, c.auth.as_ref(), id).await {
        Ok(r) => r,
        Err(e) => return c.error(e),
    };
    let counts = match store::region_counts(&state.db, id).await {
        Ok(c) => c,
        Err(e) => return c.error(e.into()),
    };
    let r = state.reference();
    let lang = c.tr.lang;
    let regions = counts
        .into_iter()
        .map(|(kato, n)| RegionLine {
            name: super::stats::territory_name(&r, &kato, lang).unwrap_or(kato),
            n,
        })
        .collect();
    let signed = match c.auth.as_ref().and_then(|a| a.citizen.as_ref()) {
        Some(citizen) => match store::my_signatures(&state.db, &citizen.signer_hash).await {
            Ok(list) => list.iter().any(|s| s.petition_id == row.id),
            Err(e) => return c.error(e.into()),
        },
        None => false,
    };
    let status = row.status();
    let open = matches!(
        status,
        PetitionStatus::LinkOnly | PetitionStatus::Collecting
    );
    let moderator = c.is_moderator();
    let subjects = if moderator {
        match store::subjects(&state.db).await {
            Ok(s) => s,
            Err(e) => return c.error(e.into()),
        }
    } else {
        vec![]
    };
    let author = c.auth.as_ref().is_some_and(|a| is_author(a, &row));
    let pct = if row.threshold > 0 {
        (row.signature_count * 100 / row.threshold).min(100)
    } else {
        0
    };
    let auth = c.auth.as_ref();
    let in_review = matches!(
        status,
        PetitionStatus::ThresholdReached | PetitionStatus::UnderReview
    );
    let members: Vec<tyndau_core::petition::GroupMember> = row
        .working_group
        .as_deref()
        .and_then(|w| serde_json::from_str(w).ok())
        .unwrap_or_default();
    let page = PetitionPage {
        c,
        can_group: in_review && may(state, auth, PetitionOp::FormWorkingGroup, &row),
        can_decide: status == PetitionStatus::UnderReview
            && may(state, auth, PetitionOp::Decide, &row),
        can_close: status == PetitionStatus::DecisionPublished
            && may(state, auth, PetitionOp::Close, &row),
        members,
        org: c.org_name(state, &row.addressee_org_id),
        regions,
        signed,
        can_sign: open && !signed,
        author: author && may(state, c.auth.as_ref(), PetitionOp::ActAsAuthor, &row),
        moderator,
        subjects,
        pct,
        errors,
        p: row,
    };
    c.form_page(&page.errors, &page)
}

pub async fn show(State(state): State<AppState>, c: Ctx, Path(id): Path<String>) -> Response {
    petition_page(&state, &c, &id, FieldErrors::default()).await
}

#[derive(Deserialize, Default)]
pub struct PetitionForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    proposals: String,
    #[serde(default)]
    addressee_org_id: String,
    #[serde(default)]
    language: String,
}

#[derive(Template)]
#[template(path = "petition_new.html")]
struct NewPage<'a> {
    c: &'a Ctx,
    f: PetitionForm,
    orgs: Vec<(String, String)>,
    errors: FieldErrors,
}

fn new_page_with(state: &AppState, c: &Ctx, f: PetitionForm, errors: FieldErrors) -> Response {
    let r = state.reference();
    let mut orgs: Vec<(String, String)> = r
        .orgs
        .values()
        .map(|o| (o.id.clone(), o.names.get(c.tr.lang).to_string()))
        .collect();
    orgs.sort_by(|a, b| a.1.cmp(&b.1));
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    c.page(status, &NewPage { c, f, orgs, errors })
}

pub async fn new_page(State(state): State<AppState>, c: Ctx) -> Response {
    if let Err(r) = c.require_auth() {
        return r;
    }
    if !c.is_citizen() {
        return super::forbidden(&c);
    }
    let f = PetitionForm {
        language: c.text_language().into(),
        ..Default::default()
    };
    new_page_with(&state, &c, f, FieldErrors::default())
}

pub async fn create(
    State(state): State<AppState>,
    c: Ctx,
    CsrfForm(f): CsrfForm<PetitionForm>,
) -> Response {
    let Some(auth) = c.auth.as_ref() else {
        return c.to_login();
    };
    let req = CreatePetition {
        title: f.title.clone(),
        text: f.text.clone(),
        proposals: f.proposals.clone(),
        addressee_org_id: f.addressee_org_id.clone(),
        collection_mode: None,
        language: Some(f.language.clone()).filter(|l| !l.is_empty()),
        representative_authority: None,
    };
    match create_petition(&state, auth, req).await {
        Ok(row) => c.redirect(&format!("/petitions/{}", row.id), Some("petition-drafted")),
        Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
            let mut errors = FieldErrors::default();
            errors.push(e.field.as_deref().unwrap_or("title"), c.error_message(&e));
            new_page_with(&state, &c, f, errors)
        }
        Err(e) => c.error(e),
    }
}

#[derive(Deserialize, Default)]
pub struct ActForm {
    #[serde(default)]
    subject_code: String,
    #[serde(default)]
    reason: String,
    /// The working group besides the author: one member a line, "name — position".
    #[serde(default)]
    members: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    text: String,
}

fn members_of(lines: &str) -> Vec<Member> {
    lines
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (name, position) = l
                .split_once(" — ")
                .or_else(|| l.split_once(" - "))
                .or_else(|| l.split_once(','))
                .unwrap_or((l, ""));
            Member {
                name: name.trim().to_string(),
                position: position.trim().to_string(),
            }
        })
        .collect()
}

pub async fn act(
    State(state): State<AppState>,
    c: Ctx,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path((id, action)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<ActForm>,
) -> Response {
    let Some(auth) = c.auth.as_ref() else {
        return c.to_login();
    };
    let result = match action.as_str() {
        "submit" => submit_petition(&state, auth, &id).await.map(|_| ()),
        "take" => take_petition(&state, auth, &id).await.map(|_| ()),
        "admit" => admit_petition(&state, auth, &id).await.map(|_| ()),
        "reject" => {
            let req = RejectPetition {
                subject: Some(f.subject_code.clone()).filter(|s| !s.is_empty()),
                reason: f.reason.clone(),
            };
            reject_petition(&state, auth, &id, req).await.map(|_| ())
        }
        "working-group" => {
            let req = WorkingGroup {
                members: members_of(&f.members),
            };
            working_group_petition(&state, auth, &id, req)
                .await
                .map(|_| ())
        }
        "decision" => {
            let req = DecisionReq {
                decision: f.decision.clone(),
                text: f.text.clone(),
            };
            decide_petition(&state, auth, &id, req).await.map(|_| ())
        }
        "close" => close_petition(&state, auth, &id).await.map(|_| ()),
        "sign" => {
            let addr = api::client_ip(&state, peer.ip(), &headers);
            sign_petition(&state, auth, &id, addr).await.map(|_| ())
        }
        _ => return super::not_found(&c),
    };
    match result {
        Ok(()) => c.redirect(
            &format!("/petitions/{id}"),
            Some(&format!("petition-{action}")),
        ),
        Err(e) if super::is_form_error(&e) => {
            let mut errors = FieldErrors::default();
            errors.push(&action, c.error_message(&e));
            petition_page(&state, &c, &id, errors).await
        }
        Err(e) => c.error(e),
    }
}

#[derive(Template)]
#[template(path = "my_signatures.html")]
struct MinePage<'a> {
    c: &'a Ctx,
    rows: Vec<store::MySignature>,
}

pub async fn mine(State(state): State<AppState>, c: Ctx) -> Response {
    let auth = match c.require_auth() {
        Ok(a) => a,
        Err(r) => return r,
    };
    let Some(citizen) = auth.citizen.as_ref() else {
        return super::forbidden(&c);
    };
    match store::my_signatures(&state.db, &citizen.signer_hash).await {
        Ok(rows) => c.page(StatusCode::OK, &MinePage { c: &c, rows }),
        Err(e) => c.error(e.into()),
    }
}

impl PetitionPage<'_> {
    fn subject_name(&self, s: &store::Subject) -> String {
        match self.c.tr.lang {
            tyndau_core::notify::UiLang::Kk => s.name_kk.clone(),
            tyndau_core::notify::UiLang::Ru => s.name_ru.clone(),
            tyndau_core::notify::UiLang::En => s.name_en.clone(),
        }
    }
    fn is(&self, status: &str) -> bool {
        self.p.status == status
    }
    fn error_for(&self, action: &str) -> Option<&str> {
        self.errors.of(action)
    }
}
