//! The live feed of `GET /api/v1/me/events`: what changed for the signed-in person, pushed as
//! Server-Sent Events (`event:` is the `kind`, `data:` the whole event as JSON, `id:` what
//! `Last-Event-ID` resumes after).

use super::AccountRef;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One change worth telling the person about at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// A task of `account` was assigned to me (created so, or reassigned).
    TaskAssigned {
        account: AccountRef,
        task_id: String,
        title: String,
    },
    /// An invitation to `account` was sent to my login email.
    Invited { account: AccountRef },
    /// My employee record in `account` was dismissed: its sessions there have ended.
    Dismissed { account: AccountRef },
    /// My employee record in `account` was reinstated.
    Reinstated { account: AccountRef },
    /// These sessions of mine were revoked (from the sessions list, or by a password change).
    SessionsRevoked { session_ids: Vec<String> },
    /// A new session of my profile was opened (a sign-in on `device_name`).
    SignedIn {
        session_id: String,
        device_name: String,
    },
}

impl Event {
    /// The SSE `event:` name, the same as the JSON `kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::TaskAssigned { .. } => "task_assigned",
            Event::Invited { .. } => "invited",
            Event::Dismissed { .. } => "dismissed",
            Event::Reinstated { .. } => "reinstated",
            Event::SessionsRevoked { .. } => "sessions_revoked",
            Event::SignedIn { .. } => "signed_in",
        }
    }

    /// The account the change happened in, for those that happened inside one.
    pub fn account(&self) -> Option<&AccountRef> {
        match self {
            Event::TaskAssigned { account, .. }
            | Event::Invited { account }
            | Event::Dismissed { account }
            | Event::Reinstated { account } => Some(account),
            Event::SessionsRevoked { .. } | Event::SignedIn { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_on_the_wire_is_the_sse_event_name() {
        let account = AccountRef {
            id: "a".into(),
            address: "acme".into(),
            name: "Acme".into(),
        };
        let events = [
            Event::TaskAssigned {
                account: account.clone(),
                task_id: "t".into(),
                title: "x".into(),
            },
            Event::Invited {
                account: account.clone(),
            },
            Event::Dismissed {
                account: account.clone(),
            },
            Event::Reinstated { account },
            Event::SessionsRevoked {
                session_ids: vec!["s".into()],
            },
            Event::SignedIn {
                session_id: "s".into(),
                device_name: "d".into(),
            },
        ];
        for event in events {
            let json = serde_json::to_value(&event).unwrap();
            assert_eq!(json["kind"], event.kind());
            assert_eq!(serde_json::from_value::<Event>(json).unwrap(), event);
        }
    }
}
