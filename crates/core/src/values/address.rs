use crate::Error;
use std::fmt;

/// An account's address (`acme`): 3–40 lower-case letters, digits and hyphens, unique.
/// Typed in any case and with stray spaces, it is normalised before it is judged.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Address(String);

impl Address {
    /// What an address is looked up by: trimmed and lower-cased, as typed addresses are
    /// normalised. A lookup key may fail `parse` (a former address, a typo): it then finds
    /// nothing.
    pub fn lookup_key(raw: &str) -> String {
        raw.trim().to_lowercase()
    }

    pub fn parse(raw: &str) -> Result<Address, Error> {
        let address = Address::lookup_key(raw);
        let chars = address.chars().count();
        let allowed = address
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !(3..=40).contains(&chars) || !allowed {
            return Err(Error::InvalidAddress);
        }
        Ok(Address(address))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_digits_hyphens_three_to_forty() {
        assert_eq!(Address::parse(" Acme-2 ").unwrap().as_str(), "acme-2");
        assert!(Address::parse("abc").is_ok());
        assert!(Address::parse(&"a".repeat(40)).is_ok());
        for bad in [
            "ab",
            "Acme!",
            "acme corp",
            "acme.com",
            "ümlaut",
            "a_b_c",
            &"a".repeat(41),
        ] {
            assert_eq!(
                Address::parse(bad).unwrap_err().code(),
                "invalid_address",
                "{bad}"
            );
        }
    }
}
