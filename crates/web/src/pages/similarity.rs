//! Near-duplicate pages: an appeal's similar appeals with the group-answer form, and the
//! supervisors' list of mass campaigns. Both call the API's services
//! (`api::similarity::{similar_report, answer_group_service, campaign_report}`).

use super::{CsrfForm, Ctx, FieldErrors, urlencode};
use crate::api::appeals::allowed_actions;
use crate::api::similarity::{
    CampaignQuery, Campaigns, SimilarView, answer_group_service, campaign_report, similar_report,
};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tyndau_storage::appeals as store;
use tyndau_storage::similarity::excerpt;

/// How many similar appeals one page lists (`?page=` turns the pages).
const PAGE_LIMIT: i64 = 200;

pub struct SimilarRow {
    pub id: String,
    pub reg_no: String,
    pub registered_on: String,
    pub org: String,
    pub status: String,
    pub similarity: String,
    pub excerpt: String,
    pub language: String,
    /// For appeals the official may answer: whether the group-answer box is ticked (by
    /// default, when its text is similar enough to this appeal's).
    pub pick: Option<bool>,
}

/// The outcome of a group answer, carried to the page after the redirect.
pub struct Outcome {
    pub answered: i64,
    pub skipped: i64,
    pub reasons: Vec<(String, i64)>,
}

#[derive(Template)]
#[template(path = "similar.html")]
struct SimilarPage<'a> {
    c: &'a Ctx,
    reg_no: String,
    v: SimilarView,
    rows: Vec<SimilarRow>,
    staff: bool,
    can_answer: bool,
    /// The appeal itself may be answered: whether its box is ticked.
    pick_self: Option<bool>,
    outcome: Option<Outcome>,
    errors: FieldErrors,
    answer: String,
}

impl SimilarPage<'_> {
    /// Why appeals were skipped, in the page's language: the message of the error code.
    fn reason_text(&self, code: &str) -> String {
        self.c
            .tr
            .try_t(&format!("err-{code}"))
            .unwrap_or_else(|| code.to_string())
    }
}

#[derive(Deserialize, Default)]
pub struct OutcomeQuery {
    /// The page of the list, from 1.
    page: Option<String>,
    answered: Option<String>,
    skipped: Option<String>,
    /// `code:count` pairs separated by commas.
    reasons: Option<String>,
}

fn outcome_of(q: &OutcomeQuery) -> Option<Outcome> {
    let answered = q.answered.as_deref()?.parse().ok()?;
    let skipped = q
        .skipped
        .as_deref()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let reasons = q
        .reasons
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter_map(|p| p.split_once(':'))
        // Only codes as the services write them: nothing else from the address reaches the page.
        .filter(|(code, _)| {
            !code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        })
        .filter_map(|(code, n)| Some((code.to_string(), n.parse().ok()?)))
        .collect();
    Some(Outcome {
        answered,
        skipped,
        reasons,
    })
}

/// What the group-answer form sent besides the answer: the ticked appeals, when the form
/// listed any (`None` for a form without boxes: the service's own choice).
type Picked = Option<Vec<String>>;

#[allow(clippy::too_many_arguments)]
async fn similar_page(
    state: &AppState,
    c: &Ctx,
    id: &str,
    page: i64,
    outcome: Option<Outcome>,
    errors: FieldErrors,
    answer: String,
    picked: Picked,
) -> Response {
    let Some(auth) = c.auth.as_ref() else {
        return c.to_login();
    };
    let v = match similar_report(state, auth, id, PAGE_LIMIT, page).await {
        Ok(v) => v,
        Err(e) => return c.error(e),
    };
    let row = match store::get_for(&state.db, &auth.principal, id).await {
        Ok(r) => r,
        Err(e) => return c.error(e.into()),
    };
    let threshold = state.config.similarity_threshold;
    // Ticked by default: what the service would answer without a list; after a refused post,
    // what the official ticked.
    let ticked = |id: &str, default: bool| match &picked {
        Some(p) => p.iter().any(|x| x == id),
        None => default,
    };
    let pick_self = allowed_actions(&auth.principal, &row)
        .iter()
        .any(|a| a == "answer")
        .then(|| ticked(&row.id, true));
    let can_answer = pick_self.is_some()
        || v.items
            .iter()
            .any(|i| i.appeal.allowed_actions.iter().any(|a| a == "answer"));
    let rows = v
        .items
        .iter()
        .map(|i| SimilarRow {
            id: i.appeal.id.clone(),
            reg_no: i.appeal.reg_no.clone(),
            registered_on: i.appeal.registered_on.clone(),
            org: c.org_name(state, &i.appeal.org_id),
            status: i.appeal.status.clone(),
            similarity: i
                .similarity
                .map(|s| c.tr.pct((s * 64.0).round() as i64, 64))
                .unwrap_or_else(|| "—".into()),
            excerpt: excerpt(&i.appeal.text),
            language: i.appeal.language.clone(),
            pick: i
                .appeal
                .allowed_actions
                .iter()
                .any(|a| a == "answer")
                .then(|| ticked(&i.appeal.id, i.similarity.is_some_and(|s| s >= threshold))),
        })
        .collect();
    let page = SimilarPage {
        c,
        reg_no: row.reg_no,
        staff: auth.principal.role != tyndau_core::access::Role::Citizen,
        v,
        rows,
        can_answer,
        pick_self,
        outcome,
        errors,
        answer,
    };
    c.form_page(&page.errors, &page)
}

