//! Aggregate statistics: the public statistics page and a supervisor's overview.
//!
//! Every figure is counted by the database (`GROUP BY`); no appeal row comes to Rust. Each query
//! groups by several columns of small range at once and Rust folds those groups into the separate
//! dimensions, so a full report costs two grouped scans of the appeals table (run side by side)
//! however many dimensions it shows.
//!
//! Definitions (one place for them):
//! - *answered*: the appeal has an answer (`answered_at` is set — `act` sets it together with
//!   `answer_text`; the narrow column keeps the aggregate off the wide text and lets an index cover
//!   the query);
//! - *answered on time*: answered, and the answer's local date (`Terms::local_date`: UTC plus the
//!   configured offset) is on or before `due_on` — the appeal's current due date, so a lawful
//!   extension counts, the same test `act` journals as `on_time`;
//! - *open*: awaiting an answer (`Status::awaits_answer`: registered, forwarded, in review,
//!   extended);
//! - *overdue*: open, with the deadline monitor's `overdue` flag set.
//!
//! The local date of an instant is whole days since the epoch, `(ms + offset) / 86400000`; the due
//! date's day number comes from its `YYYY-MM-DD` text by integer arithmetic (`epoch_day_sql`), so
//! one SQL text gives the same answer on SQLite and PostgreSQL.

use crate::db::{Arg, Db, placeholder};
use crate::error::ServiceResult;
use chrono::NaiveDate;
use sqlx::Row;
use std::collections::{BTreeSet, HashMap};
use tyndau_core::appeal::Status;
use tyndau_core::deadlines::Terms;
use tyndau_core::petition::PetitionStatus;

/// Which appeals a report counts. All conditions hold together; `None` does not filter.
#[derive(Debug, Clone, Default)]
pub struct StatsFilter {
    /// Appeals handled by (`org_id`) any of these organisations. An empty list counts nothing.
    pub org_ids: Option<Vec<String>>,
    /// Registered on or after this day.
    pub from: Option<NaiveDate>,
    /// Registered on or before this day.
    pub to: Option<NaiveDate>,
}

/// The counts of one group of appeals.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Bucket {
    pub key: String,
    pub total: i64,
    pub answered: i64,
    pub answered_on_time: i64,
    pub open: i64,
    pub overdue: i64,
}

