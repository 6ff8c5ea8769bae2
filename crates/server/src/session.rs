//! Sessions as every use case meets them: who is calling (`Caller`, from a bearer token),
//! what a new session may act for (`Grant`), and opening one once a profile proved who it is.
//! Signing in (password, QR, browser) and refreshing build on this.

use crate::error::{AppResult, Context};
use crate::events;
use crate::state::AppState;
use crate::store::accounts::{self, AccountRow};
use crate::store::employees;
use crate::store::profiles::{self, ProfileRow};
use crate::store::sessions::{self, Liveness, NewSession};
use crate::store::sso::IdentityRow;
use crate::tokens::{self, ACCESS_TTL, Claims};
use chrono::{DateTime, Duration, Utc};
use lanyard_core::Error;
use lanyard_core::api::{Event, SessionScope, Tokens};
use lanyard_core::ids::{AccountId, ProfileId, SessionId};
use lanyard_core::policy::{Member, Status};
use lanyard_core::values::{Address, DeviceName};
use secrecy::{ExposeSecret, SecretString};

/// A session lives this long after its last refresh (and never past the absolute lifetime,
/// `Config::session_lifetime`).
pub const SESSION_IDLE_TTL: Duration = Duration::days(14);

/// Who made an authenticated request, and what their session may act for.
#[derive(Debug, Clone)]
pub struct Caller {
    pub profile_id: ProfileId,
    pub session_id: SessionId,
    pub scope: SessionScope,
    /// The account the session belongs to (a desktop tab), if any.
    pub account_id: Option<AccountId>,
}

impl Caller {
    /// Refuses a session that may act only inside one account (an account's single sign-on)
    /// what belongs to the profile: other accounts, names, email, password, sessions,
    /// identities, QR approval, deletion.
    pub fn require_profile(&self) -> Result<(), Error> {
        match self.scope {
            SessionScope::Profile => Ok(()),
            SessionScope::Account => Err(Error::ProfileSessionRequired),
        }
    }

    /// Whether the session may act inside `account_id`: a profile session anywhere the
    /// profile may, an account session only in its own account.
    pub fn may_act_in(&self, account_id: &str) -> Result<(), Error> {
        match self.scope {
            SessionScope::Profile => Ok(()),
            SessionScope::Account if self.account_id.as_deref() == Some(account_id) => Ok(()),
            SessionScope::Account => Err(Error::ProfileSessionRequired),
        }
    }
}

/// What a new session is for: the account of a desktop tab, if any, and its scope.
#[derive(Clone, Copy)]
pub struct Grant<'a> {
    pub account: Option<&'a AccountRow>,
    pub scope: SessionScope,
}

