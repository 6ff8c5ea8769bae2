//! The free-text values people type: names, titles, a photo's address. Each keeps one rule
//! (length, control characters, emptiness) that every place accepting it shares.

use crate::{Error, Text};
use std::fmt;

/// Trimmed text of at most `max` characters without control characters (a name printed in a
/// mail or a page must not carry line breaks or escape sequences).
fn plain(field: &'static str, raw: &str, max: usize) -> Result<String, Error> {
    let text = raw.trim();
    if text.chars().count() > max {
        return Err(Error::invalid_with(
            field,
            Text::new("invalid-too-long").with("max", max as u64),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(Error::invalid(field, "invalid-control-characters"));
    }
    Ok(text.to_owned())
}

macro_rules! text_value {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

text_value!(
    /// A first or last name: trimmed, at most 100 characters, possibly empty.
    PersonName
);

impl PersonName {
    pub const MAX_CHARS: usize = 100;

    /// `field` names the input in the error (`first_name`, `last_name`).
    pub fn parse(field: &'static str, raw: &str) -> Result<PersonName, Error> {
        plain(field, raw, Self::MAX_CHARS).map(PersonName)
    }
}

text_value!(
    /// An account's display name: a person name's rules, and never empty.
    AccountName
);

impl AccountName {
    pub fn parse(raw: &str) -> Result<AccountName, Error> {
        let name = plain("name", raw, PersonName::MAX_CHARS)?;
        if name.is_empty() {
            return Err(Error::invalid("name", "invalid-account-name"));
        }
        Ok(AccountName(name))
    }
}

text_value!(
    /// A task's title: trimmed, 1 to 200 characters.
    TaskTitle
);

impl TaskTitle {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<TaskTitle, Error> {
        let title = raw.trim();
        if title.is_empty() || title.chars().count() > Self::MAX_CHARS {
            return Err(Error::invalid("title", "invalid-task-title"));
        }
        Ok(TaskTitle(title.to_owned()))
    }
}

text_value!(
    /// What a session is called in the list of sessions. Whatever a client sends is made
    /// printable rather than refused: control characters go, it is cut to 100 characters,
    /// and nothing becomes "Unknown device".
    DeviceName
);

impl DeviceName {
    pub const MAX_CHARS: usize = 100;

    pub fn from_client(raw: Option<&str>) -> DeviceName {
        let name: String = raw
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .unwrap_or("Unknown device")
            .chars()
            .filter(|c| !c.is_control())
            .take(Self::MAX_CHARS)
            .collect();
        DeviceName(name)
    }
}

text_value!(
    /// A profile photo: an `http(s)` URL, or an inline `data:image/…` URL of at most 48 KiB
    /// (it keeps well inside the 64 KiB request body).
    PhotoUrl
);

impl PhotoUrl {
    pub const MAX_BYTES: usize = 48 * 1024;

    /// An empty value means "no photo" (`None`).
    pub fn parse(raw: &str) -> Result<Option<PhotoUrl>, Error> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(None);
        }
        let allowed = ["https://", "http://", "data:image/"]
            .iter()
            .any(|scheme| raw.starts_with(scheme));
        if !allowed || raw.len() > Self::MAX_BYTES || raw.chars().any(char::is_whitespace) {
            return Err(Error::invalid("photo_url", "invalid-photo-url"));
        }
        Ok(Some(PhotoUrl(raw.to_owned())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused_field(result: Result<impl fmt::Debug, Error>) -> &'static str {
        match result {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected invalid_input, got {other:?}"),
        }
    }

    #[test]
    fn person_names_are_trimmed_bounded_and_printable() {
        assert_eq!(
            PersonName::parse("first_name", "  Anna ").unwrap().as_str(),
            "Anna"
        );
        assert_eq!(PersonName::parse("last_name", "").unwrap().as_str(), "");
        let long = "a".repeat(101);
        assert_eq!(
            refused_field(PersonName::parse("last_name", &long)),
            "last_name"
        );
        assert!(PersonName::parse("first_name", &"я".repeat(100)).is_ok());
        assert_eq!(
            refused_field(PersonName::parse("first_name", "An\nna")),
            "first_name"
        );
    }

    #[test]
    fn an_account_name_cannot_be_empty() {
        assert_eq!(AccountName::parse(" Acme ").unwrap().as_str(), "Acme");
        assert_eq!(refused_field(AccountName::parse("   ")), "name");
        assert_eq!(refused_field(AccountName::parse("Ac\u{7}me")), "name");
    }

    #[test]
    fn a_task_title_has_1_to_200_characters() {
        assert_eq!(TaskTitle::parse(" Ship it ").unwrap().as_str(), "Ship it");
        assert_eq!(refused_field(TaskTitle::parse(" ")), "title");
        assert!(TaskTitle::parse(&"x".repeat(200)).is_ok());
        assert_eq!(refused_field(TaskTitle::parse(&"x".repeat(201))), "title");
    }

    #[test]
    fn a_device_name_is_made_printable_never_refused() {
        assert_eq!(DeviceName::from_client(None).as_str(), "Unknown device");
        assert_eq!(
            DeviceName::from_client(Some("  ")).as_str(),
            "Unknown device"
        );
        assert_eq!(
            DeviceName::from_client(Some("ANNA-PC\u{1b}[31m\n")).as_str(),
            "ANNA-PC[31m"
        );
        let long = "x".repeat(300);
        assert_eq!(
            DeviceName::from_client(Some(&long))
                .as_str()
                .chars()
                .count(),
            100
        );
    }

    #[test]
    fn a_photo_is_a_web_or_inline_image_address() {
        assert_eq!(PhotoUrl::parse("  ").unwrap(), None);
        assert_eq!(
            PhotoUrl::parse("https://x.test/a.png")
                .unwrap()
                .unwrap()
                .as_str(),
            "https://x.test/a.png"
        );
        assert!(
            PhotoUrl::parse("data:image/png;base64,AAAA")
                .unwrap()
                .is_some()
        );
        for bad in [
            "javascript:alert(1)",
            "https://x.test/a b.png",
            "ftp://x.test/a",
        ] {
            assert_eq!(refused_field(PhotoUrl::parse(bad)), "photo_url", "{bad}");
        }
        let huge = format!("data:image/png;base64,{}", "A".repeat(PhotoUrl::MAX_BYTES));
        assert_eq!(refused_field(PhotoUrl::parse(&huge)), "photo_url");
    }
}
