//! QR sign-in: a desktop asks, a signed-in phone checks and approves with the matching
//! number, the desktop collects its session once. Races and expiry included.

use crate::harness::{TestApp, assert_refused};
use chrono::Duration;
use lanyard_client::api::QrPolled;
use lanyard_client::api::{QrCreated, QrRequest, Tokens};
use lanyard_core::Code;
use secrecy::ExposeSecret;

/// A request for the profile alone (as from the profile page), and a signed-in phone.
async fn desktop_and_phone(app: &TestApp) -> (QrCreated, Tokens) {
    let phone = app.signed_in("anna@example.com").await;
    let request = QrRequest {
        device_name: "Anna's laptop".into(),
        platform: Some("Linux".into()),
        profile_only: true,
    };
    let created = app.client.qr_request(&request).await.unwrap();
    (created, phone)
}

fn other_than(number: u8, choices: &[u8]) -> u8 {
    *choices.iter().find(|n| **n != number).unwrap()
}

#[tokio::test]
async fn the_phone_sees_who_asks_and_approves_with_the_matching_number() {
    let app = TestApp::spawn().await;
    let (qr, phone) = desktop_and_phone(&app).await;
    let acme = app
        .client
        .create_account(&phone.access_token, "acme", "Acme")
        .await
        .unwrap();
    assert!((10..=99).contains(&qr.match_number));
    assert!(qr.qr_url.starts_with(app.url.as_str()) && qr.qr_url.contains(&qr.id));
    assert!(
        !qr.qr_url.contains(qr.poll_token.expose_secret()),
        "the poll token is never in the QR code"
    );
    assert!(qr.id.len() >= 22, "at least 128 bits");

    let details = app
        .client
        .qr_details(&phone.access_token, &qr.id)
        .await
        .unwrap();
    assert_eq!(
        (
            details.device_name.as_str(),
            details.platform.as_deref(),
            details.ip.as_str()
        ),
        ("Lanyard desktop", None, "127.0.0.1"),
        "what the server saw, not what the desktop claims"
    );
    assert!(!details.needs_account);
    assert_eq!(details.choices.len(), 3);
    assert!(details.choices.contains(&qr.match_number));
    let mut distinct = details.choices.clone();
    distinct.dedup();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 3);

    assert!(matches!(
        app.client.qr_poll(&qr.id, &qr.poll_token, 0).await.unwrap(),
        QrPolled::Pending
    ));
    app.client
        .qr_approve(&phone.access_token, &qr.id, qr.match_number, Some("acme"))
        .await
        .unwrap();
    let QrPolled::SignedIn(tokens) = app.client.qr_poll(&qr.id, &qr.poll_token, 0).await.unwrap()
    else {
        panic!("approved")
    };
    assert_eq!(
        tokens.account.as_ref().map(|a| a.id.as_str()),
        Some(acme.id.as_str())
    );
    let me = app.client.me(&tokens.access_token).await.unwrap();
    assert_eq!(me.email.as_deref(), Some("anna@example.com"));
    let sessions = app.client.sessions(&tokens.access_token).await.unwrap();
    assert!(
        sessions
            .iter()
            .any(|s| s.current && s.device_name == "Lanyard desktop")
    );

    // Used once: later polls and approvals are refused.
    assert_refused(
        app.client.qr_poll(&qr.id, &qr.poll_token, 0).await,
        410,
        "expired",
    );
    assert_refused(
        app.client
            .qr_approve(&phone.access_token, &qr.id, qr.match_number, None)
            .await,
        410,
        "expired",
    );
}

#[tokio::test]
async fn a_waiting_poll_answers_as_soon_as_the_phone_approves() {
    let app = TestApp::spawn().await;
    let (qr, phone) = desktop_and_phone(&app).await;
    let client = app.client.clone();
    let (id, token) = (qr.id.clone(), qr.poll_token.clone());
    let waiting = tokio::spawn(async move { client.qr_poll(&id, &token, 20).await });
    app.client
        .qr_approve(&phone.access_token, &qr.id, qr.match_number, None)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let polled = waiting.await.unwrap().unwrap();
    assert!(matches!(polled, QrPolled::SignedIn(_)));
    // Not a timing threshold on speed: only that it did not sit out the 20 seconds.
    assert!(started.elapsed() < std::time::Duration::from_secs(15));
}

