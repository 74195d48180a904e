//! The web pages: server-rendered HTML (askama templates compiled into the binary, one CSS file
//! embedded), usable without JavaScript, in Kazakh, Russian and English.
//!
//! Pages call the same service functions as the JSON API (`api::*::register_appeal`,
//! `perform`, `create_petition`, …), so a rule is enforced once whatever the door.
//! Every POST form carries a CSRF token (double-submit: a random `tyndau_csrf` cookie,
//! SameSite=Strict, equal to the form's `csrf` field) and answers with a 303 redirect; a form
//! with invalid input is shown again with status 422 and the errors beside their fields.

pub mod analytics;
pub mod appeals;
pub mod charts;
pub mod i18n;
pub mod office;
pub mod petitions;
pub mod similarity;
pub mod stats;
pub mod transparency;

use crate::error::ApiError;
use crate::extract::{Auth, MaybeAuth, cookie};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use i18n::Tr;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tyndau_core::access::Role;
use tyndau_core::notify::UiLang;

pub const LANG_COOKIE: &str = "tyndau_lang";
pub const CSRF_COOKIE: &str = "tyndau_csrf";
pub const NOTICE_COOKIE: &str = "tyndau_notice";

/// Strict: scripts, styles and images from this origin only, no framing, forms post here only.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/static/site.css", get(css))
        .route("/lang/{lang}", get(set_lang))
        .route("/login", get(appeals::login_page).post(appeals::login))
        .route(
            "/register",
            get(appeals::register_page).post(appeals::register),
        )
        .route("/logout", post(appeals::logout))
        .route("/appeals/new", get(appeals::new_page).post(appeals::submit))
        .route("/appeals/{id}", get(appeals::show))
        .route("/appeals/{id}/ticket", get(appeals::ticket))
        .route("/appeals/{id}/similar", get(similarity::similar))
        .route("/appeals/{id}/answer-group", post(similarity::answer_group))
        .route("/appeals/{id}/{action}", post(appeals::act))
        .route("/my/appeals", get(appeals::mine))
        .route("/office/queue", get(office::queue))
        .route("/office/overview", get(office::overview))
        .route("/office/moderation", get(office::moderation))
        .route("/office/serial-applicants", get(office::serial))
        .route(
            "/office/serial-applicants/{pseudonym}",
            get(office::serial_applicant),
        )
        .route("/office/campaigns", get(similarity::campaigns))
        .route("/office/hotspots", get(analytics::hotspots))
        .route("/office/hotspots/appeals", get(analytics::hotspot_appeals))
        .route("/office/sensitive", get(analytics::sensitive))
        .route("/office/hidden-services", get(analytics::hidden))
        .route(
            "/office/public-services",
            get(analytics::services).post(analytics::add_service),
        )
        .route(
            "/office/public-services/{id}/delete",
            post(analytics::delete_service),
        )
        .route(
            "/office/sensitive-terms",
            get(analytics::terms).post(analytics::add_term),
        )
        .route(
            "/office/sensitive-terms/{id}/delete",
            post(analytics::delete_term),
        )
        .route("/petitions", get(petitions::list))
        .route(
            "/petitions/new",
            get(petitions::new_page).post(petitions::create),
        )
        .route("/petitions/{id}", get(petitions::show))
        .route("/petitions/{id}/{action}", post(petitions::act))
        .route("/my/signatures", get(petitions::mine))
        .route("/statistics", get(stats::page))
        .route("/transparency", get(transparency::page))
        .fallback(fallback)
        // Only the pages: the API's hot paths (signing under a surge) pay nothing for these.
        .layer(axum::middleware::from_fn(page_headers))
        // A statistics page is ~40 KB of HTML and SVG, ~6 KB gzipped: it matters on a slow line.
        .layer(tower_http::compression::CompressionLayer::new().gzip(true))
}

/// What every page knows: the language, the signed-in user, the CSRF token, a one-off notice.
pub struct Ctx {
    pub tr: Tr,
    pub auth: Option<Auth>,
    pub csrf: String,
    pub notice: Option<String>,
    pub path: String,
    /// A petition moderator (officials of the authorised body, administrators).
    pub moderator: bool,
    new_csrf: bool,
    clear_notice: bool,
    clear_session: bool,
    /// The deployment's settings: statutory terms shown on pages, cookie flags.
    pub config: std::sync::Arc<crate::config::Config>,
}

