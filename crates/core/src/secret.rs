//! Secrets on the wire. Passwords and tokens are `SecretString` everywhere, so their `Debug`
//! is redacted and they are zeroed on drop; these helpers let serde write them out where a
//! request or answer must carry one.

use secrecy::{ExposeSecret, SecretString};
use serde::Serializer;

/// `serialize_with` for a `SecretString` field.
pub fn expose<S: Serializer>(secret: &SecretString, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(secret.expose_secret())
}

/// `serialize_with` for an `Option<SecretString>` field.
pub fn expose_opt<S: Serializer>(
    secret: &Option<SecretString>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match secret {
        Some(secret) => serializer.serialize_some(secret.expose_secret()),
        None => serializer.serialize_none(),
    }
}
