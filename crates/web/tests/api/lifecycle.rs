//! The whole life of an appeal through the API, and the registration rules of KZ_RULES §1.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;
use tyndau_core::access::Role;

#[tokio::test]
async fn citizen_submits_official_answers_citizen_rates_and_journal_shows_all() {
    let app = spawn_app().await;
    let (citizen, citizen_id) = app.citizen("Айгерім Сәрсенова", 1, "kk").await;
    let (official, official_id) = app
        .staff(Role::Official, Some("akimat-arys"), "arys.official")
        .await;

    let r = app
        .submit(
            &citizen,
            road_appeal("Арыс қаласындағы Абай көшесінде жол бұзылған, жөндеу керек"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let a = r.body;
    let id = a["id"].as_str().unwrap();
    // Routed by the rules to the district akimat, numbered with its code, with a ticket.
    assert_eq!(a["org_id"], "akimat-arys");
    assert!(
        a["reg_no"].as_str().unwrap().starts_with("AK-6116/"),
        "{}",
        a["reg_no"]
    );
    assert_eq!(a["ticket"]["number"].as_str().unwrap().len(), 11);
    assert_eq!(a["status"], "registered");
    assert_eq!(a["applicant"]["iin"], iin(1));

    let r = app.act(id, "assign", &official, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["appeal"]["status"], "in_review");
    assert_eq!(r.body["appeal"]["assignee_id"], official_id.as_str());

    let r = app.act(id, "answer", &official, json!({"text": "Жол 2027 жылдың көктемінде жөнделеді. ҚР Жол туралы заңы. Шағымды жоғары органға беруге болады."})).await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["appeal"]["status"], "answered");

    let r = app
        .get(&format!("/api/v1/appeals/{id}"), Some(&citizen))
        .await;
    assert_eq!(r.body["allowed_actions"], json!(["rate", "complain"]));
    let r = app
        .act(
            id,
            "rate",
            &citizen,
            json!({"score": 5, "comment": "Рахмет"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["appeal"]["status"], "rated");
    assert_eq!(r.body["appeal"]["rating"]["score"], 5);

    let r = app.act(id, "close", &official, json!({})).await;
    assert_eq!(r.body["appeal"]["status"], "closed", "{:?}", r.body);

    let evs = app.events(id, &citizen).await;
    let actions: Vec<&str> = evs.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["register", "assign", "answer", "rate", "close"]);
    assert_eq!(evs[3]["actor_id"], citizen_id.as_str());
    assert_eq!(evs[1]["actor_id"], official_id.as_str());
    // The registration entry names the routing rule that chose the body.
    assert_eq!(evs[0]["to_org_id"], "akimat-arys");
    assert!(evs[0]["data"]["routed_by_rule"].is_string(), "{:?}", evs[0]);
    assert!(evs.iter().all(|e| e["at"].as_str().unwrap().ends_with('Z')));
}

#[tokio::test]
async fn invalid_transitions_are_rejected_with_a_clear_error_and_change_nothing() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Иван Петров", 2, "ru").await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o1").await;
    let id = app
        .submit(&citizen, road_appeal("Яма на дороге у школы"))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Rating before an answer.
    let r = app.act(&id, "rate", &citizen, json!({"score": 4})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "invalid_transition");
    assert!(
        r.body["detail"].as_str().unwrap().contains("registered"),
        "{:?}",
        r.body
    );
    // Closing an unanswered appeal.
    let r = app.act(&id, "close", &official, json!({})).await;
    assert_eq!(r.code(), "invalid_transition");
    let evs = app.events(&id, &citizen).await;
    assert_eq!(evs.len(), 1, "only the registration is journaled");
}

#[tokio::test]
async fn appeal_outside_the_addressee_competence_is_forwarded_to_the_competent_body_with_notice() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Асель Нурланова", 3, "ru").await;
    // The Ministry of Health is not competent for road repair in Arys.
    let mut body = road_appeal("Разбитая дорога на улице Абая");
    body["addressee_org_id"] = json!("mz");
    let r = app.submit(&citizen, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["addressee_org_id"], "mz");
    assert_eq!(r.body["org_id"], "akimat-arys");
    assert_eq!(r.body["status"], "forwarded");
    assert!(r.body["reg_no"].as_str().unwrap().starts_with("MZ/"));
    let id = r.body["id"].as_str().unwrap();
    let evs = app.events(id, &citizen).await;
    let fwd = evs
        .iter()
        .find(|e| e["action"] == "forward")
        .expect("forward journaled");
    assert_eq!(fwd["from_org_id"], "mz");
    assert_eq!(fwd["to_org_id"], "akimat-arys");
    let n = app
        .get(
            &format!("/api/v1/appeals/{id}/notifications"),
            Some(&citizen),
        )
        .await;
    let kinds: Vec<&str> = n
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["registered", "forwarded"]);
    assert!(
        n.body[1]["body"]
            .as_str()
            .unwrap()
            .contains("Акимат города Арыс"),
        "{:?}",
        n.body
    );
}

