//! Server configuration: defaults, then a TOML file, then environment variables, then flags
//! (the binary applies the last three). Tests build a `Config` directly.

use serde::Deserialize;
use std::path::PathBuf;
use tyndau_core::deadlines::Terms;
use tyndau_core::petition::PetitionRules;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address to listen on; port 0 picks a free port (tests).
    pub bind: String,
    /// `sqlite://…` or `postgres://…`; default: a SQLite file under `data_dir`.
    pub database_url: Option<String>,
    pub data_dir: PathBuf,
    /// Load the demonstration data set into an empty database at start.
    pub demo: bool,
    /// How many demo appeals to create.
    pub demo_appeals: usize,
    pub smtp: Option<SmtpConfig>,
    /// Statutory terms (KZ_RULES §1); every one is a setting with the law's default.
    pub terms: Terms,
    pub repeat_similarity: f64,
    pub repeat_window_days: i64,
    /// Seconds between runs of the deadline monitor; 0 turns it off.
    pub monitor_interval_secs: u64,
    /// Milliseconds between outbox deliveries.
    pub outbox_interval_ms: u64,
    /// Estimated Jaccard similarity (0-1) of word-pair shingles from which two appeals are
    /// near-duplicates: grouped as one campaign, or linked as a repeated appeal.
    pub similarity_threshold: f64,
    /// Milliseconds between the near-duplicate indexer's passes; 0 turns it off.
    pub similarity_interval_ms: u64,
    /// Appeals per second above which the near-duplicate indexer yields to registrations: it
    /// works off a backlog one batch per `similarity_interval_ms` instead of back to back, and
    /// catches up once the surge is over. 0: never yields.
    pub similarity_yield_above: u64,
    /// SQLite: milliseconds between background WAL checkpoints while the WAL is short (a long
    /// one is checkpointed every few milliseconds until the writer can start it again; see
    /// `tyndau_storage::db::WalProgress`).
    pub checkpoint_interval_ms: u64,
    pub session_ttl_hours: i64,
    pub max_body_bytes: usize,
    pub max_text_chars: usize,
    /// Mark the session cookie Secure (set when served over HTTPS).
    pub cookie_secure: bool,
    /// How long the public statistics are served from memory (ms); 0 reads the counters on
    /// every request (benchmarks).
    pub statistics_cache_ms: u64,
    /// The least confidence of the category classifier for Tyndau to fill in the category of an
    /// appeal submitted without one (below it, an official chooses).
    pub category_confidence_threshold: f32,
    /// log2 of the hashed feature space of the models trained in the server.
    pub model_feature_bits: u8,
    /// The newest examples a training reads, and the fewest it needs.
    pub model_max_examples: usize,
    pub model_min_examples: usize,
    /// The most bodies the routing model tells apart: the most frequent in its examples. The
    /// appeals of the others are learnt as one class, for which no body is suggested (the
    /// routing rules decide). The model's weights grow as 2^model_feature_bits × bodies × 4
    /// bytes and its table as districts × categories × bodies: for e-Otinish's 50,000 bodies
    /// some 13 GB of weights alone.
    pub model_max_route_bodies: usize,
    /// How often the trainer looks for new examples (s); 0: never in the background.
    pub model_retrain_secs: u64,
    /// How long the hotspot list is served from memory (ms); 0 computes it on every request.
    pub hotspot_cache_ms: u64,
    /// The hotspot finder's baseline and thresholds (`[hotspots]`).
    pub hotspots: tyndau_storage::hotspots::HotspotSettings,
    /// The hidden-services reports computed in the background (`[hidden_services]`).
    pub hidden_services: HiddenServicesConfig,
    /// "text" or "json" log lines.
    pub log_format: String,
    /// Petition terms and thresholds (KZ_RULES §3); a `[petitions]` section replaces the table.
    pub petitions: PetitionRules,
    /// Organisations whose officials moderate petitions (the authorised body); administrators
    /// always may.
    pub petition_moderator_orgs: Vec<String>,
    /// Key of the keyed hash of signers' IINs (hex or any text). When absent it is generated
    /// once into `data_dir/signer.key`; keep it outside the database and its backups.
    pub signer_key: Option<String>,
    /// The national identity provider (eGov IdP) whose HS256-signed ID tokens are accepted as
    /// bearer tokens of citizens.
    pub idp: Option<IdpConfig>,
    /// Peers whose X-Forwarded-For is believed (the reverse proxy in front of Tyndau).
    pub trusted_proxies: Vec<String>,
    pub sign_limits: SignLimits,
}

