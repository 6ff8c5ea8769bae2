//! `/api/v1/accounts/{address}/employees`, invitations, and `/api/v1/invitations/accept`.

use super::extract::{Auth, InAccount, Json, Query};
use super::paging::next_page;
use crate::employees;
use crate::error::AppResult;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use lanyard_core::api::{
    Employee, InviteRequest, Problem, Status, TokenRequest, UpdateEmployeeRequest,
};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only employees with this status.
    status: Option<Status>,
    /// The `cursor` of the `Link: …; rel="next"` header of the previous page.
    cursor: Option<String>,
    /// Page size, 1–500 (default 100; others are clamped).
    #[param(format = Int64, minimum = 0, maximum = 4294967295_u64)]
    limit: Option<u32>,
}

/// The account's employees, a page at a time (`Link` header to the next page).
#[utoipa::path(get, path = "/api/v1/accounts/{address}/employees", tag = "employees", security(("bearer" = [])),
    params(("address" = String, Path), ListQuery),
    responses((status = 200, body = [Employee]), (status = 403, description = "`no_access`", body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    InAccount(caller): InAccount,
    Path(address): Path<String>,
    Query(query): Query<ListQuery>,
) -> AppResult<(HeaderMap, axum::Json<Vec<Employee>>)> {
    let (page, next) = employees::list(
        &state,
        &caller,
        &address,
        query.status,
        query.cursor.as_deref(),
        query.limit,
    )
    .await?;
    let status = query.status.map(|s| ("status", s.as_str()));
    Ok((
        next_page(
            &state,
            &format!("api/v1/accounts/{address}/employees"),
            next,
            query.limit,
            status,
        ),
        axum::Json(page),
    ))
}

/// Invite someone by email (administrators); the invitation mail carries the accept link.
#[utoipa::path(post, path = "/api/v1/accounts/{address}/invitations", tag = "employees", security(("bearer" = [])),
    params(("address" = String, Path)), request_body = InviteRequest,
    responses((status = 201, body = Employee),
        (status = 403, description = "`forbidden`, `no_access`", body = Problem),
        (status = 409, description = "`licence_limit`, `already_member`", body = Problem),
        (status = 429, description = "`rate_limited`", body = Problem)))]
pub async fn invite(
    State(state): State<AppState>,
    InAccount(caller): InAccount,
    Path(address): Path<String>,
    Json(request): Json<InviteRequest>,
) -> AppResult<(StatusCode, axum::Json<Employee>)> {
    let employee = employees::invite(&state, &caller, &address, &request).await?;
    Ok((StatusCode::CREATED, axum::Json(employee)))
}

/// Accept an invitation with the signed-in profile, whatever its login.
#[utoipa::path(post, path = "/api/v1/invitations/accept", tag = "employees", security(("bearer" = [])),
    request_body = TokenRequest,
    responses((status = 200, body = Employee),
        (status = 400, description = "`invalid_token`", body = Problem),
        (status = 409, description = "`licence_limit`, `already_member`", body = Problem)))]
pub async fn accept(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Json(request): Json<TokenRequest>,
) -> AppResult<axum::Json<Employee>> {
    employees::accept(&state, &caller, &request.token)
        .await
        .map(axum::Json)
}

/// Edit the contact email (administrators, or the employee).
#[utoipa::path(patch, path = "/api/v1/accounts/{address}/employees/{id}", tag = "employees", security(("bearer" = [])),
    params(("address" = String, Path), ("id" = String, Path)), request_body = UpdateEmployeeRequest,
    responses((status = 200, body = Employee), (status = 403, description = "`forbidden`", body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    InAccount(caller): InAccount,
    Path((address, id)): Path<(String, String)>,
    Json(request): Json<UpdateEmployeeRequest>,
) -> AppResult<axum::Json<Employee>> {
    employees::update(&state, &caller, &address, &id, &request)
        .await
        .map(axum::Json)
}

/// Delete an invitation that was not accepted (administrators).
#[utoipa::path(delete, path = "/api/v1/accounts/{address}/employees/{id}", tag = "employees", security(("bearer" = [])),
    params(("address" = String, Path), ("id" = String, Path)),
    responses((status = 204, description = "Deleted"),
        (status = 409, description = "`not_invited`, `has_tasks` (the detail names the tasks)", body = Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    InAccount(caller): InAccount,
    Path((address, id)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    employees::delete(&state, &caller, &address, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Dismiss an employee (administrators): no more sign-in, no seat, data kept.
#[utoipa::path(post, path = "/api/v1/accounts/{address}/employees/{id}/dismiss", tag = "employees", security(("bearer" = [])),
    params(("address" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = Employee),
        (status = 403, description = "`forbidden`", body = Problem),
        (status = 409, description = "`last_admin`", body = Problem)))]
pub async fn dismiss(
    State(state): State<AppState>,
    InAccount(caller): InAccount,
    Path((address, id)): Path<(String, String)>,
) -> AppResult<axum::Json<Employee>> {
    employees::dismiss(&state, &caller, &address, &id)
        .await
        .map(axum::Json)
}

/// Reinstate a dismissed employee (administrators), if the licence allows.
#[utoipa::path(post, path = "/api/v1/accounts/{address}/employees/{id}/reinstate", tag = "employees", security(("bearer" = [])),
    params(("address" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = Employee), (status = 409, description = "`licence_limit`", body = Problem)))]
pub async fn reinstate(
    State(state): State<AppState>,
    InAccount(caller): InAccount,
    Path((address, id)): Path<(String, String)>,
) -> AppResult<axum::Json<Employee>> {
    employees::reinstate(&state, &caller, &address, &id)
        .await
        .map(axum::Json)
}
