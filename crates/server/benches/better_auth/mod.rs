//! better-auth's side of the comparison: its server (`benches/better-auth/server.mjs` on Node)
//! and a client of its HTTP API.

use crate::common::PASSWORD;
use crate::verified::{batched, tokens_to};
use reqwest::header::{COOKIE, ORIGIN, SET_COOKIE};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use url::Url;

/// The peer's folder, `benches/better-auth`, which must have been installed.
pub fn installed() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../benches/better-auth");
    assert!(
        dir.join("node_modules").is_dir(),
        "better-auth is not installed: run benches/better-auth/run"
    );
    dir
}

/// better-auth on Node, on a fresh SQLite file in `dir`; it prints its URL once it answers.
pub fn spawn(script: &Path, dir: &Path) -> Child {
    Command::new("node")
        .arg(script)
        .arg("--dir")
        .arg(dir)
        .env("NODE_ENV", "production")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node (20 or later) on the PATH")
}

/// The `version` of an installed npm package.
pub fn package_version(peer_dir: &Path, package: &str) -> String {
    let manifest = peer_dir
        .join("node_modules")
        .join(package)
        .join("package.json");
    let manifest: Value = serde_json::from_slice(&std::fs::read(manifest).unwrap()).unwrap();
    manifest["version"].as_str().unwrap().to_owned()
}

pub fn node_version() -> String {
    let output = Command::new("node").arg("--version").output().unwrap();
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// better-auth's HTTP API, called as a browser on its page would (the same reqwest stack as
/// Lanyard's client).
#[derive(Clone)]
pub struct Peer {
    http: reqwest::Client,
    base: Url,
    /// better-auth refuses a POST carrying its cookie from any other origin (CSRF).
    origin: String,
}

impl Peer {
    pub fn new(http: reqwest::Client, base: Url) -> Peer {
        let origin = base.origin().ascii_serialization();
        Peer { http, base, origin }
    }

    async fn post(&self, path: &str, cookie: Option<&str>, body: Value) -> reqwest::Response {
        let mut request = self
            .http
            .post(self.base.join(path).unwrap())
            .header(ORIGIN, &self.origin)
            .json(&body);
        if let Some(cookie) = cookie {
            request = request.header(COOKIE, cookie);
        }
        ok(request.send().await.unwrap()).await
    }

    pub async fn sign_up(&self, email: &str) {
        let body = json!({"email": email, "password": PASSWORD, "name": "Bench Mark"});
        let answer = self.post("api/auth/sign-up/email", None, body).await;
        answer.json::<Value>().await.unwrap();
    }

    /// Signs in; the session cookie.
    pub async fn sign_in(&self, email: &str) -> String {
        let body = json!({"email": email, "password": PASSWORD});
        let answer = self.post("api/auth/sign-in/email", None, body).await;
        let cookie = answer
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|header| header.to_str().ok()?.split(';').next())
            .find(|cookie| cookie.starts_with("better-auth.session_token="))
            .expect("a session cookie")
            .to_owned();
        answer.json::<Value>().await.unwrap();
        cookie
    }

    /// Users signed up as `emails`, verified through the outbox, signed in: their session
    /// cookies, in order.
    pub async fn users(&self, outbox: &Path, emails: &[String]) -> Vec<String> {
        batched(emails, |email| self.sign_up(email)).await;
        let tokens = tokens_to(outbox, emails, |bytes| {
            let mail: Value = serde_json::from_slice(bytes).unwrap();
            (mail["kind"] == "verify-email").then(|| {
                let field = |name: &str| mail[name].as_str().unwrap().to_owned();
                (field("to"), field("token"))
            })
        })
        .await;
        batched(emails, |email| {
            let mut url = self.base.join("api/auth/verify-email").unwrap();
            url.query_pairs_mut().append_pair("token", &tokens[email]);
            async move { ok(self.http.get(url).send().await.unwrap()).await }
        })
        .await;
        batched(emails, |email| self.sign_in(email)).await
    }

    pub async fn session(&self, cookie: &str) {
        let url = self.base.join("api/auth/get-session").unwrap();
        let answer = ok(self
            .http
            .get(url)
            .header(COOKIE, cookie)
            .send()
            .await
            .unwrap())
        .await;
        let session: Value = answer.json().await.unwrap();
        assert!(
            session["user"]["email"].is_string(),
            "no session: {session}"
        );
    }

    /// Creates an organization (without making it the session's active one, a write less);
    /// its id.
    pub async fn create_organization(&self, cookie: &str, slug: &str) -> String {
        let body = json!({"name": "Bench", "slug": slug, "keepCurrentActiveOrganization": true});
        let answer = self
            .post("api/auth/organization/create", Some(cookie), body)
            .await;
        let organization: Value = answer.json().await.unwrap();
        organization["id"].as_str().unwrap().to_owned()
    }

    pub async fn invite(&self, cookie: &str, organization: &str, email: &str) {
        let body = json!({"email": email, "role": "member", "organizationId": organization});
        let answer = self
            .post("api/auth/organization/invite-member", Some(cookie), body)
            .await;
        answer.json::<Value>().await.unwrap();
    }
}

/// `answer`, which must be a success.
async fn ok(answer: reqwest::Response) -> reqwest::Response {
    let status = answer.status();
    if !status.is_success() {
        panic!(
            "better-auth answered {status}: {}",
            answer.text().await.unwrap()
        );
    }
    answer
}
