//! Deleting a connected account: gone from the list and the keyring, its session revoked on
//! the server now or, while the server does not answer, as soon as it does.

use super::{ConnectionError, Connections};
use crate::desktop::revocations::answered;
use crate::desktop::vault::Vault;
use std::collections::HashMap;

impl Connections {
    /// Signs the account's session out on the server, erases its keyring entry and drops
    /// it from the list; a server that does not answer is told later
    /// ([`Self::revoke_pending`]).
    ///
    /// The account is marked first, in the list: an app stopped anywhere after that leaves
    /// an account the next start finishes deleting (`reconcile`), its token still there to
    /// be revoked until the server was told or it is queued for that.
    pub async fn delete(&mut self, server: &str, account_id: &str) -> Result<(), ConnectionError> {
        let key = Vault::key(server, account_id);
        self.list.set_deleting(server, account_id)?;
        if let Some(refresh) = self.tokens.refresh_token(&key) {
            let told = match self.client(server) {
                Ok(client) => answered(&client.logout(&refresh).await),
                Err(_) => false,
            };
            if !told {
                self.revocations.queue(server, &key, refresh)?;
            }
        }
        self.tokens.forget(&key);
        self.list.remove(server, account_id)?;
        Ok(())
    }

    /// Tells the servers that answer now to end the sessions of accounts deleted while they
    /// did not; answers how many still wait.
    pub async fn revoke_pending(&mut self) -> Result<usize, ConnectionError> {
        let mut clients = HashMap::new();
        for pending in self.revocations.pending().to_vec() {
            if let Ok(client) = self.client(&pending.server) {
                clients.insert(pending.server, client);
            }
        }
        self.revocations
            .retry(|server| clients.get(server).cloned())
            .await?;
        Ok(self.revocations.pending().len())
    }
}
