//! Near-duplicate appeals: the background indexer that groups mass campaigns and links repeated
//! appeals, and the reads behind "N similar appeals" and the supervisors' campaign list.
//!
//! Registration does none of this work: `index_pending` runs after it, in a worker (or directly
//! in tests), over appeals that have no `appeal_similarity` row yet. Each batch is one
//! transaction — signatures, band index, group assignment, group merges and the cursor commit
//! together or not at all — so a crash leaves every appeal either fully indexed or pending, and
//! running it again is harmless.

use crate::appeals::{APPEAL_COLS, AppealRow};
use crate::db::{Db, now_ms, values_placeholders};
use crate::error::ServiceResult;
use chrono::NaiveDate;
use sqlx::{FromRow, Row};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use tyndau_analytics::minhash::Signature;
use tyndau_core::access::{self, AppealScope, Op, Principal};

/// Appeals whose id (a UUIDv7, time-ordered) is younger than this are always looked at again,
/// even behind the cursor: an id is drawn before its registration commits, so a registration
/// queued behind others can commit with an id lower than one already indexed.
const SETTLE_MS: i64 = 30_000;

/// At most this many earlier appeals are taken per band key, the most recent first. A campaign
/// of thousands shares its band keys; linking a new appeal to any member puts it in the group,
/// so the cap keeps the cost per appeal constant however large the campaign grows.
const PER_KEY: i64 = 32;

/// Band keys looked up per statement (one sub-select each, well under SQLite's compound limit).
const KEYS_PER_QUERY: usize = 16;

/// Default estimated Jaccard similarity from which two appeals are near-duplicates.
pub const DEFAULT_THRESHOLD: f64 = 0.7;

struct Pending {
    id: String,
    registered_on: String,
    sig: Option<Signature>,
    /// Filled while the batch is processed.
    group: String,
    best: Option<(String, f64)>,
}

struct Indexed {
    appeal_id: String,
    group_id: String,
    sig: Option<Signature>,
}

/// Groups merge into the earliest (lowest id): a union-find over group ids.
#[derive(Default)]
struct Groups {
    parent: HashMap<String, String>,
}

impl Groups {
    fn find(&mut self, g: &str) -> String {
        let mut root = g.to_string();
        while let Some(p) = self.parent.get(&root) {
            if *p == root {
                break;
            }
            root = p.clone();
        }
        // Path compression: later look-ups of this group go straight to its root.
        let mut at = g.to_string();
        while at != root {
            let next = self.parent.insert(at.clone(), root.clone());
            match next {
                Some(n) if n != at => at = n,
                _ => break,
            }
        }
        root
    }

    fn union_into(&mut self, g: &str, target: &str) {
        let r = self.find(g);
        if r != target {
            self.parent.insert(r, target.to_string());
        }
    }
}

/// The smallest UUIDv7 text of the millisecond `ms`: ids compare as text in time order.
fn uuid_floor(ms: i64) -> String {
    let ms = ms.max(0) as u64;
    format!(
        "{:08x}-{:04x}-0000-0000-000000000000",
        (ms >> 16) & 0xffff_ffff,
        ms & 0xffff
    )
}

