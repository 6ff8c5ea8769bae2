//! The keyring vault: one entry per connected account in the operating system's credential
//! store (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows), holding
//! that account's refresh token. Nothing else ever holds it at rest: no file, no log, no web
//! view. keyring's `v1` mode picks the platform store and never falls back to a file or to
//! memory; when the store cannot be reached or is locked, every call says so.

use keyring::{Entry, Error as KeyringError};
use secrecy::{ExposeSecret, SecretString};

/// Why the vault could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    /// No credential store answers, or it is locked: the app keeps the session in memory
    /// and tells the person that it will not be remembered.
    #[error("the system keyring is not available: {0}")]
    Unavailable(String),
    #[error("the system keyring refused: {0}")]
    Refused(String),
}

impl From<KeyringError> for VaultError {
    fn from(error: KeyringError) -> Self {
        match error {
            KeyringError::NoStorageAccess(_)
            | KeyringError::PlatformFailure(_)
            | KeyringError::NoDefaultStore => VaultError::Unavailable(error.to_string()),
            other => VaultError::Refused(other.to_string()),
        }
    }
}

/// Refresh tokens of connected accounts, keyed by server and account id.
#[derive(Debug, Clone)]
pub struct Vault {
    service: String,
}

impl Vault {
    /// The vault of the app: entries under the service name `Lanyard`.
    pub fn new() -> Vault {
        Vault::named("Lanyard")
    }

    /// A vault under another service name (tests keep theirs apart from a real one).
    pub fn named(service: &str) -> Vault {
        Vault {
            service: service.to_owned(),
        }
    }

    /// Whether the platform's credential store could be opened.
    pub fn available() -> Result<(), VaultError> {
        match Entry::store_status() {
            Ok(()) => Ok(()),
            Err(error) => Err(VaultError::Unavailable(error.to_string())),
        }
    }

    /// The entry's user name: which server, which account.
    pub fn key(server: &str, account_id: &str) -> String {
        format!("{}#{account_id}", server.trim_end_matches('/'))
    }

    fn entry(&self, key: &str) -> Result<Entry, VaultError> {
        Ok(Entry::new(&self.service, key)?)
    }

    pub fn store(&self, key: &str, refresh_token: &SecretString) -> Result<(), VaultError> {
        Ok(self
            .entry(key)?
            .set_password(refresh_token.expose_secret())?)
    }

    /// The stored token, or `None` when there is none.
    pub fn load(&self, key: &str) -> Result<Option<SecretString>, VaultError> {
        match self.entry(key)?.get_password() {
            Ok(token) => Ok(Some(SecretString::from(token))),
            Err(KeyringError::NoEntry) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }

    /// The keys of every entry this vault holds, or `None` where the platform's store cannot
    /// be searched (then only the entries the app knows of can be reached). The start
    /// compares them with the list of accounts, see `Connections::open`.
    pub fn keys(&self) -> Result<Option<Vec<String>>, VaultError> {
        Vault::available()?;
        let spec = std::collections::HashMap::from([("service", self.service.as_str())]);
        let found = match keyring_core::Entry::search(&spec) {
            Ok(found) => found,
            Err(KeyringError::NotSupportedByStore(_)) => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        let mut keys = Vec::with_capacity(found.len());
        for entry in found {
            match entry.get_attributes() {
                Ok(mut attributes) => keys.extend(attributes.remove("username")),
                // Erased meanwhile.
                Err(KeyringError::NoEntry) => {}
                Err(error) => return Err(error.into()),
            }
        }
        Ok(Some(keys))
    }

    /// Erases the entry; erasing what is not there is no error.
    pub fn erase(&self, key: &str) -> Result<(), VaultError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(KeyringError::NoEntry) => Ok(()),
            Err(error) => Err(error.into()),
        }
    }
}

impl Default for Vault {
    fn default() -> Self {
        Vault::new()
    }
}

#[cfg(test)]
mod tests {
    use super::Vault;

    #[test]
    fn an_entry_is_named_by_server_and_account_whatever_the_trailing_slash() {
        assert_eq!(
            Vault::key("https://lanyard.example.com/", "0190-acme"),
            "https://lanyard.example.com#0190-acme"
        );
        assert_eq!(
            Vault::key("https://lanyard.example.com", "0190-acme"),
            Vault::key("https://lanyard.example.com/", "0190-acme")
        );
        assert_eq!(Vault::key("local", "0190-acme"), "local#0190-acme");
    }
}
