//! Supervisors' analytics pages: problem hotspots and the appeals behind each, sensitive appeals
//! for priority control, and the administrators' lexicon of sensitive terms. Each calls the same
//! functions as its JSON endpoint (`api::analytics`).

use super::{CsrfForm, Ctx, FieldErrors};
use crate::api::analytics::{self as api, HotspotAppealsQuery, NewTerm, SensitiveQuery};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tyndau_storage::hotspots::{Hotspot, HotspotAppeal};
use tyndau_storage::sensitive::SensitiveAppeal;

pub struct HotRow {
    pub h: Hotspot,
    pub area: String,
    pub category: String,
    pub link: String,
}

#[derive(Template)]
#[template(path = "hotspots.html")]
struct HotspotsPage<'a> {
    c: &'a Ctx,
    today: String,
    baseline_weeks: u32,
    rows: Vec<HotRow>,
}

pub async fn hotspots(State(state): State<AppState>, c: Ctx) -> Response {
    let auth = match c.require_auth() {
        Ok(a) => a,
        Err(r) => return r,
    };
    let r = match api::hotspot_report(&state, auth).await {
        Ok(r) => r,
        Err(e) => return c.error(e),
    };
    let rows = r
        .hotspots
        .iter()
        .cloned()
        .map(|h| {
            let (area, link) = if h.kind == "district" {
                (
                    c.territory_name(&state, &h.area),
                    format!(
                        "/office/hotspots/appeals?week={}&category={}&district={}",
                        h.week, h.category, h.area
                    ),
                )
            } else {
                (
                    format!(
                        "{:.3}, {:.3} ({})",
                        h.lat.unwrap_or_default(),
                        h.lon.unwrap_or_default(),
                        c.tn("hot-cells", h.cells.len() as i64)
                    ),
                    format!(
                        "/office/hotspots/appeals?week={}&category={}&cells={}",
                        h.week,
                        h.category,
                        h.cells.join(",")
                    ),
                )
            };
            HotRow {
                category: c.category_name(&state, &h.category),
                area,
                link,
                h,
            }
        })
        .collect();
    c.page(
        StatusCode::OK,
        &HotspotsPage {
            c: &c,
            today: r.today,
            baseline_weeks: r.settings.baseline_weeks,
            rows,
        },
    )
}

pub struct HotAppealRow {
    pub a: HotspotAppeal,
    pub org: String,
    pub category: String,
    pub place: String,
}

#[derive(Template)]
#[template(path = "hotspot_appeals.html")]
struct HotspotAppealsPage<'a> {
    c: &'a Ctx,
    week: String,
    category: String,
    area: String,
    rows: Vec<HotAppealRow>,
}

pub async fn hotspot_appeals(
    State(state): State<AppState>,
    c: Ctx,
    q: Result<Query<HotspotAppealsQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let auth = match c.require_auth() {
        Ok(a) => a,
        Err(r) => return r,
    };
    let q = match super::page_query(&c, q) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let (sel, rows) = match api::hotspot_appeals_for(&state, auth, &q).await {
        Ok(r) => r,
        Err(e) => return c.error(e),
    };
    let area = match &sel.district {
        Some(d) => c.territory_name(&state, &d.code()),
        None => c.tn("hot-cells", sel.cells.len() as i64),
    };
    let rows = rows
        .into_iter()
        .map(|a| HotAppealRow {
            org: c.org_name(&state, &a.org_id),
            category: c.category_name(&state, &a.category_id),
            place: a
                .kato
                .as_deref()
                .map(|k| c.territory_name(&state, k))
                .unwrap_or_default(),
            a,
        })
        .collect();
    c.page(
        StatusCode::OK,
        &HotspotAppealsPage {
            c: &c,
            week: tyndau_storage::hotspots::week_of(sel.week).to_string(),
            category: c.category_name(&state, &sel.category),
            area,
            rows,
        },
    )
}

pub struct SensitiveRow {
    pub a: SensitiveAppeal,
    pub org: String,
    pub category: String,
    /// What flagged it, in the page's language: the terms, and a flagging category by name.
    pub because: String,
}

