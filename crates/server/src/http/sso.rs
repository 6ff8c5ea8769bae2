//! Single sign-on: `/api/v1/accounts/{address}/sso*`, the provider's callback, and
//! `/api/v1/auth/exchange`.

use super::extract::{Auth, Json, Query};
use crate::error::AppResult;
use crate::sso;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Redirect;
use lanyard_core::api::{ExchangeRequest, Problem, SsoConfig, SsoSettings, Tokens};
use serde::Deserialize;
use utoipa::IntoParams;

/// Set the account's OpenID Connect provider (administrators).
#[utoipa::path(put, path = "/api/v1/accounts/{address}/sso", tag = "sso", security(("bearer" = [])),
    params(("address" = String, Path)), request_body = SsoConfig,
    responses((status = 200, body = SsoSettings),
        (status = 403, description = "`forbidden`, `no_access`", body = Problem),
        (status = 422, description = "`invalid_input`: the issuer does not answer", body = Problem)))]
pub async fn configure(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(address): Path<String>,
    Json(config): Json<SsoConfig>,
) -> AppResult<axum::Json<SsoSettings>> {
    sso::configure(&state, &caller, &address, &config)
        .await
        .map(axum::Json)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct StartQuery {
    /// The desktop's loopback address: `http://127.0.0.1:<any port>/…` (RFC 8252).
    redirect_uri: String,
    /// The desktop's PKCE challenge (S256).
    code_challenge: String,
    /// Sent back unchanged with the code.
    #[serde(default)]
    state: String,
}

/// Start single sign-on in the system browser: 302 to the account's provider.
#[utoipa::path(get, path = "/api/v1/accounts/{address}/sso/start", tag = "sso",
    params(("address" = String, Path), StartQuery),
    responses((status = 302, description = "To the provider"),
        (status = 404, description = "`not_found`: no such account, or no provider set", body = Problem),
        (status = 422, description = "`invalid_input`: not a loopback redirect, or no S256 challenge", body = Problem)))]
pub async fn start(
    State(state): State<AppState>,
    Path(address): Path<String>,
    Query(query): Query<StartQuery>,
) -> AppResult<Redirect> {
    let url = sso::start(
        &state,
        &address,
        &query.redirect_uri,
        &query.code_challenge,
        &query.state,
    )
    .await?;
    Ok(Redirect::to(url.as_str()))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CallbackQuery {
    state: String,
    code: Option<String>,
    error: Option<String>,
}

/// Where the provider sends the browser back: 302 on to the desktop's loopback address with a
/// one-time `code` (or `error`, `error_code` and `error_description`) and its `state`.
#[utoipa::path(get, path = "/api/v1/sso/callback", tag = "sso", params(CallbackQuery),
    responses((status = 302, description = "To the desktop"),
        (status = 400, description = "`invalid_token`: unknown or expired sign-in", body = Problem)))]
pub async fn callback(
    State(state): State<AppState>,
    Query(query): Query<CallbackQuery>,
) -> AppResult<Redirect> {
    let url = sso::callback(
        &state,
        &query.state,
        query.code.as_deref(),
        query.error.as_deref(),
    )
    .await?;
    Ok(Redirect::to(url.as_str()))
}

/// Trade the one-time code and the PKCE verifier for a session.
#[utoipa::path(post, path = "/api/v1/auth/exchange", tag = "sso", request_body = ExchangeRequest,
    responses((status = 200, body = Tokens), (status = 400, description = "`invalid_token`", body = Problem)))]
pub async fn exchange(
    State(state): State<AppState>,
    Json(request): Json<ExchangeRequest>,
) -> AppResult<axum::Json<Tokens>> {
    sso::exchange(&state, &request.code, &request.code_verifier)
        .await
        .map(axum::Json)
}