#[tokio::test]
async fn a_wrong_number_cancels_the_request() {
    let app = TestApp::spawn().await;
    let (qr, phone) = desktop_and_phone(&app).await;
    let details = app
        .client
        .qr_details(&phone.access_token, &qr.id)
        .await
        .unwrap();
    let wrong = other_than(qr.match_number, &details.choices);
    assert_refused(
        app.client
            .qr_approve(&phone.access_token, &qr.id, wrong, None)
            .await,
        403,
        "wrong_number",
    );
    assert_refused(
        app.client
            .qr_approve(&phone.access_token, &qr.id, qr.match_number, None)
            .await,
        410,
        "expired",
    );
    let refused = app
        .client
        .qr_poll(&qr.id, &qr.poll_token, 0)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some(Code::Expired));
    let lanyard_client::ApiError::Problem { problem, .. } = refused else {
        unreachable!()
    };
    assert!(
        problem.detail.contains("wrong number"),
        "the desktop can say why: {}",
        problem.detail
    );
}

#[tokio::test]
async fn a_denied_request_tells_the_desktop() {
    let app = TestApp::spawn().await;
    let (qr, phone) = desktop_and_phone(&app).await;
    app.client
        .qr_deny(&phone.access_token, &qr.id)
        .await
        .unwrap();
    let refused = app
        .client
        .qr_poll(&qr.id, &qr.poll_token, 0)
        .await
        .unwrap_err();
    let lanyard_client::ApiError::Problem { problem, .. } = refused else {
        panic!("a problem")
    };
    assert_eq!((problem.status, problem.code.as_str()), (410, "expired"));
    assert!(problem.detail.contains("denied"), "{}", problem.detail);
    assert_refused(
        app.client.qr_deny(&phone.access_token, &qr.id).await,
        410,
        "expired",
    );
}

#[tokio::test]
async fn a_code_lives_sixty_seconds() {
    let app = TestApp::spawn().await;
    let (qr, phone) = desktop_and_phone(&app).await;
    app.advance(Duration::seconds(59));
    app.client
        .qr_details(&phone.access_token, &qr.id)
        .await
        .unwrap();
    app.advance(Duration::seconds(2));
    assert_refused(
        app.client.qr_details(&phone.access_token, &qr.id).await,
        410,
        "expired",
    );
    assert_refused(
        app.client
            .qr_approve(&phone.access_token, &qr.id, qr.match_number, None)
            .await,
        410,
        "expired",
    );
    assert_refused(
        app.client.qr_poll(&qr.id, &qr.poll_token, 0).await,
        410,
        "expired",
    );
}

#[tokio::test]
async fn two_polls_at_once_collect_one_session() {
    let app = TestApp::spawn().await;
    let (qr, phone) = desktop_and_phone(&app).await;
    app.client
        .qr_approve(&phone.access_token, &qr.id, qr.match_number, None)
        .await
        .unwrap();
    let (a, b) = tokio::join!(
        app.client.qr_poll(&qr.id, &qr.poll_token, 0),
        app.client.qr_poll(&qr.id, &qr.poll_token, 0)
    );
    let signed_in = [&a, &b]
        .iter()
        .filter(|r| matches!(r, Ok(QrPolled::SignedIn(_))))
        .count();
    assert_eq!(signed_in, 1, "{a:?} {b:?}");
    for result in [a, b] {
        if let Err(error) = result {
            assert_eq!(error.code(), Some(Code::Expired));
        }
    }
}

#[tokio::test]
async fn approving_needs_a_signed_in_phone_a_real_request_and_membership() {
    let app = TestApp::spawn().await;
    let (qr, phone) = desktop_and_phone(&app).await;
    assert_refused(
        app.client.qr_details(&"nobody".into(), &qr.id).await,
        401,
        "unauthorized",
    );
    assert_refused(
        app.client
            .qr_details(&phone.access_token, "no-such-request")
            .await,
        404,
        "not_found",
    );
    assert_refused(
        app.client.qr_poll(&qr.id, &"stolen?".into(), 0).await,
        401,
        "invalid_token",
    );
    // Approving for an account the approver is not in: refused, and the request stays usable.
    assert_refused(
        app.client
            .qr_approve(&phone.access_token, &qr.id, qr.match_number, Some("acme"))
            .await,
        403,
        "no_access",
    );
    app.client
        .qr_approve(&phone.access_token, &qr.id, qr.match_number, None)
        .await
        .unwrap();
    assert!(matches!(
        app.client.qr_poll(&qr.id, &qr.poll_token, 0).await.unwrap(),
        QrPolled::SignedIn(_)
    ));
}

