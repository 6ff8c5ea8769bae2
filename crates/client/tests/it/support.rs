//! A real server for the client's tests, and Anna: verified, administering acme and globex.

use lanyard_client::Client;
use lanyard_client::api::{LoginRequest, RegisterRequest};
use lanyard_core::clock::SystemClock;
use lanyard_testkit::outbox::Outbox;
use lanyard_testkit::server::{Running, config};
use std::path::Path;
use std::sync::Arc;

pub const PASSWORD: &str = "correct horse battery staple";

/// A real server on a SQLite file in `dir`, its mail in `dir/outbox`.
pub async fn server(dir: &Path) -> Running {
    let database = format!("sqlite://{}", dir.join("server.db").display());
    Running::start(config(&database, dir), Arc::new(SystemClock)).await
}

/// Anna, verified, administering acme and globex.
pub async fn anna(client: &Client, outbox: &Outbox) {
    let register = RegisterRequest {
        email: Some("anna@example.com".into()),
        phone: None,
        password: PASSWORD.into(),
        first_name: None,
        last_name: None,
    };
    client.register(&register).await.unwrap();
    let token = outbox.next_to("anna@example.com").await.token();
    client.verify_email(&token).await.unwrap();
    let login = LoginRequest {
        login: "anna@example.com".into(),
        password: PASSWORD.into(),
        account: None,
        device_name: None,
    };
    let tokens = client.login(&login).await.unwrap();
    client
        .create_account(&tokens.access_token, "acme", "Acme")
        .await
        .unwrap();
    client
        .create_account(&tokens.access_token, "globex", "Globex")
        .await
        .unwrap();
}
