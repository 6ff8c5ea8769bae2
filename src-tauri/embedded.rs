//! The identity server inside the app: on start it listens on a free loopback port, with its
//! SQLite database and its mail outbox in the app's data folder, so Lanyard works with no
//! server at all. It stops with the app, letting requests in flight finish.

use lanyard_server::{Application, Config};
use std::path::{Path, PathBuf};
use tokio::sync::oneshot;
use url::Url;

pub struct Embedded {
    pub url: Url,
    /// Where its mail goes: the local inbox reads it.
    pub outbox: PathBuf,
    stop: oneshot::Sender<()>,
    served: tauri::async_runtime::JoinHandle<()>,
}

impl Embedded {
    pub async fn start(data_dir: &Path) -> Result<Embedded, String> {
        let database = format!("sqlite://{}", data_dir.join("lanyard.db").display());
        let mut config = Config::for_database(&database);
        config.bind = ([127, 0, 0, 1], 0).into();
        let outbox = data_dir.join("outbox");
        config.mail_outbox = Some(outbox.clone());
        // One person on one machine: hashing on one thread keeps the app light.
        config.hash_threads = Some(1);
        let app = Application::build(config)
            .await
            .map_err(|e| format!("the built-in server did not start: {e}"))?;
        let url = app.public_url().clone();
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
            stop,
            served,
        })
    }

    /// Stops taking requests, lets those in flight and queued mail finish.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.served.await;
    }
}
