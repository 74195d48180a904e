//! Acknowledged writes are durable: appeals that got a 201 survive SIGKILL of the server in the
//! middle of a burst of submissions (the real binary, the real database).

use serde_json::{Value, json};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn database_url(dir: &std::path::Path) -> String {
    if std::env::var("TYNDAU_TEST_DB").as_deref() == Ok("postgres") {
        let base = std::env::var("TYNDAU_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        let name = format!("tyndau_t_{}", uuid::Uuid::new_v4().simple());
        sqlx::any::install_default_drivers();
        let mut c = <sqlx::AnyConnection as sqlx::Connection>::connect(&format!("{base}/postgres"))
            .await
            .unwrap();
        sqlx::Executor::execute(&mut c, format!("CREATE DATABASE {name}").as_str())
            .await
            .unwrap();
        format!("{base}/{name}")
    } else {
        format!("sqlite://{}/tyndau.db?mode=rwc", dir.display())
    }
}

/// Starts the server with its log (info level, both streams) appended to `dir/server.log`.
fn start(port: u16, db: &str, dir: &std::path::Path) -> Child {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("server.log"))
        .unwrap();
    Command::new(env!("CARGO_BIN_EXE_tyndau"))
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--database-url",
            db,
            "--data-dir",
        ])
        .arg(dir)
        .env("TYNDAU_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("tyndau starts")
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    let start = Instant::now();
    while client.get(format!("{base}/health")).send().await.is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "server did not start"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn acknowledged_appeals_survive_sigkill_mid_burst() {
    let dir = tempfile::tempdir().unwrap();
    let db = database_url(dir.path()).await;
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let mut server = start(port, &db, dir.path());
    wait_ready(&client, &base).await;

    let reg: Value = client
        .post(format!("{base}/api/v1/auth/register"))
        .json(&json!({"iin": "061211600012", "full_name": "Айгерім", "password": "a long password 1"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = reg["token"].as_str().unwrap().to_string();

    // 32 workers submit as fast as they can; the server is killed while they do.
    let workers: Vec<_> = (0..32)
        .map(|w| {
            let (client, base, token) = (client.clone(), base.clone(), token.clone());
            tokio::spawn(async move {
                let mut acked = Vec::new();
                for i in 0.. {
                    let body = json!({"form": "application", "language": "ru", "category_id": "roads.repair", "kato": "611600000",
                        "text": format!("Обращение {w}-{i}: уникальный текст {}", w * 100_000 + i)});
                    let r = client
                        .post(format!("{base}/api/v1/appeals"))
                        .bearer_auth(&token)
                        .header("idempotency-key", format!("k-{w}-{i}"))
                        .json(&body)
                        .send()
                        .await;
                    match r {
                        Ok(r) if r.status() == 201 => {
                            let v: Value = match r.json().await {
                                Ok(v) => v,
                                Err(_) => break,
                            };
                            acked.push((format!("k-{w}-{i}"), body, v["id"].as_str().unwrap().to_string()));
                        }
                        _ => break,
                    }
                }
                acked
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(700)).await;
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    let mut acked = Vec::new();
    for w in workers {
        acked.extend(w.await.unwrap());
    }
    assert!(
        acked.len() > 20,
        "the burst should have registered appeals before the kill, got {}",
        acked.len()
    );

    let mut server = start(port, &db, dir.path());
    wait_ready(&client, &base).await;
    for (_, _, id) in &acked {
        let r = client
            .get(format!("{base}/api/v1/appeals/{id}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "acknowledged appeal {id} was lost");
    }
    // Retrying an acknowledged request after the restart returns the same appeal, not a new one.
    let (key, body, id) = &acked[acked.len() / 2];
    let r: Value = client
        .post(format!("{base}/api/v1/appeals"))
        .bearer_auth(&token)
        .header("idempotency-key", key)
        .json(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(r["id"].as_str().unwrap(), id);
    let page: Value = client
        .get(format!("{base}/api/v1/appeals?limit=500"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids: std::collections::HashSet<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids.len(),
        page["items"].as_array().unwrap().len(),
        "no appeal appears twice"
    );
    server.kill().unwrap();
    server.wait().unwrap();

    // Personal data never reaches the log, though every registration is logged.
    let log = std::fs::read_to_string(dir.path().join("server.log")).unwrap();
    assert!(
        log.contains("appeal registered"),
        "the log records registrations"
    );
    assert!(
        !log.contains("061211600012"),
        "an IIN was written to the log"
    );
    assert!(
        !log.contains("Айгерім"),
        "an applicant's name was written to the log"
    );
}
