//! `reach URL`: asks the Lanyard server at URL whether it is healthy, through
//! `lanyard_client::Client` exactly as the desktop app builds it, in a process of its own so a
//! test can give it the environment a company machine has (proxy variables, a trust store of
//! its own through `SSL_CERT_FILE`). Prints `healthy`, or the error, and exits 0 or 1.

use lanyard_client::Client;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let outcome = match std::env::args().nth(1).map(|url| url::Url::parse(&url)) {
        Some(Ok(url)) => match Client::new(url) {
            Ok(client) => client.healthy().await.map_err(|e| error_chain(&e)),
            Err(error) => Err(error_chain(&error)),
        },
        _ => Err("usage: reach URL".to_owned()),
    };
    match outcome {
        Ok(true) => println!("healthy"),
        Ok(false) => {
            println!("answered, not healthy");
            std::process::exit(1);
        }
        Err(error) => {
            println!("{error}");
            std::process::exit(1);
        }
    }
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
