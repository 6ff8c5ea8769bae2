//! `lanyard://` links, from mails and server pages ("Open in Lanyard"), open the app on the
//! right screen; the installers register the scheme, and a link opened while the app runs
//! reaches the running one (single instance). A link is input from anyone (any web page can
//! open one), so it only ever fills in a sign-in page: nothing happens without the person.
//!
//! - `lanyard://invitation?server=URL&token=T`: sign in to accept the invitation (the token
//!   stays here; the web view gets a number for it);
//! - `lanyard://sign-in?server=URL[&address=A]`: the sign-in page of that server (and account);
//! - `lanyard://qr?server=URL&id=ID`: approve another computer's QR sign-in from here (a QR
//!   code's id is no secret: approving still needs the number that computer shows).
//!
//! Links wait in a queue until the UI takes them (`take_links`): the one the app was started
//! with arrives before the UI is listening.

use crate::places;
use lanyard_client::desktop::connections::LOCAL;
use lanyard_core::values::Address;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use tauri::AppHandle;
use ts_rs::TS;
use url::Url;

pub const SCHEME: &str = "lanyard";

/// A link as it was understood: the server by the URL it named.
#[derive(Debug, PartialEq)]
enum Link {
    Invitation {
        server: Url,
        token: String,
    },
    SignIn {
        server: Url,
        address: Option<String>,
    },
    Qr {
        server: Url,
        id: String,
    },
}

/// What a link opens, as the web view sees it. `server` is `local` for the built-in server.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export, rename = "OpenedLink")]
pub enum Opened {
    /// Sign in to accept an invitation; `invitation` names its token (`picking_accept_link`).
    Invitation { server: String, invitation: u32 },
    SignIn {
        server: String,
        address: Option<String>,
    },
    /// Approve the QR sign-in `id` of another computer.
    Qr { server: String, id: String },
}

/// The links waiting for the UI, and the invitation tokens they brought.
#[derive(Default)]
pub struct Links {
    waiting: Mutex<Vec<Link>>,
    tokens: Mutex<HashMap<u32, String>>,
}

impl Links {
    /// A link arrived (at start, or from another launch): it waits, the window comes forward
    /// and the UI is told. A link that is not one of ours is logged and dropped.
    pub fn arrived(&self, app: &AppHandle, url: &Url) {
        match parse(url) {
            Some(link) => {
                lock(&self.waiting).push(link);
                places::open(app, "links");
            }
            None => tracing::warn!(scheme = url.scheme(), "a link Lanyard cannot open"),
        }
    }

    /// The links waiting, each server named as the app names it (`local_url` is the built-in
    /// server's address).
    pub fn take(&self, local_url: Option<&str>) -> Vec<Opened> {
        let links = std::mem::take(&mut *lock(&self.waiting));
        let mut tokens = lock(&self.tokens);
        links
            .into_iter()
            .map(|link| match link {
                Link::Invitation { server, token } => {
                    let invitation = u32::try_from(tokens.len()).unwrap_or(u32::MAX);
                    tokens.insert(invitation, token);
                    Opened::Invitation {
                        server: named(&server, local_url),
                        invitation,
                    }
                }
                Link::SignIn { server, address } => Opened::SignIn {
                    server: named(&server, local_url),
                    address,
                },
                Link::Qr { server, id } => Opened::Qr {
                    server: named(&server, local_url),
                    id,
                },
            })
            .collect()
    }

