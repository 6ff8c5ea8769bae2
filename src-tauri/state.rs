//! What the shell holds while it runs: the connected accounts and the sign-ins under way
//! (both kept by lanyard-client), the embedded server, and this device's name. Secrets stay
//! there; the web view only ever gets ids.

use crate::embedded::Embedded;
use crate::error::{AppCode, UiError};
use crate::views::{Tab, TabRef};
use lanyard_client::Client;
use lanyard_client::api::{Account, Tokens};
use lanyard_client::desktop::connections::{ConnectionError, Connections, TabSession};
use lanyard_client::desktop::sign_ins::SignIns;
use lanyard_client::desktop::vault::Vault;
use lanyard_server::StartError;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::{Mutex, watch};

pub struct Desktop {
    pub connections: Mutex<Connections>,
    pub embedded: Mutex<Option<Embedded>>,
    pub local_url: Option<String>,
    pub device_name: String,
    pub sign_ins: SignIns,
    /// Why the data folder cannot be written, if it cannot: the app runs on what it could
    /// read and says so (a read-only disk).
    pub data_problem: Option<String>,
}

/// Why Lanyard could not start; each keeps its cause (and says it, as the server's errors do).
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot create the data folder {}: {source}", .path.display())]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open the account list: {0}")]
    Accounts(#[source] ConnectionError),
    #[error("the built-in server did not start: {0}")]
    Server(#[from] StartError),
}

impl Desktop {
    /// Opens the account list and starts the embedded server. In a data folder that cannot
    /// be written (a read-only disk) the app still starts, on what it can read: the built-in
    /// server needs to write its database, so it stays off; the keyring is left as it is.
    pub async fn start(data_dir: &Path) -> Result<Desktop, StartupError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StartupError::DataDir {
            path: data_dir.to_owned(),
            source,
        })?;
        let data_problem = unwritable(data_dir);
        let mut connections =
            Connections::open(data_dir, Vault::new()).map_err(StartupError::Accounts)?;
        let server = match Embedded::start(data_dir).await {
            Ok(server) => Some(server),
            Err(error) if data_problem.is_some() => {
                tracing::error!(%error, "the built-in server cannot run on a data folder it cannot write");
                None
            }
            Err(error) => return Err(error.into()),
        };
        if let Some(server) = &server {
            connections
                .set_local(server.url.clone())
                .map_err(StartupError::Accounts)?;
        }
        Ok(Desktop {
            connections: Mutex::new(connections),
            local_url: server.as_ref().map(|server| server.url.to_string()),
            embedded: Mutex::new(server),
            device_name: device_name(),
            sign_ins: SignIns::new(),
            data_problem,
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
    pub async fn listed(&self, tab: &TabRef) -> Result<Tab, UiError> {
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

/// Why nothing can be written in `data_dir` (a file made there and removed again), if so.
fn unwritable(data_dir: &Path) -> Option<String> {
    let probe = data_dir.join(format!(".write-check-{}", std::process::id()));
    let Err(problem) = std::fs::File::create(&probe) else {
        let _ = std::fs::remove_file(&probe);
        return None;
    };
    tracing::error!(%problem, dir = %data_dir.display(), "the data folder cannot be written");
    Some(format!("{}: {problem}", data_dir.display()))
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

/// How often the sessions of accounts deleted while their server was down are offered to it
/// again (and once at start).
const REVOKE_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// Tells servers that answer again to end the sessions of accounts deleted meanwhile.
async fn revoke_pending(desktop: Arc<Desktop>) {
    loop {
        let waiting = desktop.connections.lock().await.revoke_pending().await;
        match waiting {
            Ok(0) => {}
            Ok(waiting) => tracing::info!(
                waiting,
                "sessions of deleted accounts wait for their server"
            ),
            Err(error) => {
                tracing::warn!(%error, "the sessions of deleted accounts could not be revoked")
            }
        }
        tokio::time::sleep(REVOKE_EVERY).await;
    }
}

/// The shell's state from the first instant: the window opens while the embedded server
/// starts, and each command waits until it is ready (or says why it could not start).
pub struct Shell {
    ready: watch::Receiver<Option<Result<Arc<Desktop>, StartupError>>>,
}

impl Shell {
    /// Starts `Desktop` in the background.
    pub fn starting(data_dir: PathBuf) -> Shell {
        let (sender, ready) = watch::channel(None);
        tauri::async_runtime::spawn(async move {
            let started = Desktop::start(&data_dir).await.map(Arc::new);
            match &started {
                Ok(desktop) => {
                    tauri::async_runtime::spawn(revoke_pending(desktop.clone()));
                }
                Err(error) => tracing::error!(%error, "Lanyard could not start"),
            }
            let _ = sender.send(Some(started));
        });
        Shell { ready }
    }

    /// What a tab's commands call the API with: its server's client, a fresh access token
    /// (refreshed silently when needed) and its account's current address. See [`tab_call!`].
    pub async fn tab(&self, tab: &TabRef) -> Result<TabSession, UiError> {
        self.desktop().await?.session(tab).await
    }

    /// The server refused the tab's access token: it is dropped, so the next [`Self::tab`]
    /// asks the refresh token.
    pub async fn refused(&self, tab: &TabRef) -> Result<(), UiError> {
        let desktop = self.desktop().await?;
        let mut connections = desktop.connections.lock().await;
        connections.refused(&tab.server, &tab.account_id);
        Ok(())
    }

    /// The client of `server` (a base URL, or the built-in server's `local`).
    pub async fn client(&self, server: &str) -> Result<Client, UiError> {
        self.desktop().await?.client(server).await
    }

    /// The started desktop; waits while it starts.
    pub async fn desktop(&self) -> Result<Arc<Desktop>, UiError> {
        let mut ready = self.ready.clone();
        let started = ready
            .wait_for(Option::is_some)
            .await
            .map_err(|_| UiError::new(AppCode::NotStarted, "Lanyard did not start."))?;
        match started.as_ref() {
            Some(Ok(desktop)) => Ok(desktop.clone()),
            Some(Err(why)) => Err(UiError::new(AppCode::NotStarted, why.to_string())),
            None => Err(UiError::new(AppCode::NotStarted, "Lanyard did not start.")),
        }
    }

    /// The desktop, if it has started (for shutting down).
    pub fn started(&self) -> Option<Arc<Desktop>> {
        match self.ready.borrow().as_ref() {
            Some(Ok(desktop)) => Some(desktop.clone()),
            _ => None,
        }
    }
}

/// Runs one API call of a tab, `tab_call!(shell, &tab, |s| s.client.x(&s.access, …))`, with
/// `s` the tab's [`TabSession`]. An access token the server refuses (`unauthorized`: the
/// session was revoked elsewhere while the token was still young) is dropped and the call
/// made once more after a refresh (a refused request changed nothing, so repeating it is
/// safe): a live session goes on unnoticed, a dead one ends in `sign_in_required`, so the tab
/// asks for a sign-in instead of failing the same way on every retry.
///
/// A macro rather than a method taking a closure: a closure over the borrowed session gives
/// a future that rustc cannot show to be `Send` for every lifetime, which Tauri's commands
/// need.
macro_rules! tab_call {
    ($shell:expr, $tab:expr, |$s:ident| $call:expr) => {{
        let $s = $shell.tab($tab).await?;
        match $call.await.map_err($crate::error::UiError::from) {
            Err(refused) if refused.is_unauthorized() => {
                $shell.refused($tab).await?;
                let $s = $shell.tab($tab).await?;
                $call.await.map_err($crate::error::UiError::from)
            }
            answer => answer,
        }
    }};
}
pub(crate) use tab_call;
