//! Social sign-in against a real OpenID Connect provider: one person, one profile. An
//! unknown identity makes a profile without a password; one whose verified email is an
//! existing login is linked with that profile's password instead of making a second one.

use crate::harness::{PASSWORD, TestApp, assert_refused};
use lanyard_client::ApiError;
use lanyard_client::api::{RegisterRequest, Tokens};
use lanyard_core::Code;
use lanyard_testkit::oidc::{CLIENT_ID, CLIENT_SECRET, Provider, browse, pkce};
use url::Url;

const LOOPBACK: &str = "http://127.0.0.1:53683/done";

async fn setup() -> (TestApp, Provider) {
    let port = lanyard_testkit::ports::unclaimed();
    let callback = format!("http://127.0.0.1:{port}/api/v1/sso/callback");
    let provider = Provider::start(
        &callback,
        &[
            ("gina", "gina@mail.example", true),
            ("anna-elsewhere", "anna@example.com", true),
            ("hank", "hank@mail.example", true),
        ],
    );
    // The same provider twice: as OpenID Connect, and as plain OAuth2 (its authorize, token
    // and userinfo endpoints, ID token ignored).
    let issuer = &provider.issuer;
    let openid = format!("testid={issuer},{CLIENT_ID},{CLIENT_SECRET}");
    let oauth2 = format!(
        "testoauth=oauth2:{issuer}/auth|{issuer}/token|{issuer}/me|openid email,{CLIENT_ID},{CLIENT_SECRET}"
    );
    let app = TestApp::spawn_with(|config| {
        config.bind = format!("127.0.0.1:{port}").parse().unwrap();
        config.social = vec![openid.parse().unwrap(), oauth2.parse().unwrap()];
    })
    .await;
    (app, provider)
}

/// The desktop's whole social sign-in as `login` at the provider.
async fn social_sign_in(app: &TestApp, login: &str) -> Result<Tokens, ApiError> {
    sign_in_to(app, "testid", login, None).await
}

/// Where the browser comes back to the desktop after signing in as `login` at `provider`.
async fn come_back(
    app: &TestApp,
    provider: &str,
    login: &str,
    account: Option<&str>,
    challenge: &str,
) -> Url {
    let start = app
        .client
        .social_start_url(provider, account, LOOPBACK, challenge, "s1")
        .unwrap();
    browse(start, login, &Url::parse(LOOPBACK).unwrap()).await
}

/// A social sign-in for one account (a desktop tab), or for the profile alone.
async fn sign_in_to(
    app: &TestApp,
    provider: &str,
    login: &str,
    account: Option<&str>,
) -> Result<Tokens, ApiError> {
    let (verifier, challenge) = pkce();
    let back = come_back(app, provider, login, account, &challenge).await;
    let code = back
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned());
    let code = code.unwrap_or_else(|| panic!("a code: {back}"));
    app.client.exchange(&code, &verifier.as_str().into()).await
}

#[tokio::test]
async fn an_unknown_identity_makes_a_profile_without_a_password() {
    let (app, _provider) = setup().await;
    let first = social_sign_in(&app, "gina").await.unwrap();
    let me = app.client.me(&first.access_token).await.unwrap();
    assert_eq!(
        (me.email.as_deref(), me.has_password),
        (Some("gina@mail.example"), false)
    );
    assert_eq!(me.social.len(), 1);
    assert_eq!(me.social[0].provider, "testid");
    let again = social_sign_in(&app, "gina").await.unwrap();
    assert_eq!(
        again.profile_id, first.profile_id,
        "the identity leads back to the same profile"
    );
    // The only way in cannot be disconnected.
    assert_refused(
        app.client
            .unlink_social(&first.access_token, "testid")
            .await,
        409,
        "last_login",
    );
    assert_refused(
        app.client.unlink_social(&first.access_token, "other").await,
        404,
        "not_found",
    );

    // It sets a password later (no current one to give), and then has two ways in.
    app.client
        .change_password(&first.access_token, "", PASSWORD)
        .await
        .unwrap();
    let by_password = app.login("gina@mail.example", PASSWORD).await.unwrap();
    assert_eq!(by_password.profile_id, first.profile_id);
    assert_refused(
        app.client
            .change_password(&first.access_token, "", "another good passphrase")
            .await,
        403,
        "invalid_credentials",
    );
    app.client
        .unlink_social(&by_password.access_token, "testid")
        .await
        .unwrap();
}

