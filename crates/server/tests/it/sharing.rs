//! Sharing the embedded server with a phone on the computer's network: while on, the server
//! also answers on the LAN address (127.0.0.2 here: Linux routes all of 127/8 to loopback, so
//! no traffic leaves the machine), QR codes name it, and there only the approval page and its
//! calls exist; after, the address is refused and misdirected again.

use crate::harness::{PASSWORD, TestApp, assert_refused};
use lanyard_client::Client;
use lanyard_client::api::{LoginRequest, QrCreated, QrPolled, RegisterRequest};
use lanyard_core::clock::Clock;
use lanyard_server::SharingError;
use std::net::{IpAddr, Ipv4Addr};
use std::time::{Duration, Instant};
use url::Url;

const LAN: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));
const TEN_MINUTES: Duration = Duration::from_secs(600);

fn lan_url(app: &TestApp) -> Url {
    Url::parse(&format!("http://{LAN}:{}/", app.url.port().unwrap())).unwrap()
}

/// Whether a new connection to `url` is refused (a fresh client: no pooled connection).
async fn refused(url: &Url) -> bool {
    match reqwest::Client::new()
        .get(url.join("healthz").unwrap())
        .send()
        .await
    {
        Ok(_) => false,
        Err(error) => error.is_connect(),
    }
}

/// The status of a loopback request that names `host`.
async fn loopback_with_host(app: &TestApp, host: &str) -> u16 {
    reqwest::Client::new()
        .get(app.url.join("api/v1/openapi.json").unwrap())
        .header("host", host)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn qr(app: &TestApp) -> QrCreated {
    app.client
        .qr_create("Lanyard desktop", Some("Linux"))
        .await
        .unwrap()
}

#[tokio::test]
async fn a_phone_approves_through_the_lan_address_only_while_the_desktop_shares() {
    let app = TestApp::spawn().await;
    let sharing = &app.server.sharing;
    let lan = lan_url(&app);
    let lan_host = lan.authority().to_owned();
    let anna = app.admin_of("acme").await;
    let acme = app
        .client
        .account(&anna.access_token, "acme")
        .await
        .unwrap();

    // Not shared: the address does not answer, and is no host of this server.
    assert!(sharing.status().is_none());
    assert!(refused(&lan).await);
    assert_eq!(loopback_with_host(&app, &lan_host).await, 421);

    let status = sharing.start(LAN, TEN_MINUTES).await.unwrap();
    assert_eq!(
        status.url, lan,
        "the loopback port, free on the LAN address"
    );
    assert_eq!(sharing.status(), Some(status.clone()));
    assert!(status.until > app.clock.now() + chrono::Duration::minutes(9));
    assert_eq!(loopback_with_host(&app, &lan_host).await, 200);

    // The desktop's code names the LAN address; the phone opens it there and signs in.
    let code = qr(&app).await;
    assert_eq!(code.qr_url, format!("{lan}qr/{}", code.id));
    let page = reqwest::get(&code.qr_url).await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("/api/v1/auth/login"));
    let phone = Client::new(lan.clone()).unwrap();
    let signed_in = phone
        .login(&LoginRequest {
            login: "anna@example.com".into(),
            password: PASSWORD.into(),
            account: None,
            device_name: Some("Phone (QR approval)".into()),
        })
        .await
        .unwrap();
    let access = &signed_in.access_token;
    let details = phone.qr_details(access, &code.id).await.unwrap();
    assert!(details.needs_account);
    assert_eq!(details.ip, "127.0.0.1", "the desktop, as the server saw it");
    let accounts = phone.my_accounts(access).await.unwrap();
    assert_eq!(accounts.len(), 1);
    phone
        .qr_approve(access, &code.id, code.match_number, Some(&accounts[0].id))
        .await
        .unwrap();
    let QrPolled::SignedIn(tokens) = app
        .client
        .qr_poll(&code.id, &code.poll_token, 0)
        .await
        .unwrap()
    else {
        panic!("approved from the phone")
    };
    assert_eq!(tokens.account.map(|a| a.id), Some(acme.id));

    // Denying works there too.
    let denied = qr(&app).await;
    phone.qr_deny(access, &denied.id).await.unwrap();
    assert_refused(
        app.client.qr_poll(&denied.id, &denied.poll_token, 0).await,
        410,
        "expired",
    );

    // Nothing else is there: not registration, the profile, making codes, other pages.
    let stranger = RegisterRequest {
        email: Some("mallory@example.com".into()),
        phone: None,
        password: PASSWORD.into(),
        first_name: None,
        last_name: None,
    };
    assert_refused(phone.register(&stranger).await, 404, "not_found");
    assert_refused(phone.me(access).await, 404, "not_found");
    assert_refused(phone.qr_create("Elsewhere", None).await, 404, "not_found");
    let http = reqwest::Client::new();
    for (method, path) in [
        ("GET", "api/v1/openapi.json"),
        ("POST", "api/v1/auth/refresh"),
        ("GET", "verify-email?token=x"),
        ("GET", "api/v1/auth/login"),
        ("DELETE", "api/v1/me/accounts"),
    ] {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let answer = http
            .request(method.clone(), lan.join(path).unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 404, "{method} {path}");
        let problem: serde_json::Value = answer.json().await.unwrap();
        assert_eq!(problem["code"], "not_found");
    }
    // The Host check holds on the LAN listener as well.
    let rebound = http
        .get(lan.join("api/v1/me/accounts").unwrap())
        .header("host", "rebind.attacker.example")
        .send()
        .await
        .unwrap();
    assert_eq!(rebound.status(), 421);

    // Stopped: refused, misdirected, and codes name loopback again.
    sharing.stop().await;
    assert!(sharing.status().is_none());
    assert!(refused(&lan).await);
    assert_eq!(loopback_with_host(&app, &lan_host).await, 421);
    let after = qr(&app).await;
    assert_eq!(after.qr_url, format!("{}qr/{}", app.url, after.id));
    assert!(after.qr_url.starts_with("http://127.0.0.1:"));

    // And it can be shared again.
    sharing.start(LAN, TEN_MINUTES).await.unwrap();
    assert!(!refused(&lan).await);
    sharing.stop().await;
}

