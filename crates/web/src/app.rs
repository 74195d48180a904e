//! `Application::build(config)`: storage, migrations, reference data, workers and the HTTP server.
//! Tests start it on port 0 with a fresh database.

use crate::config::Config;
use crate::state::AppState;
use anyhow::Context;
use axum::http::{HeaderValue, header};
use std::net::SocketAddr;
use tokio::sync::watch;
use tower_http::set_header::SetResponseHeaderLayer;
use tyndau_storage::db::Db;
use tyndau_storage::reference::{Reference, seed_if_empty};

pub struct Application {
    pub state: AppState,
    listener: tokio::net::TcpListener,
    stop_tx: watch::Sender<bool>,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        if config.database_url.is_none() {
            std::fs::create_dir_all(&config.data_dir).with_context(|| {
                format!("creating data directory {}", config.data_dir.display())
            })?;
        }
        config.hidden_services.check()?;
        let db = Db::connect(&config.database_url()).await?;
        db.migrate().await?;
        db.spawn_checkpointer(std::time::Duration::from_millis(
            config.checkpoint_interval_ms.max(10),
        ));
        if seed_if_empty(&db).await? {
            tracing::info!("loaded the built-in Kazakhstan reference data and calendar");
        }
        tyndau_storage::petitions::seed_subjects_if_empty(&db).await?;
        tyndau_storage::reference::seed_sensitive_terms_if_empty(&db).await?;
        tyndau_storage::services::seed_if_empty(&db).await?;
        if tyndau_storage::stats::ensure_counters(&db, config.terms.utc_offset_minutes).await? {
            tracing::info!("rebuilt the statistics counters from the appeals");
        }
        let reference = Reference::load(&db).await?;
        let demo = config.demo;
        let demo_n = config.demo_appeals;
        let listener = tokio::net::TcpListener::bind(&config.bind)
            .await
            .with_context(|| format!("binding {}", config.bind))?;
        let state = AppState::new(db, reference, config)?;
        if demo {
            crate::demo::load_if_empty(&state, demo_n).await?;
        }
        let (stop_tx, stop_rx) = watch::channel(false);
        crate::learning::load(&state).await?;
        if demo && state.models().category.is_none() {
            // The demonstration shows suggestions from the start: its handled appeals are the
            // first training data (in the background, the server answers meanwhile).
            let s = state.clone();
            tokio::spawn(async move {
                if let Err(e) = crate::learning::retrain(&s, false, true).await {
                    tracing::error!(error = %e, "training on the demonstration data failed");
                }
            });
        }
        {
            // Appeals registered before their text's language was identified; in the
            // background, a batch per write, so a large database starts serving at once.
            let db = state.db.clone();
            tokio::spawn(async move {
                match tyndau_storage::appeals::backfill_text_language(&db).await {
                    Ok(0) => {}
                    Ok(n) => {
                        tracing::info!(appeals = n, "identified the language of older appeals")
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "identifying older appeals' language failed")
                    }
                }
            });
        }
        crate::workers::spawn_monitor(state.clone(), stop_rx.clone());
        crate::learning::spawn_trainer(state.clone(), stop_rx.clone());
        crate::workers::spawn_transparency(state.clone(), stop_rx.clone());
        crate::workers::spawn_hidden_services(state.clone(), stop_rx.clone());
        crate::workers::spawn_similarity(state.clone(), stop_rx.clone());
        crate::workers::spawn_outbox(state.clone(), stop_rx);
        Ok(Application {
            state,
            listener,
            stop_tx,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("bound listener")
    }

    pub fn router(state: AppState) -> axum::Router {
        crate::routes::router(state)
            .layer(axum::middleware::from_fn(crate::error::refuse_nul))
            .layer(tower_http::catch_panic::CatchPanicLayer::custom(
                // A problem document with the stable code, as for any internal error; the
                // panic's message (from our code, not from the request) is logged, not shown.
                |p: Box<dyn std::any::Any + Send>| {
                    let msg = p
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| p.downcast_ref::<String>().cloned())
                        .unwrap_or_default();
                    tracing::error!(panic = msg, "a request handler panicked");
                    axum::response::IntoResponse::into_response(crate::error::ApiError::internal())
                },
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::CACHE_CONTROL,
                HeaderValue::from_static("no-store"),
            ))
    }

    /// Serves until `shutdown` resolves, then stops the workers.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let app = Self::router(self.state.clone());
        tracing::info!(addr = %self.local_addr(), "Tyndau listening");
        axum::serve(
            self.listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await?;
        let _ = self.stop_tx.send(true);
        Ok(())
    }
}
