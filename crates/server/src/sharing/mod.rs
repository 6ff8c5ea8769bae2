//! Sharing the desktop's embedded server with a phone on the same network, for a while. The
//! embedded server listens on loopback only, so a QR code naming it cannot be opened by a
//! phone. While sharing is on, the server also listens on the computer's LAN address
//! (`address::lan_address`), on the loopback port when that is free there; new QR codes name
//! that address, and the `Host` check admits it. That listener serves only what the QR
//! approval page needs (`http::phone_router`), and the phone must sign in there first.
//!
//! Sharing ends after the time it was asked for, or when stopped: the LAN listener stops
//! accepting (requests in flight are answered), and the address is no longer admitted nor
//! put in QR codes. `docs/security.md` says why this is safe.

mod address;

pub use address::lan_address;

use crate::http;
use crate::state::{AppState, Reach};
use chrono::{DateTime, Utc};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::task::TaskTracker;
use url::Url;

/// Sharing lasts at most this long, however long it is asked for.
pub const LONGEST: Duration = Duration::from_secs(24 * 60 * 60);
/// How long `stop` waits for the requests in flight on the LAN listener.
const DRAIN: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum SharingError {
    /// The address is not one of this computer's, or neither port is free on it.
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, #[source] std::io::Error),
    /// `0.0.0.0`, `::` or a multicast address: sharing names one address.
    #[error("{0} is not one address to share on")]
    NotOneAddress(IpAddr),
    /// The server has shut down.
    #[error("the server has stopped")]
    Stopped,
}

/// Where a phone reaches the server and until when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharingStatus {
    /// `http://LAN_IP:PORT/`, the base of the QR codes made now.
    pub url: Url,
    pub until: DateTime<Utc>,
}

/// The switch for sharing one server (`Application::sharing`); clones share it.
#[derive(Clone)]
pub struct Sharing(Arc<Shared>);

struct Shared {
    state: AppState,
    /// The loopback listener's port, tried first on the LAN address.
    port: u16,
    /// How the server is reached when not sharing.
    home: Arc<Reach>,
    now: Mutex<Now>,
    tasks: TaskTracker,
}

#[derive(Default)]
struct Now {
    active: Option<Active>,
    /// Counts the listeners started, so an ended one never ends its successor.
    started: u64,
    closed: bool,
}

struct Active {
    generation: u64,
    address: SocketAddr,
    status: SharingStatus,
    ends_at: Instant,
    /// The listener's end: moved to extend it; dropped to end it at once.
    deadline: watch::Sender<Instant>,
    served: JoinHandle<()>,
}

impl Sharing {
    pub(crate) fn new(state: AppState, port: u16) -> Sharing {
        let home = state.reach();
        Sharing(Arc::new(Shared {
            state,
            port,
            home,
            now: Mutex::new(Now::default()),
            tasks: TaskTracker::new(),
        }))
    }

    /// Shares the server on `ip` for `for_` (at most `LONGEST`) from now. Sharing again on the
    /// same address moves the end to `for_` from now; on another, it moves there. Listens on
    /// the loopback listener's port when it is free on `ip`, else on any free port.
    pub async fn start(&self, ip: IpAddr, for_: Duration) -> Result<SharingStatus, SharingError> {
        if ip.is_unspecified() || ip.is_multicast() {
            return Err(SharingError::NotOneAddress(ip));
        }
        let for_ = for_.min(LONGEST);
        let ends_at = Instant::now() + for_;
        let until = self.0.state.clock.now() + chrono::Duration::from_std(for_).unwrap_or_default();
        let mut now = self.0.lock();
        if now.closed {
            return Err(SharingError::Stopped);
        }
        if let Some(active) = now.active.as_mut().filter(|a| a.address.ip() == ip) {
            active.ends_at = ends_at;
            active.status.until = until;
            active.deadline.send_replace(ends_at);
            return Ok(active.status.clone());
        }
        let listener = self.0.listen(ip)?;
        let address = listener
            .local_addr()
            .map_err(|e| SharingError::Bind(SocketAddr::new(ip, 0), e))?;
        let url = Url::parse(&format!("http://{address}/"))
            .map_err(|_| SharingError::NotOneAddress(ip))?;
        let mut hosts = self.0.home.hosts.clone();
        hosts.push(address.to_string().to_ascii_lowercase());
        self.0.state.set_reach(Arc::new(Reach {
            hosts,
            qr_base: url.clone(),
        }));

        now.started += 1;
        let generation = now.started;
        let (deadline, ends) = watch::channel(ends_at);
        let served = self
            .0
            .tasks
            .spawn(serve(self.0.clone(), listener, generation, ends));
        let status = SharingStatus { url, until };
        tracing::info!(%address, %until, "sharing the server with the network");
        // Replacing the one before drops its deadline, which ends it.
        now.active = Some(Active {
            generation,
            address,
            status: status.clone(),
            ends_at,
            deadline,
            served,
        });
        Ok(status)
    }

