//! The language a request asks for: its `Accept-Language` header, negotiated against the two
//! the product speaks. Problem documents follow it (`error::localise`), a new profile keeps it,
//! and the server's pages use it when their link names none.

use axum::extract::FromRequestParts;
use axum::http::{HeaderMap, header, request::Parts};
use lanyard_core::Language;
use std::convert::Infallible;

/// The language a request asked for; `None` when it sent no `Accept-Language`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLanguage(pub Option<Language>);

impl RequestLanguage {
    pub fn of(headers: &HeaderMap) -> RequestLanguage {
        let asked = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .filter(|value| !value.trim().is_empty());
        RequestLanguage(asked.map(Language::from_accept_language))
    }

    /// The language to answer in: the one asked for, else English.
    pub fn language(self) -> Language {
        self.0.unwrap_or_default()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestLanguage {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestLanguage::of(&parts.headers))
    }
}
