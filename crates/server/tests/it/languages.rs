//! English and Russian: problem details follow `Accept-Language` (the code stays), a profile
//! keeps the language it registered in or chose, and its mails, SMS and the pages their links
//! open follow it; a page opened without such a link follows the browser.

use crate::harness::{PASSWORD, TestApp};
use lanyard_client::api::{CreateTaskRequest, RegisterRequest, UpdateProfileRequest};
use lanyard_client::{ApiError, Client};
use lanyard_core::Language;

fn problem_of<T: std::fmt::Debug>(result: Result<T, ApiError>) -> lanyard_client::api::Problem {
    match result {
        Err(ApiError::Problem { problem, .. }) => *problem,
        other => panic!("expected a problem document, got {other:?}"),
    }
}

fn russian(app: &TestApp) -> Client {
    app.client.clone().speaking(Language::Ru)
}

async fn page(url: &url::Url, accept_language: Option<&str>) -> String {
    let mut request = reqwest::Client::new().get(url.clone());
    if let Some(language) = accept_language {
        request = request.header("accept-language", language);
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

#[tokio::test]
async fn problem_details_speak_the_language_asked_for_and_keep_their_code() {
    let app = TestApp::spawn().await;
    app.register_verified("maria@example.com").await;

    let english = problem_of(app.login("maria@example.com", "wrong password").await);
    let wrong = russian(&app)
        .login(&lanyard_client::api::LoginRequest {
            login: "maria@example.com".into(),
            password: "wrong password".into(),
            device_name: None,
            account: None,
        })
        .await;
    let russian_problem = problem_of(wrong);
    assert_eq!(english.code, "invalid_credentials");
    assert_eq!(russian_problem.code, "invalid_credentials");
    assert_eq!(english.detail, "Wrong login or password.");
    assert_eq!(russian_problem.detail, "Неверный логин или пароль.");
    // The title is the problem type's fixed summary: it stays as API.md has it.
    assert_eq!(russian_problem.title, english.title);

    // A field that does not parse names the field apart, and the sentence stands alone.
    let malformed = russian(&app)
        .register(&RegisterRequest {
            email: Some("anna at example.com".into()),
            phone: None,
            password: PASSWORD.into(),
            first_name: None,
            last_name: None,
        })
        .await;
    let problem = problem_of(malformed);
    assert_eq!(
        (
            problem.status,
            problem.code.as_str(),
            problem.field.as_deref()
        ),
        (422, "invalid_input", Some("email"))
    );
    assert_eq!(problem.detail, "В адресе почты должен быть знак @.");

    // A request outside any handler (an unknown path) is answered in the language too.
    let response = reqwest::Client::new()
        .get(app.url.join("api/v1/nowhere").unwrap())
        .header("accept-language", "ru-RU,ru;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["content-language"], "ru");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "not_found");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .starts_with("Не удалось прочитать запрос"),
        "{body}"
    );
}

#[tokio::test]
async fn russian_counts_take_their_plural_forms() {
    let app = TestApp::spawn().await;
    let anna = app.admin_of("acme").await;
    for (count, said) in [(1, "1 задача"), (2, "2 задачи"), (5, "5 задач")] {
        let email = format!("dan{count}@example.com");
        let invited = app
            .client
            .invite(&anna.access_token, "acme", &email)
            .await
            .unwrap();
        for n in 0..count {
            let task = CreateTaskRequest {
                title: format!("Task {n}"),
                assignee_id: Some(invited.id.clone()),
            };
            app.client
                .create_task(&anna.access_token, "acme", &task)
                .await
                .unwrap();
        }
        let refused = russian(&app)
            .delete_employee(&anna.access_token, "acme", &invited.id)
            .await;
        let problem = problem_of(refused);
        assert_eq!(problem.code, "has_tasks");
        assert!(problem.detail.contains(said), "{count}: {}", problem.detail);
    }
}

#[tokio::test]
async fn a_profile_registered_in_russian_gets_its_mail_and_pages_in_russian() {
    let app = TestApp::spawn().await;
    russian(&app)
        .register(&RegisterRequest {
            email: Some("olga@example.com".into()),
            phone: None,
            password: PASSWORD.into(),
            first_name: Some("Ольга".into()),
            last_name: None,
        })
        .await
        .unwrap();
    let mail = app.mail_to("olga@example.com").await;
    assert_eq!(mail.subject, "Подтвердите почту для Lanyard");
    assert!(mail.body.contains("Подтвердить почту"), "{}", mail.body);
    assert!(mail.html.contains("<html lang=\"ru\">"));
    let link = mail.link();
    assert!(
        link.query_pairs().any(|(k, v)| k == "lang" && v == "ru"),
        "{link}"
    );

    // The page the link opens speaks Russian whatever the browser prefers.
    let html = page(&link, Some("en-US,en;q=0.9")).await;
    assert!(html.contains("<html lang=\"ru\">"));
    assert!(html.contains("<h1>Подтвердите почту</h1>"), "{html}");
    assert!(html.contains("Да, это я: подтвердить"));

    app.client.verify_email(&mail.token()).await.unwrap();
    let tokens = app.login("olga@example.com", PASSWORD).await.unwrap();
    let profile = app.client.me(&tokens.access_token).await.unwrap();
    assert_eq!(profile.language, Some(Language::Ru));

    // An SMS too: a phone registered in Russian gets its code in Russian.
    russian(&app)
        .register(&RegisterRequest {
            email: None,
            phone: Some("+79123456789".into()),
            password: PASSWORD.into(),
            first_name: None,
            last_name: None,
        })
        .await
        .unwrap();
    let sms = app.mail_to("+79123456789").await;
    assert!(sms.body.starts_with("Код Lanyard: "), "{}", sms.body);
    assert_eq!(sms.code().len(), 6);
}

#[tokio::test]
async fn mails_follow_the_language_the_profile_chose_not_the_request() {
    let app = TestApp::spawn().await;
    app.register_verified("maria@example.com").await;
    let anna = app.login("maria@example.com", PASSWORD).await.unwrap();
    let profile = app.client.me(&anna.access_token).await.unwrap();
    assert_eq!(profile.language, None, "no Accept-Language, nothing chosen");

    let chosen = app
        .client
        .update_me(
            &anna.access_token,
            &UpdateProfileRequest {
                language: Some(Language::Ru),
                ..UpdateProfileRequest::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(chosen.language, Some(Language::Ru));

    // Asked in English, answered in English; the mail goes in the profile's Russian.
    let accepted = app
        .client
        .clone()
        .speaking(Language::En)
        .password_recovery("maria@example.com")
        .await
        .unwrap();
    assert!(accepted.message.starts_with("If a profile signs in"));
    let mail = app.mail_to("maria@example.com").await;
    assert_eq!(mail.subject, "Сброс пароля Lanyard");
    let html = page(&mail.link(), None).await;
    assert!(
        html.contains("<label for=\"p1\">Новый пароль</label>"),
        "{html}"
    );

    // An invitation is read in the invitee's language when the address is a profile's
    // login, else in the inviting administrator's.
    let admin = app.admin_of("acme").await;
    app.client
        .invite(&admin.access_token, "acme", "maria@example.com")
        .await
        .unwrap();
    let invitation = app.mail_to("maria@example.com").await;
    assert!(
        invitation.subject.starts_with("Вас пригласили"),
        "{}",
        invitation.subject
    );
    app.client
        .invite(&admin.access_token, "acme", "nobody@example.com")
        .await
        .unwrap();
    let invitation = app.mail_to("nobody@example.com").await;
    assert!(
        invitation.subject.starts_with("You are invited"),
        "{}",
        invitation.subject
    );

    // A language the app does not speak is refused, and nothing changes.
    let response = reqwest::Client::new()
        .patch(app.url.join("api/v1/me").unwrap())
        .bearer_auth(secrecy::ExposeSecret::expose_secret(&anna.access_token))
        .json(&serde_json::json!({ "language": "de" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let profile = app.client.me(&anna.access_token).await.unwrap();
    assert_eq!(profile.language, Some(Language::Ru));
}

#[tokio::test]
async fn a_page_opened_without_a_language_follows_the_browser() {
    let app = TestApp::spawn().await;
    let qr = app.url.join("qr/some-id").unwrap();
    let html = page(&qr, Some("ru-RU,ru;q=0.9,en;q=0.5")).await;
    assert!(html.contains("<html lang=\"ru\">") && html.contains("Вход на компьютере"));
    let html = page(&qr, Some("fr-FR")).await;
    assert!(html.contains("<html lang=\"en\">") && html.contains("Sign in a computer"));
    let mut linked = qr.clone();
    linked.set_query(Some("lang=en"));
    let html = page(&linked, Some("ru")).await;
    assert!(
        html.contains("<html lang=\"en\">"),
        "the link's language wins"
    );
}
