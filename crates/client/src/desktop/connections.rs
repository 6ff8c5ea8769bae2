//! Connected accounts, the way the desktop's tabs use them: connect with a password, get a
//! fresh access token when a tab needs one (refreshing through the vault's token, which is
//! rotated and stored back), disconnect (tab closed, still connected), delete (signed out on
//! the server, erased from the keyring, gone from the list), and restore on start.
//!
//! Methods take `&mut self`, so one refresh per account runs at a time: the server revokes a
//! whole session when one refresh token is used twice. When the keyring cannot be used, the
//! refresh tokens stay in memory for this run only, and `keyring_problem` says why.

mod deletion;
mod listing;
mod reconcile;

use super::account_list::{AccountList, Connected, ListError};
use super::revocations::Revocations;
use super::token_store::TokenStore;
use super::vault::{Vault, VaultError};
use crate::api::is_loopback;
use crate::api::{LoginRequest, SessionScope, Tokens};
use crate::{ApiError, Client};
use lanyard_core::{Code, Language};
use secrecy::SecretString;
use std::collections::HashMap;
use std::path::Path;
use url::Url;

/// What a tab of an account's single sign-on shows as its login.
pub const SINGLE_SIGN_ON: &str = "single sign-on";

/// The `server` of accounts on the app's embedded server, whose port changes from run to run.
pub const LOCAL: &str = "local";

#[derive(Debug, thiserror::Error)]
pub enum ConnectionError {
    /// The session is gone (revoked, expired, or the employee was dismissed): this tab asks
    /// for a sign-in; the others go on.
    #[error("sign in again to {address}")]
    NeedsSignIn { address: String },
    #[error("no such connected account")]
    NotConnected,
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    List(#[from] ListError),
    #[error(
        "The sign-in was approved without choosing an account, so no tab could open. \
         Try again and choose the account."
    )]
    NoAccount,
    #[error("the built-in server is not running")]
    NoLocalServer,
    /// A remote server named by a plain `http://` URL: passwords and tokens would cross the
    /// network in clear. Only loopback addresses (local testing) may use `http`.
    #[error("{0} is not https: a remote Lanyard server must be reached over https")]
    InsecureServer(String),
}

/// `https`, or `http` to this machine's loopback (a server under test).
fn secure_enough(url: &Url) -> bool {
    url.scheme() == "https" || (url.scheme() == "http" && is_loopback(url))
}

/// A tab's way to the API, see [`Connections::session`].
pub struct TabSession {
    pub client: Client,
    pub access: SecretString,
    pub address: String,
}

pub struct Connections {
    list: AccountList,
    clients: HashMap<String, Client>,
    tokens: TokenStore,
    /// The language the person reads the app in: every client asks the server for it.
    language: Language,
    /// Sessions of deleted accounts whose servers have not heard of it yet.
    revocations: Revocations,
}

impl Connections {
    /// Opens the list of accounts in `data_dir`, and makes it and the keyring agree where the
    /// app stopped between writing one and the other (see `reconcile`).
    pub fn open(data_dir: &Path, vault: Vault) -> Result<Connections, ConnectionError> {
        let mut connections = Connections {
            list: AccountList::open(data_dir)?,
            clients: HashMap::new(),
            revocations: Revocations::open(data_dir, vault.clone())?,
            tokens: TokenStore::new(vault),
            language: Language::default(),
        };
        connections.reconcile();
        Ok(connections)
    }

    pub fn accounts(&self) -> &[Connected] {
        self.list.all()
    }

    /// Why secrets are not being remembered, if they are not.
    pub fn keyring_problem(&self) -> Option<&VaultError> {
        self.tokens.keyring_problem()
    }

    /// Names the embedded server: accounts on [`LOCAL`] reach it at `url`, whichever port it
    /// got this run.
    pub fn set_local(&mut self, url: Url) -> Result<(), ConnectionError> {
        self.clients.insert(LOCAL.to_owned(), Client::new(url)?);
        Ok(())
    }

    /// From now on, servers answer in `language`.
    pub fn set_language(&mut self, language: Language) {
        self.language = language;
    }

    /// The client of `server` (a base URL, or [`LOCAL`]), speaking the person's language.
    pub fn client(&mut self, server: &str) -> Result<Client, ConnectionError> {
        if let Some(client) = self.clients.get(server) {
            return Ok(client.clone().speaking(self.language));
        }
        if server == LOCAL {
            return Err(ConnectionError::NoLocalServer);
        }
        let url = Url::parse(server).map_err(|e| ApiError::Url(e.to_string()))?;
        if !secure_enough(&url) {
            return Err(ConnectionError::InsecureServer(server.to_owned()));
        }
        let client = Client::new(url)?;
        self.clients.insert(server.to_owned(), client.clone());
        Ok(client.speaking(self.language))
    }

    /// What a tab needs to call the API: its server's client, a fresh access token, and the
    /// account's current address (after a rename, the new one).
    pub async fn session(
        &mut self,
        server: &str,
        account_id: &str,
    ) -> Result<TabSession, ConnectionError> {
        let access = self.access(server, account_id).await?;
        let address = self
            .list
            .find(server, account_id)
            .map(|account| account.address.clone())
            .ok_or(ConnectionError::NotConnected)?;
        Ok(TabSession {
            client: self.client(server)?,
            access,
            address,
        })
    }

    /// Signs in to the account at `address` and opens its tab.
    pub async fn connect(
        &mut self,
        server: &str,
        login: &str,
        password: &SecretString,
        address: &str,
        device_name: &str,
    ) -> Result<Connected, ConnectionError> {
        let server = server.trim_end_matches('/').to_owned();
        let client = self.client(&server)?;
        let request = LoginRequest {
            login: login.into(),
            password: password.clone(),
            account: Some(address.into()),
            device_name: Some(device_name.into()),
        };
        let tokens = client.login(&request).await?;
        self.open_tab(&server, tokens, login.to_owned())
    }

