//! The one mapping from the client crate's errors to what the UI gets: `{code, message}`.
//! The UI switches on `code` (the server's stable codes, [`Code`], plus the app's own,
//! [`AppCode`]) and shows `message`. No error carries a secret.

use lanyard_client::ApiError;
use lanyard_client::desktop::connections::ConnectionError;
use lanyard_client::desktop::loopback::LoopbackError;
use lanyard_client::desktop::qr::QrError;
use lanyard_client::desktop::sign_ins::SignInError;
use lanyard_core::Code;
use serde::Serialize;
use ts_rs::TS;

/// The app's own refusals, beside the server's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AppCode {
    /// The server refused with a code this version of the app does not know; the message
    /// says why.
    Refused,
    /// An error status without a problem document (a proxy in the way, say).
    ServerError,
    Unreachable,
    InvalidServer,
    InsecureServer,
    SignInRequired,
    NotConnected,
    NoAccount,
    NoLocalServer,
    NotLocal,
    /// "Let a phone on this network sign in": this computer has no address on a local
    /// network (or the one asked for cannot be listened on).
    NoNetwork,
    NotStarted,
    Storage,
    QrDraw,
    Browser,
    BrowserTimeout,
    BrowserSignIn,
    Window,
    /// The system would not show a notification (no notification service running).
    Notification,
    /// The system's list of programs started with the session could not be changed.
    Autostart,
    /// A `lanyard://` link's invitation is no longer known (the app restarted since).
    LinkGone,
    /// An update could not be checked, downloaded or installed; the message says why.
    Update,
    /// A downloaded update's signature does not match the app's key: it was not kept.
    UpdateSignature,
}

/// What the UI switches on: a code of the server's or one of the app's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(untagged)]
#[ts(export)]
pub enum UiCode {
    Server(Code),
    App(AppCode),
}

impl From<Code> for UiCode {
    fn from(code: Code) -> UiCode {
        UiCode::Server(code)
    }
}

