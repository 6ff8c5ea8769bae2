//! One live feed kept open across breaks: the desktop's stream of a server's events for a
//! profile. After the server ends the stream (its 15 minutes are up) or it breaks off (a
//! restart, the network), it is opened again, pausing after each failed attempt twice as long
//! as after the one before (1 s up to 30 s), and it resumes after the last event it saw, so
//! nothing said meanwhile is lost (the server keeps a day of events).
//!
//! The caller drives it (`open` when it is not open, then `next` until it is lost), giving a
//! fresh session for each attempt: a loop of its own here would need a closure over the
//! caller's session, which Tauri's `Send` futures cannot borrow for every lifetime.

use crate::Client;
use crate::api::{Events, Received};
use secrecy::SecretString;
use std::time::Duration;

const FIRST_PAUSE: Duration = Duration::from_secs(1);
const LONGEST_PAUSE: Duration = Duration::from_secs(30);

/// Why an attempt to open the feed failed.
#[derive(Debug, PartialEq, Eq)]
pub enum NotOpened {
    /// The server refused the access token (revoked while it was young): drop it, so the
    /// next session given is refreshed.
    Refused,
    /// Anything else: the server is not there, or answered with an error.
    Failed,
}

/// A feed's state between changes.
#[derive(Default)]
pub struct LiveFeed {
    events: Option<Events>,
    resume: Option<String>,
    /// The pause before the next attempt, once one has failed.
    pause: Option<Duration>,
}

impl LiveFeed {
    pub fn new() -> LiveFeed {
        LiveFeed::default()
    }

    pub fn is_open(&self) -> bool {
        self.events.is_some()
    }

    /// Waits out the pause the last failed attempt left (none before the first failure).
    pub async fn pause(&mut self) {
        if let Some(pause) = self.pause {
            tokio::time::sleep(pause).await;
        }
    }

    /// Opens the feed with a session, resuming after the last event seen.
    pub async fn open(&mut self, client: &Client, access: &SecretString) -> Result<(), NotOpened> {
        match client.events(access, self.resume.as_deref()).await {
            Ok(events) => {
                self.events = Some(events);
                self.pause = None;
                Ok(())
            }
            Err(error) => {
                self.failed();
                Err(if error.status() == Some(401) {
                    NotOpened::Refused
                } else {
                    NotOpened::Failed
                })
            }
        }
    }

    /// An attempt that found no session to open the feed with.
    pub fn failed(&mut self) {
        self.pause = Some(
            self.pause
                .map_or(FIRST_PAUSE, |p| (p * 2).min(LONGEST_PAUSE)),
        );
    }

    /// The next event, or `None` once the open feed has ended or broken off (it is closed
    /// then: `open` it again).
    pub async fn next(&mut self) -> Option<Received> {
        let events = self.events.as_mut()?;
        match events.next().await {
            Some(Ok(received)) => {
                self.resume = Some(received.id.clone());
                Some(received)
            }
            Some(Err(_)) | None => {
                self.events = None;
                None
            }
        }
    }
}
