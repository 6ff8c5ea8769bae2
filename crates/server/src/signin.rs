//! Sessions: sign-in with a login and password, refresh-token rotation with reuse detection,
//! sign-out, and the profile's list of sessions.

use crate::error::{AppError, AppResult};
use crate::ratelimit::{Client, login_key};
use crate::state::AppState;
use crate::store::accounts::{self, AccountRow};
use crate::store::employees;
use crate::store::profiles::{self, ProfileRow};
use crate::store::sessions::{self, NewSession, Rotation};
use crate::tokens::{self, ACCESS_TTL};
use chrono::{DateTime, Duration, Utc};
use lanyard_core::Error;
use lanyard_core::api::{AccountRef, LoginRequest, Session, SessionScope, Tokens};
use lanyard_core::policy::{Member, Status};
use lanyard_core::values::{Address, Email, Login, Phone};
use secrecy::{ExposeSecret, SecretString};

/// A session lives this long after its last refresh (and never past the absolute lifetime,
/// `Config::session_lifetime`).
const SESSION_IDLE_TTL: Duration = Duration::days(14);
const DEVICE_NAME_MAX_CHARS: usize = 100;

/// Who made an authenticated request, and what their session may act for.
#[derive(Debug, Clone)]
pub struct Caller {
    pub profile_id: String,
    pub session_id: String,
    pub scope: SessionScope,
    /// The account the session belongs to (a desktop tab), if any.
    pub account_id: Option<String>,
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

/// Signs in with a login and password. Wrong passwords count against the login *from this
/// client* only (SPEC "Sessions and trust" 6): someone guessing elsewhere cannot lock the
/// owner out, and a right password clears the count.
pub async fn login(state: &AppState, client: &Client, request: LoginRequest) -> AppResult<Tokens> {
    state.limits.sign_in_per_ip.check(&client.key())?;
    let login = Login::parse(&request.login)?;
    let key = login_key(login.as_str(), client);
    state.limits.password_failures.check(&key)?;
    let profile = match &login {
        Login::Email(email) => profiles::by_email(&state.db, email.as_str()).await?,
        Login::Phone(phone) => profiles::by_phone(&state.db, phone.as_str()).await?,
    };
    // Unknown logins are verified against a dummy hash: same cost, same answer.
    let stored = profile.as_ref().and_then(|p| p.password_hash.as_deref());
    let matches = state.hasher.verify(&request.password, stored).await?;
    let profile = match profile {
        Some(profile) if matches => profile,
        _ => {
            state.limits.password_failures.failed(&key);
            return Err(Error::InvalidCredentials.into());
        }
    };
    state.limits.password_failures.succeeded(&key);
    require_verified(state, &profile, &login).await?;
    let account = match &request.account {
        Some(address) => Some(account_for(state, &profile.id, address).await?),
        None => None,
    };
    start(
        state,
        &profile.id,
        request.device_name.as_deref(),
        Grant::profile(account.as_ref()),
    )
    .await
}

/// The account at `address` (current or former), if the profile is an active employee there.
/// An unknown address gets the same `no_access` as a foreign one.
pub async fn account_for(
    state: &AppState,
    profile_id: &str,
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
async fn active_in(
    state: &AppState,
    profile_id: &str,
    account_id: &str,
) -> AppResult<Option<Member>> {
    let row = employees::of_profile(&state.db, account_id, profile_id).await?;
    Ok(row
        .map(|row| row.member())
        .filter(|m| m.status == Status::Active))
}

/// A correct password on an unproved login: send a fresh link or code and say so.
async fn require_verified(state: &AppState, profile: &ProfileRow, login: &Login) -> AppResult<()> {
    match login {
        Login::Email(email) if profile.email_verified_at.is_none() => {
            crate::signup::send_email_link(state, &profile.id, Email::clone(email)).await?;
            Err(Error::Unverified.into())
        }
        Login::Phone(phone) if profile.phone_verified_at.is_none() => {
            crate::signup::send_sms_code(state, &profile.id, Phone::clone(phone)).await?;
            Err(Error::Unverified.into())
        }
        _ => Ok(()),
    }
}

/// Opens a session (a new refresh-token family) for a profile that has proved who it is.
pub async fn start(
    state: &AppState,
    profile_id: &str,
    device_name: Option<&str>,
    grant: Grant<'_>,
) -> AppResult<Tokens> {
    let device_name: String = device_name
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .unwrap_or("Unknown device")
        .chars()
        .filter(|c| !c.is_control())
        .take(DEVICE_NAME_MAX_CHARS)
        .collect();
    let now = state.clock.now();
    let session_id = state.new_id();
    let refresh = tokens::random();
    sessions::insert(
        &state.db,
        &NewSession {
            id: &session_id,
            profile_id,
            account_id: grant.account.map(|a| a.id.as_str()),
            device_name: &device_name,
            scope: grant.scope,
            refresh_hash: &tokens::digest(refresh.expose_secret()),
            now,
            expires_at: now + SESSION_IDLE_TTL,
            ends_at: now + state.session_lifetime,
        },
    )
    .await?;
    tokens_for(state, profile_id, &session_id, grant, refresh, now)
}

fn tokens_for(
    state: &AppState,
    profile_id: &str,
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
        .map_err(|e| AppError::Internal(format!("signing an access token: {e}")))?;
    Ok(Tokens {
        access_token,
        refresh_token,
        token_type: "Bearer".into(),
        expires_in: ACCESS_TTL.num_seconds().unsigned_abs(),
        profile_id: profile_id.to_owned(),
        account: account.map(|a| AccountRef {
            id: a.id.clone(),
            address: a.address.clone(),
            name: a.name.clone(),
        }),
        scope: grant.scope,
    })
}

/// Trades a current refresh token for a new pair. A token that was already traded is a sign
/// that it leaked: the whole family is revoked, so neither the thief nor the owner keeps it.
pub async fn refresh(state: &AppState, refresh_token: &SecretString) -> AppResult<Tokens> {
    let now = state.clock.now();
    let old_hash = tokens::digest(refresh_token.expose_secret());
    let new = tokens::random();
    let new_hash = tokens::digest(new.expose_secret());
    match sessions::rotate(&state.db, &old_hash, &new_hash, now, now + SESSION_IDLE_TTL).await? {
        Rotation::Rotated(session) => {
            let scope = session.scope().ok_or(Error::SessionExpired)?;
            // A tab's session lives only as long as its employee record is active.
            let account = match &session.account_id {
                Some(account_id) => {
                    match active_in(state, &session.profile_id, account_id).await? {
                        Some(_) => accounts::by_id(&state.db, account_id).await?,
                        None => {
                            sessions::revoke(&state.db, &session.profile_id, &session.id, now)
                                .await?;
                            return Err(Error::SessionExpired.into());
                        }
                    }
                }
                None => None,
            };
            let grant = Grant {
                account: account.as_ref(),
                scope,
            };
            tokens_for(state, &session.profile_id, &session.id, grant, new, now)
        }
        Rotation::Reused { session_id } => {
            tracing::warn!(session = %session_id, "refresh token reused: session revoked");
            Err(Error::SessionExpired.into())
        }
        Rotation::Dead => Err(Error::SessionExpired.into()),
    }
}

/// Ends the session a refresh token belongs to. Unknown tokens are ignored: the outcome the
/// caller wants (that token no longer works) holds either way.
pub async fn logout(state: &AppState, refresh_token: &SecretString) -> AppResult<()> {
    let hash = tokens::digest(refresh_token.expose_secret());
    if let Some(session_id) = sessions::id_by_token(&state.db, &hash).await?
        && let Some(session) = sessions::by_id(&state.db, &session_id).await?
    {
        sessions::revoke(
            &state.db,
            &session.profile_id,
            &session.id,
            state.clock.now(),
        )
        .await?;
    }
    Ok(())
}

/// The caller behind a bearer token, as long as its session is live.
pub async fn authenticate(state: &AppState, access_token: &SecretString) -> AppResult<Caller> {
    let now = state.clock.now();
    let claims = state.access.verify(access_token, now)?;
    let session = sessions::by_id(&state.db, &claims.sid)
        .await?
        .filter(|session| session.is_live(now) && session.profile_id == claims.sub)
        .ok_or(Error::Unauthorized)?;
    // The stored scope is the authority; a token that claims another is not ours.
    let scope = session
        .scope()
        .filter(|scope| scope.as_str() == claims.scp)
        .ok_or(Error::Unauthorized)?;
    Ok(Caller {
        profile_id: claims.sub,
        session_id: claims.sid,
        scope,
        account_id: session.account_id,
    })
}

pub async fn list(state: &AppState, caller: &Caller) -> AppResult<Vec<Session>> {
    let rows = sessions::live(&state.db, &caller.profile_id, state.clock.now()).await?;
    Ok(rows
        .into_iter()
        .map(|row| Session {
            current: row.id == caller.session_id,
            created_at: row.created_at(),
            last_used_at: row.last_used_at(),
            id: row.id,
            device_name: row.device_name,
        })
        .collect())
}

pub async fn revoke(state: &AppState, caller: &Caller, session_id: &str) -> AppResult<()> {
    if sessions::revoke(&state.db, &caller.profile_id, session_id, state.clock.now()).await? {
        Ok(())
    } else {
        Err(Error::NotFound.into())
    }
}
