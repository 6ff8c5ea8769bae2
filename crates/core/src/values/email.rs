use crate::Error;
use std::fmt;

/// An email address, trimmed and lower-cased, so that one mailbox is one login.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Accepts `local@domain.tld` with no white space, at most 254 characters (RFC 5321).
    pub fn parse(raw: &str) -> Result<Email, Error> {
        let email = raw.trim().to_lowercase();
        let bad = |message: &str| Error::invalid("email", message);
        if email.len() > 254 {
            return Err(bad("is longer than 254 characters"));
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(bad("needs an @"));
        };
        if local.is_empty() || local.len() > 64 || domain.contains('@') {
            return Err(bad("is not an email address"));
        }
        let labels_ok = domain.split('.').count() >= 2
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            });
        if !labels_ok || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad("is not an email address"));
        }
        Ok(Email(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_space() {
        assert_eq!(
            Email::parse("  Anna@Example.COM ").unwrap().as_str(),
            "anna@example.com"
        );
    }

    #[test]
    fn refuses_what_is_no_address() {
        for raw in [
            "",
            "anna",
            "@x.com",
            "anna@",
            "anna@x",
            "a b@x.com",
            "a@x..com",
            "a@b@x.com",
            "a@-x.com",
        ] {
            assert_eq!(
                Email::parse(raw).unwrap_err().code(),
                "invalid_input",
                "{raw}"
            );
        }
        let long = format!("{}@x.com", "a".repeat(65));
        assert!(Email::parse(&long).is_err());
    }
}
