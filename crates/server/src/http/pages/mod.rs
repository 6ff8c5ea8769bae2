//! The pages that mailed links and QR codes open in a browser: verify an email, choose a new
//! password, confirm a new login email, accept an invitation, approve a QR sign-in. Each is a
//! template beside this file; its script reads `?token=` (or the QR id) and calls the API.

use crate::state::AppState;
use axum::Router;
use axum::http::header;
use axum::response::{Html, IntoResponse};
use axum::routing::get;

/// One page: its title, its markup and its script.
struct Page {
    title: &'static str,
    body: &'static str,
    script: &'static str,
}

/// The page whose markup and script are `NAME.html` and `NAME.js` beside this file.
macro_rules! page {
    ($name:literal, $title:literal) => {
        Page {
            title: $title,
            body: include_str!(concat!($name, ".html")),
            script: include_str!(concat!($name, ".js")),
        }
    };
}

const VERIFY: Page = page!("verify", "Confirm your email");
const RESET: Page = page!("reset", "Choose a new password");
const CONFIRM: Page = page!("confirm", "Confirm your new login");
const ACCEPT: Page = page!("accept", "Accept the invitation");
const QR: Page = page!("qr", "Sign in a computer");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/verify-email", get(|| serve(&VERIFY)))
        .route("/reset-password", get(|| serve(&RESET)))
        .route("/confirm-email", get(|| serve(&CONFIRM)))
        .route("/invitations/accept", get(|| serve(&ACCEPT)))
        .route("/qr/{id}", get(|| serve(&QR)))
}

/// A page, with the headers a page that holds a token or approves a sign-in needs: it may not
/// be framed (no clickjacking of the approval), cached, or leak its URL (and token) as a
/// referrer.
async fn serve(page: &Page) -> impl IntoResponse {
    let headers = [
        (header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
    ];
    (headers, Html(render(page)))
}

/// The page's parts put into the one layout. The parts are our own files, never user input.
fn render(page: &Page) -> String {
    include_str!("page.html")
        .replace("{{style}}", include_str!("style.css"))
        .replace("{{common}}", include_str!("common.js"))
        .replace("{{body}}", page.body)
        .replace("{{script}}", page.script)
        .replace("{{title}}", page.title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_fills_every_slot_of_the_layout() {
        for page in [&VERIFY, &RESET, &CONFIRM, &ACCEPT, &QR] {
            let html = render(page);
            assert!(!html.contains("{{"), "{} left a slot empty", page.title);
            assert!(html.contains(&format!("<h1>{}</h1>", page.title)));
            assert!(html.contains("async function post("), "{}", page.title);
        }
    }
}
