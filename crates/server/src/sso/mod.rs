//! Signing in through a browser and an OpenID Connect provider: single sign-on to an
//! account (`account`) and social sign-in (`identities`), which share this flow (RFC 8252).
//!
//! The desktop opens the system browser at a `start` URL with a loopback `redirect_uri` and a
//! PKCE challenge. The server runs the code flow with the provider (its own state, nonce and
//! PKCE), decides whose profile the identity is, and sends the browser back to the loopback
//! address with a one-time code, which the desktop trades with its PKCE verifier for a session.

mod account;
mod identities;

pub use account::{configure, start};
pub use identities::{link, start_connect, start_social, unlink};

use crate::accounts::scope;
use crate::error::{AppError, AppResult};
use crate::signin::{self, Caller};
use crate::social::{OAuth2Endpoints, SocialProvider};
use crate::state::AppState;
use crate::store::profiles::{self, NewProfile};
use crate::store::sso::{self, AttemptRow, NewExchange, NewIdentity, PendingLink, ProviderRow};
use crate::store::{accounts, employees};
use crate::tokens;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use lanyard_core::Error;
use lanyard_core::api::{Profile, SsoConfig, SsoSettings, Tokens};
use lanyard_core::policy::Status;
use lanyard_core::values::Email;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, PkceCodeChallenge,
    PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use openidconnect::{EndpointMaybeSet, EndpointNotSet, EndpointSet};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use url::Url;

const ATTEMPT_TTL: Duration = Duration::minutes(10);
const EXCHANGE_TTL: Duration = Duration::minutes(2);
const LINK_TTL: Duration = Duration::minutes(10);

/// An HTTP client for talking to providers: no redirects (a provider that redirects its
/// token endpoint could point the server anywhere), short timeouts.
fn http() -> AppResult<openidconnect::reqwest::Client> {
    openidconnect::reqwest::Client::builder()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| AppError::Internal(format!("http client: {e}")))
}

fn callback_url(state: &AppState) -> String {
    let mut url = state.public_url.clone();
    url.set_path("api/v1/sso/callback");
    url.to_string()
}

type ProviderClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A client of the provider, from its discovery document.
async fn client(
    state: &AppState,
    provider: &ProviderRow,
    http: &openidconnect::reqwest::Client,
) -> AppResult<ProviderClient> {
    let unreachable =
        |what: String| Error::invalid("issuer", format!("the provider does not answer: {what}"));
    let issuer = IssuerUrl::new(provider.issuer.clone()).map_err(|e| unreachable(e.to_string()))?;
    let metadata = CoreProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(|e| unreachable(e.to_string()))?;
    let redirect =
        RedirectUrl::new(callback_url(state)).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(provider.client_id.clone()),
        Some(ClientSecret::new(provider.client_secret.clone())),
    )
    .set_redirect_uri(redirect))
}

/// RFC 8252: the desktop listens on a loopback IP literal, on any port.
fn loopback(redirect_uri: &str) -> Result<Url, Error> {
    let url = Url::parse(redirect_uri).map_err(|_| Error::invalid("redirect_uri", "not a URL"))?;
    let host_ok = matches!(url.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback())
        || matches!(url.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback());
    if url.scheme() != "http" || !host_ok || url.fragment().is_some() {
        return Err(Error::invalid(
            "redirect_uri",
            "must be http://127.0.0.1:<port>/… or http://[::1]:<port>/…",
        ));
    }
    Ok(url)
}

/// A PKCE S256 challenge: 43 base64url characters.
fn challenge(raw: &str) -> Result<String, Error> {
    let valid = raw.len() == 43
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid {
        Ok(raw.to_owned())
    } else {
        Err(Error::invalid(
            "code_challenge",
            "must be an S256 PKCE challenge",
        ))
    }
}

/// What the desktop sent: where to come back to, its PKCE challenge and its state.
struct Desktop {
    redirect_uri: Url,
    code_challenge: String,
    state: String,
}

impl Desktop {
    fn check(redirect_uri: &str, code_challenge: &str, state: &str) -> Result<Desktop, Error> {
        Ok(Desktop {
            redirect_uri: loopback(redirect_uri)?,
            code_challenge: challenge(code_challenge)?,
            state: state.to_owned(),
        })
    }
}

/// What a browser sign-in is for.
enum Target {
    Account(String),
    /// A social provider by name, optionally for one account (by id).
    Social(String, Option<String>),
    /// A social provider by name, connecting its identity to this signed-in profile.
    Connect(String, String),
}

