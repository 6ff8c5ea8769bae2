use crate::Error;
use secrecy::{ExposeSecret, SecretString};
use std::collections::HashSet;
use std::sync::LazyLock;

const MIN_CHARS: usize = 8;
const MAX_CHARS: usize = 128;

/// The 10,000 most common passwords (see data/README.md), lower-cased.
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .collect()
});

/// A new password that satisfies the policy: 8–128 characters, not a common one.
/// (A password typed to sign in is never parsed: old passwords keep working.)
#[derive(Debug)] // redacted: SecretString prints no secret
pub struct Password(SecretString);

impl Password {
    pub fn parse(raw: &SecretString) -> Result<Password, Error> {
        let text = raw.expose_secret();
        let chars = text.chars().count();
        if chars < MIN_CHARS {
            return Err(Error::WeakPassword("weak-password-short"));
        }
        if chars > MAX_CHARS {
            return Err(Error::WeakPassword("weak-password-long"));
        }
        if COMMON.contains(text.to_lowercase().as_str()) {
            return Err(Error::WeakPassword("weak-password-common"));
        }
        Ok(Password(raw.clone()))
    }

    pub fn secret(&self) -> &SecretString {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Password, Error> {
        Password::parse(&SecretString::from(s))
    }

    #[test]
    fn length_bounds() {
        assert!(parse("Xk7#pq2").is_err());
        assert!(parse("Xk7#pq2!").is_ok());
        assert!(parse(&"é".repeat(128)).is_ok());
        assert!(parse(&"é".repeat(129)).is_err());
    }

    #[test]
    fn common_passwords_are_weak_in_any_case() {
        assert_eq!(COMMON.len(), 10_000);
        for weak in [
            "password",
            "PassWord1",
            "12345678",
            "iloveyou",
            "qwertyuiop",
        ] {
            assert_eq!(parse(weak).unwrap_err().code(), "weak_password", "{weak}");
        }
    }
}
