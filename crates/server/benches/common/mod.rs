//! What the benches share: a real server on a fresh SQLite file, and a verified profile.

use lanyard_client::Client;
use lanyard_client::api::{LoginRequest, RegisterRequest};
use lanyard_server::{Application, Config};
use secrecy::{ExposeSecret, SecretString};
use url::Url;

pub const PASSWORD: &str = "benchmark passphrase";

/// The server on `dir/bench.db`, rate limits off (they would measure themselves); its URL
/// and database URL.
pub async fn start_server(dir: &std::path::Path) -> (Url, String) {
    let database = format!("sqlite://{}", dir.join("bench.db").display());
    let mut config = Config::for_database(&database);
    config.bind = "127.0.0.1:0".parse().unwrap();
    config.mail_outbox = Some(dir.join("outbox"));
    config.rate_limits = false;
    let app = Application::build(config).await.unwrap();
    let url = app.public_url().clone();
    tokio::spawn(app.run_until(std::future::pending()));
    (url, database)
}

pub fn login_request() -> LoginRequest {
    LoginRequest {
        login: "bench@example.com".into(),
        password: PASSWORD.into(),
        account: None,
        device_name: None,
    }
}

pub async fn register_and_sign_in(client: &Client, dir: &std::path::Path) -> SecretString {
    client
        .register(&RegisterRequest {
            email: Some("bench@example.com".into()),
            phone: None,
            password: PASSWORD.into(),
            first_name: Some("Bench".into()),
            last_name: Some("Mark".into()),
        })
        .await
        .unwrap();
    let mail = std::fs::read_dir(dir.join("outbox"))
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let raw = std::fs::read(mail).unwrap();
    let message = mail_parser::MessageParser::default().parse(&raw).unwrap();
    let body = message.body_text(0).unwrap().into_owned();
    let link = body
        .split_whitespace()
        .find(|word| word.contains("token="))
        .unwrap();
    let token = Url::parse(link)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "token")
        .unwrap()
        .1
        .into_owned();
    client.verify_email(&token).await.unwrap();
    let tokens = client.login(&login_request()).await.unwrap();
    SecretString::from(tokens.access_token.expose_secret())
}
