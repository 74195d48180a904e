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

pub fn parse_time(s: &str, field: &str) -> ApiResult<i64> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.timestamp_millis())
        .map_err(|_| {
            ApiError::invalid(
                "invalid_time",
                field,
                format!("'{s}' is not an RFC 3339 time like 2026-03-01T10:00:00+05:00"),
            )
        })
}

pub fn parse_date(s: &str, field: &str) -> ApiResult<NaiveDate> {
    s.parse().map_err(|_| {
        ApiError::invalid(
            "invalid_date",
            field,
            format!("'{s}' is not a date like 2026-03-01"),
        )
    })
}
