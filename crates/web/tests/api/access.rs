//! Roles over HTTP: who sees which appeal, who may act, who sees personal data, and the audit
//! journal of officials' reads of personal data.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;
use tyndau_core::access::Role;

#[tokio::test]
async fn access_matrix_over_http() {
    let app = spawn_app().await;
    let (alice, _) = app.citizen("Alice", 20, "ru").await;
    let (bob, _) = app.citizen("Bob", 21, "ru").await;
    let (arys_official, _) = app.staff(Role::Official, Some("akimat-arys"), "arys").await;
    let (almaty_official, _) = app.staff(Role::Official, Some("akimat-75"), "almaty").await;
    let (turk_head, _) = app.staff(Role::Head, Some("akimat-61"), "turkhead").await;
    let (turk_official, _) = app
        .staff(Role::Official, Some("akimat-61"), "turkofficial")
        .await;
    let (supervisor, _) = app.staff(Role::Supervisor, None, "prosecutor").await;
    let (admin, _) = app.staff(Role::Administrator, None, "admin").await;
    let id = app.submit(&alice, road_appeal("Alice's road")).await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let path = format!("/api/v1/appeals/{id}");

    // (token, can read, sees personal data)
    let cases = [
        (&alice, true, true),
        (&bob, false, false),
        (&arys_official, true, true),
        (&almaty_official, false, false),
        (&turk_head, true, true),
        (&turk_official, false, false),
        (&supervisor, true, false),
        (&admin, true, false),
    ];
    for (i, (tok, read, pd)) in cases.iter().enumerate() {
        let r = app.get(&path, Some(tok)).await;
        if *read {
            assert_eq!(r.status, StatusCode::OK, "case {i}");
            assert_eq!(
                r.body["applicant"].is_object(),
                *pd,
                "case {i}: {:?}",
                r.body["applicant"]
            );
            assert_eq!(r.body["personal_data_redacted"], !*pd, "case {i}");
            let text = r.body.to_string();
            assert_eq!(
                text.contains(&iin(20)),
                *pd,
                "case {i}: the IIN shows only to the entitled"
            );
        } else {
            // Refused reads look like missing appeals.
            assert_eq!(r.status, StatusCode::NOT_FOUND, "case {i}");
            assert_eq!(r.code(), "appeal_not_found");
        }
    }

    // Lists follow the same rule.
    let count = |tok: &str| {
        let app = &app;
        let tok = tok.to_string();
        async move {
            app.get("/api/v1/appeals", Some(&tok)).await.body["items"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(count(&alice).await, 1);
    assert_eq!(count(&bob).await, 0);
    assert_eq!(count(&almaty_official).await, 0);
    assert_eq!(count(&turk_head).await, 1);
    assert_eq!(count(&supervisor).await, 1);

    // Acting: the supervisor reads and escalates but does not answer; a citizen cannot answer.
    let r = app
        .act(&id, "answer", &supervisor, json!({"text": "x"}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.act(&id, "answer", &alice, json!({"text": "x"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app.act(&id, "answer", &bob, json!({"text": "x"})).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app
        .act(
            &id,
            "escalate",
            &supervisor,
            json!({"reason": "жалобы граждан"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["appeal"]["escalated_to_org_id"], "akimat-61");
    // The head of the superior body may act on the subordinate body's appeal.
    let r = app
        .act(&id, "answer", &turk_head, json!({"text": "Ответ области"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    // Someone else's rating is refused.
    let r = app
        .act(&id, "rate", &arys_official, json!({"score": 5}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn officials_reads_of_personal_data_are_journaled_and_citizens_reads_are_not() {
    let app = spawn_app().await;
    let (alice, alice_id) = app.citizen("Alice", 22, "ru").await;
    let (official, official_id) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    let (supervisor, _) = app.staff(Role::Supervisor, None, "s").await;
    let id = app.submit(&alice, road_appeal("Road")).await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.get(&format!("/api/v1/appeals/{id}"), Some(&alice))
        .await;
    app.get(&format!("/api/v1/appeals/{id}"), Some(&official))
        .await;
    app.get(&format!("/api/v1/appeals/{id}"), Some(&supervisor))
        .await;
    let audit = app
        .get(&format!("/api/v1/audit?subject_id={id}"), Some(&supervisor))
        .await;
    let entries = audit.body.as_array().unwrap();
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["actor_id"], official_id.as_str());
    assert_eq!(entries[0]["action"], "read_personal_data");
    assert_ne!(entries[0]["actor_id"], alice_id.as_str());
    // The journal itself is closed to officials and citizens.
    for bad in ["-5", "0", "1001", "ten"] {
        let r = app
            .get(&format!("/api/v1/audit?limit={bad}"), Some(&supervisor))
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    assert_eq!(
        app.get("/api/v1/audit", Some(&official)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/audit", Some(&alice)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn tokens_sessions_and_logout() {
    let app = spawn_app().await;
    let (tok, _) = app.citizen("Alice", 23, "kk").await;
    let me = app.get("/api/v1/me", Some(&tok)).await;
    assert_eq!(me.body["language"], "kk");
    assert_eq!(me.body["iin"], iin(23));
    let t = app
        .post(
            "/api/v1/me/tokens",
            Some(&tok),
            json!({"name": "my script", "ttl_days": 30}),
        )
        .await;
    let api_token = t.body["token"].as_str().unwrap().to_string();
    assert_eq!(
        app.get("/api/v1/me", Some(&api_token)).await.status,
        StatusCode::OK
    );
    // API-token submissions default to the api channel.
    let r = app.submit(&api_token, road_appeal("via API")).await;
    assert_eq!(r.body["channel"], "api");
    let r = app.post("/api/v1/auth/logout", Some(&tok), json!({})).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app.get("/api/v1/me", Some(&tok)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.code(), "invalid_token");
    assert_eq!(app.get("/api/v1/me", None).await.code(), "unauthenticated");
    // Wrong passwords and unknown logins get the same answer.
    let a = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"login": iin(23), "password": "wrong password"}),
        )
        .await;
    let b = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"login": "nobody", "password": "wrong password"}),
        )
        .await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.body, b.body);
}

#[tokio::test]
async fn session_cookie_is_http_only_and_authenticates() {
    let app = spawn_app().await;
    app.citizen("Alice", 24, "ru").await;
    let r = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"login": iin(24), "password": "a long password 1"}))
        .send()
        .await
        .unwrap();
    let cookie = r
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let pair = cookie.split(';').next().unwrap();
    let me = app
        .client
        .get(app.url("/api/v1/me"))
        .header("cookie", pair)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), StatusCode::OK);
}

#[tokio::test]
async fn only_administrators_create_staff_accounts() {
    let app = spawn_app().await;
    let (admin, _) = app.staff(Role::Administrator, None, "admin").await;
    let (official, _) = app.staff(Role::Official, Some("mz"), "o").await;
    let body = json!({"role": "official", "login": "new.official", "password": "long password 2", "full_name": "Жаңа Қызметкер", "org_id": "mz"});
    assert_eq!(
        app.post("/api/v1/admin/users", Some(&official), body.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .post("/api/v1/admin/users", Some(&admin), body.clone())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(
        app.post("/api/v1/admin/users", Some(&admin), body)
            .await
            .code(),
        "login_taken"
    );
    let r = app.post("/api/v1/admin/users", Some(&admin), json!({"role": "official", "login": "x", "password": "long password 2", "full_name": "X", "org_id": "nope"})).await;
    assert_eq!(r.code(), "unknown_organisation");
    let login = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"login": "new.official", "password": "long password 2"}),
        )
        .await;
    assert_eq!(login.body["user"]["role"], "official");
}
