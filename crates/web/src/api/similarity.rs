//! Near-duplicate appeals: similar appeals of one appeal, answering a whole group, and the
//! supervisors' list of mass campaigns. The grouping itself is done by the background indexer
//! (`workers::spawn_similarity` → `storage::similarity::index_pending`).

use crate::api::appeals::{AppealView, perform, view};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Auth, Json};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tyndau_core::access::{self, Op, Role};
use tyndau_storage::appeals::{self as store, Command};
use tyndau_storage::similarity as sim;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SimilarQuery {
    /// How many similar appeals to list, 1-500 (default 100).
    pub limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct SimilarItem {
    /// Estimated Jaccard similarity of the two texts' word pairs (0-1).
    pub similarity: Option<f64>,
    pub appeal: AppealView,
}

#[derive(Serialize, ToSchema)]
pub struct SimilarView {
    pub appeal_id: String,
    /// False until the background indexer has reached this appeal (a moment after registration).
    pub indexed: bool,
    /// The group's earliest appeal (staff only).
    pub group_id: Option<String>,
    /// Appeals in the group, this one included. Staff see the whole group's size; an applicant
    /// only counts the appeals they may read (their own).
    pub group_size: i64,
    /// Other appeals of the group the caller may read.
    pub similar: i64,
    /// The first `limit` of them in registration order (lists never carry personal data).
    pub items: Vec<SimilarItem>,
}

fn is_staff_or_supervisor(role: Role) -> bool {
    role != Role::Citizen
}

/// The similar appeals of one appeal, as `auth` may see them (pages and API alike).
pub(crate) async fn similar_report(
    state: &AppState,
    auth: &Auth,
    id: &str,
    limit: i64,
) -> ApiResult<SimilarView> {
    if !(1..=500).contains(&limit) {
        return Err(ApiError::invalid(
            "invalid_value",
            "limit",
            "limit must be from 1 to 500",
        ));
    }
    let p = &auth.principal;
    // The same rule as reading the appeal: a refused read looks like a missing appeal.
    let row = store::get_for(&state.db, p, id).await?;
    let s = sim::similar_to(&state.db, p, &row.id, limit as usize).await?;
    let staff = is_staff_or_supervisor(p.role);
    Ok(SimilarView {
        appeal_id: row.id,
        indexed: s.indexed,
        group_id: if staff { s.group_id } else { None },
        group_size: match (s.indexed, staff) {
            (false, _) => 0,
            (true, true) => s.group_size,
            (true, false) => s.visible + 1,
        },
        similar: s.visible,
        items: s
            .items
            .into_iter()
            .map(|(r, similarity)| SimilarItem {
                similarity,
                appeal: view(p, r, false, None),
            })
            .collect(),
    })
}

/// Appeals similar to this one (same mass campaign, or a repeated appeal) that the caller may
/// read. Only for those who may read the appeal itself.
#[utoipa::path(get, path = "/api/v1/appeals/{id}/similar", tag = "appeals",
    params(("id" = String, Path), SimilarQuery),
    responses((status = 200, body = SimilarView), (status = 404, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn similar(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    q: Result<Query<SimilarQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::Json<SimilarView>> {
    let Query(q) = q.map_err(|e| ApiError::invalid("invalid_query", "query", e.body_text()))?;
    Ok(axum::Json(
        similar_report(&state, &auth, &id, q.limit.unwrap_or(100)).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupAnswerRequest {
    /// The answer given to every appeal of the group that the caller may answer.
    pub answer: String,
}

#[derive(Serialize, ToSchema)]
pub struct GroupAnswerItem {
    pub id: String,
    pub reg_no: String,
    /// answered or skipped
    pub result: String,
    /// Why it was skipped: the error code a single answer would have given
    /// (e.g. invalid_transition for an appeal already answered, forbidden).
    pub reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct GroupAnswerResult {
    pub group_id: String,
    pub answered: i64,
    pub skipped: i64,
    /// Skipped appeals by reason. Appeals the caller may not read count as appeal_not_found
    /// and are not listed.
    pub reasons: BTreeMap<String, i64>,
    /// The group's appeals the caller may read, in registration order.
    pub appeals: Vec<GroupAnswerItem>,
}

/// Answers every appeal of `id`'s group that `auth` may answer, one `perform` per appeal, so
/// each is access-checked, journaled and notified exactly like a single answer.
pub(crate) async fn answer_group_service(
    state: &AppState,
    auth: &Auth,
    id: &str,
    answer: &str,
) -> ApiResult<GroupAnswerResult> {
    let p = &auth.principal;
    let row = store::get_for(&state.db, p, id).await?;
    let answer = answer.trim();
    if answer.is_empty() {
        return Err(ApiError::invalid(
            "missing_field",
            "answer",
            "the answer must not be empty",
        ));
    }
    let max = state.config.max_text_chars;
    if answer.chars().count() > max {
        return Err(ApiError::invalid(
            "text_too_long",
            "answer",
            format!("at most {max} characters are allowed"),
        ));
    }
    let Some((group_id, members)) = sim::group_of(&state.db, &row.id).await? else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "similarity_pending",
            "the appeal has not been compared with others yet; try again in a moment",
        ));
    };
    let mut out = GroupAnswerResult {
        group_id,
        answered: 0,
        skipped: 0,
        reasons: BTreeMap::new(),
        appeals: vec![],
    };
    for m in members {
        if !access::decide(p, Op::Read, &m.scope()) {
            out.skipped += 1;
            *out.reasons.entry("appeal_not_found".into()).or_default() += 1;
            continue;
        }
        let cmd = Command::Answer {
            text: answer.to_string(),
        };
        match perform(state, auth, &m.appeal_id, cmd).await {
            Ok(o) => {
                out.answered += 1;
                out.appeals.push(GroupAnswerItem {
                    id: o.appeal.id,
                    reg_no: o.appeal.reg_no,
                    result: "answered".into(),
                    reason: None,
                });
            }
            // Earlier answers are committed; an internal failure stops here, and sending the
            // request again skips those as already answered.
            Err(e) if e.status.is_server_error() => return Err(e),
            Err(e) => {
                out.skipped += 1;
                *out.reasons.entry(e.code.to_string()).or_default() += 1;
                let reg_no = store::get_row(&state.db, &m.appeal_id)
                    .await?
                    .map(|r| r.reg_no)
                    .unwrap_or_default();
                out.appeals.push(GroupAnswerItem {
                    id: m.appeal_id,
                    reg_no,
                    result: "skipped".into(),
                    reason: Some(e.code.to_string()),
                });
            }
        }
    }
    tracing::info!(appeal.group = %out.group_id, answered = out.answered, skipped = out.skipped, "group answered");
    Ok(out)
}

/// Answer every appeal of this appeal's group (a mass campaign) that the caller may answer.
/// Each appeal is answered as by `POST /appeals/{id}/answer` (access, stage, journal, notice);
/// the others are skipped with the reason.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/answer-group", tag = "appeals",
    params(("id" = String, Path)), request_body = GroupAnswerRequest,
    responses((status = 200, body = GroupAnswerResult), (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn answer_group(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(r): Json<GroupAnswerRequest>,
) -> ApiResult<axum::Json<GroupAnswerResult>> {
    Ok(axum::Json(
        answer_group_service(&state, &auth, &id, &r.answer).await?,
    ))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CampaignQuery {
    /// First registration date (YYYY-MM-DD); default 90 days before `to`.
    pub from: Option<String>,
    /// Last registration date (YYYY-MM-DD); default today.
    pub to: Option<String>,
    /// Smallest group shown, 2-100000 (default 5).
    pub min_size: Option<String>,
    /// How many campaigns, 1-200 (default 50).
    pub limit: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OrgCount {
    pub org_id: String,
    pub appeals: i64,
}

#[derive(Serialize, ToSchema)]
pub struct CampaignView {
    /// The group's earliest appeal.
    pub group_id: String,
    pub reg_no: String,
    /// The start of the earliest appeal's text.
    pub excerpt: String,
    /// kk, ru or other
    pub language: String,
    /// The group's appeals registered in the period.
    pub size: i64,
    pub first_registered_on: String,
    pub last_registered_on: String,
    /// Handling organisations, most appeals first.
    pub organisations: Vec<OrgCount>,
}

#[derive(Serialize, ToSchema)]
pub struct Campaigns {
    pub from: String,
    pub to: String,
    pub min_size: i64,
    pub campaigns: Vec<CampaignView>,
}

fn int_param(
    v: &Option<String>,
    field: &'static str,
    range: (i64, i64),
    default: i64,
) -> ApiResult<i64> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (range.0..=range.1).contains(n))
            .ok_or_else(|| {
                ApiError::invalid(
                    "invalid_value",
                    field,
                    format!(
                        "{field} must be a whole number from {} to {}",
                        range.0, range.1
                    ),
                )
            }),
    }
}

/// The period's largest campaigns, for supervisors and administrators (pages and API alike).
pub(crate) async fn campaign_report(
    state: &AppState,
    auth: &Auth,
    q: &CampaignQuery,
) -> ApiResult<Campaigns> {
    if !matches!(auth.user.role, Role::Supervisor | Role::Administrator) {
        return Err(ApiError::forbidden("the campaign list is for supervisors"));
    }
    let today = state.config.terms.local_date(tyndau_storage::db::now_ms());
    let to = match q.to.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => crate::api::parse_date(d, "to")?,
        _ => today,
    };
    let from = match q.from.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => crate::api::parse_date(d, "from")?,
        _ => to - chrono::Duration::days(90),
    };
    if from > to {
        return Err(ApiError::invalid(
            "invalid_period",
            "from",
            "the period starts after it ends",
        ));
    }
    let min_size = int_param(&q.min_size, "min_size", (2, 100_000), 5)?;
    let limit = int_param(&q.limit, "limit", (1, 200), 50)?;
    let list = sim::campaigns(&state.db, from, to, min_size, limit).await?;
    Ok(Campaigns {
        from: from.to_string(),
        to: to.to_string(),
        min_size,
        campaigns: list
            .into_iter()
            .map(|c| CampaignView {
                group_id: c.group_id,
                reg_no: c.reg_no,
                excerpt: c.excerpt,
                language: c.language,
                size: c.size,
                first_registered_on: c.first_registered_on,
                last_registered_on: c.last_registered_on,
                organisations: c
                    .orgs
                    .into_iter()
                    .map(|(org_id, appeals)| OrgCount { org_id, appeals })
                    .collect(),
            })
            .collect(),
    })
}

/// Mass campaigns (supervisors and administrators): the period's largest groups of
/// near-duplicate appeals, with their size, first and last registration, the organisations
/// handling them, and the earliest appeal's number and the start of its text.
#[utoipa::path(get, path = "/api/v1/analytics/campaigns", tag = "analytics", params(CampaignQuery),
    responses((status = 200, body = Campaigns), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn campaigns(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<CampaignQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::Json<Campaigns>> {
    let Query(q) = q.map_err(|e| ApiError::invalid("invalid_query", "query", e.body_text()))?;
    Ok(axum::Json(campaign_report(&state, &auth, &q).await?))
}
