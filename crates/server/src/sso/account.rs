//! Single sign-on to an account: an administrator sets its OpenID Connect provider. The
//! provider is the account's, so what it says is trusted for that account only: the session
//! it makes acts there and nowhere else, and its identity joins a profile only with proof
//! (see the module above). Later sign-ins follow the identity, never an email.

use super::attempt::{Outcome, Target};
use super::loopback::Desktop;
use super::oidc;
use super::outbound::Outbound;
use crate::error::AppResult;
use crate::ratelimit::Client;
use crate::scope::scope;
use crate::session::Caller;
use crate::state::AppState;
use crate::store::accounts::{self, AccountRow};
use crate::store::sign_ins::AttemptRow;
use crate::store::sso::{self, ProviderRow};
use crate::store::{employees, profiles};
use lanyard_core::Error;
use lanyard_core::api::{LoopbackStart, SessionScope, SsoConfig, SsoSettings};
use lanyard_core::policy::Status;
use lanyard_core::values::Address;
use secrecy::ExposeSecret;
use tracing::instrument;
use url::Url;

/// Administrators set the account's provider. Its discovery document is fetched first, so a
/// typo in the issuer is caught now rather than at someone's first sign-in.
#[instrument(skip_all)]
pub async fn configure(
    state: &AppState,
    caller: &Caller,
    address: &str,
    config: &SsoConfig,
) -> AppResult<SsoSettings> {
    let scope = scope(state, caller, address).await?;
    scope.admin()?;
    state
        .limits
        .browser_start_per_ip
        .check(&caller.profile_id)
        .await?;
    let provider = ProviderRow {
        issuer: config.issuer.trim().trim_end_matches('/').to_owned(),
        client_id: config.client_id.trim().to_owned(),
        client_secret: config.client_secret.expose_secret().to_owned(),
    };
    if provider.client_id.is_empty() {
        return Err(Error::invalid("client_id", "invalid-client-id").into());
    }
    oidc::client(state, &provider, &outbound(state)?).await?;
    let stored = ProviderRow {
        client_secret: state.sealer.seal(&provider.client_secret)?,
        ..provider.clone()
    };
    sso::set_provider(&state.db, &scope.account.id, &stored, state.clock.now()).await?;
    Ok(SsoSettings {
        issuer: provider.issuer,
        client_id: provider.client_id,
    })
}

/// The client for the account's provider: guarded unless the operator allowed private issuers.
fn outbound(state: &AppState) -> AppResult<Outbound> {
    Ok(Outbound::for_accounts(state.allow_private_issuers)?)
}

/// Where the browser goes first for single sign-on to the account at `address`.
#[instrument(skip_all)]
pub async fn start(
    state: &AppState,
    client: &Client,
    address: &str,
    desktop: &LoopbackStart,
) -> AppResult<Url> {
    state
        .limits
        .browser_start_per_ip
        .check(&client.key())
        .await?;
    let desktop = Desktop::check(desktop)?;
    let account = accounts::resolve(&state.db, &Address::lookup_key(address))
        .await?
        .ok_or(Error::NotFound)?;
    let provider = provider_of(state, &account.id).await?;
    let target = Target::Account {
        account_id: account.id,
    };
    oidc::begin(state, &provider, &outbound(state)?, target, desktop).await
}

/// The provider vouched for a person: the profile its identity is linked to; or, for a first
/// sign-in, the profile whose verified login is the identity's email under a domain the
/// operator verified for this account; or else a request for proof (`link_required`).
pub(super) async fn finish(
    state: &AppState,
    attempt: &AttemptRow,
    account_id: &str,
    code: &str,
) -> AppResult<Outcome> {
    let account = accounts::by_id(&state.db, account_id)
        .await?
        .ok_or(Error::NotFound)?;
    let provider = provider_of(state, &account.id).await?;
    let verified = oidc::verify(state, &provider, &outbound(state)?, attempt, code).await?;
    if let Some(owner) = sso::identity_owner(&state.db, &verified.issuer, &verified.subject).await?
    {
        return Ok(Outcome::SignIn {
            profile_id: active_in(state, &account, owner).await?,
            account_id: Some(account.id.clone()),
            scope: SessionScope::Account,
        });
    }
    let identity = verified.identity(&format!("sso:{}", account.address));
    let holder = match &verified.email {
        Some(email) => profiles::by_email(&state.db, email.as_str())
            .await?
            .filter(|row| row.email_verified_at.is_some()),
        None => None,
    };
    let vouched = match (&verified.email, &holder) {
        (Some(email), Some(_)) => {
            sso::domain_verified(&state.db, &account.id, email.domain()).await?
        }
        _ => false,
    };
    match holder {
        Some(holder) if vouched => Ok(Outcome::Link {
            profile_id: active_in(state, &account, holder.id).await?,
            account_id: Some(account.id.clone()),
            scope: SessionScope::Account,
            identity,
        }),
        holder => Ok(Outcome::Prove {
            profile_id: holder.map(|row| row.id),
            identity,
        }),
    }
}

/// `profile_id`, if it is an active employee of `account`; `no_access` otherwise.
async fn active_in(
    state: &AppState,
    account: &AccountRow,
    profile_id: String,
) -> AppResult<String> {
    let member = employees::of_profile(&state.db, &account.id, &profile_id).await?;
    if member.map(|m| m.member().status) == Some(Status::Active) {
        Ok(profile_id)
    } else {
        Err(Error::NoAccess {
            address: account.address.clone(),
        }
        .into())
    }
}

/// The account's provider, its client secret unsealed.
async fn provider_of(state: &AppState, account_id: &str) -> AppResult<ProviderRow> {
    let stored = sso::provider(&state.db, account_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(ProviderRow {
        client_secret: state.sealer.open(&stored.client_secret)?,
        ..stored
    })
}
