//! Single sign-on against a real OpenID Connect provider: the system browser (a stand-in
//! that fills in the provider's real pages), the loopback redirect, PKCE and the exchange.

use crate::harness::{PASSWORD, TestApp, assert_refused};
use lanyard_client::ApiError;
use lanyard_client::api::{LoginKind, SessionScope, SsoConfig, Tokens};
use lanyard_testkit::oidc::{CLIENT_ID, CLIENT_SECRET, Provider, browse, pkce};
use url::Url;

const LOOPBACK: &str = "http://127.0.0.1:53682/callback";

struct Setup {
    app: TestApp,
    provider: Provider,
    anna: Tokens,
    ben: Tokens,
}

/// Acme, administered by Anna, has Ben: invited at ben@corp.example, joined with his private
/// login ben@home.example. The provider knows ben (corp address, verified), eve (a stranger)
/// and mallory (an unverified claim to Ben's address).
async fn setup() -> Setup {
    let app = TestApp::spawn().await;
    let callback = app.url.join("api/v1/sso/callback").unwrap();
    let provider = Provider::start(
        callback.as_str(),
        &[
            ("ben", "ben@corp.example", true),
            ("eve", "eve@elsewhere.example", true),
            ("mallory", "ben@corp.example", false),
        ],
    );
    let anna = app.admin_of("acme").await;
    let ben = app.signed_in("ben@home.example").await;
    app.hire(&anna, "acme", "ben@corp.example", &ben).await;
    let config = SsoConfig {
        issuer: provider.issuer.clone(),
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
    };
    let saved = app
        .client
        .configure_sso(&anna.access_token, "acme", &config)
        .await
        .unwrap();
    assert_eq!(saved.issuer, provider.issuer);
    Setup {
        app,
        provider,
        anna,
        ben,
    }
}

/// The desktop's side: start in the browser as `login`, get back to the loopback address.
async fn sign_in(app: &TestApp, login: &str) -> (Url, String) {
    let (verifier, challenge) = pkce();
    let start = app
        .client
        .sso_start_url("acme", LOOPBACK, &challenge, "tab-7")
        .unwrap();
    let back = browse(start, login, &Url::parse(LOOPBACK).unwrap()).await;
    let state = back
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned());
    assert_eq!(
        state.as_deref(),
        Some("tab-7"),
        "the desktop's state comes back"
    );
    (back, verifier)
}

fn param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// A first single sign-on as `login` at the provider, proved with the password of the Lanyard
/// profile `profile_login`; then the sign-in that follows the linked identity.
async fn linked_sign_in(app: &TestApp, login: &str, profile_login: &str) -> Tokens {
    let (back, verifier) = sign_in(app, login).await;
    let code = param(&back, "code").unwrap_or_else(|| panic!("a code: {back}"));
    let link_token = match app.client.exchange(&code, &verifier.as_str().into()).await {
        Err(ApiError::Problem { problem, .. }) if problem.code == "link_required" => {
            problem.link_token.expect("a link token")
        }
        other => panic!("a first single sign-on asks for proof, not {other:?}"),
    };
    app.client
        .link_identity(&link_token, Some(profile_login), PASSWORD)
        .await
        .unwrap();
    let (back, verifier) = sign_in(app, login).await;
    let code = param(&back, "code").unwrap_or_else(|| panic!("a code: {back}"));
    app.client
        .exchange(&code, &verifier.as_str().into())
        .await
        .unwrap()
}

#[tokio::test]
async fn an_employee_links_once_with_his_password_then_signs_in_through_the_company_provider() {
    let Setup {
        app,
        anna,
        ben,
        provider: _provider,
    } = setup().await;
    // ben@corp.example is nobody's login: the first sign-in asks which profile it is, by its
    // login and password, and never guesses from the contact email Anna keeps for Ben.
    let (back, verifier) = sign_in(&app, "ben").await;
    let code = param(&back, "code").unwrap_or_else(|| panic!("a code: {back}"));
    match app.client.exchange(&code, &verifier.as_str().into()).await {
        Err(ApiError::Problem { problem, .. }) => {
            assert_eq!(
                (problem.status, problem.code.as_str()),
                (409, "link_required")
            );
            assert_eq!(problem.email, None, "no profile was matched by email");
        }
        other => panic!("link_required, not {other:?}"),
    }
    // A code works once.
    assert_refused(
        app.client.exchange(&code, &verifier.as_str().into()).await,
        400,
        "invalid_token",
    );

    let tokens = linked_sign_in(&app, "ben", "ben@home.example").await;
    assert_eq!(
        tokens.account.as_ref().map(|a| a.address.as_str()),
        Some("acme")
    );
    assert_eq!(tokens.scope, SessionScope::Account);
    assert_eq!(
        tokens.profile_id,
        app.client.me(&ben.access_token).await.unwrap().id
    );
    let me = app.client.me(&ben.access_token).await.unwrap();
    assert_eq!(
        (
            me.social[0].provider.as_str(),
            me.social[0].email.as_deref()
        ),
        ("sso:acme", Some("ben@corp.example"))
    );
    let notice = app.mail_to("ben@home.example").await;
    assert!(notice.subject.contains("new way to sign in"), "{notice:?}");

    // The identity is linked now: it signs Ben in even after his contact email changes.
    let ben_id = app
        .client
        .employees(&anna.access_token, "acme", None, Default::default())
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|e| e.contact_email.as_deref() == Some("ben@corp.example"))
        .unwrap()
        .id;
    let moved = lanyard_client::api::UpdateEmployeeRequest {
        contact_email: Some("b.berg@corp.example".into()),
    };
    app.client
        .update_employee(&ben.access_token, "acme", &ben_id, &moved)
        .await
        .unwrap();
    let (back, verifier) = sign_in(&app, "ben").await;
    app.client
        .exchange(&param(&back, "code").unwrap(), &verifier.as_str().into())
        .await
        .unwrap();

    // Dismissed, the identity no longer gets him in.
    app.client
        .dismiss(&anna.access_token, "acme", &ben_id)
        .await
        .unwrap();
    let (back, _) = sign_in(&app, "ben").await;
    assert_eq!(
        param(&back, "error_code").as_deref(),
        Some("no_access"),
        "{back}"
    );
}

