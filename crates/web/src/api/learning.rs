//! The models trained in the server, through the API: suggestions for a text, the advice shown
//! to the official handling an appeal (category and competent body, the routing rules beside
//! the learned routing), officials' confirmations and corrections of the category (training
//! examples), and the models' status and retraining.

use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use tyndau_core::ids::Kato;
use tyndau_storage::appeals::AppealRow;
use utoipa::ToSchema;

use crate::api::appeals::GeoPoint;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Auth, Json};
use crate::learning::{Suggestion, TrainReport, Trained};
use crate::state::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuggestRequest {
    pub text: String,
    pub kato: Option<String>,
    pub location: Option<GeoPoint>,
}

/// What the models and the routing rules say about an appeal.
#[derive(Serialize, ToSchema)]
pub struct Advice {
    #[serde(flatten)]
    pub suggestion: Suggestion,
    /// The body the explicit routing rules give for the appeal's category and place (for a
    /// text alone: the suggested category when confident, else `other.other`, as registration
    /// would file it).
    pub rule_org_id: Option<String>,
    /// The body to send it to: the learned one when the routing model is confident and
    /// disagrees with the rules, else the rules'.
    pub advised_org_id: Option<String>,
    /// "rules", "model" or "both" (they agree).
    pub advised_by: &'static str,
}

/// Combines the learned routing with the explicit rules for a category at a place.
pub fn advise(
    state: &AppState,
    text: &str,
    category_id: Option<&str>,
    kato: Option<&str>,
    point: Option<(f64, f64)>,
) -> Advice {
    let suggestion = crate::learning::suggest(state, text, kato, point);
    let reference = state.reference();
    // Without the appeal's category, the one registration would file the text under: the
    // suggested one only when confident, else the unclassified one; so the rules' body here is
    // the body the appeal would go to.
    let category = category_id
        .or(suggestion
            .category
            .as_ref()
            .filter(|s| s.confident)
            .map(|s| s.id.as_str()))
        .or(Some(crate::learning::UNCLASSIFIED))
        .and_then(|c| reference.categories.get(c));
    let rule_org_id = category.and_then(|c| {
        reference
            .route(c, kato.and_then(|k| Kato::parse(k).ok()))
            .map(|r| r.org_id.clone())
    });
    let model = suggestion
        .org
        .as_ref()
        .filter(|s| s.confident && reference.orgs.contains_key(&s.id));
    let (advised_org_id, advised_by) = match (&rule_org_id, model) {
        (Some(r), Some(m)) if *r == m.id => (Some(r.clone()), "both"),
        (_, Some(m)) => (Some(m.id.clone()), "model"),
        (r, None) => (r.clone(), "rules"),
    };
    Advice {
        suggestion,
        rule_org_id,
        advised_org_id,
        advised_by,
    }
}

/// The advice for an appeal as it stands.
pub fn advise_appeal(state: &AppState, row: &AppealRow) -> Advice {
    advise(
        state,
        &row.text,
        Some(&row.category_id),
        row.kato.as_deref(),
        row.lat.zip(row.lon),
    )
}

