//! Near-duplicate appeals: similar appeals of one appeal, answering a whole group, and the
//! supervisors' list of mass campaigns. The grouping itself is done by the background indexer
//! (`workers::spawn_similarity` → `storage::similarity::index_pending`).

use crate::api::appeals::{AppealView, perform_audited, view};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Auth, Json};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use tyndau_core::access::{self, Op, Role};
use tyndau_core::appeal::Status;
use tyndau_storage::appeals::{self as store, Command};
use tyndau_storage::similarity as sim;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SimilarQuery {
    /// How many similar appeals to list per page, 1-500 (default 100).
    pub limit: Option<i64>,
    /// Which page of `limit` appeals, from 1 (default 1).
    pub page: Option<i64>,
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
    /// The page listed (from 1), of `limit` appeals each.
    pub page: i64,
    /// Pages of `limit` appeals that `similar` fills (at least 1).
    pub pages: i64,
    /// That page of them, in registration order (lists never carry personal data).
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
    page: i64,
) -> ApiResult<SimilarView> {
    if !(1..=500).contains(&limit) {
        return Err(ApiError::invalid(
            "invalid_value",
            "limit",
            "limit must be from 1 to 500",
        ));
    }
    if !(1..=1_000_000).contains(&page) {
        return Err(ApiError::invalid(
            "invalid_value",
            "page",
            "page must be from 1 to 1000000",
        ));
    }
    let p = &auth.principal;
    // The same rule as reading the appeal: a refused read looks like a missing appeal.
    let row = store::get_for(&state.db, p, id).await?;
    let offset = ((page - 1) * limit) as usize;
    let s = sim::similar_to(&state.db, p, &row.id, limit as usize, offset).await?;
    // A supervisor reads other bodies' appeal texts in bulk here, as on the analytics lists.
    if matches!(p.role, Role::Supervisor | Role::Administrator) {
        crate::api::analytics::journal_read(
            state,
            auth,
            "similar_appeals",
            &format!("appeal={} page={page} limit={limit}", row.id),
            s.items.len(),
        )
        .await?;
    }
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
        page,
        pages: ((s.visible + limit - 1) / limit).max(1),
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
        similar_report(
            &state,
            &auth,
            &id,
            q.limit.unwrap_or(100),
            q.page.unwrap_or(1),
        )
        .await?,
    ))
}

/// At most this many appeals are answered by one group-answer request (each is a transaction,
/// a journal entry and a notice); the rest are skipped as `over_limit`, and sending the request
/// again answers the next ones (those answered already are skipped before any work is done).
pub const GROUP_ANSWER_LIMIT: i64 = 500;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupAnswerRequest {
    /// The answer given to every appeal answered.
    pub answer: String,
    /// The appeals to answer (e.g. those ticked on the similar-appeals page), the chosen one
    /// included if it is to be answered too. Without it: every appeal of the group similar
    /// enough to the chosen one. Either way each must be readable, in the group, similar
    /// enough to the chosen appeal and answerable by the caller.
    #[serde(default)]
    pub appeal_ids: Option<Vec<String>>,
}

