//! Graceful shutdown, restarts and a second server on the same database.

use crate::harness::{PASSWORD, TestApp};

#[tokio::test]
async fn requests_in_flight_finish_before_the_server_stops() {
    let mut app = TestApp::spawn().await;
    app.register_verified("anna@example.com").await;
    // Each sign-in spends ~19 MiB and tens of milliseconds hashing, so several queue up.
    let logins: Vec<_> = (0..6)
        .map(|_| {
            let client = app.client.clone();
            tokio::spawn(async move {
                client
                    .login(&lanyard_client::api::LoginRequest {
                        login: "anna@example.com".into(),
                        password: PASSWORD.into(),
                        account: None,
                        device_name: None,
                    })
                    .await
            })
        })
        .collect();
    // Give the requests time to be accepted (loopback connects in well under this).
    tokio::time::sleep(std::time::Duration::from_millis(40)).await;
    app.shutdown();
    for login in logins {
        login
            .await
            .unwrap()
            .expect("a request in flight is answered");
    }
    app.server.stopped.take().unwrap().await.unwrap().unwrap();
    assert!(
        app.client.healthy().await.is_err(),
        "the server no longer listens"
    );
}

#[tokio::test]
async fn sessions_survive_a_restart_and_work_on_another_replica() {
    let mut first = TestApp::spawn().await;
    let tokens = first.signed_in("anna@example.com").await;
    let second = first.another_on_same_database().await;
    // The signing key lives in the database: each server honours the other's tokens.
    second.client.me(&tokens.access_token).await.unwrap();
    let renewed = second.client.refresh(&tokens.refresh_token).await.unwrap();
    first.client.me(&renewed.access_token).await.unwrap();

    first.shutdown();
    first.server.stopped.take().unwrap().await.unwrap().unwrap();
    let restarted = second.another_on_same_database().await;
    restarted.client.me(&renewed.access_token).await.unwrap();
    restarted
        .client
        .refresh(&renewed.refresh_token)
        .await
        .unwrap();
    assert!(restarted.login("anna@example.com", PASSWORD).await.is_ok());
}
