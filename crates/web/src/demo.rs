//! Demonstration data: staff of the bodies that receive appeals, a few hundred citizens, and a few
//! thousand appeals in Kazakh and Russian spread over the last four months, moved through their
//! lifecycle by the real service functions (registration, routing, assignment, forwarding,
//! extension, answers, ratings, complaints, the deadline monitor), so that a newcomer sees a
//! living system, with one local problem flaring up this week for the hotspot view. The data set is generated from a fixed seed and is the same on every load
//! (apart from generated identifiers, ticket codes and the dates of actions, which are "now").
//!
//! Loaded only into a database without an "admin" account, so a restart changes nothing.
//! Every demo staff account and the memorable citizen (IIN `make_iin(1990-05-15, female, 1)`)
//! share the password [`DEMO_PASSWORD`].

use crate::state::AppState;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use futures::StreamExt;
use futures::future::join_all;
use rand::distributions::WeightedIndex;
use rand::prelude::*;
use rand::rngs::StdRng;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Instant;
use tyndau_core::access::{Principal, Role};
use tyndau_core::appeal::{Channel, Form, Language, LeaveReason};
use tyndau_core::calendar::WorkWeek;
use tyndau_core::ids::{Bin, Kato, check_digit, make_iin};
use tyndau_core::notify::UiLang;
use tyndau_core::org::OrgLevel;
use tyndau_storage::appeals::{
    self, ActOutcome, Actor, AppealRow, Applicant, Command, NewAppeal, Registered,
};
use tyndau_storage::db::now_ms;
use tyndau_storage::error::ServiceError;
use tyndau_storage::reference::Reference;
use tyndau_storage::users::{self, NewUser, User};

/// Password of every demo staff account and of the memorable demo citizen.
pub const DEMO_PASSWORD: &str = "tyndau-demo-2026";

const SEED: u64 = 0x7479_6e64_6175_2026;
const CITIZENS: usize = 300;
const DAYS: i64 = 120;
const CHUNK: usize = 200;
const PARALLEL_ACTIONS: usize = 8;

/// Loads the demonstration data set unless the database already has an "admin" account.
pub async fn load_if_empty(state: &AppState, n: usize) -> anyhow::Result<()> {
    if users::find_by_login(&state.db, "admin").await?.is_some() {
        return Ok(());
    }
    let started = Instant::now();
    let reference = state.reference();
    let mut rng = StdRng::seed_from_u64(SEED);
    let hash = tokio::task::spawn_blocking(|| crate::api::auth::hash_password(DEMO_PASSWORD))
        .await
        .map_err(|e| anyhow::anyhow!("hash task: {e}"))??;

    let mut names = Names::default();
    let staff = create_staff(state, &reference, &hash, &mut rng, &mut names).await?;
    let staff_count = 2 + staff.values().map(|s| 1 + s.officials.len()).sum::<usize>();
    let citizens = create_citizens(state, &reference, &hash, &mut rng, &mut names).await?;

    let ctx = Ctx {
        state,
        reference: reference.clone(),
        staff,
        citizens,
    };
    let specs = generate_appeals(&ctx, &mut rng, n);

    // Registration through the real path, in chunks ordered by arrival: each chunk is prepared
    // (validation, routing, dates, repeated-appeal look-up) and then registered (group commit).
    let mut registered: Vec<(Meta, AppealRow)> = Vec::with_capacity(n);
    let mut failed = 0usize;
    let mut it = specs.into_iter();
    loop {
        let chunk: Vec<Spec> = it.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let prepared: Vec<_> = chunk
            .iter()
            .map(|s| appeals::prepare(&reference, &state.settings, s.new.clone()))
            .collect();
        let mut ready = Vec::with_capacity(chunk.len());
        for (spec, p) in chunk.into_iter().zip(prepared) {
            match p {
                Ok(p) => ready.push((spec.meta, p)),
                Err(ServiceError::Internal(e)) => return Err(e),
                Err(e) => {
                    tracing::warn!(error = %e, "demo appeal rejected at registration");
                    failed += 1;
                }
            }
        }
        let (metas, prepared): (Vec<Meta>, Vec<_>) = ready.into_iter().unzip();
        let results = join_all(prepared.into_iter().map(|p| state.registrar.register(p))).await;
        for (meta, r) in metas.into_iter().zip(results) {
            match r {
                Ok(Registered::New(row)) => registered.push((meta, *row)),
                Ok(Registered::Replayed(_)) => {}
                Err(ServiceError::Internal(e)) => return Err(e),
                Err(e) => {
                    tracing::warn!(error = %e, "demo appeal rejected at registration");
                    failed += 1;
                }
            }
        }
    }

    // The lifecycle: every appeal follows its own plan; appeals proceed side by side.
    let results: Vec<anyhow::Result<Tally>> = futures::stream::iter(
        registered
            .into_iter()
            .map(|(meta, row)| live(&ctx, meta, row)),
    )
    .buffer_unordered(PARALLEL_ACTIONS)
    .collect()
    .await;
    let mut tally = Tally::default();
    for r in results {
        tally.add(&r?);
    }

    let monitor =
        tyndau_storage::monitor::run_once(&state.db, &reference, &state.settings, now_ms()).await?;
    let petitions = create_petitions(&ctx, &mut rng).await?;

    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM appeals GROUP BY status ORDER BY status")
            .fetch_all(&state.db.read)
            .await?;
    let total: i64 = rows.iter().map(|r| r.1).sum();
    let by_status = rows
        .iter()
        .map(|(s, c)| format!("{s}={c}"))
        .collect::<Vec<_>>()
        .join(" ");
    tracing::info!(
        demo.appeals = total,
        demo.staff = staff_count,
        demo.citizens = ctx.citizens.len(),
        demo.assigned = tally.assigned,
        demo.forwarded = tally.forwarded,
        demo.extended = tally.extended,
        demo.answered = tally.answered,
        demo.rated = tally.rated,
        demo.complaints = tally.complained,
        demo.closed = tally.closed,
        demo.left = tally.left,
        demo.skipped = tally.skipped + failed,
        demo.overdue = monitor.overdue,
        demo.escalated = monitor.escalated,
        demo.petitions = petitions,
        demo.elapsed_ms = started.elapsed().as_millis() as u64,
        "loaded the demonstration data set: {by_status}"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// People

/// A user with everything needed to act as them.
struct Member {
    user: User,
    principal: Principal,
    actor: Actor,
}

impl Member {
    fn new(state: &AppState, user: User) -> Member {
        let principal = state.principal_for(&user);
        let actor = Actor {
            id: Some(user.id.clone()),
            role: user.role.as_str().into(),
            name: user.full_name.clone(),
            position: user.position.clone().unwrap_or_default(),
        };
        Member {
            user,
            principal,
            actor,
        }
    }
}

struct OrgStaff {
    head: Member,
    officials: Vec<Member>,
}

struct Citizen {
    member: Member,
    lang: UiLang,
    home: Kato,
}

struct Ctx<'a> {
    state: &'a AppState,
    reference: Arc<Reference>,
    staff: HashMap<String, OrgStaff>,
    citizens: Vec<Citizen>,
}

#[derive(Default)]
struct Names {
    full: HashSet<String>,
    emails: HashSet<String>,
}

struct Person {
    full_name: String,
    email: String,
}

// (Kazakh spelling, Russian spelling)
const KZ_MALE: &[(&str, &str)] = &[
    ("Ерлан", "Ерлан"),
    ("Нұрсұлтан", "Нурсултан"),
    ("Айдос", "Айдос"),
    ("Бауыржан", "Бауыржан"),
    ("Данияр", "Данияр"),
    ("Ерболат", "Ерболат"),
    ("Жандос", "Жандос"),
    ("Қайрат", "Кайрат"),
    ("Марат", "Марат"),
    ("Серік", "Серик"),
    ("Тимур", "Тимур"),
    ("Әділет", "Адилет"),
    ("Арман", "Арман"),
    ("Дәурен", "Даурен"),
    ("Ержан", "Ержан"),
    ("Талғат", "Талгат"),
    ("Азамат", "Азамат"),
    ("Ғалымжан", "Галымжан"),
    ("Нұрлан", "Нурлан"),
    ("Бекзат", "Бекзат"),
    ("Олжас", "Олжас"),
    ("Мирас", "Мирас"),
    ("Санжар", "Санжар"),
    ("Ақжол", "Акжол"),
    ("Асхат", "Асхат"),
    ("Руслан", "Руслан"),
];
const KZ_FEMALE: &[(&str, &str)] = &[
    ("Айгерім", "Айгерим"),
    ("Әсел", "Асель"),
    ("Гүлнара", "Гульнара"),
    ("Динара", "Динара"),
    ("Жанар", "Жанар"),
    ("Мөлдір", "Молдир"),
    ("Назерке", "Назерке"),
    ("Сәуле", "Сауле"),
    ("Ұлжан", "Улжан"),
    ("Аружан", "Аружан"),
    ("Ақмарал", "Акмарал"),
    ("Балжан", "Балжан"),
    ("Гүлмира", "Гульмира"),
    ("Жұлдыз", "Жулдыз"),
    ("Камила", "Камила"),
    ("Перизат", "Перизат"),
    ("Салтанат", "Салтанат"),
    ("Томирис", "Томирис"),
    ("Шынар", "Шынар"),
    ("Айнұр", "Айнур"),
    ("Дана", "Дана"),
    ("Інкәр", "Инкар"),
    ("Лаура", "Лаура"),
];
/// Fathers' names for patronymics: Kazakh style (-ұлы / -қызы) or Russian style (-ович / -овна).
const KZ_FATHERS: &[(&str, &str)] = &[
    ("Ерлан", "Ерлан"),
    ("Нұрлан", "Нурлан"),
    ("Марат", "Марат"),
    ("Серік", "Серик"),
    ("Болат", "Болат"),
    ("Қайрат", "Кайрат"),
    ("Бақыт", "Бахыт"),
    ("Азамат", "Азамат"),
    ("Талғат", "Талгат"),
    ("Ермек", "Ермек"),
    ("Жұмабек", "Жумабек"),
    ("Мұрат", "Мурат"),
    ("Асқар", "Аскар"),
    ("Ғалым", "Галым"),
    ("Нұржан", "Нуржан"),
    ("Самат", "Самат"),
    ("Дархан", "Дархан"),
    ("Бекболат", "Бекболат"),
];
const KZ_SURNAMES: &[&str] = &[
    "Ахметов",
    "Бекмуханбетов",
    "Жумабаев",
    "Нурланов",
    "Сейтказиев",
    "Омаров",
    "Касымов",
    "Абдрахманов",
    "Ержанов",
    "Исабеков",
    "Муратов",
    "Серикбаев",
    "Турсынов",
    "Жаксылыков",
    "Абенов",
    "Ибраев",
    "Кенжебеков",
    "Оспанов",
    "Сарсенбаев",
    "Байжанов",
    "Утепов",
    "Есенов",
    "Калиев",
    "Мусин",
    "Тулегенов",
    "Садыков",
    "Жакупов",
    "Шайкенов",
    "Ахметжанов",
    "Смагулов",
    "Бектуров",
    "Рахимов",
    "Кожахметов",
    "Алиев",
    "Нурпеисов",
    "Темирбеков",
    "Дуйсенов",
    "Искаков",
    "Мамыров",
    "Байтурсынов",
];
const RU_MALE: &[&str] = &[
    "Александр",
    "Дмитрий",
    "Сергей",
    "Андрей",
    "Алексей",
    "Николай",
    "Владимир",
    "Игорь",
    "Олег",
    "Виктор",
    "Евгений",
    "Павел",
    "Максим",
    "Юрий",
    "Артём",
    "Роман",
];
const RU_FEMALE: &[&str] = &[
    "Елена",
    "Ольга",
    "Татьяна",
    "Наталья",
    "Ирина",
    "Светлана",
    "Анна",
    "Марина",
    "Юлия",
    "Екатерина",
    "Людмила",
    "Галина",
    "Оксана",
    "Валентина",
    "Виктория",
    "Алина",
];
/// (male patronymic, female patronymic)
const RU_PATRONYMICS: &[(&str, &str)] = &[
    ("Александрович", "Александровна"),
    ("Сергеевич", "Сергеевна"),
    ("Викторович", "Викторовна"),
    ("Николаевич", "Николаевна"),
    ("Владимирович", "Владимировна"),
    ("Юрьевич", "Юрьевна"),
    ("Петрович", "Петровна"),
    ("Иванович", "Ивановна"),
    ("Геннадьевич", "Геннадьевна"),
    ("Анатольевич", "Анатольевна"),
    ("Михайлович", "Михайловна"),
    ("Олегович", "Олеговна"),
];
/// Surnames with a feminine form made by adding "а"; `false` for invariant ones.
const RU_SURNAMES: &[(&str, bool)] = &[
    ("Иванов", true),
    ("Петров", true),
    ("Смирнов", true),
    ("Кузнецов", true),
    ("Попов", true),
    ("Васильев", true),
    ("Соколов", true),
    ("Михайлов", true),
    ("Новиков", true),
    ("Федоров", true),
    ("Морозов", true),
    ("Волков", true),
    ("Лебедев", true),
    ("Козлов", true),
    ("Степанов", true),
    ("Никитин", true),
    ("Захаров", true),
    ("Белов", true),
    ("Ким", false),
    ("Пак", false),
    ("Цой", false),
    ("Шевченко", false),
    ("Ткаченко", false),
    ("Бондаренко", false),
    ("Герман", false),
];

/// Latin transliteration for e-mail addresses (Kazakh letters included).
fn translit(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.to_lowercase().chars() {
        let t = match c {
            'а' | 'ә' => "a",
            'б' => "b",
            'в' => "v",
            'г' | 'ғ' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'і' | 'й' => "i",
            'к' => "k",
            'қ' => "q",
            'л' => "l",
            'м' => "m",
            'н' | 'ң' => "n",
            'о' | 'ө' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' | 'ұ' | 'ү' => "u",
            'ф' => "f",
            'х' => "kh",
            'һ' => "h",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            'ъ' | 'ь' => "",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                ""
            }
            _ => "",
        };
        out.push_str(t);
    }
    out
}

impl Names {
    /// A new person with a unique full name and e-mail address. `kk_spelling` writes a Kazakh
    /// name in Kazakh letters and with a Kazakh-style patronymic.
    fn person(
        &mut self,
        rng: &mut StdRng,
        kazakh: bool,
        female: bool,
        kk_spelling: bool,
    ) -> Person {
        loop {
            let (surname, first, patronymic) = if kazakh {
                let (fk, fr) = *if female { KZ_FEMALE } else { KZ_MALE }
                    .choose(rng)
                    .expect("names");
                let (dk, dr) = *KZ_FATHERS.choose(rng).expect("names");
                let base = *KZ_SURNAMES.choose(rng).expect("names");
                let surname = if female {
                    format!("{base}а")
                } else {
                    base.to_string()
                };
                let kk_style = if kk_spelling {
                    rng.gen_bool(0.8)
                } else {
                    rng.gen_bool(0.2)
                };
                let patronymic = match (kk_style, female) {
                    (true, false) => format!("{dk}ұлы"),
                    (true, true) => format!("{dk}қызы"),
                    (false, false) => format!("{dr}ович"),
                    (false, true) => format!("{dr}овна"),
                };
                (
                    surname,
                    if kk_spelling { fk } else { fr }.to_string(),
                    patronymic,
                )
            } else {
                let first = *if female { RU_FEMALE } else { RU_MALE }
                    .choose(rng)
                    .expect("names");
                let (pm, pf) = *RU_PATRONYMICS.choose(rng).expect("names");
                let (base, declines) = *RU_SURNAMES.choose(rng).expect("names");
                let surname = if female && declines {
                    format!("{base}а")
                } else {
                    base.to_string()
                };
                (
                    surname,
                    first.to_string(),
                    if female { pf } else { pm }.to_string(),
                )
            };
            let full_name = format!("{surname} {first} {patronymic}");
            if !self.full.insert(full_name.clone()) {
                continue;
            }
            let local = format!("{}.{}", translit(&first), translit(&surname));
            let mut email = format!("{local}@example.kz");
            let mut k = 2;
            while !self.emails.insert(email.clone()) {
                email = format!("{local}{k}@example.kz");
                k += 1;
            }
            return Person { full_name, email };
        }
    }
}

