//! The attacks on a profile's own ways in (issue 9: 3, 5, 6, 7, and sessions that never end),
//! each written as Mallory's steps.

use crate::harness::{PASSWORD, TestApp, assert_refused};
use chrono::Duration;
use lanyard_client::api::RegisterRequest;
use serde_json::json;

/// Attack 3. Mallory registers Anna's email with her own phone, proves only the phone, and
/// waits for Anna.
#[tokio::test]
async fn an_unverified_email_or_phone_reserves_nothing_for_a_squatter() {
    let app = TestApp::spawn().await;
    let squat = RegisterRequest {
        email: Some("anna@example.com".into()),
        phone: Some("+15550000001".into()),
        password: "mallory's own password".into(),
        first_name: None,
        last_name: None,
    };
    app.client.register(&squat).await.unwrap();
    let code = app.sms_code_to("+15550000001").await;
    app.client
        .verify_phone("+15550000001", &code)
        .await
        .unwrap();
    // Mallory also claims a number that is not hers.
    let squat_phone = RegisterRequest {
        email: None,
        phone: Some("+15550000002".into()),
        password: "mallory's own password".into(),
        first_name: None,
        last_name: None,
    };
    app.client.register(&squat_phone).await.unwrap();

    // Anna registers her own email and her own number: neither is taken, and her proofs win.
    let anna_id = app.register("anna@example.com", PASSWORD).await.unwrap();
    let mut links: Vec<String> = Vec::new();
    for _ in 0..2 {
        links.push(app.mail_to("anna@example.com").await.token());
    }
    // The squatter's link (first mail) and Anna's (second) both reached Anna's mailbox; she
    // follows her own.
    let anna_link = links.last().unwrap().clone();
    app.client.verify_email(&anna_link).await.unwrap();
    let anna = app.login("anna@example.com", PASSWORD).await.unwrap();
    assert_eq!(anna.profile_id, anna_id);
    assert_refused(
        app.login("anna@example.com", "mallory's own password")
            .await,
        401,
        "invalid_credentials",
    );
    // The squatter's own link now proves nothing.
    assert_refused(app.client.verify_email(&links[0]).await, 409, "email_taken");

    let anna_phone = RegisterRequest {
        email: Some("anna.phone@example.com".into()),
        phone: Some("+15550000002".into()),
        password: PASSWORD.into(),
        first_name: None,
        last_name: None,
    };
    app.client.register(&anna_phone).await.unwrap();
    // The squatter's code came first; Anna's is the second text to her number.
    let _squatters = app.sms_code_to("+15550000002").await;
    let code = app.sms_code_to("+15550000002").await;
    app.client
        .verify_phone("+15550000002", &code)
        .await
        .unwrap();
    let by_phone = app.login("+15550000002", PASSWORD).await.unwrap();
    assert_ne!(by_phone.profile_id, anna_id);
    assert_refused(
        app.login("+15550000002", "mallory's own password").await,
        401,
        "invalid_credentials",
    );
}

/// Attack 3, the recovery half: the squatter's profile still holds Anna's unproved email when
/// Anna recovers "her" password through it. The squatter's phone must not survive.
#[tokio::test]
async fn recovery_through_a_squatted_email_removes_the_squatters_ways_in() {
    let app = TestApp::spawn().await;
    let squat = RegisterRequest {
        email: Some("anna@example.com".into()),
        phone: Some("+15550000003".into()),
        password: "mallory's own password".into(),
        first_name: None,
        last_name: None,
    };
    app.client.register(&squat).await.unwrap();
    let code = app.sms_code_to("+15550000003").await;
    app.client
        .verify_phone("+15550000003", &code)
        .await
        .unwrap();
    let _unread_verification = app.mail_to("anna@example.com").await;
    app.client
        .password_recovery("anna@example.com")
        .await
        .unwrap();
    let reset = app.mail_to("anna@example.com").await.token();
    app.client
        .password_reset(&reset, "anna's brand new password")
        .await
        .unwrap();
    app.login("anna@example.com", "anna's brand new password")
        .await
        .unwrap();
    assert_refused(
        app.login("+15550000003", "anna's brand new password").await,
        401,
        "invalid_credentials",
    );
    assert_refused(
        app.login("+15550000003", "mallory's own password").await,
        401,
        "invalid_credentials",
    );
}