/// Indexes up to `batch` appeals not indexed yet, in registration order; returns how many.
/// `threshold` is the estimated Jaccard similarity from which two appeals are grouped.
pub async fn index_pending(db: &Db, threshold: f64, batch: i64) -> ServiceResult<usize> {
    let now = now_ms();
    // Everything that only reads is done before the write transaction: on SQLite that holds the
    // one write lock registrations also queue for, so it should only write. What was read stays
    // valid while no other indexer commits, which `MAX(seq)` tells (read first, so a commit
    // after it shows up as a change).
    let mut read = db.read.acquire().await?;
    let seen_seq = max_seq(&mut read).await?;
    let (cursor,): (String,) =
        sqlx::query_as("SELECT last_appeal_id FROM similarity_cursor WHERE id = 1")
            .fetch_one(&mut *read)
            .await?;
    let lower = cursor.min(uuid_floor(now - SETTLE_MS));
    let rows = sqlx::query(
        "SELECT a.id, a.registered_on, a.text_norm FROM appeals a \
         WHERE a.id > $1 AND NOT EXISTS (SELECT 1 FROM appeal_similarity s WHERE s.appeal_id = a.id) \
         ORDER BY a.id LIMIT $2",
    )
    .bind(&lower)
    .bind(batch.max(1))
    .fetch_all(&mut *read)
    .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let mut pending: Vec<Pending> = rows
        .iter()
        .map(|r| {
            let id: String = r.get(0);
            Pending {
                group: id.clone(),
                id,
                registered_on: r.get(1),
                sig: Signature::of(r.get::<&str, _>(2)),
                best: None,
            }
        })
        .collect();
    let mut found = lookup(&mut read, &pending).await?;
    drop(read);

    let mut tx = db.begin_write().await?;
    // The first write takes the cursor row's lock (PostgreSQL; SQLite's BEGIN IMMEDIATE already
    // holds the database's): a second indexer waits here.
    sqlx::query("UPDATE similarity_cursor SET updated_at = $1 WHERE id = 1")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let max_seq = max_seq(&mut tx).await?;
    if max_seq != seen_seq {
        // Another indexer committed meanwhile: drop what it did and read again under the lock.
        let ids: Vec<&str> = pending.iter().map(|p| p.id.as_str()).collect();
        let done: HashSet<String> = select_in(
            &mut tx,
            "SELECT appeal_id FROM appeal_similarity WHERE appeal_id IN",
            &ids,
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
        pending.retain(|p| !done.contains(&p.id));
        if pending.is_empty() {
            tx.commit().await?;
            return Ok(0);
        }
        found = lookup(&mut tx, &pending).await?;
    }
    let Found { by_key, indexed } = found;

    // Assign groups in registration order; earlier members of this batch are candidates too.
    let mut groups = Groups::default();
    let mut batch_keys: HashMap<i64, Vec<usize>> = HashMap::new();
    for i in 0..pending.len() {
        let Some(sig) = pending[i].sig.clone() else {
            continue;
        };
        let keys = sig.band_keys();
        let mut matches: Vec<(String, String, f64)> = Vec::new();
        let mut seen: HashSet<i64> = HashSet::new();
        for k in &keys {
            for seq in by_key.get(k).into_iter().flatten() {
                if !seen.insert(*seq) {
                    continue;
                }
                if let Some(e) = indexed.get(seq)
                    && let Some(es) = &e.sig
                {
                    let j = sig.jaccard(es);
                    if j >= threshold {
                        matches.push((e.appeal_id.clone(), e.group_id.clone(), j));
                    }
                }
            }
        }
        let mut seen_batch: HashSet<usize> = HashSet::new();
        for k in &keys {
            for &o in batch_keys.get(k).into_iter().flatten() {
                if !seen_batch.insert(o) {
                    continue;
                }
                let other = &pending[o];
                if let Some(os) = &other.sig {
                    let j = sig.jaccard(os);
                    if j >= threshold {
                        matches.push((other.id.clone(), other.group.clone(), j));
                    }
                }
            }
        }
        for k in keys {
            batch_keys.entry(k).or_default().push(i);
        }
        let mut target = pending[i].id.clone();
        for (_, g, _) in &matches {
            let r = groups.find(g);
            if r < target {
                target = r;
            }
        }
        for (_, g, _) in &matches {
            groups.union_into(g, &target);
        }
        groups.union_into(&pending[i].id.clone(), &target);
        pending[i].group = target;
        pending[i].best = matches
            .into_iter()
            .max_by(|a, b| a.2.total_cmp(&b.2).then_with(|| b.0.cmp(&a.0)))
            .map(|(id, _, j)| (id, j));
    }

    // New rows, with every group resolved to its final (earliest) root.
    for (c, chunk) in pending.chunks(50).enumerate() {
        let sql = format!(
            "INSERT INTO appeal_similarity (seq, appeal_id, registered_on, signature, group_id, match_id, similarity, indexed_at) VALUES {}",
            values_placeholders(db.backend, chunk.len(), 8)
        );
        let mut q = sqlx::query(&sql);
        for (i, p) in chunk.iter().enumerate() {
            let seq = max_seq + 1 + (c * 50 + i) as i64;
            q = q
                .bind(seq)
                .bind(p.id.clone())
                .bind(p.registered_on.clone())
                .bind(p.sig.as_ref().map(Signature::to_bytes))
                .bind(groups.find(&p.group))
                .bind(p.best.as_ref().map(|b| b.0.clone()));
            // A NULL f64 must go as f32 through sqlx's Any driver (see `db::bind_arg`).
            q = match &p.best {
                Some(b) => q.bind(b.1),
                None => q.bind(None::<f32>),
            };
            q = q.bind(now);
        }
        q.execute(&mut *tx).await?;
    }
    let bands: Vec<(i64, i64)> = pending
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.sig.as_ref().map(|s| (max_seq + 1 + i as i64, s)))
        .flat_map(|(seq, s)| s.band_keys().into_iter().map(move |k| (k, seq)))
        .collect();
    for chunk in bands.chunks(250) {
        let sql = format!(
            "INSERT INTO similarity_bands (band_key, seq) VALUES {}",
            values_placeholders(db.backend, chunk.len(), 2)
        );
        let mut q = sqlx::query(&sql);
        for (k, s) in chunk {
            q = q.bind(*k).bind(*s);
        }
        q.execute(&mut *tx).await?;
    }
    // Earlier groups joined by this batch move into the earliest one.
    let old: BTreeSet<String> = indexed.values().map(|e| e.group_id.clone()).collect();
    for g in old {
        let root = groups.find(&g);
        if root != g {
            sqlx::query("UPDATE appeal_similarity SET group_id = $1 WHERE group_id = $2")
                .bind(&root)
                .bind(&g)
                .execute(&mut *tx)
                .await?;
        }
    }
    let last = pending.iter().map(|p| p.id.as_str()).max().unwrap_or("");
    sqlx::query(
        "UPDATE similarity_cursor SET last_appeal_id = $1 WHERE id = 1 AND last_appeal_id < $1",
    )
    .bind(last)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(pending.len())
}

