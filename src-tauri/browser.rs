//! Opening the system browser for single sign-on. `LANYARD_BROWSER` names another program
//! to open the URL with (the end-to-end tests use a stand-in that fills in the provider's
//! real login page); otherwise the platform's default browser opens it.

use crate::error::{AppCode, UiError};
use tauri::AppHandle;
use tauri_plugin_opener::OpenerExt;

pub fn open(app: &AppHandle, url: &str) -> Result<(), UiError> {
    let failed = |e: &dyn std::fmt::Display| {
        UiError::new(
            AppCode::Browser,
            format!("cannot open the system browser: {e}"),
        )
    };
    match std::env::var_os("LANYARD_BROWSER") {
        Some(program) => std::process::Command::new(program)
            .arg(url)
            .spawn()
            .map(drop)
            .map_err(|e| failed(&e)),
        None => app
            .opener()
            .open_url(url, None::<&str>)
            .map_err(|e| failed(&e)),
    }
}
