//! The profile page (from the avatar menu), through the session of the tab it was opened
//! from: names and photo, email and password, sessions, the profile's accounts, social
//! identities, deleting the profile.

use super::Answer;
use crate::error::UiError;
use crate::state::{Shell, tab_call};
use crate::views::TabRef;
use lanyard_client::api::{Account, MyAccount, Profile, Session, UpdateProfileRequest};
use lanyard_core::Code;
use secrecy::{ExposeSecret, SecretString};
use tauri::State;
use tauri::ipc::{InvokeBody, Request};

#[tauri::command]
pub async fn me(tab: TabRef, shell: State<'_, Shell>) -> Answer<Profile> {
    tab_call!(shell, &tab, |s| s.client.me(&s.access))
}

#[tauri::command]
pub async fn update_me(
    tab: TabRef,
    request: UpdateProfileRequest,
    shell: State<'_, Shell>,
) -> Answer<Profile> {
    tab_call!(shell, &tab, |s| s.client.update_me(&s.access, &request))
}

/// Uploads the profile's photo. The image file comes as the request's raw body (no JSON for
/// up to 5 MB); the headers say which tab's session to use, the file's type, and whether the
/// photo goes onto every account too (`x-tab-server`, `x-tab-account`, `x-photo-type`,
/// `x-apply-to-accounts`).
#[tauri::command]
pub async fn upload_photo(request: Request<'_>, shell: State<'_, Shell>) -> Answer<Profile> {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
    };
    let tab = TabRef {
        server: header("x-tab-server").to_owned(),
        account_id: header("x-tab-account").to_owned(),
    };
    let (content_type, apply) = (
        header("x-photo-type"),
        header("x-apply-to-accounts") == "true",
    );
    let InvokeBody::Raw(photo) = request.body() else {
        return Err(UiError::new(
            Code::InvalidInput,
            "the photo did not arrive as a file",
        ));
    };
    tab_call!(shell, &tab, |s| s.client.upload_photo(
        &s.access,
        photo.clone(),
        content_type,
        apply
    ))
}

#[tauri::command]
pub async fn delete_photo(tab: TabRef, shell: State<'_, Shell>) -> Answer<Profile> {
    tab_call!(shell, &tab, |s| s.client.delete_photo(&s.access))
}

#[tauri::command]
pub async fn change_password(
    tab: TabRef,
    current: SecretString,
    new: SecretString,
    shell: State<'_, Shell>,
) -> Answer<()> {
    let (current, new) = (current.expose_secret(), new.expose_secret());
    tab_call!(shell, &tab, |s| s
        .client
        .change_password(&s.access, current, new))
}

/// Sends the confirmation link to the new address; the login changes when it is followed.
#[tauri::command]
pub async fn change_email(
    tab: TabRef,
    new_email: String,
    current_password: SecretString,
    shell: State<'_, Shell>,
) -> Answer<String> {
    let password = current_password.expose_secret();
    let accepted = tab_call!(shell, &tab, |s| s
        .client
        .change_email(&s.access, &new_email, password))?;
    Ok(accepted.message)
}

/// Texts a code to the new number; the login changes when [`confirm_phone`] brings it back.
#[tauri::command]
pub async fn change_phone(
    tab: TabRef,
    new_phone: String,
    current_password: SecretString,
    shell: State<'_, Shell>,
) -> Answer<String> {
    let password = current_password.expose_secret();
    let accepted = tab_call!(shell, &tab, |s| s
        .client
        .change_phone(&s.access, &new_phone, password))?;
    Ok(accepted.message)
}

#[tauri::command]
pub async fn confirm_phone(
    tab: TabRef,
    new_phone: String,
    code: String,
    shell: State<'_, Shell>,
) -> Answer<Profile> {
    tab_call!(shell, &tab, |s| s
        .client
        .confirm_phone(&s.access, &new_phone, &code))
}

#[tauri::command]
pub async fn sessions(tab: TabRef, shell: State<'_, Shell>) -> Answer<Vec<Session>> {
    tab_call!(shell, &tab, |s| s.client.sessions(&s.access))
}

#[tauri::command]
pub async fn revoke_session(tab: TabRef, id: String, shell: State<'_, Shell>) -> Answer<()> {
    tab_call!(shell, &tab, |s| s.client.revoke_session(&s.access, &id))
}

#[tauri::command]
pub async fn my_accounts(tab: TabRef, shell: State<'_, Shell>) -> Answer<Vec<MyAccount>> {
    let mut accounts = tab_call!(shell, &tab, |s| s.client.my_accounts(&s.access))?;
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
    tab_call!(shell, &tab, |s| s
        .client
        .create_account(&s.access, &address, &name))
}

#[tauri::command]
pub async fn unlink_social(tab: TabRef, provider: String, shell: State<'_, Shell>) -> Answer<()> {
    tab_call!(shell, &tab, |s| s
        .client
        .unlink_social(&s.access, &provider))
}

#[tauri::command]
pub async fn delete_profile(
    tab: TabRef,
    current_password: Option<SecretString>,
    shell: State<'_, Shell>,
) -> Answer<()> {
    let password = current_password.as_ref().map(ExposeSecret::expose_secret);
    tab_call!(shell, &tab, |s| s.client.delete_me(&s.access, password))
}
