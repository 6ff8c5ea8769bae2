//! `sign_in_bodies`: every JSON body of the sign-in endpoints (registration, verification,
//! password sign-in, refresh, recovery, QR, the browser exchange, the loopback start of a
//! sign-in or a social connect, and link), each read from the same input as the server reads
//! it. Properties: what is accepted round-trips (`lanyard_fuzz::body`), and each field the
//! server judges with a lanyard-core value holds that value's properties.
#![no_main]

use lanyard_core::api::{
    ExchangeRequest, LinkRequest, LoginRequest, LoopbackStart, PasswordRecoveryRequest,
    PasswordResetRequest, QrApproval, QrPoll, QrRequest, RefreshRequest, RegisterRequest,
    TokenRequest, VerifyPhoneRequest,
};
use lanyard_fuzz::{
    body, check_address, check_email, check_login, check_new_password, check_optional, check_phone,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(register) = body::<RegisterRequest>(data) {
        check_optional(register.email.as_deref(), check_email);
        check_optional(register.phone.as_deref(), check_phone);
        check_new_password(&register.password);
    }
    if let Some(login) = body::<LoginRequest>(data) {
        check_login(&login.login);
        check_optional(login.account.as_deref(), check_address);
    }
    if let Some(verify) = body::<VerifyPhoneRequest>(data) {
        check_phone(&verify.phone);
    }
    if let Some(recovery) = body::<PasswordRecoveryRequest>(data) {
        check_email(&recovery.email);
    }
    if let Some(reset) = body::<PasswordResetRequest>(data) {
        check_new_password(&reset.new_password);
    }
    if let Some(approval) = body::<QrApproval>(data) {
        check_optional(approval.account.as_deref(), check_address);
    }
    body::<TokenRequest>(data);
    body::<RefreshRequest>(data);
    body::<QrRequest>(data);
    body::<QrPoll>(data);
    body::<ExchangeRequest>(data);
    body::<LoopbackStart>(data);
    body::<LinkRequest>(data);
});
