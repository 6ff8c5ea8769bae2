//! A database the server cannot write to. Turned read-only under a running server (PostgreSQL,
//! as a fail-over leaves a standby or an operator freezes a database): reads go on, writes are
//! refused plainly, and the server takes writes again by itself. Read-only when the server
//! starts (a SQLite file on a disk mounted read-only, a PostgreSQL database set read-only): it
//! refuses to start, saying why. Nothing written before is lost either way.

use crate::faults::all_tasks;
use crate::full_disk::{SmallDisk, cannot_write, task};
use crate::harness::{PASSWORD, TestApp};
use lanyard_client::ApiError;
use lanyard_client::api::Task;
use lanyard_core::Code;
use lanyard_testkit::process;
use lanyard_testkit::server::fresh_postgres_database;
use sqlx::Connection;
use std::collections::HashSet;
use std::process::Command;
use std::time::Duration;
use url::Url;

/// How long the server may take to replace its connections, or to give up starting.
const PATIENCE: Duration = Duration::from_secs(30);

#[tokio::test]
async fn postgresql_turned_read_only_under_the_server_refuses_writes_plainly() {
    let database = fresh_postgres_database().await;
    let app = TestApp::spawn_on_database(database.clone()).await;
    let anna = app.admin_of("acme").await;
    let access = &anna.access_token;
    let (before, during, after) = (
        task("Before".into()),
        task("During".into()),
        task("After".into()),
    );
    let before = app
        .client
        .create_task(access, "acme", &before)
        .await
        .unwrap();

    set_read_only(&database, true).await;
    cannot_write(once_reconnected(|| app.client.create_task(access, "acme", &during)).await);
    let listed = all_tasks(&app.client, access).await;
    assert_eq!(
        listed.iter().map(|t| &t.id).collect::<Vec<_>>(),
        [&before.id],
        "reads go on, and show only what was written"
    );
    // A sign-in writes a session.
    cannot_write(app.login("anna@example.com", PASSWORD).await);

    set_read_only(&database, false).await;
    let after = once_reconnected(|| app.client.create_task(access, "acme", &after));
    let after = after.await.unwrap();
    let listed: HashSet<String> = all_tasks(&app.client, access)
        .await
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(listed, HashSet::from([before.id, after.id]));
    app.login("anna@example.com", PASSWORD).await.unwrap();
}

/// The server started on a database it cannot write to (on the suite's database: a SQLite file
/// on a small disk remounted read-only, which needs root; or a PostgreSQL database set
/// read-only): it exits at once with a message saying so, and once the database is writable
/// again it starts with everything that was there.
#[tokio::test]
async fn a_server_started_on_a_read_only_database_says_so_and_loses_nothing() {
    let postgres = std::env::var("LANYARD_TEST_DATABASE").as_deref() == Ok("postgres");
    let disk = if postgres {
        None
    } else {
        let Some(disk) = SmallDisk::mount() else {
            eprintln!("not run: mounting the test's small disk (tmpfs) needs root");
            return;
        };
        Some(disk)
    };
    let database = match &disk {
        Some(disk) => format!("sqlite://{}", disk.path().join("lanyard.db").display()),
        None => fresh_postgres_database().await,
    };
    let mut setup = TestApp::spawn_on_database(database.clone()).await;
    let anna = setup.admin_of("acme").await;
    let written = setup
        .client
        .create_task(&anna.access_token, "acme", &task("Written".into()))
        .await
        .unwrap();
    setup.shutdown();
    setup.server.stopped.take().unwrap().await.unwrap().unwrap();

    match &disk {
        Some(disk) => disk.remount("ro"),
        None => set_read_only(&database, true).await,
    }
    let binary = env!("CARGO_BIN_EXE_lanyard-server");
    let run = Command::new(binary)
        .args(["--database", &database, "--bind", "127.0.0.1:0"])
        .env("NO_COLOR", "1")
        .output();
    let run = tokio::time::timeout(PATIENCE, tokio::task::spawn_blocking(move || run))
        .await
        .expect("gives up instead of hanging")
        .unwrap()
        .unwrap();
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(!run.status.success(), "refuses to start: {said}");
    assert!(
        said.contains("the database cannot be written to (it is read-only"),
        "says why: {said}"
    );

    match &disk {
        Some(disk) => disk.remount("rw"),
        None => set_read_only(&database, false).await,
    }
    let (server, address) = process::start(binary.as_ref(), &database, &[]);
    let client = lanyard_client::Client::new(Url::parse(&format!("http://{address}/")).unwrap());
    let tasks: Vec<Task> = all_tasks(&client.unwrap(), &anna.access_token).await;
    process::kill(server);
    assert_eq!(
        tasks.into_iter().map(|t| t.id).collect::<Vec<_>>(),
        [written.id]
    );
}

/// Sets PostgreSQL's `default_transaction_read_only` for `database`, then ends its sessions
/// (each keeps the setting it started with) and waits until they are gone, so that every
/// connection the server makes from here on has the new setting.
async fn set_read_only(database: &str, read_only: bool) {
    let url = Url::parse(database).unwrap();
    let name = url.path().trim_start_matches('/').to_owned();
    let mut admin_url = url.clone();
    admin_url.set_path("postgres");
    let mut admin = sqlx::PgConnection::connect(admin_url.as_str())
        .await
        .unwrap();
    let setting = if read_only { "on" } else { "off" };
    let alter = format!("ALTER DATABASE {name} SET default_transaction_read_only = {setting}");
    sqlx::query(&alter).execute(&mut admin).await.unwrap();
    let end_sessions = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1";
    sqlx::query(end_sessions)
        .bind(&name)
        .execute(&mut admin)
        .await
        .unwrap();
    let sessions = "SELECT count(*) FROM pg_stat_activity WHERE datname = $1";
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while sqlx::query_scalar::<_, i64>(sessions)
        .bind(&name)
        .fetch_one(&mut admin)
        .await
        .unwrap()
        > 0
    {
        assert!(tokio::time::Instant::now() < deadline, "sessions end");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // The server pings a pooled PostgreSQL connection idle for a second or more before using
    // it (store::PING_AFTER_IDLE): from then on each dead one is replaced unseen. (Waiting
    // longer changes nothing.)
    tokio::time::sleep(Duration::from_millis(1100)).await;
}

/// The first answer of `request` that is not about a dead connection: the server's pooled
/// connections to PostgreSQL were ended under it, and a request that meets one is answered
/// 503 `unavailable` (the database out of reach) while the pool replaces it.
async fn once_reconnected<T, F>(mut request: impl FnMut() -> F) -> Result<T, ApiError>
where
    F: Future<Output = Result<T, ApiError>>,
{
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        match request().await {
            Err(error)
                if error.code() == Some(Code::Unavailable)
                    && !error.to_string().contains("nothing was changed") =>
            {
                assert!(tokio::time::Instant::now() < deadline, "{error:?}");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            answer => return answer,
        }
    }
}
