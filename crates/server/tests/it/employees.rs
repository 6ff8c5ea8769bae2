//! Invitations, acceptance, contact email vs login, dismissal, reinstatement, deletion.

use crate::harness::{PASSWORD, TestApp, assert_refused};
use lanyard_client::api::{
    CreateTaskRequest, LoginKind, Status, UpdateEmployeeRequest, UpdateProfileRequest,
};
use lanyard_core::Code;

#[tokio::test]
async fn an_invitation_is_accepted_by_a_profile_with_another_login() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let invited = app
        .client
        .invite(&anna.access_token, "acme", "Ben@Work.example")
        .await
        .unwrap();
    assert_eq!(
        (
            invited.status,
            invited.contact_email.as_deref(),
            invited.login.as_ref()
        ),
        (Status::Invited, Some("ben@work.example"), None)
    );
    let mail = app.mail_to("ben@work.example").await;
    assert!(mail.subject.contains("Acme"), "{}", mail.subject);
    assert_eq!(mail.link().path(), "/invitations/accept");
    assert_eq!(
        app.client
            .account(&anna.access_token, "acme")
            .await
            .unwrap()
            .licence
            .used,
        2,
        "an invitation takes a seat"
    );

    // Ben accepts with his private login; the contact email stays the work address.
    let ben = app.signed_in("ben@home.example").await;
    let joined = app
        .client
        .accept_invitation(&ben.access_token, &mail.token())
        .await
        .unwrap();
    assert_eq!(
        (joined.status, joined.contact_email.as_deref()),
        (Status::Active, Some("ben@work.example"))
    );
    assert_refused(
        app.client
            .accept_invitation(&ben.access_token, &mail.token())
            .await,
        400,
        "invalid_token",
    );
    assert_refused(
        app.client
            .accept_invitation(&ben.access_token, "made-up")
            .await,
        400,
        "invalid_token",
    );
    app.login_to("ben@home.example", "acme").await.unwrap();

    // Administrators see how he signs in; he sees his own; other employees do not.
    let as_admin = app
        .client
        .employees(
            &anna.access_token,
            "acme",
            Some(Status::Active),
            Default::default(),
        )
        .await
        .unwrap();
    let ben_card = as_admin.items.iter().find(|e| e.id == joined.id).unwrap();
    let login = ben_card.login.as_ref().unwrap();
    assert_eq!(
        (login.kind, login.value.as_str()),
        (LoginKind::Email, "ben@home.example")
    );
    let cleo = app.signed_in("cleo@example.com").await;
    app.hire(&anna, "acme", "cleo@work.example", &cleo).await;
    let as_cleo = app
        .client
        .employees(&cleo.access_token, "acme", None, Default::default())
        .await
        .unwrap();
    for card in &as_cleo.items {
        assert_eq!(
            card.login.is_some(),
            card.contact_email.as_deref() == Some("cleo@work.example"),
            "{card:?}"
        );
    }
}

#[tokio::test]
async fn invitations_to_my_login_are_listed_with_a_token() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let ben = app.signed_in("ben@example.com").await;
    app.client
        .invite(&anna.access_token, "acme", "ben@example.com")
        .await
        .unwrap();
    let mine = app.client.my_accounts(&ben.access_token).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0].address.as_str(), mine[0].status),
        ("acme", Status::Invited)
    );
    let token = mine[0].token.clone().unwrap();
    app.client
        .accept_invitation(&ben.access_token, &token)
        .await
        .unwrap();
    let mine = app.client.my_accounts(&ben.access_token).await.unwrap();
    assert_eq!(
        (mine[0].status, mine[0].token.as_ref()),
        (Status::Active, None)
    );
}

#[tokio::test]
async fn only_admins_invite_and_nobody_twice() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let ben = app.signed_in("ben@example.com").await;
    assert_refused(
        app.client
            .invite(&ben.access_token, "acme", "x@example.com")
            .await,
        403,
        "no_access",
    );
    app.hire(&anna, "acme", "ben@example.com", &ben).await;
    assert_refused(
        app.client
            .invite(&ben.access_token, "acme", "x@example.com")
            .await,
        403,
        "forbidden",
    );
    assert_refused(
        app.client
            .invite(&anna.access_token, "acme", "BEN@example.com")
            .await,
        409,
        "already_member",
    );
    assert_refused(
        app.client
            .invite(&anna.access_token, "acme", "anna@example.com")
            .await,
        409,
        "already_member",
    );
    app.client
        .invite(&anna.access_token, "acme", "cleo@example.com")
        .await
        .unwrap();
    assert_refused(
        app.client
            .invite(&anna.access_token, "acme", "cleo@example.com")
            .await,
        409,
        "already_member",
    );
    assert_refused(
        app.client
            .invite(&anna.access_token, "acme", "not an email")
            .await,
        422,
        "invalid_input",
    );
}

