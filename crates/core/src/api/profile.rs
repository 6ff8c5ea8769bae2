//! The profile page: the profile, its names and photo, password, login email, sessions.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Language;
use crate::secret::{expose, expose_opt};

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
    /// The language its mails, SMS and the server's pages are in; `null` until chosen
    /// (English then).
    pub language: Option<Language>,
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
    /// The language the profile reads Lanyard in: its mails and SMS follow it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
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

/// Change the login phone: a code goes to the new number.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ChangePhoneRequest {
    /// International form, e.g. +491701234567.
    #[schema(pattern = r"^\+[1-9][0-9]{7,14}$")]
    pub new_phone: String,
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String, format = Password)]
    pub current_password: SecretString,
}

/// The code texted to the new number, which then becomes the login.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ConfirmPhoneRequest {
    #[schema(pattern = r"^\+[1-9][0-9]{7,14}$")]
    pub new_phone: String,
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String, example = "123456", pattern = "^[0-9]{6}$")]
    pub code: SecretString,
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
