//! Citizens' pages: sign in and out, register, submit an appeal, its ticket, my appeals, and the
//! appeal page, which also carries the officials' actions allowed in the appeal's state.

use super::{CsrfForm, Ctx, FieldErrors, safe_next};
use crate::api::appeals::{SubmitAppeal, allowed_actions, parse_enum, perform, register_appeal};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use serde::Deserialize;
use tyndau_core::access::{self, Role};
use tyndau_core::appeal::LeaveReason;
use tyndau_storage::appeals::{self as store, AppealRow, Command, EventRow};

// ---------------------------------------------------------------------------------------------
// Sign-in

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    c: &'a Ctx,
    next: String,
    login: String,
    errors: FieldErrors,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_page(
    c: Ctx,
    q: Result<Query<NextQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let q = match super::page_query(&c, q) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let next = safe_next(q.next.as_deref()).unwrap_or_default();
    c.page(
        StatusCode::OK,
        &LoginPage {
            c: &c,
            next,
            login: String::new(),
            errors: FieldErrors::default(),
        },
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    next: Option<String>,
}

fn home_of(role: Role) -> &'static str {
    match role {
        Role::Citizen => "/my/appeals",
        Role::Official | Role::Head => "/office/queue",
        Role::Supervisor | Role::Administrator => "/office/overview",
    }
}

pub async fn login(
    State(state): State<AppState>,
    c: Ctx,
    CsrfForm(f): CsrfForm<LoginForm>,
) -> Response {
    match crate::api::auth::verify_login(&state, &f.login, f.password).await {
        Ok(user) => signed_in(&state, &c, &user, f.next.as_deref()).await,
        Err(e) if e.status == StatusCode::UNAUTHORIZED => {
            let mut errors = FieldErrors::default();
            errors.push("login", c.t("err-invalid_credentials"));
            let next = safe_next(f.next.as_deref()).unwrap_or_default();
            c.page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &LoginPage {
                    c: &c,
                    next,
                    login: f.login,
                    errors,
                },
            )
        }
        Err(e) => c.error(e),
    }
}

async fn signed_in(
    state: &AppState,
    c: &Ctx,
    user: &tyndau_storage::users::User,
    next: Option<&str>,
) -> Response {
    let (_, _, cookie) = match crate::api::auth::open_session(state, user).await {
        Ok(s) => s,
        Err(e) => return c.error(e),
    };
    let to = safe_next(next).unwrap_or_else(|| home_of(user.role).to_string());
    let mut r = c.redirect(&to, Some("signed-in"));
    r.headers_mut().append(header::SET_COOKIE, cookie);
    r
}

#[derive(Template)]
#[template(path = "register.html")]
struct RegisterPage<'a> {
    c: &'a Ctx,
    iin: String,
    full_name: String,
    email: String,
    errors: FieldErrors,
}

pub async fn register_page(c: Ctx) -> Response {
    c.page(
        StatusCode::OK,
        &RegisterPage {
            c: &c,
            iin: String::new(),
            full_name: String::new(),
            email: String::new(),
            errors: FieldErrors::default(),
        },
    )
}

#[derive(Deserialize)]
pub struct RegisterForm {
    iin: String,
    full_name: String,
    password: String,
    #[serde(default)]
    email: String,
}

pub async fn register(
    State(state): State<AppState>,
    c: Ctx,
    CsrfForm(f): CsrfForm<RegisterForm>,
) -> Response {
    let req = crate::api::auth::RegisterRequest {
        iin: f.iin.clone(),
        full_name: f.full_name.clone(),
        password: f.password,
        email: Some(f.email.clone()).filter(|e| !e.trim().is_empty()),
        phone: None,
        address: None,
        language: Some(c.lang().to_string()),
    };
    match crate::api::auth::register_citizen(&state, req).await {
        Ok(user) => signed_in(&state, &c, &user, None).await,
        Err(e) if e.status.is_client_error() => {
            let mut errors = FieldErrors::default();
            let field = e.field.clone().unwrap_or_else(|| "iin".into());
            errors.push(&field, c.error_message(&e));
            c.page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &RegisterPage {
                    c: &c,
                    iin: f.iin,
                    full_name: f.full_name,
                    email: f.email,
                    errors,
                },
            )
        }
        Err(e) => c.error(e),
    }
}

