//! Online petitions end to end (KZ_RULES §3): filing, moderation, signing, thresholds, review,
//! decision, abuse resistance, discussion and open data.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tyndau_core::access::Role;
use tyndau_core::org::OrgLevel;
use tyndau_core::petition::ThresholdRule;
use tyndau_web::config::IdpConfig;
use tyndau_web::identity::{IdClaims, issue};

const IDP_SECRET: &str = "test idp secret";

pub(crate) async fn petition_app(f: impl FnOnce(&mut tyndau_web::Config)) -> TestApp {
    spawn_with(|c| {
        c.idp = Some(IdpConfig {
            issuer: "egov-test".into(),
            hs256_secret: IDP_SECRET.into(),
        });
        c.signer_key = Some("test signer key".into());
        // Every test signs from 127.0.0.1; the rate-limit test sets its own limits.
        c.sign_limits.per_ip_burst = 1_000_000;
        c.sign_limits.per_network_burst = 1_000_000;
        // Central bodies need 60 signatures in these tests instead of 50,000.
        for t in c.petitions.thresholds.iter_mut() {
            if t.level == OrgLevel::Central {
                t.absolute = Some(60);
            }
        }
        f(c)
    })
    .await
}

/// An IdP token for the citizen `serial` (given name "Given<serial>", family "Family<serial>").
fn idp_token(serial: u32, kato: &str) -> String {
    issue(
        &IdClaims {
            iss: "egov-test".into(),
            sub: iin(serial),
            given_name: format!("Aigerim{serial}"),
            family_name: format!("seitkali{serial}"),
            exp: chrono::Utc::now().timestamp() + 3600,
            email: Some(format!("c{serial}@mail{}.kz", serial % 3)),
            kato: Some(kato.into()),
        },
        IDP_SECRET.as_bytes(),
    )
}

fn new_petition(addressee: &str) -> Value {
    json!({
        "title": "Light the road from Arys to the station",
        "text": "The road has no street lights; people walk there at night.",
        "proposals": "Install street lights along the 3 km road this year.",
        "addressee_org_id": addressee,
        "language": "ru"
    })
}

pub(crate) struct Actors {
    pub author: String,
    pub moderator: String,
    pub official: String,
    pub head: String,
}

pub(crate) async fn actors(app: &TestApp, addressee: &str) -> Actors {
    Actors {
        author: idp_token(1, "611600000"),
        moderator: app
            .staff(Role::Official, Some("mcriap"), "moderator")
            .await
            .0,
        official: app
            .staff(Role::Official, Some(addressee), "pofficial")
            .await
            .0,
        head: app.staff(Role::Head, Some(addressee), "phead").await.0,
    }
}

