//! Throughput of the identity server, each figure beside a ceiling measured in the same run
//! on the same machine (shared and noisy machines make absolute numbers alone meaningless):
//!
//! - Argon2id hash time, and the raw hash rate with one thread per core, once as argon2's
//!   `hash_password` does it (19 MiB allocated per hash) and once with each thread's memory
//!   reused, as the server's hashing threads do: the latter is the ceiling of sign-ins, which
//!   each cost one hash.
//! - Sign-ins per second against the real server (SQLite), as a share of that ceiling.
//! - `GET /me` per second and its 99th-percentile latency, against a bare axum handler
//!   answering a profile-sized JSON through the same client: the cost of routing, auth and the
//!   session lookup. On SQLite; with `LANYARD_BENCH_POSTGRES=1` also on a fresh PostgreSQL
//!   database (the test server, `LANYARD_TEST_POSTGRES_URL`), and there beside the bare
//!   handler reading one row of that database first: the round trip every request must pay
//!   while revocation is read from the database.
//! - `GET /me` again while sign-ins keep every hashing thread busy: its 99th percentile beside
//!   the idle one.
//! - Refresh rotations per second (16 sessions renewing at once), against the machine's raw
//!   SQLite write rate: one-row `UPDATE` transactions with the server's pool and settings.
//! - A page of 100 employees from an account with 100,000, deep in the list, against a bare
//!   handler answering the same page.
//!
//! `cargo bench -p lanyard-server --bench throughput`. Loopback only; every loop is bounded.

// A benchmark's setup may panic: a failed step is a failed run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use argon2::password_hash::{PasswordHasher, SaltString, rand_core::OsRng};
use lanyard_client::{Client, PageRequest};
use secrecy::SecretString;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;
use url::Url;

mod ceilings;
mod common;
mod hashing;
mod load;

use ceilings::{READS, bare_server, get_loop, one_read_server, sqlite_write_transactions};
use common::{PASSWORD, login_request, register_and_sign_in, start_server, start_server_on};
use hashing::{Memory, hash_on_threads};
use load::{Run, alternate, measure, refresh_rotations};

#[tokio::main]
async fn main() {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    println!("Lanyard throughput ({threads} cores)\n");

    let hash_ms = hash_time(8);
    let allocating = hash_rate(threads, 48, Memory::PerHash);
    let hash_rate = hash_rate(threads, 48, Memory::Reused);
    row(
        "argon2id hash (19 MiB, t=2, p=1)",
        &format!("{hash_ms:.1} ms"),
        "",
    );
    row(
        "raw hash rate, argon2 allocating",
        &format!("{allocating:.1} /s"),
        "a fresh 19 MiB per hash",
    );
    row(
        "raw hash rate, memory reused",
        &format!("{hash_rate:.1} /s"),
        "the ceiling: pure argon2 work",
    );

    let dir = tempfile::tempdir().unwrap();
    let (server, database) = start_server(dir.path()).await;
    let url = server.url.clone();
    let client = Client::new(url.clone()).unwrap();
    let access = register_and_sign_in(&client, &server.outbox).await;

    let sign_ins = measure(96, threads * 2, {
        let client = client.clone();
        move || {
            let client = client.clone();
            async move {
                client.login(&login_request()).await.unwrap();
            }
        }
    })
    .await
    .rate;
    row(
        "sign-ins",
        &format!("{sign_ins:.1} /s"),
        &format!("{:.2} of the ceiling", sign_ins / hash_rate),
    );

    let bare = bare_server(profile_json()).await;
    me_row("GET /me", &bare, BARE, &client, &access).await;
    let (idle, busy) = alternate(
        || me_loop(&client, &access),
        || me_while_signing_in(&client, &access),
    )
    .await;
    row(
        "GET /me while sign-ins fill hashing",
        &format!("{:.0} /s, p99 {:.2} ms", busy.rate, busy.p99_ms),
        &format!(
            "p99 {:.2} of idle's ({:.2} ms)",
            busy.p99_ms / idle.p99_ms,
            idle.p99_ms
        ),
    );

    let (ceiling, rotations) = alternate(
        || sqlite_write_transactions(dir.path()),
        || refresh_rotations(&client, 2000, 16),
    )
    .await;
    row(
        "refresh rotations",
        &format!("{:.0} /s, p99 {:.2} ms", rotations.rate, rotations.p99_ms),
        &format!(
            "{:.2} of raw SQLite write transactions ({:.0} /s)",
            rotations.rate / ceiling.rate,
            ceiling.rate
        ),
    );
    if std::env::var_os("LANYARD_BENCH_POSTGRES").is_some() {
        let pg_dir = tempfile::tempdir().unwrap();
        let database = lanyard_testkit::server::fresh_postgres_database().await;
        let pg_server = start_server_on(&database, pg_dir.path()).await;
        let pg_client = Client::new(pg_server.url.clone()).unwrap();
        let pg_access = register_and_sign_in(&pg_client, &pg_server.outbox).await;
        me_row("GET /me, PostgreSQL", &bare, BARE, &pg_client, &pg_access).await;
        let one_read = one_read_server(&database, profile_json()).await;
        me_row(
            "GET /me, PostgreSQL, again",
            &one_read,
            "the bare handler reading a row first",
            &pg_client,
            &pg_access,
        )
        .await;
    }

    let (cursor, page_json) = seed_employees(&client, &access, &database).await;
    let bare_page = bare_server(page_json).await;
    let list = alternate(
        || get_loop(bare_page.clone()),
        || {
            let client = client.clone();
            let access = access.clone();
            let cursor = cursor.clone();
            async move {
                measure(600, 8, move || {
                    let (client, access, cursor) = (client.clone(), access.clone(), cursor.clone());
                    async move {
                        let page = PageRequest {
                            cursor: Some(&cursor),
                            limit: Some(100),
                        };
                        let page = client
                            .employees(&access, "bench", None, page)
                            .await
                            .unwrap();
                        assert_eq!(page.items.len(), 100);
                    }
                })
                .await
            }
        },
    )
    .await;
    let (base, list) = (list.0.rate, list.1.rate);
    row(
        "employees page (100 of 100,000)",
        &format!(
            "{list:.0} /s, {:.1} ms with 8 in flight",
            1000.0 * 8.0 / list
        ),
        &format!("{:.2} of a bare handler ({base:.0} /s)", list / base),
    );
}

