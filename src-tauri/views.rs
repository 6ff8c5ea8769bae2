//! What the web view sees of the shell's state: tabs, the local inbox, QR codes and sign-in
//! outcomes. TypeScript declarations are generated from these (ts-rs) into ui/src/lib/generated.

use lanyard_client::desktop::account_list::Connected;
use lanyard_client::desktop::connections::LOCAL;
use lanyard_client::desktop::inbox;
use lanyard_client::desktop::qr::Shown;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which tab a command is for: the account's server and its id (stable across renames).
#[derive(Debug, Clone, Deserialize, TS)]
#[ts(export)]
pub struct TabRef {
    pub server: String,
    pub account_id: String,
}

/// A connected account: an open tab, or a disconnected one waiting under "Connected accounts".
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Tab {
    pub server: String,
    /// "This computer" for the built-in server, else the server's host.
    pub server_label: String,
    pub account_id: String,
    pub address: String,
    pub name: String,
    pub login: String,
    pub open: bool,
    /// Its changes arrive without a notification (the tab's "…" menu).
    pub muted: bool,
}

impl From<Connected> for Tab {
    fn from(account: Connected) -> Tab {
        let server_label = if account.server == LOCAL {
            "This computer".to_owned()
        } else {
            url::Url::parse(&account.server)
                .ok()
                .and_then(|url| {
                    url.host_str().map(|host| match url.port() {
                        Some(port) => format!("{host}:{port}"),
                        None => host.to_owned(),
                    })
                })
                .unwrap_or_else(|| account.server.clone())
        };
        Tab {
            server: account.server,
            server_label,
            account_id: account.account_id,
            address: account.address,
            name: account.name,
            login: account.login,
            open: account.open,
            muted: account.muted,
        }
    }
}

/// A change the server pushed (`GET /api/v1/me/events`) for the tabs of one stream: the
/// tabs of one profile on one server, or one single sign-on tab.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LiveEvent {
    pub server: String,
    /// The open tabs the stream serves.
    pub account_ids: Vec<String>,
    pub event: lanyard_client::api::Event,
}

/// Whether changes reach these tabs as they happen (else the UI polls their badges).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LiveStatus {
    pub server: String,
    pub account_ids: Vec<String>,
    pub live: bool,
}

/// The app as the UI starts it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    /// The built-in server's URL, when it runs (then the local inbox is there).
    pub local_server: Option<String>,
    /// Why sign-ins will not be remembered after the app quits, if they will not.
    pub keyring_problem: Option<String>,
    /// Why the app's data folder cannot be written (its path and the system's reason), if it
    /// cannot: nothing is saved on this computer meanwhile.
    pub data_problem: Option<String>,
    pub device_name: String,
    pub tabs: Vec<Tab>,
}

/// A tab brought back on start: ready, or why it is not.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Restored {
    pub tab: Tab,
    pub problem: Option<crate::error::UiError>,
}

/// An account's overview, with what the signed-in person may do there.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AccountView {
    pub account: lanyard_core::api::Account,
    pub role: lanyard_core::api::Role,
    pub tab: Tab,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct InboxMessage {
    pub id: String,
    pub sms: bool,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub links: Vec<String>,
    /// Seconds since the Unix epoch.
    #[ts(type = "number")]
    pub received: u64,
}

impl From<inbox::Message> for InboxMessage {
    fn from(message: inbox::Message) -> InboxMessage {
        InboxMessage {
            received: message
                .received
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            sms: message.kind == inbox::Kind::Sms,
            id: message.id,
            to: message.to,
            subject: message.subject,
            text: inbox::without_tokens(&message.text),
            links: message
                .links
                .iter()
                .map(|link| inbox::without_tokens(link))
                .collect(),
        }
    }
}

/// A QR code to show: the picture, the number the phone must pick, and when it runs out.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct QrView {
    pub id: String,
    pub svg: String,
    pub match_number: u8,
    /// RFC 3339.
    pub expires_at: String,
}

impl From<&Shown> for QrView {
    fn from(shown: &Shown) -> QrView {
        QrView {
            id: shown.id.clone(),
            svg: shown.svg.clone(),
            match_number: shown.match_number,
            expires_at: shown.expires_at.to_rfc3339(),
        }
    }
}

