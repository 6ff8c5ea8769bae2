//! Ids that say what they name. An `Id<Profile>` cannot be passed where an `Id<Account>` is
//! expected, so the ids that cross module lines (the caller, a new session's grant) cannot be
//! swapped by accident. Stored and sent as plain text.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

/// The id of one `T` (`Profile`, `Account`, `Session`).
pub struct Id<T> {
    value: String,
    kind: PhantomData<fn() -> T>,
}

/// What an id can name.
pub enum Profile {}
pub enum Account {}
pub enum Session {}

pub type ProfileId = Id<Profile>;
pub type AccountId = Id<Account>;
pub type SessionId = Id<Session>;

impl<T> Id<T> {
    /// An id read from a trusted place (the database, a signed token).
    pub fn new(value: impl Into<String>) -> Id<T> {
        Id {
            value: value.into(),
            kind: PhantomData,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }

    pub fn into_string(self) -> String {
        self.value
    }
}

// Written out rather than derived: a derive would ask `T` (a tag that is never built) to
// implement each trait too.
impl<T> Clone for Id<T> {
    fn clone(&self) -> Self {
        Id::new(self.value.clone())
    }
}

impl<T> PartialEq for Id<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T> Eq for Id<T> {}

impl<T> PartialEq<str> for Id<T> {
    fn eq(&self, other: &str) -> bool {
        self.value == other
    }
}

impl<T> PartialEq<String> for Id<T> {
    fn eq(&self, other: &String) -> bool {
        &self.value == other
    }
}

impl<T> std::hash::Hash for Id<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.value.hash(state);
    }
}

impl<T> Deref for Id<T> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.value
    }
}

impl<T> fmt::Debug for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.value, f)
    }
}

impl<T> fmt::Display for Id<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_as_its_text() {
        let id = ProfileId::new("0190-anna");
        assert_eq!(id.as_str(), "0190-anna");
        assert_eq!(&*id, "0190-anna");
        assert!(id == *"0190-anna");
        assert_eq!(id.clone(), id);
        assert_eq!(format!("{id} {id:?}"), "0190-anna \"0190-anna\"");
    }
}
