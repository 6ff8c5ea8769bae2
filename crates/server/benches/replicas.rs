//! Replicas on PostgreSQL: sign-ins, refresh rotations and `GET /me` per second through
//! HAProxy (round robin) in front of one server process, and in front of three, all on one
//! fresh PostgreSQL database; the factor from one to three. Each server is this bench run
//! again in the `server` role (rate limits off, which only the code can turn off), with the
//! default hashing threads (one per core) and pool. The two balancers are measured in turn,
//! twice each; the load comes from this process through the same client as the other benches.
//!
//! On one machine the replicas share its cores with each other, with PostgreSQL and with the
//! load: the factor here says what replicas cost or gain on the same hardware, not what they
//! gain on machines of their own (docs/deployment.md reasons about that).
//!
//! `cargo bench -p lanyard-server --bench replicas`. Needs `haproxy` (Debian's package) and
//! the test PostgreSQL server (`LANYARD_TEST_POSTGRES_URL`, by default 127.0.0.1:5432).
//! Loopback only; every loop is bounded.

// A benchmark's setup may panic: a failed step is a failed run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// HAProxy and the servers' processes are driven as on Unix (the test kit's balancer is
// Unix-only); elsewhere the bench says so and stops.
#[cfg(unix)]
mod child;
#[cfg(unix)]
mod common;
#[cfg(unix)]
mod load;

fn main() {
    #[cfg(unix)]
    replicas::main();
    #[cfg(not(unix))]
    eprintln!("the replicas bench drives HAProxy and server processes: Unix only");
}

#[cfg(unix)]
mod replicas {

    use crate::child::{ROLE, report_and_wait, spawn, stop, url_of};
    use crate::common::{bench_config, login_request, register_and_sign_in};
    use crate::load::{Run, alternate, measure, refresh_rotations};
    use lanyard_client::Client;
    use lanyard_core::clock::SystemClock;
    use lanyard_testkit::balancer::{Balancer, free_address};
    use lanyard_testkit::outbox::Outbox;
    use lanyard_testkit::server::Running;
    use secrecy::SecretString;
    use std::net::SocketAddr;
    use std::sync::Arc;
    use url::Url;

    const REPLICAS: usize = 3;
    /// Requests in flight, the same against either balancer.
    const IN_FLIGHT: usize = 16;
    const DATABASE: &str = "LANYARD_BENCH_DATABASE";

    pub fn main() {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        match std::env::var(ROLE).as_deref() {
            Ok("server") => runtime.block_on(serve()),
            _ => runtime.block_on(compare()),
        }
    }

    async fn compare() {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        println!(
            "Lanyard replicas on PostgreSQL, through HAProxy ({cores} cores, {IN_FLIGHT} in flight)\n"
        );
        let dir = tempfile::tempdir().unwrap();
        let database = lanyard_testkit::server::fresh_postgres_database().await;
        let mut servers = Vec::new();
        for _ in 0..REPLICAS {
            servers.push(spawn("server", dir.path(), &[(DATABASE, &database)]));
        }
        let addresses: Vec<SocketAddr> = servers
            .iter_mut()
            .map(|server| {
                let url = url_of(server);
                url.socket_addrs(|| None).unwrap()[0]
            })
            .collect();
        let one = Balancer::start(free_address(), &addresses[..1], dir.path());
        let three = Balancer::start(free_address(), &addresses, dir.path());
        let through = |balancer: &Balancer| {
            Client::new(Url::parse(&format!("http://{}/", balancer.address)).unwrap()).unwrap()
        };
        let (one, three) = ((through(&one), one), (through(&three), three));
        let access = register_and_sign_in(&one.0, &Outbox::polled(dir.path().join("outbox"))).await;

        let sign_ins = alternate(|| sign_ins(&one.0), || sign_ins(&three.0)).await;
        row("sign-ins", sign_ins);
        let rotations = alternate(
            || refresh_rotations(&one.0, 1000, IN_FLIGHT),
            || refresh_rotations(&three.0, 1000, IN_FLIGHT),
        )
        .await;
        row("refresh rotations", rotations);
        let me = alternate(|| me(&one.0, &access), || me(&three.0, &access)).await;
        row("GET /me", me);
        let spread = three.1.answered();
        println!("\nanswers per replica behind the three-replica balancer: {spread:?}");

        drop((one, three));
        for server in servers {
            stop(server);
        }
    }

    async fn sign_ins(client: &Client) -> Run {
        let client = client.clone();
        measure(96, IN_FLIGHT, move || {
            let client = client.clone();
            async move {
                client.login(&login_request()).await.unwrap();
            }
        })
        .await
    }

    async fn me(client: &Client, access: &SecretString) -> Run {
        let (client, access) = (client.clone(), access.clone());
        measure(4000, IN_FLIGHT, move || {
            let (client, access) = (client.clone(), access.clone());
            async move {
                client.me(&access).await.unwrap();
            }
        })
        .await
    }

    fn row(what: &str, (one, three): (Run, Run)) {
        println!(
            "{what:<20} 1 replica {:>7.0} /s (p99 {:>6.2} ms)   {REPLICAS} replicas {:>7.0} /s (p99 {:>6.2} ms)   factor {:.2}",
            one.rate,
            one.p99_ms,
            three.rate,
            three.p99_ms,
            three.rate / one.rate
        );
    }

    /// The `server` role: a replica on the shared database, answering for 127.0.0.1 on any port
    /// (the balancers' addresses); prints its URL, serves until stdin closes.
    async fn serve() {
        let dir = crate::child::dir();
        let database = std::env::var(DATABASE).unwrap();
        let mut config = bench_config(&database, &dir);
        config.allowed_hosts = vec!["127.0.0.1".into()];
        let server = Running::start(config, Arc::new(SystemClock)).await;
        tokio::task::spawn_blocking(move || report_and_wait(server.url.as_str()))
            .await
            .unwrap();
    }
}
