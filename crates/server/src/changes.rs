//! What changed on this server, for requests waiting on it: a QR sign-in request's waiting
//! polls are woken when it is approved, denied or cancelled here (other replicas' changes are
//! found by the polls' periodic re-read). Also bounds how many polls may wait on one request.

use lanyard_core::Error;
use std::collections::HashMap;
use tokio::sync::broadcast;

/// Signals "request `id` changed" to the polls waiting on this server.
pub struct Changes(broadcast::Sender<String>);

impl Changes {
    pub fn new() -> Changes {
        Changes(broadcast::channel(256).0)
    }
    pub fn announce(&self, id: &str) {
        // No receiver means nobody waits here: nothing to do.
        let _ = self.0.send(id.to_owned());
    }
}

impl Changes {
    /// Hears every later announcement of this server.
    pub fn subscribe(&self) -> broadcast::Receiver<String> {
        self.0.subscribe()
    }
}

impl Default for Changes {
    fn default() -> Self {
        Changes::new()
    }
}

/// Polls that may wait on one request at once; more get `rate_limited`. The desktop keeps
/// one; a few more cover a retry racing a slow answer.
const MAX_WAITERS: usize = 3;

/// The polls waiting on each request on this server.
#[derive(Default)]
pub struct Waiters(std::sync::Mutex<HashMap<String, usize>>);

/// One waiting poll; leaving frees its place.
pub struct Waiting<'a> {
    waiters: &'a Waiters,
    id: String,
}

impl Waiters {
    pub fn enter(&self, id: &str) -> Result<Waiting<'_>, Error> {
        let mut counts = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = counts.entry(id.to_owned()).or_insert(0);
        if *count >= MAX_WAITERS {
            return Err(Error::RateLimited {
                retry_after_secs: 1,
            });
        }
        *count += 1;
        Ok(Waiting {
            waiters: self,
            id: id.to_owned(),
        })
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        let mut counts = self
            .waiters
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = counts.get_mut(&self.id) {
            *count -= 1;
            if *count == 0 {
                counts.remove(&self.id);
            }
        }
    }
}
