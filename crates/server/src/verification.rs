//! Every one-time proof the server sends: a link mailed to an address (verify it, reset the
//! password, confirm a new login) or a code texted to a phone. Each is a fresh random token,
//! stored only as its digest, bound to one profile and one target, and valid for its purpose's
//! lifetime.

use crate::error::AppResult;
use crate::state::AppState;
use crate::store::one_time::{self, NewToken, Purpose};
use crate::tokens;
use chrono::Duration;
use lanyard_core::Language;
use lanyard_core::mail::Message;
use lanyard_core::values::{Email, Phone};
use secrecy::{ExposeSecret, SecretString};

const SMS_CODE_TTL: Duration = Duration::minutes(15);

/// What a mailed link proves when it is followed.
#[derive(Debug, Clone, Copy)]
pub enum EmailLink {
    /// The address is the profile's (registration, or a sign-in with an unproved email).
    Verify,
    /// The owner of the login may choose a new password.
    PasswordReset,
    /// The address becomes the profile's login.
    ChangeEmail,
}

impl EmailLink {
    fn purpose(self) -> Purpose {
        match self {
            EmailLink::Verify => Purpose::VerifyEmail,
            EmailLink::PasswordReset => Purpose::PasswordReset,
            EmailLink::ChangeEmail => Purpose::ChangeEmail,
        }
    }

    fn lifetime(self) -> Duration {
        match self {
            EmailLink::Verify => Duration::hours(48),
            EmailLink::PasswordReset => Duration::hours(1),
            EmailLink::ChangeEmail => Duration::hours(24),
        }
    }

    /// The server page the link opens.
    fn page(self) -> &'static str {
        match self {
            EmailLink::Verify => "/verify-email",
            EmailLink::PasswordReset => "/reset-password",
            EmailLink::ChangeEmail => "/confirm-email",
        }
    }

    fn message(self, to: Email, link: &str, language: Language) -> Message {
        match self {
            EmailLink::Verify => Message::verify_email(to, link, language),
            EmailLink::PasswordReset => Message::password_reset(to, link, language),
            EmailLink::ChangeEmail => Message::confirm_new_email(to, link, language),
        }
    }
}

/// Mails a fresh `kind` link for `to`, on behalf of the profile, in its `language` (the page
/// the link opens speaks it too).
pub async fn send_link(
    state: &AppState,
    kind: EmailLink,
    profile_id: &str,
    to: Email,
    language: Language,
) -> AppResult<()> {
    let token = tokens::random();
    let now = state.clock.now();
    one_time::insert(
        &state.db,
        &NewToken {
            hash: &tokens::digest(token.expose_secret()),
            purpose: kind.purpose(),
            profile_id,
            target: to.as_str(),
            now,
            expires_at: now + kind.lifetime(),
        },
    )
    .await?;
    let link = state.link(kind.page(), token.expose_secret(), language);
    state.mailer.send(kind.message(to, &link, language)).await?;
    Ok(())
}

/// Mails a fresh verification link for `email`.
pub async fn send_email_link(
    state: &AppState,
    profile_id: &str,
    email: Email,
    language: Language,
) -> AppResult<()> {
    send_link(state, EmailLink::Verify, profile_id, email, language).await
}

/// Texts a fresh 6-digit code for `phone` (to prove it at registration, or to make it the
/// login in place of another). The stored digest binds the code to the profile.
pub async fn send_sms_code(
    state: &AppState,
    purpose: Purpose,
    profile_id: &str,
    phone: Phone,
    language: Language,
) -> AppResult<()> {
    let code = tokens::six_digits();
    let now = state.clock.now();
    one_time::insert(
        &state.db,
        &NewToken {
            hash: &code_digest(profile_id, &code),
            purpose,
            profile_id,
            target: phone.as_str(),
            now,
            expires_at: now + SMS_CODE_TTL,
        },
    )
    .await?;
    state
        .mailer
        .send(Message::verify_phone(phone, code.expose_secret(), language))
        .await?;
    Ok(())
}

/// The stored form of an SMS code: six digits alone are guessable, so the digest binds them
/// to the profile that was sent them.
pub fn code_digest(profile_id: &str, code: &SecretString) -> String {
    tokens::digest(&format!("{profile_id}:{}", code.expose_secret().trim()))
}

/// Whether a mailed link of `kind` is live, without spending it: checked before costly work.
pub async fn link_is_live(
    state: &AppState,
    kind: EmailLink,
    token: &SecretString,
) -> AppResult<bool> {
    let hash = tokens::digest(token.expose_secret());
    let live = one_time::peek(&state.db, &hash, kind.purpose(), state.clock.now()).await?;
    Ok(live.is_some())
}

/// Spends a mailed link of `kind`: what it was issued for, or `None` when it is unknown,
/// used or expired.
pub async fn consume_link(
    state: &AppState,
    kind: EmailLink,
    token: &SecretString,
) -> AppResult<Option<one_time::Consumed>> {
    let hash = tokens::digest(token.expose_secret());
    Ok(one_time::consume(&state.db, &hash, kind.purpose(), state.clock.now()).await?)
}
