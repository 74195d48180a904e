//! Notices reach the applicant by e-mail through a real SMTP server (Python's aiosmtpd, started
//! here), in the applicant's language, once each.

use crate::helpers::*;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct SmtpSink {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_sink_on(port: u16) -> SmtpSink {
    let dir = tempfile::tempdir().unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/smtp_sink.py");
    let mut child = Command::new("python3")
        .arg(script)
        .arg(port.to_string())
        .arg(dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs the SMTP sink");
    let mut out = child.stdout.take().unwrap();
    let mut buf = [0u8; 6];
    use std::io::Read;
    out.read_exact(&mut buf)
        .expect("the SMTP sink starts (it needs: pip install aiosmtpd)");
    assert_eq!(&buf, b"ready\n");
    SmtpSink { child, port, dir }
}

fn mails(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    v.sort();
    v.into_iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

async fn wait_for(dir: &std::path::Path, n: usize) -> Vec<String> {
    let start = Instant::now();
    loop {
        let m = mails(dir);
        if m.len() >= n || start.elapsed() > Duration::from_secs(20) {
            return m;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn notices_are_emailed_in_the_applicants_language_exactly_once() {
    let sink = start_sink_on(free_port());
    let port = sink.port;
    let app = spawn_with(|c| {
        c.smtp = Some(tyndau_web::config::SmtpConfig {
            host: "127.0.0.1".into(),
            port,
            from: "Tyndau <no-reply@tyndau.kz>".into(),
            username: None,
            password: None,
        });
    })
    .await;
    let (citizen, _) = app.citizen("Айгерім", 50, "kk").await;
    let r = app.submit(&citizen, road_appeal("Жол бұзылған")).await;
    let reg_no = r.body["reg_no"].as_str().unwrap().to_string();
    let m = wait_for(sink.dir.path(), 1).await;
    assert_eq!(m.len(), 1, "one registration notice");
    let body = &m[0];
    assert!(body.contains("To: c50@example.kz"), "{body}");
    assert!(
        body.contains("Өтінішіңіз тіркелді"),
        "Kazakh notice: {body}"
    );
    assert!(body.contains(&reg_no));
    // The notice is marked sent and shown through the API.
    let start = Instant::now();
    loop {
        let n = app.get("/api/v1/me/notifications", Some(&citizen)).await;
        if n.body[0]["emailed_at"].is_string() {
            assert_eq!(n.body[0]["kind"], "registered");
            assert_eq!(n.body[0]["language"], "kk");
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "notice never marked as sent"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Nothing is sent twice.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(mails(sink.dir.path()).len(), 1);
}

#[tokio::test]
async fn notices_survive_an_unreachable_smtp_server_and_are_retried() {
    // Nothing listens on this port at first.
    let port = free_port();
    let app = spawn_with(|c| {
        c.smtp = Some(tyndau_web::config::SmtpConfig {
            host: "127.0.0.1".into(),
            port,
            from: "Tyndau <no-reply@tyndau.kz>".into(),
            username: None,
            password: None,
        });
    })
    .await;
    let (citizen, _) = app.citizen("Иван", 51, "ru").await;
    let mut b = road_appeal("Дорога");
    b["language"] = serde_json::json!("ru");
    app.submit(&citizen, b).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    let (attempts, sent, err): (i64, Option<i64>, Option<String>) =
        sqlx::query_as("SELECT attempts, sent_at, last_error FROM outbox")
            .fetch_one(&app.state.db.read)
            .await
            .unwrap();
    assert!(
        attempts >= 1 && sent.is_none(),
        "attempts={attempts} sent={sent:?}"
    );
    assert!(err.unwrap().contains("refused"));
    // Bring the server up on that port and make the retry due now.
    let sink = start_sink_on(port);
    sqlx::query("UPDATE outbox SET next_attempt_at = 0")
        .execute(&app.state.db.write)
        .await
        .unwrap();
    let m = wait_for(sink.dir.path(), 1).await;
    assert_eq!(m.len(), 1);
    assert!(m[0].contains("Ваше обращение зарегистрировано"), "{}", m[0]);
}
