//! The attacks on the server's edges (issue 9: 8 QR relaying, 9 SSRF through the SSO issuer,
//! 10 unbounded long-polls, 11 DNS rebinding), each written as Mallory's steps.

use crate::harness::{TestApp, assert_refused};
use lanyard_client::api::SsoConfig;
use lanyard_testkit::oidc::{CLIENT_ID, CLIENT_SECRET};
use serde_json::json;

/// Attack 8. Mallory relays a QR request to Anna's phone: she names her machine "ANNA-PC –
/// tap 37", re-creates requests until the number she wants comes up, and hopes Anna's
/// default choice signs in her whole profile.
#[tokio::test]
async fn a_relayed_qr_request_shows_what_the_server_saw_and_cannot_pick_its_number() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let http = reqwest::Client::new();
    let create = || {
        http.post(app.url.join("api/v1/qr").unwrap())
            .header("user-agent", "curl/8.5.0")
            .json(&json!({"device_name": "ANNA-PC – tap 37", "platform": "Anna's laptop"}))
            .send()
    };
    let mut numbers = Vec::new();
    let mut last = serde_json::Value::Null;
    for _ in 0..5 {
        last = create().await.unwrap().json().await.unwrap();
        numbers.push(last["match_number"].as_u64().unwrap());
    }
    assert!(
        numbers.windows(2).all(|pair| pair[0] == pair[1])
            || numbers.iter().filter(|n| **n == numbers[4]).count() >= 4,
        "re-creating a request does not re-roll its number within a code's lifetime: {numbers:?}"
    );
    let id = last["id"].as_str().unwrap();
    let details = app.client.qr_details(&anna.access_token, id).await.unwrap();
    assert_eq!(details.device_name, "curl");
    assert_eq!(details.platform, None);
    assert!(details.needs_account);
    assert_eq!(details.ip, "127.0.0.1");

    // The page the phone opens may not be framed, cached, or leak its address.
    let page = http
        .get(app.url.join(&format!("qr/{id}")).unwrap())
        .send()
        .await
        .unwrap();
    let header = |name: &str| {
        page.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(
        header("content-security-policy").as_deref(),
        Some("frame-ancestors 'none'")
    );
    assert_eq!(header("cache-control").as_deref(), Some("no-store"));
    assert_eq!(header("referrer-policy").as_deref(), Some("no-referrer"));

    // A tab's request signs in to one account the approver picks, never the whole profile.
    let number = last["match_number"].as_u64().unwrap() as u8;
    assert_refused(
        app.client
            .qr_approve(&anna.access_token, id, number, None)
            .await,
        422,
        "invalid_input",
    );
    app.client
        .qr_approve(&anna.access_token, id, number, Some("acme"))
        .await
        .unwrap();
}

/// Attack 10. Mallory, who saw a QR code's id, opens thousands of waiting polls on it.
#[tokio::test]
async fn polls_waiting_on_one_qr_request_are_bounded() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let created = app.client.qr_create("laptop", None).await.unwrap();
    let mut waiting = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let client = app.client.clone();
        let (id, token) = (created.id.clone(), created.poll_token.clone());
        waiting.spawn(async move { client.qr_poll(&id, &token, 25).await });
    }
    // Three get a place and wait; the other three are turned away at once.
    for _ in 0..3 {
        let refused = tokio::time::timeout(std::time::Duration::from_secs(20), waiting.join_next())
            .await
            .expect("the polls beyond the bound are answered at once")
            .unwrap()
            .unwrap();
        assert_refused(Err::<(), _>(refused.unwrap_err()), 429, "rate_limited");
    }
    app.client
        .qr_deny(&anna.access_token, &created.id)
        .await
        .unwrap();
    while let Some(ended) = waiting.join_next().await {
        assert_refused(ended.unwrap(), 410, "expired");
    }
}

/// Attack 9. Mallory, administrator of her own account, points its single sign-on at
/// addresses inside the server's network and reads the answers from the error texts.
#[tokio::test]
async fn an_sso_issuer_cannot_aim_the_server_at_its_own_network() {
    let app = TestApp::spawn_with(|config| config.allow_private_issuers = false).await;
    let mallory = app.admin_of("evil").await;
    let configure = |issuer: &str| {
        let config = SsoConfig {
            issuer: issuer.into(),
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
        };
        let client = app.client.clone();
        let access = mallory.access_token.clone();
        async move { client.configure_sso(&access, "evil", &config).await }
    };
    for inside in [
        app.url.as_str(),
        "http://127.0.0.1:5432/",
        "https://127.0.0.5:9/",
        "https://[::1]/",
        "https://localhost/",
        "http://issuer.invalid/",
    ] {
        assert_refused(configure(inside).await, 422, "issuer_not_allowed");
    }
    // A name that does not answer gets the one text every failure gets: no status, no URL.
    let unreachable = configure("https://issuer.invalid/").await;
    match &unreachable {
        Err(lanyard_client::ApiError::Problem { problem, .. }) => {
            assert_eq!(problem.code, "issuer_unreachable");
            assert!(!problem.detail.contains("invalid"), "{}", problem.detail);
        }
        other => panic!("issuer_unreachable, not {other:?}"),
    }
}

/// Attack 11. A web page Anna visits points its own name at 127.0.0.1 and calls the embedded
/// server through Anna's browser.
#[tokio::test]
async fn requests_for_another_host_are_misdirected() {
    let app = TestApp::spawn().await;
    let http = reqwest::Client::new();
    let port = app.url.port().unwrap();
    let with_host = |host: String| {
        http.get(app.url.join("api/v1/openapi.json").unwrap())
            .header("host", host)
            .send()
    };
    let rebound = with_host(format!("rebind.attacker.example:{port}"))
        .await
        .unwrap();
    assert_eq!(rebound.status(), 421);
    let problem: serde_json::Value = rebound.json().await.unwrap();
    assert_eq!(problem["code"], "misdirected_request");
    assert_eq!(
        with_host(format!("localhost:{port}"))
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        with_host(format!("127.0.0.1:{port}"))
            .await
            .unwrap()
            .status(),
        200
    );
    // A load balancer probing by address still sees the server healthy.
    let health = http
        .get(app.url.join("healthz").unwrap())
        .header("host", "127.0.0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
}

/// Attack 12 (smaller): an operator's typo in `--database` must not print its password into
/// the log that support reads.
#[tokio::test]
async fn a_mistyped_database_url_keeps_its_password_out_of_the_log() {
    let output = tokio::task::spawn_blocking(|| {
        std::process::Command::new(env!("CARGO_BIN_EXE_lanyard-server"))
            .args([
                "--database",
                "postgress://lanyard:hunter2-secret@db.invalid/lanyard",
            ])
            .args(["admin", "grant-rename", "acme"])
            .output()
    })
    .await
    .unwrap()
    .unwrap();
    assert!(!output.status.success());
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(said.contains("postgress://"), "{said}");
    assert!(!said.contains("hunter2"), "{said}");
}
