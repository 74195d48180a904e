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
use tyndau_core::access::{self, AppealScope, ListScope, Principal};

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

/// How many days back `sweep_unindexed` looks for appeals the cursor passed by.
pub const SWEEP_DAYS: i64 = 2;

/// Which pending appeals a pass takes.
enum Pass<'a> {
    /// From the cursor (less the settling window), in id order; moves the cursor.
    Cursor,
    /// Appeals registered from this day on that have no row yet, wherever their id lies; leaves
    /// the cursor alone.
    Sweep(&'a str),
}

/// Indexes up to `batch` appeals not indexed yet, in registration order; returns how many.
/// `threshold` is the estimated Jaccard similarity from which two appeals are grouped.
pub async fn index_pending(db: &Db, threshold: f64, batch: i64) -> ServiceResult<usize> {
    index_pass(db, threshold, batch, Pass::Cursor).await
}

/// The slow sweep behind `index_pending`: indexes up to `batch` appeals registered from `since`
/// on that have no `appeal_similarity` row, whatever their id. The cursor pass only looks
/// `SETTLE_MS` behind its cursor, so an appeal whose registration commits later than that (a
/// registrar backlog, a stalled writer) would otherwise never be indexed. Bounded per call; the
/// worker runs it now and then (`workers::spawn_similarity`). Returns how many were indexed.
pub async fn sweep_unindexed(
    db: &Db,
    threshold: f64,
    since: NaiveDate,
    batch: i64,
) -> ServiceResult<usize> {
    let since = since.to_string();
    index_pass(db, threshold, batch, Pass::Sweep(&since)).await
}

