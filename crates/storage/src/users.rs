//! Accounts, sessions and API tokens. Passwords arrive here already hashed (argon2, in the web
//! layer); tokens are stored only as SHA-256 hashes, so a copy of the database opens no session.

use crate::db::{Db, new_id, now_ms};
use crate::error::{ServiceError, ServiceResult};
use sha2::{Digest, Sha256};
use sqlx::Row;
use tyndau_core::access::Role;
use tyndau_core::notify::UiLang;

#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub role: Role,
    pub login: Option<String>,
    pub password_hash: Option<String>,
    pub iin: Option<String>,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub org_id: Option<String>,
    pub position: Option<String>,
    pub language: UiLang,
    pub disabled: bool,
}

const USER_COLS: &str = "id, role, login, password_hash, iin, full_name, email, phone, address, org_id, position, language, disabled";

fn user_from_row(r: &sqlx::any::AnyRow) -> ServiceResult<User> {
    Ok(User {
        id: r.get(0),
        role: Role::parse(&r.get::<String, _>(1)).ok_or_else(|| anyhow::anyhow!("stored role"))?,
        login: r.get(2),
        password_hash: r.get(3),
        iin: r.get(4),
        full_name: r.get(5),
        email: r.get(6),
        phone: r.get(7),
        address: r.get(8),
        org_id: r.get(9),
        position: r.get(10),
        language: UiLang::parse(&r.get::<String, _>(11)).unwrap_or(UiLang::Ru),
        disabled: r.get::<i64, _>(12) != 0,
    })
}

#[derive(Debug, Clone, Default)]
pub struct NewUser {
    pub role: Option<Role>,
    pub login: Option<String>,
    pub password_hash: Option<String>,
    pub external_subject: Option<String>,
    pub iin: Option<String>,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub org_id: Option<String>,
    pub position: Option<String>,
    pub language: Option<UiLang>,
}

pub async fn create_user(db: &Db, u: &NewUser) -> ServiceResult<User> {
    let id = new_id();
    let role = u.role.unwrap_or(Role::Citizen);
    let lang = u.language.unwrap_or(UiLang::Ru);
    let res = sqlx::query(
        "INSERT INTO users (id, role, login, password_hash, external_subject, iin, full_name, email, phone, address, org_id, position, language, created_at) \
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)",
    )
    .bind(&id)
    .bind(role.as_str())
    .bind(&u.login)
    .bind(&u.password_hash)
    .bind(&u.external_subject)
    .bind(&u.iin)
    .bind(&u.full_name)
    .bind(&u.email)
    .bind(&u.phone)
    .bind(&u.address)
    .bind(&u.org_id)
    .bind(&u.position)
    .bind(lang.as_str())
    .bind(now_ms())
    .execute(&db.write)
    .await;
    match res {
        Ok(_) => {}
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => {
            let msg = e.message().to_string();
            let (code, what) = if msg.contains("iin") {
                ("iin_taken", "an account with this IIN already exists")
            } else {
                ("login_taken", "this login is already taken")
            };
            return Err(ServiceError::Conflict {
                code,
                message: what.into(),
            });
        }
        Err(e) => return Err(e.into()),
    }
    find_user(db, &id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("user vanished after insert").into())
}

