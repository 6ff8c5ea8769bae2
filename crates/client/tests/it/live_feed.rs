//! The desktop's live feed over a real server: open, an event, the server restarting (the
//! feed is lost, and comes back by itself when the server does), and nothing said while it was
//! away is lost (it resumes after the last event it saw).

use crate::support::{PASSWORD, anna, server};
use lanyard_client::Client;
use lanyard_client::api::{Event, LoginRequest};
use lanyard_client::desktop::live_feed::LiveFeed;
use lanyard_testkit::server::{Running, config};
use std::sync::Arc;
use std::time::Duration;

const PATIENCE: Duration = Duration::from_secs(60);

fn login(device: &str) -> LoginRequest {
    LoginRequest {
        login: "anna@example.com".into(),
        password: PASSWORD.into(),
        account: None,
        device_name: Some(device.into()),
    }
}

/// The device name of the next event, which must be a sign-in.
async fn next_sign_in(feed: &mut LiveFeed) -> String {
    let received = tokio::time::timeout(PATIENCE, feed.next())
        .await
        .expect("an event in time")
        .expect("the feed is open");
    match received.event {
        Event::SignedIn { device_name, .. } => device_name,
        other => panic!("a sign-in, not {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_feed_comes_back_after_a_server_restart_and_misses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut running = server(dir.path()).await;
    let url = running.url.clone();
    let client = Client::new(url.clone()).unwrap();
    anna(&client, &running.outbox).await;
    let laptop = client.login(&login("Laptop")).await.unwrap();

    let mut feed = LiveFeed::new();
    feed.open(&client, &laptop.access_token).await.unwrap();
    client.login(&login("Phone")).await.unwrap();
    assert_eq!(next_sign_in(&mut feed).await, "Phone");

    // The server stops: the stream ends, and opening it fails while nobody answers.
    running.shutdown();
    running.stopped.take().unwrap().await.unwrap().unwrap();
    assert!(
        tokio::time::timeout(PATIENCE, feed.next())
            .await
            .unwrap()
            .is_none()
    );
    assert!(!feed.is_open());
    assert!(feed.open(&client, &laptop.access_token).await.is_err());

    // It is back on its address; a sign-in happens before the feed reconnects.
    let mut config = config(
        &format!("sqlite://{}", dir.path().join("server.db").display()),
        dir.path(),
    );
    config.bind = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap())
        .parse()
        .unwrap();
    let _back = Running::start(config, Arc::new(lanyard_core::clock::SystemClock)).await;
    client.login(&login("Tablet")).await.unwrap();
    let reopened = tokio::time::timeout(PATIENCE, async {
        loop {
            feed.pause().await;
            if feed.open(&client, &laptop.access_token).await.is_ok() {
                return;
            }
        }
    });
    reopened
        .await
        .expect("the feed opens again once the server answers");
    assert_eq!(
        next_sign_in(&mut feed).await,
        "Tablet",
        "what happened while the feed was away arrives when it resumes"
    );
    client.login(&login("Desktop")).await.unwrap();
    assert_eq!(next_sign_in(&mut feed).await, "Desktop");
}
