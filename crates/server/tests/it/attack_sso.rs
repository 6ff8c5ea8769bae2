//! The attacks on profiles through single sign-on and social identities (issue 9: 1, 2, 4),
//! each written as Mallory's steps against a real OpenID provider she controls, and the one
//! exception the operator may grant (a verified email domain).

use crate::harness::{PASSWORD, TestApp, assert_refused};
use lanyard_client::ApiError;
use lanyard_client::api::{SessionScope, SsoConfig, Tokens, UpdateEmployeeRequest};
use lanyard_testkit::oidc::{CLIENT_ID, CLIENT_SECRET, Provider, browse, pkce};
use url::Url;

const LOOPBACK: &str = "http://127.0.0.1:53690/callback";

fn param(url: &Url, name: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// Points `address`'s single sign-on at a provider knowing `people`; returns it.
async fn provider_for(
    app: &TestApp,
    admin: &Tokens,
    address: &str,
    people: &[(&str, &str, bool)],
) -> Provider {
    let callback = app.url.join("api/v1/sso/callback").unwrap();
    let provider = Provider::start(callback.as_str(), people);
    let config = SsoConfig {
        issuer: provider.issuer.clone(),
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
    };
    app.client
        .configure_sso(&admin.access_token, address, &config)
        .await
        .unwrap();
    provider
}

/// The whole browser round trip of a single sign-on to `address` as `login`, then the
/// exchange of the code by the client that started it.
async fn sso(app: &TestApp, address: &str, login: &str) -> Result<Tokens, ApiError> {
    let (verifier, challenge) = pkce();
    let start = app
        .client
        .sso_start_url(address, LOOPBACK, &challenge, "s")
        .unwrap();
    let back = browse(start, login, &Url::parse(LOOPBACK).unwrap()).await;
    let code = param(&back, "code").unwrap_or_else(|| panic!("a code: {back}"));
    app.client.exchange(&code, &verifier.as_str().into()).await
}

fn link_token(result: Result<Tokens, ApiError>) -> String {
    match result {
        Err(ApiError::Problem { problem, .. }) if problem.code == "link_required" => {
            problem.link_token.expect("a link token")
        }
        other => panic!("link_required, not {other:?}"),
    }
}

/// Anna, administrator of acme; Mallory, who created `evil`, invited Anna there (Anna
/// accepted) and points evil's single sign-on at her own provider, whose "anna" has Anna's
/// login email, verified. Answers Anna's and Mallory's sessions, Anna's employee id at evil
/// and the provider (which runs while it is kept).
async fn anna_at_mallorys_evil(app: &TestApp) -> (Tokens, Tokens, String, Provider) {
    let anna = app.admin_of("acme").await;
    let mallory = app.signed_in("mallory@evil.example").await;
    app.client
        .create_account(&mallory.access_token, "evil", "Evil Ltd")
        .await
        .unwrap();
    let at_evil = app.hire(&mallory, "evil", "anna@example.com", &anna).await;
    let provider = provider_for(app, &mallory, "evil", &[("anna", "anna@example.com", true)]).await;
    (anna, mallory, at_evil, provider)
}

/// Attack 1. Mallory creates `evil`, invites Anna, and points evil's single sign-on at her own
/// provider, which swears that its "anna" has Anna's login email, verified.
#[tokio::test]
async fn an_account_admin_cannot_take_over_an_employees_profile_through_her_sso() {
    let app = TestApp::spawn().await;
    let (anna, _mallory, _, _hostile) = anna_at_mallorys_evil(&app).await;

    // The provider's word is not proof of Anna's profile: the exchange asks for her password,
    // and Mallory does not have it.
    let token = link_token(sso(&app, "evil", "anna").await);
    assert_refused(
        app.client
            .link_identity(&token, None, "mallory's best guess")
            .await,
        403,
        "invalid_credentials",
    );
    let sessions = app.client.sessions(&anna.access_token).await.unwrap();
    assert_eq!(
        sessions.len(),
        1,
        "no session was opened for Anna's profile"
    );
    assert!(
        app.client
            .me(&anna.access_token)
            .await
            .unwrap()
            .social
            .is_empty()
    );

    // Even when Anna herself links it (her password, her choice), what evil's provider signs
    // in acts inside evil and nowhere else.
    let token = link_token(sso(&app, "evil", "anna").await);
    app.client
        .link_identity(&token, None, PASSWORD)
        .await
        .unwrap();
    let through_evil = sso(&app, "evil", "anna").await.unwrap();
    assert_eq!(through_evil.scope, SessionScope::Account);
    let access = &through_evil.access_token;
    app.client.account(access, "evil").await.unwrap();
    app.client
        .tasks(access, "evil", None, None, Default::default())
        .await
        .unwrap();
    assert_refused(
        app.client.account(access, "acme").await,
        403,
        "profile_session_required",
    );
    assert_refused(
        app.client
            .tasks(access, "acme", None, None, Default::default())
            .await,
        403,
        "profile_session_required",
    );
    assert_refused(app.client.me(access).await, 403, "profile_session_required");
    assert_refused(
        app.client.sessions(access).await,
        403,
        "profile_session_required",
    );
    assert_refused(
        app.client.my_accounts(access).await,
        403,
        "profile_session_required",
    );
    assert_refused(
        app.client
            .change_email(access, "mallory+anna@evil.example", "")
            .await,
        403,
        "profile_session_required",
    );
    assert_refused(
        app.client
            .create_account(access, "anna-owned", "Anna Owned")
            .await,
        403,
        "profile_session_required",
    );
    assert_refused(
        app.client
            .connect_social_url(access, "google", LOOPBACK, &pkce().1, "s")
            .await,
        403,
        "profile_session_required",
    );
    let qr = app.client.qr_create("laptop", None).await.unwrap();
    assert_refused(
        app.client
            .qr_approve(access, &qr.id, qr.match_number, Some("acme"))
            .await,
        403,
        "profile_session_required",
    );
    // Its refresh keeps the scope.
    let refreshed = app
        .client
        .refresh(&through_evil.refresh_token)
        .await
        .unwrap();
    assert_eq!(refreshed.scope, SessionScope::Account);
    assert_refused(
        app.client.me(&refreshed.access_token).await,
        403,
        "profile_session_required",
    );
}

/// Attack 2. Mallory, a plain employee of acme, sets her own contact email to Ben's company
/// address and waits for Ben's first single sign-on.
#[tokio::test]
async fn a_contact_email_set_to_a_colleagues_address_catches_no_sign_in() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let ben = app.signed_in("ben@home.example").await;
    let mallory = app.signed_in("mallory@evil.example").await;
    app.hire(&anna, "acme", "ben@corp.example", &ben).await;
    let mallory_id = app
        .hire(&anna, "acme", "mallory@corp.example", &mallory)
        .await;
    let squat = UpdateEmployeeRequest {
        contact_email: Some("ben@corp.example".into()),
    };
    app.client
        .update_employee(&mallory.access_token, "acme", &mallory_id, &squat)
        .await
        .unwrap();
    let _provider = provider_for(&app, &anna, "acme", &[("ben", "ben@corp.example", true)]).await;

    // Ben's sign-in lands in nobody's profile by itself, least of all Mallory's: it asks Ben
    // which profile is his, and a wrong password proves nothing.
    let token = link_token(sso(&app, "acme", "ben").await);
    assert_refused(
        app.client
            .link_identity(&token, Some("ben@home.example"), "guess")
            .await,
        403,
        "invalid_credentials",
    );
    app.client
        .link_identity(&token, Some("ben@home.example"), PASSWORD)
        .await
        .unwrap();
    let tokens = sso(&app, "acme", "ben").await.unwrap();
    let ben_profile = app.client.me(&ben.access_token).await.unwrap();
    assert_eq!(tokens.profile_id, ben_profile.id, "Ben's sign-in is Ben's");
    let mallory_profile = app.client.me(&mallory.access_token).await.unwrap();
    assert!(mallory_profile.social.is_empty());
}

