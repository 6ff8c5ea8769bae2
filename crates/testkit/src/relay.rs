//! A TCP relay in front of a real server (PostgreSQL, say) that a test can cut and restore, as
//! if the server went away for a while: cutting closes every relayed connection and refuses
//! new ones; restoring listens again on the same port.

use std::net::SocketAddr;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

pub struct Relay {
    /// Where clients connect instead of the server.
    pub address: SocketAddr,
    upstream: SocketAddr,
    serving: Option<JoinHandle<()>>,
}

impl Relay {
    /// Relays a free loopback port to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free loopback port");
        let mut relay = Relay {
            address: listener.local_addr().expect("a bound address"),
            upstream,
            serving: None,
        };
        relay.serve(listener);
        relay
    }

    fn serve(&mut self, listener: TcpListener) {
        let upstream = self.upstream;
        self.serving = Some(tokio::spawn(async move {
            // Owned here, so ending this task ends every relayed connection with it.
            let mut connections = JoinSet::new();
            while let Ok((mut client, _)) = listener.accept().await {
                connections.spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        }));
    }

    /// Closes every relayed connection and stops listening: the server is gone.
    pub async fn cut(&mut self) {
        if let Some(serving) = self.serving.take() {
            serving.abort();
            let _ = serving.await;
        }
    }

    /// Listens on the same port again: the server is back.
    pub async fn restore(&mut self) {
        let listener = TcpListener::bind(self.address)
            .await
            .expect("the relay's port is free again");
        self.serve(listener);
    }
}
