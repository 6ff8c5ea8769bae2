//! Password recovery: a mailed single-use link, valid one hour. The request is answered the
//! same way, in the same time, whether or not a profile has the email: the lookup and the
//! mail happen after the answer.

use crate::error::AppResult;
use crate::ratelimit::Client;
use crate::session;
use crate::state::AppState;
use crate::store::profiles::{self, LoginColumn};
use crate::verification::{self, EmailLink};
use lanyard_core::api::{Accepted, PasswordResetRequest};
use lanyard_core::mail::{Message, SecurityEvent};
use lanyard_core::values::{Email, Password};
use lanyard_core::{Error, Language, Text};
use tracing::instrument;

#[instrument(skip_all)]
pub async fn request(
    state: &AppState,
    client: &Client,
    email: &str,
    language: Language,
) -> AppResult<Accepted> {
    state.limits.recovery_per_ip.check(&client.key()).await?;
    let email = Email::parse(email)?;
    state
        .limits
        .recovery_per_email
        .check(email.as_str())
        .await?;
    let background = state.clone();
    state.background.spawn(async move {
        if let Err(error) = send_link(&background, email).await {
            tracing::error!(error = %error.chain(), "password recovery mail failed");
        }
    });
    Ok(Accepted {
        message: Text::new("accepted-recovery").render(language),
    })
}

async fn send_link(state: &AppState, email: Email) -> AppResult<()> {
    let Some(profile) = profiles::by_email(&state.db, email.as_str()).await? else {
        return Ok(());
    };
    let language = profile.language();
    verification::send_link(
        state,
        EmailLink::PasswordReset,
        &profile.id,
        email,
        language,
    )
    .await
}

/// Sets the new password. The link is checked before the password is hashed, so a flood of
/// bogus resets costs a lookup each, not an Argon2 hash. Then every pending change of the
/// profile ends and every session is signed out, and the login is told.
///
/// Following the link proves the mailbox. If the email was not proved before, whoever added
/// a phone or an identity to the profile meanwhile may not be its owner: those ways in go.
#[instrument(skip_all)]
pub async fn reset(
    state: &AppState,
    client: &Client,
    request: &PasswordResetRequest,
) -> AppResult<()> {
    state.limits.reset_per_ip.check(&client.key()).await?;
    let password = Password::parse(&request.new_password)?;
    if !verification::link_is_live(state, EmailLink::PasswordReset, &request.token).await? {
        return Err(Error::InvalidToken.into());
    }
    let hash = state.hasher.hash(&password).await?;
    let now = state.clock.now();
    let consumed = verification::consume_link(state, EmailLink::PasswordReset, &request.token)
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
    session::end_pending_changes(state, &before.id, None, now).await?;
    let login = Email::parse(&consumed.target)?;
    let notice = Message::security_notice(
        login,
        &SecurityEvent::PasswordReset,
        &now.to_rfc3339(),
        &Text::new("device-reset-link").render(before.language()),
        before.language(),
    );
    state.mailer.send(notice).await?;
    Ok(())
}
