//! `/api/v1/me*`: the signed-in profile, its password, login email and phone, and sessions.

use super::extract::{Auth, Json, OwnProfile, optional_json};
use crate::error::AppResult;
use crate::state::AppState;
use crate::{profile, signin};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use lanyard_core::api::{
    Accepted, ChangeEmailRequest, ChangePasswordRequest, ChangePhoneRequest, ConfirmPhoneRequest,
    DeleteProfileRequest, Problem, Profile, Session, TokenRequest, UpdateProfileRequest,
};

/// The signed-in profile.
#[utoipa::path(get, path = "/api/v1/me", tag = "profile", security(("bearer" = [])),
    responses((status = 200, body = Profile), (status = 401, description = "`unauthorized`", body = Problem)))]
pub async fn get_me(OwnProfile(profile): OwnProfile) -> axum::Json<Profile> {
    axum::Json(profile)
}

/// Edit names and photo.
#[utoipa::path(patch, path = "/api/v1/me", tag = "profile", security(("bearer" = [])), request_body = UpdateProfileRequest,
    responses((status = 200, body = Profile), (status = 422, description = "`invalid_input`", body = Problem)))]
pub async fn update_me(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Json(request): Json<UpdateProfileRequest>,
) -> AppResult<axum::Json<Profile>> {
    profile::update(&state, &caller, request)
        .await
        .map(axum::Json)
}

/// Delete the profile.
#[utoipa::path(delete, path = "/api/v1/me", tag = "profile", security(("bearer" = [])), request_body = DeleteProfileRequest,
    responses((status = 204, description = "Deleted"),
        (status = 403, description = "`invalid_credentials`", body = Problem),
        (status = 409, description = "`accounts_linked`", body = Problem),
        (status = 429, description = "`rate_limited`", body = Problem)))]
pub async fn delete_me(
    State(state): State<AppState>,
    Auth(caller): Auth,
    body: axum::body::Bytes,
) -> AppResult<StatusCode> {
    let request: DeleteProfileRequest = optional_json(&body)?;
    profile::delete(&state, &caller, request.current_password.as_ref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Change the password; every other session is signed out.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "profile", security(("bearer" = [])), request_body = ChangePasswordRequest,
    responses((status = 204, description = "Changed"),
        (status = 403, description = "`invalid_credentials`", body = Problem),
        (status = 422, description = "`weak_password`", body = Problem),
        (status = 429, description = "`rate_limited`", body = Problem)))]
pub async fn change_password(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Json(request): Json<ChangePasswordRequest>,
) -> AppResult<StatusCode> {
    profile::change_password(&state, &caller, &request).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ask to change the login email; a confirmation link goes to the new address.
#[utoipa::path(post, path = "/api/v1/me/email", tag = "profile", security(("bearer" = [])), request_body = ChangeEmailRequest,
    responses((status = 202, body = Accepted),
        (status = 403, description = "`invalid_credentials`", body = Problem),
        (status = 409, description = "`email_taken`", body = Problem),
        (status = 429, description = "`rate_limited`", body = Problem)))]
pub async fn change_email(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Json(request): Json<ChangeEmailRequest>,
) -> AppResult<(StatusCode, axum::Json<Accepted>)> {
    let accepted = profile::change_email(&state, &caller, &request).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(accepted)))
}

/// Ask to change the login phone; a code is texted to the new number. The old number stays
/// the login until the code comes back.
#[utoipa::path(post, path = "/api/v1/me/phone", tag = "profile", security(("bearer" = [])), request_body = ChangePhoneRequest,
    responses((status = 202, body = Accepted),
        (status = 403, description = "`invalid_credentials`", body = Problem),
        (status = 409, description = "`phone_taken`", body = Problem),
        (status = 422, description = "`invalid_input`", body = Problem),
        (status = 429, description = "`rate_limited`", body = Problem)))]
pub async fn change_phone(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Json(request): Json<ChangePhoneRequest>,
) -> AppResult<(StatusCode, axum::Json<Accepted>)> {
    let accepted = profile::change_phone(&state, &caller, &request).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(accepted)))
}

/// The code texted to the new number: it becomes the login; other sessions end.
#[utoipa::path(post, path = "/api/v1/me/phone/confirm", tag = "profile", security(("bearer" = [])), request_body = ConfirmPhoneRequest,
    responses((status = 200, body = Profile),
        (status = 400, description = "`invalid_token`", body = Problem),
        (status = 409, description = "`phone_taken`", body = Problem),
        (status = 422, description = "`invalid_input`", body = Problem),
        (status = 429, description = "`rate_limited`", body = Problem)))]
pub async fn confirm_phone(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Json(request): Json<ConfirmPhoneRequest>,
) -> AppResult<axum::Json<Profile>> {
    profile::confirm_phone(&state, &caller, &request)
        .await
        .map(axum::Json)
}

/// Follow the confirmation link: the new address becomes the login.
#[utoipa::path(post, path = "/api/v1/me/email/confirm", tag = "profile", request_body = TokenRequest,
    responses((status = 200, body = Profile),
        (status = 400, description = "`invalid_token`", body = Problem),
        (status = 409, description = "`email_taken`", body = Problem)))]
pub async fn confirm_email(
    State(state): State<AppState>,
    Json(request): Json<TokenRequest>,
) -> AppResult<axum::Json<Profile>> {
    profile::confirm_email(&state, &request.token)
        .await
        .map(axum::Json)
}

/// The profile's live sessions.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "profile", security(("bearer" = [])),
    responses((status = 200, body = [Session])))]
pub async fn list_sessions(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> AppResult<axum::Json<Vec<Session>>> {
    signin::list(&state, &caller).await.map(axum::Json)
}

/// Sign out one session.
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", tag = "profile", security(("bearer" = [])),
    params(("id" = String, Path, description = "Session id")),
    responses((status = 204, description = "Revoked"), (status = 404, description = "`not_found`", body = Problem)))]
pub async fn revoke_session(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    signin::revoke(&state, &caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