/// Hidden public services (issue 5, item 9): clustering a period's applications takes seconds
/// at national volume, so the standard periods are computed in the background, daily and after
/// each change to the registry, and readers get the stored report.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HiddenServicesConfig {
    /// The standard periods, each in days before today (today included, so 90 covers 91 days);
    /// the first is the one shown by default. Other periods are computed on request.
    pub periods_days: Vec<i64>,
    /// The least number of applications of a recurring request in the stored reports (and the
    /// default of a request).
    pub min_volume: usize,
    /// How often the worker looks whether a stored report is stale (a new day, a registry
    /// changed on another node) (s); 0: no worker, a stale report is recomputed when read.
    pub check_secs: u64,
}

impl Default for HiddenServicesConfig {
    fn default() -> Self {
        HiddenServicesConfig {
            periods_days: vec![90, 30],
            min_volume: 5,
            check_secs: 600,
        }
    }
}

impl HiddenServicesConfig {
    /// Refuses periods that a request could not name (at most a year, both ends counted).
    pub fn check(&self) -> anyhow::Result<()> {
        if let Some(d) = self.periods_days.iter().find(|d| !(1..=365).contains(*d)) {
            anyhow::bail!("hidden_services.periods_days: {d} is not from 1 to 365");
        }
        if self.min_volume < 2 {
            anyhow::bail!("hidden_services.min_volume: at least 2");
        }
        Ok(())
    }

    /// The period shown when a request names none.
    pub fn default_days(&self) -> i64 {
        self.periods_days.first().copied().unwrap_or(90)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdpConfig {
    pub issuer: String,
    /// The client secret shared with the IdP (HS256).
    pub hs256_secret: String,
}

/// Rate limits on signing (the UK petitions site's lesson: bursts from one address or one
/// network are the first sign of abuse). Token buckets: `burst` at once, refilled per minute.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SignLimits {
    pub per_ip_burst: u32,
    pub per_ip_per_minute: u32,
    pub per_network_burst: u32,
    pub per_network_per_minute: u32,
}

impl Default for SignLimits {
    fn default() -> Self {
        // Generous per address (families and offices share one), tighter per network than the
        // sum of its addresses would allow.
        SignLimits {
            per_ip_burst: 30,
            per_ip_per_minute: 20,
            per_network_burst: 300,
            per_network_per_minute: 200,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpConfig {
    pub host: String,
    #[serde(default = "smtp_port")]
    pub port: u16,
    pub from: String,
    pub username: Option<String>,
    pub password: Option<String>,
}

fn smtp_port() -> u16 {
    25
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: "127.0.0.1:8080".into(),
            database_url: None,
            data_dir: PathBuf::from("./tyndau-data"),
            demo: false,
            demo_appeals: 3000,
            smtp: None,
            terms: Terms::default(),
            repeat_similarity: 0.5,
            repeat_window_days: 365,
            monitor_interval_secs: 60,
            outbox_interval_ms: 1000,
            similarity_threshold: tyndau_storage::similarity::DEFAULT_THRESHOLD,
            similarity_interval_ms: 500,
            similarity_yield_above: 1_000,
            checkpoint_interval_ms: 75,
            session_ttl_hours: 12,
            max_body_bytes: 256 * 1024,
            max_text_chars: 10_000,
            cookie_secure: false,
            statistics_cache_ms: 2_000,
            hotspots: Default::default(),
            hotspot_cache_ms: 10_000,
            hidden_services: HiddenServicesConfig::default(),
            category_confidence_threshold: 0.6,
            model_feature_bits: 16,
            model_max_examples: 100_000,
            model_min_examples: 30,
            model_max_route_bodies: 300,
            model_retrain_secs: 300,
            log_format: "text".into(),
            petitions: PetitionRules::default(),
            petition_moderator_orgs: vec!["mcriap".into()],
            signer_key: None,
            idp: None,
            trusted_proxies: vec![],
            sign_limits: SignLimits::default(),
        }
    }
}

impl Config {
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(u) => u.clone(),
            None => format!("sqlite://{}/tyndau.db?mode=rwc", self.data_dir.display()),
        }
    }
}
