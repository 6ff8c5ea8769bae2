//! What every request can reach: the database, mail, clock, hashing pool, token keys and
//! rate limits. Cloned per request (it is one `Arc`).

use crate::password::Hasher;
use crate::ratelimit::RateLimits;
use crate::store::Db;
use crate::tokens::AccessTokens;
use lanyard_core::Language;
use lanyard_core::clock::Clock;
use lanyard_core::mail::Mailer;
use std::ops::Deref;
use std::sync::{Arc, PoisonError, RwLock};
use tokio_util::task::TaskTracker;
use url::Url;

pub struct Inner {
    pub db: Db,
    pub mailer: Arc<dyn Mailer>,
    pub clock: Arc<dyn Clock>,
    pub hasher: Hasher,
    pub access: AccessTokens,
    /// Seals secrets kept at rest (SSO client secrets) under a key derived from `access`'s.
    pub sealer: crate::sealed::Sealer,
    pub limits: RateLimits,
    pub public_url: Url,
    pub plans: crate::plans::Plans,
    /// Proxies whose `X-Forwarded-For` entries are believed (see `Config::trusted_proxies`).
    pub trusted_proxies: usize,
    /// Where the server is reached from; changes while the computer shares it (`sharing`).
    pub reach: RwLock<Arc<Reach>>,
    /// Whether SSO issuers may be `http` or on private addresses (`--allow-private-issuers`).
    pub allow_private_issuers: bool,
    /// How long a session lives at most, however often it is refreshed.
    pub session_lifetime: chrono::Duration,
    pub social: Vec<crate::social::SocialProvider>,
    /// The live feed's reader and the streams this replica holds.
    pub feed: crate::events::feed::Feed,
    pub qr_changes: crate::changes::Changes,
    /// Polls waiting on each QR request here, bounded per request.
    pub qr_waiters: crate::changes::Waiters,
    /// Keeps ids made in the same millisecond in creation order.
    pub ids: std::sync::Mutex<uuid::ContextV7>,
    /// Work that outlives its request (mail sent after answering); awaited at shutdown.
    pub background: TaskTracker,
}

/// How requests reach this server: the `Host` values it answers for and where QR codes send
/// phones. Fixed on a standalone server; the desktop's widens it while it shares the server
/// with its network, and narrows it back after (`sharing`). Read on every request: a read lock
/// and an `Arc` clone, never held across an await.
#[derive(Clone, Debug)]
pub struct Reach {
    /// `host` or `host:port`, lower case (`http::hosts::allowed`).
    pub hosts: Vec<String>,
    /// The server's address in `qr_url`s: the public URL, or the LAN address's while sharing.
    pub qr_base: Url,
}

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    pub fn new(inner: Inner) -> AppState {
        AppState(Arc::new(inner))
    }

    /// A new id, ordered by creation on this server (UUIDv7 from our clock).
    pub fn new_id(&self) -> String {
        let now = self.clock.now();
        let ids = self
            .ids
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let ts = uuid::Timestamp::from_unix(
            &*ids,
            now.timestamp().max(0) as u64,
            now.timestamp_subsec_nanos(),
        );
        uuid::Uuid::new_v7(ts).to_string()
    }

    /// How the server is reached now.
    pub fn reach(&self) -> Arc<Reach> {
        self.reach
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub fn set_reach(&self, reach: Arc<Reach>) {
        *self.reach.write().unwrap_or_else(PoisonError::into_inner) = reach;
    }

    /// An absolute link to a page of this server carrying `token`, the page in `language`.
    pub fn link(&self, path: &str, token: &str, language: Language) -> String {
        let mut url = self.public_url.clone();
        url.set_path(path);
        url.query_pairs_mut()
            .clear()
            .append_pair("token", token)
            .append_pair("lang", language.as_str());
        url.to_string()
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
