//! Signing in through a browser and an identity provider: single sign-on to an account
//! (`account`) and social sign-in (`identities`), which share this flow (RFC 8252).
//!
//! The desktop opens the system browser at a `start` URL with a loopback `redirect_uri` and a
//! PKCE challenge (`loopback`). The server runs the code flow with the provider (`oidc`, or
//! `oauth2` for plain OAuth2 social providers; calls go out through `outbound`, which keeps
//! account administrators from aiming the server at its own network), decides what the
//! identity may do, and sends the browser back to the loopback address with a one-time code.
//! The desktop trades that code with its PKCE verifier (`exchange`).
//!
//! Trust (SPEC "Sessions and trust"): a session from an account's single sign-on acts only in
//! that account. An identity joins a profile only at the exchange, which PKCE binds to the
//! client that started the flow, and only when the person proved the profile: by being signed
//! in to it (connect), by its password (`link_required`), or — for single sign-on only — by an
//! email under a domain the operator verified for that account. Contact emails never count.

mod account;
mod identities;
mod loopback;
mod oauth2;
mod oidc;
mod outbound;

pub use account::{configure, start};
pub use identities::{link, start_connect, start_social, unlink};

use crate::error::{AppError, AppResult};
use crate::signin::{self, Grant};
use crate::state::AppState;
use crate::store::sso::{self, AttemptRow, ExchangeRow, NewExchange, NewIdentity, PendingLink};
use crate::store::{accounts, profiles};
use crate::tokens;
use chrono::Duration;
use lanyard_core::Error;
use lanyard_core::api::{SessionScope, Tokens};
use lanyard_core::mail::{Message, SecurityEvent};
use lanyard_core::values::Email;
use loopback::Desktop;
use openidconnect::PkceCodeVerifier;
use secrecy::{ExposeSecret, SecretString};
use url::Url;

const ATTEMPT_TTL: Duration = Duration::minutes(10);
const EXCHANGE_TTL: Duration = Duration::minutes(2);
const LINK_TTL: Duration = Duration::minutes(10);

fn callback_url(state: &AppState) -> String {
    let mut url = state.public_url.clone();
    url.set_path("api/v1/sso/callback");
    url.to_string()
}

/// The one answer for a provider's reply that does not check out; the cause is logged.
fn refused() -> Error {
    Error::invalid("code", "the provider's answer does not check out")
}

