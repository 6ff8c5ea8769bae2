//! The properties the fuzz targets assert, one function per parser of lanyard-core. Each
//! states the rule a second time, independently of the parser, and checks both ways: what
//! the parser accepts satisfies the rule and reads back to itself, and what it refuses breaks
//! the rule. A panic here is a finding; `cargo fuzz run` saves the input under fuzz/artifacts.

// A fuzz target reports a broken property by panicking: asserts and unwraps are the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::sync::LazyLock;

use lanyard_core::mail::html_escape;
use lanyard_core::values::{Address, Email, Login, Password, Phone};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The input as text, when it is UTF-8 (every parser takes `&str`; JSON has its own target).
pub fn text(data: &[u8]) -> Option<&str> {
    std::str::from_utf8(data).ok()
}

// --- email ---------------------------------------------------------------------------------------

/// SPEC's email, normalised: trimmed, lower-case, `local@domain.tld`, at most 254 bytes; a
/// local part of 1–64 bytes that is a dot-atom (atoms of RFC 5322 `atext` or letters and
/// digits of any script, joined by single dots); a domain of two or more labels of 1–63
/// bytes of letters, digits and inner hyphens; no white space or control character.
pub fn email_rule(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    email.len() <= 254
        && email == email.trim()
        && email == email.to_lowercase()
        && !local.is_empty()
        && local.len() <= 64
        && local.split('.').all(|atom| {
            !atom.is_empty()
                && atom.chars().all(|c| {
                    matches!(c, 'a'..='z' | 'A'..='Z' | '0'..='9')
                        || "!#$%&'*+-/=?^_`{|}~".contains(c)
                        || (c as u32 > 0x7f && c.is_alphanumeric())
                })
        })
        && !domain.contains('@')
        && labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// `Email::parse` accepts exactly what the rule allows once normalised, keeps the normalised
/// text, and reads its own output back to the same value.
pub fn check_email(raw: &str) {
    let normalised = raw.trim().to_lowercase();
    match Email::parse(raw) {
        Ok(email) => {
            assert!(
                email_rule(email.as_str()),
                "accepted {:?} as {email:?}",
                raw
            );
            assert_eq!(email.as_str(), normalised, "not the normalised input");
            assert_eq!(email.to_string(), email.as_str());
            let again = Email::parse(email.as_str()).expect("its own output parses");
            assert_eq!(again, email, "not stable when parsed again");
            deliverable(&email);
        }
        Err(error) => {
            assert_eq!(error.code(), "invalid_input");
            assert!(
                !email_rule(&normalised),
                "refused {raw:?}, which the rule allows"
            );
        }
    }
}

/// The server mails an `Email` by parsing it as a lettre `Mailbox` (crates/server/src/mail):
/// it must parse, to the same address and no display name.
pub fn deliverable(email: &Email) {
    let mailbox: lettre::message::Mailbox = match email.as_str().parse() {
        Ok(mailbox) => mailbox,
        Err(error) => panic!("accepted {email:?}, which mail cannot address: {error}"),
    };
    assert_eq!(mailbox.name, None, "{email:?} read with a display name");
    assert_eq!(
        mailbox.email.to_string(),
        email.as_str(),
        "{email:?} addressed elsewhere"
    );
}

// --- phone ---------------------------------------------------------------------------------------

/// E.164 as SPEC and the parser mean it: `+`, then 8–15 ASCII digits, the first not `0`.
pub fn phone_rule(phone: &str) -> bool {
    phone.strip_prefix('+').is_some_and(|digits| {
        (8..=15).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.starts_with('0')
    })
}

/// `Phone::parse` keeps the digits of `+` and digits, spaces, dots, dashes and brackets;
/// anything else is refused; the result obeys E.164 and reads back to itself.
pub fn check_phone(raw: &str) {
    let expected = raw.trim().strip_prefix('+').and_then(|rest| {
        rest.chars()
            .all(|c| c.is_ascii_digit() || " -.()".contains(c))
            .then(|| {
                let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
                format!("+{digits}")
            })
            .filter(|number| phone_rule(number))
    });
    match Phone::parse(raw) {
        Ok(phone) => {
            assert!(phone_rule(phone.as_str()), "accepted {raw:?} as {phone:?}");
            assert_eq!(Some(phone.as_str()), expected.as_deref(), "from {raw:?}");
            assert_eq!(phone.to_string(), phone.as_str());
            let again = Phone::parse(phone.as_str()).expect("its own output parses");
            assert_eq!(again, phone, "not stable when parsed again");
        }
        Err(error) => {
            assert_eq!(error.code(), "invalid_input");
            assert_eq!(expected, None, "refused {raw:?}, which the rule allows");
        }
    }
}

// --- account address -----------------------------------------------------------------------------

/// SPEC's account address: 3–40 of `a-z`, `0-9` and `-`.
pub fn address_rule(address: &str) -> bool {
    (3..=40).contains(&address.len())
        && address
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `Address::parse` judges the trimmed, lower-cased input by the rule and keeps it.
pub fn check_address(raw: &str) {
    let normalised = raw.trim().to_lowercase();
    match Address::parse(raw) {
        Ok(address) => {
            assert!(
                address_rule(address.as_str()),
                "accepted {raw:?} as {address:?}"
            );
            assert_eq!(address.as_str(), normalised);
            assert_eq!(address.to_string(), address.as_str());
            let again = Address::parse(address.as_str()).expect("its own output parses");
            assert_eq!(again, address, "not stable when parsed again");
        }
        Err(error) => {
            assert_eq!(error.code(), "invalid_address");
            assert!(
                !address_rule(&normalised),
                "refused {raw:?}, which the rule allows"
            );
        }
    }
}

// --- login ---------------------------------------------------------------------------------------

/// `Login::parse` is `Email::parse` for anything with an `@` and `Phone::parse` otherwise;
/// an email login never reads as a phone login or back, so the two kinds cannot collide.
pub fn check_login(raw: &str) {
    let login = Login::parse(raw);
    if raw.contains('@') {
        let email = Email::parse(raw).ok();
        match &login {
            Ok(Login::Email(parsed)) => assert_eq!(Some(parsed), email.as_ref()),
            Ok(Login::Phone(phone)) => panic!("{raw:?} has an @ but read as phone {phone:?}"),
            Err(error) => {
                assert_eq!(email, None);
                assert_eq!(error.code(), "invalid_input");
            }
        }
    } else {
        let phone = Phone::parse(raw).ok();
        match &login {
            Ok(Login::Phone(parsed)) => assert_eq!(Some(parsed), phone.as_ref()),
            Ok(Login::Email(email)) => panic!("{raw:?} has no @ but read as email {email:?}"),
            Err(error) => {
                assert_eq!(phone, None);
                assert_eq!(error.code(), "invalid_input");
            }
        }
    }
    if let Ok(login) = login {
        let again = Login::parse(login.as_str()).expect("its own output parses");
        assert_eq!(again, login, "not stable when parsed again");
    }
}

// --- password ------------------------------------------------------------------------------------

/// The list lanyard-core ships, read here on its own so the target judges the parser by it.
static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../crates/core/data/common-passwords.txt")
        .lines()
        .collect()
});

