//! The organisations' transparency index (issue 5, item 10): each body's handling metrics over
//! the methodology's window, counted from the appeals and the journal, scored by
//! `tyndau_core::transparency`, and stored per day (`transparency_days`, `transparency_index`).
//!
//! Which appeals are a body's: those it handles now (`org_id`), registered in the window — and,
//! for the count of appeals and the late-forward share only, those it forwarded on to another
//! body. A late forward is the forwarding body's fault, not the receiver's, so it is read from the
//! journal (`forward` entries by an official, `from_org_id`) and judged again with the forwarding
//! body's working week by `Clock::is_forward_late`, the same rule `act` applies; the appeal's own
//! `forwarded_late` flag follows the appeal to the receiver and would blame the wrong body.
//! Automatic forwards at registration (actor `system`) are routing, not handling, and not counted.
//!
//! Definitions, all over the handled appeals of the window:
//! - *on time*: answered on or before the current due date (the answer's local date, as in
//!   `stats`), among the answered ones plus those still open past their due date on the day
//!   computed — an appeal nobody answers must not improve the share;
//! - *median working days*: from registration to the answer's local date, in the handling body's
//!   working week and the holiday calendar;
//! - *extended*: `extensions > 0`; *repeated*: `repeated_of` set;
//! - *complained about*: a complaint appeal names it as `parent_appeal_id` (`act` creates one for
//!   every `complain`; the status `complained` does not last past closing);
//! - *average rating*: over the rated appeals.
//!
//! The computation is three grouped queries, none returning one row per appeal except the
//! (rare) forwards: counts per body; answered appeals per (body, registration day, due date,
//! answer day), from which the on-time count and the median come; the forwards' journal entries.

use crate::db::{Arg, Db, Stmt, execute_all, placeholder, values_placeholders};
use crate::error::ServiceResult;
use crate::reference::Reference;
use chrono::{Duration, NaiveDate};
use sqlx::Row;
use std::collections::{HashMap, HashSet};
use tyndau_core::appeal::Status;
use tyndau_core::calendar::{Calendar, WorkWeek};
use tyndau_core::deadlines::{Clock, Terms};
use tyndau_core::ids::Kato;
use tyndau_core::org::OrgLevel;
use tyndau_core::transparency::{Methodology, Metrics, competition_ranks, weighted_median};

/// One body's stored result for a day.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BodyResult {
    pub org_id: String,
    /// Appeals handled now by the body (the denominator of the handling shares).
    pub handled: i64,
    pub answered: i64,
    /// `metrics.appeals` is handled plus forwarded on.
    pub metrics: Metrics,
    /// `None`: not ranked (fewer appeals than the methodology's minimum).
    pub score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ComputeReport {
    pub day: NaiveDate,
    pub bodies: usize,
    pub ranked: usize,
}

/// Per body, from the grouped scan of its handled appeals.
#[derive(Default)]
struct Tally {
    handled: i64,
    open_overdue: i64,
    extended: i64,
    rated: i64,
    rating_sum: i64,
    complained: i64,
    repeated: i64,
    answered: i64,
    on_time: i64,
    /// (working days to the answer, appeals)
    days: HashMap<u32, u64>,
    forwarded_away: HashSet<String>,
    forwarded_late: HashSet<String>,
}

/// Working days between two dates in O(1): a running count of working days from the start of
/// the range, per working week. The calendar answers one day at a time; the median needs this
/// for every group of answered appeals.
struct WorkingDayIndex {
    start: NaiveDate,
    counts: HashMap<WorkWeek, Vec<u32>>,
}

impl WorkingDayIndex {
    fn new(cal: &Calendar, start: NaiveDate, end: NaiveDate) -> Self {
        let len = (end - start).num_days().max(0) as usize + 1;
        let counts = [WorkWeek::FiveDay, WorkWeek::SixDay]
            .into_iter()
            .map(|w| {
                let mut v = Vec::with_capacity(len);
                let mut n = 0;
                for i in 0..len {
                    if i > 0 && cal.is_working_day(start + Duration::days(i as i64), w) {
                        n += 1;
                    }
                    v.push(n);
                }
                (w, v)
            })
            .collect();
        WorkingDayIndex { start, counts }
    }

