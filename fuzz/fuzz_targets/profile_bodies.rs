//! `profile_bodies`: the JSON bodies of the signed-in routes (profile, accounts, employees,
//! tasks, single sign-on settings). Properties as in `sign_in_bodies`, and `UpdateTaskRequest`
//! tells an `assignee_id` sent as `null` (unassign) from one left out (keep).
#![no_main]

use lanyard_core::api::{
    ChangeEmailRequest, ChangePasswordRequest, CreateAccountRequest, CreateTaskRequest,
    DeleteProfileRequest, InviteRequest, SsoConfig, UpdateAccountRequest, UpdateEmployeeRequest,
    UpdateProfileRequest, UpdateTaskRequest,
};
use lanyard_fuzz::{body, check_address, check_email, check_new_password, check_optional};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(change) = body::<ChangePasswordRequest>(data) {
        check_new_password(&change.new_password);
    }
    if let Some(change) = body::<ChangeEmailRequest>(data) {
        check_email(&change.new_email);
    }
    if let Some(create) = body::<CreateAccountRequest>(data) {
        check_address(&create.address);
    }
    if let Some(update) = body::<UpdateAccountRequest>(data) {
        check_optional(update.new_address.as_deref(), check_address);
    }
    if let Some(invite) = body::<InviteRequest>(data) {
        check_email(&invite.email);
    }
    if let Some(update) = body::<UpdateEmployeeRequest>(data) {
        check_optional(update.contact_email.as_deref(), check_email);
    }
    if let Some(update) = body::<UpdateTaskRequest>(data) {
        // Read as a plain JSON object (when it is one), the key tells which case it is.
        if let Ok(serde_json::Value::Object(object)) = serde_json::from_slice(data) {
            match (object.get("assignee_id"), &update.assignee_id) {
                (None, None) => {}
                (Some(serde_json::Value::Null), Some(None)) => {}
                (Some(serde_json::Value::String(id)), Some(Some(parsed))) => {
                    assert_eq!(id, parsed)
                }
                (sent, read) => panic!("assignee_id {sent:?} read as {read:?}"),
            }
        }
    }
    body::<UpdateProfileRequest>(data);
    body::<DeleteProfileRequest>(data);
    body::<CreateTaskRequest>(data);
    body::<SsoConfig>(data);
});
