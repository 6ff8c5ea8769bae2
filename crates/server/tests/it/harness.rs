//! `TestApp`: a running server, its client, its clock and its outbox, with helpers that read
//! mail the way a person would (open the message, follow the link).

use chrono::Duration;
use lanyard_client::api::{LoginRequest, RegisterRequest, Tokens};
use lanyard_client::{ApiError, Client};
use lanyard_core::clock::ManualClock;
use lanyard_server::Config;
use lanyard_testkit::server::{Running, config, fresh_database};
use std::path::Path;
use std::sync::Arc;
use tempfile::TempDir;
use url::Url;

pub use lanyard_testkit::mail::Mail;

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub client: Client,
    pub clock: Arc<ManualClock>,
    pub url: Url,
    /// The database URL, for operator commands run beside the server.
    pub database: String,
    /// The running server: its outbox, and its task (done once it has shut down).
    pub server: Running,
    _dir: TempDir,
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

    /// Starts a server on `database`, a database URL the test made itself.
    pub async fn spawn_on_database(database: String) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::spawn_on(dir, database, |_| {}).await
    }

    /// Starts another server on this one's database (a restart, or a second replica).
    pub async fn another_on_same_database(&self) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        Self::spawn_on(dir, self.database.clone(), |_| {}).await
    }

    async fn spawn_on(dir: TempDir, database: String, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = config(&database, dir.path());
        adjust(&mut config);
        let clock = Arc::new(ManualClock::starting_now());
        let server = Running::start(config, clock.clone()).await;
        TestApp {
            client: Client::new(server.url.clone()).expect("client"),
            clock,
            url: server.url.clone(),
            database,
            server,
            _dir: dir,
        }
    }

    /// Asks the server to shut down gracefully.
    pub fn shutdown(&mut self) {
        self.server.shutdown();
    }

    /// The folder the server delivers mail into.
    pub fn outbox_dir(&self) -> &Path {
        self.server.outbox.dir()
    }

    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// The next unread mail (or SMS) to `recipient`, waiting for its delivery if need be.
    pub async fn mail_to(&self, recipient: &str) -> Mail {
        self.server.outbox.next_to(recipient).await
    }

    /// Whether any unread mail to `recipient` is in the outbox now.
    pub fn has_mail_to(&self, recipient: &str) -> bool {
        self.server.outbox.has_unread_to(recipient)
    }

    /// The 6-digit code in the next unread SMS to `phone`.
    pub async fn sms_code_to(&self, phone: &str) -> String {
        self.mail_to(phone).await.code()
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

    /// The id of `email`'s employee record at `address`, as `admin` lists it.
    pub async fn employee_id(&self, admin: &Tokens, address: &str, email: &str) -> String {
        let employees = self
            .client
            .employees(&admin.access_token, address, None, Default::default())
            .await
            .expect("the employees");
        let login = |e: &lanyard_client::api::Employee| e.login.as_ref().map(|l| l.value.clone());
        employees
            .items
            .into_iter()
            .find(|e| login(e).as_deref() == Some(email))
            .expect("an employee signing in with that email")
            .id
    }

    /// A verified profile, signed in.
    pub async fn signed_in(&self, email: &str) -> Tokens {
        self.register_verified(email).await;
        self.login(email, PASSWORD).await.expect("sign-in")
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
