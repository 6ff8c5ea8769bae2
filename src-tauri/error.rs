//! The one mapping from the client crate's errors to what the UI gets: `{code, message}`.
//! The UI switches on `code` (the server's stable codes, plus a few of the app's own:
//! `sign_in_required`, `unreachable`, `no_local_server`, `keyring`, `storage`…) and shows
//! `message`. No error carries a secret.

use lanyard_client::ApiError;
use lanyard_client::desktop::connections::ConnectionError;
use lanyard_client::desktop::loopback::LoopbackError;
use lanyard_client::desktop::qr::QrError;
use lanyard_client::desktop::sign_ins::SignInError;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct UiError {
    pub code: String,
    pub message: String,
    /// Seconds to wait before trying again (rate limits, an overloaded server).
    #[ts(type = "number | null")]
    pub retry_after: Option<u64>,
}

impl UiError {
    pub fn new(code: &str, message: impl Into<String>) -> UiError {
        UiError {
            code: code.to_owned(),
            message: message.into(),
            retry_after: None,
        }
    }
}

impl From<ApiError> for UiError {
    fn from(error: ApiError) -> UiError {
        match error {
            ApiError::Problem {
                problem,
                retry_after,
            } => UiError {
                code: problem.code,
                message: problem.detail,
                retry_after,
            },
            ApiError::Status { status, .. } => UiError::new(
                "server_error",
                format!("The server answered with an error (HTTP {status})."),
            ),
            ApiError::Transport(error) => UiError::new(
                "unreachable",
                match error.url() {
                    Some(url) => format!(
                        "Cannot reach the server at {}.",
                        url.origin().ascii_serialization()
                    ),
                    None => "Cannot reach the server.".to_owned(),
                },
            ),
            ApiError::Url(message) => UiError::new("invalid_server", message),
        }
    }
}

impl From<ConnectionError> for UiError {
    fn from(error: ConnectionError) -> UiError {
        match error {
            ConnectionError::NeedsSignIn { .. } => {
                UiError::new("sign_in_required", error.to_string())
            }
            ConnectionError::NotConnected => UiError::new("not_connected", error.to_string()),
            ConnectionError::Api(error) => error.into(),
            ConnectionError::List(error) => UiError::new("storage", error.to_string()),
            ConnectionError::NoAccount => UiError::new("no_account", error.to_string()),
            ConnectionError::NoLocalServer => UiError::new("no_local_server", error.to_string()),
        }
    }
}

impl From<QrError> for UiError {
    fn from(error: QrError) -> UiError {
        match error {
            QrError::Api(error) => error.into(),
            QrError::Draw(message) => UiError::new("qr_draw", message),
        }
    }
}

impl From<LoopbackError> for UiError {
    fn from(error: LoopbackError) -> UiError {
        match error {
            LoopbackError::Api(error) => error.into(),
            LoopbackError::Refused { code, description } => UiError::new(&code, description),
            LoopbackError::TimedOut => UiError::new("browser_timeout", error.to_string()),
            other => UiError::new("browser_sign_in", other.to_string()),
        }
    }
}

impl From<SignInError> for UiError {
    fn from(error: SignInError) -> UiError {
        match error {
            SignInError::QrGone => UiError::new("expired", error.to_string()),
            SignInError::PickingOver => UiError::new("sign_in_required", error.to_string()),
            SignInError::LinkGone => UiError::new("invalid_token", error.to_string()),
            SignInError::LinkWithoutToken => UiError::new("link_required", error.to_string()),
            SignInError::Api(error) => error.into(),
            SignInError::Qr(error) => error.into(),
            SignInError::Loopback(error) => error.into(),
        }
    }
}
