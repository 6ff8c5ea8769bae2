//! Registration and verification: an email is proved by a mailed link, a phone by a 6-digit
//! SMS code. Until proved, neither is a login.

use crate::error::AppResult;
use crate::ratelimit::Client;
use crate::state::AppState;
use crate::store::one_time::{self, NewToken, Purpose};
use crate::store::profiles::{self, LoginColumn, NewProfile, Taken};
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
    client: &Client,
    request: RegisterRequest,
) -> AppResult<RegisterResponse> {
    state.limits.register_per_ip.check(&client.key())?;
    let email = present(&request.email).map(Email::parse).transpose()?;
    let phone = present(&request.phone).map(Phone::parse).transpose()?;
    if email.is_none() && phone.is_none() {
        return Err(Error::invalid("email", "give an email address or a phone number").into());
    }
    let first_name = name("first_name", request.first_name.as_deref())?;
    let last_name = name("last_name", request.last_name.as_deref())?;
    let password = Password::parse(&request.password)?;
    // Hashed before anything is looked up, so a taken login answers in the time a free one
    // does (the answer differs, as the contract says; the timing adds nothing to it).
    let password_hash = state.hasher.hash(&password).await?;
    // A proved login is taken; an unproved claim reserves nothing (SPEC "Sessions and trust"
    // 3): the new profile then waits for its own proof, and the first to prove owns it.
    let email_holder = match &email {
        Some(email) => profiles::by_email(&state.db, email.as_str()).await?,
        None => None,
    };
    if email_holder
        .as_ref()
        .is_some_and(|p| p.email_verified_at.is_some())
    {
        return Err(Error::EmailTaken.into());
    }
    let phone_holder = match &phone {
        Some(phone) => profiles::by_phone(&state.db, phone.as_str()).await?,
        None => None,
    };
    if phone_holder
        .as_ref()
        .is_some_and(|p| p.phone_verified_at.is_some())
    {
        return Err(Error::PhoneTaken.into());
    }

    let id = state.new_id();
    let inserted = profiles::insert(
        &state.db,
        &NewProfile {
            id: &id,
            email: email
                .as_ref()
                .filter(|_| email_holder.is_none())
                .map(Email::as_str),
            phone: phone
                .as_ref()
                .filter(|_| phone_holder.is_none())
                .map(Phone::as_str),
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
    // The link proves the address it was sent to: it becomes this profile's login, unless
    // another profile proved it first.
    if !profiles::claim(
        &state.db,
        &consumed.profile_id,
        LoginColumn::Email,
        &consumed.target,
        state.clock.now(),
    )
    .await?
    {
        return Err(Error::EmailTaken.into());
    }
    Ok(())
}

/// Checks an SMS code against every profile waiting to prove the number (several may claim
/// it unproved; the code is bound to one of them), and makes the number that profile's login.
pub async fn verify_phone(state: &AppState, request: &VerifyPhoneRequest) -> AppResult<()> {
    let phone = Phone::parse(&request.phone)?;
    state.limits.sms_code_per_phone.check(phone.as_str())?;
    let now = state.clock.now();
    let claimants =
        one_time::claimants(&state.db, Purpose::VerifyPhone, phone.as_str(), now).await?;
    for profile_id in &claimants {
        let hash = code_digest(profile_id, &request.code);
        if let Some(consumed) =
            one_time::consume(&state.db, &hash, Purpose::VerifyPhone, now).await?
        {
            return if consumed.target == phone.as_str()
                && profiles::claim(
                    &state.db,
                    profile_id,
                    LoginColumn::Phone,
                    &consumed.target,
                    now,
                )
                .await?
            {
                Ok(())
            } else {
                Err(Error::PhoneTaken.into())
            };
        }
    }
    for profile_id in &claimants {
        one_time::count_failure(&state.db, profile_id, Purpose::VerifyPhone).await?;
    }
    Err(Error::InvalidToken.into())
}
