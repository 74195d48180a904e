//! The public transparency index page: the latest ranking of the bodies within a region and a
//! level (a plain GET form), every component of every body, and the methodology printed from the
//! data file the scores were computed with — the page cannot state other weights than it uses.

use super::Ctx;
use crate::api::transparency::{BodyView, TransparencyQuery, ranking};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use tyndau_core::ids::KatoLevel;
use tyndau_core::notify::UiLang;
use tyndau_core::org::OrgLevel;
use tyndau_core::transparency::{Component, published};

pub struct Row {
    pub rank: String,
    pub name: String,
    pub appeals: String,
    /// One per component, in the methodology's order.
    pub cells: Vec<String>,
    pub score: String,
}

pub struct MethodRow {
    pub key: &'static str,
    pub name: String,
    pub description: String,
    pub weight: String,
    pub best: String,
    pub worst: String,
}

#[derive(Template)]
#[template(path = "transparency.html")]
struct TransparencyPage<'a> {
    c: &'a Ctx,
    region: String,
    level: String,
    regions: Vec<(String, String)>,
    levels: Vec<(String, String)>,
    day: Option<String>,
    window_from: Option<String>,
    /// Component names, the columns of the table.
    columns: Vec<String>,
    rows: Vec<Row>,
    /// Bodies without a score: (name, appeals in the window).
    no_data: Vec<(String, String)>,
    method: Vec<MethodRow>,
    window_days: String,
    min_appeals: String,
    version: String,
}

/// A decimal number as the language writes it (comma in Kazakh and Russian).
fn dec(lang: UiLang, v: f64, places: usize) -> String {
    let s = format!("{v:.places$}");
    match lang {
        UiLang::En => s,
        _ => s.replace('.', ","),
    }
}

fn percent(lang: UiLang, share: f64) -> String {
    let v = dec(lang, share * 100.0, 1);
    match lang {
        UiLang::En => format!("{v}%"),
        _ => format!("{v}\u{a0}%"),
    }
}

/// A component's value in its unit: shares as percentages, days and ratings as numbers.
fn value(lang: UiLang, c: Component, v: f64) -> String {
    match c {
        Component::MedianWorkingDays => dec(lang, v, 1),
        Component::Rating => dec(lang, v, 2),
        _ => percent(lang, v),
    }
}

fn component_of(key: &str) -> Option<Component> {
    Component::parse(key)
}

pub async fn page(
    State(state): State<AppState>,
    c: Ctx,
    q: Result<Query<TransparencyQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let q = match super::page_query(&c, q) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let view = match ranking(&state, &q).await {
        Ok(v) => v,
        Err(e) => return c.error(e),
    };
    let lang = c.tr.lang;
    let r = state.reference();
    let m = published();
    let name = |b: &BodyView| match lang {
        UiLang::Kk => b.name.kk.clone(),
        UiLang::Ru => b.name.ru.clone(),
        UiLang::En => b.name.en.clone(),
    };
    let no_value = c.t("tr-no-value");
    let rows: Vec<Row> = view
        .ranking
        .iter()
        .map(|b| Row {
            rank: b.rank.map(|n| n.to_string()).unwrap_or_default(),
            name: name(b),
            appeals: c.num(b.appeals),
            cells: b
                .components
                .iter()
                .map(|x| match (component_of(&x.key), x.value) {
                    (Some(k), Some(v)) => value(lang, k, v),
                    _ => no_value.clone(),
                })
                .collect(),
            score: b.score.map(|s| dec(lang, s, 1)).unwrap_or_default(),
        })
        .collect();
    let mut no_data: Vec<(String, String)> = view
        .not_ranked
        .iter()
        .map(|b| (name(b), c.num(b.appeals)))
        .collect();
    no_data.extend(
        view.no_appeals
            .iter()
            .map(|id| (c.org_name(&state, id), c.num(0i64))),
    );
    let mut regions: Vec<(String, String)> = r
        .territories
        .keys()
        .filter(|k| k.level() == KatoLevel::Region)
        .map(|k| {
            let code = k.code();
            let n = super::stats::territory_name(&r, &code, lang).unwrap_or_else(|| code.clone());
            (code, n)
        })
        .collect();
    regions.sort_by(|a, b| a.1.cmp(&b.1));
    let levels = OrgLevel::ALL
        .iter()
        .map(|l| (l.as_str().to_string(), c.v("tr-level", l.as_str())))
        .collect();
    let method = m
        .components
        .iter()
        .map(|x| MethodRow {
            key: x.key.as_str(),
            name: c.v("tr-c", x.key.as_str()),
            description: c.v("tr-d", x.key.as_str()),
            weight: percent(lang, x.weight),
            best: value(lang, x.key, x.best),
            worst: value(lang, x.key, x.worst),
        })
        .collect();
    let page = TransparencyPage {
        c: &c,
        region: view.region.clone().unwrap_or_default(),
        level: view.level.clone().unwrap_or_default(),
        regions,
        levels,
        day: view.day.as_deref().map(|d| c.day(d)),
        window_from: view.window_from.as_deref().map(|d| c.day(d)),
        columns: m
            .components
            .iter()
            .map(|x| c.v("tr-c", x.key.as_str()))
            .collect(),
        rows,
        no_data,
        method,
        window_days: c.num(i64::from(m.window_days)),
        min_appeals: c.num(m.min_appeals as i64),
        version: m.version.clone(),
    };
    c.page(StatusCode::OK, &page)
}
