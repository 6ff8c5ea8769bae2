//! The desktop's end of a browser sign-in (RFC 8252): a one-shot HTTP listener on
//! 127.0.0.1 at a free port, a PKCE pair and a state. The system browser comes back to it
//! from the server with a one-time code, which is then exchanged with the verifier.

use super::pkce::{self, Pkce};
use crate::api::Tokens;
use crate::{ApiError, Client};
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use secrecy::SecretString;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;
use url::Url;

#[derive(Debug, thiserror::Error)]
pub enum LoopbackError {
    #[error("cannot listen on 127.0.0.1: {0}")]
    Listen(std::io::Error),
    #[error("the sign-in in the browser did not finish in time")]
    TimedOut,
    #[error("the browser came back with another sign-in's state")]
    WrongState,
    /// The server or provider refused; the description says why (e.g. `no_access`).
    #[error("{description}")]
    Refused { code: String, description: String },
    #[error(transparent)]
    Api(#[from] ApiError),
}

type Reply = Arc<Mutex<Option<oneshot::Sender<HashMap<String, String>>>>>;

/// A browser sign-in under way.
pub struct Loopback {
    /// Where the browser comes back: `http://127.0.0.1:<port>/callback`.
    pub redirect_uri: String,
    pkce: Pkce,
    state: String,
    returned: oneshot::Receiver<HashMap<String, String>>,
    server: tokio::task::JoinHandle<()>,
}

impl Loopback {
    /// Listens on a free loopback port and makes a fresh PKCE pair and state.
    pub async fn bind() -> Result<Loopback, LoopbackError> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(LoopbackError::Listen)?;
        let port = listener.local_addr().map_err(LoopbackError::Listen)?.port();
        let (sender, returned) = oneshot::channel();
        let reply: Reply = Arc::new(Mutex::new(Some(sender)));
        let app = Router::new()
            .route("/callback", get(arrive))
            .with_state(reply);
        let server = tokio::spawn(async move {
            // Serves until dropped; it answers the one browser that comes back.
            let _ = axum::serve(listener, app).await;
        });
        Ok(Loopback {
            redirect_uri: format!("http://127.0.0.1:{port}/callback"),
            pkce: Pkce::new(),
            state: pkce::random(),
            returned,
            server,
        })
    }

    /// Where to open the system browser for single sign-on to the account at `address`.
    pub fn sso_url(&self, client: &Client, address: &str) -> Result<Url, ApiError> {
        client.sso_start_url(
            address,
            &self.redirect_uri,
            &self.pkce.challenge,
            &self.state,
        )
    }

    /// Where to open the system browser for a social sign-in with `provider` (to the account
    /// at `account`, or to the profile alone).
    pub fn social_url(
        &self,
        client: &Client,
        provider: &str,
        account: Option<&str>,
    ) -> Result<Url, ApiError> {
        client.social_start_url(
            provider,
            account,
            &self.redirect_uri,
            &self.pkce.challenge,
            &self.state,
        )
    }

    /// Where to open the system browser to connect the `provider`'s identity to the profile
    /// signed in with `access`.
    pub async fn connect_url(
        &self,
        client: &Client,
        access: &SecretString,
        provider: &str,
    ) -> Result<Url, ApiError> {
        client
            .connect_social_url(
                access,
                provider,
                &self.redirect_uri,
                &self.pkce.challenge,
                &self.state,
            )
            .await
    }

    /// Waits for the browser to come back, then trades the code for a session. A
    /// `link_required` answer comes back as `LoopbackError::Api` with its link token.
    pub async fn finish(self, client: &Client, within: Duration) -> Result<Tokens, LoopbackError> {
        let params = tokio::time::timeout(within, self.returned)
            .await
            .map_err(|_| LoopbackError::TimedOut)?
            .map_err(|_| LoopbackError::TimedOut)?;
        self.server.abort();
        let code = code(&params, &self.state)?;
        Ok(client.exchange(code, &self.pkce.verifier).await?)
    }
}

