//! Issue 5, item 5: near-duplicate detection on constructed data. A planted mass campaign is
//! found as one group of exactly its appeals among diverse ones, and nothing else is grouped; a
//! repeated appeal is linked; a group answer answers only what the official may answer; access
//! follows the rules of reading an appeal. Indexing is run synchronously
//! (`similarity::index_all`) with the background worker off, except in the worker's own test.

use crate::helpers::*;
use reqwest::StatusCode;
use reqwest::header::SET_COOKIE;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use tyndau_core::access::Role;
use tyndau_storage::similarity;

async fn app_without_worker() -> TestApp {
    spawn_with(|c| c.similarity_interval_ms = 0).await
}

async fn index(app: &TestApp) -> usize {
    similarity::index_all(&app.state.db, app.state.config.similarity_threshold)
        .await
        .unwrap()
}

/// A small deterministic generator, so a failure can be reproduced.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
    fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.next(v.len())]
    }
}

/// Phrases of everyday appeals on several subjects, in Russian and Kazakh. Diverse appeals are
/// built from a few of them plus names and places, so they share common wording ("прошу
/// принять меры") as real appeals do, without being the same text.
const PHRASES: &[&str] = &[
    "на нашей улице уже месяц не горят фонари",
    "вечером детям страшно возвращаться из школы",
    "во дворе течёт канализация и стоит запах",
    "управляющая компания не отвечает на звонки",
    "в поликлинике невозможно записаться к терапевту",
    "очередь к педиатру расписана на три недели вперёд",
    "автобус номер двенадцать ходит раз в час",
    "остановку перенесли и не поставили навес",
    "в школе не хватает учителей математики",
    "спортивный зал закрыт на ремонт второй год",
    "мусор во дворе не вывозят с прошлой недели",
    "контейнеры переполнены и вокруг бродят собаки",
    "в подъезде сломан лифт а на девятом этаже живут пенсионеры",
    "тротуар разбит и зимой никто не посыпает лёд",
    "сосед построил гараж на общей земле",
    "земельный участок выделили но не провели свет",
    "в селе нет питьевой воды третью неделю",
    "водовоз приезжает редко и воды хватает не всем",
    "отопление включили но батареи холодные",
    "счёт за газ пришёл в два раза больше обычного",
    "прошу принять меры",
    "прошу разобраться и сообщить о результатах",
    "надеюсь на скорый ответ",
    "жители неоднократно обращались но ничего не изменилось",
    "көшемізде бір айдан бері шам жанбайды",
    "ауылда ауыз су жоқ",
    "мектепте математика мұғалімдері жетіспейді",
    "емханаға дәрігерге жазылу мүмкін емес",
    "аулада қоқыс шығарылмайды",
    "автобус сағатына бір рет қана жүреді",
    "жолда үлкен шұңқырлар пайда болды",
    "жылу берілмей тұр үйде суық",
    "шара қолдануды сұраймын",
    "жауап күтемін",
    "балабақшаға кезек үш жылдан бері жылжымайды",
    "саябақтағы орындықтар сынған",
    "парковка для инвалидов занята чужими машинами",
    "строительная техника шумит по ночам",
    "в парке сломаны качели и скамейки",
    "рядом со школой продают алкоголь",
    "дорогу к кладбищу размыло после дождей",
    "на перекрёстке нужен светофор",
    "пенсию пересчитали неправильно",
    "справку в центре обслуживания ждём второй месяц",
];

const STREETS: &[&str] = &[
    "Абая",
    "Сейфуллина",
    "Толе би",
    "Достык",
    "Жибек жолы",
    "Кунаева",
    "Назарбаева",
    "Гагарина",
    "Байтурсынова",
    "Момышулы",
];

const NAMES: &[&str] = &[
    "Айгерим Сарсенова",
    "Нурлан Касымов",
    "Ольга Петрова",
    "Ерлан Жумабаев",
    "Дина Ахметова",
    "Сергей Иванов",
    "Асель Токтарова",
    "Марат Бекмуханов",
    "Гульнара Исаева",
    "Тимур Оспанов",
    "Жанар Муратова",
    "Алексей Ким",
    "Салтанат Нуржанова",
    "Бауыржан Алиев",
    "Елена Смирнова",
    "Арман Садыков",
    "Камила Ибраева",
    "Данияр Ермеков",
    "Инна Цой",
    "Руслан Абенов",
    "Мадина Кенжебаева",
    "Олжас Тулегенов",
    "Светлана Ли",
    "Азамат Рахимов",
    "Айжан Омарова",
];

fn diverse_text(rng: &mut Lcg) -> String {
    let n = 3 + rng.next(3);
    let mut used = BTreeSet::new();
    let mut parts = vec![format!("Я живу на улице {}.", rng.pick(STREETS))];
    while used.len() < n {
        let i = rng.next(PHRASES.len());
        if used.insert(i) {
            parts.push(format!("{}.", PHRASES[i]));
        }
    }
    parts.push(format!("{}, дом {}", rng.pick(NAMES), 1 + rng.next(120)));
    parts.join(" ")
}

/// One campaign template filled in by many people: their name, their house number, and one
/// word of their own choosing.
fn campaign_text(i: usize, rng: &mut Lcg) -> String {
    let word = rng.pick(&["срочно", "немедленно", "безотлагательно"]);
    let people = rng.pick(&["жители", "собственники", "жильцы"]);
    format!(
        "Уважаемый аким! Мы, {people} микрорайона Самал, категорически против вырубки сквера \
         у дома {} по улице Абая под строительство торгового центра. Сквер единственное место \
         отдыха для детей и пожилых людей района, деревья высажены нашими родителями сорок лет \
         назад. Просим {word} отменить разрешение на строительство, провести общественные \
         слушания и сохранить сквер как зелёную зону. С уважением, {}.",
        1 + rng.next(60),
        NAMES[i % NAMES.len()]
    )
}

