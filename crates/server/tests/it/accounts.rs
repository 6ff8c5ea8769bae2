//! Accounts: creation limit, addresses, renames and their allowance, access.

use crate::harness::{TestApp, assert_refused};
use lanyard_client::api::{LoginRequest, Role, Status, UpdateAccountRequest};
use lanyard_core::Code;

fn rename_to(address: &str) -> UpdateAccountRequest {
    UpdateAccountRequest {
        new_address: Some(address.into()),
        ..Default::default()
    }
}

#[tokio::test]
async fn the_creator_is_the_first_admin_and_may_create_seven() {
    let app = TestApp::spawn().await;
    let anna = app.signed_in("anna@example.com").await;
    let acme = app
        .client
        .create_account(&anna.access_token, " Acme ", "Acme Ltd")
        .await
        .unwrap();
    assert_eq!(
        (
            acme.address.as_str(),
            acme.name.as_str(),
            acme.plan.as_str()
        ),
        ("acme", "Acme Ltd", "free")
    );
    assert_eq!(
        (acme.licence.limit, acme.licence.used, acme.renames_left),
        (12, 1, 1)
    );

    let mine = app.client.my_accounts(&anna.access_token).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0].role, mine[0].status, mine[0].id.as_str()),
        (Role::Admin, Status::Active, acme.id.as_str())
    );
    let team = app
        .client
        .employees(&anna.access_token, "acme", None, Default::default())
        .await
        .unwrap();
    assert_eq!(team.items.len(), 1);
    assert_eq!(team.items[0].role, Role::Admin);

    for n in 2..=7 {
        app.client
            .create_account(&anna.access_token, &format!("acme-{n}"), "More")
            .await
            .unwrap();
    }
    assert_refused(
        app.client
            .create_account(&anna.access_token, "acme-8", "One too many")
            .await,
        409,
        "account_limit",
    );
}

#[tokio::test]
async fn addresses_are_checked_and_unique() {
    let app = TestApp::spawn().await;
    let anna = app.signed_in("anna@example.com").await;
    for bad in ["ab", "Acme!", "acme.com", "a b c", &"x".repeat(41)] {
        assert_refused(
            app.client
                .create_account(&anna.access_token, bad, "Bad")
                .await,
            422,
            "invalid_address",
        );
    }
    app.client
        .create_account(&anna.access_token, "acme", "Acme")
        .await
        .unwrap();
    let ben = app.signed_in("ben@example.com").await;
    assert_refused(
        app.client
            .create_account(&ben.access_token, "ACME", "Mine")
            .await,
        409,
        "address_taken",
    );
}

#[tokio::test]
async fn one_rename_then_support_grants_more_on_paid_plans() {
    let app = TestApp::spawn().await;
    let anna = app.signed_in("anna@example.com").await;
    let acme = app
        .client
        .create_account(&anna.access_token, "acme", "Acme")
        .await
        .unwrap();
    let tab = app.login_to("anna@example.com", "acme").await.unwrap();

    let renamed = app
        .client
        .update_account(&anna.access_token, "acme", &rename_to("acme-group"))
        .await
        .unwrap();
    assert_eq!(
        (
            renamed.id.as_str(),
            renamed.address.as_str(),
            renamed.renames_left
        ),
        (acme.id.as_str(), "acme-group", 0)
    );
    // The old address keeps resolving to the same account, and the saved tab keeps working.
    assert_eq!(
        app.client
            .account(&anna.access_token, "acme")
            .await
            .unwrap()
            .id,
        acme.id
    );
    let refreshed = app.client.refresh(&tab.refresh_token).await.unwrap();
    assert_eq!(refreshed.account.unwrap().address, "acme-group");
    assert_eq!(
        app.login_to("anna@example.com", "acme")
            .await
            .unwrap()
            .account
            .unwrap()
            .id,
        acme.id
    );

    assert_refused(
        app.client
            .update_account(&anna.access_token, "acme-group", &rename_to("acme-3"))
            .await,
        409,
        "rename_limit",
    );
    // Nobody else can take the old address.
    let ben = app.signed_in("ben@example.com").await;
    assert_refused(
        app.client
            .create_account(&ben.access_token, "acme", "Squat")
            .await,
        409,
        "address_taken",
    );

    // Support: a further rename only on a paid plan.
    let refused = app.operator(&["admin", "grant-rename", "acme-group"]).await;
    assert!(refused.unwrap_err().contains("free plan"));
    app.operator(&["admin", "set-plan", "acme", "standard"])
        .await
        .unwrap();
    app.operator(&["admin", "grant-rename", "acme-group"])
        .await
        .unwrap();
    let again = app
        .client
        .update_account(&anna.access_token, "acme-group", &rename_to("acme"))
        .await
        .unwrap();
    assert_eq!(
        (
            again.address.as_str(),
            again.plan.as_str(),
            again.licence.limit
        ),
        ("acme", "standard", 50)
    );
}

#[tokio::test]
async fn only_admins_rename_and_only_members_look() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let ben = app.signed_in("ben@example.com").await;
    assert_refused(
        app.client.account(&ben.access_token, "acme").await,
        403,
        "no_access",
    );
    assert_refused(
        app.client.account(&ben.access_token, "nowhere").await,
        404,
        "not_found",
    );
    app.hire(&anna, "acme", "ben@work.example", &ben).await;
    app.client.account(&ben.access_token, "acme").await.unwrap();
    let rename = UpdateAccountRequest {
        name: Some("Ben's".into()),
        ..Default::default()
    };
    assert_refused(
        app.client
            .update_account(&ben.access_token, "acme", &rename)
            .await,
        403,
        "forbidden",
    );
    let renamed = app
        .client
        .update_account(
            &anna.access_token,
            "acme",
            &UpdateAccountRequest {
                name: Some("Acme Group".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (renamed.name.as_str(), renamed.renames_left),
        ("Acme Group", 1),
        "a new name is no rename"
    );
}

#[tokio::test]
async fn signing_in_to_an_account_needs_an_active_record_there() {
    let app = TestApp::spawn().await;
    let anna = app.signed_in("anna@example.com").await;
    let acme = app
        .client
        .create_account(&anna.access_token, "acme", "Acme")
        .await
        .unwrap();
    let tab = app.login_to("anna@example.com", "ACME").await.unwrap();
    assert_eq!(
        tab.account.as_ref().map(|a| a.id.as_str()),
        Some(acme.id.as_str())
    );

    app.register_verified("ben@example.com").await;
    let refused = app.login_to("ben@example.com", "acme").await.unwrap_err();
    assert_eq!(refused.code(), Some(Code::NoAccess));
    let lanyard_client::ApiError::Problem { problem, .. } = refused else {
        unreachable!()
    };
    assert!(
        problem.detail.starts_with("No access to acme"),
        "{}",
        problem.detail
    );
    assert!(
        problem.detail.contains("administrator"),
        "the detail explains the usual cause"
    );
    assert_refused(
        app.login_to("ben@example.com", "nowhere").await,
        403,
        "no_access",
    );
    // A wrong password still says so first.
    let wrong = LoginRequest {
        login: "ben@example.com".into(),
        password: "not it at all".into(),
        account: Some("acme".into()),
        device_name: None,
    };
    assert_refused(app.client.login(&wrong).await, 401, "invalid_credentials");
}
