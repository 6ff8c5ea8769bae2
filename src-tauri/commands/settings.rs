//! The app's own settings (beside the appearance and language the UI keeps): starting with
//! the person's session.

use super::Answer;
use crate::error::{AppCode, UiError};
use tauri::AppHandle;
use tauri_plugin_autostart::ManagerExt;

fn failed(error: impl std::fmt::Display) -> UiError {
    UiError::new(AppCode::Autostart, error.to_string())
}

/// Whether Lanyard starts when the person signs in to the computer.
#[tauri::command]
pub fn start_with_session(app: AppHandle) -> Answer<bool> {
    app.autolaunch().is_enabled().map_err(failed)
}

/// Starts Lanyard with the session, or not (off until the person turns it on): on Linux an
/// XDG autostart entry, a launch agent on macOS, the Run key on Windows.
#[tauri::command]
pub fn set_start_with_session(on: bool, app: AppHandle) -> Answer<bool> {
    let launch = app.autolaunch();
    if on {
        launch.enable()
    } else {
        launch.disable()
    }
    .map_err(failed)?;
    launch.is_enabled().map_err(failed)
}
