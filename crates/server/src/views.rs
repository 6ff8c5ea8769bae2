//! How stored rows appear in the API where more than one use case shows them.

use crate::error::AppResult;
use crate::state::AppState;
use crate::store::profiles::ProfileRow;
use crate::store::sso::{self, IdentityRow};
use lanyard_core::api::{Profile, SocialIdentity};
use url::Url;

/// The profile as its owner sees it, with the identities linked to it.
pub async fn profile(state: &AppState, row: ProfileRow) -> AppResult<Profile> {
    let identities = sso::identities_of(&state.db, &row.id).await?;
    Ok(profile_with(row, identities, &state.public_url))
}

/// A stored photo URL as clients get it. A photo uploaded here is kept as its path alone
/// (`/api/v1/photos/…`): the embedded server's port may change between runs, and a server
/// may move; it is answered under the public URL of now. Other URLs pass as they are.
pub fn photo_url(public_url: &Url, stored: Option<String>) -> Option<String> {
    stored.map(|stored| {
        if stored.starts_with('/') {
            let mut url = public_url.clone();
            url.set_path(&stored);
            url.into()
        } else {
            stored
        }
    })
}

/// The profile as its owner sees it, its linked `identities` read already.
pub fn profile_with(row: ProfileRow, identities: Vec<IdentityRow>, public_url: &Url) -> Profile {
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
        photo_url: photo_url(public_url, row.photo_url),
        has_password: row.password_hash.is_some(),
        social,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_photo_uploaded_here_follows_the_public_url_and_others_pass_as_they_are() {
        let moved = Url::parse("http://127.0.0.1:41234/").unwrap();
        assert_eq!(
            photo_url(&moved, Some("/api/v1/photos/abc".into())).as_deref(),
            Some("http://127.0.0.1:41234/api/v1/photos/abc")
        );
        let elsewhere = "https://cdn.example.com/anna.png".to_owned();
        assert_eq!(photo_url(&moved, Some(elsewhere.clone())), Some(elsewhere));
        assert_eq!(photo_url(&moved, None), None);
    }
}
