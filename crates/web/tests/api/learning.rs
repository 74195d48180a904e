//! Models trained inside Tyndau (issue 5, items 2 and 3): the category classifier learns from
//! officials' confirmations and corrections and pre-fills new appeals when confident; the
//! routing model learns which body actually answers appeals like this one, and is shown to the
//! official beside the routing rules.

use crate::helpers::*;
use crate::pages::Browser;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tyndau_core::access::Role;

async fn learning_app() -> TestApp {
    learning_app_with(|_| {}).await
}

async fn learning_app_with(more: impl FnOnce(&mut tyndau_web::config::Config)) -> TestApp {
    spawn_with(|c| {
        // Small models train in a moment; the test starts trainings itself.
        c.model_feature_bits = 14;
        c.model_min_examples = 10;
        c.model_retrain_secs = 0;
        c.statistics_cache_ms = 0;
        more(c);
    })
    .await
}

const ROADS: [&str; 8] = [
    "Огромная яма на дороге у дома, колёса пробиваются",
    "На улице разбит асфальт, ямы на проезжей части",
    "Прошу отремонтировать дорогу, асфальт разрушен",
    "Яма на дороге возле школы, машины ломаются",
    "Дорога вся в ямах после зимы, нужен ремонт асфальта",
    "Провалился асфальт на перекрёстке, глубокая яма",
    "Ямочный ремонт дороги не проводился три года",
    "Разбитая дорога в микрорайоне, асфальт в ямах",
];
const HEATING: [&str; 8] = [
    "В квартире холодные батареи, нет отопления",
    "Отопление не работает вторую неделю, дома холодно",
    "Батареи еле тёплые, прошу проверить отопление",
    "В доме отключили отопление, дети мёрзнут",
    "Холодно в квартире, радиаторы не греют",
    "Нет тепла в батареях, управляющая компания бездействует",
    "Отопление подали, но батареи холодные",
    "Плохое отопление в подъезде и квартирах",
];
const DOGS: [&str; 8] = [
    "Бродячие собаки нападают на детей во дворе",
    "Стая бездомных собак у школы, прошу отловить",
    "Бездомные собаки лают ночью и кусаются",
    "Во дворе много бродячих собак, опасно гулять",
    "Прошу отловить бездомных собак возле рынка",
    "Собаки без хозяина бегают стаей по улице",
    "Бродячая собака укусила ребёнка, примите меры",
    "Стаи собак у остановки, люди боятся",
];

fn unclassified(text: &str) -> Value {
    json!({"form": "complaint", "language": "ru", "kato": "611600000", "text": text})
}