/// How any accepted password prints with `{:?}`: the same redacted text, whatever it is.
static REDACTED: LazyLock<String> = LazyLock::new(|| {
    let known = Password::parse(&SecretString::from("Xk7#pq2!zz")).expect("a fine password");
    format!("{known:?}")
});

/// API.md: a new password is 8–128 characters and not among the common ones in any case;
/// an accepted password keeps the exact text typed (no trimming, no normalising).
pub fn check_password(raw: &str) {
    let chars = raw.chars().count();
    let allowed = (8..=128).contains(&chars) && !COMMON.contains(raw.to_lowercase().as_str());
    match Password::parse(&SecretString::from(raw)) {
        Ok(password) => {
            assert!(
                allowed,
                "accepted a password the policy refuses ({chars} characters)"
            );
            assert_eq!(
                password.secret().expose_secret(),
                raw,
                "the secret was altered"
            );
            assert_eq!(format!("{password:?}"), *REDACTED, "Debug shows the secret");
        }
        Err(error) => {
            assert_eq!(error.code(), "weak_password");
            assert!(
                !allowed,
                "refused a password the policy allows ({chars} characters)"
            );
        }
    }
}

// --- HTML escaping of mail text ------------------------------------------------------------------

/// `html_escape` leaves no character that opens markup or an attribute, and undoes exactly.
pub fn check_html_escape(raw: &str) {
    let escaped = html_escape(raw);
    assert!(
        !escaped.contains(['<', '>', '"', '\'']),
        "markup survives: {escaped:?}"
    );
    let mut unescaped = String::with_capacity(raw.len());
    let mut rest = escaped.as_str();
    while let Some(at) = rest.find('&') {
        unescaped.push_str(&rest[..at]);
        rest = &rest[at..];
        let (entity, c) = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
        ]
        .into_iter()
        .find(|(entity, _)| rest.starts_with(entity))
        .expect("every & starts an entity");
        unescaped.push(c);
        rest = &rest[entity.len()..];
    }
    unescaped.push_str(rest);
    assert_eq!(unescaped, raw, "escaping lost or changed text");
}

// --- JSON request bodies -------------------------------------------------------------------------

/// Reads a request body as the server does (`serde_json::from_slice`). What it accepts writes
/// back out as JSON that reads to the same value, so client and server agree on every body.
pub fn body<T: Serialize + DeserializeOwned>(data: &[u8]) -> Option<T> {
    let value: T = serde_json::from_slice(data).ok()?;
    let written = serde_json::to_value(&value).expect("a parsed body writes out");
    assert!(written.is_object(), "a body writes out as a JSON object");
    let bytes = serde_json::to_vec(&value).expect("a parsed body writes out");
    let again: T = serde_json::from_slice(&bytes).expect("the written body reads back");
    assert_eq!(
        serde_json::to_value(&again).expect("writes out"),
        written,
        "the body changed on a round trip"
    );
    Some(value)
}

/// The field checks the server makes with lanyard-core's values: each must hold its property.
pub fn check_optional(field: Option<&str>, check: fn(&str)) {
    if let Some(raw) = field {
        check(raw);
    }
}

/// A secret field, checked as a new password would be.
pub fn check_new_password(secret: &SecretString) {
    check_password(secret.expose_secret());
}
