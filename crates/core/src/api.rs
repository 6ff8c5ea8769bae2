//! The wire types of API.md, shared by the server (which answers with them and documents
//! them in OpenAPI) and the client (which sends and reads them), so the two cannot drift.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::secret::{expose, expose_opt};

/// An RFC 9457 problem document with Lanyard's stable `code`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub code: String,
    pub detail: String,
    /// Seconds to wait, on `rate_limited` (also sent as the `Retry-After` header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// On `link_required`: the token that links the identity, with the profile's password.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_token: Option<String>,
    /// On `link_required`: the login the identity's email matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegisterRequest {
    #[serde(default)]
    #[schema(format = Email)]
    pub email: Option<String>,
    #[serde(default)]
    #[schema(pattern = r"^\+[1-9][0-9]{7,14}$")]
    pub phone: Option<String>,
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String, format = Password, min_length = 8, max_length = 128)]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub password: SecretString,
    #[serde(default)]
    #[schema(max_length = 100, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub first_name: Option<String>,
    #[serde(default)]
    #[schema(max_length = 100, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub last_name: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RegisterResponse {
    pub profile_id: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenRequest {
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String, min_length = 1)]
    pub token: SecretString,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VerifyPhoneRequest {
    #[schema(pattern = r"^\+[1-9][0-9]{7,14}$")]
    pub phone: String,
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String, example = "123456", pattern = "^[0-9]{6}$")]
    pub code: SecretString,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LoginRequest {
    /// An email address or a phone number.
    #[schema(min_length = 1)]
    pub login: String,
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String, format = Password, min_length = 1)]
    pub password: SecretString,
    /// The address of the account to sign in to; without it the session is the profile's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = "^[a-z0-9-]{3,40}$")]
    pub account: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_name: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct RefreshRequest {
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String)]
    pub refresh_token: SecretString,
}

/// A signed-in session: a short-lived access token and a rotating refresh token.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Tokens {
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String)]
    pub access_token: SecretString,
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String)]
    pub refresh_token: SecretString,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    pub profile_id: String,
    /// The account this session is for, when it was asked for one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountRef>,
    /// What the session may do: `profile` (the profile's own credentials) or `account` (an
    /// account's single sign-on: that account only).
    #[serde(default)]
    pub scope: SessionScope,
}

/// What a session may act for (SPEC "Sessions and trust").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SessionScope {
    /// Made by the profile's own credentials: acts for the profile and in all its accounts.
    #[default]
    Profile,
    /// Made by an account's single sign-on: acts inside that account only.
    Account,
}

impl SessionScope {
    /// The stored and signed name of the scope.
    pub fn as_str(self) -> &'static str {
        match self {
            SessionScope::Profile => "profile",
            SessionScope::Account => "account",
        }
    }

    /// The scope named `raw`; anything else is refused, never guessed.
    pub fn parse(raw: &str) -> Option<SessionScope> {
        match raw {
            "profile" => Some(SessionScope::Profile),
            "account" => Some(SessionScope::Account),
            _ => None,
        }
    }
}

/// Which account a session belongs to. Tabs follow `id`, which survives renames.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AccountRef {
    pub id: String,
    pub address: String,
    pub name: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PasswordRecoveryRequest {
    #[schema(format = Email)]
    pub email: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PasswordResetRequest {
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String, min_length = 1)]
    pub token: SecretString,
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String, format = Password, min_length = 8, max_length = 128)]
    pub new_password: SecretString,
}

/// The answer to a recovery request: the same whether or not the email is known.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Accepted {
    pub message: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Profile {
    pub id: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub photo_url: Option<String>,
    pub has_password: bool,
    pub social: Vec<SocialIdentity>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SocialIdentity {
    pub provider: String,
    pub email: Option<String>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct UpdateProfileRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 100, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 100, pattern = r"^[^\u0000-\u001f\u007f-\u009f]*$")]
    pub last_name: Option<String>,
    /// An `https:` URL or a `data:image/…` URL; an empty string removes the photo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = r"^\s*((https?://|data:image/)\S{0,4000})?\s*$")]
    pub photo_url: Option<String>,
    /// Copy the names and photo onto the profile's employee record in every account.
    #[serde(default)]
    pub apply_to_accounts: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String, format = Password)]
    pub current_password: SecretString,
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String, format = Password, min_length = 8, max_length = 128)]
    pub new_password: SecretString,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChangeEmailRequest {
    #[schema(format = Email)]
    pub new_email: String,
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String, format = Password)]
    pub current_password: SecretString,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Session {
    pub id: String,
    pub device_name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: DateTime<Utc>,
    /// The session that made this request.
    pub current: bool,
}

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct DeleteProfileRequest {
    #[serde(default, serialize_with = "expose_opt")]
    #[schema(value_type = Option<String>, format = Password)]
    pub current_password: Option<SecretString>,
}

// --- accounts, employees, tasks --------------------------------------------------------------