fn appeal_in(kato: &str, text: &str) -> Value {
    json!({"form": "application", "language": "ru", "category_id": "roads.repair", "kato": kato, "text": text})
}

async fn submit_ok(app: &TestApp, token: &str, body: Value) -> Value {
    let r = app.submit(token, body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    r.body
}

async fn groups_of_more_than_one(app: &TestApp) -> BTreeMap<String, BTreeSet<String>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT group_id, appeal_id FROM appeal_similarity")
            .fetch_all(&app.state.db.read)
            .await
            .unwrap();
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (group, id) in rows {
        g.entry(group).or_default().insert(id);
    }
    g.retain(|_, v| v.len() > 1);
    g
}

#[tokio::test]
async fn similar_planted_campaign_is_found_as_one_group_and_nothing_else_is_grouped() {
    let app = app_without_worker().await;
    let mut tokens = vec![];
    for s in 0..8u32 {
        tokens.push(app.citizen(&format!("Citizen {s}"), 300 + s, "ru").await.0);
    }
    let mut rng = Lcg(20_260_305);
    // 25 campaign appeals among 150 diverse ones, interleaved as they would arrive.
    let mut plan: Vec<Option<usize>> = (0..150).map(|_| None).collect();
    for i in 0..25 {
        let at = rng.next(plan.len() + 1);
        plan.insert(at, Some(i));
    }
    let mut campaign = BTreeSet::new();
    let mut all = vec![];
    for (k, p) in plan.iter().enumerate() {
        let text = match p {
            Some(i) => campaign_text(*i, &mut rng),
            None => diverse_text(&mut rng),
        };
        let body = submit_ok(&app, &tokens[k % tokens.len()], road_appeal(&text)).await;
        let id = body["id"].as_str().unwrap().to_string();
        if p.is_some() {
            campaign.insert(id.clone());
        }
        all.push((id, body["reg_no"].as_str().unwrap().to_string()));
    }
    assert_eq!(index(&app).await, 175);
    assert_eq!(index(&app).await, 0, "indexing again finds nothing to do");

    let groups = groups_of_more_than_one(&app).await;
    assert_eq!(groups.len(), 1, "only the campaign is grouped: {groups:?}");
    let (group_id, members) = groups.into_iter().next().unwrap();
    assert_eq!(members, campaign);
    // The group is named by its earliest appeal.
    assert_eq!(&group_id, campaign.iter().next().unwrap());

    // Supervisors see it as the one campaign of the period.
    let (supervisor, _) = app.staff(Role::Supervisor, None, "prosecutor.c").await;
    let r = app
        .get("/api/v1/analytics/campaigns?min_size=2", Some(&supervisor))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let list = r.body["campaigns"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{:?}", r.body);
    assert_eq!(list[0]["size"], 25);
    assert_eq!(list[0]["group_id"], group_id.as_str());
    let earliest_reg = &all.iter().find(|(id, _)| *id == group_id).unwrap().1;
    assert_eq!(list[0]["reg_no"], earliest_reg.as_str());
    assert!(
        list[0]["excerpt"]
            .as_str()
            .unwrap()
            .starts_with("Уважаемый аким")
    );
    assert_eq!(list[0]["organisations"][0]["org_id"], "akimat-arys");
    assert_eq!(list[0]["organisations"][0]["appeals"], 25);
    // A larger minimum than the campaign: nothing.
    let r = app
        .get("/api/v1/analytics/campaigns?min_size=26", Some(&supervisor))
        .await;
    assert_eq!(r.body["campaigns"].as_array().unwrap().len(), 0);
    // Both reads of the list, with its excerpts, are journaled: who, which list, how many.
    let journaled = |subject: &'static str| {
        let db = app.state.db.read.clone();
        async move {
            sqlx::query_as::<_, (String,)>(
                "SELECT detail FROM audit_log WHERE action = 'analytics_read' AND subject_type = $1 ORDER BY detail",
            )
            .bind(subject)
            .fetch_all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|(d,)| d)
            .collect::<Vec<_>>()
        }
    };
    assert_eq!(journaled("campaigns").await, ["0 appeals", "1 appeals"]);

    // The official handling them sees 24 similar appeals on any of them; a diverse appeal has
    // none.
    let (official, _) = app
        .staff(Role::Official, Some("akimat-arys"), "arys.c")
        .await;
    let one = campaign.iter().nth(5).unwrap();
    // The supervisor's read of the texts is journaled; the handling official's reads are of
    // appeals of their own body.
    let r = app
        .get(&format!("/api/v1/appeals/{one}/similar"), Some(&supervisor))
        .await;
    assert_eq!(r.body["similar"], 24, "{:?}", r.body);
    assert_eq!(journaled("similar_appeals").await, ["24 appeals"]);
    let r = app
        .get(&format!("/api/v1/appeals/{one}/similar"), Some(&official))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["indexed"], true);
    assert_eq!(r.body["similar"], 24);
    assert_eq!(r.body["group_size"], 25);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 24);
    assert!(items.iter().all(|i| {
        campaign.contains(i["appeal"]["id"].as_str().unwrap())
            && i["similarity"].as_f64().unwrap() >= 0.7
            && i["appeal"]["applicant"].is_null()
    }));
    let plain = all.iter().find(|(id, _)| !campaign.contains(id)).unwrap();
    let r = app
        .get(
            &format!("/api/v1/appeals/{}/similar", plain.0),
            Some(&official),
        )
        .await;
    assert_eq!(r.body["similar"], 0);
    assert_eq!(r.body["group_size"], 1);
}