impl<'a> Grant<'a> {
    /// A session made by the profile's own credentials, optionally for one account's tab.
    pub fn profile(account: Option<&'a AccountRow>) -> Grant<'a> {
        Grant {
            account,
            scope: SessionScope::Profile,
        }
    }

    /// A session made by `account`'s single sign-on: it acts there and nowhere else.
    pub fn account_only(account: &'a AccountRow) -> Grant<'a> {
        Grant {
            account: Some(account),
            scope: SessionScope::Account,
        }
    }
}

/// The account at `address` (current or former), if the profile is an active employee there.
/// An unknown address gets the same `no_access` as a foreign one.
pub async fn account_for(
    state: &AppState,
    profile_id: &ProfileId,
    address: &str,
) -> AppResult<AccountRow> {
    let no_access = || Error::NoAccess {
        address: address.trim().to_owned(),
    };
    let account = accounts::resolve(&state.db, &Address::lookup_key(address))
        .await?
        .ok_or_else(no_access)?;
    active_in(state, profile_id, &account.id)
        .await?
        .ok_or_else(no_access)?;
    Ok(account)
}

/// The profile's record in the account, if it is active there.
pub async fn active_in(
    state: &AppState,
    profile_id: &ProfileId,
    account_id: &str,
) -> AppResult<Option<Member>> {
    let row = employees::of_profile(&state.db, account_id, profile_id).await?;
    Ok(row
        .map(|row| row.member())
        .filter(|m| m.status == Status::Active))
}

/// Ends everything pending for the profile (`profiles::end_pending_changes`) and tells its
/// other sessions' live streams that they ended.
pub async fn end_pending_changes(
    state: &AppState,
    profile_id: &str,
    keep: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let ended = profiles::end_pending_changes(&state.db, profile_id, keep, now).await?;
    revoked(state, profile_id, ended).await;
    Ok(())
}

/// Tells the profile's live streams that these sessions ended.
pub async fn revoked(state: &AppState, profile_id: &str, session_ids: Vec<String>) {
    if !session_ids.is_empty() {
        events::publish(state, profile_id, Event::SessionsRevoked { session_ids }).await;
    }
}

/// Opens a session (a new refresh-token family) for a profile that has proved who it is.
pub async fn open(
    state: &AppState,
    profile_id: &ProfileId,
    device_name: &DeviceName,
    grant: Grant<'_>,
) -> AppResult<Tokens> {
    let now = state.clock.now();
    let session_id = state.new_id();
    let refresh = tokens::random();
    sessions::insert(
        &state.db,
        &NewSession {
            id: &session_id,
            profile_id,
            account_id: grant.account.map(|a| a.id.as_str()),
            device_name: device_name.as_str(),
            scope: grant.scope,
            refresh_hash: &tokens::digest(refresh.expose_secret()),
            now,
            expires_at: now + SESSION_IDLE_TTL,
            ends_at: now + state.session_lifetime,
        },
    )
    .await?;
    let event = Event::SignedIn {
        session_id: session_id.clone(),
        device_name: device_name.as_str().to_owned(),
    };
    events::publish(state, profile_id.as_str(), event).await;
    tokens_for(state, profile_id, &session_id, grant, refresh, now)
}

pub fn tokens_for(
    state: &AppState,
    profile_id: &ProfileId,
    session_id: &str,
    grant: Grant<'_>,
    refresh_token: SecretString,
    now: DateTime<Utc>,
) -> AppResult<Tokens> {
    let account = grant.account;
    let access_token = state
        .access
        .issue(
            profile_id,
            session_id,
            account.map(|a| a.id.as_str()),
            grant.scope,
            now,
        )
        .context("signing an access token")?;
    Ok(Tokens {
        access_token,
        refresh_token,
        token_type: "Bearer".into(),
        expires_in: ACCESS_TTL.num_seconds().unsigned_abs(),
        profile_id: profile_id.to_string(),
        account: account.map(AccountRow::reference),
        scope: grant.scope,
    })
}

/// The caller behind a bearer token, as long as its session is live.
pub async fn authenticate(state: &AppState, access_token: &SecretString) -> AppResult<Caller> {
    let now = state.clock.now();
    let claims = state.access.verify(access_token, now)?;
    let session = sessions::liveness(&state.db, &claims.sid).await?;
    Ok(admit(claims, session.as_ref(), now)?)
}

/// The caller behind a bearer token, admitted as by [`authenticate`], with its profile and
/// linked identities read in the same statement as the session: what `GET /me` shows.
pub async fn authenticate_with_profile(
    state: &AppState,
    access_token: &SecretString,
) -> AppResult<(Caller, ProfileRow, Vec<IdentityRow>)> {
    let now = state.clock.now();
    let claims = state.access.verify(access_token, now)?;
    let Some(found) = sessions::with_profile(&state.db, &claims.sid).await? else {
        return Err(Error::Unauthorized.into());
    };
    let caller = admit(claims, Some(&found.session), now)?;
    Ok((caller, found.profile, found.identities))
}

/// The caller, if `session` (the one the verified `claims` name) is live, belongs to the
/// token's profile and has the token's scope.
fn admit(claims: Claims, session: Option<&Liveness>, now: DateTime<Utc>) -> Result<Caller, Error> {
    let session = session
        .filter(|session| session.is_live(now) && session.profile_id == claims.sub)
        .ok_or(Error::Unauthorized)?;
    // The stored scope is the authority; a token that claims another is not ours.
    let scope = session
        .scope()
        .filter(|scope| scope.as_str() == claims.scp)
        .ok_or(Error::Unauthorized)?;
    Ok(Caller {
        profile_id: ProfileId::new(claims.sub),
        session_id: SessionId::new(claims.sid),
        scope,
        account_id: session.account_id.clone().map(AccountId::new),
    })
}
