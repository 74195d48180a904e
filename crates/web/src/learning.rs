//! The models Tyndau trains from its own handling (issue 5, items 2 and 3): a category
//! classifier learned from officials' confirmations and corrections (and from answered appeals,
//! whose category stood), and a routing model learned from which body actually answered appeals
//! like this one, there. Both are retrained in the background without stopping the server, kept
//! in the database (a restart serves the same suggestions), and swapped in whole.

use std::sync::Arc;

use tyndau_analytics::{Classifier, FeatureConfig, Input, TrainConfig};
use tyndau_core::ids::Kato;

use crate::state::AppState;

/// A model in service.
pub struct Trained {
    pub classifier: Classifier,
    pub version: i64,
    pub trained_at: i64,
    pub examples: i64,
    pub labels: i64,
    /// Accuracy on a tenth of the examples held out of a training on the rest.
    pub accuracy: Option<f64>,
}

/// The models in service and the training data they were made from.
#[derive(Default)]
pub struct Models {
    pub category: Option<Arc<Trained>>,
    pub route: Option<Arc<Trained>>,
    /// `models::data_mark` at the last training: nothing new, nothing to train.
    pub mark: Option<(i64, i64, i64)>,
}

pub use tyndau_storage::models::UNCLASSIFIED;

/// What the routing model reads of an appeal: the text, and the place as district and exact
/// KATO code plus the point.
fn input<'a>(
    text: &'a str,
    district: &'a Option<String>,
    kato: &'a Option<String>,
    point: Option<(f64, f64)>,
) -> Input<'a> {
    Input {
        text,
        district: district.as_deref(),
        municipality: kato.as_deref(),
        lat: point.map(|p| p.0),
        lon: point.map(|p| p.1),
        address: None,
    }
}

fn district_of(kato: Option<&str>) -> Option<String> {
    kato.and_then(|k| Kato::parse(k).ok())
        .map(|k| k.district().code())
}

/// A suggestion with its confidence.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Suggested {
    pub id: String,
    pub confidence: f32,
    /// Whether the confidence reaches the threshold above which Tyndau acts on it.
    pub confident: bool,
    /// The model version that made it.
    pub model_version: i64,
}

/// The category and the competent body the models suggest for a text at a place.
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Suggestion {
    pub category: Option<Suggested>,
    pub org: Option<Suggested>,
}

pub fn suggest(
    state: &AppState,
    text: &str,
    kato: Option<&str>,
    point: Option<(f64, f64)>,
) -> Suggestion {
    let models = state.models();
    let threshold = state.config.category_confidence_threshold;
    let category = suggest_category(state, &models, text);
    let district = district_of(kato);
    let kato = kato.map(String::from);
    let org = models.route.as_ref().map(|m| {
        let p = m.classifier.predict(&input(text, &district, &kato, point));
        Suggested {
            id: p.label.to_string(),
            confidence: p.confidence,
            confident: p.confidence >= threshold,
            model_version: m.version,
        }
    });
    Suggestion { category, org }
}

fn suggest_category(state: &AppState, models: &Models, text: &str) -> Option<Suggested> {
    models.category.as_ref().map(|m| {
        let p = m.classifier.predict(&Input::text(text));
        Suggested {
            id: p.label.to_string(),
            confidence: p.confidence,
            confident: p.confidence >= state.config.category_confidence_threshold,
            model_version: m.version,
        }
    })
}

/// The category of an appeal submitted without one: the classifier's when it is sure enough,
/// else `UNCLASSIFIED`, for a human to decide. On the registration path: the routing model is
/// not asked.
pub fn prefill_category(state: &AppState, text: &str) -> String {
    match suggest_category(state, &state.models(), text) {
        Some(s) if s.confident && state.reference().categories.contains_key(&s.id) => s.id,
        _ => UNCLASSIFIED.to_string(),
    }
}

fn train_config(state: &AppState, place: bool) -> TrainConfig {
    TrainConfig {
        features: FeatureConfig {
            bits: state.config.model_feature_bits,
            use_place: place,
            ..FeatureConfig::default()
        },
        threads: 1,
        ..TrainConfig::default()
    }
}

/// Trains on nine tenths and measures on the rest (every tenth example, so the split is the same
/// for the same data), then trains the served model on all of them.
fn fit(
    inputs: &[Input<'_>],
    labels: &[&str],
    config: &TrainConfig,
) -> anyhow::Result<(Classifier, Option<f64>)> {
    let accuracy = if inputs.len() >= 20 {
        let (mut tr_x, mut tr_y, mut te_x, mut te_y) = (vec![], vec![], vec![], vec![]);
        for (i, (x, y)) in inputs.iter().zip(labels).enumerate() {
            if i % 10 == 9 {
                te_x.push(*x);
                te_y.push(*y);
            } else {
                tr_x.push(*x);
                tr_y.push(*y);
            }
        }
        let m = Classifier::train(&tr_x, &tr_y, config)?;
        let right = te_x
            .iter()
            .zip(&te_y)
            .filter(|(x, y)| m.predict(x).label == **y)
            .count();
        Some(right as f64 / te_x.len() as f64)
    } else {
        None
    };
    Ok((Classifier::train(inputs, labels, config)?, accuracy))
}

/// What one training did.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TrainReport {
    pub kind: &'static str,
    pub version: i64,
    pub examples: i64,
    pub labels: i64,
    pub accuracy: Option<f64>,
    pub seconds: f64,
}

