//! The profile page: names and photo, password, login email, deletion.

use crate::harness::{PASSWORD, TestApp, assert_refused};
use lanyard_client::api::UpdateProfileRequest;
use lanyard_core::Code;

#[tokio::test]
async fn names_and_photo_are_edited() {
    let app = TestApp::spawn().await;
    let tokens = app.signed_in("anna@example.com").await;
    let update = UpdateProfileRequest {
        first_name: Some("  Anna-Lena ".into()),
        photo_url: Some("https://example.com/anna.png".into()),
        ..Default::default()
    };
    let profile = app
        .client
        .update_me(&tokens.access_token, &update)
        .await
        .unwrap();
    assert_eq!(profile.first_name, "Anna-Lena");
    assert_eq!(
        profile.last_name, "Berg",
        "fields left out stay as they were"
    );
    assert_eq!(
        profile.photo_url.as_deref(),
        Some("https://example.com/anna.png")
    );
    assert_eq!(app.client.me(&tokens.access_token).await.unwrap(), profile);

    let clear = UpdateProfileRequest {
        photo_url: Some(String::new()),
        ..Default::default()
    };
    assert_eq!(
        app.client
            .update_me(&tokens.access_token, &clear)
            .await
            .unwrap()
            .photo_url,
        None
    );

    for bad in [
        UpdateProfileRequest {
            first_name: Some("x".repeat(101)),
            ..Default::default()
        },
        UpdateProfileRequest {
            photo_url: Some("javascript:alert(1)".into()),
            ..Default::default()
        },
    ] {
        assert_refused(
            app.client.update_me(&tokens.access_token, &bad).await,
            422,
            "invalid_input",
        );
    }
}

#[tokio::test]
async fn changing_the_password_signs_out_every_other_session() {
    let app = TestApp::spawn().await;
    let here = app.signed_in("anna@example.com").await;
    let elsewhere = app.login("anna@example.com", PASSWORD).await.unwrap();
    let new = "another fine passphrase";

    assert_refused(
        app.client
            .change_password(&here.access_token, "wrong one!", new)
            .await,
        403,
        "invalid_credentials",
    );
    assert_refused(
        app.client
            .change_password(&here.access_token, PASSWORD, "qwertyuiop")
            .await,
        422,
        "weak_password",
    );
    app.client
        .change_password(&here.access_token, PASSWORD, new)
        .await
        .unwrap();

    app.client.me(&here.access_token).await.unwrap();
    app.client.refresh(&here.refresh_token).await.unwrap();
    assert_refused(
        app.client.me(&elsewhere.access_token).await,
        401,
        "unauthorized",
    );
    assert_refused(
        app.client.refresh(&elsewhere.refresh_token).await,
        401,
        "invalid_token",
    );
    assert_refused(
        app.login("anna@example.com", PASSWORD).await,
        401,
        "invalid_credentials",
    );
    app.login("anna@example.com", new).await.unwrap();

    // The login is told, with the device that did it, and how to undo it.
    let notice = app.mail_to("anna@example.com").await;
    assert!(notice.subject.contains("password"), "{}", notice.subject);
    assert!(notice.body.contains("changed"), "{}", notice.body);
    assert!(
        notice.body.contains("reset"),
        "how to undo it: {}",
        notice.body
    );
}

#[tokio::test]
async fn the_login_email_changes_only_when_the_new_address_confirms() {
    let app = TestApp::spawn().await;
    let tokens = app.signed_in("anna@example.com").await;
    app.register_verified("taken@example.com").await;

    let refused = app
        .client
        .change_email(&tokens.access_token, "anna@new.example", "wrong!!!")
        .await;
    assert_refused(refused, 403, "invalid_credentials");
    let taken = app
        .client
        .change_email(&tokens.access_token, "Taken@example.com", PASSWORD)
        .await
        .unwrap_err();
    assert_eq!(taken.code(), Some(Code::EmailTaken));
    let lanyard_client::ApiError::Problem { problem, .. } = taken else {
        unreachable!()
    };
    assert_eq!(problem.detail, "A user with that email already exists.");

    app.client
        .change_email(&tokens.access_token, "anna@new.example", PASSWORD)
        .await
        .unwrap();
    let token = app.mail_to("anna@new.example").await.token();
    // Not yet: the old login still works, the new one does not.
    app.login("anna@example.com", PASSWORD).await.unwrap();
    assert_refused(
        app.login("anna@new.example", PASSWORD).await,
        401,
        "invalid_credentials",
    );

    let profile = app.client.confirm_email(&token).await.unwrap();
    assert_eq!(profile.email.as_deref(), Some("anna@new.example"));
    app.login("anna@new.example", PASSWORD).await.unwrap();
    assert_refused(
        app.login("anna@example.com", PASSWORD).await,
        401,
        "invalid_credentials",
    );
    let notice = app.mail_to("anna@example.com").await;
    assert!(
        notice.subject.contains("login has changed"),
        "{}",
        notice.subject
    );
    assert_refused(app.client.confirm_email(&token).await, 400, "invalid_token");
}

#[tokio::test]
async fn a_confirmation_for_an_address_taken_meanwhile_is_email_taken() {
    let app = TestApp::spawn().await;
    let tokens = app.signed_in("anna@example.com").await;
    app.client
        .change_email(&tokens.access_token, "shared@example.com", PASSWORD)
        .await
        .unwrap();
    let token = app.mail_to("shared@example.com").await.token();
    app.register_verified("shared@example.com").await;
    assert_refused(app.client.confirm_email(&token).await, 409, "email_taken");
    assert_eq!(
        app.client
            .me(&tokens.access_token)
            .await
            .unwrap()
            .email
            .as_deref(),
        Some("anna@example.com")
    );
}

#[tokio::test]
async fn deleting_the_profile_needs_its_password_and_ends_everything() {
    let app = TestApp::spawn().await;
    let tokens = app.signed_in("anna@example.com").await;
    assert_refused(
        app.client.delete_me(&tokens.access_token, None).await,
        403,
        "invalid_credentials",
    );
    assert_refused(
        app.client
            .delete_me(&tokens.access_token, Some("wrong!!!"))
            .await,
        403,
        "invalid_credentials",
    );
    app.client
        .delete_me(&tokens.access_token, Some(PASSWORD))
        .await
        .unwrap();
    assert_refused(
        app.client.me(&tokens.access_token).await,
        401,
        "unauthorized",
    );
    assert_refused(
        app.login("anna@example.com", PASSWORD).await,
        401,
        "invalid_credentials",
    );
    // The address is free again.
    app.register_verified("anna@example.com").await;
}
