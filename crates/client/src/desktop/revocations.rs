//! Sessions of deleted accounts still to be revoked on their servers. Deleting an account
//! erases its keyring entry and drops it from the list at once, whether its server answers or
//! not; when the server could not be told to end the session, its refresh token is kept for
//! that one purpose under a keyring entry of its own (`revoke:` and the account's key), and
//! the non-secret part (which server, which entry) in `revocations.json`, until the server
//! answers. Keyring entries cannot be listed on every platform, hence the file.

use super::app_file::{self, FileError};
use super::vault::Vault;
use crate::{ApiError, Client};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A session waiting to be revoked: its server, and its entry's key ([`Vault::key`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub server: String,
    pub key: String,
}

pub struct Revocations {
    path: PathBuf,
    pending: Vec<Pending>,
    vault: Vault,
    /// Tokens the keyring could not take: kept for this run only.
    unsaved: HashMap<String, SecretString>,
}

/// Whether the server's answer means the session is dealt with: it answered (a sign-out of an
/// unknown token is a success too) with anything but a server-side failure.
pub fn answered(result: &Result<(), ApiError>) -> bool {
    match result {
        Ok(()) => true,
        Err(error) => error.status().is_some_and(|status| status < 500),
    }
}

/// What starts the keyring entry of a session waiting to be revoked.
pub const ENTRY_PREFIX: &str = "revoke:";

fn entry(key: &str) -> String {
    format!("{ENTRY_PREFIX}{key}")
}

impl Revocations {
    pub fn open(data_dir: &Path, vault: Vault) -> Result<Revocations, FileError> {
        let path = data_dir.join("revocations.json");
        Ok(Revocations {
            pending: app_file::read(&path)?,
            path,
            vault,
            unsaved: HashMap::new(),
        })
    }

    pub fn pending(&self) -> &[Pending] {
        &self.pending
    }

    /// Keeps `refresh_token` until `server` revokes its session. A keyring that refuses it
    /// (the app says so already: it could not keep the account's token either) leaves it in
    /// memory for this run.
    pub fn queue(
        &mut self,
        server: &str,
        key: &str,
        refresh_token: SecretString,
    ) -> Result<(), FileError> {
        if self.vault.store(&entry(key), &refresh_token).is_err() {
            self.unsaved.insert(key.to_owned(), refresh_token);
        }
        self.pending.retain(|p| p.key != key);
        self.pending.push(Pending {
            server: server.to_owned(),
            key: key.to_owned(),
        });
        app_file::write(&self.path, &self.pending)
    }

    /// Tells each server that answers to end its waiting sessions; the rest wait for the next
    /// try. `client` gives the client of a server (`None`: not reachable now).
    pub async fn retry(
        &mut self,
        client: impl Fn(&str) -> Option<Client>,
    ) -> Result<(), FileError> {
        let mut done = Vec::new();
        for pending in &self.pending {
            let token = match self.unsaved.get(&pending.key) {
                Some(token) => Some(token.clone()),
                None => self.vault.load(&entry(&pending.key)).ok().flatten(),
            };
            let Some(token) = token else {
                // Nothing left to revoke with (erased by hand): nothing to wait for.
                done.push(pending.key.clone());
                continue;
            };
            let Some(client) = client(&pending.server) else {
                continue;
            };
            if answered(&client.logout(&token).await) {
                done.push(pending.key.clone());
            }
        }
        // An entry the keyring cannot erase now stays pending: the next try signs out again
        // (a spent token is no error) and erases it then.
        done.retain(|key| self.vault.erase(&entry(key)).is_ok());
        if done.is_empty() {
            return Ok(());
        }
        for key in &done {
            self.unsaved.remove(key);
        }
        self.pending.retain(|p| !done.contains(&p.key));
        app_file::write(&self.path, &self.pending)
    }
}
