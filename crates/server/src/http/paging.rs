//! The `Link` header that points a listing at its next page.

use crate::state::AppState;
use axum::http::{HeaderMap, HeaderValue, header};

/// `Link: <…?cursor=…>; rel="next"` when there is a next page (RFC 8288), else no header.
pub fn next_page(
    state: &AppState,
    path: &str,
    next: Option<String>,
    limit: Option<u32>,
    filter: Option<(&str, &str)>,
) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let Some(cursor) = next else { return headers };
    let mut url = state.public_url.clone();
    url.set_path(path);
    {
        let mut query = url.query_pairs_mut();
        query.append_pair("cursor", &cursor);
        if let Some(limit) = limit {
            query.append_pair("limit", &limit.to_string());
        }
        if let Some((key, value)) = filter {
            query.append_pair(key, value);
        }
    }
    if let Ok(value) = HeaderValue::from_str(&format!("<{url}>; rel=\"next\"")) {
        headers.insert(header::LINK, value);
    }
    headers
}
