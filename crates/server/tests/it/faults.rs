//! Faults: the server killed with SIGKILL in the middle of a write load (after a restart on
//! the same database every write it acknowledged is there, and nothing half-written shows);
//! its PostgreSQL going away for a while.

use crate::harness::{PASSWORD, TestApp};
use lanyard_client::api::{CreateTaskRequest, Task, Tokens};
use lanyard_client::{Client, PageRequest};
use lanyard_core::Code;
use lanyard_testkit::process;
use lanyard_testkit::relay::Relay;
use lanyard_testkit::server::fresh_postgres_database;
use secrecy::SecretString;
use std::collections::HashSet;
use std::process::Child;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use url::Url;

/// Writers in flight during the load: tasks and refresh rotations.
const WRITERS: usize = 6;
/// How long a request may take, or the server to come back, before the test gives up: far
/// beyond the server's 10 s wait for a database connection.
const PATIENCE: Duration = Duration::from_secs(30);

#[tokio::test]
async fn a_server_killed_mid_write_keeps_every_write_it_acknowledged() {
    let mut setup = TestApp::spawn().await;
    let anna = setup.admin_of("acme").await;
    let rotating = setup.signed_in("boris@example.com").await;
    let database = setup.database.clone();
    setup.shutdown();
    setup.server.stopped.take().unwrap().await.unwrap().unwrap();

    let (server, url) = start_process(&database);
    let client = Client::new(url).unwrap();
    let acknowledged = Arc::new(Mutex::new(Acknowledged::default()));
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let (client, acknowledged) = (client.clone(), acknowledged.clone());
            let access = anna.access_token.clone();
            let refresh = (writer == 0).then(|| rotating.refresh_token.clone());
            tokio::spawn(write_until_refused(
                client,
                access,
                refresh,
                writer,
                acknowledged,
            ))
        })
        .collect();
    // Let the writers get going, then pull the plug.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    process::kill(server);
    for writer in writers {
        writer.await.unwrap();
    }
    let acknowledged = Arc::try_unwrap(acknowledged).unwrap().into_inner().unwrap();
    assert!(
        acknowledged.tasks.len() >= WRITERS,
        "the load wrote before the kill: {} tasks",
        acknowledged.tasks.len()
    );

    if database.starts_with("sqlite:") {
        assert_eq!(sqlite_integrity(&database).await, "ok");
    }
    let restarted = setup.another_on_same_database().await;
    let tasks = all_tasks(&restarted.client, &anna.access_token).await;
    let titles: HashSet<&str> = tasks.iter().map(|task| task.title.as_str()).collect();
    for title in &acknowledged.tasks {
        assert!(
            titles.contains(title.as_str()),
            "acknowledged task {title} is gone"
        );
    }
    assert!(
        tasks.iter().all(|task| task.title.starts_with("task ")),
        "{tasks:?}"
    );

    // The last refresh token the server handed out before dying is either still the live one
    // (its rotation never committed) or was spent by a rotation whose answer was lost; either
    // way the server answers with a decision, and the profile can sign in again.
    let last = acknowledged.refresh.unwrap_or(rotating.refresh_token);
    match restarted.client.refresh(&last).await {
        Ok(tokens) => restarted
            .client
            .me(&tokens.access_token)
            .await
            .map(drop)
            .unwrap(),
        Err(error) => assert_eq!(error.status(), Some(401), "{error:?}"),
    }
    restarted
        .login("boris@example.com", crate::harness::PASSWORD)
        .await
        .unwrap();
}

#[derive(Debug, Default)]
struct Acknowledged {
    tasks: Vec<String>,
    /// The newest refresh token the rotating writer was given.
    refresh: Option<SecretString>,
}

