//! Lanyard beside better-auth (issue 11), the TypeScript auth framework most teams would pick
//! instead: both measured in the same run on the same machine, each figure with the ratio
//! Lanyard / better-auth.
//!
//! - Start to healthy: from spawning the process to the first successful answer of its health
//!   route, on a fresh SQLite file (so migrations included); the median of three starts each.
//! - Resident memory (`VmRSS` from `/proc/<pid>/status`): idle one second after start, after
//!   2,000 registrations and 2,000 sign-ins (2 × cores in flight), and 10 s later.
//! - Password sign-ins per second, 16 in flight (`POST /api/v1/auth/login`; better-auth's
//!   `POST /api/auth/sign-in/email`).
//! - "Who am I" per second and its 99th percentile, 16 and 64 in flight (`GET /api/v1/me`
//!   with a bearer access token; better-auth's `GET /api/auth/get-session` with its session
//!   cookie).
//! - Writes per second, 16 in flight: an account created and an employee invited (better-auth:
//!   an organization created and a member invited through its organization plugin), the pair
//!   counted as one write.
//!
//! Lanyard runs in a child process of its own (this bench again, in the `server` role, rate
//! limits off); better-auth is `benches/better-auth/server.mjs` on Node with
//! `NODE_ENV=production` (its settings are described there: its rate limiting off, SQLite
//! through better-sqlite3 in WAL mode, argon2id at 19 MiB / t=2 / p=1 through
//! @node-rs/argon2, a verified email required to sign in on both sides). Both are driven from
//! this process through the same reqwest stack; the rows of rates are measured alternately,
//! twice each (`load::alternate`).
//!
//! `benches/better-auth/run` installs the peer (`npm ci`) when needed, then runs
//! `cargo bench -p lanyard-server --bench peer`. Linux; loopback only; every loop is bounded.

// A benchmark's setup may panic: a failed step is a failed run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use better_auth::Peer;
use lanyard_client::Client;
use lanyard_testkit::outbox::Outbox;
use secrecy::SecretString;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::runtime::Runtime;

mod better_auth;
mod child;
mod common;
mod load;
mod side_by_side;
mod verified;

use child::{ROLE, report_and_wait, rss_mib, spawn, stop};
use common::{login_request, register_and_sign_in, register_request, start_server};
use load::{alternate, measure};
use side_by_side::{Server, burst, compared, median_ms, on, row, start};
use verified::lanyard_admins;

/// Starts of each server, for the median of start to healthy.
const STARTS: usize = 3;
/// Registrations, then as many sign-ins, before the loaded memory is read.
pub const BURST: usize = 2000;
/// Calls in one measured run of each row.
const SIGN_INS: usize = 160;
const WHO_AM_I: usize = 2000;
const WRITES: usize = 280;
/// Calls in flight in the rows of rates.
const IN_FLIGHT: usize = 16;
/// Accounts one Lanyard profile may create (the 8th is refused); the same limit is set on
/// better-auth's organizations per user.
const ACCOUNTS_PER_ADMIN: usize = 7;
/// What the bench signs in as on both sides.
const BENCH_EMAIL: &str = "bench@example.com";

fn main() {
    match std::env::var(ROLE).as_deref() {
        Ok("server") => serve(),
        _ => compare(),
    }
}

fn compare() {
    let peer_dir = better_auth::installed();
    let script = peer_dir.join("server.mjs");
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    println!(
        "Lanyard beside better-auth {} (Node {}), {threads} cores, SQLite, argon2id 19 MiB t=2 p=1\n",
        better_auth::package_version(&peer_dir, "better-auth"),
        better_auth::node_version()
    );
    row("", "Lanyard", "better-auth", "Lanyard/better-auth");

    let runtime = Runtime::new().unwrap();
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let (lanyard, peer) = starts(&runtime, &http, scratch.path(), &script);
    idle_memory(&lanyard, &peer);
    runtime.block_on(async {
        let client = Client::new(lanyard.url.clone()).unwrap();
        let better = Peer::new(http.clone(), peer.url.clone());
        let access = register_and_sign_in(&client, &Outbox::polled(lanyard.outbox.clone())).await;
        let cookie = better
            .users(&peer.outbox, &[BENCH_EMAIL.to_owned()])
            .await
            .remove(0);
        loaded_memory(&lanyard, &peer, &client, &better, 2 * threads).await;
        sign_ins(&client, &better).await;
        who_am_i(&client, &access, &better, &cookie).await;
        writes(&client, &lanyard.outbox, &better, &peer.outbox).await;
    });
    stop(lanyard.child);
    stop(peer.child);
}

/// Start to healthy of each server, the median of `STARTS`; the servers of the last start.
fn starts(
    runtime: &Runtime,
    http: &reqwest::Client,
    scratch: &Path,
    script: &Path,
) -> (Server, Server) {
    // Each server started in turn; the last start of each serves the rest of the run.
    let (mut lanyard_starts, mut peer_starts, mut last) = (Vec::new(), Vec::new(), None);
    for round in 0..STARTS {
        let dir = scratch.join(format!("lanyard-{round}"));
        let (lanyard, took) = start(runtime, http, &dir, "healthz", |dir| {
            spawn("server", dir, &[])
        });
        lanyard_starts.push(took);
        let dir = scratch.join(format!("peer-{round}"));
        let (peer, took) = start(runtime, http, &dir, "api/auth/ok", |dir| {
            better_auth::spawn(script, dir)
        });
        peer_starts.push(took);
        if round + 1 < STARTS {
            stop(lanyard.child);
            stop(peer.child);
        } else {
            last = Some((lanyard, peer));
        }
    }
    compared(
        &format!("start to healthy (median of {STARTS})"),
        median_ms(&mut lanyard_starts),
        median_ms(&mut peer_starts),
        "ms",
        false,
    );
    last.unwrap()
}

