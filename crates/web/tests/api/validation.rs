//! Bad input gets a precise 4xx with a stable code, and changes nothing.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;
use tyndau_core::access::Role;

/// (name, token, body, status, code, field)
type Case<'a> = (
    &'a str,
    Option<&'a str>,
    String,
    StatusCode,
    &'a str,
    Option<&'a str>,
);

#[tokio::test]
async fn bad_appeal_submissions_get_precise_errors_and_store_nothing() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Alice", 30, "ru").await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    let ok = road_appeal("Текст");

    let cases: Vec<Case> = vec![
        ("malformed json", Some(&citizen), "{\"form\": ".into(), StatusCode::BAD_REQUEST, "malformed_json", None),
        ("not an object", Some(&citizen), "[1,2]".into(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_value", None),
        ("unknown field", Some(&citizen), { let mut b = ok.clone(); b["colour"] = json!("red"); b.to_string() }, StatusCode::UNPROCESSABLE_ENTITY, "unknown_field", None),
        ("missing field", Some(&citizen), json!({"language": "ru", "category_id": "roads.repair", "text": "x"}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "missing_field", None),
        ("wrong type", Some(&citizen), { let mut b = ok.clone(); b["anonymous"] = json!("yes"); b.to_string() }, StatusCode::UNPROCESSABLE_ENTITY, "invalid_value", Some("anonymous")),
        ("bad form", Some(&citizen), { let mut b = ok.clone(); b["form"] = json!("petition"); b.to_string() }, StatusCode::UNPROCESSABLE_ENTITY, "invalid_value", Some("form")),
        ("bad language", Some(&citizen), { let mut b = ok.clone(); b["language"] = json!("de"); b.to_string() }, StatusCode::UNPROCESSABLE_ENTITY, "invalid_value", Some("language")),
        ("empty text", Some(&citizen), { let mut b = ok.clone(); b["text"] = json!("   "); b.to_string() }, StatusCode::UNPROCESSABLE_ENTITY, "missing_field", Some("text")),
        ("over-long text", Some(&citizen), { let mut b = ok.clone(); b["text"] = json!("ж".repeat(10_001)); b.to_string() }, StatusCode::UNPROCESSABLE_ENTITY, "text_too_long", Some("text")),
        ("unknown category", Some(&citizen), { let mut b = ok.clone(); b["category_id"] = json!("unicorns"); b.to_string() }, StatusCode::UNPROCESSABLE_ENTITY, "unknown_category", Some("category_id")),
        ("unknown organisation", Some(&citizen), { let mut b = ok.clone(); b["addressee_org_id"] = json!("ministry-of-magic"); b.to_string() }, StatusCode::UNPROCESSABLE_ENTITY, "unknown_organisation", Some("addressee_org_id")),
        ("bad kato", Some(&citizen), { let mut b = ok.clone(); b["kato"] = json!("61"); b.to_string() }, StatusCode::UNPROCESSABLE_ENTITY, "invalid_kato", Some("kato")),
        ("unknown territory", Some(&citizen), { let mut b = ok.clone(); b["kato"] = json!("999999999"); b.to_string() }, StatusCode::UNPROCESSABLE_ENTITY, "unknown_territory", Some("kato")),
        ("bad location", Some(&citizen), { let mut b = ok.clone(); b["location"] = json!({"lat": 91.0, "lon": 0.0}); b.to_string() }, StatusCode::UNPROCESSABLE_ENTITY, "invalid_location", Some("location")),
        ("citizen sets received_at", Some(&citizen), { let mut b = ok.clone(); b["received_at"] = json!("2026-01-01T10:00:00+05:00"); b.to_string() }, StatusCode::UNPROCESSABLE_ENTITY, "not_allowed", Some("received_at")),
        ("invalid IIN", Some(&official), json!({"form": "application", "language": "ru", "category_id": "roads.repair", "text": "x", "applicant": {"kind": "individual", "full_name": "X", "iin": "061211600013"}}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_iin", Some("applicant.iin")),
        ("invalid BIN", Some(&official), json!({"form": "application", "language": "ru", "category_id": "roads.repair", "text": "x", "applicant": {"kind": "legal_entity", "full_name": "ТОО", "bin": "123"}}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_bin", Some("applicant.bin")),
        ("future received_at", Some(&official), json!({"form": "application", "language": "ru", "category_id": "roads.repair", "text": "x", "received_at": "2199-01-01T00:00:00Z", "applicant": {"kind": "individual", "full_name": "X"}}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_value", Some("received_at")),
        ("received_at past the calendar's end", Some(&official), json!({"form": "application", "language": "ru", "category_id": "roads.repair", "text": "x", "received_at": "2999-01-01T00:00:00Z", "applicant": {"kind": "individual", "full_name": "X"}}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "invalid_time", Some("received_at")),
        ("bad attachment", Some(&citizen), { let mut b = ok.clone(); b["attachments"] = json!([{"file_name": "a.pdf", "content_type": "application/pdf", "size_bytes": 10, "sha256": "xyz"}]); b.to_string() }, StatusCode::UNPROCESSABLE_ENTITY, "invalid_attachment", Some("attachments[0]")),
    ];
    for (name, tok, body, status, code, field) in cases {
        let r = app.post_raw("/api/v1/appeals", tok, &body, &[]).await;
        assert_eq!(r.status, status, "{name}: {:?}", r.body);
        assert_eq!(r.code(), code, "{name}: {:?}", r.body);
        assert_eq!(r.content_type, "application/problem+json", "{name}");
        assert!(
            !r.body["detail"].as_str().unwrap_or("").is_empty(),
            "{name}"
        );
        if let Some(f) = field {
            assert_eq!(r.body["field"], f, "{name}: {:?}", r.body);
        }
    }
    assert_eq!(
        app.count_appeals().await,
        0,
        "no bad request stored anything"
    );
}

#[tokio::test]
async fn unknown_field_error_names_the_field() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Alice", 31, "ru").await;
    let mut b = road_appeal("x");
    b["location"] = json!({"lat": 43.2, "lon": 76.9, "alt": 800});
    let r = app.submit(&citizen, b).await;
    assert_eq!(r.code(), "unknown_field");
    assert_eq!(r.body["field"], "location.alt");
    assert!(
        r.body["detail"].as_str().unwrap().contains("alt"),
        "{:?}",
        r.body
    );
}

#[tokio::test]
async fn over_large_bodies_and_wrong_content_types_are_refused() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Alice", 32, "ru").await;
    let huge = format!("{{\"text\": \"{}\"}}", "a".repeat(300 * 1024));
    let r = app
        .post_raw("/api/v1/appeals", Some(&citizen), &huge, &[])
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.code(), "payload_too_large");
    let r = app
        .send(
            app.client
                .post(app.url("/api/v1/appeals"))
                .bearer_auth(&citizen)
                .header("content-type", "text/plain")
                .body("hello"),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.code(), "unsupported_media_type");
    // A type that merely starts like JSON's is another type.
    let body = road_appeal("Жол бұзылған").to_string();
    for (ct, status) in [
        ("application/jsonx", StatusCode::UNSUPPORTED_MEDIA_TYPE),
        ("application/json-seq", StatusCode::UNSUPPORTED_MEDIA_TYPE),
        ("Application/JSON; charset=utf-8", StatusCode::CREATED),
    ] {
        let r = app
            .send(
                app.client
                    .post(app.url("/api/v1/appeals"))
                    .bearer_auth(&citizen)
                    .header("content-type", ct)
                    .body(body.clone()),
            )
            .await;
        assert_eq!(r.status, status, "{ct}: {:?}", r.body);
    }
    assert_eq!(app.count_appeals().await, 1);
}

#[tokio::test]
async fn bad_action_bodies_get_precise_errors_and_change_nothing() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Alice", 33, "ru").await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    let id = app.submit(&citizen, road_appeal("Дорога")).await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .act(
            &id,
            "forward",
            &official,
            json!({"org_id": "nowhere", "reason": "r"}),
        )
        .await;
    assert_eq!(r.code(), "unknown_organisation");
    let r = app
        .act(
            &id,
            "forward",
            &official,
            json!({"org_id": "akimat-arys", "reason": "r"}),
        )
        .await;
    assert_eq!(r.code(), "same_organisation");
    let r = app
        .act(
            &id,
            "assign",
            &official,
            json!({"assignee_id": "someone-else"}),
        )
        .await;
    assert_eq!(r.code(), "invalid_assignee");
    let r = app
        .act(
            &id,
            "extend",
            &official,
            json!({"new_due_on": "tomorrow", "reason": "r"}),
        )
        .await;
    assert_eq!(r.code(), "invalid_date");
    app.act(&id, "answer", &official, json!({"text": "ответ"}))
        .await;
    let r = app.act(&id, "rate", &citizen, json!({"score": 6})).await;
    assert_eq!(r.code(), "invalid_rating");
    let r = app
        .act(&id, "rate", &citizen, json!({"score": "five"}))
        .await;
    assert_eq!(r.code(), "invalid_value");
    let r = app
        .act("no-such-id", "rate", &citizen, json!({"score": 5}))
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let a = app
        .get(&format!("/api/v1/appeals/{id}"), Some(&citizen))
        .await;
    assert_eq!(a.body["status"], "answered");
    assert!(a.body["rating"].is_null());
    assert_eq!(app.events(&id, &citizen).await.len(), 2);
}

#[tokio::test]
async fn registration_validates_iin_password_and_email() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"iin": "061211600013", "full_name": "A", "password": "long enough pw"}),
        )
        .await;
    assert_eq!(r.code(), "invalid_iin");
    let r = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"iin": "061211600012", "full_name": "A", "password": "short"}),
        )
        .await;
    assert_eq!(r.code(), "weak_password");
    let r = app.post("/api/v1/auth/register", None, json!({"iin": "061211600012", "full_name": "A", "password": "long enough pw", "email": "nope"})).await;
    assert_eq!(r.code(), "invalid_email");
    let r = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"iin": "061211600012", "full_name": "A", "password": "long enough pw"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app
        .post(
            "/api/v1/auth/register",
            None,
            json!({"iin": "061211600012", "full_name": "B", "password": "long enough pw"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "iin_taken");
}

#[tokio::test]
async fn unknown_routes_answer_with_a_problem_document() {
    let app = spawn_app().await;
    let r = app.get("/api/v1/nothing-here", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "route_not_found");
}

#[tokio::test]
async fn required_contents_appc_art_63_name_and_bin_of_a_legal_entity() {
    let app = spawn_app().await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    let base = json!({"form": "application", "channel": "paper", "language": "ru", "category_id": "roads.repair", "kato": "611600000", "text": "Просим отремонтировать дорогу"});
    // A legal entity is identified by its BIN.
    let mut b = base.clone();
    b["applicant"] = json!({"kind": "legal_entity", "full_name": "ТОО «Жол»"});
    let r = app.submit(&official, b).await;
    assert_eq!(r.code(), "missing_field");
    assert_eq!(r.body["field"], "applicant.bin");
    // An applicant has a name.
    let mut b = base.clone();
    b["applicant"] = json!({"kind": "individual", "full_name": " "});
    assert_eq!(app.submit(&official, b).await.code(), "invalid_name");
    // Staff registering an appeal must say whose it is.
    assert_eq!(
        app.submit(&official, base.clone()).await.code(),
        "missing_field"
    );
    assert_eq!(app.count_appeals().await, 0);
    // With the contents the law requires, it is registered, with the applicant's identifiers.
    let mut b = base;
    b["applicant"] = json!({"kind": "legal_entity", "full_name": "ТОО «Жол»", "bin": valid_bin(), "address": "Арыс, ул. Абая 5"});
    let r = app.submit(&official, b).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["applicant"]["bin"], valid_bin());
}

