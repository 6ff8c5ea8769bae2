//! The system browser of the desktop end-to-end tests: Lanyard opens it (`LANYARD_BROWSER`)
//! with a single sign-on URL; it signs in on the real provider's pages as
//! `LANYARD_BROWSER_LOGIN` and arrives back at the desktop's loopback listener, which the
//! URL's `redirect_uri` names.

use lanyard_testkit::oidc::browse;
use url::Url;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), String> {
    let start = std::env::args()
        .nth(1)
        .ok_or("usage: browser-stand-in URL")?;
    let start = Url::parse(&start).map_err(|e| e.to_string())?;
    let login =
        std::env::var("LANYARD_BROWSER_LOGIN").map_err(|_| "LANYARD_BROWSER_LOGIN is not set")?;
    let loopback = start
        .query_pairs()
        .find(|(key, _)| key == "redirect_uri")
        .and_then(|(_, uri)| Url::parse(&uri).ok())
        .ok_or("the URL names no redirect_uri")?;
    let back = browse(start, &login, &loopback).await;
    reqwest::get(back).await.map_err(|e| e.to_string())?;
    Ok(())
}