/// Resident memory of each server at rest, a second after its start.
fn idle_memory(lanyard: &Server, peer: &Server) {
    // Let start-up settle before reading idle.
    std::thread::sleep(Duration::from_secs(1));
    compared(
        "memory, idle at start",
        rss_mib(lanyard.child.id()),
        rss_mib(peer.child.id()),
        "MiB",
        false,
    );
}

/// The time of `BURST` registrations and as many sign-ins, and resident memory after them.
async fn loaded_memory(
    lanyard: &Server,
    peer: &Server,
    client: &Client,
    better: &Peer,
    in_flight: usize,
) {
    let [lanyard_burst, lanyard_loaded, lanyard_rested] = burst(
        lanyard.child.id(),
        in_flight,
        client.clone(),
        |client, email| async move {
            client.register(&register_request(&email)).await.unwrap();
        },
        |client| async move {
            client.login(&login_request()).await.unwrap();
        },
    )
    .await;
    let [peer_burst, peer_loaded, peer_rested] = burst(
        peer.child.id(),
        in_flight,
        better.clone(),
        |better, email| async move { better.sign_up(&email).await },
        |better| async move {
            better.sign_in(BENCH_EMAIL).await;
        },
    )
    .await;
    compared(
        &format!("{BURST} registrations + {BURST} sign-ins, {in_flight} in flight"),
        lanyard_burst,
        peer_burst,
        "s",
        false,
    );
    compared(
        "memory, after them",
        lanyard_loaded,
        peer_loaded,
        "MiB",
        false,
    );
    compared(
        "memory, 10 s later",
        lanyard_rested,
        peer_rested,
        "MiB",
        false,
    );
}

/// Password sign-ins per second.
async fn sign_ins(client: &Client, better: &Peer) {
    let lanyard = on(client.clone(), |client| async move {
        client.login(&login_request()).await.unwrap();
    });
    let peer = on(better.clone(), |better| async move {
        better.sign_in(BENCH_EMAIL).await;
    });
    let (theirs, ours) = alternate(
        || measure(SIGN_INS, IN_FLIGHT, peer.clone()),
        || measure(SIGN_INS, IN_FLIGHT, lanyard.clone()),
    )
    .await;
    compared(
        &format!("sign-ins, {IN_FLIGHT} in flight"),
        ours.rate,
        theirs.rate,
        "/s",
        true,
    );
}

/// "Who am I" per second and its 99th percentile, at two numbers in flight.
async fn who_am_i(client: &Client, access: &SecretString, better: &Peer, cookie: &str) {
    let lanyard = on(
        (client.clone(), access.clone()),
        |(client, access)| async move {
            client.me(&access).await.unwrap();
        },
    );
    let peer = on(
        (better.clone(), cookie.to_owned()),
        |(better, cookie)| async move { better.session(&cookie).await },
    );
    for in_flight in [IN_FLIGHT, 4 * IN_FLIGHT] {
        let (theirs, ours) = alternate(
            || measure(WHO_AM_I, in_flight, peer.clone()),
            || measure(WHO_AM_I, in_flight, lanyard.clone()),
        )
        .await;
        compared(
            &format!("who am I, {in_flight} in flight"),
            ours.rate,
            theirs.rate,
            "/s",
            true,
        );
        compared("  99th percentile", ours.p99_ms, theirs.p99_ms, "ms", false);
    }
}

/// Writes per second, each an account and an invitation (an organization and a member).
async fn writes(client: &Client, lanyard_outbox: &Path, better: &Peer, peer_outbox: &Path) {
    // Admins enough for every write of both runs, each creating at most the limit.
    let emails: Vec<String> = (0..2 * WRITES / ACCOUNTS_PER_ADMIN)
        .map(|n| format!("admin{n}@example.com"))
        .collect();
    let admins = Arc::new(lanyard_admins(client, lanyard_outbox, &emails).await);
    let owners = Arc::new(better.users(peer_outbox, &emails).await);
    let lanyard = on(
        (client.clone(), admins, Arc::new(AtomicUsize::new(0))),
        |(client, admins, next)| async move {
            let n = next.fetch_add(1, Ordering::SeqCst);
            let (admin, address) = (&admins[n / ACCOUNTS_PER_ADMIN], format!("org-{n}"));
            client
                .create_account(admin, &address, "Bench")
                .await
                .unwrap();
            let email = format!("employee{n}@example.com");
            client.invite(admin, &address, &email).await.unwrap();
        },
    );
    let peer = on(
        (better.clone(), owners, Arc::new(AtomicUsize::new(0))),
        |(better, owners, next)| async move {
            let n = next.fetch_add(1, Ordering::SeqCst);
            let owner = &owners[n / ACCOUNTS_PER_ADMIN];
            let organization = better.create_organization(owner, &format!("org-{n}")).await;
            let email = format!("employee{n}@example.com");
            better.invite(owner, &organization, &email).await;
        },
    );
    let (theirs, ours) = alternate(
        || measure(WRITES, IN_FLIGHT, peer.clone()),
        || measure(WRITES, IN_FLIGHT, lanyard.clone()),
    )
    .await;
    compared(
        &format!("writes (account + invitation), {IN_FLIGHT} in flight"),
        ours.rate,
        theirs.rate,
        "/s",
        true,
    );
}

/// The `server` role: the server on a fresh SQLite file in the given folder, rate limits
/// off; prints its URL, serves until stdin closes.
fn serve() {
    let runtime = Runtime::new().unwrap();
    runtime.block_on(async {
        let (server, _) = start_server(&child::dir()).await;
        tokio::task::spawn_blocking(move || report_and_wait(server.url.as_str()))
            .await
            .unwrap();
    });
}
