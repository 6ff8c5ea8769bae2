//! A real Lanyard server for a test or a bench: on a fresh database (SQLite, or PostgreSQL
//! when `LANYARD_TEST_DATABASE=postgres`), bound to a free loopback port, delivering mail
//! into an outbox folder, stopped gracefully on request.

use crate::outbox::Outbox;
use lanyard_core::clock::Clock;
use lanyard_server::{Application, Config, Sharing};
use std::path::Path;
use std::sync::Arc;
use tokio::sync::{oneshot, watch};
use url::Url;

/// A database URL for one test: a new SQLite file in `dir`, or a new PostgreSQL database.
pub async fn fresh_database(dir: &Path) -> String {
    match std::env::var("LANYARD_TEST_DATABASE").as_deref() {
        Ok("postgres") => fresh_postgres_database().await,
        Ok("sqlite") | Err(_) => format!("sqlite://{}", dir.join("lanyard.db").display()),
        Ok(other) => panic!("LANYARD_TEST_DATABASE must be sqlite or postgres, not {other}"),
    }
}

/// A new database on the test PostgreSQL server (`LANYARD_TEST_POSTGRES_URL`, by default
/// `postgres://postgres@127.0.0.1:5432/postgres`), whichever backend the run is for.
pub async fn fresh_postgres_database() -> String {
    use sqlx::Connection;
    let base = std::env::var("LANYARD_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let name = format!("lanyard_t_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&base)
        .await
        .expect("PostgreSQL answers");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .await
        .expect("create the test database");
    let mut url = Url::parse(&base).expect("LANYARD_TEST_POSTGRES_URL parses");
    url.set_path(&name);
    url.to_string()
}

/// The configuration tests start from: `database`, a free loopback port, the outbox in
/// `dir/outbox`, and the test OpenID provider's loopback `http` issuer allowed.
pub fn config(database: &str, dir: &Path) -> Config {
    let mut config = Config::for_database(database);
    config.bind = "127.0.0.1:0".parse().expect("address");
    config.mail_outbox = Some(dir.join("outbox"));
    config.allow_private_issuers = true;
    config
}

/// A server running in this process.
pub struct Running {
    pub url: Url,
    pub outbox: Outbox,
    /// Sharing the server with the network, as the desktop does.
    pub sharing: Sharing,
    stop: Option<oneshot::Sender<()>>,
    /// The server's task: done once it has shut down.
    pub stopped: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl Running {
    /// Builds the server on `config` and serves it. Without an outbox folder (mail sent over
    /// SMTP) the outbox reads as empty.
    pub async fn start(config: Config, clock: Arc<dyn Clock>) -> Running {
        let dir = config.mail_outbox.clone().unwrap_or_default();
        let app = Application::build_with_clock(config, clock)
            .await
            .expect("the server starts");
        let url = app.public_url().clone();
        let sharing = app.sharing();
        let deliveries = app
            .outbox_deliveries()
            .unwrap_or_else(|| watch::channel(0).1);
        let (stop, stopped) = oneshot::channel::<()>();
        let handle = tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        Running {
            url,
            outbox: Outbox::new(dir, deliveries),
            sharing,
            stop: Some(stop),
            stopped: Some(handle),
        }
    }

    /// Asks the server to shut down gracefully (idempotent).
    pub fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown();
    }
}
