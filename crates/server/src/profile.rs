//! The profile page: names and photo, password, login email, deletion.

use crate::error::AppResult;
use crate::signin::Caller;
use crate::signup::name;
use crate::state::AppState;
use crate::store::one_time::{self, NewToken, Purpose};
use crate::store::profiles::{self, ProfileRow};
use crate::store::{employees, sessions, sso};
use crate::tokens;
use chrono::Duration;
use lanyard_core::Error;
use lanyard_core::api::{
    Accepted, ChangeEmailRequest, ChangePasswordRequest, Profile, SocialIdentity,
    UpdateProfileRequest,
};
use lanyard_core::mail::{Message, SecurityEvent};
use lanyard_core::values::{Email, Password};
use secrecy::{ExposeSecret, SecretString};

const EMAIL_CHANGE_TTL: Duration = Duration::hours(24);
/// A photo may be an inline `data:image/…` URL; this keeps it well inside the 64 KiB body.
const PHOTO_URL_MAX_BYTES: usize = 48 * 1024;

/// The profile as its owner sees it, with the identities linked to it.
pub async fn view(state: &AppState, row: ProfileRow) -> AppResult<Profile> {
    let social = sso::identities_of(&state.db, &row.id)
        .await?
        .into_iter()
        .map(|identity| SocialIdentity {
            provider: identity.provider,
            email: identity.email,
        })
        .collect();
    Ok(Profile {
        id: row.id,
        email: row.email,
        phone: row.phone,
        first_name: row.first_name,
        last_name: row.last_name,
        photo_url: row.photo_url,
        has_password: row.password_hash.is_some(),
        social,
    })
}

async fn load(state: &AppState, profile_id: &str) -> AppResult<ProfileRow> {
    Ok(profiles::by_id(&state.db, profile_id)
        .await?
        .ok_or(Error::Unauthorized)?)
}

pub async fn get(state: &AppState, caller: &Caller) -> AppResult<Profile> {
    let row = load(state, &caller.profile_id).await?;
    view(state, row).await
}

fn photo_url(raw: &str) -> Result<Option<String>, Error> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let allowed =
        raw.starts_with("https://") || raw.starts_with("http://") || raw.starts_with("data:image/");
    if !allowed || raw.len() > PHOTO_URL_MAX_BYTES || raw.chars().any(char::is_whitespace) {
        return Err(Error::invalid(
            "photo_url",
            "must be an http(s) URL or a data:image URL of at most 48 KiB",
        ));
    }
    Ok(Some(raw.to_owned()))
}

pub async fn update(
    state: &AppState,
    caller: &Caller,
    request: UpdateProfileRequest,
) -> AppResult<Profile> {
    let mut row = load(state, &caller.profile_id).await?;
    if let Some(first) = request.first_name.as_deref() {
        row.first_name = name("first_name", Some(first))?;
    }
    if let Some(last) = request.last_name.as_deref() {
        row.last_name = name("last_name", Some(last))?;
    }
    if let Some(photo) = request.photo_url.as_deref() {
        row.photo_url = photo_url(photo)?;
    }
    profiles::set_names_and_photo(
        &state.db,
        &row.id,
        &row.first_name,
        &row.last_name,
        row.photo_url.as_deref(),
    )
    .await?;
    if request.apply_to_accounts {
        employees::copy_profile(&state.db, &row.id).await?;
    }
    view(state, row).await
}

/// Checks the current password of a signed-in profile. Guessing through a stolen access
/// token is limited like guessing at the sign-in form, per session, so it locks out only the
/// session that guesses.
async fn confirm_password(
    state: &AppState,
    caller: &Caller,
    row: &ProfileRow,
    candidate: &SecretString,
) -> AppResult<()> {
    if row.password_hash.is_none() {
        // A profile made by a social sign-in has no password yet: its session is the proof,
        // and it sets its first password (or a login email) with the current one left empty.
        return Ok(());
    }
    let key = format!("{} {}", row.id, caller.session_id);
    let failures = &state.limits.password_failures;
    failures.check(&key)?;
    if state
        .hasher
        .verify(candidate, row.password_hash.as_deref())
        .await?
    {
        failures.succeeded(&key);
        Ok(())
    } else {
        failures.failed(&key);
        Err(Error::WrongPassword.into())
    }
}

