//! `/api/v1/me/photo` (upload and remove the profile's photo) and `/api/v1/photos/{id}` (the
//! photos themselves, for anyone who has the URL).

use super::extract::{Auth, Query};
use crate::error::{AppError, AppResult};
use crate::photo;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::LengthLimitError;
use lanyard_core::api::{Problem, Profile};
use lanyard_core::values::PhotoType;
use lanyard_core::{Code, Error};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// Also make it the photo of the profile's employee record in every account.
    #[serde(default)]
    apply_to_accounts: bool,
}

/// Upload the profile's photo: the image file itself as the body (at most 5 MB). The server
/// keeps its centre square as a 256×256 PNG and sets `photo_url` to where it serves it.
#[utoipa::path(put, path = "/api/v1/me/photo", tag = "profile", security(("bearer" = [])),
    params(UploadQuery),
    request_body(description = "A PNG, JPEG or WebP image, at most 5 MB",
        content(("image/png"), ("image/jpeg"), ("image/webp"))),
    responses((status = 200, body = Profile),
        (status = 413, description = "`body_too_large`: more than 5 MB", body = Problem),
        (status = 415, description = "`unsupported_media_type`: not `image/png`, `image/jpeg` or `image/webp`", body = Problem),
        (status = 422, description = "`invalid_photo`: not the image its `Content-Type` says, damaged, or too many pixels; `invalid_query`", body = Problem),
        (status = 429, description = "`rate_limited`: ten uploads in a row, then one a minute", body = Problem)))]
pub async fn upload(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Query(query): Query<UploadQuery>,
    Upload { declared, bytes }: Upload,
) -> AppResult<axum::Json<Profile>> {
    photo::upload(&state, &caller, declared, bytes, query.apply_to_accounts)
        .await
        .map(axum::Json)
}

/// Remove the profile's photo (`photo_url` becomes `null`).
#[utoipa::path(delete, path = "/api/v1/me/photo", tag = "profile", security(("bearer" = [])),
    responses((status = 200, body = Profile)))]
pub async fn remove(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> AppResult<axum::Json<Profile>> {
    photo::remove(&state, &caller).await.map(axum::Json)
}

/// A photo uploaded to this server, as a 256×256 PNG. No session needed: the id is a
/// 256-bit secret, and the URL never changes what it shows.
#[utoipa::path(get, path = "/api/v1/photos/{id}", tag = "profile",
    params(("id" = String, Path, description = "The photo's id, from a `photo_url`")),
    responses((status = 200, description = "The photo", content(("image/png")),
        headers(("Cache-Control" = String, description = "`public, max-age=31536000, immutable`"))),
        (status = 404, description = "`not_found`", body = Problem)))]
pub async fn serve(State(state): State<AppState>, Path(id): Path<String>) -> AppResult<Response> {
    let (content_type, bytes) = photo::served(&state, &id).await?;
    let content_type = HeaderValue::try_from(content_type)
        .map_err(|error| AppError::internal("reading a stored photo's type", error))?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// An uploaded photo's body and the type its `Content-Type` declares. A type other than the
/// three is refused before the body is read, and a body is read no further than
/// `PhotoType::MAX_BYTES` (the router's 64 KiB limit is for JSON bodies and does not apply).
pub struct Upload {
    declared: PhotoType,
    bytes: Bytes,
}

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = AppError;

    async fn from_request(request: Request, _: &S) -> Result<Self, Self::Rejection> {
        let headers = request.headers();
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok());
        let declared = PhotoType::from_content_type(content_type)?;
        let length = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok());
        if length.is_some_and(|length| length > PhotoType::MAX_BYTES as u64) {
            return Err(Error::PhotoTooLarge.into());
        }
        let bytes = axum::body::to_bytes(request.into_body(), PhotoType::MAX_BYTES)
            .await
            .map_err(|error| {
                let error = error.into_inner();
                if error.is::<LengthLimitError>() {
                    AppError::from(Error::PhotoTooLarge)
                } else {
                    AppError::request(StatusCode::BAD_REQUEST, Code::BadRequest, error.to_string())
                }
            })?;
        Ok(Upload { declared, bytes })
    }
}
