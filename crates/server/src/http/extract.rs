//! Request extractors whose failures are problem documents, never axum's plain-text
//! rejections: JSON bodies, the bearer token, and the client's IP for rate limits.

use crate::error::AppError;
use crate::signin::{self, Caller};
use crate::state::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::{StatusCode, header, request::Parts};
use secrecy::SecretString;
use serde::de::DeserializeOwned;
use std::net::SocketAddr;

/// A JSON body. Broken JSON is 400 `malformed_json`, a wrong shape or type 422
/// `invalid_body`, more than 64 KiB 413 `body_too_large`, another content type 415.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => Err(reject(rejection)),
        }
    }
}

/// A body that may be absent (a `DELETE` with or without one): empty means the default.
pub fn optional_json<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body).map_err(|error| {
        let code = if error.is_data() {
            "invalid_body"
        } else {
            "malformed_json"
        };
        let status = if error.is_data() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::BAD_REQUEST
        };
        AppError::request(status, code, error.to_string())
    })
}

fn reject(rejection: JsonRejection) -> AppError {
    let status = rejection.status();
    let code = match &rejection {
        JsonRejection::JsonDataError(_) => "invalid_body",
        JsonRejection::JsonSyntaxError(_) => "malformed_json",
        JsonRejection::MissingJsonContentType(_) => "unsupported_media_type",
        _ if status == StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
        _ => "bad_request",
    };
    AppError::request(status, code, rejection.body_text())
}

/// A query string. Unknown enum values or non-numbers are 422 `invalid_query`.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Query(value))
            .map_err(|rejection| {
                AppError::request(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_query",
                    rejection.body_text(),
                )
            })
    }
}

/// The signed-in caller, from `Authorization: Bearer <access token>`.
pub struct Auth(pub Caller);

impl FromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(|token| SecretString::from(token.trim()))
            .ok_or(lanyard_core::Error::Unauthorized)?;
        signin::authenticate(state, &token).await.map(Auth)
    }
}

/// The client's IP address, the key of per-IP rate limits: the peer's, or behind a trusted
/// load balancer the last `X-Forwarded-For` entry (the one the balancer itself added).
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = state
            .trust_forwarded_for
            .then(|| {
                parts
                    .headers
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|value| value.to_str().ok())
                    .flat_map(|value| value.split(','))
                    .filter_map(|entry| entry.trim().parse::<std::net::IpAddr>().ok())
                    .next_back()
            })
            .flatten();
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| peer.ip());
        Ok(ClientIp(
            forwarded
                .or(peer)
                .map(|ip| ip.to_string())
                .unwrap_or_default(),
        ))
    }
}
