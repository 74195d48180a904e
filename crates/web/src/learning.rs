//! The models Tyndau trains from its own handling (issue 5, items 2 and 3): a category
//! classifier learned from officials' confirmations and corrections (and from answered appeals,
//! whose category stood), and a routing model learned from which body actually answered appeals
//! like this one, there. Both are retrained in the background without stopping the server, kept
//! in the database (a restart serves the same suggestions), and swapped in whole.
//!
//! The routing model is a [`CombinedClassifier`], as in the evaluation (`LabelField::fine_model`
//! for routing): the routing model's probabilities mixed with those of a category model passed
//! through the share of each category's appeals that each body answered in the appeal's
//! district. The category is learned from the appeals of every district, and which body takes
//! it is counted per district, which a single model would have to learn from the words of each
//! body's own few appeals. The category model stays a single [`Classifier`]: the server has no
//! label finer than the leaf category to combine it with.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tyndau_analytics::eval::{FineModel, LabelField};
use tyndau_analytics::{
    Classifier, CombinedClassifier, FeatureConfig, Input, ModelError, TrainConfig,
};
use tyndau_core::ids::Kato;
use tyndau_core::org::OrgLevel;
use tyndau_storage::reference::Reference;

use crate::state::AppState;

/// A model in service.
pub struct Trained<M> {
    pub model: M,
    pub version: i64,
    pub trained_at: i64,
    pub examples: i64,
    pub labels: i64,
    /// Accuracy on about a tenth of the examples, held out by text (`held_out`), of a training
    /// on the rest.
    pub accuracy: Option<f64>,
}

/// The models in service and the training data they were made from.
#[derive(Default)]
pub struct Models {
    pub category: Option<Arc<Trained<Classifier>>>,
    pub route: Option<Arc<Trained<CombinedClassifier>>>,
    /// `models::data_mark` at the last training: nothing new, nothing to train.
    pub mark: Option<(i64, i64, i64)>,
}

pub use tyndau_storage::models::UNCLASSIFIED;

/// What the routing model reads of an appeal: the text, and the place as district and exact
/// KATO code plus the point. The district also picks the row of the combined model's table.
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
    let reference = state.reference();
    let org = models.route.as_ref().and_then(|m| {
        let p = m.model.predict(&input(text, &district, &kato, point));
        let place = kato.as_deref().and_then(|k| Kato::parse(k).ok());
        // A level the place does not resolve (no place, or no such body registered there) is no
        // suggestion, like the other bodies' class: the routing rules decide.
        resolve(&reference, p.label, place).map(|id| Suggested {
            id,
            confidence: p.confidence,
            confident: p.confidence >= threshold,
            model_version: m.version,
        })
    });
    Suggestion { category, org }
}

fn suggest_category(state: &AppState, models: &Models, text: &str) -> Option<Suggested> {
    models.category.as_ref().map(|m| {
        let p = m.model.predict(&Input::text(text));
        Suggested {
            id: p.label.to_string(),
            confidence: p.confidence,
            confident: p.confidence >= state.config.category_confidence_threshold,
            model_version: m.version,
        }
    })
}

