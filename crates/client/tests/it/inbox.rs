//! The local inbox reads what a real embedded server wrote to its outbox.

use lanyard_client::Client;
use lanyard_client::api::RegisterRequest;
use lanyard_client::desktop::inbox::{self, Kind};

#[tokio::test(flavor = "multi_thread")]
async fn mail_and_sms_from_the_outbox_with_their_links() {
    let dir = tempfile::tempdir().unwrap();
    let outbox = dir.path().join("outbox");
    assert!(
        inbox::list(&outbox).unwrap().is_empty(),
        "no folder yet: an empty inbox"
    );
    let server = crate::support::server(dir.path()).await;
    let client = Client::new(server.url.clone()).unwrap();

    let register = RegisterRequest {
        email: Some("anna@example.com".into()),
        phone: Some("+49 170 1234567".into()),
        password: "correct horse battery staple".into(),
        first_name: None,
        last_name: None,
    };
    client.register(&register).await.unwrap();
    // Sent after the answer: wait for both before reading the inbox.
    server.outbox.next_to("anna@example.com").await;
    server.outbox.next_to("+491701234567").await;
    std::fs::write(outbox.join("notes.txt"), "not a message").unwrap();

    let messages = inbox::list(&outbox).unwrap();
    assert_eq!(messages.len(), 2, "{messages:?}");
    let mail = messages.iter().find(|m| m.kind == Kind::Email).unwrap();
    assert_eq!(
        (mail.to.as_str(), mail.subject.as_str()),
        ("anna@example.com", "Confirm your email for Lanyard")
    );
    assert_eq!(mail.links.len(), 1);
    // Opening the link's token verifies the email, as the inbox's button will.
    let link = url::Url::parse(&mail.links[0]).unwrap();
    let token = link
        .query_pairs()
        .find(|(k, _)| k == "token")
        .unwrap()
        .1
        .into_owned();
    client.verify_email(&token).await.unwrap();

    let sms = messages.iter().find(|m| m.kind == Kind::Sms).unwrap();
    assert_eq!(sms.to, "+491701234567");
    let code: String = sms
        .text
        .chars()
        .filter(char::is_ascii_digit)
        .take(6)
        .collect();
    client.verify_phone(&sms.to, &code).await.unwrap();
}