/// The page language of a request: the remembered choice, else Accept-Language.
fn page_lang(h: &HeaderMap) -> UiLang {
    i18n::negotiate(
        cookie(h, LANG_COOKIE),
        h.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()),
    )
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let h = &parts.headers;
        let lang = page_lang(h);
        let (csrf, new_csrf) = match cookie(h, CSRF_COOKIE).filter(|c| valid_token(c)) {
            Some(c) => (c.to_string(), false),
            None => (tyndau_storage::users::new_token(), true),
        };
        let notice = cookie(h, NOTICE_COOKIE)
            .filter(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
            .map(|k| format!("notice-{k}"));
        // A stale session cookie is not an error on a page: the visitor is simply signed out.
        let (auth, clear_session) = match MaybeAuth::from_request_parts(parts, state).await {
            Ok(MaybeAuth(a)) => (a, false),
            Err(_) => (None, true),
        };
        let moderator = auth
            .as_ref()
            .is_some_and(|a| crate::api::petitions::is_moderator(state, a));
        Ok(Ctx {
            tr: Tr { lang },
            moderator,
            auth,
            clear_notice: notice.is_some(),
            notice,
            csrf,
            new_csrf,
            clear_session,
            path: parts
                .uri
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_else(|| "/".into()),
            config: state.config.clone(),
        })
    }
}

