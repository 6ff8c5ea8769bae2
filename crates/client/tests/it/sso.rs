//! The desktop's single sign-on: the system browser (a stand-in filling in a real OpenID
//! provider's pages) comes back to the desktop's loopback listener, which exchanges the code.

use crate::support::{PASSWORD, anna, server};
use lanyard_client::Client;
use lanyard_client::api::{LoginRequest, SsoConfig};
use lanyard_client::desktop::loopback::{Loopback, LoopbackError};
use lanyard_testkit::oidc::{CLIENT_ID, CLIENT_SECRET, Provider, browse};
use std::time::Duration;
use url::Url;

#[tokio::test(flavor = "multi_thread")]
async fn the_browser_comes_back_to_the_desktop_which_gets_a_session() {
    let dir = tempfile::tempdir().unwrap();
    let url = server(dir.path()).await;
    let client = Client::new(url.clone()).unwrap();
    anna(&client, &dir.path().join("outbox")).await;
    let provider = Provider::start(
        url.join("api/v1/sso/callback").unwrap().as_str(),
        &[
            ("anna", "anna@example.com", true),
            ("eve", "eve@example.com", true),
        ],
    );
    let login = LoginRequest {
        login: "anna@example.com".into(),
        password: PASSWORD.into(),
        account: None,
        device_name: None,
    };
    let admin = client.login(&login).await.unwrap();
    let config = SsoConfig {
        issuer: provider.issuer.clone(),
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
    };
    client
        .configure_sso(&admin.access_token, "acme", &config)
        .await
        .unwrap();

    let loopback = Loopback::bind().await.unwrap();
    let back = browse(
        loopback.sso_url(&client, "acme").unwrap(),
        "anna",
        &Url::parse(&loopback.redirect_uri).unwrap(),
    )
    .await;
    // The browser's last step: it opens the loopback address, where the desktop listens.
    let page = reqwest::get(back).await.unwrap().text().await.unwrap();
    assert!(page.contains("close this window"));
    let tokens = loopback
        .finish(&client, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(tokens.account.unwrap().address, "acme");

    // A stranger at the provider comes back refused, with the reason.
    let loopback = Loopback::bind().await.unwrap();
    let back = browse(
        loopback.sso_url(&client, "acme").unwrap(),
        "eve",
        &Url::parse(&loopback.redirect_uri).unwrap(),
    )
    .await;
    reqwest::get(back).await.unwrap();
    match loopback.finish(&client, Duration::from_secs(10)).await {
        Err(LoopbackError::Refused { code, description }) => {
            assert_eq!(code, "no_access");
            assert!(description.contains("acme"), "{description}");
        }
        other => panic!("refused, not {other:?}"),
    }
}