/// The category and competent body the models suggest for a text at a place, with their
/// confidence, beside the routing rules' body.
#[utoipa::path(post, path = "/api/v1/analytics/suggest", tag = "analytics", request_body = SuggestRequest,
    responses((status = 200, body = Advice), (status = 401, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn suggest(
    State(state): State<AppState>,
    _auth: Auth,
    Json(req): Json<SuggestRequest>,
) -> ApiResult<axum::Json<Advice>> {
    if req.text.trim().is_empty() {
        return Err(ApiError::invalid(
            "missing_field",
            "text",
            "the text must not be empty",
        ));
    }
    if req.text.chars().count() > state.config.max_text_chars {
        return Err(ApiError::invalid(
            "text_too_long",
            "text",
            "the text is too long",
        ));
    }
    // Checked as registration checks them, so a suggestion is never made for a place an appeal
    // could not name.
    let kato = match req.kato.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => {
            let k = Kato::parse(k).map_err(|_| {
                ApiError::invalid("invalid_kato", "kato", "a KATO code is nine digits")
            })?;
            if !state.reference().territories.contains_key(&k) {
                return Err(ApiError::invalid(
                    "unknown_territory",
                    "kato",
                    format!("no territory with KATO code {k}"),
                ));
            }
            Some(k.code())
        }
        None => None,
    };
    crate::api::appeals::check_location(req.location)?;
    Ok(axum::Json(advise(
        &state,
        &req.text,
        None,
        kato.as_deref(),
        req.location.map(|p| (p.lat, p.lon)),
    )))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyRequest {
    /// The appeal's category as the official finds it: the same confirms it, another corrects it.
    pub category_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct Classified {
    pub id: String,
    pub category_id: String,
    pub confirmed: bool,
}

pub(crate) async fn classify_appeal(
    state: &AppState,
    auth: &Auth,
    id: &str,
    category_id: &str,
) -> ApiResult<Classified> {
    let (row, confirmed) = tyndau_storage::models::classify(
        &state.db,
        &state.reference(),
        &state.settings,
        &auth.principal,
        id,
        category_id,
    )
    .await?;
    Ok(Classified {
        id: row.id,
        confirmed,
        category_id: row.category_id,
    })
}

/// The official handling an appeal confirms or corrects its category; each is a training
/// example of the category classifier, and a correction moves the statistics.
#[utoipa::path(post, path = "/api/v1/appeals/{id}/category", tag = "appeals", request_body = ClassifyRequest,
    responses((status = 200, body = Classified), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn classify(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Json(req): Json<ClassifyRequest>,
) -> ApiResult<axum::Json<Classified>> {
    Ok(axum::Json(
        classify_appeal(&state, &auth, &id, &req.category_id).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ModelStatus {
    pub kind: &'static str,
    pub version: i64,
    pub trained_at: String,
    pub examples: i64,
    pub labels: i64,
    pub accuracy: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct ModelsView {
    pub models: Vec<ModelStatus>,
    pub confidence_threshold: f32,
}

fn status<M>(kind: &'static str, t: &Trained<M>) -> ModelStatus {
    ModelStatus {
        kind,
        version: t.version,
        trained_at: crate::api::time(t.trained_at),
        examples: t.examples,
        labels: t.labels,
        accuracy: t.accuracy,
    }
}

pub(crate) fn models_view(state: &AppState) -> ModelsView {
    let m = state.models();
    let models = [
        m.category.as_deref().map(|t| status("category", t)),
        m.route.as_deref().map(|t| status("route", t)),
    ]
    .into_iter()
    .flatten()
    .collect();
    ModelsView {
        models,
        confidence_threshold: state.config.category_confidence_threshold,
    }
}

/// The models in service: version, when trained, on how many examples, accuracy on texts held
/// out of training.
#[utoipa::path(get, path = "/api/v1/admin/models", tag = "analytics",
    responses((status = 200, body = ModelsView), (status = 403, body = crate::error::Problem)))]
pub async fn models(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<axum::Json<ModelsView>> {
    crate::api::analytics::require_reference_reader(&auth, "the model status")?;
    Ok(axum::Json(models_view(&state)))
}

/// Retrains both models now (administrators); the server keeps serving meanwhile.
#[utoipa::path(post, path = "/api/v1/admin/models/retrain", tag = "analytics",
    responses((status = 200, body = Vec<TrainReport>), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn retrain(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<axum::Json<Vec<TrainReport>>> {
    crate::api::analytics::require_maintainer(&auth, "the models")?;
    let Some(reports) = crate::learning::retrain(&state, true, false).await? else {
        return Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "training_in_progress",
            "a training is running; try again when it has finished",
        ));
    };
    tyndau_storage::users::write_audit(
        &state.db,
        &auth.user.id,
        auth.user.role,
        "models_retrained",
        "models",
        "category,route",
        Some(
            &reports
                .iter()
                .map(|r| format!("{} v{} on {} examples", r.kind, r.version, r.examples))
                .collect::<Vec<_>>()
                .join("; "),
        ),
    )
    .await?;
    Ok(axum::Json(reports))
}
