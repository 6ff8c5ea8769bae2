//! `reach URL`: reaches a Lanyard server exactly as the desktop app and the server do, in a
//! process of its own so a test can give it the environment a company machine has (proxy
//! variables, a trust store of its own through `SSL_CERT_FILE`):
//! - `http(s)://…`: asks whether the server is healthy, through `lanyard_client::Client`;
//! - `smtp(s)://…`: sends one mail through the server's SMTP mailer (`lanyard_server::Smtp`).
//!
//! Prints `healthy` or `sent`, or the error, and exits 0 or 1.

use lanyard_client::Client;
use lanyard_core::mail::{EmailMessage, Mailer, Message};
use lanyard_core::values::Email;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let outcome = match std::env::args().nth(1).map(|url| url::Url::parse(&url)) {
        Some(Ok(url)) if url.scheme().starts_with("smtp") => mail(url.as_str()).await,
        Some(Ok(url)) => match Client::new(url) {
            Ok(client) => match client.healthy().await {
                Ok(true) => Ok("healthy"),
                Ok(false) => Err("answered, not healthy".to_owned()),
                Err(error) => Err(error_chain(&error)),
            },
            Err(error) => Err(error_chain(&error)),
        },
        _ => Err("usage: reach URL".to_owned()),
    };
    match outcome {
        Ok(said) => println!("{said}"),
        Err(error) => {
            println!("{error}");
            std::process::exit(1);
        }
    }
}

async fn mail(url: &str) -> Result<&'static str, String> {
    let from = "Lanyard <noreply@lanyard.test>"
        .parse()
        .map_err(|e| format!("{e}"))?;
    let smtp = lanyard_server::Smtp::new(url, from).map_err(|e| error_chain(&e))?;
    let to = Email::parse("anna@example.com").map_err(|e| e.to_string())?;
    let message = Message::Email(EmailMessage {
        to,
        subject: "Through the company's mail server".to_owned(),
        text: "Sent over TLS.".to_owned(),
        html: "<p>Sent over TLS.</p>".to_owned(),
    });
    smtp.send(message).await.map_err(|e| error_chain(&e))?;
    Ok("sent")
}

/// The error and its causes (a TLS refusal is a cause of the transport error).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut said = error.to_string();
    let mut cause = error.source();
    while let Some(next) = cause {
        said = format!("{said}: {next}");
        cause = next.source();
    }
    said
}