async fn index_pass(db: &Db, threshold: f64, batch: i64, pass: Pass<'_>) -> ServiceResult<usize> {
    let now = now_ms();
    // Everything that only reads is done before the write transaction: on SQLite that holds the
    // one write lock registrations also queue for, so it should only write. What was read stays
    // valid while no other indexer commits, which `MAX(seq)` tells (read first, so a commit
    // after it shows up as a change).
    let mut read = db.read.acquire().await?;
    let seen_seq = max_seq(&mut read).await?;
    let rows = match pass {
        Pass::Cursor => {
            let (cursor,): (String,) =
                sqlx::query_as("SELECT last_appeal_id FROM similarity_cursor WHERE id = 1")
                    .fetch_one(&mut *read)
                    .await?;
            let lower = cursor.min(uuid_floor(now - SETTLE_MS));
            sqlx::query(
                "SELECT a.id, a.registered_on, a.text_norm FROM appeals a \
                 WHERE a.id > $1 AND NOT EXISTS (SELECT 1 FROM appeal_similarity s WHERE s.appeal_id = a.id) \
                 ORDER BY a.id LIMIT $2",
            )
            .bind(&lower)
            .bind(batch.max(1))
            .fetch_all(&mut *read)
            .await?
        }
        // Over the index `appeals_registered`: two days of appeals, each probed once in the
        // unique index of `appeal_similarity`.
        Pass::Sweep(since) => {
            sqlx::query(
                "SELECT a.id, a.registered_on, a.text_norm FROM appeals a \
                 WHERE a.registered_on >= $1 AND NOT EXISTS (SELECT 1 FROM appeal_similarity s WHERE s.appeal_id = a.id) \
                 ORDER BY a.id LIMIT $2",
            )
            .bind(since)
            .bind(batch.max(1))
            .fetch_all(&mut *read)
            .await?
        }
    };
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
    if let Pass::Cursor = pass {
        let last = pending.iter().map(|p| p.id.as_str()).max().unwrap_or("");
        sqlx::query(
            "UPDATE similarity_cursor SET last_appeal_id = $1 WHERE id = 1 AND last_appeal_id < $1",
        )
        .bind(last)
        .execute(&mut *tx)
        .await?;
    }
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

/// The condition over `a` (the appeals table) that keeps the appeals `principal` may read, as
/// `access::list_scope` says (the list form of `access::decide(Op::Read)`), with its arguments
/// numbered from `$first`: empty for those who read every appeal, `None` for one who reads none.
fn read_scope(principal: &Principal, first: usize) -> Option<(String, Vec<String>)> {
    match access::list_scope(principal) {
        ListScope::All => Some((String::new(), vec![])),
        ListScope::Applicant(u) => Some((format!(" AND a.applicant_id = ${first}"), vec![u])),
        ListScope::Orgs(orgs) if orgs.is_empty() => None,
        ListScope::Orgs(orgs) => {
            let list = (first..first + orgs.len())
                .map(|i| format!("${i}"))
                .collect::<Vec<_>>()
                .join(",");
            Some((format!(" AND a.org_id IN ({list})"), orgs))
        }
    }
}

/// `$first, $first+1, …` for `n` values.
fn numbered(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// The group of an indexed appeal and the appeal's own signature (`None` for a text without
/// words). `None` while the appeal is not indexed yet.
async fn group_and_signature(
    db: &Db,
    appeal_id: &str,
) -> ServiceResult<Option<(String, Option<Signature>)>> {
    let g: Option<(String, Option<Vec<u8>>)> =
        sqlx::query_as("SELECT group_id, signature FROM appeal_similarity WHERE appeal_id = $1")
            .bind(appeal_id)
            .fetch_optional(&db.read)
            .await?;
    Ok(g.map(|(group, sig)| (group, sig.as_deref().and_then(Signature::from_bytes))))
}

/// How many appeals of `group_id`, `except` left out, `principal` may read: one COUNT.
async fn count_readable(
    db: &Db,
    principal: &Principal,
    group_id: &str,
    except: &str,
) -> ServiceResult<i64> {
    let Some((cond, args)) = read_scope(principal, 3) else {
        return Ok(0);
    };
    // Those who read everything count over the group index alone.
    let from = if cond.is_empty() {
        "appeal_similarity s"
    } else {
        "appeal_similarity s JOIN appeals a ON a.id = s.appeal_id"
    };
    let sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM {from} \
         WHERE s.group_id = $1 AND s.appeal_id <> $2{cond}"
    );
    let mut q = sqlx::query_as::<_, (i64,)>(&sql)
        .bind(group_id)
        .bind(except);
    for a in args {
        q = q.bind(a);
    }
    Ok(q.fetch_one(&db.read).await?.0)
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
    /// One page of those (`limit` from `offset`), in registration order, with their estimated
    /// similarity to this appeal.
    pub items: Vec<(AppealRow, Option<f64>)>,
}

/// The appeals grouped with `appeal_id` that `principal` may read (`access::list_scope`, the
/// rule of single reads as a list condition): counted in SQL, and one page of them read. The
/// caller has already checked that the principal may read `appeal_id`.
pub async fn similar_to(
    db: &Db,
    principal: &Principal,
    appeal_id: &str,
    limit: usize,
    offset: usize,
) -> ServiceResult<Similar> {
    let Some((group_id, mine)) = group_and_signature(db, appeal_id).await? else {
        return Ok(Similar {
            indexed: false,
            group_id: None,
            group_size: 0,
            visible: 0,
            items: vec![],
        });
    };
    let (group_size,): (i64,) = sqlx::query_as(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM appeal_similarity WHERE group_id = $1",
    )
    .bind(&group_id)
    .fetch_one(&db.read)
    .await?;
    let visible = count_readable(db, principal, &group_id, appeal_id).await?;
    let mut items = Vec::new();
    if let Some((cond, args)) = read_scope(principal, 3)
        && visible > offset as i64
        && limit > 0
    {
        let cols = APPEAL_COLS
            .iter()
            .map(|c| format!("a.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = similar_page_sql(&cols, &cond, limit, offset);
        let mut q = sqlx::query(&sql).bind(&group_id).bind(appeal_id);
        for a in args {
            q = q.bind(a);
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
    Ok(Similar {
        indexed: true,
        group_id: Some(group_id),
        group_size,
        visible,
        items,
    })
}

/// One page of a group's appeals in indexing order: the index `appeal_similarity_group_seq`
/// gives the group in that order, so a page costs its offset and limit, not a sort of the
/// group. Integers are rendered into the statement: typed numbers, never text from the request.
fn similar_page_sql(cols: &str, cond: &str, limit: usize, offset: usize) -> String {
    format!(
        "SELECT {cols}, s.signature AS sim_signature FROM appeal_similarity s \
         JOIN appeals a ON a.id = s.appeal_id WHERE s.group_id = $1 AND s.appeal_id <> $2{cond} \
         ORDER BY s.seq LIMIT {limit} OFFSET {offset}"
    )
}

/// How many other appeals of its group `principal` may read (the "N similar appeals" line on
/// every official's appeal page): one COUNT under the caller's scope, never the group's rows.
pub async fn similar_count(db: &Db, principal: &Principal, appeal_id: &str) -> ServiceResult<i64> {
    let Some((cond, args)) = read_scope(principal, 3) else {
        return Ok(0);
    };
    let from = if cond.is_empty() {
        "appeal_similarity s"
    } else {
        "appeal_similarity s JOIN appeals a ON a.id = s.appeal_id"
    };
    let sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM {from} \
         WHERE s.group_id = (SELECT g.group_id FROM appeal_similarity g WHERE g.appeal_id = $1) \
         AND s.appeal_id <> $2{cond}"
    );
    let mut q = sqlx::query_as::<_, (i64,)>(&sql)
        .bind(appeal_id)
        .bind(appeal_id);
    for a in args {
        q = q.bind(a);
    }
    Ok(q.fetch_one(&db.read).await?.0)
}

/// One appeal of a group that a principal may read, as a group answer needs it.
#[derive(Debug, Clone)]
pub struct GroupMember {
    pub appeal_id: String,
    pub reg_no: String,
    pub org_id: String,
    pub applicant_id: Option<String>,
    pub status: String,
    /// The estimated Jaccard similarity of its signature with the chosen appeal's own (1 for
    /// the chosen appeal itself); `None` when either text has no words to compare.
    pub similarity: Option<f64>,
    seq: i64,
}

impl GroupMember {
    pub fn scope(&self) -> AppealScope<'_> {
        AppealScope {
            applicant_user_id: self.applicant_id.as_deref(),
            org_id: &self.org_id,
        }
    }
}

/// The appeals of a chosen appeal's group that a principal may read, for a group answer.
#[derive(Debug, Clone)]
pub struct AnswerGroup {
    pub group_id: String,
    /// In registration order, the chosen appeal included (when asked for).
    pub members: Vec<GroupMember>,
    /// Appeals asked for (the whole group, or `only`) that the principal may not read, or
    /// (with `only`) that are not in the group at all.
    pub hidden: i64,
}

/// A group's members with what a group answer needs; read in indexing order (`seq`) through
/// the index `appeal_similarity_group_seq`, so a large group is streamed without a sort.
const GROUP_MEMBERS: &str = "SELECT s.seq, a.id, a.reg_no, a.org_id, a.applicant_id, a.status, s.signature \
     FROM appeal_similarity s JOIN appeals a ON a.id = s.appeal_id WHERE s.group_id = $1";

/// The group of `appeal_id` as `principal` may read it, each member with its similarity to
/// `appeal_id` itself: group membership is single-linkage (A~B and B~C put A and C together),
/// so the caller decides by this, not by the group, what is a near-duplicate of the chosen
/// appeal. With `only`, just those appeals (duplicates ignored). Rows are streamed and only
/// what an answer needs is kept. `None` while the appeal is not indexed yet.
pub async fn group_for_answer(
    db: &Db,
    principal: &Principal,
    appeal_id: &str,
    only: Option<&[String]>,
) -> ServiceResult<Option<AnswerGroup>> {
    use futures::TryStreamExt;
    let Some((group_id, mine)) = group_and_signature(db, appeal_id).await? else {
        return Ok(None);
    };
    let member = |r: &sqlx::any::AnyRow| -> sqlx::Result<GroupMember> {
        let id: String = r.try_get(1)?;
        let sig: Option<Vec<u8>> = r.try_get(6)?;
        let similarity = match (&mine, sig.as_deref().and_then(Signature::from_bytes)) {
            (Some(a), Some(b)) => Some(a.jaccard(&b)),
            _ => None,
        };
        Ok(GroupMember {
            similarity: if id == appeal_id {
                Some(1.0)
            } else {
                similarity
            },
            appeal_id: id,
            reg_no: r.try_get(2)?,
            org_id: r.try_get(3)?,
            applicant_id: r.try_get(4)?,
            status: r.try_get(5)?,
            seq: r.try_get(0)?,
        })
    };
    let select = GROUP_MEMBERS;
    let mut members = Vec::new();
    let asked = match only {
        Some(ids) => {
            let ids: Vec<&str> = ids
                .iter()
                .map(String::as_str)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            if let Some((cond, args)) = read_scope(principal, 2) {
                for chunk in ids.chunks(200) {
                    let sql = format!(
                        "{select}{cond} AND s.appeal_id IN ({})",
                        numbered(2 + args.len(), chunk.len())
                    );
                    let mut q = sqlx::query(&sql).bind(&group_id);
                    for a in &args {
                        q = q.bind(a);
                    }
                    for id in chunk {
                        q = q.bind(*id);
                    }
                    for r in q.fetch_all(&db.read).await? {
                        members.push(member(&r)?);
                    }
                }
            }
            members.sort_by_key(|m| m.seq);
            ids.len() as i64
        }
        None => {
            if let Some((cond, args)) = read_scope(principal, 2) {
                let sql = format!("{select}{cond} ORDER BY s.seq");
                let mut q = sqlx::query(&sql).bind(&group_id);
                for a in &args {
                    q = q.bind(a);
                }
                // Streamed: a campaign of 100,000 keeps 100,000 small records, not their rows.
                let mut rows = q.fetch(&db.read);
                while let Some(r) = rows.try_next().await? {
                    members.push(member(&r)?);
                }
            }
            let (size,): (i64,) = sqlx::query_as(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM appeal_similarity WHERE group_id = $1",
            )
            .bind(&group_id)
            .fetch_one(&db.read)
            .await?;
            size
        }
    };
    Ok(Some(AnswerGroup {
        hidden: (asked - members.len() as i64).max(0),
        group_id,
        members,
    }))
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

/// The start of a text for lists: at most 240 characters, with "…" when cut.
pub fn excerpt(text: &str) -> String {
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

    /// Both reads of a group in order go through the (group, seq) index without sorting: the
    /// page of similar appeals (for an official, whose scope adds a condition on the appeal)
    /// and a group answer's members.
    #[tokio::test]
    async fn a_group_is_read_in_order_from_its_index() {
        use sqlx::Row;
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&format!("sqlite://{}/t.db?mode=rwc", dir.path().display()))
            .await
            .unwrap();
        db.migrate().await.unwrap();
        let queries = [
            (
                similar_page_sql("a.id", " AND a.org_id IN ($3)", 200, 400),
                3,
            ),
            (similar_page_sql("a.id", "", 200, 0), 2),
            (format!("{GROUP_MEMBERS} ORDER BY s.seq"), 1),
        ];
        for (sql, params) in queries {
            let explain = format!("EXPLAIN QUERY PLAN {sql}");
            let mut q = sqlx::query(&explain);
            for p in ["g", "x", "org"].into_iter().take(params) {
                q = q.bind(p);
            }
            let plan: Vec<String> = q
                .fetch_all(&db.read)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get::<String, _>(3))
                .collect();
            assert!(
                plan.iter()
                    .any(|p| p.contains("appeal_similarity_group_seq")),
                "{sql}: {plan:?}"
            );
            assert!(
                !plan.iter().any(|p| p.contains("TEMP B-TREE")),
                "{sql}: {plan:?}"
            );
        }
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
