//! The local inbox: the built-in server's outgoing mail and SMS, newest first.

use super::Answer;
use crate::error::UiError;
use crate::state::Shell;
use crate::views::InboxMessage;
use lanyard_client::desktop::inbox;
use std::sync::atomic::{AtomicU64, Ordering};
use tauri::{AppHandle, State, WebviewUrl, WebviewWindowBuilder};
use url::Url;

#[tauri::command]
pub async fn inbox(shell: State<'_, Shell>) -> Answer<Vec<InboxMessage>> {
    let desktop = shell.desktop().await?;
    let embedded = desktop.embedded.lock().await;
    let server = embedded.as_ref().ok_or_else(|| {
        UiError::new(
            "no_local_server",
            "The local inbox belongs to the built-in server, which is not running.",
        )
    })?;
    let messages = inbox::list(&server.outbox)
        .map_err(|e| UiError::new("storage", format!("cannot read the local inbox: {e}")))?;
    Ok(messages.into_iter().map(InboxMessage::from).collect())
}

/// Opens a link of a local-inbox message in a window of its own, as a mail program opens
/// links in a browser. Only pages of the built-in server open this way; the window gets no
/// access to the app's commands (its capabilities cover the main window only).
#[tauri::command]
pub async fn open_link(url: String, app: AppHandle, shell: State<'_, Shell>) -> Answer<()> {
    let desktop = shell.desktop().await?;
    let not_local = || UiError::new("not_local", "Only links to the built-in server open here.");
    let url = Url::parse(&url).map_err(|_| not_local())?;
    let local = desktop
        .local_url
        .as_deref()
        .and_then(|local| Url::parse(local).ok())
        .ok_or_else(not_local)?;
    if url.origin() != local.origin() {
        return Err(not_local());
    }
    let label = format!("link-{}", LINKS.fetch_add(1, Ordering::Relaxed));
    WebviewWindowBuilder::new(&app, label, WebviewUrl::External(url))
        .title("Lanyard · Local inbox")
        .inner_size(560.0, 700.0)
        .build()
        .map_err(|e| UiError::new("window", format!("cannot open the link: {e}")))?;
    Ok(())
}

/// Window labels for opened links.
static LINKS: AtomicU64 = AtomicU64::new(1);
