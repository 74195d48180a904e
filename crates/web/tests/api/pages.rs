//! The web pages over real HTTP, as a browser without JavaScript uses them: cookies, CSRF
//! tokens, 303 redirects, forms shown again with errors. (The browser suite in tests/browser
//! drives the same pages in Chromium.)

use crate::helpers::*;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use std::collections::BTreeMap;
use tyndau_core::access::Role;

pub(crate) struct Browser<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    cookies: BTreeMap<String, String>,
    lang: &'static str,
}

pub(crate) struct Page {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: String,
}

impl Page {
    pub(crate) fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    /// The value of the first `name="…" value="…"` input.
    pub(crate) fn input(&self, name: &str) -> String {
        let at = self
            .body
            .find(&format!("name=\"{name}\" value=\""))
            .unwrap_or_else(|| panic!("no input {name}"));
        let rest = &self.body[at + name.len() + 15..];
        rest[..rest.find('"').unwrap()].to_string()
    }
}

impl<'a> Browser<'a> {
    pub(crate) fn new(app: &'a TestApp, lang: &'static str) -> Self {
        Browser {
            app,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: BTreeMap::new(),
            lang,
        }
    }

    pub(crate) fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub(crate) async fn send(&mut self, req: reqwest::RequestBuilder) -> Page {
        let r = req
            .header("cookie", self.cookie_header())
            .header("accept-language", self.lang)
            .send()
            .await
            .unwrap();
        for c in r.headers().get_all(SET_COOKIE) {
            let s = c.to_str().unwrap();
            let (kv, _) = s.split_once(';').unwrap_or((s, ""));
            let (k, v) = kv.split_once('=').unwrap();
            if s.contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_string(), v.to_string());
            }
        }
        Page {
            status: r.status(),
            headers: r.headers().clone(),
            body: r.text().await.unwrap(),
        }
    }

    pub(crate) async fn get(&mut self, path: &str) -> Page {
        let req = self.client.get(self.app.url(path));
        self.send(req).await
    }

    /// Posts a form with the CSRF token, as the page's own form would.
    pub(crate) async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.cookies.get("tyndau_csrf").cloned().unwrap_or_default();
        let mut all: Vec<(&str, &str)> = vec![("csrf", &csrf)];
        all.extend_from_slice(fields);
        let req = self.client.post(self.app.url(path)).form(&all);
        self.send(req).await
    }

    pub(crate) async fn post_without_csrf(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let req = self.client.post(self.app.url(path)).form(fields);
        self.send(req).await
    }

    pub(crate) async fn sign_in(&mut self, login: &str, password: &str) -> Page {
        self.get("/login").await;
        let r = self
            .post("/login", &[("login", login), ("password", password)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        r
    }
}

async fn citizen_browser<'a>(app: &'a TestApp, serial: u32, lang: &'static str) -> Browser<'a> {
    app.citizen(&format!("Сәрсенова Айгерім{serial}"), serial, "kk")
        .await;
    let mut b = Browser::new(app, lang);
    b.sign_in(&iin(serial), "a long password 1").await;
    b
}

/// Submits the road appeal through the form; returns the appeal id.
async fn submit_form(b: &mut Browser<'_>, text: &str) -> String {
    let form = b.get("/appeals/new").await;
    assert_eq!(form.status, StatusCode::OK);
    let idem = form.input("idem");
    let r = b
        .post(
            "/appeals/new",
            &[
                ("form", "application"),
                ("language", "kk"),
                ("category_id", "roads.repair"),
                ("kato", "611600000"),
                ("lat", ""),
                ("lon", ""),
                ("text", text),
                ("idem", &idem),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let loc = r.location().to_string();
    assert!(loc.ends_with("/ticket"), "{loc}");
    loc.trim_start_matches("/appeals/")
        .trim_end_matches("/ticket")
        .to_string()
}

#[tokio::test]
async fn a_citizen_submits_an_appeal_through_the_form_and_gets_a_ticket() {
    let app = spawn_app().await;
    let mut b = citizen_browser(&app, 40, "kk").await;
    let id = submit_form(&mut b, "Абай көшесінде жол бұзылған").await;
    let ticket = b.get(&format!("/appeals/{id}/ticket")).await;
    assert_eq!(ticket.status, StatusCode::OK);
    assert!(ticket.body.contains("<html lang=\"kk\">"));
    assert!(ticket.body.contains("id=\"reg-no\""));
    assert!(
        ticket.body.contains("Өтінішіңіз тіркелді"),
        "{}",
        ticket.body
    );
    assert_eq!(app.count_appeals().await, 1);
    let mine = b.get("/my/appeals").await;
    assert!(mine.body.contains(&format!("data-id=\"{id}\"")));
}

#[tokio::test]
async fn sending_the_same_appeal_form_twice_registers_one_appeal() {
    let app = spawn_app().await;
    let mut b = citizen_browser(&app, 41, "en").await;
    let form = b.get("/appeals/new").await;
    let idem = form.input("idem");
    let fields = [
        ("form", "application"),
        ("language", "ru"),
        ("category_id", "roads.repair"),
        ("kato", "611600000"),
        ("text", "Яма на дороге"),
        ("idem", idem.as_str()),
    ];
    let first = b.post("/appeals/new", &fields).await;
    let second = b.post("/appeals/new", &fields).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert_eq!(second.status, StatusCode::SEE_OTHER);
    assert_eq!(first.location(), second.location());
    assert_eq!(app.count_appeals().await, 1);
}

#[tokio::test]
async fn a_form_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let mut b = citizen_browser(&app, 42, "en").await;
    let fields = [
        ("form", "application"),
        ("language", "ru"),
        ("category_id", "roads.repair"),
        ("kato", "611600000"),
        ("text", "Яма"),
    ];
    let r = b.post_without_csrf("/appeals/new", &fields).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("expired"), "{}", r.body);
    let mut forged = fields.to_vec();
    forged.push(("csrf", "0123456789abcdef0123456789abcdef"));
    let r = b.post_without_csrf("/appeals/new", &forged).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Sign-out is a form too: a cross-site page cannot sign a citizen out.
    let r = b.post_without_csrf("/logout", &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count_appeals().await, 0);
    assert_eq!(b.get("/my/appeals").await.status, StatusCode::OK);
}

#[tokio::test]
async fn an_invalid_appeal_form_is_shown_again_with_the_errors_beside_the_fields() {
    let app = spawn_app().await;
    let mut b = citizen_browser(&app, 43, "ru").await;
    b.get("/appeals/new").await;
    let r = b
        .post(
            "/appeals/new",
            &[
                ("form", "application"),
                ("language", "ru"),
                ("category_id", ""),
                ("kato", "611600000"),
                ("lat", "north"),
                ("lon", "76.9"),
                ("text", "   "),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"error-summary\""));
    assert!(r.body.contains("id=\"text-error\""));
    assert!(r.body.contains("id=\"category_id-error\""));
    assert!(r.body.contains("id=\"lat-error\""));
    assert!(r.body.contains("Выберите тему обращения"), "{}", r.body);
    // What was typed is kept.
    assert!(r.body.contains("value=\"76.9\""));
    assert_eq!(app.count_appeals().await, 0);
}

#[tokio::test]
async fn text_written_by_users_is_shown_as_text_never_as_markup() {
    let app = spawn_app().await;
    let mut b = citizen_browser(&app, 44, "en").await;
    let id = submit_form(&mut b, "<script>alert(1)</script><b onclick=x>bold</b>").await;
    let page = b.get(&format!("/appeals/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>alert"));
    assert!(!page.body.contains("<b onclick"));
    assert!(
        page.body
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;")
    );
}

#[tokio::test]
async fn a_citizen_cannot_open_another_citizens_appeal() {
    let app = spawn_app().await;
    let mut alice = citizen_browser(&app, 45, "en").await;
    let id = submit_form(&mut alice, "Alice's private matter").await;
    let mut bob = citizen_browser(&app, 46, "en").await;
    for path in [format!("/appeals/{id}"), format!("/appeals/{id}/ticket")] {
        let r = bob.get(&path).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(r.body.contains("data-code=\"appeal_not_found\""));
        assert!(!r.body.contains("Alice's private matter"));
    }
    // Nor act on it.
    let r = bob
        .post(&format!("/appeals/{id}/rate"), &[("score", "1")])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Signed out: sent to sign in, then back.
    let mut anon = Browser::new(&app, "en");
    let r = anon.get("/my/appeals").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login?next=/my/appeals");
}

#[tokio::test]
async fn an_official_takes_and_answers_in_the_pages_and_the_citizen_rates() {
    let app = spawn_app().await;
    let mut citizen = citizen_browser(&app, 47, "kk").await;
    let id = submit_form(&mut citizen, "Жол жөндеу керек").await;
    app.staff(Role::Official, Some("akimat-arys"), "arys.pages")
        .await;
    let mut official = Browser::new(&app, "ru");
    let r = official.sign_in("arys.pages", "staff password 1").await;
    assert_eq!(r.location(), "/office/queue");
    let queue = official.get("/office/queue").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert!(queue.body.contains(&format!("data-id=\"{id}\"")));
    let page = official.get(&format!("/appeals/{id}")).await;
    assert!(page.body.contains("id=\"assign-form\""));
    assert!(!page.body.contains("id=\"rate-form\""));
    let r = official.post(&format!("/appeals/{id}/assign"), &[]).await;
    assert_eq!(r.location(), format!("/appeals/{id}"));
    let r = official
        .post(
            &format!("/appeals/{id}/answer"),
            &[("text", "Жол 2027 жылы жөнделеді.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = official.get(&format!("/appeals/{id}")).await;
    assert!(page.body.contains("data-status=\"answered\""));
    assert!(page.body.contains("id=\"notice\""));

    // An out-of-range score is refused beside the form, changing nothing.
    let r = citizen
        .post(&format!("/appeals/{id}/rate"), &[("score", "9")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("data-status=\"answered\""));
    let r = citizen
        .post(&format!("/appeals/{id}/rate"), &[("score", "5")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = citizen.get(&format!("/appeals/{id}")).await;
    assert!(page.body.contains("data-status=\"rated\""));
    assert!(page.body.contains("5/5"));

    // Citizens have no queue.
    assert_eq!(
        citizen.get("/office/queue").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn pages_send_a_content_security_policy_and_http_only_cookies() {
    let app = spawn_with(|c| c.cookie_secure = true).await;
    let mut b = Browser::new(&app, "en");
    let r = b.get("/").await;
    let csp = r.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    let set: Vec<&str> = r
        .headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert!(
        set.iter().any(|c| c.starts_with("tyndau_csrf=")
            && c.contains("HttpOnly")
            && c.contains("Secure"))
    );
    // The API keeps its JSON and no page headers.
    let api = b.get("/api/v1/categories").await;
    assert!(api.headers.get("content-security-policy").is_none());
}

#[tokio::test]
async fn the_language_is_the_remembered_choice_else_accept_language() {
    let app = spawn_app().await;
    let mut b = Browser::new(&app, "ru-RU,ru;q=0.9");
    assert!(b.get("/").await.body.contains("<html lang=\"ru\">"));
    let r = b.get("/lang/en?next=/petitions").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/petitions");
    let page = b.get("/petitions").await;
    assert!(page.body.contains("<html lang=\"en\">"));
    assert!(page.body.contains("Petitions"));
    let kk = b.get("/lang/kk?next=/").await;
    assert_eq!(kk.location(), "/");
    assert!(b.get("/").await.body.contains("<html lang=\"kk\">"));
    // Never a redirect to another site.
    assert_eq!(b.get("/lang/en?next=//evil.example").await.location(), "/");
    assert_eq!(b.get("/lang/xx?next=/").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_petition_is_created_admitted_and_signed_in_the_pages() {
    let app = spawn_app().await;
    let mut author = citizen_browser(&app, 48, "en").await;
    author.get("/petitions/new").await;
    let r = author
        .post(
            "/petitions/new",
            &[
                ("title", "Street lights on Abai street"),
                ("text", "It is dark at night."),
                ("proposals", "Install lights."),
                ("addressee_org_id", "akimat-arys"),
                ("language", "ru"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let path = r.location().to_string();
    let draft = author.get(&path).await;
    assert!(draft.body.contains("data-status=\"draft\""));
    let r = author.post(&format!("{path}/submit"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    // A moderator of the authorised body (configuration: petition_moderator_orgs).
    app.staff(Role::Official, Some("mcriap"), "moderator.pages")
        .await;
    let mut moderator = Browser::new(&app, "en");
    moderator
        .sign_in("moderator.pages", "staff password 1")
        .await;
    let queue = moderator.get("/office/moderation").await;
    let id = path.trim_start_matches("/petitions/");
    assert!(queue.body.contains(&format!("data-id=\"{id}\"")));
    assert_eq!(
        moderator.post(&format!("{path}/take"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        moderator.post(&format!("{path}/admit"), &[]).await.status,
        StatusCode::SEE_OTHER
    );

    let mut signer = citizen_browser(&app, 49, "en").await;
    let page = signer.get(&path).await;
    assert!(page.body.contains("data-status=\"link_only\""));
    assert!(page.body.contains("id=\"sign-form\""));
    let r = signer.post(&format!("{path}/sign"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = signer.get(&path).await;
    assert!(page.body.contains("data-count=\"1\""));
    assert!(page.body.contains("id=\"signed\""));
    assert!(!page.body.contains("id=\"sign-form\""));
    // Signing again does not count twice.
    let again = signer.post(&format!("{path}/sign"), &[]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("already signed"));
    assert!(signer.get(&path).await.body.contains("data-count=\"1\""));
    let mine = signer.get("/my/signatures").await;
    assert!(mine.body.contains(&format!("data-id=\"{id}\"")));
}

#[tokio::test]
async fn the_statistics_page_counts_appeals_and_draws_accessible_charts() {
    let app = spawn_app().await;
    let (token, _) = app.citizen("Counter", 50, "ru").await;
    for i in 0..3 {
        let r = app
            .submit(&token, road_appeal(&format!("Road number {i}")))
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let mut b = Browser::new(&app, "en");
    let r = b.get("/statistics").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body
            .contains("id=\"stat-total-appeals\" data-count=\"3\"")
    );
    assert!(r.body.contains("<svg id=\"by-month\" role=\"img\""));
    assert!(r.body.contains("<table>"));
    // The same figures as open data, for programs.
    let json = app.get("/api/v1/statistics", None).await;
    assert_eq!(json.body["appeals"]["totals"]["total"], 3);
    assert_eq!(json.body["appeals"]["by_form"][0]["key"], "application");
    let csv = app
        .get("/api/v1/open-data/appeal-statistics.csv", None)
        .await;
    assert!(csv.content_type.starts_with("text/csv"));
    let text = csv.body.as_str().unwrap();
    assert!(text.starts_with("dimension,key,total,answered,answered_on_time,open,overdue\n"));
    assert!(text.contains("\ntotal,,3,0,0,3,0\n"), "{text}");
    assert!(text.contains("\ncategory,roads,3,"), "{text}");
}

/// The running counters behind the statistics follow every kind of change exactly: after
/// registrations (citizens, paper, anonymous), taking into review, forwarding, answering on time,
/// rating, a complaint (a new appeal), leaving without consideration, closing and the monitor's
/// overdue marks, they equal a full count of the appeals, and a rebuild changes nothing.
#[tokio::test]
async fn statistics_counters_agree_with_a_full_count_after_every_kind_of_change() {
    use tyndau_storage::stats;
    let app = spawn_app().await;
    let (citizen, _) = app.citizen("Counted", 51, "ru").await;
    let (official, _) = app
        .staff(Role::Official, Some("akimat-arys"), "arys.counted")
        .await;
    let mut ids = vec![];
    for i in 0..6 {
        let r = app
            .submit(&citizen, road_appeal(&format!("Дорога {i}")))
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
        ids.push(r.body["id"].as_str().unwrap().to_string());
    }
    // A paper appeal received long ago: the monitor marks it overdue.
    let old = app
        .submit(
            &official,
            serde_json::json!({
                "form": "complaint", "channel": "paper", "language": "kk", "category_id": "roads.repair",
                "kato": "611600000", "addressee_org_id": "akimat-arys", "text": "Ескі",
                "received_at": "2026-01-12T10:00:00+05:00",
                "applicant": {"kind": "individual", "full_name": "Петр Сидоров"}
            }),
        )
        .await;
    assert_eq!(old.status, StatusCode::CREATED, "{:?}", old.body);
    let anon = app
        .post(
            "/api/v1/appeals",
            None,
            serde_json::json!({"form": "report", "language": "ru", "category_id": "roads.repair", "kato": "611600000", "text": "Аноним", "anonymous": true}),
        )
        .await;
    assert_eq!(anon.status, StatusCode::CREATED, "{:?}", anon.body);

    let ok = |r: Resp| assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    for id in &ids[..4] {
        ok(app
            .act(id, "assign", &official, serde_json::json!({}))
            .await);
    }
    ok(app
        .act(
            &ids[0],
            "answer",
            &official,
            serde_json::json!({"text": "Отремонтируем."}),
        )
        .await);
    ok(app
        .act(&ids[0], "rate", &citizen, serde_json::json!({"score": 2}))
        .await);
    ok(app
        .act(
            &ids[1],
            "answer",
            &official,
            serde_json::json!({"text": "Нет."}),
        )
        .await);
    ok(app
        .act(
            &ids[1],
            "complain",
            &citizen,
            serde_json::json!({"text": "Не согласен"}),
        )
        .await);
    ok(app
        .act(
            &ids[2],
            "forward",
            &official,
            serde_json::json!({"org_id": "akimat-61", "reason": "Областная дорога"}),
        )
        .await);
    ok(app
        .act(
            &ids[3],
            "leave-without-consideration",
            &official,
            serde_json::json!({"reason": "no_substance"}),
        )
        .await);
    ok(app
        .act(&ids[0], "close", &official, serde_json::json!({}))
        .await);
    let report = tyndau_storage::monitor::run_once(
        &app.state.db,
        &app.state.reference(),
        &app.state.settings,
        tyndau_storage::db::now_ms(),
    )
    .await
    .unwrap();
    assert_eq!(report.overdue, 1);

    let offset = app.state.config.terms.utc_offset_minutes;
    let full = stats::appeal_stats_with_offset(&app.state.db, &Default::default(), offset)
        .await
        .unwrap();
    let counted = stats::counted_stats(&app.state.db).await.unwrap();
    assert_eq!(
        full.totals.total, 9,
        "6 + paper + anonymous + the complaint"
    );
    assert_eq!(full.totals.overdue, 1);
    assert_eq!(full.totals.answered, 2);
    assert_eq!(counted, full);
    stats::rebuild_counters(&app.state.db, offset)
        .await
        .unwrap();
    assert_eq!(stats::counted_stats(&app.state.db).await.unwrap(), full);
}

#[tokio::test]
async fn the_addressed_body_reviews_decides_and_closes_a_petition_in_the_pages() {
    use crate::petitions::{actors, admitted, petition_app, sign_many};
    let app = petition_app(|_| {}).await;
    let a = actors(&app, "mz").await;
    let id = admitted(&app, &a, "mz").await;
    let rs = sign_many(&app, &id, 100..165).await;
    assert!(rs.iter().all(|r| r.status == StatusCode::CREATED));
    let path = format!("/petitions/{id}");

    let mut public = Browser::new(&app, "en");
    let page = public.get(&path).await;
    assert!(page.body.contains("data-status=\"threshold_reached\""));
    assert!(!page.body.contains("id=\"working-group-form\""));

    let mut official = Browser::new(&app, "en");
    official.sign_in("pofficial", "staff password 1").await;
    let page = official.get(&path).await;
    assert!(page.body.contains("id=\"working-group-form\""));
    assert!(
        !page.body.contains("id=\"decision-form\""),
        "only the head decides"
    );
    // An empty group is refused beside the form.
    let r = official
        .post(&format!("{path}/working-group"), &[("members", "  ")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"members-error\""));
    let r = official
        .post(
            &format!("{path}/working-group"),
            &[("members", "A. Nurlanov — deputy akim\nB. Sadykova, lawyer")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = official.get(&path).await;
    assert!(page.body.contains("data-status=\"under_review\""));
    assert!(page.body.contains("A. Nurlanov — deputy akim"));
    assert!(page.body.contains("B. Sadykova — lawyer"));
    assert!(page.body.contains("(Author)"), "the author is in the group");

    let mut head = Browser::new(&app, "en");
    head.sign_in("phead", "staff password 1").await;
    let page = head.get(&path).await;
    assert!(page.body.contains("id=\"decision-form\""));
    let r = head
        .post(
            &format!("{path}/decision"),
            &[
                ("decision", "partly_supported"),
                ("text", "Lights on 2 km this year, the rest next year."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = public.get(&path).await;
    assert!(page.body.contains("data-status=\"decision_published\""));
    assert!(page.body.contains("Partly supported"));
    assert!(page.body.contains("Lights on 2 km this year"));

    let page = official.get(&path).await;
    assert!(page.body.contains("id=\"close-form\""));
    let r = official.post(&format!("{path}/close"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        public
            .get(&path)
            .await
            .body
            .contains("data-status=\"closed\"")
    );
}

/// Issue 5, item 6: a planted serial applicant stands out; with nobody prolific, the top 1 %
/// sends no more than its share; supervisors see pseudonyms, never identities; others get 403.
#[tokio::test]
async fn serial_applicants_are_found_and_shown_as_pseudonyms() {
    let app = spawn_app().await;
    let (serial, _) = app.citizen("Serial Applicant", 60, "ru").await;
    for i in 0..8 {
        let r = app
            .submit(&serial, road_appeal(&format!("Жалоба номер {i} о другом")))
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    for s in 61..70 {
        let (t, _) = app.citizen(&format!("Citizen {s}"), s, "ru").await;
        assert_eq!(
            app.submit(&t, road_appeal("Одна жалоба")).await.status,
            StatusCode::CREATED
        );
    }
    let (supervisor, _) = app.staff(Role::Supervisor, None, "prosecutor.serial").await;
    let r = app
        .get("/api/v1/analytics/serial-applicants", Some(&supervisor))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["appeals"], 17);
    assert_eq!(r.body["applicants"], 10);
    // 1 % of 10 applicants rounds up to one: the serial applicant, with 8 of 17.
    assert_eq!(r.body["top_1_percent_appeals"], 8);
    assert_eq!(r.body["leaders"][0]["appeals"], 8);
    assert_eq!(r.body["leaders"][1]["appeals"], 1);
    let text = r.body.to_string();
    assert!(!text.contains(&iin(60)) && !text.contains("Serial Applicant"));
    assert!(
        r.body["leaders"][0]["pseudonym"]
            .as_str()
            .unwrap()
            .starts_with("A-")
    );

    let mut b = Browser::new(&app, "en");
    b.sign_in("prosecutor.serial", "staff password 1").await;
    let page = b.get("/office/serial-applicants").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-count=\"17\""));
    assert!(
        page.body
            .contains(r.body["leaders"][0]["pseudonym"].as_str().unwrap())
    );
    assert!(!page.body.contains("Serial Applicant"));
    let bad = b
        .get("/office/serial-applicants?from=2026-12-01&to=2026-01-01")
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The supervisor opens the leader: the eight appeals, earliest first, still without the
    // applicant's identity, and the read is journaled.
    let leader = r.body["leaders"][0]["pseudonym"].as_str().unwrap();
    let path = format!("/api/v1/analytics/serial-applicants/{leader}");
    let one = app.get(&path, Some(&supervisor)).await;
    assert_eq!(one.status, StatusCode::OK, "{:?}", one.body);
    assert_eq!(one.body["appeals"], 8);
    let items = one.body["items"].as_array().unwrap();
    let texts: Vec<&str> = items.iter().map(|a| a["text"].as_str().unwrap()).collect();
    let want: Vec<String> = (0..8)
        .map(|i| format!("Жалоба номер {i} о другом"))
        .collect();
    assert_eq!(texts, want);
    assert!(items.iter().all(|a| a["applicant"].is_null()));
    let text = one.body.to_string();
    assert!(!text.contains(&iin(60)) && !text.contains("Serial Applicant"));
    let (journaled,): (String,) = sqlx::query_as(
        "SELECT detail FROM audit_log WHERE action = 'analytics_read' AND subject_type = 'serial_applicant_appeals'",
    )
    .fetch_one(&app.state.db.read)
    .await
    .unwrap();
    assert_eq!(journaled, "8 appeals");
    let page = b.get(&format!("/office/serial-applicants/{leader}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-count=\"8\""));
    assert!(page.body.contains(items[0]["reg_no"].as_str().unwrap()));
    assert!(!page.body.contains("Serial Applicant"));
    // The list page links to it.
    let list = b.get("/office/serial-applicants").await;
    assert!(
        list.body
            .contains(&format!("href=\"/office/serial-applicants/{leader}?"))
    );
    // Only a pseudonym of the period's list opens; only for supervisors.
    let none = app
        .get(
            "/api/v1/analytics/serial-applicants/A-0000000000",
            Some(&supervisor),
        )
        .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    assert_eq!(none.code(), "unknown_pseudonym");
    let outside = app
        .get(
            &format!("{path}?from=2020-01-01&to=2020-12-31"),
            Some(&supervisor),
        )
        .await;
    assert_eq!(outside.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&path, Some(&serial)).await.status,
        StatusCode::FORBIDDEN
    );

    // Nothing where there is nothing: a period without appeals reports none.
    let empty = app
        .get(
            "/api/v1/analytics/serial-applicants?from=2020-01-01&to=2020-12-31",
            Some(&supervisor),
        )
        .await;
    assert_eq!(empty.body["appeals"], 0);
    assert_eq!(empty.body["top_1_percent_appeals"], 0);

    // A citizen may not see it.
    let r = app
        .get("/api/v1/analytics/serial-applicants", Some(&serial))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
