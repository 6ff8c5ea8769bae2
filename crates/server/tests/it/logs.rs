//! Secrets never reach the logs: every event of a server handling passwords and tokens, at
//! the most verbose level, is captured and searched for them.

use crate::harness::{PASSWORD, TestApp};
use secrecy::ExposeSecret;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture() -> Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            let writer = captured.clone();
            tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_ansi(false)
                .with_writer(move || writer.clone())
                .init();
            captured
        })
        .clone()
}

#[tokio::test]
async fn no_password_or_token_is_ever_logged() {
    let logs = capture();
    let app = TestApp::spawn().await;
    app.register("anna@example.com", PASSWORD).await.unwrap();
    let mail = app.mail_to("anna@example.com").await;
    let verify = mail.token();
    // A person opens the mailed link: its token travels in the query string.
    assert!(
        reqwest::get(mail.link())
            .await
            .unwrap()
            .status()
            .is_success()
    );
    app.client.verify_email(&verify).await.unwrap();
    let tokens = app.login("anna@example.com", PASSWORD).await.unwrap();
    let renewed = app.client.refresh(&tokens.refresh_token).await.unwrap();
    let _reuse = app.client.refresh(&tokens.refresh_token).await;
    app.client
        .password_recovery("anna@example.com")
        .await
        .unwrap();
    let reset = app.mail_to("anna@example.com").await.token();
    app.client
        .password_reset(&reset, "the next passphrase")
        .await
        .unwrap();
    let _bad = app.login("anna@example.com", "a wrong password").await;

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("refresh token reused"),
        "the capture works: {text}"
    );
    for secret in [
        PASSWORD,
        "the next passphrase",
        "a wrong password",
        &verify,
        &reset,
        tokens.refresh_token.expose_secret(),
        tokens.access_token.expose_secret(),
        renewed.refresh_token.expose_secret(),
        renewed.access_token.expose_secret(),
    ] {
        assert!(!text.contains(secret), "a secret reached the log");
    }
}

/// A failure on our side answers a bare 500 and is logged once, by the one layer that logs,
/// inside the request's span and with every cause under it: enough to find it, nothing of it
/// told to the client.
#[tokio::test]
async fn an_internal_failure_is_logged_once_with_its_causes() {
    let logs = capture();
    let app = TestApp::spawn().await;
    let anna = app.signed_in("anna@example.com").await;
    // The mail folder becomes a file: the next mail cannot be written.
    std::fs::remove_dir_all(app.outbox_dir()).unwrap();
    std::fs::write(app.outbox_dir(), "not a folder").unwrap();

    let failed = app
        .client
        .change_email(&anna.access_token, "anna.new@example.com", PASSWORD)
        .await;
    crate::harness::assert_refused(failed, 500, "internal");

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let logged: Vec<&str> = text
        .lines()
        .filter(|line| line.contains("request failed") && line.contains("/api/v1/me/email"))
        .collect();
    assert_eq!(logged.len(), 1, "logged once: {logged:?}");
    for part in [
        "sending a message",
        "mail delivery failed: writing a mail to the outbox",
        "method=POST",
    ] {
        assert!(logged[0].contains(part), "{part:?} in {}", logged[0]);
    }
}
