//! `/api/v1/accounts` and `/api/v1/me/accounts`.

use super::extract::{Auth, InAccount, Json};
use crate::accounts;
use crate::error::AppResult;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use lanyard_core::api::{Account, CreateAccountRequest, MyAccount, Problem, UpdateAccountRequest};

/// Create an account; the caller becomes its first administrator.
#[utoipa::path(post, path = "/api/v1/accounts", tag = "accounts", security(("bearer" = [])), request_body = CreateAccountRequest,
    responses((status = 201, body = Account),
        (status = 409, description = "`address_taken`, `account_limit` (the 8th account one profile creates)", body = Problem),
        (status = 422, description = "`invalid_address`", body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Json(request): Json<CreateAccountRequest>,
) -> AppResult<(StatusCode, axum::Json<Account>)> {
    let account = accounts::create(&state, &caller, &request).await?;
    Ok((StatusCode::CREATED, axum::Json(account)))
}

/// The account at an address, current or former (members only).
#[utoipa::path(get, path = "/api/v1/accounts/{address}", tag = "accounts", security(("bearer" = [])),
    params(("address" = String, Path)),
    responses((status = 200, body = Account),
        (status = 403, description = "`no_access`", body = Problem),
        (status = 404, description = "`not_found`", body = Problem)))]
pub async fn get(
    State(state): State<AppState>,
    InAccount(caller): InAccount,
    Path(address): Path<String>,
) -> AppResult<axum::Json<Account>> {
    accounts::get(&state, &caller, &address)
        .await
        .map(axum::Json)
}

/// Rename the account or change its address (administrators).
#[utoipa::path(patch, path = "/api/v1/accounts/{address}", tag = "accounts", security(("bearer" = [])),
    params(("address" = String, Path)), request_body = UpdateAccountRequest,
    responses((status = 200, body = Account),
        (status = 403, description = "`forbidden`, `no_access`", body = Problem),
        (status = 409, description = "`rename_limit`, `address_taken`", body = Problem),
        (status = 422, description = "`invalid_address`", body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    InAccount(caller): InAccount,
    Path(address): Path<String>,
    Json(request): Json<UpdateAccountRequest>,
) -> AppResult<axum::Json<Account>> {
    accounts::update(&state, &caller, &address, &request)
        .await
        .map(axum::Json)
}

/// The profile's accounts, and invitations waiting for its login email.
#[utoipa::path(get, path = "/api/v1/me/accounts", tag = "profile", security(("bearer" = [])),
    responses((status = 200, body = [MyAccount])))]
pub async fn mine(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> AppResult<axum::Json<Vec<MyAccount>>> {
    accounts::mine(&state, &caller).await.map(axum::Json)
}
