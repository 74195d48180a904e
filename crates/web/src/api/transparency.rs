//! The organisations' transparency index as JSON: the latest computed day's ranking within a
//! region and/or level, every body's metrics and score components, and the methodology (weights
//! and bounds) it was computed with. Public: it holds only aggregates per body.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Query, State};
use serde::{Deserialize, Serialize};
use tyndau_core::ids::{Kato, KatoLevel};
use tyndau_core::org::OrgLevel;
use tyndau_core::transparency::{Methodology, published};
use tyndau_storage::reference::Reference;
use tyndau_storage::transparency::{self as store, BodyResult, Filter};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TransparencyQuery {
    /// Region: its nine-digit KATO code (e.g. 610000000); empty or absent for all.
    pub region: Option<String>,
    /// Level of body: central, oblast_akimat, oblast_maslikhat, district_akimat,
    /// district_maslikhat or other; empty or absent for all.
    pub level: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ComponentRuleView {
    pub key: String,
    pub weight: f64,
    /// The value scored 1 (the best).
    pub best: f64,
    /// The value scored 0 (the worst).
    pub worst: f64,
}

#[derive(Serialize, ToSchema)]
pub struct MethodologyView {
    /// Fingerprint of the methodology data file.
    pub version: String,
    pub window_days: u32,
    pub min_appeals: u64,
    pub components: Vec<ComponentRuleView>,
}

#[derive(Serialize, ToSchema)]
pub struct ComponentView {
    pub key: String,
    /// The measured value: a share 0..1, working days, or a rating 1..5; null without data.
    pub value: Option<f64>,
    /// The value scored 0..1 by the methodology's bounds; null without data.
    pub normalised: Option<f64>,
    pub weight: f64,
}

#[derive(Serialize, ToSchema)]
pub struct NamesView {
    pub kk: String,
    pub ru: String,
    pub en: String,
}

#[derive(Serialize, ToSchema)]
pub struct BodyView {
    /// Rank within the filter (equal scores share a rank); null when not ranked.
    pub rank: Option<u32>,
    pub org_id: String,
    pub name: NamesView,
    pub level: String,
    /// KATO code of the body's region; null for central bodies.
    pub region: Option<String>,
    /// Appeals received in the window: handled, plus forwarded on to another body.
    pub appeals: i64,
    pub handled: i64,
    pub answered: i64,
    /// 0..100; null when not ranked (fewer appeals than `methodology.min_appeals`).
    pub score: Option<f64>,
    pub components: Vec<ComponentView>,
}

#[derive(Serialize, ToSchema)]
pub struct TransparencyView {
    /// The day the ranking was computed for (YYYY-MM-DD); null before the first computation.
    pub day: Option<String>,
    /// The first registration day of the window.
    pub window_from: Option<String>,
    pub computed_at: Option<String>,
    pub region: Option<String>,
    pub level: Option<String>,
    pub methodology: MethodologyView,
    /// Ranked bodies, best first.
    pub ranking: Vec<BodyView>,
    /// Bodies with appeals in the window, but too few to be ranked.
    pub not_ranked: Vec<BodyView>,
    /// Bodies the filter selects with no appeal in the window: no data.
    pub no_appeals: Vec<String>,
}

fn blank(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The filter of a query; unknown values are refused rather than silently matching nothing.
pub(crate) fn parse_filter(reference: &Reference, q: &TransparencyQuery) -> ApiResult<Filter> {
    let region = match blank(&q.region) {
        None => None,
        Some(s) => {
            let k = Kato::parse(s).ok().filter(|k| {
                k.level() == KatoLevel::Region && reference.territories.contains_key(k)
            });
            Some(k.ok_or_else(|| {
                ApiError::invalid(
                    "invalid_region",
                    "region",
                    format!("'{s}' is not the KATO code of a region, like 610000000"),
                )
            })?)
        }
    };
    let level = match blank(&q.level) {
        None => None,
        Some(s) => Some(OrgLevel::parse(s).ok_or_else(|| {
            ApiError::invalid(
                "invalid_org_level",
                "level",
                format!(
                    "'{s}' is not a level of body; use one of {}",
                    OrgLevel::values().join(", ")
                ),
            )
        })?),
    };
    Ok(Filter { region, level })
}

pub(crate) fn methodology_view(m: &Methodology) -> MethodologyView {
    MethodologyView {
        version: m.version.clone(),
        window_days: m.window_days,
        min_appeals: m.min_appeals,
        components: m
            .components
            .iter()
            .map(|r| ComponentRuleView {
                key: r.key.as_str().into(),
                weight: r.weight,
                best: r.best,
                worst: r.worst,
            })
            .collect(),
    }
}

fn body_view(
    reference: &Reference,
    m: &Methodology,
    b: &BodyResult,
    rank: Option<u32>,
) -> BodyView {
    let org = reference.orgs.get(&b.org_id);
    let names = org.map(|o| &o.names);
    let name = |f: fn(&tyndau_storage::reference::Names) -> &String| {
        names.map(f).cloned().unwrap_or_else(|| b.org_id.clone())
    };
    // The components come from the same pure function that scored the body; below the minimum
    // there is no score, but the measured values are still shown.
    let components = match m.score(&b.metrics) {
        Some(s) => s
            .components
            .iter()
            .map(|c| ComponentView {
                key: c.key.as_str().into(),
                value: c.value,
                normalised: c.normalised,
                weight: c.weight,
            })
            .collect(),
        None => m
            .components
            .iter()
            .map(|r| ComponentView {
                key: r.key.as_str().into(),
                value: b.metrics.value(r.key),
                normalised: None,
                weight: r.weight,
            })
            .collect(),
    };
    BodyView {
        rank,
        org_id: b.org_id.clone(),
        name: NamesView {
            kk: name(|n| &n.kk),
            ru: name(|n| &n.ru),
            en: name(|n| &n.en),
        },
        level: org.map(|o| o.level.as_str()).unwrap_or_default().into(),
        region: org.and_then(|o| o.kato).map(|k| k.region().code()),
        appeals: b.metrics.appeals as i64,
        handled: b.handled,
        answered: b.answered,
        score: rank.and(b.score),
        components,
    }
}

/// The ranking as the API and the page show it.
pub(crate) async fn ranking(
    state: &AppState,
    q: &TransparencyQuery,
) -> ApiResult<TransparencyView> {
    let reference = state.reference();
    let filter = parse_filter(&reference, q)?;
    let m = published();
    let r = store::latest(&state.db, &reference, &filter).await?;
    let mut view = TransparencyView {
        day: None,
        window_from: None,
        computed_at: None,
        region: filter.region.map(|k| k.code()),
        level: filter.level.map(|l| l.as_str().into()),
        methodology: methodology_view(m),
        ranking: vec![],
        not_ranked: vec![],
        no_appeals: vec![],
    };
    match r {
        Some(r) => {
            view.day = Some(r.day.to_string());
            view.window_from = Some(r.window_from.to_string());
            view.computed_at = Some(crate::api::time(r.computed_at));
            view.ranking = r
                .ranked
                .iter()
                .map(|x| body_view(&reference, m, &x.body, Some(x.rank)))
                .collect();
            view.not_ranked = r
                .not_ranked
                .iter()
                .map(|b| body_view(&reference, m, b, None))
                .collect();
            view.no_appeals = r.no_appeals;
        }
        None => {
            // Not computed yet: every selected body is without data.
            let mut all: Vec<String> = reference
                .orgs
                .keys()
                .filter(|o| filter.matches(&reference, o))
                .cloned()
                .collect();
            all.sort();
            view.no_appeals = all;
        }
    }
    Ok(view)
}

/// The organisations' transparency index: the latest day's ranking (optionally within a region
/// and/or a level of body), each body's metrics and score components, and the methodology.
#[utoipa::path(get, path = "/api/v1/transparency", tag = "open data", params(TransparencyQuery),
    responses((status = 200, body = TransparencyView), (status = 422, body = crate::error::Problem)))]
pub async fn transparency(
    State(state): State<AppState>,
    q: Result<Query<TransparencyQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::Json<TransparencyView>> {
    let q = crate::api::query(q)?;
    Ok(axum::Json(ranking(&state, &q).await?))
}
