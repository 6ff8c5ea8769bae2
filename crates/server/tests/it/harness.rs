//! `TestApp`: a running server, its client, its clock and its outbox, with helpers that read
//! mail the way a person would (open the message, follow the link).

use chrono::Duration;
use lanyard_client::api::{LoginRequest, RegisterRequest, Tokens};
use lanyard_client::{ApiError, Client};
use lanyard_core::clock::ManualClock;
use lanyard_server::{Application, Config};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tempfile::TempDir;
use tokio::sync::{oneshot, watch};
use url::Url;

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub client: Client,
    pub clock: Arc<ManualClock>,
    pub url: Url,
    /// The database URL, for operator commands run beside the server.
    pub database: String,
    outbox: PathBuf,
    deliveries: watch::Receiver<u64>,
    read: Mutex<HashSet<PathBuf>>,
    stop: Option<oneshot::Sender<()>>,
    pub stopped: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _dir: TempDir,
}

/// A mail (or SMS) as the recipient sees it: decoded, as a mail program shows it.
#[derive(Debug)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub html: String,
}

impl Mail {
    /// The first link in the mail.
    pub fn link(&self) -> Url {
        let start = self.body.find("http").expect("the mail has a link");
        let end = self.body[start..]
            .find(|c: char| c.is_whitespace() || c == '"' || c == '<')
            .map_or(self.body.len(), |n| start + n);
        Url::parse(&self.body[start..end]).expect("the link parses")
    }

    /// The `token` of the first link.
    pub fn token(&self) -> String {
        self.link()
            .query_pairs()
            .find(|(key, _)| key == "token")
            .map(|(_, value)| value.into_owned())
            .expect("the link carries a token")
    }
}

