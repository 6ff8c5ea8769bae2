//! The live feed (`GET /api/v1/me/events`). A change worth telling someone about at once (a
//! task assigned, an invitation, a dismissal, revoked sessions, a new sign-in) is written to
//! the `events` table beside the change, by whichever replica made it. Each replica runs one
//! reader (`pump`) that reads the new rows on a short tick, and at once after its own writes,
//! and hands them to the streams it holds, which keep those their session may see. One query
//! per tick per replica, however many streams are open.
//!
//! Ids are UUIDv7 (time first, so their text sorts by time), made by each writer's clock.
//! Rows become visible in commit order, not id order, and replicas' clocks differ a little,
//! so the reader re-reads a window (`WINDOW`) behind the newest id it has seen and skips ids
//! it delivered already. Replicas' clocks must agree within that window (NTP does).

pub mod feed;

use feed::{Feed, Published};

use crate::state::AppState;
use crate::store::events::{self, EventRow};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use lanyard_core::api::{AccountRef, Event, SessionScope};
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// How often each replica looks for other replicas' events.
const TICK: Duration = Duration::from_millis(500);
/// How far behind its newest id the reader looks again (commit order, clock differences).
const WINDOW: chrono::Duration = chrono::Duration::seconds(5);
/// How long events are kept for streams that resume (`Last-Event-ID`).
const KEEP: chrono::Duration = chrono::Duration::days(1);
/// Rows read per query.
const PAGE: u32 = 500;

/// Records `event` for the profile. The change it reports has happened already, so a failure
/// here is logged, never turned into a failed request.
pub async fn publish(state: &AppState, profile_id: &str, event: Event) {
    let row = EventRow {
        id: state.new_id(),
        profile_id: profile_id.to_owned(),
        account_id: event.account().map(|account| account.id.clone()),
        body: match serde_json::to_string(&event) {
            Ok(body) => body,
            Err(error) => return tracing::error!(%error, "an event did not serialise"),
        },
    };
    match events::insert(&state.db, &row, state.clock.now()).await {
        Ok(()) => state.feed.wake.notify_one(),
        Err(error) => tracing::warn!(%error, kind = event.kind(), "recording an event failed"),
    }
}

/// The smallest UUIDv7 text made at or after `time`: ids below it are older.
fn first_id_at(time: DateTime<Utc>) -> String {
    let ms = u64::try_from(time.timestamp_millis()).unwrap_or(0);
    format!("{:08x}-{:04x}", ms >> 16, ms & 0xffff)
}

/// The time a UUIDv7 text was made at (its first 48 bits); `None` for anything else.
fn time_of(id: &str) -> Option<DateTime<Utc>> {
    let hex: String = id.chars().filter(|c| *c != '-').take(12).collect();
    let ms = i64::from_str_radix(&hex, 16).ok()?;
    DateTime::from_timestamp_millis(ms)
}

/// This replica's reader: hands every new event (its own and other replicas') to the
/// streams it holds, and drops events past `KEEP` now and then. Runs until the feed closes.
pub async fn pump(state: AppState) {
    let feed = &state.feed;
    let mut newest = state.clock.now();
    let mut delivered = BTreeSet::<String>::new();
    let mut pruned_at = newest - KEEP;
    loop {
        tokio::select! {
            () = feed.closing.cancelled() => return,
            () = feed.wake.notified() => {}
            () = tokio::time::sleep(TICK) => {}
        }
        let from = first_id_at(newest - WINDOW);
        delivered = delivered.split_off(&from);
        let mut after = from;
        loop {
            let rows = match events::since(&state.db, &after, PAGE).await {
                Ok(rows) => rows,
                Err(error) => {
                    tracing::warn!(%error, "reading new events failed");
                    break;
                }
            };
            let full = rows.len() == PAGE as usize;
            for row in rows {
                after.clone_from(&row.id);
                if let Some(time) = time_of(&row.id) {
                    newest = newest.max(time);
                }
                if delivered.insert(row.id.clone()) {
                    hand_over(feed, row);
                }
            }
            if !full {
                break;
            }
        }
        let now = state.clock.now();
        if now - pruned_at > chrono::Duration::minutes(10) {
            pruned_at = now;
            if let Err(error) = events::prune(&state.db, &first_id_at(now - KEEP)).await {
                tracing::warn!(%error, "dropping old events failed");
            }
        }
    }
}