fn phone(rng: &mut StdRng) -> String {
    const PREFIXES: &[&str] = &[
        "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778",
    ];
    format!(
        "+7 {} {:03} {:02} {:02}",
        PREFIXES.choose(rng).expect("prefixes"),
        rng.gen_range(100..1000),
        rng.gen_range(0..100),
        rng.gen_range(0..100)
    )
}

fn birth_date(rng: &mut StdRng) -> NaiveDate {
    let start = NaiveDate::from_ymd_opt(1948, 1, 1).expect("date");
    start + Duration::days(rng.gen_range(0..(57 * 365)))
}

/// A valid IIN from a serial counter (the serial keeps IINs unique).
fn next_iin(rng: &mut StdRng, female: bool, serial: &mut u32) -> String {
    loop {
        let date = birth_date(rng);
        *serial += 1;
        if let Some(iin) = make_iin(date, female, *serial) {
            return iin.as_str().to_string();
        }
    }
}

fn make_bin(rng: &mut StdRng) -> String {
    loop {
        let prefix = format!(
            "{:02}{:02}40{:05}",
            rng.gen_range(3..25),
            rng.gen_range(1..13),
            rng.gen_range(0..100_000)
        );
        let mut d = [0u32; 12];
        for (i, c) in prefix.bytes().enumerate() {
            d[i] = u32::from(c - b'0');
        }
        if let Some(c) = check_digit(&d)
            && let Ok(bin) = Bin::parse(&format!("{prefix}{c}"))
        {
            return bin.as_str().to_string();
        }
    }
}

/// Positions: (head, official, second official) by kind of body.
fn positions(org: &tyndau_storage::reference::Org) -> (&'static str, &'static str, &'static str) {
    match (org.id.as_str(), org.level) {
        ("gov", _) => (
            "Заведующий Отделом документационного обеспечения Канцелярии Премьер-Министра",
            "Главный эксперт Отдела по работе с обращениями граждан Канцелярии Премьер-Министра",
            "Эксперт Отдела по работе с обращениями граждан Канцелярии Премьер-Министра",
        ),
        (_, OrgLevel::Central) => (
            "Руководитель Департамента документационного обеспечения и контроля",
            "Главный эксперт Управления по работе с обращениями физических и юридических лиц",
            "Эксперт Управления по работе с обращениями физических и юридических лиц",
        ),
        (_, OrgLevel::OblastAkimat) => (
            "Руководитель аппарата акима",
            "Главный специалист отдела по работе с обращениями граждан",
            "Ведущий специалист отдела контроля и документационного обеспечения",
        ),
        _ => (
            "Руководитель аппарата акима",
            "Главный специалист аппарата акима",
            "Специалист аппарата акима",
        ),
    }
}

/// Bodies with two officials (the busiest ones); every other staffed body has one.
const TWO_OFFICIALS: &[&str] = &[
    "gov",
    "akimat-75",
    "akimat-71",
    "akimat-61",
    "akimat-79",
    "mz",
    "mvd",
    "mtszn",
];

async fn create_staff(
    state: &AppState,
    reference: &Reference,
    hash: &str,
    rng: &mut StdRng,
    names: &mut Names,
) -> anyhow::Result<HashMap<String, OrgStaff>> {
    let mut new_staff =
        |role: Role, login: String, org: Option<String>, position: &str, rng: &mut StdRng| {
            let kazakh = rng.gen_bool(0.75);
            let female = rng.gen_bool(0.45);
            let p = names.person(rng, kazakh, female, false);
            NewUser {
                role: Some(role),
                login: Some(login),
                password_hash: Some(hash.to_string()),
                full_name: p.full_name,
                email: Some(p.email.replace("@example.kz", "@gov.example.kz")),
                phone: Some(phone(rng)),
                org_id: org,
                position: Some(position.to_string()),
                language: Some(if kazakh && rng.gen_bool(0.5) {
                    UiLang::Kk
                } else {
                    UiLang::Ru
                }),
                ..Default::default()
            }
        };
    // The sentinel account first: its presence marks the data set as loaded.
    let admin = new_staff(
        Role::Administrator,
        "admin".into(),
        None,
        "Администратор системы Tyndau",
        rng,
    );
    users::create_user(&state.db, &admin).await?;
    let supervisor = new_staff(
        Role::Supervisor,
        "supervisor".into(),
        None,
        "Прокурор Управления по надзору за законностью рассмотрения обращений Генеральной прокуратуры",
        rng,
    );
    users::create_user(&state.db, &supervisor).await?;

    // Every body that appeals can reach by routing, forwarding or escalation.
    let mut orgs: Vec<&tyndau_storage::reference::Org> = reference
        .orgs
        .values()
        .filter(|o| {
            matches!(
                o.level,
                OrgLevel::Central | OrgLevel::OblastAkimat | OrgLevel::DistrictAkimat
            ) && o.id != "gp"
        })
        .collect();
    orgs.sort_by(|a, b| a.id.cmp(&b.id));
    let mut out = HashMap::new();
    for org in orgs {
        let (head_pos, off_pos, off2_pos) = positions(org);
        let head = new_staff(
            Role::Head,
            format!("head.{}", org.id),
            Some(org.id.clone()),
            head_pos,
            rng,
        );
        let head = Member::new(state, users::create_user(&state.db, &head).await?);
        let mut officials = vec![];
        let o = new_staff(
            Role::Official,
            format!("official.{}", org.id),
            Some(org.id.clone()),
            off_pos,
            rng,
        );
        officials.push(Member::new(state, users::create_user(&state.db, &o).await?));
        if TWO_OFFICIALS.contains(&org.id.as_str()) {
            let o = new_staff(
                Role::Official,
                format!("official2.{}", org.id),
                Some(org.id.clone()),
                off2_pos,
                rng,
            );
            officials.push(Member::new(state, users::create_user(&state.db, &o).await?));
        }
        out.insert(org.id.clone(), OrgStaff { head, officials });
    }
    Ok(out)
}

/// Territories with weights by the population living there and not in a listed sub-territory.
fn territory_weights(reference: &Reference) -> (Vec<Kato>, WeightedIndex<i64>) {
    let mut katos: Vec<Kato> = reference.territories.keys().copied().collect();
    katos.sort();
    let mut children: HashMap<Kato, i64> = HashMap::new();
    for t in reference.territories.values() {
        if let Some(p) = t.parent {
            *children.entry(p).or_default() += t.population.unwrap_or(0);
        }
    }
    let weights: Vec<i64> = katos
        .iter()
        .map(|k| {
            let t = &reference.territories[k];
            (t.population.unwrap_or(0) - children.get(k).copied().unwrap_or(0)).max(3_000)
        })
        .collect();
    (
        katos,
        WeightedIndex::new(weights).expect("positive weights"),
    )
}

async fn create_citizens(
    state: &AppState,
    reference: &Reference,
    hash: &str,
    rng: &mut StdRng,
    names: &mut Names,
) -> anyhow::Result<Vec<Citizen>> {
    let (katos, weights) = territory_weights(reference);
    let mut out = Vec::with_capacity(CITIZENS);
    // The memorable citizen for demonstrations: a known IIN and the demo password.
    let iin = make_iin(NaiveDate::from_ymd_opt(1990, 5, 15).expect("date"), true, 1)
        .expect("a valid demo IIN");
    let home = Kato::parse("751700000").expect("kato");
    let u = NewUser {
        role: Some(Role::Citizen),
        login: Some(iin.as_str().to_string()),
        password_hash: Some(hash.to_string()),
        iin: Some(iin.as_str().to_string()),
        full_name: "Ахметова Айгерім Серікқызы".into(),
        email: Some("aigerim.akhmetova@example.kz".into()),
        phone: Some("+7 701 555 15 05".into()),
        address: Some("Алматы қаласы, Сәтбаев көшесі, 30-үй, 12-пәтер".into()),
        language: Some(UiLang::Kk),
        ..Default::default()
    };
    names.full.insert(u.full_name.clone());
    names.emails.insert("aigerim.akhmetova@example.kz".into());
    out.push(Citizen {
        member: Member::new(state, users::create_user(&state.db, &u).await?),
        lang: UiLang::Kk,
        home,
    });

    let mut serial = 100;
    while out.len() < CITIZENS {
        let kazakh = rng.gen_bool(0.68);
        let female = rng.gen_bool(0.52);
        let lang = if kazakh && rng.gen_bool(0.72) {
            UiLang::Kk
        } else {
            UiLang::Ru
        };
        let p = names.person(rng, kazakh, female, lang == UiLang::Kk);
        let iin = next_iin(rng, female, &mut serial);
        let home = katos[weights.sample(rng)];
        let place = territory_name(reference, home, lang);
        let (sk, sr) = *STREETS.choose(rng).expect("streets");
        let (house, flat) = (rng.gen_range(1..180), rng.gen_range(1..120));
        let address = match lang {
            UiLang::Kk => format!("{place}, {sk}, {house}-үй, {flat}-пәтер"),
            _ => format!("{place}, {sr}, д. {house}, кв. {flat}"),
        };
        let u = NewUser {
            role: Some(Role::Citizen),
            login: Some(iin.clone()),
            iin: Some(iin),
            full_name: p.full_name,
            email: rng.gen_bool(0.85).then_some(p.email),
            phone: Some(phone(rng)),
            address: Some(address),
            language: Some(lang),
            ..Default::default()
        };
        out.push(Citizen {
            member: Member::new(state, users::create_user(&state.db, &u).await?),
            lang,
            home,
        });
    }
    Ok(out)
}

fn territory_name(reference: &Reference, kato: Kato, lang: UiLang) -> String {
    reference
        .territories
        .get(&kato)
        .map(|t| t.names.get(lang).to_string())
        .unwrap_or_default()
}

/// Kazakh locative of a territory name ("Алматы қаласы" → "Алматы қаласында").
fn locative_kk(name: &str) -> String {
    if name.ends_with('ы') {
        format!("{name}нда")
    } else if name.ends_with('і') {
        format!("{name}нде")
    } else {
        format!("{name} аумағында")
    }
}

// ---------------------------------------------------------------------------------------------
// Texts

/// (Kazakh, Russian)
const STREETS: &[(&str, &str)] = &[
    ("Абай даңғылы", "пр. Абая"),
    ("Төле би көшесі", "ул. Толе би"),
    ("Сейфуллин көшесі", "ул. Сейфуллина"),
    ("Жібек жолы көшесі", "ул. Жибек жолы"),
    ("Кенесары көшесі", "ул. Кенесары"),
    ("Республика даңғылы", "пр. Республики"),
    ("Байтұрсынұлы көшесі", "ул. Байтурсынулы"),
    ("Сәтбаев көшесі", "ул. Сатпаева"),
    ("Әуезов көшесі", "ул. Ауэзова"),
    ("Момышұлы көшесі", "ул. Момышулы"),
    ("Гагарин көшесі", "ул. Гагарина"),
    ("Қабанбай батыр көшесі", "ул. Кабанбай батыра"),
    ("Достық даңғылы", "пр. Достык"),
    ("Желтоқсан көшесі", "ул. Желтоксан"),
    ("Майлин көшесі", "ул. Майлина"),
    ("Пушкин көшесі", "ул. Пушкина"),
    ("Тәуелсіздік даңғылы", "пр. Тауелсиздик"),
    ("Жамбыл көшесі", "ул. Жамбыла"),
    ("Шевченко көшесі", "ул. Шевченко"),
    ("Бейбітшілік көшесі", "ул. Бейбитшилик"),
    ("Наурызбай батыр көшесі", "ул. Наурызбай батыра"),
    ("Құрманғазы көшесі", "ул. Курмангазы"),
    ("Ықылас көшесі", "ул. Ыкылас"),
    ("Бірлік көшесі", "ул. Бирлик"),
];

/// Street names as written in English and Uzbek texts.
const EN_STREETS: &[&str] = &[
    "Abay",
    "Tole Bi",
    "Seifullin",
    "Zhibek Zholy",
    "Kenesary",
    "Satpayev",
    "Auezov",
    "Dostyk",
    "Zheltoksan",
    "Baitursynuly",
];

/// An appeal text template: category, Kazakh, Russian. Placeholders: {place}, {place_loc}
/// (Kazakh locative), {street}, {street2}, {house}, {num} (5–20), {since} (a date), and in
/// English and Uzbek texts {street_en}.
struct Tpl {
    cat: &'static str,
    kk: &'static str,
    ru: &'static str,
}

