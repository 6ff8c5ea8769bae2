//! The desktop's QR sign-in against a real server, approved by a second client (the phone).

use crate::support::{PASSWORD, anna, server};
use lanyard_client::Client;
use lanyard_client::api::LoginRequest;
use lanyard_client::desktop::qr::Outcome;

#[tokio::test(flavor = "multi_thread")]
async fn a_phone_approves_the_code_the_desktop_shows() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let url = server.url.clone();
    let phone = Client::new(url.clone()).unwrap();
    anna(&phone, &server.outbox).await;
    let login = LoginRequest {
        login: "anna@example.com".into(),
        password: PASSWORD.into(),
        account: None,
        device_name: Some("Phone".into()),
    };
    let phone_session = phone.login(&login).await.unwrap();
    let desktop = Client::new(url).unwrap();

    let shown = desktop
        .qr_show("Anna's desktop", Some("Linux"))
        .await
        .unwrap();
    assert!(
        shown.svg.contains("<svg") && shown.svg.contains("<path"),
        "a drawn QR code"
    );
    assert!((10..=99).contains(&shown.match_number));
    assert!(matches!(
        desktop.qr_wait(&shown, 0).await.unwrap(),
        Outcome::Pending
    ));

    let asked = phone
        .qr_details(&phone_session.access_token, &shown.id)
        .await
        .unwrap();
    assert_eq!(asked.device_name, "Lanyard desktop", "what the server saw");
    phone
        .qr_approve(
            &phone_session.access_token,
            &shown.id,
            shown.match_number,
            Some("acme"),
        )
        .await
        .unwrap();
    let Outcome::SignedIn(tokens) = desktop.qr_wait(&shown, 10).await.unwrap() else {
        panic!("signed in")
    };
    assert_eq!(tokens.account.unwrap().address, "acme");

    // Denied on the phone: the desktop learns why and shows a new code.
    let next = desktop.qr_show("Anna's desktop", None).await.unwrap();
    phone
        .qr_deny(&phone_session.access_token, &next.id)
        .await
        .unwrap();
    let Outcome::Ended(why) = desktop.qr_wait(&next, 10).await.unwrap() else {
        panic!("ended")
    };
    assert!(why.contains("denied"), "{why}");
}
