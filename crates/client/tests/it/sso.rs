//! The desktop's single sign-on: the system browser (a stand-in filling in a real OpenID
//! provider's pages) comes back to the desktop's loopback listener, which exchanges the code.

use crate::support::{PASSWORD, anna, server};
use lanyard_client::Client;
use lanyard_client::api::{LoginRequest, SessionScope, SsoConfig};
use lanyard_client::desktop::loopback::{Loopback, LoopbackError};
use lanyard_testkit::oidc::{CLIENT_ID, CLIENT_SECRET, Provider, browse};
use std::time::Duration;
use url::Url;

#[tokio::test(flavor = "multi_thread")]
async fn the_browser_comes_back_to_the_desktop_which_gets_a_session() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(dir.path()).await;
    let url = server.url.clone();
    let client = Client::new(url.clone()).unwrap();
    anna(&client, &server.outbox).await;
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

    // The first time, the provider's word must be backed by Anna's password: the identity is
    // linked, and the next sign-in follows it.
    let first = through_browser(&client, "anna").await;
    let link_token = match first {
        Err(LoopbackError::Api(lanyard_client::ApiError::Problem { problem, .. }))
            if problem.code == "link_required" =>
        {
            assert_eq!(problem.email.as_deref(), Some("anna@example.com"));
            problem.link_token.unwrap()
        }
        other => panic!("link_required, not {other:?}"),
    };
    client
        .link_identity(&link_token, None, PASSWORD)
        .await
        .unwrap();
    let tokens = through_browser(&client, "anna").await.unwrap();
    assert_eq!(tokens.account.unwrap().address, "acme");
    assert_eq!(tokens.scope, SessionScope::Account);

    // A stranger at the provider is asked which profile they are; none of theirs is here.
    match through_browser(&client, "eve").await {
        Err(LoopbackError::Api(lanyard_client::ApiError::Problem { problem, .. })) => {
            assert_eq!(problem.code, "link_required");
            assert_eq!(problem.email, None);
        }
        other => panic!("link_required, not {other:?}"),
    }
}

/// The system browser signs in as `login` and comes back to the desktop's loopback listener.
async fn through_browser(
    client: &Client,
    login: &str,
) -> Result<lanyard_client::api::Tokens, LoopbackError> {
    let loopback = Loopback::bind().await.unwrap();
    let back = browse(
        loopback.sso_url(client, "acme").unwrap(),
        login,
        &Url::parse(&loopback.redirect_uri).unwrap(),
    )
    .await;
    // The browser's last step: it opens the loopback address, where the desktop listens.
    let page = reqwest::get(back).await.unwrap().text().await.unwrap();
    assert!(page.contains("close this window"));
    loopback.finish(client, Duration::from_secs(10)).await
}