/// Attack 4. Mallory starts connecting a provider to her profile and sends the provider URL
/// to Anna; Anna signs in at the provider and consents.
#[tokio::test]
async fn a_connect_link_sent_to_someone_else_links_nothing() {
    let port = lanyard_testkit::ports::unclaimed();
    let callback = format!("http://127.0.0.1:{port}/api/v1/sso/callback");
    let provider = Provider::start(&callback, &[("anna-google", "anna@example.com", true)]);
    let social = format!("google={},{CLIENT_ID},{CLIENT_SECRET}", provider.issuer);
    let app = TestApp::spawn_with(|config| {
        config.bind = format!("127.0.0.1:{port}").parse().unwrap();
        config.social = vec![social.parse().unwrap()];
    })
    .await;
    let anna = app.signed_in("anna@example.com").await;
    let mallory = app.signed_in("mallory@evil.example").await;
    let (mallorys_verifier, challenge) = pkce();
    let lure = app
        .client
        .connect_social_url(&mallory.access_token, "google", LOOPBACK, &challenge, "s")
        .await
        .unwrap();
    // Anna's browser follows the lure; it comes back to a loopback address on Anna's machine,
    // where Mallory's desktop is not listening.
    let back = browse(lure, "anna-google", &Url::parse(LOOPBACK).unwrap()).await;
    let code = param(&back, "code").expect("a code on Anna's machine");
    assert!(
        app.client
            .me(&mallory.access_token)
            .await
            .unwrap()
            .social
            .is_empty(),
        "nothing is linked before the client that started the flow trades the code"
    );
    // Anna (or anyone who sees the code) cannot trade it without Mallory's verifier.
    let (other_verifier, _) = pkce();
    assert_refused(
        app.client
            .exchange(&code, &other_verifier.as_str().into())
            .await,
        400,
        "invalid_token",
    );
    // The code is spent; Mallory, who has the verifier but not the code, has nothing to trade.
    assert_refused(
        app.client
            .exchange(&code, &mallorys_verifier.as_str().into())
            .await,
        400,
        "invalid_token",
    );
    assert!(
        app.client
            .me(&mallory.access_token)
            .await
            .unwrap()
            .social
            .is_empty()
    );
    // Anna's own Google still asks for Anna's password, for Anna's profile.
    let (verifier, challenge) = pkce();
    let start = app
        .client
        .social_start_url("google", None, LOOPBACK, &challenge, "s")
        .unwrap();
    let back = browse(start, "anna-google", &Url::parse(LOOPBACK).unwrap()).await;
    match app
        .client
        .exchange(&param(&back, "code").unwrap(), &verifier.as_str().into())
        .await
    {
        Err(ApiError::Problem { problem, .. }) => {
            assert_eq!(problem.code, "link_required");
            assert_eq!(problem.email.as_deref(), Some("anna@example.com"));
        }
        other => panic!("link_required, not {other:?}"),
    }
    assert!(
        app.client
            .me(&anna.access_token)
            .await
            .unwrap()
            .social
            .is_empty()
    );
}