/// The one-time code the browser brought back, or why there is none: another sign-in's (or
/// no) `state`, or the server's or provider's refusal (`error_code` preferred to OAuth's
/// plain `error`).
fn code<'a>(params: &'a HashMap<String, String>, state: &str) -> Result<&'a str, LoopbackError> {
    if params.get("state").map(String::as_str) != Some(state) {
        return Err(LoopbackError::WrongState);
    }
    if let Some(code) = params.get("code") {
        return Ok(code);
    }
    Err(LoopbackError::Refused {
        code: params
            .get("error_code")
            .or(params.get("error"))
            .cloned()
            .unwrap_or_default(),
        description: params.get("error_description").cloned().unwrap_or_default(),
    })
}

async fn arrive(
    State(reply): State<Reply>,
    Query(params): Query<HashMap<String, String>>,
) -> Html<&'static str> {
    let sender = reply
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .take();
    if let Some(sender) = sender {
        let _ = sender.send(params);
    }
    Html(
        "<!doctype html><title>Lanyard</title><p>You can close this window and go back to Lanyard.</p>",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn the_code_comes_back_with_this_sign_ins_state() {
        let back = params(&[("state", "s1"), ("code", "one-time")]);
        assert_eq!(code(&back, "s1").ok(), Some("one-time"));
    }

    #[test]
    fn another_sign_ins_state_or_none_is_refused_even_with_a_code() {
        let other = params(&[("state", "s2"), ("code", "one-time")]);
        assert!(matches!(code(&other, "s1"), Err(LoopbackError::WrongState)));
        let none = params(&[("code", "one-time")]);
        assert!(matches!(code(&none, "s1"), Err(LoopbackError::WrongState)));
    }

    #[test]
    fn a_refusal_keeps_the_servers_code_before_oauths() {
        let back = params(&[
            ("state", "s1"),
            ("error", "access_denied"),
            ("error_code", "no_access"),
            ("error_description", "You are not an employee of Acme."),
        ]);
        let Err(LoopbackError::Refused { code, description }) = code(&back, "s1") else {
            panic!("expected a refusal");
        };
        assert_eq!(code, "no_access");
        assert_eq!(description, "You are not an employee of Acme.");
    }

    #[test]
    fn a_plain_oauth_refusal_keeps_its_error() {
        let back = params(&[("state", "s1"), ("error", "access_denied")]);
        let Err(LoopbackError::Refused { code, description }) = code(&back, "s1") else {
            panic!("expected a refusal");
        };
        assert_eq!((code.as_str(), description.as_str()), ("access_denied", ""));
    }

    #[tokio::test]
    async fn the_listener_takes_the_browsers_redirect_on_its_port() {
        let loopback = Loopback::bind().await.unwrap();
        let redirect = Url::parse(&loopback.redirect_uri).unwrap();
        assert_eq!(redirect.host_str(), Some("127.0.0.1"));
        assert_eq!(redirect.path(), "/callback");
        assert_ne!(redirect.port(), Some(0));

        let mut back = redirect.clone();
        back.query_pairs_mut()
            .append_pair("state", &loopback.state)
            .append_pair("error_code", "no_access")
            .append_pair("error_description", "Not an employee.");
        let page = reqwest::get(back).await.unwrap();
        assert!(page.status().is_success());
        assert!(page.text().await.unwrap().contains("go back to Lanyard"));

        // No server is asked: the refusal arrived before any exchange.
        let client = Client::new(Url::parse("http://127.0.0.1:9/").unwrap()).unwrap();
        let finished = loopback.finish(&client, Duration::from_secs(5)).await;
        assert!(
            matches!(&finished, Err(LoopbackError::Refused { code, .. }) if code == "no_access"),
            "{finished:?}"
        );
    }

    #[tokio::test]
    async fn a_browser_that_never_comes_back_times_out() {
        let loopback = Loopback::bind().await.unwrap();
        let client = Client::new(Url::parse("http://127.0.0.1:9/").unwrap()).unwrap();
        let finished = loopback.finish(&client, Duration::from_millis(50)).await;
        assert!(matches!(finished, Err(LoopbackError::TimedOut)));
    }
}