#[derive(Deserialize)]
pub struct Empty {}

pub async fn logout(
    State(state): State<AppState>,
    c: Ctx,
    headers: HeaderMap,
    CsrfForm(_): CsrfForm<Empty>,
) -> Response {
    if let Some((token, false)) = crate::extract::token_from_headers(&headers) {
        if let Err(e) = tyndau_storage::users::revoke_session(&state.db, &token).await {
            return c.error(e.into());
        }
        state.forget_token(&token);
    }
    let mut r = c.redirect("/", Some("signed-out"));
    r.headers_mut().append(
        header::SET_COOKIE,
        crate::api::auth::session_cookie(&state, "", 0),
    );
    r
}

// ---------------------------------------------------------------------------------------------
// Submitting an appeal

pub struct Choice {
    pub value: String,
    pub label: String,
    pub group: Option<String>,
}

#[derive(Default, Deserialize)]
pub struct AppealForm {
    #[serde(default)]
    form: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    category_id: String,
    #[serde(default)]
    kato: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    lon: String,
    #[serde(default)]
    text: String,
    anonymous: Option<String>,
    reports_crime: Option<String>,
    #[serde(default)]
    idem: String,
}

#[derive(Template)]
#[template(path = "appeal_new.html")]
struct NewAppealPage<'a> {
    c: &'a Ctx,
    f: AppealForm,
    forms: Vec<Choice>,
    languages: Vec<Choice>,
    categories: Vec<Choice>,
    territories: Vec<Choice>,
    errors: FieldErrors,
    max_chars: usize,
}

fn appeal_choices(
    state: &AppState,
    c: &Ctx,
) -> (Vec<Choice>, Vec<Choice>, Vec<Choice>, Vec<Choice>) {
    let lang = c.tr.lang;
    let r = state.reference();
    let forms = tyndau_core::appeal::Form::values()
        .into_iter()
        .map(|v| Choice {
            value: v.into(),
            label: c.v("form", v),
            group: None,
        })
        .collect();
    let languages = ["auto", "kk", "ru", "other"]
        .into_iter()
        .map(|v| Choice {
            value: v.into(),
            label: c.v("appeal-lang", v),
            group: None,
        })
        .collect();
    // Subcategories under their top category, both sorted by name in the page's language.
    let mut cats: Vec<Choice> = r
        .categories
        .values()
        .filter(|cat| cat.parent_id.is_some())
        .map(|cat| Choice {
            value: cat.id.clone(),
            label: cat.names.get(lang).to_string(),
            group: cat
                .parent_id
                .as_ref()
                .and_then(|p| r.categories.get(p))
                .map(|p| p.names.get(lang).to_string()),
        })
        .collect();
    cats.sort_by(|a, b| a.group.cmp(&b.group).then(a.label.cmp(&b.label)));
    let mut terr: Vec<Choice> = r
        .territories
        .values()
        .filter(|t| t.level != "country")
        .map(|t| {
            let region = t
                .parent
                .and_then(|p| r.territories.get(&p))
                .filter(|p| p.level != "country");
            Choice {
                value: t.kato.code(),
                label: t.names.get(lang).to_string(),
                group: Some(
                    region
                        .map(|p| p.names.get(lang).to_string())
                        .unwrap_or_else(|| t.names.get(lang).to_string()),
                ),
            }
        })
        .collect();
    // Each region first, then the places in it.
    terr.sort_by_cached_key(|t| {
        let is_region = t.group.as_deref() == Some(t.label.as_str());
        (t.group.clone(), !is_region, t.label.clone())
    });
    (forms, languages, cats, terr)
}