fn valid_bin() -> String {
    (0..100u32)
        .map(|serial| format!("050440{serial:05}"))
        .find_map(|p| {
            let mut d = [0u32; 12];
            for (i, c) in p.bytes().enumerate() {
                d[i] = u32::from(c - b'0');
            }
            tyndau_core::ids::check_digit(&d).map(|c| format!("{p}{c}"))
        })
        .unwrap()
}

#[tokio::test]
async fn the_framework_s_own_refusals_are_problem_documents_with_a_code() {
    let app = spawn_app().await;
    let (supervisor, _) = app.staff(Role::Supervisor, None, "prosecutor").await;
    // A method the route does not take: 405 with its code and the methods it does take.
    let r = app
        .client
        .get(app.url("/api/v1/analytics/suggest"))
        .bearer_auth(&supervisor)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(r.headers()["allow"], "POST");
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "method_not_allowed");
    // A path segment that is not UTF-8: 400 with a code, saying what is wrong.
    let r = app
        .client
        .get(app.url("/api/v1/appeals/%FF/similar"))
        .bearer_auth(&supervisor)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "bad_request");
    assert!(body["detail"].as_str().unwrap().contains("UTF-8"), "{body}");
    // The API's own problems pass unchanged.
    let r = app.get("/api/v1/no-such-route", Some(&supervisor)).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "route_not_found");
}