/// Attack 5. Mallory, who phished Anna's password, asks to move Anna's login to her own
/// address. Anna notices and resets her password before Mallory follows the link.
#[tokio::test]
async fn a_password_reset_ends_an_intruders_pending_email_change() {
    let app = TestApp::spawn().await;
    app.register_verified("anna@example.com").await;
    let intruder = app.login("anna@example.com", PASSWORD).await.unwrap();
    app.client
        .change_email(&intruder.access_token, "mallory@evil.example", PASSWORD)
        .await
        .unwrap();
    let intruders_link = app.mail_to("mallory@evil.example").await.token();

    app.client
        .password_recovery("anna@example.com")
        .await
        .unwrap();
    let reset = app.mail_to("anna@example.com").await.token();
    app.client
        .password_reset(&reset, "anna's brand new password")
        .await
        .unwrap();
    let notice = app.mail_to("anna@example.com").await;
    assert!(notice.subject.contains("reset"), "{notice:?}");

    assert_refused(
        app.client.confirm_email(&intruders_link).await,
        400,
        "invalid_token",
    );
    assert_refused(
        app.client.me(&intruder.access_token).await,
        401,
        "unauthorized",
    );
    app.login("anna@example.com", "anna's brand new password")
        .await
        .unwrap();
}

/// Attack 6. Mallory floods `password-reset` with made-up tokens and strong new passwords, to
/// fill the hashing queue and lock everyone out of signing in.
#[tokio::test]
async fn bogus_password_resets_cost_no_hashing_and_are_rate_limited() {
    let app = TestApp::spawn_with(|config| config.hash_threads = Some(1)).await;
    app.register_verified("anna@example.com").await;
    let http = reqwest::Client::new();
    let url = app.url.join("api/v1/auth/password-reset").unwrap();
    let mut burst = tokio::task::JoinSet::new();
    for i in 0..60 {
        let body =
            json!({"token": format!("made-up-{i}"), "new_password": "a strong new password 1"});
        burst.spawn(http.post(url.clone()).json(&body).send());
    }
    let mut statuses = Vec::new();
    while let Some(answer) = burst.join_next().await {
        statuses.push(answer.unwrap().unwrap().status().as_u16());
    }
    assert!(
        statuses.iter().all(|s| *s == 400 || *s == 429),
        "only invalid_token or rate_limited: {statuses:?}"
    );
    assert!(
        statuses.contains(&429),
        "the burst is rate-limited: {statuses:?}"
    );
    // Anna signs in at once, from another client as from the same.
    app.login("anna@example.com", PASSWORD).await.unwrap();
}

/// Attack 7. Mallory sends a wrong password for Anna's login every few seconds, from her own
/// machine, to keep Anna locked out.
#[tokio::test]
async fn wrong_passwords_from_elsewhere_do_not_lock_the_owner_out() {
    let app = TestApp::spawn_with(|config| config.trusted_proxies = 1).await;
    app.register_verified("anna@example.com").await;
    let http = reqwest::Client::new();
    let url = app.url.join("api/v1/auth/login").unwrap();
    let sign_in = |from: String, password: &'static str| {
        http.post(url.clone())
            .header("x-forwarded-for", from)
            .json(&json!({"login": "anna@example.com", "password": password}))
            .send()
    };
    let mut mallory = Vec::new();
    for _ in 0..12 {
        mallory.push(
            sign_in("203.0.113.66".into(), "guess")
                .await
                .unwrap()
                .status()
                .as_u16(),
        );
    }
    assert_eq!(&mallory[..10], &[401; 10], "{mallory:?}");
    assert_eq!(&mallory[10..], &[429, 429], "{mallory:?}");
    // Anna, from her own machine, signs in (and right answers never count).
    for _ in 0..12 {
        let answer = sign_in("198.51.100.7".into(), PASSWORD).await.unwrap();
        assert_eq!(answer.status(), 200);
    }
    // Mallory hopping through her IPv6 /64 is one client.
    let mut hops = Vec::new();
    for host in 1..=11 {
        let from = format!("2001:db8:aa:bb::{host:x}");
        hops.push(sign_in(from, "guess").await.unwrap().status().as_u16());
    }
    assert_eq!(hops.last(), Some(&429), "{hops:?}");
    // A forged entry left of the proxy's is the client's own word and changes nothing.
    let forged = sign_in("198.51.100.7, 203.0.113.66".into(), "guess")
        .await
        .unwrap();
    assert_eq!(forged.status(), 429);
}

