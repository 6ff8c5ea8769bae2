//! Single sign-on through an account's OpenID Connect provider (RFC 8252 for the desktop).
//!
//! The desktop opens the system browser at `sso/start` with a loopback `redirect_uri` and a
//! PKCE challenge. The server runs the code flow with the provider (its own state, nonce and
//! PKCE), matches the provider's verified email to an active employee of the account (linking
//! the provider's issuer and subject to that profile on first use, so later sign-ins follow
//! the identity, not the email), and sends the browser back to the loopback address with a
//! one-time code. The desktop trades the code and its PKCE verifier for a session.

use crate::accounts::scope;
use crate::error::{AppError, AppResult};
use crate::signin::{self, Caller};
use crate::state::AppState;
use crate::store::sso::{self, AttemptRow, NewExchange, NewIdentity, ProviderRow};
use crate::store::{accounts, employees};
use crate::tokens;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use lanyard_core::Error;
use lanyard_core::api::{SsoConfig, SsoSettings, Tokens};
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

/// Administrators set the account's provider. Its discovery document is fetched first, so a
/// typo in the issuer is caught now rather than at someone's first sign-in.
pub async fn configure(
    state: &AppState,
    caller: &Caller,
    address: &str,
    config: &SsoConfig,
) -> AppResult<SsoSettings> {
    let scope = scope(state, caller, address).await?;
    scope.admin()?;
    let provider = ProviderRow {
        issuer: config.issuer.trim().trim_end_matches('/').to_owned(),
        client_id: config.client_id.trim().to_owned(),
        client_secret: config.client_secret.expose_secret().to_owned(),
    };
    if provider.client_id.is_empty() {
        return Err(Error::invalid("client_id", "give the client id the provider issued").into());
    }
    client(state, &provider, &http()?).await?;
    sso::set_provider(&state.db, &scope.account.id, &provider, state.clock.now()).await?;
    Ok(SsoSettings {
        issuer: provider.issuer,
        client_id: provider.client_id,
    })
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

/// Where the browser goes first: the account's provider, with a fresh attempt recorded.
pub async fn start(
    state: &AppState,
    address: &str,
    redirect_uri: &str,
    code_challenge: &str,
    client_state: &str,
) -> AppResult<Url> {
    let redirect_uri = loopback(redirect_uri)?;
    let code_challenge = challenge(code_challenge)?;
    let account = accounts::resolve(&state.db, &address.trim().to_lowercase())
        .await?
        .ok_or(Error::NotFound)?;
    let provider = sso::provider(&state.db, &account.id)
        .await?
        .ok_or(Error::NotFound)?;
    let client = client(state, &provider, &http()?).await?;
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
    let attempt = AttemptRow {
        account_id: Some(account.id),
        nonce: nonce.expose_secret().to_owned(),
        pkce_verifier: verifier.secret().to_owned(),
        redirect_uri: redirect_uri.to_string(),
        client_state: client_state.to_owned(),
        code_challenge,
    };
    let expires_at = state.clock.now() + ATTEMPT_TTL;
    sso::insert_attempt(
        &state.db,
        &tokens::digest(our_state.expose_secret()),
        &attempt,
        expires_at,
    )
    .await?;
    Ok(url)
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

async fn finish(state: &AppState, attempt: &AttemptRow, code: &str) -> AppResult<SecretString> {
    let account_id = attempt.account_id.clone().ok_or(Error::InvalidToken)?;
    let account = accounts::by_id(&state.db, &account_id)
        .await?
        .ok_or(Error::NotFound)?;
    let provider = sso::provider(&state.db, &account.id)
        .await?
        .ok_or(Error::NotFound)?;
    let verified = verify(state, &provider, attempt, code).await?;
    let no_access = || Error::NoAccess {
        address: account.address.clone(),
    };
    let profile_id =
        match sso::identity_owner(&state.db, &verified.issuer, &verified.subject).await? {
            Some(profile_id) => profile_id,
            None => {
                let email = verified.email.as_ref().ok_or_else(no_access)?;
                let profile_id = sso::employee_by_email(&state.db, &account.id, email.as_str())
                    .await?
                    .ok_or_else(no_access)?;
                let identity = NewIdentity {
                    issuer: &verified.issuer,
                    subject: &verified.subject,
                    profile_id: &profile_id,
                    provider: &format!("sso:{}", account.address),
                    email: Some(email.as_str()),
                    now: state.clock.now(),
                };
                sso::link(&state.db, &identity).await?;
                profile_id
            }
        };
    let member = employees::of_profile(&state.db, &account.id, &profile_id).await?;
    if member.map(|m| m.member().status) != Some(Status::Active) {
        return Err(no_access().into());
    }
    let code = tokens::random();
    let exchange = NewExchange {
        code_hash: &tokens::digest(code.expose_secret()),
        code_challenge: &attempt.code_challenge,
        profile_id: &profile_id,
        account_id: Some(&account.id),
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