#[tokio::test]
async fn the_approval_page_is_served_at_the_qr_url() {
    let app = TestApp::spawn().await;
    let qr = app.client.qr_create("Laptop", None).await.unwrap();
    let page = reqwest::get(&qr.qr_url).await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("/approve") && html.contains("viewport"),
        "a mobile page that approves"
    );
}

#[tokio::test]
async fn an_approval_on_another_replica_reaches_the_waiting_desktop() {
    let app = TestApp::spawn().await;
    let replica = app.another_on_same_database().await;
    let (qr, phone) = desktop_and_phone(&app).await;
    let client = app.client.clone();
    let (id, token) = (qr.id.clone(), qr.poll_token.clone());
    let waiting = tokio::spawn(async move { client.qr_poll(&id, &token, 20).await });
    // The phone's request lands on the other server, which the desktop is not talking to.
    replica
        .client
        .qr_approve(&phone.access_token, &qr.id, qr.match_number, None)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    assert!(matches!(
        waiting.await.unwrap().unwrap(),
        QrPolled::SignedIn(_)
    ));
    // Not a speed threshold: only that the wait did not run out its 20 seconds.
    assert!(started.elapsed() < std::time::Duration::from_secs(15));
}

#[tokio::test]
async fn a_tabs_request_names_its_account_by_id_or_address_and_a_bad_name_blames_no_login() {
    let app = TestApp::spawn().await;
    let phone = app.signed_in("anna@example.com").await;
    let acme = app
        .client
        .create_account(&phone.access_token, "acme", "Acme")
        .await
        .unwrap();
    let bob = app.signed_in("bob@example.com").await;
    let globex = app
        .client
        .create_account(&bob.access_token, "globex", "Globex")
        .await
        .unwrap();
    let tab_request = QrRequest {
        device_name: "Anna's laptop".into(),
        platform: None,
        profile_only: false,
    };
    let qr = app.client.qr_request(&tab_request).await.unwrap();
    // Each refusal leaves the request usable: nothing was spent.
    let no_choice = app
        .client
        .qr_approve(&phone.access_token, &qr.id, qr.match_number, None)
        .await;
    assert_refused(no_choice, 422, "invalid_input");
    for malformed in ["not an account!", "", "x"] {
        let refused = app
            .client
            .qr_approve(
                &phone.access_token,
                &qr.id,
                qr.match_number,
                Some(malformed),
            )
            .await
            .unwrap_err();
        assert_eq!(refused.code(), Some(Code::InvalidInput), "{malformed:?}");
        let detail = refused.to_string();
        assert!(
            !detail.contains("login"),
            "a malformed reference does not blame the login: {detail}"
        );
    }
    let not_mine = app
        .client
        .qr_approve(
            &phone.access_token,
            &qr.id,
            qr.match_number,
            Some(&globex.id),
        )
        .await;
    assert_refused(not_mine, 403, "no_access");
    assert!(matches!(
        app.client.qr_poll(&qr.id, &qr.poll_token, 0).await.unwrap(),
        QrPolled::Pending
    ));

    // By id, as `GET /me/accounts` lists it.
    let listed = app.client.my_accounts(&phone.access_token).await.unwrap();
    let id = &listed.iter().find(|a| a.address == "acme").unwrap().id;
    app.client
        .qr_approve(&phone.access_token, &qr.id, qr.match_number, Some(id))
        .await
        .unwrap();
    let QrPolled::SignedIn(tokens) = app.client.qr_poll(&qr.id, &qr.poll_token, 0).await.unwrap()
    else {
        panic!("approved by id")
    };
    assert_eq!(tokens.account.map(|a| a.id), Some(acme.id.clone()));

    // By address, as typed (case and spaces forgiven).
    let qr = app.client.qr_request(&tab_request).await.unwrap();
    app.client
        .qr_approve(&phone.access_token, &qr.id, qr.match_number, Some(" ACME "))
        .await
        .unwrap();
    let QrPolled::SignedIn(tokens) = app.client.qr_poll(&qr.id, &qr.poll_token, 0).await.unwrap()
    else {
        panic!("approved by address")
    };
    assert_eq!(tokens.account.map(|a| a.id), Some(acme.id));
}
