//! The list of connected accounts survives restarts, keeps its order and never holds a secret.

use lanyard_client::desktop::account_list::{AccountList, Connected};

fn acme(open: bool) -> Connected {
    Connected {
        server: "http://127.0.0.1:8080".into(),
        account_id: "id-acme".into(),
        address: "acme".into(),
        name: "Acme".into(),
        login: "anna@example.com".into(),
        open,
        muted: false,
        deleting: false,
    }
}

#[test]
fn connected_accounts_are_kept_in_order_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let mut list = AccountList::open(dir.path()).unwrap();
    assert!(list.all().is_empty());
    list.upsert(acme(true)).unwrap();
    let globex = Connected {
        account_id: "id-globex".into(),
        address: "globex".into(),
        name: "Globex".into(),
        ..acme(true)
    };
    list.upsert(globex.clone()).unwrap();

    // Disconnect: the tab closes, the account stays listed.
    assert!(
        list.set_open("http://127.0.0.1:8080", "id-acme", false)
            .unwrap()
    );
    // A rename seen on refresh updates the entry in place.
    list.upsert(Connected {
        address: "acme-group".into(),
        ..acme(false)
    })
    .unwrap();

    let reopened = AccountList::open(dir.path()).unwrap();
    let addresses: Vec<_> = reopened
        .all()
        .iter()
        .map(|a| (a.address.as_str(), a.open))
        .collect();
    assert_eq!(addresses, [("acme-group", false), ("globex", true)]);

    let mut reopened = reopened;
    reopened
        .remove("http://127.0.0.1:8080", "id-globex")
        .unwrap();
    assert_eq!(AccountList::open(dir.path()).unwrap().all().len(), 1);
    assert!(
        !reopened
            .set_open("http://127.0.0.1:8080", "id-globex", true)
            .unwrap()
    );
    let on_disk = std::fs::read_to_string(dir.path().join("accounts.json")).unwrap();
    assert!(
        !on_disk.to_lowercase().contains("token"),
        "no secret in the file: {on_disk}"
    );
}

#[test]
fn a_damaged_list_is_an_error_not_an_empty_list() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("accounts.json"), "{ not json").unwrap();
    assert!(
        AccountList::open(dir.path()).is_err(),
        "never silently forget the accounts"
    );
}

/// "Mute notifications" is kept with the account across restarts; a list written before
/// muting existed reads as not muted.
#[test]
fn a_muted_account_stays_muted_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut list = AccountList::open(dir.path()).unwrap();
    list.upsert(acme(true)).unwrap();
    assert!(
        list.set_muted("http://127.0.0.1:8080", "id-acme", true)
            .unwrap()
    );
    let reopened = AccountList::open(dir.path()).unwrap();
    assert!(reopened.all()[0].muted);
    assert!(
        !list
            .set_muted("http://127.0.0.1:8080", "id-nobody", true)
            .unwrap()
    );

    let older = r#"[{"server":"local","account_id":"a","address":"acme","name":"Acme","login":"anna@example.com","open":true}]"#;
    std::fs::write(dir.path().join("accounts.json"), older).unwrap();
    assert!(!AccountList::open(dir.path()).unwrap().all()[0].muted);
}
