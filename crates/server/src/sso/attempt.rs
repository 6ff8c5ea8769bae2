//! One browser sign-in in flight: what it is for (`Target`), what is kept to check the
//! provider's answer against (`remember`), what the provider said (`Verified`), and what the
//! one-time code will stand for (`Outcome`). The parts of the flow share these.

use super::loopback::Desktop;
use crate::error::AppResult;
use crate::state::AppState;
use crate::store::sign_ins::{self, AttemptRow, PendingLink};
use crate::tokens;
use chrono::Duration;
use lanyard_core::Error;
use lanyard_core::api::SessionScope;
use lanyard_core::values::Email;
use openidconnect::PkceCodeVerifier;
use secrecy::{ExposeSecret, SecretString};

const ATTEMPT_TTL: Duration = Duration::minutes(10);

pub fn callback_url(state: &AppState) -> String {
    let mut url = state.public_url.clone();
    url.set_path("api/v1/sso/callback");
    url.to_string()
}

/// The one answer for a provider's reply that does not check out; the cause is logged.
pub fn refused() -> Error {
    Error::invalid("code", "invalid-sso-answer")
}

/// What a browser sign-in is for.
pub enum Target {
    /// An account's single sign-on.
    Account { account_id: String },
    /// A social provider by name, optionally for one account's tab.
    Social {
        provider: String,
        account_id: Option<String>,
    },
    /// A social provider by name, connecting its identity to this signed-in profile.
    Connect {
        provider: String,
        profile_id: String,
    },
}

/// Keeps what the provider's answer is checked against, under the digest of our state.
pub async fn remember(
    state: &AppState,
    our_state: &SecretString,
    nonce: &SecretString,
    verifier: &PkceCodeVerifier,
    target: Target,
    desktop: Desktop,
) -> AppResult<()> {
    let (account_id, social, connect_profile) = match target {
        Target::Account { account_id } => (Some(account_id), None, None),
        Target::Social {
            provider,
            account_id,
        } => (account_id, Some(provider), None),
        Target::Connect {
            provider,
            profile_id,
        } => (None, Some(provider), Some(profile_id)),
    };
    let attempt = AttemptRow {
        account_id,
        social,
        connect_profile,
        nonce: nonce.expose_secret().to_owned(),
        pkce_verifier: verifier.secret().to_owned(),
        redirect_uri: desktop.redirect_uri.to_string(),
        client_state: desktop.state,
        code_challenge: desktop.code_challenge,
    };
    let expires_at = state.clock.now() + ATTEMPT_TTL;
    sign_ins::insert_attempt(
        &state.db,
        &tokens::digest(our_state.expose_secret()),
        &attempt,
        expires_at,
    )
    .await?;
    Ok(())
}

/// What the provider said about the person.
pub struct Verified {
    pub issuer: String,
    pub subject: String,
    pub email: Option<Email>,
}

impl Verified {
    pub fn identity(&self, provider: &str) -> PendingLink {
        PendingLink {
            issuer: self.issuer.clone(),
            subject: self.subject.clone(),
            provider: provider.to_owned(),
            email: self.email.as_ref().map(|e| e.as_str().to_owned()),
        }
    }
}

/// What the one-time code stands for when the desktop trades it.
pub enum Outcome {
    /// Sign this profile in.
    SignIn {
        profile_id: String,
        account_id: Option<String>,
        scope: SessionScope,
    },
    /// Link the identity to this profile (it proved the profile), then sign it in.
    Link {
        profile_id: String,
        account_id: Option<String>,
        scope: SessionScope,
        identity: PendingLink,
    },
    /// The person must prove a profile first (`link_required`): the one whose login the
    /// identity's verified email is, when there is one.
    Prove {
        profile_id: Option<String>,
        identity: PendingLink,
    },
}
