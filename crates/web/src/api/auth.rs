//! Sign-in, sign-out, local citizen accounts, API tokens. Identity-provider sign-in (eGov)
//! will create or find the same `users` rows through `external_subject`, and then issue the same
//! sessions, so nothing downstream changes.

use crate::error::{ApiError, ApiResult};
use crate::extract::{Auth, Json, SESSION_COOKIE};
use crate::state::AppState;
use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tyndau_core::ids::Iin;
use tyndau_core::notify::UiLang;
use tyndau_storage::error::ServiceError;
use tyndau_storage::users::{self, NewUser, User};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`; browsers get it as a cookie too.
    pub token: String,
    pub expires_at: i64,
    pub user: UserView,
}

#[derive(Serialize, ToSchema)]
pub struct UserView {
    pub id: String,
    pub role: String,
    pub full_name: String,
    pub org_id: Option<String>,
    pub position: Option<String>,
    pub language: String,
    /// Shown to the account holder only.
    pub iin: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        UserView {
            id: u.id.clone(),
            role: u.role.as_str().into(),
            full_name: u.full_name.clone(),
            org_id: u.org_id.clone(),
            position: u.position.clone(),
            language: u.language.as_str().into(),
            iin: u.iin.clone(),
            email: u.email.clone(),
            phone: u.phone.clone(),
        }
    }
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))?
        .to_string())
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

pub(crate) fn session_cookie(state: &AppState, token: &str, max_age_s: i64) -> HeaderValue {
    let secure = if state.config.cookie_secure {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{secure}"
    ))
    .expect("cookie is ASCII")
}

/// A new browser session for the user: its token, expiry and cookie.
pub(crate) async fn open_session(
    state: &AppState,
    user: &User,
) -> ApiResult<(String, i64, HeaderValue)> {
    let ttl = state.config.session_ttl_hours * 3_600_000;
    let (token, expires_at) =
        users::create_session(&state.db, &user.id, "session", None, ttl).await?;
    let cookie = session_cookie(state, &token, ttl / 1000);
    Ok((token, expires_at, cookie))
}

async fn start_session(state: &AppState, user: &User) -> ApiResult<Response> {
    let (token, expires_at, cookie) = open_session(state, user).await?;
    let mut r = (
        StatusCode::OK,
        axum::Json(LoginResponse {
            token: token.clone(),
            expires_at,
            user: user.into(),
        }),
    )
        .into_response();
    r.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(r)
}

/// Sign in with login and password (officials; citizens with a local account).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = crate::error::Problem)))]
pub async fn login(
    State(state): State<AppState>,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Response> {
    let user = verify_login(&state, &req.login, req.password).await?;
    start_session(&state, &user).await
}

/// The enabled account with this login and password.
pub(crate) async fn verify_login(
    state: &AppState,
    login: &str,
    password: String,
) -> ApiResult<User> {
    let user = users::find_by_login(&state.db, login.trim()).await?;
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    // Argon2 takes tens of milliseconds of CPU: keep it off the async workers. A missing user is
    // checked against a dummy hash so that timing does not reveal which logins exist.
    let ok = tokio::task::spawn_blocking(move || match hash {
        Some(h) => verify_password(&h, &password),
        None => {
            let _ = verify_password(&DUMMY_HASH, &password);
            false
        }
    })
    .await
    .map_err(|e| anyhow::anyhow!("password check task: {e}"))?;
    match user {
        Some(u) if ok && !u.disabled => Ok(u),
        _ => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            "the login or password is wrong",
        )),
    }
}

static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("not a real password").expect("argon2 works"));

/// Sign out: revokes the session or token used for this request.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(
    State(state): State<AppState>,
    _auth: Auth,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if let Some((token, _)) = crate::extract::token_from_headers(&headers) {
        users::revoke_session(&state.db, &token).await?;
        state.forget_token(&token);
    }
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&state, "", 0));
    Ok(r)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    /// 12-digit individual identification number, checked with its check digit.
    pub iin: String,
    pub full_name: String,
    pub password: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    /// kk, ru or en
    pub language: Option<String>,
}

pub fn validate_iin(s: &str, field: &str) -> ApiResult<Iin> {
    Iin::parse(s.trim())
        .map_err(|e| ApiError::invalid("invalid_iin", field, format!("not a valid IIN: {e}")))
}

pub fn parse_lang(s: Option<&str>, field: &str) -> ApiResult<Option<UiLang>> {
    s.map(|l| {
        UiLang::parse(l).ok_or_else(|| {
            ApiError::invalid("invalid_value", field, "language must be kk, ru or en")
        })
    })
    .transpose()
}

pub fn validate_email(s: Option<String>, field: &str) -> ApiResult<Option<String>> {
    match s.map(|e| e.trim().to_string()).filter(|e| !e.is_empty()) {
        Some(e)
            if e.len() > 254
                || !e.contains('@')
                || e.starts_with('@')
                || e.ends_with('@')
                || e.contains(char::is_whitespace) =>
        {
            Err(ApiError::invalid(
                "invalid_email",
                field,
                "not a valid e-mail address",
            ))
        }
        other => Ok(other),
    }
}

pub fn validate_password(p: &str) -> ApiResult<()> {
    // Ten characters, not counting spaces: "          " is no password.
    if p.chars().filter(|c| !c.is_whitespace()).count() < 10 {
        return Err(ApiError::invalid(
            "weak_password",
            "password",
            "the password must have at least 10 characters other than spaces",
        ));
    }
    Ok(())
}

pub fn validate_name(n: &str, field: &str) -> ApiResult<String> {
    let n = n.trim();
    if n.is_empty() || n.chars().count() > 200 {
        return Err(ApiError::invalid(
            "invalid_name",
            field,
            "the name must have 1 to 200 characters",
        ));
    }
    Ok(n.to_string())
}

/// Create a local citizen account (the login is the IIN) and sign in.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 200, body = LoginResponse), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn register(
    State(state): State<AppState>,
    Json(req): Json<RegisterRequest>,
) -> ApiResult<Response> {
    let user = register_citizen(&state, req).await?;
    start_session(&state, &user).await
}

/// Creates a local citizen account, every field checked.
pub(crate) async fn register_citizen(state: &AppState, req: RegisterRequest) -> ApiResult<User> {
    let iin = validate_iin(&req.iin, "iin")?;
    let full_name = validate_name(&req.full_name, "full_name")?;
    validate_password(&req.password)?;
    let email = validate_email(req.email, "email")?;
    let language = parse_lang(req.language.as_deref(), "language")?;
    let password = req.password;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| anyhow::anyhow!("hash task: {e}"))??;
    let user = users::create_user(
        &state.db,
        &NewUser {
            login: Some(iin.as_str().to_string()),
            password_hash: Some(hash),
            iin: Some(iin.as_str().to_string()),
            full_name,
            email,
            phone: req.phone,
            address: req.address,
            language,
            ..Default::default()
        },
    )
    .await
    .map_err(|e| match e {
        // The login of a citizen is the IIN, so either unique constraint means the same thing.
        ServiceError::Conflict { .. } => ApiError::new(
            StatusCode::CONFLICT,
            "iin_taken",
            "an account with this IIN already exists",
        ),
        other => other.into(),
    })?;
    Ok(user)
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", responses((status = 200, body = UserView), (status = 401, body = crate::error::Problem)))]
pub async fn me(auth: Auth) -> axum::Json<UserView> {
    axum::Json((&auth.user).into())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub name: String,
    /// Lifetime in days (1-365, default 90).
    pub ttl_days: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub token: String,
    pub expires_at: i64,
}

/// Create an API token for the signed-in user (shown once).
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "auth", request_body = TokenRequest, responses((status = 200, body = TokenResponse)))]
pub async fn create_token(
    State(state): State<AppState>,
    auth: Auth,
    Json(req): Json<TokenRequest>,
) -> ApiResult<axum::Json<TokenResponse>> {
    let days = req.ttl_days.unwrap_or(90);
    if !(1..=365).contains(&days) {
        return Err(ApiError::invalid(
            "invalid_value",
            "ttl_days",
            "ttl_days must be from 1 to 365",
        ));
    }
    let name = validate_name(&req.name, "name")?;
    let (token, expires_at) = users::create_session(
        &state.db,
        &auth.user.id,
        "api_token",
        Some(&name),
        days * 86_400_000,
    )
    .await?;
    Ok(axum::Json(TokenResponse { token, expires_at }))
}

#[derive(Serialize, ToSchema)]
pub struct NoticeView {
    pub id: String,
    pub appeal_id: Option<String>,
    pub kind: String,
    pub language: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
    /// When the e-mail was delivered; null if not (yet) sent or no e-mail address is known.
    pub emailed_at: Option<String>,
}

/// Notices sent to the signed-in user, newest first.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "auth", responses((status = 200, body = [NoticeView])))]
pub async fn notifications(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<axum::Json<Vec<NoticeView>>> {
    let list = tyndau_storage::outbox::for_user(&state.db, &auth.user.id, 200).await?;
    Ok(axum::Json(list.into_iter().map(notice_view).collect()))
}

pub fn notice_view(n: tyndau_storage::outbox::Notice) -> NoticeView {
    NoticeView {
        id: n.id,
        appeal_id: n.appeal_id,
        kind: n.kind,
        language: n.language,
        subject: n.subject,
        body: n.body,
        created_at: crate::api::time(n.created_at),
        emailed_at: n.sent_at.map(crate::api::time),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStaffRequest {
    /// official, head, supervisor or administrator
    pub role: String,
    pub login: String,
    pub password: String,
    pub full_name: String,
    pub org_id: Option<String>,
    pub position: Option<String>,
    pub email: Option<String>,
    pub language: Option<String>,
}

/// Create a staff account (administrators only).
#[utoipa::path(post, path = "/api/v1/admin/users", tag = "admin", request_body = NewStaffRequest,
    responses((status = 200, body = UserView), (status = 403, body = crate::error::Problem)))]
pub async fn create_staff(
    State(state): State<AppState>,
    auth: Auth,
    Json(req): Json<NewStaffRequest>,
) -> ApiResult<axum::Json<UserView>> {
    use tyndau_core::access::Role;
    if auth.user.role != Role::Administrator {
        return Err(ApiError::forbidden(
            "only administrators create staff accounts",
        ));
    }
    let role = Role::parse(&req.role)
        .filter(|r| *r != Role::Citizen)
        .ok_or_else(|| {
            ApiError::invalid(
                "invalid_value",
                "role",
                "role must be official, head, supervisor or administrator",
            )
        })?;
    if matches!(role, Role::Official | Role::Head) && req.org_id.is_none() {
        return Err(ApiError::invalid(
            "missing_field",
            "org_id",
            "officials and heads belong to an organisation",
        ));
    }
    // Any role may name its organisation (a supervisor's prosecutor's office); it must exist.
    if let Some(org) = req.org_id.as_deref()
        && !state.reference().orgs.contains_key(org)
    {
        return Err(ApiError::invalid(
            "unknown_organisation",
            "org_id",
            format!("no organisation with id '{org}'"),
        ));
    }
    // A staff login is a name, not an IIN: twelve digits would take a citizen's sign-in name
    // (citizens sign in with their IIN) before the citizen registers.
    let login = req.login.trim();
    if login.is_empty()
        || login.chars().count() > 64
        || login.chars().any(char::is_control)
        || !login.chars().any(char::is_alphabetic)
    {
        return Err(ApiError::invalid(
            "invalid_login",
            "login",
            "a staff login is 1 to 64 characters with at least one letter",
        ));
    }
    validate_password(&req.password)?;
    let full_name = validate_name(&req.full_name, "full_name")?;
    let email = validate_email(req.email, "email")?;
    let language = parse_lang(req.language.as_deref(), "language")?;
    let password = req.password;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))??;
    let user = users::create_user(
        &state.db,
        &NewUser {
            role: Some(role),
            login: Some(login.to_string()),
            password_hash: Some(hash),
            full_name,
            org_id: req.org_id,
            position: req.position,
            email,
            language,
            ..Default::default()
        },
    )
    .await?;
    Ok(axum::Json((&user).into()))
}
