//! Statutory terms through the API (KZ_RULES §1, §7): registration day, review term, forwarding
//! within 3 working days, extension by the head up to two months, and the deadline monitor.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::{Value, json};
use tyndau_core::access::Role;

/// A paper appeal registered by an official of the Arys akimat, received at `received_at`.
fn paper(received_at: &str, text: &str) -> Value {
    json!({
        "form": "application", "channel": "paper", "language": "ru", "category_id": "roads.repair", "kato": "611600000",
        "addressee_org_id": "akimat-arys", "text": text, "received_at": received_at,
        "applicant": {"kind": "individual", "full_name": "Петр Сидоров", "iin": iin(40), "email": "p@example.kz", "address": "Арыс, ул. Абая 1"}
    })
}

#[tokio::test]
async fn registration_after_working_hours_is_on_the_next_working_day_appc_art_64() {
    let app = spawn_app().await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    // Tuesday 10 February 2026, 20:00 Almaty time.
    let r = app
        .submit(
            &official,
            paper(&local_rfc3339("2026-02-10", "20:00"), "Поздно вечером"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["registered_on"], "2026-02-11");
    // The ticket names who accepted it.
    assert_eq!(r.body["ticket"]["accepted_by_name"], "Staff o");
    // During working hours it is the same day.
    let r = app
        .submit(
            &official,
            paper(&local_rfc3339("2026-02-10", "11:00"), "Днём"),
        )
        .await;
    assert_eq!(r.body["registered_on"], "2026-02-10");
}

#[tokio::test]
async fn registration_on_a_non_working_day_is_on_the_next_working_day_appc_art_64() {
    let app = spawn_app().await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    // Nauryz 2026: Saturday 21 March .. Wednesday 25 March are days off.
    let r = app
        .submit(
            &official,
            paper(&local_rfc3339("2026-03-21", "11:00"), "В праздник"),
        )
        .await;
    assert_eq!(r.body["registered_on"], "2026-03-26");
}

#[tokio::test]
async fn review_period_is_15_working_days_appc_art_76() {
    let app = spawn_app().await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    let r = app
        .submit(
            &official,
            paper(&local_rfc3339("2026-02-02", "10:00"), "Срок"),
        )
        .await;
    assert_eq!(r.body["registered_on"], "2026-02-02");
    assert_eq!(r.body["due_on"], "2026-02-23");
}

#[tokio::test]
async fn information_request_due_in_15_calendar_days() {
    let app = spawn_app().await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    let mut b = paper(
        &local_rfc3339("2026-02-02", "10:00"),
        "Прошу предоставить информацию",
    );
    b["form"] = json!("request");
    let r = app.submit(&official, b).await;
    assert_eq!(r.body["due_on"], "2026-02-17");
}

#[tokio::test]
async fn calendar_edits_by_the_administrator_change_deadlines() {
    let app = spawn_app().await;
    let (admin, _) = app.staff(Role::Administrator, None, "admin").await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    // A government decree makes Monday 9 February 2026 a day off.
    let r = app
        .client
        .put(app.url("/api/v1/admin/calendar/2026-02-09"))
        .bearer_auth(&admin)
        .json(&json!({"kind": "day_off", "name": "Transfer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let r = app
        .submit(
            &official,
            paper(&local_rfc3339("2026-02-02", "10:00"), "Срок"),
        )
        .await;
    assert_eq!(r.body["due_on"], "2026-02-24");
    let cal = app.get("/api/v1/calendar?year=2026", None).await;
    assert!(
        cal.body["non_working_weekdays"]
            .as_array()
            .unwrap()
            .contains(&json!("2026-02-09"))
    );
    // Officials may not edit the calendar.
    let r = app
        .client
        .put(app.url("/api/v1/admin/calendar/2026-02-10"))
        .bearer_auth(&official)
        .json(&json!({"kind": "day_off", "name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = app
        .client
        .delete(app.url("/api/v1/admin/calendar/2026-02-09"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = app
        .submit(
            &official,
            paper(&local_rfc3339("2026-02-02", "10:00"), "Срок снова"),
        )
        .await;
    assert_eq!(r.body["due_on"], "2026-02-23");
}

#[tokio::test]
async fn six_day_week_organisations_count_saturdays() {
    let app = spawn_app().await;
    let (official, _) = app.staff(Role::Official, Some("akimat-akdala"), "o").await;
    let mut b = paper(&local_rfc3339("2026-02-02", "10:00"), "Ауыл");
    b["addressee_org_id"] = json!("akimat-akdala");
    b["category_id"] = json!("other.other");
    b["kato"] = json!("611633000");
    let r = app.submit(&official, b).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["org_id"], "akimat-akdala", "{:?}", r.body);
    // 15 working days of a six-day week from Monday 2 February: Thursday 19 February.
    assert_eq!(r.body["due_on"], "2026-02-19");
}

#[tokio::test]
async fn forward_to_competent_body_later_than_3_working_days_is_flagged_late_appc_art_76() {
    let app = spawn_app().await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    let (citizen_tok, _) = app.citizen("x", 41, "ru").await;
    let on_time = app
        .submit(&citizen_tok, road_appeal("Свежее обращение"))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .act(
            &on_time,
            "forward",
            &official,
            json!({"org_id": "mt", "reason": "республиканская трасса"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["appeal"]["forwarded_late"], false);
    assert_eq!(r.body["appeal"]["org_id"], "mt");
    assert_eq!(r.body["appeal"]["status"], "forwarded");

    let old = app
        .submit(&official, paper("2026-01-12T10:00:00+05:00", "Старое"))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .act(
            &old,
            "forward",
            &official,
            json!({"org_id": "mt", "reason": "трасса"}),
        )
        .await;
    assert_eq!(r.body["appeal"]["forwarded_late"], true);
    // The appeal now belongs to the ministry; the akimat no longer sees it.
    let (mt, _) = app.staff(Role::Official, Some("mt"), "mt").await;
    assert_eq!(
        app.get(&format!("/api/v1/appeals/{old}"), Some(&official))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let evs = app.events(&old, &mt).await;
    let f = evs.iter().find(|e| e["action"] == "forward").unwrap();
    assert_eq!(f["from_org_id"], "akimat-arys");
    assert_eq!(f["to_org_id"], "mt");
    assert_eq!(f["data"]["late"], true);
    assert_eq!(f["data"]["forward_deadline"], "2026-01-15");
    // A forward needs a reason.
    let r = app
        .act(
            &old,
            "forward",
            &mt,
            json!({"org_id": "akimat-arys", "reason": "  "}),
        )
        .await;
    assert_eq!(r.code(), "missing_field");
}

#[tokio::test]
async fn extension_is_decided_by_the_head_capped_at_two_months_and_notified_within_3_working_days()
{
    let app = spawn_app().await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    let (head, _) = app.staff(Role::Head, Some("akimat-arys"), "h").await;
    let id = app
        .submit(
            &official,
            paper(&local_rfc3339("2026-02-02", "10:00"), "Сложный вопрос"),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.act(&id, "assign", &official, json!({})).await;

    let r = app
        .act(
            &id,
            "extend",
            &official,
            json!({"new_due_on": "2026-03-20", "reason": "нужна экспертиза"}),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "an official alone may not extend"
    );

    let r = app
        .act(
            &id,
            "extend",
            &head,
            json!({"new_due_on": "2026-04-03", "reason": "нужна экспертиза"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.code(), "extension_exceeds_cap");
    let r = app
        .act(
            &id,
            "extend",
            &head,
            json!({"new_due_on": "2026-03-07", "reason": "нужна экспертиза"}),
        )
        .await;
    assert_eq!(r.code(), "due_date_not_working_day");
    let r = app
        .act(
            &id,
            "extend",
            &head,
            json!({"new_due_on": "2026-03-20", "reason": ""}),
        )
        .await;
    assert_eq!(r.code(), "missing_field");

    let r = app
        .act(
            &id,
            "extend",
            &head,
            json!({"new_due_on": "2026-03-20", "reason": "нужна экспертиза"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["appeal"]["status"], "extended");
    assert_eq!(r.body["appeal"]["due_on"], "2026-03-20");
    assert_eq!(r.body["appeal"]["original_due_on"], "2026-02-23");
    let r = app
        .act(
            &id,
            "extend",
            &head,
            json!({"new_due_on": "2026-04-02", "reason": "ещё экспертиза"}),
        )
        .await;
    assert_eq!(r.body["appeal"]["due_on"], "2026-04-02", "{:?}", r.body);

    let evs = app.events(&id, &official).await;
    let e = evs.iter().find(|e| e["action"] == "extend").unwrap();
    assert_eq!(e["reason"], "нужна экспертиза");
    assert_eq!(e["data"]["cap"], "2026-04-02");
    assert!(e["data"]["notice_due_on"].is_string());
    // The applicant's notice is written at once, with the reason and the new date.
    let n = app
        .get(
            &format!("/api/v1/appeals/{id}/notifications"),
            Some(&official),
        )
        .await;
    let ext: Vec<&Value> = n
        .body
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["kind"] == "extended")
        .collect();
    assert_eq!(ext.len(), 2);
    assert!(
        ext[0]["body"].as_str().unwrap().contains("2026-03-20")
            && ext[0]["body"]
                .as_str()
                .unwrap()
                .contains("нужна экспертиза")
    );
}

#[tokio::test]
async fn deadline_monitor_marks_overdue_escalates_to_the_superior_body_and_tells_the_applicant() {
    let app = spawn_app().await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    let (head61, _) = app.staff(Role::Head, Some("akimat-61"), "h61").await;
    let late = app
        .submit(&official, paper("2026-01-12T10:00:00+05:00", "Давно"))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let fresh = app
        .submit(
            &official,
            paper(
                &tyndau_web::api::time(tyndau_storage::db::now_ms()),
                "Сегодня",
            ),
        )
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();

    let report = tyndau_storage::monitor::run_once(
        &app.state.db,
        &app.state.reference(),
        &app.state.settings,
        tyndau_storage::db::now_ms(),
    )
    .await
    .unwrap();
    assert_eq!(report.overdue, 1);
    assert_eq!(report.escalated, 1);
    let a = app
        .get(&format!("/api/v1/appeals/{late}"), Some(&official))
        .await;
    assert_eq!(a.body["overdue"], true);
    assert_eq!(a.body["escalated_to_org_id"], "akimat-61");
    let f = app
        .get(&format!("/api/v1/appeals/{fresh}"), Some(&official))
        .await;
    assert_eq!(f.body["overdue"], false);
    let evs = app.events(&late, &official).await;
    let actions: Vec<&str> = evs.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert!(
        actions.ends_with(&["mark_overdue", "escalate"]),
        "{actions:?}"
    );
    // The superior body's escalation queue shows it.
    let q = app
        .get(
            "/api/v1/appeals?escalated_to_org_id=akimat-61",
            Some(&head61),
        )
        .await;
    assert_eq!(q.body["items"].as_array().unwrap().len(), 1);
    let n = app
        .get(
            &format!("/api/v1/appeals/{late}/notifications"),
            Some(&official),
        )
        .await;
    assert!(
        n.body
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["kind"] == "overdue")
    );
    // A second run changes nothing.
    let again = tyndau_storage::monitor::run_once(
        &app.state.db,
        &app.state.reference(),
        &app.state.settings,
        tyndau_storage::db::now_ms(),
    )
    .await
    .unwrap();
    assert_eq!(again.overdue, 0);
}

#[tokio::test]
async fn deadline_monitor_records_a_reminder_n_working_days_before_due() {
    let app = spawn_app().await;
    let (official, _) = app.staff(Role::Official, Some("akimat-arys"), "o").await;
    let id = app
        .submit(&official, paper("2026-02-02T10:00:00+05:00", "Напоминание"))
        .await
        .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    // Due 2026-02-23 (Monday). On Tuesday 17 Feb four working days remain: no reminder yet.
    let at = |d: &str| {
        chrono::DateTime::parse_from_rfc3339(&format!("{d}T10:00:00+05:00"))
            .unwrap()
            .timestamp_millis()
    };
    let r = tyndau_storage::monitor::run_once(
        &app.state.db,
        &app.state.reference(),
        &app.state.settings,
        at("2026-02-17"),
    )
    .await
    .unwrap();
    assert_eq!(r.reminded, 0);
    let r = tyndau_storage::monitor::run_once(
        &app.state.db,
        &app.state.reference(),
        &app.state.settings,
        at("2026-02-18"),
    )
    .await
    .unwrap();
    assert_eq!(r.reminded, 1);
    let evs = app.events(&id, &official).await;
    let rem = evs.iter().find(|e| e["action"] == "remind").unwrap();
    assert_eq!(rem["data"]["working_days_left"], 3);
}
