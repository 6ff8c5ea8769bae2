//! Tabs: the app's start, signing in with a password (to an address, or by picking one of
//! the profile's accounts), registration and recovery, disconnect, reopen and delete.

use super::Answer;
use crate::error::UiError;
use crate::state::Shell;
use crate::views::{AppInfo, Restored, Tab, TabRef};
use lanyard_client::api::{MyAccount, RegisterRequest};
use lanyard_client::desktop::vault::VaultError;
use lanyard_core::Language;
use secrecy::SecretString;
use tauri::State;

#[tauri::command]
pub async fn app_info(shell: State<'_, Shell>) -> Answer<AppInfo> {
    let desktop = shell.desktop().await?;
    let connections = desktop.connections.lock().await;
    Ok(AppInfo {
        local_server: desktop.local_url.clone(),
        keyring_problem: connections.keyring_problem().map(|problem| match problem {
            VaultError::Unavailable(why) | VaultError::Refused(why) => why.clone(),
        }),
        data_problem: desktop.data_problem.clone(),
        device_name: desktop.device_name.clone(),
        tabs: connections
            .accounts()
            .iter()
            .cloned()
            .map(Tab::from)
            .collect(),
    })
}

/// The language the person reads the app in: from now on every server answers in it.
#[tauri::command]
pub async fn set_language(language: Language, shell: State<'_, Shell>) -> Answer<()> {
    let desktop = shell.desktop().await?;
    desktop.connections.lock().await.set_language(language);
    Ok(())
}

/// Brings back the tabs that were open, each signed in silently or with the reason it is not.
#[tauri::command]
pub async fn restore(shell: State<'_, Shell>) -> Answer<Vec<Restored>> {
    let desktop = shell.desktop().await?;
    let restored = desktop.connections.lock().await.restore().await;
    let restored = restored.into_iter().map(|(account, outcome)| Restored {
        tab: account.into(),
        problem: outcome.err().map(UiError::from),
    });
    Ok(restored.collect())
}

#[tauri::command]
pub async fn connect(
    server: String,
    address: String,
    login: String,
    password: SecretString,
    shell: State<'_, Shell>,
) -> Answer<Tab> {
    let desktop = shell.desktop().await?;
    let mut connections = desktop.connections.lock().await;
    let device = &desktop.device_name;
    let connected = connections.connect(&server, &login, &password, &address, device);
    Ok(connected.await?.into())
}

/// "Sign in using login and password": signs the profile in and lists its accounts (and the
/// invitations waiting for it) to pick from.
#[tauri::command]
pub async fn sign_in_profile(
    server: String,
    login: String,
    password: SecretString,
    shell: State<'_, Shell>,
) -> Answer<Vec<MyAccount>> {
    let desktop = shell.desktop().await?;
    let client = desktop.client(&server).await?;
    let device = &desktop.device_name;
    let picking = desktop
        .sign_ins
        .start_picking(client, &login, &password, device);
    Ok(picking.await?)
}

/// Creates an account for the profile that is picking one, and lists the accounts again.
#[tauri::command]
pub async fn picking_create_account(
    address: String,
    name: String,
    shell: State<'_, Shell>,
) -> Answer<Vec<MyAccount>> {
    let desktop = shell.desktop().await?;
    let sign_ins = &desktop.sign_ins;
    Ok(sign_ins.picking_create_account(&address, &name).await?)
}

/// Accepts the invitation to `account_id` sent to the picking profile's login email.
#[tauri::command]
pub async fn picking_accept(account_id: String, shell: State<'_, Shell>) -> Answer<Vec<MyAccount>> {
    let desktop = shell.desktop().await?;
    Ok(desktop.sign_ins.picking_accept(&account_id).await?)
}

/// Ends the picking (an account was picked, or "Change user").
#[tauri::command]
pub async fn picking_done(shell: State<'_, Shell>) -> Answer<()> {
    shell.desktop().await?.sign_ins.end_picking().await;
    Ok(())
}

#[tauri::command]
pub async fn register(
    server: String,
    request: RegisterRequest,
    shell: State<'_, Shell>,
) -> Answer<()> {
    shell.client(&server).await?.register(&request).await?;
    Ok(())
}

#[tauri::command]
pub async fn verify_phone(
    server: String,
    phone: String,
    code: String,
    shell: State<'_, Shell>,
) -> Answer<()> {
    Ok(shell
        .client(&server)
        .await?
        .verify_phone(&phone, &code)
        .await?)
}

#[tauri::command]
pub async fn recover_password(
    server: String,
    email: String,
    shell: State<'_, Shell>,
) -> Answer<String> {
    let accepted = shell
        .client(&server)
        .await?
        .password_recovery(&email)
        .await?;
    Ok(accepted.message)
}

/// Closes the tab; the account stays connected.
#[tauri::command]
pub async fn disconnect(tab: TabRef, shell: State<'_, Shell>) -> Answer<()> {
    let desktop = shell.desktop().await?;
    let mut connections = desktop.connections.lock().await;
    Ok(connections.disconnect(&tab.server, &tab.account_id)?)
}

/// Mutes the account's notifications, or lets them through again.
#[tauri::command]
pub async fn set_muted(tab: TabRef, muted: bool, shell: State<'_, Shell>) -> Answer<Tab> {
    let desktop = shell.desktop().await?;
    let mut connections = desktop.connections.lock().await;
    Ok(connections
        .set_muted(&tab.server, &tab.account_id, muted)?
        .into())
}

/// Reopens a connected account's tab without a sign-in.
#[tauri::command]
pub async fn reopen(tab: TabRef, shell: State<'_, Shell>) -> Answer<()> {
    let desktop = shell.desktop().await?;
    let mut connections = desktop.connections.lock().await;
    connections.reopen(&tab.server, &tab.account_id).await?;
    Ok(())
}

/// Signs out on the server, erases the keyring entry, forgets the account.
#[tauri::command]
pub async fn delete(tab: TabRef, shell: State<'_, Shell>) -> Answer<()> {
    let desktop = shell.desktop().await?;
    let mut connections = desktop.connections.lock().await;
    Ok(connections.delete(&tab.server, &tab.account_id).await?)
}
