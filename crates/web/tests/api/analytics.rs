//! Listening analytics (issue 5): problem hotspots (item 7) and sensitive appeals (item 8), on
//! constructed data: a planted spike and cluster are found, a busy but steady district is not,
//! and with no data nothing is.

use crate::helpers::*;
use crate::pages::Browser;
use chrono::{Datelike, Duration, NaiveDate};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tyndau_core::access::Role;

/// Today in Almaty (the default legal time zone).
fn today() -> NaiveDate {
    (chrono::Utc::now() + Duration::hours(5)).date_naive()
}

fn monday(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// Tuesday 10:00 of the week `k` weeks before this one: a working day in every week but the
/// rarest, so the registration day stays in that week.
fn tuesday(k: i64) -> String {
    let d = monday(today()) - Duration::weeks(k) + Duration::days(1);
    local_rfc3339(&d.to_string(), "10:00")
}

fn paper(
    received_at: &str,
    category: &str,
    kato: &str,
    point: Option<(f64, f64)>,
    text: &str,
) -> Value {
    let mut v = json!({
        "form": "complaint", "channel": "paper", "language": "ru", "category_id": category, "kato": kato,
        "addressee_org_id": "akimat-arys", "text": text, "received_at": received_at,
        "applicant": {"kind": "individual", "full_name": "Петр Сидоров", "iin": iin(40), "address": "Арыс"}
    });
    if let Some((lat, lon)) = point {
        v["location"] = json!({"lat": lat, "lon": lon});
    }
    v
}

const STEADY: &str = "612000000"; // Turkistan city
const SPIKE: &str = "611600000"; // Arys city

#[tokio::test]
async fn hotspots_find_a_planted_spike_and_cluster_and_not_a_steady_busy_district() {
    let app = spawn_with(|c| c.hotspot_cache_ms = 0).await;
    let (official, _) = app
        .staff(Role::Official, Some("akimat-arys"), "o.hot")
        .await;
    let (supervisor, _) = app.staff(Role::Supervisor, None, "s.hot").await;

    // Nothing where there is nothing.
    let r = app
        .get("/api/v1/analytics/hotspots", Some(&supervisor))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["hotspots"], json!([]));

    let mut n = 0;
    let mut submit = async |body: Value| {
        n += 1;
        let r = app.submit(&official, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    };
    // A busy, steady district: five road complaints every week, six last week.
    for k in 2..=13 {
        for i in 0..5 {
            submit(paper(
                &tuesday(k),
                "roads.repair",
                STEADY,
                None,
                &format!("Яма на дороге {k}-{i}"),
            ))
            .await;
        }
    }
    for i in 0..6 {
        submit(paper(
            &tuesday(1),
            "roads.repair",
            STEADY,
            None,
            &format!("Яма на улице {i}"),
        ))
        .await;
    }
    // A quiet district: a water complaint now and then, then ten last week, at two
    // neighbouring places on the map.
    for k in [2, 5, 8, 11] {
        submit(paper(
            &tuesday(k),
            "housing.water",
            SPIKE,
            None,
            "Слабый напор воды",
        ))
        .await;
    }
    for i in 0..10 {
        let point = if i % 2 == 0 {
            (43.3051, 68.2705)
        } else {
            (43.3052, 68.2812)
        };
        submit(paper(
            &tuesday(1),
            "housing.water",
            SPIKE,
            Some(point),
            &format!("Нет воды в доме {i}"),
        ))
        .await;
    }
    // A lone appeal elsewhere on the map is not a cluster.
    submit(paper(
        &tuesday(1),
        "housing.water",
        STEADY,
        Some((43.2970, 68.2510)),
        "Течь",
    ))
    .await;
    assert_eq!(n, 60 + 6 + 4 + 10 + 1);

    let r = app
        .get("/api/v1/analytics/hotspots", Some(&supervisor))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let hot = r.body["hotspots"].as_array().unwrap().clone();
    let last_week = monday(today()) - Duration::weeks(1);
    let district: Vec<&Value> = hot.iter().filter(|h| h["kind"] == "district").collect();
    assert_eq!(district.len(), 1, "{hot:#?}");
    assert_eq!(district[0]["area"], SPIKE);
    assert_eq!(district[0]["category"], "housing");
    assert_eq!(district[0]["count"], 10);
    assert_eq!(district[0]["week"], last_week.to_string());
    assert!(district[0]["score"].as_f64().unwrap() >= 3.0);
    let clusters: Vec<&Value> = hot.iter().filter(|h| h["kind"] == "cluster").collect();
    assert_eq!(clusters.len(), 1, "{hot:#?}");
    assert_eq!(clusters[0]["count"], 10);
    assert_eq!(clusters[0]["cells"], json!(["4330:6827", "4330:6828"]));
    assert!(
        !hot.iter().any(|h| h["category"] == "roads"),
        "a steady series is not hot"
    );

    // The appeals behind each.
    let behind = app
        .get(
            &format!("/api/v1/analytics/hotspots/appeals?week={last_week}&category=housing&district={SPIKE}"),
            Some(&supervisor),
        )
        .await;
    assert_eq!(behind.status, StatusCode::OK, "{:?}", behind.body);
    assert_eq!(behind.body.as_array().unwrap().len(), 10);
    assert!(behind.body.to_string().contains("Нет воды в доме"));
    assert!(
        !behind.body.to_string().contains("Петр Сидоров"),
        "no personal data"
    );
    let cells = app
        .get(
            &format!("/api/v1/analytics/hotspots/appeals?week={last_week}&category=housing&cells=4330:6827"),
            Some(&supervisor),
        )
        .await;
    assert_eq!(cells.body.as_array().unwrap().len(), 5);

    // Bad input is refused precisely; others may not look.
    for (q, code) in [
        (
            "week=2026-13-01&category=housing&district=611600000",
            "invalid_date",
        ),
        (
            "week=2026-11-02&category=housing.water&district=611600000",
            "unknown_category",
        ),
        (
            "week=2026-11-02&category=housing&cells=north",
            "invalid_cell",
        ),
        ("week=2026-11-02&category=housing", "missing_area"),
        (
            "week=2026-11-02&category=housing&district=999999999",
            "unknown_territory",
        ),
    ] {
        let r = app
            .get(
                &format!("/api/v1/analytics/hotspots/appeals?{q}"),
                Some(&supervisor),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert_eq!(r.code(), code, "{q}");
    }
    let r = app.get("/api/v1/analytics/hotspots", Some(&official)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The page lists the hotspot and links to its appeals.
    let mut b = Browser::new(&app, "en");
    b.sign_in("s.hot", "staff password 1").await;
    let page = b.get("/office/hotspots").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&format!("data-area=\"{SPIKE}\"")),
        "{}",
        page.body
    );
    assert!(page.body.contains("data-kind=\"cluster\""));
    let link = format!(
        "/office/hotspots/appeals?week={last_week}&#38;category=housing&#38;district={SPIKE}"
    );
    assert!(page.body.contains(&link), "{}", page.body);
    let list = b
        .get(&format!(
            "/office/hotspots/appeals?week={last_week}&category=housing&district={SPIKE}"
        ))
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("data-count=\"10\""));
}