async fn max_seq(conn: &mut sqlx::AnyConnection) -> sqlx::Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(seq), 0) FROM appeal_similarity")
        .fetch_one(conn)
        .await?;
    Ok(n)
}

/// Earlier appeals sharing a band key with the batch, and their signatures and groups.
struct Found {
    by_key: HashMap<i64, Vec<i64>>,
    indexed: HashMap<i64, Indexed>,
}

async fn lookup(conn: &mut sqlx::AnyConnection, pending: &[Pending]) -> sqlx::Result<Found> {
    // Every band key of the batch, once.
    let keys: BTreeSet<i64> = pending
        .iter()
        .filter_map(|p| p.sig.as_ref())
        .flat_map(|s| s.band_keys())
        .collect();
    let keys: Vec<i64> = keys.into_iter().collect();
    let mut by_key: HashMap<i64, Vec<i64>> = HashMap::new();
    for chunk in keys.chunks(KEYS_PER_QUERY) {
        let sql = chunk
            .iter()
            .enumerate()
            .map(|(i, _)| {
                format!(
                    "SELECT * FROM (SELECT band_key, seq FROM similarity_bands WHERE band_key = ${} \
                     ORDER BY seq DESC LIMIT {PER_KEY}) k{i}",
                    i + 1
                )
            })
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let mut q = sqlx::query(&sql);
        for k in chunk {
            q = q.bind(*k);
        }
        for r in q.fetch_all(&mut *conn).await? {
            by_key.entry(r.get(0)).or_default().push(r.get(1));
        }
    }
    let seqs: BTreeSet<i64> = by_key.values().flatten().copied().collect();
    let seqs: Vec<String> = seqs.into_iter().map(|s| s.to_string()).collect();
    let mut indexed: HashMap<i64, Indexed> = HashMap::new();
    for chunk in seqs.chunks(200) {
        // Integers rendered into the statement: they come from our own table, never from input.
        let sql = format!(
            "SELECT seq, appeal_id, group_id, signature FROM appeal_similarity WHERE seq IN ({})",
            chunk.join(",")
        );
        for r in sqlx::query(&sql).fetch_all(&mut *conn).await? {
            let sig: Option<Vec<u8>> = r.get(3);
            indexed.insert(
                r.get(0),
                Indexed {
                    appeal_id: r.get(1),
                    group_id: r.get(2),
                    sig: sig.as_deref().and_then(Signature::from_bytes),
                },
            );
        }
    }
    Ok(Found { by_key, indexed })
}

/// Runs `index_pending` until nothing is left (tests, and the demo loader).
pub async fn index_all(db: &Db, threshold: f64) -> ServiceResult<usize> {
    let mut total = 0;
    loop {
        let n = index_pending(db, threshold, 500).await?;
        if n == 0 {
            return Ok(total);
        }
        total += n;
    }
}

async fn select_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    prefix: &str,
    values: &[&str],
) -> sqlx::Result<Vec<sqlx::any::AnyRow>> {
    let mut out = Vec::new();
    for chunk in values.chunks(200) {
        let list = (1..=chunk.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!("{prefix} ({list})");
        let mut q = sqlx::query(&sql);
        for v in chunk {
            q = q.bind(*v);
        }
        out.extend(q.fetch_all(&mut **tx).await?);
    }
    Ok(out)
}

/// One member of a group, as much as access decisions need.
#[derive(Debug, Clone)]
pub struct Member {
    pub appeal_id: String,
    pub org_id: String,
    pub applicant_id: Option<String>,
}

impl Member {
    pub fn scope(&self) -> AppealScope<'_> {
        AppealScope {
            applicant_user_id: self.applicant_id.as_deref(),
            org_id: &self.org_id,
        }
    }
}

