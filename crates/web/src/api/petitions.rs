//! Online petitions (KZ_RULES §3): filing, moderation, signing, review and decision, discussion,
//! abuse resistance and open data.

use crate::api::{parse_time, time};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Auth, Json, MaybeAuth, SignerAuth};
use crate::state::AppState;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, SocketAddr};
use tyndau_core::access::{self, PetitionOp, Role};
use tyndau_core::appeal::Language;
use tyndau_core::ids::Iin;
use tyndau_core::petition::{
    CollectionMode, Decision, IpRange, PetitionAction, PetitionStatus, SignatureChannel,
    network_of, public_name,
};
use tyndau_storage::appeals::Actor;
use tyndau_storage::db::{Arg, now_ms};
use tyndau_storage::error::ServiceError;
use tyndau_storage::petitions::{
    self as store, Change, PetitionRow, PreparedSignature, SignOutcome,
};
use utoipa::{IntoParams, ToSchema};

const MAX_TITLE: usize = 200;
const MAX_COMMENT: usize = 2_000;
const MAX_PAPER_BATCH: usize = 1_000;

fn actor(auth: &Auth) -> Actor {
    Actor {
        id: Some(auth.user.id.clone()),
        role: auth.user.role.as_str().into(),
        name: auth.user.full_name.clone(),
        position: auth.user.position.clone().unwrap_or_default(),
    }
}

/// Moderators: officials of the authorised body (configuration), and administrators.
pub(crate) fn is_moderator(state: &AppState, auth: &Auth) -> bool {
    match auth.user.role {
        Role::Administrator => true,
        Role::Official | Role::Head => auth
            .user
            .org_id
            .as_ref()
            .is_some_and(|o| state.config.petition_moderator_orgs.contains(o)),
        _ => false,
    }
}

pub(crate) fn is_author(auth: &Auth, row: &PetitionRow) -> bool {
    auth.user.id == row.author_id
}

/// The core's petition access rules (`access::decide_petition`) for this request and row.
pub(crate) fn may(
    state: &AppState,
    auth: Option<&Auth>,
    op: PetitionOp,
    row: &PetitionRow,
) -> bool {
    access::decide_petition(
        auth.map(|a| &a.principal),
        auth.is_some_and(|a| is_moderator(state, a)),
        op,
        &access::PetitionScope {
            author_user_id: &row.author_id,
            addressee_org_id: &row.addressee_org_id,
            status: row.status(),
        },
    )
}

fn require(
    state: &AppState,
    auth: &Auth,
    op: PetitionOp,
    row: &PetitionRow,
    refusal: &str,
) -> Result<(), ServiceError> {
    if may(state, Some(auth), op, row) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(refusal.into()))
    }
}

pub(crate) async fn load_readable(
    state: &AppState,
    auth: Option<&Auth>,
    id: &str,
) -> ApiResult<PetitionRow> {
    let row = store::get(&state.db, id)
        .await?
        .ok_or_else(store::petition_not_found)?;
    if !may(state, auth, PetitionOp::Read, &row) {
        // The same answer as for a petition that does not exist: drafts are not disclosed.
        return Err(store::petition_not_found().into());
    }
    Ok(row)
}