/// Files, submits, takes and admits a petition; returns its id.
pub(crate) async fn admitted(app: &TestApp, a: &Actors, addressee: &str) -> String {
    let r = app
        .post(
            "/api/v1/petitions",
            Some(&a.author),
            new_petition(addressee),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    for (step, token) in [
        ("submit", &a.author),
        ("take", &a.moderator),
        ("admit", &a.moderator),
    ] {
        let r = app
            .post(
                &format!("/api/v1/petitions/{id}/{step}"),
                Some(token),
                json!({}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{step}: {:?}", r.body);
    }
    id
}

async fn sign(app: &TestApp, id: &str, token: &str) -> Resp {
    app.post(
        &format!("/api/v1/petitions/{id}/signatures"),
        Some(token),
        json!({}),
    )
    .await
}

pub(crate) async fn sign_many(app: &TestApp, id: &str, serials: std::ops::Range<u32>) -> Vec<Resp> {
    let futs = serials.map(|s| {
        let t = idp_token(s, if s % 2 == 0 { "750000000" } else { "611600000" });
        async move { sign(app, id, &t).await }
    });
    futures::future::join_all(futs).await
}

async fn petition(app: &TestApp, id: &str, token: Option<&str>) -> Value {
    let r = app.get(&format!("/api/v1/petitions/{id}"), token).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    r.body
}

#[tokio::test]
async fn petition_lifecycle_first_50_signatures_go_public_threshold_opens_review_within_40_working_days()
 {
    let app = petition_app(|_| {}).await;
    let a = actors(&app, "mz").await;
    let id = admitted(&app, &a, "mz").await;
    let p = petition(&app, &id, None).await;
    assert_eq!(p["status"], "link_only");
    assert_eq!(
        p["threshold"], 60,
        "the central-body threshold comes from the rules table"
    );
    // Link-only petitions are reachable by their link but not listed.
    let list = app.get("/api/v1/petitions", None).await;
    assert!(
        !list.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["id"] == id)
    );

    // 49 signatures: still link-only; the 50th makes it public.
    let rs = sign_many(&app, &id, 100..149).await;
    assert!(
        rs.iter().all(|r| r.status == StatusCode::CREATED),
        "{:?}",
        rs.iter()
            .find(|r| r.status != StatusCode::CREATED)
            .map(|r| &r.body)
    );
    assert_eq!(petition(&app, &id, None).await["status"], "link_only");
    assert_eq!(
        sign(&app, &id, &idp_token(149, "750000000")).await.status,
        StatusCode::CREATED
    );
    let p = petition(&app, &id, None).await;
    assert_eq!(p["status"], "collecting");
    assert_eq!(p["signature_count"], 50);
    assert!(
        p["collection_ends_on"].is_string(),
        "the six-month period starts"
    );

    // The threshold (60) moves it to review with a 40-working-day term from registration.
    let rs = sign_many(&app, &id, 150..165).await;
    assert!(rs.iter().all(|r| r.status == StatusCode::CREATED));
    let p = petition(&app, &id, None).await;
    assert_eq!(p["status"], "threshold_reached");
    assert_eq!(
        p["signature_count"], 65,
        "signatures still count while the body registers it"
    );
    let reg: chrono::NaiveDate = p["registered_on"].as_str().unwrap().parse().unwrap();
    let due: chrono::NaiveDate = p["review_due_on"].as_str().unwrap().parse().unwrap();
    let cal = tyndau_core::calendar::Calendar::builtin();
    assert_eq!(
        cal.working_days_between(reg, due, tyndau_core::calendar::WorkWeek::FiveDay),
        40
    );
    // Counts by region are public: 611600000 is in the Turkistan region (610000000).
    let regions = p["counts_by_region"].as_array().unwrap();
    let n = |k: &str| {
        regions
            .iter()
            .find(|r| r["kato"] == k)
            .map(|r| r["signatures"].as_i64().unwrap())
            .unwrap_or(0)
    };
    assert_eq!(n("610000000") + n("750000000"), 65);
    assert!(n("610000000") > 0 && n("750000000") > 0);

    // A decision needs the working group first (which always includes the author).
    let decision = json!({"decision": "partly_supported", "text": "Lights on 2 km this year, the rest next year."});
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/decision"),
            Some(&a.head),
            decision.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    assert!(r.body["detail"].as_str().unwrap().contains("working group"));
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/working-group"),
            Some(&a.official),
            json!({"members": [{"name": "A. Nurlanov", "position": "deputy akim"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let wg = r.body["working_group"].as_array().unwrap();
    assert!(
        wg.iter().any(|m| m["author"] == true),
        "the author is in the working group"
    );
    // Only the head of the addressed body decides.
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/decision"),
            Some(&a.official),
            decision.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/decision"),
            Some(&a.head),
            decision,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["status"], "decision_published");
    assert_eq!(r.body["decision"], "partly_supported");
    let r = sign(&app, &id, &idp_token(500, "750000000")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "petition_not_open");
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/close"),
            Some(&a.head),
            json!({}),
        )
        .await;
    assert_eq!(r.body["status"], "closed");

    // The timeline tells the whole story, without naming anyone.
    let ev = app
        .get(&format!("/api/v1/petitions/{id}/events"), None)
        .await;
    let actions: Vec<&str> = ev
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "create",
            "submit",
            "take_for_moderation",
            "admit",
            "go_public",
            "reach_threshold",
            "form_working_group",
            "publish_decision",
            "close"
        ]
    );
    assert!(
        ev.body
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e.get("actor_id").is_none())
    );
}

#[tokio::test]
async fn petition_one_signature_per_person_enforced_even_concurrently_and_on_paper() {
    let app = petition_app(|_| {}).await;
    let a = actors(&app, "mz").await;
    let id = admitted(&app, &a, "mz").await;
    let t = idp_token(7, "750000000");
    let rs = futures::future::join_all((0..8).map(|_| sign(&app, &id, &t))).await;
    let ok = rs
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    assert_eq!(
        ok, 1,
        "exactly one of eight concurrent signatures by one person counts"
    );
    assert!(
        rs.iter()
            .filter(|r| r.status != StatusCode::CREATED)
            .all(|r| r.code() == "already_signed")
    );
    // A paper signature by the same person, and a paper batch naming one person twice.
    let r = app.post(&format!("/api/v1/petitions/{id}/paper-signatures"), Some(&a.official), json!({"signatures": [
        {"iin": iin(7), "given_name": "Aigerim", "family_name": "Seitkali", "kato": "750000000"},
        {"iin": iin(8), "given_name": "Erlan", "family_name": "Ospanov", "kato": "750000000"},
        {"iin": iin(8), "given_name": "Erlan", "family_name": "Ospanov", "kato": "750000000"},
    ]})).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(
        r.body["results"],
        json!(["already_signed", "signed", "already_signed"])
    );
    assert_eq!(petition(&app, &id, None).await["signature_count"], 2);
    let (rows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM petition_signatures")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(rows, 2);
    // The database itself refuses a second row for the same person.
    let dup = sqlx::query("INSERT INTO petition_signatures (signer_hash, petition_id, public_name, channel, signed_at) SELECT signer_hash, petition_id, 'x', 'paper', 0 FROM petition_signatures LIMIT 1")
        .execute(&app.state.db.write).await;
    assert!(
        dup.is_err(),
        "the primary key enforces one signature per person"
    );
    // A bad IIN in a paper batch names the row and changes nothing.
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/paper-signatures"),
            Some(&a.official),
            json!({"signatures": [
                {"iin": iin(9), "given_name": "A", "family_name": "B"},
                {"iin": "123456789012", "given_name": "A", "family_name": "B"},
            ]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.body["field"], "signatures[1].iin");
    assert_eq!(petition(&app, &id, None).await["signature_count"], 2);
    // So does a residence typed wrong: dropped, it would vanish from the count by region.
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/paper-signatures"),
            Some(&a.official),
            json!({"signatures": [
                {"iin": iin(9), "given_name": "A", "family_name": "B", "kato": "garbage"},
            ]}),
        )
        .await;
    assert_eq!(r.code(), "invalid_kato");
    assert_eq!(r.body["field"], "signatures[0].kato");
    assert_eq!(petition(&app, &id, None).await["signature_count"], 2);
    // Citizens cannot enter paper signatures.
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/paper-signatures"),
            Some(&idp_token(3, "750000000")),
            json!({"signatures": [
        {"iin": iin(9), "given_name": "A", "family_name": "B"}]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn petition_signers_are_shown_as_first_name_and_initial_and_stored_as_a_keyed_hash() {
    let app = petition_app(|_| {}).await;
    let a = actors(&app, "mz").await;
    let id = admitted(&app, &a, "mz").await;
    let t = idp_token(42, "750000000");
    let r = sign(&app, &id, &t).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.body["public_name"], "Aigerim42 S.");
    let public = app
        .get(&format!("/api/v1/petitions/{id}/signatures"), None)
        .await;
    let text = public.body.to_string();
    assert!(text.contains("Aigerim42 S."));
    assert!(
        !text.contains(&iin(42)) && !text.contains("seitkali42"),
        "{text}"
    );
    // The signer sees their own signatures.
    let mine = app.get("/api/v1/me/signatures", Some(&t)).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.body.as_array().unwrap().len(), 1);
    assert_eq!(mine.body[0]["petition_id"], id.as_str());
    let other = app
        .get("/api/v1/me/signatures", Some(&idp_token(43, "750000000")))
        .await;
    assert_eq!(other.body.as_array().unwrap().len(), 0);
    // The stored hash is neither the IIN nor its plain SHA-256: it needs the key.
    let (h,): (String,) = sqlx::query_as("SELECT signer_hash FROM petition_signatures")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    use sha2::Digest;
    assert_ne!(h, iin(42));
    assert_ne!(h, hex::encode(sha2::Sha256::digest(iin(42).as_bytes())));
    assert_eq!(
        h,
        tyndau_web::identity::signer_hash(b"test signer key", &iin(42))
    );
    // The public never sees the author's IIN or full name; the moderator does (journaled).
    let p = petition(&app, &id, None).await;
    assert!(p.get("author").is_none());
    assert!(!p.to_string().contains(&iin(1)));
    let p = petition(&app, &id, Some(&a.moderator)).await;
    assert_eq!(p["author"]["iin"], iin(1).as_str());
    let (audits,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM audit_log WHERE subject_type = 'petition' AND subject_id = $1",
    )
    .bind(&id)
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert!(audits >= 1);
}

#[tokio::test]
async fn petition_signing_refuses_precisely_and_changes_nothing() {
    let app = petition_app(|_| {}).await;
    let a = actors(&app, "mz").await;
    let id = admitted(&app, &a, "mz").await;
    let r = sign(
        &app,
        "00000000-0000-0000-0000-000000000000",
        &idp_token(5, "750000000"),
    )
    .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "petition_not_found")
    );
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/signatures"),
            None,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // A forged token (another key) is not an identity.
    let forged = issue(
        &IdClaims {
            iss: "egov-test".into(),
            sub: iin(5),
            given_name: "X".into(),
            family_name: "Y".into(),
            exp: chrono::Utc::now().timestamp() + 60,
            email: None,
            kato: None,
        },
        b"wrong key",
    );
    let r = sign(&app, &id, &forged).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // Officials are not citizens.
    let r = sign(&app, &id, &a.official).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // A draft is not disclosed to signers.
    let d = app
        .post("/api/v1/petitions", Some(&a.author), new_petition("mz"))
        .await;
    let r = sign(
        &app,
        d.body["id"].as_str().unwrap(),
        &idp_token(5, "750000000"),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(petition(&app, &id, None).await["signature_count"], 0);
    // Filing: missing and over-long fields.
    let r = app
        .post(
            "/api/v1/petitions",
            Some(&a.author),
            json!({"title": "x", "text": "y", "addressee_org_id": "mz"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "missing_field")
    );
    let mut long = new_petition("mz");
    long["title"] = json!("я".repeat(201));
    let r = app.post("/api/v1/petitions", Some(&a.author), long).await;
    assert_eq!(
        (r.status, r.code(), r.body["field"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "too_long", Some("title"))
    );
    let r = app
        .post(
            "/api/v1/petitions",
            Some(&a.author),
            new_petition("no-such-body"),
        )
        .await;
    assert_eq!(r.code(), "unknown_organisation");
}

#[tokio::test]
async fn petition_threshold_for_a_district_akimat_follows_its_population() {
    let app = petition_app(|_| {}).await;
    let a = actors(&app, "akimat-arys").await;
    let r = app
        .post(
            "/api/v1/petitions",
            Some(&a.author),
            new_petition("akimat-arys"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    // Arys: 82,400 people > 50,000, so 2,500 signatures.
    assert_eq!(r.body["threshold"], 2500);
    let r = app
        .post(
            "/api/v1/petitions",
            Some(&a.author),
            new_petition("akimat-10"),
        )
        .await;
    // Abai region: 603,400 people, 1 % for the oblast akimat.
    assert_eq!(r.body["threshold"], 6034);
}

#[tokio::test]
async fn petition_moderation_rejects_with_an_inadmissible_subject_and_checks_the_order() {
    let app = petition_app(|_| {}).await;
    let a = actors(&app, "mz").await;
    let r = app
        .post("/api/v1/petitions", Some(&a.author), new_petition("mz"))
        .await;
    let id = r.body["id"].as_str().unwrap().to_string();
    let subjects = app.get("/api/v1/petition-subjects", None).await;
    assert_eq!(
        subjects.body.as_array().unwrap().len(),
        17,
        "KZ_RULES §3: 17 inadmissible subjects"
    );
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/submit"),
            Some(&a.author),
            json!({}),
        )
        .await;
    let sub: chrono::NaiveDate = r.body["submitted_on"].as_str().unwrap().parse().unwrap();
    let due: chrono::NaiveDate = r.body["moderation_due_on"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let cal = tyndau_core::calendar::Calendar::builtin();
    assert_eq!(
        cal.working_days_between(sub, due, tyndau_core::calendar::WorkWeek::FiveDay),
        20
    );
    // The queue shows it with its deadline.
    let q = app
        .get("/api/v1/moderation/petitions", Some(&a.moderator))
        .await;
    assert_eq!(q.body[0]["id"], id.as_str());
    assert_eq!(q.body[0]["moderation_due_on"], due.to_string());
    assert_eq!(
        app.get("/api/v1/moderation/petitions", Some(&a.author))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let reject = json!({"subject": "state_borders", "reason": "The petition asks to move the state border."});
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/reject"),
            Some(&a.moderator),
            reject.clone(),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::CONFLICT,
        "take it for moderation first: {:?}",
        r.body
    );
    assert!(r.body["detail"].as_str().unwrap().contains("moderation"));
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/take"),
            Some(&a.official),
            json!({}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "only the authorised body moderates"
    );
    app.post(
        &format!("/api/v1/petitions/{id}/take"),
        Some(&a.moderator),
        json!({}),
    )
    .await;
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/reject"),
            Some(&a.moderator),
            json!({"subject": "weather", "reason": "x"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "unknown_subject")
    );
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/reject"),
            Some(&a.moderator),
            reject,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["status"], "rejected");
    assert_eq!(r.body["rejection_subject"], "state_borders");
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/admit"),
            Some(&a.moderator),
            json!({}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::CONFLICT, "invalid_transition")
    );
    // The author sees it; the public does not.
    assert_eq!(
        app.get(&format!("/api/v1/petitions/{id}"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        petition(&app, &id, Some(&a.author)).await["status"],
        "rejected"
    );
    // Administrators maintain the list.
    let (admin, _) = app.staff(Role::Administrator, None, "padmin").await;
    let r = app
        .client
        .put(app.url("/api/v1/admin/petition-subjects/weather"))
        .bearer_auth(&admin)
        .json(&json!({"name_kk": "Ауа райы", "name_ru": "Погода", "name_en": "Weather"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/petition-subjects", None)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        18
    );
}

#[tokio::test]
async fn petition_signing_is_rate_limited_per_address_behind_a_trusted_proxy() {
    let app = petition_app(|c| {
        c.sign_limits.per_ip_burst = 3;
        c.sign_limits.per_ip_per_minute = 1;
        c.trusted_proxies = vec!["127.0.0.1".into()];
    })
    .await;
    let a = actors(&app, "mz").await;
    let id = admitted(&app, &a, "mz").await;
    let via = |serial: u32, ip: &str| {
        app.client
            .post(app.url(&format!("/api/v1/petitions/{id}/signatures")))
            .bearer_auth(idp_token(serial, "750000000"))
            .header("x-forwarded-for", ip.to_string())
    };
    for s in 0..3 {
        assert_eq!(
            app.send(via(10 + s, "203.0.113.5")).await.status,
            StatusCode::CREATED
        );
    }
    let r = app.send(via(20, "203.0.113.5")).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
    );
    // Another address is not limited by the first one's bucket.
    assert_eq!(
        app.send(via(21, "198.51.100.7")).await.status,
        StatusCode::CREATED
    );
    assert_eq!(petition(&app, &id, None).await["signature_count"], 4);
}

#[tokio::test]
async fn petition_moderators_see_trending_networks_and_invalidate_then_restore_signatures() {
    let app = petition_app(|c| c.trusted_proxies = vec!["127.0.0.1".into()]).await;
    let a = actors(&app, "mz").await;
    let id = admitted(&app, &a, "mz").await;
    for (serial, ip) in [
        (1000, "10.9.9.1"),
        (1001, "10.9.9.2"),
        (1002, "10.9.9.3"),
        (1003, "10.9.9.4"),
        (1004, "10.9.9.5"),
        (1005, "172.16.4.1"),
        (1006, "192.0.2.10"),
        (1007, "192.0.2.11"),
    ] {
        let r = app
            .send(
                app.client
                    .post(app.url(&format!("/api/v1/petitions/{id}/signatures")))
                    .bearer_auth(idp_token(serial, "750000000"))
                    .header("x-forwarded-for", ip),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    }
    let t = app
        .get(
            &format!("/api/v1/petitions/{id}/trending?by=network"),
            Some(&a.moderator),
        )
        .await;
    assert_eq!(t.status, StatusCode::OK, "{:?}", t.body);
    assert_eq!(t.body["items"][0]["key"], "10.9.9.0/24");
    assert_eq!(t.body["items"][0]["signatures"], 5);
    let d = app
        .get(
            &format!("/api/v1/petitions/{id}/trending?by=email_domain"),
            Some(&a.moderator),
        )
        .await;
    assert!(d.body["items"].as_array().unwrap().len() >= 2);
    assert_eq!(
        app.get(&format!("/api/v1/petitions/{id}/trending"), Some(&a.author))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/invalidations"),
            Some(&a.moderator),
            json!({"ip_range": "10.9.0.0/16", "reason": "one network signing in bursts"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["affected"], 5);
    let inv = r.body["id"].as_str().unwrap().to_string();
    let p = petition(&app, &id, None).await;
    assert_eq!(
        p["signature_count"], 3,
        "invalidated signatures stop counting"
    );
    assert_eq!(p["counts_by_region"][0]["signatures"], 3);
    // A repeated invalidation of the same range finds nothing left; a time window works too.
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/invalidations"),
            Some(&a.moderator),
            json!({"ip_range": "10.9.9.0/24", "reason": "again"}),
        )
        .await;
    assert_eq!(r.body["affected"], 0);
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/invalidations"),
            Some(&a.moderator),
            json!({"ip_range": "not-an-ip", "reason": "x"}),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "invalid_ip_range")
    );
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/invalidations"),
            Some(&a.moderator),
            json!({"reason": "x"}),
        )
        .await;
    assert_eq!(r.code(), "missing_field");

    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/invalidations/{inv}/restore"),
            Some(&a.moderator),
            json!({"reason": "the network is a university; confirmed genuine"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["restored"], 5);
    assert_eq!(petition(&app, &id, None).await["signature_count"], 8);
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/invalidations/{inv}/restore"),
            Some(&a.moderator),
            json!({"reason": "twice"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let window = app.post(&format!("/api/v1/petitions/{id}/invalidations"), Some(&a.moderator),
        json!({"from": "2000-01-01T00:00:00Z", "to": "2100-01-01T00:00:00Z", "reason": "everything"})).await;
    assert_eq!(window.body["affected"], 8);
    assert_eq!(petition(&app, &id, None).await["signature_count"], 0);
    // The daily counts (published once the petition is public) follow too.
    let (daily,): (i64,) = sqlx::query_as(
        "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM petition_daily_counts WHERE petition_id = $1",
    )
    .bind(&id)
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(daily, 0);
    let ev = app
        .get(&format!("/api/v1/petitions/{id}/events"), None)
        .await;
    let actions: Vec<&str> = ev
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"invalidate_signatures") && actions.contains(&"restore_signatures"));
}

#[tokio::test]
async fn petition_comments_author_replies_and_reported_comments_hide() {
    let app = petition_app(|c| c.petitions.comment_reports_to_hide = 2).await;
    let a = actors(&app, "mz").await;
    let id = admitted(&app, &a, "mz").await;
    let c1 = idp_token(300, "750000000");
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/comments"),
            Some(&c1),
            json!({"text": "Agreed, <b>dark</b> road."}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let cid = r.body["id"].as_str().unwrap().to_string();
    assert_eq!(r.body["by_author"], false);
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/comments"),
            Some(&a.author),
            json!({"text": "Thank you!", "parent_id": cid}),
        )
        .await;
    assert_eq!(r.body["by_author"], true, "the author's reply is marked");
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/comments"),
            Some(&c1),
            json!({"text": ""}),
        )
        .await;
    assert_eq!(r.code(), "empty_field");
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/comments"),
            Some(&c1),
            json!({"text": "x".repeat(2001)}),
        )
        .await;
    assert_eq!(r.code(), "too_long");
    let r = app
        .post(
            &format!("/api/v1/petitions/{id}/comments"),
            Some(&a.official),
            json!({"text": "hi"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let report = |t: String| {
        let app = &app;
        let cid = cid.clone();
        async move {
            app.post(
                &format!("/api/v1/petition-comments/{cid}/report"),
                Some(&t),
                json!({"reason": "spam"}),
            )
            .await
        }
    };
    assert_eq!(
        report(idp_token(301, "750000000")).await.body["hidden"],
        false
    );
    let again = report(idp_token(301, "750000000")).await;
    assert_eq!(
        (again.status, again.code()),
        (StatusCode::CONFLICT, "already_reported")
    );
    assert_eq!(
        report(idp_token(302, "750000000")).await.body["hidden"],
        true
    );
    let public = app
        .get(&format!("/api/v1/petitions/{id}/comments"), None)
        .await;
    assert_eq!(
        public.body.as_array().unwrap().len(),
        1,
        "the hidden comment is gone from the public view"
    );
    let moderated = app
        .get(
            &format!("/api/v1/petitions/{id}/comments"),
            Some(&a.moderator),
        )
        .await;
    assert_eq!(moderated.body.as_array().unwrap().len(), 2);
    let r = app
        .post(
            &format!("/api/v1/petition-comments/{cid}/moderate"),
            Some(&a.moderator),
            json!({"hidden": false}),
        )
        .await;
    assert_eq!(r.body["hidden"], false);
    assert_eq!(
        app.get(&format!("/api/v1/petitions/{id}/comments"), None)
            .await
            .body
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert!(
        app.get(&format!("/api/v1/petitions/{id}/comments"), None)
            .await
            .body
            .to_string()
            .contains("<b>dark</b>"),
        "text is stored and returned as written; pages escape it"
    );
}

#[tokio::test]
async fn petition_terms_lapse_link_only_expire_collection_and_mark_moderation_overdue() {
    let app = petition_app(|_| {}).await;
    let a = actors(&app, "mz").await;
    let lapsing = admitted(&app, &a, "mz").await;
    let expiring = admitted(&app, &a, "mz").await;
    sign_many(&app, &expiring, 2000..2050).await;
    assert_eq!(
        petition(&app, &expiring, None).await["status"],
        "collecting"
    );
    let r = app
        .post("/api/v1/petitions", Some(&a.author), new_petition("mz"))
        .await;
    let moderating = r.body["id"].as_str().unwrap().to_string();
    app.post(
        &format!("/api/v1/petitions/{moderating}/submit"),
        Some(&a.author),
        json!({}),
    )
    .await;
    // Nothing is due today.
    assert_eq!(
        tyndau_web::api::petitions::run_due(&app.state)
            .await
            .unwrap(),
        0
    );
    for (col, id) in [
        ("link_only_due_on", &lapsing),
        ("collection_ends_on", &expiring),
        ("moderation_due_on", &moderating),
    ] {
        sqlx::query(&format!(
            "UPDATE petitions SET {col} = '2020-01-01' WHERE id = $1"
        ))
        .bind(id)
        .execute(&app.state.db.write)
        .await
        .unwrap();
    }
    assert_eq!(
        tyndau_web::api::petitions::run_due(&app.state)
            .await
            .unwrap(),
        3
    );
    assert_eq!(petition(&app, &lapsing, None).await["status"], "lapsed");
    assert_eq!(petition(&app, &expiring, None).await["status"], "expired");
    let m = petition(&app, &moderating, Some(&a.moderator)).await;
    assert_eq!(
        (m["status"].as_str(), m["overdue"].as_bool()),
        (Some("submitted"), Some(true))
    );
    assert_eq!(
        tyndau_web::api::petitions::run_due(&app.state)
            .await
            .unwrap(),
        0,
        "each term acts once"
    );
    let r = sign(&app, &lapsing, &idp_token(9999, "750000000")).await;
    assert_eq!(r.code(), "petition_not_open");
}

#[tokio::test]
async fn petitions_list_search_and_open_data_without_personal_data() {
    let app = petition_app(|_| {}).await;
    let a = actors(&app, "mz").await;
    let id = admitted(&app, &a, "mz").await;
    sign_many(&app, &id, 3000..3050).await;
    let draft = app
        .post(
            "/api/v1/petitions",
            Some(&a.author),
            json!({
        "title": "Secret draft", "text": "t", "proposals": "p", "addressee_org_id": "mz"}),
        )
        .await;
    let list = app.get("/api/v1/petitions?q=street%20lights", None).await;
    assert_eq!(list.body["total"], 1, "{:?}", list.body);
    assert_eq!(list.body["items"][0]["id"], id.as_str());
    let list = app
        .get("/api/v1/petitions?addressee=mz&status=collecting", None)
        .await;
    assert_eq!(list.body["total"], 1);
    let r = app.get("/api/v1/petitions?status=draft", None).await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "status_not_public")
    );
    let r = app.get("/api/v1/petitions?status=nonsense", None).await;
    assert_eq!(r.code(), "invalid_value");
    // `%` and `_` are searched for as they are, not as wildcards matching every petition.
    for q in ["%25", "_", "%25street"] {
        let list = app.get(&format!("/api/v1/petitions?q={q}"), None).await;
        assert_eq!(list.body["total"], 0, "{q}: {:?}", list.body);
    }
    for (query, code) in [
        ("limit=0", "invalid_value"),
        ("limit=100000", "invalid_value"),
        ("offset=-5", "invalid_value"),
        ("kato=abc", "invalid_kato"),
    ] {
        let r = app.get(&format!("/api/v1/petitions?{query}"), None).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(r.code(), code, "{query}");
    }
    for limit in ["0", "-1", "100000"] {
        let r = app
            .get(
                &format!("/api/v1/petitions/{id}/signatures?limit={limit}"),
                None,
            )
            .await;
        assert_eq!(r.code(), "invalid_value", "{limit}");
    }
    let mine = app
        .get("/api/v1/petitions?mine=true", Some(&a.author))
        .await;
    assert_eq!(mine.body["total"], 2, "the author sees their draft too");
    assert!(
        mine.body
            .to_string()
            .contains(draft.body["id"].as_str().unwrap())
    );

    let csv = app
        .client
        .get(app.url("/api/v1/open-data/petitions.csv"))
        .send()
        .await
        .unwrap();
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("id,status,title"));
    assert!(csv.contains(&id) && !csv.contains("Secret draft"));
    assert!(!csv.contains(&iin(1)));
    let daily = app
        .get("/api/v1/open-data/petition-daily-counts.csv", None)
        .await;
    let line = daily
        .body
        .as_str()
        .unwrap()
        .lines()
        .nth(1)
        .unwrap()
        .to_string();
    assert!(line.starts_with(&id) && line.ends_with(",50"), "{line}");
}

#[test]
fn petition_threshold_rules_are_data_with_a_row_per_level() {
    let r = tyndau_core::petition::PetitionRules::default();
    let levels: Vec<OrgLevel> = r
        .thresholds
        .iter()
        .map(|t: &ThresholdRule| t.level)
        .collect();
    for l in OrgLevel::ALL {
        assert!(levels.contains(l), "{l} has a threshold row");
    }
}

#[tokio::test]
async fn petition_a_citizen_with_a_local_account_files_and_signs_like_an_idp_citizen() {
    let app = petition_app(|_| {}).await;
    let a = actors(&app, "mz").await;
    // Documents write the family name first: "Сейткали Айгерим" is shown as "Айгерим С.".
    let (local, _) = app.citizen("Сейткали Айгерим Маратовна", 77, "kk").await;
    let r = app
        .post("/api/v1/petitions", Some(&local), new_petition("mz"))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["author_public_name"], "Айгерим С.");
    let id = admitted(&app, &a, "mz").await;
    let r = sign(&app, &id, &local).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["public_name"], "Айгерим С.");
    // The same person through the IdP is the same signer.
    let r = sign(&app, &id, &idp_token(77, "750000000")).await;
    assert_eq!(r.code(), "already_signed");
    let mine = app.get("/api/v1/me/signatures", Some(&local)).await;
    assert_eq!(mine.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn demo_data_loads_with_petitions_at_every_stage() {
    let app = spawn_with(|c| {
        c.demo = true;
        c.demo_appeals = 60;
    })
    .await;
    let list = app.get("/api/v1/petitions?limit=50", None).await;
    let items = list.body["items"].as_array().unwrap();
    let by_status = |s: &str| items.iter().filter(|p| p["status"] == s).count();
    assert!(by_status("collecting") >= 2, "{:?}", list.body);
    let decided: Vec<&Value> = items
        .iter()
        .filter(|p| p["status"] == "decision_published")
        .collect();
    assert_eq!(decided.len(), 1);
    assert!(
        decided[0]["signature_count"].as_i64().unwrap()
            >= decided[0]["threshold"].as_i64().unwrap()
    );
    let r = app
        .post(
            "/api/v1/auth/login",
            None,
            json!({"login": "official.mcriap", "password": tyndau_web::demo::DEMO_PASSWORD}),
        )
        .await;
    let moderator = r.body["token"].as_str().unwrap().to_string();
    let queue = app
        .get("/api/v1/moderation/petitions", Some(&moderator))
        .await;
    assert!(
        queue.body.as_array().unwrap().len() >= 2,
        "{:?}",
        queue.body
    );
    let (appeals,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM appeals")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert!(appeals >= 50);
}

#[tokio::test]
async fn an_edit_of_a_draft_changes_something() {
    let app = petition_app(|_| {}).await;
    let a = actors(&app, "mz").await;
    let draft = app
        .post(
            "/api/v1/petitions",
            Some(&a.author),
            json!({"title": "Draft", "text": "t", "proposals": "p", "addressee_org_id": "mz"}),
        )
        .await;
    let id = draft.body["id"].as_str().unwrap().to_string();
    let put = |body: serde_json::Value| {
        app.send(
            app.client
                .put(app.url(&format!("/api/v1/petitions/{id}")))
                .bearer_auth(&a.author)
                .json(&body),
        )
    };
    for body in [json!({}), json!({"title": null})] {
        let r = put(body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            r.body
        );
        assert_eq!(r.code(), "nothing_to_change", "{body}");
    }
    let r = put(json!({"title": "A better title"})).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["title"], "A better title");
}
