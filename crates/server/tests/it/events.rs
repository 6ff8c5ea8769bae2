//! The live feed (`GET /api/v1/me/events`): each kind of change reaches the streams of the
//! person it concerns, and no one else's, on this replica and on another; a revoked session's
//! stream ends; a stream resumes after the last event it saw.
//!
//! "Nothing arrives" is checked without waiting: after the change that must not be heard, a
//! second change that must be is made, and the next event read has to be the second.

use crate::harness::{PASSWORD, TestApp, assert_refused};
use lanyard_client::api::{CreateTaskRequest, Event, Events, Tokens, UpdateTaskRequest};
use secrecy::SecretString;
use std::time::Duration;

/// Long enough for any machine; an event normally arrives within milliseconds.
const PATIENCE: Duration = Duration::from_secs(20);

async fn next(events: &mut Events) -> Event {
    tokio::time::timeout(PATIENCE, events.next())
        .await
        .expect("an event within the patience")
        .expect("the stream is open")
        .expect("a readable event")
        .event
}

async fn ended(events: &mut Events) {
    let end = tokio::time::timeout(PATIENCE, events.next()).await;
    assert!(
        matches!(end, Ok(None)),
        "the stream ends after its session does: {end:?}"
    );
}

async fn open(app: &TestApp, tokens: &Tokens) -> Events {
    app.client.events(&tokens.access_token, None).await.unwrap()
}

fn task(title: &str, assignee: Option<&str>) -> CreateTaskRequest {
    CreateTaskRequest {
        title: title.into(),
        assignee_id: assignee.map(str::to_owned),
    }
}

#[tokio::test]
async fn a_task_given_to_me_reaches_my_stream_and_nobody_elses() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let ben = app.signed_in("ben@example.com").await;
    let ben_id = app.hire(&anna, "acme", "ben@example.com", &ben).await;
    let anna_id = app.employee_id(&anna, "acme", "anna@example.com").await;
    let mut bens = open(&app, &ben).await;
    let mut annas = open(&app, &anna).await;

    let report = app
        .client
        .create_task(&anna.access_token, "acme", &task("Report", Some(&ben_id)))
        .await
        .unwrap();
    let Event::TaskAssigned {
        account,
        task_id,
        title,
    } = next(&mut bens).await
    else {
        panic!("Ben hears of the task first")
    };
    assert_eq!(
        (account.address.as_str(), task_id.as_str(), title.as_str()),
        ("acme", report.id.as_str(), "Report")
    );

    // Unassigned, and assigned to oneself: nobody is told. Then Ben gives it to Anna.
    app.client
        .create_task(&anna.access_token, "acme", &task("Coffee", None))
        .await
        .unwrap();
    app.client
        .create_task(&anna.access_token, "acme", &task("Mine", Some(&anna_id)))
        .await
        .unwrap();
    let reassign = UpdateTaskRequest {
        assignee_id: Some(Some(anna_id.clone())),
        ..Default::default()
    };
    app.client
        .update_task(&ben.access_token, "acme", &report.id, &reassign)
        .await
        .unwrap();
    assert!(
        matches!(next(&mut annas).await, Event::TaskAssigned { task_id, .. } if task_id == report.id),
        "Anna hears of Ben's reassignment, not of her own tasks"
    );
}

#[tokio::test]
async fn an_invitation_to_my_login_reaches_me() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let ben = app.signed_in("ben@example.com").await;
    let mut bens = open(&app, &ben).await;

    // An address no profile signs in with: nobody to tell. Then Ben's login.
    app.client
        .invite(&anna.access_token, "acme", "stranger@example.com")
        .await
        .unwrap();
    app.client
        .invite(&anna.access_token, "acme", "ben@example.com")
        .await
        .unwrap();
    let Event::Invited { account } = next(&mut bens).await else {
        panic!("an invitation")
    };
    assert_eq!(
        (account.address.as_str(), account.name.as_str()),
        ("acme", "Acme")
    );
}

