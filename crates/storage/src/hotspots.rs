//! Problem hotspots and emerging issues (issue 5, item 7): weekly counts of appeals per district ×
//! top category and per 0.01° grid cell × top category (`hotspot_counts`, moved with every
//! registration like the statistics counters), scored against each series' own baseline, and
//! adjacent hot grid cells merged into spatial clusters.
//!
//! The score of a week's count `x` against the previous `baseline_weeks` weeks (mean `m`, variance
//! `v`, zeros included) is `(x − m) / sqrt(max(v, m) + 1)`: a Poisson-like z-score whose
//! denominator grows with the series' own spread, so a district that always has many road
//! complaints is not "hot" and a sudden rise is; the `+ 1` keeps a series that was empty until
//! now from scoring infinity on its first appeals.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate};
use sqlx::Row;

use crate::db::{Arg, Db, Stmt};
use crate::error::ServiceResult;

/// The knobs of the hotspot finder (a deployment setting; the defaults suit weekly data).
#[derive(Debug, Clone, serde::Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct HotspotSettings {
    /// Weeks before the scored week that form its baseline.
    pub baseline_weeks: u32,
    /// The least score that makes a series hot.
    pub min_score: f64,
    /// The least number of appeals in the week that makes a series hot.
    pub min_count: i64,
    /// The least appeals in a grid cell for it to join a spatial cluster.
    pub min_cell_count: i64,
}

impl Default for HotspotSettings {
    fn default() -> Self {
        HotspotSettings {
            baseline_weeks: 12,
            min_score: 3.0,
            min_count: 5,
            min_cell_count: 3,
        }
    }
}

