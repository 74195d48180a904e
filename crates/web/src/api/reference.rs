//! Reference data (public), the working-day calendar (administrators edit it), audit journal.

use crate::api::parse_date;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Auth, Json};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tyndau_core::access::Role;
use tyndau_core::calendar::{DayEntry, DayKind};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct OrgView {
    pub id: String,
    pub code: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub level: String,
    pub parent_id: Option<String>,
    pub kato: Option<String>,
    pub work_week: String,
    pub competences: Vec<String>,
}

/// Government bodies.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "reference", responses((status = 200, body = [OrgView])))]
pub async fn organisations(State(state): State<AppState>) -> axum::Json<Vec<OrgView>> {
    let r = state.reference();
    let mut v: Vec<OrgView> = r
        .orgs
        .values()
        .map(|o| {
            let mut competences: Vec<String> = o.competences.iter().cloned().collect();
            competences.sort();
            OrgView {
                id: o.id.clone(),
                code: o.code.clone(),
                name_kk: o.names.kk.clone(),
                name_ru: o.names.ru.clone(),
                name_en: o.names.en.clone(),
                level: o.level.as_str().into(),
                parent_id: o.parent_id.clone(),
                kato: o.kato.map(|k| k.code()),
                work_week: o.work_week.as_str().into(),
                competences,
            }
        })
        .collect();
    v.sort_by(|a, b| a.code.cmp(&b.code));
    axum::Json(v)
}

#[derive(Serialize, ToSchema)]
pub struct CategoryView {
    pub id: String,
    pub parent_id: Option<String>,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub public_service: bool,
    pub security: bool,
}

/// The unified category taxonomy (category → subcategory).
#[utoipa::path(get, path = "/api/v1/categories", tag = "reference", responses((status = 200, body = [CategoryView])))]
pub async fn categories(State(state): State<AppState>) -> axum::Json<Vec<CategoryView>> {
    let r = state.reference();
    let mut v: Vec<CategoryView> = r
        .categories
        .values()
        .map(|c| CategoryView {
            id: c.id.clone(),
            parent_id: c.parent_id.clone(),
            name_kk: c.names.kk.clone(),
            name_ru: c.names.ru.clone(),
            name_en: c.names.en.clone(),
            public_service: c.public_service,
            security: c.security,
        })
        .collect();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    axum::Json(v)
}

#[derive(Serialize, ToSchema)]
pub struct TerritoryView {
    pub kato: String,
    pub parent_kato: Option<String>,
    pub level: String,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: String,
    pub population: Option<i64>,
}

