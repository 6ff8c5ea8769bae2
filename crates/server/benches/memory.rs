//! Resident memory of the identity server through a burst of password work, beside the bound
//! it must keep: `1.2 × idle + hash threads × 19 MiB` (the argon2 memory each hashing thread
//! owns). The server runs in a child process of its own (this bench run again in the `server`
//! role), so the figures are the server's alone, read from `/proc/<pid>/status` (Linux).
//!
//! The same run measures bare argon2 on the same number of threads, each in a child of its
//! own: with argon2's own `hash_password` (the `per-hash` role), a fresh 19 MiB per call,
//! which glibc keeps in the heap once its dynamic mmap threshold has grown (the memory the
//! server's hashing threads avoid); and with one block per thread reused (the `reused` role),
//! what hashing alone must hold.
//!
//! `cargo bench -p lanyard-server --bench memory`. Loopback only; every loop is bounded.

// A benchmark's setup may panic: a failed step is a failed run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use lanyard_client::Client;
use lanyard_testkit::outbox::Outbox;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use url::Url;

mod child;
mod common;
mod hashing;

use child::{ROLE, read_line, report_and_wait, rss_mib, spawn, status_mib, stop, url_of};
use common::{login_request, register_and_sign_in, register_request, start_server};
use hashing::{Memory, hash_on_threads};

/// Registrations, then as many sign-ins: the load of the figure.
const BURST: usize = 2000;
/// Hashes each bare-argon2 child makes: enough for glibc's heap to show its growth.
const RAW_HASHES: usize = 400;
/// argon2's memory per hash with the server's parameters.
const HASH_MIB: f64 = 19.0;

fn main() {
    match std::env::var(ROLE).as_deref() {
        Ok("server") => serve(),
        Ok("per-hash") => bare_argon2(Memory::PerHash),
        Ok("reused") => bare_argon2(Memory::Reused),
        _ => measure(),
    }
}

fn measure() {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    println!("Lanyard server memory ({threads} cores, {threads} hashing threads)\n");
    let runtime = tokio::runtime::Runtime::new().unwrap();

    let dir = tempfile::tempdir().unwrap();
    let mut server = spawn("server", dir.path(), &[]);
    let url = url_of(&mut server);
    let pid = server.id();
    // Let start-up settle (migrations, the first pool connections) before reading idle.
    std::thread::sleep(Duration::from_secs(1));
    let idle = rss_mib(pid);
    row("idle, at start", idle, &parts(pid));

    let started = Instant::now();
    runtime.block_on(burst(url, dir.path().join("outbox")));
    let elapsed = started.elapsed().as_secs_f64();
    let loaded = rss_mib(pid);
    let bound = 1.2 * idle + threads as f64 * HASH_MIB;
    row(
        &format!("after {BURST} registrations + {BURST} sign-ins"),
        loaded,
        &format!(
            "{:.2} of the bound ({bound:.1} MiB); {elapsed:.0} s",
            loaded / bound
        ),
    );
    std::thread::sleep(Duration::from_secs(10));
    let rested = rss_mib(pid);
    row(
        "10 s after the load",
        rested,
        &format!("{:.2} of the bound; {}", rested / bound, parts(pid)),
    );
    stop(server);

    for (role, what) in [
        ("reused", "memory reused"),
        ("per-hash", "argon2 allocating"),
    ] {
        let mut bare = spawn(role, dir.path(), &[]);
        let line = read_line(bare.stdout.as_mut().unwrap());
        stop(bare);
        let (peak, after) = line.split_once(' ').unwrap();
        let (peak, after): (f64, f64) = (peak.parse().unwrap(), after.parse().unwrap());
        row(
            &format!("bare argon2: {RAW_HASHES} hashes, {what}"),
            after,
            &format!(
                "{:.2} of the bound once its threads ended; peak {peak:.1} MiB",
                after / bound
            ),
        );
    }
}

/// Registers `BURST` profiles and signs in `BURST` times, 2 × cores in flight.
async fn burst(url: Url, outbox: std::path::PathBuf) {
    let client = Client::new(url).unwrap();
    // The one profile the sign-ins use, verified through the server's outbox.
    register_and_sign_in(&client, &Outbox::polled(outbox)).await;

    let in_flight = 2 * std::thread::available_parallelism().map_or(1, usize::from);
    let next = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..in_flight)
        .map(|_| {
            let (client, next) = (client.clone(), next.clone());
            tokio::spawn(async move {
                loop {
                    let n = next.fetch_add(1, Ordering::SeqCst);
                    if n >= 2 * BURST {
                        break;
                    }
                    if n < BURST {
                        let email = format!("person{n}@example.com");
                        client.register(&register_request(&email)).await.unwrap();
                    } else {
                        client.login(&login_request()).await.unwrap();
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
}

/// The `server` role: the server on a fresh SQLite file in the given folder, rate limits
/// off; prints its URL, serves until stdin closes.
fn serve() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let (server, _) = start_server(&child::dir()).await;
        tokio::task::spawn_blocking(move || report_and_wait(server.url.as_str()))
            .await
            .unwrap();
    });
}

/// The `per-hash` and `reused` roles: `RAW_HASHES` hashes with argon2 alone, one thread per
/// core; prints the process's peak resident memory and what it holds once they ended.
fn bare_argon2(memory: Memory) {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    hash_on_threads(threads, RAW_HASHES, memory);
    let pid = std::process::id();
    println!("{} {}", status_mib(pid, "VmHWM"), rss_mib(pid));
}

/// What the resident memory is made of: the process's own (heap, stacks) and the pages of
/// mapped files (its code and libraries, read in as they are first run).
fn parts(pid: u32) -> String {
    format!(
        "anonymous {:.1} + files {:.1} MiB",
        status_mib(pid, "RssAnon"),
        status_mib(pid, "RssFile")
    )
}

fn row(what: &str, mib: f64, ratio: &str) {
    println!("{what:<44} {mib:>8.1} MiB   {ratio}");
}