/// A database URL for one test: a new SQLite file, or a new PostgreSQL database.
pub async fn fresh_database(dir: &Path) -> String {
    match std::env::var("LANYARD_TEST_DATABASE").as_deref() {
        Ok("postgres") => {
            use sqlx::Connection;
            let base = std::env::var("LANYARD_TEST_POSTGRES_URL")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
            let name = format!("lanyard_t_{}", uuid::Uuid::new_v4().simple());
            let mut admin = sqlx::PgConnection::connect(&base)
                .await
                .expect("PostgreSQL answers");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .expect("create the test database");
            let mut url = Url::parse(&base).expect("LANYARD_TEST_POSTGRES_URL parses");
            url.set_path(&name);
            url.to_string()
        }
        Ok("sqlite") | Err(_) => format!("sqlite://{}", dir.join("lanyard.db").display()),
        Ok(other) => panic!("LANYARD_TEST_DATABASE must be sqlite or postgres, not {other}"),
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Starts a server whose configuration `adjust` may change first.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = fresh_database(dir.path()).await;
        Self::spawn_on(dir, database, adjust).await
    }

    /// Starts another server on this one's database (a restart, or a second replica).
    pub async fn another_on_same_database(&self) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::spawn_on(dir, self.database.clone(), |_| {}).await
    }

    async fn spawn_on(dir: TempDir, database: String, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let outbox = dir.path().join("outbox");
        let mut config = Config::for_database(&database);
        config.bind = "127.0.0.1:0".parse().expect("address");
        config.mail_outbox = Some(outbox.clone());
        // The test's OpenID provider runs on loopback `http`.
        config.allow_private_issuers = true;
        adjust(&mut config);
        let clock = Arc::new(ManualClock::starting_now());
        let app = Application::build_with_clock(config, clock.clone())
            .await
            .expect("the server starts");
        let url = app.public_url().clone();
        let deliveries = app
            .outbox_deliveries()
            .unwrap_or_else(|| watch::channel(0).1);
        let (stop, stopped) = oneshot::channel::<()>();
        let handle = tokio::spawn(app.run_until(async move {
            let _ = stopped.await;
        }));
        TestApp {
            client: Client::new(url.clone()).expect("client"),
            clock,
            url,
            database,
            outbox,
            deliveries,
            read: Mutex::new(HashSet::new()),
            stop: Some(stop),
            stopped: Some(handle),
            _dir: dir,
        }
    }

    /// Asks the server to shut down gracefully.
    pub fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// The next unread mail (or SMS) to `recipient`, waiting for its delivery if need be.
    pub async fn mail_to(&self, recipient: &str) -> Mail {
        let mut deliveries = self.deliveries.clone();
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            deliveries.borrow_and_update();
            if let Some(mail) = self.unread_mail_to(recipient) {
                return mail;
            }
            tokio::time::timeout_at(deadline, deliveries.changed())
                .await
                .unwrap_or_else(|_| panic!("no mail to {recipient} arrived"))
                .expect("the server is running");
        }
    }

    /// Whether any unread mail to `recipient` is in the outbox now.
    pub fn has_mail_to(&self, recipient: &str) -> bool {
        let read = self.read.lock().unwrap();
        self.outbox_files()
            .iter()
            .any(|(path, mail)| !read.contains(path) && mail.to == recipient)
    }

    fn unread_mail_to(&self, recipient: &str) -> Option<Mail> {
        let mut read = self.read.lock().unwrap();
        let (path, mail) = self
            .outbox_files()
            .into_iter()
            .find(|(path, mail)| !read.contains(path) && mail.to == recipient)?;
        read.insert(path);
        Some(mail)
    }

    /// Every message in the outbox, oldest first.
    fn outbox_files(&self) -> Vec<(PathBuf, Mail)> {
        let Ok(entries) = std::fs::read_dir(&self.outbox) else {
            return Vec::new();
        };
        let mut files: Vec<_> = entries
            .flatten()
            .filter(|entry| {
                let name = entry.file_name().to_string_lossy().into_owned();
                name.ends_with(".eml") || (name.starts_with("sms-") && name.ends_with(".txt"))
            })
            .map(|entry| {
                let modified = entry.metadata().and_then(|m| m.modified()).ok();
                (modified, entry.path())
            })
            .collect();
        files.sort();
        files
            .into_iter()
            .filter_map(|(_, path)| {
                let bytes = std::fs::read(&path).ok()?;
                let mail = if path.extension().is_some_and(|e| e == "eml") {
                    parse_eml(&bytes)
                } else {
                    parse_sms(&bytes)
                };
                Some((path, mail))
            })
            .collect()
    }

    /// The 6-digit code in the next unread SMS to `phone`.
    pub async fn sms_code_to(&self, phone: &str) -> String {
        let sms = self.mail_to(phone).await;
        sms.body
            .split(|c: char| !c.is_ascii_digit())
            .find(|word| word.len() == 6)
            .expect("the SMS holds a 6-digit code")
            .to_owned()
    }

    pub async fn register(&self, email: &str, password: &str) -> Result<String, ApiError> {
        self.client
            .register(&RegisterRequest {
                email: Some(email.into()),
                phone: None,
                password: password.into(),
                first_name: Some("Anna".into()),
                last_name: Some("Berg".into()),
            })
            .await
            .map(|created| created.profile_id)
    }

    /// Registers `email` and follows the verification link.
    pub async fn register_verified(&self, email: &str) -> String {
        let id = self.register(email, PASSWORD).await.expect("registration");
        let token = self.mail_to(email).await.token();
        self.client
            .verify_email(&token)
            .await
            .expect("verification");
        id
    }

    pub async fn login(&self, login: &str, password: &str) -> Result<Tokens, ApiError> {
        self.login_from(login, password, "Test device").await
    }

    pub async fn login_from(
        &self,
        login: &str,
        password: &str,
        device: &str,
    ) -> Result<Tokens, ApiError> {
        self.client
            .login(&LoginRequest {
                login: login.into(),
                password: password.into(),
                account: None,
                device_name: Some(device.into()),
            })
            .await
    }

    /// Signs in to an account (a desktop tab's session).
    pub async fn login_to(&self, login: &str, address: &str) -> Result<Tokens, ApiError> {
        self.client
            .login(&LoginRequest {
                login: login.into(),
                password: PASSWORD.into(),
                account: Some(address.into()),
                device_name: Some("Tab".into()),
            })
            .await
    }

    /// Invites `email` to `address` as `admin`, and has `invitee` (signed in) accept the
    /// mailed link. Returns the new employee's id.
    pub async fn hire(
        &self,
        admin: &Tokens,
        address: &str,
        email: &str,
        invitee: &Tokens,
    ) -> String {
        let invited = self
            .client
            .invite(&admin.access_token, address, email)
            .await
            .expect("invitation");
        let token = self.mail_to(email).await.token();
        let joined = self
            .client
            .accept_invitation(&invitee.access_token, &token)
            .await
            .expect("acceptance");
        assert_eq!(joined.id, invited.id);
        joined.id
    }

    /// Runs `lanyard-server --database <this test's database> ARGS…`, as an operator would.
    pub async fn operator(&self, args: &[&str]) -> Result<String, String> {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_lanyard-server"));
        command.args(["--database", &self.database]).args(args);
        let output = tokio::task::spawn_blocking(move || command.output())
            .await
            .unwrap()
            .unwrap();
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        if output.status.success() {
            Ok(text(&output.stdout))
        } else {
            Err(text(&output.stderr))
        }
    }

    /// Anna, signed in, administrator of a new account at `address`.
    pub async fn admin_of(&self, address: &str) -> Tokens {
        let anna = self.signed_in("anna@example.com").await;
        self.client
            .create_account(&anna.access_token, address, "Acme")
            .await
            .expect("the account is created");
        anna
    }

    /// A verified profile, signed in.
    pub async fn signed_in(&self, email: &str) -> Tokens {
        self.register_verified(email).await;
        self.login(email, PASSWORD).await.expect("sign-in")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// An email as a mail program reads it (MIME decoded).
pub fn parse_eml(bytes: &[u8]) -> Mail {
    let message = mail_parser::MessageParser::default()
        .parse(bytes)
        .expect("a MIME message");
    Mail {
        to: message
            .to()
            .and_then(|to| to.first())
            .and_then(|to| to.address())
            .unwrap_or_default()
            .to_owned(),
        subject: message.subject().unwrap_or_default().to_owned(),
        body: message.body_text(0).unwrap_or_default().into_owned(),
        html: message.body_html(0).unwrap_or_default().into_owned(),
    }
}

/// An SMS file: `To: <number>`, a blank line, the text.
fn parse_sms(bytes: &[u8]) -> Mail {
    let text = String::from_utf8_lossy(bytes);
    let (head, body) = text.split_once("\n\n").unwrap_or_default();
    Mail {
        to: head
            .strip_prefix("To: ")
            .unwrap_or_default()
            .trim()
            .to_owned(),
        subject: String::new(),
        body: body.to_owned(),
        html: String::new(),
    }
}

/// Asserts that `result` failed with `status` and `code`.
#[track_caller]
pub fn assert_refused<T: std::fmt::Debug>(result: Result<T, ApiError>, status: u16, code: &str) {
    match result {
        Err(ApiError::Problem { problem, .. }) => {
            assert_eq!(
                (problem.status, problem.code.as_str()),
                (status, code),
                "{}",
                problem.detail
            );
        }
        other => panic!("expected {status} {code}, got {other:?}"),
    }
}
