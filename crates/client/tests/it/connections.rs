//! Tabs over a real server and the real Secret Service: connect, restore after a restart,
//! a session revoked on the server affecting only its tab, disconnect and reopen without a
//! password, delete (signed out, erased, gone), and a rename the tab follows.

use crate::support::{PASSWORD, anna, server};
use lanyard_client::Client;
use lanyard_client::api::{LoginRequest, UpdateAccountRequest};
use lanyard_client::desktop::connections::{ConnectionError, Connections};
use lanyard_client::desktop::vault::Vault;
use secrecy::{ExposeSecret, SecretString};

#[tokio::test(flavor = "multi_thread")]
async fn tabs_connect_restore_disconnect_and_delete() {
    Vault::available().expect("a Secret Service answers: run inside scripts/keyring-session");
    let dir = tempfile::tempdir().unwrap();
    let running = server(dir.path()).await;
    let url = running.url.clone();
    let server = url.as_str().trim_end_matches('/').to_owned();
    let client = Client::new(url.clone()).unwrap();
    anna(&client, &running.outbox).await;
    let app_data = dir.path().join("app");
    let vault = Vault::named(&format!("Lanyard-test-{}", std::process::id()));

    let mut tabs = Connections::open(&app_data, vault.clone()).unwrap();
    assert!(tabs.keyring_problem().is_none());
    let password = SecretString::from(PASSWORD);
    let acme = tabs
        .connect(&server, "anna@example.com", &password, "acme", "Laptop")
        .await
        .unwrap();
    let globex = tabs
        .connect(&server, "anna@example.com", &password, "globex", "Laptop")
        .await
        .unwrap();
    let access = tabs.access(&server, &acme.account_id).await.unwrap();
    client.account(&access, "acme").await.unwrap();
    assert!(
        vault
            .load(&Vault::key(&server, &acme.account_id))
            .unwrap()
            .is_some(),
        "the refresh token is in the keyring"
    );

    // A restart: a new instance restores both tabs by refresh, without a password.
    drop(tabs);
    let mut tabs = Connections::open(&app_data, vault.clone()).unwrap();
    let restored = tabs.restore().await;
    assert_eq!(restored.len(), 2);
    assert!(
        restored.iter().all(|(_, outcome)| outcome.is_ok()),
        "{restored:?}"
    );

    // Globex's session is revoked on the server (from another device): only its tab asks.
    let other = client
        .login(&LoginRequest {
            login: "anna@example.com".into(),
            password: PASSWORD.into(),
            account: None,
            device_name: None,
        })
        .await
        .unwrap();
    let sessions = client.sessions(&other.access_token).await.unwrap();
    // Revoke the Laptop session used last (one of the two tabs).
    let newest_laptop = sessions
        .iter()
        .filter(|s| s.device_name == "Laptop")
        .max_by_key(|s| s.last_used_at)
        .unwrap();
    client
        .revoke_session(&other.access_token, &newest_laptop.id)
        .await
        .unwrap();
    drop(tabs);
    let mut tabs = Connections::open(&app_data, vault.clone()).unwrap();
    let restored = tabs.restore().await;
    let failed: Vec<_> = restored
        .iter()
        .filter(|(_, o)| o.is_err())
        .map(|(a, _)| a.address.as_str())
        .collect();
    assert_eq!(
        failed.len(),
        1,
        "exactly one tab asks for a sign-in: {restored:?}"
    );
    let (survivor, lost) = if failed[0] == "acme" {
        (&globex, &acme)
    } else {
        (&acme, &globex)
    };
    assert!(matches!(
        tabs.access(&server, &lost.account_id).await,
        Err(ConnectionError::NeedsSignIn { .. })
    ));
    tabs.access(&server, &survivor.account_id).await.unwrap();

    // Disconnect closes the tab but keeps the account; reopening needs no password.
    tabs.disconnect(&server, &survivor.account_id).unwrap();
    assert!(
        !tabs
            .accounts()
            .iter()
            .find(|a| a.account_id == survivor.account_id)
            .unwrap()
            .open
    );
    tabs.reopen(&server, &survivor.account_id).await.unwrap();

    // A rename on the server: the tab follows the account id and shows the new address.
    let admin = tabs.access(&server, &survivor.account_id).await.unwrap();
    let rename = UpdateAccountRequest {
        new_address: Some(format!("{}-renamed", survivor.address)),
        ..Default::default()
    };
    client
        .update_account(&admin, &survivor.address, &rename)
        .await
        .unwrap();
    drop(tabs);
    let mut tabs = Connections::open(&app_data, vault.clone()).unwrap();
    tabs.restore().await;
    let shown = tabs
        .accounts()
        .iter()
        .find(|a| a.account_id == survivor.account_id)
        .unwrap()
        .address
        .clone();
    assert_eq!(shown, format!("{}-renamed", survivor.address));

    // Delete: signed out on the server, erased from the keyring, gone from the list.
    let key = Vault::key(&server, &survivor.account_id);
    let refresh = vault.load(&key).unwrap().unwrap();
    tabs.delete(&server, &survivor.account_id).await.unwrap();
    assert!(vault.load(&key).unwrap().is_none());
    assert!(
        tabs.accounts()
            .iter()
            .all(|a| a.account_id != survivor.account_id)
    );
    assert_eq!(
        client.refresh(&refresh).await.unwrap_err().code(),
        Some(lanyard_core::Code::InvalidToken)
    );
    let file = std::fs::read_to_string(app_data.join("accounts.json")).unwrap();
    assert!(
        !file.contains(refresh.expose_secret()),
        "no refresh token in the app's files"
    );
}

