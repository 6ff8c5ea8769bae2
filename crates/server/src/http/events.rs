//! `GET /api/v1/me/events`: the live feed, as Server-Sent Events.

use super::extract::InAccount;
use crate::error::AppResult;
use crate::events;
use crate::state::AppState;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures_util::{Stream, StreamExt};
use lanyard_core::api::{Event, Problem};
use std::convert::Infallible;
use std::time::Duration;

/// A comment line this often keeps proxies from closing a quiet stream.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// What changed for me, as it happens: tasks assigned to me, invitations to my login, my
/// employee record dismissed or reinstated, sessions of mine revoked, new sign-ins to my
/// profile. An account's single sign-on session hears only its own account's changes and its
/// own end. Each message's `event` is the `kind`, its `data` the event as JSON, its `id` what
/// `Last-Event-ID` resumes after (events are kept a day). The stream ends when its session
/// does, and after at most 15 minutes (an access token's life): reconnect with a fresh token.
#[utoipa::path(get, path = "/api/v1/me/events", tag = "profile", security(("bearer" = [])),
    params(("Last-Event-ID" = Option<String>, Header, description = "Resume after this event")),
    responses((status = 200, description = "A stream of events", content_type = "text/event-stream", body = Event),
        (status = 401, description = "`unauthorized`", body = Problem)))]
pub async fn stream(
    State(state): State<AppState>,
    InAccount(caller): InAccount,
    headers: HeaderMap,
) -> AppResult<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>> {
    let last_event_id = headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let listener = events::Listener {
        profile_id: caller.profile_id.into_string(),
        session_id: caller.session_id.into_string(),
        scope: caller.scope,
        account_id: caller.account_id.map(|id| id.into_string()),
    };
    let events = events::stream(&state, listener, last_event_id).await?;
    let messages = events.map(|(id, event)| {
        let message = SseEvent::default().id(id).event(event.kind());
        Ok(message
            .json_data(&event)
            .unwrap_or_else(|_| SseEvent::default().comment("unserialisable event")))
    });
    Ok(Sse::new(messages).keep_alive(KeepAlive::new().interval(KEEP_ALIVE)))
}
