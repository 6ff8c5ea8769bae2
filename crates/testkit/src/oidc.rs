//! A real OpenID Connect provider for the tests (tests/oidc/provider.js, the oidc-provider
//! package run by Node), and a browser stand-in that signs in on its pages.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::header::LOCATION;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use url::Url;

pub struct Provider {
    child: Child,
    /// Kept open: the provider's later output must not meet a closed pipe.
    _output: BufReader<std::process::ChildStdout>,
    pub issuer: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub const CLIENT_ID: &str = "lanyard";
pub const CLIENT_SECRET: &str = "provider-issued-secret";

impl Provider {
    /// Starts the provider with one client (redirecting to `callback`) and these people:
    /// `(login, email, email_verified)`.
    pub fn start(callback: &str, people: &[(&str, &str, bool)]) -> Provider {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/oidc");
        let port = crate::ports::unclaimed();
        let clients = json!([{ "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": [callback] }]);
        let users: serde_json::Map<_, _> = people
            .iter()
            .map(|(login, email, verified)| {
                (
                    login.to_string(),
                    json!({ "email": email, "email_verified": verified }),
                )
            })
            .collect();
        let mut child = Command::new("node")
            .arg("provider.js")
            .arg(port.to_string())
            .current_dir(&dir)
            .env("OIDC_CLIENTS", clients.to_string())
            .env("OIDC_USERS", serde_json::Value::Object(users).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs tests/oidc/provider.js (scripts/test installs it)");
        let mut output = BufReader::new(child.stdout.take().unwrap());
        let mut ready = String::new();
        output.read_line(&mut ready).unwrap();
        let issuer = ready
            .trim()
            .strip_prefix("ready ")
            .expect("the provider started")
            .to_owned();
        Provider {
            child,
            _output: output,
            issuer,
        }
    }
}

/// A PKCE pair as the desktop makes it: (verifier, S256 challenge).
pub fn pkce() -> (String, String) {
    let verifier = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let challenge = lanyard_core::pkce::s256(&verifier);
    (verifier, challenge)
}

/// Follows redirects and fills in the provider's login and consent forms as `login`, until
/// the browser is sent to `loopback`; returns that URL.
pub async fn browse(start: Url, login: &str, loopback: &Url) -> Url {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut request = http.get(start.clone());
    let mut here = start;
    for _ in 0..20 {
        let response = request.send().await.unwrap();
        if response.status().is_redirection() {
            let location = response.headers()[LOCATION].to_str().unwrap();
            let next = here.join(location).unwrap();
            if next.host() == loopback.host() && next.port() == loopback.port() {
                return next;
            }
            request = http.get(next.clone());
            here = next;
            continue;
        }
        let page = response.text().await.unwrap();
        let action =
            attribute(&page, "action").unwrap_or_else(|| panic!("a form on {here}: {page}"));
        let prompt = page
            .split("name=\"prompt\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or("login")
            .to_owned();
        let target = here.join(&action).unwrap();
        request = http.post(target.clone()).form(&[
            ("prompt", prompt.as_str()),
            ("login", login),
            ("password", "anything"),
        ]);
        here = target;
    }
    panic!("the browser never reached {loopback}")
}

fn attribute(html: &str, name: &str) -> Option<String> {
    let start = html.find(&format!("{name}=\""))? + name.len() + 2;
    let end = html[start..].find('"')? + start;
    Some(
        html[start..end]
            .replace("&amp;", "&")
            .replace("&#x2F;", "/")
            .replace("&#47;", "/"),
    )
}