/// Retrains both models when the training data moved on since the last training (or always,
/// with `force`); the work runs on a blocking thread, the server keeps answering with the old
/// models until the new ones are swapped in. One training at a time: with `wait` false and one
/// running, `None`.
pub async fn retrain(
    state: &AppState,
    force: bool,
    wait: bool,
) -> anyhow::Result<Option<Vec<TrainReport>>> {
    let _one = if wait {
        state.training.lock().await
    } else {
        match state.training.try_lock() {
            Ok(g) => g,
            Err(_) => return Ok(None),
        }
    };
    let mark = tyndau_storage::models::data_mark(&state.db).await?;
    if !force && state.models().mark == Some(mark) {
        return Ok(Some(vec![]));
    }
    let limit = state.config.model_max_examples as i64;
    let min = state.config.model_min_examples;
    let cat = tyndau_storage::models::category_examples(&state.db, limit).await?;
    let route = tyndau_storage::models::route_examples(&state.db, limit).await?;
    let cat_config = train_config(state, false);
    let route_config = train_config(state, true);
    let (cat_model, route_model) = tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let cat_model = if cat.len() >= min {
            let inputs: Vec<Input> = cat.iter().map(|e| Input::text(&e.text)).collect();
            let labels: Vec<&str> = cat.iter().map(|e| e.category_id.as_str()).collect();
            let n_labels = distinct(&labels);
            (n_labels >= 2)
                .then(|| {
                    fit(&inputs, &labels, &cat_config)
                        .map(|(m, a)| (m, a, inputs.len(), n_labels, started.elapsed()))
                })
                .transpose()
        } else {
            Ok(None)
        };
        let started = std::time::Instant::now();
        let route_model = if route.len() >= min {
            let places: Vec<(Option<String>, Option<String>)> = route
                .iter()
                .map(|e| (district_of(e.kato.as_deref()), e.kato.clone()))
                .collect();
            let inputs: Vec<Input> = route
                .iter()
                .zip(&places)
                .map(|(e, (d, k))| input(&e.text, d, k, e.lat.zip(e.lon)))
                .collect();
            let labels: Vec<&str> = route.iter().map(|e| e.org_id.as_str()).collect();
            let n_labels = distinct(&labels);
            (n_labels >= 2)
                .then(|| {
                    fit(&inputs, &labels, &route_config)
                        .map(|(m, a)| (m, a, inputs.len(), n_labels, started.elapsed()))
                })
                .transpose()
        } else {
            Ok(None)
        };
        anyhow::Ok((cat_model?, route_model?))
    })
    .await??;
    let mut reports = Vec::new();
    let mut next = Models {
        category: state.models().category.clone(),
        route: state.models().route.clone(),
        mark: Some(mark),
    };
    for (kind, m) in [("category", cat_model), ("route", route_model)] {
        let Some((classifier, accuracy, n, labels, took)) = m else {
            continue;
        };
        let version = tyndau_storage::models::save(
            &state.db,
            kind,
            n as i64,
            labels as i64,
            accuracy,
            &classifier.to_bytes(),
        )
        .await?;
        let trained = Arc::new(Trained {
            classifier,
            version,
            trained_at: tyndau_storage::db::now_ms(),
            examples: n as i64,
            labels: labels as i64,
            accuracy,
        });
        if kind == "category" {
            next.category = Some(trained);
        } else {
            next.route = Some(trained);
        }
        reports.push(TrainReport {
            kind,
            version,
            examples: n as i64,
            labels: labels as i64,
            accuracy,
            seconds: took.as_secs_f64(),
        });
    }
    state.set_models(next);
    Ok(Some(reports))
}

fn distinct(labels: &[&str]) -> usize {
    labels
        .iter()
        .collect::<std::collections::HashSet<_>>()
        .len()
}

/// Loads the persisted models (at start).
pub async fn load(state: &AppState) -> anyhow::Result<()> {
    let mut next = Models::default();
    // Persisted models count as made from today's data: a restart does not retrain.
    let mark = tyndau_storage::models::data_mark(&state.db).await?;
    for kind in ["category", "route"] {
        let Some(m) = tyndau_storage::models::load(&state.db, kind).await? else {
            continue;
        };
        // A model that no longer loads (a format change) is retrained, not a reason to stop.
        let classifier = match Classifier::from_bytes(&m.bytes) {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(model.kind = kind, error = %e, "a stored model does not load");
                continue;
            }
        };
        let t = Arc::new(Trained {
            classifier,
            version: m.version,
            trained_at: m.trained_at,
            examples: m.examples,
            labels: m.labels,
            accuracy: m.accuracy,
        });
        if kind == "category" {
            next.category = Some(t);
        } else {
            next.route = Some(t);
        }
        next.mark = Some(mark);
    }
    state.set_models(next);
    Ok(())
}

/// Retrains in the background every `model_retrain_secs` when there is something new.
pub fn spawn_trainer(state: AppState, mut stop: tokio::sync::watch::Receiver<bool>) {
    let secs = state.config.model_retrain_secs;
    if secs == 0 {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(secs));
        // Not at start: a server starting on a large database serves first, trains later.
        tick.tick().await;
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                _ = stop.changed() => return,
            }
            match retrain(&state, false, true).await {
                Ok(reports) => {
                    for r in reports.unwrap_or_default() {
                        tracing::info!(
                            model.kind = r.kind,
                            model.version = r.version,
                            model.examples = r.examples,
                            model.accuracy = r.accuracy,
                            model.seconds = r.seconds,
                            "model retrained"
                        );
                    }
                }
                // Training data are appeal texts: only the error is logged.
                Err(e) => tracing::error!(error = %e, "model retraining failed"),
            }
        }
    });
}
