//! /api/v1/appeals: submit, read, list, journal and lifecycle actions.

use crate::api::{parse_date, parse_time, time};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Auth, Json, MaybeAuth};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tyndau_core::access::{self, Op, Principal, Role};
use tyndau_core::appeal::{
    Action, Channel, Form, Language, LeaveReason, Status, TransitionContext, transition,
};
use tyndau_core::ids::{Bin, Kato};
use tyndau_storage::appeals::{
    self as store, Actor, AppealRow, Applicant, AttachmentMeta, Command, IdempotencyKey, NewAppeal,
    Registered,
};
use tyndau_storage::db::now_ms;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitAppeal {
    /// application, complaint, proposal, request, response or report
    pub form: String,
    /// web, api, call_centre_1414, reception_centre, social_network or paper; default: web for a
    /// browser session, api for a bearer token.
    pub channel: Option<String>,
    /// The language of the answer: kk, ru or other. Omitted: the language the text is written
    /// in (`text_language`), `other` for English and the rest.
    pub language: Option<String>,
    /// The subject. Omitted: the category classifier fills it in when it is confident enough
    /// (`category_confidence_threshold`), else it is `other.other` for an official to classify.
    pub category_id: Option<String>,
    /// The body addressed; omitted: routed by the routing rules.
    pub addressee_org_id: Option<String>,
    /// KATO code of the place concerned.
    pub kato: Option<String>,
    pub location: Option<GeoPoint>,
    pub text: String,
    #[serde(default)]
    pub attachments: Vec<AttachmentIn>,
    /// Submit without identifying yourself. Anonymous appeals are registered but not considered,
    /// unless they report a crime or a threat to state or public security.
    #[serde(default)]
    pub anonymous: bool,
    #[serde(default)]
    pub reports_crime: bool,
    /// Officials registering an appeal received on paper, by phone or in person: the applicant.
    pub applicant: Option<ApplicantIn>,
    /// Officials only: when a paper or oral appeal was received (RFC 3339), if earlier than now.
    pub received_at: Option<String>,
}