    /// Stops sharing now, and waits (a few seconds at most) for the requests in flight on the
    /// LAN listener. Does nothing when not sharing.
    pub async fn stop(&self) {
        let ended = self.0.end(None);
        if let Some(served) = ended {
            let _ = tokio::time::timeout(DRAIN, served).await;
        }
    }

    /// Where and until when the server is shared, if it is.
    pub fn status(&self) -> Option<SharingStatus> {
        let now = self.0.lock();
        now.active.as_ref().map(|active| active.status.clone())
    }

    /// Stops sharing for good (the server is shutting down): `start` fails from now on.
    pub(crate) fn close(&self) {
        self.0.lock().closed = true;
        self.0.end(None);
        self.0.tasks.close();
    }

    /// Waits for every LAN listener to finish its requests, after `close`.
    pub(crate) async fn closed(&self) {
        self.0.tasks.wait().await;
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Now> {
        self.now.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Ends the sharing that is on (only `generation`'s, when given, and only once its
    /// deadline has passed): the address is no longer admitted nor put in QR codes, and its
    /// listener stops accepting. `None` when it had already ended or was extended.
    fn end(&self, generation: Option<u64>) -> Option<JoinHandle<()>> {
        let mut now = self.lock();
        let active = now.active.as_ref()?;
        if let Some(generation) = generation
            && (active.generation != generation || active.ends_at > Instant::now())
        {
            return None;
        }
        let active = now.active.take()?;
        self.state.set_reach(self.home.clone());
        tracing::info!(url = %active.status.url, "no longer sharing the server");
        // Dropping the deadline's sender ends the listener's wait.
        Some(active.served)
    }

    fn listen(&self, ip: IpAddr) -> Result<TcpListener, SharingError> {
        let preferred = SocketAddr::new(ip, self.port);
        listen(preferred).or_else(|_| {
            let any = SocketAddr::new(ip, 0);
            listen(any).map_err(|e| SharingError::Bind(any, e))
        })
    }
}

/// A listener on `address`, reusable at once after the last one there closed (as tokio's
/// `TcpListener::bind` does), so sharing again finds the same port free.
fn listen(address: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = match address {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    #[cfg(not(windows))]
    socket.set_reuseaddr(true)?;
    socket.bind(address)?;
    socket.listen(1024)
}

/// Serves the phone's routes on `listener` until the deadline passes or is dropped.
async fn serve(
    shared: Arc<Shared>,
    listener: TcpListener,
    generation: u64,
    mut deadline: watch::Receiver<Instant>,
) {
    let app = http::phone_router(shared.state.clone())
        .into_make_service_with_connect_info::<SocketAddr>();
    let ended = async move {
        loop {
            let at = *deadline.borrow_and_update();
            tokio::select! {
                () = tokio::time::sleep_until(at) => {
                    // Not ended here: moved meanwhile (look again), or ended by `stop` (whose
                    // dropped sender says so).
                    if shared.end(Some(generation)).is_some() || deadline.has_changed().is_err() {
                        return;
                    }
                }
                changed = deadline.changed() => {
                    if changed.is_err() {
                        return;
                    }
                }
            }
        }
    };
    if let Err(error) = axum::serve(listener, app)
        .with_graceful_shutdown(ended)
        .await
    {
        tracing::warn!(%error, "the LAN listener failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The desktop calls these from its commands, whose futures must be `Send`.
    #[allow(dead_code)]
    fn its_futures_may_move_between_threads(sharing: &Sharing) {
        fn send<T: Send>(_: T) {}
        send(sharing.start(IpAddr::from([192, 168, 1, 2]), LONGEST));
        send(sharing.stop());
    }
}
