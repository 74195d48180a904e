//! Listening analytics for supervisors: problem hotspots with the appeals behind each (issue 5,
//! item 7) and sensitive appeals for priority control with their lexicon (item 8).

use axum::extract::{Path, Query, State};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tyndau_core::access;
use tyndau_core::ids::Kato;
use tyndau_core::sensitive::{Term, TermError, Topic};
use tyndau_storage::hotspots::{self, Hotspot, HotspotAppeal};
use tyndau_storage::sensitive::SensitiveAppeal;
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiError, ApiResult};
use crate::extract::{Auth, Json};
use crate::state::AppState;

/// The analytics that show what appeals say are for supervisors (`access::may_view_analytics`).
pub(crate) fn require_supervisor(auth: &Auth, what: &str) -> ApiResult<()> {
    if !access::may_view_analytics(auth.user.role) {
        return Err(ApiError::forbidden(format!("{what} is for supervisors")));
    }
    Ok(())
}

/// The lexicon, the service registry and the models' status hold no appeal: supervisors and
/// administrators read them.
pub(crate) fn require_reference_reader(auth: &Auth, what: &str) -> ApiResult<()> {
    if !access::may_read_analytics_reference(auth.user.role) {
        return Err(ApiError::forbidden(format!(
            "{what} is for supervisors and administrators"
        )));
    }
    Ok(())
}

/// Changes to the analytics' reference data are for administrators.
pub(crate) fn require_maintainer(auth: &Auth, what: &str) -> ApiResult<()> {
    if !access::may_maintain_analytics(auth.user.role) {
        return Err(ApiError::forbidden(format!(
            "only administrators change {what}"
        )));
    }
    Ok(())
}

/// Supervisors' reads of appeal texts in bulk are journaled like officials' reads of personal
/// data: who looked at which list, and how many appeals it showed.
pub(crate) async fn journal_read(
    state: &AppState,
    auth: &Auth,
    list: &str,
    filter: &str,
    n: usize,
) -> ApiResult<()> {
    tyndau_storage::users::write_audit(
        &state.db,
        &auth.user.id,
        auth.user.role,
        "analytics_read",
        list,
        filter,
        Some(&format!("{n} appeals")),
    )
    .await?;
    Ok(())
}

#[derive(Serialize, ToSchema)]
pub struct HotspotReport {
    /// The local date the report was made on.
    pub today: String,
    /// The settings the scores were computed with.
    #[schema(value_type = Object)]
    pub settings: hotspots::HotspotSettings,
    #[schema(value_type = Vec<Object>)]
    pub hotspots: Arc<Vec<Hotspot>>,
}

pub(crate) async fn hotspot_report(state: &AppState, auth: &Auth) -> ApiResult<HotspotReport> {
    require_supervisor(auth, "the hotspot view")?;
    let today = state.config.terms.local_date(tyndau_storage::db::now_ms());
    let settings = state.config.hotspots.clone();
    // Several supervisors looking at once share one computation (a few tens of ms over a
    // quarter's counts); the list is at most `hotspot_cache_ms` old.
    let cached = state
        .hotspot_cache
        .lock()
        .expect("hotspot cache")
        .as_ref()
        .filter(|(at, _)| {
            at.elapsed() < std::time::Duration::from_millis(state.config.hotspot_cache_ms)
        })
        .map(|(_, h)| h.clone());
    let hotspots = match cached {
        Some(h) => h,
        None => {
            let h = Arc::new(hotspots::hotspots(&state.db, today, &settings, 50).await?);
            *state.hotspot_cache.lock().expect("hotspot cache") =
                Some((std::time::Instant::now(), h.clone()));
            h
        }
    };
    Ok(HotspotReport {
        today: today.to_string(),
        settings,
        hotspots,
    })
}

/// The hottest districts × categories and spatial clusters of the current and previous week,
/// each scored against its own baseline of the weeks before (supervisors).
#[utoipa::path(get, path = "/api/v1/analytics/hotspots", tag = "analytics",
    responses((status = 200, body = HotspotReport), (status = 403, body = crate::error::Problem)))]
