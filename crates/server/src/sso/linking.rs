//! Joining an identity to a profile, once the flow has its proof, and telling the profile.

use crate::error::AppResult;
use crate::state::AppState;
use crate::store::profiles;
use crate::store::sign_ins::PendingLink;
use crate::store::sso::{self, NewIdentity};
use lanyard_core::Error;
use lanyard_core::mail::{Message, SecurityEvent};

/// Links `identity` to the profile, unless another profile has it (`identity_taken`), and
/// tells the profile's login.
pub async fn link_identity(
    state: &AppState,
    profile_id: &str,
    identity: &PendingLink,
    device: &str,
) -> AppResult<()> {
    let now = state.clock.now();
    let new = NewIdentity {
        issuer: &identity.issuer,
        subject: &identity.subject,
        profile_id,
        provider: &identity.provider,
        email: identity.email.as_deref(),
        now,
    };
    if !sso::link(&state.db, &new).await? {
        return match sso::identity_owner(&state.db, &identity.issuer, &identity.subject).await? {
            Some(owner) if owner == profile_id => Ok(()),
            _ => Err(Error::IdentityTaken.into()),
        };
    }
    let profile = profiles::by_id(&state.db, profile_id).await?;
    if let Some((login, language)) =
        profile.and_then(|row| Some((row.proved_email()?, row.language())))
    {
        let event = SecurityEvent::IdentityLinked {
            provider: provider_label(&identity.provider),
        };
        state
            .mailer
            .send(Message::security_notice(
                login,
                &event,
                &now.to_rfc3339(),
                device,
                language,
            ))
            .await?;
    }
    Ok(())
}

/// How a person knows the provider: a social provider's name, or "single sign-on of acme".
fn provider_label(provider: &str) -> String {
    match provider.strip_prefix("sso:") {
        Some(address) => format!("single sign-on of {address}"),
        None => provider.to_owned(),
    }
}
