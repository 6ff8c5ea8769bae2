//! Bringing the window forward and telling the UI which place to show (`open-place`): an
//! account's tab, the profile page, a sign-in page, or what a `lanyard://` link opened. A
//! notification's click, the tray menu and links all end here.

use tauri::{AppHandle, Emitter, Manager};

/// The window comes back (from the tray, a minimised state or behind other windows).
pub fn bring_forward(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// The window comes forward and the UI opens `place` (in its words: `tab:<key>`, `profile`,
/// `new`, `links` for links waiting to be taken).
pub fn open(app: &AppHandle, place: &str) {
    bring_forward(app);
    let _ = app.emit("open-place", place);
}
