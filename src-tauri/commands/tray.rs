//! The tray: its count and menu (worded by the UI), and whether closing the window leaves
//! Lanyard running there.

use super::Answer;
use crate::error::{AppCode, UiError};
use crate::settings::Settings;
use crate::tray::{self, TrayView};
use tauri::{AppHandle, State};

#[tauri::command]
pub fn set_tray(view: TrayView, app: AppHandle) -> Answer<()> {
    tray::show(&app, &view).map_err(|error| UiError::new(AppCode::Window, error.to_string()))
}

/// Whether closing the window keeps Lanyard running in the tray; None where there is no tray.
#[tauri::command]
pub fn keep_running(settings: State<'_, Settings>) -> Option<bool> {
    settings.keep_running()
}

#[tauri::command]
pub fn set_keep_running(on: bool, settings: State<'_, Settings>) -> Answer<Option<bool>> {
    settings
        .set_keep_running(on)
        .map_err(|error| UiError::new(AppCode::Storage, error.to_string()))?;
    Ok(settings.keep_running())
}
