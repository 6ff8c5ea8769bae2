use crate::Error;
use std::fmt;

/// A phone number in E.164 form: `+` and 8 to 15 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    /// Accepts the spaces, dots, dashes and brackets people type and keeps only the digits.
    pub fn parse(raw: &str) -> Result<Phone, Error> {
        let raw = raw.trim();
        let bad = || Error::invalid("phone", "invalid-phone");
        let digits = raw.strip_prefix('+').ok_or_else(bad)?;
        let mut number = String::from("+");
        for c in digits.chars() {
            match c {
                '0'..='9' => number.push(c),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(bad()),
            }
        }
        if !(9..=16).contains(&number.len()) || number.starts_with("+0") {
            return Err(bad());
        }
        Ok(Phone(number))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_digits() {
        assert_eq!(
            Phone::parse(" +49 (170) 123-45.67 ").unwrap().as_str(),
            "+491701234567"
        );
    }

    #[test]
    fn refuses_local_or_odd_numbers() {
        for raw in [
            "0170 1234567",
            "+49abc1234567",
            "+1234567",
            "+1234567890123456",
            "+0123456789",
        ] {
            assert!(Phone::parse(raw).is_err(), "{raw}");
        }
    }
}
