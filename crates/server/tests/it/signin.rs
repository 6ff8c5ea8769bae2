//! Sign-in, refresh-token rotation and reuse, sign-out, and the list of sessions.

use crate::harness::{PASSWORD, TestApp, assert_refused};
use chrono::Duration;
use lanyard_client::api::LoginRequest;
use lanyard_core::Code;
use secrecy::ExposeSecret;

#[tokio::test]
async fn a_wrong_password_and_an_unknown_login_look_the_same() {
    let app = TestApp::spawn().await;
    app.register_verified("anna@example.com").await;
    let wrong = app
        .login("anna@example.com", "not the password")
        .await
        .unwrap_err();
    let unknown = app
        .login("nobody@example.com", "not the password")
        .await
        .unwrap_err();
    let (
        lanyard_client::ApiError::Problem { problem: a, .. },
        lanyard_client::ApiError::Problem { problem: b, .. },
    ) = (wrong, unknown)
    else {
        panic!("both are problem documents")
    };
    assert_eq!((a.status, a.code.as_str()), (401, "invalid_credentials"));
    assert_eq!(
        (a.status, &a.code, &a.title, &a.detail),
        (b.status, &b.code, &b.title, &b.detail)
    );
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let app = TestApp::spawn().await;
    let first = app.signed_in("anna@example.com").await;
    let second = app.client.refresh(&first.refresh_token).await.unwrap();
    assert_ne!(
        first.refresh_token.expose_secret(),
        second.refresh_token.expose_secret()
    );
    app.client.me(&second.access_token).await.unwrap();

    // The rotated token comes back: a thief or a replay. The whole family dies.
    assert_refused(
        app.client.refresh(&first.refresh_token).await,
        401,
        "invalid_token",
    );
    assert_refused(
        app.client.refresh(&second.refresh_token).await,
        401,
        "invalid_token",
    );
    assert_refused(
        app.client.me(&second.access_token).await,
        401,
        "unauthorized",
    );

    // Other sessions of the profile are untouched.
    let other = app.login("anna@example.com", PASSWORD).await.unwrap();
    app.client.refresh(&other.refresh_token).await.unwrap();
}

#[tokio::test]
async fn two_refreshes_racing_with_one_token_cannot_both_win() {
    let app = TestApp::spawn().await;
    let tokens = app.signed_in("anna@example.com").await;
    let (a, b) = tokio::join!(
        app.client.refresh(&tokens.refresh_token),
        app.client.refresh(&tokens.refresh_token)
    );
    assert!(a.is_err() || b.is_err(), "a refresh token is spent once");
    for won in [a, b].into_iter().flatten() {
        // The loser's attempt counts as reuse, so even the winner's family is revoked.
        let again = app.client.refresh(&won.refresh_token).await;
        assert_refused(again, 401, "invalid_token");
    }
}

#[tokio::test]
async fn access_tokens_live_fifteen_minutes_and_sessions_fourteen_idle_days() {
    let app = TestApp::spawn().await;
    let tokens = app.signed_in("anna@example.com").await;
    app.advance(Duration::minutes(14));
    app.client.me(&tokens.access_token).await.unwrap();
    app.advance(Duration::minutes(2));
    assert_refused(
        app.client.me(&tokens.access_token).await,
        401,
        "unauthorized",
    );
    let renewed = app.client.refresh(&tokens.refresh_token).await.unwrap();
    app.client.me(&renewed.access_token).await.unwrap();

    app.advance(Duration::days(13));
    let renewed = app.client.refresh(&renewed.refresh_token).await.unwrap();
    app.advance(Duration::days(15));
    assert_refused(
        app.client.refresh(&renewed.refresh_token).await,
        401,
        "invalid_token",
    );
}

#[tokio::test]
async fn logout_ends_the_session_at_once() {
    let app = TestApp::spawn().await;
    let tokens = app.signed_in("anna@example.com").await;
    app.client.logout(&tokens.refresh_token).await.unwrap();
    assert_refused(
        app.client.refresh(&tokens.refresh_token).await,
        401,
        "invalid_token",
    );
    assert_refused(
        app.client.me(&tokens.access_token).await,
        401,
        "unauthorized",
    );
    // Signing out twice, or with a made-up token, is no error.
    app.client.logout(&tokens.refresh_token).await.unwrap();
    app.client.logout(&"made-up".into()).await.unwrap();
}

