//! Password recovery: a mailed single-use link, valid one hour. The request is answered the
//! same way, in the same time, whether or not a profile has the email: the lookup and the
//! mail happen after the answer.

use crate::error::AppResult;
use crate::ratelimit::Client;
use crate::state::AppState;
use crate::store::one_time::{self, NewToken, Purpose};
use crate::store::profiles::{self, LoginColumn};
use crate::tokens;
use chrono::Duration;
use lanyard_core::Error;
use lanyard_core::api::{Accepted, PasswordResetRequest};
use lanyard_core::mail::{Message, SecurityEvent};
use lanyard_core::values::{Email, Password};
use secrecy::ExposeSecret;

const RESET_LINK_TTL: Duration = Duration::hours(1);

pub async fn request(state: &AppState, client: &Client, email: &str) -> AppResult<Accepted> {
    state.limits.recovery_per_ip.check(&client.key())?;
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

/// Sets the new password. The link is checked before the password is hashed, so a flood of
/// bogus resets costs a lookup each, not an Argon2 hash. Then every pending change of the
/// profile ends and every session is signed out, and the login is told.
///
/// Following the link proves the mailbox. If the email was not proved before, whoever added
/// a phone or an identity to the profile meanwhile may not be its owner: those ways in go.
pub async fn reset(
    state: &AppState,
    client: &Client,
    request: &PasswordResetRequest,
) -> AppResult<()> {
    state.limits.reset_per_ip.check(&client.key())?;
    let password = Password::parse(&request.new_password)?;
    let token_hash = tokens::digest(request.token.expose_secret());
    one_time::peek(
        &state.db,
        &token_hash,
        Purpose::PasswordReset,
        state.clock.now(),
    )
    .await?
    .ok_or(Error::InvalidToken)?;
    let hash = state.hasher.hash(&password).await?;
    let now = state.clock.now();
    let consumed = one_time::consume(&state.db, &token_hash, Purpose::PasswordReset, now)
        .await?
        .ok_or(Error::InvalidToken)?;
    let before = profiles::by_id(&state.db, &consumed.profile_id)
        .await?
        .ok_or(Error::InvalidToken)?;
    let proved_before = before.email_verified_at.is_some();
    if !profiles::claim(
        &state.db,
        &before.id,
        LoginColumn::Email,
        &consumed.target,
        now,
    )
    .await?
    {
        // The address is no longer this profile's: the link proves nothing.
        return Err(Error::InvalidToken.into());
    }
    if !proved_before {
        profiles::forget_unproved_ways_in(&state.db, &before.id).await?;
    }
    profiles::set_password_hash(&state.db, &before.id, &hash).await?;
    profiles::end_pending_changes(&state.db, &before.id, None, now).await?;
    let login = Email::parse(&consumed.target)?;
    let notice = Message::security_notice(
        login,
        &SecurityEvent::PasswordReset,
        &now.to_rfc3339(),
        "a password reset link",
    );
    state.mailer.send(notice).await?;
    Ok(())
}
