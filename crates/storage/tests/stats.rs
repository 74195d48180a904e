//! Statistics of appeals and petitions, on a fresh database: a SQLite file in a temporary
//! directory, or a new PostgreSQL database when TYNDAU_TEST_DB=postgres (TYNDAU_TEST_PG_URL,
//! default postgres://postgres@127.0.0.1:5432). Appeals are registered through `prepare` and
//! `insert_batch` with the seeded reference data; their later life is set with direct UPDATEs so
//! that answers can fall exactly on the edges of their due dates.

use chrono::{Duration, NaiveDate};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sqlx::Row;
use std::collections::HashMap;
use tyndau_core::appeal::{Channel, Form, Language};
use tyndau_core::deadlines::Terms;
use tyndau_core::ids::Kato;
use tyndau_core::petition::CollectionMode;
use tyndau_storage::appeals::{
    Actor, AppealRow, AppealSettings, Applicant, NewAppeal, Registered, insert_batch, prepare,
};
use tyndau_storage::db::Db;
use tyndau_storage::petitions::{self, NewPetition};
use tyndau_storage::reference::{Reference, seed_if_empty};
use tyndau_storage::stats::{
    AppealStats, Bucket, PetitionStats, StatsFilter, appeal_stats, petition_stats,
};
use tyndau_storage::users::{NewUser, create_user};

