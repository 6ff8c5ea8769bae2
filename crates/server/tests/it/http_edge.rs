//! What any client can throw at the edge: broken JSON, wrong types, huge bodies, wrong routes,
//! no or bad credentials. Always a problem document with a code, never a 5xx.

use crate::harness::{TestApp, assert_refused};
use reqwest::StatusCode;
use serde_json::Value;

async fn problem(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn bad_bodies_get_problem_documents() {
    let app = TestApp::spawn().await;
    let http = reqwest::Client::new();
    let login = app.url.join("api/v1/auth/login").unwrap();
    let json = |body: &str| {
        http.post(login.clone())
            .header("content-type", "application/json")
            .body(body.to_owned())
    };

    let cases = [
        (json("{\"login\": "), 400, "malformed_json"),
        (
            json("{\"login\": 5, \"password\": \"x\"}"),
            422,
            "invalid_body",
        ),
        (json("{\"login\": \"a@b.co\"}"), 422, "invalid_body"),
        // serde's derived structs would read the fields from an array, in order.
        (
            json("[\"a@b.co\", \"secret-password\"]"),
            422,
            "invalid_body",
        ),
        (json("\"a@b.co\""), 422, "invalid_body"),
        (json("null"), 422, "invalid_body"),
        (
            json(&format!(
                "{{\"login\": \"{}\", \"password\": \"x\"}}",
                "a".repeat(70 * 1024)
            )),
            413,
            "body_too_large",
        ),
        (
            http.post(login.clone()).body("login=a"),
            415,
            "unsupported_media_type",
        ),
    ];
    for (request, status, code) in cases {
        let (got, body) = problem(request.send().await.unwrap()).await;
        assert_eq!(
            (got.as_u16(), body["code"].as_str().unwrap()),
            (status, code),
            "{body}"
        );
        assert_eq!(body["status"], status);
        assert!(body["type"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(body["title"].is_string() && body["detail"].is_string());
    }
}

#[tokio::test]
async fn unknown_routes_and_methods_are_problems_too() {
    let app = TestApp::spawn().await;
    let http = reqwest::Client::new();
    let (status, body) = problem(
        http.get(app.url.join("api/v1/nothing").unwrap())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status.as_u16(), body["code"].as_str()),
        (404, Some("not_found"))
    );
    let (status, body) = problem(
        http.put(app.url.join("api/v1/auth/login").unwrap())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status.as_u16(), body["code"].as_str()),
        (405, Some("method_not_allowed"))
    );
}

#[tokio::test]
async fn calls_without_a_valid_bearer_token_are_unauthorized() {
    let app = TestApp::spawn().await;
    assert_refused(app.client.me(&"garbage".into()).await, 401, "unauthorized");
    let http = reqwest::Client::new();
    let (status, body) = problem(
        http.get(app.url.join("api/v1/me").unwrap())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status.as_u16(), body["code"].as_str()),
        (401, Some("unauthorized"))
    );
    // A token signed by another server is worthless here.
    let other = TestApp::spawn().await;
    let foreign = other.signed_in("anna@example.com").await;
    assert_refused(
        app.client.me(&foreign.access_token).await,
        401,
        "unauthorized",
    );
}

#[tokio::test]
async fn health_and_openapi_are_served() {
    let app = TestApp::spawn().await;
    assert!(app.client.healthy().await.unwrap());
    let doc = app.client.openapi().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let expected = [
        ("/api/v1/auth/register", "post"),
        ("/api/v1/auth/verify-email", "post"),
        ("/api/v1/auth/verify-phone", "post"),
        ("/api/v1/auth/login", "post"),
        ("/api/v1/auth/refresh", "post"),
        ("/api/v1/auth/logout", "post"),
        ("/api/v1/auth/password-recovery", "post"),
        ("/api/v1/auth/password-reset", "post"),
        ("/api/v1/me", "get"),
        ("/api/v1/me", "patch"),
        ("/api/v1/me", "delete"),
        ("/api/v1/me/password", "post"),
        ("/api/v1/me/email", "post"),
        ("/api/v1/me/email/confirm", "post"),
        ("/api/v1/me/sessions", "get"),
        ("/api/v1/me/sessions/{id}", "delete"),
        ("/api/v1/me/accounts", "get"),
        ("/api/v1/accounts", "post"),
        ("/api/v1/accounts/{address}", "get"),
        ("/api/v1/accounts/{address}", "patch"),
        ("/api/v1/accounts/{address}/employees", "get"),
        ("/api/v1/accounts/{address}/invitations", "post"),
        ("/api/v1/invitations/accept", "post"),
        ("/api/v1/accounts/{address}/employees/{id}", "patch"),
        ("/api/v1/accounts/{address}/employees/{id}", "delete"),
        ("/api/v1/accounts/{address}/employees/{id}/dismiss", "post"),
        (
            "/api/v1/accounts/{address}/employees/{id}/reinstate",
            "post",
        ),
        ("/api/v1/accounts/{address}/tasks", "get"),
        ("/api/v1/accounts/{address}/tasks", "post"),
        ("/api/v1/accounts/{address}/tasks/{id}", "patch"),
        ("/api/v1/accounts/{address}/tasks/{id}", "delete"),
    ];
    for (path, method) in expected {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} is documented"
        );
    }
    // Every refusal is documented as what the server sends: a problem document.
    let login = &doc["paths"]["/api/v1/auth/login"]["post"]["responses"];
    for status in ["400", "401", "415", "421", "422", "429"] {
        assert!(
            login[status]["content"]["application/problem+json"].is_object(),
            "login's {status} is a problem document: {}",
            login[status]
        );
        assert!(login[status]["content"]["application/json"].is_null());
    }
    let me = &doc["paths"]["/api/v1/me"]["get"]["responses"];
    assert!(me["401"]["content"]["application/problem+json"].is_object());
    assert!(
        me["403"]["description"]
            .as_str()
            .unwrap()
            .contains("profile_session_required")
    );
    for schema in [
        "Tokens",
        "Profile",
        "Session",
        "Problem",
        "RegisterRequest",
        "Account",
        "Employee",
        "Task",
        "MyAccount",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "{schema} is documented"
        );
    }
}

#[tokio::test]
async fn mailed_links_open_pages_that_finish_the_job() {
    let app = TestApp::spawn().await;
    app.register("anna@example.com", crate::harness::PASSWORD)
        .await
        .unwrap();
    let link = app.mail_to("anna@example.com").await.link();
    let page = reqwest::get(link).await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("/api/v1/auth/verify-email"),
        "the page posts the token to the API"
    );
}