const TEMPLATES: &[Tpl] = &[
    // housing
    Tpl {
        cat: "housing.heating",
        kk: "Мекенжайымыз: {place}, {street}, {house}-үй. Үйімізде {since} бастап радиаторлар әрең жылы, пәтерлерде температура +16 градустан аспайды. Қызмет көрсетуші ұйым қоңырауларға жауап бермейді. Жылу беруші ұйымды жылумен жабдықтауды қалпына келтіруге міндеттеуіңізді сұраймын.",
        ru: "В нашем доме (адрес: {place}, {street}, д. {house}) с {since} батареи едва тёплые, в квартирах не выше +16 градусов. Обслуживающая организация на звонки не отвечает. Прошу обязать теплоснабжающую организацию восстановить нормальную подачу тепла.",
    },
    Tpl {
        cat: "housing.water",
        kk: "{place_loc}, {street}, {house}-үйде {since} бастап суық су жоқ, ал берілген кезде тат аралас су ағады. Тұрғындар суды сатып алуға мәжбүр. Шара қолданып, апатты жою мерзімін хабарлауыңызды сұраймын.",
        ru: "По адресу: {place}, {street}, д. {house} с {since} нет холодной воды, а когда она появляется, идёт ржавая. Жители вынуждены покупать воду. Прошу принять меры и сообщить сроки устранения аварии.",
    },
    Tpl {
        cat: "housing.waste",
        kk: "Үйіміздің ауласында ({place}, {street}, {house}-үй) {since} бастап қоқыс шығарылмай жатыр, контейнерлер толып кетті, егеуқұйрықтар пайда болды. Қоқысты тұрақты шығаруды ұйымдастыруды сұраймын.",
        ru: "Во дворе нашего дома (адрес: {place}, {street}, д. {house}) мусор не вывозится с {since}, контейнеры переполнены, появились крысы. Прошу наладить регулярный вывоз мусора.",
    },
    Tpl {
        cat: "housing.maintenance",
        kk: "Біздің үйдің ({place}, {street}, {house}-үй) шатыры ағып тұр, жаңбырдан кейін жоғарғы қабаттағы пәтерлерді су басады. Басқарушы компания қаражат жоқ деп сылтауратады. Үйді күрделі жөндеу бағдарламасына енгізуді сұраймын.",
        ru: "В нашем доме (адрес: {place}, {street}, д. {house}) протекает крыша, после дождей заливает квартиры верхнего этажа. Управляющая компания ссылается на отсутствие средств. Прошу включить дом в программу капитального ремонта.",
    },
    Tpl {
        cat: "housing.electricity",
        kk: "{place_loc}, {street} бойында соңғы айда электр жарығы ескертусіз бірнеше рет сөндірілді, тұрғындардың тұрмыстық техникасы күйіп қалды. Электр желілерін тексеруді және энергиямен жабдықтаушы ұйымды залалды өтеуге міндеттеуді сұраймын.",
        ru: "На {street} ({place}) за последний месяц свет неоднократно отключали без предупреждения, у жителей сгорела бытовая техника. Прошу провести проверку электросетей и обязать энергоснабжающую организацию возместить ущерб.",
    },
    // roads
    Tpl {
        cat: "roads.repair",
        kk: "{place_loc}, {street} бойындағы жол жамылғысы бұзылған, тереңдігі {num} сантиметрге дейінгі шұңқырлар бар. Көліктер зақымданып, жаяу жүргіншілерге қауіпті. Осы учаскені биылғы жөндеу жоспарына енгізуді сұраймын.",
        ru: "На участке {street} ({place}) дорожное покрытие разрушено, ямы глубиной до {num} см. Автомобили получают повреждения, пешеходам опасно. Прошу включить участок в план ремонта на текущий год.",
    },
    Tpl {
        cat: "roads.public_transport",
        kk: "№ {num} бағыттағы автобус 40 минуттан астам аралықпен жүреді, кешкі 21:00-ден кейін мүлде жүрмейді. {place_loc}, {street} маңындағы шағын аудан тұрғындары жұмысқа жете алмай жүр. Бағыттағы автобустар санын көбейтуді сұраймын.",
        ru: "Автобус маршрута № {num} ходит с интервалом более 40 минут, а после 21:00 не ходит вовсе. Жители микрорайона у {street} ({place}) не могут добраться до работы. Прошу увеличить количество автобусов на маршруте.",
    },
    Tpl {
        cat: "roads.lighting",
        kk: "{place_loc}, {street} бойындағы көше шамдары {since} бастап жанбайды, кешке көше қараңғы, жанында мектеп пен аялдама бар. Жарықтандыруды қалпына келтіруді сұраймын.",
        ru: "На {street} ({place}) с {since} не работают уличные фонари, вечером улица полностью тёмная, рядом школа и остановка. Прошу восстановить освещение.",
    },
    Tpl {
        cat: "roads.traffic_safety",
        kk: "{place_loc}, {street} мен {street2} қиылысында бағдаршам мен жаяу жүргіншілер өткелі жоқ, жүргізушілер жылдамдықты асырады, жақында бала қағылды. Бағдаршам мен жасанды кедір-бұдырлар орнатуды сұраймын.",
        ru: "На пересечении {street} и {street2} ({place}) нет светофора и пешеходного перехода, водители превышают скорость, недавно сбили ребёнка. Прошу установить светофор и искусственные неровности.",
    },
    // health
    Tpl {
        cat: "health.clinics",
        kk: "{place_loc} орналасқан № {num} емханада бейінді мамандарға жазылу мүмкін емес: кардиологқа ең жақын жазылу тек бір айдан кейін, тіркеу орны қоңырауға жауап бермейді. Мән-жайды анықтап, жазылуды дұрыс ұйымдастыруды сұраймын.",
        ru: "В поликлинике № {num} ({place}) невозможно записаться к узким специалистам: ближайшая запись к кардиологу только через месяц, регистратура не отвечает на звонки. Прошу разобраться и организовать нормальную запись.",
    },
    Tpl {
        cat: "health.medicines",
        kk: "Анам диспансерлік есепте тұрған науқас ретінде тегін дәрі-дәрмек алуға құқылы, бірақ № {num} емхана жанындағы дәріханада ({place}) {since} бастап дәрі жоқ. ТМККК шеңберінде дәрі беруді қамтамасыз етуді сұраймын.",
        ru: "Моей матери как пациенту на диспансерном учёте положены бесплатные лекарства, но в аптеке при поликлинике № {num} ({place}) их нет с {since}. Прошу обеспечить выдачу лекарств в рамках ГОБМП.",
    },
    Tpl {
        cat: "health.ambulance",
        kk: "{since} күні жедел жәрдем {street}, {house}-үйдегі ({place}) қарт көршімізге бір сағаттан астам уақыт келмеді. Тексеру жүргізіп, келу уақытын қысқарту шараларын қабылдауды сұраймын.",
        ru: "Вызов от {since}: скорая помощь ехала к пожилому соседу по адресу {street}, д. {house} ({place}) более часа. Прошу провести проверку и принять меры к сокращению времени доезда.",
    },
    Tpl {
        cat: "health.clinics",
        kk: "Ауруханада ({place}) науқастарды шығын материалдарын өз қаражатына сатып алуға мәжбүрлейді, ал емделу тегін болуы тиіс. Мұндай талаптардың заңдылығын тексеруді сұраймын.",
        ru: "В больнице ({place}) пациентов заставляют покупать расходные материалы за свой счёт, хотя лечение должно быть бесплатным. Прошу проверить законность таких требований.",
    },
    // education
    Tpl {
        cat: "education.kindergartens",
        kk: "Балам туғаннан бері балабақшаға кезекте тұр, қазір оған төрт жас, бірақ орын әлі берілмеді ({place}). Кезектегі нөмірін және жолдама алу мерзімін хабарлауыңызды сұраймын.",
        ru: "Мой ребёнок стоит в очереди в детский сад с рождения, ему уже четыре года, но место так и не предоставлено ({place}). Прошу сообщить номер в очереди и сроки получения направления.",
    },
    Tpl {
        cat: "education.schools",
        kk: "№ {num} мектеп ({place}) үш ауысыммен жұмыс істейді, сыныптарда 40 оқушыдан отыр. {street} маңындағы шағын ауданда жаңа мектеп құрылысын жеделдетуді сұраймын.",
        ru: "Школа № {num} ({place}) работает в три смены, в классах по 40 учеников. Прошу ускорить строительство новой школы в микрорайоне у {street}.",
    },
    Tpl {
        cat: "education.schools",
        kk: "№ {num} мектепте ({place}) ата-аналардан сынып жөндеуге және күзетке үнемі ақша жиналады. Осы жиындардың заңдылығын тексеруді сұраймын.",
        ru: "В школе № {num} ({place}) с родителей регулярно собирают деньги на ремонт класса и охрану. Прошу проверить законность этих сборов.",
    },
    Tpl {
        cat: "education.higher",
        kk: "Ақылы бөлімнен бос грантқа ауысу тәртібін түсіндіруіңізді сұраймын: ұлым екінші курста оқиды, орташа балы 3,6. Университетте нақты жауап бермейді.",
        ru: "Прошу разъяснить порядок перевода с платного отделения на вакантный грант: мой сын учится на втором курсе, средний балл 3,6. В университете конкретного ответа не дают.",
    },
    Tpl {
        cat: "education.schools",
        kk: "Ауылдан ({place}) балаларды тасымалдайтын мектеп автобусы {since} бастап жүрмейді, балалар трассамен жаяу барады. Тасымалды қалпына келтіруді сұраймын.",
        ru: "Школьный автобус для детей из села ({place}) с {since} не ходит, дети добираются пешком по трассе. Прошу восстановить подвоз.",
    },
    // social
    Tpl {
        cat: "social.benefits",
        kk: "{since} бастап балаға арналған жәрдемақы төлеу себебі түсіндірілмей тоқтатылды. Құжаттар ХҚКО арқылы тапсырылған, барлық мәліметтер өзекті. Төлемді қайта бастап, қайта есептеуді сұраймын.",
        ru: "С {since} мне прекратили выплату пособия на ребёнка без объяснения причин. Документы поданы через ЦОН, все сведения актуальны. Прошу возобновить выплату и произвести перерасчёт.",
    },
    Tpl {
        cat: "social.pensions",
        kk: "Зейнетақы тағайындау кезінде 1988–1995 жылдардағы кеңшардағы еңбек өтілім есепке алынбады, бірақ еңбек кітапшасы мен мұрағат анықтамалары бар. Зейнетақы мөлшерін қайта есептеуді сұраймын.",
        ru: "При назначении пенсии мне не учли стаж работы в совхозе за 1988–1995 годы, хотя трудовая книжка и архивные справки есть. Прошу пересчитать размер пенсии.",
    },
    Tpl {
        cat: "social.disability",
        kk: "Мен екінші топтағы мүгедектігі бар адаммын, арбамен жүремін. Үйдің кіреберісінде ({place}, {street}, {house}-үй) пандус жоқ, көшеге өзім шыға алмаймын. Пандус орнатуды сұраймын.",
        ru: "У меня вторая группа инвалидности, передвигаюсь на коляске. В подъезде дома (адрес: {place}, {street}, д. {house}) нет пандуса, выйти на улицу самостоятельно не могу. Прошу установить пандус.",
    },
    Tpl {
        cat: "social.benefits",
        kk: "Біздің отбасымыз көпбалалы (төрт бала), бірақ табыс бірнеше мың теңгеге асып кетті деп атаулы әлеуметтік көмек тағайындаудан бас тартты ({place}). Шешімді қайта қарауды сұраймын.",
        ru: "Наша семья многодетная (четверо детей), но в назначении адресной социальной помощи отказали из-за превышения дохода на несколько тысяч тенге ({place}). Прошу пересмотреть решение.",
    },
    // land
    Tpl {
        cat: "land.plots",
        kk: "Мен 2015 жылдан бері жеке тұрғын үй құрылысына жер учаскесін алу кезегінде тұрмын ({place}). Кезектегі нөмірімді және учаскелер қашан бөлінетінін хабарлауыңызды сұраймын.",
        ru: "С 2015 года стою в очереди на получение земельного участка под ИЖС ({place}). Прошу сообщить мой номер в очереди и когда будут выделяться участки.",
    },
    Tpl {
        cat: "land.illegal_construction",
        kk: "Үйіміздің жанында ({place}, {street}, {house}-үй) балалар алаңының орнында рұқсатсыз сауда павильоны салынып жатыр. Құрылыстың заңдылығын тексеріп, оны тоқтатуды сұраймын.",
        ru: "Рядом с нашим домом (адрес: {place}, {street}, д. {house}) на месте детской площадки без разрешения строят торговый павильон. Прошу проверить законность строительства и остановить его.",
    },
    Tpl {
        cat: "land.permits",
        kk: "Жеке үйді қайта жаңартуға рұқсат алу үшін құжаттар портал арқылы тапсырылды ({place}, {street}, {house}-үй), бір айдан астам уақыт өтті, жауап жоқ. Қарауды жеделдетуді сұраймын.",
        ru: "Документы на разрешение на реконструкцию частного дома (адрес: {place}, {street}, д. {house}) поданы через портал больше месяца назад, ответа нет. Прошу ускорить рассмотрение.",
    },
    Tpl {
        cat: "land.plots",
        kk: "Көршім қоршауды менің аумағыма 2 метрге өз бетінше жылжытты ({place}, {street}, {house}-үй). Өлшеу жүргізіп, учаске шекарасын қалпына келтіруді сұраймын.",
        ru: "Сосед самовольно перенёс забор на 2 метра на мою территорию (адрес: {place}, {street}, д. {house}). Прошу провести обмер и восстановить границы участка.",
    },
    // ecology
    Tpl {
        cat: "ecology.air",
        kk: "Ауданымыздың ({place}) тұрғындары түтіннен тұншығып жүр: жеке сектор көмір мен қоқыс жағады, кешке терезе ашу мүмкін емес. Газдандыруды жеделдетіп, бақылауды күшейтуді сұраймын.",
        ru: "Жители нашего района ({place}) задыхаются от смога: частный сектор топит углём и мусором, по вечерам невозможно открыть окна. Прошу ускорить газификацию и усилить контроль.",
    },
    Tpl {
        cat: "ecology.greenery",
        kk: "Үй ауласында ({place}, {street}, {house}-үй) кесу билетінсіз {num} сау ағаш кесілді. Тексеру жүргізіп, кінәлілерді өтемдік отырғызуға міндеттеуді сұраймын.",
        ru: "Во дворе дома (адрес: {place}, {street}, д. {house}) вырубили {num} здоровых деревьев без порубочного билета. Прошу провести проверку и обязать виновных выполнить компенсационную посадку.",
    },
    Tpl {
        cat: "ecology.stray_animals",
        kk: "{place_loc}, {street} маңындағы шағын ауданда иесіз иттердің үйірі өткен-кеткенге шабуыл жасайды, өткен аптада оқушыны қауып алды. Аулау шараларын қабылдауды сұраймын.",
        ru: "В микрорайоне у {street} ({place}) стаи бездомных собак нападают на прохожих, на прошлой неделе покусали школьника. Прошу принять меры по отлову.",
    },
    Tpl {
        cat: "ecology.greenery",
        kk: "{place_loc}, {street} маңындағы бос алаңды абаттандыруды ұсынамын: орындықтары мен балалар алаңы бар гүлзар жасау. Тұрғындар сенбілікке қатысуға дайын.",
        ru: "Предлагаю благоустроить пустырь у {street} ({place}): сделать сквер со скамейками и детской площадкой. Жители готовы участвовать в субботнике.",
    },
    // public services
    Tpl {
        cat: "public.egov",
        kk: "eGov порталында қызмет ала алмай жүрмін: өтінішке ЭЦҚ-мен қол қою кезінде қате шығады, 1414 қолдау қызметі ХҚКО-ға баруға кеңес береді, ал ХҚКО қайтадан порталға жібереді. Көмектесуіңізді сұраймын.",
        ru: "Не могу получить услугу на портале eGov: при подписании заявления ЭЦП выдаёт ошибку, служба поддержки 1414 советует обратиться в ЦОН, а в ЦОНе отправляют обратно на портал. Прошу помочь.",
    },
    Tpl {
        cat: "public.identity_documents",
        kk: "Жеке куәлікті ауыстыруға құжаттар {since} ХҚКО-ға ({place}) тапсырылды, дайындау мерзімі өтті, құжат әлі дайын емес. Кешігу себебін хабарлауыңызды сұраймын.",
        ru: "Документы на замену удостоверения личности поданы в ЦОН ({place}) {since}, срок изготовления истёк, документ до сих пор не готов. Прошу сообщить причину задержки.",
    },
    Tpl {
        cat: "public.civil_registration",
        kk: "Ұлымның туу туралы куәлігінде тегі қате жазылған. Акт жазбасына түзету енгізу тәртібін түсіндіруіңізді сұраймын.",
        ru: "В свидетельстве о рождении сына допущена ошибка в написании фамилии. Прошу разъяснить порядок внесения исправлений в актовую запись.",
    },
    Tpl {
        cat: "public.egov",
        kk: "eGov порталына ЭЦҚ жоқ зейнеткерлер үшін SMS-код арқылы емханаға онлайн жазылу мүмкіндігін қосуды сұраймын.",
        ru: "Прошу добавить на портал eGov возможность онлайн-записи в поликлинику для пенсионеров без ЭЦП, по SMS-коду.",
    },
    // law and order
    Tpl {
        cat: "law.public_security",
        kk: "Үйіміздің кіреберісінде ({place}, {street}, {house}-үй) түнде шулы топ жиналып, ішімдік ішеді, тұрғындар шығуға қорқады. Учаскелік полиция инспекторы қоңырауға жауап бермейді. Шара қолдануды сұраймын.",
        ru: "В подъезде нашего дома (адрес: {place}, {street}, д. {house}) по ночам собирается шумная компания, распивают спиртное, жильцы боятся выходить. Участковый на звонки не реагирует. Прошу принять меры.",
    },
    Tpl {
        cat: "law.crime",
        kk: "{place_loc}, {street} маңындағы гаражда ұрланған телефондар мен автобөлшектерді сатып алу пункті ұйымдастырылғанын хабарлаймын. Тексеру жүргізуді сұраймын.",
        ru: "Сообщаю, что в гараже у {street} ({place}) организован пункт скупки краденых телефонов и автозапчастей. Прошу провести проверку.",
    },
    Tpl {
        cat: "law.corruption",
        kk: "Жер учаскесіне құжат рәсімдеу кезінде жер қатынастары бөлімінің қызметкері ({place}) «алғыссыз» іс созылып кететінін меңзеді. Тексеру жүргізуді сұраймын.",
        ru: "При оформлении документов на земельный участок сотрудник отдела земельных отношений ({place}) намекнул, что без «благодарности» дело затянется. Прошу провести проверку.",
    },
    Tpl {
        cat: "law.crime",
        kk: "Маған банк атынан алаяқтар қоңырау шалып, «қауіпсіз шот» деген сылтаумен 350 000 теңге ұрлады. Полицияға арыз {since} берілді, бірақ тергеу барысы туралы ештеңе хабарламайды.",
        ru: "Мне звонили мошенники от имени банка и под предлогом «безопасного счёта» похитили 350 000 тенге. Заявление в полицию подано {since}, но о ходе расследования ничего не сообщают.",
    },
    // employment
    Tpl {
        cat: "employment.wage_arrears",
        kk: "Жұмыс беруші (ЖШС, {place}) {since} бастап жалақы төлемейді, {num} қызметкерге берешегі бар. Тексеру жүргізіп, қарызды өтеуге міндеттеуді сұраймын.",
        ru: "Работодатель (ТОО, {place}) не выплачивает заработную плату с {since}, задолженность перед {num} работниками. Прошу провести проверку и обязать погасить долг.",
    },
    Tpl {
        cat: "employment.jobs",
        kk: "Мен жұмыспен қамту орталығында ({place}) жұмыссыз ретінде есепте тұрмын, бірақ осы уақыт ішінде бірде-бір бос орын ұсынылмады, оқуға да жіберілмеді. Мені «Жастар практикасы» немесе кәсіптік оқыту бағдарламасына енгізуді сұраймын.",
        ru: "Состою на учёте в центре занятости ({place}), но за всё время мне не предложили ни одной вакансии и не направили на обучение. Прошу включить меня в программу «Молодёжная практика» или профобучения.",
    },
    Tpl {
        cat: "employment.wage_arrears",
        kk: "Жұмыстан шыққаннан кейін пайдаланылмаған демалыс үшін өтемақы мен есеп айырысу төленбеді. Қайда жүгіну керектігін және жұмыс беруші қандай мерзімде есеп айырысуға міндетті екенін түсіндіруіңізді сұраймын.",
        ru: "После увольнения мне не выплатили компенсацию за неиспользованный отпуск и расчёт. Прошу разъяснить, куда обращаться и в какие сроки работодатель обязан рассчитаться.",
    },
    // agriculture
    Tpl {
        cat: "agriculture.subsidies",
        kk: "Тұқым мен тыңайтқыш сатып алуды субсидиялауға СБЖ арқылы өтінім берілді, мерзімі өтсе де төлем түспеді ({place}). Мән-жайды анықтауды сұраймын.",
        ru: "Заявка на субсидирование приобретения семян и удобрений подана через ИСС, срок прошёл, но выплата не поступила ({place}). Прошу разобраться.",
    },
    Tpl {
        cat: "agriculture.irrigation",
        kk: "Округіміздің ({place}) фермерлеріне суармалы су кесте бойынша берілмейді, арна бірнеше жыл тазартылмаған, егін қауіп төнуде. Арнаны тазартып, су беруді ұйымдастыруды сұраймын.",
        ru: "Фермерам нашего округа ({place}) не подают поливную воду по графику, канал не чистили несколько лет, урожай под угрозой. Прошу организовать очистку канала и подачу воды.",
    },
    Tpl {
        cat: "agriculture.subsidies",
        kk: "Шаруа қожалығы ({place}) үшін ІҚМ аналық мал басын сатып алуға жеңілдетілген несие алу тәртібін түсіндіруіңізді сұраймын.",
        ru: "Прошу разъяснить порядок получения льготного кредита на покупку маточного поголовья КРС для крестьянского хозяйства ({place}).",
    },
    // other
    Tpl {
        cat: "other.other",
        kk: "{place} аумағындағы {street} атауын еңбек ардагері болған жерлесіміздің құрметіне өзгерту мүмкіндігін қарастыруды сұраймын. Тұрғындар бастаманы қолдайды, 300-ден астам қол жиналды.",
        ru: "Прошу рассмотреть возможность переименования {street} ({place}) в честь нашего земляка, ветерана труда. Жители поддерживают инициативу, собрано более 300 подписей.",
    },
    Tpl {
        cat: "other.other",
        kk: "Ауламызды жөндеу мәселесін жедел шешкені үшін әкімдік қызметкерлеріне алғыс білдіремін ({place}, {street}).",
        ru: "Выражаю благодарность сотрудникам акимата за быстрое решение вопроса с ремонтом нашего двора ({place}, {street}).",
    },
    Tpl {
        cat: "other.other",
        kk: "1990-жылдары таратылған кәсіпорындағы ата-анамның жұмысы туралы мұрағат анықтамасын қалай алуға болатынын түсіндіруіңізді сұраймын ({place}).",
        ru: "Прошу разъяснить, как получить архивную справку о работе родителей на предприятии, ликвидированном в 1990-х ({place}).",
    },
];

