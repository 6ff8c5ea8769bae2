//! Single sign-on: `/api/v1/accounts/{address}/sso*`, the provider's callback, and
//! `/api/v1/auth/exchange`.

use super::extract::{Auth, ClientIp, InAccount, Json, Query};
use crate::error::AppResult;
use crate::sso;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Redirect;
use lanyard_core::api::{
    BrowserStart, ExchangeRequest, LinkRequest, LoopbackStart, Problem, Profile,
    SocialProviderInfo, SsoConfig, SsoSettings, Tokens,
};
use serde::Deserialize;
use utoipa::IntoParams;

/// Set the account's OpenID Connect provider (administrators).
#[utoipa::path(put, path = "/api/v1/accounts/{address}/sso", tag = "sso", security(("bearer" = [])),
    params(("address" = String, Path)), request_body = SsoConfig,
    responses((status = 200, body = SsoSettings),
        (status = 403, description = "`forbidden`, `no_access`", body = Problem),
        (status = 422, description = "`issuer_not_allowed`: not `https`, or an address the operator did not allow; \
            `issuer_unreachable`: the provider did not answer as an OpenID provider (one text for every cause)", body = Problem),
        (status = 429, description = "`rate_limited`", body = Problem)))]
pub async fn configure(
    State(state): State<AppState>,
    InAccount(caller): InAccount,
    Path(address): Path<String>,
    Json(config): Json<SsoConfig>,
) -> AppResult<axum::Json<SsoSettings>> {
    sso::configure(&state, &caller, &address, &config)
        .await
        .map(axum::Json)
}

/// Start single sign-on in the system browser: 302 to the account's provider.
#[utoipa::path(get, path = "/api/v1/accounts/{address}/sso/start", tag = "sso",
    params(("address" = String, Path), LoopbackStart),
    responses((status = 302, description = "To the provider"),
        (status = 404, description = "`not_found`: no such account, or no provider set", body = Problem),
        (status = 422, description = "`invalid_input`: not a loopback redirect, or no S256 challenge", body = Problem),
        (status = 429, description = "`rate_limited`", body = Problem)))]
pub async fn start(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Path(address): Path<String>,
    Query(desktop): Query<LoopbackStart>,
) -> AppResult<Redirect> {
    let url = sso::start(&state, &client, &address, &desktop).await?;
    Ok(Redirect::to(url.as_str()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallbackQuery {
    #[param(min_length = 1)]
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
    responses((status = 200, body = Tokens), (status = 400, description = "`invalid_token`", body = Problem),
        (status = 409, description = "`link_required`, with `link_token` and `email`", body = Problem)))]
pub async fn exchange(
    State(state): State<AppState>,
    Json(request): Json<ExchangeRequest>,
) -> AppResult<axum::Json<Tokens>> {
    sso::exchange(&state, &request.code, &request.code_verifier)
        .await
        .map(axum::Json)
}

/// Start a social sign-in in the system browser: 302 to the configured provider.
#[utoipa::path(get, path = "/api/v1/auth/social/{provider}/start", tag = "sso",
    params(("provider" = String, Path), LoopbackStart, SocialTarget),
    responses((status = 302, description = "To the provider"),
        (status = 404, description = "`not_found`: no such provider configured", body = Problem),
        (status = 422, description = "`invalid_input`: not a loopback redirect, or no S256 challenge", body = Problem),
        (status = 429, description = "`rate_limited`", body = Problem)))]
pub async fn start_social(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Path(provider): Path<String>,
    Query(desktop): Query<LoopbackStart>,
    Query(target): Query<SocialTarget>,
) -> AppResult<Redirect> {
    let account = target.account.as_deref();
    let url = sso::start_social(&state, &client, &provider, account, &desktop).await?;
    Ok(Redirect::to(url.as_str()))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SocialTarget {
    /// Sign in to this account (an address) rather than to the profile alone: the session is
    /// the account's, and a profile that is not an active employee there gets `no_access`.
    #[serde(default)]
    #[param(pattern = "^[a-z0-9-]{3,40}$")]
    account: Option<String>,
}

/// The social sign-in providers this server is configured with.
#[utoipa::path(get, path = "/api/v1/auth/social", tag = "sso",
    responses((status = 200, body = [SocialProviderInfo])))]
pub async fn social_providers(
    State(state): State<AppState>,
) -> axum::Json<Vec<SocialProviderInfo>> {
    axum::Json(
        state
            .social
            .iter()
            .map(|provider| SocialProviderInfo {
                name: provider.name.clone(),
            })
            .collect(),
    )
}

/// Link the identity of a `link_required` answer to the profile the person proves: the one
/// whose login the answer's `email` is, or (when the answer had no email) the one `login` names,
/// with that profile's password.
#[utoipa::path(post, path = "/api/v1/me/social/link", tag = "sso", request_body = LinkRequest,
    responses((status = 200, body = Profile),
        (status = 400, description = "`invalid_token`", body = Problem),
        (status = 403, description = "`invalid_credentials`", body = Problem),
        (status = 409, description = "`identity_taken`", body = Problem),
        (status = 422, description = "`invalid_input`: no login given where one is needed", body = Problem),
        (status = 429, description = "`rate_limited`", body = Problem)))]
pub async fn link(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Json(request): Json<LinkRequest>,
) -> AppResult<axum::Json<Profile>> {
    sso::link(
        &state,
        &client,
        &request.link_token,
        request.login.as_deref(),
        &request.password,
    )
    .await
    .map(axum::Json)
}

/// Disconnect the profile's identity at a provider.
#[utoipa::path(delete, path = "/api/v1/me/social/{provider}", tag = "sso", security(("bearer" = [])),
    params(("provider" = String, Path)),
    responses((status = 204, description = "Disconnected"),
        (status = 404, description = "`not_found`", body = Problem),
        (status = 409, description = "`last_login`: the profile's only way to sign in", body = Problem)))]
pub async fn unlink(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(provider): Path<String>,
) -> AppResult<StatusCode> {
    sso::unlink(&state, &caller, &provider).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Connect a provider's identity to the signed-in profile (the profile page): answers where to
/// open the system browser; when it comes back to the loopback address, the identity is
/// this profile's, and the one-time code there trades for a session like a sign-in's.
#[utoipa::path(post, path = "/api/v1/me/social/{provider}/connect", tag = "sso", security(("bearer" = [])),
    params(("provider" = String, Path)), request_body = LoopbackStart,
    responses((status = 200, body = BrowserStart),
        (status = 404, description = "`not_found`: no such provider configured", body = Problem),
        (status = 422, description = "`invalid_input`: not a loopback redirect, or no S256 challenge", body = Problem),
        (status = 429, description = "`rate_limited`", body = Problem)))]
pub async fn connect(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(provider): Path<String>,
    Json(desktop): Json<LoopbackStart>,
) -> AppResult<axum::Json<BrowserStart>> {
    let url = sso::start_connect(&state, &caller, &provider, &desktop).await?;
    Ok(axum::Json(BrowserStart {
        url: url.to_string(),
    }))
}
