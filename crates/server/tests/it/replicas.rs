//! Several servers on one database, as replicas behind a load balancer: what one decides,
//! the others honour at once.

use crate::harness::{PASSWORD, TestApp, assert_refused};

/// A refresh token sent to two replicas at the same moment (a retry, or a thief racing the
/// owner) is spent once: one answer has new tokens, the other is refused.
#[tokio::test]
async fn a_refresh_token_presented_to_two_replicas_at_once_is_spent_once() {
    let first = TestApp::spawn().await;
    let second = first.another_on_same_database().await;
    first.register_verified("anna@example.com").await;
    for _ in 0..10 {
        let tokens = first.login("anna@example.com", PASSWORD).await.unwrap();
        let (a, b) = tokio::join!(
            first.client.refresh(&tokens.refresh_token),
            second.client.refresh(&tokens.refresh_token),
        );
        assert_eq!(
            usize::from(a.is_ok()) + usize::from(b.is_ok()),
            1,
            "exactly one replica rotates the token: {a:?} / {b:?}"
        );
        for refused in [a, b].into_iter().filter_map(Result::err) {
            assert_eq!(refused.status(), Some(401), "{refused:?}");
        }
    }
}

/// Revoking a session on one replica ends it on every other at once: its access token and
/// its refresh token are refused there on the next request.
#[tokio::test]
async fn a_session_revoked_on_one_replica_is_refused_by_the_others_at_once() {
    let first = TestApp::spawn().await;
    let second = first.another_on_same_database().await;
    let laptop = first.signed_in("anna@example.com").await;
    let phone = second.login("anna@example.com", PASSWORD).await.unwrap();
    second.client.me(&phone.access_token).await.unwrap();

    let sessions = first.client.sessions(&laptop.access_token).await.unwrap();
    let other = sessions.iter().find(|session| !session.current).unwrap();
    first
        .client
        .revoke_session(&laptop.access_token, &other.id)
        .await
        .unwrap();

    assert_refused(
        second.client.me(&phone.access_token).await,
        401,
        "unauthorized",
    );
    assert_eq!(
        second
            .client
            .refresh(&phone.refresh_token)
            .await
            .unwrap_err()
            .status(),
        Some(401)
    );
    second.client.me(&laptop.access_token).await.unwrap();
}

/// A password changed through one replica signs the profile's other sessions out on every
/// replica at once; the session that changed it stays signed in everywhere.
#[tokio::test]
async fn a_password_changed_on_one_replica_ends_the_other_sessions_on_every_replica() {
    let first = TestApp::spawn().await;
    let second = first.another_on_same_database().await;
    let laptop = first.signed_in("anna@example.com").await;
    let phone = second.login("anna@example.com", PASSWORD).await.unwrap();
    second.client.me(&phone.access_token).await.unwrap();

    first
        .client
        .change_password(&laptop.access_token, PASSWORD, "a new passphrase for anna")
        .await
        .unwrap();

    for replica in [&first, &second] {
        assert_refused(
            replica.client.me(&phone.access_token).await,
            401,
            "unauthorized",
        );
        replica.client.me(&laptop.access_token).await.unwrap();
    }
}

/// An attacker who spreads wrong passwords over replicas gets the budget one server gives:
/// the limits live in the database the replicas share.
#[tokio::test]
async fn guesses_spread_over_replicas_share_one_budget() {
    let first = TestApp::spawn().await;
    let second = first.another_on_same_database().await;
    first.register_verified("anna@example.com").await;
    let mut answers = Vec::new();
    for guess in 0..12 {
        let replica = if guess % 2 == 0 { &first } else { &second };
        let answer = replica.login("anna@example.com", "a wrong guess").await;
        answers.push(answer.unwrap_err().status().unwrap_or_default());
    }
    assert_eq!(&answers[..10], &[401; 10], "{answers:?}");
    assert_eq!(&answers[10..], &[429, 429], "{answers:?}");
}
