//! Signing in with a login and password, refresh-token rotation with reuse detection,
//! sign-out, and the profile's list of sessions.

use crate::error::AppResult;
use crate::ratelimit::{Client, login_key};
use crate::session::{self, Caller, Grant, SESSION_IDLE_TTL};
use crate::state::AppState;
use crate::store::accounts;
use crate::store::one_time::Purpose;
use crate::store::profiles::{self, ProfileRow};
use crate::store::sessions::{self, Rotation};
use crate::tokens;
use crate::verification;
use lanyard_core::Error;
use lanyard_core::api::{LoginRequest, Session, Tokens};
use lanyard_core::ids::ProfileId;
use lanyard_core::values::{DeviceName, Email, Login, Phone};
use secrecy::{ExposeSecret, SecretString};
use tracing::instrument;

/// Signs in with a login and password. Wrong passwords count against the login *from this
/// client* only (SPEC "Sessions and trust" 6): someone guessing elsewhere cannot lock the
/// owner out, and a right password clears the count.
#[instrument(skip_all)]
pub async fn login(state: &AppState, client: &Client, request: LoginRequest) -> AppResult<Tokens> {
    state.limits.sign_in_per_ip.check(&client.key()).await?;
    let login = Login::parse(&request.login)?;
    let key = login_key(login.as_str(), client);
    state.limits.password_failures.check(&key).await?;
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
            state.limits.password_failures.failed(&key).await?;
            return Err(Error::InvalidCredentials.into());
        }
    };
    state.limits.password_failures.succeeded(&key).await?;
    require_verified(state, &profile, &login).await?;
    let profile_id = ProfileId::new(profile.id);
    let account = match &request.account {
        Some(address) => Some(session::account_for(state, &profile_id, address).await?),
        None => None,
    };
    let device = DeviceName::from_client(request.device_name.as_deref());
    session::open(
        state,
        &profile_id,
        &device,
        Grant::profile(account.as_ref()),
    )
    .await
}

/// A correct password on an unproved login: send a fresh link or code and say so.
async fn require_verified(state: &AppState, profile: &ProfileRow, login: &Login) -> AppResult<()> {
    match login {
        Login::Email(email) if profile.email_verified_at.is_none() => {
            let (id, email) = (&profile.id, Email::clone(email));
            verification::send_email_link(state, id, email, profile.language()).await?;
            Err(Error::Unverified.into())
        }
        Login::Phone(phone) if profile.phone_verified_at.is_none() => {
            verification::send_sms_code(
                state,
                Purpose::VerifyPhone,
                &profile.id,
                Phone::clone(phone),
                profile.language(),
            )
            .await?;
            Err(Error::Unverified.into())
        }
        _ => Ok(()),
    }
}

/// Trades a current refresh token for a new pair. A token that was already traded is a sign
/// that it leaked: the whole family is revoked, so neither the thief nor the owner keeps it.
#[instrument(skip_all)]
pub async fn refresh(state: &AppState, refresh_token: &SecretString) -> AppResult<Tokens> {
    let now = state.clock.now();
    let old_hash = tokens::digest(refresh_token.expose_secret());
    let new = tokens::random();
    let new_hash = tokens::digest(new.expose_secret());
    match sessions::rotate(&state.db, &old_hash, &new_hash, now, now + SESSION_IDLE_TTL).await? {
        Rotation::Rotated(row) => {
            let scope = row.scope().ok_or(Error::SessionExpired)?;
            let profile_id = ProfileId::new(row.profile_id);
            // A tab's session lives only as long as its employee record is active.
            let account = match &row.account_id {
                Some(account_id) => {
                    match session::active_in(state, &profile_id, account_id).await? {
                        Some(_) => accounts::by_id(&state.db, account_id).await?,
                        None => {
                            sessions::revoke(&state.db, &profile_id, &row.id, now).await?;
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
            session::tokens_for(state, &profile_id, &row.id, grant, new, now)
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
#[instrument(skip_all)]
pub async fn logout(state: &AppState, refresh_token: &SecretString) -> AppResult<()> {
    let hash = tokens::digest(refresh_token.expose_secret());
    if let Some(session_id) = sessions::id_by_token(&state.db, &hash).await?
        && let Some(session) = sessions::by_id(&state.db, &session_id).await?
        && sessions::revoke(
            &state.db,
            &session.profile_id,
            &session.id,
            state.clock.now(),
        )
        .await?
    {
        session::revoked(state, &session.profile_id, vec![session.id]).await;
    }
    Ok(())
}

#[instrument(skip_all)]
pub async fn list(state: &AppState, caller: &Caller) -> AppResult<Vec<Session>> {
    let rows = sessions::live(&state.db, &caller.profile_id, state.clock.now()).await?;
    Ok(rows
        .into_iter()
        .map(|row| Session {
            current: caller.session_id == row.id,
            created_at: row.created_at(),
            last_used_at: row.last_used_at(),
            id: row.id,
            device_name: row.device_name,
        })
        .collect())
}

#[instrument(skip_all)]
pub async fn revoke(state: &AppState, caller: &Caller, session_id: &str) -> AppResult<()> {
    if sessions::revoke(&state.db, &caller.profile_id, session_id, state.clock.now()).await? {
        session::revoked(
            state,
            caller.profile_id.as_str(),
            vec![session_id.to_owned()],
        )
        .await;
        Ok(())
    } else {
        Err(Error::NotFound.into())
    }
}