/// What a wait for the phone, or a sign-in in the browser, came to.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SignInOutcome {
    /// Nothing yet (QR): wait again.
    Pending,
    SignedIn {
        tab: Tab,
    },
    /// The request ended (denied, wrong number, expired): show why and a new code.
    Ended {
        reason: String,
    },
    /// An identity that must prove a profile first: ask for that profile's password, and for
    /// its login when the server named none (`email` is null then).
    LinkRequired {
        link_id: String,
        email: Option<String>,
    },
}

/// One page of a long list, and where the next one starts.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct Page<T: TS> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T: TS> From<lanyard_client::Page<T>> for Page<T> {
    fn from(page: lanyard_client::Page<T>) -> Page<T> {
        Page {
            items: page.items,
            next_cursor: page.next_cursor,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn connected(server: &str) -> Connected {
        Connected {
            server: server.to_owned(),
            account_id: "0190-acme".to_owned(),
            address: "acme".to_owned(),
            name: "Acme Ltd".to_owned(),
            login: "anna@example.com".to_owned(),
            open: false,
            muted: false,
            deleting: false,
        }
    }

    fn label(server: &str) -> String {
        Tab::from(connected(server)).server_label
    }

    #[test]
    fn a_tab_keeps_its_accounts_id_address_and_login() {
        let tab = Tab::from(connected("https://lanyard.example.com"));
        assert_eq!(tab.server, "https://lanyard.example.com");
        assert_eq!(tab.account_id, "0190-acme");
        assert_eq!(tab.address, "acme");
        assert_eq!(tab.name, "Acme Ltd");
        assert_eq!(tab.login, "anna@example.com");
        assert!(!tab.open);
    }

    #[test]
    fn the_built_in_server_is_this_computer() {
        assert_eq!(label(LOCAL), "This computer");
    }

    #[test]
    fn a_remote_server_is_shown_by_its_host_and_any_port_that_is_not_the_default() {
        assert_eq!(label("https://lanyard.example.com"), "lanyard.example.com");
        assert_eq!(
            label("https://lanyard.example.com:443/"),
            "lanyard.example.com"
        );
        assert_eq!(label("http://127.0.0.1:8080"), "127.0.0.1:8080");
        assert_eq!(
            label("https://id.acme.test:8443/lanyard/"),
            "id.acme.test:8443"
        );
    }

    #[test]
    fn a_server_that_is_not_a_url_is_shown_as_it_was_given() {
        assert_eq!(label("not a url"), "not a url");
    }

    #[test]
    fn an_sms_in_the_inbox_says_so_and_when_it_came_in_seconds() {
        let message = inbox::Message {
            id: "sms-1.txt".to_owned(),
            kind: inbox::Kind::Sms,
            to: "+447700900123".to_owned(),
            subject: "SMS".to_owned(),
            text: "Your code: 123456".to_owned(),
            links: vec![],
            received: UNIX_EPOCH + Duration::from_millis(1_700_000_000_900),
        };
        let shown = InboxMessage::from(message);
        assert!(shown.sms);
        assert_eq!(shown.received, 1_700_000_000);
        assert_eq!(shown.to, "+447700900123");
    }

    #[test]
    fn outcomes_reach_the_ui_tagged_by_kind() {
        let pending = serde_json::to_value(SignInOutcome::Pending).unwrap();
        assert_eq!(pending, serde_json::json!({"kind": "pending"}));
        let link = SignInOutcome::LinkRequired {
            link_id: "link-1".to_owned(),
            email: Some("anna@example.com".to_owned()),
        };
        assert_eq!(
            serde_json::to_value(link).unwrap(),
            serde_json::json!({"kind": "link_required", "link_id": "link-1", "email": "anna@example.com"})
        );
        // Without a named login the UI asks for one: the field is there, and null.
        let unnamed = SignInOutcome::LinkRequired {
            link_id: "link-2".to_owned(),
            email: None,
        };
        assert_eq!(
            serde_json::to_value(unnamed).unwrap(),
            serde_json::json!({"kind": "link_required", "link_id": "link-2", "email": null})
        );
    }
}

/// "Let a phone on this network sign in" while it is on: the address new QR codes name, and
/// when sharing ends by itself.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct PhoneSharing {
    /// `LAN_IP:PORT`, as a phone reaches the built-in server.
    pub address: String,
    /// RFC 3339.
    pub until: String,
}

impl From<lanyard_server::SharingStatus> for PhoneSharing {
    fn from(status: lanyard_server::SharingStatus) -> PhoneSharing {
        let url = status.url;
        let address = match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => url.to_string(),
        };
        PhoneSharing {
            address,
            until: status.until.to_rfc3339(),
        }
    }
}
