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
