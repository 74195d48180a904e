//! Officials' pages: the organisation's queue against deadlines, the supervisor's overview
//! across organisations, and the petition moderators' queue.

use super::{Ctx, forbidden};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use serde::Deserialize;
use tyndau_core::appeal::Status;
use tyndau_core::calendar::WorkWeek;
use tyndau_core::petition::PetitionStatus;
use tyndau_storage::appeals::{self as store, AppealRow};
use tyndau_storage::db::now_ms;
use tyndau_storage::petitions::{self as pstore, PetitionRow};
use tyndau_storage::stats::{self, Bucket};

const OPEN: [Status; 4] = [
    Status::Registered,
    Status::Forwarded,
    Status::InReview,
    Status::Extended,
];

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    #[serde(default)]
    status: String,
    overdue: Option<String>,
    #[serde(default)]
    category_id: String,
}

pub struct QueueRow {
    pub a: AppealRow,
    pub category: String,
    pub class: &'static str,
}

#[derive(Template)]
#[template(path = "queue.html")]
struct QueuePage<'a> {
    c: &'a Ctx,
    org: String,
    rows: Vec<QueueRow>,
    q: QueueQuery,
    statuses: Vec<&'static str>,
    categories: Vec<(String, String)>,
    overdue_n: usize,
    near_n: usize,
}

fn today(state: &AppState) -> NaiveDate {
    state.config.terms.local_date(now_ms())
}

pub async fn queue(
    State(state): State<AppState>,
    c: Ctx,
    q: Result<Query<QueueQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let auth = match c.require_auth() {
        Ok(a) => a,
        Err(r) => return r,
    };
    let q = match super::page_query(&c, q) {
        Ok(q) => q,
        Err(r) => return r,
    };
    if !c.is_staff() {
        return forbidden(&c);
    }
    let statuses: Vec<Status> = match Status::parse(&q.status) {
        Some(s) => vec![s],
        None => OPEN.to_vec(),
    };
    let category = Some(q.category_id.clone()).filter(|s| !s.is_empty());
    let mut rows: Vec<AppealRow> = Vec::new();
    for s in statuses {
        let f = store::ListFilter {
            status: Some(s),
            category_id: category.clone(),
            overdue: q.overdue.as_ref().map(|_| true),
            limit: 500,
            ..Default::default()
        };
        match store::list(&state.db, &auth.principal, &f).await {
            Ok(mut r) => rows.append(&mut r),
            Err(e) => return c.error(e.into()),
        }
    }
    rows.sort_by(|a, b| a.due_on.cmp(&b.due_on).then(a.id.cmp(&b.id)));
    let r = state.reference();
    let lang = c.tr.lang;
    let today = today(&state);
    // Near its term: within the reminder window before the due date (the same setting as the
    // monitor's reminders), counted in the handling body's working week.
    let near_of = |org_id: &str| {
        let week = r
            .orgs
            .get(org_id)
            .map(|o| o.work_week)
            .unwrap_or(WorkWeek::FiveDay);
        r.calendar.add_working_days(
            today,
            state.config.terms.reminder_working_days_before_due,
            week,
        )
    };
    let open = |s: &str| OPEN.iter().any(|o| o.as_str() == s);
    let rows: Vec<QueueRow> = rows
        .into_iter()
        .map(|a| {
            let due = NaiveDate::parse_from_str(&a.due_on, "%Y-%m-%d").unwrap_or(today);
            let class = if !open(&a.status) {
                ""
            } else if a.overdue != 0 || due < today {
                "overdue"
            } else if due <= near_of(&a.org_id) {
                "near-due"
            } else {
                ""
            };
            QueueRow {
                category: r
                    .categories
                    .get(&a.category_id)
                    .map(|x| x.names.get(lang).to_string())
                    .unwrap_or_else(|| a.category_id.clone()),
                class,
                a,
            }
        })
        .collect();
    let mut categories: Vec<(String, String)> = r
        .categories
        .values()
        .filter(|x| x.parent_id.is_none())
        .map(|x| (x.id.clone(), x.names.get(lang).to_string()))
        .collect();
    categories.sort_by(|a, b| a.1.cmp(&b.1));
    let org = auth
        .user
        .org_id
        .as_ref()
        .and_then(|o| r.orgs.get(o))
        .map(|o| o.names.get(lang).to_string())
        .unwrap_or_default();
    let page = QueuePage {
        c: &c,
        org,
        overdue_n: rows.iter().filter(|x| x.class == "overdue").count(),
        near_n: rows.iter().filter(|x| x.class == "near-due").count(),
        rows,
        q,
        statuses: Status::values(),
        categories,
    };
    c.page(StatusCode::OK, &page)
}

