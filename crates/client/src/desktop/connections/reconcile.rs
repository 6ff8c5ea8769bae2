//! The start's agreement between the list of accounts and the keyring. The app writes them
//! one after the other (a sign-in: the keyring, then the list; a delete: the list's mark, the
//! keyring, the list), so an app killed between two writes leaves them apart. Whatever it
//! left, the next start makes them agree before any tab is restored:
//!
//! - an account marked as being deleted: the delete is finished (its token queued for
//!   revocation when the keyring still holds it, its entry erased, the account unlisted);
//! - a keyring entry of no listed account (a sign-in stopped before the list was saved): its
//!   session is queued for revocation and the entry erased, so no secret outlives its account;
//! - a `revoke:` entry without its record in `revocations.json` (stopped between the two): it
//!   waits for its server like the others.
//!
//! A listed account whose entry is missing needs nothing here: its tab asks for a sign-in
//! ([`super::ConnectionError::NeedsSignIn`]). Where the platform's store cannot be searched,
//! entries of no listed account cannot be found, and stay.

use super::{ConnectionError, Connections};
use crate::desktop::revocations::ENTRY_PREFIX;
use crate::desktop::vault::Vault;

/// The server of an entry's key ([`Vault::key`]: the server, `#`, the account's id).
fn server_of(key: &str) -> Option<&str> {
    key.rsplit_once('#').map(|(server, _)| server)
}

impl Connections {
    /// See the module's documentation. Nothing here stops the start: what cannot be done now
    /// (a keyring that does not answer, a folder that cannot be written) is logged and
    /// tried again at the next start, and nothing is erased before it is safe to.
    pub(super) fn reconcile(&mut self) {
        let deleting: Vec<_> = self
            .list
            .all()
            .iter()
            .filter(|a| a.deleting)
            .map(|a| (a.server.clone(), a.account_id.clone()))
            .collect();
        for (server, account_id) in deleting {
            if let Err(error) = self.finish_delete(&server, &account_id) {
                tracing::warn!(%error, "a delete the app did not finish could not be finished");
            }
        }
        if self.tokens.keyring_problem().is_some() {
            return;
        }
        let keys = match self.tokens.vault().keys() {
            Ok(Some(keys)) => keys,
            Ok(None) => return,
            Err(error) => {
                tracing::warn!(%error, "the keyring's entries could not be listed");
                return;
            }
        };
        for key in keys {
            if let Err(error) = self.settle_entry(&key) {
                tracing::warn!(%error, "a keyring entry of no account could not be settled");
            }
        }
    }

    /// The local part of a delete: the session kept for its revocation (when its token is
    /// still there), the entry erased, the account unlisted.
    pub(super) fn finish_delete(
        &mut self,
        server: &str,
        account_id: &str,
    ) -> Result<(), ConnectionError> {
        let key = Vault::key(server, account_id);
        if let Some(refresh) = self.tokens.refresh_token(&key) {
            self.revocations.queue(server, &key, refresh)?;
        }
        self.tokens.forget(&key);
        self.list.remove(server, account_id)?;
        Ok(())
    }

    /// One keyring entry found at start: kept when an account (or a waiting revocation) has
    /// it, else its session queued for revocation and the entry erased.
    pub(super) fn settle_entry(&mut self, key: &str) -> Result<(), ConnectionError> {
        let vault = self.tokens.vault().clone();
        if let Some(account_key) = key.strip_prefix(ENTRY_PREFIX) {
            let waiting = self
                .revocations
                .pending()
                .iter()
                .any(|p| p.key == account_key);
            if let (false, Some(server), Some(token)) = (
                waiting,
                server_of(account_key),
                vault.load(key).ok().flatten(),
            ) {
                self.revocations.queue(server, account_key, token)?;
            }
            return Ok(());
        }
        let listed = self
            .list
            .all()
            .iter()
            .any(|a| Vault::key(&a.server, &a.account_id) == key);
        if listed {
            return Ok(());
        }
        tracing::info!("a keyring entry of no listed account: its session is signed out");
        if let (Some(server), Some(token)) = (server_of(key), vault.load(key).ok().flatten()) {
            // Queued first: if the app stops again here, the entry is found again next time.
            self.revocations.queue(server, key, token)?;
        }
        self.tokens.forget(key);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::server_of;

    #[test]
    fn an_entrys_server_is_what_comes_before_the_last_hash() {
        assert_eq!(server_of("local#0190-acme"), Some("local"));
        assert_eq!(
            server_of("https://id.example.com:8443#0190-acme"),
            Some("https://id.example.com:8443")
        );
        assert_eq!(server_of("no-account"), None);
    }
}
