//! Deleting a connected account: gone from the list and the keyring at once, its session
//! revoked on the server now or, while the server does not answer, as soon as it does.

use super::{ConnectionError, Connections};
use crate::desktop::revocations::answered;
use crate::desktop::vault::Vault;
use std::collections::HashMap;

impl Connections {
    /// Drops the account and erases its keyring entry, then signs its session out on the
    /// server; a server that does not answer is told later ([`Self::revoke_pending`]).
    pub async fn delete(&mut self, server: &str, account_id: &str) -> Result<(), ConnectionError> {
        let key = Vault::key(server, account_id);
        let refresh = self.tokens.refresh_token(&key);
        self.tokens.forget(&key);
        self.list.remove(server, account_id)?;
        if let Some(refresh) = refresh {
            let told = match self.client(server) {
                Ok(client) => answered(&client.logout(&refresh).await),
                Err(_) => false,
            };
            if !told {
                self.revocations.queue(server, &key, refresh)?;
            }
        }
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
