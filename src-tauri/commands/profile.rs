//! The profile page (from the avatar menu), through the session of the tab it was opened
//! from: names and photo, email and password, sessions, the profile's accounts, social
//! identities, deleting the profile.

use super::Answer;
use crate::state::Shell;
use crate::views::TabRef;
use lanyard_client::api::{Account, MyAccount, Profile, Session, UpdateProfileRequest};
use secrecy::{ExposeSecret, SecretString};
use tauri::State;

#[tauri::command]
pub async fn me(tab: TabRef, shell: State<'_, Shell>) -> Answer<Profile> {
    let s = shell.tab(&tab).await?;
    Ok(s.client.me(&s.access).await?)
}

#[tauri::command]
pub async fn update_me(
    tab: TabRef,
    request: UpdateProfileRequest,
    shell: State<'_, Shell>,
) -> Answer<Profile> {
    let s = shell.tab(&tab).await?;
    Ok(s.client.update_me(&s.access, &request).await?)
}

#[tauri::command]
pub async fn change_password(
    tab: TabRef,
    current: SecretString,
    new: SecretString,
    shell: State<'_, Shell>,
) -> Answer<()> {
    let s = shell.tab(&tab).await?;
    let (current, new) = (current.expose_secret(), new.expose_secret());
    Ok(s.client.change_password(&s.access, current, new).await?)
}

/// Sends the confirmation link to the new address; the login changes when it is followed.
#[tauri::command]
pub async fn change_email(
    tab: TabRef,
    new_email: String,
    current_password: SecretString,
    shell: State<'_, Shell>,
) -> Answer<String> {
    let s = shell.tab(&tab).await?;
    let password = current_password.expose_secret();
    let accepted = s.client.change_email(&s.access, &new_email, password);
    Ok(accepted.await?.message)
}

#[tauri::command]
pub async fn sessions(tab: TabRef, shell: State<'_, Shell>) -> Answer<Vec<Session>> {
    let s = shell.tab(&tab).await?;
    Ok(s.client.sessions(&s.access).await?)
}

#[tauri::command]
pub async fn revoke_session(tab: TabRef, id: String, shell: State<'_, Shell>) -> Answer<()> {
    let s = shell.tab(&tab).await?;
    Ok(s.client.revoke_session(&s.access, &id).await?)
}

#[tauri::command]
pub async fn my_accounts(tab: TabRef, shell: State<'_, Shell>) -> Answer<Vec<MyAccount>> {
    let s = shell.tab(&tab).await?;
    let mut accounts = s.client.my_accounts(&s.access).await?;
    // Invitation tokens stay out of the web view.
    for account in &mut accounts {
        account.token = None;
    }
    Ok(accounts)
}

#[tauri::command]
pub async fn create_account(
    tab: TabRef,
    address: String,
    name: String,
    shell: State<'_, Shell>,
) -> Answer<Account> {
    let s = shell.tab(&tab).await?;
    Ok(s.client.create_account(&s.access, &address, &name).await?)
}

#[tauri::command]
pub async fn unlink_social(tab: TabRef, provider: String, shell: State<'_, Shell>) -> Answer<()> {
    let s = shell.tab(&tab).await?;
    Ok(s.client.unlink_social(&s.access, &provider).await?)
}

#[tauri::command]
pub async fn delete_profile(
    tab: TabRef,
    current_password: Option<SecretString>,
    shell: State<'_, Shell>,
) -> Answer<()> {
    let s = shell.tab(&tab).await?;
    let password = current_password.as_ref().map(ExposeSecret::expose_secret);
    Ok(s.client.delete_me(&s.access, password).await?)
}