#[tokio::test]
async fn dismissal_ends_the_tab_stream_and_reinstatement_is_heard() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let ben = app.signed_in("ben@example.com").await;
    let ben_id = app.hire(&anna, "acme", "ben@example.com", &ben).await;
    let tab = app.login_to("ben@example.com", "acme").await.unwrap();
    let mut profile_stream = open(&app, &ben).await;
    let mut tab_stream = open(&app, &tab).await;

    app.client
        .dismiss(&anna.access_token, "acme", &ben_id)
        .await
        .unwrap();
    for stream in [&mut profile_stream, &mut tab_stream] {
        assert!(
            matches!(next(stream).await, Event::Dismissed { account } if account.address == "acme")
        );
    }
    ended(&mut tab_stream).await;
    assert_refused(
        app.client.events(&tab.access_token, None).await.map(|_| ()),
        401,
        "unauthorized",
    );

    app.client
        .reinstate(&anna.access_token, "acme", &ben_id)
        .await
        .unwrap();
    assert!(
        matches!(next(&mut profile_stream).await, Event::Reinstated { account } if account.address == "acme")
    );
}

#[tokio::test]
async fn a_revoked_session_hears_its_end_and_its_stream_closes() {
    let app = TestApp::spawn().await;
    let laptop = app.signed_in("anna@example.com").await;
    let mut laptops = open(&app, &laptop).await;
    let phone = app
        .login_from("anna@example.com", PASSWORD, "Phone")
        .await
        .unwrap();
    let Event::SignedIn {
        session_id,
        device_name,
    } = next(&mut laptops).await
    else {
        panic!("the laptop hears of the phone's sign-in")
    };
    assert_eq!(device_name, "Phone");
    let mut phones = open(&app, &phone).await;

    app.client
        .revoke_session(&laptop.access_token, &session_id)
        .await
        .unwrap();
    for stream in [&mut laptops, &mut phones] {
        assert_eq!(
            next(stream).await,
            Event::SessionsRevoked {
                session_ids: vec![session_id.clone()]
            }
        );
    }
    ended(&mut phones).await;

    // A password change signs out every other session, and tells them.
    let tablet = app
        .login_from("anna@example.com", PASSWORD, "Tablet")
        .await
        .unwrap();
    assert!(matches!(next(&mut laptops).await, Event::SignedIn { .. }));
    let mut tablets = open(&app, &tablet).await;
    app.client
        .change_password(&laptop.access_token, PASSWORD, "another long passphrase")
        .await
        .unwrap();
    assert!(matches!(
        next(&mut tablets).await,
        Event::SessionsRevoked { .. }
    ));
    ended(&mut tablets).await;
}

#[tokio::test]
async fn a_change_made_on_one_replica_reaches_a_stream_held_by_another() {
    let first = TestApp::spawn().await;
    let second = first.another_on_same_database().await;
    let anna = first.admin_of("acme").await;
    let ben = first.signed_in("ben@example.com").await;
    let ben_id = first.hire(&anna, "acme", "ben@example.com", &ben).await;
    let mut bens = second.client.events(&ben.access_token, None).await.unwrap();

    first
        .client
        .create_task(&anna.access_token, "acme", &task("Report", Some(&ben_id)))
        .await
        .unwrap();
    assert!(
        matches!(next(&mut bens).await, Event::TaskAssigned { title, .. } if title == "Report")
    );
}

#[tokio::test]
async fn a_stream_resumes_after_the_last_event_it_saw() {
    let app = TestApp::spawn().await;
    let anna = app.signed_in("anna@example.com").await;
    let mut first = open(&app, &anna).await;
    app.login_from("anna@example.com", PASSWORD, "One")
        .await
        .unwrap();
    let seen = tokio::time::timeout(PATIENCE, first.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    drop(first);

    app.login_from("anna@example.com", PASSWORD, "Two")
        .await
        .unwrap();
    app.login_from("anna@example.com", PASSWORD, "Three")
        .await
        .unwrap();
    let mut resumed = app
        .client
        .events(&anna.access_token, Some(&seen.id))
        .await
        .unwrap();
    for device in ["Two", "Three"] {
        assert!(
            matches!(next(&mut resumed).await, Event::SignedIn { device_name, .. } if device_name == device)
        );
    }
}

#[tokio::test]
async fn the_feed_needs_a_live_session() {
    let app = TestApp::spawn().await;
    let nobody = SecretString::from("not-a-token");
    assert_refused(
        app.client.events(&nobody, None).await.map(|_| ()),
        401,
        "unauthorized",
    );
}

#[tokio::test]
async fn an_open_stream_does_not_hold_up_a_shutdown() {
    let mut app = TestApp::spawn().await;
    let anna = app.signed_in("anna@example.com").await;
    let mut stream = open(&app, &anna).await;
    app.shutdown();
    ended(&mut stream).await;
    let stopped = app.server.stopped.take().unwrap();
    tokio::time::timeout(PATIENCE, stopped)
        .await
        .expect("the server stops with a stream open")
        .unwrap()
        .unwrap();
}