/// What a browser sign-in is for.
enum Target {
    Account(String),
    /// A social provider by name, optionally for one account (by id).
    Social(String, Option<String>),
    /// A social provider by name, connecting its identity to this signed-in profile.
    Connect(String, String),
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

impl Verified {
    fn identity(&self, provider: &str) -> PendingLink {
        PendingLink {
            issuer: self.issuer.clone(),
            subject: self.subject.clone(),
            provider: provider.to_owned(),
            email: self.email.as_ref().map(|e| e.as_str().to_owned()),
        }
    }
}

/// What the one-time code stands for when the desktop trades it.
enum Outcome {
    /// Sign this profile in.
    SignIn {
        profile_id: String,
        account_id: Option<String>,
        scope: SessionScope,
    },
    /// Link the identity to this profile (it proved the profile), then sign it in.
    Link {
        profile_id: String,
        account_id: Option<String>,
        scope: SessionScope,
        identity: PendingLink,
    },
    /// The person must prove a profile first (`link_required`): the one whose login the
    /// identity's verified email is, when there is one.
    Prove {
        profile_id: Option<String>,
        identity: PendingLink,
    },
}

/// The provider sent the browser back: finish its code flow, decide what the identity may do,
/// and send the browser on to the desktop with a one-time code (or with the reason it failed).
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
        (Some(code), None) => match finish(state, &attempt, code).await {
            Ok(outcome) => one_time_code(state, &attempt, outcome).await,
            Err(error) => Err(error),
        },
        (_, _) => Err(AppError::from(Error::invalid(
            "code",
            "the provider did not sign the person in",
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

async fn finish(state: &AppState, attempt: &AttemptRow, code: &str) -> AppResult<Outcome> {
    match (&attempt.account_id, &attempt.social) {
        (_, Some(name)) => identities::finish(state, attempt, name, code).await,
        (Some(account_id), None) => account::finish(state, attempt, account_id, code).await,
        (None, None) => Err(Error::InvalidToken.into()),
    }
}

/// The code the browser carries back to the desktop.
async fn one_time_code(
    state: &AppState,
    attempt: &AttemptRow,
    outcome: Outcome,
) -> AppResult<SecretString> {
    let code = tokens::random();
    let code_hash = tokens::digest(code.expose_secret());
    let expires_at = state.clock.now() + EXCHANGE_TTL;
    let exchange = match &outcome {
        Outcome::SignIn {
            profile_id,
            account_id,
            scope,
        } => NewExchange {
            profile_id: Some(profile_id),
            account_id: account_id.as_deref(),
            scope: *scope,
            link_mode: None,
            link: None,
            code_hash: &code_hash,
            code_challenge: &attempt.code_challenge,
            expires_at,
        },
        Outcome::Link {
            profile_id,
            account_id,
            scope,
            identity,
        } => NewExchange {
            profile_id: Some(profile_id),
            account_id: account_id.as_deref(),
            scope: *scope,
            link_mode: Some(sso::LinkMode::Link),
            link: Some(identity),
            code_hash: &code_hash,
            code_challenge: &attempt.code_challenge,
            expires_at,
        },
        Outcome::Prove {
            profile_id,
            identity,
        } => NewExchange {
            profile_id: profile_id.as_deref(),
            account_id: None,
            scope: SessionScope::Profile,
            link_mode: Some(sso::LinkMode::Prove),
            link: Some(identity),
            code_hash: &code_hash,
            code_challenge: &attempt.code_challenge,
            expires_at,
        },
    };
    sso::insert_exchange(&state.db, &exchange).await?;
    Ok(code)
}

/// The desktop trades the one-time code and its PKCE verifier for a session. Links happen
/// here, so only the client that started the flow (it alone holds the verifier) can make one.
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
    if !loopback::verifier_matches(verifier, &row.code_challenge) {
        return Err(Error::InvalidToken.into());
    }
    match row.link_mode() {
        Some(sso::LinkMode::Prove) => {
            let identity = row.pending_link().ok_or(Error::InvalidToken)?;
            let link_token = tokens::random();
            sso::insert_pending_link(
                &state.db,
                &tokens::digest(link_token.expose_secret()),
                row.profile_id.as_deref(),
                &identity,
                state.clock.now() + LINK_TTL,
            )
            .await?;
            let email = match &row.profile_id {
                Some(_) => identity.email,
                None => None,
            };
            Err(Error::LinkRequired { link_token, email }.into())
        }
        Some(sso::LinkMode::Link) => {
            let profile_id = row.profile_id.clone().ok_or(Error::InvalidToken)?;
            let identity = row.pending_link().ok_or(Error::InvalidToken)?;
            link_identity(state, &profile_id, &identity, "Single sign-on").await?;
            sign_in(state, &row, &profile_id).await
        }
        None => {
            let profile_id = row.profile_id.clone().ok_or(Error::InvalidToken)?;
            sign_in(state, &row, &profile_id).await
        }
    }
}

async fn sign_in(state: &AppState, row: &ExchangeRow, profile_id: &str) -> AppResult<Tokens> {
    let scope = row.scope().ok_or(Error::InvalidToken)?;
    let account = match &row.account_id {
        Some(id) => accounts::by_id(&state.db, id).await?,
        None => None,
    };
    let (grant, device) = match (scope, account.as_ref()) {
        (SessionScope::Account, Some(account)) => (Grant::account_only(account), "Single sign-on"),
        (SessionScope::Account, None) => return Err(Error::InvalidToken.into()),
        (SessionScope::Profile, account) => (Grant::profile(account), "Social sign-in"),
    };
    signin::start(state, profile_id, Some(device), grant).await
}

/// Links `identity` to the profile, unless another profile has it (`identity_taken`), and
/// tells the profile's login.
async fn link_identity(
    state: &AppState,
    profile_id: &str,
    identity: &PendingLink,
    device: &str,
) -> AppResult<()> {
    let now = state.clock.now();
    let new = NewIdentity {
        issuer: &identity.issuer,
        subject: &identity.subject,
        profile_id,
        provider: &identity.provider,
        email: identity.email.as_deref(),
        now,
    };
    if !sso::link(&state.db, &new).await? {
        return match sso::identity_owner(&state.db, &identity.issuer, &identity.subject).await? {
            Some(owner) if owner == profile_id => Ok(()),
            _ => Err(Error::IdentityTaken.into()),
        };
    }
    let login = profiles::by_id(&state.db, profile_id)
        .await?
        .and_then(|row| row.email.filter(|_| row.email_verified_at.is_some()));
    if let Some(login) = login.and_then(|email| Email::parse(&email).ok()) {
        let event = SecurityEvent::IdentityLinked {
            provider: provider_label(&identity.provider),
        };
        state
            .mailer
            .send(Message::security_notice(
                login,
                &event,
                &now.to_rfc3339(),
                device,
            ))
            .await?;
    }
    Ok(())
}

/// How a person knows the provider: a social provider's name, or "single sign-on of acme".
fn provider_label(provider: &str) -> String {
    match provider.strip_prefix("sso:") {
        Some(address) => format!("single sign-on of {address}"),
        None => provider.to_owned(),
    }
}

/// Removes browser sign-ins, codes and link tokens whose time is up.
pub async fn forget_expired(state: &AppState) -> AppResult<u64> {
    Ok(sso::forget_expired(&state.db, state.clock.now()).await?)
}
