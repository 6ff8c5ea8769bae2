//! Single sign-on, social sign-in and linking identities.

use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::secret::expose;

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

/// Where the desktop waits for a browser sign-in to come back (RFC 8252): the query of the
/// single sign-on and social starts, and the body of connecting an identity
/// (`POST /api/v1/me/social/{provider}/connect`).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LoopbackStart {
    /// The desktop's loopback address: `http://127.0.0.1:<any port>/…`.
    #[schema(pattern = r"^http://127\.0\.0\.1:[1-9][0-9]{0,3}/[A-Za-z0-9/_-]*$")]
    #[param(pattern = r"^http://127\.0\.0\.1:[1-9][0-9]{0,3}/[A-Za-z0-9/_-]*$")]
    pub redirect_uri: String,
    /// The desktop's PKCE challenge (S256).
    #[schema(pattern = "^[A-Za-z0-9_-]{43}$")]
    #[param(pattern = "^[A-Za-z0-9_-]{43}$")]
    pub code_challenge: String,
    /// Sent back unchanged with the code.
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