#[tokio::test]
async fn an_identity_whose_email_is_a_login_is_linked_with_the_password_not_duplicated() {
    let (app, _provider) = setup().await;
    let anna = app.signed_in("anna@example.com").await;

    let refused = social_sign_in(&app, "anna-elsewhere").await.unwrap_err();
    let ApiError::Problem { problem, .. } = refused else {
        panic!("a problem document")
    };
    assert_eq!(
        (problem.status, problem.code.as_str()),
        (409, "link_required")
    );
    assert_eq!(problem.email.as_deref(), Some("anna@example.com"));
    let link_token = problem.link_token.clone().expect("a link token");

    assert_refused(
        app.client
            .link_identity(&link_token, None, "not her password")
            .await,
        403,
        "invalid_credentials",
    );
    let linked = app
        .client
        .link_identity(&link_token, None, PASSWORD)
        .await
        .unwrap();
    assert_eq!(linked.id, anna.profile_id);
    assert_eq!(linked.social[0].provider, "testid");
    assert_refused(
        app.client.link_identity(&link_token, None, PASSWORD).await,
        400,
        "invalid_token",
    );

    let social = social_sign_in(&app, "anna-elsewhere").await.unwrap();
    assert_eq!(
        social.profile_id, anna.profile_id,
        "later social sign-ins land in her one profile"
    );

    // Disconnected, the identity asks to be linked again.
    app.client
        .unlink_social(&anna.access_token, "testid")
        .await
        .unwrap();
    assert!(
        app.client
            .me(&anna.access_token)
            .await
            .unwrap()
            .social
            .is_empty()
    );
    let again = social_sign_in(&app, "anna-elsewhere").await.unwrap_err();
    assert_eq!(again.code(), Some(Code::LinkRequired));
}

#[tokio::test]
async fn unknown_providers_are_not_found() {
    let (app, _provider) = setup().await;
    let (_, challenge) = pkce();
    let url = app
        .client
        .social_start_url("nope", None, LOOPBACK, &challenge, "s")
        .unwrap();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    assert_eq!(http.get(url).send().await.unwrap().status(), 404);
}

#[tokio::test]
async fn a_social_sign_in_for_an_account_needs_an_active_employee_there() {
    let (app, _provider) = setup().await;
    let names: Vec<String> = app
        .client
        .social_providers()
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["testid", "testoauth"]);

    let gina = social_sign_in(&app, "gina").await.unwrap();
    let acme = app
        .client
        .create_account(&gina.access_token, "acme", "Acme")
        .await
        .unwrap();
    let tab = sign_in_to(&app, "testid", "gina", Some("acme"))
        .await
        .unwrap();
    assert_eq!(tab.profile_id, gina.profile_id);
    assert_eq!(
        tab.account.map(|a| a.id),
        Some(acme.id),
        "a session for the tab"
    );

    // Someone new is turned away at the loopback, and no profile is made for them.
    let (_, challenge) = pkce();
    let back = come_back(&app, "testid", "hank", Some("acme"), &challenge).await;
    let error = back
        .query_pairs()
        .find(|(k, _)| k == "error_code")
        .map(|(_, v)| v.into_owned());
    assert_eq!(error.as_deref(), Some("no_access"), "{back}");
    assert!(!back.query_pairs().any(|(k, _)| k == "code"));
    let register = RegisterRequest {
        email: Some("hank@mail.example".into()),
        phone: None,
        password: PASSWORD.into(),
        first_name: None,
        last_name: None,
    };
    app.client
        .register(&register)
        .await
        .expect("the email is free: the refused attempt made no profile");

    // An address nobody has is the same refusal, before the browser leaves.
    let (_, challenge) = pkce();
    let refused = app
        .client
        .social_start_url("testid", Some("nowhere"), LOOPBACK, &challenge, "s")
        .unwrap();
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(refused)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
}

