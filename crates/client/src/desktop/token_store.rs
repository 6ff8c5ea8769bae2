//! Where a connected account's session lives between calls: its access token in memory until
//! shortly before it expires, its refresh token in the OS keyring. When the keyring cannot
//! take a refresh token, it stays in memory for this run only, and `keyring_problem` says why.

use super::vault::{Vault, VaultError};
use crate::api::Tokens;
use secrecy::SecretString;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Access tokens are renewed this long before they expire.
const EARLY: Duration = Duration::from_secs(30);

struct Live {
    access: SecretString,
    renew_at: Instant,
}

/// The sessions of the connected accounts, by vault key ([`Vault::key`]).
pub struct TokenStore {
    vault: Vault,
    live: HashMap<String, Live>,
    /// Refresh tokens kept in memory because the keyring could not take them.
    unsaved: HashMap<String, SecretString>,
    keyring_problem: Option<VaultError>,
}

impl TokenStore {
    pub fn new(vault: Vault) -> TokenStore {
        TokenStore {
            vault,
            live: HashMap::new(),
            unsaved: HashMap::new(),
            keyring_problem: Vault::available().err(),
        }
    }

    /// The keyring the refresh tokens go to.
    pub fn vault(&self) -> &Vault {
        &self.vault
    }

    /// Why secrets are not being remembered, if they are not.
    pub fn keyring_problem(&self) -> Option<&VaultError> {
        self.keyring_problem.as_ref()
    }

    /// Remembers a session: the access token in memory, the refresh token in the keyring.
    pub fn keep(&mut self, key: &str, tokens: Tokens) {
        match self.vault.store(key, &tokens.refresh_token) {
            Ok(()) => {
                self.unsaved.remove(key);
            }
            Err(problem) => {
                self.unsaved.insert(key.to_owned(), tokens.refresh_token);
                self.keyring_problem = Some(problem);
            }
        }
        let renew_at =
            Instant::now() + Duration::from_secs(tokens.expires_in).saturating_sub(EARLY);
        self.live.insert(
            key.to_owned(),
            Live {
                access: tokens.access_token,
                renew_at,
            },
        );
    }

    /// The access token, while it has some time left.
    pub fn fresh_access(&self, key: &str) -> Option<SecretString> {
        self.live
            .get(key)
            .filter(|live| Instant::now() < live.renew_at)
            .map(|live| live.access.clone())
    }

    pub fn refresh_token(&self, key: &str) -> Option<SecretString> {
        if let Some(token) = self.unsaved.get(key) {
            return Some(token.clone());
        }
        self.vault.load(key).ok().flatten()
    }

    /// Drops the access token only: the tab is closed, the account stays connected.
    pub fn close(&mut self, key: &str) {
        self.live.remove(key);
    }

    /// Forgets the session entirely, keyring entry included. A keyring that cannot erase is
    /// remembered as the keyring's problem.
    pub fn forget(&mut self, key: &str) {
        self.live.remove(key);
        self.unsaved.remove(key);
        if let Err(problem) = self.vault.erase(key) {
            self.keyring_problem = Some(problem);
        }
    }
}
