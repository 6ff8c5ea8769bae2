//! A real server for the client's tests, and Anna: verified, administering acme and globex.

use lanyard_client::Client;
use lanyard_client::api::{LoginRequest, RegisterRequest};
use lanyard_server::{Application, Config};
use std::path::Path;
use url::Url;

pub const PASSWORD: &str = "correct horse battery staple";

pub async fn server(dir: &Path) -> Url {
    let mut config = Config::for_database(&format!("sqlite://{}", dir.join("server.db").display()));
    config.bind = "127.0.0.1:0".parse().unwrap();
    config.mail_outbox = Some(dir.join("outbox"));
    // The test's OpenID provider runs on loopback `http`.
    config.allow_private_issuers = true;
    let app = Application::build(config).await.unwrap();
    let url = app.public_url().clone();
    tokio::spawn(app.run_until(std::future::pending()));
    url
}

/// Anna, verified, administering acme and globex.
pub async fn anna(client: &Client, outbox: &Path) {
    let register = RegisterRequest {
        email: Some("anna@example.com".into()),
        phone: None,
        password: PASSWORD.into(),
        first_name: None,
        last_name: None,
    };
    client.register(&register).await.unwrap();
    let mail = std::fs::read_dir(outbox)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let raw = std::fs::read(mail).unwrap();
    let body = mail_parser::MessageParser::default()
        .parse(&raw)
        .unwrap()
        .body_text(0)
        .unwrap()
        .into_owned();
    let link = Url::parse(
        body.split_whitespace()
            .find(|w| w.contains("token="))
            .unwrap(),
    )
    .unwrap();
    let token = link
        .query_pairs()
        .find(|(k, _)| k == "token")
        .unwrap()
        .1
        .into_owned();
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
