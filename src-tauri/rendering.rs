//! How the window draws its page, on Linux (elsewhere the system's web view decides). WebKitGTK
//! composites a page with OpenGL by default. Lanyard's pages are forms, lists and tabs with
//! nothing to animate, so compositing buys them nothing; without a GPU driver (a virtual
//! machine, a remote desktop) it runs on Mesa's software renderer, whose LLVM and layer
//! textures took about 70 of the web process's 190 MiB (benches/desktop/run). So Lanyard's
//! window draws on the CPU, as WebKit did before compositing existed.

use tauri::{AppHandle, Manager};
use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};

/// Turns compositing off for the main window. Tauri has created the window (its page is
/// loading) by the time the app sets up; WebKit leaves compositing when the setting arrives.
pub fn without_compositing(app: &AppHandle) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let applied = window.with_webview(|webview| {
        if let Some(settings) = WebViewExt::settings(&webview.inner()) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    if let Err(error) = applied {
        tracing::warn!(%error, "the window keeps WebKit's compositing");
    }
}
