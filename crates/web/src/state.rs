//! Shared state of the running server.

use crate::config::Config;
use crate::error::ApiResult;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tyndau_core::access::{Principal, Role};
use tyndau_core::calendar::WorkWeek;
use tyndau_core::deadlines::{Clock, Terms};
use tyndau_core::org::OrgLevel;
use tyndau_core::petition::PetitionRules;
use tyndau_storage::appeals::AppealSettings;
use tyndau_storage::db::{Db, now_ms};
use tyndau_storage::petitions::PetitionClock;
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
    reference: Arc<RwLock<Arc<Reference>>>,
    pub settings: AppealSettings,
    pub registrar: Registrar,
    /// Recently seen tokens. A revoked token stops working within `AUTH_CACHE_TTL` at most on
    /// other nodes, and at once on the node that revoked it.
    auth_cache: Mutex<HashMap<String, (Instant, User, Principal)>>,
    /// Key of the signers' keyed IIN hash; never stored in the database.
    pub signer_key: Vec<u8>,
    pub ip_limiter: crate::ratelimit::Limiter,
    pub network_limiter: crate::ratelimit::Limiter,
    /// The public statistics page's figures and when they were computed.
    pub figures_cache: Mutex<Option<(Instant, crate::pages::stats::Figures)>>,
    /// The category and routing models in service, replaced whole by each training.
    models: RwLock<Arc<crate::learning::Models>>,
    /// The hotspot list and when it was computed (`hotspot_cache_ms`).
    pub hotspot_cache: Mutex<Option<(Instant, Arc<Vec<tyndau_storage::hotspots::Hotspot>>)>>,
    /// Held by the one training running (the background trainer or an administrator's).
    pub training: tokio::sync::Mutex<()>,
    /// Wakes the hidden-services worker when its stored reports became stale.
    pub hidden_services_stale: tokio::sync::Notify,
}

/// A citizen identified by the IdP (or a local account with an IIN): what signing needs.
#[derive(Debug, Clone)]
pub struct Citizen {
    pub iin: String,
    /// The keyed hash that stands for this person among signers, computed once per request.
    pub signer_hash: String,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub kato: Option<String>,
}

/// The petition clock over the live reference snapshot (the calendar may change at any time).
struct LiveClock {
    reference: Arc<RwLock<Arc<Reference>>>,
    rules: PetitionRules,
    terms: Terms,
}

impl PetitionClock for LiveClock {
    fn rules(&self) -> &PetitionRules {
        &self.rules
    }
    fn today(&self, now_ms: i64) -> chrono::NaiveDate {
        self.terms.local_date(now_ms)
    }
    fn review_terms(&self, now_ms: i64, level: OrgLevel) -> (chrono::NaiveDate, chrono::NaiveDate) {
        let r = self.reference.read().expect("reference lock").clone();
        let clock = Clock {
            calendar: &r.calendar,
            week: WorkWeek::FiveDay,
            terms: &self.terms,
        };
        let registered = clock.registration_date(now_ms);
        (
            registered,
            self.rules.review_due(&r.calendar, registered, level),
        )
    }
}