pub struct Line {
    pub name: String,
    pub b: Bucket,
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage<'a> {
    c: &'a Ctx,
    totals: Bucket,
    /// (table id, heading, lines)
    sections: Vec<(&'static str, String, Vec<Line>)>,
}

pub async fn overview(State(state): State<AppState>, c: Ctx) -> Response {
    if let Err(r) = c.require_auth() {
        return r;
    }
    if !c.is_supervisor() {
        return forbidden(&c);
    }
    let s = match stats::counted_stats(&state.db).await {
        Ok(s) => s,
        Err(e) => return c.error(e.into()),
    };
    let r = state.reference();
    let lang = c.tr.lang;
    let names = |v: Vec<Bucket>, name: &dyn Fn(&str) -> Option<String>| -> Vec<Line> {
        v.into_iter()
            .map(|b| Line {
                name: name(&b.key).unwrap_or_else(|| {
                    if b.key.is_empty() {
                        c.t("stats-unknown")
                    } else {
                        b.key.clone()
                    }
                }),
                b,
            })
            .collect()
    };
    let mut by_org = names(s.by_org, &|k| {
        r.orgs.get(k).map(|o| o.names.get(lang).to_string())
    });
    // The supervisor looks for trouble first: most overdue on top.
    by_org.sort_by(|a, b| {
        b.b.overdue
            .cmp(&a.b.overdue)
            .then(b.b.total.cmp(&a.b.total))
    });
    let by_region = names(s.by_region, &|k| super::stats::territory_name(&r, k, lang));
    let by_category = names(s.by_category, &|k| {
        r.categories.get(k).map(|x| x.names.get(lang).to_string())
    });
    c.page(
        StatusCode::OK,
        &OverviewPage {
            c: &c,
            totals: s.totals,
            sections: vec![
                ("by-org", c.t("overview-by-org"), by_org),
                ("by-region", c.t("stats-by-region"), by_region),
                ("by-category", c.t("stats-by-category"), by_category),
            ],
        },
    )
}

#[derive(Template)]
#[template(path = "moderation.html")]
struct ModerationPage<'a> {
    c: &'a Ctx,
    rows: Vec<(PetitionRow, String)>,
}

pub async fn moderation(State(state): State<AppState>, c: Ctx) -> Response {
    if let Err(r) = c.require_auth() {
        return r;
    }
    if !c.is_moderator() {
        return forbidden(&c);
    }
    let f = pstore::PetitionFilter {
        statuses: vec![PetitionStatus::Submitted, PetitionStatus::InModeration],
        limit: 500,
        ..Default::default()
    };
    let mut rows = match pstore::list(&state.db, &f).await {
        Ok((rows, _)) => rows,
        Err(e) => return c.error(e.into()),
    };
    rows.sort_by(|a, b| {
        a.moderation_due_on
            .cmp(&b.moderation_due_on)
            .then(a.id.cmp(&b.id))
    });
    let rows = rows
        .into_iter()
        .map(|p| {
            let org = c.org_name(&state, &p.addressee_org_id);
            (p, org)
        })
        .collect();
    c.page(StatusCode::OK, &ModerationPage { c: &c, rows })
}

#[derive(Template)]
#[template(path = "serial.html")]
struct SerialPage<'a> {
    c: &'a Ctx,
    r: crate::api::statistics::SerialApplicants,
}

/// One row of a serial applicant's appeals, named in the page's language.
struct ApplicantAppealRow {
    id: String,
    reg_no: String,
    registered_on: String,
    category: String,
    org: String,
    status: String,
    repeated: bool,
}

#[derive(Template)]
#[template(path = "serial_applicant.html")]
struct SerialApplicantPage<'a> {
    c: &'a Ctx,
    r: crate::api::statistics::SerialApplicantAppeals,
    rows: Vec<ApplicantAppealRow>,
}

pub async fn serial_applicant(
    State(state): State<AppState>,
    c: Ctx,
    axum::extract::Path(pseudonym): axum::extract::Path<String>,
    q: Result<Query<crate::api::statistics::PeriodQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let auth = match c.require_auth() {
        Ok(a) => a,
        Err(r) => return r,
    };
    let q = match super::page_query(&c, q) {
        Ok(q) => q,
        Err(r) => return r,
    };
    match crate::api::statistics::serial_applicant_report(&state, auth, &pseudonym, &q).await {
        Ok(r) => {
            let rows = r
                .items
                .iter()
                .map(|a| ApplicantAppealRow {
                    id: a.id.clone(),
                    reg_no: a.reg_no.clone(),
                    registered_on: a.registered_on.clone(),
                    category: c.category_name(&state, &a.category_id),
                    org: c.org_name(&state, &a.org_id),
                    status: a.status.clone(),
                    repeated: a.repeated_of.is_some(),
                })
                .collect();
            c.page(StatusCode::OK, &SerialApplicantPage { c: &c, r, rows })
        }
        Err(e) => c.error(e),
    }
}

pub async fn serial(
    State(state): State<AppState>,
    c: Ctx,
    q: Result<Query<crate::api::statistics::PeriodQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let auth = match c.require_auth() {
        Ok(a) => a,
        Err(r) => return r,
    };
    let q = match super::page_query(&c, q) {
        Ok(q) => q,
        Err(r) => return r,
    };
    match crate::api::statistics::serial_report(&state, auth, &q).await {
        Ok(r) => c.page(StatusCode::OK, &SerialPage { c: &c, r }),
        Err(e) => c.error(e),
    }
}