/// `because` as stored ("взятк; category:law.corruption") for a reader.
fn because_text(c: &Ctx, state: &AppState, because: &str) -> String {
    because
        .split("; ")
        .map(|part| match part.strip_prefix("category:") {
            Some(id) => format!("{}: {}", c.t("field-category"), c.category_name(state, id)),
            None => format!("«{part}»"),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[derive(Template)]
#[template(path = "sensitive.html")]
struct SensitivePage<'a> {
    c: &'a Ctx,
    topics: Vec<&'static str>,
    topic: String,
    all: bool,
    open_by_topic: Vec<(String, i64)>,
    rows: Vec<SensitiveRow>,
}

pub async fn sensitive(
    State(state): State<AppState>,
    c: Ctx,
    q: Result<Query<SensitiveQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let auth = match c.require_auth() {
        Ok(a) => a,
        Err(r) => return r,
    };
    let q = match super::page_query(&c, q) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let r = match api::sensitive_report(&state, auth, &q).await {
        Ok(r) => r,
        Err(e) => return c.error(e),
    };
    let rows = r
        .appeals
        .into_iter()
        .map(|a| SensitiveRow {
            org: c.org_name(&state, &a.org_id),
            category: c.category_name(&state, &a.category_id),
            because: because_text(&c, &state, &a.because),
            a,
        })
        .collect();
    c.page(
        StatusCode::OK,
        &SensitivePage {
            c: &c,
            topics: tyndau_core::sensitive::Topic::values(),
            topic: q.topic.unwrap_or_default(),
            all: q.status.as_deref() == Some("all"),
            open_by_topic: r.open_by_topic,
            rows,
        },
    )
}

#[derive(Template)]
#[template(path = "sensitive_terms.html")]
struct TermsPage<'a> {
    c: &'a Ctx,
    terms: Vec<api::SensitiveTermView>,
    topics: Vec<&'static str>,
    admin: bool,
    errors: FieldErrors,
    topic: String,
    term: String,
}

async fn terms_page(
    state: &AppState,
    c: &Ctx,
    errors: FieldErrors,
    topic: String,
    term: String,
) -> Response {
    let terms = match api::term_list(state).await {
        Ok(t) => t,
        Err(e) => return c.error(e),
    };
    let page = TermsPage {
        c,
        terms,
        topics: tyndau_core::sensitive::Topic::values(),
        admin: c
            .role()
            .is_some_and(tyndau_core::access::may_maintain_analytics),
        errors,
        topic,
        term,
    };
    c.form_page(&page.errors, &page)
}

pub async fn terms(State(state): State<AppState>, c: Ctx) -> Response {
    let auth = match c.require_auth() {
        Ok(a) => a,
        Err(r) => return r,
    };
    if let Err(e) = api::require_reference_reader(auth, "the sensitive-issues lexicon") {
        return c.error(e);
    }
    terms_page(
        &state,
        &c,
        FieldErrors::default(),
        String::new(),
        String::new(),
    )
    .await
}

#[derive(Deserialize)]
pub struct TermForm {
    #[serde(default)]
    topic: String,
    #[serde(default)]
    term: String,
}

pub async fn add_term(
    State(state): State<AppState>,
    c: Ctx,
    CsrfForm(f): CsrfForm<TermForm>,
) -> Response {
    let auth = match c.require_auth() {
        Ok(a) => a,
        Err(r) => return r,
    };
    let req = NewTerm {
        topic: f.topic.clone(),
        term: f.term.clone(),
    };
    match api::add_term(&state, auth, &req).await {
        Ok(_) => c.redirect("/office/sensitive-terms", Some("notice-term-added")),
        Err(e) if super::is_form_error(&e) || e.code == "duplicate_term" => {
            let mut errors = FieldErrors::default();
            let field = if e.field.as_deref() == Some("topic") {
                "topic"
            } else {
                "term"
            };
            errors.push(field, c.error_message(&e));
            terms_page(&state, &c, errors, f.topic, f.term).await
        }
        Err(e) => c.error(e),
    }
}

pub async fn delete_term(
    State(state): State<AppState>,
    c: Ctx,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<super::appeals::Empty>,
) -> Response {
    let auth = match c.require_auth() {
        Ok(a) => a,
        Err(r) => return r,
    };
    match api::remove_term(&state, auth, &id).await {
        Ok(()) => c.redirect("/office/sensitive-terms", Some("notice-term-removed")),
        Err(e) => c.error(e),
    }
}

pub struct HiddenRow {
    pub h: tyndau_storage::services::HiddenService,
    pub category: String,
}

#[derive(Template)]
#[template(path = "hidden_services.html")]
struct HiddenPage<'a> {
    c: &'a Ctx,
    from: String,
    to: String,
    min_volume: usize,
    computed_at: i64,
    stored: bool,
    stale: bool,
    applications: usize,
    services_registered: usize,
    rows: Vec<HiddenRow>,
}