#[derive(Serialize, ToSchema)]
pub struct GroupAnswerItem {
    pub id: String,
    pub reg_no: String,
    /// answered or skipped
    pub result: String,
    /// Why it was skipped: the error code a single answer would have given (invalid_transition
    /// for an appeal already answered, forbidden), not_similar_enough (its text is not a
    /// near-duplicate of the chosen appeal's, though grouped through others), or over_limit
    /// (beyond the request's 500 answers).
    pub reason: Option<String>,
    /// Its estimated similarity to the chosen appeal (0-1).
    pub similarity: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct GroupAnswerResult {
    pub group_id: String,
    pub answered: i64,
    pub skipped: i64,
    /// Skipped appeals by reason. Appeals the caller may not read (and, with `appeal_ids`,
    /// ids not in the group) count as appeal_not_found and are not listed.
    pub reasons: BTreeMap<String, i64>,
    /// The appeals considered that the caller may read, in registration order.
    pub appeals: Vec<GroupAnswerItem>,
}

impl GroupAnswerResult {
    fn skip(&mut self, m: &sim::GroupMember, reason: &str) {
        self.skipped += 1;
        *self.reasons.entry(reason.to_string()).or_default() += 1;
        self.appeals.push(GroupAnswerItem {
            id: m.appeal_id.clone(),
            reg_no: m.reg_no.clone(),
            result: "skipped".into(),
            reason: Some(reason.to_string()),
            similarity: m.similarity,
        });
    }
}

/// Answers the appeals of `id`'s group that are near-duplicates of `id` itself (estimated
/// Jaccard similarity with its signature ≥ the configured threshold; the group alone is not
/// enough, since it is single-linkage) and that `auth` may answer — of `only` when given — one
/// `perform_audited` per appeal, so each is access-checked, journaled and notified exactly like
/// a single answer; at most `GROUP_ANSWER_LIMIT` per call. Each appeal answered also gets its own
/// audit row `group_answer` naming it, written in the transaction of its answer.
pub(crate) async fn answer_group_service(
    state: &AppState,
    auth: &Auth,
    id: &str,
    answer: &str,
    only: Option<&[String]>,
) -> ApiResult<GroupAnswerResult> {
    let p = &auth.principal;
    let row = store::get_for(&state.db, p, id).await?;
    // A role that answers no appeal would only get every appeal skipped.
    if !matches!(p.role, Role::Official | Role::Head) {
        return Err(ApiError::forbidden("only officials answer appeals"));
    }
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
    if only.is_some_and(|ids| ids.is_empty()) {
        return Err(ApiError::invalid(
            "missing_field",
            "appeal_ids",
            "choose at least one appeal to answer",
        ));
    }
    let Some(group) = sim::group_for_answer(&state.db, p, &row.id, only).await? else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "similarity_pending",
            "the appeal has not been compared with others yet; try again in a moment",
        ));
    };
    let threshold = state.config.similarity_threshold;
    let mut out = GroupAnswerResult {
        group_id: group.group_id,
        answered: 0,
        skipped: group.hidden,
        reasons: BTreeMap::new(),
        appeals: vec![],
    };
    if group.hidden > 0 {
        out.reasons.insert("appeal_not_found".into(), group.hidden);
    }
    let mut attempts = 0;
    let mut failure = None;
    let detail = format!("group {}, answered from appeal {}", out.group_id, row.id);
    for m in &group.members {
        // Checks that need no write come first, so that sending the request again (after
        // `over_limit`) costs nothing for the appeals answered already.
        let similar = m.appeal_id == row.id || m.similarity.is_some_and(|j| j >= threshold);
        if !similar {
            out.skip(m, "not_similar_enough");
            continue;
        }
        if !access::decide(p, Op::Answer, &m.scope()) {
            out.skip(m, "forbidden");
            continue;
        }
        if !Status::parse(&m.status).is_some_and(Status::awaits_answer) {
            out.skip(m, "invalid_transition");
            continue;
        }
        if failure.is_some() || attempts >= GROUP_ANSWER_LIMIT {
            out.skip(m, "over_limit");
            continue;
        }
        attempts += 1;
        let cmd = Command::Answer {
            text: answer.to_string(),
        };
        let audit = tyndau_storage::appeals::StepAudit {
            action: "group_answer",
            detail: Some(&detail),
        };
        match perform_audited(state, auth, &m.appeal_id, cmd, Some(audit)).await {
            Ok(_) => {
                out.answered += 1;
                out.appeals.push(GroupAnswerItem {
                    id: m.appeal_id.clone(),
                    reg_no: m.reg_no.clone(),
                    result: "answered".into(),
                    reason: None,
                    similarity: m.similarity,
                });
            }
            // Earlier answers are committed with their audit rows; an internal failure stops
            // answering (logged where the error is handled), and sending the request again
            // skips those as already answered.
            Err(e) if e.status.is_server_error() => failure = Some(e),
            Err(e) => out.skip(m, e.code),
        }
    }
    if let Some(e) = failure {
        return Err(e);
    }
    tracing::info!(appeal.group = %out.group_id, answered = out.answered, skipped = out.skipped, "group answered");
    Ok(out)
}

/// Answer the appeals of this appeal's group (a mass campaign) that are near-duplicates of this
/// appeal itself and that the caller may answer — or only those named in `appeal_ids`. Each
/// appeal is answered as by `POST /appeals/{id}/answer` (access, stage, journal, notice); the
/// others are skipped with the reason; at most 500 per request (the rest `over_limit`).
#[utoipa::path(post, path = "/api/v1/appeals/{id}/answer-group", tag = "appeals",
    params(("id" = String, Path)), request_body = GroupAnswerRequest,
    responses((status = 200, body = GroupAnswerResult), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)))]
pub async fn answer_group(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(r): Json<GroupAnswerRequest>,
) -> ApiResult<axum::Json<GroupAnswerResult>> {
    Ok(axum::Json(
        answer_group_service(&state, &auth, &id, &r.answer, r.appeal_ids.as_deref()).await?,
    ))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CampaignQuery {
    /// First registration date (YYYY-MM-DD); default 90 days before `to`. The period is at
    /// most 366 days (422 period_too_long).
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

/// The longest period the campaign list covers (days, both ends included): the query groups
/// every indexed appeal of the period.
pub const MAX_PERIOD_DAYS: i64 = 366;

/// The period's largest campaigns, for supervisors (pages and API alike).
pub(crate) async fn campaign_report(
    state: &AppState,
    auth: &Auth,
    q: &CampaignQuery,
) -> ApiResult<Campaigns> {
    crate::api::analytics::require_supervisor(auth, "the campaign list")?;
    let today = crate::api::registration_today(state);
    let (from, to) = crate::api::parse_period(
        q.from.as_deref(),
        q.to.as_deref(),
        today,
        90,
        MAX_PERIOD_DAYS,
    )?;
    let min_size = crate::api::int_param(&q.min_size, "min_size", (2, 100_000), 5)?;
    let limit = crate::api::int_param(&q.limit, "limit", (1, 200), 50)?;
    let list = sim::campaigns(&state.db, from, to, min_size, limit).await?;
    // Each campaign shows the start of its first appeal's text.
    crate::api::analytics::journal_read(
        state,
        auth,
        "campaigns",
        &format!("from={from} to={to} min_size={min_size} limit={limit}"),
        list.len(),
    )
    .await?;
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

/// Mass campaigns (supervisors): the period's largest groups of
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
    let q = crate::api::query_for(q, tyndau_core::access::may_view_analytics(auth.user.role))?;
    Ok(axum::Json(campaign_report(&state, &auth, &q).await?))
}
