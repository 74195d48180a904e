//! Request extractors with precise errors: JSON bodies (malformed, unknown field, wrong type,
//! too large), and the authenticated principal.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tyndau_core::access::Principal;
use tyndau_storage::users::User;

/// A JSON body; every way it can be wrong gets its own code and names the field.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let bytes = json_body(req, state).await?;
        parse_json(&bytes).map(Json)
    }
}

/// A JSON body together with its raw bytes (for handlers that hash the request, e.g. for
/// idempotency keys).
pub struct JsonBytes<T>(pub T, pub axum::body::Bytes);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBytes<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let bytes = json_body(req, state).await?;
        Ok(JsonBytes(parse_json(&bytes)?, bytes))
    }
}

/// The body of a JSON request, refused with a precise error when it is not JSON or too large.
async fn json_body(req: Request, state: &AppState) -> Result<axum::body::Bytes, ApiError> {
    let ct = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // The media type itself, before any parameters (`; charset=utf-8`), case-insensitive.
    let media = ct.split(';').next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case("application/json") {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as JSON with Content-Type: application/json",
        ));
    }
    let limit = state.config.max_body_bytes;
    axum::body::to_bytes(req.into_body(), limit)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("the body is larger than {limit} bytes"),
            )
        })
}

/// Whether a JSON text holds an escaped NUL (`\u0000`) in a string. PostgreSQL's text cannot
/// hold U+0000 (it refuses the whole statement), and no appeal needs one.
fn has_escaped_nul(bytes: &[u8]) -> bool {
    bytes.windows(6).enumerate().any(|(i, w)| {
        w[0] == b'\\'
            && &w[1..] == b"u0000"
            // The backslash escapes the `u` only if it is not itself escaped.
            && bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 0
    })
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if has_escaped_nul(bytes) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_character",
            "the body holds the NUL character (U+0000), which no text may contain",
        ));
    }
    // Every request body is an object: serde would also fill a struct from an array of its
    // fields in order (`["login", "password"]`), a shape no client is told about.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        let de = &mut serde_json::Deserializer::from_slice(bytes);
        if let Err(e) = serde::de::IgnoredAny::deserialize(de) {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("the body is not valid JSON: {e}"),
            ));
        }
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_value",
            "the body must be a JSON object",
        ));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let msg = inner.to_string();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::new(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("the body is not valid JSON: {msg}"),
            );
        }
        // serde's messages name the problem; strip the position suffix for a cleaner detail.
        let detail = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        let mut field = if path == "." { None } else { Some(path) };
        // A missing field is missing inside the object at `path`: name it, as the other
        // problems name theirs.
        if detail.starts_with("missing field")
            && let Some(name) = detail.split('`').nth(1)
        {
            field = Some(match field {
                Some(p) => format!("{p}.{name}"),
                None => name.to_string(),
            });
        }
        let code = if detail.starts_with("unknown field") {
            "unknown_field"
        } else if detail.starts_with("missing field") {
            "missing_field"
        } else {
            "invalid_value"
        };
        ApiError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code,
            detail,
            field,
        }
    })
}

/// The signed-in user, from `Authorization: Bearer` or the session cookie.
#[derive(Clone)]
pub struct Auth {
    pub user: User,
    pub principal: Principal,
    pub via_token: bool,
    /// Set for citizens with an IIN: from the IdP's token, or from their local account.
    pub citizen: Option<crate::state::Citizen>,
}

impl Auth {
    /// Signed in with an IdP token only: there is no account row until `AppState::account`.
    pub fn is_idp_only(&self) -> bool {
        self.user.id.starts_with(crate::state::IDP_USER_PREFIX)
    }
}

pub struct MaybeAuth(pub Option<Auth>);

pub const SESSION_COOKIE: &str = "tyndau_session";

/// The bearer token (true) or the session cookie (false) of a request.
pub fn token_from_headers(headers: &axum::http::HeaderMap) -> Option<(String, bool)> {
    if let Some(v) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        && let Some(t) = v.strip_prefix("Bearer ")
    {
        return Some((t.trim().to_string(), true));
    }
    cookie(headers, SESSION_COOKIE).map(|v| (v.to_string(), false))
}

/// The value of the cookie `name` of a request.
pub fn cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|s| s.split(';'))
        .find_map(|p| {
            let (k, v) = p.trim().split_once('=')?;
            (k == name).then_some(v)
        })
}

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some((token, via_token)) = token_from_headers(&parts.headers) else {
            return Ok(MaybeAuth(None));
        };
        if via_token && let Some(auth) = state.authenticate_idp(&token) {
            return Ok(MaybeAuth(Some(state.resolve_idp(&token, auth).await?)));
        }
        match state.authenticate(&token).await? {
            Some((user, principal)) => Ok(MaybeAuth(Some(Auth {
                citizen: state.citizen_of(&user),
                user,
                principal,
                via_token,
            }))),
            None => Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "the token or session is unknown, expired or revoked",
            )),
        }
    }
}

/// A citizen signing a petition: an IdP token is taken as it is, without looking for an account
/// row (a surge of first-time signers must not cost a database read each); sessions as usual.
pub struct SignerAuth(pub Auth);

impl FromRequestParts<AppState> for SignerAuth {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some((token, true)) = token_from_headers(&parts.headers)
            && let Some(auth) = state.authenticate_idp(&token)
        {
            return Ok(SignerAuth(auth));
        }
        Ok(SignerAuth(Auth::from_request_parts(parts, state).await?))
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        MaybeAuth::from_request_parts(parts, state)
            .await?
            .0
            .ok_or_else(ApiError::unauthenticated)
    }
}

#[cfg(test)]
mod tests {
    use super::has_escaped_nul;

    #[test]
    fn an_escaped_nul_is_found_and_an_escaped_backslash_before_u0000_is_not_one() {
        assert!(has_escaped_nul(br#"{"text":"a\u0000b"}"#));
        assert!(has_escaped_nul(br#"{"text":"\\\u0000"}"#));
        assert!(!has_escaped_nul(br#"{"text":"\\u0000"}"#));
        assert!(!has_escaped_nul(br#"{"text":"u0000 \u0001"}"#));
    }
}