pub async fn similar(
    State(state): State<AppState>,
    c: Ctx,
    Path(id): Path<String>,
    q: Result<Query<OutcomeQuery>, QueryRejection>,
) -> Response {
    let q = match super::page_query(&c, q) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let page = match q.page.as_deref().map(str::trim) {
        None | Some("") => 1,
        Some(p) => match p.parse::<i64>() {
            Ok(n) => n,
            Err(_) => {
                return c.error(ApiError::invalid(
                    "invalid_value",
                    "page",
                    "page must be a whole number",
                ));
            }
        },
    };
    similar_page(
        &state,
        &c,
        &id,
        page,
        outcome_of(&q),
        FieldErrors::default(),
        String::new(),
        None,
    )
    .await
}

/// The group-answer form: `answer`, and with `picked` present the ticked `appeal_ids` (a
/// checkbox list, so the fields repeat; none ticked is an explicit empty choice).
struct GroupAnswerForm {
    answer: String,
    picked: Picked,
}

impl GroupAnswerForm {
    fn of(pairs: Vec<(String, String)>) -> Self {
        let mut answer = String::new();
        let mut listed = false;
        let mut ids = vec![];
        for (k, v) in pairs {
            match k.as_str() {
                "answer" => answer = v,
                "picked" => listed = true,
                "appeal_ids" => ids.push(v),
                _ => {}
            }
        }
        GroupAnswerForm {
            answer,
            picked: listed.then_some(ids),
        }
    }
}

pub async fn answer_group(
    State(state): State<AppState>,
    c: Ctx,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let Some(auth) = c.auth.as_ref() else {
        return c.to_login();
    };
    let f = GroupAnswerForm::of(pairs);
    match answer_group_service(&state, auth, &id, &f.answer, f.picked.as_deref()).await {
        Ok(r) => {
            let reasons = r
                .reasons
                .iter()
                .map(|(k, n)| format!("{k}:{n}"))
                .collect::<Vec<_>>()
                .join(",");
            c.redirect(
                &format!(
                    "/appeals/{}/similar?answered={}&skipped={}&reasons={}",
                    urlencode(&id),
                    r.answered,
                    r.skipped,
                    urlencode(&reasons)
                ),
                None,
            )
        }
        Err(e) if super::is_form_error(&e) => {
            let mut errors = FieldErrors::default();
            errors.push("group-answer-text", c.error_message(&e));
            similar_page(&state, &c, &id, 1, None, errors, f.answer, f.picked).await
        }
        Err(e) => c.error(e),
    }
}

pub struct CampaignRow {
    pub group_id: String,
    pub reg_no: String,
    pub excerpt: String,
    pub language: String,
    pub size: i64,
    pub first: String,
    pub last: String,
    pub orgs: Vec<(String, i64)>,
}

#[derive(Template)]
#[template(path = "campaigns.html")]
struct CampaignsPage<'a> {
    c: &'a Ctx,
    r: Campaigns,
    rows: Vec<CampaignRow>,
}

pub async fn campaigns(
    State(state): State<AppState>,
    c: Ctx,
    q: Result<Query<CampaignQuery>, QueryRejection>,
) -> Response {
    let auth = match c.require_auth() {
        Ok(a) => a,
        Err(r) => return r,
    };
    let q = match super::page_query(&c, q) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let r = match campaign_report(&state, auth, &q).await {
        Ok(r) => r,
        Err(e) => return c.error(e),
    };
    let rows = r
        .campaigns
        .iter()
        .map(|x| CampaignRow {
            group_id: x.group_id.clone(),
            reg_no: x.reg_no.clone(),
            excerpt: x.excerpt.clone(),
            language: x.language.clone(),
            size: x.size,
            first: x.first_registered_on.clone(),
            last: x.last_registered_on.clone(),
            orgs: x
                .organisations
                .iter()
                .map(|o| (c.org_name(&state, &o.org_id), o.appeals))
                .collect(),
        })
        .collect();
    c.page(StatusCode::OK, &CampaignsPage { c: &c, r, rows })
}
