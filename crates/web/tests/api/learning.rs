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
    spawn_with(|c| {
        // Small models train in a moment; the test starts trainings itself.
        c.model_feature_bits = 14;
        c.model_min_examples = 10;
        c.model_retrain_secs = 0;
        c.statistics_cache_ms = 0;
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
    // A text like none of them is left to a human.
    let r = app
        .submit(&citizen, unclassified("Qwerty zxcvb asdfg"))
        .await;
    assert_eq!(r.body["category_id"], "other.other");
    let bad = app
        .post(
            "/api/v1/analytics/suggest",
            Some(&citizen),
            json!({"text": "  "}),
        )
        .await;
    assert_eq!(bad.code(), "missing_field");

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
