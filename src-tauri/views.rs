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
        }
    }
}

/// The app as the UI starts it.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AppInfo {
    /// The built-in server's URL, when it runs (then the local inbox is there).
    pub local_server: Option<String>,
    /// Why sign-ins will not be remembered after the app quits, if they will not.
    pub keyring_problem: Option<String>,
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
            text: message.text,
            links: message.links,
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
    /// A social identity whose email is an existing login: ask for that profile's password.
    LinkRequired {
        link_id: String,
        email: String,
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