pub async fn find_user(db: &Db, id: &str) -> ServiceResult<Option<User>> {
    let row = sqlx::query(&format!("SELECT {USER_COLS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.read)
        .await?;
    row.as_ref().map(user_from_row).transpose()
}

pub async fn find_by_iin(db: &Db, iin: &str) -> ServiceResult<Option<User>> {
    let row = sqlx::query(&format!("SELECT {USER_COLS} FROM users WHERE iin = $1"))
        .bind(iin)
        .fetch_optional(&db.read)
        .await?;
    row.as_ref().map(user_from_row).transpose()
}

pub async fn find_by_login(db: &Db, login: &str) -> ServiceResult<Option<User>> {
    let row = sqlx::query(&format!("SELECT {USER_COLS} FROM users WHERE login = $1"))
        .bind(login)
        .fetch_optional(&db.read)
        .await?;
    row.as_ref().map(user_from_row).transpose()
}

pub async fn users_of_org(db: &Db, org_id: &str) -> ServiceResult<Vec<User>> {
    let rows = sqlx::query(&format!(
        "SELECT {USER_COLS} FROM users WHERE org_id = $1 ORDER BY full_name"
    ))
    .bind(org_id)
    .fetch_all(&db.read)
    .await?;
    rows.iter().map(user_from_row).collect()
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new random token (256 bits), shown once to its owner.
pub fn new_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

pub async fn create_session(
    db: &Db,
    user_id: &str,
    kind: &str,
    name: Option<&str>,
    ttl_ms: i64,
) -> ServiceResult<(String, i64)> {
    let token = new_token();
    let now = now_ms();
    let expires = now + ttl_ms;
    sqlx::query("INSERT INTO sessions (token_hash, user_id, kind, name, created_at, expires_at) VALUES ($1,$2,$3,$4,$5,$6)")
        .bind(hash_token(&token))
        .bind(user_id)
        .bind(kind)
        .bind(name)
        .bind(now)
        .bind(expires)
        .execute(&db.write)
        .await?;
    Ok((token, expires))
}

/// The user behind a live, unrevoked token.
pub async fn user_for_token(db: &Db, token: &str, now: i64) -> ServiceResult<Option<User>> {
    let row = sqlx::query(&format!(
        "SELECT {} FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = $1 AND s.revoked = 0 AND s.expires_at > $2 AND u.disabled = 0",
        USER_COLS
            .split(", ")
            .map(|c| format!("u.{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
    .bind(hash_token(token))
    .bind(now)
    .fetch_optional(&db.read)
    .await?;
    row.as_ref().map(user_from_row).transpose()
}

pub async fn revoke_session(db: &Db, token: &str) -> ServiceResult<()> {
    sqlx::query("UPDATE sessions SET revoked = 1 WHERE token_hash = $1")
        .bind(hash_token(token))
        .execute(&db.write)
        .await?;
    Ok(())
}

pub async fn write_audit(
    db: &Db,
    actor_id: &str,
    actor_role: Role,
    action: &str,
    subject_type: &str,
    subject_id: &str,
    detail: Option<&str>,
) -> ServiceResult<()> {
    let entry = Audit {
        actor_id,
        actor_role,
        action,
        subject_type,
        subject_id,
        detail,
    };
    let s = entry.stmt(db.backend);
    crate::db::bind_args(sqlx::query(&s.sql), &s.args)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// An audit row to write inside the transaction of the change it records, so that a change is
/// never committed without its row (nor the row without the change).
#[derive(Debug, Clone, Copy)]
pub struct Audit<'a> {
    pub actor_id: &'a str,
    pub actor_role: Role,
    pub action: &'a str,
    pub subject_type: &'a str,
    pub subject_id: &'a str,
    pub detail: Option<&'a str>,
}

impl Audit<'_> {
    /// The INSERT, in the placeholder style of `db::execute_all`.
    pub fn stmt(&self, backend: crate::db::Backend) -> crate::db::Stmt {
        use crate::db::Arg;
        let text = |v: &str| Arg::Text(Some(v.to_string()));
        crate::db::Stmt {
            sql: format!(
                "INSERT INTO audit_log (id, at, actor_id, actor_role, action, subject_type, subject_id, detail) VALUES {}",
                crate::db::values_placeholders(backend, 1, 8)
            ),
            args: vec![
                text(&new_id()),
                Arg::from(now_ms()),
                text(self.actor_id),
                text(self.actor_role.as_str()),
                text(self.action),
                text(self.subject_type),
                text(self.subject_id),
                Arg::Text(self.detail.map(String::from)),
            ],
        }
    }

    /// Writes the row on `conn`, typically inside the change's transaction.
    pub async fn write(&self, conn: &mut sqlx::AnyConnection) -> sqlx::Result<()> {
        let s = self.stmt(crate::db::backend_of(conn));
        crate::db::bind_args(sqlx::query(&s.sql), &s.args)
            .execute(conn)
            .await?;
        Ok(())
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditEntry {
    pub id: String,
    pub at: i64,
    pub actor_id: String,
    pub actor_role: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: String,
    pub detail: Option<String>,
}

pub async fn audit_entries(
    db: &Db,
    subject_id: Option<&str>,
    actor_id: Option<&str>,
    limit: i64,
) -> ServiceResult<Vec<AuditEntry>> {
    let rows = sqlx::query(
        "SELECT id, at, actor_id, actor_role, action, subject_type, subject_id, detail FROM audit_log \
         WHERE ($1 IS NULL OR subject_id = $1) AND ($2 IS NULL OR actor_id = $2) ORDER BY id DESC LIMIT $3",
    )
    .bind(subject_id)
    .bind(actor_id)
    .bind(limit)
    .fetch_all(&db.read)
    .await?;
    Ok(rows
        .iter()
        .map(|r| AuditEntry {
            id: r.get(0),
            at: r.get(1),
            actor_id: r.get(2),
            actor_role: r.get(3),
            action: r.get(4),
            subject_type: r.get(5),
            subject_id: r.get(6),
            detail: r.get(7),
        })
        .collect())
}
