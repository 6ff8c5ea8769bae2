//! Registration, verification, sign-in, sessions and recovery.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::secret::expose;

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

/// Following a verification link: confirm the address, or say the registration was not
/// the mailbox owner's (`decline`), which takes the address off that profile.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct VerifyEmailRequest {
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String, min_length = 1)]
    pub token: SecretString,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub decline: bool,
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
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
