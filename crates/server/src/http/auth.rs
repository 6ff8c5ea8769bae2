//! `/api/v1/auth/*`: registration, verification, sign-in, refresh, sign-out, recovery.

use super::extract::{ClientIp, Json};
use super::language::RequestLanguage;
use crate::error::AppResult;
use crate::state::AppState;
use crate::{recovery, signin, signup};
use axum::extract::State;
use axum::http::StatusCode;
use lanyard_core::api::{
    Accepted, LoginRequest, PasswordRecoveryRequest, PasswordResetRequest, Problem, RefreshRequest,
    RegisterRequest, RegisterResponse, Tokens, VerifyEmailRequest, VerifyPhoneRequest,
};

/// Register a profile with an email and/or a phone number; sends the verification mail or SMS
/// in the language `Accept-Language` asks for, which the profile keeps.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = RegisterResponse),
        (status = 409, description = "`email_taken`, `phone_taken`", body = Problem),
        (status = 422, description = "`weak_password`, `invalid_input`", body = Problem),
        (status = 429, description = "`rate_limited`", body = Problem)))]
pub async fn register(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    language: RequestLanguage,
    Json(request): Json<RegisterRequest>,
) -> AppResult<(StatusCode, axum::Json<RegisterResponse>)> {
    let created = signup::register(&state, &client, request, language.0).await?;
    Ok((StatusCode::CREATED, axum::Json(created)))
}

/// Follow the link mailed at registration: confirm the address, or decline it (`decline`:
/// the mailbox's owner did not register; the address leaves that profile).
#[utoipa::path(post, path = "/api/v1/auth/verify-email", tag = "auth", request_body = VerifyEmailRequest,
    responses((status = 200, description = "The email is now a login (or, declined, nobody's)"),
        (status = 400, description = "`invalid_token`", body = Problem)))]
pub async fn verify_email(
    State(state): State<AppState>,
    Json(request): Json<VerifyEmailRequest>,
) -> AppResult<StatusCode> {
    if request.decline {
        signup::decline_email(&state, &request.token).await?;
    } else {
        signup::verify_email(&state, &request.token).await?;
    }
    Ok(StatusCode::OK)
}

/// Enter the 6-digit code sent by SMS.
#[utoipa::path(post, path = "/api/v1/auth/verify-phone", tag = "auth", request_body = VerifyPhoneRequest,
    responses((status = 200, description = "The phone number is now a login"),
        (status = 400, description = "`invalid_token`", body = Problem),
        (status = 429, description = "`rate_limited`", body = Problem)))]
pub async fn verify_phone(
    State(state): State<AppState>,
    Json(request): Json<VerifyPhoneRequest>,
) -> AppResult<StatusCode> {
    signup::verify_phone(&state, &request).await?;
    Ok(StatusCode::OK)
}

/// Sign in with a verified email or phone and the password.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Tokens),
        (status = 401, description = "`invalid_credentials`", body = Problem),
        (status = 403, description = "`unverified`, `no_access`", body = Problem),
        (status = 429, description = "`rate_limited`", body = Problem)))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Json(request): Json<LoginRequest>,
) -> AppResult<axum::Json<Tokens>> {
    signin::login(&state, &client, request)
        .await
        .map(axum::Json)
}

/// Trade the refresh token for a new pair; the old refresh token dies.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = Tokens),
        (status = 401, description = "`invalid_token`; a reused token also revokes its whole family", body = Problem)))]
pub async fn refresh(
    State(state): State<AppState>,
    Json(request): Json<RefreshRequest>,
) -> AppResult<axum::Json<Tokens>> {
    signin::refresh(&state, &request.refresh_token)
        .await
        .map(axum::Json)
}

/// End the session the refresh token belongs to.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", request_body = RefreshRequest,
    responses((status = 204, description = "Signed out")))]
pub async fn logout(
    State(state): State<AppState>,
    Json(request): Json<RefreshRequest>,
) -> AppResult<StatusCode> {
    signin::logout(&state, &request.refresh_token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ask for a reset link. The answer is the same whether or not a profile has the email.
#[utoipa::path(post, path = "/api/v1/auth/password-recovery", tag = "auth", request_body = PasswordRecoveryRequest,
    responses((status = 202, body = Accepted),
        (status = 429, description = "`rate_limited`", body = Problem)))]
pub async fn password_recovery(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    language: RequestLanguage,
    Json(request): Json<PasswordRecoveryRequest>,
) -> AppResult<(StatusCode, axum::Json<Accepted>)> {
    let accepted = recovery::request(&state, &client, &request.email, language.language()).await?;
    Ok((StatusCode::ACCEPTED, axum::Json(accepted)))
}

/// Set a new password with the mailed link; every session is signed out.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth", request_body = PasswordResetRequest,
    responses((status = 204, description = "Password changed"),
        (status = 400, description = "`invalid_token`", body = Problem),
        (status = 422, description = "`weak_password`", body = Problem),
        (status = 429, description = "`rate_limited`", body = Problem)))]
pub async fn password_reset(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Json(request): Json<PasswordResetRequest>,
) -> AppResult<StatusCode> {
    recovery::reset(&state, &client, &request).await?;
    Ok(StatusCode::NO_CONTENT)
}