#[tokio::test]
async fn contact_email_is_edited_by_admins_and_oneself_not_by_others() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let ben = app.signed_in("ben@example.com").await;
    let cleo = app.signed_in("cleo@example.com").await;
    let ben_id = app.hire(&anna, "acme", "ben@work.example", &ben).await;
    app.hire(&anna, "acme", "cleo@work.example", &cleo).await;
    let edit = |email: &str| UpdateEmployeeRequest {
        contact_email: Some(email.into()),
    };

    let by_self = app
        .client
        .update_employee(&ben.access_token, "acme", &ben_id, &edit("ben@new.example"))
        .await
        .unwrap();
    assert_eq!(by_self.contact_email.as_deref(), Some("ben@new.example"));
    let by_admin = app
        .client
        .update_employee(&anna.access_token, "acme", &ben_id, &edit("b@work.example"))
        .await
        .unwrap();
    assert_eq!(by_admin.contact_email.as_deref(), Some("b@work.example"));
    assert_refused(
        app.client
            .update_employee(&cleo.access_token, "acme", &ben_id, &edit("x@example.com"))
            .await,
        403,
        "forbidden",
    );
    // The contact email is no login: Ben still signs in as before.
    assert_eq!(
        app.client
            .me(&ben.access_token)
            .await
            .unwrap()
            .email
            .as_deref(),
        Some("ben@example.com")
    );
    app.login_to("ben@example.com", "acme").await.unwrap();
}

#[tokio::test]
async fn dismissal_keeps_data_frees_the_seat_and_ends_sign_in() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let ben = app.signed_in("ben@example.com").await;
    let ben_id = app.hire(&anna, "acme", "ben@example.com", &ben).await;
    let ben_tab = app.login_to("ben@example.com", "acme").await.unwrap();
    let task = CreateTaskRequest {
        title: "Quarterly report".into(),
        assignee_id: Some(ben_id.clone()),
    };
    let task = app
        .client
        .create_task(&ben.access_token, "acme", &task)
        .await
        .unwrap();

    assert_refused(
        app.client.dismiss(&ben.access_token, "acme", &ben_id).await,
        403,
        "forbidden",
    );
    let dismissed = app
        .client
        .dismiss(&anna.access_token, "acme", &ben_id)
        .await
        .unwrap();
    assert_eq!(dismissed.status, Status::Dismissed);
    assert_eq!(
        app.client
            .account(&anna.access_token, "acme")
            .await
            .unwrap()
            .licence
            .used,
        1
    );
    assert_refused(
        app.login_to("ben@example.com", "acme").await,
        403,
        "no_access",
    );
    assert_refused(
        app.client.refresh(&ben_tab.refresh_token).await,
        401,
        "invalid_token",
    );
    assert_refused(
        app.client.account(&ben.access_token, "acme").await,
        403,
        "no_access",
    );
    let tasks = app
        .client
        .tasks(&anna.access_token, "acme", None, None, Default::default())
        .await
        .unwrap();
    assert_eq!(
        tasks.items[0].id, task.id,
        "the dismissed employee's data stays"
    );
    let dismissed_list = app
        .client
        .employees(
            &anna.access_token,
            "acme",
            Some(Status::Dismissed),
            Default::default(),
        )
        .await
        .unwrap();
    assert_eq!(dismissed_list.items.len(), 1);

    let back = app
        .client
        .reinstate(&anna.access_token, "acme", &ben_id)
        .await
        .unwrap();
    assert_eq!(back.status, Status::Active);
    app.login_to("ben@example.com", "acme").await.unwrap();
}