#[tokio::test]
async fn a_nul_character_is_refused_everywhere_before_the_database_sees_it() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Alice", 34, "ru").await;
    // PostgreSQL's text cannot hold U+0000: it would refuse the statement (a 500); SQLite would
    // store it. Both refuse it now, in the body, the query string and the path.
    let body = road_appeal("Жол").to_string().replace("Жол", "Жол\\u0000");
    let r = app
        .post_raw("/api/v1/appeals", Some(&citizen), &body, &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.code(), "invalid_character");
    let r = app
        .post_raw(
            "/api/v1/auth/login",
            None,
            r#"{"login":"a\u0000","password":"x"}"#,
            &[],
        )
        .await;
    assert_eq!(r.code(), "invalid_character");
    for path in [
        "/api/v1/petitions?q=%00",
        "/api/v1/appeals?cursor=%00",
        "/api/v1/appeals/%00",
    ] {
        let r = app.get(path, Some(&citizen)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(r.code(), "invalid_character", "{path}");
    }
    // An escaped backslash before "u0000" is text, not a NUL.
    let body = road_appeal("Жол").to_string().replace("Жол", "C:\\\\u0000");
    let r = app
        .post_raw("/api/v1/appeals", Some(&citizen), &body, &[])
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(app.count_appeals().await, 1);
}