#[tokio::test]
async fn sensitive_appeals_are_flagged_at_registration_and_listed_for_supervisors() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Айгерім Сәрсенова", 70, "kk").await;
    let (supervisor, _) = app.staff(Role::Supervisor, None, "s.sens").await;
    let (admin, _) = app.staff(Role::Administrator, None, "a.sens").await;

    let r = app
        .get("/api/v1/analytics/sensitive", Some(&supervisor))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.body["appeals"],
        json!([]),
        "nothing where there is nothing"
    );

    let threat = app
        .submit(
            &citizen,
            road_appeal("Угроза для жизни детей: обрушение моста на улице Абая"),
        )
        .await;
    assert_eq!(threat.status, StatusCode::CREATED);
    let plain = app
        .submit(&citizen, road_appeal("Прошу покрасить скамейки в парке"))
        .await;
    assert_eq!(plain.status, StatusCode::CREATED);
    let bribe = app
        .submit(
            &citizen,
            json!({"form": "complaint", "language": "ru", "category_id": "law.corruption", "kato": "611600000",
                   "text": "Прошу проверить работу отдела"}),
        )
        .await;
    assert_eq!(bribe.status, StatusCode::CREATED, "{:?}", bribe.body);

    let r = app
        .get("/api/v1/analytics/sensitive", Some(&supervisor))
        .await;
    let flagged: Vec<&Value> = r.body["appeals"].as_array().unwrap().iter().collect();
    assert_eq!(flagged.len(), 2, "{:#?}", r.body);
    let ids: Vec<&str> = flagged.iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&threat.body["id"].as_str().unwrap()));
    assert!(ids.contains(&bribe.body["id"].as_str().unwrap()));
    let t = flagged
        .iter()
        .find(|a| a["id"] == threat.body["id"])
        .unwrap();
    assert_eq!(t["topics"], json!(["life_health"]));
    assert_eq!(t["because"], "угроз жизн");
    // Times as everywhere in the API: the appeal's own receipt time, RFC 3339.
    assert_eq!(t["received_at"], threat.body["received_at"], "{t:?}");
    let b = flagged
        .iter()
        .find(|a| a["id"] == bribe.body["id"])
        .unwrap();
    assert_eq!(b["because"], "category:law.corruption");
    assert!(
        !r.body.to_string().contains("Сәрсенова"),
        "no personal data"
    );
    let only = app
        .get(
            "/api/v1/analytics/sensitive?topic=corruption",
            Some(&supervisor),
        )
        .await;
    assert_eq!(only.body["appeals"].as_array().unwrap().len(), 1);
    let bad = app
        .get(
            "/api/v1/analytics/sensitive?topic=weather",
            Some(&supervisor),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.code(), "invalid_value");
    assert_eq!(
        app.get("/api/v1/analytics/sensitive", Some(&citizen))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Administrators keep the lexicon but do not read appeals.
    assert_eq!(
        app.get("/api/v1/analytics/sensitive", Some(&admin))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // Each read of the list is journaled: who, which list, how many appeals it showed.
    let journaled: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'analytics_read' AND subject_type = 'sensitive_appeals'",
    )
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(journaled, 3);

    // Administrators maintain the lexicon; a new term flags appeals registered from then on.
    let add = app
        .post(
            "/api/v1/admin/sensitive-terms",
            Some(&admin),
            json!({"topic": "life_health", "term": "Бродяч Собак"}),
        )
        .await;
    assert_eq!(add.status, StatusCode::CREATED, "{:?}", add.body);
    assert_eq!(add.body["term"], "бродяч собак");
    let again = app
        .post(
            "/api/v1/admin/sensitive-terms",
            Some(&admin),
            json!({"topic": "life_health", "term": "бродяч  собак"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.code(), "duplicate_term");
    for (body, code) in [
        (
            json!({"topic": "life_health", "term": "на"}),
            "term_too_short",
        ),
        (
            json!({"topic": "children", "term": "123 456"}),
            "term_too_short",
        ),
        (json!({"topic": "life_health", "term": " ! "}), "empty_term"),
        (
            json!({"topic": "weather", "term": "дождь"}),
            "invalid_value",
        ),
    ] {
        let r = app
            .post("/api/v1/admin/sensitive-terms", Some(&admin), body)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.code(), code);
    }
    let r = app
        .post(
            "/api/v1/admin/sensitive-terms",
            Some(&supervisor),
            json!({"topic": "children", "term": "двор"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let dogs = app
        .submit(
            &citizen,
            road_appeal("Во дворе стая бродячих собак нападает на прохожих"),
        )
        .await;
    let r = app
        .get("/api/v1/analytics/sensitive", Some(&supervisor))
        .await;
    assert_eq!(r.body["appeals"][0]["id"], dogs.body["id"], "newest first");
    let id = add.body["id"].as_str().unwrap();
    let del = app
        .send(
            app.client
                .delete(app.url(&format!("/api/v1/admin/sensitive-terms/{id}")))
                .bearer_auth(&admin),
        )
        .await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    let del = app
        .send(
            app.client
                .delete(app.url(&format!("/api/v1/admin/sensitive-terms/{id}")))
                .bearer_auth(&admin),
        )
        .await;
    assert_eq!(del.status, StatusCode::NOT_FOUND);
    assert_eq!(del.code(), "term_not_found");
    let later = app
        .submit(&citizen, road_appeal("Бродячие собаки снова во дворе"))
        .await;
    let r = app
        .get("/api/v1/analytics/sensitive", Some(&supervisor))
        .await;
    assert!(
        !r.body
            .to_string()
            .contains(later.body["id"].as_str().unwrap())
    );

    // Supervisors see them on their page; the body's officials see the tag in their queue.
    let mut b = Browser::new(&app, "ru");
    b.sign_in("s.sens", "staff password 1").await;
    let page = b.get("/office/sensitive").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(threat.body["reg_no"].as_str().unwrap()));
    assert!(!page.body.contains(plain.body["reg_no"].as_str().unwrap()));
    // What flagged them reads as words: terms quoted, a flagging category by its name.
    assert!(!page.body.contains("category:"), "{}", page.body);
    assert!(page.body.contains("Тема: "), "{}", page.body);
    assert!(page.body.contains("«угроз"), "{}", page.body);
    let (_, _) = app
        .staff(Role::Official, Some("akimat-arys"), "o.sens")
        .await;
    let mut o = Browser::new(&app, "ru");
    o.sign_in("o.sens", "staff password 1").await;
    let queue = o.get("/office/queue").await;
    assert!(queue.body.contains("tag-sensitive"), "{}", queue.body);
    assert!(
        queue.body.contains("title=\"Угроза жизни и здоровью"),
        "{}",
        queue.body
    );

    // The lexicon page: administrators add and remove through forms.
    let mut a = Browser::new(&app, "en");
    a.sign_in("a.sens", "staff password 1").await;
    let terms = a.get("/office/sensitive-terms").await;
    assert_eq!(terms.status, StatusCode::OK);
    // Administrators' menu leads to the registries they keep, not to the appeals' analytics,
    // which they may not open; supervisors' to the analytics.
    for href in ["/office/sensitive-terms", "/office/public-services"] {
        assert!(terms.body.contains(&format!("href=\"{href}\"")), "{href}");
    }
    for href in ["/office/sensitive", "/office/hotspots", "/office/campaigns"] {
        assert!(!terms.body.contains(&format!("href=\"{href}\"")), "{href}");
        assert!(page.body.contains(&format!("href=\"{href}\"")), "{href}");
        assert_eq!(a.get(href).await.status, StatusCode::FORBIDDEN, "{href}");
    }
    assert!(terms.body.contains("data-term=\"взятк\""));
    let r = a
        .post(
            "/office/sensitive-terms",
            &[("topic", "children"), ("term", "на")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"term-error\""));
    let r = a
        .post(
            "/office/sensitive-terms",
            &[("topic", "children"), ("term", "Пропал подросток")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let terms = a.get("/office/sensitive-terms").await;
    assert!(terms.body.contains("data-term=\"пропал подросток\""));
}

#[tokio::test]
async fn sensitive_utilities_outage_is_flagged_only_in_the_heating_season() {
    let app = spawn_app().await;
    let (official, _) = app
        .staff(Role::Official, Some("akimat-arys"), "o.heat")
        .await;
    let (supervisor, _) = app.staff(Role::Supervisor, None, "s.heat").await;
    let winter = app
        .submit(
            &official,
            paper(
                "2026-01-13T10:00:00+05:00",
                "housing.heating",
                SPIKE,
                None,
                "В доме нет отопления",
            ),
        )
        .await;
    let summer = app
        .submit(
            &official,
            paper(
                "2026-07-14T10:00:00+05:00",
                "housing.heating",
                SPIKE,
                None,
                "В доме нет отопления",
            ),
        )
        .await;
    assert_eq!(winter.status, StatusCode::CREATED);
    assert_eq!(summer.status, StatusCode::CREATED);
    let r = app
        .get(
            "/api/v1/analytics/sensitive?status=all&topic=utilities_winter",
            Some(&supervisor),
        )
        .await;
    let ids: Vec<&str> = r.body["appeals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![winter.body["id"].as_str().unwrap()]);
}

fn application(category: &str, text: &str) -> Value {
    json!({"form": "application", "language": "ru", "category_id": category, "kato": "611600000", "text": text})
}

/// Issue 5, item 9: a recurring request that no registered service covers is found with its
/// volume; one that a service covers, and scattered one-off applications, are not. The
/// standard period is answered from its stored report (here without the background worker:
/// a missing or stale report is computed when read, and stored).
#[tokio::test]
async fn hidden_public_services_are_recurring_applications_no_service_covers() {
    let app = spawn_with(|c| c.hidden_services.check_secs = 0).await;
    let (supervisor, _) = app.staff(Role::Supervisor, None, "s.hidden").await;
    let (admin, _) = app.staff(Role::Administrator, None, "a.hidden").await;
    let r = app
        .get("/api/v1/analytics/hidden-services", Some(&supervisor))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(
        r.body["hidden"],
        json!([]),
        "nothing where there is nothing"
    );
    assert!(r.body["services_registered"].as_u64().unwrap() >= 10);
    assert_eq!(r.body["stored"], true);
    assert_eq!(r.body["stale"], false);
    assert_eq!(r.body["from"], (today() - Duration::days(90)).to_string());
    let first_computed = r.body["computed_at"].clone();

    let family = [
        "Прошу выдать справку о составе семьи для детского пособия",
        "Где получить справку о составе семьи? В ЦОН отправили в акимат",
        "Нужна справка о составе семьи для школы, нигде не выдают",
        "Справку о составе семьи не выдают через портал, помогите",
        "Как оформить справку о составе семьи для банка",
        "Требуется справка о составе семьи, куда обращаться",
        "Справка о составе семьи нужна срочно для оформления субсидии",
    ];
    let address = [
        "Прошу выдать адресную справку с места жительства",
        "Адресная справка не формируется на портале",
        "Нужна адресная справка для работы",
        "Как получить адресную справку онлайн",
        "Адресную справку не выдают в ЦОН",
        "Где взять адресную справку для поступления",
    ];
    let others = [
        ("housing.heating", "Просим провести газ в посёлок Акдала"),
        (
            "roads.traffic_safety",
            "Просим установить светофор у перекрёстка Абая и Толе би",
        ),
        (
            "education.kindergartens",
            "Прошу открыть дополнительную группу в садике Балдырган",
        ),
        (
            "ecology.greenery",
            "Прошу высадить деревья вдоль набережной",
        ),
        ("roads.lighting", "Не горят фонари на улице Байтурсынова"),
        (
            "social.benefits",
            "Прошу разъяснить размер выплаты многодетной матери",
        ),
        ("land.plots", "Прошу выделить участок под огород"),
        ("health.clinics", "Прошу открыть фельдшерский пункт в ауле"),
        ("public.egov", "Портал не принимает электронную подпись"),
        ("employment.jobs", "Прошу трудоустроить выпускника колледжа"),
    ];
    for (serial, (category, text)) in (80..).zip(
        family
            .iter()
            .map(|t| ("public.egov", *t))
            .chain(address.iter().map(|t| ("public.egov", *t)))
            .chain(others),
    ) {
        let (citizen, _) = app
            .citizen(&format!("Заявитель {serial}"), serial, "ru")
            .await;
        let r = app.submit(&citizen, application(category, text)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    }

    // The standard period's stored report is what readers get until it is recomputed…
    let r = app
        .get("/api/v1/analytics/hidden-services", Some(&supervisor))
        .await;
    assert_eq!(r.body["hidden"], json!([]), "{:#?}", r.body);
    assert_eq!(r.body["computed_at"], first_computed);
    assert_eq!(r.body["applications"], 0);
    // …while another period is computed for the request and not stored.
    let week = format!(
        "/api/v1/analytics/hidden-services?from={}",
        today() - Duration::days(7)
    );
    let r = app.get(&week, Some(&supervisor)).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["stored"], false);
    assert_eq!(
        r.body["hidden"].as_array().unwrap().len(),
        1,
        "{:#?}",
        r.body
    );
    assert_eq!(r.body["applications"], 23);
    // A run of the worker computes only what is missing (the default period was stored by the
    // first reader) or stale: nothing on the same day under the same registry.
    let periods = app.state.config.hidden_services.periods_days.len();
    let once = || tyndau_web::workers::hidden_services_once(&app.state, false);
    assert_eq!(once().await.unwrap(), periods - 1);
    assert_eq!(once().await.unwrap(), 0);
    let r = app
        .get("/api/v1/analytics/hidden-services", Some(&supervisor))
        .await;
    assert_eq!(r.body["hidden"], json!([]), "{:#?}", r.body);
    // The daily run recomputes them (forced here: it is still the same day).
    assert_eq!(
        tyndau_web::workers::hidden_services_once(&app.state, true)
            .await
            .unwrap(),
        periods
    );
    let r = app
        .get("/api/v1/analytics/hidden-services", Some(&supervisor))
        .await;
    assert_eq!(r.body["stored"], true);
    assert_ne!(r.body["computed_at"], first_computed);
    let hidden = r.body["hidden"].as_array().unwrap();
    assert_eq!(hidden.len(), 1, "{:#?}", r.body);
    assert_eq!(hidden[0]["volume"], 7);
    assert_eq!(hidden[0]["category_id"], "public.egov");
    let terms: Vec<&str> = hidden[0]["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert!(
        terms.contains(&"составе") && terms.contains(&"справку"),
        "{terms:?}"
    );
    assert_eq!(hidden[0]["examples"].as_array().unwrap().len(), 5);

    // Bad input, and the view is for supervisors only.
    let bad = app
        .get(
            "/api/v1/analytics/hidden-services?min_volume=1",
            Some(&supervisor),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.code(), "invalid_value");
    let bad = app
        .get(
            "/api/v1/analytics/hidden-services?from=2020-01-01",
            Some(&supervisor),
        )
        .await;
    assert_eq!(bad.code(), "period_too_long");
    let bad = app
        .get(
            "/api/v1/analytics/hidden-services?to=2026-01-01&to=2026-02-01",
            Some(&supervisor),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.code(), "invalid_query");
    let (citizen, _) = app.citizen("Посторонний", 200, "ru").await;
    assert_eq!(
        app.get("/api/v1/analytics/hidden-services", Some(&citizen))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // The page lists it.
    let mut b = Browser::new(&app, "ru");
    b.sign_in("s.hidden", "staff password 1").await;
    let page = b.get("/office/hidden-services").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-volume=\"7\""), "{}", page.body);
    assert!(
        page.body
            .contains("id=\"hidden-computed\" data-stored=\"true\""),
        "{}",
        page.body
    );
    assert!(!page.body.contains("id=\"hidden-stale\""));

    // Registering the service covers it.
    let service = json!({"id": "family-certificate", "name_kk": "Отбасы құрамы туралы анықтама",
        "name_ru": "Справка о составе семьи", "name_en": "Certificate of family composition",
        "category_id": "public.egov", "keywords": "Справк состав семь"});
    let r = app
        .post(
            "/api/v1/admin/public-services",
            Some(&supervisor),
            service.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    for (field, value, code) in [
        ("id", json!("Family Certificate"), "invalid_service_id"),
        ("id", json!(".."), "invalid_service_id"),
        ("id", json!("-x"), "invalid_service_id"),
        ("keywords", json!("справка о семье"), "keyword_too_short"),
        ("keywords", json!(" ; ;"), "no_keyword_phrase"),
        ("category_id", json!("public.nothing"), "unknown_category"),
        ("name_ru", json!(" "), "invalid_name"),
    ] {
        let mut body = service.clone();
        body[field] = value;
        let r = app
            .post("/api/v1/admin/public-services", Some(&admin), body)
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(r.code(), code, "{field}");
    }
    // Neither a category nor keywords: it would cover every application.
    let mut body = service.clone();
    body["category_id"] = Value::Null;
    body["keywords"] = json!("");
    let r = app
        .post("/api/v1/admin/public-services", Some(&admin), body)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.code(), "service_covers_everything");
    let r = app
        .post(
            "/api/v1/admin/public-services",
            Some(&admin),
            service.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["keywords"], "справк состав семь");
    let again = app
        .post("/api/v1/admin/public-services", Some(&admin), service)
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    // The change made the stored report stale: without a worker, the next reader recomputes it.
    let r = app
        .get("/api/v1/analytics/hidden-services", Some(&supervisor))
        .await;
    assert_eq!(r.body["hidden"], json!([]), "{:#?}", r.body);
    assert_eq!(r.body["stored"], true);
    assert_eq!(r.body["stale"], false);
    let stored = tyndau_storage::services::stored_report(&app.state.db, 90)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.hidden.is_empty());

    // Removing it brings the request back; the registry page shows the services.
    let url = app.url("/api/v1/admin/public-services/family-certificate");
    let del = app.send(app.client.delete(&url).bearer_auth(&admin)).await;
    assert_eq!(del.status, StatusCode::NO_CONTENT);
    let del = app.send(app.client.delete(&url).bearer_auth(&admin)).await;
    assert_eq!(del.code(), "service_not_found");
    let r = app
        .get("/api/v1/analytics/hidden-services", Some(&supervisor))
        .await;
    assert_eq!(r.body["hidden"].as_array().unwrap().len(), 1);
    let mut a = Browser::new(&app, "en");
    a.sign_in("a.hidden", "staff password 1").await;
    let page = a.get("/office/public-services").await;
    assert!(page.body.contains("data-id=\"address-certificate\""));
    let r = a
        .post(
            "/office/public-services",
            &[
                ("id", "BAD id"),
                ("name_kk", "а"),
                ("name_ru", "б"),
                ("name_en", "c"),
                ("category_id", ""),
                ("keywords", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"id-error\""));
    let r = a
        .post(
            "/office/public-services",
            &[
                ("id", "family-certificate"),
                ("name_kk", "Анықтама"),
                ("name_ru", "Справка"),
                ("name_en", "Certificate"),
                ("category_id", "public.egov"),
                ("keywords", "состав семь"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = b.get("/office/hidden-services").await;
    assert!(page.body.contains("id=\"hidden-none\""));
}

/// Issue 5, item 9: with the background worker, the standard periods are computed at start and
/// readers get the stored report; an administrator's change to the registry makes it stale and
/// wakes the worker, which recomputes it; meanwhile readers get the last report marked stale,
/// never a stale one passed off as current.
#[tokio::test]
async fn hidden_services_are_recomputed_in_the_background_after_a_registry_change() {
    use tyndau_storage::services;
    // The periodic check is out of reach: only the start and the change wake the worker.
    let app = spawn_with(|c| c.hidden_services.check_secs = 3_600).await;
    let (supervisor, _) = app.staff(Role::Supervisor, None, "s.hidden2").await;
    let (admin, _) = app.staff(Role::Administrator, None, "a.hidden2").await;
    let periods = app.state.config.hidden_services.periods_days.clone();
    let started = std::time::Instant::now();
    for &days in &periods {
        while services::stored_report(&app.state.db, days)
            .await
            .unwrap()
            .is_none()
        {
            assert!(
                started.elapsed().as_secs() < 30,
                "no report computed at start"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    let family = [
        "Прошу выдать справку о составе семьи для детского пособия",
        "Где получить справку о составе семьи? В ЦОН отправили в акимат",
        "Нужна справка о составе семьи для школы, нигде не выдают",
        "Справку о составе семьи не выдают через портал, помогите",
        "Как оформить справку о составе семьи для банка",
        "Требуется справка о составе семьи, куда обращаться",
    ];
    for (serial, text) in (300..).zip(family) {
        let (citizen, _) = app
            .citizen(&format!("Заявитель {serial}"), serial, "ru")
            .await;
        let r = app.submit(&citizen, application("public.egov", text)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    }
    // The report computed at start, before these applications, is what the endpoint returns.
    let r = app
        .get("/api/v1/analytics/hidden-services", Some(&supervisor))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["stored"], true);
    assert_eq!(r.body["stale"], false);
    assert_eq!(r.body["hidden"], json!([]), "{:#?}", r.body);
    let before = r.body["computed_at"].as_str().unwrap().to_string();
    assert_eq!(
        tyndau_web::workers::hidden_services_once(&app.state, false)
            .await
            .unwrap(),
        0
    );

    // A service for another subject: the registry changed, so the report is recomputed (and
    // now sees the applications registered since).
    let service = json!({"id": "water-connection", "name_kk": "Су құбырына қосу",
        "name_ru": "Подключение к водопроводу", "name_en": "Water connection",
        "category_id": "housing.water", "keywords": "подключ водопровод"});
    let r = app
        .post("/api/v1/admin/public-services", Some(&admin), service)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let fingerprint = services::current_fingerprint(&app.state.db, 5)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let fresh = loop {
        let r = app
            .get("/api/v1/analytics/hidden-services", Some(&supervisor))
            .await;
        let hidden = r.body["hidden"].as_array().unwrap().len();
        if r.body["stale"] == false && r.body["computed_at"] != before.as_str() {
            break r;
        }
        // Until then: the last report, said to be stale.
        assert_eq!(r.body["stale"], true, "{:#?}", r.body);
        assert_eq!(r.body["computed_at"], before.as_str());
        assert_eq!(hidden, 0);
        assert!(started.elapsed().as_secs() < 30, "not recomputed");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(fresh.body["stored"], true);
    let hidden = fresh.body["hidden"].as_array().unwrap();
    assert_eq!(hidden.len(), 1, "{:#?}", fresh.body);
    assert_eq!(hidden[0]["volume"], 6);
    // Every standard period is recomputed under the new registry (one after another: the
    // default period's report may be fresh before the next one's is).
    let started = std::time::Instant::now();
    for &days in &periods {
        loop {
            let stored = services::stored_report(&app.state.db, days)
                .await
                .unwrap()
                .unwrap();
            if stored.fingerprint == fingerprint {
                break;
            }
            assert!(
                started.elapsed().as_secs() < 30,
                "period {days} not recomputed under the new registry"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    // A computation that started earlier and finishes later does not replace the newer report.
    let mut older = services::stored_report(&app.state.db, 90)
        .await
        .unwrap()
        .unwrap();
    older.computed_at -= 60_000;
    older.hidden.clear();
    assert!(
        !services::store_report(&app.state.db, 90, &older)
            .await
            .unwrap()
    );
    let kept = services::stored_report(&app.state.db, 90)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.hidden.len(), 1);
}

/// Issue 5: an administrator's change to the lexicon or the registry is committed together
/// with its audit row, or not at all.
#[tokio::test]
async fn lexicon_and_registry_changes_are_committed_with_their_audit_rows() {
    let app = spawn_with(|c| c.hidden_services.check_secs = 0).await;
    let (admin, admin_id) = app.staff(Role::Administrator, None, "a.audit").await;
    let audit = |action: &'static str, subject: String| {
        let db = app.state.db.read.clone();
        let admin_id = admin_id.clone();
        async move {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM audit_log WHERE action = $1 AND subject_id = $2 AND actor_id = $3",
            )
            .bind(action)
            .bind(subject)
            .bind(admin_id)
            .fetch_one(&db)
            .await
            .unwrap();
            n
        }
    };
    let count = |sql: &'static str, id: &'static str| {
        let db = app.state.db.read.clone();
        async move {
            let (n,): (i64,) = sqlx::query_as(sql).bind(id).fetch_one(&db).await.unwrap();
            n
        }
    };
    let services_with = "SELECT COUNT(*) FROM public_services WHERE id = $1";
    let terms_with = "SELECT COUNT(*) FROM sensitive_terms WHERE term = $1";
    let service = |id: &str| {
        json!({"id": id, "name_kk": "Қызмет", "name_ru": "Услуга", "name_en": "Service",
            "category_id": "public.egov", "keywords": "пенсионн выписк"})
    };
    let term = json!({"topic": "children", "term": "детск площадк"});

    // Changes and their rows, together.
    let r = app
        .post(
            "/api/v1/admin/public-services",
            Some(&admin),
            service("kept"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(audit("public_service_added", "kept".into()).await, 1);
    let r = app
        .post("/api/v1/admin/sensitive-terms", Some(&admin), term.clone())
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let term_id = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(audit("sensitive_term_added", term_id.clone()).await, 1);

    // With the audit journal failing, no change is left behind.
    set_audit_log(&app, false).await;
    let added = app
        .post(
            "/api/v1/admin/public-services",
            Some(&admin),
            service("lost"),
        )
        .await;
    let removed = app
        .send(
            app.client
                .delete(app.url("/api/v1/admin/public-services/kept"))
                .bearer_auth(&admin),
        )
        .await;
    let term_added = app
        .post(
            "/api/v1/admin/sensitive-terms",
            Some(&admin),
            json!({"topic": "children", "term": "школьн автобус"}),
        )
        .await;
    let term_removed = app
        .send(
            app.client
                .delete(app.url(&format!("/api/v1/admin/sensitive-terms/{term_id}")))
                .bearer_auth(&admin),
        )
        .await;
    set_audit_log(&app, true).await;
    for r in [&added, &removed, &term_added, &term_removed] {
        assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{:?}", r.body);
    }
    assert_eq!(count(services_with, "lost").await, 0);
    assert_eq!(count(services_with, "kept").await, 1);
    assert_eq!(count(terms_with, "школьн автобус").await, 0);
    assert_eq!(count(terms_with, "детск площадк").await, 1);
    let lexicon = app.get("/api/v1/admin/sensitive-terms", Some(&admin)).await;
    assert!(lexicon.body.to_string().contains(&term_id));

    // The journal back, the same changes go through, each with its row.
    let r = app
        .send(
            app.client
                .delete(app.url("/api/v1/admin/public-services/kept"))
                .bearer_auth(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(count(services_with, "kept").await, 0);
    assert_eq!(audit("public_service_removed", "kept".into()).await, 1);
    let r = app
        .send(
            app.client
                .delete(app.url(&format!("/api/v1/admin/sensitive-terms/{term_id}")))
                .bearer_auth(&admin),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(audit("sensitive_term_removed", term_id).await, 1);
}

/// `tyndau serve --demo` shows a hotspot: the planted burst of water complaints in Abai district
/// of Shymkent this week, as a district and as a spatial cluster, with its appeals behind it.
#[tokio::test]
async fn demo_data_has_a_hotspot() {
    let app = spawn_with(|c| {
        c.demo = true;
        c.demo_appeals = 200;
        c.hotspot_cache_ms = 0;
    })
    .await;
    let r = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"login": "supervisor", "password": tyndau_web::demo::DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let supervisor = r.body["token"].as_str().unwrap().to_string();
    let r = app
        .get("/api/v1/analytics/hotspots", Some(&supervisor))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let hotspots = r.body["hotspots"].as_array().unwrap();
    let planted = |kind: &str| {
        hotspots.iter().find(|h| {
            h["kind"] == kind
                && h["category"] == "housing"
                && (kind != "district" || h["area"] == tyndau_web::demo::HOTSPOT_KATO)
        })
    };
    let district = planted("district").unwrap_or_else(|| panic!("{hotspots:#?}"));
    assert!(district["count"].as_i64().unwrap() >= 20, "{district:#?}");
    assert!(district["score"].as_f64().unwrap() >= 3.0);
    let cluster = planted("cluster").unwrap_or_else(|| panic!("{hotspots:#?}"));
    let (lat, lon) = (
        cluster["lat"].as_f64().unwrap(),
        cluster["lon"].as_f64().unwrap(),
    );
    assert!(
        (lat - 42.36).abs() < 0.02 && (lon - 69.55).abs() < 0.02,
        "{cluster:#?}"
    );

    // Its appeals are the planted ones, and the page lists it.
    let r = app
        .get(
            &format!(
                "/api/v1/analytics/hotspots/appeals?week={}&category=housing&district={}",
                district["week"].as_str().unwrap(),
                tyndau_web::demo::HOTSPOT_KATO
            ),
            Some(&supervisor),
        )
        .await;
    let appeals = r.body.as_array().unwrap();
    assert_eq!(appeals.len() as i64, district["count"].as_i64().unwrap());
    assert!(
        appeals
            .iter()
            .filter(|a| a["category_id"] == tyndau_web::demo::HOTSPOT_CATEGORY)
            .count()
            >= 20
    );
    let mut b = Browser::new(&app, "en");
    b.sign_in("supervisor", tyndau_web::demo::DEMO_PASSWORD)
        .await;
    let page = b.get("/office/hotspots").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(&format!("district={}", tyndau_web::demo::HOTSPOT_KATO)),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn every_appeal_s_language_is_identified_at_registration_and_code_switched_kazakh_is_not_filed_as_russian()
 {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Айгүл Серікова", 71, "kk").await;
    // (the language chosen for the answer, the text, its identified language, the answer's)
    let cases = [
        // Chosen, and kept: the citizen decides the answer's language, the text is still Kazakh.
        (
            Some("ru"),
            "Абай көшесінде жол бұзылған, жөндеуді сұраймын",
            "kk",
            "ru",
        ),
        (
            None,
            "Абай көшесінде жол бұзылған, жөндеуді сұраймын",
            "kk",
            "kk",
        ),
        // Code-switched: Russian words in a Kazakh frame are Kazakh, not Russian.
        (
            None,
            "Қайырлы күн, подъезд не убирают уже месяц, өтінемін көмектесіңіз",
            "kk",
            "kk",
        ),
        (None, "Во дворе не вывозят мусор вторую неделю", "ru", "ru"),
        // English is identified; the answer's language is then "other" (kk or ru are the law's).
        (
            None,
            "The street lights on our road have not worked for a month",
            "en",
            "other",
        ),
        (None, "12345 !!!", "other", "other"),
    ];
    let mut first: Option<Value> = None;
    for (chosen, text, text_language, language) in cases {
        let mut body = json!({"form": "complaint", "category_id": "roads.repair", "kato": "611600000", "text": text});
        if let Some(l) = chosen {
            body["language"] = json!(l);
        }
        let r = app.submit(&citizen, body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{text}: {:?}", r.body);
        assert_eq!(
            r.body["text_language"], text_language,
            "{text}: {:?}",
            r.body
        );
        assert_eq!(r.body["language"], language, "{text}: {:?}", r.body);
        // Stored, and shown to the official the same.
        let id = r.body["id"].as_str().unwrap();
        let (stored,): (Option<String>,) =
            sqlx::query_as("SELECT text_language FROM appeals WHERE id = $1")
                .bind(id)
                .fetch_one(&app.state.db.read)
                .await
                .unwrap();
        assert_eq!(stored.as_deref(), Some(text_language), "{text}");
        first.get_or_insert(r.body);
    }
    // The official handling it sees both languages, and the text is marked as Kazakh.
    let first = first.unwrap();
    let org = first["org_id"].as_str().unwrap();
    app.staff(Role::Official, Some(org), "o.lang").await;
    let mut o = Browser::new(&app, "en");
    o.sign_in("o.lang", "staff password 1").await;
    let page = o
        .get(&format!("/appeals/{}", first["id"].as_str().unwrap()))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains("Russian <span id=\"text-language\">(language of the text: Kazakh)"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("id=\"appeal-text\" class=\"appeal-text\" lang=\"kk\"")
    );
    // A language the answer cannot be given in is refused, and nothing is registered.
    let before = app.count_appeals().await;
    let r = app
        .submit(
            &citizen,
            json!({"form": "complaint", "language": "en", "category_id": "roads.repair", "kato": "611600000", "text": "Broken road"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.code(), "invalid_value", "{:?}", r.body);
    assert_eq!(app.count_appeals().await, before);

    // Appeals registered before identification are identified by the start-up backfill.
    sqlx::query("UPDATE appeals SET text_language = NULL")
        .execute(&app.state.db.write)
        .await
        .unwrap();
    let n = tyndau_storage::appeals::backfill_text_language(&app.state.db)
        .await
        .unwrap();
    assert_eq!(n, before as u64);
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT text, text_language FROM appeals")
            .fetch_all(&app.state.db.read)
            .await
            .unwrap();
    for (text, lang) in rows {
        let want = cases.iter().find(|c| c.1 == text).unwrap().2;
        assert_eq!(lang.as_deref(), Some(want), "{text}");
    }
    // Nothing left: a second pass identifies none.
    let again = tyndau_storage::appeals::backfill_text_language(&app.state.db)
        .await
        .unwrap();
    assert_eq!(again, 0);
}

#[tokio::test]
async fn a_misspelt_query_parameter_is_refused_not_silently_ignored() {
    let app = spawn_app().await;
    let (supervisor, _) = app.staff(Role::Supervisor, None, "prosecutor").await;
    // Each with a parameter the endpoint does not know: ignored, the answer would look like
    // one for the whole set (all topics, all regions, the default period).
    for path in [
        "/api/v1/analytics/sensitive?topc=children",
        "/api/v1/analytics/hidden-services?min_vol=3",
        "/api/v1/analytics/serial-applicants?form=2026-01-01",
        "/api/v1/analytics/serial-applicants/abc?too=2026-01-01",
        "/api/v1/analytics/hotspots/appeals?week=2026-01-05&category=roads&distrct=611600000",
        "/api/v1/transparency?regoin=610000000",
        "/api/v1/petitions?stauts=open",
    ] {
        let r = app.get(path, Some(&supervisor)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert_eq!(r.code(), "invalid_query", "{path}");
        let name = path.split('?').nth(1).unwrap().rsplit('&').next().unwrap();
        let name = name.split('=').next().unwrap();
        assert!(
            r.body["detail"].as_str().unwrap().contains(name),
            "{path}: the problem names the parameter: {:?}",
            r.body
        );
    }
    // A caller the endpoint refuses is refused, whatever the query: the parameters are not
    // explained to them.
    let (citizen, _) = app.citizen("Посторонний", 201, "ru").await;
    for path in [
        "/api/v1/analytics/sensitive?topc=children",
        "/api/v1/analytics/hidden-services?min_vol=3",
        "/api/v1/analytics/campaigns?bogus=1",
        "/api/v1/analytics/serial-applicants?form=2026-01-01",
        "/api/v1/analytics/serial-applicants/abc?too=2026-01-01",
        "/api/v1/analytics/hotspots/appeals?week=2026-01-05&category=roads&distrct=611600000",
    ] {
        let r = app.get(path, Some(&citizen)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {:?}", r.body);
    }
    // The known ones still answer.
    for path in [
        "/api/v1/analytics/sensitive?topic=children",
        "/api/v1/analytics/hidden-services?min_volume=3",
        "/api/v1/analytics/serial-applicants?from=2026-01-01",
        "/api/v1/transparency?region=610000000",
    ] {
        let r = app.get(path, Some(&supervisor)).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {:?}", r.body);
    }
    // The pages answer a misspelt parameter with the error page, as the API does.
    let mut b = Browser::new(&app, "en");
    b.sign_in("prosecutor", "staff password 1").await;
    for path in [
        "/office/sensitive?topc=children",
        "/office/hidden-services?min_vol=3",
        "/office/serial-applicants?form=2026-01-01",
        "/transparency?regoin=610000000",
        // A repeated key: the error page too, not the framework's plain text.
        "/petitions?q=a&q=b",
        "/login?next=/a&next=/b",
    ] {
        let page = b.get(path).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(page.body.contains("<html"), "{path}: an HTML page");
    }
    assert_eq!(
        b.get("/office/sensitive?topic=children").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn dates_at_the_ends_of_the_calendar_are_refused_not_crashed_on() {
    let app = spawn_app().await;
    let (supervisor, _) = app.staff(Role::Supervisor, None, "prosecutor").await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    // Period starts, week ends and due dates are computed from these: near chrono's ends
    // (±262,000 years) that arithmetic overflows.
    for (path, code) in [
        (
            "/api/v1/analytics/hotspots/appeals?week=%2B262142-12-31&category=roads&district=611600000",
            "invalid_date",
        ),
        (
            "/api/v1/analytics/hotspots/appeals?week=-262143-01-01&category=roads&district=611600000",
            "invalid_date",
        ),
        (
            "/api/v1/analytics/hidden-services?to=-262143-01-01",
            "invalid_date",
        ),
        (
            "/api/v1/analytics/hidden-services?to=%2B262142-12-31",
            "invalid_date",
        ),
        (
            "/api/v1/analytics/campaigns?to=-262143-01-01",
            "invalid_date",
        ),
        (
            "/api/v1/analytics/serial-applicants?to=0000-01-01",
            "invalid_date",
        ),
        (
            "/api/v1/analytics/serial-applicants/abc?to=-262143-01-01",
            "invalid_date",
        ),
        ("/api/v1/appeals?from=1899-12-31", "invalid_date"),
    ] {
        let r = app.get(path, Some(&supervisor)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {:?}",
            r.body
        );
        assert_eq!(r.code(), code, "{path}");
    }
    let body = paper(
        "2200-01-12T10:00:00+05:00",
        "roads.repair",
        SPIKE,
        None,
        "Ескі жол",
    );
    let r = app.submit(&official, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.code(), "invalid_time");
    assert_eq!(app.count_appeals().await, 0);
}
