//! Every route of the server, in one place.

use crate::api::{appeals, auth, reference};
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post, put};

pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/openapi.json", get(crate::openapi::serve))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/register", post(auth::register))
        .route("/me", get(auth::me))
        .route("/me/tokens", post(auth::create_token))
        .route("/me/notifications", get(auth::notifications))
        .route("/appeals", post(appeals::submit).get(appeals::list))
        .route("/appeals/{id}", get(appeals::get))
        .route("/appeals/{id}/events", get(appeals::events))
        .route("/appeals/{id}/notifications", get(appeals::notifications))
        .route("/appeals/{id}/assign", post(appeals::assign))
        .route("/appeals/{id}/forward", post(appeals::forward))
        .route("/appeals/{id}/extend", post(appeals::extend))
        .route("/appeals/{id}/answer", post(appeals::answer))
        .route("/appeals/{id}/rate", post(appeals::rate))
        .route("/appeals/{id}/complain", post(appeals::complain))
        .route("/appeals/{id}/close", post(appeals::close))
        .route(
            "/appeals/{id}/leave-without-consideration",
            post(appeals::leave),
        )
        .route("/appeals/{id}/escalate", post(appeals::escalate))
        .route("/organisations", get(reference::organisations))
        .route("/categories", get(reference::categories))
        .route("/territories", get(reference::territories))
        .route("/calendar", get(reference::calendar))
        .route(
            "/admin/calendar/{date}",
            put(reference::put_calendar_day).delete(reference::delete_calendar_day),
        )
        .route("/admin/users", post(auth::create_staff))
        .route("/audit", get(reference::audit))
        .fallback(not_found);
    Router::new()
        .route("/health", get(health))
        .nest("/api/v1", api)
        .with_state(state)
}

/// The trivial endpoint: benchmarks quote every figure beside this one's.
async fn health() -> &'static str {
    "ok"
}

async fn not_found() -> crate::error::ApiError {
    crate::error::ApiError::not_found("route_not_found", "no such API route")
}
