//! `lanyard://` links: the UI takes those that arrived, and accepts a linked invitation once
//! the person has signed in.

use super::Answer;
use crate::error::{AppCode, UiError};
use crate::links::{Links, Opened};
use crate::state::Shell;
use lanyard_client::api::MyAccount;
use tauri::State;

/// The links that arrived since the UI last asked (the app's own start link first).
#[tauri::command]
pub async fn take_links(shell: State<'_, Shell>, links: State<'_, Links>) -> Answer<Vec<Opened>> {
    let desktop = shell.desktop().await?;
    Ok(links.take(desktop.local_url.as_deref()))
}

/// Accepts the invitation a link brought, for the profile that signed in to pick an account
/// ("Sign in using login and password"), and lists its accounts again.
#[tauri::command]
pub async fn picking_accept_link(
    invitation: u32,
    shell: State<'_, Shell>,
    links: State<'_, Links>,
) -> Answer<Vec<MyAccount>> {
    let token = links.token(invitation).ok_or_else(|| {
        UiError::new(AppCode::LinkGone, "This invitation link is no longer here.")
    })?;
    let desktop = shell.desktop().await?;
    Ok(desktop.sign_ins.picking_accept_token(&token).await?)
}