/// The group of an appeal: its id and every member in registration order (the appeal itself
/// included). `None` while the appeal is not indexed yet.
pub async fn group_of(db: &Db, appeal_id: &str) -> ServiceResult<Option<(String, Vec<Member>)>> {
    let g: Option<(String,)> =
        sqlx::query_as("SELECT group_id FROM appeal_similarity WHERE appeal_id = $1")
            .bind(appeal_id)
            .fetch_optional(&db.read)
            .await?;
    let Some((group_id,)) = g else {
        return Ok(None);
    };
    let rows = sqlx::query(
        "SELECT a.id, a.org_id, a.applicant_id FROM appeal_similarity s JOIN appeals a ON a.id = s.appeal_id \
         WHERE s.group_id = $1 ORDER BY s.seq",
    )
    .bind(&group_id)
    .fetch_all(&db.read)
    .await?;
    let members = rows
        .iter()
        .map(|r| Member {
            appeal_id: r.get(0),
            org_id: r.get(1),
            applicant_id: r.get(2),
        })
        .collect();
    Ok(Some((group_id, members)))
}

/// Appeals similar to one appeal, as a principal may see them.
#[derive(Debug, Clone)]
pub struct Similar {
    /// `false` until the indexer has reached the appeal.
    pub indexed: bool,
    pub group_id: Option<String>,
    /// Appeals in the group, the appeal itself included, whoever may see them.
    pub group_size: i64,
    /// Other appeals of the group the principal may read.
    pub visible: i64,
    /// The first `limit` of those, in registration order, with their estimated similarity to
    /// this appeal.
    pub items: Vec<(AppealRow, Option<f64>)>,
}