/// The new password works for every account; every other session is signed out.
pub async fn change_password(
    state: &AppState,
    caller: &Caller,
    request: &ChangePasswordRequest,
) -> AppResult<()> {
    let row = load(state, &caller.profile_id).await?;
    let password = Password::parse(&request.new_password)?;
    confirm_password(state, caller, &row, &request.current_password).await?;
    let hash = state.hasher.hash(&password).await?;
    let now = state.clock.now();
    profiles::set_password_hash(&state.db, &row.id, &hash).await?;
    profiles::end_pending_changes(&state.db, &row.id, Some(&caller.session_id), now).await?;
    if let Some(login) = verified_email(&row) {
        let notice = Message::security_notice(
            login,
            &SecurityEvent::PasswordChanged,
            &now.to_rfc3339(),
            &device_of(state, caller).await?,
        );
        state.mailer.send(notice).await?;
    }
    Ok(())
}

/// Mails a confirmation link to the new address; the login changes only when it is followed.
pub async fn change_email(
    state: &AppState,
    caller: &Caller,
    request: &ChangeEmailRequest,
) -> AppResult<Accepted> {
    let new_email = Email::parse(&request.new_email)?;
    let row = load(state, &caller.profile_id).await?;
    confirm_password(state, caller, &row, &request.current_password).await?;
    // The link goes to an address the caller typed: bounded, like invitations.
    state.limits.mail_per_sender.check(&row.id)?;
    // Another profile's proved login is taken; an unproved claim reserves nothing.
    if let Some(holder) = profiles::by_email(&state.db, new_email.as_str()).await?
        && holder.email_verified_at.is_some()
    {
        return Err(Error::EmailTaken.into());
    }
    let token = tokens::random();
    let now = state.clock.now();
    one_time::insert(
        &state.db,
        &NewToken {
            hash: &tokens::digest(token.expose_secret()),
            purpose: Purpose::ChangeEmail,
            profile_id: &row.id,
            target: new_email.as_str(),
            now,
            expires_at: now + EMAIL_CHANGE_TTL,
        },
    )
    .await?;
    let link = state.link("/confirm-email", token.expose_secret());
    state
        .mailer
        .send(Message::confirm_new_email(new_email, &link))
        .await?;
    Ok(Accepted {
        message: "We have sent a confirmation link to the new address. Your login changes when you follow it.".into(),
    })
}

/// Follows the confirmation link: the new address becomes the login, the old one is told, and
/// every other pending change of the profile ends with every session (a change made by an
/// intruder cannot outlive the owner's next move, and the owner's cannot be raced).
pub async fn confirm_email(state: &AppState, token: &SecretString) -> AppResult<Profile> {
    let hash = tokens::digest(token.expose_secret());
    let now = state.clock.now();
    let consumed = one_time::consume(&state.db, &hash, Purpose::ChangeEmail, now)
        .await?
        .ok_or(Error::InvalidToken)?;
    let before = load(state, &consumed.profile_id).await?;
    let new_email = Email::parse(&consumed.target)?;
    profiles::drop_unverified_email(&state.db, new_email.as_str()).await?;
    if !profiles::set_email(&state.db, &before.id, new_email.as_str(), now).await? {
        return Err(Error::EmailTaken.into());
    }
    profiles::end_pending_changes(&state.db, &before.id, None, now).await?;
    if let Some(old) = before
        .email
        .as_deref()
        .filter(|old| *old != new_email.as_str())
    {
        let old = Email::parse(old)?;
        state
            .mailer
            .send(Message::login_changed(old, &new_email))
            .await?;
    }
    let row = load(state, &before.id).await?;
    view(state, row).await
}

/// The profile's login email, when it is proved: where security notices go.
fn verified_email(row: &ProfileRow) -> Option<Email> {
    let email = row
        .email
        .as_deref()
        .filter(|_| row.email_verified_at.is_some())?;
    Email::parse(email).ok()
}

/// The device name of the caller's session, for security notices.
async fn device_of(state: &AppState, caller: &Caller) -> AppResult<String> {
    Ok(sessions::by_id(&state.db, &caller.session_id)
        .await?
        .map_or_else(|| "an unknown device".to_owned(), |s| s.device_name))
}

/// Deletes the profile and its sessions, once it is no longer an active employee anywhere.
/// A profile with a password must confirm it. Employee records it leaves behind stay.
pub async fn delete(
    state: &AppState,
    caller: &Caller,
    current_password: Option<&SecretString>,
) -> AppResult<()> {
    let row = load(state, &caller.profile_id).await?;
    if row.password_hash.is_some() {
        let candidate = current_password.ok_or(Error::WrongPassword)?;
        confirm_password(state, caller, &row, candidate).await?;
    }
    if employees::is_active_anywhere(&state.db, &row.id).await? {
        return Err(Error::AccountsLinked.into());
    }
    profiles::delete(&state.db, &row.id).await?;
    Ok(())
}