impl Bucket {
    fn add(&mut self, c: &Counts) {
        self.total += c.total;
        self.answered += c.answered;
        self.answered_on_time += c.answered_on_time;
        self.open += c.open;
        self.overdue += c.overdue;
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct AppealStats {
    /// Every appeal the filter selects (key "").
    pub totals: Bucket,
    /// By month of registration, "YYYY-MM", ascending.
    pub by_month: Vec<Bucket>,
    /// By region: the KATO code of the appeal's region (its first two digits + "0000000");
    /// appeals without a territory under "".
    pub by_region: Vec<Bucket>,
    /// By top category (the category id before its first '.').
    pub by_category: Vec<Bucket>,
    pub by_form: Vec<Bucket>,
    pub by_channel: Vec<Bucket>,
    pub by_language: Vec<Bucket>,
    pub by_status: Vec<Bucket>,
    /// By the organisation handling the appeal (`org_id`).
    pub by_org: Vec<Bucket>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Counts {
    total: i64,
    answered: i64,
    answered_on_time: i64,
    open: i64,
    overdue: i64,
}

/// Organisations per `IN` list; a longer filter runs the queries once per chunk and adds up.
const ORG_CHUNK: usize = 500;

/// Day number (days since 1970-01-01) of a `YYYY-MM-DD` text column: the Julian day number by
/// the Fliegel–Van Flandern formula, every operand non-negative so that integer division
/// truncates the same way on both databases.
fn epoch_day_sql(col: &str) -> String {
    let y = format!("CAST(substr({col}, 1, 4) AS BIGINT)");
    let m = format!("CAST(substr({col}, 6, 2) AS BIGINT)");
    let d = format!("CAST(substr({col}, 9, 2) AS BIGINT)");
    // 1 for January and February (counted as months 13 and 14 of the year before), else 0.
    let a = format!("((14 - {m}) / 12)");
    let yy = format!("({y} + 4800 - {a})");
    let mm = format!("({m} + 12 * {a} - 3)");
    format!(
        "({d} + (153 * {mm} + 2) / 5 + 365 * {yy} + {yy} / 4 - {yy} / 100 + {yy} / 400 - 32045 - 2440588)"
    )
}

pub(crate) fn open_statuses_sql() -> String {
    Status::ALL
        .iter()
        .filter(|s| s.awaits_answer())
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The five counts as SQL aggregates, for answers dated in local time `utc_offset_minutes` off UTC.
fn counts_sql(utc_offset_minutes: i32) -> String {
    let offset_ms = i64::from(utc_offset_minutes) * 60_000;
    let open = open_statuses_sql();
    format!(
        "CAST(COUNT(*) AS BIGINT), \
         CAST(SUM(CASE WHEN answered_at IS NULL THEN 0 ELSE 1 END) AS BIGINT), \
         CAST(SUM(CASE WHEN answered_at IS NULL THEN 0 \
                       WHEN (answered_at + {offset_ms}) / 86400000 <= {due} THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN status IN ({open}) THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN status IN ({open}) AND overdue <> 0 THEN 1 ELSE 0 END) AS BIGINT)",
        due = epoch_day_sql("due_on"),
    )
}

/// The region of an appeal's territory: KATO codes nest by prefix, a region is `NN0000000`.
const REGION_SQL: &str = "CASE WHEN kato IS NULL THEN '' ELSE substr(kato, 1, 2) || '0000000' END";

/// The dimensions of the report, each a column of one of the grouped queries.
#[derive(Debug, Clone, Copy)]
enum Dim {
    Month,
    Region,
    Category,
    Form,
    Channel,
    Language,
    Status,
    Org,
}

impl Dim {
    fn sql(self) -> &'static str {
        match self {
            Dim::Month => "substr(registered_on, 1, 7)",
            Dim::Region => REGION_SQL,
            // Grouped by the full id (a few hundred); folded to the top category in Rust.
            Dim::Category => "category_id",
            Dim::Form => "form",
            Dim::Channel => "channel",
            Dim::Language => "language",
            Dim::Status => "status",
            Dim::Org => "org_id",
        }
    }
    fn key(self, v: String) -> String {
        match self {
            Dim::Category => match v.split_once('.') {
                Some((top, _)) => top.to_string(),
                None => v,
            },
            _ => v,
        }
    }
}

/// The grouped queries. Fewer queries mean fewer scans (one query over all eight dimensions was
/// fastest on a synthetic table), but the groups of one query are at most the product of its
/// columns' ranges: two queries keep that bounded — forms × channels × languages × statuses ×
/// months (≤ 1,080 a month), and organisations × their categories × regions (an organisation
/// works in one region and a few categories) — whatever the number of appeals.
const GROUPINGS: &[&[Dim]] = &[
    &[
        Dim::Form,
        Dim::Channel,
        Dim::Language,
        Dim::Status,
        Dim::Month,
    ],
    &[Dim::Org, Dim::Category, Dim::Region],
];

/// Adds up groups by key.
#[derive(Default)]
struct Tally(HashMap<String, Bucket>);

impl Tally {
    fn add(&mut self, key: String, c: &Counts) {
        self.0
            .entry(key)
            .or_insert_with_key(|k| Bucket {
                key: k.clone(),
                ..Bucket::default()
            })
            .add(c);
    }
    /// Months ascending (`by_key`), or the largest first and then by key.
    fn sorted(self, by_key: bool) -> Vec<Bucket> {
        let mut v: Vec<Bucket> = self.0.into_values().collect();
        if by_key {
            v.sort_by(|a, b| a.key.cmp(&b.key));
        } else {
            v.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.key.cmp(&b.key)));
        }
        v
    }
}

/// Statistics of the appeals `f` selects, answers dated in the default local time
/// (`Terms::default()`, Asia/Almaty).
pub async fn appeal_stats(db: &Db, f: &StatsFilter) -> ServiceResult<AppealStats> {
    appeal_stats_with_offset(db, f, Terms::default().utc_offset_minutes).await
}

/// `appeal_stats` with the deployment's `terms.utc_offset_minutes`.
pub async fn appeal_stats_with_offset(
    db: &Db,
    f: &StatsFilter,
    utc_offset_minutes: i32,
) -> ServiceResult<AppealStats> {
    // Distinct organisations, so that chunks are disjoint and their counts add up.
    let orgs: Option<Vec<String>> = f.org_ids.as_ref().map(|v| {
        v.iter()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    });
    let chunks: Vec<Option<&[String]>> = match &orgs {
        None => vec![None],
        Some(v) => v.chunks(ORG_CHUNK).map(Some).collect(),
    };
    let counts = counts_sql(utc_offset_minutes);
    let mut tallies: Vec<Tally> = (0..8).map(|_| Tally::default()).collect();
    let mut totals = Bucket::default();
    for chunk in chunks {
        let (filter, args) = where_sql(db, chunk, f.from, f.to);
        let results = futures::future::try_join_all(
            GROUPINGS
                .iter()
                .map(|dims| grouped(db, dims, &counts, &filter, &args)),
        )
        .await?;
        for (g, (dims, rows)) in GROUPINGS.iter().zip(results).enumerate() {
            for (keys, c) in rows {
                // Every grouping covers every appeal once: the first gives the totals.
                if g == 0 {
                    totals.add(&c);
                }
                for (dim, k) in dims.iter().zip(keys) {
                    tallies[*dim as usize].add(dim.key(k), &c);
                }
            }
        }
    }
    Ok(assemble(tallies, totals))
}

/// The report from one tally per dimension (in the order of `Dim`) and the totals.
fn assemble(tallies: Vec<Tally>, totals: Bucket) -> AppealStats {
    let mut t = tallies.into_iter();
    let mut next = |by_key| t.next().expect("one tally per dimension").sorted(by_key);
    let by_month = next(true);
    let by_region = next(false);
    let by_category = next(false);
    let by_form = next(false);
    let by_channel = next(false);
    let by_language = next(false);
    let by_status = next(false);
    let by_org = next(false);
    AppealStats {
        totals,
        by_month,
        by_region,
        by_category,
        by_form,
        by_channel,
        by_language,
        by_status,
        by_org,
    }
}

/// The `WHERE` clause of a report and its arguments, in binding order.
fn where_sql(
    db: &Db,
    orgs: Option<&[String]>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> (String, Vec<Arg>) {
    let mut wh: Vec<String> = Vec::new();
    let mut args: Vec<Arg> = Vec::new();
    let next = |args: &mut Vec<Arg>, a: Arg| {
        args.push(a);
        placeholder(db.backend, args.len())
    };
    if let Some(orgs) = orgs {
        if orgs.is_empty() {
            wh.push("1 = 0".into());
        } else {
            let ps: Vec<String> = orgs.iter().map(|o| next(&mut args, o.into())).collect();
            wh.push(format!("org_id IN ({})", ps.join(", ")));
        }
    }
    if let Some(d) = from {
        let p = next(&mut args, Arg::Text(Some(d.to_string())));
        wh.push(format!("registered_on >= {p}"));
    }
    if let Some(d) = to {
        let p = next(&mut args, Arg::Text(Some(d.to_string())));
        wh.push(format!("registered_on <= {p}"));
    }
    let filter = if wh.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", wh.join(" AND "))
    };
    (filter, args)
}

/// One grouped query: the values of `dims` and the counts of each group.
async fn grouped(
    db: &Db,
    dims: &[Dim],
    counts: &str,
    filter: &str,
    args: &[Arg],
) -> ServiceResult<Vec<(Vec<String>, Counts)>> {
    let cols: Vec<&str> = dims.iter().map(|d| d.sql()).collect();
    let positions: Vec<String> = (1..=dims.len()).map(|i| i.to_string()).collect();
    let sql = format!(
        "SELECT {}, {counts} FROM appeals{filter} GROUP BY {}",
        cols.join(", "),
        positions.join(", ")
    );
    let n = dims.len();
    Ok(crate::db::bind_args(sqlx::query(&sql), args)
        .fetch_all(&db.read)
        .await?
        .iter()
        .map(|r| {
            let keys = (0..n).map(|i| r.get::<String, _>(i)).collect();
            let c = Counts {
                total: r.get(n),
                answered: r.get(n + 1),
                answered_on_time: r.get(n + 2),
                open: r.get(n + 3),
                overdue: r.get(n + 4),
            };
            (keys, c)
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Petitions

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PetitionStats {
    /// Petitions admitted by moderation (every status but draft, submitted, in moderation and
    /// rejected).
    pub total: i64,
    /// The sum of their (valid) signature counts.
    pub signatures: i64,
    /// By status, the largest first, then by status.
    pub by_status: Vec<(String, i64)>,
    /// By local month of creation ("YYYY-MM"), ascending.
    pub by_month: Vec<(String, i64)>,
    /// By addressed organisation, the largest first, then by id.
    pub by_addressee: Vec<(String, i64)>,
}

/// The statuses `PetitionStats` leaves out: never admitted (yet).
const NOT_ADMITTED: &[PetitionStatus] = &[
    PetitionStatus::Draft,
    PetitionStatus::Submitted,
    PetitionStatus::InModeration,
    PetitionStatus::Rejected,
];

/// Statistics of the admitted petitions, months in the default local time.
pub async fn petition_stats(db: &Db) -> ServiceResult<PetitionStats> {
    petition_stats_with_offset(db, Terms::default().utc_offset_minutes).await
}

/// `petition_stats` with the deployment's `terms.utc_offset_minutes`.
pub async fn petition_stats_with_offset(
    db: &Db,
    utc_offset_minutes: i32,
) -> ServiceResult<PetitionStats> {
    let excluded = NOT_ADMITTED
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ");
    let offset_ms = i64::from(utc_offset_minutes) * 60_000;
    let by_status_addressee = format!(
        "SELECT status, addressee_org_id, CAST(COUNT(*) AS BIGINT), CAST(SUM(signature_count) AS BIGINT) \
         FROM petitions WHERE status NOT IN ({excluded}) GROUP BY status, addressee_org_id"
    );
    // Local days since the epoch, folded into months here.
    let by_day = format!(
        "SELECT (created_at + {offset_ms}) / 86400000, CAST(COUNT(*) AS BIGINT) \
         FROM petitions WHERE status NOT IN ({excluded}) GROUP BY 1"
    );
    let (groups, days) = futures::try_join!(
        sqlx::query(&by_status_addressee).fetch_all(&db.read),
        sqlx::query(&by_day).fetch_all(&db.read)
    )?;

    let mut s = PetitionStats::default();
    let mut statuses: HashMap<String, i64> = HashMap::new();
    let mut addressees: HashMap<String, i64> = HashMap::new();
    for r in &groups {
        let n: i64 = r.get(2);
        let signatures: i64 = r.get(3);
        s.total += n;
        s.signatures += signatures;
        *statuses.entry(r.get(0)).or_default() += n;
        *addressees.entry(r.get(1)).or_default() += n;
    }
    let mut months: HashMap<String, i64> = HashMap::new();
    for r in &days {
        let day: i64 = r.get(0);
        let n: i64 = r.get(1);
        let month = chrono::DateTime::from_timestamp(day * 86_400, 0)
            .map(|t| t.date_naive().format("%Y-%m").to_string())
            .unwrap_or_default();
        *months.entry(month).or_default() += n;
    }
    let largest_first = |m: HashMap<String, i64>| {
        let mut v: Vec<(String, i64)> = m.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v
    };
    s.by_status = largest_first(statuses);
    s.by_addressee = largest_first(addressees);
    let mut by_month: Vec<(String, i64)> = months.into_iter().collect();
    by_month.sort();
    s.by_month = by_month;
    Ok(s)
}

// ---------------------------------------------------------------------------------------------
// Running counters (`appeal_counters`): the same figures without scanning the appeals.

/// The counter dimensions, in the order of `Dim` after `Month` (months are a column of every
/// counter; the `total` dimension carries the totals and the months).
const COUNTER_DIMS: [(&str, Dim); 7] = [
    ("region", Dim::Region),
    ("category", Dim::Category),
    ("form", Dim::Form),
    ("channel", Dim::Channel),
    ("language", Dim::Language),
    ("status", Dim::Status),
    ("org", Dim::Org),
];

/// (dim, key, month) → the five counts.
type Cells = HashMap<(&'static str, String, String), [i64; 5]>;

/// What one appeal adds to the counters.
fn contribute(cells: &mut Cells, row: &crate::appeals::AppealRow, sign: i64, terms: &Terms) {
    let open = row.status().awaits_answer();
    let answered = row.answered_at.is_some();
    // The test `act` journals as `on_time`: the answer's local day is on or before the due date.
    let on_time = row
        .answered_at
        .is_some_and(|at| terms.local_date(at) <= row.due());
    let c = [
        sign,
        sign * i64::from(answered),
        sign * i64::from(on_time),
        sign * i64::from(open),
        sign * i64::from(open && row.overdue != 0),
    ];
    let month: String = row.registered_on.chars().take(7).collect();
    let region = row
        .kato
        .as_deref()
        .and_then(|k| tyndau_core::ids::Kato::parse(k).ok())
        .map(|k| k.region().code())
        .unwrap_or_default();
    let category = Dim::Category.key(row.category_id.clone());
    let keys: [(&'static str, String); 8] = [
        ("total", String::new()),
        ("region", region),
        ("category", category),
        ("form", row.form.clone()),
        ("channel", row.channel.clone()),
        ("language", row.language.clone()),
        ("status", row.status.clone()),
        ("org", row.org_id.clone()),
    ];
    for (dim, key) in keys {
        let cell = cells.entry((dim, key, month.clone())).or_default();
        for i in 0..5 {
            cell[i] += c[i];
        }
    }
}

/// The statements that move the counters from the `before` rows to the `after` rows (a new
/// appeal has no before; a changed one has both), for the caller's transaction.
pub fn counter_changes(
    backend: crate::db::Backend,
    before: &[&crate::appeals::AppealRow],
    after: &[&crate::appeals::AppealRow],
    terms: &Terms,
    out: &mut Vec<crate::db::Stmt>,
) {
    let mut cells = Cells::new();
    let mut hot = crate::hotspots::HotCells::new();
    for r in before {
        contribute(&mut cells, r, -1, terms);
        crate::hotspots::contribute(&mut hot, r, -1);
    }
    for r in after {
        contribute(&mut cells, r, 1, terms);
        crate::hotspots::contribute(&mut hot, r, 1);
    }
    crate::hotspots::changes(backend, hot, out);
    // Sorted, so that concurrent transactions lock counter rows in one order (no deadlocks).
    let mut cells: Vec<_> = cells
        .into_iter()
        .filter(|(_, c)| c.iter().any(|&n| n != 0))
        .collect();
    cells.sort_by(|a, b| a.0.cmp(&b.0));
    for chunk in crate::appeals::row_chunks(&cells) {
        out.push(crate::db::Stmt {
            sql: format!(
                "INSERT INTO appeal_counters (dim, key, month, total, answered, on_time, open_n, overdue) VALUES {} \
                 ON CONFLICT (dim, key, month) DO UPDATE SET total = appeal_counters.total + excluded.total, \
                 answered = appeal_counters.answered + excluded.answered, on_time = appeal_counters.on_time + excluded.on_time, \
                 open_n = appeal_counters.open_n + excluded.open_n, overdue = appeal_counters.overdue + excluded.overdue",
                crate::db::values_placeholders(backend, chunk.len(), 8)
            ),
            args: chunk
                .iter()
                .flat_map(|((dim, key, month), c)| {
                    [
                        Arg::Text(Some(dim.to_string())),
                        Arg::from(key),
                        Arg::from(month),
                        Arg::from(c[0]),
                        Arg::from(c[1]),
                        Arg::from(c[2]),
                        Arg::from(c[3]),
                        Arg::from(c[4]),
                    ]
                })
                .collect(),
        });
    }
}

/// Recomputes every counter from the appeals, in one transaction (at start when the counters
/// are empty, e.g. after an upgrade; and whenever an operator wants to check them).
pub async fn rebuild_counters(db: &Db, utc_offset_minutes: i32) -> ServiceResult<()> {
    // Read and written in one transaction: no registration lands between the two.
    let mut tx = db.begin_write().await?;
    let counts = counts_sql(utc_offset_minutes);
    let mut rows: Vec<(&'static str, String, String, Counts)> = Vec::new();
    let mut all: Vec<(&'static str, Dim)> = vec![("total", Dim::Month)];
    all.extend(COUNTER_DIMS);
    for (name, dim) in all {
        // PostgreSQL refuses a constant in GROUP BY: the totals group by month alone.
        let (key, group) = if name == "total" {
            ("''".to_string(), "substr(registered_on, 1, 7)".to_string())
        } else {
            (
                dim.sql().to_string(),
                format!("{}, substr(registered_on, 1, 7)", dim.sql()),
            )
        };
        let sql = format!(
            "SELECT {key}, substr(registered_on, 1, 7), {counts} FROM appeals GROUP BY {group}"
        );
        for r in sqlx::query(&sql).fetch_all(&mut *tx).await? {
            let k: String = r.get::<Option<String>, _>(0).unwrap_or_default();
            rows.push((
                name,
                dim.key(k),
                r.get(1),
                Counts {
                    total: r.get(2),
                    answered: r.get(3),
                    answered_on_time: r.get(4),
                    open: r.get(5),
                    overdue: r.get(6),
                },
            ));
        }
    }
    // Categories fold into their top category: several groups may land on one counter.
    let mut cells: HashMap<(&'static str, String, String), Bucket> = HashMap::new();
    for (dim, key, month, c) in rows {
        let e = cells.entry((dim, key, month)).or_default();
        e.add(&c);
    }
    crate::hotspots::rebuild(db, &mut tx).await?;
    sqlx::query("DELETE FROM appeal_counters")
        .execute(&mut *tx)
        .await?;
    let cells: Vec<_> = cells.into_iter().collect();
    for chunk in crate::appeals::row_chunks(&cells) {
        let sql = format!(
            "INSERT INTO appeal_counters (dim, key, month, total, answered, on_time, open_n, overdue) VALUES {}",
            crate::db::values_placeholders(db.backend, chunk.len(), 8)
        );
        let mut q = sqlx::query(&sql);
        for ((dim, key, month), c) in chunk {
            q = q
                .bind(dim.to_string())
                .bind(key.clone())
                .bind(month.clone())
                .bind(c.total)
                .bind(c.answered)
                .bind(c.answered_on_time)
                .bind(c.open)
                .bind(c.overdue);
        }
        q.execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Rebuilds the counters when there are appeals but no counters (a database from before them).
pub async fn ensure_counters(db: &Db, utc_offset_minutes: i32) -> ServiceResult<bool> {
    let has_counters = sqlx::query("SELECT 1 FROM appeal_counters LIMIT 1")
        .fetch_optional(&db.read)
        .await?
        .is_some();
    let has_appeals = sqlx::query("SELECT 1 FROM appeals LIMIT 1")
        .fetch_optional(&db.read)
        .await?
        .is_some();
    // The hotspot counts came later (migration 0004): a database counted before them has
    // placed appeals and no hotspot counts.
    let missing_hotspots = sqlx::query("SELECT 1 FROM hotspot_counts LIMIT 1")
        .fetch_optional(&db.read)
        .await?
        .is_none()
        && sqlx::query("SELECT 1 FROM appeals WHERE kato IS NOT NULL OR lat IS NOT NULL LIMIT 1")
            .fetch_optional(&db.read)
            .await?
            .is_some();
    if has_appeals && (!has_counters || missing_hotspots) {
        rebuild_counters(db, utc_offset_minutes).await?;
        return Ok(true);
    }
    Ok(false)
}

/// Statistics of all appeals from the running counters: the same figures as `appeal_stats`
/// with no filter, reading a few hundred rows whatever the number of appeals.
pub async fn counted_stats(db: &Db) -> ServiceResult<AppealStats> {
    let rows = sqlx::query(
        "SELECT dim, key, month, total, answered, on_time, open_n, overdue FROM appeal_counters WHERE total <> 0",
    )
    .fetch_all(&db.read)
    .await?;
    let mut tallies: Vec<Tally> = (0..8).map(|_| Tally::default()).collect();
    let mut totals = Bucket::default();
    for r in rows {
        let dim: String = r.get(0);
        let key: String = r.get(1);
        let month: String = r.get(2);
        let c = Counts {
            total: r.get(3),
            answered: r.get(4),
            answered_on_time: r.get(5),
            open: r.get(6),
            overdue: r.get(7),
        };
        if dim == "total" {
            totals.add(&c);
            tallies[Dim::Month as usize].add(month, &c);
        } else if let Some((_, d)) = COUNTER_DIMS.iter().find(|(n, _)| *n == dim) {
            tallies[*d as usize].add(key, &c);
        }
    }
    Ok(assemble(tallies, totals))
}

// ---------------------------------------------------------------------------------------------
// Serial applicants: how concentrated the appeals of a period are among their applicants.

/// Appeals of a period by applicant, most active first.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SerialReport {
    /// Appeals with an identified applicant (anonymous ones are not counted).
    pub appeals: i64,
    pub applicants: i64,
    /// Appeals sent by the most active 0.1 % and 1 % of applicants (at least one applicant each).
    pub top_0_1_percent_appeals: i64,
    pub top_1_percent_appeals: i64,
    /// (applicant key: account id, else IIN, else BIN; appeals), most first, at most `limit`.
    pub leaders: Vec<(String, i64)>,
}

/// The Pareto view of applicants registered from `from` to `to` (inclusive). The keys are
/// personal data: callers show them only to those entitled, or as pseudonyms.
pub async fn serial_applicants(
    db: &Db,
    from: NaiveDate,
    to: NaiveDate,
    limit: usize,
) -> ServiceResult<SerialReport> {
    let key = "COALESCE(applicant_id, applicant_iin, applicant_bin)";
    let sql = format!(
        "SELECT {key}, CAST(COUNT(*) AS BIGINT) FROM appeals \
         WHERE registered_on >= {} AND registered_on <= {} AND {key} IS NOT NULL GROUP BY {key}",
        placeholder(db.backend, 1),
        placeholder(db.backend, 2)
    );
    let rows = sqlx::query(&sql)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&db.read)
        .await?;
    let mut counts: Vec<(String, i64)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let applicants = counts.len();
    let top = |share_per_mille: usize| -> i64 {
        let k = (applicants * share_per_mille).div_ceil(1000).max(1);
        counts.iter().take(k).map(|c| c.1).sum()
    };
    Ok(SerialReport {
        appeals: counts.iter().map(|c| c.1).sum(),
        applicants: applicants as i64,
        top_0_1_percent_appeals: if applicants == 0 { 0 } else { top(1) },
        top_1_percent_appeals: if applicants == 0 { 0 } else { top(10) },
        leaders: counts.into_iter().take(limit).collect(),
    })
}

/// The appeals registered from `from` to `to` by the applicant of `key` (a key of
/// [`serial_applicants`]), earliest first, at most `limit`. Rows carry personal data: callers
/// leave it out of what they show.
pub async fn applicant_appeals(
    db: &Db,
    key: &str,
    from: NaiveDate,
    to: NaiveDate,
    limit: i64,
) -> ServiceResult<Vec<crate::appeals::AppealRow>> {
    Ok(
        sqlx::query_as::<_, crate::appeals::AppealRow>(&crate::appeals::select_sql(
            "WHERE COALESCE(applicant_id, applicant_iin, applicant_bin) = $1 \
         AND registered_on >= $2 AND registered_on <= $3 ORDER BY received_at, id LIMIT $4",
        ))
        .bind(key)
        .bind(from.to_string())
        .bind(to.to_string())
        .bind(limit)
        .fetch_all(&db.read)
        .await?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The day number computed in SQL from `YYYY-MM-DD` text is chrono's, on the database the
    /// tests run on (TYNDAU_TEST_DB=postgres: PostgreSQL), across leap days and centuries.
    #[tokio::test]
    async fn epoch_day_sql_matches_chrono_from_1970_to_2400() {
        let dir = tempfile::tempdir().unwrap();
        let url = if std::env::var("TYNDAU_TEST_DB").as_deref() == Ok("postgres") {
            std::env::var("TYNDAU_TEST_PG_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
                + "/postgres"
        } else {
            format!("sqlite://{}/t.db?mode=rwc", dir.path().display())
        };
        let db = Db::connect(&url).await.unwrap();
        let sql = format!("SELECT {}", epoch_day_sql("CAST($1 AS TEXT)"));
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let mut days: Vec<NaiveDate> = (0..430 * 365)
            .step_by(37)
            .map(|n| epoch + chrono::Duration::days(n))
            .collect();
        for s in [
            "1970-01-01",
            "1999-12-31",
            "2000-02-28",
            "2000-02-29",
            "2000-03-01",
            "2024-02-29",
            "2024-12-31",
            "2025-01-01",
            "2100-02-28",
            "2100-03-01",
            "2400-02-29",
        ] {
            days.push(s.parse().unwrap());
        }
        for d in days {
            let got: i64 = sqlx::query(&sql)
                .bind(d.to_string())
                .fetch_one(&db.read)
                .await
                .unwrap()
                .get(0);
            assert_eq!(got, (d - epoch).num_days(), "{d}");
        }
        db.close().await;
    }
}
