//! What a call can fail with: the server's problem document (switch on `code`), or the
//! transport.

use lanyard_core::Code;
use lanyard_core::api::Problem;
use reqwest::Response;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The server refused, with a problem document.
    #[error("{} ({}): {}", problem.code, problem.status, problem.detail)]
    Problem {
        problem: Box<Problem>,
        /// The `Retry-After` header, on 429 and 503.
        retry_after: Option<u64>,
    },
    /// An error status without a problem document (a proxy in between, say).
    #[error("HTTP {status}: {body}")]
    Status { status: u16, body: String },
    #[error("cannot reach the server: {0}")]
    Transport(#[from] reqwest::Error),
    #[error("bad URL: {0}")]
    Url(String),
    /// The live feed broke off or sent what is not Server-Sent Events.
    #[error("the event stream broke: {0}")]
    Stream(String),
}

impl ApiError {
    pub(crate) async fn from_response(response: Response) -> ApiError {
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse().ok());
        let is_problem = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .is_some_and(|value| value.as_bytes().starts_with(b"application/problem+json"));
        let body = response.text().await.unwrap_or_default();
        match serde_json::from_str::<Problem>(&body) {
            Ok(problem) if is_problem => ApiError::Problem {
                problem: Box::new(problem),
                retry_after,
            },
            _ => ApiError::Status { status, body },
        }
    }

    /// The problem's stable code, if the server sent one this client knows. (A newer
    /// server's new code reads as `None`, like no code: the detail still says what happened.)
    pub fn code(&self) -> Option<Code> {
        match self {
            ApiError::Problem { problem, .. } => Code::parse(&problem.code).ok(),
            _ => None,
        }
    }

    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Problem { problem, .. } => Some(problem.status),
            ApiError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}
