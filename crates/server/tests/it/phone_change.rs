//! Changing the login phone: the password first, a code texted to the new number, and the old
//! number (or email) keeps signing in until the code comes back.

use crate::harness::{PASSWORD, TestApp, assert_refused};
use lanyard_client::api::RegisterRequest;

const OLD: &str = "+491701234567";
const NEW: &str = "+447700900123";

#[tokio::test]
async fn a_new_phone_becomes_the_login_only_when_its_code_comes_back() {
    let app = TestApp::spawn().await;
    // Anna signs in by her phone; she moves to a new number.
    app.client
        .register(&RegisterRequest {
            email: None,
            phone: Some(OLD.into()),
            password: PASSWORD.into(),
            first_name: Some("Anna".into()),
            last_name: None,
        })
        .await
        .unwrap();
    let code = app.sms_code_to(OLD).await;
    app.client.verify_phone(OLD, &code).await.unwrap();
    let here = app.login(OLD, PASSWORD).await.unwrap();
    let elsewhere = app.login(OLD, PASSWORD).await.unwrap();

    // The password is asked; a malformed number is the request's fault.
    let wrong_password = app
        .client
        .change_phone(&here.access_token, NEW, "not the password")
        .await;
    assert_refused(wrong_password, 403, "invalid_credentials");
    let malformed = app
        .client
        .change_phone(&here.access_token, "call me", PASSWORD)
        .await;
    assert_refused(malformed, 422, "invalid_input");
    assert!(!app.has_mail_to(NEW), "nothing texted on a refusal");

    let accepted = app
        .client
        .change_phone(&here.access_token, "+44 7700 900123", PASSWORD)
        .await
        .unwrap();
    assert!(accepted.message.contains("old number still works"));
    let code = app.sms_code_to(NEW).await;
    // Until the code comes back, the old number is the login and the new one is not.
    app.login(OLD, PASSWORD).await.unwrap();
    assert_refused(app.login(NEW, PASSWORD).await, 401, "invalid_credentials");

    // A wrong code, or the right code for another number, changes nothing.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let refused = app
        .client
        .confirm_phone(&here.access_token, NEW, wrong)
        .await;
    assert_refused(refused, 400, "invalid_token");
    app.login(OLD, PASSWORD).await.unwrap();

    let profile = app
        .client
        .confirm_phone(&here.access_token, NEW, &code)
        .await
        .unwrap();
    assert_eq!(profile.phone.as_deref(), Some(NEW));
    app.login(NEW, PASSWORD).await.unwrap();
    assert_refused(app.login(OLD, PASSWORD).await, 401, "invalid_credentials");
    // The session that confirmed goes on; the others end, as after any change of a login.
    app.client.me(&here.access_token).await.unwrap();
    assert_refused(
        app.client.me(&elsewhere.access_token).await,
        401,
        "unauthorized",
    );
    // A code works once.
    let again = app
        .client
        .confirm_phone(&here.access_token, NEW, &code)
        .await;
    assert_refused(again, 400, "invalid_token");
}

#[tokio::test]
async fn another_profiles_proved_phone_is_taken() {
    let app = TestApp::spawn().await;
    app.client
        .register(&RegisterRequest {
            email: None,
            phone: Some(NEW.into()),
            password: PASSWORD.into(),
            first_name: None,
            last_name: None,
        })
        .await
        .unwrap();
    let code = app.sms_code_to(NEW).await;
    app.client.verify_phone(NEW, &code).await.unwrap();
    let anna = app.signed_in("anna@example.com").await;
    let taken = app
        .client
        .change_phone(&anna.access_token, NEW, PASSWORD)
        .await;
    assert_refused(taken, 409, "phone_taken");
}
