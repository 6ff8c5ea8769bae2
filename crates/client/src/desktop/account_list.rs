//! The list of connected accounts: which server, which account (by id, so a rename keeps the
//! tab), how it is shown, whether its tab is open. Plain app data in one JSON file, replaced
//! atomically; it never holds a secret (those are in the [`Vault`](super::vault::Vault)).

use super::app_file;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Connected {
    /// The server's base URL (the embedded one, or a remote Lanyard server).
    pub server: String,
    /// The account's id: stable across renames.
    pub account_id: String,
    /// The address last seen (it follows renames on refresh).
    pub address: String,
    pub name: String,
    /// The login used to connect, shown on the tab's sign-in page.
    pub login: String,
    /// Whether its tab is open (disconnected accounts stay listed, tab closed).
    pub open: bool,
    /// Whether its live changes stay quiet (no notification; badges still count them).
    #[serde(default)]
    pub muted: bool,
    /// A delete has begun: the next start finishes it if the app stopped half-way (see
    /// `Connections::delete`). Written only while true, so lists stay as they were.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub deleting: bool,
}

/// Why the list could not be read or saved.
pub use super::app_file::FileError as ListError;

/// The connected accounts, in tab order, kept in `accounts.json` of a data folder.
#[derive(Debug)]
pub struct AccountList {
    path: PathBuf,
    accounts: Vec<Connected>,
}

impl AccountList {
    /// Opens the list in `data_dir` (empty when there is none yet).
    pub fn open(data_dir: &Path) -> Result<AccountList, ListError> {
        let path = data_dir.join("accounts.json");
        let accounts = app_file::read(&path)?;
        Ok(AccountList { path, accounts })
    }

    pub fn all(&self) -> &[Connected] {
        &self.accounts
    }

    pub fn find(&self, server: &str, account_id: &str) -> Option<&Connected> {
        self.accounts
            .iter()
            .find(|a| a.server == server && a.account_id == account_id)
    }

    /// Adds the account, or updates it in place (keeping its position), and saves.
    pub fn upsert(&mut self, account: Connected) -> Result<(), ListError> {
        let before = self.accounts.clone();
        match self
            .accounts
            .iter_mut()
            .find(|a| a.server == account.server && a.account_id == account.account_id)
        {
            Some(existing) => *existing = account,
            None => self.accounts.push(account),
        }
        self.save(before)
    }

    /// Opens or closes the account's tab; `false` when it is not listed.
    pub fn set_open(
        &mut self,
        server: &str,
        account_id: &str,
        open: bool,
    ) -> Result<bool, ListError> {
        self.change(server, account_id, |account| account.open = open)
    }

    /// Mutes or unmutes the account's notifications; `false` when it is not listed.
    pub fn set_muted(
        &mut self,
        server: &str,
        account_id: &str,
        muted: bool,
    ) -> Result<bool, ListError> {
        self.change(server, account_id, |account| account.muted = muted)
    }

    /// Marks the account as being deleted (see [`Connected::deleting`]); `false` when it is
    /// not listed.
    pub fn set_deleting(&mut self, server: &str, account_id: &str) -> Result<bool, ListError> {
        self.change(server, account_id, |account| account.deleting = true)
    }

    /// Changes the listed account with `edit` and saves; `false` when it is not listed.
    fn change(
        &mut self,
        server: &str,
        account_id: &str,
        edit: impl FnOnce(&mut Connected),
    ) -> Result<bool, ListError> {
        let before = self.accounts.clone();
        let Some(account) = self
            .accounts
            .iter_mut()
            .find(|a| a.server == server && a.account_id == account_id)
        else {
            return Ok(false);
        };
        edit(account);
        self.save(before).map(|()| true)
    }

    pub fn remove(&mut self, server: &str, account_id: &str) -> Result<(), ListError> {
        let before = self.accounts.clone();
        self.accounts
            .retain(|a| !(a.server == server && a.account_id == account_id));
        self.save(before)
    }

    /// Saves the list whole (atomically: a crash leaves the old list or the new one). When it
    /// cannot be saved (a full disk, a read-only folder), the list in memory goes back to
    /// `before`, so what the app shows stays what its next start will read.
    fn save(&mut self, before: Vec<Connected>) -> Result<(), ListError> {
        let saved = app_file::write(&self.path, &self.accounts);
        if saved.is_err() {
            self.accounts = before;
        }
        saved
    }
}
