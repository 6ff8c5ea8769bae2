//! How stored rows appear in the API where more than one use case shows them.

use crate::error::AppResult;
use crate::state::AppState;
use crate::store::profiles::ProfileRow;
use crate::store::sso::{self, IdentityRow};
use lanyard_core::api::{Profile, SocialIdentity};

/// The profile as its owner sees it, with the identities linked to it.
pub async fn profile(state: &AppState, row: ProfileRow) -> AppResult<Profile> {
    let identities = sso::identities_of(&state.db, &row.id).await?;
    Ok(profile_with(row, identities))
}

/// The profile as its owner sees it, its linked `identities` read already.
pub fn profile_with(row: ProfileRow, identities: Vec<IdentityRow>) -> Profile {
    let social = identities
        .into_iter()
        .map(|identity| SocialIdentity {
            provider: identity.provider,
            email: identity.email,
        })
        .collect();
    Profile {
        language: row.chosen_language(),
        id: row.id,
        email: row.email,
        phone: row.phone,
        first_name: row.first_name,
        last_name: row.last_name,
        photo_url: row.photo_url,
        has_password: row.password_hash.is_some(),
        social,
    }
}