pub async fn hotspots(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<axum::Json<HotspotReport>> {
    Ok(axum::Json(hotspot_report(&state, &auth).await?))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
pub struct HotspotAppealsQuery {
    /// Any day of the week (its Monday is used).
    #[serde(default)]
    pub week: String,
    /// The top category, e.g. `roads`.
    #[serde(default)]
    pub category: String,
    /// A district's KATO code (district hotspots).
    pub district: Option<String>,
    /// Grid cells "lat:lon" in hundredths of a degree, comma-separated (clusters).
    pub cells: Option<String>,
}

pub(crate) struct HotspotSelection {
    pub week: chrono::NaiveDate,
    pub category: String,
    pub district: Option<Kato>,
    pub cells: Vec<(i64, i64)>,
}

pub(crate) fn parse_selection(
    state: &AppState,
    q: &HotspotAppealsQuery,
) -> ApiResult<HotspotSelection> {
    let week = crate::api::parse_date(&q.week, "week")?;
    let reference = state.reference();
    // Hotspots count top categories only.
    if reference
        .categories
        .get(&q.category)
        .is_none_or(|c| c.id.contains('.'))
    {
        return Err(ApiError::invalid(
            "unknown_category",
            "category",
            format!("no top category with id '{}'", q.category),
        ));
    }
    let district = match q.district.as_deref().filter(|d| !d.is_empty()) {
        Some(d) => {
            let k = Kato::parse(d).map_err(|_| {
                ApiError::invalid("invalid_kato", "district", "a KATO code is nine digits")
            })?;
            // An unknown code would list nothing, as if the district were quiet.
            if !reference.territories.contains_key(&k) {
                return Err(ApiError::invalid(
                    "unknown_territory",
                    "district",
                    format!("no territory with KATO code {k}"),
                ));
            }
            Some(k)
        }
        None => None,
    };
    let mut cells = Vec::new();
    for c in q
        .cells
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter(|c| !c.is_empty())
    {
        let cell = c
            .split_once(':')
            .and_then(|(a, b)| Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?)))
            .filter(|(a, b)| a.abs() <= 9_000 && b.abs() <= 18_000)
            .ok_or_else(|| {
                ApiError::invalid(
                    "invalid_cell",
                    "cells",
                    format!("'{c}' is not a grid cell like 4323:7688"),
                )
            })?;
        cells.push(cell);
    }
    if cells.len() > 200 {
        return Err(ApiError::invalid(
            "invalid_cell",
            "cells",
            "at most 200 cells at a time",
        ));
    }
    if district.is_none() && cells.is_empty() {
        return Err(ApiError::invalid(
            "missing_area",
            "district",
            "give a district or grid cells",
        ));
    }
    Ok(HotspotSelection {
        week,
        category: q.category.clone(),
        district,
        cells,
    })
}

pub(crate) async fn hotspot_appeals_for(
    state: &AppState,
    auth: &Auth,
    q: &HotspotAppealsQuery,
) -> ApiResult<(HotspotSelection, Vec<HotspotAppeal>)> {
    require_supervisor(auth, "the hotspot view")?;
    let s = parse_selection(state, q)?;
    let rows = hotspots::hotspot_appeals(
        &state.db,
        s.week,
        &s.category,
        s.district.as_ref(),
        &s.cells,
        500,
    )
    .await?;
    journal_read(
        state,
        auth,
        "hotspot_appeals",
        &format!(
            "week={} category={} district={} cells={}",
            s.week,
            s.category,
            s.district.map(|d| d.code()).unwrap_or_default(),
            s.cells.len()
        ),
        rows.len(),
    )
    .await?;
    Ok((s, rows))
}