#[derive(Deserialize, Serialize, ToSchema, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentIn {
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Hex SHA-256 of the file's content.
    pub sha256: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicantIn {
    /// individual or legal_entity
    pub kind: String,
    pub full_name: String,
    pub iin: Option<String>,
    pub bin: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ApplicantView {
    pub kind: String,
    pub name: Option<String>,
    pub iin: Option<String>,
    pub bin: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AnswerView {
    pub text: String,
    pub answered_at: String,
    pub answered_by: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RatingView {
    pub score: i64,
    pub comment: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TicketView {
    /// The ticket (талон) number.
    pub number: String,
    pub reg_no: String,
    pub registered_at: String,
    pub accepted_by_name: String,
    pub accepted_by_position: String,
}

#[derive(Serialize, ToSchema)]
pub struct AppealView {
    pub id: String,
    pub reg_no: String,
    pub ticket: TicketView,
    pub form: String,
    pub channel: String,
    /// The language of the answer (kk, ru, other).
    pub language: String,
    /// The language the text is written in, identified at registration: kk, ru, en or other
    /// (null for an appeal registered before identification, until the start-up backfill).
    pub text_language: Option<String>,
    pub status: String,
    /// The body the appeal was addressed to.
    pub addressee_org_id: String,
    /// The body handling it now (differs after forwarding).
    pub org_id: String,
    pub category_id: String,
    pub kato: Option<String>,
    pub location: Option<GeoPoint>,
    pub text: String,
    pub received_at: String,
    pub registered_on: String,
    pub due_on: String,
    pub original_due_on: String,
    pub overdue: bool,
    pub assignee_id: Option<String>,
    pub escalated_to_org_id: Option<String>,
    pub extensions: i64,
    pub forwards: i64,
    pub forwarded_late: bool,
    /// The earlier appeal on the same subject by the same applicant, if any.
    pub repeated_of: Option<String>,
    /// For a complaint: the appeal complained about.
    pub parent_appeal_id: Option<String>,
    pub answer: Option<AnswerView>,
    pub rating: Option<RatingView>,
    pub closed_at: Option<String>,
    pub leave_reason: Option<String>,
    /// Present only for those entitled to the applicant's personal data (the applicant and the
    /// officials handling the appeal); each official's read is journaled.
    pub applicant: Option<ApplicantView>,
    pub personal_data_redacted: bool,
    pub attachments: Option<Vec<AttachmentIn>>,
    /// Actions the caller may take now.
    pub allowed_actions: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

const ACTIONS: [(Op, Action, &str); 9] = [
    (Op::Assign, Action::Assign, "assign"),
    (Op::Forward, Action::Forward, "forward"),
    (Op::Extend, Action::Extend, "extend"),
    (Op::Answer, Action::Answer, "answer"),
    (Op::Rate, Action::Rate, "rate"),
    (Op::Complain, Action::Complain, "complain"),
    (Op::Close, Action::Close, "close"),
    (
        Op::LeaveWithoutConsideration,
        Action::LeaveWithoutConsideration,
        "leave-without-consideration",
    ),
    (Op::Escalate, Action::Escalate, "escalate"),
];

pub(crate) fn allowed_actions(p: &Principal, r: &AppealRow) -> Vec<String> {
    let ctx = TransitionContext {
        overdue: r.overdue != 0,
    };
    ACTIONS
        .iter()
        .filter(|(op, a, _)| {
            access::decide(p, *op, &r.scope()) && transition(r.status(), *a, ctx).is_ok()
        })
        .map(|(_, _, n)| n.to_string())
        .collect()
}

pub fn view(
    p: &Principal,
    r: AppealRow,
    with_pd: bool,
    attachments: Option<Vec<AttachmentMeta>>,
) -> AppealView {
    let allowed = allowed_actions(p, &r);
    let applicant = with_pd.then(|| ApplicantView {
        kind: r.applicant_kind.clone(),
        name: r.applicant_name.clone(),
        iin: r.applicant_iin.clone(),
        bin: r.applicant_bin.clone(),
        email: r.applicant_email.clone(),
        phone: r.applicant_phone.clone(),
        address: r.applicant_address.clone(),
    });
    AppealView {
        ticket: TicketView {
            number: r.ticket,
            reg_no: r.reg_no.clone(),
            registered_at: time(r.created_at),
            accepted_by_name: r.accepted_by_name,
            accepted_by_position: r.accepted_by_position,
        },
        id: r.id,
        reg_no: r.reg_no,
        form: r.form,
        channel: r.channel,
        language: r.language,
        text_language: r.text_language,
        status: r.status,
        addressee_org_id: r.addressee_org_id,
        org_id: r.org_id,
        category_id: r.category_id,
        kato: r.kato,
        location: r.lat.zip(r.lon).map(|(lat, lon)| GeoPoint { lat, lon }),
        text: r.text,
        received_at: time(r.received_at),
        registered_on: r.registered_on,
        due_on: r.due_on,
        original_due_on: r.original_due_on,
        overdue: r.overdue != 0,
        assignee_id: r.assignee_id,
        escalated_to_org_id: r.escalated_to_org_id,
        extensions: r.extensions,
        forwards: r.forwards,
        forwarded_late: r.forwarded_late != 0,
        repeated_of: r.repeated_of,
        parent_appeal_id: r.parent_appeal_id,
        answer: r.answer_text.map(|text| AnswerView {
            text,
            answered_at: r.answered_at.map(time).unwrap_or_default(),
            answered_by: r.answered_by,
        }),
        rating: r.rating.map(|score| RatingView {
            score,
            comment: r.rating_comment,
        }),
        closed_at: r.closed_at.map(time),
        leave_reason: r.leave_reason,
        personal_data_redacted: !with_pd && r.applicant_kind != "anonymous",
        applicant,
        attachments: attachments.map(|v| {
            v.into_iter()
                .map(|a| AttachmentIn {
                    file_name: a.file_name,
                    content_type: a.content_type,
                    size_bytes: a.size_bytes,
                    sha256: a.sha256,
                })
                .collect()
        }),
        allowed_actions: allowed,
        created_at: time(r.created_at),
        updated_at: time(r.updated_at),
    }
}

pub(crate) fn parse_enum<T>(
    v: &str,
    field: &str,
    parse: fn(&str) -> Option<T>,
    values: Vec<&str>,
) -> ApiResult<T> {
    parse(v).ok_or_else(|| {
        ApiError::invalid(
            "invalid_value",
            field,
            format!("'{v}' is not one of: {}", values.join(", ")),
        )
    })
}

/// Submit an appeal. With an `Idempotency-Key` header a retried request returns the appeal the
/// first one registered, never a second appeal.
#[utoipa::path(post, path = "/api/v1/appeals", tag = "appeals", request_body = SubmitAppeal,
    params(("Idempotency-Key" = Option<String>, Header, description = "Client-chosen key (1-200 chars) making retries safe")),
    responses((status = 201, body = AppealView, description = "Registered (durable)"),
        (status = 200, body = AppealView, description = "A retry of an earlier request with the same Idempotency-Key"),
        (status = 400, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 413, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn submit(
    State(state): State<AppState>,
    MaybeAuth(auth): MaybeAuth,
    headers: HeaderMap,
    crate::extract::JsonBytes(req, body): crate::extract::JsonBytes<SubmitAppeal>,
) -> ApiResult<Response> {
    let auth = match auth {
        Some(a) if a.is_idp_only() => {
            let user = state.account(&a).await?;
            let principal = state.principal_for(&user);
            Some(Auth {
                user,
                principal,
                ..a
            })
        }
        other => other,
    };
    let idem_key = match headers.get("idempotency-key") {
        Some(v) => {
            let k = v
                .to_str()
                .ok()
                .map(str::trim)
                .filter(|k| !k.is_empty() && k.len() <= 200);
            Some(
                k.ok_or_else(|| {
                    ApiError::invalid(
                        "invalid_idempotency_key",
                        "Idempotency-Key",
                        "the Idempotency-Key header must be 1-200 visible ASCII characters",
                    )
                })?
                .to_string(),
            )
        }
        None => None,
    };
    let idem = idem_key.map(|k| (k, hex::encode(Sha256::digest(&body))));
    let (principal, row, created) = register_appeal(&state, auth.as_ref(), req, idem).await?;
    if created {
        tracing::info!(appeal.id = %row.id, appeal.reg_no = %row.reg_no, appeal.status = %row.status, "appeal registered");
    }
    let with_pd = auth.is_some() && store::may_read_personal_data(&principal, &row);
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, axum::Json(view(&principal, row, with_pd, None))).into_response())
}

/// Checks, prepares and durably registers an appeal (API and pages alike). Returns the caller's
/// principal, the appeal, and whether it is new (false: an idempotent replay).
pub(crate) async fn register_appeal(
    state: &AppState,
    auth: Option<&Auth>,
    req: SubmitAppeal,
    idem: Option<(String, String)>,
) -> ApiResult<(Principal, AppealRow, bool)> {
    let new = build_new_appeal(state, auth, req, idem)?;
    let reference = state.reference();
    let prepared = store::prepare(&reference, &state.settings, new)?;
    let principal = auth
        .map(|a| a.principal.clone())
        .unwrap_or_else(|| Principal {
            user_id: String::new(),
            role: Role::Citizen,
            orgs: vec![],
        });
    match state.registrar.register(prepared).await? {
        Registered::New(row) => Ok((principal, *row, true)),
        Registered::Replayed(id) => {
            let row = store::get_row(&state.db, &id)
                .await?
                .ok_or_else(store::appeal_not_found)?;
            Ok((principal, row, false))
        }
    }
}

/// A point on the Earth, or no point.
pub(crate) fn check_location(point: Option<GeoPoint>) -> ApiResult<()> {
    match point {
        Some(p) if !(-90.0..=90.0).contains(&p.lat) || !(-180.0..=180.0).contains(&p.lon) => {
            Err(ApiError::invalid(
                "invalid_location",
                "location",
                "lat must be within ±90 and lon within ±180",
            ))
        }
        _ => Ok(()),
    }
}

pub(crate) fn build_new_appeal(
    state: &AppState,
    auth: Option<&crate::extract::Auth>,
    req: SubmitAppeal,
    idem: Option<(String, String)>,
) -> ApiResult<NewAppeal> {
    let form = parse_enum(&req.form, "form", Form::parse, Form::values())?;
    // Omitted, it is the language the text is written in, decided where that is identified
    // (`appeals::prepare`).
    let language = req
        .language
        .as_deref()
        .map(|l| parse_enum(l, "language", Language::parse, Language::values()))
        .transpose()?;
    let channel = match &req.channel {
        Some(c) => parse_enum(c, "channel", Channel::parse, Channel::values())?,
        None if auth.is_some_and(|a| a.via_token) => Channel::Api,
        None => Channel::Web,
    };
    let text = req.text.trim().to_string();
    if text.is_empty() {
        return Err(ApiError::invalid(
            "missing_field",
            "text",
            "the text of the appeal must not be empty",
        ));
    }
    let max = state.config.max_text_chars;
    let n = text.chars().count();
    if n > max {
        return Err(ApiError::invalid(
            "text_too_long",
            "text",
            format!("the text has {n} characters; at most {max} are allowed"),
        ));
    }
    let kato = req
        .kato
        .as_deref()
        .map(|k| {
            Kato::parse(k).map_err(|e| {
                ApiError::invalid("invalid_kato", "kato", format!("not a KATO code: {e}"))
            })
        })
        .transpose()?;
    check_location(req.location)?;
    if req.attachments.len() > 20 {
        return Err(ApiError::invalid(
            "too_many_attachments",
            "attachments",
            "at most 20 attachments",
        ));
    }
    let mut attachments = Vec::new();
    for (i, a) in req.attachments.into_iter().enumerate() {
        let ok_hash = a.sha256.len() == 64 && a.sha256.bytes().all(|b| b.is_ascii_hexdigit());
        if !ok_hash || a.size_bytes < 0 || a.file_name.trim().is_empty() || a.file_name.len() > 255
        {
            return Err(ApiError::invalid(
                "invalid_attachment",
                format!("attachments[{i}]"),
                "an attachment needs a file name (1-255 bytes), a size ≥ 0 and a hex SHA-256",
            ));
        }
        attachments.push(AttachmentMeta {
            file_name: a.file_name,
            content_type: a.content_type,
            size_bytes: a.size_bytes,
            sha256: a.sha256.to_ascii_lowercase(),
        });
    }

    let is_staff = auth.is_some_and(|a| matches!(a.user.role, Role::Official | Role::Head));
    // An applicant writes through the site or the API; the other channels are how an appeal
    // reached an official, who registers it (the statistics count appeals by channel).
    if !is_staff && !matches!(channel, Channel::Web | Channel::Api) {
        return Err(ApiError::invalid(
            "not_allowed",
            "channel",
            "only officials registering a received appeal set the channel it came by",
        ));
    }
    let now = now_ms();
    let received_at = match &req.received_at {
        Some(_) if !is_staff => {
            return Err(ApiError::invalid(
                "not_allowed",
                "received_at",
                "only officials registering a received appeal may set received_at",
            ));
        }
        Some(t) => {
            let at = parse_time(t, "received_at")?;
            if at > now {
                return Err(ApiError::invalid(
                    "invalid_value",
                    "received_at",
                    "received_at is in the future",
                ));
            }
            at
        }
        None => now,
    };

    let (applicant, accepted_by, submitted_by) = match (auth, req.anonymous, req.applicant) {
        (_, true, Some(_)) => {
            return Err(ApiError::invalid(
                "invalid_value",
                "applicant",
                "an anonymous appeal has no applicant",
            ));
        }
        (_, true, None) => (
            Applicant::Anonymous,
            Actor::system(),
            auth.map(|a| a.user.id.clone()),
        ),
        (None, false, _) => {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "sign in to submit an appeal in your name, or submit it anonymously",
            ));
        }
        (Some(a), false, None) if a.user.role == Role::Citizen => (
            Applicant::Individual {
                user_id: Some(a.user.id.clone()),
                name: a.user.full_name.clone(),
                iin: a.user.iin.clone(),
                email: a.user.email.clone(),
                phone: a.user.phone.clone(),
                address: a.user.address.clone(),
                language: Some(a.user.language),
            },
            Actor::system(),
            Some(a.user.id.clone()),
        ),
        (Some(a), false, Some(ap)) if is_staff => {
            let name = crate::api::auth::validate_name(&ap.full_name, "applicant.full_name")?;
            let email = crate::api::auth::validate_email(ap.email, "applicant.email")?;
            let applicant = match ap.kind.as_str() {
                "individual" => Applicant::Individual {
                    user_id: None,
                    name,
                    iin: ap
                        .iin
                        .as_deref()
                        .map(|i| crate::api::auth::validate_iin(i, "applicant.iin"))
                        .transpose()?
                        .map(|i| i.as_str().to_string()),
                    email,
                    phone: ap.phone,
                    address: ap.address,
                    language: None,
                },
                "legal_entity" => {
                    let bin = ap.bin.as_deref().ok_or_else(|| {
                        ApiError::invalid(
                            "missing_field",
                            "applicant.bin",
                            "a legal entity is identified by its BIN",
                        )
                    })?;
                    let bin = Bin::parse(bin.trim()).map_err(|e| {
                        ApiError::invalid(
                            "invalid_bin",
                            "applicant.bin",
                            format!("not a valid BIN: {e}"),
                        )
                    })?;
                    Applicant::LegalEntity {
                        user_id: None,
                        name,
                        bin: bin.as_str().to_string(),
                        email,
                        phone: ap.phone,
                        address: ap.address,
                    }
                }
                other => {
                    return Err(ApiError::invalid(
                        "invalid_value",
                        "applicant.kind",
                        format!("'{other}' is not one of: individual, legal_entity"),
                    ));
                }
            };
            let actor = Actor {
                id: Some(a.user.id.clone()),
                role: a.user.role.as_str().into(),
                name: a.user.full_name.clone(),
                position: a.user.position.clone().unwrap_or_else(|| "official".into()),
            };
            (applicant, actor, Some(a.user.id.clone()))
        }
        (Some(_), false, Some(_)) => {
            return Err(ApiError::invalid(
                "not_allowed",
                "applicant",
                "only officials register appeals on behalf of an applicant",
            ));
        }
        (Some(_), false, None) => {
            return Err(ApiError::invalid(
                "missing_field",
                "applicant",
                "staff registering an appeal must give the applicant",
            ));
        }
    };
    let idempotency = idem.map(|(key, request_hash)| IdempotencyKey {
        principal_id: auth
            .map(|a| a.user.id.clone())
            .unwrap_or_else(|| "anonymous".into()),
        key,
        request_hash,
    });
    let (category_id, category_suggested) = match req.category_id.filter(|c| !c.is_empty()) {
        Some(c) => (c, None),
        None => crate::learning::prefill_category(state, &text),
    };
    Ok(NewAppeal {
        category_suggested,
        form,
        channel,
        language,
        applicant,
        addressee_org_id: req.addressee_org_id,
        category_id,
        kato,
        lat: req.location.map(|p| p.lat),
        lon: req.location.map(|p| p.lon),
        text,
        attachments,
        reports_crime: req.reports_crime,
        received_at,
        submitted_by,
        accepted_by,
        parent_appeal_id: None,
        idempotency,
    })
}

/// One appeal. Officials' reads of the applicant's personal data are journaled.
#[utoipa::path(get, path = "/api/v1/appeals/{id}", tag = "appeals", params(("id" = String, Path)),
    responses((status = 200, body = AppealView), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<AppealView>> {
    let row = store::get_for(&state.db, &auth.principal, &id).await?;
    let with_pd = store::may_read_personal_data(&auth.principal, &row);
    if with_pd {
        store::audit_personal_data_read(&state.db, &auth.principal, &row).await?;
    }
    let att = store::attachments(&state.db, &row.id).await?;
    Ok(axum::Json(view(&auth.principal, row, with_pd, Some(att))))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    pub status: Option<String>,
    pub org_id: Option<String>,
    /// A category or a top category (which includes its subcategories).
    pub category_id: Option<String>,
    /// A KATO code: appeals in that territory and below.
    pub kato: Option<String>,
    pub overdue: Option<bool>,
    pub form: Option<String>,
    /// Registered on or after (YYYY-MM-DD).
    pub from: Option<String>,
    /// Registered on or before (YYYY-MM-DD).
    pub to: Option<String>,
    /// The superior body's escalation queue.
    pub escalated_to_org_id: Option<String>,
    /// Page size, 1-500 (default 50).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AppealPage {
    pub items: Vec<AppealView>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// Appeals the caller may see, newest first. Lists never carry personal data.
#[utoipa::path(get, path = "/api/v1/appeals", tag = "appeals", params(ListQuery),
    responses((status = 200, body = AppealPage), (status = 422, body = crate::error::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<ListQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::Json<AppealPage>> {
    let Query(q) = q.map_err(|e| ApiError::invalid("invalid_query", "query", e.body_text()))?;
    let limit = q.limit.unwrap_or(50);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::invalid(
            "invalid_value",
            "limit",
            "limit must be from 1 to 500",
        ));
    }
    // A top category filters its subcategories too (`LIKE 'c.%'`): only a known id gets there,
    // so no `%` or `_` of the caller's becomes a wildcard.
    if let Some(c) = &q.category_id {
        state.reference().category(c)?;
    }
    // The cursor is the last id of the previous page; anything else would silently start over
    // (or end) the list.
    if let Some(c) = &q.cursor
        && uuid::Uuid::parse_str(c).is_err()
    {
        return Err(ApiError::invalid(
            "invalid_cursor",
            "cursor",
            "the cursor is the next_cursor of the previous page",
        ));
    }
    let f = store::ListFilter {
        status: q
            .status
            .as_deref()
            .map(|s| parse_enum(s, "status", Status::parse, Status::values()))
            .transpose()?,
        org_id: q.org_id,
        category_id: q.category_id,
        kato: q
            .kato
            .as_deref()
            .map(|k| crate::api::parse_kato(k, "kato"))
            .transpose()?,
        overdue: q.overdue,
        form: q
            .form
            .as_deref()
            .map(|s| parse_enum(s, "form", Form::parse, Form::values()))
            .transpose()?,
        registered_from: q
            .from
            .as_deref()
            .map(|d| parse_date(d, "from"))
            .transpose()?,
        registered_to: q.to.as_deref().map(|d| parse_date(d, "to")).transpose()?,
        escalated_to_org_id: q.escalated_to_org_id,
        limit: limit + 1,
        after: q.cursor,
    };
    if let (Some(from), Some(to)) = (f.registered_from, f.registered_to)
        && from > to
    {
        return Err(ApiError::invalid(
            "invalid_period",
            "from",
            format!("the period starts ({from}) after it ends ({to})"),
        ));
    }
    let mut rows = store::list(&state.db, &auth.principal, &f).await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| r.id.clone())
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(|r| view(&auth.principal, r, false, None))
        .collect();
    Ok(axum::Json(AppealPage { items, next_cursor }))
}

#[derive(Serialize, ToSchema)]
pub struct EventView {
    pub id: String,
    pub at: String,
    pub actor_id: Option<String>,
    pub actor_role: String,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub from_org_id: Option<String>,
    pub to_org_id: Option<String>,
    pub reason: Option<String>,
    pub data: Option<serde_json::Value>,
}

/// The appeal's journal: every stage, who did it, when and why (append-only).
#[utoipa::path(get, path = "/api/v1/appeals/{id}/events", tag = "appeals", params(("id" = String, Path)),
    responses((status = 200, body = [EventView]), (status = 404, body = crate::error::Problem)))]
pub async fn events(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Vec<EventView>>> {
    let row = store::get_for(&state.db, &auth.principal, &id).await?;
    let evs = store::events(&state.db, &row.id).await?;
    Ok(axum::Json(
        evs.into_iter()
            .map(|e| EventView {
                id: e.id,
                at: time(e.at),
                actor_id: e.actor_id,
                actor_role: e.actor_role,
                action: e.action,
                from_status: e.from_status,
                to_status: e.to_status,
                from_org_id: e.from_org_id,
                to_org_id: e.to_org_id,
                reason: e.reason,
                data: e.data.and_then(|d| serde_json::from_str(&d).ok()),
            })
            .collect(),
    ))
}

/// Notices sent to the applicant about this appeal.
#[utoipa::path(get, path = "/api/v1/appeals/{id}/notifications", tag = "appeals", params(("id" = String, Path)),
    responses((status = 200, body = [crate::api::auth::NoticeView]), (status = 404, body = crate::error::Problem)))]
pub async fn notifications(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Vec<crate::api::auth::NoticeView>>> {
    let row = store::get_for(&state.db, &auth.principal, &id).await?;
    if !store::may_read_personal_data(&auth.principal, &row) && row.has_personal_data() {
        return Err(ApiError::forbidden(
            "notices to the applicant are shown only to the applicant and the handling officials",
        ));
    }
    let list = tyndau_storage::outbox::for_appeal(&state.db, &row.id).await?;
    Ok(axum::Json(
        list.into_iter()
            .map(crate::api::auth::notice_view)
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// An official of the handling organisation; default: the caller.
    pub assignee_id: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForwardRequest {
    pub org_id: String,
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendRequest {
    /// The new due date (YYYY-MM-DD): a working day, at most two months after registration.
    pub new_due_on: String,
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    /// The reasoned answer: facts, the legislation relied on, and how to challenge it.
    pub text: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RateRequest {
    /// 1 (very bad) to 5 (very good)
    pub score: i64,
    pub comment: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ComplainRequest {
    pub text: String,
    /// If the 3-month window has passed: the good reason for restoring it.
    pub restore_reason: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    pub reason: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeaveRequest {
    /// no_substance, withdrawn_by_applicant, already_answered_same_issue, obscene_or_threatening, court_decision_exists
    pub reason: String,
    pub comment: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalateRequest {
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct ActionResponse {
    pub appeal: AppealView,
    /// For a complaint: the complaint registered with the superior body.
    pub created: Option<AppealView>,
}

async fn run(
    state: &AppState,
    auth: &Auth,
    id: &str,
    cmd: Command,
) -> ApiResult<axum::Json<ActionResponse>> {
    let out = perform(state, auth, id, cmd).await?;
    let p = &auth.principal;
    let pd = store::may_read_personal_data(p, &out.appeal);
    Ok(axum::Json(ActionResponse {
        appeal: view(p, out.appeal, pd, None),
        created: out.created.map(|c| {
            let pd = store::may_read_personal_data(p, &c);
            view(p, c, pd, None)
        }),
    }))
}

/// The longest reason or comment a step carries (characters).
pub const MAX_REASON_CHARS: usize = 2000;

/// One step of the appeal's lifecycle by the signed-in user (API and pages alike).
pub(crate) async fn perform(
    state: &AppState,
    auth: &Auth,
    id: &str,
    cmd: Command,
) -> ApiResult<store::ActOutcome> {
    perform_audited(state, auth, id, cmd, None).await
}

/// `perform`, with an audit row naming the appeal in the step's transaction.
pub(crate) async fn perform_audited(
    state: &AppState,
    auth: &Auth,
    id: &str,
    cmd: Command,
    audit: Option<store::StepAudit<'_>>,
) -> ApiResult<store::ActOutcome> {
    // An answer or a complaint is a letter, held to the appeal's own length (a complaint is
    // registered as an appeal); a reason or a comment is a few sentences.
    for (field, text, letter) in cmd.texts() {
        let max = if letter {
            state.config.max_text_chars
        } else {
            MAX_REASON_CHARS
        };
        let n = text.chars().count();
        if n > max {
            return Err(ApiError::invalid(
                "text_too_long",
                field,
                format!("the {field} has {n} characters; at most {max} are allowed"),
            ));
        }
    }
    let actor = Actor {
        id: Some(auth.user.id.clone()),
        role: auth.user.role.as_str().into(),
        name: auth.user.full_name.clone(),
        position: auth.user.position.clone().unwrap_or_default(),
    };
    let out = store::act_audited(
        &state.db,
        &state.reference(),
        &state.settings,
        &auth.principal,
        &actor,
        id,
        cmd,
        audit,
    )
    .await?;
    Ok(out)
}

macro_rules! action {
    ($fn:ident, $path:literal, $req:ty, $doc:literal, |$r:ident| $cmd:expr) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "appeals", params(("id" = String, Path)), request_body = $req,
            responses((status = 200, body = ActionResponse), (status = 403, body = crate::error::Problem),
                (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
                (status = 422, body = crate::error::Problem)))]
        pub async fn $fn(State(state): State<AppState>, auth: Auth, Path(id): Path<String>, Json($r): Json<$req>) -> ApiResult<axum::Json<ActionResponse>> {
            let cmd: Command = $cmd;
            run(&state, &auth, &id, cmd).await
        }
    };
}

action!(
    assign,
    "/api/v1/appeals/{id}/assign",
    AssignRequest,
    "Take the appeal into review, assigned to an official.",
    |r| Command::Assign {
        assignee_id: r.assignee_id
    }
);
action!(
    forward,
    "/api/v1/appeals/{id}/forward",
    ForwardRequest,
    "Forward to the competent body (due within 3 working days of receipt; later forwards are flagged).",
    |r| Command::Forward {
        org_id: r.org_id,
        reason: r.reason
    }
);
action!(
    extend,
    "/api/v1/appeals/{id}/extend",
    ExtendRequest,
    "Extend the term by a reasoned decision of the head (two months in total at most); the applicant is notified.",
    |r| Command::Extend {
        new_due_on: parse_date(&r.new_due_on, "new_due_on")?,
        reason: r.reason
    }
);
action!(
    answer,
    "/api/v1/appeals/{id}/answer",
    AnswerRequest,
    "Answer the appeal.",
    |r| Command::Answer { text: r.text }
);
action!(
    rate,
    "/api/v1/appeals/{id}/rate",
    RateRequest,
    "Rate the answer (the applicant).",
    |r| Command::Rate {
        score: r.score,
        comment: r.comment
    }
);
action!(
    complain,
    "/api/v1/appeals/{id}/complain",
    ComplainRequest,
    "Complain to the superior body about the answer, or about silence past the due date (within 3 months).",
    |r| Command::Complain {
        text: r.text,
        restore_reason: r.restore_reason
    }
);
action!(
    close,
    "/api/v1/appeals/{id}/close",
    CloseRequest,
    "Close an answered appeal.",
    |r| Command::Close { reason: r.reason }
);
action!(
    leave,
    "/api/v1/appeals/{id}/leave-without-consideration",
    LeaveRequest,
    "Leave the appeal without consideration, with a reason.",
    |r| Command::LeaveWithoutConsideration {
        reason: parse_enum(
            &r.reason,
            "reason",
            LeaveReason::parse,
            LeaveReason::values()
        )?,
        comment: r.comment,
    }
);
action!(
    escalate,
    "/api/v1/appeals/{id}/escalate",
    EscalateRequest,
    "Escalate to the superior body's queue (supervisors).",
    |r| Command::Escalate { reason: r.reason }
);