#[tokio::test]
async fn the_code_needs_the_desktops_verifier() {
    let Setup {
        app,
        provider: _provider,
        ..
    } = setup().await;
    let (back, _) = sign_in(&app, "ben").await;
    let code = param(&back, "code").unwrap();
    let (someone_elses, _) = pkce();
    assert_refused(
        app.client
            .exchange(&code, &someone_elses.as_str().into())
            .await,
        400,
        "invalid_token",
    );
}

#[tokio::test]
async fn strangers_must_prove_a_profile_and_then_get_no_access() {
    let Setup {
        app,
        provider: _provider,
        ..
    } = setup().await;
    // Mallory's claim to Ben's address is unverified: it counts for nothing.
    for login in ["eve", "mallory"] {
        let (back, verifier) = sign_in(&app, login).await;
        let code = param(&back, "code").unwrap();
        match app.client.exchange(&code, &verifier.as_str().into()).await {
            Err(ApiError::Problem { problem, .. }) => {
                assert_eq!(problem.code, "link_required", "{login}");
                assert_eq!(problem.email, None, "{login}");
            }
            other => panic!("{login}: link_required, not {other:?}"),
        }
    }
    // Eve proves her own profile, which is nobody's employee at acme.
    app.signed_in("eve@elsewhere.example").await;
    let (back, verifier) = sign_in(&app, "eve").await;
    let problem = match app
        .client
        .exchange(&param(&back, "code").unwrap(), &verifier.as_str().into())
        .await
    {
        Err(ApiError::Problem { problem, .. }) => problem,
        other => panic!("link_required, not {other:?}"),
    };
    app.client
        .link_identity(
            &problem.link_token.unwrap(),
            Some("eve@elsewhere.example"),
            PASSWORD,
        )
        .await
        .unwrap();
    let (back, _) = sign_in(&app, "eve").await;
    assert_eq!(param(&back, "code"), None);
    assert_eq!(param(&back, "error").as_deref(), Some("access_denied"));
    assert_eq!(
        param(&back, "error_code").as_deref(),
        Some("no_access"),
        "{back}"
    );
}

#[tokio::test]
async fn admins_see_that_an_employee_signs_in_with_single_sign_on() {
    let Setup {
        app,
        anna,
        ben,
        provider: _provider,
    } = setup().await;
    linked_sign_in(&app, "ben", "ben@home.example").await;
    let team = app
        .client
        .employees(&anna.access_token, "acme", None, Default::default())
        .await
        .unwrap();
    let card = team
        .items
        .iter()
        .find(|e| e.contact_email.as_deref() == Some("ben@corp.example"))
        .unwrap();
    let login = card.login.as_ref().unwrap();
    // Ben's verified email login comes first; the identity shows on his profile.
    assert_eq!(
        (login.kind, login.value.as_str()),
        (LoginKind::Email, "ben@home.example")
    );
    assert_eq!(
        app.client.me(&ben.access_token).await.unwrap().social[0].provider,
        "sso:acme"
    );
}

#[tokio::test]
async fn only_admins_configure_and_only_loopback_redirects_start() {
    let Setup {
        app, provider, ben, ..
    } = setup().await;
    let config = SsoConfig {
        issuer: provider.issuer.clone(),
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
    };
    assert_refused(
        app.client
            .configure_sso(&ben.access_token, "acme", &config)
            .await,
        403,
        "forbidden",
    );
    let anna = app.login("anna@example.com", PASSWORD).await.unwrap();
    let nowhere = SsoConfig {
        issuer: "http://127.0.0.1:9/".into(),
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
    };
    assert_refused(
        app.client
            .configure_sso(&anna.access_token, "acme", &nowhere)
            .await,
        422,
        "issuer_unreachable",
    );

    let (_, challenge) = pkce();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for redirect in [
        "https://evil.example/cb",
        "http://localhost.evil.example:80/cb",
        "http://10.0.0.1:8080/cb",
    ] {
        let url = app
            .client
            .sso_start_url("acme", redirect, &challenge, "s")
            .unwrap();
        assert_eq!(
            http.get(url).send().await.unwrap().status(),
            422,
            "{redirect}"
        );
    }
    let plain = app
        .client
        .sso_start_url("acme", LOOPBACK, "plain-challenge", "s")
        .unwrap();
    assert_eq!(
        http.get(plain).send().await.unwrap().status(),
        422,
        "S256 only"
    );
    let ok = app
        .client
        .sso_start_url("acme", "http://[::1]:4000/cb", &challenge, "s")
        .unwrap();
    assert_eq!(
        http.get(ok).send().await.unwrap().status(),
        303,
        "IPv6 loopback is fine"
    );
}