/// The appeals behind a hotspot: of the week, the top category and the district or cells.
#[utoipa::path(get, path = "/api/v1/analytics/hotspots/appeals", tag = "analytics", params(HotspotAppealsQuery),
    responses((status = 200, body = Vec<Object>), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn hotspot_appeals(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<HotspotAppealsQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::Json<Vec<HotspotAppeal>>> {
    let q = crate::api::query_for(q, access::may_view_analytics(auth.user.role))?;
    Ok(axum::Json(hotspot_appeals_for(&state, &auth, &q).await?.1))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
pub struct SensitiveQuery {
    /// One topic: life_health, children, utilities_winter, corruption, mass_events.
    pub topic: Option<String>,
    /// `all` to include answered and closed appeals (default: open ones).
    pub status: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SensitiveReport {
    /// Open flagged appeals per topic.
    pub open_by_topic: Vec<(String, i64)>,
    #[schema(value_type = Vec<Object>)]
    pub appeals: Vec<SensitiveAppeal>,
}

pub(crate) fn parse_topic(t: Option<&str>) -> ApiResult<Option<Topic>> {
    match t.filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => Topic::parse(t).map(Some).ok_or_else(|| {
            ApiError::invalid(
                "invalid_value",
                "topic",
                format!("'{t}' is not one of: {}", Topic::values().join(", ")),
            )
        }),
    }
}

pub(crate) async fn sensitive_report(
    state: &AppState,
    auth: &Auth,
    q: &SensitiveQuery,
) -> ApiResult<SensitiveReport> {
    require_supervisor(auth, "the sensitive-appeal view")?;
    let topic = parse_topic(q.topic.as_deref())?;
    let open_only = match q.status.as_deref() {
        None | Some("") | Some("open") => true,
        Some("all") => false,
        Some(other) => {
            return Err(ApiError::invalid(
                "invalid_value",
                "status",
                format!("'{other}' is not one of: open, all"),
            ));
        }
    };
    let appeals = tyndau_storage::sensitive::flagged(&state.db, topic, open_only, 200).await?;
    journal_read(
        state,
        auth,
        "sensitive_appeals",
        &format!(
            "topic={} open_only={open_only}",
            topic.map(|t| t.as_str()).unwrap_or("all")
        ),
        appeals.len(),
    )
    .await?;
    Ok(SensitiveReport {
        open_by_topic: tyndau_storage::sensitive::open_by_topic(&state.db).await?,
        appeals,
    })
}

/// Appeals flagged as sensitive at registration (lexicon terms or a sensitive category), newest
/// first, for priority control (supervisors).
#[utoipa::path(get, path = "/api/v1/analytics/sensitive", tag = "analytics", params(SensitiveQuery),
    responses((status = 200, body = SensitiveReport), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn sensitive(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<SensitiveQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::Json<SensitiveReport>> {
    let q = crate::api::query_for(q, access::may_view_analytics(auth.user.role))?;
    Ok(axum::Json(sensitive_report(&state, &auth, &q).await?))
}

#[derive(Serialize, ToSchema)]
pub struct SensitiveTermView {
    pub id: String,
    pub topic: String,
    pub term: String,
    pub created_at: String,
}

pub(crate) async fn term_list(state: &AppState) -> ApiResult<Vec<SensitiveTermView>> {
    Ok(tyndau_storage::reference::sensitive_terms(&state.db)
        .await?
        .into_iter()
        .map(|t| SensitiveTermView {
            id: t.id,
            topic: t.topic,
            term: t.text,
            created_at: crate::api::time(t.created_at),
        })
        .collect())
}

/// The sensitive-issues lexicon (supervisors and administrators).
#[utoipa::path(get, path = "/api/v1/admin/sensitive-terms", tag = "analytics",
    responses((status = 200, body = Vec<SensitiveTermView>), (status = 403, body = crate::error::Problem)))]
pub async fn list_terms(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<axum::Json<Vec<SensitiveTermView>>> {
    require_reference_reader(&auth, "the sensitive-issues lexicon")?;
    Ok(axum::Json(term_list(&state).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTerm {
    pub topic: String,
    /// One to five words, each of at least two letters and one of at least three; each matches
    /// words that start with it.
    pub term: String,
}

/// Adds a term and applies it to appeals registered from now on.
pub(crate) async fn add_term(
    state: &AppState,
    auth: &Auth,
    req: &NewTerm,
) -> ApiResult<SensitiveTermView> {
    require_maintainer(auth, "the sensitive-issues lexicon")?;
    let topic = parse_topic(Some(&req.topic))?
        .ok_or_else(|| ApiError::invalid("missing_field", "topic", "choose a topic"))?;
    let term = Term::parse(topic, &req.term).map_err(|e| {
        let code = match e {
            TermError::Empty => "empty_term",
            TermError::TooShort => "term_too_short",
            TermError::TooLong => "term_too_long",
        };
        ApiError::invalid(code, "term", e.to_string())
    })?;
    let Some(id) =
        tyndau_storage::reference::add_sensitive_term(&state.db, &term, Some(&auth.principal))
            .await?
    else {
        return Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "duplicate_term",
            format!("'{}' is already a term of {}", term.text(), topic),
        ));
    };
    state.reload_reference().await?;
    Ok(SensitiveTermView {
        id,
        topic: topic.as_str().into(),
        term: term.text(),
        created_at: crate::api::time(tyndau_storage::db::now_ms()),
    })
}

/// Adds a term to the lexicon (administrators); it flags appeals registered from then on.
#[utoipa::path(post, path = "/api/v1/admin/sensitive-terms", tag = "analytics", request_body = NewTerm,
    responses((status = 201, body = SensitiveTermView), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create_term(
    State(state): State<AppState>,
    auth: Auth,
    Json(req): Json<NewTerm>,
) -> ApiResult<(axum::http::StatusCode, axum::Json<SensitiveTermView>)> {
    Ok((
        axum::http::StatusCode::CREATED,
        axum::Json(add_term(&state, &auth, &req).await?),
    ))
}

pub(crate) async fn remove_term(state: &AppState, auth: &Auth, id: &str) -> ApiResult<()> {
    require_maintainer(auth, "the sensitive-issues lexicon")?;
    if tyndau_storage::reference::delete_sensitive_term(&state.db, id, &auth.principal)
        .await?
        .is_none()
    {
        return Err(ApiError::not_found(
            "term_not_found",
            "no term with this id",
        ));
    }
    state.reload_reference().await?;
    Ok(())
}

/// Removes a term from the lexicon (administrators).
#[utoipa::path(delete, path = "/api/v1/admin/sensitive-terms/{id}", tag = "analytics",
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn delete_term(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::http::StatusCode> {
    remove_term(&state, &auth, &id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(deny_unknown_fields)]
pub struct HiddenQuery {
    /// First day (local), default the first standard period (90 days) before `to`.
    pub from: Option<String>,
    /// Last day (local), default today.
    pub to: Option<String>,
    /// The least number of applications for a recurring request (default 5).
    pub min_volume: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct HiddenReport {
    pub from: String,
    pub to: String,
    pub min_volume: usize,
    /// When the report's computation started (RFC 3339): applications registered later are
    /// not in it.
    pub computed_at: String,
    /// A standard period's report, computed in the background and shared by every reader
    /// (false: computed for this request).
    pub stored: bool,
    /// The registry has changed, or a new day has begun, since it was computed; a new one is
    /// being computed.
    pub stale: bool,
    /// How many applications of the period were read (at most 50,000, the newest).
    pub applications: usize,
    /// How many services the registry holds.
    pub services_registered: usize,
    #[schema(value_type = Vec<Object>)]
    pub hidden: Vec<tyndau_storage::services::HiddenService>,
}

pub(crate) async fn hidden_report(
    state: &AppState,
    auth: &Auth,
    q: &HiddenQuery,
) -> ApiResult<HiddenReport> {
    use tyndau_storage::services;
    require_supervisor(auth, "the hidden-service view")?;
    let cfg = &state.config.hidden_services;
    // The local date, not `registration_today`: this view counts appeals by the day they were
    // received (`services::hidden_services`), so this evening's are inside a period ending today.
    let today = state.config.terms.local_date(tyndau_storage::db::now_ms());
    let (from, to) = crate::api::parse_period(
        q.from.as_deref(),
        q.to.as_deref(),
        today,
        cfg.default_days(),
        366,
    )?;
    let min_volume = crate::api::int_param(
        &q.min_volume,
        "min_volume",
        (2, 10_000),
        cfg.min_volume as i64,
    )? as usize;
    let registry = services::list(&state.db).await?;
    let fingerprint = services::fingerprint(&registry, min_volume);
    // A standard period ending today is served from its stored report; any other period is
    // computed for the request.
    let days = (to - from).num_days();
    let standard = to == today && min_volume == cfg.min_volume && cfg.periods_days.contains(&days);
    let stored = match standard {
        true => services::stored_report(&state.db, days).await?,
        false => None,
    };
    let (report, stored, stale) = match stored {
        Some(r) if r.is_current(today, &fingerprint) => (r, true, false),
        // The worker recomputes it (woken here too, in case the registry changed on another
        // node); until then the reader sees the last report, marked stale.
        Some(r) if cfg.check_secs > 0 => {
            state.hidden_services_stale.notify_one();
            (r, true, true)
        }
        _ if standard => (
            services::refresh_report(&state.db, &state.config.terms, days, today, min_volume)
                .await?,
            true,
            false,
        ),
        _ => (
            services::hidden_services(&state.db, &state.config.terms, from, to, min_volume).await?,
            false,
            false,
        ),
    };
    journal_read(
        state,
        auth,
        "hidden_services",
        &format!(
            "from={} to={} min_volume={} stored={stored}",
            report.from, report.to, report.min_volume
        ),
        report.hidden.iter().map(|h| h.examples.len()).sum(),
    )
    .await?;
    Ok(HiddenReport {
        from: report.from.to_string(),
        to: report.to.to_string(),
        min_volume: report.min_volume,
        computed_at: crate::api::time(report.computed_at),
        stored,
        stale,
        applications: report.applications,
        services_registered: registry.len(),
        hidden: report.hidden,
    })
}

/// Recurring applications that no registered public service covers, with their volume
/// (supervisors). A standard period ending today (the default) is answered from its report
/// computed in the background, with when it was computed; another period is computed for the
/// request.
#[utoipa::path(get, path = "/api/v1/analytics/hidden-services", tag = "analytics", params(HiddenQuery),
    responses((status = 200, body = HiddenReport), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn hidden_services(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<HiddenQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::Json<HiddenReport>> {
    let q = crate::api::query_for(q, access::may_view_analytics(auth.user.role))?;
    Ok(axum::Json(hidden_report(&state, &auth, &q).await?))
}

/// The registry of public services (supervisors and administrators).
#[utoipa::path(get, path = "/api/v1/admin/public-services", tag = "analytics",
    responses((status = 200, body = Vec<Object>), (status = 403, body = crate::error::Problem)))]
pub async fn list_services(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<axum::Json<Vec<tyndau_storage::services::PublicService>>> {
    require_reference_reader(&auth, "the public-service registry")?;
    Ok(axum::Json(tyndau_storage::services::list(&state.db).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewService {
    /// A short stable code, e.g. `family-certificate`.
    pub id: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    /// The category it serves (none: any).
    pub category_id: Option<String>,
    /// Keyword phrases separated by ';' (none: every application of the category).
    #[serde(default)]
    pub keywords: String,
}

pub(crate) async fn add_service(
    state: &AppState,
    auth: &Auth,
    req: &NewService,
) -> ApiResult<tyndau_storage::services::PublicService> {
    require_maintainer(auth, "the public-service registry")?;
    // It starts with a letter or digit, so that "." or ".." cannot be an id (a client would
    // rewrite `/public-services/..` into another address).
    let id = req.id.trim();
    if id.is_empty()
        || id.len() > 64
        || !id.as_bytes()[0].is_ascii_alphanumeric()
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
    {
        return Err(ApiError::invalid(
            "invalid_service_id",
            "id",
            "a service id is 1 to 64 lower-case letters, digits, '-' or '.', starting with a letter or digit",
        ));
    }
    let mut names = Vec::new();
    for (field, v) in [
        ("name_kk", &req.name_kk),
        ("name_ru", &req.name_ru),
        ("name_en", &req.name_en),
    ] {
        names.push(crate::api::auth::validate_name(v, field)?);
    }
    let category_id = match req.category_id.as_deref().filter(|c| !c.is_empty()) {
        None => None,
        Some(c) if state.reference().categories.contains_key(c) => Some(c.to_string()),
        Some(c) => {
            return Err(ApiError::invalid(
                "unknown_category",
                "category_id",
                format!("no category with id '{c}'"),
            ));
        }
    };
    let s = tyndau_storage::services::PublicService {
        id: id.to_string(),
        name_kk: names[0].clone(),
        name_ru: names[1].clone(),
        name_en: names[2].clone(),
        category_id,
        keywords: tyndau_storage::services::clean_keywords(&req.keywords)?,
    };
    tyndau_storage::services::add(&state.db, &s, Some(&auth.principal)).await?;
    state.hidden_services_stale.notify_one();
    Ok(s)
}

/// Registers a public service (administrators).
#[utoipa::path(post, path = "/api/v1/admin/public-services", tag = "analytics", request_body = NewService,
    responses((status = 201, body = Object), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create_service(
    State(state): State<AppState>,
    auth: Auth,
    Json(req): Json<NewService>,
) -> ApiResult<(
    axum::http::StatusCode,
    axum::Json<tyndau_storage::services::PublicService>,
)> {
    Ok((
        axum::http::StatusCode::CREATED,
        axum::Json(add_service(&state, &auth, &req).await?),
    ))
}

pub(crate) async fn remove_service(state: &AppState, auth: &Auth, id: &str) -> ApiResult<()> {
    require_maintainer(auth, "the public-service registry")?;
    if tyndau_storage::services::remove(&state.db, id, &auth.principal)
        .await?
        .is_none()
    {
        return Err(ApiError::not_found(
            "service_not_found",
            "no service with this id",
        ));
    }
    state.hidden_services_stale.notify_one();
    Ok(())
}

/// Removes a public service from the registry (administrators).
#[utoipa::path(delete, path = "/api/v1/admin/public-services/{id}", tag = "analytics",
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn delete_service(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::http::StatusCode> {
    remove_service(&state, &auth, &id).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