/// Short, plain wordings of the same subjects, as people type them into a phone (category,
/// Kazakh, Russian; placeholders as in [`TEMPLATES`]). Two appeals in five of a category with
/// one are worded so: without them every demonstration appeal of a category is one long
/// template, and the category model learns nothing that carries over to a citizen's own words.
const SHORT: &[(&str, &str, &str)] = &[
    (
        "housing.heating",
        "Үйде жылу жоқ, батареялар суық, балалар тоңып жүр.",
        "В доме нет отопления, батареи холодные, дети мёрзнут.",
    ),
    (
        "housing.heating",
        "{street} көшесі, {house}-үй: пәтерде өте суық, радиаторлар жылымайды.",
        "{street}, д. {house}: в квартире очень холодно, радиаторы не греют.",
    ),
    (
        "housing.water",
        "{street}: үш күннен бері су жоқ.",
        "{street}: третий день нет воды.",
    ),
    (
        "housing.water",
        "Краннан лас, сасық су ағады, ішуге болмайды.",
        "Из крана течёт грязная вода с запахом, пить невозможно.",
    ),
    (
        "housing.waste",
        "Аулада қоқыс шығарылмайды, контейнерлер толып кетті.",
        "Во дворе не вывозят мусор, баки переполнены.",
    ),
    (
        "housing.waste",
        "{street}, {house}-үй: қоқыс алаңы лас, иіс шығып тұр.",
        "{street}, д. {house}: мусорная площадка вся в мусоре, стоит запах.",
    ),
    (
        "housing.maintenance",
        "Шатыр ағып тұр, жаңбыр жауса пәтерді су басады.",
        "Течёт крыша, при дожде заливает квартиру.",
    ),
    (
        "housing.maintenance",
        "Подъездегі лифт бір айдан бері істемейді.",
        "В подъезде месяц не работает лифт.",
    ),
    (
        "housing.electricity",
        "Үйде жиі жарық өшеді, тоңазытқыш бұзылды.",
        "В доме постоянно отключают свет, сгорел холодильник.",
    ),
    (
        "housing.electricity",
        "{street}: екі күннен бері электр жоқ.",
        "{street}: второй день нет электричества.",
    ),
    (
        "roads.repair",
        "{street}: жолда терең шұңқыр бар, жөндеуді сұраймын.",
        "Яма на дороге, {street}, прошу отремонтировать.",
    ),
    (
        "roads.repair",
        "Асфальт бұзылған, көлік жүре алмайды.",
        "Разбит асфальт, невозможно проехать на машине.",
    ),
    (
        "roads.public_transport",
        "Автобус кестемен жүрмейді, аялдамада бір сағат күттік.",
        "Автобус не ходит по расписанию, час ждали на остановке.",
    ),
    (
        "roads.public_transport",
        "{num}-бағыттағы автобус кешке жүрмейді.",
        "Маршрут № {num} вечером не ходит.",
    ),
    (
        "roads.lighting",
        "{street}: түнде шамдар жанбайды, қараңғы.",
        "{street}: ночью не горят фонари, темно.",
    ),
    (
        "roads.lighting",
        "Аулада бағандағы шам істен шықты.",
        "Во дворе не работает фонарь на столбе.",
    ),
    (
        "roads.traffic_safety",
        "Мектеп жанында жаяу жүргіншілер өткелі жоқ, балаларға қауіпті.",
        "Возле школы нет пешеходного перехода, детям опасно.",
    ),
    (
        "roads.traffic_safety",
        "Қиылыста бағдаршам істемейді.",
        "На перекрёстке не работает светофор.",
    ),
    (
        "health.clinics",
        "Емханада дәрігерге жазылу мүмкін емес, кезек өте ұзын.",
        "В поликлинике невозможно записаться к врачу, огромные очереди.",
    ),
    (
        "health.clinics",
        "Учаскелік дәрігер үйге келуден бас тартты.",
        "Участковый врач отказался прийти на дом.",
    ),
    (
        "health.medicines",
        "Дәріханада тегін дәрі жоқ.",
        "В аптеке нет бесплатных лекарств.",
    ),
    (
        "health.medicines",
        "Қант диабетіне арналған дәріні екі ай бойы бермей жатыр.",
        "Два месяца не выдают лекарство от диабета.",
    ),
    (
        "health.ambulance",
        "Жедел жәрдем бір сағаттан кейін ғана келді.",
        "Скорая помощь приехала только через час.",
    ),
    (
        "health.ambulance",
        "Жедел жәрдемге қоңырау шалсақ, ешкім жауап бермейді.",
        "Не дозвониться до скорой помощи.",
    ),
    (
        "education.kindergartens",
        "Балабақшаға кезек екі жылдан бері жылжымайды.",
        "Очередь в детский сад не движется два года.",
    ),
    (
        "education.kindergartens",
        "Балабақшада топтар толып кеткен, балалар ауырады.",
        "В детском саду переполнены группы, дети болеют.",
    ),
    (
        "education.schools",
        "Мектепте сынып жылы емес, балалар күртешемен отыр.",
        "В школе холодно в классах, дети сидят в куртках.",
    ),
    (
        "education.schools",
        "Мектеп ақша жинауды талап етеді.",
        "В школе требуют сдавать деньги.",
    ),
    (
        "education.higher",
        "Университет жатақхана бермейді.",
        "Университет не даёт место в общежитии.",
    ),
    (
        "education.higher",
        "Грант бойынша оқуға қабылдау нәтижелері әділ емес.",
        "Несправедливые итоги конкурса на образовательный грант.",
    ),
    (
        "social.benefits",
        "Көп балалы отбасыға жәрдемақы үш айдан бері төленбейді.",
        "Многодетной семье три месяца не платят пособие.",
    ),
    (
        "social.benefits",
        "Атаулы әлеуметтік көмекке құжат қабылдамай отыр.",
        "Не принимают документы на адресную социальную помощь.",
    ),
    (
        "social.pensions",
        "Зейнетақы дұрыс есептелмеген, азайып кетті.",
        "Пенсию рассчитали неправильно, она уменьшилась.",
    ),
    (
        "social.pensions",
        "Зейнетақы уақытында түспей жатыр.",
        "Пенсия приходит с задержкой.",
    ),
    (
        "social.disability",
        "Мүгедектігі бар адамға пандус жоқ, үйден шыға алмаймын.",
        "Нет пандуса, как инвалид не могу выйти из дома.",
    ),
    (
        "social.disability",
        "Мүгедектік тобын негізсіз алып тастады.",
        "Необоснованно сняли группу инвалидности.",
    ),
    (
        "land.plots",
        "Жер телімін алуға кезекте он жылдан бері тұрмын.",
        "Десять лет стою в очереди на земельный участок.",
    ),
    (
        "land.plots",
        "Көршім менің жер телімімді басып алды.",
        "Сосед захватил часть моего земельного участка.",
    ),
    (
        "land.illegal_construction",
        "Аулада рұқсатсыз гараж салып жатыр.",
        "Во дворе без разрешения строят гараж.",
    ),
    (
        "land.illegal_construction",
        "Балалар алаңының орнына заңсыз құрылыс жүріп жатыр.",
        "На месте детской площадки идёт незаконная стройка.",
    ),
    (
        "land.permits",
        "Құрылысқа рұқсат беруді негізсіз созып жатыр.",
        "Без причины затягивают выдачу разрешения на строительство.",
    ),
    (
        "land.permits",
        "Үйді заңдастыруға құжаттарды қабылдамайды.",
        "Не принимают документы на узаконение дома.",
    ),
    (
        "ecology.air",
        "Зауыттан қара түтін шығады, тыныс алу қиын.",
        "Завод выбрасывает чёрный дым, нечем дышать.",
    ),
    (
        "ecology.air",
        "Кешке қала үстінде түтін, иіс өте жаман.",
        "По вечерам над городом смог, сильный запах гари.",
    ),
    (
        "ecology.greenery",
        "Саябақта ағаштарды кесіп жатыр.",
        "В парке вырубают деревья.",
    ),
    (
        "ecology.greenery",
        "Көшедегі ағаштар суарылмай, қурап қалды.",
        "Деревья на улице не поливают, они засохли.",
    ),
    (
        "ecology.stray_animals",
        "Аулада қаңғыбас иттер көп, балаларға қауіпті.",
        "Во дворе много бродячих собак, опасно для детей.",
    ),
    (
        "ecology.stray_animals",
        "Мектеп жанында иттер үйірі жүр.",
        "Возле школы бегает стая собак.",
    ),
    (
        "public.egov",
        "eGov порталында анықтама алу мүмкін емес, қате шығады.",
        "На портале eGov не получить справку, выдаёт ошибку.",
    ),
    (
        "public.egov",
        "ХҚКО-да кезек өте ұзын, электронды кезек істемейді.",
        "В ЦОНе огромная очередь, электронная очередь не работает.",
    ),
    (
        "public.identity_documents",
        "Жеке куәлікті бір айдан бері бермей жатыр.",
        "Месяц не выдают удостоверение личности.",
    ),
    (
        "public.identity_documents",
        "Паспортты ауыстыруға жазылу мүмкін емес.",
        "Невозможно записаться на замену паспорта.",
    ),
    (
        "public.civil_registration",
        "Баланың туу туралы куәлігін бермей жатыр.",
        "Не выдают свидетельство о рождении ребёнка.",
    ),
    (
        "public.civil_registration",
        "АХАТ неке тіркеуден негізсіз бас тартты.",
        "ЗАГС необоснованно отказал в регистрации брака.",
    ),
    (
        "law.public_security",
        "Түнде аулада бұзақылар жиналып, айғайлайды.",
        "Ночью во дворе собираются хулиганы и шумят.",
    ),
    (
        "law.public_security",
        "Аялдамада мас адамдар жолаушыларға тиісіп жүр.",
        "Пьяные пристают к людям на остановке.",
    ),
    (
        "law.crime",
        "Көліктен әмиян ұрланды, полиция іс қозғамай отыр.",
        "Из машины украли кошелёк, полиция не возбуждает дело.",
    ),
    (
        "law.crime",
        "Телефон арқылы алаяқтар ақшамды алдап алды.",
        "Мошенники по телефону выманили деньги.",
    ),
    (
        "law.corruption",
        "Шенеунік анықтама бергені үшін ақша талап етті.",
        "Чиновник требует деньги за выдачу справки.",
    ),
    (
        "law.corruption",
        "Пара бермесең, құжат қабылдамайды.",
        "Без взятки не принимают документы.",
    ),
    (
        "employment.wage_arrears",
        "Жұмыс беруші үш айдан бері жалақы төлемейді.",
        "Работодатель три месяца не платит зарплату.",
    ),
    (
        "employment.wage_arrears",
        "Жұмыстан шыққанда есеп айырысу жасалмады.",
        "При увольнении не выплатили расчёт.",
    ),
    (
        "employment.jobs",
        "Жұмыс таба алмай жүрмін, көмектесуді сұраймын.",
        "Не могу найти работу, прошу помочь с трудоустройством.",
    ),
    (
        "employment.jobs",
        "Жұмыспен қамту орталығы бос орын ұсынбайды.",
        "Центр занятости не предлагает вакансий.",
    ),
    (
        "agriculture.subsidies",
        "Мал шаруашылығына субсидия әлі төленбеді.",
        "До сих пор не выплатили субсидию на животноводство.",
    ),
    (
        "agriculture.subsidies",
        "Егінге берілетін субсидиядан негізсіз бас тартты.",
        "Необоснованно отказали в субсидии на посевную.",
    ),
    (
        "agriculture.irrigation",
        "Арыққа су жіберілмейді, егін қурап жатыр.",
        "В арык не пускают воду, урожай засыхает.",
    ),
    (
        "agriculture.irrigation",
        "Суару каналы бұзылған, жөндеуді сұраймын.",
        "Разрушен оросительный канал, прошу отремонтировать.",
    ),
];

