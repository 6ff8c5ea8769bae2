//! The end of every browser sign-in: the provider's callback decides what the identity may do
//! and hands the desktop a one-time code; the desktop trades it, with its PKCE verifier, at the
//! exchange, where sessions start and identities join profiles.

use super::attempt::Outcome;
use super::{account, identities, linking, loopback};
use crate::error::{AppError, AppResult, Context};
use crate::session::{self, Grant};
use crate::state::AppState;
use crate::store::accounts;
use crate::store::sign_ins::{self, AttemptRow, ExchangeRow, LinkMode, NewExchange};
use crate::tokens;
use chrono::Duration;
use lanyard_core::Error;
use lanyard_core::api::{SessionScope, Tokens};
use lanyard_core::ids::ProfileId;
use lanyard_core::values::DeviceName;
use secrecy::{ExposeSecret, SecretString};
use tracing::instrument;
use url::Url;

const EXCHANGE_TTL: Duration = Duration::minutes(2);
const LINK_TTL: Duration = Duration::minutes(10);

/// The provider sent the browser back: finish its code flow, decide what the identity may do,
/// and send the browser on to the desktop with a one-time code (or with the reason it failed).
#[instrument(skip_all)]
pub async fn callback(
    state: &AppState,
    our_state: &str,
    code: Option<&str>,
    error: Option<&str>,
) -> AppResult<Url> {
    let attempt = sign_ins::take_attempt(&state.db, &tokens::digest(our_state), state.clock.now())
        .await?
        .ok_or(Error::InvalidToken)?;
    let mut back =
        Url::parse(&attempt.redirect_uri).context("reading a stored loopback address")?;
    let outcome = match (code, error) {
        (Some(code), None) => match finish(state, &attempt, code).await {
            Ok(outcome) => one_time_code(state, &attempt, outcome).await,
            Err(error) => Err(error),
        },
        (_, _) => Err(AppError::from(Error::invalid(
            "code",
            "invalid-sso-refused",
        ))),
    };
    {
        let mut query = back.query_pairs_mut();
        match outcome {
            Ok(code) => query.append_pair("code", code.expose_secret()),
            Err(AppError::Domain(refusal)) => query
                .append_pair("error", "access_denied")
                .append_pair("error_code", refusal.code().as_str())
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
    let (profile_id, account_id, scope, link_mode, link) = match &outcome {
        Outcome::SignIn {
            profile_id,
            account_id,
            scope,
        } => (Some(profile_id), account_id, *scope, None, None),
        Outcome::Link {
            profile_id,
            account_id,
            scope,
            identity,
        } => (
            Some(profile_id),
            account_id,
            *scope,
            Some(LinkMode::Link),
            Some(identity),
        ),
        Outcome::Prove {
            profile_id,
            identity,
        } => (
            profile_id.as_ref(),
            &None,
            SessionScope::Profile,
            Some(LinkMode::Prove),
            Some(identity),
        ),
    };
    let code = tokens::random();
    let exchange = NewExchange {
        profile_id: profile_id.map(String::as_str),
        account_id: account_id.as_deref(),
        scope,
        link_mode,
        link,
        code_hash: &tokens::digest(code.expose_secret()),
        code_challenge: &attempt.code_challenge,
        expires_at: state.clock.now() + EXCHANGE_TTL,
    };
    sign_ins::insert_exchange(&state.db, &exchange).await?;
    Ok(code)
}

/// The desktop trades the one-time code and its PKCE verifier for a session. Links happen
/// here, so only the client that started the flow (it alone holds the verifier) can make one.
#[instrument(skip_all)]
pub async fn exchange(
    state: &AppState,
    code: &SecretString,
    verifier: &SecretString,
) -> AppResult<Tokens> {
    let row = sign_ins::take_exchange(
        &state.db,
        &tokens::digest(code.expose_secret()),
        state.clock.now(),
    )
    .await?
    .ok_or(Error::InvalidToken)?;
    if !loopback::verifier_matches(verifier, &row.code_challenge) {
        return Err(Error::InvalidToken.into());
    }
    match row.link_mode()? {
        Some(LinkMode::Prove) => {
            let identity = row.pending_link().ok_or(Error::InvalidToken)?;
            let link_token = tokens::random();
            sign_ins::insert_pending_link(
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
        Some(LinkMode::Link) => {
            let profile_id = row.profile_id.clone().ok_or(Error::InvalidToken)?;
            let identity = row.pending_link().ok_or(Error::InvalidToken)?;
            linking::link_identity(state, &profile_id, &identity, "Single sign-on").await?;
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
    let device = DeviceName::from_client(Some(device));
    session::open(state, &ProfileId::new(profile_id), &device, grant).await
}

/// Removes browser sign-ins, codes and link tokens whose time is up.
#[instrument(skip_all)]
pub async fn forget_expired(state: &AppState) -> AppResult<u64> {
    Ok(sign_ins::forget_expired(&state.db, state.clock.now()).await?)
}