/// Records the attempt and sends the browser to the provider with our own state, nonce and PKCE.
async fn begin(
    state: &AppState,
    provider: &ProviderRow,
    target: Target,
    desktop: Desktop,
) -> AppResult<Url> {
    let client = client(state, provider, &http()?).await?;
    let (pkce, verifier) = PkceCodeChallenge::new_random_sha256();
    let our_state = tokens::random();
    let nonce = tokens::random();
    let (csrf, once) = (
        our_state.expose_secret().to_owned(),
        nonce.expose_secret().to_owned(),
    );
    let (url, _, _) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            move || CsrfToken::new(csrf),
            move || Nonce::new(once),
        )
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(pkce)
        .url();
    remember(state, &our_state, &nonce, &verifier, target, desktop).await?;
    Ok(url)
}

/// The same for a plain OAuth2 provider: its authorize URL, with our state and PKCE.
async fn begin_oauth2(
    state: &AppState,
    endpoints: &OAuth2Endpoints,
    client_id: &str,
    target: Target,
    desktop: Desktop,
) -> AppResult<Url> {
    let (pkce, verifier) = PkceCodeChallenge::new_random_sha256();
    let our_state = tokens::random();
    let mut url = endpoints.authorize.clone();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", &callback_url(state))
        .append_pair("scope", &endpoints.scopes)
        .append_pair("state", our_state.expose_secret())
        .append_pair("code_challenge", pkce.as_str())
        .append_pair("code_challenge_method", "S256");
    // OAuth2 has no nonce; the attempt's is unused.
    let nonce = tokens::random();
    remember(state, &our_state, &nonce, &verifier, target, desktop).await?;
    Ok(url)
}

/// Keeps what the provider's answer is checked against, under the digest of our state.
async fn remember(
    state: &AppState,
    our_state: &SecretString,
    nonce: &SecretString,
    verifier: &PkceCodeVerifier,
    target: Target,
    desktop: Desktop,
) -> AppResult<()> {
    let (account_id, social, connect_profile) = match target {
        Target::Account(id) => (Some(id), None, None),
        Target::Social(name, account) => (account, Some(name), None),
        Target::Connect(name, profile) => (None, Some(name), Some(profile)),
    };
    let attempt = AttemptRow {
        account_id,
        social,
        connect_profile,
        nonce: nonce.expose_secret().to_owned(),
        pkce_verifier: verifier.secret().to_owned(),
        redirect_uri: desktop.redirect_uri.to_string(),
        client_state: desktop.state,
        code_challenge: desktop.code_challenge,
    };
    let expires_at = state.clock.now() + ATTEMPT_TTL;
    sso::insert_attempt(
        &state.db,
        &tokens::digest(our_state.expose_secret()),
        &attempt,
        expires_at,
    )
    .await?;
    Ok(())
}

/// What the provider said about the person.
struct Verified {
    issuer: String,
    subject: String,
    email: Option<Email>,
}

/// The provider sent the browser back: finish its code flow, find the employee, and send the
/// browser on to the desktop with a one-time code (or with the reason it failed).
pub async fn callback(
    state: &AppState,
    our_state: &str,
    code: Option<&str>,
    error: Option<&str>,
) -> AppResult<Url> {
    let attempt = sso::take_attempt(&state.db, &tokens::digest(our_state), state.clock.now())
        .await?
        .ok_or(Error::InvalidToken)?;
    let mut back =
        Url::parse(&attempt.redirect_uri).map_err(|e| AppError::Internal(e.to_string()))?;
    let outcome = match (code, error) {
        (Some(code), None) => finish(state, &attempt, code).await,
        (_, error) => Err(AppError::from(Error::invalid(
            "code",
            format!("the provider refused: {}", error.unwrap_or("no code")),
        ))),
    };
    {
        let mut query = back.query_pairs_mut();
        match outcome {
            Ok(code) => query.append_pair("code", code.expose_secret()),
            Err(AppError::Domain(refusal)) => query
                .append_pair("error", "access_denied")
                .append_pair("error_code", refusal.code())
                .append_pair("error_description", &refusal.to_string()),
            Err(internal) => return Err(internal),
        };
        query.append_pair("state", &attempt.client_state);
    }
    Ok(back)
}

/// The code the browser carries back to the desktop.
async fn one_time_code(
    state: &AppState,
    attempt: &AttemptRow,
    profile_id: &str,
    account_id: Option<&str>,
    link: Option<&PendingLink>,
) -> AppResult<SecretString> {
    let code = tokens::random();
    let exchange = NewExchange {
        code_hash: &tokens::digest(code.expose_secret()),
        code_challenge: &attempt.code_challenge,
        profile_id,
        account_id,
        link,
        expires_at: state.clock.now() + EXCHANGE_TTL,
    };
    sso::insert_exchange(&state.db, &exchange).await?;
    Ok(code)
}