/// Appeals in other languages (English, Uzbek): category, text, whether Uzbek.
const OTHER_TEMPLATES: &[(&str, &str, bool)] = &[
    (
        "housing.water",
        "Our building at {house} {street_en} Street has had no hot water since {since}. The management company does not respond. Please help.",
        false,
    ),
    (
        "public.identity_documents",
        "I am a foreign resident. My residence permit application has been pending since {since}. Please tell me its status and whether any documents are missing.",
        false,
    ),
    (
        "roads.public_transport",
        "Bus route {num} is overcrowded every morning and people cannot get on. Please add more buses during rush hours.",
        false,
    ),
    (
        "housing.heating",
        "Uyimizda ({street_en} ko'chasi, {house}-uy) {since} dan beri isitish yo'q, xonadonlar sovuq. Iltimos, chora ko'ring.",
        true,
    ),
    (
        "education.schools",
        "{num}-maktabda o'zbek tilidagi darsliklar yetishmaydi. Iltimos, darsliklar bilan ta'minlashga yordam bering.",
        true,
    ),
    (
        "health.clinics",
        "Poliklinikada shifokor qabuliga yozilish juda qiyin, navbat bir oyga cho'zilgan. Iltimos, yordam bering.",
        true,
    ),
];

/// Top categories and their share of appeals (percent).
const TOPS: &[(&str, u32)] = &[
    ("housing", 22),
    ("roads", 12),
    ("social", 12),
    ("land", 9),
    ("health", 8),
    ("education", 8),
    ("employment", 6),
    ("ecology", 6),
    ("public", 5),
    ("law", 5),
    ("agriculture", 4),
    ("other", 3),
];

fn top_of(cat: &str) -> &str {
    cat.split('.').next().unwrap_or(cat)
}

/// Answer bodies per top category: (positive kk, positive ru, explanatory kk, explanatory ru).
/// Placeholders: {date} (a date a few weeks ahead), {queue} (a place in a queue).
fn answer_body(top: &str) -> (&'static str, &'static str, &'static str, &'static str) {
    match top {
        "housing" => (
            "Өтінішіңіз бойынша орнына барып тексеру жүргізілді. Қызмет көрсетуші ұйымға бұзушылықтарды {date} дейін жою туралы нұсқама берілді, орындалуы тұрғын үй-коммуналдық шаруашылық бөлімінің бақылауында.",
            "По вашему обращению проведено обследование на месте. Обслуживающей организации выдано предписание устранить нарушения в срок до {date}, исполнение взято на контроль отделом жилищно-коммунального хозяйства.",
            "Сіздің мекенжайыңыз бойынша жұмыстар бөлінген қаржыландыру шегінде келесі жылғы жоспарға енгізілгенін хабарлаймыз. Оған дейін қызмет көрсетуші ұйымға ағымдағы жөндеу жүргізу тапсырылды.",
            "Сообщаем, что работы по вашему адресу включены в план на следующий год в пределах выделенного финансирования. До этого обслуживающей организации поручено проводить текущий ремонт.",
        ),
        "roads" => (
            "Учаске жөндеу жоспарына енгізілді, жұмыстар {date} дейін орындалады. Мердігер ұйымға және жол қозғалысын ұйымдастыру қызметіне тиісті тапсырмалар жіберілді.",
            "Участок включён в план работ, они будут выполнены до {date}. Подрядной организации и службе организации дорожного движения направлены соответствующие поручения.",
            "Ұсынысыңыз қаралып, көлік инфрақұрылымын дамыту жөніндегі жұмыс тобына жіберілді. Көрсетілген учаскедегі жұмыстар 2027 жылға арналған бюджетті қалыптастыру кезінде қарастырылады.",
            "Ваше предложение рассмотрено и направлено в рабочую группу по развитию транспортной инфраструктуры. Работы на указанном участке будут предусмотрены при формировании бюджета на 2027 год.",
        ),
        "health" => (
            "Медициналық ұйымға тексеру жүргізілді. Басшыға анықталған бұзушылықтарды жою тапсырылды, жауапты тұлғалар тәртіптік жауапкершілікке тартылды. Сізбен {date} дейін хабарласады.",
            "Проведена проверка медицинской организации. Руководителю поручено устранить выявленные нарушения, ответственные лица привлечены к дисциплинарной ответственности. С вами свяжутся до {date}.",
            "ТМККК және МӘМС шеңберінде тегін медициналық көмек алғашқы буын дәрігерінің жолдамасы бойынша көрсетілетінін түсіндіреміз. Дәрі алу үшін рецепт жаздыру мақсатында учаскелік дәрігерге жүгіну қажет.",
            "Разъясняем, что бесплатная медицинская помощь в рамках ГОБМП и ОСМС оказывается по направлению врача первичного звена. Для получения лекарств необходимо обратиться к участковому врачу за рецептом.",
        ),
        "education" => (
            "Білім беру ұйымында тексеру жүргізілді. Басшыға бұзушылықтарға жол берілмейтіні ескертілді, мәселе білім бөлімінің бақылауына алынды. Нәтижесі туралы {date} дейін қосымша хабарланады.",
            "Проведена проверка в организации образования. Руководителю указано на недопустимость нарушений, вопрос взят на контроль отделом образования. О результатах будет сообщено дополнительно до {date}.",
            "Жолдамалар электрондық үкімет порталы арқылы кезек тәртібімен берілетінін түсіндіреміз. Кезек нөмірі туралы мәлімет egov.kz сайтындағы жеке кабинетте қолжетімді.",
            "Разъясняем, что направления выдаются в порядке очерёдности через портал электронного правительства. Сведения о номере в очереди доступны в личном кабинете на egov.kz.",
        ),
        "social" => (
            "Өтінішіңіз қаралып, қайта есептеу жүргізілді. Төлем берешекті ескере отырып {date} дейін қайта басталады.",
            "Ваше обращение рассмотрено, произведён перерасчёт. Выплата будет возобновлена с учётом задолженности до {date}.",
            "Қарау нәтижесі бойынша шешімді қайта қарауға негіз анықталмады: отбасының жан басына шаққандағы орташа табысы белгіленген шектен асады. Отбасы құрамы немесе табыс өзгерген жағдайда қайта жүгінуге құқығыңыз бар.",
            "По результатам рассмотрения оснований для пересмотра решения не установлено: среднедушевой доход семьи превышает установленную черту. При изменении состава семьи или дохода вы вправе обратиться повторно.",
        ),
        "land" => (
            "Орнына барып тексеру кезінде бұзушылық фактісі расталды. Құрылыс салушыға жұмыстарды тоқтата тұру туралы нұсқама берілді, материалдар шара қолдану үшін сәулет және қала құрылысы бөліміне жіберілді.",
            "Выездом на место факт нарушения подтверждён. Застройщику выдано предписание о приостановлении работ, материалы направлены в отдел архитектуры и градостроительства для принятия мер.",
            "Кезектегі нөміріңіз — {queue} екенін хабарлаймыз. Жер учаскелері жаңа алаптарға инженерлік желілер тартылуына қарай беріледі.",
            "Сообщаем, что ваш номер в очереди — {queue}. Земельные участки будут предоставляться по мере подведения инженерных сетей к новым массивам.",
        ),
        "ecology" => (
            "Тексеру жүргізіліп, бұзушылық фактісі расталды. Кінәлі тұлға әкімшілік жауапкершілікке тартылды, қажетті жұмыстар {date} дейін орындалады.",
            "Проведено обследование, факт нарушения подтверждён. Виновное лицо привлечено к административной ответственности, необходимые работы будут выполнены до {date}.",
            "Ұсынысыңыз назарға алынды және келесі жылға арналған абаттандыру жоспарын қалыптастыру кезінде қаралады.",
            "Ваше предложение принято к сведению и будет рассмотрено при формировании плана благоустройства на следующий год.",
        ),
        "public" => (
            "Техникалық ақау жойылды, қызмет қолжетімді. Құжат дайын, оны тапсырған жердегі ХҚКО-дан алуға болады.",
            "Технический сбой устранён, услуга доступна. Документ готов, его можно получить в ЦОН по месту подачи.",
            "Тәртібін түсіндіреміз: растайтын құжаттарды қоса бере отырып, ХҚКО-ға немесе egov.kz порталы арқылы өтініш беру қажет. Қызмет көрсету мерзімі — 15 жұмыс күні.",
            "Разъясняем порядок: необходимо подать заявление в ЦОН или через портал egov.kz с приложением подтверждающих документов. Срок оказания услуги — 15 рабочих дней.",
        ),
        "law" => (
            "Өтінішіңіз бойынша тексеру жүргізілді, материалдар СДТБТ-да тіркеліп, сотқа дейінгі тергеп-тексеру жүргізілуде. Учаскелік полиция инспекторына патрульдеуді күшейту тапсырылды.",
            "По вашему обращению проведена проверка, материалы зарегистрированы в ЕРДР, ведётся досудебное расследование. Участковому инспектору поручено усилить патрулирование.",
            "Жүргізілген тексеру барысында келтірілген фактілер расталмады. Жаңа мәліметтер пайда болса, 102 нөмірі бойынша полицияға жүгінуіңізге болады.",
            "Проведённой проверкой изложенные факты не подтвердились. При появлении новых сведений вы можете обратиться в полицию по номеру 102.",
        ),
        "employment" => (
            "Жұмыс берушіге тексеру жүргізілді, анықталған жалақы берешегі {date} дейін өтеледі. Жұмыс беруші әкімшілік жауапкершілікке тартылды.",
            "Проведена проверка работодателя, выявленная задолженность по заработной плате будет погашена до {date}. Работодатель привлечён к административной ответственности.",
            "Жұмыстан шығарылған кезде жұмыс беруші үш жұмыс күнінен кешіктірмей есеп айырысуға міндетті екенін түсіндіреміз. Орындалмаған жағдайда келісім комиссиясына немесе сотқа жүгінуге құқығыңыз бар.",
            "Разъясняем, что при увольнении работодатель обязан произвести расчёт не позднее трёх рабочих дней. В случае неисполнения вы вправе обратиться в согласительную комиссию или в суд.",
        ),
        "agriculture" => (
            "Өтініміңіз тексерілді, бұзушылық анықталмады. Төлем {date} дейін жүргізіледі.",
            "Ваша заявка проверена, нарушений не выявлено. Выплата будет произведена до {date}.",
            "Мемлекеттік қолдау шараларын алу тәртібі мен шарттары egov.kz порталында және ауыл шаруашылығы басқармасының сайтында орналастырылғанын түсіндіреміз. Кеңесті ауыл шаруашылығы бөлімінен алуға болады.",
            "Разъясняем, что порядок и условия получения мер господдержки размещены на портале egov.kz и сайте управления сельского хозяйства. Консультацию можно получить в отделе сельского хозяйства.",
        ),
        _ => (
            "Өтінішіңіз қаралып, мәселе оң шешілді. Белсенді азаматтық ұстанымыңыз үшін алғыс білдіреміз.",
            "Ваше обращение рассмотрено, вопрос решён положительно. Благодарим за активную гражданскую позицию.",
            "Мұрағат анықтамасын алу үшін облыстық мемлекеттік мұрағатқа жүгіну немесе egov.kz порталы арқылы сұрау салу қажет екенін түсіндіреміз.",
            "Разъясняем, что для получения справки необходимо обратиться в государственный архив области или подать запрос через портал egov.kz.",
        ),
    }
}

fn fmt_date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

fn is_kk(language: &str) -> bool {
    language == "kk"
}

fn answer_text(row: &AppealRow, positive: bool, date: NaiveDate, rng: &mut StdRng) -> String {
    let (pk, pr, ek, er) = if row.form == "complaint" && row.parent_appeal_id.is_some() {
        (
            "Шағым қаралып, негізді деп танылды. Төмен тұрған органға өтінішті қайта қарап, {date} дейін шара қолдану тапсырылды.",
            "Жалоба рассмотрена и признана обоснованной. Нижестоящему органу поручено повторно рассмотреть обращение и принять меры до {date}.",
            "Шағым қаралды. Төмен тұрған органның жауабы заңды әрі негізді деп танылды, оны қайта қарауға негіз анықталмады.",
            "Жалоба рассмотрена. Ответ нижестоящего органа признан законным и обоснованным, оснований для его пересмотра не установлено.",
        )
    } else {
        answer_body(top_of(&row.category_id))
    };
    let kk = is_kk(&row.language);
    let body = match (positive, kk) {
        (true, true) => pk,
        (true, false) => pr,
        (false, true) => ek,
        (false, false) => er,
    }
    .replace("{date}", &fmt_date(date))
    .replace("{queue}", &rng.gen_range(800..9_000).to_string());
    if kk {
        format!(
            "Құрметті өтініш беруші! {} өтінішіңіз қаралды. {body} ҚР Әкімшілік рәсімдік-процестік кодексінің 91-бабына сәйкес осы жауапқа жоғары тұрған органға немесе сотқа шағымдануға құқығыңыз бар.",
            row.reg_no
        )
    } else {
        format!(
            "Уважаемый заявитель! Ваше обращение № {} рассмотрено. {body} В соответствии со статьёй 91 Административного процедурно-процессуального кодекса РК вы вправе обжаловать данный ответ в вышестоящий орган или в суд.",
            row.reg_no
        )
    }
}