/// Deleting an account while its server is down: it leaves the list and its keyring entry at
/// once (no error to stop it), and its session is revoked when the server answers again, even
/// after the app restarted in between.
#[tokio::test(flavor = "multi_thread")]
async fn an_account_deleted_while_its_server_is_down_is_revoked_when_it_is_back() {
    Vault::available().expect("a Secret Service answers: run inside scripts/keyring-session");
    let dir = tempfile::tempdir().unwrap();
    let mut running = server(dir.path()).await;
    let url = running.url.clone();
    let server_url = url.as_str().trim_end_matches('/').to_owned();
    let client = Client::new(url.clone()).unwrap();
    anna(&client, &running.outbox).await;
    let app_data = dir.path().join("app");
    let vault = Vault::named(&format!("Lanyard-offline-{}", std::process::id()));
    let mut tabs = Connections::open(&app_data, vault.clone()).unwrap();
    let password = SecretString::from(PASSWORD);
    let acme = tabs
        .connect(&server_url, "anna@example.com", &password, "acme", "Laptop")
        .await
        .unwrap();
    let key = Vault::key(&server_url, &acme.account_id);
    let refresh = vault.load(&key).unwrap().unwrap();

    running.shutdown();
    running.stopped.take().unwrap().await.unwrap().unwrap();
    tabs.delete(&server_url, &acme.account_id).await.unwrap();
    assert!(tabs.accounts().is_empty(), "gone from the list at once");
    assert!(
        vault.load(&key).unwrap().is_none(),
        "its keyring entry erased at once"
    );
    let queued = std::fs::read_to_string(app_data.join("revocations.json")).unwrap();
    assert!(queued.contains(&key) && !queued.contains(refresh.expose_secret()));
    assert_eq!(
        tabs.revoke_pending().await.unwrap(),
        1,
        "still down: still waiting"
    );

    // The app restarts, and the server comes back on its address.
    drop(tabs);
    let mut config = lanyard_testkit::server::config(
        &format!("sqlite://{}", dir.path().join("server.db").display()),
        dir.path(),
    );
    config.bind = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap())
        .parse()
        .unwrap();
    let _back = lanyard_testkit::server::Running::start(
        config,
        std::sync::Arc::new(lanyard_core::clock::SystemClock),
    )
    .await;
    let rotated = client
        .refresh(&refresh)
        .await
        .expect("the session lived on while the server was down");
    let mut tabs = Connections::open(&app_data, vault.clone()).unwrap();
    assert_eq!(
        tabs.revoke_pending().await.unwrap(),
        0,
        "the server heard of it"
    );
    let after = std::fs::read_to_string(app_data.join("revocations.json")).unwrap();
    assert!(!after.contains(&key));
    assert!(
        vault.load(&format!("revoke:{key}")).unwrap().is_none(),
        "the token kept for the revocation is erased too"
    );
    assert!(
        client.refresh(&rotated.refresh_token).await.is_err(),
        "the session is revoked on the server"
    );
}