fn hand_over(feed: &Feed, row: EventRow) {
    match serde_json::from_str(&row.body) {
        // Nobody listening is fine: nothing to tell.
        Ok(event) => drop(feed.streams.send(Arc::new(Published {
            id: row.id,
            profile_id: row.profile_id,
            event,
        }))),
        Err(error) => tracing::warn!(%error, id = %row.id, "an unreadable event was skipped"),
    }
}

/// The session a stream is for: whose events it hears, and which of them.
#[derive(Debug, Clone)]
pub struct Listener {
    pub profile_id: String,
    pub session_id: String,
    pub scope: SessionScope,
    /// The account the session belongs to (a desktop tab), if any.
    pub account_id: Option<String>,
}

impl Listener {
    /// Whether `account` is the one this session belongs to (a tab's, or its single sign-on's).
    fn owns(&self, account: &AccountRef) -> bool {
        self.account_id.as_deref() == Some(account.id.as_str())
    }
}

/// What a session may hear of `event` of its profile: all of it for a profile session (but
/// its own sign-in), only its own account's changes and its own end for an account session.
fn visible_to(caller: &Listener, event: &Event) -> Option<Event> {
    match (caller.scope, event) {
        (_, Event::SignedIn { session_id, .. }) if caller.session_id == *session_id => None,
        (SessionScope::Profile, _) => Some(event.clone()),
        (SessionScope::Account, Event::SessionsRevoked { session_ids }) => session_ids
            .contains(&caller.session_id)
            .then(|| Event::SessionsRevoked {
                session_ids: vec![caller.session_id.clone()],
            }),
        (SessionScope::Account, _) => event
            .account()
            .filter(|a| caller.owns(a))
            .map(|_| event.clone()),
    }
}

/// Whether the stream ends after `event`: its session was revoked, or it was a tab's session
/// in an account that dismissed the person (those sessions ended with the dismissal).
fn ends_stream(caller: &Listener, event: &Event) -> bool {
    match event {
        Event::SessionsRevoked { session_ids } => session_ids.contains(&caller.session_id),
        Event::Dismissed { account } => caller.owns(account),
        _ => false,
    }
}

/// The events a stream sends: those after `last_event_id` still kept (when it resumes), then
/// each new one as it arrives, until its session ends, the access token it was opened with
/// would have expired (the client reconnects with a fresh one), or the server shuts down.
pub async fn stream(
    state: &AppState,
    caller: Listener,
    last_event_id: Option<String>,
) -> crate::error::AppResult<impl futures_util::Stream<Item = (String, Event)> + use<>> {
    let live = state.feed.streams.subscribe();
    let profile_id = caller.profile_id.as_str();
    // A new stream hears what happens from now on: events before it opened (which this
    // replica's reader may hand over only after it subscribed) are passed over.
    let (floor, missed) = match last_event_id {
        Some(after) => {
            let missed = events::of_profile_since(&state.db, profile_id, &after, PAGE).await?;
            (Some(after), missed)
        }
        None => (
            events::newest_of_profile(&state.db, profile_id).await?,
            Vec::new(),
        ),
    };
    let missed: Vec<(String, Event)> = missed
        .into_iter()
        .filter_map(|row| Some((row.id, serde_json::from_str(&row.body).ok()?)))
        .collect();
    let deadline = tokio::time::Instant::now()
        + crate::tokens::ACCESS_TTL
            .to_std()
            .unwrap_or(Duration::from_secs(900));
    let sent: BTreeSet<String> = missed.iter().map(|(id, _)| id.clone()).collect();
    let closing = state.feed.closing.clone();
    let stream = Stream {
        caller,
        live,
        floor,
        sent,
        ended: false,
    };
    let backlog = futures_util::stream::iter(missed).filter_map({
        let caller = stream.caller.clone();
        move |(id, event)| std::future::ready(visible_to(&caller, &event).map(|e| (id, e)))
    });
    let live = futures_util::stream::unfold(stream, move |mut stream| {
        let closing = closing.clone();
        async move {
            let next = tokio::select! {
                () = closing.cancelled() => None,
                () = tokio::time::sleep_until(deadline) => None,
                next = stream.next() => next,
            };
            next.map(|item| (item, stream))
        }
    });
    Ok(backlog.chain(live))
}

/// A stream's state between its events.
struct Stream {
    caller: Listener,
    live: broadcast::Receiver<Arc<Published>>,
    /// Events up to this id were there before the stream opened (or were seen before it
    /// resumed): they are not sent again.
    floor: Option<String>,
    /// Ids already sent from the backlog, which the live channel may bring again.
    sent: BTreeSet<String>,
    ended: bool,
}

