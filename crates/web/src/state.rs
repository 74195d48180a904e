//! Shared state of the running server.

use crate::config::Config;
use crate::error::ApiResult;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tyndau_core::access::{Principal, Role};
use tyndau_storage::appeals::AppealSettings;
use tyndau_storage::db::{Db, now_ms};
use tyndau_storage::reference::Reference;
use tyndau_storage::registrar::Registrar;
use tyndau_storage::users::{self, User};

#[derive(Clone)]
pub struct AppState {
    pub inner: Arc<Inner>,
    pub config: Arc<Config>,
}

pub struct Inner {
    pub db: Db,
    reference: RwLock<Arc<Reference>>,
    pub settings: AppealSettings,
    pub registrar: Registrar,
    /// Recently seen tokens. A revoked token stops working within `AUTH_CACHE_TTL` at most on
    /// other nodes, and at once on the node that revoked it.
    auth_cache: Mutex<HashMap<String, (Instant, User, Principal)>>,
}

const AUTH_CACHE_TTL: Duration = Duration::from_secs(30);
const AUTH_CACHE_MAX: usize = 100_000;

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.inner
    }
}

impl AppState {
    pub fn new(db: Db, reference: Reference, config: Config) -> anyhow::Result<AppState> {
        let settings = AppealSettings {
            terms: config.terms.clone(),
            repeat_similarity: config.repeat_similarity,
            repeat_window_days: config.repeat_window_days,
        };
        let registrar = Registrar::start(db.clone())?;
        Ok(AppState {
            inner: Arc::new(Inner {
                db,
                reference: RwLock::new(Arc::new(reference)),
                settings,
                registrar,
                auth_cache: Mutex::new(HashMap::new()),
            }),
            config: Arc::new(config),
        })
    }

    pub fn reference(&self) -> Arc<Reference> {
        self.reference.read().expect("reference lock").clone()
    }

    /// Reloads reference data after an administrator changed it.
    pub async fn reload_reference(&self) -> anyhow::Result<()> {
        let r = Reference::load(&self.db).await?;
        *self.reference.write().expect("reference lock") = Arc::new(r);
        Ok(())
    }

    pub fn principal_for(&self, user: &User) -> Principal {
        let orgs = match (user.role, &user.org_id) {
            (Role::Official, Some(o)) => vec![o.clone()],
            (Role::Head, Some(o)) => self.reference().org_subtree(o),
            _ => vec![],
        };
        Principal {
            user_id: user.id.clone(),
            role: user.role,
            orgs,
        }
    }

    pub async fn authenticate(&self, token: &str) -> ApiResult<Option<(User, Principal)>> {
        let key = users::hash_token(token);
        if let Some((at, u, p)) = self.auth_cache.lock().expect("auth cache").get(&key)
            && at.elapsed() < AUTH_CACHE_TTL
        {
            return Ok(Some((u.clone(), p.clone())));
        }
        let Some(user) = users::user_for_token(&self.db, token, now_ms()).await? else {
            return Ok(None);
        };
        let principal = self.principal_for(&user);
        let mut cache = self.auth_cache.lock().expect("auth cache");
        if cache.len() >= AUTH_CACHE_MAX {
            cache.clear();
        }
        cache.insert(key, (Instant::now(), user.clone(), principal.clone()));
        Ok(Some((user, principal)))
    }

    pub fn forget_token(&self, token: &str) {
        self.auth_cache
            .lock()
            .expect("auth cache")
            .remove(&users::hash_token(token));
    }
}
