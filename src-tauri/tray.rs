//! The tray icon: the total of open tasks and invitations of every connected account (the UI
//! counts them and words the menu in its language: `set_tray`), a menu with each connected
//! account, Show and Quit. While it exists, closing the window only hides it (`Settings`).
//! The same total is the window's badge where the system shows one (the dock on macOS, a
//! launcher with the Unity API on Linux).

use crate::places;
use crate::settings::Settings;
use serde::Deserialize;
use std::panic::AssertUnwindSafe;
use tauri::menu::{Menu, MenuBuilder};
use tauri::tray::TrayIconBuilder;
use tauri::{App, AppHandle, Manager, Window, WindowEvent, Wry};
use ts_rs::TS;

const ID: &str = "lanyard";
const SHOW: &str = "show";
const QUIT: &str = "quit";

/// What the tray shows, worded by the UI.
#[derive(Debug, Deserialize, TS)]
#[ts(export)]
pub struct TrayView {
    /// Open tasks assigned to the person plus invitations waiting, over every account.
    pub total: u32,
    /// The icon's tooltip (the total in words).
    pub tooltip: String,
    pub show: String,
    pub quit: String,
    pub accounts: Vec<TrayAccount>,
}

/// A connected account in the tray's menu: its label and the place it opens (`tab:<key>`).
#[derive(Debug, Deserialize, TS)]
#[ts(export)]
pub struct TrayAccount {
    pub label: String,
    pub place: String,
}

/// Makes the tray icon. Where the system has no tray library (libayatana-appindicator on
/// Linux, loaded only now, and its loader panics when it is missing) the app goes on without
/// one, and closing the window quits as before.
pub fn create(app: &App) {
    let view = TrayView {
        total: 0,
        tooltip: "Lanyard".to_owned(),
        show: "Show Lanyard".to_owned(),
        quit: "Quit".to_owned(),
        accounts: Vec::new(),
    };
    let made = std::panic::catch_unwind(AssertUnwindSafe(|| -> tauri::Result<()> {
        let mut tray = TrayIconBuilder::with_id(ID)
            .tooltip(&view.tooltip)
            .menu(&menu(app.handle(), &view)?)
            .show_menu_on_left_click(true)
            .on_menu_event(|app, event| chosen(app, event.id().as_ref()));
        if let Some(icon) = app.default_window_icon() {
            tray = tray.icon(icon.clone());
        }
        tray.build(app)?;
        Ok(())
    }));
    match made {
        Ok(Ok(())) => app.state::<Settings>().tray_made(),
        Ok(Err(error)) => tracing::warn!(%error, "no tray icon"),
        Err(_) => tracing::warn!("no tray icon: the system's tray library is missing"),
    }
}

fn menu(app: &AppHandle, view: &TrayView) -> tauri::Result<Menu<Wry>> {
    let mut menu = MenuBuilder::new(app);
    for account in &view.accounts {
        menu = menu.text(account.place.as_str(), plain(&account.label));
    }
    if !view.accounts.is_empty() {
        menu = menu.separator();
    }
    menu.text(SHOW, plain(&view.show))
        .text(QUIT, plain(&view.quit))
        .build()
}

/// A label as the menu shows it: `&` marks a mnemonic in menu texts, so a name's own `&` is
/// doubled.
fn plain(label: &str) -> String {
    label.replace('&', "&&")
}

fn chosen(app: &AppHandle, id: &str) {
    match id {
        SHOW => places::bring_forward(app),
        QUIT => app.exit(0),
        place => places::open(app, place),
    }
}

/// Shows the UI's count and menu.
pub fn show(app: &AppHandle, view: &TrayView) -> tauri::Result<()> {
    if let Some(tray) = app.tray_by_id(ID) {
        tray.set_menu(Some(menu(app, view)?))?;
        tray.set_tooltip(Some(&view.tooltip))?;
        // On Linux the title is the label beside the icon.
        let title = (view.total > 0).then(|| view.total.to_string());
        tray.set_title(title)?;
    }
    if let Some(window) = app.get_webview_window("main") {
        // Windows' taskbar has no count, only an overlay icon: a red dot while anything is
        // open (as the apps people compare Lanyard with show); elsewhere the count itself.
        #[cfg(windows)]
        window.set_overlay_icon((view.total > 0).then(dot))?;
        #[cfg(not(windows))]
        window.set_badge_count((view.total > 0).then_some(i64::from(view.total)))?;
    }
    Ok(())
}

/// A red dot of 16×16 pixels with soft edges, for the Windows taskbar's overlay.
#[cfg(windows)]
fn dot() -> tauri::image::Image<'static> {
    const SIZE: u32 = 16;
    let mut rgba = Vec::with_capacity((SIZE * SIZE * 4) as usize);
    let centre = (SIZE as f32 - 1.0) / 2.0;
    for y in 0..SIZE {
        for x in 0..SIZE {
            let distance = ((x as f32 - centre).powi(2) + (y as f32 - centre).powi(2)).sqrt();
            let alpha = (centre + 0.5 - distance).clamp(0.0, 1.0);
            rgba.extend_from_slice(&[0xc9, 0x2a, 0x2a, (alpha * 255.0) as u8]);
        }
    }
    tauri::image::Image::new_owned(rgba, SIZE, SIZE)
}

/// Closing the window while the app keeps running in the tray hides it instead.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    if let WindowEvent::CloseRequested { api, .. } = event
        && window.app_handle().state::<Settings>().keeps_running()
    {
        api.prevent_close();
        let _ = window.hide();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ampersand_in_a_name_is_shown_not_taken_for_a_mnemonic() {
        assert_eq!(plain("Smith & Sons"), "Smith && Sons");
    }
}
