//! What the shell holds while it runs: the connected accounts (through lanyard-client), the
//! embedded server, and the sign-ins under way (QR codes on screen, a profile picking an
//! account). Secrets stay here; the web view only
//! ever gets ids.

use crate::embedded::Embedded;
use crate::error::UiError;
use crate::views::{Tab, TabRef};
use lanyard_client::api::Account;
use lanyard_client::connections::{ConnectionError, Connections, TabSession};
use lanyard_client::profile_session::ProfileSession;
use lanyard_client::qr::Shown;
use lanyard_client::vault::Vault;
use lanyard_client::{Client, api::Tokens};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use tokio::sync::Mutex;

/// A QR code on screen, and the server it signs in to.
pub struct OnScreen {
    pub server: String,
    pub shown: Shown,
}

pub struct Desktop {
    pub connections: Mutex<Connections>,
    pub embedded: Mutex<Option<Embedded>>,
    pub local_url: Option<String>,
    pub device_name: String,
    pub qr: Mutex<HashMap<String, Arc<OnScreen>>>,
    pub picking: Mutex<Option<ProfileSession>>,
}

impl Desktop {
    /// Opens the account list and starts the embedded server.
    pub async fn start(data_dir: &Path) -> Result<Desktop, String> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
        let mut connections =
            Connections::open(data_dir, Vault::new()).map_err(|e| e.to_string())?;
        let server = Embedded::start(data_dir).await?;
        connections
            .set_local(server.url.clone())
            .map_err(|e| e.to_string())?;
        Ok(Desktop {
            connections: Mutex::new(connections),
            local_url: Some(server.url.to_string()),
            embedded: Mutex::new(Some(server)),
            device_name: device_name(),
            qr: Mutex::new(HashMap::new()),
            picking: Mutex::new(None),
        })
    }

    /// What a tab's commands call the API with.
    pub async fn session(&self, tab: &TabRef) -> Result<TabSession, UiError> {
        Ok(self
            .connections
            .lock()
            .await
            .session(&tab.server, &tab.account_id)
            .await?)
    }

    /// The tab as listed now.
    pub async fn tab(&self, tab: &TabRef) -> Result<Tab, UiError> {
        let connections = self.connections.lock().await;
        let connected = connections
            .find(&tab.server, &tab.account_id)
            .cloned()
            .ok_or(ConnectionError::NotConnected)?;
        Ok(connected.into())
    }

    /// The tab after its account was renamed.
    pub async fn follow(&self, tab: &TabRef, account: &Account) -> Result<Tab, UiError> {
        let connected = self.connections.lock().await.follow(&tab.server, account)?;
        Ok(connected.into())
    }

    pub async fn client(&self, server: &str) -> Result<Client, UiError> {
        Ok(self.connections.lock().await.client(server)?)
    }

    /// Opens the tab of a session signed in without a password.
    pub async fn adopt(&self, server: &str, tokens: Tokens) -> Result<Tab, UiError> {
        let connected = self.connections.lock().await.adopt(server, tokens).await?;
        Ok(connected.into())
    }
}

/// "Lanyard on <host>": how this device appears in session lists and on the phone.
fn device_name() -> String {
    let host = std::env::var("HOSTNAME")
        .or_else(|_| std::env::var("COMPUTERNAME"))
        .ok()
        .or_else(|| {
            std::fs::read_to_string("/etc/hostname")
                .ok()
                .map(|h| h.trim().to_owned())
        })
        .filter(|h| !h.is_empty());
    match host {
        Some(host) => format!("Lanyard on {host}"),
        None => "Lanyard desktop".to_owned(),
    }
}
