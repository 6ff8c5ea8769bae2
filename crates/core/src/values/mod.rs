//! Typed values: each parses once at the edge and is valid from then on.

mod address;
mod email;
mod password;
mod phone;
mod photo;
mod text;

pub use address::Address;
pub use email::Email;
pub use password::Password;
pub use phone::Phone;
pub use photo::PhotoType;
pub use text::{AccountName, DeviceName, PersonName, PhotoUrl, TaskTitle};

use crate::Error;

/// What a person types as their login: a verified email or a verified phone number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Login {
    Email(Email),
    Phone(Phone),
}

impl Login {
    /// An `@` makes it an email; anything else must be a phone number.
    pub fn parse(raw: &str) -> Result<Login, Error> {
        if raw.contains('@') {
            Email::parse(raw).map(Login::Email)
        } else {
            Phone::parse(raw)
                .map(Login::Phone)
                .map_err(|_| Error::invalid("login", "invalid-login"))
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Login::Email(email) => email.as_str(),
            Login::Phone(phone) => phone.as_str(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_tells_email_from_phone() {
        assert!(matches!(Login::parse("Anna@X.com"), Ok(Login::Email(_))));
        assert!(matches!(
            Login::parse("+49 170 1234567"),
            Ok(Login::Phone(_))
        ));
        assert_eq!(Login::parse("anna").unwrap_err().code(), "invalid_input");
    }
}
