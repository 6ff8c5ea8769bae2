//! This replica's side of the live feed: the channel its streams listen on, the reader's
//! wake-up, and the signal that ends every stream at shutdown. Kept apart from the reader and
//! the streams (`events`), which need the whole `AppState` that holds this.

use lanyard_core::api::Event;
use std::sync::Arc;
use tokio::sync::{Notify, broadcast};
use tokio_util::sync::CancellationToken;

/// An event as the streams of this replica receive it.
#[derive(Debug)]
pub struct Published {
    pub id: String,
    pub profile_id: String,
    pub event: Event,
}

/// This replica's side of the feed: the reader's wake-up, the streams' channel, and the
/// signal that ends every stream when the server shuts down.
pub struct Feed {
    pub(super) streams: broadcast::Sender<Arc<Published>>,
    pub(super) wake: Notify,
    pub(super) closing: CancellationToken,
}

impl Default for Feed {
    fn default() -> Feed {
        Feed {
            streams: broadcast::channel(1024).0,
            wake: Notify::new(),
            closing: CancellationToken::new(),
        }
    }
}

impl Feed {
    /// Ends the reader and every open stream (the server is shutting down: a stream would
    /// otherwise hold its connection, and the shutdown, open).
    pub fn close(&self) {
        self.closing.cancel();
    }
}