const BARE: &str = "a bare handler";

/// `GET /me` with 16 in flight against `client`'s server, beside the handler `baseline` at
/// `url`: the rate, its share of the baseline's rate, and both 99th percentiles.
async fn me_row(what: &str, url: &Url, baseline: &str, client: &Client, access: &SecretString) {
    let (base, me) = alternate(|| get_loop(url.clone()), || me_loop(client, access)).await;
    row(
        what,
        &format!("{:.0} /s, p99 {:.2} ms", me.rate, me.p99_ms),
        &format!(
            "{:.2} of {baseline} ({:.0} /s, p99 {:.2} ms)",
            me.rate / base.rate,
            base.rate,
            base.p99_ms
        ),
    );
}

/// `GET /me` [`READS`] times, 16 in flight.
async fn me_loop(client: &Client, access: &SecretString) -> Run {
    let (client, access) = (client.clone(), access.clone());
    measure(READS, 16, move || {
        let (client, access) = (client.clone(), access.clone());
        async move {
            client.me(&access).await.unwrap();
        }
    })
    .await
}

/// `GET /me` as in `me_loop`, while 2 × cores sign-ins at a time keep every hashing thread
/// busy: reads must not queue behind password work.
async fn me_while_signing_in(client: &Client, access: &SecretString) -> Run {
    let in_flight = 2 * std::thread::available_parallelism().map_or(1, usize::from);
    let stop = Arc::new(AtomicBool::new(false));
    let signing_in: Vec<_> = (0..in_flight)
        .map(|_| {
            let (client, stop) = (client.clone(), stop.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    client.login(&login_request()).await.unwrap();
                }
            })
        })
        .collect();
    // Let the hashing threads fill up first.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let run = me_loop(client, access).await;
    stop.store(true, Ordering::Relaxed);
    for worker in signing_in {
        worker.await.unwrap();
    }
    run
}

fn row(what: &str, figure: &str, ratio: &str) {
    println!("{what:<36} {figure:>26}   {ratio}");
}

fn hash_time(count: u32) -> f64 {
    let argon = lanyard_server::argon2id();
    let started = Instant::now();
    for _ in 0..count {
        let salt = SaltString::generate(&mut OsRng);
        argon.hash_password(PASSWORD.as_bytes(), &salt).unwrap();
    }
    started.elapsed().as_secs_f64() * 1000.0 / f64::from(count)
}

fn hash_rate(threads: usize, total: usize, memory: Memory) -> f64 {
    let started = Instant::now();
    hash_on_threads(threads, total, memory);
    total as f64 / started.elapsed().as_secs_f64()
}

fn profile_json() -> serde_json::Value {
    serde_json::json!({"id": "01a2067d-3db2-79e0-a482-2873c7dc45eb", "email": "bench@example.com", "phone": null,
        "first_name": "Bench", "last_name": "Mark", "photo_url": null, "has_password": true, "social": []})
}

/// An account of 100,000 active employees, written straight into the database (through the
/// API it would take the whole run); returns a cursor half-way down and a page-sized JSON.
async fn seed_employees(
    client: &Client,
    access: &SecretString,
    database: &str,
) -> (String, serde_json::Value) {
    let account = client
        .create_account(access, "bench", "Bench")
        .await
        .unwrap();
    let pool = sqlx::SqlitePool::connect(database).await.unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) \
         INSERT INTO employees (id, account_id, status, role, first_name, last_name, contact_email, created_at) \
         SELECT printf('00000000-0000-7000-8000-%012d', i), ?1, 'active', 'employee', 'First' || i, 'Last' || i, \
         'e' || i || '@example.com', 0 FROM n",
    )
    .bind(&account.id)
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    let cursor = "00000000-0000-7000-8000-000000050000".to_owned();
    let page = client
        .employees(
            access,
            "bench",
            None,
            PageRequest {
                cursor: Some(&cursor),
                limit: Some(100),
            },
        )
        .await
        .unwrap();
    (cursor, serde_json::to_value(&page.items).unwrap())
}
