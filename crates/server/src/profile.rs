//! The profile page: names and photo, password, login email, deletion.

use crate::error::AppResult;
use crate::session::{self, Caller};
use crate::state::AppState;
use crate::store::one_time::{self, Purpose};
use crate::store::profiles::{self, LoginColumn, ProfileRow};
use crate::store::{employees, photos, sessions};
use crate::verification::{self, EmailLink};
use crate::views;
use lanyard_core::api::{
    Accepted, ChangeEmailRequest, ChangePasswordRequest, ChangePhoneRequest, ConfirmPhoneRequest,
    Profile, UpdateProfileRequest,
};
use lanyard_core::mail::{Message, SecurityEvent};
use lanyard_core::values::{Email, Password, PersonName, Phone, PhotoUrl};
use lanyard_core::{Error, Text};
use secrecy::SecretString;
use tracing::instrument;

async fn load(state: &AppState, profile_id: &str) -> AppResult<ProfileRow> {
    Ok(profiles::by_id(&state.db, profile_id)
        .await?
        .ok_or(Error::Unauthorized)?)
}

#[instrument(skip_all)]
pub async fn update(
    state: &AppState,
    caller: &Caller,
    request: UpdateProfileRequest,
) -> AppResult<Profile> {
    let mut row = load(state, &caller.profile_id).await?;
    if let Some(first) = request.first_name.as_deref() {
        row.first_name = PersonName::parse("first_name", first)?.into_string();
    }
    if let Some(last) = request.last_name.as_deref() {
        row.last_name = PersonName::parse("last_name", last)?.into_string();
    }
    if let Some(photo) = request.photo_url.as_deref() {
        row.photo_url = PhotoUrl::parse(photo)?.map(PhotoUrl::into_string);
    }
    profiles::set_names_and_photo(
        &state.db,
        &row.id,
        &row.first_name,
        &row.last_name,
        row.photo_url.as_deref(),
    )
    .await?;
    if let Some(language) = request.language {
        profiles::set_language(&state.db, &row.id, language).await?;
        row.language = Some(language.as_str().to_owned());
    }
    if request.apply_to_accounts {
        employees::copy_profile(&state.db.pool, &row.id).await?;
    }
    if request.photo_url.is_some() || request.apply_to_accounts {
        // An uploaded photo replaced here, and shown nowhere else now, goes.
        photos::prune(&state.db.pool, &row.id).await?;
    }
    views::profile(state, row).await
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
    failures.check(&key).await?;
    if state
        .hasher
        .verify(candidate, row.password_hash.as_deref())
        .await?
    {
        failures.succeeded(&key).await?;
        Ok(())
    } else {
        failures.failed(&key).await?;
        Err(Error::WrongPassword.into())
    }
}

/// The new password works for every account; every other session is signed out.
#[instrument(skip_all)]
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
    session::end_pending_changes(state, &row.id, Some(&caller.session_id), now).await?;
    if let Some(login) = row.proved_email() {
        let notice = Message::security_notice(
            login,
            &SecurityEvent::PasswordChanged,
            &now.to_rfc3339(),
            &device_of(state, caller).await?,
            row.language(),
        );
        state.mailer.send(notice).await?;
    }
    Ok(())
}

/// Mails a confirmation link to the new address; the login changes only when it is followed.
#[instrument(skip_all)]
pub async fn change_email(
    state: &AppState,
    caller: &Caller,
    request: &ChangeEmailRequest,
) -> AppResult<Accepted> {
    let new_email = Email::parse(&request.new_email)?;
    let row = load(state, &caller.profile_id).await?;
    confirm_password(state, caller, &row, &request.current_password).await?;
    // The link goes to an address the caller typed: bounded, like invitations.
    state.limits.mail_per_sender.check(&row.id).await?;
    // Another profile's proved login is taken; an unproved claim reserves nothing.
    if let Some(holder) = profiles::by_email(&state.db, new_email.as_str()).await?
        && holder.email_verified_at.is_some()
    {
        return Err(Error::EmailTaken.into());
    }
    let language = row.language();
    verification::send_link(state, EmailLink::ChangeEmail, &row.id, new_email, language).await?;
    Ok(Accepted {
        message: Text::new("accepted-change-email").render(language),
    })
}

