//! An app killed between two of its writes (the keyring, the list of accounts): the next start
//! makes them agree, over a real server and the real Secret Service. Each crash is made by
//! writing what the app had written when it stopped, and no more.

use crate::support::{PASSWORD, anna, server};
use lanyard_client::Client;
use lanyard_client::api::{LoginRequest, Tokens};
use lanyard_client::desktop::account_list::{AccountList, Connected};
use lanyard_client::desktop::connections::{ConnectionError, Connections};
use lanyard_client::desktop::vault::Vault;
use lanyard_core::Code;
use secrecy::{ExposeSecret, SecretString};

/// Anna signs in on a laptop, to her profile or straight to the account at `address`.
async fn sign_in(client: &Client, address: Option<&str>) -> Tokens {
    let login = LoginRequest {
        login: "anna@example.com".into(),
        password: PASSWORD.into(),
        account: address.map(Into::into),
        device_name: Some("Laptop".into()),
    };
    client.login(&login).await.unwrap()
}

/// Anna connects `address` in the app, on a laptop.
async fn connect(tabs: &mut Connections, server: &str, address: &str) -> Connected {
    let password = SecretString::from(PASSWORD);
    let connecting = tabs.connect(server, "anna@example.com", &password, address, "Laptop");
    connecting.await.unwrap()
}

async fn revoked(client: &Client, refresh: &SecretString) -> bool {
    client.refresh(refresh).await.err().and_then(|e| e.code()) == Some(Code::InvalidToken)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_next_start_makes_the_keyring_and_the_list_agree() {
    Vault::available().expect("a Secret Service answers: run inside scripts/keyring-session");
    let dir = tempfile::tempdir().unwrap();
    let running = server(dir.path()).await;
    let server = running.url.as_str().trim_end_matches('/').to_owned();
    let client = Client::new(running.url.clone()).unwrap();
    anna(&client, &running.outbox).await;
    let app_data = dir.path().join("app");
    let vault = Vault::named(&format!("Lanyard-reconcile-{}", std::process::id()));
    let keys = || {
        let mut keys = vault
            .keys()
            .unwrap()
            .expect("the Secret Service is searched");
        keys.sort();
        keys
    };

    // Killed during a sign-in, after the keyring took the token and before the list was saved:
    // an entry of no account. The next start signs its session out and erases it.
    let profile = sign_in(&client, None).await;
    let acme_id = client
        .my_accounts(&profile.access_token)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.address == "acme")
        .unwrap()
        .id;
    let orphan_key = Vault::key(&server, &acme_id);
    let orphan = sign_in(&client, Some("acme")).await.refresh_token;
    vault.store(&orphan_key, &orphan).unwrap();
    let mut tabs = Connections::open(&app_data, vault.clone()).unwrap();
    assert!(tabs.accounts().is_empty());
    assert_eq!(
        keys(),
        [format!("revoke:{orphan_key}")],
        "the orphan entry is erased, its token kept only to sign it out"
    );
    let queued = std::fs::read_to_string(app_data.join("revocations.json")).unwrap();
    assert!(queued.contains(&orphan_key) && !queued.contains(orphan.expose_secret()));
    assert_eq!(tabs.revoke_pending().await.unwrap(), 0);
    assert!(revoked(&client, &orphan).await, "its session is signed out");
    assert!(keys().is_empty(), "the token kept for that is erased too");

    // The same sign-in, finished this time, and a second account.
    let acme = connect(&mut tabs, &server, "acme").await;
    let globex = connect(&mut tabs, &server, "globex").await;
    let acme_key = Vault::key(&server, &acme.account_id);
    let globex_key = Vault::key(&server, &globex.account_id);
    let only_acme = vec![acme_key.clone()];
    let mut both = vec![acme_key.clone(), globex_key.clone()];
    both.sort();
    assert_eq!(keys(), both);
    drop(tabs);

    // Killed during a delete of globex, after its mark was saved (the server not told yet,
    // its entry still there): the next start finishes it, and its session is signed out.
    let globex_token = vault.load(&globex_key).unwrap().unwrap();
    let mut list = AccountList::open(&app_data).unwrap();
    assert!(list.set_deleting(&server, &globex.account_id).unwrap());
    let mut tabs = Connections::open(&app_data, vault.clone()).unwrap();
    let listed: Vec<_> = tabs.accounts().iter().map(|a| a.address.clone()).collect();
    assert_eq!(listed, ["acme"]);
    assert!(
        !keys().contains(&globex_key),
        "its entry is erased: {:?}",
        keys()
    );
    assert_eq!(tabs.revoke_pending().await.unwrap(), 0);
    assert!(revoked(&client, &globex_token).await);
    assert_eq!(keys(), only_acme);

    // Killed later in a delete, after the entry was erased and before the account left the
    // list: finished too.
    let globex = connect(&mut tabs, &server, "globex").await;
    drop(tabs);
    let mut list = AccountList::open(&app_data).unwrap();
    list.set_deleting(&server, &globex.account_id).unwrap();
    vault.erase(&globex_key).unwrap();
    let mut tabs = Connections::open(&app_data, vault.clone()).unwrap();
    assert_eq!(tabs.accounts().len(), 1);
    assert_eq!(keys(), only_acme);

    // A listed account whose secret is gone: kept, and its tab asks for a sign-in (the other
    // tabs go on).
    let globex = connect(&mut tabs, &server, "globex").await;
    drop(tabs);
    vault.erase(&globex_key).unwrap();
    let mut tabs = Connections::open(&app_data, vault.clone()).unwrap();
    let restored = tabs.restore().await;
    assert_eq!(restored.len(), 2);
    for (account, outcome) in &restored {
        match account.address.as_str() {
            "acme" => assert!(outcome.is_ok(), "{outcome:?}"),
            _ => assert!(
                matches!(outcome, Err(ConnectionError::NeedsSignIn { .. })),
                "{outcome:?}"
            ),
        }
    }
    assert_eq!(keys(), only_acme);

    // A token kept for a revocation, its record not saved: it waits for its server as well.
    tabs.delete(&server, &globex.account_id).await.unwrap();
    drop(tabs);
    let kept = sign_in(&client, Some("globex")).await.refresh_token;
    vault.store(&format!("revoke:{globex_key}"), &kept).unwrap();
    let mut tabs = Connections::open(&app_data, vault.clone()).unwrap();
    assert_eq!(tabs.revoke_pending().await.unwrap(), 0);
    assert!(revoked(&client, &kept).await);
    assert_eq!(keys(), only_acme);

    tabs.delete(&server, &acme.account_id).await.unwrap();
    assert!(keys().is_empty());
}