/// Ids of IdP sign-ins that have no account row yet.
pub const IDP_USER_PREFIX: &str = "idp:";

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
        let reference = Arc::new(RwLock::new(Arc::new(reference)));
        let clock = Arc::new(LiveClock {
            reference: reference.clone(),
            rules: config.petitions.clone(),
            terms: config.terms.clone(),
        });
        let registrar = Registrar::start(db.clone(), clock)?;
        let signer_key =
            crate::identity::load_signer_key(config.signer_key.as_deref(), &config.data_dir)?;
        let l = &config.sign_limits;
        Ok(AppState {
            inner: Arc::new(Inner {
                db,
                reference,
                settings,
                registrar,
                auth_cache: Mutex::new(HashMap::new()),
                signer_key,
                ip_limiter: crate::ratelimit::Limiter::new(l.per_ip_burst, l.per_ip_per_minute),
                network_limiter: crate::ratelimit::Limiter::new(
                    l.per_network_burst,
                    l.per_network_per_minute,
                ),
                figures_cache: Mutex::new(None),
                models: RwLock::new(Arc::default()),
                training: tokio::sync::Mutex::new(()),
                hotspot_cache: Mutex::new(None),
                hidden_services_stale: tokio::sync::Notify::new(),
            }),
            config: Arc::new(config),
        })
    }

    pub fn models(&self) -> Arc<crate::learning::Models> {
        self.models.read().expect("models lock").clone()
    }

    pub fn set_models(&self, m: crate::learning::Models) {
        *self.models.write().expect("models lock") = Arc::new(m);
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

    /// The citizen behind a local account. Documents write the family name first.
    pub fn citizen_of(&self, user: &User) -> Option<Citizen> {
        if user.role != Role::Citizen {
            return None;
        }
        let iin = user.iin.clone()?;
        let mut words = user.full_name.split_whitespace();
        let first = words.next().unwrap_or_default();
        let (given, family) = match words.next() {
            Some(given) => (given, first),
            None => (first, ""),
        };
        Some(Citizen {
            signer_hash: crate::identity::signer_hash(&self.signer_key, &iin),
            iin,
            given_name: given.to_string(),
            family_name: family.to_string(),
            email: user.email.clone(),
            kato: None,
        })
    }

    /// A citizen's IdP token (a JWT), verified without touching the database.
    pub fn authenticate_idp(&self, token: &str) -> Option<crate::extract::Auth> {
        let idp = self.config.idp.as_ref()?;
        if !token.starts_with("eyJ") {
            return None;
        }
        let (c, iin) = crate::identity::verify(
            token,
            &idp.issuer,
            idp.hs256_secret.as_bytes(),
            now_ms() / 1000,
        )?;
        let hash = crate::identity::signer_hash(&self.signer_key, iin.as_str());
        let id = format!("{IDP_USER_PREFIX}{}", &hash[..32]);
        let user = User {
            id: id.clone(),
            role: Role::Citizen,
            login: None,
            password_hash: None,
            iin: Some(iin.as_str().to_string()),
            full_name: format!("{} {}", c.family_name, c.given_name),
            email: c.email.clone(),
            phone: None,
            address: None,
            org_id: None,
            position: None,
            language: tyndau_core::notify::UiLang::Ru,
            disabled: false,
        };
        Some(crate::extract::Auth {
            principal: Principal {
                user_id: id,
                role: Role::Citizen,
                orgs: vec![],
            },
            user,
            via_token: true,
            citizen: Some(Citizen {
                signer_hash: hash,
                iin: iin.as_str().to_string(),
                given_name: c.given_name,
                family_name: c.family_name,
                email: c.email,
                kato: c.kato,
            }),
        })
    }

    /// Replaces an IdP sign-in's placeholder identity with the citizen's account, if one exists
    /// (remembered for the token's next requests).
    pub async fn resolve_idp(
        &self,
        token: &str,
        auth: crate::extract::Auth,
    ) -> ApiResult<crate::extract::Auth> {
        let key = users::hash_token(token);
        if let Some((at, u, p)) = self.auth_cache.lock().expect("auth cache").get(&key)
            && at.elapsed() < AUTH_CACHE_TTL
        {
            return Ok(crate::extract::Auth {
                user: u.clone(),
                principal: p.clone(),
                ..auth
            });
        }
        let iin = auth
            .citizen
            .as_ref()
            .map(|c| c.iin.clone())
            .unwrap_or_default();
        let Some(user) = users::find_by_iin(&self.db, &iin).await? else {
            return Ok(auth);
        };
        let principal = self.principal_for(&user);
        let mut cache = self.auth_cache.lock().expect("auth cache");
        if cache.len() >= AUTH_CACHE_MAX {
            cache.clear();
        }
        cache.insert(key, (Instant::now(), user.clone(), principal.clone()));
        Ok(crate::extract::Auth {
            user,
            principal,
            ..auth
        })
    }

    /// The account row of a signed-in user, created on first need for IdP sign-ins (found by
    /// IIN when the citizen already has one).
    pub async fn account(&self, auth: &crate::extract::Auth) -> ApiResult<User> {
        if !auth.is_idp_only() {
            return Ok(auth.user.clone());
        }
        let c = auth.citizen.as_ref().expect("IdP users are citizens");
        if let Some(u) = users::find_by_iin(&self.db, &c.iin).await? {
            return Ok(u);
        }
        let created = users::create_user(
            &self.db,
            &users::NewUser {
                role: Some(Role::Citizen),
                external_subject: Some(format!("egov:{}", &auth.user.id[IDP_USER_PREFIX.len()..])),
                iin: Some(c.iin.clone()),
                full_name: auth.user.full_name.clone(),
                email: c.email.clone(),
                ..Default::default()
            },
        )
        .await;
        match created {
            Ok(u) => Ok(u),
            // A concurrent first request created it.
            Err(_) => users::find_by_iin(&self.db, &c.iin)
                .await?
                .ok_or_else(|| anyhow::anyhow!("account for an IdP sign-in").into()),
        }
    }

    pub fn forget_token(&self, token: &str) {
        self.auth_cache
            .lock()
            .expect("auth cache")
            .remove(&users::hash_token(token));
    }
}
