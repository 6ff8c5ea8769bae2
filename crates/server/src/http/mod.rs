//! The HTTP edge: routes, the OpenAPI document generated from the handlers, and the
//! problem-document fallbacks. Handlers only extract, call one function and map the answer.

mod accounts;
mod auth;
mod employees;
mod events;
mod extract;
pub mod hosts;
pub mod language;
mod me;
mod pages;
mod paging;
mod phone;
mod photos;
mod problems;
mod qr;
mod sso;
mod tasks;

use crate::error::AppError;
use crate::state::AppState;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use lanyard_core::Code;
use tower_http::trace::TraceLayer;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Request bodies larger than this are refused with 413.
pub const BODY_LIMIT: usize = 64 * 1024;

#[derive(OpenApi)]
#[openapi(
    info(title = "Lanyard API", version = "1", description = "Profiles, accounts and sessions of Lanyard."),
    modifiers(&BearerAuth),
    tags((name = "auth", description = "Registration, sign-in and recovery"),
         (name = "profile", description = "The signed-in profile"),
         (name = "accounts", description = "Company accounts"),
         (name = "employees", description = "Employees and invitations"),
         (name = "tasks", description = "An account's shared tasks"),
         (name = "qr", description = "Signing in a desktop by a QR code approved from a phone"),
         (name = "sso", description = "Single sign-on through an account's OpenID Connect provider"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

pub fn router(state: AppState) -> Router {
    let (api, mut openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::register))
        .routes(routes!(auth::verify_email))
        .routes(routes!(auth::verify_phone))
        .routes(routes!(auth::login))
        .routes(routes!(auth::refresh))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::password_recovery))
        .routes(routes!(auth::password_reset))
        .routes(routes!(me::get_me, me::update_me, me::delete_me))
        .routes(routes!(me::change_password))
        .routes(routes!(me::change_email))
        .routes(routes!(me::confirm_email))
        .routes(routes!(me::change_phone))
        .routes(routes!(me::confirm_phone))
        .routes(routes!(me::list_sessions))
        .routes(routes!(me::revoke_session))
        .routes(routes!(events::stream))
        .routes(routes!(photos::upload, photos::remove))
        .routes(routes!(photos::serve))
        .routes(routes!(accounts::mine))
        .routes(routes!(accounts::create))
        .routes(routes!(accounts::get, accounts::update))
        .routes(routes!(employees::list))
        .routes(routes!(employees::invite))
        .routes(routes!(employees::accept))
        .routes(routes!(employees::update, employees::delete))
        .routes(routes!(employees::dismiss))
        .routes(routes!(employees::reinstate))
        .routes(routes!(tasks::list, tasks::create))
        .routes(routes!(tasks::update, tasks::delete))
        .routes(routes!(qr::create))
        .routes(routes!(qr::details))
        .routes(routes!(qr::approve))
        .routes(routes!(qr::deny))
        .routes(routes!(qr::poll))
        .routes(routes!(sso::configure))
        .routes(routes!(sso::start))
        .routes(routes!(sso::callback))
        .routes(routes!(sso::exchange))
        .routes(routes!(sso::start_social))
        .routes(routes!(sso::social_providers))
        .routes(routes!(sso::connect))
        .routes(routes!(sso::link))
        .routes(routes!(sso::unlink))
        .split_for_parts();
    problems::document(&mut openapi);
    let routes = api
        .route(
            "/api/v1/openapi.json",
            get(move || async move { Json(openapi) }),
        )
        .route("/healthz", get(healthz))
        .merge(pages::router())
        .method_not_allowed_fallback(|| async {
            AppError::request(
                StatusCode::METHOD_NOT_ALLOWED,
                Code::MethodNotAllowed,
                "Method not allowed here",
            )
        });
    edge(routes, state)
}

/// What a phone on the computer's network reaches while the desktop shares its server
/// (`sharing`): the QR approval page and the calls it makes (`phone::routes`). Any other
/// path, or another method on one of these, is 404 `not_found`, as if it were not there.
pub fn phone_router(state: AppState) -> Router {
    let routes = phone::routes().route("/healthz", get(healthz));
    edge(routes.method_not_allowed_fallback(not_found), state)
}

async fn not_found() -> AppError {
    AppError::request(StatusCode::NOT_FOUND, Code::NotFound, "No such endpoint")
}

/// The layers every listener's requests go through: the 404 fallback, the body limit, the
/// `Host` check, failure logging, the problem document's language and the request's span.
fn edge(routes: Router<AppState>, state: AppState) -> Router {
    routes
    .fallback(not_found)
    .layer(DefaultBodyLimit::max(BODY_LIMIT))
    .layer(axum::middleware::from_fn_with_state(state.clone(), hosts::check))
    .layer(axum::middleware::from_fn(crate::error::log_failures))
    .layer(axum::middleware::from_fn(language::localise))
    // Spans name the path only: mailed links carry their token in the query string.
    .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::extract::Request| {
        tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
    }))
    .with_state(state)
}

async fn healthz(State(state): State<AppState>) -> Result<&'static str, AppError> {
    state.db.ping().await?;
    Ok("ok")
}