#[tokio::test]
async fn the_category_classifier_learns_from_officials_corrections_and_prefills_when_confident() {
    let app = learning_app().await;
    let (citizen, _) = app.citizen("Ерлан Сапаров", 90, "ru").await;
    let (official, _) = app
        .staff(Role::Official, Some("akimat-arys"), "o.learn")
        .await;
    let (admin, _) = app.staff(Role::Administrator, None, "a.learn").await;
    let (other, _) = app
        .staff(Role::Official, Some("akimat-61"), "o.other")
        .await;

    // No model yet: nothing is suggested, and an appeal without a category waits for a human.
    let s = app
        .post(
            "/api/v1/analytics/suggest",
            Some(&citizen),
            json!({"text": ROADS[0]}),
        )
        .await;
    assert_eq!(s.status, StatusCode::OK, "{:?}", s.body);
    assert_eq!(s.body["category"], Value::Null);
    let mut ids = Vec::new();
    for (category, texts) in [
        ("roads.repair", ROADS),
        ("housing.heating", HEATING),
        ("ecology.stray_animals", DOGS),
    ] {
        for t in texts {
            let r = app.submit(&citizen, unclassified(t)).await;
            assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
            assert_eq!(r.body["category_id"], "other.other");
            ids.push((r.body["id"].as_str().unwrap().to_string(), category));
        }
    }

    // Only the officials handling an appeal classify it; bad categories are refused.
    let (first, _) = &ids[0];
    let r = app
        .post(
            &format!("/api/v1/appeals/{first}/category"),
            Some(&citizen),
            json!({"category_id": "roads.repair"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post(
            &format!("/api/v1/appeals/{first}/category"),
            Some(&other),
            json!({"category_id": "roads.repair"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .post(
            &format!("/api/v1/appeals/{first}/category"),
            Some(&official),
            json!({"category_id": "unicorns"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.code(), "unknown_category");

    // The official corrects each; a correction moves the statistics and is journaled.
    for (id, category) in &ids {
        let r = app
            .post(
                &format!("/api/v1/appeals/{id}/category"),
                Some(&official),
                json!({"category_id": category}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        assert_eq!(r.body["confirmed"], false);
    }
    let again = app
        .post(
            &format!("/api/v1/appeals/{first}/category"),
            Some(&official),
            json!({"category_id": "roads.repair"}),
        )
        .await;
    assert_eq!(again.body["confirmed"], true);
    let ev = app.events(first, &official).await;
    let classify: Vec<&Value> = ev.iter().filter(|e| e["action"] == "classify").collect();
    assert_eq!(classify.len(), 2);
    let stats = app.get("/api/v1/statistics", None).await;
    let by_cat = stats.body["appeals"]["by_category"].as_array().unwrap();
    let count = |k: &str| {
        by_cat
            .iter()
            .find(|b| b["key"] == k)
            .map(|b| b["total"].clone())
    };
    assert_eq!(count("roads"), Some(json!(8)), "{by_cat:?}");
    assert_eq!(count("other"), None, "{by_cat:?}");

    // A category with another review term moves the due date with it (public services are
    // answered sooner); once answered, the category stays as it was answered.
    let r = app
        .submit(
            &citizen,
            unclassified("Прошу заменить удостоверение личности"),
        )
        .await;
    let (id, due) = (
        r.body["id"].as_str().unwrap().to_string(),
        r.body["due_on"].clone(),
    );
    let r = app
        .post(
            &format!("/api/v1/appeals/{id}/category"),
            Some(&official),
            json!({"category_id": "public.identity_documents"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let now = app
        .get(&format!("/api/v1/appeals/{id}"), Some(&official))
        .await;
    assert!(
        now.body["due_on"].as_str().unwrap() < due.as_str().unwrap(),
        "{:?} vs {due}",
        now.body["due_on"]
    );
    app.act(&id, "answer", &official, json!({"text": "Ответ дан."}))
        .await;
    let r = app
        .post(
            &format!("/api/v1/appeals/{id}/category"),
            Some(&official),
            json!({"category_id": "other.other"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "category_locked");

    // Training: only administrators start one; the report says what it learned from.
    let r = app
        .post("/api/v1/admin/models/retrain", Some(&official), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post("/api/v1/admin/models/retrain", Some(&admin), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let reports = r.body.as_array().unwrap();
    assert_eq!(
        reports.len(),
        1,
        "too few answered appeals for a routing model: {reports:?}"
    );
    assert_eq!(reports[0]["kind"], "category");
    assert_eq!(reports[0]["examples"], 25);
    assert_eq!(reports[0]["labels"], 4);

    // The classifier now suggests, with its confidence, and fills in a new appeal's category.
    let s = app
        .post(
            "/api/v1/analytics/suggest",
            Some(&citizen),
            json!({"text": "Глубокая яма на дороге, асфальт разбит", "kato": "611600000"}),
        )
        .await;
    assert_eq!(s.body["category"]["id"], "roads.repair", "{:?}", s.body);
    assert_eq!(s.body["category"]["confident"], true, "{:?}", s.body);
    assert_eq!(s.body["rule_org_id"], "akimat-arys");
    let r = app
        .submit(
            &citizen,
            unclassified("Бродячие собаки у подъезда, прошу отловить"),
        )
        .await;
    assert_eq!(
        r.body["category_id"], "ecology.stray_animals",
        "{:?}",
        r.body
    );
    // The registration's journal entry says the classifier chose it, with what confidence.
    let evs = app.events(r.body["id"].as_str().unwrap(), &citizen).await;
    assert_eq!(evs[0]["action"], "register");
    assert_eq!(evs[0]["data"]["category_by"], "classifier", "{:?}", evs[0]);
    assert_eq!(evs[0]["data"]["model_version"], 1, "{:?}", evs[0]);
    let confidence = evs[0]["data"]["confidence"].as_f64().unwrap();
    assert!((0.5..=1.0).contains(&confidence), "{:?}", evs[0]);
    let org = r.body["org_id"].as_str().unwrap();
    app.staff(Role::Official, Some(org), "o.prefill").await;
    let mut page = Browser::new(&app, "en");
    page.sign_in("o.prefill", "staff password 1").await;
    let html = page
        .get(&format!("/appeals/{}", r.body["id"].as_str().unwrap()))
        .await;
    assert!(
        html.body
            .contains("category chosen by the classifier, confidence"),
        "{}",
        html.body
    );
    // A text like none of them is left to a human.
    let r = app
        .submit(&citizen, unclassified("Qwerty zxcvb asdfg"))
        .await;
    assert_eq!(r.body["category_id"], "other.other");
    // The advice for such a text names the body that appeal went to: the rules' for an
    // unclassified appeal, not for a category the classifier was unsure of.
    let s = app
        .post(
            "/api/v1/analytics/suggest",
            Some(&citizen),
            json!({"text": "Qwerty zxcvb asdfg", "kato": "611600000"}),
        )
        .await;
    assert_eq!(s.body["category"]["confident"], false, "{:?}", s.body);
    assert_eq!(s.body["rule_org_id"], r.body["org_id"], "{:?}", s.body);
    let bad = app
        .post(
            "/api/v1/analytics/suggest",
            Some(&citizen),
            json!({"text": "  "}),
        )
        .await;
    assert_eq!(bad.code(), "missing_field");
    // A place an appeal could not name gets no suggestion either.
    for (body, code) in [
        (json!({"text": "Яма", "kato": "61160000"}), "invalid_kato"),
        (
            json!({"text": "Яма", "kato": "999999999"}),
            "unknown_territory",
        ),
        (
            json!({"text": "Яма", "location": {"lat": 200.0, "lon": 69.6}}),
            "invalid_location",
        ),
    ] {
        let bad = app
            .post("/api/v1/analytics/suggest", Some(&citizen), body)
            .await;
        assert_eq!(
            bad.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            bad.body
        );
        assert_eq!(bad.code(), code, "{:?}", bad.body);
    }

    // The models survive a restart: they are loaded from the database.
    let status = app.get("/api/v1/admin/models", Some(&admin)).await;
    assert_eq!(status.body["models"][0]["version"], 1);
    app.state.set_models(Default::default());
    tyndau_web::learning::load(&app.state).await.unwrap();
    let m = app.state.models();
    let c = m.category.as_ref().expect("category model loaded");
    assert_eq!(c.version, 1);
    assert_eq!(c.examples, 25);

    // The official's page shows the suggestion and confirms or corrects through a form.
    let mut b = Browser::new(&app, "ru");
    b.sign_in("o.learn", "staff password 1").await;
    let (dogs, _) = &ids[20];
    let page = b.get(&format!("/appeals/{dogs}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"advice\""), "{}", page.body);
    assert!(
        page.body
            .contains("data-category=\"ecology.stray_animals\"")
    );
    let r = b
        .post(
            &format!("/appeals/{dogs}/category"),
            &[("category_id", "ecology.greenery")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .get(&format!("/api/v1/appeals/{dogs}"), Some(&official))
        .await;
    assert_eq!(r.body["category_id"], "ecology.greenery");
    let r = b
        .post(
            &format!("/appeals/{dogs}/category"),
            &[("category_id", "nonsense")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn routing_is_learned_from_which_body_answered_and_shown_beside_the_rules() {
    let app = learning_app().await;
    let (citizen, _) = app.citizen("Айжан Омарова", 91, "ru").await;
    let (arys, _) = app
        .staff(Role::Official, Some("akimat-arys"), "o.arys")
        .await;
    let (region, _) = app
        .staff(Role::Official, Some("akimat-61"), "o.region")
        .await;
    let (admin, _) = app.staff(Role::Administrator, None, "a.route").await;
    // In this city stray dogs are the regional akimat's business (its veterinary service),
    // roads the city's: that is how the appeals were actually answered.
    for t in DOGS {
        let mut body = unclassified(t);
        body["category_id"] = json!("ecology.stray_animals");
        body["addressee_org_id"] = json!("akimat-61");
        let id = app.submit(&citizen, body).await.body["id"]
            .as_str()
            .unwrap()
            .to_string();
        let r = app
            .act(
                &id,
                "answer",
                &region,
                json!({"text": "Отлов проведён ветеринарной службой области."}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    }
    for t in ROADS {
        let mut body = unclassified(t);
        body["category_id"] = json!("roads.repair");
        let id = app.submit(&citizen, body).await.body["id"]
            .as_str()
            .unwrap()
            .to_string();
        let r = app
            .act(
                &id,
                "answer",
                &arys,
                json!({"text": "Ремонт включён в план."}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    }
    let r = app
        .post("/api/v1/admin/models/retrain", Some(&admin), json!({}))
        .await;
    let kinds: Vec<&str> = r
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["category", "route"], "{:?}", r.body);

    // A new appeal about dogs in Arys: the rules send it to the city, the learned routing to
    // the region, confidently; the official sees both and the advice.
    let s = app
        .post(
            "/api/v1/analytics/suggest",
            Some(&arys),
            json!({"text": "Бродячие собаки бегают стаей возле школы", "kato": "611600000"}),
        )
        .await;
    assert_eq!(s.body["org"]["id"], "akimat-61", "{:?}", s.body);
    assert_eq!(s.body["rule_org_id"], "akimat-arys");
    assert_eq!(s.body["advised_org_id"], "akimat-61");
    assert_eq!(s.body["advised_by"], "model");
    let s = app
        .post(
            "/api/v1/analytics/suggest",
            Some(&arys),
            json!({"text": "Яма на дороге, асфальт разбит", "kato": "611600000"}),
        )
        .await;
    assert_eq!(s.body["advised_org_id"], "akimat-arys", "{:?}", s.body);
    assert_eq!(s.body["advised_by"], "both");

    let mut body = unclassified("Стая бродячих собак во дворе дома");
    body["category_id"] = json!("ecology.stray_animals");
    let id = app.submit(&citizen, body).await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut b = Browser::new(&app, "en");
    b.sign_in("o.arys", "staff password 1").await;
    let page = b.get(&format!("/appeals/{id}")).await;
    assert!(
        page.body.contains("data-advised-by=\"model\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("Akimat of Turkistan Region"));
    // The applicant sees none of it.
    let mut c = Browser::new(&app, "en");
    c.sign_in(&iin(91), "a long password 1").await;
    let page = c.get(&format!("/appeals/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("id=\"advice\""));
}

/// Has `citizen` submit an appeal of `category` at `kato` (to `to`, else where the rules send
/// it) and `official` answer it: a routing example.
async fn answered(
    app: &TestApp,
    citizen: &str,
    official: &str,
    text: &str,
    category: &str,
    kato: &str,
    to: Option<&str>,
) {
    let mut body = unclassified(text);
    body["category_id"] = json!(category);
    body["kato"] = json!(kato);
    if let Some(to) = to {
        body["addressee_org_id"] = json!(to);
    }
    let r = app.submit(citizen, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let id = r.body["id"].as_str().unwrap();
    let r = app
        .act(id, "answer", official, json!({"text": "Ответ дан."}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
}

const ARYS: &str = "611600000";
/// Abai District of Shymkent.
const SHYMKENT: &str = "791500000";

/// Heating is each district's own body's: Arys's city akimat, Shymkent's city akimat. Most of
/// the appeals answered from Arys (stray dogs, roads) went to the region, and only three about
/// heating to the city: a single routing model learns the heating words for the Arys akimat from
/// those three alone, while the district and the words (mostly Shymkent's heating appeals) both
/// point elsewhere (the single model the server had before sent two of `NEW_HEATING` in Arys to
/// the region). The combined model learns what heating appeals say from every district's and
/// counts which body takes them in each.
async fn heating_per_district(app: &TestApp) {
    let (citizen, _) = app.citizen("Асель Нурланова", 92, "ru").await;
    let (arys, _) = app
        .staff(Role::Official, Some("akimat-arys"), "o.d.arys")
        .await;
    let (region, _) = app
        .staff(Role::Official, Some("akimat-61"), "o.d.region")
        .await;
    let (shymkent, _) = app
        .staff(Role::Official, Some("akimat-79"), "o.d.shymkent")
        .await;
    let c = citizen.as_str();
    for t in &HEATING[5..] {
        answered(app, c, &arys, t, "housing.heating", ARYS, None).await;
    }
    for t in &DOGS[..4] {
        let to = Some("akimat-61");
        answered(app, c, &region, t, "ecology.stray_animals", ARYS, to).await;
    }
    for t in &ROADS[..4] {
        answered(app, c, &region, t, "roads.repair", ARYS, Some("akimat-61")).await;
    }
    for (category, texts) in [
        ("housing.heating", HEATING),
        ("ecology.stray_animals", DOGS),
        ("roads.repair", ROADS),
    ] {
        for t in texts {
            answered(app, c, &shymkent, t, category, SHYMKENT, None).await;
        }
    }
}

/// Retrains now, as an administrator; the routing model's report.
async fn retrain_route(app: &TestApp, admin: &str) -> Value {
    let r = app
        .post("/api/v1/admin/models/retrain", Some(admin), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    r.body
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["kind"] == "route")
        .unwrap_or_else(|| panic!("a routing model: {:?}", r.body))
        .clone()
}

/// The body the routing model suggests for a text at a place.
async fn suggested_org(app: &TestApp, token: &str, text: &str, kato: &str) -> Value {
    let s = app
        .post(
            "/api/v1/analytics/suggest",
            Some(token),
            json!({"text": text, "kato": kato}),
        )
        .await;
    assert_eq!(s.status, StatusCode::OK, "{:?}", s.body);
    s.body["org"].clone()
}

/// New heating appeals, in words of their own.
const NEW_HEATING: [&str; 3] = [
    "Не греют радиаторы отопления, холодно",
    "Третий день нет отопления в квартире",
    "Прошу разобраться с отоплением, в квартире холодно",
];

#[tokio::test]
async fn the_routing_model_learns_which_body_takes_a_category_in_each_district() {
    let app = learning_app().await;
    heating_per_district(&app).await;
    let (admin, _) = app.staff(Role::Administrator, None, "a.district").await;
    let route = retrain_route(&app, &admin).await;
    assert_eq!(route["examples"], 35, "{route:?}");
    // Learnt as levels: "the region's akimat" (Shymkent's, the Turkistan region's) and "the
    // district's akimat" (Arys'), each named by the appeal's place.
    assert_eq!(route["labels"], 2, "{route:?}");
    // 35 examples: measured on the three held out of a training on the other 32.
    let accuracy = route["accuracy"].as_f64().expect("held-out accuracy");
    assert!((0.0..=1.0).contains(&accuracy), "{route:?}");

    // The same words, another body per district.
    for text in NEW_HEATING {
        let org = suggested_org(&app, &admin, text, ARYS).await;
        assert_eq!(org["id"], "akimat-arys", "{text}: {org:?}");
        let org = suggested_org(&app, &admin, text, SHYMKENT).await;
        assert_eq!(org["id"], "akimat-79", "{text}: {org:?}");
    }
    let org = suggested_org(
        &app,
        &admin,
        "Бродячие собаки бегают стаей возле школы",
        ARYS,
    )
    .await;
    assert_eq!(org["id"], "akimat-61", "{org:?}");
    assert_eq!(org["confident"], true, "{org:?}");
}

#[tokio::test]
async fn the_routing_model_tells_apart_only_the_most_frequent_bodies_and_leaves_the_rest_to_the_rules()
 {
    let app = learning_app_with(|c| c.model_max_route_bodies = 1).await;
    // Regions' akimats (Shymkent's, the Turkistan region's) answered 32, Arys' district akimat
    // 3: the district akimats are beyond the one class.
    heating_per_district(&app).await;
    let (admin, _) = app.staff(Role::Administrator, None, "a.bodies").await;
    let route = retrain_route(&app, &admin).await;
    // Every example is learnt: Arys' three as the class of the other bodies.
    assert_eq!(route["examples"], 35, "{route:?}");
    assert_eq!(route["labels"], 2, "{route:?}");

    for text in NEW_HEATING {
        // Where the other bodies answer, the model suggests none: the routing rules decide.
        let org = suggested_org(&app, &admin, text, ARYS).await;
        assert!(org.is_null(), "{text}: {org:?}");
        let org = suggested_org(&app, &admin, text, SHYMKENT).await;
        assert_eq!(org["id"], "akimat-79", "{text}: {org:?}");
    }
    let org = suggested_org(
        &app,
        &admin,
        "Бродячие собаки бегают стаей возле школы",
        ARYS,
    )
    .await;
    assert_eq!(org["id"], "akimat-61", "{org:?}");
}

/// The Almaty region, none of whose appeals the model has seen.
const ALMATY_REGION: &str = "190000000";

#[tokio::test]
async fn a_body_of_a_territorial_level_is_suggested_where_it_has_answered_nothing_yet() {
    let app = learning_app().await;
    // Only the akimats of the Turkistan region and of Shymkent answered roads appeals.
    heating_per_district(&app).await;
    let (admin, _) = app.staff(Role::Administrator, None, "a.level").await;
    let route = retrain_route(&app, &admin).await;
    assert_eq!(route["labels"], 2, "{route:?}");
    let pothole = "Глубокая яма на дороге, разбит асфальт";
    // The region's akimat, learnt from other regions' akimats, named by the place.
    let org = suggested_org(&app, &admin, pothole, ALMATY_REGION).await;
    assert_eq!(org["id"], "akimat-19", "{org:?}");
    let org = suggested_org(&app, &admin, pothole, SHYMKENT).await;
    assert_eq!(org["id"], "akimat-79", "{org:?}");
    // Without a place the level names no body: no suggestion, the rules decide.
    let s = app
        .post(
            "/api/v1/analytics/suggest",
            Some(&admin),
            json!({"text": pothole}),
        )
        .await;
    assert_eq!(s.status, StatusCode::OK, "{:?}", s.body);
    assert_eq!(s.body["org"], Value::Null, "{:?}", s.body);

    // Nor does it where the registry holds two bodies of that level.
    let mut tx = app.state.db.begin_write().await.unwrap();
    sqlx::query(
        "INSERT INTO organisations (id, code, name_kk, name_ru, name_en, level, kato) \
         VALUES ('akimat-19-bis', 'AK-19-BIS', 'Екінші', 'Второй', 'Second', 'oblast_akimat', $1)",
    )
    .bind(ALMATY_REGION)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    app.state.reload_reference().await.unwrap();
    let org = suggested_org(&app, &admin, pothole, ALMATY_REGION).await;
    assert!(org.is_null(), "{org:?}");
    let org = suggested_org(&app, &admin, pothole, SHYMKENT).await;
    assert_eq!(org["id"], "akimat-79", "{org:?}");
}

#[tokio::test]
async fn a_stored_routing_model_of_the_old_format_is_retrained_not_fatal() {
    let app = learning_app().await;
    heating_per_district(&app).await;
    let (admin, _) = app.staff(Role::Administrator, None, "a.format").await;
    tyndau_web::learning::retrain(&app.state, true, true)
        .await
        .unwrap();
    // A routing model as stored before the combined ones: a single classifier.
    let texts = [
        tyndau_analytics::Input::text(HEATING[0]),
        tyndau_analytics::Input::text(DOGS[0]),
    ];
    let old = tyndau_analytics::Classifier::train(
        &texts,
        &["akimat-arys", "akimat-61"],
        &tyndau_analytics::TrainConfig::default(),
    )
    .unwrap();
    let v = tyndau_storage::models::save(&app.state.db, "route", 2, 2, None, &old.to_bytes())
        .await
        .unwrap();
    assert_eq!(v, 2);

    // A start on it: the category model serves, the routing model is left out, not fatal.
    tyndau_web::learning::load(&app.state).await.unwrap();
    let m = app.state.models();
    assert_eq!(m.category.as_ref().expect("category model").version, 1);
    assert!(m.route.is_none());
    let s = app
        .post(
            "/api/v1/analytics/suggest",
            Some(&admin),
            json!({"text": HEATING[1], "kato": ARYS}),
        )
        .await;
    assert_eq!(s.status, StatusCode::OK, "{:?}", s.body);
    assert_eq!(s.body["org"], Value::Null, "{:?}", s.body);
    assert_eq!(s.body["category"]["id"], "housing.heating", "{:?}", s.body);

    // The background trainer's next look (nothing forced, no new data) replaces it.
    let reports = tyndau_web::learning::retrain(&app.state, false, true)
        .await
        .unwrap()
        .unwrap();
    let kinds: Vec<&str> = reports.iter().map(|r| r.kind).collect();
    assert!(kinds.contains(&"route"), "{kinds:?}");
    let stored = tyndau_storage::models::load(&app.state.db, "route")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.version, 3);
    tyndau_analytics::CombinedClassifier::from_bytes(&stored.bytes).expect("the new format");
    assert_eq!(app.state.models().route.as_ref().unwrap().version, 3);
    let org = suggested_org(&app, &admin, NEW_HEATING[1], ARYS).await;
    assert_eq!(org["id"], "akimat-arys", "{org:?}");
    assert_eq!(org["model_version"], 3, "{org:?}");
}

/// Models saved without a measured accuracy (too few examples) and with one, alternately: all
/// stored, on either database. PostgreSQL once refused a real accuracy on a connection whose
/// cached statement had been prepared for an earlier model's NULL; the pool's connections are
/// taken in turn, so the alternation reaches each of them with both.
#[tokio::test]
async fn models_with_and_without_a_measured_accuracy_are_all_saved() {
    let app = learning_app().await;
    for i in 0..48 {
        let accuracy = (i % 3 != 0).then_some(0.5 + i as f64 / 100.0);
        let v = tyndau_storage::models::save(&app.state.db, "route", 1, 2, accuracy, b"x")
            .await
            .unwrap_or_else(|e| panic!("save {i} ({accuracy:?}): {e}"));
        assert_eq!(v, i + 1);
        let m = tyndau_storage::models::load(&app.state.db, "route")
            .await
            .unwrap()
            .unwrap();
        assert_eq!(m.accuracy, accuracy);
    }
}