/// Territories by KATO code: the 20 regions and units below them.
#[utoipa::path(get, path = "/api/v1/territories", tag = "reference", responses((status = 200, body = [TerritoryView])))]
pub async fn territories(State(state): State<AppState>) -> axum::Json<Vec<TerritoryView>> {
    let r = state.reference();
    let mut v: Vec<TerritoryView> = r
        .territories
        .values()
        .map(|t| TerritoryView {
            kato: t.kato.code(),
            parent_kato: t.parent.map(|k| k.code()),
            level: t.level.clone(),
            name_kk: t.names.kk.clone(),
            name_ru: t.names.ru.clone(),
            name_en: t.names.en.clone(),
            population: t.population,
        })
        .collect();
    v.sort_by(|a, b| a.kato.cmp(&b.kato));
    axum::Json(v)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    pub year: i32,
    /// five_day (default) or six_day
    pub week: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CalendarView {
    pub year: i32,
    pub week: String,
    /// Whether the year has its own data; otherwise the law's fixed holidays apply.
    pub explicit: bool,
    pub entries: Vec<CalendarEntryView>,
    /// Every non-working day of the year that is not a weekend, and every working weekend day.
    pub non_working_weekdays: Vec<String>,
    pub working_weekend_days: Vec<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CalendarEntryView {
    pub date: String,
    /// holiday, day_off or working_day
    pub kind: String,
    pub name: String,
    pub moves_if_weekend: bool,
}

/// The working-day calendar of a year.
#[utoipa::path(get, path = "/api/v1/calendar", tag = "reference", params(CalendarQuery), responses((status = 200, body = CalendarView)))]
pub async fn calendar(
    State(state): State<AppState>,
    q: Result<Query<CalendarQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::Json<CalendarView>> {
    use chrono::Datelike;
    let Query(q) = q.map_err(|e| ApiError::invalid("invalid_query", "query", e.body_text()))?;
    if !CALENDAR_YEARS.contains(&q.year) {
        return Err(ApiError::invalid(
            "invalid_value",
            "year",
            format!(
                "year must be from {} to {}",
                CALENDAR_YEARS.start(),
                CALENDAR_YEARS.end()
            ),
        ));
    }
    let week = match q.week.as_deref() {
        None => tyndau_core::calendar::WorkWeek::FiveDay,
        Some(w) => tyndau_core::calendar::WorkWeek::parse(w).ok_or_else(|| {
            ApiError::invalid("invalid_value", "week", "week must be five_day or six_day")
        })?,
    };
    let r = state.reference();
    let entries = r
        .calendar_entries
        .iter()
        .filter(|e| e.date.year() == q.year)
        .map(|e| CalendarEntryView {
            date: e.date.to_string(),
            kind: tyndau_storage::reference::day_kind_str(e.kind).into(),
            name: e.name.clone(),
            moves_if_weekend: e.moves_if_weekend,
        })
        .collect();
    let mut non_working = vec![];
    let mut working_weekend = vec![];
    let mut d = chrono::NaiveDate::from_ymd_opt(q.year, 1, 1).expect("valid");
    while d.year() == q.year {
        let weekend = matches!(d.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun);
        let working = r.calendar.is_working_day(d, week);
        if !weekend && !working {
            non_working.push(d.to_string());
        }
        if weekend
            && working
            && (week == tyndau_core::calendar::WorkWeek::FiveDay
                || d.weekday() == chrono::Weekday::Sun)
        {
            working_weekend.push(d.to_string());
        }
        d = d.succ_opt().expect("in range");
    }
    Ok(axum::Json(CalendarView {
        year: q.year,
        week: week.as_str().into(),
        explicit: r.calendar.has_explicit_year(q.year),
        entries,
        non_working_weekdays: non_working,
        working_weekend_days: working_weekend,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CalendarDayRequest {
    /// holiday, day_off or working_day
    pub kind: String,
    pub name: String,
    /// For holidays: whether a weekend occurrence moves the day off (default true).
    pub moves_if_weekend: Option<bool>,
}

fn require_admin(auth: &Auth) -> ApiResult<()> {
    if auth.user.role != Role::Administrator {
        return Err(ApiError::forbidden(
            "only administrators may change reference data",
        ));
    }
    Ok(())
}

/// The years the working calendar serves and an administrator may set.
const CALENDAR_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A day of the working calendar: within `CALENDAR_YEARS`, so that what an administrator sets
/// can be read back.
fn calendar_date(s: &str) -> ApiResult<chrono::NaiveDate> {
    let d = parse_date(s, "date")?;
    if !CALENDAR_YEARS.contains(&chrono::Datelike::year(&d)) {
        return Err(ApiError::invalid(
            "invalid_date",
            "date",
            format!(
                "the working calendar covers the years {} to {}",
                CALENDAR_YEARS.start(),
                CALENDAR_YEARS.end()
            ),
        ));
    }
    Ok(d)
}

/// Set one calendar day (administrators), e.g. a government transfer of a day off.
#[utoipa::path(put, path = "/api/v1/admin/calendar/{date}", tag = "admin", params(("date" = String, Path)), request_body = CalendarDayRequest,
    responses((status = 200, body = CalendarEntryView), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn put_calendar_day(
    State(state): State<AppState>,
    auth: Auth,
    Path(date): Path<String>,
    Json(req): Json<CalendarDayRequest>,
) -> ApiResult<axum::Json<CalendarEntryView>> {
    require_admin(&auth)?;
    let date = calendar_date(&date)?;
    let kind = match req.kind.as_str() {
        "holiday" => DayKind::Holiday,
        "day_off" => DayKind::DayOff,
        "working_day" => DayKind::WorkingDay,
        other => {
            return Err(ApiError::invalid(
                "invalid_value",
                "kind",
                format!("'{other}' is not one of: holiday, day_off, working_day"),
            ));
        }
    };
    let name = crate::api::auth::validate_name(&req.name, "name")?;
    let e = DayEntry {
        date,
        kind,
        name,
        moves_if_weekend: req.moves_if_weekend.unwrap_or(kind == DayKind::Holiday),
    };
    tyndau_storage::reference::upsert_calendar_day(&state.db, &e).await?;
    tyndau_storage::users::write_audit(
        &state.db,
        &auth.user.id,
        auth.user.role,
        "calendar_set",
        "calendar_day",
        &date.to_string(),
        Some(&req.kind),
    )
    .await?;
    state.reload_reference().await?;
    Ok(axum::Json(CalendarEntryView {
        date: date.to_string(),
        kind: req.kind,
        name: e.name,
        moves_if_weekend: e.moves_if_weekend,
    }))
}

/// Remove one calendar entry (administrators).
#[utoipa::path(delete, path = "/api/v1/admin/calendar/{date}", tag = "admin", params(("date" = String, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem)))]
pub async fn delete_calendar_day(
    State(state): State<AppState>,
    auth: Auth,
    Path(date): Path<String>,
) -> ApiResult<StatusCode> {
    require_admin(&auth)?;
    let date = calendar_date(&date)?;
    if !tyndau_storage::reference::delete_calendar_day(&state.db, date).await? {
        return Err(ApiError::not_found(
            "calendar_day_not_found",
            "no calendar entry for that date",
        ));
    }
    tyndau_storage::users::write_audit(
        &state.db,
        &auth.user.id,
        auth.user.role,
        "calendar_delete",
        "calendar_day",
        &date.to_string(),
        None,
    )
    .await?;
    state.reload_reference().await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub subject_id: Option<String>,
    pub actor_id: Option<String>,
    pub limit: Option<i64>,
}

/// The audit journal: who read whose personal data, and administrative changes
/// (supervisors and administrators).
#[utoipa::path(get, path = "/api/v1/audit", tag = "admin", params(AuditQuery),
    responses((status = 200, body = [AuditView]), (status = 403, body = crate::error::Problem)))]
pub async fn audit(
    State(state): State<AppState>,
    auth: Auth,
    q: Result<Query<AuditQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<axum::Json<Vec<AuditView>>> {
    if !matches!(auth.user.role, Role::Supervisor | Role::Administrator) {
        return Err(ApiError::forbidden(
            "only supervisors and administrators read the audit journal",
        ));
    }
    let Query(q) = q.map_err(|e| ApiError::invalid("invalid_query", "query", e.body_text()))?;
    let limit = q.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::invalid(
            "invalid_value",
            "limit",
            "limit must be a whole number from 1 to 1000",
        ));
    }
    let list = tyndau_storage::users::audit_entries(
        &state.db,
        q.subject_id.as_deref(),
        q.actor_id.as_deref(),
        limit,
    )
    .await?;
    Ok(axum::Json(
        list.into_iter()
            .map(|e| AuditView {
                id: e.id,
                at: crate::api::time(e.at),
                actor_id: e.actor_id,
                actor_role: e.actor_role,
                action: e.action,
                subject_type: e.subject_type,
                subject_id: e.subject_id,
                detail: e.detail,
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct AuditView {
    pub id: String,
    pub at: String,
    pub actor_id: String,
    pub actor_role: String,
    /// read_personal_data, calendar_set, calendar_delete, …
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub detail: Option<String>,
}
