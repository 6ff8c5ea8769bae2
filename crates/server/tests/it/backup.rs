//! Backups and their restore, made as docs/deployment.md tells an operator to: on SQLite
//! `lanyard-server backup FILE` while the server runs, on PostgreSQL `pg_dump` then `psql`.
//! A server started on the restored copy has what was written before the backup, and only
//! that.

use crate::harness::{PASSWORD, TestApp};
use lanyard_client::PageRequest;
use lanyard_client::api::CreateTaskRequest;
use lanyard_testkit::server::fresh_postgres_database;
use secrecy::SecretString;
use std::process::Command;

#[tokio::test]
async fn a_backup_taken_while_the_server_runs_restores_to_a_working_server() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    add_task(&app, &anna.access_token, "Before the backup").await;

    let dir = tempfile::tempdir().unwrap();
    let restored = if app.database.starts_with("sqlite:") {
        let copy = dir.path().join("backup.db");
        let copy_arg = copy.to_str().unwrap();
        app.operator(&["backup", copy_arg]).await.unwrap();
        let again = app.operator(&["backup", copy_arg]).await.unwrap_err();
        assert!(again.contains("exists already"), "{again}");
        format!("sqlite://{}", copy.display())
    } else {
        let restored = fresh_postgres_database().await;
        let dump = dir.path().join("backup.sql");
        run(Command::new("pg_dump")
            .args(["--no-owner", "-f"])
            .arg(&dump)
            .arg(&app.database));
        run(Command::new("psql")
            .args(["-q", "-v", "ON_ERROR_STOP=1", "-d", &restored, "-f"])
            .arg(&dump));
        restored
    };
    add_task(&app, &anna.access_token, "After the backup").await;

    let restarted = TestApp::spawn_on_database(restored).await;
    let anna = restarted.login("anna@example.com", PASSWORD).await.unwrap();
    let page = restarted
        .client
        .tasks(
            &anna.access_token,
            "acme",
            None,
            None,
            PageRequest::default(),
        )
        .await
        .unwrap();
    let titles: Vec<_> = page.items.iter().map(|task| task.title.as_str()).collect();
    assert_eq!(titles, ["Before the backup"]);
}

async fn add_task(app: &TestApp, access: &SecretString, title: &str) {
    let task = CreateTaskRequest {
        title: title.into(),
        assignee_id: None,
    };
    app.client.create_task(access, "acme", &task).await.unwrap();
}

/// Runs an operator's tool, failing the test with its output when it fails.
fn run(command: &mut Command) {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
