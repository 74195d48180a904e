//! Public statistics of appeals and petitions as JSON and as open-data CSV: the same figures
//! the statistics page draws, served from the same short-lived cache.

use crate::api::petitions::{csv_cell, csv_response};
use crate::error::ApiResult;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use std::fmt::Write;

/// Appeals by month, region, top category, form, channel, language, status and organisation
/// (each with answered, answered on time, open and overdue), and petitions by stage.
#[utoipa::path(get, path = "/api/v1/statistics", tag = "open data",
    responses((status = 200, description = "{appeals: {totals, by_month, by_region, by_category, by_form, by_channel, by_language, by_status, by_org}, petitions: {total, signatures, by_status, by_month, by_addressee}}; from running counters, at most 2 s old")))]
pub async fn statistics(State(state): State<AppState>) -> ApiResult<axum::Json<serde_json::Value>> {
    let (a, p) = crate::pages::stats::public_figures(&state).await?;
    Ok(axum::Json(serde_json::json!({
        "appeals": a.as_ref(),
        "petitions": p.as_ref(),
    })))
}

/// The appeal statistics as one CSV table: dimension, key, total, answered, answered on time,
/// open, overdue.
#[utoipa::path(get, path = "/api/v1/open-data/appeal-statistics.csv", tag = "open data",
    responses((status = 200, content_type = "text/csv", description = "dimension,key,total,answered,answered_on_time,open,overdue")))]
pub async fn appeal_statistics_csv(State(state): State<AppState>) -> ApiResult<Response> {
    let (a, _) = crate::pages::stats::public_figures(&state).await?;
    let mut out = String::from("dimension,key,total,answered,answered_on_time,open,overdue\n");
    let dims = [
        ("total", std::slice::from_ref(&a.totals)),
        ("month", a.by_month.as_slice()),
        ("region", a.by_region.as_slice()),
        ("category", a.by_category.as_slice()),
        ("form", a.by_form.as_slice()),
        ("channel", a.by_channel.as_slice()),
        ("language", a.by_language.as_slice()),
        ("status", a.by_status.as_slice()),
        ("organisation", a.by_org.as_slice()),
    ];
    for (dim, buckets) in dims {
        for b in buckets {
            let _ = writeln!(
                out,
                "{dim},{},{},{},{},{},{}",
                csv_cell(&b.key),
                b.total,
                b.answered,
                b.answered_on_time,
                b.open,
                b.overdue
            );
        }
    }
    Ok(csv_response("appeal-statistics.csv", out))
}