fn valid_token(t: &str) -> bool {
    (20..=128).contains(&t.len())
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Ctx {
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }
    pub fn tn(&self, key: &str, n: impl Int) -> String {
        self.tr.tn(key, n.int())
    }
    pub fn num(&self, n: impl Int) -> String {
        self.tr.num(n.int())
    }
    pub fn pct(&self, part: impl Int, whole: impl Int) -> String {
        self.tr.pct(part.int(), whole.int())
    }
    pub fn day(&self, iso: &str) -> String {
        self.tr.day(iso)
    }
    /// An instant in the legal calendar's local time (`terms.utc_offset_minutes`).
    pub fn at(&self, ms: impl Int) -> String {
        self.tr.at(self.config.terms.local(ms.int()))
    }
    /// Signatures a central body's petition needs (the rules table), for the pages' texts.
    pub fn central_threshold(&self) -> i64 {
        let rules = &self.config.petitions;
        rules
            .thresholds
            .iter()
            .find(|t| t.level == tyndau_core::org::OrgLevel::Central)
            .and_then(|t| t.absolute)
            .unwrap_or(rules.default_threshold) as i64
    }
    /// The language a new text is presumed to be written in: the page's (English is "other").
    pub fn text_language(&self) -> &'static str {
        match self.tr.lang {
            UiLang::Kk => "kk",
            UiLang::Ru => "ru",
            UiLang::En => "other",
        }
    }
    /// A body's name in the page's language (its id if unknown).
    pub fn org_name(&self, state: &AppState, id: &str) -> String {
        state
            .reference()
            .orgs
            .get(id)
            .map(|o| o.names.get(self.tr.lang).to_string())
            .unwrap_or_else(|| id.to_string())
    }
    /// A category's name in the page's language (its id if unknown).
    pub fn category_name(&self, state: &AppState, id: &str) -> String {
        state
            .reference()
            .categories
            .get(id)
            .map(|x| x.names.get(self.tr.lang).to_string())
            .unwrap_or_else(|| id.to_string())
    }
    /// A territory's name in the page's language (its KATO code if unknown).
    pub fn territory_name(&self, state: &AppState, kato: &str) -> String {
        stats::territory_name(&state.reference(), kato, self.tr.lang)
            .unwrap_or_else(|| kato.to_string())
    }
    pub fn lang(&self) -> &'static str {
        self.tr.lang.as_str()
    }
    /// Translation of a machine value, e.g. `status-answered`; the value itself if unknown.
    pub fn v(&self, prefix: &str, value: &str) -> String {
        self.tr
            .try_t(&format!("{prefix}-{value}"))
            .unwrap_or_else(|| value.to_string())
    }
    /// The `lang` attribute of user text stored as kk, ru or other ("und": undetermined).
    pub fn lang_of(&self, stored: &str) -> &'static str {
        match stored {
            "kk" => "kk",
            "ru" => "ru",
            "en" => "en",
            _ => "und",
        }
    }
    pub fn signed_in(&self) -> bool {
        self.auth.is_some()
    }
    pub fn user_name(&self) -> String {
        self.auth
            .as_ref()
            .map(|a| a.user.full_name.clone())
            .unwrap_or_default()
    }
    pub fn role(&self) -> Option<Role> {
        self.auth.as_ref().map(|a| a.user.role)
    }
    pub fn is_citizen(&self) -> bool {
        self.role() == Some(Role::Citizen)
    }
    pub fn is_staff(&self) -> bool {
        matches!(self.role(), Some(Role::Official | Role::Head))
    }
    pub fn is_supervisor(&self) -> bool {
        matches!(self.role(), Some(Role::Supervisor | Role::Administrator))
    }
    /// The analytics that show what appeals say: supervisors (`access::may_view_analytics`).
    pub fn may_view_analytics(&self) -> bool {
        self.role()
            .is_some_and(tyndau_core::access::may_view_analytics)
    }
    /// The analytics' registries (lexicon, public services): administrators keep them.
    pub fn may_maintain_analytics(&self) -> bool {
        self.role()
            .is_some_and(tyndau_core::access::may_maintain_analytics)
    }
    pub fn is_moderator(&self) -> bool {
        self.moderator
    }
    pub fn lang_link(&self, lang: &str) -> String {
        format!("/lang/{lang}?next={}", urlencode(&self.path))
    }
    pub fn lang_name(&self, lang: &str) -> &'static str {
        match lang {
            "kk" => "Қазақша",
            "ru" => "Русский",
            _ => "English",
        }
    }
    pub fn is_lang(&self, lang: &str) -> bool {
        self.lang() == lang
    }
    pub fn langs(&self) -> [&'static str; 3] {
        ["kk", "ru", "en"]
    }

    fn cookie(&self, name: &str, value: &str, max_age: i64, same_site: &str) -> HeaderValue {
        let secure = if self.config.cookie_secure {
            "; Secure"
        } else {
            ""
        };
        HeaderValue::from_str(&format!(
            "{name}={value}; Path=/; HttpOnly; SameSite={same_site}; Max-Age={max_age}{secure}"
        ))
        .expect("cookie is ASCII")
    }

    /// The cookies this request must set or clear, added to any response.
    fn finish(&self, mut r: Response) -> Response {
        let h = r.headers_mut();
        if self.new_csrf {
            h.append(
                header::SET_COOKIE,
                self.cookie(CSRF_COOKIE, &self.csrf, 60 * 60 * 24 * 30, "Strict"),
            );
        }
        if self.clear_notice {
            h.append(header::SET_COOKIE, self.cookie(NOTICE_COOKIE, "", 0, "Lax"));
        }
        if self.clear_session {
            h.append(
                header::SET_COOKIE,
                self.cookie(crate::extract::SESSION_COOKIE, "", 0, "Lax"),
            );
        }
        r
    }

    /// A page that shows a form's errors: 422 when there are some.
    pub fn form_page(&self, errors: &FieldErrors, t: &impl Template) -> Response {
        let status = if errors.any() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        self.page(status, t)
    }

    /// A rendered page.
    pub fn page(&self, status: StatusCode, t: &impl Template) -> Response {
        match t.render() {
            Ok(html) => self.finish((status, Html(html)).into_response()),
            Err(e) => {
                tracing::error!(error = %e, "template rendering failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
            }
        }
    }

    /// 303 to `to`, showing the notice `notice-<key>` there.
    pub fn redirect(&self, to: &str, notice: Option<&str>) -> Response {
        let mut r = self.finish(Redirect::to(to).into_response());
        if let Some(k) = notice {
            r.headers_mut()
                .append(header::SET_COOKIE, self.cookie(NOTICE_COOKIE, k, 60, "Lax"));
        }
        r
    }

    /// The error page for an error of the services (404, 403, 409 …), translated by its code.
    pub fn error(&self, e: ApiError) -> Response {
        let message = self.error_message(&e);
        let t = ErrorPage {
            c: self,
            code: e.code.to_string(),
            status: e.status.as_u16(),
            message,
        };
        self.page(e.status, &t)
    }

    pub fn error_message(&self, e: &ApiError) -> String {
        if e.code == "internal" {
            return self.t("err-internal");
        }
        self.tr
            .try_t(&format!("err-{}", e.code))
            .unwrap_or_else(|| format!("{} ({})", self.t("err-generic"), e.detail))
    }

    /// Sign-in first, then back here.
    pub fn to_login(&self) -> Response {
        self.redirect(&format!("/login?next={}", urlencode(&self.path)), None)
    }

    /// The signed-in user, or the redirect to sign in (a page's early return, so its size
    /// does not matter).
    #[allow(clippy::result_large_err)]
    pub fn require_auth(&self) -> Result<&Auth, Response> {
        self.auth.as_ref().ok_or_else(|| self.to_login())
    }
}

/// Whole numbers as templates hand them over: by value or by reference.
pub trait Int {
    fn int(self) -> i64;
}
impl Int for i64 {
    fn int(self) -> i64 {
        self
    }
}
impl Int for &i64 {
    fn int(self) -> i64 {
        *self
    }
}
impl Int for &&i64 {
    fn int(self) -> i64 {
        **self
    }
}
impl Int for usize {
    fn int(self) -> i64 {
        self as i64
    }
}

pub fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A local path to return to (never another site).
pub fn safe_next(next: Option<&str>) -> Option<String> {
    // A path on this site only. Browsers drop tabs and line breaks from a URL, so "/\t/evil"
    // would become "//evil", another site; control characters also cannot go in a header.
    next.filter(|n| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n.contains('\\')
            && !n.chars().any(|c| c.is_control() || c.is_whitespace())
    })
    .map(str::to_string)
}