/// Writes until the server stops answering: a task each turn, and with a refresh token, a
/// rotation each turn. Records only what the server acknowledged.
async fn write_until_refused(
    client: Client,
    access: SecretString,
    mut refresh: Option<SecretString>,
    writer: usize,
    acknowledged: Arc<Mutex<Acknowledged>>,
) {
    for n in 0.. {
        let title = format!("task {writer}-{n}");
        let request = CreateTaskRequest {
            title: title.clone(),
            assignee_id: None,
        };
        if client.create_task(&access, "acme", &request).await.is_err() {
            return;
        }
        acknowledged.lock().unwrap().tasks.push(title);
        if let Some(token) = &refresh {
            let Ok(Tokens { refresh_token, .. }) = client.refresh(token).await else {
                return;
            };
            acknowledged.lock().unwrap().refresh = Some(refresh_token.clone());
            refresh = Some(refresh_token);
        }
    }
}

pub(crate) async fn all_tasks(client: &Client, access: &SecretString) -> Vec<Task> {
    let mut tasks = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = PageRequest {
            cursor: cursor.as_deref(),
            limit: Some(100),
        };
        let page = client
            .tasks(access, "acme", None, None, page)
            .await
            .unwrap();
        tasks.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return tasks,
        }
    }
}

/// `lanyard-server` on `database` as its own process, on a free loopback port.
fn start_process(database: &str) -> (Child, Url) {
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_lanyard-server"));
    let (child, address) = process::start(binary, database, &[]);
    (child, Url::parse(&format!("http://{address}/")).unwrap())
}

pub(crate) async fn sqlite_integrity(database: &str) -> String {
    use sqlx::Connection;
    let mut connection = sqlx::SqliteConnection::connect(database).await.unwrap();
    sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut connection)
        .await
        .unwrap()
}

/// PostgreSQL goes away for a while under load: every request answers, quickly, either as
/// usual or 503 `unavailable` (never a 500, never a hang), and once the database is back the
/// server serves again by itself. Always on PostgreSQL (an embedded SQLite file does not go
/// away), reached through a relay the test cuts and restores.
#[tokio::test]
async fn while_postgresql_is_away_requests_fail_cleanly_and_the_server_recovers_by_itself() {
    let mut database = Url::parse(&fresh_postgres_database().await).unwrap();
    let upstream = tokio::net::lookup_host((
        database.host_str().unwrap().to_owned(),
        database.port().unwrap_or(5432),
    ))
    .await
    .unwrap()
    .next()
    .unwrap();
    let mut relay = Relay::start(upstream).await;
    database.set_host(Some("127.0.0.1")).unwrap();
    database.set_port(Some(relay.address.port())).unwrap();
    let app = TestApp::spawn_on_database(database.to_string()).await;
    let anna = app.admin_of("acme").await;

    relay.cut().await;
    let requests: Vec<_> = (0..8)
        .map(|n| {
            let (client, access) = (app.client.clone(), anna.access_token.clone());
            tokio::spawn(async move {
                let answer = async {
                    if n % 2 == 0 {
                        client.me(&access).await.map(drop)
                    } else {
                        let task = CreateTaskRequest {
                            title: format!("during the outage {n}"),
                            assignee_id: None,
                        };
                        client.create_task(&access, "acme", &task).await.map(drop)
                    }
                };
                tokio::time::timeout(PATIENCE, answer)
                    .await
                    .expect("answered, not left hanging")
            })
        })
        .collect();
    for request in requests {
        let refused = request.await.unwrap().expect_err("no database, no answer");
        assert_eq!(refused.status(), Some(503), "{refused:?}");
        assert_eq!(refused.code(), Some(Code::Unavailable), "{refused:?}");
    }

    relay.restore().await;
    // Each connection that broke is dropped at its first failure; those left idle meanwhile
    // (the readers' and the pool's) answer 503 once each, so "serves again" is awaited.
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let read = app.client.me(&anna.access_token).await;
        let signed_in = app.login("anna@example.com", PASSWORD).await;
        if read.is_ok() && signed_in.is_ok() {
            break;
        }
        for refused in [read.err(), signed_in.err()].into_iter().flatten() {
            assert_eq!(refused.status(), Some(503), "{refused:?}");
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the server serves again once the database is back"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
