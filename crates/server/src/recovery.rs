//! Password recovery: a mailed single-use link, valid one hour. The request is answered the
//! same way, in the same time, whether or not a profile has the email: the lookup and the
//! mail happen after the answer.

use crate::error::AppResult;
use crate::state::AppState;
use crate::store::one_time::{self, NewToken, Purpose};
use crate::store::{profiles, sessions};
use crate::tokens;
use chrono::Duration;
use lanyard_core::Error;
use lanyard_core::api::{Accepted, PasswordResetRequest};
use lanyard_core::mail::Message;
use lanyard_core::values::{Email, Password};
use secrecy::ExposeSecret;

const RESET_LINK_TTL: Duration = Duration::hours(1);

pub async fn request(state: &AppState, ip: &str, email: &str) -> AppResult<Accepted> {
    state.limits.recovery_per_ip.check(ip)?;
    let email = Email::parse(email)?;
    state.limits.recovery_per_email.check(email.as_str())?;
    let background = state.clone();
    state.background.spawn(async move {
        if let Err(error) = send_link(&background, email).await {
            tracing::error!(%error, "password recovery mail failed");
        }
    });
    Ok(Accepted {
        message: "If a profile signs in with that address, we have sent it a link to choose a new password. \
                  The link works once, for one hour."
            .into(),
    })
}

async fn send_link(state: &AppState, email: Email) -> AppResult<()> {
    let Some(profile) = profiles::by_email(&state.db, email.as_str()).await? else {
        return Ok(());
    };
    let token = tokens::random();
    let now = state.clock.now();
    one_time::insert(
        &state.db,
        &NewToken {
            hash: &tokens::digest(token.expose_secret()),
            purpose: Purpose::PasswordReset,
            profile_id: &profile.id,
            target: email.as_str(),
            now,
            expires_at: now + RESET_LINK_TTL,
        },
    )
    .await?;
    let link = state.link("/reset-password", token.expose_secret());
    state
        .mailer
        .send(Message::password_reset(email, &link))
        .await?;
    Ok(())
}

/// Sets the new password, spends every reset link of the profile and signs out every session.
/// Following the link also proves the mailbox, so an unverified email becomes verified.
pub async fn reset(state: &AppState, request: &PasswordResetRequest) -> AppResult<()> {
    let password = Password::parse(&request.new_password)?;
    let hash = state.hasher.hash(&password).await?;
    let now = state.clock.now();
    let token_hash = tokens::digest(request.token.expose_secret());
    let consumed = one_time::consume(&state.db, &token_hash, Purpose::PasswordReset, now)
        .await?
        .ok_or(Error::InvalidToken)?;
    profiles::set_password_hash(&state.db, &consumed.profile_id, &hash).await?;
    profiles::mark_email_verified(&state.db, &consumed.profile_id, &consumed.target, now).await?;
    one_time::spend_all(&state.db, &consumed.profile_id, Purpose::PasswordReset, now).await?;
    sessions::revoke_all(&state.db, &consumed.profile_id, None, now).await?;
    Ok(())
}
