//! Lanyard's desktop shell (Tauri 2). It starts the built-in identity server, holds the
//! connected accounts (their refresh tokens in the OS keyring, through lanyard-client), and
//! answers the web UI's commands. The UI never sees a token.

mod browser;
mod commands;
mod embedded;
mod error;
mod links;
mod live;
mod placement;
mod places;
#[cfg(target_os = "linux")]
mod rendering;
mod settings;
mod state;
mod tray;
mod updates;
mod views;

use links::Links;
use settings::Settings;
use state::Shell;
use std::path::PathBuf;
use tauri::{Manager, RunEvent};
use tauri_plugin_deep_link::DeepLinkExt;
use tauri_plugin_notification::NotificationExt;

/// Runs the app until its window closes.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("LANYARD_LOG")
                .unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();

    let app = tauri::Builder::default()
        // First: a second launch hands over to the running app, which comes to the front (a
        // `lanyard://` link it was given goes to the deep-link plugin first).
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            places::bring_forward(app);
        }))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .on_window_event(|window, event| {
            tray::on_window_event(window, event);
            placement::on_window_event(window.app_handle(), event);
        })
        .setup(|app| {
            let data_dir = match std::env::var_os("LANYARD_DATA_DIR") {
                Some(dir) => PathBuf::from(dir),
                None => app.path().app_data_dir()?,
            };
            #[cfg(target_os = "linux")]
            rendering::without_compositing(app.handle());
            app.manage(Settings::open(&data_dir));
            app.manage(Shell::starting(data_dir));
            app.manage(live::Live::default());
            app.manage(live::Notices::default());
            let handle = app.handle().clone();
            app.notification()
                .on_action(move |performed| live::clicked(&handle, performed))?;
            tray::create(app);
            app.manage(Links::default());
            app.manage(updates::Updates::default());
            let handle = app.handle().clone();
            app.deep_link().on_open_url(move |opened| {
                for url in opened.urls() {
                    handle.state::<Links>().arrived(&handle, &url);
                }
            });
            for url in app.deep_link().get_current()?.unwrap_or_default() {
                app.state::<Links>().arrived(app.handle(), &url);
            }
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::tabs::app_info,
            commands::tabs::set_language,
            commands::tabs::restore,
            commands::tabs::connect,
            commands::tabs::sign_in_profile,
            commands::tabs::picking_create_account,
            commands::tabs::picking_accept,
            commands::tabs::picking_done,
            commands::tabs::register,
            commands::tabs::verify_phone,
            commands::tabs::recover_password,
            commands::tabs::disconnect,
            commands::tabs::reopen,
            commands::tabs::delete,
            commands::tabs::set_muted,
            commands::live::watch_tabs,
            commands::live::notify,
            commands::settings::start_with_session,
            commands::settings::set_start_with_session,
            commands::tray::set_tray,
            commands::tray::keep_running,
            commands::tray::set_keep_running,
            commands::links::take_links,
            commands::links::picking_accept_link,
            commands::approve::approval_details,
            commands::approve::approve_sign_in,
            commands::approve::deny_sign_in,
            commands::updates::check_update,
            commands::updates::download_update,
            commands::updates::install_update,
            commands::account::account,
            commands::account::employees,
            commands::account::invite,
            commands::account::dismiss,
            commands::account::reinstate,
            commands::account::set_contact_email,
            commands::account::delete_invitation,
            commands::account::tasks,
            commands::account::badge,
            commands::account::create_task,
            commands::account::set_task_done,
            commands::account::delete_task,
            commands::account::update_account,
            commands::account::configure_sso,
            commands::profile::me,
            commands::profile::update_me,
            commands::profile::upload_photo,
            commands::profile::delete_photo,
            commands::profile::change_password,
            commands::profile::change_email,
            commands::profile::change_phone,
            commands::profile::confirm_phone,
            commands::profile::sessions,
            commands::profile::revoke_session,
            commands::profile::my_accounts,
            commands::profile::create_account,
            commands::profile::unlink_social,
            commands::profile::delete_profile,
            commands::inbox::inbox,
            commands::inbox::open_link,
            commands::passwordless::qr_show,
            commands::passwordless::qr_wait,
            commands::passwordless::qr_forget,
            commands::passwordless::sso_sign_in,
            commands::passwordless::social_providers,
            commands::passwordless::social_sign_in,
            commands::passwordless::link_social,
            commands::passwordless::connect_social,
            commands::sharing::share_with_phones,
            commands::sharing::stop_sharing,
            commands::sharing::phone_sharing,
        ])
        .build(tauri::generate_context!());
    let app = match app {
        Ok(app) => app,
        Err(error) => {
            tracing::error!(%error, "Lanyard could not start");
            std::process::exit(1);
        }
    };
    app.run(|app, event| {
        if let RunEvent::Exit = event {
            // Requests in flight and queued mail finish before the process ends.
            if let Some(desktop) = app.state::<Shell>().started() {
                tauri::async_runtime::block_on(async {
                    if let Some(server) = desktop.embedded.lock().await.take() {
                        server.stop().await;
                    }
                });
            }
        }
    });
}
