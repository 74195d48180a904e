//! API errors as RFC 9457 problem documents with a stable machine-readable `code`.
//!
//! Validation errors are shown as they are; internal errors are logged once, here, and the
//! client sees only a generic message and the request id.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tyndau_storage::error::ServiceError;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the problem type.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// Stable snake_case code; clients and translations key on it.
    pub code: String,
    /// What exactly is wrong, in plain words.
    pub detail: String,
    /// The offending field, as a dotted path, when one field is at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub detail: String,
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            detail: detail.into(),
            field: None,
        }
    }
    pub fn invalid(
        code: &'static str,
        field: impl Into<String>,
        detail: impl Into<String>,
    ) -> Self {
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code,
            detail: detail.into(),
            field: Some(field.into()),
        }
    }
    pub fn unauthenticated() -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "sign in or send a bearer token",
        )
    }
    pub fn forbidden(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }
    pub fn not_found(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, code, detail)
    }
    /// The 500 a client sees, whatever went wrong inside (the cause is logged where it is
    /// known, never shown).
    pub fn internal() -> Self {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "an internal error occurred; it has been logged",
        )
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound { code, what } => {
                ApiError::not_found(code, format!("{what} not found"))
            }
            ServiceError::Forbidden(m) => ApiError::forbidden(m),
            ServiceError::InvalidTransition(t) => {
                ApiError::new(StatusCode::CONFLICT, "invalid_transition", t.to_string())
            }
            ServiceError::Invalid {
                code,
                field,
                message,
            } => ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code,
                detail: message,
                field: field.map(String::from),
            },
            ServiceError::Conflict { code, message } => {
                ApiError::new(StatusCode::CONFLICT, code, message)
            }
            ServiceError::Internal(e) => internal(e),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        internal(e)
    }
}

fn internal(e: anyhow::Error) -> ApiError {
    // Logged once, here. Error texts come from our code and the database driver, never from
    // request bodies, so they carry no personal data.
    tracing::error!(error = format!("{e:#}"), "internal error");
    ApiError::internal()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let p = Problem {
            kind: format!("https://tyndau.kz/problems/{}", self.code),
            title: self
                .status
                .canonical_reason()
                .unwrap_or("error")
                .to_string(),
            status: self.status.as_u16(),
            code: self.code.to_string(),
            detail: self.detail,
            field: self.field,
        };
        let mut r = (self.status, axum::Json(p)).into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        r
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Makes every error response of the API a problem document: the ones the framework writes
/// itself (a method the route does not take, a path segment that is not UTF-8, a body layer's
/// refusal) carry no `code` otherwise, and clients key on it. Its own problem documents pass.
pub async fn problem_bodies(resp: Response) -> Response {
    let status = resp.status();
    let is_problem = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return resp;
    }
    if status.is_server_error() {
        return ApiError::internal().into_response();
    }
    let code = match status {
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::NOT_FOUND => "route_not_found",
        _ => "bad_request",
    };
    let allow = resp.headers().get(header::ALLOW).cloned();
    // The framework's rejections are short plain text (at most a line).
    let text = axum::body::to_bytes(resp.into_body(), 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let detail = match (text.is_empty(), status) {
        (false, _) => text,
        (true, StatusCode::METHOD_NOT_ALLOWED) => "this route does not take that method".into(),
        (true, s) => s.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    let mut r = ApiError::new(status, code, detail).into_response();
    if let Some(a) = allow {
        r.headers_mut().insert(header::ALLOW, a);
    }
    r
}

/// Refuses a request whose path or query string holds an encoded NUL (`%00`): PostgreSQL's text
/// cannot hold U+0000 and refuses the whole statement (a 500), and no address needs one.
pub async fn refuse_nul(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let uri = req.uri();
    let nul = uri.path().contains("%00") || uri.query().is_some_and(|q| q.contains("%00"));
    if nul {
        return ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_character",
            "the address holds the NUL character (%00), which no text may contain",
        )
        .into_response();
    }
    next.run(req).await
}