/// Follows the confirmation link: the new address becomes the login, the old one is told, and
/// every other pending change of the profile ends with every session (a change made by an
/// intruder cannot outlive the owner's next move, and the owner's cannot be raced).
#[instrument(skip_all)]
pub async fn confirm_email(state: &AppState, token: &SecretString) -> AppResult<Profile> {
    let consumed = verification::consume_link(state, EmailLink::ChangeEmail, token)
        .await?
        .ok_or(Error::InvalidToken)?;
    let now = state.clock.now();
    let before = load(state, &consumed.profile_id).await?;
    let new_email = Email::parse(&consumed.target)?;
    let email = new_email.as_str();
    profiles::drop_unverified(&state.db, LoginColumn::Email, email).await?;
    if !profiles::set_login(&state.db, &before.id, LoginColumn::Email, email, now).await? {
        return Err(Error::EmailTaken.into());
    }
    session::end_pending_changes(state, &before.id, None, now).await?;
    if let Some(old) = before
        .email
        .as_deref()
        .filter(|old| *old != new_email.as_str())
    {
        let old = Email::parse(old)?;
        state
            .mailer
            .send(Message::login_changed(old, &new_email, before.language()))
            .await?;
    }
    let row = load(state, &before.id).await?;
    views::profile(state, row).await
}

/// Texts a code to the new number; the login changes only when the code comes back, so the
/// old number keeps working until then.
#[instrument(skip_all)]
pub async fn change_phone(
    state: &AppState,
    caller: &Caller,
    request: &ChangePhoneRequest,
) -> AppResult<Accepted> {
    let new_phone = Phone::parse(&request.new_phone)?;
    let row = load(state, &caller.profile_id).await?;
    confirm_password(state, caller, &row, &request.current_password).await?;
    // The code goes to a number the caller typed: bounded, like invitations.
    state.limits.mail_per_sender.check(&row.id).await?;
    // Another profile's proved login is taken; an unproved claim reserves nothing.
    if let Some(holder) = profiles::by_phone(&state.db, new_phone.as_str()).await?
        && holder.phone_verified_at.is_some()
    {
        return Err(Error::PhoneTaken.into());
    }
    let language = row.language();
    verification::send_sms_code(state, Purpose::ChangePhone, &row.id, new_phone, language).await?;
    Ok(Accepted {
        message: Text::new("accepted-change-phone").render(language),
    })
}

/// The code texted to the new number: it becomes the login, and (as after any change of a
/// login) everything else pending ends with every other session.
#[instrument(skip_all)]
pub async fn confirm_phone(
    state: &AppState,
    caller: &Caller,
    request: &ConfirmPhoneRequest,
) -> AppResult<Profile> {
    let new_phone = Phone::parse(&request.new_phone)?;
    state
        .limits
        .sms_code_per_phone
        .check(new_phone.as_str())
        .await?;
    let now = state.clock.now();
    let profile_id = caller.profile_id.as_str();
    let hash = verification::code_digest(profile_id, &request.code);
    let consumed = one_time::consume(&state.db, &hash, Purpose::ChangePhone, now).await?;
    if consumed.is_none_or(|c| c.target != new_phone.as_str()) {
        one_time::count_failure(&state.db, profile_id, Purpose::ChangePhone).await?;
        return Err(Error::InvalidToken.into());
    }
    let phone = new_phone.as_str();
    profiles::drop_unverified(&state.db, LoginColumn::Phone, phone).await?;
    if !profiles::set_login(&state.db, profile_id, LoginColumn::Phone, phone, now).await? {
        return Err(Error::PhoneTaken.into());
    }
    let keep = caller.session_id.as_str();
    session::end_pending_changes(state, profile_id, Some(keep), now).await?;
    let row = load(state, &caller.profile_id).await?;
    views::profile(state, row).await
}

/// The device name of the caller's session, for security notices.
async fn device_of(state: &AppState, caller: &Caller) -> AppResult<String> {
    Ok(sessions::by_id(&state.db, &caller.session_id)
        .await?
        .map_or_else(|| "an unknown device".to_owned(), |s| s.device_name))
}

/// Deletes the profile and its sessions, once it is no longer an active employee anywhere.
/// A profile with a password must confirm it. Employee records it leaves behind stay.
#[instrument(skip_all)]
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
