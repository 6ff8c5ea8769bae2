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
            ConnectionError::InsecureServer(_) => {
                UiError::new("insecure_server", error.to_string())
            }
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
            SignInError::InvitationGone => UiError::new("invalid_token", error.to_string()),
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
                retry_after,
                link_token: None,
                email: None,
            }),
            retry_after,
        }
    }

    fn code_of(error: impl Into<UiError>) -> String {
        error.into().code
    }

    #[test]
    fn a_servers_refusal_keeps_its_code_detail_and_wait() {
        let ui = UiError::from(problem("rate_limited", "Try again in a minute.", Some(60)));
        assert_eq!(ui.code, "rate_limited");
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
        assert_eq!(ui.code, "server_error");
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
        assert_eq!(ui.code, "unreachable");
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
        assert_eq!(
            (ui.code.as_str(), ui.message.as_str()),
            ("sign_in_required", "sign in again to acme")
        );
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
        assert_eq!(ui.code, "no_access");
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
    fn the_ui_gets_code_message_and_retry_after() {
        let json = serde_json::to_value(UiError::new("expired", "Show a new code.")).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "expired", "message": "Show a new code.", "retry_after": null})
        );
    }
}
