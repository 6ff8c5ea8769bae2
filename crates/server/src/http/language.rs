//! The language a request asks for: its `Accept-Language` header, negotiated against the two
//! the product speaks. Problem documents follow it (`localise`), a new profile keeps it,
//! and the server's pages use it when their link names none.

use axum::extract::{FromRequestParts, Request};
use axum::http::{HeaderMap, header, request::Parts};
use axum::middleware::Next;
use axum::response::Response;
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

/// Says every problem document again in the language the request asked for
/// (`Accept-Language`), wherever in the stack it was made.
pub async fn localise(request: Request, next: Next) -> Response {
    let language = RequestLanguage::of(request.headers()).language();
    crate::error::in_language(next.run(request).await, language)
}
