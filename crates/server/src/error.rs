//! The server's one error type, and its one mapping onto RFC 9457 problem documents.
//! Domain refusals keep their API code; anything internal keeps its cause, is answered as a
//! bare 500 (no database detail, no secret reaches a client) and logged once, with the whole
//! chain of causes, by the `log_failures` layer. A database out of reach is answered 503
//! `unavailable` (with `Retry-After`) and logged the same way.

use crate::store::failure;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use lanyard_core::api::Problem;
use lanyard_core::{Code, Language, Text};
use secrecy::ExposeSecret;
use std::error::Error as StdError;
use std::fmt::Write as _;

/// Any cause of an internal failure.
pub type BoxError = Box<dyn StdError + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Domain(#[from] lanyard_core::Error),
    /// A request the HTTP layer could not read: bad JSON, wrong types, too large, wrong route.
    #[error("{detail}")]
    Request {
        status: StatusCode,
        code: Code,
        detail: String,
    },
    /// Something on our side failed: what we were doing, and why.
    #[error("{context}")]
    Internal {
        context: &'static str,
        #[source]
        source: BoxError,
    },
    /// The database cannot be reached for now (down, restarting, the network between): the
    /// request may well succeed in a moment, so it is answered 503, not 500.
    #[error("reaching the database")]
    Unavailable(#[source] sqlx::Error),
    /// The database refuses to write: its disk is full or it is read-only. Nothing was
    /// changed; once space is freed (or the file writable again) the same request succeeds,
    /// so this too is a 503, saying what is wrong.
    #[error("writing to the database")]
    CannotWrite(#[source] sqlx::Error),
}

pub type AppResult<T> = Result<T, AppError>;

/// A command-line value that does not say what it must (a plan list, a social provider).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct InvalidFlag(pub String);

/// Names the step an internal failure happened in: `.context("signing an access token")?`.
pub trait Context<T> {
    fn context(self, context: &'static str) -> AppResult<T>;
}

impl<T, E: Into<BoxError>> Context<T> for Result<T, E> {
    fn context(self, context: &'static str) -> AppResult<T> {
        self.map_err(|source| AppError::internal(context, source))
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if failure::unreachable(&error) {
            AppError::Unavailable(error)
        } else if failure::cannot_write(&error) {
            AppError::CannotWrite(error)
        } else {
            AppError::internal("querying the database", error)
        }
    }
}

impl From<lanyard_core::mail::MailError> for AppError {
    fn from(error: lanyard_core::mail::MailError) -> Self {
        AppError::internal("sending a message", error)
    }
}

impl From<lanyard_core::names::UnknownName> for AppError {
    fn from(error: lanyard_core::names::UnknownName) -> Self {
        AppError::internal("reading a stored value", error)
    }
}

impl AppError {
    pub fn internal(context: &'static str, source: impl Into<BoxError>) -> Self {
        AppError::Internal {
            context,
            source: source.into(),
        }
    }

    /// The failure and every cause under it, on one line: "querying the database: …: …".
    pub fn chain(&self) -> String {
        let mut text = self.to_string();
        let mut cause = self.source();
        while let Some(error) = cause {
            let _ = write!(text, ": {error}");
            cause = error.source();
        }
        text
    }

    pub fn request(status: StatusCode, code: Code, detail: impl Into<String>) -> Self {
        AppError::Request {
            status,
            code,
            detail: detail.into(),
        }
    }

    /// The problem document, in English: what `into_response` sends unless `localise`
    /// says it again in the request's language.
    pub fn problem(&self) -> Problem {
        ProblemSource::from(self).problem(Language::En)
    }
}

/// What a problem document is made of, without the causes an internal failure keeps for the
/// log: enough to say the document again in another language.
#[derive(Debug, Clone)]
enum ProblemSource {
    Domain(lanyard_core::Error),
    Request {
        status: StatusCode,
        code: Code,
        detail: String,
    },
    Internal,
    Unavailable,
    CannotWrite,
}

impl From<&AppError> for ProblemSource {
    fn from(error: &AppError) -> Self {
        match error {
            AppError::Domain(error) => ProblemSource::Domain(error.clone()),
            AppError::Request {
                status,
                code,
                detail,
            } => ProblemSource::Request {
                status: *status,
                code: *code,
                detail: detail.clone(),
            },
            AppError::Internal { .. } => ProblemSource::Internal,
            AppError::Unavailable(_) => ProblemSource::Unavailable,
            AppError::CannotWrite(_) => ProblemSource::CannotWrite,
        }
    }
}

impl ProblemSource {
    fn problem(&self, language: Language) -> Problem {
        let (status, code, title, detail) = match self {
            ProblemSource::Domain(error) => (
                error.status(),
                error.code(),
                error.title(),
                error.detail(language),
            ),
            ProblemSource::Request {
                status,
                code,
                detail,
            } => (
                status.as_u16(),
                *code,
                status.canonical_reason().unwrap_or("Bad request"),
                Text::new("error-request")
                    .with("detail", detail.as_str())
                    .render(language),
            ),
            ProblemSource::Internal => (
                500,
                Code::Internal,
                "Internal error",
                Text::new("error-internal").render(language),
            ),
            ProblemSource::Unavailable => (
                503,
                Code::Unavailable,
                "Service unavailable",
                Text::new("error-unavailable").render(language),
            ),
            ProblemSource::CannotWrite => (
                503,
                Code::Unavailable,
                "Service unavailable",
                Text::new("error-cannot-write").render(language),
            ),
        };
        let domain = match self {
            ProblemSource::Domain(error) => Some(error),
            _ => None,
        };
        let (link_token, email) = match domain {
            Some(lanyard_core::Error::LinkRequired { link_token, email }) => {
                (Some(link_token.expose_secret().to_owned()), email.clone())
            }
            _ => (None, None),
        };
        Problem {
            kind: format!("urn:lanyard:problem:{code}"),
            title: title.to_owned(),
            status,
            code: code.to_string(),
            detail,
            field: domain.and_then(|error| error.field()).map(str::to_owned),
            retry_after: match domain {
                Some(lanyard_core::Error::RateLimited { retry_after_secs }) => {
                    Some(*retry_after_secs)
                }
                _ => None,
            },
            link_token,
            email,
        }
    }

    fn body(&self, language: Language) -> Vec<u8> {
        serde_json::to_vec(&self.problem(language)).unwrap_or_default()
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let source = ProblemSource::from(&self);
        let problem = source.problem(Language::En);
        let status =
            StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, source.body(Language::En)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static("en"));
        if let Some(seconds) = problem.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        if let AppError::Internal { .. } | AppError::Unavailable(_) | AppError::CannotWrite(_) =
            &self
        {
            response.extensions_mut().insert(Failure(self.chain()));
        }
        response.extensions_mut().insert(source);
        response
    }
}

/// Says a problem document again in `language` (the `code` stays the same); any other
/// response passes unchanged. `http::language::localise` calls it for every request.
pub fn in_language(mut response: Response, language: Language) -> Response {
    if language == Language::En {
        return response;
    }
    let Some(source) = response.extensions_mut().remove::<ProblemSource>() else {
        return response;
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(language.as_str()),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, source.body(language).into())
}

/// An internal failure's chain of causes, carried from the handler to `log_failures`.
#[derive(Clone)]
struct Failure(String);

/// Logs each internal failure once, inside the request's span (method and path), with every
/// cause: the one place failures are logged.
pub async fn log_failures(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if let Some(Failure(chain)) = response.extensions().get::<Failure>() {
        tracing::error!(error = %chain, "request failed");
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_out_of_reach_is_a_503_to_retry_and_a_failed_query_a_500() {
        let away = AppError::from(sqlx::Error::PoolTimedOut);
        assert_eq!(
            (away.problem().status, away.problem().code),
            (503, "unavailable".into())
        );
        let response = away.into_response();
        assert_eq!(response.headers()[header::RETRY_AFTER], "1");

        let broken = AppError::from(sqlx::Error::Io(std::io::ErrorKind::ConnectionReset.into()));
        assert_eq!(broken.problem().status, 503);

        let wrong = AppError::from(sqlx::Error::RowNotFound);
        assert_eq!(
            (wrong.problem().status, wrong.problem().code),
            (500, "internal".into())
        );
    }
}
