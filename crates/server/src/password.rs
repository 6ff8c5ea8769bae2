//! Password hashing: Argon2id with OWASP's parameters (19 MiB, t=2, p=1), run on the blocking
//! pool behind a semaphore. At most `threads` hashes run at once, so memory stays bounded
//! (19 MiB each) and the async workers stay free for other requests; past a bounded queue
//! the server answers 503 `overloaded` at once rather than piling up waiters.

use crate::error::{AppError, AppResult};
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};
use lanyard_core::values::Password;
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use tokio::sync::Semaphore;

/// Waiting hash requests allowed per hashing thread before new ones are turned away.
const QUEUE_PER_THREAD: usize = 32;

pub struct Hasher {
    argon: Argon2<'static>,
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
    /// Verified against when a login is unknown, so it costs what a known login costs.
    dummy_hash: String,
}

pub fn argon2id() -> Argon2<'static> {
    // 19 MiB, 2 passes, 1 lane: OWASP's first recommended Argon2id configuration.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

impl Hasher {
    pub fn new(threads: usize) -> AppResult<Hasher> {
        let argon = argon2id();
        let salt = SaltString::generate(&mut OsRng);
        let dummy_hash = argon
            .hash_password(b"no such profile: never matches", &salt)
            .map_err(|e| AppError::Internal(format!("argon2: {e}")))?
            .to_string();
        let threads = threads.max(1);
        Ok(Hasher {
            argon,
            permits: Arc::new(Semaphore::new(threads)),
            waiting: AtomicUsize::new(0),
            max_waiting: threads * QUEUE_PER_THREAD,
            dummy_hash,
        })
    }

    /// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) for a new password.
    pub async fn hash(&self, password: &Password) -> AppResult<String> {
        let argon = self.argon.clone();
        let secret = password.secret().clone();
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            argon
                .hash_password(secret.expose_secret().as_bytes(), &salt)
                .map(|hash| hash.to_string())
                .map_err(|e| AppError::Internal(format!("argon2: {e}")))
        })
        .await
    }

    /// Whether `candidate` matches `stored`. With no stored hash (unknown login, or a profile
    /// without a password) it still does the full work and answers `false`.
    pub async fn verify(&self, candidate: &SecretString, stored: Option<&str>) -> AppResult<bool> {
        let argon = self.argon.clone();
        let candidate = candidate.clone();
        let known = stored.is_some();
        let stored = stored.unwrap_or(&self.dummy_hash).to_owned();
        self.run(move || {
            let hash = PasswordHash::new(&stored)
                .map_err(|e| AppError::Internal(format!("stored hash: {e}")))?;
            // argon2's verifier compares digests in constant time.
            let matches = argon
                .verify_password(candidate.expose_secret().as_bytes(), &hash)
                .is_ok();
            Ok(known && matches)
        })
        .await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> AppResult<T> + Send + 'static,
    ) -> AppResult<T> {
        let queued = self.waiting.fetch_add(1, Ordering::SeqCst);
        let _leave = Leave(&self.waiting);
        if queued >= self.max_waiting {
            return Err(lanyard_core::Error::Overloaded.into());
        }
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| AppError::Internal("hash pool closed".into()))?;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| AppError::Internal(format!("hash task: {e}")))?
    }
}

/// Leaves the queue however the request ends (including when its client goes away).
struct Leave<'a>(&'a AtomicUsize);

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}
