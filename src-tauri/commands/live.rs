//! Live changes: which tabs the server's event streams serve, and notifications.

use super::Answer;
use crate::error::{AppCode, UiError};
use crate::live::{self, Live, Notices};
use crate::state::Shell;
use crate::views::TabRef;
use tauri::{AppHandle, State};
use tauri_plugin_notification::NotificationExt;

/// The open tabs changed: their changes come by one stream per server and profile.
#[tauri::command]
pub async fn watch_tabs(
    tabs: Vec<TabRef>,
    app: AppHandle,
    shell: State<'_, Shell>,
    streams: State<'_, Live>,
) -> Answer<()> {
    let desktop = shell.desktop().await?;
    live::watch(&app, &desktop, &streams, tabs).await;
    Ok(())
}

/// Shows a notification of the system's (the UI words it and decides whether one is due);
/// a click on it brings the window forward and tells the UI `target` (`notice-clicked`).
#[tauri::command]
pub fn notify(
    title: String,
    body: String,
    target: String,
    app: AppHandle,
    notices: State<'_, Notices>,
) -> Answer<()> {
    app.notification()
        .builder()
        .id(notices.remember(target))
        .title(title)
        .body(body)
        .show()
        .map_err(|error| UiError::new(AppCode::Notification, error.to_string()))
}