    /// `Calendar::working_days_between`: working days after `from` up to and including `to`.
    fn between(&self, cal: &Calendar, from: NaiveDate, to: NaiveDate, week: WorkWeek) -> u32 {
        let v = &self.counts[&week];
        let at = |d: NaiveDate| usize::try_from((d - self.start).num_days()).ok();
        match (at(from), at(to)) {
            (Some(f), Some(t)) if t < v.len() && f < v.len() => v[t].saturating_sub(v[f]),
            _ => cal.working_days_between(from, to, week),
        }
    }
}

fn epoch_day(n: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch") + Duration::days(n)
}

/// The first day of the window ending on `day`.
pub fn window_from(m: &Methodology, day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(m.window_days) - 1)
}

/// Computes the index for `day` from the appeals registered in the window ending on it, and
/// replaces that day's results in one transaction: running it again gives the same rows.
pub async fn compute(
    db: &Db,
    reference: &Reference,
    terms: &Terms,
    methodology: &Methodology,
    day: NaiveDate,
    now: i64,
) -> ServiceResult<ComputeReport> {
    let from = window_from(methodology, day);
    let (f, d) = (from.to_string(), day.to_string());
    let open = Status::ALL
        .iter()
        .filter(|s| s.awaits_answer())
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let window = "registered_on >= $1 AND registered_on <= $2";
    let counts_sql = format!(
        "SELECT org_id, CAST(COUNT(*) AS BIGINT), \
         CAST(SUM(CASE WHEN answered_at IS NULL AND status IN ({open}) AND due_on < $2 THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN extensions > 0 THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN rating IS NULL THEN 0 ELSE 1 END) AS BIGINT), \
         CAST(COALESCE(SUM(rating), 0) AS BIGINT), \
         CAST(SUM(CASE WHEN id IN (SELECT parent_appeal_id FROM appeals WHERE parent_appeal_id IS NOT NULL) THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN repeated_of IS NULL THEN 0 ELSE 1 END) AS BIGINT) \
         FROM appeals WHERE {window} GROUP BY org_id"
    );
    let offset_ms = i64::from(terms.utc_offset_minutes) * 60_000;
    let answered_sql = format!(
        "SELECT org_id, registered_on, due_on, CAST((answered_at + {offset_ms}) / 86400000 AS BIGINT), CAST(COUNT(*) AS BIGINT) \
         FROM appeals WHERE {window} AND answered_at IS NOT NULL GROUP BY 1, 2, 3, 4"
    );
    // Driven from the window's appeals that were ever forwarded, through the journal's index
    // by appeal: the journal as a whole is never scanned.
    let forwards_sql = "SELECT e.from_org_id, a.id, a.org_id, a.registered_on, e.at \
         FROM appeals a JOIN appeal_events e ON e.appeal_id = a.id \
         WHERE a.registered_on >= $1 AND a.registered_on <= $2 AND a.forwards > 0 \
         AND e.action = 'forward' AND e.actor_role <> 'system' AND e.from_org_id IS NOT NULL";
    let (counts, answered, forwards) = futures::try_join!(
        sqlx::query(&counts_sql)
            .bind(&f)
            .bind(&d)
            .fetch_all(&db.read),
        sqlx::query(&answered_sql)
            .bind(&f)
            .bind(&d)
            .fetch_all(&db.read),
        sqlx::query(forwards_sql)
            .bind(&f)
            .bind(&d)
            .fetch_all(&db.read),
    )?;

    let mut tallies: HashMap<String, Tally> = HashMap::new();
    for r in &counts {
        let t = tallies.entry(r.get(0)).or_default();
        t.handled = r.get(1);
        t.open_overdue = r.get(2);
        t.extended = r.get(3);
        t.rated = r.get(4);
        t.rating_sum = r.get(5);
        t.complained = r.get(6);
        t.repeated = r.get(7);
    }

    let groups: Vec<(String, NaiveDate, NaiveDate, NaiveDate, i64)> = answered
        .iter()
        .filter_map(|r| {
            let registered = r.get::<String, _>(1).parse().ok()?;
            let due = r.get::<String, _>(2).parse().ok()?;
            Some((
                r.get(0),
                registered,
                due,
                epoch_day(r.get(3)),
                r.get::<i64, _>(4),
            ))
        })
        .collect();
    let last = groups.iter().map(|g| g.3).max().unwrap_or(day).max(day);
    let index = WorkingDayIndex::new(&reference.calendar, from, last);
    let week_of = |org: &str| {
        reference
            .orgs
            .get(org)
            .map(|o| o.work_week)
            .unwrap_or(WorkWeek::FiveDay)
    };
    for (org, registered, due, answer_day, n) in groups {
        let week = week_of(&org);
        let t = tallies.entry(org).or_default();
        t.answered += n;
        if answer_day <= due {
            t.on_time += n;
        }
        let wd = index.between(&reference.calendar, registered, answer_day, week);
        *t.days.entry(wd).or_default() += n as u64;
    }

    for r in &forwards {
        let from_org: String = r.get(0);
        let appeal: String = r.get(1);
        let now_at: String = r.get(2);
        let Ok(registered) = r.get::<String, _>(3).parse::<NaiveDate>() else {
            continue;
        };
        let at: i64 = r.get(4);
        let clock = Clock {
            calendar: &reference.calendar,
            week: week_of(&from_org),
            terms,
        };
        let late = clock.is_forward_late(registered, clock.local_date(at));
        let t = tallies.entry(from_org.clone()).or_default();
        if now_at != from_org {
            t.forwarded_away.insert(appeal.clone());
        }
        if late {
            t.forwarded_late.insert(appeal);
        }
    }

    let share = |part: i64, whole: i64| (whole > 0).then(|| part as f64 / whole as f64);
    let mut results: Vec<BodyResult> = tallies
        .into_iter()
        .filter(|(org, _)| reference.orgs.contains_key(org))
        .map(|(org_id, mut t)| {
            // An appeal forwarded away and back is handled here: counted once.
            let appeals = t.handled + t.forwarded_away.len() as i64;
            let mut days: Vec<(u32, u64)> = t.days.drain().collect();
            let metrics = Metrics {
                appeals: appeals as u64,
                on_time_share: share(t.on_time, t.answered + t.open_overdue),
                median_working_days: weighted_median(&mut days),
                extended_share: share(t.extended, t.handled),
                forwarded_late_share: share(t.forwarded_late.len() as i64, appeals),
                avg_rating: share(t.rating_sum, t.rated),
                complaint_share: share(t.complained, t.handled),
                repeated_share: share(t.repeated, t.handled),
            };
            BodyResult {
                score: methodology.score(&metrics).map(|s| s.score),
                org_id,
                handled: t.handled,
                answered: t.answered,
                metrics,
            }
        })
        .collect();
    results.sort_by(|a, b| a.org_id.cmp(&b.org_id));

    let b = db.backend;
    let mut stmts = vec![
        Stmt {
            sql: format!(
                "INSERT INTO transparency_days (day, version, window_from, computed_at) VALUES {} \
                 ON CONFLICT (day) DO UPDATE SET version = excluded.version, \
                 window_from = excluded.window_from, computed_at = excluded.computed_at",
                values_placeholders(b, 1, 4)
            ),
            args: vec![
                Arg::from(&d),
                Arg::from(&methodology.version),
                Arg::from(&f),
                Arg::from(now),
            ],
        },
        Stmt {
            sql: format!(
                "DELETE FROM transparency_index WHERE day = {}",
                placeholder(b, 1)
            ),
            args: vec![Arg::from(&d)],
        },
    ];
    for chunk in crate::appeals::row_chunks(&results) {
        stmts.push(Stmt {
            sql: format!(
                "INSERT INTO transparency_index (day, org_id, appeals, handled, answered, on_time_share, \
                 median_working_days, extended_share, forwarded_late_share, avg_rating, complaint_share, \
                 repeated_share, score) VALUES {}",
                values_placeholders(b, chunk.len(), 13)
            ),
            args: chunk
                .iter()
                .flat_map(|r| {
                    let m = &r.metrics;
                    [
                        Arg::from(&d),
                        Arg::from(&r.org_id),
                        Arg::from(m.appeals as i64),
                        Arg::from(r.handled),
                        Arg::from(r.answered),
                        Arg::from(m.on_time_share),
                        Arg::from(m.median_working_days),
                        Arg::from(m.extended_share),
                        Arg::from(m.forwarded_late_share),
                        Arg::from(m.avg_rating),
                        Arg::from(m.complaint_share),
                        Arg::from(m.repeated_share),
                        Arg::from(r.score),
                    ]
                })
                .collect(),
        });
    }
    let mut tx = db.begin_write().await?;
    execute_all(&mut tx, &stmts).await?;
    tx.commit().await?;
    Ok(ComputeReport {
        day,
        bodies: results.len(),
        ranked: results.iter().filter(|r| r.score.is_some()).count(),
    })
}

