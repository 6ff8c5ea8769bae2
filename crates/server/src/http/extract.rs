//! Request extractors whose failures are problem documents, never axum's plain-text
//! rejections: JSON bodies, the bearer token, and the client's IP for rate limits.

use crate::error::AppError;
use crate::ratelimit::Client;
use crate::session::{self, Caller};
use crate::state::AppState;
use crate::views;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::{StatusCode, header, request::Parts};
use lanyard_core::Code;
use lanyard_core::api::Profile;
use secrecy::SecretString;
use serde::de::value::MapAccessDeserializer;
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;
use std::marker::PhantomData;
use std::net::{IpAddr, SocketAddr};

/// A JSON body. Broken JSON is 400 `malformed_json`, a wrong shape or type 422
/// `invalid_body` (anything but a JSON object among them), more than 64 KiB 413
/// `body_too_large`, another content type 415.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<Object<T>>::from_request(request, state).await {
            Ok(axum::Json(Object(value))) => Ok(Json(value)),
            Err(rejection) => Err(reject(rejection)),
        }
    }
}

/// A `T` read from a JSON object only. serde's derived structs also read a JSON array (the
/// fields in order), which no client of API.md sends: such a body is a wrong shape.
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ObjectVisitor(PhantomData))
    }
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = Object<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(MapAccessDeserializer::new(map)).map(Object)
    }
}

/// A body that may be absent (a `DELETE` with or without one): empty means the default.
pub fn optional_json<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body)
        .map(|Object(value)| value)
        .map_err(|error| {
            let code = if error.is_data() {
                Code::InvalidBody
            } else {
                Code::MalformedJson
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
        JsonRejection::JsonDataError(_) => Code::InvalidBody,
        JsonRejection::JsonSyntaxError(_) => Code::MalformedJson,
        JsonRejection::MissingJsonContentType(_) => Code::UnsupportedMediaType,
        _ if status == StatusCode::PAYLOAD_TOO_LARGE => Code::BodyTooLarge,
        _ => Code::BadRequest,
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
                    Code::InvalidQuery,
                    rejection.body_text(),
                )
            })
    }
}

/// The signed-in profile, from `Authorization: Bearer <access token>`: a session made by the
/// profile's own credentials. A session of an account's single sign-on is refused here with
/// `profile_session_required`: this is the default extractor, so a new route is safe unless it
/// opts into [`InAccount`].
pub struct Auth(pub Caller);

impl FromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let caller = caller(parts, state).await?;
        caller.require_profile()?;
        Ok(Auth(caller))
    }
}

/// Any signed-in session, for routes inside one account (its employees, tasks, settings) and
/// for the live feed. The use case must resolve the account through `accounts::scope`, which
/// refuses an account session outside its own account; the feed passes an account session
/// only its own account's events (`events::visible_to`).
pub struct InAccount(pub Caller);

impl FromRequestParts<AppState> for InAccount {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        caller(parts, state).await.map(InAccount)
    }
}

/// The signed-in profile as it sees itself (`GET /me`), admitted as [`Auth`] admits a caller
/// (a live session made by the profile's own credentials), and read in the same statement as
/// the session: one trip to the database instead of three.
pub struct OwnProfile(pub Profile);

impl FromRequestParts<AppState> for OwnProfile {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let (caller, row, identities) =
            session::authenticate_with_profile(state, &bearer(parts)?).await?;
        caller.require_profile()?;
        Ok(OwnProfile(views::profile_with(
            row,
            identities,
            &state.public_url,
        )))
    }
}

async fn caller(parts: &Parts, state: &AppState) -> Result<Caller, AppError> {
    session::authenticate(state, &bearer(parts)?).await
}

fn bearer(parts: &Parts) -> Result<SecretString, lanyard_core::Error> {
    parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(|token| SecretString::from(token.trim()))
        .ok_or(lanyard_core::Error::Unauthorized)
}

/// The client, for per-client rate limits and to show whom a QR request came from: the peer;
/// or, behind `trusted_proxies` proxies, the `X-Forwarded-For` entry that many places from the
/// right (the address the outermost trusted proxy saw; entries left of it are the client's
/// own words).
pub struct ClientIp(pub Client);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| peer.ip());
        let hops = state.trusted_proxies;
        let forwarded = (hops > 0)
            .then(|| {
                let entries: Vec<IpAddr> = parts
                    .headers
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|value| value.to_str().ok())
                    .flat_map(|value| value.split(','))
                    .filter_map(|entry| entry.trim().parse::<IpAddr>().ok())
                    .collect();
                entries.len().checked_sub(hops).map(|at| entries[at])
            })
            .flatten();
        Ok(ClientIp(Client::new(forwarded.or(peer))))
    }
}
