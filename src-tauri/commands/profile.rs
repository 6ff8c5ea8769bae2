//! The profile page (from the avatar menu), through the session of the tab it was opened
//! from: names and photo, email and password, sessions, the profile's accounts, social
//! identities, deleting the profile.

use super::Answer;
use crate::state::Shell;
use crate::views::TabRef;
use lanyard_client::api::{Account, MyAccount, Profile, Session, UpdateProfileRequest};
use tauri::State;

#[tauri::command]
pub async fn me(tab: TabRef, shell: State<'_, Shell>) -> Answer<Profile> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    Ok(s.client.me(&s.access).await?)
}

#[tauri::command]
pub async fn update_me(
    tab: TabRef,
    request: UpdateProfileRequest,
    shell: State<'_, Shell>,
) -> Answer<Profile> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    Ok(s.client.update_me(&s.access, &request).await?)
}

#[tauri::command]
pub async fn change_password(
    tab: TabRef,
    current: String,
    new: String,
    shell: State<'_, Shell>,
) -> Answer<()> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    Ok(s.client.change_password(&s.access, &current, &new).await?)
}

/// Sends the confirmation link to the new address; the login changes when it is followed.
#[tauri::command]
pub async fn change_email(
    tab: TabRef,
    new_email: String,
    current_password: String,
    shell: State<'_, Shell>,
) -> Answer<String> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    let accepted = s
        .client
        .change_email(&s.access, &new_email, &current_password)
        .await?;
    Ok(accepted.message)
}

#[tauri::command]
pub async fn sessions(tab: TabRef, shell: State<'_, Shell>) -> Answer<Vec<Session>> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    Ok(s.client.sessions(&s.access).await?)
}

#[tauri::command]
pub async fn revoke_session(tab: TabRef, id: String, shell: State<'_, Shell>) -> Answer<()> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    Ok(s.client.revoke_session(&s.access, &id).await?)
}

#[tauri::command]
pub async fn my_accounts(tab: TabRef, shell: State<'_, Shell>) -> Answer<Vec<MyAccount>> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    Ok(s.client.my_accounts(&s.access).await?)
}

#[tauri::command]
pub async fn create_account(
    tab: TabRef,
    address: String,
    name: String,
    shell: State<'_, Shell>,
) -> Answer<Account> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    Ok(s.client.create_account(&s.access, &address, &name).await?)
}

#[tauri::command]
pub async fn unlink_social(tab: TabRef, provider: String, shell: State<'_, Shell>) -> Answer<()> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    Ok(s.client.unlink_social(&s.access, &provider).await?)
}

#[tauri::command]
pub async fn delete_profile(
    tab: TabRef,
    current_password: Option<String>,
    shell: State<'_, Shell>,
) -> Answer<()> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    Ok(s.client
        .delete_me(&s.access, current_password.as_deref())
        .await?)
}
