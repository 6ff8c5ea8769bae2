//! The typed HTTP client of API.md: [`Client`] and its paging, with one module of methods per
//! group of endpoints. The wire types of `lanyard_core::api` are re-exported here, so a caller
//! finds a call and what it sends and gets in one place.

mod accounts;
mod events;
mod paging;
mod passwordless;
mod profile;

pub use events::{Events, Received, session_id};
pub use lanyard_core::api::*;
pub use paging::{Page, PageRequest};
pub use passwordless::QrPolled;

use crate::ApiError;
use lanyard_core::Language;

use reqwest::{Method, RequestBuilder, Response};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

/// A client of one Lanyard server. Cheap to clone (it shares one connection pool).
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
    /// What `Accept-Language` asks for: the server answers problem texts in it.
    language: Option<Language>,
}

/// Whether `url` names this machine (a loopback address, or `localhost`).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

impl Client {
    /// A client of the server at `base` (e.g. `http://127.0.0.1:8080/`).
    ///
    /// Remote servers are reached through the system's proxy settings and trusted through its
    /// certificate store as well as the roots built in; a server on this machine's loopback
    /// (the app's own) never through a proxy, which could not reach it.
    pub fn new(base: Url) -> Result<Client, ApiError> {
        let mut http = reqwest::Client::builder()
            .user_agent(concat!("lanyard-client/", env!("CARGO_PKG_VERSION")));
        if is_loopback(&base) {
            http = http.no_proxy();
        }
        let http = http.build()?;
        Ok(Client {
            http,
            base,
            language: None,
        })
    }

    /// The same client, asking the server to answer in `language`.
    pub fn speaking(mut self, language: Language) -> Client {
        self.language = Some(language);
        self
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    fn request(
        &self,
        method: Method,
        path: &str,
        access: Option<&SecretString>,
    ) -> Result<RequestBuilder, ApiError> {
        let url = self
            .base
            .join(path)
            .map_err(|e| ApiError::Url(e.to_string()))?;
        let mut request = self.http.request(method, url);
        if let Some(language) = self.language {
            request = request.header(reqwest::header::ACCEPT_LANGUAGE, language.as_str());
        }
        Ok(match access {
            Some(token) => request.bearer_auth(token.expose_secret()),
            None => request,
        })
    }

    pub(crate) async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        access: Option<&SecretString>,
        body: Option<&(impl Serialize + ?Sized)>,
    ) -> Result<T, ApiError> {
        let response = self.send(method, path, access, body).await?;
        Ok(response.json().await?)
    }

    pub(crate) async fn empty(
        &self,
        method: Method,
        path: &str,
        access: Option<&SecretString>,
        body: Option<&(impl Serialize + ?Sized)>,
    ) -> Result<(), ApiError> {
        self.send(method, path, access, body).await.map(|_| ())
    }

    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        access: Option<&SecretString>,
        body: Option<&(impl Serialize + ?Sized)>,
    ) -> Result<Response, ApiError> {
        let mut request = self.request(method, path, access)?;
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await?;
        if response.status().is_success() {
            Ok(response)
        } else {
            Err(ApiError::from_response(response).await)
        }
    }

    pub(crate) async fn page<T: DeserializeOwned>(
        &self,
        path: &str,
        access: &SecretString,
        query: &[(&str, String)],
    ) -> Result<Page<T>, ApiError> {
        let response = self
            .request(Method::GET, path, Some(access))?
            .query(query)
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(ApiError::from_response(response).await);
        }
        let next_cursor = response
            .headers()
            .get(reqwest::header::LINK)
            .and_then(|link| link.to_str().ok())
            .and_then(paging::next_cursor);
        Ok(Page {
            items: response.json().await?,
            next_cursor,
        })
    }
}

/// A path segment, percent-encoded (addresses and ids are safe already; this keeps odd input
/// from changing the path).
pub(crate) fn segment(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_cannot_leave_its_place_in_the_path() {
        assert_eq!(segment("acme"), "acme");
        assert_eq!(segment("../admin"), "..%2Fadmin");
        assert_eq!(segment("a?b#c"), "a%3Fb%23c");
        let client = Client::new(Url::parse("https://lanyard.example.com/").unwrap()).unwrap();
        let path = format!("api/v1/accounts/{}/tasks", segment("../../me"));
        let url = client.base().join(&path).unwrap();
        assert_eq!(url.path(), "/api/v1/accounts/..%2F..%2Fme/tasks");
    }
}