/// The category of an appeal submitted without one: the classifier's when it is sure enough
/// (with its confidence and model, for the journal), else `UNCLASSIFIED`, for a human to decide.
/// On the registration path: the routing model is not asked.
pub fn prefill_category(
    state: &AppState,
    text: &str,
) -> (String, Option<tyndau_storage::appeals::SuggestedCategory>) {
    match suggest_category(state, &state.models(), text) {
        Some(s) if s.confident && state.reference().categories.contains_key(&s.id) => (
            s.id,
            Some(tyndau_storage::appeals::SuggestedCategory {
                confidence: s.confidence,
                model_version: s.model_version,
            }),
        ),
        _ => (UNCLASSIFIED.to_string(), None),
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

/// The routing model's settings and the category model combined with it: the evaluation's for
/// routing (`LabelField::fine_model`: its weight, its table per district, the topic model's
/// training there), on the routing model's features, so that one featurization serves both.
fn route_configs(state: &AppState) -> (TrainConfig, FineModel) {
    let route = train_config(state, true);
    let mut fine = LabelField::ResponsibleOrg
        .fine_model()
        .expect("routing is combined with a finer model");
    fine.config.features = route.features.clone();
    fine.config.threads = route.threads;
    (route, fine)
}

/// The routing model's class of the bodies beyond `model_max_route_bodies`, never suggested: the
/// empty id, which the registry's bodies do not use.
pub const OTHER_BODIES: &str = "";

/// The routing model's label of a body of a territorial level ([`OrgLevel::is_territorial`]),
/// followed by the level: the model learns "the district akimat", from every district akimat's
/// appeals, and the appeal's place names which one ([`resolve`]). With one class per body, a
/// country's few thousand akimats would each need appeals of their own before being suggested,
/// and would crowd the other bodies out of `model_max_route_bodies`.
const LEVEL_LABEL: &str = "level:";

/// What the routing model learns for an appeal at `place` that `org_id` answered: the body's
/// level if it is the body of that level the place resolves to, else the body itself (a central
/// or specialised body, or one that answered for another territory).
fn route_label(reference: &Reference, org_id: &str, place: Option<Kato>) -> String {
    let level = reference.orgs.get(org_id).map(|o| o.level);
    match (level, place) {
        (Some(level), Some(place))
            if level.is_territorial()
                && reference
                    .territorial_body(level, place)
                    .is_some_and(|o| o.id == org_id) =>
        {
            format!("{LEVEL_LABEL}{level}")
        }
        _ => org_id.to_string(),
    }
}

/// The body a routing label names for an appeal at `place` (see [`route_label`]); none for the
/// other bodies' class.
fn resolve(reference: &Reference, label: &str, place: Option<Kato>) -> Option<String> {
    match label.strip_prefix(LEVEL_LABEL) {
        Some(level) => {
            let body = reference.territorial_body(OrgLevel::parse(level)?, place?)?;
            Some(body.id.clone())
        }
        None => (label != OTHER_BODIES).then(|| label.to_string()),
    }
}

/// `labels` with every body but the `max` most frequent (ties: by id) replaced by
/// [`OTHER_BODIES`].
fn most_frequent_bodies<'a>(labels: &[&'a str], max: usize) -> Vec<&'a str> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for &l in labels {
        *counts.entry(l).or_default() += 1;
    }
    if counts.len() <= max {
        return labels.to_vec();
    }
    let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
    ranked.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let kept: HashSet<&str> = ranked.iter().take(max).map(|&(l, _)| l).collect();
    labels
        .iter()
        .map(|&l| if kept.contains(l) { l } else { OTHER_BODIES })
        .collect()
}

/// The items of `xs` at `idx`.
fn pick<T: Copy>(xs: &[T], idx: &[usize]) -> Vec<T> {
    idx.iter().map(|&i| xs[i]).collect()
}

/// Which examples the measure holds out: those whose normalised text falls in one tenth of a
/// stable hash, so that every copy of a text is on the same side. Held out one example in ten,
/// a text sent by many (a campaign, a template) would be measured on copies of what the model
/// was trained on, and the accuracy would say more about memory than about new appeals.
fn held_out(texts: &[&str]) -> Vec<bool> {
    texts
        .iter()
        .map(|t| {
            // FNV-1a: the same split for the same data on any build.
            let h = tyndau_core::text::normalize(t)
                .bytes()
                .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
                });
            h % 10 == 9
        })
        .collect()
}