#[derive(Serialize, ToSchema)]
pub struct AuthorView {
    pub name: String,
    pub iin: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub representative_authority: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RegionCount {
    pub kato: String,
    pub name: Option<String>,
    pub signatures: i64,
}

#[derive(Serialize, ToSchema)]
pub struct PetitionView {
    pub id: String,
    pub status: String,
    pub title: String,
    pub text: String,
    pub proposals: String,
    pub language: String,
    pub addressee_org_id: String,
    pub kato: Option<String>,
    pub collection_mode: String,
    /// "Aigerim S." — the public form of the author's name.
    pub author_public_name: String,
    pub threshold: i64,
    pub signature_count: i64,
    pub submitted_on: Option<String>,
    pub moderation_due_on: Option<String>,
    pub admitted_on: Option<String>,
    pub link_only_due_on: Option<String>,
    pub public_from: Option<String>,
    pub collection_ends_on: Option<String>,
    pub threshold_reached_at: Option<String>,
    pub registered_on: Option<String>,
    pub review_due_on: Option<String>,
    #[schema(value_type = Object)]
    pub working_group: Option<serde_json::Value>,
    pub decision: Option<String>,
    pub decision_text: Option<String>,
    pub decided_at: Option<String>,
    pub rejection_subject: Option<String>,
    pub rejection_reason: Option<String>,
    pub overdue: bool,
    pub created_at: String,
    /// Only for the author, moderators and the addressee's officials.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<AuthorView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counts_by_region: Option<Vec<RegionCount>>,
}

fn view(row: PetitionRow, personal: bool) -> PetitionView {
    let author = personal.then(|| AuthorView {
        name: row.author_name.clone(),
        iin: row.author_iin.clone(),
        email: row.author_email.clone(),
        address: row.author_address.clone(),
        representative_authority: row.representative_authority.clone(),
    });
    PetitionView {
        id: row.id,
        status: row.status,
        title: row.title,
        text: row.text,
        proposals: row.proposals,
        language: row.language,
        addressee_org_id: row.addressee_org_id,
        kato: row.kato,
        collection_mode: row.collection_mode,
        author_public_name: row.author_public_name,
        threshold: row.threshold,
        signature_count: row.signature_count,
        submitted_on: row.submitted_on,
        moderation_due_on: row.moderation_due_on,
        admitted_on: row.admitted_on,
        link_only_due_on: row.link_only_due_on,
        public_from: row.public_from,
        collection_ends_on: row.collection_ends_on,
        threshold_reached_at: row.threshold_reached_at.map(time),
        registered_on: row.registered_on,
        review_due_on: row.review_due_on,
        working_group: row
            .working_group
            .and_then(|w| serde_json::from_str(&w).ok()),
        decision: row.decision,
        decision_text: row.decision_text,
        decided_at: row.decided_at.map(time),
        rejection_subject: row.rejection_subject,
        rejection_reason: row.rejection_reason,
        overdue: row.overdue != 0,
        created_at: time(row.created_at),
        author,
        counts_by_region: None,
    }
}

async fn audited_view(
    state: &AppState,
    auth: Option<&Auth>,
    row: PetitionRow,
) -> ApiResult<PetitionView> {
    let personal = may(state, auth, PetitionOp::ReadPersonalData, &row);
    if personal
        && let Some(a) = auth
        && !is_author(a, &row)
    {
        tyndau_storage::users::write_audit(
            &state.db,
            &a.user.id,
            a.user.role,
            "read_personal_data",
            "petition",
            &row.id,
            None,
        )
        .await?;
    }
    Ok(view(row, personal))
}

fn text_field(v: &str, field: &'static str, max: usize) -> ApiResult<String> {
    let t = v.trim();
    if t.is_empty() {
        return Err(ApiError::invalid(
            "empty_field",
            field,
            format!("{field} must not be empty"),
        ));
    }
    if t.chars().count() > max {
        return Err(ApiError::invalid(
            "too_long",
            field,
            format!("{field} is longer than {max} characters"),
        ));
    }
    Ok(t.to_string())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePetition {
    pub title: String,
    /// The content, with its arguments.
    pub text: String,
    pub proposals: String,
    pub addressee_org_id: String,
    /// electronic (default) or paper: the link-only term is 10 or 20 working days.
    pub collection_mode: Option<String>,
    /// kk, ru or other (default ru).
    pub language: Option<String>,
    /// When filed by a representative: the document that authorises them.
    pub representative_authority: Option<String>,
}

/// File a new petition (a draft; submit it for moderation when ready).
#[utoipa::path(post, path = "/api/v1/petitions", tag = "petitions", request_body = CreatePetition,
    responses((status = 201, body = PetitionView), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    auth: Auth,
    Json(req): Json<CreatePetition>,
) -> ApiResult<Response> {
    let row = create_petition(&state, &auth, req).await?;
    Ok((StatusCode::CREATED, axum::Json(view(row, true))).into_response())
}

/// Files a draft petition for a citizen (API and pages alike).
pub(crate) async fn create_petition(
    state: &AppState,
    auth: &Auth,
    req: CreatePetition,
) -> ApiResult<PetitionRow> {
    let citizen = auth.citizen.clone().ok_or_else(|| {
        ApiError::forbidden("only a citizen identified by IIN may file a petition")
    })?;
    let max_text = state.config.max_text_chars;
    let title = text_field(&req.title, "title", MAX_TITLE)?;
    let text = text_field(&req.text, "text", max_text)?;
    let proposals = text_field(&req.proposals, "proposals", max_text)?;
    let reference = state.reference();
    let org = reference.orgs.get(&req.addressee_org_id).ok_or_else(|| {
        ApiError::invalid(
            "unknown_organisation",
            "addressee_org_id",
            "no such organisation",
        )
    })?;
    let mode = match req.collection_mode.as_deref() {
        None => CollectionMode::Electronic,
        Some(m) => CollectionMode::parse(m).ok_or_else(|| {
            ApiError::invalid(
                "invalid_value",
                "collection_mode",
                "collection_mode is electronic or paper",
            )
        })?,
    };
    let language = match req.language.as_deref() {
        None => Language::Ru,
        Some(l) => Language::parse(l).ok_or_else(|| {
            ApiError::invalid("invalid_value", "language", "language is kk, ru or other")
        })?,
    };
    let threshold = store::threshold(&reference, &state.config.petitions, org);
    let user = state.account(auth).await?;
    let row = store::create(
        &state.db,
        &store::NewPetition {
            title,
            text,
            proposals,
            language,
            addressee_org_id: org.id.clone(),
            kato: org.kato.map(|k| k.code()),
            collection_mode: mode,
            representative_authority: req
                .representative_authority
                .filter(|s| !s.trim().is_empty()),
            author_id: user.id.clone(),
            author_name: user.full_name.clone(),
            author_public_name: public_name(&citizen.given_name, &citizen.family_name),
            author_iin: Some(citizen.iin.clone()),
            author_email: user.email.clone().or(citizen.email.clone()),
            author_address: user.address.clone(),
            threshold,
        },
        &Actor {
            id: Some(user.id.clone()),
            role: "citizen".into(),
            name: user.full_name.clone(),
            position: String::new(),
        },
    )
    .await?;
    Ok(row)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Comma-separated statuses (public lists show only published stages).
    pub status: Option<String>,
    pub addressee: Option<String>,
    /// KATO code: petitions addressed to bodies of this territory or inside it.
    pub kato: Option<String>,
    /// Words in the title or text.
    pub q: Option<String>,
    /// Only my own petitions (any stage).
    pub mine: Option<bool>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct PetitionList {
    pub total: i64,
    pub items: Vec<PetitionView>,
}

/// List and search petitions.
#[utoipa::path(get, path = "/api/v1/petitions", tag = "petitions", params(ListQuery),
    responses((status = 200, body = PetitionList), (status = 422, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::Json<PetitionList>> {
    let q = crate::api::query(q)?;
    let limit = limit_param(q.limit, 50, 200)?;
    let offset = q.offset.unwrap_or(0);
    if !(0..=1_000_000).contains(&offset) {
        return Err(ApiError::invalid(
            "invalid_value",
            "offset",
            "offset must be from 0 to 1000000",
        ));
    }
    let kato = q
        .kato
        .as_deref()
        .map(|k| crate::api::parse_kato(k, "kato").map(|k| k.code()))
        .transpose()?;
    let mut f = store::PetitionFilter {
        addressee_org_id: q.addressee,
        kato,
        q: q.q.filter(|s| !s.trim().is_empty()),
        limit,
        offset,
        ..Default::default()
    };
    if let Some(s) = &q.status {
        for part in s.split(',').filter(|p| !p.is_empty()) {
            f.statuses.push(PetitionStatus::parse(part).ok_or_else(|| {
                ApiError::invalid(
                    "invalid_value",
                    "status",
                    format!(
                        "unknown status '{part}'; one of {}",
                        PetitionStatus::values().join(", ")
                    ),
                )
            })?);
        }
    }
    let mine = q.mine.unwrap_or(false);
    let moderator = auth.as_ref().is_some_and(|a| is_moderator(&state, a));
    if mine {
        let a = auth.as_ref().ok_or_else(ApiError::unauthenticated)?;
        f.author_id = Some(a.user.id.clone());
    } else if !moderator {
        let listed: Vec<PetitionStatus> = PetitionStatus::ALL
            .iter()
            .copied()
            .filter(|s| s.is_listed())
            .collect();
        if f.statuses.is_empty() {
            f.statuses = listed;
        } else if let Some(bad) = f.statuses.iter().find(|s| !s.is_listed()) {
            return Err(ApiError::invalid(
                "status_not_public",
                "status",
                format!("petitions that are {bad} are not listed publicly"),
            ));
        }
    }
    let (rows, total) = store::list(&state.db, &f).await?;
    Ok(axum::Json(PetitionList {
        total,
        items: rows.into_iter().map(|r| view(r, mine)).collect(),
    }))
}

/// One petition with its counts by region.
#[utoipa::path(get, path = "/api/v1/petitions/{id}", tag = "petitions",
    responses((status = 200, body = PetitionView), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<PetitionView>> {
    let row = load_readable(&state, auth.as_ref(), &id).await?;
    let reference = state.reference();
    let counts = store::region_counts(&state.db, &id).await?;
    let mut v = audited_view(&state, auth.as_ref(), row).await?;
    v.counts_by_region = Some(
        counts
            .into_iter()
            .map(|(kato, n)| RegionCount {
                name: tyndau_core::ids::Kato::parse(&kato)
                    .ok()
                    .and_then(|k| reference.territories.get(&k))
                    .map(|t| t.names.en.clone()),
                kato,
                signatures: n,
            })
            .collect(),
    );
    Ok(axum::Json(v))
}

#[derive(Serialize, ToSchema)]
pub struct TimelineEntry {
    pub at: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub reason: Option<String>,
    /// Who acted: a role, never a person.
    pub actor_role: String,
    #[schema(value_type = Object)]
    pub data: Option<serde_json::Value>,
}

/// The petition's timeline (its journal).
#[utoipa::path(get, path = "/api/v1/petitions/{id}/events", tag = "petitions",
    responses((status = 200, body = [TimelineEntry]), (status = 404, body = crate::error::Problem)))]
pub async fn events(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Vec<TimelineEntry>>> {
    load_readable(&state, auth.as_ref(), &id).await?;
    Ok(axum::Json(
        store::events(&state.db, &id)
            .await?
            .into_iter()
            .map(|e| TimelineEntry {
                at: time(e.at),
                action: e.action,
                from_status: e.from_status,
                to_status: e.to_status,
                reason: e.reason,
                actor_role: e.actor_role,
                data: e.data.and_then(|d| serde_json::from_str(&d).ok()),
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditPetition {
    pub title: Option<String>,
    pub text: Option<String>,
    pub proposals: Option<String>,
}

/// Edit a draft (author only).
#[utoipa::path(put, path = "/api/v1/petitions/{id}", tag = "petitions", request_body = EditPetition,
    responses((status = 200, body = PetitionView), (status = 409, body = crate::error::Problem)))]
pub async fn edit(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(req): Json<EditPetition>,
) -> ApiResult<axum::Json<PetitionView>> {
    let max = state.config.max_text_chars;
    let mut sets: Vec<(&'static str, Arg)> = vec![];
    if let Some(t) = &req.title {
        sets.push(("title", Arg::Text(Some(text_field(t, "title", MAX_TITLE)?))));
    }
    if let Some(t) = &req.text {
        sets.push(("text", Arg::Text(Some(text_field(t, "text", max)?))));
    }
    if let Some(t) = &req.proposals {
        sets.push((
            "proposals",
            Arg::Text(Some(text_field(t, "proposals", max)?)),
        ));
    }
    if sets.is_empty() {
        return Err(ApiError::invalid(
            "nothing_to_change",
            "title",
            "give at least one of title, text and proposals",
        ));
    }
    let row = act(&state, &auth, &id, |row| {
        require(
            &state,
            &auth,
            PetitionOp::ActAsAuthor,
            row,
            "only the petition's author may do this",
        )?;
        Ok(Change {
            action: PetitionAction::Edit,
            sets,
            reason: None,
            data: None,
        })
    })
    .await?;
    Ok(axum::Json(view(row, true)))
}

async fn act(
    state: &AppState,
    auth: &Auth,
    id: &str,
    check: impl FnOnce(&PetitionRow) -> Result<Change, ServiceError>,
) -> ApiResult<PetitionRow> {
    // Drafts and moderation stay invisible to those who may not read them.
    load_readable(state, Some(auth), id).await?;
    Ok(store::act(&state.db, id, &actor(auth), check).await?)
}

/// Submit a draft for moderation: the 20-working-day moderation term starts.
#[utoipa::path(post, path = "/api/v1/petitions/{id}/submit", tag = "petitions",
    responses((status = 200, body = PetitionView), (status = 409, body = crate::error::Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<PetitionView>> {
    Ok(axum::Json(view(
        submit_petition(&state, &auth, &id).await?,
        true,
    )))
}

pub(crate) async fn submit_petition(
    state: &AppState,
    auth: &Auth,
    id: &str,
) -> ApiResult<PetitionRow> {
    let c = Change::submit(
        &state.reference(),
        &state.config.terms,
        &state.config.petitions,
        now_ms(),
    );
    act(state, auth, id, |row| {
        require(
            state,
            auth,
            PetitionOp::ActAsAuthor,
            row,
            "only the petition's author may do this",
        )?;
        Ok(c)
    })
    .await
}

fn moderator_only(state: &AppState, auth: &Auth) -> Result<(), ServiceError> {
    if is_moderator(state, auth) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "only the authorised body's moderators may do this".into(),
        ))
    }
}

/// A moderator takes a submitted petition for moderation.
#[utoipa::path(post, path = "/api/v1/petitions/{id}/take", tag = "petitions",
    responses((status = 200, body = PetitionView), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn take(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<PetitionView>> {
    let row = take_petition(&state, &auth, &id).await?;
    Ok(axum::Json(audited_view(&state, Some(&auth), row).await?))
}

pub(crate) async fn take_petition(
    state: &AppState,
    auth: &Auth,
    id: &str,
) -> ApiResult<PetitionRow> {
    moderator_only(state, auth)?;
    act(state, auth, id, |_| Ok(Change::take(&auth.user.id))).await
}

/// Admit: published with link-only access until the first 50 signatures.
#[utoipa::path(post, path = "/api/v1/petitions/{id}/admit", tag = "petitions",
    responses((status = 200, body = PetitionView), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn admit(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<PetitionView>> {
    let row = admit_petition(&state, &auth, &id).await?;
    Ok(axum::Json(audited_view(&state, Some(&auth), row).await?))
}

pub(crate) async fn admit_petition(
    state: &AppState,
    auth: &Auth,
    id: &str,
) -> ApiResult<PetitionRow> {
    moderator_only(state, auth)?;
    let reference = state.reference();
    act(state, auth, id, |row| {
        let mode =
            CollectionMode::parse(&row.collection_mode).unwrap_or(CollectionMode::Electronic);
        Ok(Change::admit(
            &reference,
            &state.config.terms,
            &state.config.petitions,
            mode,
            now_ms(),
        ))
    })
    .await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectPetition {
    /// One of the inadmissible subjects (GET /petition-subjects), when that is the ground.
    pub subject: Option<String>,
    pub reason: String,
}

/// Reject with the reason (an inadmissible subject, or another ground stated in full).
#[utoipa::path(post, path = "/api/v1/petitions/{id}/reject", tag = "petitions", request_body = RejectPetition,
    responses((status = 200, body = PetitionView), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn reject(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(req): Json<RejectPetition>,
) -> ApiResult<axum::Json<PetitionView>> {
    let row = reject_petition(&state, &auth, &id, req).await?;
    Ok(axum::Json(audited_view(&state, Some(&auth), row).await?))
}

pub(crate) async fn reject_petition(
    state: &AppState,
    auth: &Auth,
    id: &str,
    req: RejectPetition,
) -> ApiResult<PetitionRow> {
    moderator_only(state, auth)?;
    let reason = text_field(&req.reason, "reason", 5_000)?;
    if let Some(s) = &req.subject {
        let known = store::subjects(&state.db).await?;
        if !known.iter().any(|k| &k.code == s) {
            return Err(ApiError::invalid(
                "unknown_subject",
                "subject",
                format!("'{s}' is not in the list of inadmissible subjects"),
            ));
        }
    }
    act(state, auth, id, |_| {
        Ok(Change::reject(req.subject.clone(), reason.clone()))
    })
    .await
}

#[derive(Deserialize, Serialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub name: String,
    pub position: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkingGroup {
    pub members: Vec<Member>,
}

/// Record the working group that reviews the petition; the author is always a member.
#[utoipa::path(post, path = "/api/v1/petitions/{id}/working-group", tag = "petitions", request_body = WorkingGroup,
    responses((status = 200, body = PetitionView), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn working_group(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(req): Json<WorkingGroup>,
) -> ApiResult<axum::Json<PetitionView>> {
    let row = working_group_petition(&state, &auth, &id, req).await?;
    Ok(axum::Json(audited_view(&state, Some(&auth), row).await?))
}

pub(crate) async fn working_group_petition(
    state: &AppState,
    auth: &Auth,
    id: &str,
    req: WorkingGroup,
) -> ApiResult<PetitionRow> {
    if req.members.is_empty() || req.members.len() > 50 {
        return Err(ApiError::invalid(
            "invalid_value",
            "members",
            "a working group has 1 to 50 members besides the author",
        ));
    }
    for (i, m) in req.members.iter().enumerate() {
        text_field(&m.name, "name", 200).map_err(|e| ApiError {
            field: Some(format!("members[{i}].name")),
            ..e
        })?;
    }
    act(state, auth, id, |row| {
        require(
            state,
            auth,
            PetitionOp::FormWorkingGroup,
            row,
            "only the addressed body's officials may form its working group",
        )?;
        let others: Vec<(String, String)> = req
            .members
            .iter()
            .map(|m| (m.name.clone(), m.position.clone()))
            .collect();
        Ok(Change::working_group(row, &others))
    })
    .await
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionReq {
    /// supported, partly_supported or not_supported
    pub decision: String,
    /// The reasons, published with the decision.
    pub text: String,
}

/// The first head of the addressed body decides; the decision is published at once.
#[utoipa::path(post, path = "/api/v1/petitions/{id}/decision", tag = "petitions", request_body = DecisionReq,
    responses((status = 200, body = PetitionView), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(req): Json<DecisionReq>,
) -> ApiResult<axum::Json<PetitionView>> {
    let row = decide_petition(&state, &auth, &id, req).await?;
    Ok(axum::Json(audited_view(&state, Some(&auth), row).await?))
}

pub(crate) async fn decide_petition(
    state: &AppState,
    auth: &Auth,
    id: &str,
    req: DecisionReq,
) -> ApiResult<PetitionRow> {
    let decision = Decision::parse(&req.decision).ok_or_else(|| {
        ApiError::invalid(
            "invalid_value",
            "decision",
            "decision is supported, partly_supported or not_supported",
        )
    })?;
    let text = text_field(&req.text, "text", state.config.max_text_chars)?;
    let now = now_ms();
    act(state, auth, id, |row| {
        require(
            state,
            auth,
            PetitionOp::Decide,
            row,
            "the head of the addressed body decides",
        )?;
        Ok(Change::decision(decision, text.clone(), &auth.user.id, now))
    })
    .await
}

/// Close a petition whose decision is published.
#[utoipa::path(post, path = "/api/v1/petitions/{id}/close", tag = "petitions",
    responses((status = 200, body = PetitionView), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn close(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<PetitionView>> {
    let row = close_petition(&state, &auth, &id).await?;
    Ok(axum::Json(audited_view(&state, Some(&auth), row).await?))
}

pub(crate) async fn close_petition(
    state: &AppState,
    auth: &Auth,
    id: &str,
) -> ApiResult<PetitionRow> {
    act(state, auth, id, |row| {
        require(
            state,
            auth,
            PetitionOp::Close,
            row,
            "only the addressed body or a moderator may close it",
        )?;
        Ok(Change::close())
    })
    .await
}

#[derive(Serialize, ToSchema)]
pub struct QueueItem {
    pub id: String,
    pub title: String,
    pub status: String,
    pub addressee_org_id: String,
    pub submitted_on: Option<String>,
    pub moderation_due_on: Option<String>,
    pub overdue: bool,
}

/// The moderation queue, earliest deadline first.
#[utoipa::path(get, path = "/api/v1/moderation/petitions", tag = "petitions",
    responses((status = 200, body = [QueueItem]), (status = 403, body = crate::error::Problem)))]
pub async fn moderation_queue(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<axum::Json<Vec<QueueItem>>> {
    moderator_only(&state, &auth)?;
    let (mut rows, _) = store::list(
        &state.db,
        &store::PetitionFilter {
            statuses: vec![PetitionStatus::Submitted, PetitionStatus::InModeration],
            limit: 200,
            ..Default::default()
        },
    )
    .await?;
    rows.sort_by(|a, b| {
        a.moderation_due_on
            .cmp(&b.moderation_due_on)
            .then(a.id.cmp(&b.id))
    });
    Ok(axum::Json(
        rows.into_iter()
            .map(|r| QueueItem {
                overdue: r.overdue != 0,
                id: r.id,
                title: r.title,
                status: r.status,
                addressee_org_id: r.addressee_org_id,
                submitted_on: r.submitted_on,
                moderation_due_on: r.moderation_due_on,
            })
            .collect(),
    ))
}

// --------------------------------------------------------------------------------------------
// Signing

/// The client's address: the peer, or — when the peer is a trusted proxy — the last address
/// X-Forwarded-For names before the trusted ones.
pub fn client_ip(state: &AppState, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
    let trusted = |ip: &IpAddr| {
        state
            .config
            .trusted_proxies
            .iter()
            .any(|t| IpRange::parse(t).is_some_and(|r| r.contains(*ip)))
    };
    if !trusted(&peer) {
        return peer;
    }
    let Some(xff) = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) else {
        return peer;
    };
    let mut ip = peer;
    for hop in xff.rsplit(',') {
        match hop.trim().parse::<IpAddr>() {
            Ok(a) => {
                ip = a;
                if !trusted(&a) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    ip
}

fn rate_limit(state: &AppState, ip: &str, network: &str) -> ApiResult<()> {
    let limited = state
        .ip_limiter
        .take(ip)
        .and_then(|_| state.network_limiter.take(network));
    limited.map_err(|wait| ApiError {
        status: StatusCode::TOO_MANY_REQUESTS,
        code: "rate_limited",
        detail: format!("too many signatures from your address or network; try again in {wait} s"),
        field: None,
    })
}

#[derive(Serialize, ToSchema)]
pub struct Signed {
    pub petition_id: String,
    /// How your signature is shown.
    pub public_name: String,
    /// The petition's valid signatures after yours.
    pub signature_count: i64,
}

/// Sign a petition (an identified citizen; once per person). Answered once the signature is durable.
#[utoipa::path(post, path = "/api/v1/petitions/{id}/signatures", tag = "petitions",
    responses((status = 201, body = Signed), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem, description = "already signed, or the petition is not collecting signatures"),
        (status = 429, body = crate::error::Problem)))]
pub async fn sign(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
    SignerAuth(auth): SignerAuth,
) -> ApiResult<Response> {
    let addr = client_ip(&state, peer.ip(), &headers);
    let (name, count) = sign_petition(&state, &auth, &id, addr).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Signed {
            petition_id: id,
            public_name: name,
            signature_count: count,
        }),
    )
        .into_response())
}

/// Signs for the citizen from this client address, once durable: the public name and the count.
pub(crate) async fn sign_petition(
    state: &AppState,
    auth: &Auth,
    id: &str,
    addr: IpAddr,
) -> ApiResult<(String, i64)> {
    let citizen = auth
        .citizen
        .as_ref()
        .ok_or_else(|| ApiError::forbidden("only a citizen identified by IIN may sign"))?;
    let (ip, network) = (addr.to_string(), network_of(addr));
    rate_limit(state, &ip, &network)?;
    let name = public_name(&citizen.given_name, &citizen.family_name);
    let sig = PreparedSignature {
        petition_id: id.to_string(),
        signer_hash: citizen.signer_hash.clone(),
        public_name: name.clone(),
        kato: region_of(citizen.kato.as_deref()),
        channel: SignatureChannel::Electronic,
        ip: Some(ip),
        network: Some(network),
        email_domain: citizen
            .email
            .as_deref()
            .and_then(|e| e.rsplit_once('@'))
            .map(|(_, d)| d.to_ascii_lowercase()),
        signed_at: now_ms(),
        entered_by: None,
    };
    let outcome = state.registrar.sign(vec![sig]).await?.pop();
    match outcome {
        Some(SignOutcome::Signed { count }) => Ok((name, count)),
        other => Err(outcome_error(other)),
    }
}

fn outcome_error(o: Option<SignOutcome>) -> ApiError {
    match o {
        Some(SignOutcome::AlreadySigned) => ApiError::new(
            StatusCode::CONFLICT,
            "already_signed",
            "this person has already signed this petition",
        ),
        // Drafts and petitions in moderation are not disclosed to signers.
        Some(SignOutcome::NotOpen(
            PetitionStatus::Draft | PetitionStatus::Submitted | PetitionStatus::InModeration,
        )) => store::petition_not_found().into(),
        Some(SignOutcome::NotOpen(s)) => ApiError::new(
            StatusCode::CONFLICT,
            "petition_not_open",
            format!("the petition is {s} and does not collect signatures"),
        ),
        Some(SignOutcome::PetitionNotFound) => store::petition_not_found().into(),
        _ => anyhow::anyhow!("no signing outcome").into(),
    }
}

/// The region (oblast-level KATO) of a residence code; None when unknown or malformed.
fn region_of(kato: Option<&str>) -> Option<String> {
    kato.and_then(|k| tyndau_core::ids::Kato::parse(k).ok())
        .map(|k| k.region().code())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaperSignature {
    pub iin: String,
    pub given_name: String,
    pub family_name: String,
    /// KATO of the signer's residence.
    pub kato: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaperBatch {
    pub signatures: Vec<PaperSignature>,
}

#[derive(Serialize, ToSchema)]
pub struct PaperResult {
    pub signed: usize,
    pub already_signed: usize,
    pub signature_count: i64,
    /// One per submitted signature, in order: signed or already_signed.
    pub results: Vec<String>,
}

/// Enter paper signatures in bulk (the addressed body's officials or moderators); the same
/// one-per-person rule applies.
#[utoipa::path(post, path = "/api/v1/petitions/{id}/paper-signatures", tag = "petitions", request_body = PaperBatch,
    responses((status = 200, body = PaperResult), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn paper(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(req): Json<PaperBatch>,
) -> ApiResult<axum::Json<PaperResult>> {
    let row = load_readable(&state, Some(&auth), &id).await?;
    require(
        &state,
        &auth,
        PetitionOp::EnterPaperSignatures,
        &row,
        "only the addressed body's officials or moderators enter paper signatures",
    )?;
    if req.signatures.is_empty() || req.signatures.len() > MAX_PAPER_BATCH {
        return Err(ApiError::invalid(
            "invalid_value",
            "signatures",
            format!("send 1 to {MAX_PAPER_BATCH} signatures at a time"),
        ));
    }
    let now = now_ms();
    let mut sigs = Vec::with_capacity(req.signatures.len());
    for (i, s) in req.signatures.iter().enumerate() {
        let iin = Iin::parse(s.iin.trim()).map_err(|e| {
            ApiError::invalid("invalid_iin", format!("signatures[{i}].iin"), e.to_string())
        })?;
        for (v, f) in [
            (&s.given_name, "given_name"),
            (&s.family_name, "family_name"),
        ] {
            if v.trim().is_empty() || v.chars().count() > 100 {
                return Err(ApiError::invalid(
                    "invalid_value",
                    format!("signatures[{i}].{f}"),
                    format!("{f} must be 1-100 characters"),
                ));
            }
        }
        // A residence the official typed wrong is refused, not dropped: the count by region
        // would lose the signature's region silently.
        let region = s
            .kato
            .as_deref()
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(|k| crate::api::parse_kato(k, format!("signatures[{i}].kato")))
            .transpose()?
            .map(|k| k.region().code());
        sigs.push(PreparedSignature {
            petition_id: id.clone(),
            signer_hash: crate::identity::signer_hash(&state.signer_key, iin.as_str()),
            public_name: public_name(&s.given_name, &s.family_name),
            kato: region,
            channel: SignatureChannel::Paper,
            ip: None,
            network: None,
            email_domain: None,
            signed_at: now,
            entered_by: Some(auth.user.id.clone()),
        });
    }
    let outcomes = state.registrar.sign(sigs).await?;
    let mut res = PaperResult {
        signed: 0,
        already_signed: 0,
        signature_count: row.signature_count,
        results: vec![],
    };
    for o in outcomes {
        match o {
            SignOutcome::Signed { count } => {
                res.signed += 1;
                res.signature_count = count;
                res.results.push("signed".into());
            }
            SignOutcome::AlreadySigned => {
                res.already_signed += 1;
                res.results.push("already_signed".into());
            }
            other => return Err(outcome_error(Some(other))),
        }
    }
    Ok(axum::Json(res))
}

/// A `limit` query parameter: `default` when absent, else 1 to `max` (refused, not clamped, so
/// that a caller asking for 100,000 rows learns they get at most `max`).
fn limit_param(limit: Option<i64>, default: i64, max: i64) -> ApiResult<i64> {
    let n = limit.unwrap_or(default);
    if !(1..=max).contains(&n) {
        return Err(ApiError::invalid(
            "invalid_value",
            "limit",
            format!("limit must be from 1 to {max}"),
        ));
    }
    Ok(n)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LimitQuery {
    pub limit: Option<i64>,
}

/// The latest signatures, as the public sees them ("Aigerim S.", region, time).
#[utoipa::path(get, path = "/api/v1/petitions/{id}/signatures", tag = "petitions", params(LimitQuery),
    responses((status = 200, description = "public signatures"), (status = 404, body = crate::error::Problem)))]
pub async fn signatures(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    Path(id): Path<String>,
    q: Result<Query<LimitQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let q = crate::api::query(q)?;
    let row = load_readable(&state, auth.as_ref(), &id).await?;
    let list = store::recent_signatures(&state.db, &id, limit_param(q.limit, 50, 500)?).await?;
    Ok(axum::Json(serde_json::json!({
        "signature_count": row.signature_count,
        "items": list.into_iter().map(|s| serde_json::json!({
            "public_name": s.public_name, "region": s.region, "channel": s.channel, "signed_at": time(s.signed_at)
        })).collect::<Vec<_>>(),
    })))
}

/// My signatures (the signer sees their own).
#[utoipa::path(get, path = "/api/v1/me/signatures", tag = "petitions",
    responses((status = 200, description = "the caller's signatures"), (status = 401, body = crate::error::Problem)))]
pub async fn my_signatures(
    State(state): State<AppState>,
    SignerAuth(auth): SignerAuth,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let c = auth
        .citizen
        .as_ref()
        .ok_or_else(|| ApiError::forbidden("only citizens sign petitions"))?;
    let list = store::my_signatures(&state.db, &c.signer_hash).await?;
    Ok(axum::Json(serde_json::json!(
        list.into_iter()
            .map(|s| serde_json::json!({
                "petition_id": s.petition_id, "title": s.title, "status": s.status,
                "signed_at": time(s.signed_at), "counted": s.counted
            }))
            .collect::<Vec<_>>()
    )))
}

// --------------------------------------------------------------------------------------------
// Abuse resistance

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TrendQuery {
    /// ip, network or email_domain
    pub by: Option<String>,
    /// RFC 3339; default: the last hour.
    pub since: Option<String>,
    pub limit: Option<i64>,
}

/// Moderators: the addresses, networks or e-mail domains that sign a petition the most.
#[utoipa::path(get, path = "/api/v1/petitions/{id}/trending", tag = "petitions", params(TrendQuery),
    responses((status = 200, description = "top keys with counts"), (status = 403, body = crate::error::Problem)))]
pub async fn trending(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    q: Result<Query<TrendQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    let q = crate::api::query(q)?;
    moderator_only(&state, &auth)?;
    load_readable(&state, Some(&auth), &id).await?;
    let column = match q.by.as_deref().unwrap_or("ip") {
        "ip" => "ip",
        "network" => "network",
        "email_domain" => "email_domain",
        other => {
            return Err(ApiError::invalid(
                "invalid_value",
                "by",
                format!("'{other}': by is ip, network or email_domain"),
            ));
        }
    };
    let since = match &q.since {
        Some(s) => parse_time(s, "since")?,
        None => now_ms() - 3_600_000,
    };
    let rows = store::trending(
        &state.db,
        &id,
        column,
        since,
        limit_param(q.limit, 20, 200)?,
    )
    .await?;
    Ok(axum::Json(serde_json::json!({
        "by": column, "since": time(since),
        "items": rows.into_iter().map(|t| serde_json::json!({
            "key": t.key, "signatures": t.signatures, "first_at": time(t.first_at), "last_at": time(t.last_at)
        })).collect::<Vec<_>>()
    })))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvalidateReq {
    /// CIDR (10.1.2.0/24) or one address.
    pub ip_range: Option<String>,
    /// RFC 3339: signatures made at or after this time...
    pub from: Option<String>,
    /// ...and before this time.
    pub to: Option<String>,
    pub reason: String,
}

/// Moderators: invalidate the signatures from an address range and/or a time window. They stop
/// counting at once; the invalidation is journaled and can be reversed.
#[utoipa::path(post, path = "/api/v1/petitions/{id}/invalidations", tag = "petitions", request_body = InvalidateReq,
    responses((status = 201, description = "the invalidation"), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn invalidate(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(req): Json<InvalidateReq>,
) -> ApiResult<Response> {
    moderator_only(&state, &auth)?;
    let reason = text_field(&req.reason, "reason", 2_000)?;
    let range = match &req.ip_range {
        Some(r) => Some((
            r.trim().to_string(),
            IpRange::parse(r.trim()).ok_or_else(|| {
                ApiError::invalid(
                    "invalid_ip_range",
                    "ip_range",
                    format!("'{r}' is not an address or CIDR range"),
                )
            })?,
        )),
        None => None,
    };
    let from = req
        .from
        .as_deref()
        .map(|s| parse_time(s, "from"))
        .transpose()?;
    let to = req.to.as_deref().map(|s| parse_time(s, "to")).transpose()?;
    if range.is_none() && from.is_none() && to.is_none() {
        return Err(ApiError::invalid(
            "missing_field",
            "ip_range",
            "give an ip_range, a time window (from/to), or both",
        ));
    }
    if let (Some(f), Some(t)) = (from, to)
        && f >= t
    {
        return Err(ApiError::invalid(
            "invalid_value",
            "to",
            "the window's end must be after its start",
        ));
    }
    load_readable(&state, Some(&auth), &id).await?;
    let inv = store::invalidate(
        &state.db,
        &id,
        &actor(&auth),
        range,
        from,
        to,
        &reason,
        state.config.terms.utc_offset_minutes,
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(inv)).into_response())
}

/// Moderators: the invalidations of a petition.
#[utoipa::path(get, path = "/api/v1/petitions/{id}/invalidations", tag = "petitions",
    responses((status = 200, description = "invalidations"), (status = 403, body = crate::error::Problem)))]
pub async fn invalidations(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Vec<store::Invalidation>>> {
    moderator_only(&state, &auth)?;
    Ok(axum::Json(store::invalidations(&state.db, &id).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonReq {
    pub reason: String,
}

/// Moderators: reverse an invalidation; its signatures count again.
#[utoipa::path(post, path = "/api/v1/petitions/{id}/invalidations/{inv}/restore", tag = "petitions", request_body = ReasonReq,
    responses((status = 200, description = "restored"), (status = 404, body = crate::error::Problem)))]
pub async fn restore(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, inv)): Path<(String, String)>,
    Json(req): Json<ReasonReq>,
) -> ApiResult<axum::Json<serde_json::Value>> {
    moderator_only(&state, &auth)?;
    let reason = text_field(&req.reason, "reason", 2_000)?;
    let n = store::restore(
        &state.db,
        &id,
        &inv,
        &actor(&auth),
        &reason,
        state.config.terms.utc_offset_minutes,
    )
    .await?;
    Ok(axum::Json(serde_json::json!({ "restored": n })))
}

// --------------------------------------------------------------------------------------------
// Discussion

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentReq {
    pub text: String,
    pub parent_id: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CommentView {
    pub id: String,
    pub parent_id: Option<String>,
    pub public_name: String,
    /// Written by the petition's author (their replies).
    pub by_author: bool,
    pub text: String,
    pub hidden: bool,
    pub created_at: String,
}

fn comment_view(c: store::Comment) -> CommentView {
    CommentView {
        id: c.id,
        parent_id: c.parent_id,
        public_name: c.public_name,
        by_author: c.by_author != 0,
        text: c.text,
        hidden: c.hidden != 0,
        created_at: time(c.created_at),
    }
}

/// Public comments (moderators also see hidden ones).
#[utoipa::path(get, path = "/api/v1/petitions/{id}/comments", tag = "petitions",
    responses((status = 200, body = [CommentView]), (status = 404, body = crate::error::Problem)))]
pub async fn comments(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Vec<CommentView>>> {
    load_readable(&state, auth.as_ref(), &id).await?;
    let all = auth.as_ref().is_some_and(|a| is_moderator(&state, a));
    Ok(axum::Json(
        store::comments(&state.db, &id, all)
            .await?
            .into_iter()
            .map(comment_view)
            .collect(),
    ))
}

/// Comment on a petition (identified citizens); the author's comments are marked as replies.
#[utoipa::path(post, path = "/api/v1/petitions/{id}/comments", tag = "petitions", request_body = CommentReq,
    responses((status = 201, body = CommentView), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn add_comment(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(req): Json<CommentReq>,
) -> ApiResult<Response> {
    let citizen = auth
        .citizen
        .clone()
        .ok_or_else(|| ApiError::forbidden("only identified citizens comment on petitions"))?;
    let text = text_field(&req.text, "text", MAX_COMMENT)?;
    let row = load_readable(&state, Some(&auth), &id).await?;
    if matches!(
        row.status(),
        PetitionStatus::Draft | PetitionStatus::Submitted | PetitionStatus::InModeration
    ) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "petition_not_open",
            "comments open once the petition is admitted",
        ));
    }
    let user = state.account(&auth).await?;
    let c = store::add_comment(
        &state.db,
        &id,
        req.parent_id.as_deref(),
        &user.id,
        &public_name(&citizen.given_name, &citizen.family_name),
        user.id == row.author_id,
        &text,
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(comment_view(c))).into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportReq {
    pub reason: Option<String>,
}

/// Report a comment; it is hidden once enough people report it (a setting).
#[utoipa::path(post, path = "/api/v1/petition-comments/{cid}/report", tag = "petitions", request_body = ReportReq,
    responses((status = 200, body = CommentView), (status = 409, body = crate::error::Problem)))]
pub async fn report_comment(
    State(state): State<AppState>,
    auth: Auth,
    Path(cid): Path<String>,
    Json(req): Json<ReportReq>,
) -> ApiResult<axum::Json<CommentView>> {
    let c = store::comment(&state.db, &cid)
        .await?
        .ok_or_else(store::comment_not_found)?;
    load_readable(&state, Some(&auth), &c.petition_id).await?;
    let hide_at = i64::from(state.config.petitions.comment_reports_to_hide.max(1));
    let c = store::report_comment(
        &state.db,
        &cid,
        &auth.user.id,
        req.reason.as_deref(),
        hide_at,
    )
    .await?;
    Ok(axum::Json(comment_view(c)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModerateReq {
    pub hidden: bool,
}

/// Moderators hide or restore a comment.
#[utoipa::path(post, path = "/api/v1/petition-comments/{cid}/moderate", tag = "petitions", request_body = ModerateReq,
    responses((status = 200, body = CommentView), (status = 403, body = crate::error::Problem)))]
pub async fn moderate_comment(
    State(state): State<AppState>,
    auth: Auth,
    Path(cid): Path<String>,
    Json(req): Json<ModerateReq>,
) -> ApiResult<axum::Json<CommentView>> {
    moderator_only(&state, &auth)?;
    let c = store::moderate_comment(&state.db, &cid, &auth.user.id, req.hidden).await?;
    Ok(axum::Json(comment_view(c)))
}

// --------------------------------------------------------------------------------------------
// The inadmissible subjects and open data

/// The maintained list of subjects a petition may not address.
#[utoipa::path(get, path = "/api/v1/petition-subjects", tag = "petitions",
    responses((status = 200, description = "inadmissible subjects")))]
pub async fn subjects(State(state): State<AppState>) -> ApiResult<axum::Json<Vec<store::Subject>>> {
    Ok(axum::Json(store::subjects(&state.db).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectReq {
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
}

/// Administrators add or rename an inadmissible subject.
#[utoipa::path(put, path = "/api/v1/admin/petition-subjects/{code}", tag = "admin", request_body = SubjectReq,
    responses((status = 204, description = "saved"), (status = 403, body = crate::error::Problem)))]
pub async fn put_subject(
    State(state): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
    Json(req): Json<SubjectReq>,
) -> ApiResult<StatusCode> {
    if auth.user.role != Role::Administrator {
        return Err(ApiError::forbidden("administrators maintain the list"));
    }
    if code.is_empty()
        || code.len() > 64
        || !code.chars().all(|c| c.is_ascii_lowercase() || c == '_')
    {
        return Err(ApiError::invalid(
            "invalid_value",
            "code",
            "a code is 1-64 lowercase letters and underscores",
        ));
    }
    store::upsert_subject(
        &state.db,
        &store::Subject {
            code,
            name_kk: text_field(&req.name_kk, "name_kk", 300)?,
            name_ru: text_field(&req.name_ru, "name_ru", 300)?,
            name_en: text_field(&req.name_en, "name_en", 300)?,
        },
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Administrators retire an inadmissible subject (past rejections keep it).
#[utoipa::path(delete, path = "/api/v1/admin/petition-subjects/{code}", tag = "admin",
    responses((status = 204, description = "retired"), (status = 404, body = crate::error::Problem)))]
pub async fn delete_subject(
    State(state): State<AppState>,
    auth: Auth,
    Path(code): Path<String>,
) -> ApiResult<StatusCode> {
    if auth.user.role != Role::Administrator {
        return Err(ApiError::forbidden("administrators maintain the list"));
    }
    if store::deactivate_subject(&state.db, &code).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found("subject_not_found", "no such subject"))
    }
}

pub(crate) fn csv_cell(s: &str) -> String {
    // A cell a spreadsheet would take for a formula (a petition titled "=HYPERLINK(…)") is
    // opened as text: a leading apostrophe, as OWASP advises for CSV exports.
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

pub(crate) fn csv_response(name: &str, body: String) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// Open data: every published petition (no personal data).
#[utoipa::path(get, path = "/api/v1/open-data/petitions.csv", tag = "open data",
    responses((status = 200, content_type = "text/csv", description = "CSV")))]
pub async fn open_petitions(State(state): State<AppState>) -> ApiResult<Response> {
    let mut out = String::from(
        "id,status,title,addressee_org_id,kato,author,threshold,signature_count,public_from,collection_ends_on,threshold_reached_at,review_due_on,decision,decided_at\n",
    );
    let mut offset = 0;
    loop {
        let (rows, _) = store::list(
            &state.db,
            &store::PetitionFilter {
                statuses: PetitionStatus::ALL
                    .iter()
                    .copied()
                    .filter(|s| s.is_listed())
                    .collect(),
                limit: 200,
                offset,
                ..Default::default()
            },
        )
        .await?;
        let n = rows.len();
        for r in rows {
            let cells = [
                r.id,
                r.status,
                r.title,
                r.addressee_org_id,
                r.kato.unwrap_or_default(),
                r.author_public_name,
                r.threshold.to_string(),
                r.signature_count.to_string(),
                r.public_from.unwrap_or_default(),
                r.collection_ends_on.unwrap_or_default(),
                r.threshold_reached_at.map(time).unwrap_or_default(),
                r.review_due_on.unwrap_or_default(),
                r.decision.unwrap_or_default(),
                r.decided_at.map(time).unwrap_or_default(),
            ];
            out.push_str(
                &cells
                    .iter()
                    .map(|c| csv_cell(c))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            out.push('\n');
        }
        if n < 200 {
            break;
        }
        offset += 200;
    }
    Ok(csv_response("petitions.csv", out))
}

/// Open data: signatures per petition and day.
#[utoipa::path(get, path = "/api/v1/open-data/petition-daily-counts.csv", tag = "open data",
    responses((status = 200, content_type = "text/csv", description = "CSV")))]
pub async fn open_daily(State(state): State<AppState>) -> ApiResult<Response> {
    let mut out = String::from("petition_id,day,signatures\n");
    for (p, d, n) in store::daily_counts(&state.db, None).await? {
        out.push_str(&format!("{p},{d},{n}\n"));
    }
    Ok(csv_response("petition-daily-counts.csv", out))
}

/// Moves petitions on time: link-only term lapsed, collection period over, terms overdue.
pub async fn run_due(state: &AppState) -> anyhow::Result<usize> {
    let today = state.config.terms.local_date(now_ms());
    Ok(store::apply_due(&state.db, today).await?)
}

#[cfg(test)]
mod csv_tests {
    use super::csv_cell;

    #[test]
    fn a_csv_cell_that_a_spreadsheet_would_run_as_a_formula_is_opened_as_text() {
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-2+3,x"), "\"'-2+3,x\"");
        assert_eq!(csv_cell("Освещение улиц"), "Освещение улиц");
        assert_eq!(csv_cell("a \"b\""), "\"a \"\"b\"\"\"");
        assert_eq!(csv_cell("2026-11"), "2026-11");
    }
}