fn new_appeal_page(
    state: &AppState,
    c: &Ctx,
    f: AppealForm,
    errors: FieldErrors,
    status: StatusCode,
) -> Response {
    let (forms, languages, categories, territories) = appeal_choices(state, c);
    c.page(
        status,
        &NewAppealPage {
            c,
            f,
            forms,
            languages,
            categories,
            territories,
            errors,
            max_chars: state.config.max_text_chars,
        },
    )
}

pub async fn new_page(State(state): State<AppState>, c: Ctx) -> Response {
    let f = AppealForm {
        form: "application".into(),
        language: "auto".into(),
        // A key per form shown: submitting twice (a double click, a retry) registers once.
        idem: uuid::Uuid::new_v4().to_string(),
        ..Default::default()
    };
    new_appeal_page(&state, &c, f, FieldErrors::default(), StatusCode::OK)
}

/// The field of the form that shows an API error (the API names `location`, the form lat/lon).
fn form_field(api_field: Option<&str>) -> &str {
    match api_field {
        Some("location") => "lat",
        Some(f) if f.starts_with("attachments") => "text",
        Some(f) => f,
        None => "text",
    }
}

pub async fn submit(
    State(state): State<AppState>,
    c: Ctx,
    CsrfForm(f): CsrfForm<AppealForm>,
) -> Response {
    let mut errors = FieldErrors::default();
    let anonymous = f.anonymous.is_some();
    if c.auth.is_none() && !anonymous {
        return c.to_login();
    }
    let num = |s: &str, field: &str, errors: &mut FieldErrors| -> Option<f64> {
        let s = s.trim().replace(',', ".");
        if s.is_empty() {
            return None;
        }
        match s.parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                errors.push(field, c.t("err-not_a_number"));
                None
            }
        }
    };
    let lat = num(&f.lat, "lat", &mut errors);
    let lon = num(&f.lon, "lon", &mut errors);
    let location = match (lat, lon) {
        (Some(lat), Some(lon)) => Some(crate::api::appeals::GeoPoint { lat, lon }),
        (None, None) => None,
        (Some(_), None) => {
            errors.push("lon", c.t("err-point_needs_both"));
            None
        }
        (None, Some(_)) => {
            errors.push("lat", c.t("err-point_needs_both"));
            None
        }
    };
    if f.category_id.is_empty() {
        errors.push("category_id", c.t("err-choose_category"));
    }
    if f.text.trim().is_empty() {
        errors.push("text", c.t("err-empty_text"));
    }
    if errors.any() {
        return new_appeal_page(&state, &c, f, errors, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let req = SubmitAppeal {
        form: f.form.clone(),
        channel: None,
        // "The language of my text": identified from the text.
        language: Some(f.language.clone()).filter(|l| l != "auto"),
        // "Not sure": the classifier fills it in when confident, else an official does.
        category_id: Some(f.category_id.clone()).filter(|c| c != "auto"),
        addressee_org_id: None,
        kato: Some(f.kato.clone()).filter(|k| !k.is_empty()),
        location,
        text: f.text.clone(),
        attachments: vec![],
        anonymous,
        reports_crime: f.reports_crime.is_some(),
        applicant: None,
        received_at: None,
    };
    let idem = Some(f.idem.trim().to_string())
        .filter(|k| !k.is_empty() && k.len() <= 200)
        .map(|k| {
            // The key stands for this form; a retry with changed text is a new appeal.
            use sha2::{Digest, Sha256};
            let h = hex::encode(Sha256::digest(format!(
                "{}\n{}\n{}",
                f.category_id, f.kato, f.text
            )));
            (format!("web:{k}"), h)
        });
    match register_appeal(&state, c.auth.as_ref(), req, idem).await {
        Ok((_, row, _)) => {
            if c.auth.is_none() {
                // An anonymous applicant cannot open the appeal later; the ticket is shown once.
                return ticket_page(&state, &c, &row);
            }
            c.redirect(
                &format!("/appeals/{}/ticket", row.id),
                Some("appeal-registered"),
            )
        }
        Err(e) if super::is_form_error(&e) => {
            errors.push(form_field(e.field.as_deref()), c.error_message(&e));
            new_appeal_page(&state, &c, f, errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => c.error(e),
    }
}

#[derive(Template)]
#[template(path = "ticket.html")]
struct TicketPage<'a> {
    c: &'a Ctx,
    a: &'a AppealRow,
    org: String,
    anonymous: bool,
}

fn ticket_page(state: &AppState, c: &Ctx, a: &AppealRow) -> Response {
    c.page(
        StatusCode::OK,
        &TicketPage {
            c,
            a,
            org: c.org_name(state, &a.org_id),
            anonymous: a.applicant_kind == "anonymous",
        },
    )
}

pub async fn ticket(State(state): State<AppState>, c: Ctx, Path(id): Path<String>) -> Response {
    let auth = match c.require_auth() {
        Ok(a) => a,
        Err(r) => return r,
    };
    match store::get_for(&state.db, &auth.principal, &id).await {
        Ok(row) => ticket_page(&state, &c, &row),
        Err(e) => c.error(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// My appeals

#[derive(Template)]
#[template(path = "my_appeals.html")]
struct MyAppealsPage<'a> {
    c: &'a Ctx,
    rows: Vec<(AppealRow, String)>,
}

pub async fn mine(State(state): State<AppState>, c: Ctx) -> Response {
    let auth = match c.require_auth() {
        Ok(a) => a,
        Err(r) => return r,
    };
    if auth.user.role != Role::Citizen {
        return super::forbidden(&c);
    }
    let f = store::ListFilter {
        limit: 200,
        ..Default::default()
    };
    match store::list(&state.db, &auth.principal, &f).await {
        Ok(rows) => {
            let rows = rows
                .into_iter()
                .map(|r| {
                    let org = c.org_name(&state, &r.org_id);
                    (r, org)
                })
                .collect();
            c.page(StatusCode::OK, &MyAppealsPage { c: &c, rows })
        }
        Err(e) => c.error(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// One appeal

pub struct OrgChoice {
    pub id: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "appeal.html")]
struct AppealPage<'a> {
    c: &'a Ctx,
    a: AppealRow,
    /// The language the text is written in: identified, else the answer's.
    text_lang: String,
    org: String,
    addressee: String,
    category: String,
    territory: String,
    events: Vec<EventRow>,
    actions: Vec<String>,
    /// Other appeals of its near-duplicate group the official may read (0 for applicants).
    similar: i64,
    personal: bool,
    orgs: Vec<OrgChoice>,
    leave_reasons: Vec<&'static str>,
    errors: FieldErrors,
    /// The action whose form failed, to show its errors beside it.
    failed: String,
    /// For the officials handling it: the models' advice on category and body.
    advice: Option<AdviceView>,
}

/// The models' advice as the handling official sees it, names resolved.
pub struct AdviceView {
    /// Suggested category: id, name, confidence in per cent, confident.
    pub category: Option<(String, String, i64, bool)>,
    /// The body the routing model suggests: name, confidence in per cent.
    pub model_org: Option<(String, i64)>,
    pub rule_org: Option<String>,
    pub advised_org: Option<String>,
    pub advised_by: &'static str,
    /// Every category, for confirming or correcting.
    pub categories: Vec<(String, String)>,
}

impl AppealPage<'_> {
    fn can(&self, action: &str) -> bool {
        self.actions.iter().any(|a| a == action)
    }
    fn event_text(&self, e: &EventRow) -> String {
        let text = self.c.v("event", &e.action);
        // A category the classifier chose is said so, with its confidence.
        let by_classifier = e
            .data
            .as_deref()
            .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
            .filter(|d| d["category_by"] == "classifier")
            .and_then(|d| d["confidence"].as_f64());
        match by_classifier {
            Some(p) => format!(
                "{text} · {} {}",
                self.c.t("event-category-by-classifier"),
                self.c.pct((p * 1000.0).round() as i64, 1000_i64)
            ),
            None => text,
        }
    }
}

async fn appeal_page(
    state: &AppState,
    c: &Ctx,
    id: &str,
    errors: FieldErrors,
    failed: &str,
) -> Response {
    let Some(auth) = c.auth.as_ref() else {
        return c.to_login();
    };
    let row = match store::get_for(&state.db, &auth.principal, id).await {
        Ok(r) => r,
        Err(e) => return c.error(e.into()),
    };
    let personal = store::may_read_personal_data(&auth.principal, &row);
    if personal
        && let Err(e) = store::audit_personal_data_read(&state.db, &auth.principal, &row).await
    {
        return c.error(e.into());
    }
    let events = match store::events(&state.db, &row.id).await {
        Ok(e) => e,
        Err(e) => return c.error(e.into()),
    };
    let r = state.reference();
    let lang = c.tr.lang;
    let actions = allowed_actions(&auth.principal, &row);
    let mut orgs: Vec<OrgChoice> = if actions.iter().any(|a| a == "forward") {
        r.orgs
            .values()
            .filter(|o| o.id != row.org_id)
            .map(|o| OrgChoice {
                id: o.id.clone(),
                name: o.names.get(lang).to_string(),
            })
            .collect()
    } else {
        vec![]
    };
    orgs.sort_by(|a, b| a.name.cmp(&b.name));
    let category = r
        .categories
        .get(&row.category_id)
        .map(|x| x.names.get(lang).to_string())
        .unwrap_or_else(|| row.category_id.clone());
    let territory = row
        .kato
        .as_deref()
        .and_then(|k| tyndau_core::ids::Kato::parse(k).ok())
        .and_then(|k| r.territories.get(&k))
        .map(|t| t.names.get(lang).to_string())
        .unwrap_or_default();
    // Officials and supervisors see the campaign an appeal belongs to; an applicant's own
    // repeated appeals are on their list already.
    let similar = if auth.principal.role == Role::Citizen {
        0
    } else {
        let n = tyndau_storage::similarity::similar_count(&state.db, &auth.principal, &row.id);
        match n.await {
            Ok(n) => n,
            Err(e) => return c.error(e.into()),
        }
    };
    let advice = access::decide(&auth.principal, access::Op::Assign, &row.scope()).then(|| {
        let a = crate::api::learning::advise_appeal(state, &row);
        let cat_name = |id: &str| c.category_name(state, id);
        let mut categories: Vec<(String, String)> = r
            .categories
            .values()
            .filter(|x| x.id.contains('.'))
            .map(|x| {
                let top = x
                    .parent_id
                    .as_deref()
                    .map(|p| format!("{} — ", cat_name(p)))
                    .unwrap_or_default();
                (x.id.clone(), format!("{top}{}", x.names.get(lang)))
            })
            .collect();
        categories.sort_by(|a, b| a.1.cmp(&b.1));
        let pct = |p: f32| (p * 100.0).round() as i64;
        AdviceView {
            category: a.suggestion.category.as_ref().map(|s| {
                (
                    s.id.clone(),
                    cat_name(&s.id),
                    pct(s.confidence),
                    s.confident,
                )
            }),
            model_org: a
                .suggestion
                .org
                .as_ref()
                .map(|s| (c.org_name(state, &s.id), pct(s.confidence))),
            rule_org: a.rule_org_id.as_deref().map(|o| c.org_name(state, o)),
            advised_org: a.advised_org_id.as_deref().map(|o| c.org_name(state, o)),
            advised_by: a.advised_by,
            categories,
        }
    });
    let page = AppealPage {
        c,
        text_lang: row
            .text_language
            .clone()
            .unwrap_or_else(|| row.language.clone()),
        advice,
        similar,
        org: c.org_name(state, &row.org_id),
        addressee: c.org_name(state, &row.addressee_org_id),
        category,
        territory,
        events,
        actions,
        personal,
        orgs,
        leave_reasons: LeaveReason::values(),
        errors,
        failed: failed.to_string(),
        a: row,
    };
    c.form_page(&page.errors, &page)
}

pub async fn show(State(state): State<AppState>, c: Ctx, Path(id): Path<String>) -> Response {
    appeal_page(&state, &c, &id, FieldErrors::default(), "").await
}

#[derive(Deserialize, Default)]
pub struct ActionForm {
    #[serde(default)]
    org_id: String,
    #[serde(default)]
    category_id: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    new_due_on: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    score: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    restore_reason: String,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

fn command(action: &str, f: &ActionForm) -> Result<Command, ApiError> {
    Ok(match action {
        "assign" => Command::Assign { assignee_id: None },
        "forward" => Command::Forward {
            org_id: f.org_id.clone(),
            reason: f.reason.clone(),
        },
        "extend" => Command::Extend {
            new_due_on: crate::api::parse_date(f.new_due_on.trim(), "new_due_on")?,
            reason: f.reason.clone(),
        },
        "answer" => Command::Answer {
            text: f.text.clone(),
        },
        "rate" => Command::Rate {
            score: f.score.trim().parse().map_err(|_| {
                ApiError::invalid("invalid_score", "score", "choose a score from 1 to 5")
            })?,
            comment: opt(&f.comment),
        },
        "complain" => Command::Complain {
            text: f.text.clone(),
            restore_reason: opt(&f.restore_reason),
        },
        "close" => Command::Close {
            reason: opt(&f.reason),
        },
        "leave" => Command::LeaveWithoutConsideration {
            reason: parse_enum(
                &f.reason,
                "reason",
                LeaveReason::parse,
                LeaveReason::values(),
            )?,
            comment: opt(&f.comment),
        },
        "escalate" => Command::Escalate {
            reason: f.reason.clone(),
        },
        _ => return Err(ApiError::not_found("page_not_found", "no such action")),
    })
}

pub async fn act(
    State(state): State<AppState>,
    c: Ctx,
    Path((id, action)): Path<(String, String)>,
    CsrfForm(f): CsrfForm<ActionForm>,
) -> Response {
    let Some(auth) = c.auth.as_ref() else {
        return c.to_login();
    };
    if action == "category" {
        return match crate::api::learning::classify_appeal(&state, auth, &id, &f.category_id).await
        {
            Ok(done) => c.redirect(
                &format!("/appeals/{id}"),
                Some(if done.confirmed {
                    "done-category-confirmed"
                } else {
                    "done-category-corrected"
                }),
            ),
            Err(e) if super::is_form_error(&e) => {
                let mut errors = FieldErrors::default();
                errors.push("category_id", c.error_message(&e));
                appeal_page(&state, &c, &id, errors, &action).await
            }
            Err(e) => c.error(e),
        };
    }
    let result = match command(&action, &f) {
        Ok(cmd) => perform(&state, auth, &id, cmd).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(out) => {
            if let Some(created) = out.created {
                return c.redirect(
                    &format!("/appeals/{}/ticket", created.id),
                    Some("complaint-registered"),
                );
            }
            c.redirect(&format!("/appeals/{id}"), Some(&format!("done-{action}")))
        }
        Err(e) if super::is_form_error(&e) => {
            let mut errors = FieldErrors::default();
            let field = e.field.clone().unwrap_or_else(|| "form".into());
            errors.push(&field, c.error_message(&e));
            appeal_page(&state, &c, &id, errors, &action).await
        }
        Err(e) => c.error(e),
    }
}
