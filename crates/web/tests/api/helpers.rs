//! Test harness: a real server on port 0 with a fresh database per test — a SQLite file in a
//! temporary directory, or a new PostgreSQL database when TYNDAU_TEST_DB=postgres.

use reqwest::StatusCode;
use serde_json::{Value, json};
use std::net::SocketAddr;
use tyndau_core::access::Role;
use tyndau_storage::users::{self, NewUser};
use tyndau_web::state::AppState;
use tyndau_web::{Application, Config};

pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub state: AppState,
    _dir: tempfile::TempDir,
}

pub fn backend() -> String {
    std::env::var("TYNDAU_TEST_DB").unwrap_or_else(|_| "sqlite".into())
}

async fn fresh_database_url(dir: &std::path::Path) -> String {
    match backend().as_str() {
        "postgres" => {
            let base = std::env::var("TYNDAU_TEST_PG_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
            let name = format!("tyndau_t_{}", uuid::Uuid::new_v4().simple());
            sqlx::any::install_default_drivers();
            let mut conn =
                <sqlx::AnyConnection as sqlx::Connection>::connect(&format!("{base}/postgres"))
                    .await
                    .expect("PostgreSQL reachable for tests");
            sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
                .await
                .expect("create test database");
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}/test.db?mode=rwc", dir.display()),
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_with(|_| {}).await
}

pub async fn spawn_with(f: impl FnOnce(&mut Config)) -> TestApp {
    // Server logs go to the test's captured output: shown only when the test fails.
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_env_filter("info,sqlx=warn")
        .try_init();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = Config {
        bind: "127.0.0.1:0".into(),
        database_url: Some(fresh_database_url(dir.path()).await),
        data_dir: dir.path().to_path_buf(),
        monitor_interval_secs: 0,
        outbox_interval_ms: 50,
        ..Config::default()
    };
    f(&mut config);
    let app = Application::build(config)
        .await
        .expect("application builds");
    let addr = app.local_addr();
    let state = app.state.clone();
    tokio::spawn(app.run_until(std::future::pending()));
    TestApp {
        addr,
        client: reqwest::Client::new(),
        state,
        _dir: dir,
    }
}

pub struct Resp {
    pub status: StatusCode,
    pub body: Value,
    pub content_type: String,
}

impl Resp {
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Resp {
        let r = req.send().await.expect("request sent");
        let status = r.status();
        let content_type = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let text = r.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Resp {
            status,
            body,
            content_type,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Resp {
        let mut r = self.client.get(self.url(path));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        self.send(r).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        let mut r = self.client.post(self.url(path)).json(&body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        self.send(r).await
    }

    pub async fn post_raw(
        &self,
        path: &str,
        token: Option<&str>,
        body: &str,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut r = self
            .client
            .post(self.url(path))
            .header("content-type", "application/json")
            .body(body.to_string());
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        for (k, v) in headers {
            r = r.header(*k, *v);
        }
        self.send(r).await
    }

    /// Registers a citizen with a valid IIN derived from `serial`; returns (token, user id).
    pub async fn citizen(&self, name: &str, serial: u32, lang: &str) -> (String, String) {
        let iin = iin(serial);
        let r = self
            .post(
                "/api/v1/auth/register",
                None,
                json!({"iin": iin, "full_name": name, "password": "a long password 1", "email": format!("c{serial}@example.kz"), "language": lang}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        (
            r.body["token"].as_str().unwrap().to_string(),
            r.body["user"]["id"].as_str().unwrap().to_string(),
        )
    }

    /// Creates a staff account directly in storage and signs it in; returns (token, user id).
    pub async fn staff(&self, role: Role, org: Option<&str>, login: &str) -> (String, String) {
        let hash = tyndau_web::api::auth::hash_password("staff password 1").unwrap();
        let u = users::create_user(
            &self.state.db,
            &NewUser {
                role: Some(role),
                login: Some(login.into()),
                password_hash: Some(hash),
                full_name: format!("Staff {login}"),
                org_id: org.map(String::from),
                position: Some("specialist".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let r = self
            .post(
                "/api/v1/auth/login",
                None,
                json!({"login": login, "password": "staff password 1"}),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        (r.body["token"].as_str().unwrap().to_string(), u.id)
    }

    pub async fn submit(&self, token: &str, body: Value) -> Resp {
        self.post("/api/v1/appeals", Some(token), body).await
    }

    pub async fn count_appeals(&self) -> i64 {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM appeals")
            .fetch_one(&self.state.db.read)
            .await
            .unwrap();
        n
    }

    pub async fn events(&self, id: &str, token: &str) -> Vec<Value> {
        let r = self
            .get(&format!("/api/v1/appeals/{id}/events"), Some(token))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
        r.body.as_array().unwrap().clone()
    }

    pub async fn act(&self, id: &str, action: &str, token: &str, body: Value) -> Resp {
        self.post(&format!("/api/v1/appeals/{id}/{action}"), Some(token), body)
            .await
    }
}

pub fn iin(serial: u32) -> String {
    let date = chrono::NaiveDate::from_ymd_opt(1985, 1, 1).unwrap()
        + chrono::Duration::days(i64::from(serial % 9000));
    (0..10)
        .find_map(|k| tyndau_core::ids::make_iin(date, serial.is_multiple_of(2), serial * 10 + k))
        .expect("some serial gives a valid check digit")
        .as_str()
        .to_string()
}

/// A road-repair appeal in Arys (routed to the Arys district akimat).
pub fn road_appeal(text: &str) -> Value {
    json!({"form": "application", "language": "kk", "category_id": "roads.repair", "kato": "611600000", "text": text})
}

/// Epoch ms → RFC 3339 in Almaty time.
pub fn local_rfc3339(date: &str, hm: &str) -> String {
    format!("{date}T{hm}:00+05:00")
}

/// Takes the audit journal away (`false`) and gives it back (`true`): every write of an audit
/// row fails meanwhile, which shows whether the change it records is in its transaction.
pub async fn set_audit_log(app: &TestApp, present: bool) {
    let sql = if present {
        "ALTER TABLE audit_log_away RENAME TO audit_log"
    } else {
        "ALTER TABLE audit_log RENAME TO audit_log_away"
    };
    sqlx::query(sql).execute(&app.state.db.write).await.unwrap();
}