#[tokio::test]
async fn step_texts_are_held_to_their_lengths_and_a_complaint_to_the_appeal_s() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Alice", 35, "ru").await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    let id = app.submit(&citizen, road_appeal("Жол бұзылған")).await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.act(&id, "answer", &official, json!({"text": "Жоспарда жоқ."}))
        .await;
    let max = app.state.config.max_text_chars;
    let r = app
        .act(
            &id,
            "complain",
            &citizen,
            json!({"text": "ж".repeat(max + 1)}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.code(), "text_too_long");
    assert_eq!(app.count_appeals().await, 1, "no complaint registered");
    let r = app
        .act(
            &id,
            "rate",
            &citizen,
            json!({"score": 4, "comment": "ж".repeat(2001)}),
        )
        .await;
    assert_eq!(r.code(), "text_too_long");
    assert_eq!(r.body["field"], "comment");
    let r = app
        .act(&id, "complain", &citizen, json!({"text": "ж".repeat(max)}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
}

#[tokio::test]
async fn a_staff_login_has_a_letter_and_an_organisation_named_must_exist() {
    let app = spawn_app().await;
    let (admin, _) = app.staff(Role::Administrator, None, "root").await;
    let staff = |login: &str, role: &str, org: Option<&str>| {
        json!({"role": role, "login": login, "password": "longpassword1", "full_name": "Staff X",
               "org_id": org})
    };
    for (body, code) in [
        (staff("", "supervisor", None), "invalid_login"),
        (staff("061211600012", "supervisor", None), "invalid_login"),
        (
            staff("p3", "supervisor", Some("nonexistent-org")),
            "unknown_organisation",
        ),
    ] {
        let r = app.post("/api/v1/admin/users", Some(&admin), body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
        assert_eq!(r.code(), code);
    }
    let r = app
        .post(
            "/api/v1/admin/users",
            Some(&admin),
            staff("p3", "supervisor", None),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    // After a language switch or a sign-in, the browser goes back only to a path on this site.
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for next in ["/%09/evil.com", "/%0d%0aX:1", "//evil.com", "/\\evil.com"] {
        let r = browser
            .get(app.url(&format!("/lang/en?next={next}")))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_redirection(), "{next}: {}", r.status());
        assert_eq!(r.headers()["location"], "/", "{next}");
    }
}

#[tokio::test]
async fn appeal_list_filters_are_checked_not_taken_as_patterns() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Alice", 36, "ru").await;
    app.submit(&citizen, road_appeal("Жол бұзылған")).await;
    for (query, code) in [
        ("cursor=zzz", "invalid_cursor"),
        ("cursor=", "invalid_cursor"),
        ("category_id=%25", "unknown_category"),
        ("from=2026-12-01&to=2026-01-01", "invalid_period"),
    ] {
        let r = app
            .get(&format!("/api/v1/appeals?{query}"), Some(&citizen))
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {:?}",
            r.body
        );
        assert_eq!(r.code(), code, "{query}");
    }
    let r = app
        .get("/api/v1/appeals?category_id=roads", Some(&citizen))
        .await;
    assert_eq!(
        r.body["items"].as_array().unwrap().len(),
        1,
        "a group matches its subcategories"
    );
}

#[tokio::test]
async fn a_body_is_a_json_object_and_a_missing_field_is_named() {
    let app = spawn_app().await;
    let r = app
        .post_raw(
            "/api/v1/auth/login",
            None,
            r#"["admin", "tyndau-demo-2026"]"#,
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.code(), "invalid_value");
    let r = app.post_raw("/api/v1/auth/login", None, "[1,", &[]).await;
    assert_eq!(r.code(), "malformed_json");
    let r = app
        .post_raw("/api/v1/auth/login", None, r#"{"login": "a"}"#, &[])
        .await;
    assert_eq!(r.code(), "missing_field");
    assert_eq!(r.body["field"], "password");
}

#[tokio::test]
async fn an_applicant_writes_through_the_site_or_the_api_not_on_paper() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Alice", 37, "ru").await;
    let mut body = road_appeal("Жол бұзылған");
    body["channel"] = json!("paper");
    let r = app.submit(&citizen, body.clone()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(
        (r.code(), r.body["field"].as_str()),
        ("not_allowed", Some("channel"))
    );
    assert_eq!(app.count_appeals().await, 0);
    body["channel"] = json!("api");
    assert_eq!(app.submit(&citizen, body).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn a_password_of_spaces_and_a_calendar_day_outside_the_calendar_are_refused() {
    let app = spawn_app().await;
    let (admin, _) = app.staff(Role::Administrator, None, "root").await;
    let r = app
        .post(
            "/api/v1/admin/users",
            Some(&admin),
            json!({"role": "supervisor", "login": "p4", "password": "          ", "full_name": "Staff Y"}),
        )
        .await;
    assert_eq!(r.code(), "weak_password");
    for date in ["1900-01-01", "2199-12-31"] {
        let r = app
            .send(
                app.client
                    .put(app.url(&format!("/api/v1/admin/calendar/{date}")))
                    .bearer_auth(&admin)
                    .json(&json!({"kind": "holiday", "name": "Test"})),
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{date}: {:?}",
            r.body
        );
        assert_eq!(r.code(), "invalid_date", "{date}");
    }
}