/// Trades the provider's code for its ID token and checks it (signature, issuer, audience,
/// nonce, expiry). Only a verified email counts.
async fn verify(
    state: &AppState,
    provider: &ProviderRow,
    attempt: &AttemptRow,
    code: &str,
) -> AppResult<Verified> {
    let http = http()?;
    let client = client(state, provider, &http).await?;
    let refused = |what: String| {
        Error::invalid(
            "code",
            format!("the provider's answer does not check out: {what}"),
        )
    };
    let response = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .map_err(|e| refused(e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(attempt.pkce_verifier.clone()))
        .request_async(&http)
        .await
        .map_err(|e| refused(e.to_string()))?;
    let id_token = response
        .id_token()
        .ok_or_else(|| refused("no ID token".into()))?;
    let claims = id_token
        .claims(
            &client.id_token_verifier(),
            &Nonce::new(attempt.nonce.clone()),
        )
        .map_err(|e| refused(e.to_string()))?;
    let email = match (claims.email(), claims.email_verified()) {
        (Some(email), Some(true)) => Email::parse(email.as_str()).ok(),
        _ => None,
    };
    Ok(Verified {
        issuer: claims.issuer().as_str().to_owned(),
        subject: claims.subject().as_str().to_owned(),
        email,
    })
}

/// Trades a plain OAuth2 provider's code for an access token (client credentials in HTTP
/// Basic, PKCE verifier in the body) and asks its userinfo endpoint who this is.
async fn verify_oauth2(
    state: &AppState,
    provider: &SocialProvider,
    endpoints: &OAuth2Endpoints,
    attempt: &AttemptRow,
    code: &str,
) -> AppResult<Verified> {
    let refused = |what: String| {
        Error::invalid(
            "code",
            format!("the provider's answer does not check out: {what}"),
        )
    };
    let http = http()?;
    let callback = callback_url(state);
    let answer = http
        .post(endpoints.token.clone())
        .basic_auth(&provider.client_id, Some(provider.secret()))
        .header("accept", "application/json")
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", callback.as_str()),
            ("code_verifier", attempt.pkce_verifier.as_str()),
        ])
        .send()
        .await
        .map_err(|e| refused(e.to_string()))?;
    let token = json_of(answer).await.map_err(refused)?;
    let access = token["access_token"]
        .as_str()
        .ok_or_else(|| refused("no access token".into()))?;
    let answer = http
        .get(endpoints.userinfo.clone())
        .bearer_auth(access)
        .header("accept", "application/json")
        .send()
        .await
        .map_err(|e| refused(e.to_string()))?;
    let info = json_of(answer).await.map_err(refused)?;
    let subject = match (&info["sub"], &info["id"]) {
        (serde_json::Value::String(sub), _) => sub.clone(),
        (_, serde_json::Value::String(id)) => id.clone(),
        (_, serde_json::Value::Number(id)) => id.to_string(),
        _ => return Err(refused("no subject (sub or id)".into()).into()),
    };
    let email = match (&info["email"], &info["email_verified"]) {
        (serde_json::Value::String(email), serde_json::Value::Bool(true)) => {
            Email::parse(email).ok()
        }
        _ => None,
    };
    Ok(Verified {
        issuer: provider.issuer.clone(),
        subject,
        email,
    })
}

/// A provider's JSON answer, or why there is none.
async fn json_of(answer: openidconnect::reqwest::Response) -> Result<serde_json::Value, String> {
    let status = answer.status();
    let body = answer.bytes().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("HTTP {status}"));
    }
    serde_json::from_slice(&body).map_err(|e| e.to_string())
}

/// The desktop trades the one-time code and its PKCE verifier for a session.
pub async fn exchange(
    state: &AppState,
    code: &SecretString,
    verifier: &SecretString,
) -> AppResult<Tokens> {
    let row = sso::take_exchange(
        &state.db,
        &tokens::digest(code.expose_secret()),
        state.clock.now(),
    )
    .await?
    .ok_or(Error::InvalidToken)?;
    let computed = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.expose_secret().as_bytes()));
    if !bool::from(computed.as_bytes().ct_eq(row.code_challenge.as_bytes())) {
        return Err(Error::InvalidToken.into());
    }
    if let Some(pending) = row.pending_link() {
        let link_token = tokens::random();
        let expires_at = state.clock.now() + LINK_TTL;
        sso::insert_link_token(
            &state.db,
            &tokens::digest(link_token.expose_secret()),
            &row.profile_id,
            &pending,
            expires_at,
        )
        .await?;
        return Err(Error::LinkRequired {
            link_token,
            email: pending.email,
        }
        .into());
    }
    let account = match &row.account_id {
        Some(id) => accounts::by_id(&state.db, id).await?,
        None => None,
    };
    signin::start(
        state,
        &row.profile_id,
        Some("Single sign-on"),
        account.as_ref(),
    )
    .await
}

async fn finish(state: &AppState, attempt: &AttemptRow, code: &str) -> AppResult<SecretString> {
    match (&attempt.account_id, &attempt.social) {
        (_, Some(name)) => identities::finish(state, attempt, name, code).await,
        (Some(account_id), None) => account::finish(state, attempt, account_id, code).await,
        (None, None) => Err(Error::InvalidToken.into()),
    }
}