/// Sessions slide with each refresh but end 30 days after sign-in, however busy.
#[tokio::test]
async fn a_stolen_refresh_token_does_not_live_forever() {
    let app = TestApp::spawn().await;
    app.register_verified("anna@example.com").await;
    let mut tokens = app.login("anna@example.com", PASSWORD).await.unwrap();
    for _ in 0..3 {
        app.advance(Duration::days(9));
        tokens = app.client.refresh(&tokens.refresh_token).await.unwrap();
    }
    app.advance(Duration::days(4));
    assert_refused(
        app.client.refresh(&tokens.refresh_token).await,
        401,
        "invalid_token",
    );
}

#[tokio::test]
async fn an_operator_may_shorten_the_absolute_session_lifetime() {
    let app = TestApp::spawn_with(|config| config.session_lifetime_days = 2).await;
    app.register_verified("anna@example.com").await;
    let tokens = app.login("anna@example.com", PASSWORD).await.unwrap();
    app.advance(Duration::hours(47));
    let tokens = app.client.refresh(&tokens.refresh_token).await.unwrap();
    app.advance(Duration::hours(2));
    assert_refused(
        app.client.refresh(&tokens.refresh_token).await,
        401,
        "invalid_token",
    );
}

/// An access token issued minutes before the session's absolute end is refused from that end
/// on, though the token itself is fresh: every request reads its session.
#[tokio::test]
async fn an_access_token_ends_with_its_sessions_absolute_lifetime() {
    let app = TestApp::spawn_with(|config| config.session_lifetime_days = 2).await;
    app.register_verified("anna@example.com").await;
    let tokens = app.login("anna@example.com", PASSWORD).await.unwrap();
    app.advance(Duration::hours(48) - Duration::minutes(10));
    let tokens = app.client.refresh(&tokens.refresh_token).await.unwrap();
    app.client.me(&tokens.access_token).await.unwrap();
    app.client.sessions(&tokens.access_token).await.unwrap();
    app.advance(Duration::minutes(11));
    assert_refused(
        app.client.me(&tokens.access_token).await,
        401,
        "unauthorized",
    );
    assert_refused(
        app.client.sessions(&tokens.access_token).await,
        401,
        "unauthorized",
    );
}

/// Mallory registers Anna's email with her own password and waits for Anna to open the
/// verification link out of habit. Opening it proves nothing: the page asks, and Anna's "it
/// was not me" takes her address off Mallory's profile for good.
#[tokio::test]
async fn a_squatters_verification_link_opened_by_the_owner_hands_her_address_to_nobody() {
    let app = TestApp::spawn().await;
    app.register("anna@example.com", "mallory's own password")
        .await
        .unwrap();
    let link = app.mail_to("anna@example.com").await;

    // The page confirms only on an explicit choice; it does not post the token on opening.
    let page = reqwest::get(link.link())
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("No, it was not me"),
        "the page offers to decline"
    );
    assert!(
        !page.contains("post(\"/api/v1/auth/verify-email\",{token})"),
        "opening the page must not confirm"
    );

    let http = reqwest::Client::new();
    let decline = http
        .post(app.url.join("api/v1/auth/verify-email").unwrap())
        .json(&json!({ "token": link.token(), "decline": true }))
        .send()
        .await
        .unwrap();
    assert_eq!(decline.status(), 200);
    // The link is spent either way: Mallory cannot use it after Anna declined.
    assert_refused(
        app.client.verify_email(&link.token()).await,
        400,
        "invalid_token",
    );
    assert_refused(
        app.login("anna@example.com", "mallory's own password")
            .await,
        401,
        "invalid_credentials",
    );

    // Anna's own registration works as if Mallory never came.
    let anna_id = app.register("anna@example.com", PASSWORD).await.unwrap();
    let own = app.mail_to("anna@example.com").await.token();
    app.client.verify_email(&own).await.unwrap();
    assert_eq!(
        app.login("anna@example.com", PASSWORD)
            .await
            .unwrap()
            .profile_id,
        anna_id
    );
}