#[tokio::test]
async fn anonymous_appeal_is_registered_but_not_considered() {
    let app = spawn_app().await;
    let r = app
        .post("/api/v1/appeals", None, json!({"form": "report", "language": "ru", "category_id": "roads.repair", "kato": "611600000", "text": "Плохая дорога", "anonymous": true}))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["status"], "not_considered");
    assert!(
        r.body["reg_no"].as_str().is_some(),
        "every appeal is registered"
    );
    assert!(r.body["applicant"].is_null());
}

#[tokio::test]
async fn anonymous_report_of_a_crime_is_considered_and_sent_to_the_competent_body() {
    let app = spawn_app().await;
    let r = app
        .post(
            "/api/v1/appeals",
            None,
            json!({"form": "report", "language": "ru", "category_id": "law.crime", "kato": "750000000", "text": "Готовится поджог склада", "anonymous": true, "reports_crime": true}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["status"], "registered");
    assert_eq!(r.body["org_id"], "mvd");
}

#[tokio::test]
async fn signing_in_is_required_to_submit_in_ones_own_name() {
    let app = spawn_app().await;
    let before = app.count_appeals().await;
    let r = app
        .post("/api/v1/appeals", None, road_appeal("Жол бұзылған"))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.code(), "unauthenticated");
    assert_eq!(app.count_appeals().await, before);
}

#[tokio::test]
async fn repeated_appeal_same_applicant_same_subject_similar_text_is_linked_to_the_earlier() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Ерлан Ахметов", 4, "ru").await;
    let first = app
        .submit(
            &citizen,
            road_appeal("Яма на дороге по улице Абая возле дома 12 не отремонтирована"),
        )
        .await;
    let second = app
        .submit(
            &citizen,
            road_appeal(
                "Повторно: яма на дороге по улице Абая возле дома 12 так и не отремонтирована",
            ),
        )
        .await;
    assert_eq!(second.body["repeated_of"], first.body["id"]);
    // A different subject (other text) is not repeated.
    let third = app
        .submit(
            &citizen,
            road_appeal("Не работает уличное освещение в микрорайоне Самал"),
        )
        .await;
    assert!(third.body["repeated_of"].is_null());
    // Another citizen with the same text is not a repeat of someone else's appeal.
    let (other, _) = app.citizen("Другой Человек", 5, "ru").await;
    let r = app
        .submit(
            &other,
            road_appeal("Яма на дороге по улице Абая возле дома 12 не отремонтирована"),
        )
        .await;
    assert!(r.body["repeated_of"].is_null());
}

#[tokio::test]
async fn idempotency_key_makes_a_retried_post_return_the_same_appeal() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Сауле Ким", 6, "ru").await;
    let body = serde_json::to_string(&road_appeal("Сломан светофор на перекрестке")).unwrap();
    let h = [("idempotency-key", "retry-1")];
    let a = app
        .post_raw("/api/v1/appeals", Some(&citizen), &body, &h)
        .await;
    let b = app
        .post_raw("/api/v1/appeals", Some(&citizen), &body, &h)
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(b.status, StatusCode::OK);
    assert_eq!(a.body["id"], b.body["id"]);
    assert_eq!(a.body["reg_no"], b.body["reg_no"]);
    assert_eq!(app.count_appeals().await, 1);
    // The same key with another body is a client error, not a second appeal.
    let other = serde_json::to_string(&road_appeal("Другой текст")).unwrap();
    let c = app
        .post_raw("/api/v1/appeals", Some(&citizen), &other, &h)
        .await;
    assert_eq!(c.status, StatusCode::CONFLICT);
    assert_eq!(c.code(), "idempotency_key_reused");
    assert_eq!(app.count_appeals().await, 1);
}

