//! The wire types of API.md, shared by the server (which answers with them and documents
//! them in OpenAPI) and the client (which sends and reads them), so the two cannot drift.
//! One module per resource; every type is re-exported here.

mod accounts;
mod auth;
mod events;
mod profile;
mod qr;
mod sso;

pub use accounts::*;
pub use auth::*;
pub use events::*;
pub use profile::*;
pub use qr::*;
pub use sso::*;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An RFC 9457 problem document with Lanyard's stable `code`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub code: String,
    /// What went wrong, as a sentence in the language the request asked for
    /// (`Accept-Language`: English or Russian).
    pub detail: String,
    /// The input the problem is about (`email`, `login`, `password`, `address`, …), so that
    /// a form shows `detail` beside that field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
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

impl Problem {
    /// The code as this build knows it; `None` for a code a newer server added.
    pub fn known_code(&self) -> Option<crate::Code> {
        crate::Code::parse(&self.code).ok()
    }
}
