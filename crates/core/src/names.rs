//! Values stored and sent as one of a fixed set of names (a role, a status, a state). Each
//! type lists its names once, in one table, and reading a name it does not know fails loudly
//! instead of quietly becoming some default.

use crate::api::TaskStatus;
use crate::policy::{Role, Status};

/// A stored or received name that no variant of `kind` has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?}")]
pub struct UnknownName {
    pub kind: &'static str,
    pub value: String,
}

/// Gives `$ty` its names: `as_str`, a strict `parse`, and `TryFrom<String>` (which lets a
/// database row decode the column straight into the type).
#[macro_export]
macro_rules! named_values {
    ($ty:ident, $kind:literal, { $($variant:ident => $name:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in the table's order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The stored and sent name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }

            /// The value named `raw`; anything else is refused, never guessed.
            pub fn parse(raw: &str) -> Result<$ty, $crate::names::UnknownName> {
                match raw {
                    $($name => Ok($ty::$variant),)+
                    other => Err($crate::names::UnknownName {
                        kind: $kind,
                        value: other.to_owned(),
                    }),
                }
            }
        }

        impl TryFrom<String> for $ty {
            type Error = $crate::names::UnknownName;
            fn try_from(raw: String) -> Result<$ty, Self::Error> {
                $ty::parse(&raw)
            }
        }
    };
}

named_values!(Role, "role", { Admin => "admin", Employee => "employee" });
named_values!(Status, "status", {
    Invited => "invited",
    Active => "active",
    Dismissed => "dismissed",
});
named_values!(TaskStatus, "task status", { Open => "open", Done => "done" });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back_as_its_value() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(*role));
        }
        for status in Status::ALL {
            assert_eq!(Status::parse(status.as_str()), Ok(*status));
        }
        for status in TaskStatus::ALL {
            assert_eq!(
                TaskStatus::try_from(status.as_str().to_owned()),
                Ok(*status)
            );
        }
    }

    #[test]
    fn an_unknown_name_is_refused_not_guessed() {
        assert_eq!(
            Role::parse("owner"),
            Err(UnknownName {
                kind: "role",
                value: "owner".into()
            })
        );
        assert!(Status::parse("Active").is_err());
        assert!(TaskStatus::parse("").is_err());
    }

    #[test]
    fn the_names_match_the_wire_form() {
        // The API sends these with serde, the database stores `as_str`: one spelling for both.
        fn wire(value: impl serde::Serialize) -> String {
            serde_json::to_string(&value).unwrap()
        }
        for role in Role::ALL {
            assert_eq!(wire(role), format!("\"{}\"", role.as_str()));
        }
        for status in Status::ALL {
            assert_eq!(wire(status), format!("\"{}\"", status.as_str()));
        }
        for status in TaskStatus::ALL {
            assert_eq!(wire(status), format!("\"{}\"", status.as_str()));
        }
    }
}