impl Stream {
    /// The next event for this stream's session, or `None` once it has ended.
    async fn next(&mut self) -> Option<(String, Event)> {
        while !self.ended {
            let published = match self.live.recv().await {
                Ok(published) => published,
                // A stream too slow to keep up misses events; the client reloads what it
                // shows when it reconnects, so tell it to by ending the stream.
                Err(broadcast::error::RecvError::Lagged(_)) => return None,
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            if published.profile_id != self.caller.profile_id
                || self
                    .floor
                    .as_ref()
                    .is_some_and(|floor| published.id <= *floor)
                || self.sent.contains(&published.id)
            {
                continue;
            }
            self.ended = ends_stream(&self.caller, &published.event);
            if let Some(event) = visible_to(&self.caller, &published.event) {
                return Some((published.id.clone(), event));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(scope: SessionScope, account: Option<&str>) -> Listener {
        Listener {
            profile_id: "p".into(),
            session_id: "mine".into(),
            scope,
            account_id: account.map(str::to_owned),
        }
    }

    fn in_account(id: &str) -> Event {
        Event::Reinstated {
            account: AccountRef {
                id: id.into(),
                address: id.into(),
                name: id.into(),
            },
        }
    }

    #[test]
    fn an_account_session_hears_its_own_account_and_its_own_end_only() {
        let sso = caller(SessionScope::Account, Some("acme"));
        assert_eq!(
            visible_to(&sso, &in_account("acme")),
            Some(in_account("acme"))
        );
        assert_eq!(visible_to(&sso, &in_account("globex")), None);
        let invited = Event::Invited {
            account: AccountRef {
                id: "globex".into(),
                address: "g".into(),
                name: "G".into(),
            },
        };
        assert_eq!(visible_to(&sso, &invited), None);
        let signed_in = Event::SignedIn {
            session_id: "other".into(),
            device_name: "x".into(),
        };
        assert_eq!(visible_to(&sso, &signed_in), None);
        let revoked = Event::SessionsRevoked {
            session_ids: vec!["other".into(), "mine".into()],
        };
        assert_eq!(
            visible_to(&sso, &revoked),
            Some(Event::SessionsRevoked {
                session_ids: vec!["mine".into()]
            }),
            "not the profile's other sessions"
        );
        let others = Event::SessionsRevoked {
            session_ids: vec!["other".into()],
        };
        assert_eq!(visible_to(&sso, &others), None);
    }

    #[test]
    fn a_profile_session_hears_everything_but_its_own_sign_in() {
        let desktop = caller(SessionScope::Profile, Some("acme"));
        assert_eq!(
            visible_to(&desktop, &in_account("globex")),
            Some(in_account("globex"))
        );
        let own = Event::SignedIn {
            session_id: "mine".into(),
            device_name: "x".into(),
        };
        assert_eq!(visible_to(&desktop, &own), None);
        let other = Event::SignedIn {
            session_id: "other".into(),
            device_name: "x".into(),
        };
        assert_eq!(visible_to(&desktop, &other), Some(other));
    }

    #[test]
    fn a_stream_ends_with_its_session_or_its_tab_account() {
        let tab = caller(SessionScope::Profile, Some("acme"));
        let dismissed = |id: &str| Event::Dismissed {
            account: AccountRef {
                id: id.into(),
                address: id.into(),
                name: id.into(),
            },
        };
        assert!(ends_stream(&tab, &dismissed("acme")));
        assert!(!ends_stream(&tab, &dismissed("globex")));
        assert!(!ends_stream(
            &caller(SessionScope::Profile, None),
            &dismissed("acme")
        ));
        let revoked = |id: &str| Event::SessionsRevoked {
            session_ids: vec![id.into()],
        };
        assert!(ends_stream(&tab, &revoked("mine")));
        assert!(!ends_stream(&tab, &revoked("other")));
    }

    #[test]
    fn ids_made_at_a_time_sort_at_or_after_its_first_id() {
        let time = DateTime::from_timestamp_millis(1_764_979_200_123).unwrap();
        let ts = uuid::Timestamp::from_unix(uuid::NoContext, 1_764_979_200, 123_000_000);
        let id = uuid::Uuid::new_v7(ts).to_string();
        assert!(first_id_at(time) <= id);
        assert!(first_id_at(time + chrono::Duration::milliseconds(1)) > id);
        assert_eq!(time_of(&id), Some(time));
        assert_eq!(time_of("not an id"), None);
    }
}