#[tokio::test]
async fn sharing_ends_by_itself_when_its_time_is_up() {
    let app = TestApp::spawn().await;
    let sharing = &app.server.sharing;
    let lan = lan_url(&app);
    sharing.start(LAN, Duration::from_secs(1)).await.unwrap();
    assert!(!refused(&lan).await);

    let started = Instant::now();
    while !refused(&lan).await {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "still listening"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(sharing.status().is_none());
    assert_eq!(loopback_with_host(&app, lan.authority()).await, 421);
    let after = qr(&app).await;
    assert!(after.qr_url.starts_with(app.url.as_str()));
}

#[tokio::test]
async fn sharing_again_moves_the_end_instead_of_opening_another_listener() {
    let app = TestApp::spawn().await;
    let sharing = &app.server.sharing;
    let lan = lan_url(&app);
    let first = sharing.start(LAN, Duration::from_secs(2)).await.unwrap();
    let again = sharing.start(LAN, TEN_MINUTES).await.unwrap();
    assert_eq!(again.url, first.url);
    assert!(again.until > first.until);
    // Well past the first end, still shared.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(!refused(&lan).await);
    assert_eq!(sharing.status(), Some(again));
    sharing.stop().await;
    assert!(refused(&lan).await);
}

#[tokio::test]
async fn another_port_is_taken_when_the_loopback_one_is_busy_on_the_lan_address() {
    let app = TestApp::spawn().await;
    let busy = std::net::TcpListener::bind(lan_url(&app).authority()).unwrap();
    let status = app.server.sharing.start(LAN, TEN_MINUTES).await.unwrap();
    assert_ne!(status.url.port(), app.url.port());
    let code = qr(&app).await;
    assert_eq!(code.qr_url, format!("{}qr/{}", status.url, code.id));
    assert_eq!(reqwest::get(&code.qr_url).await.unwrap().status(), 200);
    app.server.sharing.stop().await;
    drop(busy);
}

#[tokio::test]
async fn sharing_names_one_address_and_ends_with_the_server() {
    let mut app = TestApp::spawn().await;
    let sharing = app.server.sharing.clone();
    let everywhere = IpAddr::V4(Ipv4Addr::UNSPECIFIED);
    assert!(matches!(
        sharing.start(everywhere, TEN_MINUTES).await,
        Err(SharingError::NotOneAddress(_))
    ));

    let lan = lan_url(&app);
    sharing.start(LAN, TEN_MINUTES).await.unwrap();
    app.shutdown();
    app.server.stopped.take().unwrap().await.unwrap().unwrap();
    assert!(refused(&lan).await);
    assert!(sharing.status().is_none());
    assert!(matches!(
        sharing.start(LAN, TEN_MINUTES).await,
        Err(SharingError::Stopped)
    ));
}
