//! Building and running the server: the same path in production, in the desktop app and in
//! tests. `Application::build` binds (port 0 in tests), opens and migrates the database and
//! returns the bound port before serving.

use crate::config::Config;
use crate::http;
use crate::mail::{outbox::Outbox, smtp::Smtp};
use crate::password::Hasher;
use crate::ratelimit::{RateLimits, Shared};
use crate::sharing::Sharing;
use crate::state::{AppState, Inner, Reach};
use crate::store::{Db, settings};
use crate::tokens::AccessTokens;
use lanyard_core::clock::{Clock, SystemClock};
use lanyard_core::mail::Mailer;
use secrecy::ExposeSecret;
use std::future::Future;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_util::task::TaskTracker;
use url::Url;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error(transparent)]
    Database(#[from] crate::store::ConnectError),
    #[error("--mail-from: {0}")]
    MailFrom(#[source] lettre::address::AddressError),
    #[error("mail: {0}")]
    Mail(#[from] lanyard_core::mail::MailError),
    #[error("the mail outbox {0}: {1}")]
    Outbox(PathBuf, #[source] std::io::Error),
    #[error("--signing-key must have at least 32 characters")]
    ShortSigningKey,
    #[error("the public address: {0}")]
    PublicUrl(#[from] url::ParseError),
    #[error("reading the signing key: {0}")]
    SigningKey(#[source] sqlx::Error),
    #[error("starting the hashing threads: {0}")]
    Hasher(#[source] crate::error::AppError),
}

pub struct Application {
    listener: TcpListener,
    state: AppState,
    port: u16,
    public_url: Url,
    outbox: Option<Arc<Outbox>>,
    sharing: Sharing,
}

impl Application {
    pub async fn build(config: Config) -> Result<Application, StartError> {
        Self::build_with_clock(config, Arc::new(SystemClock)).await
    }

    pub async fn build_with_clock(
        config: Config,
        clock: Arc<dyn Clock>,
    ) -> Result<Application, StartError> {
        let listener = TcpListener::bind(config.bind)
            .await
            .map_err(|e| StartError::Bind(config.bind, e))?;
        let address = listener
            .local_addr()
            .map_err(|e| StartError::Bind(config.bind, e))?;
        let public_url = match &config.public_url {
            Some(url) => url.clone(),
            None => Url::parse(&format!("http://{address}/"))?,
        };

        let db = Db::connect(&config.database).await?;
        let key = match &config.signing_key {
            Some(key) if key.expose_secret().len() < 32 => return Err(StartError::ShortSigningKey),
            Some(key) => key.expose_secret().to_owned(),
            None => settings::get_or_insert(
                &db,
                "access_token_key",
                AccessTokens::generate_key().expose_secret(),
            )
            .await
            .map_err(StartError::SigningKey)?,
        };

        let from = config.mail_from.parse().map_err(StartError::MailFrom)?;
        let (mailer, outbox): (Arc<dyn Mailer>, _) = match &config.smtp_url {
            Some(url) => (Arc::new(Smtp::new(url.expose_secret(), from)?), None),
            None => {
                let dir = config
                    .mail_outbox
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("mail-outbox"));
                let outbox =
                    Outbox::new(dir.clone(), from).map_err(|e| StartError::Outbox(dir, e))?;
                let outbox = Arc::new(outbox);
                (outbox.clone(), Some(outbox))
            }
        };

        let threads = config
            .hash_threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
        let hasher = Hasher::new(threads).map_err(StartError::Hasher)?;
        let limits = if config.rate_limits {
            RateLimits::standard(&Shared {
                db: db.clone(),
                clock: clock.clone(),
            })
        } else {
            RateLimits::off()
        };

        let state = AppState::new(Inner {
            db,
            mailer,
            clock,
            hasher,
            sealer: crate::sealed::Sealer::new(
                AccessTokens::new(key.as_bytes()).derive("sealing key for secrets at rest"),
            ),
            access: AccessTokens::new(key.as_bytes()),
            limits,
            public_url: public_url.clone(),
            plans: config.plans.clone(),
            trusted_proxies: config
                .trusted_proxies
                .max(usize::from(config.trust_forwarded_for)),
            reach: std::sync::RwLock::new(Arc::new(Reach {
                hosts: crate::http::hosts::allowed(&public_url, &config.allowed_hosts),
                qr_base: public_url.clone(),
            })),
            allow_private_issuers: config.allow_private_issuers,
            session_lifetime: chrono::Duration::days(i64::from(config.session_lifetime_days)),
            social: config.social.clone(),
            feed: crate::events::feed::Feed::default(),
            qr_changes: crate::changes::Changes::new(),
            qr_waiters: crate::changes::Waiters::default(),
            ids: std::sync::Mutex::new(uuid::ContextV7::new()),
            background: TaskTracker::new(),
        });
        Ok(Application {
            listener,
            sharing: Sharing::new(state.clone(), address.port()),
            state,
            port: address.port(),
            public_url,
            outbox,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn public_url(&self) -> &Url {
        &self.public_url
    }

    /// The switch for sharing this server with a phone on the computer's network (the
    /// desktop's): take it before `run_until`, which consumes the application. Sharing ends
    /// when the server shuts down.
    pub fn sharing(&self) -> Sharing {
        self.sharing.clone()
    }

    /// Deliveries to the outbox folder, when mail goes there.
    pub fn outbox_deliveries(&self) -> Option<watch::Receiver<u64>> {
        self.outbox.as_ref().map(|outbox| outbox.subscribe())
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests and background mail
    /// finish and closes the database. Sharing with the network ends when `shutdown` resolves.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let state = self.state.clone();
        let sweeper = tokio::spawn({
            let state = state.clone();
            async move {
                let mut every = tokio::time::interval(Duration::from_secs(60));
                loop {
                    every.tick().await;
                    if let Err(error) = state.limits.forget_idle().await {
                        tracing::warn!(error = %error.chain(), "cleaning up idle rate limits failed");
                    }
                    if let Err(error) = crate::qr::forget_old(&state).await {
                        tracing::warn!(error = %error.chain(), "cleaning up old QR requests failed");
                    }
                    if let Err(error) = crate::sso::forget_expired(&state).await {
                        tracing::warn!(error = %error.chain(), "cleaning up expired browser sign-ins failed");
                    }
                }
            }
        });
        let pump = tokio::spawn(crate::events::pump(state.clone()));
        let app = http::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        let sharing = self.sharing;
        let shutdown = {
            let sharing = sharing.clone();
            let state = state.clone();
            async move {
                shutdown.await;
                sharing.close();
                // Open event streams would keep their connections, and the shutdown, waiting.
                state.feed.close();
            }
        };
        let served = axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await;
        sharing.close();
        sharing.closed().await;
        sweeper.abort();
        state.feed.close();
        pump.abort();
        state.background.close();
        state.background.wait().await;
        state.db.close().await;
        served
    }
}