/// Sentences that make the same subject read as a request, complaint, proposal and so on.
fn form_wording(form: Form, kk: bool, text: String) -> String {
    match (form, kk) {
        (Form::Application, _) => text,
        (Form::Request, true) => format!(
            "{text} Сондай-ақ қандай шаралар қандай мерзімде қабылданатынын хабарлауыңызды сұраймын."
        ),
        (Form::Request, false) => {
            format!("{text} Прошу также сообщить, какие меры и в какие сроки будут приняты.")
        }
        (Form::Complaint, true) => {
            format!(
                "{text} Бұл мәселе бойынша бұған дейін де жүгінгенмін, бірақ ол шешілмеді. Жауапты тұлғалардың әрекетсіздігін тексеруді сұраймын."
            )
        }
        (Form::Complaint, false) => {
            format!(
                "{text} Ранее по этому вопросу уже было обращение, но он не решён. Прошу проверить бездействие ответственных лиц."
            )
        }
        (Form::Proposal, true) => format!(
            "{text} Осы мәселені келесі жылғы жұмыс жоспарын қалыптастыру кезінде қарастыруды ұсынамын."
        ),
        (Form::Proposal, false) => format!(
            "{text} Предлагаю рассмотреть этот вопрос при формировании плана работ на следующий год."
        ),
        (Form::Response, true) => {
            format!("Қоғамдық талқылауға шығарылған шешім жобасына пікір. {text}")
        }
        (Form::Response, false) => {
            format!("Отклик на проект решения, вынесенный на публичное обсуждение. {text}")
        }
        (Form::Report, true) => format!("{text} Мәлімет үшін және шара қолдану үшін хабарлаймын."),
        (Form::Report, false) => format!("{text} Сообщаю для сведения и принятия мер."),
    }
}

const LEGAL_ENTITIES: &[&str] = &[
    "ТОО «Алатау Құрылыс»",
    "ТОО «Шымкент Агро Сервис»",
    "КХ «Береке»",
    "ТОО «Сарыарқа Энерго Монтаж»",
    "ТОО «Жетісу Логистик»",
    "ОСИ «Самал»",
    "ОСИ «Нұрлы Жол»",
    "ТОО «Туран Фарм»",
    "КХ «Ақбидай»",
    "ТОО «Каспий Трейд»",
    "ТОО «Ертіс Су Құрылыс»",
    "КХ «Жаңа Өмір»",
];

/// Approximate centres of the regions (by the first two KATO digits), for map points.
const CENTRES: &[(&str, f64, f64)] = &[
    ("10", 50.41, 80.23),
    ("11", 53.28, 69.39),
    ("15", 50.28, 57.17),
    ("19", 43.87, 77.07),
    ("23", 47.09, 51.92),
    ("27", 51.23, 51.37),
    ("31", 42.90, 71.37),
    ("33", 45.02, 78.37),
    ("35", 49.81, 73.09),
    ("39", 53.21, 63.63),
    ("43", 44.85, 65.51),
    ("47", 43.65, 51.16),
    ("55", 52.29, 76.97),
    ("59", 54.87, 69.14),
    ("61", 43.30, 68.25),
    ("62", 47.78, 67.71),
    ("63", 49.95, 82.61),
    ("71", 51.13, 71.43),
    ("75", 43.24, 76.95),
    ("79", 42.32, 69.59),
];

// ---------------------------------------------------------------------------------------------
// Appeals

/// What happens to an appeal after registration.
#[derive(Debug, Clone, Copy, Default)]
struct Plan {
    assign: bool,
    forward: bool,
    /// After a forward: the receiving body takes it up and goes on with the plan.
    then_handle: bool,
    extend: bool,
    answer: bool,
    leave: bool,
    positive: bool,
    rate: Option<i64>,
    rating_comment: bool,
    complain: bool,
    /// 0: the complaint waits; 1: assigned; 2: answered.
    complaint_progress: u8,
    close: bool,
}

struct Meta {
    citizen: Option<usize>,
    plan: Plan,
    seed: u64,
}

struct Spec {
    new: NewAppeal,
    meta: Meta,
}

fn weighted<'a, T>(rng: &mut StdRng, items: &'a [(T, u32)]) -> &'a T {
    let w = WeightedIndex::new(items.iter().map(|i| i.1)).expect("weights");
    &items[w.sample(rng)].0
}

fn plan_for(rng: &mut StdRng, age_days: f64, has_account: bool) -> Plan {
    let mut p = Plan::default();
    let x: f64 = rng.r#gen();
    // (registered, in review, extended, forwarded, left without consideration); the rest answered
    let (reg, review, extend, forward, leave) = match age_days {
        a if a < 2.0 => (0.75, 0.25, 0.0, 0.0, 0.0),
        a if a < 7.0 => (0.20, 0.40, 0.02, 0.05, 0.03),
        a if a < 21.0 => (0.06, 0.22, 0.10, 0.05, 0.03),
        a if a < 60.0 => (0.02, 0.05, 0.06, 0.04, 0.03),
        _ => (0.01, 0.03, 0.03, 0.03, 0.03),
    };
    let old = age_days >= 21.0;
    let mut t = reg;
    if x < t {
        return p;
    }
    t += review;
    if x < t {
        p.assign = true;
        return p;
    }
    t += extend;
    if x < t {
        p.assign = true;
        p.extend = true;
        p.answer = old && rng.gen_bool(0.7);
    } else if x < t + forward {
        p.forward = true;
        p.then_handle = rng.gen_bool(if old { 0.7 } else { 0.3 });
        p.assign = p.then_handle;
        p.answer = p.then_handle && old && rng.gen_bool(0.8);
    } else if x < t + forward + leave {
        p.leave = true;
        return p;
    } else {
        p.assign = true;
        p.answer = true;
    }
    if !p.answer {
        return p;
    }
    p.positive = rng.gen_bool(0.65);
    if has_account && age_days >= 10.0 && rng.gen_bool(0.55) {
        let score = if p.positive {
            *weighted(rng, &[(5, 50), (4, 35), (3, 10), (2, 3), (1, 2)])
        } else {
            *weighted(rng, &[(5, 15), (4, 25), (3, 25), (2, 20), (1, 15)])
        };
        p.rate = Some(score);
        p.rating_comment = rng.gen_bool(0.5);
    }
    p.complain = has_account
        && match p.rate {
            Some(s) if s <= 2 => rng.gen_bool(0.35),
            None if !p.positive => rng.gen_bool(0.03),
            _ => false,
        };
    if p.complain {
        p.complaint_progress = *weighted(rng, &[(0u8, 35), (1, 45), (2, 20)]);
    } else {
        p.close = age_days >= 30.0 && rng.gen_bool(0.45);
    }
    p
}

/// The body that routing (or the citizen's choice) makes the addressee.
fn addressee_of(
    reference: &Reference,
    category: &str,
    kato: Option<Kato>,
    explicit: Option<&String>,
) -> Option<String> {
    if let Some(o) = explicit {
        return Some(o.clone());
    }
    let c = reference.categories.get(category)?;
    reference.route(c, kato).map(|r| r.org_id.clone())
}

/// Central bodies competent for the category (the exact subcategory first), sorted.
fn competent_central(reference: &Reference, category: &str) -> Vec<String> {
    let Some(c) = reference.categories.get(category) else {
        return vec![];
    };
    let mut exact: Vec<String> = vec![];
    let mut parent: Vec<String> = vec![];
    for o in reference.orgs.values() {
        if o.level != OrgLevel::Central || o.id == "gov" || o.id == "gp" {
            continue;
        }
        if o.competences.contains(&c.id) {
            exact.push(o.id.clone());
        } else if reference.is_competent(o, c) {
            parent.push(o.id.clone());
        }
    }
    exact.sort();
    parent.sort();
    exact.extend(parent);
    exact
}

