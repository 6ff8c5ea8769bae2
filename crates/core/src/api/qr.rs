//! QR sign-in.

use chrono::{DateTime, Utc};
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::secret::expose;

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
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
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
    /// The account to sign the desktop in to: its `id` (as `GET /me/accounts` lists it) or
    /// its address. Without it, the profile only, which a desktop tab's request refuses
    /// (`invalid_input`: the tab needs an account).
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