pub async fn hidden(
    State(state): State<AppState>,
    c: Ctx,
    q: Result<Query<api::HiddenQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let auth = match c.require_auth() {
        Ok(a) => a,
        Err(r) => return r,
    };
    let q = match super::page_query(&c, q) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let r = match api::hidden_report(&state, auth, &q).await {
        Ok(r) => r,
        Err(e) => return c.error(e),
    };
    let rows = r
        .hidden
        .into_iter()
        .map(|h| HiddenRow {
            category: c.category_name(&state, &h.category_id),
            h,
        })
        .collect();
    c.page(
        StatusCode::OK,
        &HiddenPage {
            c: &c,
            from: r.from,
            to: r.to,
            min_volume: r.min_volume,
            computed_at: chrono::DateTime::parse_from_rfc3339(&r.computed_at)
                .map(|t| t.timestamp_millis())
                .unwrap_or_default(),
            stored: r.stored,
            stale: r.stale,
            applications: r.applications,
            services_registered: r.services_registered,
            rows,
        },
    )
}

pub struct ServiceRow {
    pub s: tyndau_storage::services::PublicService,
    pub name: String,
    pub category: String,
}

#[derive(Template)]
#[template(path = "public_services.html")]
struct ServicesPage<'a> {
    c: &'a Ctx,
    rows: Vec<ServiceRow>,
    categories: Vec<(String, String)>,
    admin: bool,
    errors: FieldErrors,
    f: ServiceForm,
}

#[derive(Deserialize, Default)]
pub struct ServiceForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    name_kk: String,
    #[serde(default)]
    name_ru: String,
    #[serde(default)]
    name_en: String,
    #[serde(default)]
    category_id: String,
    #[serde(default)]
    keywords: String,
}

async fn services_page(state: &AppState, c: &Ctx, errors: FieldErrors, f: ServiceForm) -> Response {
    let list = match tyndau_storage::services::list(&state.db).await {
        Ok(l) => l,
        Err(e) => return c.error(e.into()),
    };
    let rows = list
        .into_iter()
        .map(|s| ServiceRow {
            name: match c.tr.lang {
                tyndau_core::notify::UiLang::Kk => s.name_kk.clone(),
                tyndau_core::notify::UiLang::Ru => s.name_ru.clone(),
                tyndau_core::notify::UiLang::En => s.name_en.clone(),
            },
            category: s
                .category_id
                .as_deref()
                .map(|id| c.category_name(state, id))
                .unwrap_or_default(),
            s,
        })
        .collect();
    let mut categories: Vec<(String, String)> = state
        .reference()
        .categories
        .values()
        .map(|x| (x.id.clone(), x.names.get(c.tr.lang).to_string()))
        .collect();
    categories.sort();
    let page = ServicesPage {
        c,
        rows,
        categories,
        admin: c
            .role()
            .is_some_and(tyndau_core::access::may_maintain_analytics),
        errors,
        f,
    };
    c.form_page(&page.errors, &page)
}

pub async fn services(State(state): State<AppState>, c: Ctx) -> Response {
    let auth = match c.require_auth() {
        Ok(a) => a,
        Err(r) => return r,
    };
    if let Err(e) = api::require_reference_reader(auth, "the public-service registry") {
        return c.error(e);
    }
    services_page(&state, &c, FieldErrors::default(), ServiceForm::default()).await
}

pub async fn add_service(
    State(state): State<AppState>,
    c: Ctx,
    CsrfForm(f): CsrfForm<ServiceForm>,
) -> Response {
    let auth = match c.require_auth() {
        Ok(a) => a,
        Err(r) => return r,
    };
    let req = api::NewService {
        id: f.id.clone(),
        name_kk: f.name_kk.clone(),
        name_ru: f.name_ru.clone(),
        name_en: f.name_en.clone(),
        category_id: Some(f.category_id.clone()),
        keywords: f.keywords.clone(),
    };
    match api::add_service(&state, auth, &req).await {
        Ok(_) => c.redirect("/office/public-services", Some("notice-service-added")),
        Err(e) if super::is_form_error(&e) => {
            let mut errors = FieldErrors::default();
            let field = e.field.clone().unwrap_or_else(|| "id".into());
            errors.push(&field, c.error_message(&e));
            services_page(&state, &c, errors, f).await
        }
        Err(e) => c.error(e),
    }
}

pub async fn delete_service(
    State(state): State<AppState>,
    c: Ctx,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<super::appeals::Empty>,
) -> Response {
    let auth = match c.require_auth() {
        Ok(a) => a,
        Err(r) => return r,
    };
    match api::remove_service(&state, auth, &id).await {
        Ok(()) => c.redirect("/office/public-services", Some("notice-service-removed")),
        Err(e) => c.error(e),
    }
}