#[tokio::test]
async fn sessions_are_listed_and_revoked_one_by_one() {
    let app = TestApp::spawn().await;
    app.register_verified("anna@example.com").await;
    let laptop = app
        .login_from("anna@example.com", PASSWORD, "Laptop")
        .await
        .unwrap();
    let phone = app
        .login_from("anna@example.com", PASSWORD, "Phone")
        .await
        .unwrap();

    let sessions = app.client.sessions(&laptop.access_token).await.unwrap();
    assert_eq!(sessions.len(), 2);
    let current: Vec<_> = sessions
        .iter()
        .filter(|s| s.current)
        .map(|s| s.device_name.as_str())
        .collect();
    assert_eq!(current, ["Laptop"]);
    let phone_session = sessions.iter().find(|s| s.device_name == "Phone").unwrap();
    assert!(phone_session.last_used_at >= phone_session.created_at);

    app.client
        .revoke_session(&laptop.access_token, &phone_session.id)
        .await
        .unwrap();
    assert_refused(
        app.client.refresh(&phone.refresh_token).await,
        401,
        "invalid_token",
    );
    assert_refused(
        app.client.me(&phone.access_token).await,
        401,
        "unauthorized",
    );
    assert_eq!(
        app.client
            .sessions(&laptop.access_token)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_refused(
        app.client
            .revoke_session(&laptop.access_token, &phone_session.id)
            .await,
        404,
        "not_found",
    );

    // Nobody revokes another profile's session.
    let ben = app.signed_in("ben@example.com").await;
    let laptop_id = app.client.sessions(&laptop.access_token).await.unwrap()[0]
        .id
        .clone();
    assert_refused(
        app.client
            .revoke_session(&ben.access_token, &laptop_id)
            .await,
        404,
        "not_found",
    );
    app.client.me(&laptop.access_token).await.unwrap();
}

#[tokio::test]
async fn guessing_one_login_is_rate_limited() {
    let app = TestApp::spawn().await;
    app.register_verified("anna@example.com").await;
    for _ in 0..10 {
        assert_refused(
            app.login("anna@example.com", "guess guess").await,
            401,
            "invalid_credentials",
        );
    }
    let refused = app.login("anna@example.com", PASSWORD).await.unwrap_err();
    assert_eq!(
        (refused.status(), refused.code()),
        (Some(429), Some(Code::RateLimited))
    );
    let lanyard_client::ApiError::Problem { retry_after, .. } = refused else {
        unreachable!()
    };
    assert!(
        retry_after.is_some_and(|s| (1..=901).contains(&s)),
        "{retry_after:?}"
    );
}

#[tokio::test]
async fn signing_in_to_an_account_one_is_not_in_is_no_access() {
    let app = TestApp::spawn().await;
    app.register_verified("anna@example.com").await;
    let refused = app
        .client
        .login(&LoginRequest {
            login: "anna@example.com".into(),
            password: PASSWORD.into(),
            account: Some("acme".into()),
            device_name: None,
        })
        .await;
    assert_refused(refused, 403, "no_access");
}

#[tokio::test]
async fn a_flood_of_sign_ins_is_bounded_and_other_requests_go_on() {
    let app = TestApp::spawn_with(|config| {
        config.hash_threads = Some(1);
        config.rate_limits = false;
    })
    .await;
    let tokens = app.signed_in("anna@example.com").await;
    let flood: Vec<_> = (0..80)
        .map(|n| {
            let client = app.client.clone();
            tokio::spawn(async move {
                let request = LoginRequest {
                    login: format!("flood{n}@example.com"),
                    password: "not a password".into(),
                    account: None,
                    device_name: None,
                };
                client.login(&request).await.unwrap_err()
            })
        })
        .collect();
    // While hashes queue up, requests that hash nothing are answered.
    app.client.me(&tokens.access_token).await.unwrap();
    let mut overloaded = 0;
    for refused in flood {
        match refused.await.unwrap() {
            lanyard_client::ApiError::Problem {
                problem,
                retry_after,
            } if problem.code == "overloaded" => {
                assert_eq!((problem.status, retry_after), (503, Some(1)));
                overloaded += 1;
            }
            other => assert_eq!(other.code(), Some(Code::InvalidCredentials)),
        }
    }
    // One hashing thread admits at most 32 requests at a time: most of the rest are turned
    // away at once (a few may find room as earlier hashes finish).
    assert!(overloaded >= 30, "{overloaded} of 80 were turned away");
}
