//! Approving another computer's QR sign-in from this app (a `lanyard://qr` link, "Open in
//! Lanyard" on the server's approval page), with the session of one of the profile's tabs, as
//! the phone's page does: what the server saw of that computer, the account, the number.

use super::Answer;
use crate::state::{Shell, tab_call};
use crate::views::TabRef;
use lanyard_client::api::QrDetails;
use tauri::State;

#[tauri::command]
pub async fn approval_details(
    tab: TabRef,
    id: String,
    shell: State<'_, Shell>,
) -> Answer<QrDetails> {
    tab_call!(shell, &tab, |s| s.client.qr_details(&s.access, &id))
}

/// Approves with the number the other computer shows (a wrong one cancels the request), for
/// `account` (an id of the profile's accounts) or the profile alone.
#[tauri::command]
pub async fn approve_sign_in(
    tab: TabRef,
    id: String,
    number: u8,
    account: Option<String>,
    shell: State<'_, Shell>,
) -> Answer<()> {
    tab_call!(shell, &tab, |s| s.client.qr_approve(
        &s.access,
        &id,
        number,
        account.as_deref()
    ))
}

#[tauri::command]
pub async fn deny_sign_in(tab: TabRef, id: String, shell: State<'_, Shell>) -> Answer<()> {
    tab_call!(shell, &tab, |s| s.client.qr_deny(&s.access, &id))
}
