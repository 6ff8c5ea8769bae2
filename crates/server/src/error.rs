//! The server's one error type, and its one mapping onto RFC 9457 problem documents.
//! Domain refusals keep their API code; anything internal is logged with its context and
//! answered as a bare 500, so no database detail (or secret) ever reaches a client.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use lanyard_core::api::Problem;
use secrecy::ExposeSecret;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Domain(#[from] lanyard_core::Error),
    /// A request the HTTP layer could not read: bad JSON, wrong types, too large, wrong route.
    #[error("{detail}")]
    Request {
        status: StatusCode,
        code: &'static str,
        detail: String,
    },
    #[error("internal error: {0}")]
    Internal(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        AppError::Internal(format!("database: {error}"))
    }
}

impl From<lanyard_core::mail::MailError> for AppError {
    fn from(error: lanyard_core::mail::MailError) -> Self {
        AppError::Internal(error.to_string())
    }
}

impl AppError {
    pub fn request(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        AppError::Request {
            status,
            code,
            detail: detail.into(),
        }
    }

    pub fn problem(&self) -> Problem {
        let (status, code, title, detail, retry_after) = match self {
            AppError::Domain(error) => (
                error.status(),
                error.code(),
                error.title(),
                error.to_string(),
                match error {
                    lanyard_core::Error::RateLimited { retry_after_secs } => {
                        Some(*retry_after_secs)
                    }
                    _ => None,
                },
            ),
            AppError::Request {
                status,
                code,
                detail,
            } => (
                status.as_u16(),
                *code,
                status.canonical_reason().unwrap_or("Bad request"),
                detail.clone(),
                None,
            ),
            AppError::Internal(_) => (
                500,
                "internal",
                "Internal error",
                "Something went wrong on our side; try again later".to_owned(),
                None,
            ),
        };
        let (link_token, email) = match self {
            AppError::Domain(lanyard_core::Error::LinkRequired { link_token, email }) => {
                (Some(link_token.expose_secret().to_owned()), email.clone())
            }
            _ => (None, None),
        };
        Problem {
            kind: format!("urn:lanyard:problem:{code}"),
            title: title.to_owned(),
            status,
            code: code.to_owned(),
            detail,
            retry_after,
            link_token,
            email,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(context) = &self {
            tracing::error!(error = %context, "request failed");
        }
        let problem = self.problem();
        let status =
            StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = problem.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}
