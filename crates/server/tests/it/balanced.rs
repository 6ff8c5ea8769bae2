//! Three `lanyard-server` processes on one PostgreSQL database behind HAProxy, as a company
//! runs replicas: round robin, so one client's consecutive requests land on different
//! processes, `X-Forwarded-For` appended and trusted one proxy deep. What one replica decides,
//! the others honour at once. Always on PostgreSQL (replicas share nothing else).

use crate::harness::PASSWORD;
use lanyard_client::api::{
    CreateTaskRequest, Event, LoginRequest, QrPolled, QrRequest, RegisterRequest, Tokens,
};
use lanyard_client::{ApiError, Client};
use lanyard_testkit::balancer::{Balancer, free_address};
use lanyard_testkit::outbox::Outbox;
use lanyard_testkit::process;
use lanyard_testkit::server::fresh_postgres_database;
use std::process::Child;
use std::time::Duration;
use tempfile::TempDir;
use url::Url;

const REPLICAS: usize = 3;

struct Replicas {
    client: Client,
    outbox: Outbox,
    balancer: Balancer,
    processes: Vec<Child>,
    _dir: TempDir,
}

impl Drop for Replicas {
    fn drop(&mut self) {
        for child in self.processes.drain(..) {
            process::kill(child);
        }
    }
}

/// Three replicas on a fresh database, each knowing the balancer's URL as its public one.
async fn three_replicas() -> Replicas {
    let dir = tempfile::tempdir().unwrap();
    let database = fresh_postgres_database().await;
    let address = free_address();
    let public = format!("http://{address}/");
    let outbox = dir.path().join("outbox");
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_lanyard-server"));
    let args = [
        "--public-url",
        &public,
        "--trusted-proxies",
        "1",
        "--mail-outbox",
        outbox.to_str().unwrap(),
    ];
    let (processes, servers): (Vec<_>, Vec<_>) = (0..REPLICAS)
        .map(|_| process::start(binary, &database, &args))
        .unzip();
    let balancer = Balancer::start(address, &servers, dir.path());
    Replicas {
        client: Client::new(Url::parse(&public).unwrap()).unwrap(),
        outbox: Outbox::polled(outbox),
        balancer,
        processes,
        _dir: dir,
    }
}

impl Replicas {
    async fn login(&self, email: &str, password: &str) -> Result<Tokens, ApiError> {
        self.client
            .login(&LoginRequest {
                login: email.into(),
                password: password.into(),
                account: None,
                device_name: None,
            })
            .await
    }

    async fn signed_in(&self, email: &str) -> Tokens {
        self.client
            .register(&RegisterRequest {
                email: Some(email.into()),
                phone: None,
                password: PASSWORD.into(),
                first_name: Some("Anna".into()),
                last_name: Some("Berg".into()),
            })
            .await
            .unwrap();
        let token = self.outbox.next_to(email).await.token();
        self.client.verify_email(&token).await.unwrap();
        self.login(email, PASSWORD).await.unwrap()
    }

    /// Asserts that `REPLICAS` requests in a row, one on each replica, are refused 401.
    async fn refused_everywhere(&self, access: &secrecy::SecretString) {
        for _ in 0..REPLICAS {
            let refused = self.client.me(access).await.unwrap_err();
            assert_eq!(refused.status(), Some(401), "{refused:?}");
        }
    }
}

