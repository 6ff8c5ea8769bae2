//! People made on each server through its own HTTP API: signed up, verified by the token of
//! the mail the server wrote to its outbox folder, signed in.

use crate::common::{login_request, register_request};
use futures_util::future::join_all;
use lanyard_client::Client;
use lanyard_client::api::LoginRequest;
use lanyard_testkit::mail::Mail;
use secrecy::SecretString;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::path::Path;
use std::time::Duration;

/// Calls in flight while people are made.
const IN_FLIGHT: usize = 16;

/// Profiles registered as `emails`, verified through the outbox, signed in: their access
/// tokens, in order.
pub async fn lanyard_admins(
    client: &Client,
    outbox: &Path,
    emails: &[String],
) -> Vec<SecretString> {
    batched(emails, |email| async move {
        client.register(&register_request(email)).await.unwrap();
    })
    .await;
    let tokens = tokens_to(outbox, emails, |bytes| {
        let mail = Mail::from_eml(bytes);
        Some((mail.to.clone(), mail.token()))
    })
    .await;
    batched(emails, |email| {
        let token = &tokens[email];
        async move { client.verify_email(token).await.unwrap() }
    })
    .await;
    batched(emails, |email| async move {
        let request = LoginRequest {
            login: email.clone(),
            ..login_request()
        };
        client.login(&request).await.unwrap().access_token
    })
    .await
}

/// The tokens of the verification mails to `wanted`, from the files in `outbox` (`read`
/// gives a mail's recipient and token), waiting up to 20 s for the last of them. Servers
/// write a mail aside and rename it into place, so a file of the right name is complete.
pub async fn tokens_to(
    outbox: &Path,
    wanted: &[String],
    read: impl Fn(&[u8]) -> Option<(String, String)>,
) -> HashMap<String, String> {
    let wanted: HashSet<&str> = wanted.iter().map(String::as_str).collect();
    let (mut seen, mut tokens) = (HashSet::new(), HashMap::new());
    for _ in 0..200 {
        for entry in std::fs::read_dir(outbox).unwrap().flatten() {
            let path = entry.path();
            let mail = path
                .extension()
                .is_some_and(|extension| extension == "eml" || extension == "json");
            if mail && seen.insert(path.clone()) {
                let found = read(&std::fs::read(&path).unwrap());
                if let Some((to, token)) = found.filter(|(to, _)| wanted.contains(to.as_str())) {
                    tokens.insert(to, token);
                }
            }
        }
        if tokens.len() == wanted.len() {
            return tokens;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "{} of {} verification mails came",
        tokens.len(),
        wanted.len()
    );
}

/// `call` on every email, `IN_FLIGHT` at a time (more, and Lanyard sheds the password work it
/// cannot start soon: 503 `overloaded`); the results, in order.
pub async fn batched<'a, R, Fut>(emails: &'a [String], call: impl Fn(&'a String) -> Fut) -> Vec<R>
where
    Fut: Future<Output = R>,
{
    let mut results = Vec::with_capacity(emails.len());
    for batch in emails.chunks(IN_FLIGHT) {
        results.extend(join_all(batch.iter().map(&call)).await);
    }
    results
}
