//! The window's size and position, remembered (tauri-plugin-window-state) shortly after each
//! move or resize rather than only at a clean exit, so a crash, a kill or a logout keeps them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tauri::{AppHandle, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// Saved this long after the last move or resize: a drag is one write, not hundreds.
const SETTLE: Duration = Duration::from_millis(400);

static CHANGES: AtomicU64 = AtomicU64::new(0);

pub fn on_window_event(app: &AppHandle, event: &WindowEvent) {
    if !matches!(event, WindowEvent::Resized(_) | WindowEvent::Moved(_)) {
        return;
    }
    let change = CHANGES.fetch_add(1, Ordering::Relaxed) + 1;
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(SETTLE).await;
        if CHANGES.load(Ordering::Relaxed) == change
            && let Err(error) = app.save_window_state(StateFlags::all())
        {
            tracing::warn!(%error, "remembering the window's place failed");
        }
    });
}
