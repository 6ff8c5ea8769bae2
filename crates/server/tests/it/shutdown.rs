//! Graceful shutdown: requests in flight when the signal comes are finished, then the server
//! stops accepting and returns.

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
    app.stopped.take().unwrap().await.unwrap().unwrap();
    assert!(
        app.client.healthy().await.is_err(),
        "the server no longer listens"
    );
}
