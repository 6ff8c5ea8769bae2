//! The routes a phone on the computer's network reaches while the desktop shares its server
//! (`sharing`; `http::phone_router` adds `/healthz`): exactly what the QR approval page
//! (`pages/qr.html`, `qr.js`, `common.js`) loads and calls. The page carries its style and
//! scripts inside it, and its script makes these requests and no others: sign in
//! (`auth::login`; it keeps the access token for the tab and never refreshes), see the request
//! (`qr::details`), list the accounts to approve for (`accounts::mine`), approve or deny.
//! Registration, recovery, administration and every other call stay on the loopback listener.
//!
//! The paths come from the handlers' own `#[utoipa::path]`s, as on the main router.

use super::{accounts, auth, pages, qr};
use crate::state::AppState;
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> Router<AppState> {
    let (api, _) = OpenApiRouter::new()
        .routes(routes!(auth::login))
        .routes(routes!(qr::details))
        .routes(routes!(qr::approve))
        .routes(routes!(qr::deny))
        .routes(routes!(accounts::mine))
        .split_for_parts();
    api.merge(pages::qr())
}

#[cfg(test)]
mod tests {
    /// Every `fetch(` and `post(` of the approval page's scripts names a path routed here: a
    /// new call in `qr.js` must be let through on purpose (or the page breaks on a phone).
    #[test]
    fn every_call_the_approval_page_makes_is_routed_for_the_phone() {
        let scripts = [include_str!("pages/qr.js"), include_str!("pages/common.js")];
        let routed = [
            "\"/api/v1/auth/login\"",
            "\"/api/v1/qr/\" + id",
            "`/api/v1/qr/${id}/approve`",
            "`/api/v1/qr/${id}/deny`",
            "\"/api/v1/me/accounts\"",
        ];
        let mut calls = Vec::new();
        for script in scripts {
            for call in ["fetch(", "post("] {
                for (at, _) in script.match_indices(call) {
                    let before = script[..at].chars().next_back().unwrap_or(' ');
                    if before.is_alphanumeric() || script[..at].ends_with("function ") {
                        continue;
                    }
                    let argument = &script[at + call.len()..];
                    let end = argument.find([',', ')']).unwrap_or(argument.len());
                    calls.push(argument[..end].trim().to_owned());
                }
            }
        }
        // common.js's own `fetch(path` is `post`'s, whose callers are counted above.
        calls.retain(|call| call != "path");
        for call in &calls {
            assert!(routed.contains(&call.as_str()), "the page calls {call}");
        }
        assert_eq!(calls.len(), routed.len(), "{calls:?}");
    }
}
