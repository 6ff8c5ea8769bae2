//! The vault writes to the platform's real credential store: here the Secret Service of a
//! gnome-keyring, which `secret-tool` (libsecret) reads back independently.

use lanyard_client::desktop::vault::Vault;
use secrecy::{ExposeSecret, SecretString};
use std::process::Command;

fn secret_tool(service: &str, key: &str) -> String {
    let output = Command::new("secret-tool")
        .args(["lookup", "service", service, "username", key])
        .output()
        .expect("secret-tool is installed (scripts/keyring-session installs it)");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn refresh_tokens_live_in_the_secret_service_and_are_erased() {
    Vault::available().expect("a Secret Service answers: run inside scripts/keyring-session");
    let service = format!("Lanyard-test-{}", std::process::id());
    let vault = Vault::named(&service);
    let key = Vault::key("http://127.0.0.1:8080/", "01a2-account");
    assert_eq!(key, "http://127.0.0.1:8080#01a2-account");
    assert!(vault.load(&key).unwrap().is_none());

    let token = SecretString::from("refresh-token-of-acme");
    vault.store(&key, &token).unwrap();
    assert_eq!(
        vault.load(&key).unwrap().unwrap().expose_secret(),
        "refresh-token-of-acme"
    );
    // Not a store in memory: another program finds it in the Secret Service.
    assert_eq!(secret_tool(&service, &key), "refresh-token-of-acme");

    vault.store(&key, &SecretString::from("rotated")).unwrap();
    assert_eq!(
        secret_tool(&service, &key),
        "rotated",
        "a rotated token replaces the old one"
    );

    vault.erase(&key).unwrap();
    assert!(vault.load(&key).unwrap().is_none());
    assert_eq!(secret_tool(&service, &key), "");
    vault.erase(&key).unwrap();
}