impl From<AppCode> for UiCode {
    fn from(code: AppCode) -> UiCode {
        UiCode::App(code)
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct UiError {
    pub code: UiCode,
    pub message: String,
    /// Seconds to wait before trying again (rate limits, an overloaded server).
    #[ts(type = "number | null")]
    pub retry_after: Option<u64>,
    /// The input the error is about (`email`, `password`, …): the form shows it there.
    pub field: Option<String>,
}

impl UiError {
    pub fn new(code: impl Into<UiCode>, message: impl Into<String>) -> UiError {
        UiError {
            code: code.into(),
            message: message.into(),
            retry_after: None,
            field: None,
        }
    }
}

impl UiError {
    /// The server refused the access token (`unauthorized`).
    pub fn is_unauthorized(&self) -> bool {
        self.code == UiCode::Server(Code::Unauthorized)
    }
}

/// A code the server sent as text: its own when this app knows it.
fn known(code: &str) -> UiCode {
    Code::parse(code).map_or(UiCode::App(AppCode::Refused), UiCode::Server)
}

impl From<ApiError> for UiError {
    fn from(error: ApiError) -> UiError {
        match error {
            ApiError::Problem {
                problem,
                retry_after,
            } => UiError {
                code: known(&problem.code),
                message: problem.detail,
                retry_after,
                field: problem.field,
            },
            ApiError::Status { status, .. } => UiError::new(
                AppCode::ServerError,
                format!("The server answered with an error (HTTP {status})."),
            ),
            ApiError::Transport(error) => UiError::new(
                AppCode::Unreachable,
                match error.url() {
                    Some(url) => format!(
                        "Cannot reach the server at {}.",
                        url.origin().ascii_serialization()
                    ),
                    None => "Cannot reach the server.".to_owned(),
                },
            ),
            ApiError::Url(message) => UiError::new(AppCode::InvalidServer, message),
            ApiError::Stream(_) => {
                UiError::new(AppCode::Unreachable, "The server's live feed broke off.")
            }
        }
    }
}

impl From<ConnectionError> for UiError {
    fn from(error: ConnectionError) -> UiError {
        match error {
            ConnectionError::NeedsSignIn { .. } => {
                UiError::new(AppCode::SignInRequired, error.to_string())
            }
            ConnectionError::NotConnected => UiError::new(AppCode::NotConnected, error.to_string()),
            ConnectionError::Api(error) => error.into(),
            ConnectionError::List(error) => UiError::new(AppCode::Storage, error.to_string()),
            ConnectionError::NoAccount => UiError::new(AppCode::NoAccount, error.to_string()),
            ConnectionError::NoLocalServer => {
                UiError::new(AppCode::NoLocalServer, error.to_string())
            }
            ConnectionError::InsecureServer(_) => {
                UiError::new(AppCode::InsecureServer, error.to_string())
            }
        }
    }
}

impl From<QrError> for UiError {
    fn from(error: QrError) -> UiError {
        match error {
            QrError::Api(error) => error.into(),
            QrError::Draw(message) => UiError::new(AppCode::QrDraw, message),
        }
    }
}

impl From<LoopbackError> for UiError {
    fn from(error: LoopbackError) -> UiError {
        match error {
            LoopbackError::Api(error) => error.into(),
            LoopbackError::Refused { code, description } => UiError {
                code: known(&code),
                message: description,
                retry_after: None,
                field: None,
            },
            LoopbackError::TimedOut => UiError::new(AppCode::BrowserTimeout, error.to_string()),
            other => UiError::new(AppCode::BrowserSignIn, other.to_string()),
        }
    }
}

impl From<SignInError> for UiError {
    fn from(error: SignInError) -> UiError {
        match error {
            SignInError::QrGone => UiError::new(Code::Expired, error.to_string()),
            SignInError::PickingOver => UiError::new(AppCode::SignInRequired, error.to_string()),
            SignInError::LinkGone => UiError::new(Code::InvalidToken, error.to_string()),
            SignInError::LinkWithoutToken => UiError::new(Code::LinkRequired, error.to_string()),
            SignInError::InvitationGone => UiError::new(Code::InvalidToken, error.to_string()),
            SignInError::Api(error) => error.into(),
            SignInError::Qr(error) => error.into(),
            SignInError::Loopback(error) => error.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanyard_client::api::Problem;

    fn problem(code: &str, detail: &str, retry_after: Option<u64>) -> ApiError {
        ApiError::Problem {
            problem: Box::new(Problem {
                kind: "about:blank".to_owned(),
                title: "Refused".to_owned(),
                status: 429,
                code: code.to_owned(),
                detail: detail.to_owned(),
                field: None,
                retry_after,
                link_token: None,
                email: None,
            }),
            retry_after,
        }
    }

    fn code_of(error: impl Into<UiError>) -> String {
        serde_json::to_value(error.into().code)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn a_servers_refusal_keeps_its_code_detail_and_wait() {
        let ui = UiError::from(problem("rate_limited", "Try again in a minute.", Some(60)));
        assert_eq!(ui.code, UiCode::Server(Code::RateLimited));
        assert_eq!(ui.message, "Try again in a minute.");
        assert_eq!(ui.retry_after, Some(60));
    }

    #[test]
    fn an_error_status_without_a_problem_says_only_the_status() {
        let status = ApiError::Status {
            status: 502,
            body: "<html>proxy trouble</html>".to_owned(),
        };
        let ui = UiError::from(status);
        assert_eq!(ui.code, UiCode::App(AppCode::ServerError));
        assert_eq!(ui.message, "The server answered with an error (HTTP 502).");
        assert_eq!(ui.retry_after, None);
    }

    #[tokio::test]
    async fn an_unreachable_server_is_named_by_its_origin_only() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let url = format!("http://127.0.0.1:{port}/api/v1/me?secret=no");
        let refused = reqwest::get(&url).await.unwrap_err();
        let ui = UiError::from(ApiError::Transport(refused));
        assert_eq!(ui.code, UiCode::App(AppCode::Unreachable));
        assert_eq!(
            ui.message,
            format!("Cannot reach the server at http://127.0.0.1:{port}.")
        );
    }

    #[test]
    fn connection_errors_have_the_apps_own_codes() {
        let gone = ConnectionError::NeedsSignIn {
            address: "acme".to_owned(),
        };
        let ui = UiError::from(gone);
        assert_eq!(ui.code, UiCode::App(AppCode::SignInRequired));
        assert_eq!(ui.message, "sign in again to acme");
        assert_eq!(code_of(ConnectionError::NotConnected), "not_connected");
        assert_eq!(code_of(ConnectionError::NoAccount), "no_account");
        assert_eq!(code_of(ConnectionError::NoLocalServer), "no_local_server");
        assert_eq!(
            code_of(ConnectionError::InsecureServer(
                "http://id.example.com/".into()
            )),
            "insecure_server"
        );
        assert_eq!(
            code_of(ConnectionError::Api(ApiError::Url("x".into()))),
            "invalid_server"
        );
        let wrapped = ConnectionError::Api(problem("no_access", "Not an employee.", None));
        assert_eq!(code_of(wrapped), "no_access");
    }

    #[test]
    fn a_browser_sign_in_passes_the_providers_refusal_through() {
        let refused = LoopbackError::Refused {
            code: "no_access".to_owned(),
            description: "You are not an employee of Acme.".to_owned(),
        };
        let ui = UiError::from(refused);
        assert_eq!(ui.code, UiCode::Server(Code::NoAccess));
        assert_eq!(ui.message, "You are not an employee of Acme.");
        assert_eq!(code_of(LoopbackError::TimedOut), "browser_timeout");
        assert_eq!(code_of(LoopbackError::WrongState), "browser_sign_in");
        assert_eq!(code_of(QrError::Draw("too long".into())), "qr_draw");
    }

    #[test]
    fn sign_ins_that_are_over_ask_for_what_comes_next() {
        assert_eq!(code_of(SignInError::QrGone), "expired");
        assert_eq!(code_of(SignInError::PickingOver), "sign_in_required");
        assert_eq!(code_of(SignInError::LinkGone), "invalid_token");
        assert_eq!(code_of(SignInError::LinkWithoutToken), "link_required");
        let over = UiError::from(SignInError::PickingOver);
        assert_eq!(over.message, "Sign in with your login and password again.");
        let wrapped = SignInError::Loopback(LoopbackError::TimedOut);
        assert_eq!(code_of(wrapped), "browser_timeout");
    }

    #[test]
    fn the_ui_gets_code_message_retry_after_and_field() {
        let json = serde_json::to_value(UiError::new(Code::Expired, "Show a new code.")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "expired", "message": "Show a new code.", "retry_after": null, "field": null})
        );
        // A refusal about one input keeps its name, so the form says it beside that input.
        let mut about_photo = problem("invalid_photo", "The file is not a PNG image.", None);
        if let ApiError::Problem { problem, .. } = &mut about_photo {
            problem.field = Some("photo".to_owned());
        }
        assert_eq!(UiError::from(about_photo).field.as_deref(), Some("photo"));
    }

    #[test]
    fn a_code_this_version_does_not_know_is_a_refusal_with_the_servers_words() {
        let ui = UiError::from(problem("some_future_rule", "Not today.", None));
        assert_eq!(ui.code, UiCode::App(AppCode::Refused));
        assert_eq!(ui.message, "Not today.");
        let refused = LoopbackError::Refused {
            code: String::new(),
            description: "The provider said no.".to_owned(),
        };
        assert_eq!(code_of(refused), "refused");
    }
}