/// The Monday of a date's week, as stored in `hotspot_counts.week`.
pub fn week_of(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The grid cell of a point: hundredths of a degree (≈1.1 km north–south, ≈0.8 km east–west at
/// Kazakhstan's latitudes).
pub fn grid_cell(lat: f64, lon: f64) -> (i64, i64) {
    ((lat * 100.0).floor() as i64, (lon * 100.0).floor() as i64)
}

fn parse_cell(area: &str) -> Option<(i64, i64)> {
    let (a, b) = area.split_once(':')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// (kind, week, area, top category) → appeals.
pub(crate) type HotCells = HashMap<(&'static str, String, String, String), i64>;

/// What one appeal adds to `hotspot_counts` (see `stats::counter_changes`, which calls this for
/// every counted change; the keys of an appeal never change after registration, so a change of
/// status adds and subtracts the same cells and nothing is written).
pub(crate) fn contribute(cells: &mut HotCells, row: &crate::appeals::AppealRow, sign: i64) {
    add(
        cells,
        &row.registered_on,
        &row.category_id,
        row.kato.as_deref(),
        row.lat.zip(row.lon),
        sign,
    );
}

fn add(
    cells: &mut HotCells,
    registered_on: &str,
    category_id: &str,
    kato: Option<&str>,
    point: Option<(f64, f64)>,
    sign: i64,
) {
    let Ok(day) = registered_on.parse::<NaiveDate>() else {
        return;
    };
    let week = week_of(day).to_string();
    let category = category_id
        .split_once('.')
        .map_or(category_id, |(top, _)| top)
        .to_string();
    if let Some(k) = kato.and_then(|k| tyndau_core::ids::Kato::parse(k).ok()) {
        *cells
            .entry((
                "district",
                week.clone(),
                k.district().code(),
                category.clone(),
            ))
            .or_default() += sign;
    }
    if let Some((lat, lon)) = point {
        let (a, b) = grid_cell(lat, lon);
        *cells
            .entry(("grid", week, format!("{a}:{b}"), category))
            .or_default() += sign;
    }
}

pub(crate) fn changes(backend: crate::db::Backend, cells: HotCells, out: &mut Vec<Stmt>) {
    let mut cells: Vec<_> = cells.into_iter().filter(|(_, n)| *n != 0).collect();
    // One lock order for concurrent transactions.
    cells.sort();
    for chunk in crate::appeals::row_chunks(&cells) {
        out.push(Stmt {
            sql: format!(
                "INSERT INTO hotspot_counts (kind, week, area, category, n) VALUES {} \
                 ON CONFLICT (kind, week, area, category) DO UPDATE SET n = hotspot_counts.n + excluded.n",
                crate::db::values_placeholders(backend, chunk.len(), 5)
            ),
            args: chunk
                .iter()
                .flat_map(|((kind, week, area, category), n)| {
                    [
                        Arg::Text(Some(kind.to_string())),
                        Arg::Text(Some(week.clone())),
                        Arg::Text(Some(area.clone())),
                        Arg::Text(Some(category.clone())),
                        Arg::from(*n),
                    ]
                })
                .collect(),
        });
    }
}

/// Recomputes `hotspot_counts` from the appeals (with the statistics counters).
pub(crate) async fn rebuild(
    db: &Db,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
) -> ServiceResult<()> {
    let mut cells = HotCells::new();
    let rows = sqlx::query(
        "SELECT registered_on, kato, category_id, lat, lon, COUNT(*) FROM appeals \
         GROUP BY registered_on, kato, category_id, lat, lon",
    )
    // Inside the rebuilding transaction: no registration lands between the read and the write.
    .fetch_all(&mut **tx)
    .await?;
    for r in rows {
        let (lat, lon): (Option<f64>, Option<f64>) = (r.get(3), r.get(4));
        add(
            &mut cells,
            &r.get::<String, _>(0),
            &r.get::<String, _>(2),
            r.get::<Option<String>, _>(1).as_deref(),
            lat.zip(lon),
            r.get::<i64, _>(5),
        );
    }
    sqlx::query("DELETE FROM hotspot_counts")
        .execute(&mut **tx)
        .await?;
    let mut stmts = Vec::new();
    changes(db.backend, cells, &mut stmts);
    for s in &stmts {
        crate::db::bind_args(sqlx::query(&s.sql), &s.args)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The score of `x` against a baseline series (see the module's comment).
pub fn score(x: i64, baseline: &[i64]) -> (f64, f64) {
    let n = baseline.len().max(1) as f64;
    let mean = baseline.iter().sum::<i64>() as f64 / n;
    let var = baseline
        .iter()
        .map(|&b| (b as f64 - mean).powi(2))
        .sum::<f64>()
        / n;
    ((x as f64 - mean) / (var.max(mean) + 1.0).sqrt(), mean)
}

/// A hot series: a district × category, or a spatial cluster of grid cells × category.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Hotspot {
    /// "district" or "cluster".
    pub kind: &'static str,
    /// The Monday of the week scored.
    pub week: String,
    /// The district's KATO code, or the cluster's cells ("lat:lon" in hundredths of a degree).
    pub area: String,
    pub cells: Vec<String>,
    pub category: String,
    pub count: i64,
    /// The baseline's weekly mean.
    pub expected: f64,
    pub score: f64,
    /// A cluster's centre (count-weighted) and extent, in degrees.
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub bbox: Option<[f64; 4]>,
}

/// The hottest series of the current and the previous week (the current one is still filling),
/// hottest first; each series once, at its hotter week.
pub async fn hotspots(
    db: &Db,
    today: NaiveDate,
    s: &HotspotSettings,
    limit: usize,
) -> ServiceResult<Vec<Hotspot>> {
    let this_week = week_of(today);
    let first = this_week - Duration::weeks(i64::from(s.baseline_weeks) + 1);
    let rows = sqlx::query(
        "SELECT kind, week, area, category, n FROM hotspot_counts WHERE week >= $1 AND n <> 0",
    )
    .bind(first.to_string())
    .fetch_all(&db.read)
    .await?;
    // (kind, area, category) → week index (0 = `first`) → n.
    let weeks = s.baseline_weeks as usize + 2;
    let mut series: HashMap<(String, String, String), Vec<i64>> = HashMap::new();
    for r in rows {
        let week: String = r.get(1);
        let Ok(w) = week.parse::<NaiveDate>() else {
            continue;
        };
        let i = ((w - first).num_days() / 7) as usize;
        if i >= weeks {
            continue;
        }
        series
            .entry((r.get(0), r.get(2), r.get(3)))
            .or_insert_with(|| vec![0; weeks])[i] += r.get::<i64, _>(4);
    }
    let mut out: Vec<Hotspot> = Vec::new();
    for scored in [weeks - 2, weeks - 1] {
        let week = (first + Duration::weeks(scored as i64)).to_string();
        let base = |v: &Vec<i64>| v[scored - s.baseline_weeks as usize..scored].to_vec();
        for ((kind, area, category), v) in &series {
            if kind != "district" || v[scored] < s.min_count {
                continue;
            }
            let (z, mean) = score(v[scored], &base(v));
            if z >= s.min_score {
                out.push(Hotspot {
                    kind: "district",
                    week: week.clone(),
                    area: area.clone(),
                    cells: vec![],
                    category: category.clone(),
                    count: v[scored],
                    expected: mean,
                    score: z,
                    lat: None,
                    lon: None,
                    bbox: None,
                });
            }
        }
        out.extend(clusters(&series, scored, &week, s));
    }
    // Each series at its hotter week.
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    let mut seen = HashSet::new();
    out.retain(|h| seen.insert((h.kind, h.area.clone(), h.category.clone())));
    out.truncate(limit);
    Ok(out)
}

/// Spatial clusters of one week: grid cells of a category with at least `min_cell_count`
/// appeals, joined when they touch (8 neighbours), scored on their summed counts.
fn clusters(
    series: &HashMap<(String, String, String), Vec<i64>>,
    scored: usize,
    week: &str,
    s: &HotspotSettings,
) -> Vec<Hotspot> {
    let mut by_category: BTreeMap<&str, HashMap<(i64, i64), &Vec<i64>>> = BTreeMap::new();
    for ((kind, area, category), v) in series {
        if kind == "grid"
            && v[scored] >= s.min_cell_count
            && let Some(cell) = parse_cell(area)
        {
            by_category.entry(category).or_default().insert(cell, v);
        }
    }
    let mut out = Vec::new();
    for (category, cells) in by_category {
        let mut seen: HashSet<(i64, i64)> = HashSet::new();
        let mut starts: Vec<_> = cells.keys().copied().collect();
        starts.sort();
        for start in starts {
            if !seen.insert(start) {
                continue;
            }
            let mut members = vec![start];
            let mut i = 0;
            while i < members.len() {
                let (a, b) = members[i];
                for da in -1..=1 {
                    for db in -1..=1 {
                        let n = (a + da, b + db);
                        if cells.contains_key(&n) && seen.insert(n) {
                            members.push(n);
                        }
                    }
                }
                i += 1;
            }
            let mut total = vec![0i64; cells[&start].len()];
            for m in &members {
                for (t, x) in total.iter_mut().zip(cells[m].iter()) {
                    *t += x;
                }
            }
            if total[scored] < s.min_count {
                continue;
            }
            let (z, mean) = score(
                total[scored],
                &total[scored - s.baseline_weeks as usize..scored],
            );
            if z < s.min_score {
                continue;
            }
            members.sort();
            let weight: f64 = members.iter().map(|m| cells[m][scored] as f64).sum();
            let centre = |f: fn(&(i64, i64)) -> i64| {
                members
                    .iter()
                    .map(|m| (f(m) as f64 + 0.5) / 100.0 * cells[m][scored] as f64)
                    .sum::<f64>()
                    / weight
            };
            let min = |f: fn(&(i64, i64)) -> i64| members.iter().map(f).min().unwrap_or(0);
            let max = |f: fn(&(i64, i64)) -> i64| members.iter().map(f).max().unwrap_or(0);
            let names: Vec<String> = members.iter().map(|(a, b)| format!("{a}:{b}")).collect();
            out.push(Hotspot {
                kind: "cluster",
                week: week.to_string(),
                area: names[0].clone(),
                cells: names,
                category: category.to_string(),
                count: total[scored],
                expected: mean,
                score: z,
                lat: Some(centre(|m| m.0)),
                lon: Some(centre(|m| m.1)),
                bbox: Some([
                    min(|m| m.0) as f64 / 100.0,
                    min(|m| m.1) as f64 / 100.0,
                    (max(|m| m.0) + 1) as f64 / 100.0,
                    (max(|m| m.1) + 1) as f64 / 100.0,
                ]),
            });
        }
    }
    out
}

/// One appeal behind a hotspot (no personal data: supervisors see what the problem is).
#[derive(Debug, Clone, serde::Serialize)]
pub struct HotspotAppeal {
    pub id: String,
    pub reg_no: String,
    pub registered_on: String,
    pub status: String,
    pub org_id: String,
    pub category_id: String,
    pub kato: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub text: String,
    pub sensitive: Option<String>,
}

/// The appeals behind a hotspot: registered in the week, of the top category, in the district
/// or in the cells.
pub async fn hotspot_appeals(
    db: &Db,
    week: NaiveDate,
    category: &str,
    district: Option<&tyndau_core::ids::Kato>,
    cells: &[(i64, i64)],
    limit: i64,
) -> ServiceResult<Vec<HotspotAppeal>> {
    let week = week_of(week);
    let mut sql = String::from(
        "SELECT id, reg_no, registered_on, status, org_id, category_id, kato, lat, lon, text, sensitive \
         FROM appeals WHERE registered_on >= $1 AND registered_on < $2 \
         AND (category_id = $3 OR category_id LIKE $4)",
    );
    let text = |s: String| Arg::Text(Some(s));
    let real = |v: i64| Arg::Real(Some(v as f64 / 100.0));
    let mut args: Vec<Arg> = vec![
        text(week.to_string()),
        text((week + Duration::weeks(1)).to_string()),
        text(category.to_string()),
        text(format!("{category}.%")),
    ];
    if let Some(d) = district {
        args.push(text(format!("{}%", &d.code()[..4])));
        sql.push_str(&format!(" AND kato LIKE ${}", args.len()));
    }
    if !cells.is_empty() {
        let mut any = Vec::new();
        for (a, b) in cells {
            let n = args.len();
            any.push(format!(
                "(lat >= ${} AND lat <= ${} AND lon >= ${} AND lon <= ${})",
                n + 1,
                n + 2,
                n + 3,
                n + 4
            ));
            // A hair wider than the cell: a point on its edge is decided by `grid_cell` below,
            // the same rule that counted it.
            args.extend([
                Arg::Real(Some(*a as f64 / 100.0 - 1e-9)),
                real(*a + 1),
                Arg::Real(Some(*b as f64 / 100.0 - 1e-9)),
                real(*b + 1),
            ]);
        }
        sql.push_str(&format!(" AND ({})", any.join(" OR ")));
    }
    // Room for the points the exact cell test below drops, so the limit counts what is kept.
    args.push(Arg::from(if cells.is_empty() { limit } else { limit * 2 }));
    sql.push_str(&format!(" ORDER BY received_at DESC LIMIT ${}", args.len()));
    let rows = crate::db::bind_args(sqlx::query(&sql), &args)
        .fetch_all(&db.read)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| HotspotAppeal {
            id: r.get(0),
            reg_no: r.get(1),
            registered_on: r.get(2),
            status: r.get(3),
            org_id: r.get(4),
            category_id: r.get(5),
            kato: r.get(6),
            lat: r.get(7),
            lon: r.get(8),
            text: r.get(9),
            sensitive: r.get(10),
        })
        .filter(|a| {
            // A point exactly on a cell's upper edge belongs to the next cell, as in `grid_cell`.
            cells.is_empty()
                || a.lat
                    .zip(a.lon)
                    .is_some_and(|(la, lo)| cells.contains(&grid_cell(la, lo)))
        })
        .take(limit as usize)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_steady_busy_series_is_not_hot_and_a_sudden_rise_is() {
        let busy = [20, 22, 18, 21, 19, 20, 23, 17, 20, 21, 19, 20];
        assert!(score(22, &busy).0 < 3.0);
        assert!(score(40, &busy).0 >= 3.0);
        let quiet = [2, 1, 3, 2, 2, 1, 2, 3, 2, 2, 1, 2];
        assert!(score(30, &quiet).0 > 10.0);
        // An area that was empty scores its count.
        assert_eq!(score(6, &[0; 12]).0, 6.0);
    }

    #[test]
    fn weeks_start_on_monday_and_cells_floor() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(week_of(d("2026-11-22")), d("2026-11-16"));
        assert_eq!(week_of(d("2026-11-16")), d("2026-11-16"));
        assert_eq!(grid_cell(43.2389, 76.8897), (4323, 7688));
        assert_eq!(grid_cell(-0.001, -0.001), (-1, -1));
    }
}