/// The appeals grouped with `appeal_id` that `principal` may read (`access::decide`, the rule of
/// single reads). The caller has already checked that the principal may read `appeal_id`.
pub async fn similar_to(
    db: &Db,
    principal: &Principal,
    appeal_id: &str,
    limit: usize,
) -> ServiceResult<Similar> {
    let Some((group_id, members)) = group_of(db, appeal_id).await? else {
        return Ok(Similar {
            indexed: false,
            group_id: None,
            group_size: 0,
            visible: 0,
            items: vec![],
        });
    };
    let visible: Vec<&Member> = members
        .iter()
        .filter(|m| m.appeal_id != appeal_id && access::decide(principal, Op::Read, &m.scope()))
        .collect();
    let shown: Vec<&str> = visible
        .iter()
        .take(limit)
        .map(|m| m.appeal_id.as_str())
        .collect();
    let mut items = Vec::new();
    if !shown.is_empty() {
        let mine: Option<(Option<Vec<u8>>,)> =
            sqlx::query_as("SELECT signature FROM appeal_similarity WHERE appeal_id = $1")
                .bind(appeal_id)
                .fetch_optional(&db.read)
                .await?;
        let mine = mine
            .and_then(|m| m.0)
            .and_then(|b| Signature::from_bytes(&b));
        let cols = APPEAL_COLS
            .iter()
            .map(|c| format!("a.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        for chunk in shown.chunks(200) {
            let list = (1..=chunk.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(",");
            let sql = format!(
                "SELECT {cols}, s.signature AS sim_signature FROM appeal_similarity s \
                 JOIN appeals a ON a.id = s.appeal_id WHERE s.appeal_id IN ({list}) ORDER BY s.seq"
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&db.read).await? {
                let row = AppealRow::from_row(&r)?;
                let sig: Option<Vec<u8>> = r.try_get("sim_signature")?;
                let est = match (&mine, sig.as_deref().and_then(Signature::from_bytes)) {
                    (Some(a), Some(b)) => Some(a.jaccard(&b)),
                    _ => None,
                };
                items.push((row, est));
            }
        }
    }
    Ok(Similar {
        indexed: true,
        group_id: Some(group_id),
        group_size: members.len() as i64,
        visible: visible.len() as i64,
        items,
    })
}

/// How many other appeals of its group `principal` may read (the "N similar appeals" line).
pub async fn similar_count(db: &Db, principal: &Principal, appeal_id: &str) -> ServiceResult<i64> {
    Ok(match group_of(db, appeal_id).await? {
        Some((_, members)) => members
            .iter()
            .filter(|m| m.appeal_id != appeal_id && access::decide(principal, Op::Read, &m.scope()))
            .count() as i64,
        None => 0,
    })
}

/// One mass campaign: a group of near-duplicate appeals registered in a period.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Campaign {
    /// The earliest appeal of the group (its id names the group).
    pub group_id: String,
    pub reg_no: String,
    /// The start of the earliest appeal's text.
    pub excerpt: String,
    pub language: String,
    /// Appeals of the group registered in the period.
    pub size: i64,
    pub first_registered_on: String,
    pub last_registered_on: String,
    /// Handling organisations, with how many of the group's appeals each has, most first.
    pub orgs: Vec<(String, i64)>,
}

const EXCERPT_CHARS: usize = 240;

/// The largest groups with at least `min_size` appeals registered from `from` to `to`.
pub async fn campaigns(
    db: &Db,
    from: NaiveDate,
    to: NaiveDate,
    min_size: i64,
    limit: i64,
) -> ServiceResult<Vec<Campaign>> {
    let rows = sqlx::query(
        "SELECT group_id, CAST(COUNT(*) AS BIGINT), MIN(registered_on), MAX(registered_on) \
         FROM appeal_similarity WHERE registered_on >= $1 AND registered_on <= $2 \
         GROUP BY group_id HAVING COUNT(*) >= $3 ORDER BY COUNT(*) DESC, group_id LIMIT $4",
    )
    .bind(from.to_string())
    .bind(to.to_string())
    .bind(min_size)
    .bind(limit)
    .fetch_all(&db.read)
    .await?;
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let mut out: Vec<Campaign> = rows
        .iter()
        .map(|r| Campaign {
            group_id: r.get(0),
            size: r.get(1),
            first_registered_on: r.get(2),
            last_registered_on: r.get(3),
            reg_no: String::new(),
            excerpt: String::new(),
            language: String::new(),
            orgs: vec![],
        })
        .collect();
    let ids: Vec<String> = out.iter().map(|c| c.group_id.clone()).collect();
    let list = |first: usize| {
        (first..first + ids.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(",")
    };
    let sql = format!(
        "SELECT s.group_id, a.org_id, CAST(COUNT(*) AS BIGINT) FROM appeal_similarity s \
         JOIN appeals a ON a.id = s.appeal_id \
         WHERE s.registered_on >= $1 AND s.registered_on <= $2 AND s.group_id IN ({}) \
         GROUP BY s.group_id, a.org_id",
        list(3)
    );
    let mut q = sqlx::query(&sql)
        .bind(from.to_string())
        .bind(to.to_string());
    for id in &ids {
        q = q.bind(id);
    }
    let mut orgs: BTreeMap<String, Vec<(String, i64)>> = BTreeMap::new();
    for r in q.fetch_all(&db.read).await? {
        orgs.entry(r.get(0)).or_default().push((r.get(1), r.get(2)));
    }
    let sql = format!(
        "SELECT id, reg_no, text, language FROM appeals WHERE id IN ({})",
        list(1)
    );
    let mut q = sqlx::query(&sql);
    for id in &ids {
        q = q.bind(id);
    }
    let mut first: HashMap<String, (String, String, String)> = HashMap::new();
    for r in q.fetch_all(&db.read).await? {
        first.insert(r.get(0), (r.get(1), r.get(2), r.get(3)));
    }
    for c in &mut out {
        if let Some((reg_no, text, lang)) = first.remove(&c.group_id) {
            c.reg_no = reg_no;
            c.excerpt = excerpt(&text);
            c.language = lang;
        }
        let mut o = orgs.remove(&c.group_id).unwrap_or_default();
        o.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        c.orgs = o;
    }
    Ok(out)
}

fn excerpt(text: &str) -> String {
    let mut s: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().count() > EXCERPT_CHARS {
        s.push('…');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_floor_orders_with_uuid_v7_ids() {
        let id = uuid::Uuid::now_v7().to_string();
        let now = now_ms();
        assert!(uuid_floor(now - 1000) < id);
        assert!(uuid_floor(now + 1000) > id);
        assert_eq!(uuid_floor(0), "00000000-0000-0000-0000-000000000000");
    }

    #[test]
    fn groups_merge_into_the_earliest() {
        let mut g = Groups::default();
        g.union_into("c", "b");
        g.union_into("b", "a");
        assert_eq!(g.find("c"), "a");
        assert_eq!(g.find("b"), "a");
        assert_eq!(g.find("z"), "z");
    }
}
