//! The identity server inside the app: on start it listens on a loopback port, with its
//! SQLite database and its mail outbox in the app's data folder, so Lanyard works with no
//! server at all. It stops with the app, letting requests in flight finish.

use lanyard_server::{Application, Config, Sharing, StartError};
use std::path::{Path, PathBuf};
use tokio::sync::oneshot;
use url::Url;

pub struct Embedded {
    pub url: Url,
    /// Where its mail goes: the local inbox reads it.
    pub outbox: PathBuf,
    /// "Let a phone on this network sign in": the server's LAN listener, off until asked.
    pub sharing: Sharing,
    stop: oneshot::Sender<()>,
    served: tauri::async_runtime::JoinHandle<()>,
}

impl Embedded {
    /// Listens on the port it had last time when that port is free (so links in the local
    /// inbox keep working across restarts), else on any free one.
    pub async fn start(data_dir: &Path) -> Result<Embedded, StartError> {
        let remembered = data_dir.join("server-port");
        let last = std::fs::read_to_string(&remembered)
            .ok()
            .and_then(|port| port.trim().parse::<u16>().ok());
        let app = match last {
            Some(port) => match Self::build(data_dir, port).await {
                Err(StartError::Bind(..)) => Self::build(data_dir, 0).await,
                other => other,
            },
            None => Self::build(data_dir, 0).await,
        }?;
        if last != Some(app.port())
            && let Err(error) = std::fs::write(&remembered, app.port().to_string())
        {
            tracing::warn!(%error, "cannot remember the built-in server's port");
        }
        let outbox = data_dir.join("outbox");
        let url = app.public_url().clone();
        let sharing = app.sharing();
        let (stop, stopped) = oneshot::channel::<()>();
        let served = tauri::async_runtime::spawn(async move {
            let until = async move {
                let _ = stopped.await;
            };
            if let Err(error) = app.run_until(until).await {
                tracing::error!(%error, "the built-in server stopped");
            }
        });
        tracing::info!(%url, "the built-in server is listening");
        Ok(Embedded {
            url,
            outbox,
            sharing,
            stop,
            served,
        })
    }

    async fn build(data_dir: &Path, port: u16) -> Result<Application, StartError> {
        let database = format!("sqlite://{}", data_dir.join("lanyard.db").display());
        let mut config = Config::for_database(&database);
        config.bind = ([127, 0, 0, 1], port).into();
        config.mail_outbox = Some(data_dir.join("outbox"));
        // One person on one machine: hashing on one thread keeps the app light.
        config.hash_threads = Some(1);
        // A company's provider may well be on its own network, and only this machine's user
        // can configure single sign-on here.
        config.allow_private_issuers = true;
        Application::build(config).await
    }

    /// Stops taking requests, lets those in flight and queued mail finish.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.served.await;
    }
}
