//! The public statistics page: what the state hears (appeals by month, region, category, form,
//! channel and language, and the share answered on time) and the petitions, as SVG charts each
//! with a table of the same figures, and links to the open data.

use super::Ctx;
use super::charts;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use std::sync::Arc;
use std::time::Instant;
use tyndau_core::notify::UiLang;
use tyndau_storage::error::ServiceResult;
use tyndau_storage::reference::Reference;
use tyndau_storage::stats::{self, AppealStats, Bucket, PetitionStats};

/// A territory's name from its KATO code, in the language.
pub fn territory_name(r: &Reference, kato: &str, lang: UiLang) -> Option<String> {
    let k = tyndau_core::ids::Kato::parse(kato).ok()?;
    r.territories.get(&k).map(|t| t.names.get(lang).to_string())
}

pub(crate) type Figures = (Arc<AppealStats>, Arc<PetitionStats>);

/// The public figures, read again at most once per `statistics_cache_ms`: the page is open to
/// everyone, and the counters are cheap to read, but a flood of requests should not become a
/// flood of queries.
pub(crate) async fn public_figures(state: &AppState) -> ServiceResult<Figures> {
    if let Some((at, f)) = state.figures_cache.lock().expect("figures cache").as_ref()
        && at.elapsed() < std::time::Duration::from_millis(state.config.statistics_cache_ms)
    {
        return Ok(f.clone());
    }
    let offset = state.config.terms.utc_offset_minutes;
    let s = stats::counted_stats(&state.db).await?;
    let p = stats::petition_stats_with_offset(&state.db, offset).await?;
    let f = (Arc::new(s), Arc::new(p));
    *state.figures_cache.lock().expect("figures cache") = Some((Instant::now(), f.clone()));
    Ok(f)
}

pub struct Chart {
    pub id: &'static str,
    pub title: String,
    pub svg: String,
    /// (label, count, share answered on time)
    pub rows: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "statistics.html")]
struct StatsPage<'a> {
    c: &'a Ctx,
    totals: Bucket,
    charts: Vec<Chart>,
    petitions: PetitionStats,
    petition_chart: Option<Chart>,
}

fn chart(
    c: &Ctx,
    id: &'static str,
    title: String,
    buckets: &[Bucket],
    label: &dyn Fn(&str) -> String,
    over_time: bool,
) -> Chart {
    let data: Vec<(String, i64, String)> = buckets
        .iter()
        .map(|b| (label(&b.key), b.total, c.tr.num(b.total)))
        .collect();
    let svg = if over_time {
        charts::columns(id, &title, &data)
    } else {
        charts::bars(id, &title, &data)
    };
    Chart {
        id,
        title,
        svg,
        rows: buckets
            .iter()
            .map(|b| {
                (
                    label(&b.key),
                    c.tr.num(b.total),
                    c.tr.pct(b.answered_on_time, b.answered),
                )
            })
            .collect(),
    }
}

pub async fn page(State(state): State<AppState>, c: Ctx) -> Response {
    let (s, p) = match public_figures(&state).await {
        Ok(f) => f,
        Err(e) => return c.error(e.into()),
    };
    let (s, p) = (s.as_ref().clone(), p.as_ref().clone());
    let r = state.reference();
    let lang = c.tr.lang;
    let unknown = c.t("stats-unknown");
    let region = |k: &str| territory_name(&r, k, lang).unwrap_or_else(|| unknown.clone());
    let category = |k: &str| {
        r.categories
            .get(k)
            .map(|x| x.names.get(lang).to_string())
            .unwrap_or_else(|| unknown.clone())
    };
    let month = |k: &str| c.tr.month(k);
    let form = |k: &str| c.v("form", k);
    let channel = |k: &str| c.v("channel", k);
    let language = |k: &str| c.v("appeal-lang", k);
    let charts = vec![
        chart(
            &c,
            "by-month",
            c.t("stats-by-month"),
            &s.by_month,
            &month,
            true,
        ),
        chart(
            &c,
            "by-region",
            c.t("stats-by-region"),
            &s.by_region,
            &region,
            false,
        ),
        chart(
            &c,
            "by-category",
            c.t("stats-by-category"),
            &s.by_category,
            &category,
            false,
        ),
        chart(
            &c,
            "by-form",
            c.t("stats-by-form"),
            &s.by_form,
            &form,
            false,
        ),
        chart(
            &c,
            "by-channel",
            c.t("stats-by-channel"),
            &s.by_channel,
            &channel,
            false,
        ),
        chart(
            &c,
            "by-language",
            c.t("stats-by-language"),
            &s.by_language,
            &language,
            false,
        ),
    ];
    let petition_chart = (!p.by_status.is_empty()).then(|| {
        let title = c.t("stats-petitions-by-status");
        let data: Vec<(String, i64, String)> = p
            .by_status
            .iter()
            .map(|(k, n)| (c.v("pstatus", k), *n, c.tr.num(*n)))
            .collect();
        Chart {
            id: "petitions-by-status",
            svg: charts::bars("petitions-by-status", &title, &data),
            title,
            rows: data
                .into_iter()
                .map(|(l, _, shown)| (l, shown, String::new()))
                .collect(),
        }
    });
    c.page(
        StatusCode::OK,
        &StatsPage {
            c: &c,
            totals: s.totals,
            charts,
            petitions: p,
            petition_chart,
        },
    )
}
