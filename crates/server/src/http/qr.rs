//! `/api/v1/qr*`: QR sign-in.

use super::extract::{Auth, ClientIp, Json};
use crate::error::AppResult;
use crate::qr;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use lanyard_core::api::{Problem, QrApproval, QrCreated, QrDetails, QrPoll, QrRequest, Tokens};

/// Start a QR sign-in (the desktop). The code lives 60 seconds.
#[utoipa::path(post, path = "/api/v1/qr", tag = "qr", request_body = QrRequest,
    responses((status = 201, body = QrCreated), (status = 429, description = "`rate_limited`", body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    headers: axum::http::HeaderMap,
    Json(request): Json<QrRequest>,
) -> AppResult<(StatusCode, axum::Json<QrCreated>)> {
    let user_agent = headers
        .get(axum::http::header::USER_AGENT)
        .and_then(|value| value.to_str().ok());
    let created = qr::create(&state, &client, user_agent, &request).await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

/// Which device asks (the signed-in approver).
#[utoipa::path(get, path = "/api/v1/qr/{id}", tag = "qr", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = QrDetails),
        (status = 404, description = "`not_found`", body = Problem),
        (status = 410, description = "`expired`", body = Problem)))]
pub async fn details(
    State(state): State<AppState>,
    Auth(_): Auth,
    Path(id): Path<String>,
) -> AppResult<axum::Json<QrDetails>> {
    qr::details(&state, &id).await.map(axum::Json)
}

/// Approve with the number the desktop shows (the signed-in approver).
#[utoipa::path(post, path = "/api/v1/qr/{id}/approve", tag = "qr", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = QrApproval,
    responses((status = 204, description = "Approved"),
        (status = 403, description = "`wrong_number` (the request is cancelled), `no_access`", body = Problem),
        (status = 410, description = "`expired`", body = Problem)))]
pub async fn approve(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    Json(approval): Json<QrApproval>,
) -> AppResult<StatusCode> {
    qr::approve(&state, &caller, &id, &approval).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Deny (the signed-in approver).
#[utoipa::path(post, path = "/api/v1/qr/{id}/deny", tag = "qr", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 204, description = "Denied"), (status = 410, description = "`expired`", body = Problem)))]
pub async fn deny(
    State(state): State<AppState>,
    Auth(_): Auth,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    qr::deny(&state, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Wait for the approval (the desktop): 202 while pending, the session once approved.
#[utoipa::path(post, path = "/api/v1/qr/{id}/poll", tag = "qr",
    params(("id" = String, Path)), request_body = QrPoll,
    responses((status = 200, body = Tokens), (status = 202, description = "Still pending"),
        (status = 401, description = "`invalid_token`", body = Problem),
        (status = 410, description = "`expired`: expired, denied, cancelled or already used", body = Problem),
        (status = 429, description = "`rate_limited`", body = Problem)))]
pub async fn poll(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Json(poll): Json<QrPoll>,
) -> AppResult<Response> {
    Ok(match qr::poll(&state, &id, &poll).await? {
        Some(tokens) => axum::Json(tokens).into_response(),
        None => StatusCode::ACCEPTED.into_response(),
    })
}