async fn open_db() -> (Db, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = if std::env::var("TYNDAU_TEST_DB").as_deref() == Ok("postgres") {
        let base = std::env::var("TYNDAU_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        let name = format!("tyndau_t_{}", uuid::Uuid::new_v4().simple());
        sqlx::any::install_default_drivers();
        let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(&format!("{base}/postgres"))
            .await
            .expect("PostgreSQL reachable for tests");
        sqlx::Executor::execute(&mut c, format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap();
        format!("{base}/{name}")
    } else {
        format!("sqlite://{}/t.db?mode=rwc", dir.path().display())
    };
    let db = Db::connect(&url).await.unwrap();
    db.migrate().await.unwrap();
    seed_if_empty(&db).await.unwrap();
    (db, dir)
}

/// Epoch ms of a local (UTC+5) time.
fn local_ms(day: NaiveDate, h: u32, m: u32) -> i64 {
    day.and_hms_opt(h, m, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
        - 5 * 3_600_000
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The last millisecond of `day` in local time.
fn end_of(day: &str) -> i64 {
    local_ms(date(day) + Duration::days(1), 0, 0) - 1
}

struct Spec {
    org: &'static str,
    category: &'static str,
    kato: Option<&'static str>,
    form: &'static str,
    channel: &'static str,
    language: &'static str,
    anonymous: bool,
    received_at: i64,
}

fn new_appeal(s: &Spec) -> NewAppeal {
    NewAppeal {
        category_suggested: None,
        form: Form::parse(s.form).unwrap(),
        channel: Channel::parse(s.channel).unwrap(),
        language: Some(Language::parse(s.language).unwrap()),
        applicant: if s.anonymous {
            Applicant::Anonymous
        } else {
            Applicant::Individual {
                user_id: None,
                name: "Айгерим Сапарова".into(),
                iin: None,
                email: None,
                phone: None,
                address: None,
                language: None,
            }
        },
        addressee_org_id: Some(s.org.into()),
        category_id: s.category.into(),
        kato: s.kato.map(|k| Kato::parse(k).unwrap()),
        lat: None,
        lon: None,
        text: "Прошу разобраться: во дворе дома нет отопления с начала месяца.".into(),
        attachments: vec![],
        reports_crime: false,
        received_at: s.received_at,
        submitted_by: None,
        accepted_by: Actor::system(),
        parent_appeal_id: None,
        idempotency: None,
    }
}

/// Registers the appeals through the real code path, in one batch.
async fn register(db: &Db, specs: &[Spec]) -> Vec<AppealRow> {
    register_texts(db, specs, None).await
}

async fn register_texts(db: &Db, specs: &[Spec], text: Option<&str>) -> Vec<AppealRow> {
    let reference = Reference::load(db).await.unwrap();
    let settings = AppealSettings::default();
    let prepared = specs
        .iter()
        .map(|s| {
            let mut a = new_appeal(s);
            if let Some(t) = text {
                a.text = t.to_string();
            }
            prepare(&reference, &settings, a).unwrap()
        })
        .collect();
    let mut tx = db.begin_write().await.unwrap();
    let out = insert_batch(&mut *tx, prepared).await.unwrap();
    tx.commit().await.unwrap();
    out.into_iter()
        .map(|r| match r.unwrap() {
            Registered::New(row) => *row,
            Registered::Replayed(_) => panic!("no idempotency keys here"),
        })
        .collect()
}

/// Moves an appeal on in its life: status, answer time (with an answer text), overdue flag.
async fn set(db: &Db, id: &str, status: &str, answered_at: Option<i64>, overdue: bool) {
    sqlx::query(
        "UPDATE appeals SET status = $1, answer_text = $2, answered_at = $3, overdue = $4 WHERE id = $5",
    )
    .bind(status)
    .bind(answered_at.map(|_| "Ответ по существу.".to_string()))
    .bind(answered_at)
    .bind(i64::from(overdue))
    .bind(id)
    .execute(&db.write)
    .await
    .unwrap();
}

fn b(key: &str, total: i64, answered: i64, on_time: i64, open: i64, overdue: i64) -> Bucket {
    Bucket {
        key: key.into(),
        total,
        answered,
        answered_on_time: on_time,
        open,
        overdue,
    }
}

fn spec(
    org: &'static str,
    category: &'static str,
    kato: Option<&'static str>,
    form: &'static str,
    channel: &'static str,
    language: &'static str,
    received: &str,
) -> Spec {
    Spec {
        org,
        category,
        kato,
        form,
        channel,
        language,
        anonymous: false,
        // 10:00 local on a working day: registered that day.
        received_at: local_ms(date(received), 10, 0),
    }
}

/// Six appeals with known fates; returns them in order.
async fn six_appeals(db: &Db) -> Vec<AppealRow> {
    let mut specs = vec![
        // A1: answered in the last millisecond of its due date.
        spec(
            "akimat-10",
            "housing.heating",
            Some("100000000"),
            "application",
            "web",
            "ru",
            "2025-03-04",
        ),
        // A2: answered in the first millisecond after its due date.
        spec(
            "akimat-10",
            "housing.water",
            Some("101000000"),
            "complaint",
            "paper",
            "kk",
            "2025-03-04",
        ),
        // A3: open and overdue.
        spec(
            "akimat-11",
            "roads.repair",
            Some("110000000"),
            "proposal",
            "api",
            "ru",
            "2025-04-02",
        ),
        // A4: open (in review), without a territory.
        spec(
            "akimat-11",
            "roads.lighting",
            None,
            "application",
            "web",
            "ru",
            "2025-04-02",
        ),
        // A5: anonymous: not considered.
        spec(
            "mz",
            "health.medicines",
            None,
            "request",
            "call_centre_1414",
            "other",
            "2025-04-02",
        ),
        // A6: answered on time, then closed; its stale overdue flag does not count.
        spec(
            "akimat-arys",
            "housing.heating",
            Some("611633000"),
            "application",
            "web",
            "ru",
            "2025-02-04",
        ),
    ];
    specs[4].anonymous = true;
    let rows = register(db, &specs).await;
    let registered: Vec<&str> = rows.iter().map(|r| r.registered_on.as_str()).collect();
    assert_eq!(
        registered,
        [
            "2025-03-04",
            "2025-03-04",
            "2025-04-02",
            "2025-04-02",
            "2025-04-02",
            "2025-02-04"
        ]
    );
    let orgs: Vec<&str> = rows.iter().map(|r| r.org_id.as_str()).collect();
    assert_eq!(
        orgs,
        [
            "akimat-10",
            "akimat-10",
            "akimat-11",
            "akimat-11",
            "mz",
            "akimat-arys"
        ]
    );
    assert_eq!(rows[4].status, "not_considered");
    set(
        db,
        &rows[0].id,
        "answered",
        Some(end_of(&rows[0].due_on)),
        false,
    )
    .await;
    set(
        db,
        &rows[1].id,
        "answered",
        Some(end_of(&rows[1].due_on) + 1),
        true,
    )
    .await;
    set(db, &rows[2].id, "registered", None, true).await;
    set(db, &rows[3].id, "in_review", None, false).await;
    set(
        db,
        &rows[5].id,
        "closed",
        Some(local_ms(date(&rows[5].due_on), 9, 0)),
        true,
    )
    .await;
    rows
}

#[tokio::test]
async fn appeal_stats_count_every_bucket_exactly() {
    let (db, _dir) = open_db().await;
    six_appeals(&db).await;
    let s = appeal_stats(&db, &StatsFilter::default()).await.unwrap();
    assert_eq!(s.totals, b("", 6, 3, 2, 2, 1));
    assert_eq!(
        s.by_month,
        [
            b("2025-02", 1, 1, 1, 0, 0),
            b("2025-03", 2, 2, 1, 0, 0),
            b("2025-04", 3, 0, 0, 2, 1),
        ]
    );
    assert_eq!(
        s.by_region,
        [
            b("", 2, 0, 0, 1, 0),
            b("100000000", 2, 2, 1, 0, 0),
            b("110000000", 1, 0, 0, 1, 1),
            b("610000000", 1, 1, 1, 0, 0),
        ]
    );
    assert_eq!(
        s.by_category,
        [
            b("housing", 3, 3, 2, 0, 0),
            b("roads", 2, 0, 0, 2, 1),
            b("health", 1, 0, 0, 0, 0),
        ]
    );
    assert_eq!(
        s.by_form,
        [
            b("application", 3, 2, 2, 1, 0),
            b("complaint", 1, 1, 0, 0, 0),
            b("proposal", 1, 0, 0, 1, 1),
            b("request", 1, 0, 0, 0, 0),
        ]
    );
    assert_eq!(
        s.by_channel,
        [
            b("web", 3, 2, 2, 1, 0),
            b("api", 1, 0, 0, 1, 1),
            b("call_centre_1414", 1, 0, 0, 0, 0),
            b("paper", 1, 1, 0, 0, 0),
        ]
    );
    assert_eq!(
        s.by_language,
        [
            b("ru", 4, 2, 2, 2, 1),
            b("kk", 1, 1, 0, 0, 0),
            b("other", 1, 0, 0, 0, 0),
        ]
    );
    assert_eq!(
        s.by_status,
        [
            b("answered", 2, 2, 1, 0, 0),
            b("closed", 1, 1, 1, 0, 0),
            b("in_review", 1, 0, 0, 1, 0),
            b("not_considered", 1, 0, 0, 0, 0),
            b("registered", 1, 0, 0, 1, 1),
        ]
    );
    assert_eq!(
        s.by_org,
        [
            b("akimat-10", 2, 2, 1, 0, 0),
            b("akimat-11", 2, 0, 0, 2, 1),
            b("akimat-arys", 1, 1, 1, 0, 0),
            b("mz", 1, 0, 0, 0, 0),
        ]
    );
    // The whole report serialises for the web layer.
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["totals"]["answered_on_time"], 2);
    db.close().await;
}

#[tokio::test]
async fn appeal_stats_filter_by_organisations_and_registration_dates() {
    let (db, _dir) = open_db().await;
    six_appeals(&db).await;
    let stats = |org_ids: Option<Vec<&str>>, from: Option<&str>, to: Option<&str>| {
        let f = StatsFilter {
            org_ids: org_ids.map(|v| v.into_iter().map(String::from).collect()),
            from: from.map(date),
            to: to.map(date),
        };
        let db = db.clone();
        async move { appeal_stats(&db, &f).await.unwrap() }
    };

    let s = stats(Some(vec!["akimat-10", "akimat-arys"]), None, None).await;
    assert_eq!(s.totals, b("", 3, 3, 2, 0, 0));
    let orgs: Vec<&str> = s.by_org.iter().map(|b| b.key.as_str()).collect();
    assert_eq!(orgs, ["akimat-10", "akimat-arys"]);

    // Both ends are inclusive.
    let s = stats(None, Some("2025-03-04"), Some("2025-03-04")).await;
    assert_eq!(s.totals, b("", 2, 2, 1, 0, 0));
    assert_eq!(s.by_month, [b("2025-03", 2, 2, 1, 0, 0)]);
    let s = stats(None, Some("2025-03-05"), None).await;
    assert_eq!(s.totals, b("", 3, 0, 0, 2, 1));
    let s = stats(None, None, Some("2025-03-03")).await;
    assert_eq!(s.totals, b("", 1, 1, 1, 0, 0));

    // Organisations and dates together.
    let s = stats(
        Some(vec!["akimat-11", "akimat-arys"]),
        Some("2025-02-01"),
        Some("2025-03-31"),
    )
    .await;
    assert_eq!(s.totals, b("", 1, 1, 1, 0, 0));
    assert_eq!(s.by_org, [b("akimat-arys", 1, 1, 1, 0, 0)]);

    // No organisation: nothing, and every list empty.
    let s = stats(Some(vec![]), None, None).await;
    assert_eq!(s, AppealStats::default());

    // A long list (several IN chunks, duplicates, unknown ids) counts each appeal once.
    let mut long: Vec<String> = (0..1234).map(|i| format!("org-{i}")).collect();
    long.insert(17, "akimat-10".into());
    long.insert(700, "akimat-arys".into());
    long.push("akimat-10".into());
    let f = StatsFilter {
        org_ids: Some(long),
        ..StatsFilter::default()
    };
    let s = appeal_stats(&db, &f).await.unwrap();
    assert_eq!(
        s,
        stats(Some(vec!["akimat-10", "akimat-arys"]), None, None).await
    );

    // Values are bound, never spliced into the SQL.
    let s = stats(Some(vec!["x' OR '1'='1"]), None, None).await;
    assert_eq!(s.totals.total, 0);
    db.close().await;
}

/// The stats agree with a count over the rows themselves, for many appeals registered at random
/// times (after hours, across months, years and a leap day) and answered around their due dates.
#[tokio::test]
async fn appeal_stats_agree_with_counting_the_rows() {
    let (db, _dir) = open_db().await;
    let mut rng = StdRng::seed_from_u64(7);
    const PLACES: &[(&str, &str, Option<&str>)] = &[
        ("akimat-10", "housing.heating", Some("100000000")),
        ("akimat-10", "roads.repair", Some("101000000")),
        ("akimat-11", "social.benefits", Some("110000000")),
        ("akimat-11", "land.plots", None),
        ("akimat-arys", "ecology.greenery", Some("611633000")),
        ("mz", "health.medicines", None),
        ("mvd", "law.crime", Some("750000000")),
        ("gov", "other.other", None),
    ];
    const FORMS: &[&str] = &[
        "application",
        "complaint",
        "proposal",
        "request",
        "response",
        "report",
    ];
    const CHANNELS: &[&str] = &[
        "web",
        "api",
        "call_centre_1414",
        "reception_centre",
        "social_network",
        "paper",
    ];
    const LANGS: &[&str] = &["kk", "ru", "other"];
    let start = local_ms(date("2023-12-20"), 0, 0);
    let specs: Vec<Spec> = (0..160)
        .map(|_| {
            let (org, category, kato) = PLACES[rng.gen_range(0..PLACES.len())];
            Spec {
                org,
                category,
                kato,
                form: FORMS[rng.gen_range(0..FORMS.len())],
                channel: CHANNELS[rng.gen_range(0..CHANNELS.len())],
                language: LANGS[rng.gen_range(0..LANGS.len())],
                anonymous: rng.gen_bool(0.1),
                received_at: start + rng.gen_range(0..480 * 86_400_000i64),
            }
        })
        .collect();
    let rows = register(&db, &specs).await;
    for r in &rows {
        if r.status == "not_considered" {
            continue;
        }
        let edge = end_of(&r.due_on);
        match rng.gen_range(0..6) {
            0 => {}
            1 => {
                let status = ["forwarded", "in_review", "extended"][rng.gen_range(0..3)];
                set(&db, &r.id, status, None, rng.gen_bool(0.5)).await;
            }
            2 => set(&db, &r.id, "registered", None, true).await,
            3 => set(&db, &r.id, "left_without_consideration", None, false).await,
            _ => {
                let at = match rng.gen_range(0..4) {
                    0 => edge,
                    1 => edge + 1,
                    _ => edge + rng.gen_range(-5 * 86_400_000i64..3 * 86_400_000),
                };
                let status = ["answered", "rated", "complained", "closed"][rng.gen_range(0..4)];
                set(&db, &r.id, status, Some(at), rng.gen_bool(0.3)).await;
            }
        }
    }
    let all = stored(&db).await;
    assert_eq!(all.len(), rows.len());
    let early = all.iter().filter(|a| a.on_time == Some(true)).count();
    let late = all.iter().filter(|a| a.on_time == Some(false)).count();
    assert!(early > 5 && late > 5, "{early} on time, {late} late");

    let filters = [
        StatsFilter::default(),
        StatsFilter {
            org_ids: Some(vec!["akimat-10".into(), "mz".into()]),
            ..StatsFilter::default()
        },
        StatsFilter {
            from: Some(date("2024-02-29")),
            to: Some(date("2024-12-31")),
            ..StatsFilter::default()
        },
        StatsFilter {
            org_ids: Some(vec!["akimat-11".into(), "gov".into(), "mvd".into()]),
            from: Some(date("2024-06-01")),
            to: None,
        },
    ];
    for f in &filters {
        let got = appeal_stats(&db, f).await.unwrap();
        assert_eq!(got, expected(&all, f), "filter {f:?}");
        assert!(got.totals.total > 0);
    }
    db.close().await;
}

/// The facts of a stored appeal that the stats count, read row by row (only in this test).
struct Stored {
    org_id: String,
    category_id: String,
    kato: Option<String>,
    form: String,
    channel: String,
    language: String,
    status: String,
    registered_on: String,
    overdue: bool,
    /// None when not answered.
    on_time: Option<bool>,
}

async fn stored(db: &Db) -> Vec<Stored> {
    let terms = Terms::default();
    sqlx::query("SELECT org_id, category_id, kato, form, channel, language, status, registered_on, due_on, answered_at, overdue FROM appeals")
        .fetch_all(&db.read)
        .await
        .unwrap()
        .iter()
        .map(|r| {
            let due: String = r.get(8);
            let answered_at: Option<i64> = r.get(9);
            Stored {
                org_id: r.get(0),
                category_id: r.get(1),
                kato: r.get(2),
                form: r.get(3),
                channel: r.get(4),
                language: r.get(5),
                status: r.get(6),
                registered_on: r.get(7),
                overdue: r.get::<i64, _>(10) != 0,
                on_time: answered_at.map(|t| terms.local_date(t) <= date(&due)),
            }
        })
        .collect()
}

fn expected(all: &[Stored], f: &StatsFilter) -> AppealStats {
    let mut dims: Vec<HashMap<String, Bucket>> = vec![HashMap::new(); 8];
    let mut totals = b("", 0, 0, 0, 0, 0);
    for a in all {
        if let Some(orgs) = &f.org_ids
            && !orgs.contains(&a.org_id)
        {
            continue;
        }
        let reg = date(&a.registered_on);
        if f.from.is_some_and(|d| reg < d) || f.to.is_some_and(|d| reg > d) {
            continue;
        }
        let open =
            ["registered", "forwarded", "in_review", "extended"].contains(&a.status.as_str());
        let keys = [
            a.registered_on[..7].to_string(),
            a.kato
                .as_ref()
                .map(|k| format!("{}0000000", &k[..2]))
                .unwrap_or_default(),
            a.category_id.split('.').next().unwrap().to_string(),
            a.form.clone(),
            a.channel.clone(),
            a.language.clone(),
            a.status.clone(),
            a.org_id.clone(),
        ];
        for bucket in std::iter::once(&mut totals).chain(
            dims.iter_mut()
                .zip(keys)
                .map(|(d, k)| d.entry(k.clone()).or_insert_with(|| b(&k, 0, 0, 0, 0, 0))),
        ) {
            bucket.total += 1;
            bucket.answered += i64::from(a.on_time.is_some());
            bucket.answered_on_time += i64::from(a.on_time == Some(true));
            bucket.open += i64::from(open);
            bucket.overdue += i64::from(open && a.overdue);
        }
    }
    let sorted = |m: &HashMap<String, Bucket>, by_key: bool| {
        let mut v: Vec<Bucket> = m.values().cloned().collect();
        v.sort_by(|x, y| {
            if by_key {
                x.key.cmp(&y.key)
            } else {
                y.total.cmp(&x.total).then(x.key.cmp(&y.key))
            }
        });
        v
    };
    AppealStats {
        totals,
        by_month: sorted(&dims[0], true),
        by_region: sorted(&dims[1], false),
        by_category: sorted(&dims[2], false),
        by_form: sorted(&dims[3], false),
        by_channel: sorted(&dims[4], false),
        by_language: sorted(&dims[5], false),
        by_status: sorted(&dims[6], false),
        by_org: sorted(&dims[7], false),
    }
}

#[tokio::test]
async fn petition_stats_count_admitted_petitions_by_status_month_and_addressee() {
    let (db, _dir) = open_db().await;
    let author = create_user(
        &db,
        &NewUser {
            full_name: "Ерлан Жаксыбеков".into(),
            ..NewUser::default()
        },
    )
    .await
    .unwrap();
    let actor = Actor {
        id: Some(author.id.clone()),
        role: "citizen".into(),
        name: "Ерлан Жаксыбеков".into(),
        position: String::new(),
    };
    // (status, addressee, signatures, created at local)
    let petitions = [
        ("draft", "akimat-10", 0, local_ms(date("2025-01-10"), 12, 0)),
        (
            "submitted",
            "akimat-10",
            0,
            local_ms(date("2025-01-10"), 12, 0),
        ),
        (
            "in_moderation",
            "akimat-10",
            0,
            local_ms(date("2025-01-10"), 12, 0),
        ),
        (
            "rejected",
            "akimat-10",
            0,
            local_ms(date("2025-01-10"), 12, 0),
        ),
        (
            "link_only",
            "akimat-10",
            10,
            local_ms(date("2025-01-15"), 12, 0),
        ),
        // 23:30 local on 31 January is still January...
        (
            "collecting",
            "akimat-10",
            1_000,
            local_ms(date("2025-01-31"), 23, 30),
        ),
        // ...and 00:30 local on 1 February is February, though still 31 January in UTC.
        (
            "collecting",
            "akimat-11",
            2_500,
            local_ms(date("2025-02-01"), 0, 30),
        ),
        (
            "decision_published",
            "gov",
            50_000,
            local_ms(date("2025-03-10"), 9, 0),
        ),
        (
            "lapsed",
            "akimat-11",
            12,
            local_ms(date("2025-03-11"), 9, 0),
        ),
    ];
    for (status, org, signatures, created_at) in petitions {
        let p = petitions::create(
            &db,
            &NewPetition {
                title: "Освещение улиц".into(),
                text: "Просим установить фонари.".into(),
                proposals: "Установить фонари.".into(),
                language: Language::Ru,
                addressee_org_id: org.into(),
                kato: None,
                collection_mode: CollectionMode::Electronic,
                representative_authority: None,
                author_id: author.id.clone(),
                author_name: "Ерлан Жаксыбеков".into(),
                author_public_name: "Ерлан Ж.".into(),
                author_iin: None,
                author_email: None,
                author_address: None,
                threshold: 10_000,
            },
            &actor,
        )
        .await
        .unwrap();
        sqlx::query(
            "UPDATE petitions SET status = $1, signature_count = $2, created_at = $3 WHERE id = $4",
        )
        .bind(status)
        .bind(signatures)
        .bind(created_at)
        .bind(&p.id)
        .execute(&db.write)
        .await
        .unwrap();
    }
    let s = petition_stats(&db).await.unwrap();
    let pairs = |v: &[(&str, i64)]| -> Vec<(String, i64)> {
        v.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    };
    assert_eq!(
        s,
        PetitionStats {
            total: 5,
            signatures: 10 + 1_000 + 2_500 + 50_000 + 12,
            by_status: pairs(&[
                ("collecting", 2),
                ("decision_published", 1),
                ("lapsed", 1),
                ("link_only", 1),
            ]),
            by_month: pairs(&[("2025-01", 2), ("2025-02", 1), ("2025-03", 2)]),
            by_addressee: pairs(&[("akimat-10", 2), ("akimat-11", 2), ("gov", 1)]),
        }
    );
    db.close().await;
}

#[tokio::test]
async fn stats_of_an_empty_database_are_zero() {
    let (db, _dir) = open_db().await;
    assert_eq!(
        appeal_stats(&db, &StatsFilter::default()).await.unwrap(),
        AppealStats::default()
    );
    assert_eq!(petition_stats(&db).await.unwrap(), PetitionStats::default());
    db.close().await;
}

/// Timings on a realistic volume (not run by default):
/// `TYNDAU_STATS_ROWS=1000000 cargo test -p tyndau-storage --test stats -- --ignored --nocapture`.
/// 1,000 appeals with texts of appeal length are registered through the real path, given fates,
/// then copied onto themselves until there are TYNDAU_STATS_ROWS of them.
#[tokio::test]
#[ignore]
async fn appeal_stats_timings_on_a_large_volume() {
    let want: usize = std::env::var("TYNDAU_STATS_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200_000);
    let (db, _dir) = open_db().await;
    let mut rng = StdRng::seed_from_u64(11);
    const PLACES: &[(&str, &str, Option<&str>)] = &[
        ("akimat-10", "housing.heating", Some("100000000")),
        ("akimat-10", "roads.repair", Some("101000000")),
        ("akimat-11", "social.benefits", Some("110000000")),
        ("akimat-11", "land.plots", None),
        ("akimat-arys", "ecology.greenery", Some("611633000")),
        ("akimat-75", "housing.water", Some("750000000")),
        ("mz", "health.medicines", None),
        ("mvd", "law.crime", Some("750000000")),
        ("gov", "other.other", None),
    ];
    let text = "Прошу разобраться с отоплением в нашем доме: батареи холодные с начала месяца, \
                управляющая компания не отвечает на звонки, дети болеют. "
        .repeat(6);
    let start = local_ms(date("2024-01-01"), 0, 0);
    let specs: Vec<Spec> = (0..1000)
        .map(|_| {
            let (org, category, kato) = PLACES[rng.gen_range(0..PLACES.len())];
            Spec {
                org,
                category,
                kato,
                form: ["application", "complaint", "proposal", "request"][rng.gen_range(0..4)],
                channel: ["web", "api", "call_centre_1414", "paper"][rng.gen_range(0..4)],
                language: ["kk", "ru"][rng.gen_range(0..2)],
                anonymous: false,
                received_at: start + rng.gen_range(0..365 * 86_400_000i64),
            }
        })
        .collect();
    let rows = register_texts(&db, &specs, Some(&text)).await;
    for r in &rows {
        match rng.gen_range(0..4) {
            0 => set(&db, &r.id, "in_review", None, rng.gen_bool(0.2)).await,
            _ => {
                let at = end_of(&r.due_on) + rng.gen_range(-10 * 86_400_000i64..2 * 86_400_000);
                set(&db, &r.id, "answered", Some(at), false).await;
            }
        }
    }
    let cols = tyndau_storage::appeals::APPEAL_COLS;
    let mut n = rows.len();
    let mut round = 0;
    let t = std::time::Instant::now();
    while n < want {
        let select: Vec<String> = cols
            .iter()
            .map(|c| match *c {
                "id" | "reg_no" => format!("{c} || '-{round}'"),
                _ => c.to_string(),
            })
            .collect();
        sqlx::query(&format!(
            "INSERT INTO appeals ({}) SELECT {} FROM appeals",
            cols.join(", "),
            select.join(", ")
        ))
        .execute(&db.write)
        .await
        .unwrap();
        n *= 2;
        round += 1;
    }
    if std::env::var("TYNDAU_TEST_DB").as_deref() == Ok("postgres") {
        sqlx::query("VACUUM ANALYZE appeals")
            .execute(&db.write)
            .await
            .unwrap();
    } else {
        sqlx::query("ANALYZE").execute(&db.write).await.unwrap();
    }
    eprintln!("{n} appeals made in {:?}", t.elapsed());
    let cases = [
        ("everything", StatsFilter::default()),
        (
            "one quarter",
            StatsFilter {
                from: Some(date("2024-04-01")),
                to: Some(date("2024-06-30")),
                ..StatsFilter::default()
            },
        ),
        (
            "two organisations",
            StatsFilter {
                org_ids: Some(vec!["akimat-10".into(), "mz".into()]),
                ..StatsFilter::default()
            },
        ),
        (
            "one organisation, one month",
            StatsFilter {
                org_ids: Some(vec!["akimat-arys".into()]),
                from: Some(date("2024-05-01")),
                to: Some(date("2024-05-31")),
            },
        ),
    ];
    for (name, f) in &cases {
        for _ in 0..2 {
            let t = std::time::Instant::now();
            let s = appeal_stats(&db, f).await.unwrap();
            eprintln!(
                "{name}: {} appeals counted in {:?}",
                s.totals.total,
                t.elapsed()
            );
        }
    }
    db.close().await;
}
