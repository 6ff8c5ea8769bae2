//! Whether the server's answer times tell known logins from unknown ones (issue 9): sign-in,
//! registration and recovery, each timed for a login that exists and one that does not,
//! alternately, on the same server in the same run. The figures are the medians and the 90th
//! percentiles of both, their ratio, and whether the middle halves of the two distributions
//! overlap. Not a test: timings on a shared machine are for people to read, not to assert.
//!
//! `cargo bench -p lanyard-server --bench timing`. Loopback only; every loop is bounded.

// A benchmark's setup may panic: a failed step is a failed run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{PASSWORD, register_and_sign_in, start_server};
use lanyard_client::Client;
use lanyard_client::api::{LoginRequest, RegisterRequest};
use std::future::Future;
use std::time::Instant;

const SAMPLES: usize = 30;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (server, _) = start_server(dir.path()).await;
    let client = Client::new(server.url.clone()).unwrap();
    register_and_sign_in(&client, &server.outbox).await;
    println!("Answer times, known vs unknown login ({SAMPLES} each, alternating)\n");
    println!(
        "{:<14} {:>11} {:>11} {:>11} {:>11} {:>8} {:>9}",
        "endpoint", "known p50", "unknown p50", "known p90", "unknown p90", "ratio", "overlap"
    );

    let login = |who: &'static str| {
        let client = client.clone();
        async move {
            let wrong = LoginRequest {
                login: who.into(),
                password: "not the password".into(),
                account: None,
                device_name: None,
            };
            let _ = client.login(&wrong).await;
        }
    };
    compare(
        "sign-in",
        || login("bench@example.com"),
        || login("nobody@example.com"),
    )
    .await;

    let mut fresh = 0u32;
    let register = |email: String| {
        let client = client.clone();
        async move {
            let request = RegisterRequest {
                email: Some(email),
                phone: None,
                password: PASSWORD.into(),
                first_name: None,
                last_name: None,
            };
            let _ = client.register(&request).await;
        }
    };
    compare(
        "registration",
        || register("bench@example.com".into()),
        || {
            fresh += 1;
            register(format!("new-{fresh}@example.com"))
        },
    )
    .await;

    let recover = |email: &'static str| {
        let client = client.clone();
        async move {
            let _ = client.password_recovery(email).await;
        }
    };
    compare(
        "recovery",
        || recover("bench@example.com"),
        || recover("nobody@example.com"),
    )
    .await;
}

/// Times `known` and `unknown` alternately and prints one row.
async fn compare<K, KF, U, UF>(what: &str, mut known: K, mut unknown: U)
where
    K: FnMut() -> KF,
    KF: Future<Output = ()>,
    U: FnMut() -> UF,
    UF: Future<Output = ()>,
{
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..SAMPLES {
        a.push(time(known()).await);
        b.push(time(unknown()).await);
    }
    a.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    let at = |v: &[f64], q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    let overlap = at(&a, 0.25) <= at(&b, 0.75) && at(&b, 0.25) <= at(&a, 0.75);
    println!(
        "{what:<14} {:>8.1} ms {:>8.1} ms {:>8.1} ms {:>8.1} ms {:>8.2} {:>9}",
        at(&a, 0.5),
        at(&b, 0.5),
        at(&a, 0.9),
        at(&b, 0.9),
        at(&a, 0.5) / at(&b, 0.5),
        if overlap { "yes" } else { "NO" }
    );
}

async fn time(call: impl Future<Output = ()>) -> f64 {
    let started = Instant::now();
    call.await;
    started.elapsed().as_secs_f64() * 1000.0
}