#[tokio::test]
async fn the_last_admin_cannot_be_dismissed() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let team = app
        .client
        .employees(&anna.access_token, "acme", None, Default::default())
        .await
        .unwrap();
    let anna_id = team.items[0].id.clone();
    assert_refused(
        app.client
            .dismiss(&anna.access_token, "acme", &anna_id)
            .await,
        409,
        "last_admin",
    );
    assert_eq!(
        app.client
            .account(&anna.access_token, "acme")
            .await
            .unwrap()
            .licence
            .used,
        1
    );
}

#[tokio::test]
async fn only_unaccepted_invitations_are_deleted_and_not_while_tasks_are_theirs() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let invited = app
        .client
        .invite(&anna.access_token, "acme", "dan@example.com")
        .await
        .unwrap();
    let request = CreateTaskRequest {
        title: "Sign the contract".into(),
        assignee_id: Some(invited.id.clone()),
    };
    let task = app
        .client
        .create_task(&anna.access_token, "acme", &request)
        .await
        .unwrap();

    let refused = app
        .client
        .delete_employee(&anna.access_token, "acme", &invited.id)
        .await
        .unwrap_err();
    assert_eq!(refused.code(), Some(Code::HasTasks));
    let lanyard_client::ApiError::Problem { problem, .. } = refused else {
        unreachable!()
    };
    assert!(
        problem.detail.contains("The user has not been deleted")
            && problem.detail.contains("Sign the contract"),
        "{}",
        problem.detail
    );

    app.client
        .delete_task(&anna.access_token, "acme", &task.id)
        .await
        .unwrap();
    app.client
        .delete_employee(&anna.access_token, "acme", &invited.id)
        .await
        .unwrap();
    assert_eq!(
        app.client
            .account(&anna.access_token, "acme")
            .await
            .unwrap()
            .licence
            .used,
        1
    );
    let token = app.mail_to("dan@example.com").await.token();
    let dan = app.signed_in("dan@example.com").await;
    assert_refused(
        app.client
            .accept_invitation(&dan.access_token, &token)
            .await,
        400,
        "invalid_token",
    );

    let anna_id = app
        .client
        .employees(&anna.access_token, "acme", None, Default::default())
        .await
        .unwrap()
        .items[0]
        .id
        .clone();
    assert_refused(
        app.client
            .delete_employee(&anna.access_token, "acme", &anna_id)
            .await,
        409,
        "not_invited",
    );
}

#[tokio::test]
async fn profile_names_apply_to_every_account_on_request() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    app.client
        .create_account(&anna.access_token, "globex", "Globex")
        .await
        .unwrap();
    let only_profile = UpdateProfileRequest {
        first_name: Some("Ann".into()),
        ..Default::default()
    };
    app.client
        .update_me(&anna.access_token, &only_profile)
        .await
        .unwrap();
    let card = |address: &'static str| {
        let app = &app;
        let token = anna.access_token.clone();
        async move {
            app.client
                .employees(&token, address, None, Default::default())
                .await
                .unwrap()
                .items
                .remove(0)
        }
    };
    assert_eq!(card("acme").await.first_name, "Anna");
    let everywhere = UpdateProfileRequest {
        first_name: Some("Annika".into()),
        photo_url: Some("https://example.com/a.png".into()),
        apply_to_accounts: true,
        ..Default::default()
    };
    app.client
        .update_me(&anna.access_token, &everywhere)
        .await
        .unwrap();
    for address in ["acme", "globex"] {
        let card = card(address).await;
        assert_eq!(
            (card.first_name.as_str(), card.photo_url.as_deref()),
            ("Annika", Some("https://example.com/a.png"))
        );
    }
}

#[tokio::test]
async fn a_profile_that_is_an_active_employee_cannot_be_deleted() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    let ben = app.signed_in("ben@example.com").await;
    let ben_id = app.hire(&anna, "acme", "ben@example.com", &ben).await;
    assert_refused(
        app.client
            .delete_me(&ben.access_token, Some(PASSWORD))
            .await,
        409,
        "accounts_linked",
    );
    app.client
        .dismiss(&anna.access_token, "acme", &ben_id)
        .await
        .unwrap();
    app.client
        .delete_me(&ben.access_token, Some(PASSWORD))
        .await
        .unwrap();
    // His dismissed record stays in the account, bound to nobody now.
    let dismissed = app
        .client
        .employees(
            &anna.access_token,
            "acme",
            Some(Status::Dismissed),
            Default::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        (dismissed.items.len(), dismissed.items[0].login.as_ref()),
        (1, None)
    );
}
