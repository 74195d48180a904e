//! The JSON API under /api/v1.

pub mod analytics;
pub mod appeals;
pub mod auth;
pub mod learning;
pub mod petitions;
pub mod reference;
pub mod similarity;
pub mod statistics;
pub mod transparency;

use crate::error::{ApiError, ApiResult};
use chrono::NaiveDate;

/// RFC 3339 UTC text of an epoch-millisecond instant.
pub fn time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .unwrap_or_default()
}

/// The years a date or time given to the API may fall in. chrono's dates reach ±262,000 years,
/// and date arithmetic (a period's start, a week's end, a due date) overflows near those ends:
/// a date that no appeal can have is refused before any of it runs.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

pub fn parse_time(s: &str, field: &str) -> ApiResult<i64> {
    let t = chrono::DateTime::parse_from_rfc3339(s).map_err(|_| {
        ApiError::invalid(
            "invalid_time",
            field,
            format!("'{s}' is not an RFC 3339 time like 2026-03-01T10:00:00+05:00"),
        )
    })?;
    in_years(chrono::Datelike::year(&t), s, "invalid_time", field)?;
    Ok(t.timestamp_millis())
}

pub fn parse_date(s: &str, field: &str) -> ApiResult<NaiveDate> {
    let d: NaiveDate = s.parse().map_err(|_| {
        ApiError::invalid(
            "invalid_date",
            field,
            format!("'{s}' is not a date like 2026-03-01"),
        )
    })?;
    in_years(chrono::Datelike::year(&d), s, "invalid_date", field)?;
    Ok(d)
}

fn in_years(year: i32, s: &str, code: &'static str, field: &str) -> ApiResult<()> {
    if YEARS.contains(&year) {
        return Ok(());
    }
    Err(ApiError::invalid(
        code,
        field,
        format!(
            "'{s}' is outside the years {}–{}",
            YEARS.start(),
            YEARS.end()
        ),
    ))
}

/// A KATO code given to the API, or the `invalid_kato` refusal naming `field`.
pub fn parse_kato(s: &str, field: impl Into<String>) -> ApiResult<tyndau_core::ids::Kato> {
    tyndau_core::ids::Kato::parse(s)
        .map_err(|e| ApiError::invalid("invalid_kato", field, e.to_string()))
}

/// Where a period of registration dates "up to today" ends: the day an appeal received now is
/// registered on (the next working day after hours and on days off, for a five-day body, the
/// later of the two work weeks), so that this evening's appeals are inside the default period.
pub fn registration_today(state: &crate::state::AppState) -> NaiveDate {
    let r = state.reference();
    tyndau_core::deadlines::Clock {
        calendar: &r.calendar,
        week: tyndau_core::calendar::WorkWeek::FiveDay,
        terms: &state.config.terms,
    }
    .registration_date(tyndau_storage::db::now_ms())
}

/// A reporting period from optional `from`/`to` days: `to` defaults to today, `from` to
/// `default_days` before `to`; at most `max_days` long, both ends included (a report over all
/// time would read every appeal).
pub fn parse_period(
    from: Option<&str>,
    to: Option<&str>,
    today: NaiveDate,
    default_days: i64,
    max_days: i64,
) -> ApiResult<(NaiveDate, NaiveDate)> {
    let to = match to.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => parse_date(d, "to")?,
        None => today,
    };
    let from = match from.map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => parse_date(d, "from")?,
        None => to - chrono::Duration::days(default_days),
    };
    if from > to {
        return Err(ApiError::invalid(
            "invalid_period",
            "from",
            "the period starts after it ends",
        ));
    }
    if (to - from).num_days() + 1 > max_days {
        return Err(ApiError::invalid(
            "period_too_long",
            "from",
            format!("a period is at most {max_days} days"),
        ));
    }
    Ok((from, to))
}

/// A query string that does not parse (a repeated key, bad encoding) as a problem document.
pub fn query<T>(
    q: Result<axum::extract::Query<T>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<T> {
    q.map(|axum::extract::Query(v)| v)
        .map_err(|e| ApiError::invalid("invalid_query", "query", e.body_text()))
}

/// `query`, for an endpoint that refuses some callers whatever they ask: for those the query
/// is not read (its default stands in), so that what they get is the refusal, not a lesson in
/// the endpoint's parameters.
pub fn query_for<T: Default>(
    q: Result<axum::extract::Query<T>, axum::extract::rejection::QueryRejection>,
    permitted: bool,
) -> ApiResult<T> {
    if permitted {
        query(q)
    } else {
        Ok(T::default())
    }
}

/// An optional whole-number query parameter within `range` (both ends included).
pub fn int_param(
    v: &Option<String>,
    field: &'static str,
    range: (i64, i64),
    default: i64,
) -> ApiResult<i64> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (range.0..=range.1).contains(n))
            .ok_or_else(|| {
                ApiError::invalid(
                    "invalid_value",
                    field,
                    format!(
                        "{field} must be a whole number from {} to {}",
                        range.0, range.1
                    ),
                )
            }),
    }
}
