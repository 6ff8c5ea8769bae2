//! "Let a phone on this network sign in": for ten minutes the built-in server also listens on
//! this computer's address on the local network, and its QR codes name that address, so a
//! phone can open them. Off by default; only the QR approval page and its calls are served
//! there (`lanyard_server::Sharing`).

use super::Answer;
use crate::error::{AppCode, UiError};
use crate::state::Shell;
use crate::views::PhoneSharing;
use lanyard_server::{Sharing, lan_address};
use std::net::IpAddr;
use std::time::Duration;
use tauri::State;

/// How long sharing lasts once switched on.
const SHARE_FOR: Duration = Duration::from_secs(10 * 60);

/// Starts sharing (or gives it ten more minutes). The address is `LANYARD_SHARE_ADDRESS` when
/// set (a computer on several networks, or a container's bridge listed first), else the first
/// private IPv4 address of an interface that is up.
#[tauri::command]
pub async fn share_with_phones(shell: State<'_, Shell>) -> Answer<PhoneSharing> {
    let address = match std::env::var("LANYARD_SHARE_ADDRESS") {
        Ok(chosen) => chosen.trim().parse::<IpAddr>().map_err(|_| {
            UiError::new(
                AppCode::NoNetwork,
                format!("LANYARD_SHARE_ADDRESS is not an IP address: {chosen}"),
            )
        })?,
        Err(_) => lan_address().map(IpAddr::V4).ok_or_else(|| {
            UiError::new(
                AppCode::NoNetwork,
                "This computer has no address on a local network.",
            )
        })?,
    };
    let status = sharing(&shell)
        .await?
        .start(address, SHARE_FOR)
        .await
        .map_err(|error| UiError::new(AppCode::NoNetwork, error.to_string()))?;
    Ok(status.into())
}

#[tauri::command]
pub async fn stop_sharing(shell: State<'_, Shell>) -> Answer<()> {
    sharing(&shell).await?.stop().await;
    Ok(())
}

/// Whether phones may sign in now, and where and until when.
#[tauri::command]
pub async fn phone_sharing(shell: State<'_, Shell>) -> Answer<Option<PhoneSharing>> {
    Ok(sharing(&shell).await?.status().map(PhoneSharing::from))
}

async fn sharing(shell: &Shell) -> Answer<Sharing> {
    let desktop = shell.desktop().await?;
    let embedded = desktop.embedded.lock().await;
    embedded
        .as_ref()
        .map(|server| server.sharing.clone())
        .ok_or_else(|| {
            UiError::new(
                AppCode::NoLocalServer,
                "Only the built-in server can be shared, and it is not running.",
            )
        })
}