/// One person's day through the balancer: sign-up and sign-in, a live stream held by one
/// replica hearing of a task written through another, a QR sign-in approved while the
/// desktop waits elsewhere, a refresh token raced to two replicas, a session revoked. Every
/// replica answered a share of it.
#[tokio::test]
async fn three_replicas_behind_a_load_balancer_act_as_one_server() {
    let replicas = three_replicas().await;
    let client = &replicas.client;
    let anna = replicas.signed_in("anna@example.com").await;
    let ben = replicas.signed_in("ben@example.com").await;
    client
        .create_account(&anna.access_token, "acme", "Acme")
        .await
        .unwrap();
    let invited = client
        .invite(&anna.access_token, "acme", "ben@example.com")
        .await
        .unwrap();
    let token = replicas.outbox.next_to("ben@example.com").await.token();
    client
        .accept_invitation(&ben.access_token, &token)
        .await
        .unwrap();

    // The live feed: Ben's stream stays on one replica; the task is written on another.
    let mut bens = client.events(&ben.access_token, None).await.unwrap();
    let task = CreateTaskRequest {
        title: "Report".into(),
        assignee_id: Some(invited.id.clone()),
    };
    client
        .create_task(&anna.access_token, "acme", &task)
        .await
        .unwrap();
    let heard = tokio::time::timeout(Duration::from_secs(20), bens.next())
        .await
        .expect("the stream hears of the task")
        .unwrap()
        .unwrap()
        .event;
    assert!(
        matches!(&heard, Event::TaskAssigned { title, .. } if title == "Report"),
        "{heard:?}"
    );
    drop(bens);

    // QR sign-in: the desktop waits on one replica, Anna's phone approves through the others.
    let qr = client
        .qr_request(&QrRequest {
            device_name: "Anna's laptop".into(),
            platform: Some("Linux".into()),
            profile_only: true,
        })
        .await
        .unwrap();
    let waiting = {
        let (client, id, token) = (client.clone(), qr.id.clone(), qr.poll_token.clone());
        tokio::spawn(async move { client.qr_poll(&id, &token, 20).await })
    };
    client
        .qr_approve(&anna.access_token, &qr.id, qr.match_number, None)
        .await
        .unwrap();
    let QrPolled::SignedIn(laptop) = waiting.await.unwrap().unwrap() else {
        panic!("the waiting desktop is signed in");
    };
    client.me(&laptop.access_token).await.unwrap();

    // A refresh token sent twice at once (two replicas, by round robin) is spent once.
    for _ in 0..5 {
        let tokens = replicas.login("anna@example.com", PASSWORD).await.unwrap();
        let (a, b) = tokio::join!(
            client.refresh(&tokens.refresh_token),
            client.refresh(&tokens.refresh_token),
        );
        assert_eq!(
            usize::from(a.is_ok()) + usize::from(b.is_ok()),
            1,
            "exactly one replica rotates the token: {a:?} / {b:?}"
        );
    }

    // The laptop's session revoked from the phone: refused on every replica at once. (The
    // raced sessions are gone already: a refresh token presented twice ends its session.)
    let sessions = client.sessions(&anna.access_token).await.unwrap();
    let [laptop_session] = &sessions.iter().filter(|s| !s.current).collect::<Vec<_>>()[..] else {
        panic!("the phone's and the laptop's sessions alone: {sessions:?}");
    };
    client
        .revoke_session(&anna.access_token, &laptop_session.id)
        .await
        .unwrap();
    replicas.refused_everywhere(&laptop.access_token).await;
    for _ in 0..REPLICAS {
        client.me(&anna.access_token).await.unwrap();
    }

    let answered = replicas.balancer.answered();
    assert_eq!(answered.len(), REPLICAS);
    assert!(
        answered.iter().all(|&n| n >= 5),
        "every replica served its share: {answered:?}"
    );
}

/// Wrong passwords spread over the replicas by the balancer get the budget one server gives
/// (the limits live in the database), keyed on the client's address as the balancer saw it:
/// an `X-Forwarded-For` the attacker writes himself, a new one for each guess, buys nothing.
#[tokio::test]
async fn guesses_through_a_load_balancer_share_one_budget() {
    let replicas = three_replicas().await;
    replicas.signed_in("anna@example.com").await;
    let http = reqwest::Client::new();
    let login = Url::parse(&format!(
        "http://{}/api/v1/auth/login",
        replicas.balancer.address
    ))
    .unwrap();
    let mut answers = Vec::new();
    for guess in 0..12 {
        let answer = http
            .post(login.clone())
            .header("x-forwarded-for", format!("198.51.100.{guess}"))
            .json(&serde_json::json!({"login": "anna@example.com", "password": "a wrong guess"}))
            .send()
            .await
            .unwrap();
        answers.push(answer.status().as_u16());
    }
    assert_eq!(&answers[..10], &[401; 10], "{answers:?}");
    assert_eq!(&answers[10..], &[429, 429], "{answers:?}");
    // The right password waits too while the budget is spent, on every replica.
    for _ in 0..REPLICAS {
        let refused = replicas
            .login("anna@example.com", PASSWORD)
            .await
            .unwrap_err();
        assert_eq!(refused.status(), Some(429), "{refused:?}");
    }
    assert!(replicas.balancer.answered().iter().all(|&n| n >= 4));
}
