//! Mail over a real SMTP hop: aiosmtpd (Python) receives what the server sends into a
//! Maildir, and the test reads the message from there and follows its link.

use crate::harness::{PASSWORD, TestApp};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct SmtpServer {
    child: Child,
    port: u16,
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_smtp(maildir: &Path) -> SmtpServer {
    let port = lanyard_testkit::ports::unclaimed();
    let child =
        Command::new(std::env::var("LANYARD_TEST_PYTHON").unwrap_or_else(|_| "python3".into()))
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(maildir)
            .stdout(Stdio::null())
            .spawn()
            .expect("python3 with aiosmtpd is installed (scripts/test installs it)");
    let server = SmtpServer { child, port };
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "aiosmtpd did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

/// The first message in the Maildir, waiting for it to arrive.
fn wait_for_message(maildir: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(entry) = std::fs::read_dir(maildir.join("new"))
            .ok()
            .and_then(|mut d| d.next())
        {
            return std::fs::read_to_string(entry.unwrap().path()).unwrap();
        }
        assert!(
            Instant::now() < deadline,
            "no message reached the SMTP server"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test]
async fn the_verification_mail_travels_over_smtp() {
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("Maildir");
    let smtp = start_smtp(&maildir);
    let app = TestApp::spawn_with(|config| {
        config.mail_outbox = None;
        config.smtp_url = Some(format!("smtp://127.0.0.1:{}", smtp.port).into());
        config.mail_from = "Lanyard <noreply@lanyard.test>".into();
    })
    .await;
    app.register("anna@example.com", PASSWORD).await.unwrap();

    let raw = tokio::task::spawn_blocking(move || wait_for_message(&maildir))
        .await
        .unwrap();
    assert!(
        raw.contains("From: Lanyard <noreply@lanyard.test>"),
        "{raw}"
    );
    let mail = crate::harness::Mail::from_eml(raw.as_bytes());
    assert_eq!(mail.to, "anna@example.com");
    assert_eq!(mail.subject, "Confirm your email for Lanyard");
    assert!(
        mail.html.contains(&mail.token()),
        "plain text and HTML both carry the link"
    );
    assert!(mail.link().as_str().starts_with(app.url.as_str()));
    app.client.verify_email(&mail.token()).await.unwrap();
    app.login("anna@example.com", PASSWORD).await.unwrap();
}