    /// Opens the tab of a session signed in some other way (a QR code approved from a phone,
    /// single sign-on): its refresh token goes to the keyring like any other, and the tab
    /// shows the profile's login, or — for a session of the account's single sign-on, which
    /// may not read the profile — that it came from single sign-on.
    pub async fn adopt(
        &mut self,
        server: &str,
        tokens: Tokens,
    ) -> Result<Connected, ConnectionError> {
        let login = match tokens.scope {
            SessionScope::Account => SINGLE_SIGN_ON.to_owned(),
            SessionScope::Profile => {
                let profile = self.client(server)?.me(&tokens.access_token).await?;
                profile.email.or(profile.phone).unwrap_or_default()
            }
        };
        self.open_tab(server, tokens, login)
    }

    fn open_tab(
        &mut self,
        server: &str,
        tokens: Tokens,
        login: String,
    ) -> Result<Connected, ConnectionError> {
        let account = tokens.account.clone().ok_or(ConnectionError::NoAccount)?;
        // Signing in again keeps the person's choice to mute the account.
        let muted = self.list.find(server, &account.id).is_some_and(|a| a.muted);
        let connected = Connected {
            server: server.to_owned(),
            account_id: account.id,
            address: account.address,
            name: account.name,
            login,
            open: true,
            muted,
            deleting: false,
        };
        // The keyring first, then the list: stopped in between, the app leaves a secret of
        // no listed account, which the next start signs out and erases (`reconcile`). The
        // other order would leave an account without its secret, and a session on the server
        // that nobody could sign out.
        let key = Vault::key(server, &connected.account_id);
        let listed = self.list.find(server, &connected.account_id).is_some();
        self.tokens.keep(&key, tokens);
        if let Err(error) = self.list.upsert(connected.clone()) {
            // Not saved (a full disk): no tab opens, so no secret stays for it either.
            if !listed && let Err(left) = self.settle_entry(&key) {
                tracing::warn!(error = %left, "an unsaved sign-in's secret stays till next start");
            }
            return Err(error.into());
        }
        Ok(connected)
    }

    /// A valid access token for the account's tab, refreshing silently when needed.
    pub async fn access(
        &mut self,
        server: &str,
        account_id: &str,
    ) -> Result<SecretString, ConnectionError> {
        let key = Vault::key(server, account_id);
        if let Some(access) = self.tokens.fresh_access(&key) {
            return Ok(access);
        }
        let connected = self
            .list
            .find(server, account_id)
            .cloned()
            .ok_or(ConnectionError::NotConnected)?;
        let needs_sign_in = || ConnectionError::NeedsSignIn {
            address: connected.address.clone(),
        };
        let refresh = self.tokens.refresh_token(&key).ok_or_else(needs_sign_in)?;
        let client = self.client(server)?;
        let tokens = match client.refresh(&refresh).await {
            Ok(tokens) => tokens,
            Err(error) if error.code() == Some(Code::InvalidToken) => {
                // A dead token is no secret worth keeping.
                self.tokens.forget(&key);
                return Err(needs_sign_in());
            }
            Err(error) => return Err(error.into()),
        };
        if let Some(account) = &tokens.account {
            // A renamed account: the tab follows its id and shows the new address.
            let renamed = Connected {
                address: account.address.clone(),
                name: account.name.clone(),
                ..connected.clone()
            };
            if renamed != connected {
                self.list.upsert(renamed)?;
            }
        }
        let access = tokens.access_token.clone();
        self.tokens.keep(&key, tokens);
        Ok(access)
    }

    /// The server refused the tab's access token (its session was revoked elsewhere, or the
    /// server no longer knows the token): it is dropped, so the next [`Self::access`] asks
    /// the refresh token, which either renews the session or ends in
    /// [`ConnectionError::NeedsSignIn`]. The refresh token stays: only the server can say
    /// whether it is dead.
    pub fn refused(&mut self, server: &str, account_id: &str) {
        self.tokens.close(&Vault::key(server, account_id));
    }

    /// The connected account, as listed.
    pub fn find(&self, server: &str, account_id: &str) -> Option<&Connected> {
        self.list.find(server, account_id)
    }

    /// Reopens a disconnected account's tab, silently.
    pub async fn reopen(
        &mut self,
        server: &str,
        account_id: &str,
    ) -> Result<SecretString, ConnectionError> {
        let access = self.access(server, account_id).await?;
        self.list.set_open(server, account_id, true)?;
        Ok(access)
    }

    /// On start: every tab that was open, signed in silently, or the reason it is not.
    pub async fn restore(&mut self) -> Vec<(Connected, Result<(), ConnectionError>)> {
        let open: Vec<Connected> = self
            .list
            .all()
            .iter()
            .filter(|a| a.open && !a.deleting)
            .cloned()
            .collect();
        let mut restored = Vec::with_capacity(open.len());
        for account in open {
            let outcome = self
                .access(&account.server, &account.account_id)
                .await
                .map(|_| ());
            restored.push((account, outcome));
        }
        restored
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_servers_need_https_and_loopback_may_use_http() {
        let ok = |url: &str| secure_enough(&Url::parse(url).unwrap());
        assert!(ok("https://id.example.com/"));
        assert!(ok("http://127.0.0.1:8080/"));
        assert!(ok("http://[::1]:8080/"));
        assert!(ok("http://localhost:8080/"));
        assert!(!ok("http://id.example.com/"));
        assert!(!ok("http://10.0.0.7:8080/"));
        assert!(!ok("ftp://id.example.com/"));
    }
}