pub use crate::policy::{Role, Status};

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreateAccountRequest {
    #[schema(pattern = "^[a-z0-9-]{3,40}$")]
    pub address: String,
    #[schema(
        max_length = 100,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Account {
    /// Never changes, not even on rename.
    pub id: String,
    pub address: String,
    pub name: String,
    pub plan: String,
    pub licence: Licence,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub renames_left: u64,
    /// The caller's role here: what a tab may show (settings are for administrators), known
    /// even to a session of the account's single sign-on, which may not list the profile's
    /// accounts.
    pub role: crate::policy::Role,
}

/// Seats: active employees plus pending invitations, against the plan's user limit.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Licence {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub limit: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub used: u64,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct UpdateAccountRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(
        max_length = 100,
        pattern = r"^[^\u0000-\u001f\u007f-\u009f]*[^\s\u0000-\u001f\u007f-\u009f][^\u0000-\u001f\u007f-\u009f]*$"
    )]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(pattern = "^[a-z0-9-]{3,40}$")]
    pub new_address: Option<String>,
}

/// One entry of `GET /me/accounts`.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MyAccount {
    pub id: String,
    pub address: String,
    pub name: String,
    pub role: Role,
    pub status: Status,
    /// For a pending invitation to this profile's login email: the token that accepts it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Employee {
    pub id: String,
    pub status: Status,
    pub role: Role,
    pub first_name: String,
    pub last_name: String,
    pub photo_url: Option<String>,
    /// Where to reach the person; not a login.
    pub contact_email: Option<String>,
    /// How the person signs in: shown to administrators (and to the person), null otherwise
    /// and while invited.
    pub login: Option<EmployeeLogin>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EmployeeLogin {
    pub kind: LoginKind,
    pub value: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum LoginKind {
    Email,
    Phone,
    Social,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct InviteRequest {
    #[schema(format = Email)]
    pub email: String,
}

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct UpdateEmployeeRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_email: Option<String>,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TaskStatus {
    Open,
    Done,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Task {
    pub id: String,
    pub title: String,
    pub status: TaskStatus,
    pub assignee_id: Option<String>,
    /// The employee who created it.
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct CreateTaskRequest {
    #[schema(max_length = 200, pattern = r"\S")]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_id: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct UpdateTaskRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<TaskStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 200, pattern = r"\S")]
    pub title: Option<String>,
    /// An employee id to assign, or `null` to unassign; left out, the assignee stays.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[schema(value_type = Option<String>)]
    pub assignee_id: Option<Option<String>>,
}

/// Tells a field sent as `null` (`Some(None)`) from a field left out (`None`).
fn present<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(deserializer).map(Some)
}

// --- QR sign-in ---------------------------------------------------------------------------------

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QrRequest {
    /// What the device calls itself. The approver is shown what the server saw instead (the
    /// program and system its user agent names, and its address): a claim is no fact.
    #[schema(pattern = r"\S")]
    pub device_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform: Option<String>,
    /// Sign in the profile alone (e.g. from the profile page). Otherwise the request is a
    /// desktop tab's, and the approver must pick the account it signs in to.
    #[serde(default)]
    pub profile_only: bool,
}

/// A pending QR sign-in. `qr_url` goes into the QR code; `poll_token` never does.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QrCreated {
    pub id: String,
    pub qr_url: String,
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String)]
    pub poll_token: SecretString,
    /// 10–99, shown beside the QR code; the approver must pick it.
    pub match_number: u8,
    pub expires_at: DateTime<Utc>,
}

/// What the approver sees before approving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct QrDetails {
    pub device_name: String,
    pub platform: Option<String>,
    pub ip: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The match number and two others, in random order.
    pub choices: Vec<u8>,
    /// The request is a desktop tab's: approving names the account it signs in to.
    #[serde(default)]
    pub needs_account: bool,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QrApproval {
    #[schema(maximum = 255)]
    pub number: u8,
    /// The address of the account to sign the desktop in to; without it, the profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct QrPoll {
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String, min_length = 1)]
    pub poll_token: SecretString,
    /// Seconds to wait for a change, 0–25 (more waits 25).
    #[serde(default)]
    #[schema(format = "uint64", maximum = 18446744073709551615_u64)]
    pub wait_seconds: u64,
}

// --- single sign-on ------------------------------------------------------------------------------

/// An account's OpenID Connect provider.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SsoConfig {
    /// The issuer URL; its discovery document must answer.
    pub issuer: String,
    pub client_id: String,
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String)]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub client_secret: SecretString,
}

/// Connecting a social identity to the signed-in profile: where the desktop listens, as for
/// a sign-in (`POST /api/v1/me/social/{provider}/connect`).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ConnectRequest {
    #[schema(pattern = r"^http://127\.0\.0\.1:[1-9][0-9]{0,3}/[A-Za-z0-9/_-]*$")]
    pub redirect_uri: String,
    #[schema(pattern = "^[A-Za-z0-9_-]{43}$")]
    pub code_challenge: String,
    #[serde(default)]
    pub state: String,
}

/// Where to open the system browser.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct BrowserStart {
    pub url: String,
}

/// A social sign-in provider the server is configured with (`GET /api/v1/auth/social`).
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SocialProviderInfo {
    /// The name in `/api/v1/auth/social/{provider}/start`.
    pub name: String,
}

/// What is saved (the secret is never sent back).
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SsoSettings {
    pub issuer: String,
    pub client_id: String,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ExchangeRequest {
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String, min_length = 1)]
    pub code: SecretString,
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String, min_length = 1)]
    pub code_verifier: SecretString,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct LinkRequest {
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String, min_length = 1)]
    pub link_token: SecretString,
    /// The login of the profile to link to, when the `link_required` answer named none (an
    /// account's single sign-on whose email is nobody's login). Ignored otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login: Option<String>,
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String, format = Password)]
    pub password: SecretString,
}