#[tokio::test]
async fn a_plain_oauth2_provider_signs_in_by_what_its_userinfo_says() {
    let (app, _provider) = setup().await;
    let first = sign_in_to(&app, "testoauth", "gina", None).await.unwrap();
    let me = app.client.me(&first.access_token).await.unwrap();
    assert_eq!(me.email.as_deref(), Some("gina@mail.example"));
    let providers: Vec<&str> = me.social.iter().map(|s| s.provider.as_str()).collect();
    assert_eq!(providers, ["testoauth"]);
    let again = sign_in_to(&app, "testoauth", "gina", None).await.unwrap();
    assert_eq!(
        again.profile_id, first.profile_id,
        "keyed by (issuer, subject)"
    );

    // The same person through the OpenID Connect door is another identity (another issuer)
    // whose verified email is now a login: it asks to be linked, it makes no second profile.
    let refused = social_sign_in(&app, "gina").await;
    assert_refused(refused, 409, "link_required");
}

/// The desktop's side of connecting: ask where to send the browser, follow it through the
/// provider as `login`, and trade what comes back.
async fn connect(app: &TestApp, access: &Tokens, provider: &str, login: &str) -> Url {
    let (verifier, challenge) = pkce();
    let start = app
        .client
        .connect_social_url(&access.access_token, provider, LOOPBACK, &challenge, "c1")
        .await
        .unwrap();
    let back = browse(start, login, &Url::parse(LOOPBACK).unwrap()).await;
    // The identity joins the profile when the desktop that started this trades the code.
    if let Some((_, code)) = back.query_pairs().find(|(k, _)| k == "code") {
        app.client
            .exchange(&code, &verifier.as_str().into())
            .await
            .unwrap();
    }
    back
}

#[tokio::test]
async fn a_signed_in_profile_connects_an_identity_whatever_its_email() {
    let (app, _provider) = setup().await;
    let anna = app.signed_in("anna@example.com").await;
    // Gina's identity (another email) joins Anna's profile: no link token, no second profile.
    let back = connect(&app, &anna, "testid", "gina").await;
    assert!(back.query_pairs().any(|(k, _)| k == "code"), "{back}");
    let me = app.client.me(&anna.access_token).await.unwrap();
    let providers: Vec<&str> = me.social.iter().map(|s| s.provider.as_str()).collect();
    assert_eq!(providers, ["testid"]);
    let later = social_sign_in(&app, "gina").await.unwrap();
    assert_eq!(
        later.profile_id, anna.profile_id,
        "signing in with it lands in Anna's profile"
    );

    // A second identity: `GET /me` (one joined statement, a row per identity) lists both,
    // oldest first, and the profile once.
    let back = connect(&app, &anna, "testoauth", "hank").await;
    assert!(back.query_pairs().any(|(k, _)| k == "code"), "{back}");
    let me = app.client.me(&anna.access_token).await.unwrap();
    let identities: Vec<(&str, Option<&str>)> = me
        .social
        .iter()
        .map(|s| (s.provider.as_str(), s.email.as_deref()))
        .collect();
    assert_eq!(
        identities,
        [
            ("testid", Some("gina@mail.example")),
            ("testoauth", Some("hank@mail.example"))
        ]
    );
    assert_eq!(me.email.as_deref(), Some("anna@example.com"));

    // Connecting it again from the same profile is harmless; from another, refused.
    let again = connect(&app, &anna, "testid", "gina").await;
    assert!(again.query_pairs().any(|(k, _)| k == "code"), "{again}");
    let bob = app.signed_in("bob@example.com").await;
    let refused = connect(&app, &bob, "testid", "gina").await;
    let code = refused
        .query_pairs()
        .find(|(k, _)| k == "error_code")
        .map(|(_, v)| v.into_owned());
    assert_eq!(code.as_deref(), Some("identity_taken"), "{refused}");
    assert_refused(
        app.client
            .connect_social_url(&bob.access_token, "nope", LOOPBACK, &pkce().1, "c")
            .await,
        404,
        "not_found",
    );
}