/// The operator's exception: a domain verified for the account lets its single sign-on link
/// the employee whose login is under it, without a password, for that account only.
#[tokio::test]
async fn a_domain_the_operator_verified_links_its_logins_without_a_password() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let cleo = app.signed_in("cleo@corp.example").await;
    app.hire(&anna, "acme", "cleo@corp.example", &cleo).await;
    let _provider = provider_for(
        &app,
        &anna,
        "acme",
        &[
            ("cleo", "cleo@corp.example", true),
            ("anna", "anna@example.com", true),
        ],
    )
    .await;
    link_token(sso(&app, "acme", "cleo").await);
    let said = app
        .operator(&["admin", "verify-domain", "acme", "Corp.Example"])
        .await
        .unwrap();
    assert!(said.contains("corp.example"), "{said}");
    for malformed in [
        "corp",
        "@corp.example",
        "corp..example",
        "http://corp.example",
    ] {
        let refused = app
            .operator(&["admin", "verify-domain", "acme", malformed])
            .await
            .unwrap_err();
        assert!(
            refused.contains("is not an email domain"),
            "{malformed}: {refused}"
        );
    }
    let tokens = sso(&app, "acme", "cleo").await.unwrap();
    assert_eq!(tokens.scope, SessionScope::Account);
    let me = app.client.me(&cleo.access_token).await.unwrap();
    assert_eq!(tokens.profile_id, me.id);
    assert_eq!(me.social[0].provider, "sso:acme");
    // Outside the verified domain, proof is still required.
    link_token(sso(&app, "acme", "anna").await);
    assert!(
        app.client
            .me(&anna.access_token)
            .await
            .unwrap()
            .social
            .is_empty()
    );
}

/// Attack 12 (smaller): a copy of the database (a backup, a support dump) must not hand out
/// the accounts' single sign-on client secrets.
#[tokio::test]
async fn sso_client_secrets_are_not_kept_in_clear() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let _provider = provider_for(&app, &anna, "acme", &[("anna", "anna@example.com", true)]).await;
    sqlx::any::install_default_drivers();
    let db = sqlx::AnyPool::connect(&app.database).await.unwrap();
    let stored: String = sqlx::query_scalar("SELECT client_secret FROM sso_providers")
        .fetch_one(&db)
        .await
        .unwrap();
    db.close().await;
    assert!(!stored.contains(CLIENT_SECRET), "{stored}");
    // The server itself still uses it: the provider accepts the code exchange.
    link_token(sso(&app, "acme", "anna").await);
}

/// Through the live feed, an account's single sign-on session hears its own account's changes
/// and nothing of the profile's: not another account's tasks, not the profile's sign-ins.
#[tokio::test]
async fn an_account_sessions_live_feed_tells_nothing_of_the_profile() {
    use lanyard_client::api::{CreateTaskRequest, Event};
    let app = TestApp::spawn().await;
    let (anna, mallory, anna_at_evil, _provider) = anna_at_mallorys_evil(&app).await;
    let token = link_token(sso(&app, "evil", "anna").await);
    app.client
        .link_identity(&token, None, PASSWORD)
        .await
        .unwrap();
    let through_evil = sso(&app, "evil", "anna").await.unwrap();
    let mut feed = app
        .client
        .events(&through_evil.access_token, None)
        .await
        .unwrap();

    let anna_at_acme = app.employee_id(&anna, "acme", "anna@example.com").await;
    let task = |title: &str, assignee: &str| CreateTaskRequest {
        title: title.into(),
        assignee_id: Some(assignee.to_owned()),
    };
    let ben = app.signed_in("ben@example.com").await;
    app.hire(&anna, "acme", "ben@example.com", &ben).await;
    app.client
        .create_task(
            &ben.access_token,
            "acme",
            &task("Acme secret", &anna_at_acme),
        )
        .await
        .unwrap();
    app.login("anna@example.com", PASSWORD).await.unwrap();
    app.client
        .create_task(
            &mallory.access_token,
            "evil",
            &task("Evil chore", &anna_at_evil),
        )
        .await
        .unwrap();
    let next = tokio::time::timeout(std::time::Duration::from_secs(20), feed.next())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(
        matches!(&next.event, Event::TaskAssigned { title, .. } if title == "Evil chore"),
        "the first event this session hears is its own account's: {next:?}"
    );
}