#[tokio::test]
async fn concurrent_retries_with_one_key_register_one_appeal() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Бауыржан", 7, "kk").await;
    let body = serde_json::to_string(&road_appeal("Көпір сынған")).unwrap();
    let futs = (0..20).map(|_| {
        app.post_raw(
            "/api/v1/appeals",
            Some(&citizen),
            &body,
            &[("idempotency-key", "same")],
        )
    });
    let rs = futures::future::join_all(futs).await;
    let ids: std::collections::HashSet<String> = rs
        .iter()
        .map(|r| {
            r.body["id"]
                .as_str()
                .unwrap_or_else(|| panic!("{:?}", r.body))
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), 1);
    assert_eq!(app.count_appeals().await, 1);
}

#[tokio::test]
async fn registration_numbers_are_unique_and_sequential_per_body_and_year() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Нұрлан", 8, "kk").await;
    let futs = (0..30).map(|i| {
        app.submit(
            &citizen,
            road_appeal(&format!(
                "Өтініш нөмірі {i} жол туралы әртүрлі мәтін {}",
                i * 7919
            )),
        )
    });
    let rs = futures::future::join_all(futs).await;
    let mut seqs: Vec<u32> = rs
        .iter()
        .map(|r| {
            assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
            r.body["reg_no"]
                .as_str()
                .unwrap()
                .rsplit('/')
                .next()
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    seqs.sort();
    assert_eq!(seqs, (1..=30).collect::<Vec<_>>());
}

#[tokio::test]
async fn complaint_goes_to_the_superior_body_through_a_new_linked_appeal() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Гүлнар", 9, "kk").await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    let id = app
        .submit(&citizen, road_appeal("Жол жөнделмеді"))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.act(&id, "answer", &official, json!({"text": "Жоспарда жоқ."}))
        .await;
    let r = app
        .act(
            &id,
            "complain",
            &citizen,
            json!({"text": "Жауап дәлелсіз, келіспеймін"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["appeal"]["status"], "complained");
    let c = &r.body["created"];
    assert_eq!(c["form"], "complaint");
    assert_eq!(
        c["org_id"], "akimat-61",
        "the superior body of the Arys akimat"
    );
    assert_eq!(c["parent_appeal_id"], id.as_str());
    // The citizen sees the complaint among their appeals.
    let list = app.get("/api/v1/appeals", Some(&citizen)).await;
    assert_eq!(list.body["items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn complaint_about_silence_is_allowed_only_after_the_due_date() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Марат", 10, "ru").await;
    let id = app.submit(&citizen, road_appeal("Нет ответа")).await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .act(&id, "complain", &citizen, json!({"text": "Молчат"}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    assert_eq!(r.code(), "invalid_transition");
    sqlx::query("UPDATE appeals SET due_on = '2020-01-01', registered_on = '2019-12-01'")
        .execute(&app.state.db.write)
        .await
        .unwrap();
    let r = app
        .act(
            &id,
            "complain",
            &citizen,
            json!({"text": "Молчат", "restore_reason": "был в больнице"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["created"]["form"], "complaint");
}

#[tokio::test]
async fn complaint_window_is_3_months_and_a_missed_term_can_be_restored_for_good_reason() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Дина", 11, "ru").await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    let id = app.submit(&citizen, road_appeal("Дорога")).await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.act(&id, "answer", &official, json!({"text": "Отказано."}))
        .await;
    // The answer was given four months ago.
    let four_months_ago = tyndau_storage::db::now_ms() - 122 * 86_400_000;
    sqlx::query("UPDATE appeals SET answered_at = $1")
        .bind(four_months_ago)
        .execute(&app.state.db.write)
        .await
        .unwrap();
    let r = app
        .act(&id, "complain", &citizen, json!({"text": "Не согласна"}))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.code(), "complaint_window_expired");
    assert_eq!(r.body["field"], "restore_reason");
    assert_eq!(
        app.count_appeals().await,
        1,
        "a refused complaint stores nothing"
    );
    let r = app
        .act(
            &id,
            "complain",
            &citizen,
            json!({"text": "Не согласна", "restore_reason": "болезнь, справка приложена"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let evs = app.events(&id, &citizen).await;
    let c = evs.iter().find(|e| e["action"] == "complain").unwrap();
    assert_eq!(c["data"]["term_restored"], true);
    assert_eq!(c["reason"], "болезнь, справка приложена");
}

#[tokio::test]
async fn leaving_without_consideration_needs_a_listed_reason_and_tells_the_applicant() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Тимур", 12, "ru").await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    let id = app.submit(&citizen, road_appeal("???")).await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .act(
            &id,
            "leave-without-consideration",
            &official,
            json!({"reason": "because"}),
        )
        .await;
    assert_eq!(r.code(), "invalid_value");
    let r = app
        .act(
            &id,
            "leave-without-consideration",
            &official,
            json!({"reason": "no_substance"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["appeal"]["status"], "left_without_consideration");
    let n = app.get("/api/v1/me/notifications", Some(&citizen)).await;
    assert_eq!(n.body[0]["kind"], "left_without_consideration");
}

#[tokio::test]
async fn list_filters_and_paginates() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Алия", 13, "kk").await;
    let (supervisor, _) = app.staff(Role::Supervisor, None, "sup").await;
    for i in 0..5 {
        app.submit(
            &citizen,
            road_appeal(&format!("жол {i} туралы ерекше мәтін {}", i * 31)),
        )
        .await;
    }
    let mut b = road_appeal("Алматыдағы жарық жоқ");
    b["kato"] = json!("750000000");
    b["category_id"] = json!("roads.lighting");
    b["form"] = json!("proposal");
    app.submit(&citizen, b).await;

    let p1 = app.get("/api/v1/appeals?limit=4", Some(&supervisor)).await;
    assert_eq!(p1.body["items"].as_array().unwrap().len(), 4);
    let cursor = p1.body["next_cursor"].as_str().unwrap();
    let p2 = app
        .get(
            &format!("/api/v1/appeals?limit=4&cursor={cursor}"),
            Some(&supervisor),
        )
        .await;
    assert_eq!(p2.body["items"].as_array().unwrap().len(), 2);
    assert!(p2.body["next_cursor"].is_null());

    let by_kato = app
        .get("/api/v1/appeals?kato=750000000", Some(&supervisor))
        .await;
    assert_eq!(by_kato.body["items"].as_array().unwrap().len(), 1);
    let by_region = app
        .get("/api/v1/appeals?kato=610000000", Some(&supervisor))
        .await;
    assert_eq!(
        by_region.body["items"].as_array().unwrap().len(),
        5,
        "a region includes its districts"
    );
    let by_cat = app
        .get("/api/v1/appeals?category_id=roads", Some(&supervisor))
        .await;
    assert_eq!(
        by_cat.body["items"].as_array().unwrap().len(),
        6,
        "a top category includes subcategories"
    );
    let by_form = app
        .get("/api/v1/appeals?form=proposal", Some(&supervisor))
        .await;
    assert_eq!(by_form.body["items"].as_array().unwrap().len(), 1);
    let by_org = app
        .get(
            "/api/v1/appeals?org_id=akimat-arys&status=registered",
            Some(&supervisor),
        )
        .await;
    assert_eq!(by_org.body["items"].as_array().unwrap().len(), 5);
    let none = app
        .get("/api/v1/appeals?overdue=true", Some(&supervisor))
        .await;
    assert_eq!(none.body["items"].as_array().unwrap().len(), 0);
    let dated = app
        .get(
            "/api/v1/appeals?from=2000-01-01&to=2000-12-31",
            Some(&supervisor),
        )
        .await;
    assert_eq!(dated.body["items"].as_array().unwrap().len(), 0);
    let bad = app
        .get("/api/v1/appeals?status=lost", Some(&supervisor))
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.body["field"], "status");
    // Lists carry no personal data.
    assert!(p1.body["items"][0]["applicant"].is_null());
}

#[tokio::test]
async fn attachment_metadata_is_stored_with_the_appeal_and_shown_to_the_applicant() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Жанар", 14, "kk").await;
    let mut b = road_appeal("Фото қоса беріліп отыр");
    b["attachments"] = json!([{"file_name": "photo.jpg", "content_type": "image/jpeg", "size_bytes": 204800, "sha256": "AB".repeat(32)}]);
    b["location"] = json!({"lat": 42.43, "lon": 68.8});
    let id = app.submit(&citizen, b).await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let a = app
        .get(&format!("/api/v1/appeals/{id}"), Some(&citizen))
        .await;
    assert_eq!(a.body["attachments"][0]["file_name"], "photo.jpg");
    assert_eq!(a.body["attachments"][0]["sha256"], "ab".repeat(32));
    assert_eq!(a.body["location"]["lat"], 42.43);
}

#[tokio::test]
async fn appeals_with_and_without_a_map_point_register_in_any_order() {
    // On PostgreSQL a statement first prepared with a NULL point must accept a real one next.
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Айгерім Сәрсенова", 1, "kk").await;
    // Concurrent submissions share batches, so rows with and without a point meet in one
    // multi-row statement, in both orders.
    for round in 0..3 {
        let submits = (0..40).map(|i| {
            let mut body = road_appeal(&format!("Жол жөндеу керек {round} {i}"));
            if (i + round) % 3 == 0 {
                body["location"] = json!({"lat": 42.43, "lon": 68.81});
            }
            app.submit(&citizen, body)
        });
        for r in futures::future::join_all(submits).await {
            assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
        }
    }
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM appeals WHERE lat IS NOT NULL")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(n, 40);
}

#[tokio::test]
async fn complaints_filed_while_other_appeals_are_answered_neither_deadlock_nor_lose_a_count() {
    let app = spawn_app().await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    let mut complained = Vec::new();
    let mut open = Vec::new();
    for i in 0..24 {
        let (citizen, _) = app.citizen("Гүлнар", 40 + i, "kk").await;
        let id = app
            .submit(
                &citizen,
                road_appeal(&format!("Жол {i} жөнделмеді, {} шұңқыр бар", i * 31 + 7)),
            )
            .await
            .body["id"]
            .as_str()
            .unwrap()
            .to_string();
        if i % 2 == 0 {
            app.act(&id, "answer", &official, json!({"text": "Жоспарда жоқ."}))
                .await;
            complained.push((citizen, id));
        } else {
            open.push(id);
        }
    }
    // A complaint moves the complained appeal's counters and adds the complaint's; an answer
    // moves its appeal's. Run together, the steps lock shared counter rows (the status, the
    // category, the totals): each transaction must take them in one order.
    let complaints = complained
        .iter()
        .map(|(citizen, id)| app.act(id, "complain", citizen, json!({"text": "Жауап дәлелсіз"})));
    let answers = open
        .iter()
        .map(|id| app.act(id, "answer", &official, json!({"text": "Жөнделеді."})));
    let mut steps: Vec<_> = Vec::new();
    for (c, a) in complaints.zip(answers) {
        steps.push(futures::future::Either::Left(c));
        steps.push(futures::future::Either::Right(a));
    }
    let rs = futures::future::join_all(steps).await;
    for r in &rs {
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    }
    assert_eq!(
        rs.iter()
            .filter(|r| r.body["created"]["form"] == "complaint")
            .count(),
        12
    );
    assert_eq!(app.count_appeals().await, 36);
    let offset = app.state.config.terms.utc_offset_minutes;
    let full =
        tyndau_storage::stats::appeal_stats_with_offset(&app.state.db, &Default::default(), offset)
            .await
            .unwrap();
    assert_eq!(full.totals.total, 36);
    assert_eq!(full.totals.answered, 24);
    assert_eq!(
        tyndau_storage::stats::counted_stats(&app.state.db)
            .await
            .unwrap(),
        full
    );
}

#[tokio::test]
async fn an_appeal_is_filed_under_a_subcategory_not_a_group_of_them() {
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Гүлнар", 60, "kk").await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    let mut body = road_appeal("Жол бұзылған");
    body["category_id"] = json!("roads");
    let r = app.submit(&citizen, body).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.code(), "category_not_specific");
    assert!(
        r.body["detail"].as_str().unwrap().contains("roads.repair"),
        "the problem lists the subcategories: {:?}",
        r.body
    );
    assert_eq!(app.count_appeals().await, 0);

    let id = app.submit(&citizen, road_appeal("Жол бұзылған")).await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post(
            &format!("/api/v1/appeals/{id}/category"),
            Some(&official),
            json!({"category_id": "roads"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.code(), "category_not_specific");
    let a = app
        .get(&format!("/api/v1/appeals/{id}"), Some(&official))
        .await;
    assert_eq!(a.body["category_id"], "roads.repair");

    // An appeal stored under a group before groups were refused can still be complained
    // about: the complaint inherits its category.
    sqlx::query("UPDATE appeals SET category_id = 'roads' WHERE id = $1")
        .bind(&id)
        .execute(&app.state.db.write)
        .await
        .unwrap();
    app.act(&id, "answer", &official, json!({"text": "Жоспарда жоқ."}))
        .await;
    let r = app
        .act(&id, "complain", &citizen, json!({"text": "Келіспеймін"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["created"]["category_id"], "roads");
}
