//! Registration and verification: an email is proved by a mailed link, a phone by a 6-digit
//! SMS code. Until proved, neither is a login.

use crate::error::AppResult;
use crate::state::AppState;
use crate::store::one_time::{self, NewToken, Purpose};
use crate::store::profiles::{self, NewProfile, Taken};
use crate::tokens;
use chrono::Duration;
use lanyard_core::Error;
use lanyard_core::api::{RegisterRequest, RegisterResponse, VerifyPhoneRequest};
use lanyard_core::mail::Message;
use lanyard_core::values::{Email, Password, Phone};
use secrecy::{ExposeSecret, SecretString};

const EMAIL_LINK_TTL: Duration = Duration::hours(48);
const SMS_CODE_TTL: Duration = Duration::minutes(15);
const NAME_MAX_CHARS: usize = 100;

/// A first or last name: trimmed, at most 100 characters.
pub fn name(field: &'static str, raw: Option<&str>) -> Result<String, Error> {
    let name = raw.unwrap_or_default().trim();
    if name.chars().count() > NAME_MAX_CHARS {
        return Err(Error::invalid(field, "can have at most 100 characters"));
    }
    if name.chars().any(char::is_control) {
        return Err(Error::invalid(field, "cannot hold control characters"));
    }
    Ok(name.to_owned())
}

fn present(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub async fn register(
    state: &AppState,
    ip: &str,
    request: RegisterRequest,
) -> AppResult<RegisterResponse> {
    state.limits.register_per_ip.check(ip)?;
    let email = present(&request.email).map(Email::parse).transpose()?;
    let phone = present(&request.phone).map(Phone::parse).transpose()?;
    if email.is_none() && phone.is_none() {
        return Err(Error::invalid("email", "give an email address or a phone number").into());
    }
    let first_name = name("first_name", request.first_name.as_deref())?;
    let last_name = name("last_name", request.last_name.as_deref())?;
    let password = Password::parse(&request.password)?;
    let password_hash = state.hasher.hash(&password).await?;

    let id = state.new_id();
    let inserted = profiles::insert(
        &state.db,
        &NewProfile {
            id: &id,
            email: email.as_ref().map(Email::as_str),
            phone: phone.as_ref().map(Phone::as_str),
            password_hash: Some(&password_hash),
            email_verified: false,
            first_name: &first_name,
            last_name: &last_name,
            now: state.clock.now(),
        },
    )
    .await?;
    match inserted {
        Ok(()) => {}
        Err(Taken::Email) => return Err(Error::EmailTaken.into()),
        Err(Taken::Phone) => return Err(Error::PhoneTaken.into()),
    }
    if let Some(email) = email {
        send_email_link(state, &id, email).await?;
    }
    if let Some(phone) = phone {
        send_sms_code(state, &id, phone).await?;
    }
    Ok(RegisterResponse { profile_id: id })
}

/// Mails a fresh verification link for `email`.
pub async fn send_email_link(state: &AppState, profile_id: &str, email: Email) -> AppResult<()> {
    let token = tokens::random();
    let now = state.clock.now();
    one_time::insert(
        &state.db,
        &NewToken {
            hash: &tokens::digest(token.expose_secret()),
            purpose: Purpose::VerifyEmail,
            profile_id,
            target: email.as_str(),
            now,
            expires_at: now + EMAIL_LINK_TTL,
        },
    )
    .await?;
    let link = state.link("/verify-email", token.expose_secret());
    state
        .mailer
        .send(Message::verify_email(email, &link))
        .await?;
    Ok(())
}

/// Texts a fresh 6-digit code for `phone`. The stored digest binds the code to the profile.
pub async fn send_sms_code(state: &AppState, profile_id: &str, phone: Phone) -> AppResult<()> {
    let code = tokens::six_digits();
    let now = state.clock.now();
    one_time::insert(
        &state.db,
        &NewToken {
            hash: &code_digest(profile_id, &code),
            purpose: Purpose::VerifyPhone,
            profile_id,
            target: phone.as_str(),
            now,
            expires_at: now + SMS_CODE_TTL,
        },
    )
    .await?;
    state
        .mailer
        .send(Message::verify_phone(phone, code.expose_secret()))
        .await?;
    Ok(())
}

fn code_digest(profile_id: &str, code: &SecretString) -> String {
    tokens::digest(&format!("{profile_id}:{}", code.expose_secret().trim()))
}

pub async fn verify_email(state: &AppState, token: &SecretString) -> AppResult<()> {
    let hash = tokens::digest(token.expose_secret());
    let consumed = one_time::consume(&state.db, &hash, Purpose::VerifyEmail, state.clock.now())
        .await?
        .ok_or(Error::InvalidToken)?;
    // The link proves the address it was sent to, which must still be the profile's.
    if !profiles::mark_email_verified(
        &state.db,
        &consumed.profile_id,
        &consumed.target,
        state.clock.now(),
    )
    .await?
    {
        return Err(Error::InvalidToken.into());
    }
    Ok(())
}

pub async fn verify_phone(state: &AppState, request: &VerifyPhoneRequest) -> AppResult<()> {
    let phone = Phone::parse(&request.phone)?;
    state.limits.sms_code_per_phone.check(phone.as_str())?;
    let profile = profiles::by_phone(&state.db, phone.as_str())
        .await?
        .ok_or(Error::InvalidToken)?;
    let hash = code_digest(&profile.id, &request.code);
    let now = state.clock.now();
    match one_time::consume(&state.db, &hash, Purpose::VerifyPhone, now).await? {
        Some(consumed)
            if profiles::mark_phone_verified(&state.db, &profile.id, &consumed.target, now)
                .await? =>
        {
            Ok(())
        }
        Some(_) => Err(Error::InvalidToken.into()),
        None => {
            one_time::count_failure(&state.db, &profile.id, Purpose::VerifyPhone).await?;
            Err(Error::InvalidToken.into())
        }
    }
}
