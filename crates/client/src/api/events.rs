//! The live feed (`GET /api/v1/me/events`): one stream of Server-Sent Events per session.

use super::{Client, Event};
use crate::ApiError;
use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use reqwest::Method;
use secrecy::SecretString;

/// An open feed: the server's events for one session, in order.
pub struct Events {
    inner: BoxStream<'static, Result<eventsource_stream::Event, String>>,
}

/// One event as received, with the id a reconnect resumes after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub id: String,
    pub event: Event,
}

impl Events {
    /// The next event; `None` once the server ended the stream (its session ended, or its
    /// time is up: reconnect with a fresh access token). Messages this client does not know
    /// (a newer server's kinds) are passed over.
    pub async fn next(&mut self) -> Option<Result<Received, ApiError>> {
        loop {
            let message = match self.inner.next().await? {
                Ok(message) => message,
                Err(error) => return Some(Err(ApiError::Stream(error))),
            };
            if let Ok(event) = serde_json::from_str::<Event>(&message.data) {
                return Some(Ok(Received {
                    id: message.id,
                    event,
                }));
            }
        }
    }
}

impl Client {
    /// Opens the session's live feed, resuming after `last_event_id` when given.
    pub async fn events(
        &self,
        access: &SecretString,
        last_event_id: Option<&str>,
    ) -> Result<Events, ApiError> {
        let mut request = self
            .request(Method::GET, "api/v1/me/events", Some(access))?
            .header(reqwest::header::ACCEPT, "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        let response = request.send().await?;
        if !response.status().is_success() {
            return Err(ApiError::from_response(response).await);
        }
        Ok(Events {
            inner: response
                .bytes_stream()
                .eventsource()
                .map(|message| message.map_err(|error| error.to_string()))
                .boxed(),
        })
    }
}

/// The session an access token belongs to: its `sid` claim. The token is a JWT (the OpenAPI
/// document's bearer format) the client holds anyway; this reads it without checking its
/// signature, which only the server can, so the answer only ever tells a client which events
/// are its own doing (a `signed_in` of its own sessions), never whom to trust.
pub fn session_id(access: &SecretString) -> Option<String> {
    use base64::Engine;
    use secrecy::ExposeSecret;
    #[derive(serde::Deserialize)]
    struct Claims {
        sid: String,
    }
    let payload = access.expose_secret().split('.').nth(1)?;
    let json = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    serde_json::from_slice::<Claims>(&json)
        .ok()
        .map(|claims| claims.sid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    #[test]
    fn the_session_of_a_token_is_its_sid_claim() {
        let claims = URL_SAFE_NO_PAD.encode(r#"{"sub":"p","sid":"s-1","scp":"profile"}"#);
        let token = SecretString::from(format!("e30.{claims}.signature"));
        assert_eq!(session_id(&token).as_deref(), Some("s-1"));
        assert_eq!(session_id(&SecretString::from("opaque")), None);
        assert_eq!(session_id(&SecretString::from("a.!!!.c")), None);
    }
}
