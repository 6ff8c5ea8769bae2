//! Updates: check, download (verified), install and restart.

use super::Answer;
use crate::updates::{Downloaded, UpdateView, Updates};
use tauri::{AppHandle, State};

/// The newer version the update manifest announces, if one is configured and there is one.
#[tauri::command]
pub async fn check_update(
    app: AppHandle,
    updates: State<'_, Updates>,
) -> Answer<Option<UpdateView>> {
    updates.check(&app).await
}

#[tauri::command]
pub async fn download_update(app: AppHandle, updates: State<'_, Updates>) -> Answer<Downloaded> {
    updates.download(&app).await
}

#[tauri::command]
pub async fn install_update(app: AppHandle, updates: State<'_, Updates>) -> Answer<()> {
    updates.install_and_restart(&app).await
}