    /// The token of the invitation a link brought.
    pub fn token(&self, invitation: u32) -> Option<String> {
        lock(&self.tokens).get(&invitation).cloned()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// `local` when the link names the built-in server, else its URL.
fn named(server: &Url, local_url: Option<&str>) -> String {
    let local = local_url.and_then(|url| Url::parse(url).ok());
    match local {
        Some(local) if local.origin() == server.origin() => LOCAL.to_owned(),
        _ => server.as_str().trim_end_matches('/').to_owned(),
    }
}

fn parse(url: &Url) -> Option<Link> {
    if url.scheme() != SCHEME {
        return None;
    }
    let query: HashMap<_, _> = url.query_pairs().collect();
    let server = Url::parse(query.get("server")?).ok()?;
    let plain = matches!(server.scheme(), "http" | "https")
        && server.has_host()
        && server.username().is_empty()
        && server.password().is_none()
        && server.query().is_none()
        && server.fragment().is_none();
    if !plain {
        return None;
    }
    match url.host_str()? {
        "invitation" => Some(Link::Invitation {
            server,
            token: random_token(query.get("token")?)?,
        }),
        "qr" => Some(Link::Qr {
            server,
            id: random_token(query.get("id")?)?,
        }),
        "sign-in" => {
            let address = match query.get("address") {
                Some(raw) => Some(Address::parse(raw).ok()?.as_str().to_owned()),
                None => None,
            };
            Some(Link::SignIn { server, address })
        }
        _ => None,
    }
}

/// A token of the server's (an invitation's, a QR code's id): base64url, 16–128 characters.
fn random_token(raw: &str) -> Option<String> {
    let well_formed = (16..=128).contains(&raw.len())
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    well_formed.then(|| raw.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(raw: &str) -> Option<Link> {
        parse(&Url::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e}")))
    }

    fn url(raw: &str) -> Url {
        Url::parse(raw).unwrap_or_else(|e| panic!("{raw}: {e}"))
    }

    #[test]
    fn an_invitation_link_names_its_server_and_token() {
        let token = "AbC_dEf-0123456789xyz";
        assert_eq!(
            link(&format!(
                "lanyard://invitation?server=https%3A%2F%2Fid.example.com&token={token}"
            )),
            Some(Link::Invitation {
                server: url("https://id.example.com"),
                token: token.to_owned(),
            })
        );
    }

    #[test]
    fn a_sign_in_link_may_name_an_account_address() {
        assert_eq!(
            link("lanyard://sign-in?server=http://127.0.0.1:8080&address=Acme"),
            Some(Link::SignIn {
                server: url("http://127.0.0.1:8080"),
                address: Some("acme".to_owned()),
            })
        );
        assert_eq!(
            link("lanyard://sign-in?server=https://id.example.com"),
            Some(Link::SignIn {
                server: url("https://id.example.com"),
                address: None,
            })
        );
    }

    #[test]
    fn a_qr_link_names_the_request_to_approve() {
        assert_eq!(
            link("lanyard://qr?server=https://id.example.com&id=Qr_id-0123456789abcdef"),
            Some(Link::Qr {
                server: url("https://id.example.com"),
                id: "Qr_id-0123456789abcdef".to_owned(),
            })
        );
        assert_eq!(
            link("lanyard://qr?server=https://id.example.com&id=../../x"),
            None
        );
    }

    #[test]
    fn links_that_are_not_well_formed_open_nothing() {
        for raw in [
            "https://id.example.com/invitations/accept?token=abcdefabcdefabcdef",
            "lanyard://invitation?server=https://id.example.com",
            "lanyard://invitation?server=https://id.example.com&token=short",
            "lanyard://invitation?server=https://id.example.com&token=<script>alert(1)</script>xx",
            "lanyard://sign-in?server=javascript:alert(1)",
            "lanyard://sign-in?server=file:///etc/passwd",
            "lanyard://sign-in?server=https://user:pw@id.example.com",
            "lanyard://sign-in?server=https://id.example.com&address=no%20spaces%20here",
            "lanyard://sign-in",
            "lanyard://delete-everything?server=https://id.example.com",
        ] {
            assert_eq!(link(raw), None, "{raw}");
        }
    }

    #[test]
    fn the_built_in_server_is_named_local_and_others_by_their_url() {
        let local = Some("http://127.0.0.1:41234/");
        assert_eq!(named(&url("http://127.0.0.1:41234"), local), LOCAL);
        assert_eq!(
            named(&url("http://127.0.0.1:5000/"), local),
            "http://127.0.0.1:5000"
        );
        assert_eq!(
            named(&url("https://id.example.com/"), None),
            "https://id.example.com"
        );
    }

    #[test]
    fn the_web_view_gets_a_number_for_an_invitation_and_the_token_stays_here() {
        let links = Links::default();
        let token = "AbC_dEf-0123456789xyz".to_owned();
        lock(&links.waiting).push(Link::Invitation {
            server: url("https://id.example.com"),
            token: token.clone(),
        });
        let taken = links.take(None);
        let Some(Opened::Invitation { invitation, server }) = taken.first().cloned() else {
            panic!("{taken:?}");
        };
        assert_eq!(server, "https://id.example.com");
        assert!(
            !serde_json::to_string(&taken)
                .unwrap_or_default()
                .contains(&token)
        );
        assert_eq!(links.token(invitation), Some(token));
        assert!(links.take(None).is_empty(), "taken once");
    }
}