/// The methodology fingerprint `day` was computed under, if it was.
pub async fn computed_version(db: &Db, day: NaiveDate) -> ServiceResult<Option<String>> {
    Ok(
        sqlx::query("SELECT version FROM transparency_days WHERE day = $1")
            .bind(day.to_string())
            .fetch_optional(&db.read)
            .await?
            .map(|r| r.get(0)),
    )
}

/// Which bodies a ranking compares. `None` does not filter.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Bodies whose territory lies in this region (central bodies have none).
    pub region: Option<Kato>,
    pub level: Option<OrgLevel>,
}

impl Filter {
    pub fn matches(&self, reference: &Reference, org_id: &str) -> bool {
        let Some(o) = reference.orgs.get(org_id) else {
            return false;
        };
        self.level.is_none_or(|l| o.level == l)
            && self
                .region
                .is_none_or(|r| o.kato.is_some_and(|k| k.region() == r))
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RankedBody {
    /// Rank within the filter (equal scores share a rank).
    pub rank: u32,
    pub score: f64,
    pub body: BodyResult,
}

/// The latest day's ranking of the bodies a filter selects.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Ranking {
    pub day: NaiveDate,
    pub window_from: NaiveDate,
    pub computed_at: i64,
    /// The methodology fingerprint the day was computed under.
    pub version: String,
    /// Best first; ties by more appeals, then by id.
    pub ranked: Vec<RankedBody>,
    /// Bodies with appeals in the window but too few to be ranked, by id.
    pub not_ranked: Vec<BodyResult>,
    /// Bodies the filter selects with no appeal in the window, by id.
    pub no_appeals: Vec<String>,
}

/// The most recent computed day's results, ranked within `filter`; `None` before the first
/// computation.
pub async fn latest(
    db: &Db,
    reference: &Reference,
    filter: &Filter,
) -> ServiceResult<Option<Ranking>> {
    let Some(head) = sqlx::query(
        "SELECT day, window_from, computed_at, version FROM transparency_days ORDER BY day DESC LIMIT 1",
    )
    .fetch_optional(&db.read)
    .await?
    else {
        return Ok(None);
    };
    let day: String = head.get(0);
    let rows = sqlx::query(
        "SELECT org_id, appeals, handled, answered, on_time_share, median_working_days, extended_share, \
         forwarded_late_share, avg_rating, complaint_share, repeated_share, score \
         FROM transparency_index WHERE day = $1",
    )
    .bind(&day)
    .fetch_all(&db.read)
    .await?;
    let mut ranked: Vec<(f64, BodyResult)> = Vec::new();
    let mut not_ranked: Vec<BodyResult> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for r in rows {
        let org_id: String = r.get(0);
        if !filter.matches(reference, &org_id) {
            continue;
        }
        seen.insert(org_id.clone());
        let real = |i: usize| r.get::<Option<f64>, _>(i);
        let body = BodyResult {
            org_id,
            handled: r.get(2),
            answered: r.get(3),
            metrics: Metrics {
                appeals: r.get::<i64, _>(1).max(0) as u64,
                on_time_share: real(4),
                median_working_days: real(5),
                extended_share: real(6),
                forwarded_late_share: real(7),
                avg_rating: real(8),
                complaint_share: real(9),
                repeated_share: real(10),
            },
            score: real(11),
        };
        match body.score {
            Some(s) => ranked.push((s, body)),
            None => not_ranked.push(body),
        }
    }
    ranked.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| b.1.metrics.appeals.cmp(&a.1.metrics.appeals))
            .then_with(|| a.1.org_id.cmp(&b.1.org_id))
    });
    not_ranked.sort_by(|a, b| a.org_id.cmp(&b.org_id));
    let scores: Vec<f64> = ranked.iter().map(|r| r.0).collect();
    let ranks = competition_ranks(&scores);
    let mut no_appeals: Vec<String> = reference
        .orgs
        .keys()
        .filter(|o| !seen.contains(*o) && filter.matches(reference, o))
        .cloned()
        .collect();
    no_appeals.sort();
    let date = |s: String| s.parse::<NaiveDate>().map_err(anyhow::Error::from);
    Ok(Some(Ranking {
        day: date(day)?,
        window_from: date(head.get(1))?,
        computed_at: head.get(2),
        version: head.get(3),
        ranked: ranked
            .into_iter()
            .zip(ranks)
            .map(|((score, body), rank)| RankedBody { rank, score, body })
            .collect(),
        not_ranked,
        no_appeals,
    }))
}
