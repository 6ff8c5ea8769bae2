//! The local inbox: the built-in server's outgoing mail and SMS, newest first.

use super::Answer;
use crate::error::{AppCode, UiError};
use crate::state::Shell;
use crate::views::InboxMessage;
use lanyard_client::desktop::inbox;
use lanyard_core::Code;
use std::sync::atomic::{AtomicU64, Ordering};
use tauri::{AppHandle, State, WebviewUrl, WebviewWindowBuilder};
use url::Url;

/// The messages as the web view may see them: their links' tokens blanked.
#[tauri::command]
pub async fn inbox(shell: State<'_, Shell>) -> Answer<Vec<InboxMessage>> {
    Ok(messages(&shell)
        .await?
        .into_iter()
        .map(InboxMessage::from)
        .collect())
}

async fn messages(shell: &Shell) -> Answer<Vec<inbox::Message>> {
    let desktop = shell.desktop().await?;
    let embedded = desktop.embedded.lock().await;
    let server = embedded.as_ref().ok_or_else(|| {
        UiError::new(
            AppCode::NoLocalServer,
            "The local inbox belongs to the built-in server, which is not running.",
        )
    })?;
    inbox::list(&server.outbox).map_err(|e| {
        UiError::new(
            AppCode::Storage,
            format!("cannot read the local inbox: {e}"),
        )
    })
}

/// Opens link `index` of the local-inbox message `message` in a window of its own, as a mail
/// program opens links in a browser. The shell reads the link itself, so its token never
/// passes through the web view. Only pages of the built-in server open this way; the window
/// gets no access to the app's commands (its capabilities cover the main window only).
#[tauri::command]
pub async fn open_link(
    message: String,
    index: usize,
    app: AppHandle,
    shell: State<'_, Shell>,
) -> Answer<()> {
    let not_local = || {
        UiError::new(
            AppCode::NotLocal,
            "Only links to the built-in server open here.",
        )
    };
    let link = messages(&shell)
        .await?
        .into_iter()
        .find(|m| m.id == message)
        .and_then(|m| m.links.into_iter().nth(index))
        .ok_or_else(|| UiError::new(Code::NotFound, "That message or link is gone."))?;
    let desktop = shell.desktop().await?;
    let url = Url::parse(&link).map_err(|_| not_local())?;
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
        .map_err(|e| UiError::new(AppCode::Window, format!("cannot open the link: {e}")))?;
    Ok(())
}

/// Window labels for opened links.
static LINKS: AtomicU64 = AtomicU64::new(1);