fn generate_appeals(ctx: &Ctx<'_>, rng: &mut StdRng, n: usize) -> Vec<Spec> {
    let reference = &ctx.reference;
    let (katos, weights) = territory_weights(reference);
    let rural: Vec<Kato> = katos
        .iter()
        .copied()
        .filter(|k| !["71", "75", "79"].contains(&&k.code()[..2]))
        .collect();
    let now = now_ms();
    let offset = Duration::minutes(i64::from(ctx.state.settings.terms.utc_offset_minutes));
    let today = (chrono::DateTime::from_timestamp_millis(now)
        .expect("now")
        .naive_utc()
        + offset)
        .date();
    let kk_pool: Vec<usize> = (0..ctx.citizens.len())
        .filter(|&i| ctx.citizens[i].lang == UiLang::Kk)
        .collect();
    let ru_pool: Vec<usize> = (0..ctx.citizens.len())
        .filter(|&i| ctx.citizens[i].lang != UiLang::Kk)
        .collect();
    let tops: Vec<(&str, u32)> = TOPS.to_vec();
    let mut serial = 5_000u32;
    let mut specs = Vec::with_capacity(n);

    for i in 0..n {
        let memorable = i % 200 == 7;
        let language = if memorable {
            Language::Kk
        } else {
            *weighted(
                rng,
                &[(Language::Kk, 45), (Language::Ru, 50), (Language::Other, 5)],
            )
        };
        let form = *weighted(
            rng,
            &[
                (Form::Application, 69),
                (Form::Request, 14),
                (Form::Complaint, 6),
                (Form::Proposal, 6),
                (Form::Response, 2),
                (Form::Report, 3),
            ],
        );
        let channel = if memorable {
            Channel::Web
        } else {
            *weighted(
                rng,
                &[
                    (Channel::Web, 62),
                    (Channel::CallCentre1414, 12),
                    (Channel::ReceptionCentre, 8),
                    (Channel::Paper, 8),
                    (Channel::SocialNetwork, 6),
                    (Channel::Api, 4),
                ],
            )
        };

        // Who writes.
        enum Who {
            Citizen(usize),
            WalkIn,
            Legal,
            Anonymous,
        }
        let who = if memorable {
            Who::Citizen(0)
        } else {
            match channel {
                Channel::Web | Channel::Api => {
                    if channel == Channel::Web && rng.gen_bool(0.03) {
                        Who::Anonymous
                    } else {
                        let pool = match language {
                            Language::Kk => &kk_pool,
                            Language::Ru => &ru_pool,
                            Language::Other => &ru_pool,
                        };
                        Who::Citizen(*pool.choose(rng).expect("citizens"))
                    }
                }
                Channel::CallCentre1414 => {
                    if rng.gen_bool(0.08) {
                        Who::Anonymous
                    } else {
                        Who::WalkIn
                    }
                }
                Channel::ReceptionCentre | Channel::Paper => {
                    if rng.gen_bool(0.2) {
                        Who::Legal
                    } else {
                        Who::WalkIn
                    }
                }
                Channel::SocialNetwork => Who::WalkIn,
            }
        };
        let anonymous = matches!(who, Who::Anonymous);
        let reports_crime = anonymous && rng.gen_bool(0.45);

        // What about, and where.
        let (category, text_tpl, uz): (&str, Option<&Tpl>, Option<(&str, bool)>) = if reports_crime
        {
            let candidates: Vec<&Tpl> = TEMPLATES
                .iter()
                .filter(|t| matches!(t.cat, "law.crime" | "law.public_security"))
                .collect();
            let t = *candidates.choose(rng).expect("templates");
            (t.cat, Some(t), None)
        } else if language == Language::Other {
            let (c, t, uz) = *OTHER_TEMPLATES.choose(rng).expect("templates");
            (c, None, Some((t, uz)))
        } else {
            let top = *weighted(rng, &tops);
            let candidates: Vec<&Tpl> = TEMPLATES.iter().filter(|t| top_of(t.cat) == top).collect();
            let t = *candidates.choose(rng).expect("templates");
            (t.cat, Some(t), None)
        };
        let mut kato = match &who {
            Who::Citizen(c) if rng.gen_bool(0.85) => ctx.citizens[*c].home,
            _ => katos[weights.sample(rng)],
        };
        // Village matters (farming, the school bus from a village) happen outside the three cities.
        let rural_matter =
            top_of(category) == "agriculture" || text_tpl.is_some_and(|t| t.ru.contains("из села"));
        if rural_matter && ["71", "75", "79"].contains(&&kato.code()[..2]) {
            kato = *rural.choose(rng).expect("rural territories");
        }
        if matches!(uz, Some((_, true))) {
            kato = Kato::parse(
                ["612000000", "791500000", "611600000"]
                    .choose(rng)
                    .expect("kato"),
            )
            .expect("valid kato");
        }
        let no_kato = !memorable && rng.gen_bool(0.03) && !reports_crime;
        let kato_opt = (!no_kato).then_some(kato);

        // The text.
        let ui = if language == Language::Kk {
            UiLang::Kk
        } else {
            UiLang::Ru
        };
        let place = territory_name(reference, kato, ui);
        let (sk, sr) = *STREETS.choose(rng).expect("streets");
        let (sk2, sr2) = *STREETS
            .iter()
            .filter(|s| s.0 != sk)
            .collect::<Vec<_>>()
            .choose(rng)
            .expect("streets");
        let day_offset = if rng.gen_bool(0.25) {
            rng.gen_range(0..21)
        } else {
            rng.gen_range(0..DAYS)
        };
        let received_day = today - Duration::days(day_offset);
        let since = received_day - Duration::days(rng.gen_range(3..40));
        let street_en = *EN_STREETS.choose(rng).expect("streets");
        let house = rng.gen_range(1..180).to_string();
        let num = rng.gen_range(5..=20).to_string();
        let fill = |t: &str, street: &str, street2: &str| {
            t.replace("{place_loc}", &locative_kk(&place))
                .replace("{place}", &place)
                .replace("{street2}", street2)
                .replace("{street_en}", street_en)
                .replace("{street}", street)
                .replace("{house}", &house)
                .replace("{num}", &num)
                .replace("{since}", &fmt_date(since))
        };
        // Without drawing from `rng`, so the rest of the demonstration stays as it was.
        let shorts: Vec<&(&str, &str, &str)> = text_tpl
            .map(|t| SHORT.iter().filter(|s| s.0 == t.cat).collect())
            .unwrap_or_default();
        let short = (i % 5 < 2 && !shorts.is_empty()).then(|| shorts[(i / 5) % shorts.len()]);
        let text = match (text_tpl, uz, language) {
            (Some(_), _, Language::Kk) if let Some(s) = short => {
                form_wording(form, true, fill(s.1, sk, sk2))
            }
            (Some(_), _, _) if let Some(s) = short => form_wording(form, false, fill(s.2, sr, sr2)),
            (Some(t), _, Language::Kk) => form_wording(form, true, fill(t.kk, sk, sk2)),
            (Some(t), _, _) => form_wording(form, false, fill(t.ru, sr, sr2)),
            (None, Some((t, _)), _) => fill(t, sr, sr2),
            (None, None, _) => unreachable!("a template is always chosen"),
        };

        // When it arrived: working hours mostly; paper and visits only on weekdays.
        let on_paper = matches!(channel, Channel::Paper | Channel::ReceptionCentre);
        let mut day = received_day;
        if on_paper {
            match day.weekday() {
                Weekday::Sat => day -= Duration::days(1),
                Weekday::Sun => day -= Duration::days(2),
                _ => {}
            }
        }
        let hour = if on_paper || rng.gen_bool(0.8) {
            rng.gen_range(9..18)
        } else {
            *[7, 8, 19, 20, 21, 22].choose(rng).expect("hours")
        };
        let local = day.and_time(
            NaiveTime::from_hms_opt(hour, rng.gen_range(0..60), rng.gen_range(0..60))
                .expect("time"),
        );
        let mut received_at = (local - offset).and_utc().timestamp_millis();
        if received_at > now - 60_000 {
            received_at = now - rng.gen_range(60_000..3_600_000);
        }
        let age_days = (now - received_at) as f64 / 86_400_000.0;

        // To whom: usually by routing; sometimes the citizen names a body.
        let mut explicit: Option<String> = None;
        if !anonymous && !memorable && rng.gen_bool(0.15) {
            let region_akimat = format!("akimat-{}", &kato.code()[..2]);
            let r: f64 = rng.r#gen();
            explicit =
                if r < 0.45 && kato_opt.is_some() && reference.orgs.contains_key(&region_akimat) {
                    Some(region_akimat)
                } else if r < 0.7 {
                    Some("gov".to_string())
                } else {
                    competent_central(reference, category).first().cloned()
                };
        }
        let addressee = addressee_of(reference, category, kato_opt, explicit.as_ref());
        let receiver = addressee
            .as_deref()
            .and_then(|o| ctx.staff.get(o))
            .map(|s| &s.officials[i % s.officials.len()]);
        let staff_actor = || {
            receiver
                .map(|m| (m.actor.clone(), Some(m.user.id.clone())))
                .unwrap_or_else(|| (Actor::system(), None))
        };

        let lang_pref = if language == Language::Kk {
            UiLang::Kk
        } else {
            UiLang::Ru
        };
        let (applicant, accepted_by, submitted_by, citizen) = match who {
            Who::Citizen(c) => {
                let u = &ctx.citizens[c].member.user;
                (
                    Applicant::Individual {
                        user_id: Some(u.id.clone()),
                        name: u.full_name.clone(),
                        iin: u.iin.clone(),
                        email: u.email.clone(),
                        phone: u.phone.clone(),
                        address: u.address.clone(),
                        language: Some(u.language),
                    },
                    Actor::system(),
                    Some(u.id.clone()),
                    Some(c),
                )
            }
            Who::WalkIn => {
                let female = rng.gen_bool(0.5);
                let p = ctx_person(rng, language, female);
                let with_iin = channel != Channel::SocialNetwork && rng.gen_bool(0.7);
                let iin = with_iin.then(|| next_iin(rng, female, &mut serial));
                let (actor, by) = staff_actor();
                (
                    Applicant::Individual {
                        user_id: None,
                        name: p.full_name,
                        iin,
                        email: rng.gen_bool(0.3).then_some(p.email),
                        phone: (channel != Channel::SocialNetwork).then(|| phone(rng)),
                        address: None,
                        language: Some(lang_pref),
                    },
                    actor,
                    by,
                    None,
                )
            }
            Who::Legal => {
                let (actor, by) = staff_actor();
                let name = LEGAL_ENTITIES.choose(rng).expect("entities").to_string();
                (
                    Applicant::LegalEntity {
                        user_id: None,
                        name,
                        bin: make_bin(rng),
                        email: None,
                        phone: Some(phone(rng)),
                        address: Some(format!(
                            "{place}, {}",
                            if language == Language::Kk { sk } else { sr }
                        )),
                    },
                    actor,
                    by,
                    None,
                )
            }
            Who::Anonymous => {
                let (actor, by) = if channel == Channel::Web {
                    (Actor::system(), None)
                } else {
                    staff_actor()
                };
                (Applicant::Anonymous, actor, by, None)
            }
        };

        let (lat, lon) = match CENTRES
            .iter()
            .find(|c| kato_opt.is_some() && c.0 == &kato.code()[..2])
        {
            Some((_, la, lo)) if channel == Channel::Web && rng.gen_bool(0.4) => (
                Some(la + rng.gen_range(-0.04..0.04)),
                Some(lo + rng.gen_range(-0.06..0.06)),
            ),
            _ => (None, None),
        };

        let plan = if anonymous && !reports_crime {
            Plan::default()
        } else {
            plan_for(rng, age_days, citizen.is_some())
        };
        specs.push(Spec {
            new: NewAppeal {
                category_suggested: None,
                form,
                channel,
                language: Some(language),
                applicant,
                addressee_org_id: explicit,
                category_id: category.to_string(),
                kato: kato_opt,
                lat,
                lon,
                text,
                attachments: vec![],
                reports_crime,
                received_at,
                submitted_by,
                accepted_by,
                parent_appeal_id: None,
                idempotency: None,
            },
            meta: Meta {
                citizen,
                plan,
                seed: SEED ^ (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            },
        });
    }
    plant_hotspot(ctx, rng, now, &mut specs);
    specs.sort_by_key(|s| s.new.received_at);
    specs
}

/// The hotspot planted in the demonstration (issue 5, item 7): a water main burst in Abai
/// district of Shymkent this week. The generated appeals are spread evenly over the country and
/// the months, so without it the hotspot view would have nothing to show.
pub const HOTSPOT_KATO: &str = "791500000";
pub const HOTSPOT_CATEGORY: &str = "housing.water";
/// Where the main burst: the complaints' points lie within about 400 m of it, a few grid cells.
const HOTSPOT_POINT: (f64, f64) = (42.3625, 69.5485);
const HOTSPOT_APPEALS: usize = 30;
const HOTSPOT_STREETS: &[(&str, &str)] = &[
    ("Тәуке хан даңғылы", "пр. Тауке хана"),
    ("Момышұлы көшесі", "ул. Момышулы"),
    ("Жібек жолы көшесі", "ул. Жибек жолы"),
];
const HOTSPOT_TEXTS: &[(&str, &str)] = &[
    (
        "{street}, {house}-үйде ({place}) {since} бастап су жоқ: магистральдық су құбыры жарылды, көшені су басты. Көрші үйлерде де су жоқ, балалар мен қарттар сусыз отыр. Апатты тез арада жоюды және тұрғындарға ауыз су жеткізуді ұйымдастыруды сұраймын.",
        "По адресу {street}, д. {house} ({place}) с {since} нет воды: прорвало магистральный водопровод, улицу затопило. В соседних домах воды тоже нет, дети и пожилые сидят без воды. Прошу срочно устранить аварию и организовать подвоз питьевой воды.",
    ),
    (
        "{since} бастап {street} бойындағы ({place}) су құбыры апатына байланысты үйіміздегі ({house}-үй) краннан су жүрмейді. Апаттық қызмет телефон көтермейді. Жөндеу мерзімін хабарлауыңызды және су тасуды ұйымдастыруыңызды сұраймын.",
        "Из-за аварии на водопроводе на {street} ({place}) с {since} в нашем доме № {house} из кранов не идёт вода. Аварийная служба не берёт трубку. Прошу сообщить сроки ремонта и организовать подвоз воды.",
    ),
    (
        "{street}, {house}-үйдің жанында ({place}) {since} бастап құбырдан су ағып жатыр, жол жуылып, жертөлелерді су басты, ал пәтерлерде су жоқ. Шара қолдануды сұраймын.",
        "Возле дома {street}, {house} ({place}) с {since} из трубы хлещет вода, размыло дорогу, затопило подвалы, а в квартирах воды нет. Прошу принять меры.",
    ),
];

/// Adds the planted hotspot's complaints, received this week (last week when no working day of
/// this week has begun yet: the hotspot view scores both).
fn plant_hotspot(ctx: &Ctx<'_>, rng: &mut StdRng, now: i64, specs: &mut Vec<Spec>) {
    let terms = &ctx.state.settings.terms;
    let calendar = &ctx.reference.calendar;
    let kato = Kato::parse(HOTSPOT_KATO).expect("valid kato");
    let today = terms.local_date(now);
    let monday = tyndau_storage::hotspots::week_of(today);
    // Received on a working day of the five-day week (one of every body's) before 18:00, a
    // complaint is registered on the day it arrives, so in the week it arrives.
    let hours = |week: NaiveDate| -> Vec<(i64, i64)> {
        (0..7)
            .map(|d| week + Duration::days(d))
            .filter(|d| *d <= today && calendar.is_working_day(*d, WorkWeek::FiveDay))
            .filter_map(|d| {
                let open = terms.local_midnight_ms(d);
                let close = (open + 18 * 3_600_000).min(now - 60_000);
                (open < close).then_some((open, close))
            })
            .collect()
    };
    let mut windows = hours(monday);
    if windows.is_empty() {
        windows = hours(monday - Duration::weeks(1));
    }
    let Some(first) = windows.first().map(|w| w.0) else {
        return;
    };
    let since = terms.local_date(first);
    let base = specs.len();
    for k in 0..HOTSPOT_APPEALS {
        let (midnight, close) = *windows.choose(rng).expect("a window");
        // Few write at night, even about a burst main: from 08:00, when the day has got there.
        let morning = midnight + 8 * 3_600_000;
        let open = if morning < close { morning } else { midnight };
        let received_at = rng.gen_range(open..close);
        let c = rng.gen_range(1..ctx.citizens.len());
        let citizen = &ctx.citizens[c];
        let u = &citizen.member.user;
        let kk = citizen.lang == UiLang::Kk;
        let (tk, tr) = *HOTSPOT_TEXTS.choose(rng).expect("texts");
        let (sk, sr) = *HOTSPOT_STREETS.choose(rng).expect("streets");
        let place = territory_name(&ctx.reference, kato, citizen.lang);
        let text = (if kk { tk } else { tr })
            .replace("{street}", if kk { sk } else { sr })
            .replace("{house}", &rng.gen_range(1..60).to_string())
            .replace("{place}", &place)
            .replace("{since}", &fmt_date(since));
        let form = if rng.gen_bool(0.7) {
            Form::Complaint
        } else {
            Form::Application
        };
        // Most write from the street with the phone's location; a few from home without one.
        let point = rng.gen_bool(0.85).then(|| {
            (
                HOTSPOT_POINT.0 + rng.gen_range(-0.004..0.004),
                HOTSPOT_POINT.1 + rng.gen_range(-0.005..0.005),
            )
        });
        let age_days = (now - received_at) as f64 / 86_400_000.0;
        specs.push(Spec {
            new: NewAppeal {
                category_suggested: None,
                form,
                channel: Channel::Web,
                language: Some(if kk { Language::Kk } else { Language::Ru }),
                applicant: Applicant::Individual {
                    user_id: Some(u.id.clone()),
                    name: u.full_name.clone(),
                    iin: u.iin.clone(),
                    email: u.email.clone(),
                    phone: u.phone.clone(),
                    address: u.address.clone(),
                    language: Some(u.language),
                },
                addressee_org_id: None,
                category_id: HOTSPOT_CATEGORY.to_string(),
                kato: Some(kato),
                lat: point.map(|p| p.0),
                lon: point.map(|p| p.1),
                text: form_wording(form, kk, text),
                attachments: vec![],
                reports_crime: false,
                received_at,
                submitted_by: Some(u.id.clone()),
                accepted_by: Actor::system(),
                parent_appeal_id: None,
                idempotency: None,
            },
            meta: Meta {
                citizen: Some(c),
                plan: plan_for(rng, age_days, true),
                seed: SEED ^ ((base + k) as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            },
        });
    }
}

/// A person without an account (a visitor, a caller): names are not tracked for uniqueness.
fn ctx_person(rng: &mut StdRng, language: Language, female: bool) -> Person {
    let kazakh = match language {
        Language::Kk => true,
        Language::Ru => rng.gen_bool(0.5),
        Language::Other => false,
    };
    Names::default().person(rng, kazakh, female, language == Language::Kk)
}

// ---------------------------------------------------------------------------------------------
// The lifecycle

#[derive(Default)]
struct Tally {
    assigned: usize,
    forwarded: usize,
    extended: usize,
    answered: usize,
    rated: usize,
    complained: usize,
    closed: usize,
    left: usize,
    skipped: usize,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.assigned += o.assigned;
        self.forwarded += o.forwarded;
        self.extended += o.extended;
        self.answered += o.answered;
        self.rated += o.rated;
        self.complained += o.complained;
        self.closed += o.closed;
        self.left += o.left;
        self.skipped += o.skipped;
    }
}

/// One action as `who`. Refusals (a rule of the law or of access) skip the rest of the plan;
/// infrastructure failures stop the load.
async fn act(
    ctx: &Ctx<'_>,
    who: &Member,
    row: &AppealRow,
    cmd: Command,
    tally: &mut Tally,
) -> anyhow::Result<Option<ActOutcome>> {
    match appeals::act(
        &ctx.state.db,
        &ctx.reference,
        &ctx.state.settings,
        &who.principal,
        &who.actor,
        &row.id,
        cmd,
    )
    .await
    {
        Ok(o) => Ok(Some(o)),
        Err(ServiceError::Internal(e)) => Err(e),
        Err(e) => {
            tracing::debug!(error = %e, "demo action skipped");
            tally.skipped += 1;
            Ok(None)
        }
    }
}

/// Where an official would send an appeal that is not theirs: the body routing names for it
/// (e.g. a ministry sends a local matter to the akimat), else a competent central body.
fn forward_target(reference: &Reference, row: &AppealRow) -> Option<String> {
    let category = reference.categories.get(&row.category_id)?;
    let kato = row.kato.as_deref().and_then(|k| Kato::parse(k).ok());
    if let Some(rule) = reference.route(category, kato)
        && rule.org_id != row.org_id
    {
        return Some(rule.org_id.clone());
    }
    competent_central(reference, &row.category_id)
        .into_iter()
        .find(|o| *o != row.org_id)
}

fn org_name(reference: &Reference, org: &str, kk: bool) -> String {
    reference
        .orgs
        .get(org)
        .map(|o| {
            if kk {
                o.names.kk.clone()
            } else {
                o.names.ru.clone()
            }
        })
        .unwrap_or_default()
}

async fn live(ctx: &Ctx<'_>, meta: Meta, mut row: AppealRow) -> anyhow::Result<Tally> {
    let mut t = Tally::default();
    let mut rng = StdRng::seed_from_u64(meta.seed);
    let plan = meta.plan;
    let reference = &ctx.reference;
    let kk = is_kk(&row.language);
    if !row.status().awaits_answer() {
        return Ok(t);
    }
    let Some(mut staff) = ctx.staff.get(&row.org_id) else {
        return Ok(t);
    };

    if plan.forward
        && let Some(target) = forward_target(reference, &row)
    {
        let official = staff.officials.choose(&mut rng).expect("an official");
        let name = org_name(reference, &target, kk);
        let reason = if kk {
            format!("Мәселе {name} құзыретіне жатады, өтініш тиесілігі бойынша жіберілді.")
        } else {
            format!(
                "Вопрос относится к компетенции органа «{name}», обращение направлено по принадлежности."
            )
        };
        let Some(o) = act(
            ctx,
            official,
            &row,
            Command::Forward {
                org_id: target,
                reason,
            },
            &mut t,
        )
        .await?
        else {
            return Ok(t);
        };
        row = o.appeal;
        t.forwarded += 1;
        if !plan.then_handle {
            return Ok(t);
        }
        staff = match ctx.staff.get(&row.org_id) {
            Some(s) => s,
            None => return Ok(t),
        };
    }
    if !plan.assign && !plan.leave {
        return Ok(t);
    }

    let official = staff.officials.choose(&mut rng).expect("an official");
    let by_head = rng.gen_bool(0.5);
    let (who, cmd) = if by_head {
        (
            &staff.head,
            Command::Assign {
                assignee_id: Some(official.user.id.clone()),
            },
        )
    } else {
        (official, Command::Assign { assignee_id: None })
    };
    let Some(o) = act(ctx, who, &row, cmd, &mut t).await? else {
        return Ok(t);
    };
    row = o.appeal;
    t.assigned += 1;

    // A repeated appeal on an already answered matter is often left without consideration.
    if plan.leave || (row.repeated_of.is_some() && plan.answer && rng.gen_bool(0.5)) {
        let (reason, comment) = if row.repeated_of.is_some() {
            (
                LeaveReason::AlreadyAnsweredSameIssue,
                if kk {
                    "Осы мәселе бойынша бұған дейін жауап берілген."
                } else {
                    "По данному вопросу ранее дан ответ."
                },
            )
        } else if rng.gen_bool(0.75) {
            (
                LeaveReason::WithdrawnByApplicant,
                if kk {
                    "Өтініш беруші өтінішін телефон арқылы кері қайтарып алды."
                } else {
                    "Заявитель отозвал обращение по телефону."
                },
            )
        } else {
            (
                LeaveReason::NoSubstance,
                if kk {
                    "Өтініште мәселенің мәні баяндалмаған."
                } else {
                    "В обращении не изложена суть вопроса."
                },
            )
        };
        if act(
            ctx,
            official,
            &row,
            Command::LeaveWithoutConsideration {
                reason,
                comment: Some(comment.into()),
            },
            &mut t,
        )
        .await?
        .is_some()
        {
            t.left += 1;
        }
        return Ok(t);
    }

    let org = reference
        .orgs
        .get(&row.org_id)
        .ok_or_else(|| anyhow::anyhow!("appeal names a missing organisation"))?;
    let clock = appeals::clock(reference, org, &ctx.state.settings.terms);
    if plan.extend {
        let cap = clock.extension_cap(row.registered());
        let want = (row.due() + Duration::days(rng.gen_range(10..=30))).min(cap);
        let new_due_on = clock
            .calendar
            .prev_working_day_on_or_before(want, org.work_week);
        if new_due_on > row.due() {
            let reason = if kk {
                "Қосымша зерделеу, орнына барып тексеру және мүдделі органдардан ақпарат алу қажет."
            } else {
                "Требуется дополнительное изучение, выезд на место и получение сведений от заинтересованных органов."
            };
            if let Some(o) = act(
                ctx,
                &staff.head,
                &row,
                Command::Extend {
                    new_due_on,
                    reason: reason.into(),
                },
                &mut t,
            )
            .await?
            {
                row = o.appeal;
                t.extended += 1;
            }
        }
    }
    if !plan.answer {
        return Ok(t);
    }

    let today = clock.local_date(now_ms());
    let text = answer_text(
        &row,
        plan.positive,
        today + Duration::days(rng.gen_range(10..30)),
        &mut rng,
    );
    let Some(o) = act(ctx, official, &row, Command::Answer { text }, &mut t).await? else {
        return Ok(t);
    };
    row = o.appeal;
    t.answered += 1;

    let citizen = meta.citizen.map(|c| &ctx.citizens[c].member);
    if let (Some(score), Some(c)) = (plan.rate, citizen) {
        let comment = plan.rating_comment.then(|| {
            let s = match (score >= 4, kk) {
                (true, true) => [
                    "Рахмет, мәселе шешілді.",
                    "Жедел жауап бергендеріңізге рахмет.",
                    "Жауап толық әрі түсінікті.",
                ]
                .choose(&mut rng),
                (true, false) => [
                    "Спасибо, вопрос решён.",
                    "Благодарю за оперативность.",
                    "Ответ полный и понятный.",
                ]
                .choose(&mut rng),
                (false, true) => [
                    "Жауап үстірт, мәселе шешілмеді.",
                    "Ешкім орнына келіп қараған жоқ.",
                ]
                .choose(&mut rng),
                (false, false) => [
                    "Ответ формальный, проблема не решена.",
                    "На место никто не выезжал.",
                ]
                .choose(&mut rng),
            };
            s.expect("comments").to_string()
        });
        if let Some(o) = act(ctx, c, &row, Command::Rate { score, comment }, &mut t).await? {
            row = o.appeal;
            t.rated += 1;
        }
    }

    if plan.complain
        && let Some(c) = citizen
        && org.parent_id.is_some()
    {
        let text = if kk {
            "Берілген жауаппен келіспеймін. Мәселе іс жүзінде шешілмеді, орнына ешкім келіп қараған жоқ. Жауапты қайта қарап, тиісті шара қолдануды сұраймын."
        } else {
            "Не согласен(на) с полученным ответом. Проблема фактически не решена, на место никто не выезжал. Прошу пересмотреть ответ и принять надлежащие меры."
        };
        if let Some(o) = act(
            ctx,
            c,
            &row,
            Command::Complain {
                text: text.into(),
                restore_reason: None,
            },
            &mut t,
        )
        .await?
        {
            t.complained += 1;
            if let Some(complaint) = o.created
                && plan.complaint_progress > 0
                && let Some(superior) = ctx.staff.get(&complaint.org_id)
            {
                let official = superior.officials.choose(&mut rng).expect("an official");
                if let Some(o) = act(
                    ctx,
                    official,
                    &complaint,
                    Command::Assign { assignee_id: None },
                    &mut t,
                )
                .await?
                {
                    t.assigned += 1;
                    if plan.complaint_progress > 1 {
                        let text = answer_text(
                            &o.appeal,
                            rng.gen_bool(0.4),
                            today + Duration::days(rng.gen_range(10..30)),
                            &mut rng,
                        );
                        if act(ctx, official, &o.appeal, Command::Answer { text }, &mut t)
                            .await?
                            .is_some()
                        {
                            t.answered += 1;
                        }
                    }
                }
            }
        }
    } else if plan.close {
        let reason = if kk {
            "Мәселе шешілді, бақылаудан алынды."
        } else {
            "Вопрос решён, снят с контроля."
        };
        if act(
            ctx,
            official,
            &row,
            Command::Close {
                reason: Some(reason.into()),
            },
            &mut t,
        )
        .await?
        .is_some()
        {
            t.closed += 1;
        }
    }
    Ok(t)
}

// ---------------------------------------------------------------------------------------------
// Petitions

/// (addressee, language, title, text, proposals, stage, signatures)
type PetitionSpec = (
    &'static str,
    Language,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    usize,
);

const PETITIONS: &[PetitionSpec] = &[
    (
        "akimat-arys",
        Language::Kk,
        "Арыс қаласында балалар алаңын салу",
        "Шығыс шағын ауданында бірде-бір балалар алаңы жоқ; балалар жол жиегінде ойнайды.",
        "2027 жылы шағын аудандағы бос учаскеде балалар алаңын салу.",
        "decided",
        2_600,
    ),
    (
        "akimat-75",
        Language::Ru,
        "Продлить работу ночных автобусов в Алматы",
        "Последние автобусы уходят в 23:00, люди, работающие во вторую смену, добираются на такси.",
        "Продлить работу маршрутов 12, 32 и 92 до 01:00.",
        "collecting",
        430,
    ),
    (
        "mz",
        Language::Kk,
        "Ауылдық амбулаторияларда тіс дәрігерін қабылдау",
        "Ауылдық округтерде тіс емдеу үшін аудан орталығына 60 шақырым жол жүру керек.",
        "Әр ауылдық амбулаторияда аптасына бір күн тіс дәрігерінің қабылдауын ұйымдастыру.",
        "collecting",
        1_250,
    ),
    (
        "akimat-71",
        Language::Ru,
        "Велодорожки вдоль проспекта Кабанбай батыра",
        "На проспекте нет выделенных велодорожек, велосипедисты едут по тротуару.",
        "Выделить велополосу при ремонте проспекта в 2027 году.",
        "link_only",
        18,
    ),
    (
        "mnvo",
        Language::Ru,
        "Стипендии для студентов колледжей наравне с вузами",
        "Стипендия студентов колледжей почти вдвое ниже, хотя расходы одинаковы.",
        "Выровнять размер стипендии студентов колледжей и вузов.",
        "in_moderation",
        0,
    ),
    (
        "gov",
        Language::Ru,
        "Перенести столицу в другой город",
        "Предлагаем перенести столицу.",
        "Провести референдум о переносе столицы.",
        "rejected",
        0,
    ),
    (
        "akimat-arys",
        Language::Kk,
        "Көшелерді түнде жарықтандыру",
        "Жаңа шағын аудан көшелерінде жарық жоқ.",
        "Көше шамдарын орнату.",
        "submitted",
        0,
    ),
];

const GIVEN: &[&str] = &[
    "Айгерім",
    "Ерлан",
    "Дана",
    "Нұрлан",
    "Асель",
    "Марат",
    "Алия",
    "Бауыржан",
    "Ольга",
    "Сергей",
];
const FAMILY: &[&str] = &[
    "Сейткали",
    "Ахметов",
    "Иванова",
    "Нурланов",
    "Касымова",
    "Омаров",
    "Петров",
    "Жумабаева",
];

/// A few petitions at every stage, signed by generated citizens through the signing writer, so
/// that the moderation queue, public lists, counts by region and decisions have something to show.
async fn create_petitions(ctx: &Ctx<'_>, rng: &mut StdRng) -> anyhow::Result<usize> {
    use tyndau_core::petition::{CollectionMode, Decision, SignatureChannel, public_name};
    use tyndau_storage::petitions::{self as store, Change, NewPetition, PreparedSignature};
    let state = ctx.state;
    let reference = &ctx.reference;
    let Some(moderators) = state
        .config
        .petition_moderator_orgs
        .iter()
        .find_map(|o| ctx.staff.get(o))
    else {
        return Ok(0);
    };
    let moderator = &moderators.head;
    let (terms, rules) = (&state.config.terms, &state.config.petitions);
    let regions: Vec<Kato> = reference
        .territories
        .values()
        .filter(|t| t.level == "region")
        .map(|t| t.kato)
        .collect();
    let step = |r: Result<store::PetitionRow, ServiceError>| {
        r.map_err(|e| anyhow::anyhow!("demo petition: {e}"))
    };
    let mut serial = 700_000u32;
    let mut made = 0;
    for (i, (addressee, language, title, text, proposals, stage, signatures)) in
        PETITIONS.iter().enumerate()
    {
        let Some(org) = reference.orgs.get(*addressee) else {
            continue;
        };
        let author = &ctx.citizens[i * 7 % ctx.citizens.len()].member;
        let citizen = state
            .citizen_of(&author.user)
            .ok_or_else(|| anyhow::anyhow!("demo citizens have an IIN"))?;
        let row = store::create(
            &state.db,
            &NewPetition {
                title: title.to_string(),
                text: text.to_string(),
                proposals: proposals.to_string(),
                language: *language,
                addressee_org_id: org.id.clone(),
                kato: org.kato.map(|k| k.code()),
                collection_mode: CollectionMode::Electronic,
                representative_authority: None,
                author_id: author.user.id.clone(),
                author_name: author.user.full_name.clone(),
                author_public_name: public_name(&citizen.given_name, &citizen.family_name),
                author_iin: Some(citizen.iin.clone()),
                author_email: author.user.email.clone(),
                author_address: author.user.address.clone(),
                threshold: store::threshold(reference, rules, org),
            },
            &author.actor,
        )
        .await?;
        let id = row.id;
        made += 1;
        let c = Change::submit(reference, terms, rules, now_ms());
        step(store::act(&state.db, &id, &author.actor, |_| Ok(c)).await)?;
        if *stage == "submitted" {
            continue;
        }
        let c = Change::take(&moderator.user.id);
        step(store::act(&state.db, &id, &moderator.actor, |_| Ok(c)).await)?;
        match *stage {
            "in_moderation" => continue,
            "rejected" => {
                let c = Change::reject(
                    Some("territorial_structure".into()),
                    "The administrative-territorial structure is not a subject of petitions."
                        .into(),
                );
                step(store::act(&state.db, &id, &moderator.actor, |_| Ok(c)).await)?;
                continue;
            }
            _ => {}
        }
        let c = Change::admit(
            reference,
            terms,
            rules,
            CollectionMode::Electronic,
            now_ms(),
        );
        step(store::act(&state.db, &id, &moderator.actor, |_| Ok(c)).await)?;
        let now = now_ms();
        let mut batch = Vec::with_capacity(*signatures);
        for _ in 0..*signatures {
            let female = rng.gen_bool(0.5);
            let iin = next_iin(rng, female, &mut serial);
            let region = if rng.gen_bool(0.6) {
                org.kato.map(|k| k.region()).unwrap_or(regions[0])
            } else {
                regions[rng.gen_range(0..regions.len())]
            };
            let ip = std::net::IpAddr::from([
                100,
                rng.gen_range(64..128),
                rng.gen_range(0..=255),
                rng.gen_range(0..=255),
            ]);
            batch.push(PreparedSignature {
                petition_id: id.clone(),
                signer_hash: crate::identity::signer_hash(&state.signer_key, &iin),
                public_name: public_name(
                    GIVEN[rng.gen_range(0..GIVEN.len())],
                    FAMILY[rng.gen_range(0..FAMILY.len())],
                ),
                kato: Some(region.code()),
                channel: SignatureChannel::Electronic,
                ip: Some(ip.to_string()),
                network: Some(tyndau_core::petition::network_of(ip)),
                email_domain: Some(
                    ["mail.kz", "gmail.com", "inbox.ru", "yandex.kz"][rng.gen_range(0..4)].into(),
                ),
                // Spread over the last three weeks, so that the daily counts have a shape.
                signed_at: now - rng.gen_range(0..21 * 86_400_000),
                entered_by: None,
            });
        }
        for chunk in batch.chunks(500) {
            state.registrar.sign(chunk.to_vec()).await?;
        }
        if *stage != "decided" {
            continue;
        }
        let head = &ctx
            .staff
            .get(*addressee)
            .ok_or_else(|| anyhow::anyhow!("staff of {addressee}"))?
            .head;
        let others = [(
            head.user.full_name.clone(),
            head.user.position.clone().unwrap_or_default(),
        )];
        step(
            store::act(&state.db, &id, &head.actor, |row| {
                Ok(Change::working_group(row, &others))
            })
            .await,
        )?;
        let c = Change::decision(
            Decision::Supported,
            "Балалар алаңы 2027 жылғы бюджетке енгізілді; құрылыс мамыр айында басталады.".into(),
            &head.user.id,
            now_ms(),
        );
        step(store::act(&state.db, &id, &head.actor, |_| Ok(c)).await)?;
    }
    Ok(made)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliteration_gives_plain_ascii_addresses() {
        assert_eq!(translit("Айгерім"), "aigerim");
        assert_eq!(translit("Жақсылықов"), "zhaqsylyqov");
        assert!(translit("Нұрсұлтан Әбенов").is_ascii());
    }

    #[test]
    fn kazakh_locative_follows_vowel_harmony() {
        assert_eq!(locative_kk("Алматы қаласы"), "Алматы қаласында");
        assert_eq!(
            locative_kk("Ақдала ауылдық округі"),
            "Ақдала ауылдық округінде"
        );
    }

    #[test]
    fn every_template_names_a_category_of_the_reference() {
        let file: tyndau_storage::reference::ReferenceFile =
            serde_json::from_str(include_str!("../../../reference/kz.json")).expect("reference");
        let ids: HashSet<&str> = file.categories.iter().map(|c| c.id.as_str()).collect();
        for t in TEMPLATES {
            assert!(ids.contains(t.cat), "{}", t.cat);
        }
        for t in OTHER_TEMPLATES {
            assert!(ids.contains(t.0), "{}", t.0);
        }
        for t in SHORT {
            assert!(ids.contains(t.0), "{}", t.0);
            assert!(TEMPLATES.iter().any(|l| l.cat == t.0), "{}", t.0);
        }
        for (top, _) in TOPS {
            assert!(TEMPLATES.iter().any(|t| top_of(t.cat) == *top), "{top}");
        }
    }

    #[test]
    fn demo_bins_and_iins_are_valid() {
        let mut rng = StdRng::seed_from_u64(1);
        for _ in 0..50 {
            assert!(Bin::parse(&make_bin(&mut rng)).is_ok());
        }
        let mut serial = 0;
        assert!(tyndau_core::ids::Iin::parse(&next_iin(&mut rng, true, &mut serial)).is_ok());
    }
}