/// Trains on the examples not `held` and measures on the held ones (`held_out`), then trains
/// the served model on all of them. `train` trains on the examples at the given indices;
/// `right` says whether a model predicts example `i` right.
fn fit<M>(
    held: &[bool],
    train: impl Fn(&[usize]) -> Result<M, ModelError>,
    right: impl Fn(&M, usize) -> bool,
) -> Result<(M, Option<f64>), ModelError> {
    let n = held.len();
    let (test, rest): (Vec<usize>, Vec<usize>) = (0..n).partition(|&i| held[i]);
    let accuracy = if n >= 20 && !test.is_empty() && !rest.is_empty() {
        match train(&rest) {
            Ok(m) => {
                let hits = test.iter().filter(|&&i| right(&m, i)).count();
                Some(hits as f64 / test.len() as f64)
            }
            // The training part can lack what all of them have (the only categorised appeal of
            // the routing examples may be held out): no measure this time, the model is still
            // served.
            Err(ModelError::NoExamples) => None,
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    let all: Vec<usize> = (0..n).collect();
    Ok((train(&all)?, accuracy))
}

/// A model trained on a blocking thread, with its bytes for the database.
struct Fitted<M> {
    model: M,
    bytes: Vec<u8>,
    accuracy: Option<f64>,
    examples: usize,
    labels: usize,
    took: std::time::Duration,
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
    let (route_config, fine) = route_configs(state);
    let max_bodies = state.config.model_max_route_bodies;
    let reference = state.reference();
    let (cat_model, route_model) = tokio::task::spawn_blocking(move || {
        let started = std::time::Instant::now();
        let inputs: Vec<Input> = cat.iter().map(|e| Input::text(&e.text)).collect();
        let labels: Vec<&str> = cat.iter().map(|e| e.category_id.as_str()).collect();
        let n_labels = distinct(&labels);
        let cat_model = if cat.len() >= min && n_labels >= 2 {
            let texts: Vec<&str> = cat.iter().map(|e| e.text.as_str()).collect();
            let (model, accuracy) = fit(
                &held_out(&texts),
                |idx| Classifier::train(&pick(&inputs, idx), &pick(&labels, idx), &cat_config),
                |m, i| m.predict(&inputs[i]).label == labels[i],
            )?;
            Some(Fitted {
                bytes: model.to_bytes(),
                model,
                accuracy,
                examples: inputs.len(),
                labels: n_labels,
                took: started.elapsed(),
            })
        } else {
            None
        };

        let started = std::time::Instant::now();
        let places: Vec<(Option<String>, Option<String>)> = route
            .iter()
            .map(|e| (district_of(e.kato.as_deref()), e.kato.clone()))
            .collect();
        let inputs: Vec<Input> = route
            .iter()
            .zip(&places)
            .map(|(e, (d, k))| input(&e.text, d, k, e.lat.zip(e.lon)))
            .collect();
        let katos: Vec<Option<Kato>> = route
            .iter()
            .map(|e| e.kato.as_deref().and_then(|k| Kato::parse(k).ok()))
            .collect();
        let labels: Vec<String> = route
            .iter()
            .zip(&katos)
            .map(|(e, &place)| route_label(&reference, &e.org_id, place))
            .collect();
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let labels = most_frequent_bodies(&labels, max_bodies);
        let categories: Vec<Option<&str>> =
            route.iter().map(|e| e.category_id.as_deref()).collect();
        let n_labels = distinct(&labels);
        // Until some answered appeal has a category there is nothing to combine with: the
        // routing model waits (the one in service, if any, stays).
        let route_model =
            if route.len() >= min && n_labels >= 2 && categories.iter().any(Option::is_some) {
                let texts: Vec<&str> = route.iter().map(|e| e.text.as_str()).collect();
                let (model, accuracy) = fit(
                    &held_out(&texts),
                    |idx| {
                        CombinedClassifier::train(
                            &pick(&inputs, idx),
                            &pick(&labels, idx),
                            &pick(&categories, idx),
                            &route_config,
                            &fine.config,
                            fine.weight,
                            fine.by_district,
                        )
                    },
                    // Right when the label names the body that answered: the other bodies'
                    // class never is.
                    |m, i| {
                        resolve(&reference, m.predict(&inputs[i]).label, katos[i]).as_deref()
                            == Some(route[i].org_id.as_str())
                    },
                )?;
                Some(Fitted {
                    bytes: model.to_bytes(),
                    model,
                    accuracy,
                    examples: inputs.len(),
                    labels: n_labels,
                    took: started.elapsed(),
                })
            } else {
                None
            };
        anyhow::Ok((cat_model, route_model))
    })
    .await??;
    let mut reports = Vec::new();
    let mut next = Models {
        category: state.models().category.clone(),
        route: state.models().route.clone(),
        mark: Some(mark),
    };
    if let Some(f) = cat_model {
        next.category = Some(install(state, "category", f, &mut reports).await?);
    }
    if let Some(f) = route_model {
        next.route = Some(install(state, "route", f, &mut reports).await?);
    }
    state.set_models(next);
    Ok(Some(reports))
}

/// Stores a newly trained model as the next version of its kind and reports it.
async fn install<M>(
    state: &AppState,
    kind: &'static str,
    f: Fitted<M>,
    reports: &mut Vec<TrainReport>,
) -> anyhow::Result<Arc<Trained<M>>> {
    let (examples, labels) = (f.examples as i64, f.labels as i64);
    let version =
        tyndau_storage::models::save(&state.db, kind, examples, labels, f.accuracy, &f.bytes)
            .await?;
    reports.push(TrainReport {
        kind,
        version,
        examples,
        labels,
        accuracy: f.accuracy,
        seconds: f.took.as_secs_f64(),
    });
    Ok(Arc::new(Trained {
        model: f.model,
        version,
        trained_at: tyndau_storage::db::now_ms(),
        examples,
        labels,
        accuracy: f.accuracy,
    }))
}

fn distinct(labels: &[&str]) -> usize {
    labels.iter().collect::<HashSet<_>>().len()
}

/// Loads the persisted models (at start).
pub async fn load(state: &AppState) -> anyhow::Result<()> {
    let mark = tyndau_storage::models::data_mark(&state.db).await?;
    let mut unreadable = false;
    let category = load_one(state, "category", Classifier::from_bytes, &mut unreadable).await?;
    let route = load_one(
        state,
        "route",
        CombinedClassifier::from_bytes,
        &mut unreadable,
    )
    .await?;
    // Persisted models count as made from today's data: a restart does not retrain. A stored
    // model that did not load is due for retraining though nothing moved since.
    let loaded = category.is_some() || route.is_some();
    state.set_models(Models {
        category,
        route,
        mark: (loaded && !unreadable).then_some(mark),
    });
    Ok(())
}

/// The stored model of a kind. One that no longer loads (a format change, such as the single
/// routing models stored before the combined ones) is logged and left out, with `unreadable`
/// set: it is retrained, not a reason to stop.
async fn load_one<M>(
    state: &AppState,
    kind: &'static str,
    parse: fn(&[u8]) -> Result<M, ModelError>,
    unreadable: &mut bool,
) -> anyhow::Result<Option<Arc<Trained<M>>>> {
    let Some(m) = tyndau_storage::models::load(&state.db, kind).await? else {
        return Ok(None);
    };
    match parse(&m.bytes) {
        Ok(model) => Ok(Some(Arc::new(Trained {
            model,
            version: m.version,
            trained_at: m.trained_at,
            examples: m.examples,
            labels: m.labels,
            accuracy: m.accuracy,
        }))),
        Err(e) => {
            tracing::error!(model.kind = kind, error = %e, "a stored model does not load");
            *unreadable = true;
            Ok(None)
        }
    }
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

#[cfg(test)]
mod tests {
    use super::held_out;

    #[test]
    fn the_accuracy_is_measured_on_texts_the_model_was_not_trained_on() {
        // Each text three times, as a campaign sends it: differently cased and spaced.
        let texts: Vec<String> = (0..2000)
            .flat_map(|i| {
                [
                    format!("Нет отопления в доме {i}"),
                    format!("нет  отопления в доме {i}"),
                    format!("НЕТ ОТОПЛЕНИЯ В ДОМЕ {i}"),
                ]
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let held = held_out(&refs);
        for copies in held.chunks(3) {
            assert!(
                copies.iter().all(|&h| h == copies[0]),
                "the copies of one text are split: {copies:?}"
            );
        }
        let share = held.iter().filter(|&&h| h).count() as f64 / held.len() as f64;
        assert!((0.08..0.12).contains(&share), "held out {share}");
        assert_eq!(held, held_out(&refs), "the same split for the same data");
    }
}
