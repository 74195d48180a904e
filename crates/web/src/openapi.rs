//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use crate::api::{
    analytics, appeals, auth, learning, petitions, reference, similarity, statistics, transparency,
};
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(title = "Tyndau API", version = "1", description = "Appeals one-window of the Listening State: submit, route, answer, rate and complain about citizens' appeals, within the statutory deadlines of the Republic of Kazakhstan.\n\nAuthenticate with `POST /api/v1/auth/login` (or `/auth/register` for a citizen) and send the returned token as `Authorization: Bearer <token>`. Errors are `application/problem+json` documents with a stable `code`."),
    paths(
        auth::login, auth::logout, auth::register, auth::me, auth::create_token, auth::notifications, auth::create_staff,
        appeals::submit, appeals::list, appeals::get, appeals::events, appeals::notifications,
        appeals::assign, appeals::forward, appeals::extend, appeals::answer, appeals::rate, appeals::complain,
        appeals::close, appeals::leave, appeals::escalate,
        reference::organisations, reference::categories, reference::territories, reference::calendar,
        reference::put_calendar_day, reference::delete_calendar_day, reference::audit,
        petitions::create, petitions::list, petitions::get, petitions::edit, petitions::events, petitions::submit,
        petitions::take, petitions::admit, petitions::reject, petitions::working_group, petitions::decide,
        petitions::close, petitions::sign, petitions::signatures, petitions::paper, petitions::trending,
        petitions::invalidate, petitions::invalidations, petitions::restore, petitions::comments,
        petitions::add_comment, petitions::report_comment, petitions::moderate_comment, petitions::subjects,
        petitions::put_subject, petitions::delete_subject, petitions::moderation_queue, petitions::my_signatures,
        petitions::open_petitions, petitions::open_daily,
        statistics::statistics, statistics::appeal_statistics_csv, statistics::serial_applicants, statistics::serial_applicant,
        similarity::similar, similarity::answer_group, similarity::campaigns,
        transparency::transparency,
        analytics::hotspots, analytics::hotspot_appeals, analytics::sensitive, analytics::list_terms,
        analytics::create_term, analytics::delete_term, analytics::hidden_services,
        analytics::list_services, analytics::create_service, analytics::delete_service,
        learning::suggest, learning::classify, learning::models, learning::retrain,
    ),
    components(schemas(crate::error::Problem)),
    modifiers(&BearerAuth),
    tags((name = "appeals", description = "The appeal lifecycle"), (name = "petitions", description = "Online petitions: filing, moderation, signing, review, decision"), (name = "open data"), (name = "analytics", description = "Listening analytics for supervisors: hotspots, sensitive appeals, campaigns, serial applicants"), (name = "auth"), (name = "reference"), (name = "admin"))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let c = openapi.components.get_or_insert_with(Default::default);
        c.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        openapi.security = Some(vec![utoipa::openapi::security::SecurityRequirement::new(
            "bearer",
            Vec::<String>::new(),
        )]);
    }
}

pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

pub async fn serve() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(document())
}
