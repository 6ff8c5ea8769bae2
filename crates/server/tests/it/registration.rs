//! Registration by email or phone, verification, and what counts as a login.

use crate::harness::{PASSWORD, TestApp, assert_refused};
use lanyard_client::api::RegisterRequest;
use lanyard_core::Code;

fn by_phone(phone: &str) -> RegisterRequest {
    RegisterRequest {
        email: None,
        phone: Some(phone.into()),
        password: PASSWORD.into(),
        first_name: None,
        last_name: None,
    }
}

#[tokio::test]
async fn an_email_is_a_login_only_once_its_link_is_followed() {
    let app = TestApp::spawn().await;
    app.register("anna@example.com", PASSWORD).await.unwrap();
    let first = app.mail_to("anna@example.com").await;
    assert!(
        first.subject.contains("Confirm your email"),
        "{}",
        first.subject
    );
    assert_eq!(first.link().path(), "/verify-email");
    assert!(
        first.link().as_str().starts_with(app.url.as_str()),
        "links are absolute under the public URL"
    );

    // Right password, unproved email: refused, and a fresh link is on its way.
    assert_refused(
        app.login("anna@example.com", PASSWORD).await,
        403,
        "unverified",
    );
    let second = app.mail_to("anna@example.com").await;
    assert_ne!(first.token(), second.token());

    app.client.verify_email(&first.token()).await.unwrap();
    let tokens = app.login("ANNA@example.com", PASSWORD).await.unwrap();
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.expires_in, 900);
    let me = app.client.me(&tokens.access_token).await.unwrap();
    assert_eq!(me.email.as_deref(), Some("anna@example.com"));
    assert_eq!(
        (me.first_name.as_str(), me.last_name.as_str()),
        ("Anna", "Berg")
    );
    assert!(me.has_password);
}

#[tokio::test]
async fn a_verification_link_works_once() {
    let app = TestApp::spawn().await;
    app.register("ben@example.com", PASSWORD).await.unwrap();
    let token = app.mail_to("ben@example.com").await.token();
    app.client.verify_email(&token).await.unwrap();
    assert_refused(app.client.verify_email(&token).await, 400, "invalid_token");
    assert_refused(
        app.client.verify_email("made-up-token").await,
        400,
        "invalid_token",
    );
}

#[tokio::test]
async fn one_email_is_one_profile_whatever_its_case() {
    let app = TestApp::spawn().await;
    app.register_verified("cleo@example.com").await;
    assert_refused(
        app.register(" Cleo@Example.com ", PASSWORD).await,
        409,
        "email_taken",
    );
}

#[tokio::test]
async fn weak_and_odd_passwords_are_refused() {
    let app = TestApp::spawn().await;
    for weak in ["password1", "Iloveyou", "short7!", &"x".repeat(129)] {
        assert_refused(
            app.register("dan@example.com", weak).await,
            422,
            "weak_password",
        );
    }
    assert_refused(
        app.register("not-an-email", PASSWORD).await,
        422,
        "invalid_input",
    );
    let nothing = RegisterRequest {
        phone: None,
        ..by_phone("")
    };
    assert_refused(app.client.register(&nothing).await, 422, "invalid_input");
}

#[tokio::test]
async fn a_phone_is_proved_by_a_six_digit_code() {
    let app = TestApp::spawn().await;
    app.client
        .register(&by_phone("+49 170 1234567"))
        .await
        .unwrap();
    let code = app.sms_code_to("+491701234567").await;
    assert_refused(
        app.login("+491701234567", PASSWORD).await,
        403,
        "unverified",
    );
    let resent = app.sms_code_to("+491701234567").await;

    let wrong = if code == "000000" { "000001" } else { "000000" };
    assert_refused(
        app.client.verify_phone("+491701234567", wrong).await,
        400,
        "invalid_token",
    );
    app.client
        .verify_phone("+49 170 123 45 67", &resent)
        .await
        .unwrap();
    assert_refused(
        app.client.verify_phone("+491701234567", &resent).await,
        400,
        "invalid_token",
    );
    app.login("+49-170-1234567", PASSWORD).await.unwrap();
    assert_refused(
        app.client.register(&by_phone("+491701234567")).await,
        409,
        "phone_taken",
    );
}

#[tokio::test]
async fn five_wrong_codes_kill_the_code() {
    let app = TestApp::spawn().await;
    app.client
        .register(&by_phone("+4915112345678"))
        .await
        .unwrap();
    let code = app.sms_code_to("+4915112345678").await;
    let wrong = if code == "123456" { "654321" } else { "123456" };
    for _ in 0..5 {
        assert_refused(
            app.client.verify_phone("+4915112345678", wrong).await,
            400,
            "invalid_token",
        );
    }
    // A sixth guess would be right, but the code is dead (or the number is rate-limited).
    let late = app.client.verify_phone("+4915112345678", &code).await;
    assert!(
        matches!(
            late.as_ref().map_err(|e| e.code()),
            Err(Some(Code::InvalidToken | Code::RateLimited))
        ),
        "{late:?}"
    );
}

#[tokio::test]
async fn registrations_from_one_ip_are_rate_limited() {
    let app = TestApp::spawn().await;
    for n in 0..10 {
        app.register(&format!("user{n}@example.com"), PASSWORD)
            .await
            .unwrap();
    }
    let refused = app
        .register("user10@example.com", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some(Code::RateLimited));
    let lanyard_client::ApiError::Problem {
        retry_after,
        problem,
    } = refused
    else {
        unreachable!()
    };
    assert_eq!(problem.status, 429);
    assert!(
        retry_after.is_some_and(|s| s >= 1),
        "429 carries Retry-After"
    );
}

/// Registers `n` new emails with `X-Forwarded-For: forwarded`; the last answer's status.
async fn register_from(app: &TestApp, forwarded: &str, first: usize, n: usize) -> u16 {
    let http = reqwest::Client::new();
    let mut status = 0;
    for i in first..first + n {
        let body = serde_json::json!({"email": format!("p{i}@example.com"), "password": PASSWORD});
        let response = http
            .post(app.url.join("api/v1/auth/register").unwrap())
            .header("x-forwarded-for", forwarded)
            .json(&body)
            .send()
            .await
            .unwrap();
        status = response.status().as_u16();
    }
    status
}

#[tokio::test]
async fn behind_a_trusted_balancer_each_client_has_its_own_limit() {
    let app = TestApp::spawn_with(|config| config.trust_forwarded_for = true).await;
    assert_eq!(
        register_from(&app, "127.0.0.9, 127.0.0.2", 0, 10).await,
        201
    );
    assert_eq!(
        register_from(&app, "127.0.0.2", 10, 1).await,
        429,
        "the balancer's last entry is the client"
    );
    assert_eq!(
        register_from(&app, "127.0.0.2, 127.0.0.3", 11, 1).await,
        201,
        "another client is not limited"
    );
}

#[tokio::test]
async fn without_trust_the_forwarded_header_cannot_dodge_the_limit() {
    let app = TestApp::spawn().await;
    assert_eq!(register_from(&app, "127.0.0.2", 0, 10).await, 201);
    assert_eq!(register_from(&app, "127.0.0.3", 10, 1).await, 429);
}
