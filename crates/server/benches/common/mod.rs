//! What the benches share: a real server on a fresh SQLite file, and a verified profile.

// Each bench includes this module and uses a part of it.
#![allow(dead_code)]

use lanyard_client::Client;
use lanyard_client::api::{LoginRequest, RegisterRequest};
use lanyard_core::clock::SystemClock;
use lanyard_server::Config;
use lanyard_testkit::outbox::Outbox;
use lanyard_testkit::server::{Running, config};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;

pub const PASSWORD: &str = "benchmark passphrase";

/// The server on `dir/bench.db`, rate limits off (they would measure themselves), and its
/// database URL.
pub async fn start_server(dir: &std::path::Path) -> (Running, String) {
    let database = format!("sqlite://{}", dir.join("bench.db").display());
    (start_server_on(&database, dir).await, database)
}

/// The server on `database`, its outbox in `dir`, rate limits off.
pub async fn start_server_on(database: &str, dir: &std::path::Path) -> Running {
    Running::start(bench_config(database, dir), Arc::new(SystemClock)).await
}

/// The tests' settings for a server on `database` with its outbox in `dir`, rate limits off
/// (they would measure themselves).
pub fn bench_config(database: &str, dir: &std::path::Path) -> Config {
    let mut config = config(database, dir);
    config.rate_limits = false;
    config
}

pub fn login_request() -> LoginRequest {
    LoginRequest {
        login: "bench@example.com".into(),
        password: PASSWORD.into(),
        account: None,
        device_name: None,
    }
}

/// A registration of `email` with the bench password.
pub fn register_request(email: &str) -> RegisterRequest {
    RegisterRequest {
        email: Some(email.into()),
        phone: None,
        password: PASSWORD.into(),
        first_name: Some("Bench".into()),
        last_name: Some("Mark".into()),
    }
}

/// Registers the bench profile, verifies its email through `outbox`, signs in.
pub async fn register_and_sign_in(client: &Client, outbox: &Outbox) -> SecretString {
    client
        .register(&register_request("bench@example.com"))
        .await
        .unwrap();
    let token = outbox.next_to("bench@example.com").await.token();
    client.verify_email(&token).await.unwrap();
    let tokens = client.login(&login_request()).await.unwrap();
    SecretString::from(tokens.access_token.expose_secret())
}
