//! Tasks: scoped to their account, edited by its members, counted for the tab's badge.

use crate::harness::{TestApp, assert_refused};
use lanyard_client::PageRequest;
use lanyard_client::api::{CreateTaskRequest, TaskStatus, UpdateTaskRequest};

#[tokio::test]
async fn members_create_complete_reassign_and_delete_tasks() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let ben = app.signed_in("ben@example.com").await;
    let ben_id = app.hire(&anna, "acme", "ben@example.com", &ben).await;

    let new = |title: &str, assignee: Option<&str>| CreateTaskRequest {
        title: title.into(),
        assignee_id: assignee.map(str::to_owned),
    };
    let report = app
        .client
        .create_task(&anna.access_token, "acme", &new("Report", Some(&ben_id)))
        .await
        .unwrap();
    app.client
        .create_task(&anna.access_token, "acme", &new("Invoice", Some(&ben_id)))
        .await
        .unwrap();
    app.client
        .create_task(&anna.access_token, "acme", &new("Coffee", None))
        .await
        .unwrap();
    assert_eq!(
        (report.status, report.assignee_id.as_deref()),
        (TaskStatus::Open, Some(ben_id.as_str()))
    );

    // The badge: Ben's open tasks.
    let badge = |token| {
        let app = &app;
        async move {
            app.client
                .tasks(
                    token,
                    "acme",
                    Some(TaskStatus::Open),
                    Some("me"),
                    Default::default(),
                )
                .await
                .unwrap()
                .items
                .len()
        }
    };
    assert_eq!(badge(&ben.access_token).await, 2);
    let done = UpdateTaskRequest {
        status: Some(TaskStatus::Done),
        ..Default::default()
    };
    assert_eq!(
        app.client
            .update_task(&ben.access_token, "acme", &report.id, &done)
            .await
            .unwrap()
            .status,
        TaskStatus::Done
    );
    assert_eq!(badge(&ben.access_token).await, 1);

    let unassign = UpdateTaskRequest {
        assignee_id: Some(None),
        title: Some("Report (final)".into()),
        ..Default::default()
    };
    let changed = app
        .client
        .update_task(&anna.access_token, "acme", &report.id, &unassign)
        .await
        .unwrap();
    assert_eq!(
        (changed.title.as_str(), changed.assignee_id, changed.status),
        ("Report (final)", None, TaskStatus::Done)
    );

    app.client
        .delete_task(&ben.access_token, "acme", &report.id)
        .await
        .unwrap();
    assert_refused(
        app.client
            .delete_task(&ben.access_token, "acme", &report.id)
            .await,
        404,
        "not_found",
    );
    assert_eq!(
        app.client
            .tasks(&anna.access_token, "acme", None, None, Default::default())
            .await
            .unwrap()
            .items
            .len(),
        2
    );
}

#[tokio::test]
async fn tasks_stay_inside_their_account() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let task = app
        .client
        .create_task(
            &anna.access_token,
            "acme",
            &CreateTaskRequest {
                title: "Secret plan".into(),
                assignee_id: None,
            },
        )
        .await
        .unwrap();
    let ben = app.signed_in("ben@example.com").await;
    app.client
        .create_account(&ben.access_token, "globex", "Globex")
        .await
        .unwrap();
    let globex_ben = app
        .client
        .employees(&ben.access_token, "globex", None, Default::default())
        .await
        .unwrap()
        .items[0]
        .id
        .clone();

    assert_refused(
        app.client
            .tasks(&ben.access_token, "acme", None, None, Default::default())
            .await,
        403,
        "no_access",
    );
    assert_refused(
        app.client
            .delete_task(&ben.access_token, "acme", &task.id)
            .await,
        403,
        "no_access",
    );
    assert_refused(
        app.client
            .delete_task(&ben.access_token, "globex", &task.id)
            .await,
        404,
        "not_found",
    );
    let foreign = CreateTaskRequest {
        title: "x".into(),
        assignee_id: Some(globex_ben),
    };
    assert_refused(
        app.client
            .create_task(&anna.access_token, "acme", &foreign)
            .await,
        422,
        "invalid_input",
    );
    let untitled = CreateTaskRequest {
        title: "   ".into(),
        assignee_id: None,
    };
    assert_refused(
        app.client
            .create_task(&anna.access_token, "acme", &untitled)
            .await,
        422,
        "invalid_input",
    );
}

#[tokio::test]
async fn long_lists_come_in_pages() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    for n in 0..7 {
        let task = CreateTaskRequest {
            title: format!("Task {n}"),
            assignee_id: None,
        };
        app.client
            .create_task(&anna.access_token, "acme", &task)
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = PageRequest {
            cursor: cursor.as_deref(),
            limit: Some(3),
        };
        let page = app
            .client
            .tasks(&anna.access_token, "acme", None, None, page)
            .await
            .unwrap();
        assert!(page.items.len() <= 3);
        seen.extend(page.items.into_iter().map(|t| t.title));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(
        seen,
        (0..7).map(|n| format!("Task {n}")).collect::<Vec<_>>()
    );

    let http = reqwest::Client::new();
    let bad = http
        .get(
            app.url
                .join("api/v1/accounts/acme/tasks?status=finished")
                .unwrap(),
        )
        .bearer_auth(secrecy::ExposeSecret::expose_secret(&anna.access_token))
        .send()
        .await
        .unwrap();
    assert_eq!(
        bad.status(),
        422,
        "an unknown enum value is refused, not ignored"
    );
}