#[tokio::test]
async fn similar_repeated_appeal_is_linked_and_applicants_see_only_their_own() {
    let app = app_without_worker().await;
    let (alice, _) = app.citizen("Alice", 401, "ru").await;
    let (bob, _) = app.citizen("Bob", 402, "ru").await;
    let text = "В селе Шаян третью неделю нет питьевой воды, водовоз приезжает раз в неделю и \
                воды хватает не всем. Прошу разобраться с работой водоканала и наладить подачу воды.";
    // Numbers only: nothing to compare, so indexed without a signature and never grouped.
    let digits = submit_ok(&app, &alice, road_appeal("2024 12 05")).await;
    let first = submit_ok(&app, &alice, road_appeal(text)).await;
    let again = submit_ok(
        &app,
        &alice,
        road_appeal(&format!("{text} Обращаюсь повторно, ответа не получила.")),
    )
    .await;
    let bobs = submit_ok(&app, &bob, road_appeal(text)).await;
    let other = submit_ok(
        &app,
        &alice,
        road_appeal("На улице Абая не горят фонари, вечером темно и опасно ходить детям."),
    )
    .await;
    let id = |v: &Value| v["id"].as_str().unwrap().to_string();

    // Before indexing: the appeal is not compared yet, and a group answer must wait.
    let r = app
        .get(
            &format!("/api/v1/appeals/{}/similar", id(&again)),
            Some(&alice),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["indexed"], false);
    let (official, _) = app
        .staff(Role::Official, Some("akimat-arys"), "arys.r")
        .await;
    let r = app
        .post(
            &format!("/api/v1/appeals/{}/answer-group", id(&first)),
            Some(&official),
            json!({"answer": "Ответ"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "similarity_pending");

    assert_eq!(index(&app).await, 5);
    let r = app
        .get(
            &format!("/api/v1/appeals/{}/similar", id(&digits)),
            Some(&alice),
        )
        .await;
    assert_eq!(
        (r.body["indexed"].clone(), r.body["similar"].clone()),
        (json!(true), json!(0))
    );
    // The repeated appeal is linked to the first one, the most similar earlier appeal.
    let (match_id, sim): (Option<String>, Option<f64>) =
        sqlx::query_as("SELECT match_id, similarity FROM appeal_similarity WHERE appeal_id = $1")
            .bind(id(&again))
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert_eq!(match_id.as_deref(), Some(id(&first).as_str()));
    assert!(sim.unwrap() >= 0.7);

    // Alice sees her own earlier appeal, not Bob's, and the group counted as far as she may see.
    let r = app
        .get(
            &format!("/api/v1/appeals/{}/similar", id(&again)),
            Some(&alice),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["indexed"], true);
    assert_eq!(r.body["similar"], 1);
    assert_eq!(r.body["group_size"], 2);
    assert!(r.body["group_id"].is_null());
    assert_eq!(r.body["items"][0]["appeal"]["id"], id(&first).as_str());
    assert!(!r.body.to_string().contains(&id(&bobs)));
    // The official handling all three sees the whole group.
    let r = app
        .get(
            &format!("/api/v1/appeals/{}/similar", id(&again)),
            Some(&official),
        )
        .await;
    assert_eq!(r.body["similar"], 2);
    assert_eq!(r.body["group_size"], 3);
    // An unrelated appeal of the same applicant is not linked.
    let r = app
        .get(
            &format!("/api/v1/appeals/{}/similar", id(&other)),
            Some(&alice),
        )
        .await;
    assert_eq!(r.body["similar"], 0);

    // Bob may not see Alice's appeal, so not its similar appeals either: like a missing appeal.
    let r = app
        .get(
            &format!("/api/v1/appeals/{}/similar", id(&first)),
            Some(&bob),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "appeal_not_found");
    // Nor may he answer its group.
    let r = app
        .post(
            &format!("/api/v1/appeals/{}/answer-group", id(&first)),
            Some(&bob),
            json!({"answer": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Bad input: 4xx with stable codes.
    let r = app
        .get(
            &format!("/api/v1/appeals/{}/similar?limit=0", id(&first)),
            Some(&alice),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.code(), "invalid_value");
    let r = app
        .post(
            &format!("/api/v1/appeals/{}/answer-group", id(&first)),
            Some(&official),
            json!({"text": "wrong field"}),
        )
        .await;
    assert!(r.status.is_client_error(), "{:?}", r.body);

    // Campaigns show what appeals say: for supervisors only (administrators keep the system).
    let (admin, _) = app.staff(Role::Administrator, None, "admin.r").await;
    for t in [&alice, &official, &admin] {
        let r = app.get("/api/v1/analytics/campaigns", Some(t)).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    let (supervisor, _) = app.staff(Role::Supervisor, None, "supervisor.r").await;
    let r = app
        .get("/api/v1/analytics/campaigns?min_size=3", Some(&supervisor))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["campaigns"][0]["size"], 3);
    for q in [
        "min_size=1",
        "min_size=abc",
        "limit=0",
        "from=2026-02-30",
        "from=2026-03-01&to=2026-01-01",
    ] {
        let r = app
            .get(
                &format!("/api/v1/analytics/campaigns?{q}"),
                Some(&supervisor),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
    }
}

#[tokio::test]
async fn similar_group_answer_answers_only_what_the_official_may_answer() {
    let app = app_without_worker().await;
    let (citizen, _) = app.citizen("Group Citizen", 501, "ru").await;
    let mut rng = Lcg(7);
    let mut arys = vec![];
    for i in 0..4 {
        let b = submit_ok(
            &app,
            &citizen,
            appeal_in("611600000", &campaign_text(i, &mut rng)),
        )
        .await;
        assert_eq!(b["org_id"], "akimat-arys");
        arys.push(b["id"].as_str().unwrap().to_string());
    }
    let mut almaty = vec![];
    for i in 4..6 {
        let b = submit_ok(
            &app,
            &citizen,
            appeal_in("750000000", &campaign_text(i, &mut rng)),
        )
        .await;
        assert_ne!(b["org_id"], "akimat-arys");
        almaty.push(b["id"].as_str().unwrap().to_string());
    }
    let (official, _) = app
        .staff(Role::Official, Some("akimat-arys"), "arys.g")
        .await;
    // One Arys appeal is answered already, on its own.
    let r = app
        .act(
            &arys[1],
            "answer",
            &official,
            json!({"text": "Ответ по отдельности"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(index(&app).await, 6);

    let r = app
        .post(
            &format!("/api/v1/appeals/{}/answer-group", arys[0]),
            Some(&official),
            json!({"answer": "   "}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.code(), "missing_field");
    // A supervisor reads the group but answers none of it: refused outright, nothing answered.
    let (supervisor, _) = app.staff(Role::Supervisor, None, "prosecutor.g").await;
    let r = app
        .post(
            &format!("/api/v1/appeals/{}/answer-group", arys[0]),
            Some(&supervisor),
            json!({"answer": "Ответ"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{:?}", r.body);

    let answer = "Решение о строительстве приостановлено, слушания назначены на май.";
    let r = app
        .post(
            &format!("/api/v1/appeals/{}/answer-group", arys[0]),
            Some(&official),
            json!({"answer": answer}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["answered"], 3);
    assert_eq!(r.body["skipped"], 3);
    assert_eq!(r.body["reasons"]["invalid_transition"], 1);
    assert_eq!(r.body["reasons"]["appeal_not_found"], 2);
    let listed: Vec<&str> = r.body["appeals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    // Appeals the official may not read are counted, never named.
    assert!(almaty.iter().all(|a| !listed.contains(&a.as_str())));
    assert_eq!(listed.len(), 4);

    for (i, id) in arys.iter().enumerate() {
        let a = app
            .get(&format!("/api/v1/appeals/{id}"), Some(&official))
            .await;
        assert_eq!(a.body["status"], "answered");
        let expected = if i == 1 {
            "Ответ по отдельности"
        } else {
            answer
        };
        assert_eq!(a.body["answer"]["text"], expected);
        // Journaled exactly as a single answer.
        let evs = app.events(id, &official).await;
        assert_eq!(evs.iter().filter(|e| e["action"] == "answer").count(), 1);
    }
    let (almaty_official, _) = app
        .staff(Role::Official, Some("akimat-75"), "almaty.g")
        .await;
    for id in &almaty {
        let a = app
            .get(&format!("/api/v1/appeals/{id}"), Some(&almaty_official))
            .await;
        assert_eq!(a.status, StatusCode::OK, "{:?}", a.body);
        assert_ne!(a.body["status"], "answered");
    }
    // The applicant was told once per answered appeal.
    let n = app
        .get(
            &format!("/api/v1/appeals/{}/notifications", arys[0]),
            Some(&citizen),
        )
        .await;
    assert!(
        n.body
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x.to_string().contains("answer"))
    );
}

/// The background worker indexes new appeals on its own, shortly after registration.
#[tokio::test]
async fn similar_worker_indexes_after_registration() {
    let app = spawn_with(|c| c.similarity_interval_ms = 50).await;
    let (t, _) = app.citizen("Worker Citizen", 601, "ru").await;
    let text = "Во дворе дома по улице Сейфуллина течёт канализация, запах стоит по всему \
                подъезду, управляющая компания на звонки не отвечает.";
    let a = submit_ok(&app, &t, road_appeal(text)).await;
    let b = submit_ok(&app, &t, road_appeal(text)).await;
    let path = format!("/api/v1/appeals/{}/similar", b["id"].as_str().unwrap());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let r = app.get(&path, Some(&t)).await;
        if r.body["indexed"] == true {
            assert_eq!(r.body["similar"], 1);
            assert_eq!(r.body["items"][0]["appeal"]["id"], a["id"]);
            break;
        }
        assert!(std::time::Instant::now() < deadline, "not indexed in time");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // A synchronous indexer racing the worker: neither fails, each appeal is indexed once.
    for i in 0..30 {
        submit_ok(
            &app,
            &t,
            road_appeal(&format!("{text} Квартира {i}, подъезд номер {i}.")),
        )
        .await;
    }
    let (x, y) = tokio::join!(index(&app), index(&app));
    assert!(x + y <= 30);
    index(&app).await;
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM appeal_similarity")
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    assert_eq!(n, app.count_appeals().await);
    assert_eq!(groups_of_more_than_one(&app).await.len(), 1);
}

/// A browser without JavaScript: cookies, the CSRF token, 303 redirects.
struct Browser<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    cookies: BTreeMap<String, String>,
}

struct Page {
    status: StatusCode,
    location: String,
    body: String,
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Self {
        Browser {
            app,
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: BTreeMap::new(),
        }
    }

    async fn send(&mut self, req: reqwest::RequestBuilder) -> Page {
        let cookie = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let r = req
            .header("cookie", cookie)
            .header("accept-language", "en")
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
        let location = r
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        Page {
            status: r.status(),
            location,
            body: r.text().await.unwrap(),
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        let req = self.client.get(self.app.url(path));
        self.send(req).await
    }

    async fn post(&mut self, path: &str, fields: &[(&str, &str)], csrf: bool) -> Page {
        let token = self.cookies.get("tyndau_csrf").cloned().unwrap_or_default();
        let mut all: Vec<(&str, &str)> = vec![];
        if csrf {
            all.push(("csrf", &token));
        }
        all.extend_from_slice(fields);
        let req = self.client.post(self.app.url(path)).form(&all);
        self.send(req).await
    }

    async fn sign_in(&mut self, login: &str) {
        self.get("/login").await;
        let r = self
            .post(
                "/login",
                &[("login", login), ("password", "staff password 1")],
                true,
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
}

#[tokio::test]
async fn similar_pages_show_the_group_answer_it_and_list_campaigns() {
    let app = app_without_worker().await;
    let (citizen, _) = app.citizen("Page Citizen", 701, "ru").await;
    let mut rng = Lcg(11);
    let mut ids = vec![];
    for i in 0..3 {
        let b = submit_ok(&app, &citizen, road_appeal(&campaign_text(i, &mut rng))).await;
        ids.push(b["id"].as_str().unwrap().to_string());
    }
    let lone = submit_ok(
        &app,
        &citizen,
        road_appeal("Пенсию пересчитали неправильно, прошу проверить расчёт."),
    )
    .await;
    index(&app).await;
    app.staff(Role::Official, Some("akimat-arys"), "arys.p")
        .await;
    app.staff(Role::Supervisor, None, "prosecutor.p").await;

    let mut b = Browser::new(&app);
    b.sign_in("arys.p").await;
    let page = b.get(&format!("/appeals/{}", ids[0])).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"similar-link\""), "{}", page.body);
    assert!(page.body.contains("2 similar appeals"));
    let page = b
        .get(&format!("/appeals/{}", lone["id"].as_str().unwrap()))
        .await;
    assert!(!page.body.contains("similar-link"));

    let path = format!("/appeals/{}/similar", ids[0]);
    let page = b.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-count=\"2\""));
    assert!(page.body.contains("<th scope=\"col\">"));
    assert!(page.body.contains("<label for=\"group-answer-text\">"));
    assert!(ids[1..].iter().all(|id| page.body.contains(id.as_str())));

    // Without the CSRF token nothing is answered.
    let post = format!("/appeals/{}/answer-group", ids[0]);
    let r = b.post(&post, &[("answer", "Ответ")], false).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // An empty answer: the form again, with the message beside the field.
    let r = b.post(&post, &[("answer", " ")], true).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("aria-invalid=\"true\""));
    // Every appeal the official may answer has a box, ticked by default (all three are
    // near-duplicates of each other); the form says the boxes are the choice.
    assert!(page.body.contains("name=\"picked\""));
    assert!(page.body.contains(&format!(
        "name=\"appeal_ids\" value=\"{}\" id=\"pick-self\" checked",
        ids[0]
    )));
    for id in &ids[1..] {
        assert!(
            page.body.contains(&format!(
                "form=\"group-answer-form\" name=\"appeal_ids\" value=\"{id}\" id=\"pick-{id}\""
            )),
            "{}",
            page.body
        );
    }
    assert_eq!(page.body.matches(" checked").count(), 3);
    // Nothing ticked: refused beside the form, nothing answered.
    let r = b
        .post(&post, &[("answer", "Ответ"), ("picked", "1")], true)
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Only the ticked one is answered.
    let r = b
        .post(
            &post,
            &[
                ("answer", "Строительство приостановлено."),
                ("picked", "1"),
                ("appeal_ids", ids[1].as_str()),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location.contains("answered=1&"), "{}", r.location);
    let page = b.get(&path).await;
    assert!(!page.body.contains(&format!("value=\"{}\"", ids[1])));
    let r = b
        .post(
            &post,
            &[
                ("answer", "Строительство приостановлено."),
                ("picked", "1"),
                ("appeal_ids", ids[0].as_str()),
                ("appeal_ids", ids[2].as_str()),
            ],
            true,
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location.contains("answered=2"), "{}", r.location);
    let page = b.get(&r.location).await;
    assert!(page.body.contains("data-answered=\"2\""));
    assert!(page.body.contains("2 appeals answered"));
    // Again: every appeal is answered already, so all are skipped with the reason.
    let r = b
        .post(&post, &[("answer", "Строительство приостановлено.")], true)
        .await;
    let page = b.get(&r.location).await;
    assert!(page.body.contains("data-answered=\"0\""));
    assert!(page.body.contains("data-reason=\"invalid_transition\""));

    // The campaign list is the supervisors'.
    let r = b.get("/office/campaigns").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let mut s = Browser::new(&app);
    s.sign_in("prosecutor.p").await;
    let page = s.get("/office/campaigns?min_size=3").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("data-size=\"3\""), "{}", page.body);
    assert!(page.body.contains(&format!("/appeals/{}/similar", ids[0])));
    assert!(page.body.contains("<th scope=\"row\">"));
    let page = s.get("/office/campaigns?min_size=4").await;
    assert!(page.body.contains("id=\"campaigns-none\""));
    let page = s.get("/office/campaigns?min_size=1").await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Three texts chained by near-duplication: A~B and B~C (each at least 0.75 estimated), while A
/// and C are not (at most 0.62). Words are made of letters (numbers are not compared), and the
/// first word set that gives these estimates is taken, so the test does not hang on the noise
/// of a 64-hash estimate.
fn chained_texts() -> [String; 3] {
    use tyndau_analytics::minhash::Signature;
    const SYL: &[&str] = &[
        "ка", "ло", "ми", "ру", "се", "та", "но", "ве", "жа", "пу", "ди", "бо", "ца", "ле", "фи",
        "гу",
    ];
    let word = |i: usize| {
        format!(
            "{}{}{}р",
            SYL[i % 16],
            SYL[(i / 16) % 16],
            SYL[(i / 7) % 16]
        )
    };
    let sig = |t: &str| Signature::of(&tyndau_core::text::normalize(t)).unwrap();
    for offset in 0..50 {
        let base: Vec<String> = (0..100).map(|i| word(i * 3 + offset)).collect();
        let mut b = base.clone();
        for (k, w) in b.iter_mut().take(11).enumerate() {
            *w = format!("{}ыз", word(k + 400));
        }
        let mut c = b.clone();
        for (k, w) in c.iter_mut().skip(89).enumerate() {
            *w = format!("{}юш", word(k + 500));
        }
        let (a, b, c) = (base.join(" "), b.join(" "), c.join(" "));
        let (sa, sb, sc) = (sig(&a), sig(&b), sig(&c));
        if sa.jaccard(&sb) >= 0.75 && sb.jaccard(&sc) >= 0.75 && sa.jaccard(&sc) <= 0.62 {
            return [a, b, c];
        }
    }
    panic!("no word set gives a chain")
}

async fn audit_count(app: &TestApp, action: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = $1")
        .bind(action)
        .fetch_one(&app.state.db.read)
        .await
        .unwrap();
    n
}

/// Groups are single-linkage (A~B and B~C put A and C together): a group answer reaches only
/// what is a near-duplicate of the chosen appeal itself, or only the ticked appeals.
#[tokio::test]
async fn similar_group_answer_reaches_only_near_duplicates_of_the_chosen_appeal() {
    let app = app_without_worker().await;
    let (citizen, _) = app.citizen("Chain Citizen", 801, "ru").await;
    let [ta, tb, tc] = chained_texts();
    let mut ids = vec![];
    for t in [&ta, &tb, &tc] {
        let b = submit_ok(&app, &citizen, road_appeal(t)).await;
        ids.push(b["id"].as_str().unwrap().to_string());
    }
    assert_eq!(index(&app).await, 3);
    let groups = groups_of_more_than_one(&app).await;
    assert_eq!(groups.len(), 1);
    assert_eq!(
        groups.values().next().unwrap().len(),
        3,
        "one chained group"
    );

    let (official, _) = app
        .staff(Role::Official, Some("akimat-arys"), "arys.chain")
        .await;
    // Each answer is committed with its audit row or not at all: with the audit journal
    // failing, nothing is answered.
    set_audit_log(&app, false).await;
    let r = app
        .post(
            &format!("/api/v1/appeals/{}/answer-group", ids[0]),
            Some(&official),
            json!({"answer": "Ответ без журнала"}),
        )
        .await;
    set_audit_log(&app, true).await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR, "{:?}", r.body);
    for id in &ids {
        let a = app
            .get(&format!("/api/v1/appeals/{id}"), Some(&official))
            .await;
        assert_eq!(a.body["status"], "registered", "{id}");
    }
    assert_eq!(audit_count(&app, "group_answer").await, 0);

    // Answering from A: B is answered, C is grouped only through B and is skipped.
    let r = app
        .post(
            &format!("/api/v1/appeals/{}/answer-group", ids[0]),
            Some(&official),
            json!({"answer": "Ответ по цепочке"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["answered"], 2, "{:?}", r.body);
    assert_eq!(r.body["skipped"], 1);
    assert_eq!(r.body["reasons"]["not_similar_enough"], 1);
    let item = |id: &str| {
        r.body["appeals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(item(&ids[2])["reason"], "not_similar_enough");
    assert!(item(&ids[2])["similarity"].as_f64().unwrap() < 0.7);
    assert_eq!(item(&ids[1])["result"], "answered");
    let c = app
        .get(&format!("/api/v1/appeals/{}", ids[2]), Some(&official))
        .await;
    assert_ne!(c.body["status"], "answered");
    // Each appeal answered has its own audit row naming it (and the group and the appeal
    // answered from), besides the answer in its journal.
    let group = r.body["group_id"].as_str().unwrap().to_string();
    let from_a = format!("group {group}, answered from appeal {}", ids[0]);
    assert_eq!(
        group_answer_audit(&app).await,
        BTreeMap::from([(ids[0].clone(), from_a.clone()), (ids[1].clone(), from_a)])
    );
    let journal: Vec<(String,)> = sqlx::query_as(
        "SELECT appeal_id FROM appeal_events WHERE action = 'answer' ORDER BY appeal_id",
    )
    .fetch_all(&app.state.db.read)
    .await
    .unwrap();
    let mut answered = vec![ids[0].clone(), ids[1].clone()];
    answered.sort();
    assert_eq!(
        journal.into_iter().map(|(id,)| id).collect::<Vec<_>>(),
        answered
    );

    // An explicit choice from B: nothing but C (similar to B) is answered; an id outside the
    // group counts as not found and is not named.
    let stranger = submit_ok(
        &app,
        &citizen,
        road_appeal("Пенсию пересчитали неправильно, прошу проверить расчёт."),
    )
    .await;
    let stranger = stranger["id"].as_str().unwrap().to_string();
    index(&app).await;
    let r = app
        .post(
            &format!("/api/v1/appeals/{}/answer-group", ids[1]),
            Some(&official),
            json!({"answer": "Ответ на выбранные", "appeal_ids": [ids[2], ids[2], stranger]}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["answered"], 1, "{:?}", r.body);
    assert_eq!(r.body["appeals"][0]["id"], ids[2].as_str());
    assert_eq!(r.body["reasons"]["appeal_not_found"], 1);
    assert!(!r.body.to_string().contains(&stranger));
    let s = app
        .get(&format!("/api/v1/appeals/{stranger}"), Some(&official))
        .await;
    assert_ne!(s.body["status"], "answered");
    let c = app
        .get(&format!("/api/v1/appeals/{}", ids[2]), Some(&official))
        .await;
    assert_eq!(c.body["answer"]["text"], "Ответ на выбранные");
    // An empty choice is refused.
    let r = app
        .post(
            &format!("/api/v1/appeals/{}/answer-group", ids[1]),
            Some(&official),
            json!({"answer": "x", "appeal_ids": []}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.code(), "missing_field");
    // Nothing left to answer: no answer, no audit entry.
    let r = app
        .post(
            &format!("/api/v1/appeals/{}/answer-group", ids[0]),
            Some(&official),
            json!({"answer": "Ещё раз"}),
        )
        .await;
    assert_eq!(r.body["answered"], 0);
    assert_eq!(r.body["reasons"]["invalid_transition"], 2);
    let audited = group_answer_audit(&app).await;
    assert_eq!(audited.len(), 3, "one row per appeal answered: {audited:?}");
    assert_eq!(
        audited[&ids[2]],
        format!("group {group}, answered from appeal {}", ids[1])
    );
}

/// The `group_answer` audit rows: the appeal each names → its detail.
async fn group_answer_audit(app: &TestApp) -> BTreeMap<String, String> {
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT subject_type, subject_id, detail FROM audit_log WHERE action = 'group_answer'",
    )
    .fetch_all(&app.state.db.read)
    .await
    .unwrap();
    let mut out = BTreeMap::new();
    for (kind, id, detail) in rows {
        assert_eq!(kind, "appeal");
        assert!(
            out.insert(id, detail.unwrap()).is_none(),
            "one row per appeal"
        );
    }
    out
}

/// One request answers at most 500 appeals; the rest are skipped as over_limit, and sending it
/// again answers them (those answered already cost no write).
#[tokio::test]
async fn similar_group_answer_is_capped_per_request() {
    let app = app_without_worker().await;
    let mut tokens = vec![];
    for s in 0..6u32 {
        tokens.push(
            app.citizen(&format!("Cap Citizen {s}"), 900 + s, "ru")
                .await
                .0,
        );
    }
    let mut rng = Lcg(99);
    let texts: Vec<String> = (0..503).map(|i| campaign_text(i, &mut rng)).collect();
    let mut first = None;
    for chunk in texts.chunks(50).enumerate() {
        let (c, chunk) = chunk;
        let sent = futures::future::join_all(chunk.iter().enumerate().map(|(i, t)| {
            let token = tokens[(c * 50 + i) % tokens.len()].clone();
            let app = &app;
            async move { submit_ok(app, &token, road_appeal(t)).await }
        }))
        .await;
        first.get_or_insert_with(|| sent[0]["id"].as_str().unwrap().to_string());
    }
    assert_eq!(index(&app).await, 503);
    let (official, _) = app
        .staff(Role::Official, Some("akimat-arys"), "arys.cap")
        .await;
    let path = format!("/api/v1/appeals/{}/answer-group", first.unwrap());
    let r = app
        .post(&path, Some(&official), json!({"answer": "Ответ кампании"}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body["reasons"]);
    assert_eq!(r.body["answered"], 500);
    assert_eq!(
        r.body["reasons"]["over_limit"], 3,
        "{:?}",
        r.body["reasons"]
    );
    let r = app
        .post(&path, Some(&official), json!({"answer": "Ответ кампании"}))
        .await;
    assert_eq!(r.body["answered"], 3);
    assert_eq!(r.body["reasons"]["invalid_transition"], 500);
    assert!(r.body["reasons"].get("over_limit").is_none());
}

/// An appeal whose registration commits long after the cursor passed its id (a registrar
/// backlog) is missed by the cursor pass and indexed by the sweep.
#[tokio::test]
async fn similar_sweep_indexes_appeals_committed_late() {
    let app = app_without_worker().await;
    let (citizen, _) = app.citizen("Late Citizen", 1001, "ru").await;
    let mut rng = Lcg(5);
    let mut ids = vec![];
    for i in 0..2 {
        let b = submit_ok(&app, &citizen, road_appeal(&campaign_text(i, &mut rng))).await;
        ids.push(b["id"].as_str().unwrap().to_string());
    }
    assert_eq!(index(&app).await, 2);

    // The same campaign's appeal, written now with an id (and receipt time) of an hour ago,
    // as a registration drawn then and committed late would be.
    let hour_ago = tyndau_storage::db::now_ms() - 3_600_000;
    let late = format!(
        "{:08x}-{:04x}-7abc-8def-0123456789ab",
        (hour_ago >> 16) & 0xffff_ffff,
        hour_ago & 0xffff
    );
    let cols = tyndau_storage::appeals::APPEAL_COLS;
    let values: Vec<String> = cols
        .iter()
        .map(|c| match *c {
            "id" => "$1".to_string(),
            "reg_no" => "reg_no || '-L'".to_string(),
            "received_at" | "created_at" | "updated_at" => "$2".to_string(),
            c => c.to_string(),
        })
        .collect();
    let sql = format!(
        "INSERT INTO appeals ({}) SELECT {} FROM appeals WHERE id = $3",
        cols.join(", "),
        values.join(", ")
    );
    sqlx::query(&sql)
        .bind(&late)
        .bind(hour_ago)
        .bind(&ids[1])
        .execute(&app.state.db.write)
        .await
        .unwrap();
    assert!(late < ids[0]);

    // The cursor pass does not look that far back.
    assert_eq!(index(&app).await, 0);
    let pending: Option<(String,)> =
        sqlx::query_as("SELECT group_id FROM appeal_similarity WHERE appeal_id = $1")
            .bind(&late)
            .fetch_optional(&app.state.db.read)
            .await
            .unwrap();
    assert!(pending.is_none());

    let today = app
        .state
        .config
        .terms
        .local_date(tyndau_storage::db::now_ms());
    let since = today - chrono::Duration::days(similarity::SWEEP_DAYS);
    let threshold = app.state.config.similarity_threshold;
    assert_eq!(
        similarity::sweep_unindexed(&app.state.db, threshold, since, 100)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        similarity::sweep_unindexed(&app.state.db, threshold, since, 100)
            .await
            .unwrap(),
        0,
        "swept once"
    );
    // It joined the campaign (named by its earliest appeal, now the late one).
    let groups = groups_of_more_than_one(&app).await;
    assert_eq!(groups.len(), 1);
    let (group, members) = groups.into_iter().next().unwrap();
    assert_eq!(members.len(), 3);
    assert_eq!(group, late);
    // The cursor was left where it was: the pass after still finds nothing.
    assert_eq!(index(&app).await, 0);
}

/// The list of similar appeals comes in pages; the counts are one scoped COUNT each;
/// malformed query strings and over-long periods are problem documents.
#[tokio::test]
async fn similar_list_pages_counts_by_scope_and_checks_queries() {
    let app = app_without_worker().await;
    let (citizen, _) = app.citizen("Paging Citizen", 1101, "ru").await;
    let mut rng = Lcg(21);
    let mut arys = vec![];
    for i in 0..5 {
        let b = submit_ok(
            &app,
            &citizen,
            appeal_in("611600000", &campaign_text(i, &mut rng)),
        )
        .await;
        arys.push(b["id"].as_str().unwrap().to_string());
    }
    let b = submit_ok(
        &app,
        &citizen,
        appeal_in("750000000", &campaign_text(5, &mut rng)),
    )
    .await;
    let almaty = b["id"].as_str().unwrap().to_string();
    let almaty_org = b["org_id"].as_str().unwrap().to_string();
    index(&app).await;
    let (official, official_id) = app
        .staff(Role::Official, Some("akimat-arys"), "arys.pg")
        .await;
    let base = format!("/api/v1/appeals/{}/similar", arys[0]);
    let r = app
        .get(&format!("{base}?limit=3&page=2"), Some(&official))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["similar"], 4);
    assert_eq!(r.body["group_size"], 6);
    assert_eq!(
        (r.body["page"].clone(), r.body["pages"].clone()),
        (json!(2), json!(2))
    );
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["appeal"]["id"], arys[4].as_str());
    let r = app.get(&format!("{base}?limit=3"), Some(&official)).await;
    let first: Vec<&str> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["appeal"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(first, vec![&arys[1], &arys[2], &arys[3]]);
    let r = app
        .get(&format!("{base}?limit=3&page=3"), Some(&official))
        .await;
    assert_eq!(r.body["items"].as_array().unwrap().len(), 0);
    for (q, code) in [
        ("page=0", "invalid_value"),
        ("limit=abc", "invalid_query"),
        ("unknown=1", "invalid_query"),
    ] {
        let r = app.get(&format!("{base}?{q}"), Some(&official)).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert_eq!(r.code(), code, "{q}");
    }

    // "N similar appeals": counted within each caller's scope.
    let principal = |user_id: &str, role: Role, orgs: Vec<String>| tyndau_core::access::Principal {
        user_id: user_id.into(),
        role,
        orgs,
    };
    let count = |p: tyndau_core::access::Principal, id: String| {
        let db = app.state.db.clone();
        async move { similarity::similar_count(&db, &p, &id).await.unwrap() }
    };
    let arys_official = principal(&official_id, Role::Official, vec!["akimat-arys".into()]);
    assert_eq!(count(arys_official, arys[0].clone()).await, 4);
    let almaty_official = principal("x", Role::Official, vec![almaty_org]);
    assert_eq!(count(almaty_official, almaty.clone()).await, 0);
    assert_eq!(
        count(principal("y", Role::Official, vec![]), almaty.clone()).await,
        0
    );
    assert_eq!(
        count(principal("s", Role::Supervisor, vec![]), arys[0].clone()).await,
        5
    );

    // Campaigns: malformed query strings and periods over 366 days.
    let (supervisor, _) = app.staff(Role::Supervisor, None, "prosecutor.pg").await;
    for (q, code) in [
        ("bogus=1", "invalid_query"),
        ("from=2024-01-01&to=2025-06-30", "period_too_long"),
        ("from=2025-01-01&to=2026-01-02", "period_too_long"),
    ] {
        let r = app
            .get(
                &format!("/api/v1/analytics/campaigns?{q}"),
                Some(&supervisor),
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert_eq!(r.code(), code, "{q}");
    }
    let r = app
        .get(
            "/api/v1/analytics/campaigns?from=2025-01-01&to=2026-01-01",
            Some(&supervisor),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "366 days: {:?}", r.body);
}
