//! Password recovery: no enumeration, a single-use link valid one hour, every session ended.

use crate::harness::{PASSWORD, TestApp, assert_refused};
use chrono::Duration;
use lanyard_core::Code;

const NEW_PASSWORD: &str = "a brand new passphrase";

#[tokio::test]
async fn the_answer_is_the_same_for_known_and_unknown_emails() {
    let app = TestApp::spawn().await;
    app.register_verified("anna@example.com").await;
    let known = app
        .client
        .password_recovery("anna@example.com")
        .await
        .unwrap();
    let unknown = app
        .client
        .password_recovery("nobody@example.com")
        .await
        .unwrap();
    assert_eq!(known.message, unknown.message);
    let mail = app.mail_to("anna@example.com").await;
    assert_eq!(mail.link().path(), "/reset-password");
    assert!(!app.has_mail_to("nobody@example.com"));
}

#[tokio::test]
async fn a_reset_signs_out_everywhere_and_the_link_works_once() {
    let app = TestApp::spawn().await;
    let session = app.signed_in("anna@example.com").await;
    app.client
        .password_recovery("anna@example.com")
        .await
        .unwrap();
    let token = app.mail_to("anna@example.com").await.token();

    assert_refused(
        app.client.password_reset(&token, "password").await,
        422,
        "weak_password",
    );
    app.client
        .password_reset(&token, NEW_PASSWORD)
        .await
        .unwrap();
    assert_refused(
        app.client
            .password_reset(&token, "yet another passphrase")
            .await,
        400,
        "invalid_token",
    );

    assert_refused(
        app.client.me(&session.access_token).await,
        401,
        "unauthorized",
    );
    assert_refused(
        app.client.refresh(&session.refresh_token).await,
        401,
        "invalid_token",
    );
    assert_refused(
        app.login("anna@example.com", PASSWORD).await,
        401,
        "invalid_credentials",
    );
    app.login("anna@example.com", NEW_PASSWORD).await.unwrap();
}

#[tokio::test]
async fn a_reset_link_expires_after_an_hour() {
    let app = TestApp::spawn().await;
    app.register_verified("anna@example.com").await;
    app.client
        .password_recovery("anna@example.com")
        .await
        .unwrap();
    let late = app.mail_to("anna@example.com").await.token();
    app.advance(Duration::minutes(61));
    assert_refused(
        app.client.password_reset(&late, NEW_PASSWORD).await,
        400,
        "invalid_token",
    );

    app.client
        .password_recovery("anna@example.com")
        .await
        .unwrap();
    let fresh = app.mail_to("anna@example.com").await.token();
    app.advance(Duration::minutes(59));
    app.client
        .password_reset(&fresh, NEW_PASSWORD)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_reset_also_proves_an_unverified_email() {
    let app = TestApp::spawn().await;
    app.register("anna@example.com", PASSWORD).await.unwrap();
    let _verification = app.mail_to("anna@example.com").await;
    app.client
        .password_recovery("anna@example.com")
        .await
        .unwrap();
    let token = app.mail_to("anna@example.com").await.token();
    app.client
        .password_reset(&token, NEW_PASSWORD)
        .await
        .unwrap();
    app.login("anna@example.com", NEW_PASSWORD).await.unwrap();
}

#[tokio::test]
async fn recovery_requests_are_rate_limited_per_email() {
    let app = TestApp::spawn().await;
    for _ in 0..3 {
        app.client
            .password_recovery("anna@example.com")
            .await
            .unwrap();
    }
    let refused = app
        .client
        .password_recovery("anna@example.com")
        .await
        .unwrap_err();
    assert_eq!(
        (refused.status(), refused.code()),
        (Some(429), Some(Code::RateLimited))
    );
    app.client
        .password_recovery("ben@example.com")
        .await
        .unwrap();
}