/// A form posted from one of our pages: the CSRF token checked before anything else is read.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let cookie_token = cookie(req.headers(), CSRF_COOKIE).map(str::to_string);
        let lang = page_lang(req.headers());
        let refuse = |code: &'static str, status: StatusCode| {
            let tr = Tr { lang };
            let msg = tr.t(&format!("err-{code}"));
            (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                msg,
            )
                .into_response()
        };
        let bytes = axum::body::to_bytes(req.into_body(), state.config.max_body_bytes)
            .await
            .map_err(|_| refuse("payload_too_large", StatusCode::PAYLOAD_TOO_LARGE))?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| refuse("malformed_form", StatusCode::BAD_REQUEST))?;
        // PostgreSQL's text cannot hold U+0000; no field needs one.
        if pairs
            .iter()
            .any(|(k, v)| k.contains('\0') || v.contains('\0'))
        {
            return Err(refuse(
                "invalid_character",
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
        let sent = pairs
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str());
        let ok = match (cookie_token.as_deref(), sent) {
            (Some(c), Some(s)) => constant_time_eq(c.as_bytes(), s.as_bytes()),
            _ => false,
        };
        if !ok {
            return Err(refuse("csrf_failed", StatusCode::FORBIDDEN));
        }
        serde_urlencoded::from_bytes(&bytes)
            .map(CsrfForm)
            .map_err(|_| refuse("malformed_form", StatusCode::BAD_REQUEST))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// An error the user can mend in the form (shown beside it), as opposed to a page of its own.
pub fn is_form_error(e: &ApiError) -> bool {
    e.status == StatusCode::UNPROCESSABLE_ENTITY || e.status == StatusCode::CONFLICT
}

/// Errors beside the fields of a form shown again.
#[derive(Default)]
pub struct FieldErrors(pub Vec<(String, String)>);

impl FieldErrors {
    pub fn of(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
    pub fn list(&self) -> &[(String, String)] {
        &self.0
    }
    pub fn push(&mut self, field: &str, msg: String) {
        self.0.push((field.to_string(), msg));
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub c: &'a Ctx,
    pub code: String,
    pub status: u16,
    pub message: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    c: &'a Ctx,
    petitions: Vec<tyndau_storage::petitions::PetitionRow>,
}

async fn home(State(state): State<AppState>, c: Ctx) -> Response {
    let f = tyndau_storage::petitions::PetitionFilter {
        statuses: vec![tyndau_core::petition::PetitionStatus::Collecting],
        limit: 3,
        ..Default::default()
    };
    let petitions = match tyndau_storage::petitions::list(&state.db, &f).await {
        Ok((rows, _)) => rows,
        Err(e) => return c.error(e.into()),
    };
    c.page(StatusCode::OK, &HomePage { c: &c, petitions })
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/site.css"),
    )
        .into_response()
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Remembers the chosen language (a year) and goes back to the page it was chosen on.
async fn set_lang(
    c: Ctx,
    Path(lang): Path<String>,
    q: Result<Query<NextQuery>, QueryRejection>,
) -> Response {
    let q = match page_query(&c, q) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let Some(l) = UiLang::parse(&lang) else {
        return c.error(ApiError::not_found("unknown_language", "kk, ru or en"));
    };
    let to = safe_next(q.next.as_deref()).unwrap_or_else(|| "/".into());
    let mut r = c.redirect(&to, None);
    r.headers_mut().append(
        header::SET_COOKIE,
        c.cookie(LANG_COOKIE, l.as_str(), 60 * 60 * 24 * 365, "Lax"),
    );
    r
}

/// The security headers of every HTML page.
pub async fn page_headers(req: Request, next: axum::middleware::Next) -> Response {
    let mut r = next.run(req).await;
    let is_html = r
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        let h = r.headers_mut();
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
    }
    r
}

/// A page that needs a role the visitor lacks.
pub fn forbidden(c: &Ctx) -> Response {
    c.error(ApiError::forbidden("not allowed"))
}

pub fn not_found(c: &Ctx) -> Response {
    c.error(ApiError::not_found("page_not_found", "no such page"))
}

/// Unknown paths outside the API: a page in the visitor's language.
pub async fn fallback(c: Ctx) -> Response {
    not_found(&c)
}

/// A page's query string, parsed; one that does not parse (an unknown parameter, a bad value)
/// gets the error page with the problem the API gives for it (a page's early return, so its
/// size does not matter).
#[allow(clippy::result_large_err)]
pub(crate) fn page_query<T>(c: &Ctx, q: Result<Query<T>, QueryRejection>) -> Result<T, Response> {
    q.map(|Query(v)| v)
        .map_err(|e| c.error(ApiError::invalid("invalid_query", "query", e.body_text())))
}