#[derive(serde::Deserialize, utoipa::IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// First registration date (YYYY-MM-DD); default 90 days before `to`.
    pub from: Option<String>,
    /// Last registration date (YYYY-MM-DD); default today.
    pub to: Option<String>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct SerialApplicants {
    pub from: String,
    pub to: String,
    pub appeals: i64,
    pub applicants: i64,
    pub top_0_1_percent_appeals: i64,
    pub top_1_percent_appeals: i64,
    /// The most active applicants as pseudonyms (stable for one deployment), with their appeals.
    pub leaders: Vec<SerialLeader>,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct SerialLeader {
    pub pseudonym: String,
    pub appeals: i64,
}

/// A stable pseudonym of an applicant key: a keyed hash, so the list reveals no identity.
pub(crate) fn pseudonym(state: &AppState, key: &str) -> String {
    let h = crate::identity::signer_hash(&state.signer_key, &format!("applicant:{key}"));
    format!("A-{}", &h[..10])
}

/// How many of the most active applicants are listed.
const SERIAL_LEADERS: usize = 50;

/// The period of a serial-applicant read, for supervisors only: 90 days to today by default.
fn serial_period(
    state: &AppState,
    auth: &crate::extract::Auth,
    q: &PeriodQuery,
) -> ApiResult<(chrono::NaiveDate, chrono::NaiveDate)> {
    crate::api::analytics::require_supervisor(auth, "the serial-applicant view")?;
    let today = crate::api::registration_today(state);
    crate::api::parse_period(q.from.as_deref(), q.to.as_deref(), today, 90, 3660)
}

/// The period's report for a supervisor (pages and API alike).
pub(crate) async fn serial_report(
    state: &AppState,
    auth: &crate::extract::Auth,
    q: &PeriodQuery,
) -> ApiResult<SerialApplicants> {
    let (from, to) = serial_period(state, auth, q)?;
    let r = tyndau_storage::stats::serial_applicants(&state.db, from, to, SERIAL_LEADERS).await?;
    Ok(SerialApplicants {
        from: from.to_string(),
        to: to.to_string(),
        appeals: r.appeals,
        applicants: r.applicants,
        top_0_1_percent_appeals: r.top_0_1_percent_appeals,
        top_1_percent_appeals: r.top_1_percent_appeals,
        leaders: r
            .leaders
            .into_iter()
            .map(|(k, n)| SerialLeader {
                pseudonym: pseudonym(state, &k),
                appeals: n,
            })
            .collect(),
    })
}

/// How many of a serial applicant's appeals one read shows.
pub const APPLICANT_APPEALS_LIMIT: i64 = 500;

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct SerialApplicantAppeals {
    pub pseudonym: String,
    pub from: String,
    pub to: String,
    /// The applicant's appeals of the period (at most 500 are listed).
    pub appeals: i64,
    /// Earliest first, without the applicant's personal data.
    pub items: Vec<crate::api::appeals::AppealView>,
}

/// One listed applicant's appeals of the period, for a supervisor: what they write about, to
/// whom, and how it was handled. Only a pseudonym of the period's list opens (this is not a
/// look-up of people), the applicant stays a pseudonym, and the read is journaled.
pub(crate) async fn serial_applicant_report(
    state: &AppState,
    auth: &crate::extract::Auth,
    pseudonym_: &str,
    q: &PeriodQuery,
) -> ApiResult<SerialApplicantAppeals> {
    let (from, to) = serial_period(state, auth, q)?;
    let leaders =
        tyndau_storage::stats::serial_applicants(&state.db, from, to, SERIAL_LEADERS).await?;
    let Some((key, n)) = leaders
        .leaders
        .into_iter()
        .find(|(k, _)| pseudonym(state, k) == pseudonym_)
    else {
        return Err(crate::error::ApiError::not_found(
            "unknown_pseudonym",
            "no applicant of the period's list has this pseudonym",
        ));
    };
    let rows = tyndau_storage::stats::applicant_appeals(
        &state.db,
        &key,
        from,
        to,
        APPLICANT_APPEALS_LIMIT,
    )
    .await?;
    crate::api::analytics::journal_read(
        state,
        auth,
        "serial_applicant_appeals",
        &format!("pseudonym={pseudonym_} from={from} to={to}"),
        rows.len(),
    )
    .await?;
    Ok(SerialApplicantAppeals {
        pseudonym: pseudonym_.to_string(),
        from: from.to_string(),
        to: to.to_string(),
        appeals: n,
        items: rows
            .into_iter()
            .map(|r| crate::api::appeals::view(&auth.principal, r, false, None))
            .collect(),
    })
}

/// One serial applicant's appeals of the period (supervisors), the applicant as a pseudonym of
/// the period's list; journaled.
#[utoipa::path(get, path = "/api/v1/analytics/serial-applicants/{pseudonym}", tag = "analytics",
    params(("pseudonym" = String, Path), PeriodQuery),
    responses((status = 200, body = SerialApplicantAppeals), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn serial_applicant(
    State(state): State<AppState>,
    auth: crate::extract::Auth,
    axum::extract::Path(p): axum::extract::Path<String>,
    q: Result<axum::extract::Query<PeriodQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::Json<SerialApplicantAppeals>> {
    let q = crate::api::query_for(q, tyndau_core::access::may_view_analytics(auth.user.role))?;
    Ok(axum::Json(
        serial_applicant_report(&state, &auth, &p, &q).await?,
    ))
}

/// Serial applicants (supervisors): how many of the period's appeals came from the most active
/// 0.1 % and 1 % of applicants, and the most active ones as pseudonyms.
#[utoipa::path(get, path = "/api/v1/analytics/serial-applicants", tag = "analytics", params(PeriodQuery),
    responses((status = 200, body = SerialApplicants), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn serial_applicants(
    State(state): State<AppState>,
    auth: crate::extract::Auth,
    q: Result<axum::extract::Query<PeriodQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::Json<SerialApplicants>> {
    let q = crate::api::query_for(q, tyndau_core::access::may_view_analytics(auth.user.role))?;
    Ok(axum::Json(serial_report(&state, &auth, &q).await?))
}
