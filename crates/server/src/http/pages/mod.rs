//! The pages that mailed links and QR codes open in a browser: verify an email, choose a new
//! password, confirm a new login email, accept an invitation, approve a QR sign-in. Each is a
//! template beside this file; its script reads `?token=` (or the QR id) and calls the API.
//! A page speaks the language its link names (`?lang=`, which mails set to the profile's),
//! else the one the browser asks for: `{{t:ID}}` in a template is the message `ID` of
//! `locales/*.ftl`, and the messages its script says travel with it as JSON.

use super::language::RequestLanguage;
use crate::state::AppState;
use axum::Router;
use axum::extract::Query;
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use lanyard_core::{Language, Text};
use std::collections::BTreeMap;

/// One page: its title (a message id), its markup and its script, and the messages the
/// script says.
struct Page {
    title: &'static str,
    body: &'static str,
    script: &'static str,
    says: &'static [&'static str],
}

/// The page whose markup and script are `NAME.html` and `NAME.js` beside this file.
macro_rules! page {
    ($name:literal, $title:literal, [$($says:literal),* $(,)?]) => {
        Page {
            title: $title,
            body: include_str!(concat!($name, ".html")),
            script: include_str!(concat!($name, ".js")),
            says: &[$($says),*],
        }
    };
}

const VERIFY: Page = page!(
    "verify",
    "page-verify-title",
    ["page-sending", "page-verify-done", "page-verify-declined"]
);
const RESET: Page = page!(
    "reset",
    "page-reset-title",
    ["page-reset-differ", "page-reset-done"]
);
const CONFIRM: Page = page!(
    "confirm",
    "page-confirm-title",
    ["page-confirm-working", "page-confirm-done"]
);
const ACCEPT: Page = page!("accept", "page-accept-title", ["page-accept-done"]);
const QR: Page = page!(
    "qr",
    "page-qr-title",
    [
        "page-qr-sign-in-first",
        "page-qr-who",
        "page-qr-who-platform",
        "page-qr-no-account",
        "page-qr-choose",
        "page-qr-choose-first",
        "page-qr-choose-before",
        "page-qr-approved",
        "page-qr-denied",
    ]
);

/// What every page's shared script says.
const COMMON_SAYS: &[&str] = &["page-something-wrong"];

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/verify-email", get(|asked: Asked| serve(&VERIFY, asked)))
        .route("/reset-password", get(|asked: Asked| serve(&RESET, asked)))
        .route("/confirm-email", get(|asked: Asked| serve(&CONFIRM, asked)))
        .route(
            "/invitations/accept",
            get(|asked: Asked| serve(&ACCEPT, asked)),
        )
        .merge(qr())
}

/// The QR approval page alone, which is all a phone on the network is shown while the desktop
/// shares its server (`http::phone`). Its style and scripts are inside it: nothing else to load.
pub fn qr() -> Router<AppState> {
    Router::new().route("/qr/{id}", get(|asked: Asked| serve(&QR, asked)))
}

/// The language a page is asked in: the link's `lang`, else `Accept-Language`.
struct Asked(Language);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Asked {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let linked = Query::<BTreeMap<String, String>>::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|Query(query)| Language::parse(query.get("lang")?).ok());
        let browser = RequestLanguage::of(&parts.headers).language();
        Ok(Asked(linked.unwrap_or(browser)))
    }
}

/// A page, with the headers a page that holds a token or approves a sign-in needs: it may not
/// be framed (no clickjacking of the approval), cached, or leak its URL (and token) as a
/// referrer.
async fn serve(page: &Page, Asked(language): Asked) -> impl IntoResponse {
    let mut headers = HeaderMap::new();
    let fixed = [
        (header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::CACHE_CONTROL, "no-store"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CONTENT_LANGUAGE, language.as_str()),
        (header::VARY, "accept-language"),
    ];
    for (name, value) in fixed {
        headers.insert(name, header::HeaderValue::from_static(value));
    }
    (headers, Html(render(page, language)))
}

/// The page's parts put into the one layout, in `language`. The parts are our own files and
/// texts, never user input; texts are escaped all the same.
fn render(page: &Page, language: Language) -> String {
    let layout = include_str!("page.html")
        .replace("{{style}}", include_str!("style.css"))
        .replace("{{common}}", include_str!("common.js"))
        .replace("{{body}}", page.body)
        .replace("{{script}}", page.script)
        .replace("{{lang}}", language.as_str())
        .replace("{{messages}}", &script_messages(page, language));
    let html = translate(&layout, language);
    html.replace(
        "{{title}}",
        &lanyard_core::mail::html_escape(&Text::new(page.title).render(language)),
    )
}

/// Every `{{t:ID}}` of `markup` replaced by the message `ID`, escaped for HTML.
fn translate(markup: &str, language: Language) -> String {
    let mut out = String::with_capacity(markup.len());
    let mut rest = markup;
    while let Some(start) = rest.find("{{t:") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 4..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let said = lanyard_core::i18n::message(language, &after[..end], &[]);
        out.push_str(&lanyard_core::mail::html_escape(&said));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The messages the page's script says, as JSON safe inside a `<script>` element. Arguments
/// are left as `{ $name }` markers (Fluent's rendering of an argument not given) for the
/// script's `t()` to fill in.
fn script_messages(page: &Page, language: Language) -> String {
    let messages: BTreeMap<&str, String> = COMMON_SAYS
        .iter()
        .chain(page.says)
        .map(|id| (*id, lanyard_core::i18n::message(language, id, &[])))
        .collect();
    serde_json::to_string(&messages)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGES: [&Page; 5] = [&VERIFY, &RESET, &CONFIRM, &ACCEPT, &QR];

    #[test]
    fn every_page_fills_every_slot_of_the_layout_in_both_languages() {
        for language in Language::ALL {
            for page in PAGES {
                let html = render(page, *language);
                let title = Text::new(page.title).render(*language);
                assert!(!html.contains("{{"), "{title} left a slot empty");
                assert!(html.contains(&format!("<h1>{title}</h1>")));
                assert!(html.contains(&format!("<html lang=\"{language}\">")));
                assert!(html.contains("async function post("), "{title}");
            }
        }
    }

    #[test]
    fn every_text_a_script_says_is_given_to_it() {
        for page in PAGES {
            let scripts = [include_str!("common.js"), page.script];
            for script in scripts {
                // `t("ID"`, where the `t` is a name of its own (not the end of `post`).
                for (at, _) in script.match_indices("t(\"") {
                    let before = script[..at].chars().next_back().unwrap_or(' ');
                    if before.is_alphanumeric() {
                        continue;
                    }
                    let id = script[at + 3..].split('"').next().unwrap_or_default();
                    let given = COMMON_SAYS.contains(&id) || page.says.contains(&id);
                    assert!(given, "{} says {id} but is not given it", page.title);
                }
            }
        }
    }

    #[test]
    fn the_invitation_verification_and_qr_pages_offer_to_open_the_app() {
        for (page, link) in [(&ACCEPT, "invitation"), (&VERIFY, "sign-in"), (&QR, "qr")] {
            let html = render(page, Language::En);
            assert!(html.contains(&format!("id=\"open-app\" data-link=\"{link}\"")));
            assert!(html.contains(">Open in Lanyard</a>"));
        }
    }

    #[test]
    fn script_texts_keep_their_argument_markers_and_cannot_end_the_script() {
        let json = script_messages(&QR, Language::Ru);
        assert!(
            json.contains("{$device}") && json.contains("{$ip}"),
            "{json}"
        );
        assert!(!json.contains('<'));
        assert!(json.contains("Отклонено."));
    }
}
