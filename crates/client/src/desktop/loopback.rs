//! The desktop's end of a browser sign-in (RFC 8252): a one-shot HTTP listener on
//! 127.0.0.1 at a free port, a PKCE pair and a state. The system browser comes back to it
//! from the server with a one-time code, which is then exchanged with the verifier.

use crate::api::Tokens;
use crate::{ApiError, Client};
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use secrecy::SecretString;
use sha2::{Digest, Sha256};
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
    verifier: SecretString,
    challenge: String,
    state: String,
    returned: oneshot::Receiver<HashMap<String, String>>,
    server: tokio::task::JoinHandle<()>,
}

fn random() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
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
        let verifier = random();
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        Ok(Loopback {
            redirect_uri: format!("http://127.0.0.1:{port}/callback"),
            verifier: SecretString::from(verifier),
            challenge,
            state: random(),
            returned,
            server,
        })
    }

    /// Where to open the system browser for single sign-on to the account at `address`.
    pub fn sso_url(&self, client: &Client, address: &str) -> Result<Url, ApiError> {
        client.sso_start_url(address, &self.redirect_uri, &self.challenge, &self.state)
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
            &self.challenge,
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
                &self.challenge,
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
        if params.get("state").map(String::as_str) != Some(self.state.as_str()) {
            return Err(LoopbackError::WrongState);
        }
        if let Some(code) = params.get("code") {
            return Ok(client.exchange(code, &self.verifier).await?);
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
