//! What changes a connected account's listing without a sign-in: a rename followed, the tab
//! closed, notifications muted.

use super::{ConnectionError, Connections};
use crate::api::Account;
use crate::desktop::account_list::Connected;
use crate::desktop::vault::Vault;

impl Connections {
    /// Shows the account's new address and name on its tab after a rename.
    pub fn follow(
        &mut self,
        server: &str,
        account: &Account,
    ) -> Result<Connected, ConnectionError> {
        let connected = self
            .list
            .find(server, &account.id)
            .cloned()
            .ok_or(ConnectionError::NotConnected)?;
        let renamed = Connected {
            address: account.address.clone(),
            name: account.name.clone(),
            ..connected
        };
        self.list.upsert(renamed.clone())?;
        Ok(renamed)
    }

    /// Closes the tab; the account stays connected and reopens without a sign-in.
    pub fn disconnect(&mut self, server: &str, account_id: &str) -> Result<(), ConnectionError> {
        self.tokens.close(&Vault::key(server, account_id));
        if self.list.set_open(server, account_id, false)? {
            Ok(())
        } else {
            Err(ConnectionError::NotConnected)
        }
    }

    /// Mutes or unmutes the account's notifications.
    pub fn set_muted(
        &mut self,
        server: &str,
        account_id: &str,
        muted: bool,
    ) -> Result<Connected, ConnectionError> {
        if !self.list.set_muted(server, account_id, muted)? {
            return Err(ConnectionError::NotConnected);
        }
        self.find(server, account_id)
            .cloned()
            .ok_or(ConnectionError::NotConnected)
    }
}
