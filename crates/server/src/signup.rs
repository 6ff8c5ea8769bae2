//! Registration and verification: an email is proved by a mailed link, a phone by a 6-digit
//! SMS code. Until proved, neither is a login.

use crate::error::AppResult;
use crate::ratelimit::Client;
use crate::state::AppState;
use crate::store::one_time::{self, Purpose};
use crate::store::profiles::{self, LoginColumn, NewProfile, Taken};
use crate::verification::{self, EmailLink};
use lanyard_core::api::{RegisterRequest, RegisterResponse, VerifyPhoneRequest};
use lanyard_core::values::{Email, Password, PersonName, Phone};
use lanyard_core::{Error, Language};
use secrecy::SecretString;
use tracing::instrument;

fn present(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

#[instrument(skip_all)]
pub async fn register(
    state: &AppState,
    client: &Client,
    request: RegisterRequest,
    language: Option<Language>,
) -> AppResult<RegisterResponse> {
    state.limits.register_per_ip.check(&client.key()).await?;
    let email = present(&request.email).map(Email::parse).transpose()?;
    let phone = present(&request.phone).map(Phone::parse).transpose()?;
    if email.is_none() && phone.is_none() {
        return Err(Error::invalid("email", "invalid-signup-login").into());
    }
    let first_name = PersonName::parse("first_name", request.first_name.as_deref().unwrap_or(""))?;
    let last_name = PersonName::parse("last_name", request.last_name.as_deref().unwrap_or(""))?;
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
            first_name: first_name.as_str(),
            last_name: last_name.as_str(),
            language,
            now: state.clock.now(),
        },
    )
    .await?;
    match inserted {
        Ok(()) => {}
        Err(Taken::Email) => return Err(Error::EmailTaken.into()),
        Err(Taken::Phone) => return Err(Error::PhoneTaken.into()),
    }
    // Sent after answering, like recovery mail: a new login then answers in the time a taken
    // one does (one insert apart), and a slow mail server does not hold the request. A lost
    // mail is not lost for good: signing in with the unproved login sends a fresh one.
    let background = state.clone();
    let profile_id = id.clone();
    let language = language.unwrap_or_default();
    state.background.spawn(async move {
        if let Some(email) = email
            && let Err(error) =
                verification::send_email_link(&background, &profile_id, email, language).await
        {
            tracing::error!(error = %error.chain(), "verification mail failed");
        }
        if let Some(phone) = phone
            && let Err(error) = verification::send_sms_code(
                &background,
                Purpose::VerifyPhone,
                &profile_id,
                phone,
                language,
            )
            .await
        {
            tracing::error!(error = %error.chain(), "verification SMS failed");
        }
    });
    Ok(RegisterResponse { profile_id: id })
}

#[instrument(skip_all)]
pub async fn verify_email(state: &AppState, token: &SecretString) -> AppResult<()> {
    let consumed = verification::consume_link(state, EmailLink::Verify, token)
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

/// The mailbox's owner says the registration was not theirs: the link is spent and the
/// address leaves that profile, so its registrant cannot sign in with it.
#[instrument(skip_all)]
pub async fn decline_email(state: &AppState, token: &SecretString) -> AppResult<()> {
    let consumed = verification::consume_link(state, EmailLink::Verify, token)
        .await?
        .ok_or(Error::InvalidToken)?;
    profiles::disown_unproved_email(&state.db, &consumed.profile_id, &consumed.target).await?;
    Ok(())
}

/// Checks an SMS code against every profile waiting to prove the number (several may claim
/// it unproved; the code is bound to one of them), and makes the number that profile's login.
#[instrument(skip_all)]
pub async fn verify_phone(state: &AppState, request: &VerifyPhoneRequest) -> AppResult<()> {
    let phone = Phone::parse(&request.phone)?;
    state
        .limits
        .sms_code_per_phone
        .check(phone.as_str())
        .await?;
    let now = state.clock.now();
    let claimants =
        one_time::claimants(&state.db, Purpose::VerifyPhone, phone.as_str(), now).await?;
    for profile_id in &claimants {
        let hash = verification::code_digest(profile_id, &request.code);
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
