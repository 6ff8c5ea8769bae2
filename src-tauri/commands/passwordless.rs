//! Signing in without a password: a QR code approved from a phone, the account's single
//! sign-on and the server's social providers in the system browser (RFC 8252 loopback
//! redirect with PKCE). The poll token, the PKCE verifier and link tokens stay in the shell;
//! the web view gets the picture, the number and the outcome.

use super::Answer;
use crate::error::UiError;
use crate::state::{Desktop, Linking, OnScreen, Shell};
use crate::views::{QrView, SignInOutcome, TabRef};
use lanyard_client::api::{Profile, SocialProviderInfo};
use lanyard_client::desktop::loopback::{Loopback, LoopbackError};
use lanyard_client::desktop::qr::Outcome;
use lanyard_client::{ApiError, Client};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tauri::{AppHandle, State};
use url::Url;

/// How long a long-poll waits for the phone before the UI asks again.
const QR_WAIT_SECONDS: u64 = 20;
/// Ids the UI holds for link tokens kept here.
static LINKS: AtomicU64 = AtomicU64::new(1);
/// How long the browser has to come back from the provider.
const BROWSER_WAIT: Duration = Duration::from_secs(300);

/// Shows a new QR code for signing in to `server`.
#[tauri::command]
pub async fn qr_show(server: String, shell: State<'_, Shell>) -> Answer<QrView> {
    let desktop = shell.desktop().await?;
    let client = desktop.client(&server).await?;
    let shown = client
        .qr_show(&desktop.device_name, Some(std::env::consts::OS))
        .await?;
    let view = QrView {
        id: shown.id.clone(),
        svg: shown.svg.clone(),
        match_number: shown.match_number,
        expires_at: shown.expires_at.to_rfc3339(),
    };
    desktop
        .qr
        .lock()
        .await
        .insert(view.id.clone(), Arc::new(OnScreen { server, shown }));
    Ok(view)
}

/// Waits for the phone (up to about 20 seconds); the UI calls it again while pending.
#[tauri::command]
pub async fn qr_wait(id: String, shell: State<'_, Shell>) -> Answer<SignInOutcome> {
    let desktop = shell.desktop().await?;
    let on_screen = desktop
        .qr
        .lock()
        .await
        .get(&id)
        .cloned()
        .ok_or_else(|| UiError::new("expired", "This QR code is no longer on screen."))?;
    let client = desktop.client(&on_screen.server).await?;
    let outcome = client.qr_wait(&on_screen.shown, QR_WAIT_SECONDS).await?;
    if !matches!(outcome, Outcome::Pending) {
        desktop.qr.lock().await.remove(&id);
    }
    Ok(match outcome {
        Outcome::Pending => SignInOutcome::Pending,
        Outcome::Ended(reason) => SignInOutcome::Ended { reason },
        Outcome::SignedIn(tokens) => SignInOutcome::SignedIn {
            tab: desktop.adopt(&on_screen.server, *tokens).await?,
        },
    })
}

/// The QR code left the screen (renewed, or the page closed).
#[tauri::command]
pub async fn qr_forget(id: String, shell: State<'_, Shell>) -> Answer<()> {
    let desktop = shell.desktop().await?;
    desktop.qr.lock().await.remove(&id);
    Ok(())
}

/// Single sign-on to the account at `address`: opens the system browser at the account's
/// provider and waits for it to come back to a loopback port.
#[tauri::command]
pub async fn sso_sign_in(
    server: String,
    address: String,
    app: AppHandle,
    shell: State<'_, Shell>,
) -> Answer<SignInOutcome> {
    let desktop = shell.desktop().await?;
    through_browser(&desktop, &app, server, |loopback, client| {
        loopback.sso_url(client, &address)
    })
    .await
}

/// The social providers of `server`, for its "Sign in with …" buttons.
#[tauri::command]
pub async fn social_providers(
    server: String,
    shell: State<'_, Shell>,
) -> Answer<Vec<SocialProviderInfo>> {
    let desktop = shell.desktop().await?;
    Ok(desktop.client(&server).await?.social_providers().await?)
}

/// Social sign-in to the account at `address` in the system browser. An identity whose email
/// is an existing login comes back as `link_required`: the UI asks for that profile's
/// password ([`link_social`]) and signs in again.
#[tauri::command]
pub async fn social_sign_in(
    server: String,
    provider: String,
    address: String,
    app: AppHandle,
    shell: State<'_, Shell>,
) -> Answer<SignInOutcome> {
    let desktop = shell.desktop().await?;
    through_browser(&desktop, &app, server, |loopback, client| {
        loopback.social_url(client, &provider, Some(&address))
    })
    .await
}

/// A sign-in in the system browser: listens on a loopback port, opens the browser at the
/// URL `start` makes for it, and trades what comes back for the tab's session.
async fn through_browser(
    desktop: &Desktop,
    app: &AppHandle,
    server: String,
    start: impl FnOnce(&Loopback, &Client) -> Result<Url, ApiError>,
) -> Answer<SignInOutcome> {
    let client = desktop.client(&server).await?;
    let loopback = Loopback::bind().await?;
    let url = start(&loopback, &client)?;
    crate::browser::open(app, url.as_str())?;
    match loopback.finish(&client, BROWSER_WAIT).await {
        Ok(tokens) => Ok(SignInOutcome::SignedIn {
            tab: desktop.adopt(&server, tokens).await?,
        }),
        Err(LoopbackError::Api(ApiError::Problem { problem, .. }))
            if problem.code == "link_required" =>
        {
            let link_token = problem.link_token.ok_or_else(|| {
                UiError::new(
                    "link_required",
                    "The server asked to link without a link token.",
                )
            })?;
            let email = problem.email.unwrap_or_default();
            Ok(link_required(desktop, server, SecretString::from(link_token), email).await)
        }
        Err(error) => Err(error.into()),
    }
}

async fn link_required(
    desktop: &Desktop,
    server: String,
    link_token: SecretString,
    email: String,
) -> SignInOutcome {
    let link_id = format!("link-{}", LINKS.fetch_add(1, Ordering::Relaxed));
    desktop
        .linking
        .lock()
        .await
        .insert(link_id.clone(), Linking { server, link_token });
    SignInOutcome::LinkRequired { link_id, email }
}

/// Links the identity of a `link_required` answer to the profile whose login its email is,
/// with that profile's password; the next social sign-in lands in that profile.
#[tauri::command]
pub async fn link_social(link_id: String, password: String, shell: State<'_, Shell>) -> Answer<()> {
    let desktop = shell.desktop().await?;
    let linking = desktop
        .linking
        .lock()
        .await
        .remove(&link_id)
        .ok_or_else(|| UiError::new("invalid_token", "Start the sign-in again."))?;
    let client = desktop.client(&linking.server).await?;
    client
        .link_social(linking.link_token.expose_secret(), &password)
        .await?;
    Ok(())
}

/// Connects the `provider`'s identity to the profile of the tab (the profile page), whatever
/// the identity's email, through the system browser.
#[tauri::command]
pub async fn connect_social(
    tab: TabRef,
    provider: String,
    app: AppHandle,
    shell: State<'_, Shell>,
) -> Answer<Profile> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    let loopback = Loopback::bind().await?;
    let url = loopback
        .connect_url(&s.client, &s.access, &provider)
        .await?;
    crate::browser::open(&app, url.as_str())?;
    let tokens = loopback.finish(&s.client, BROWSER_WAIT).await?;
    // Only the connection was wanted: the session the browser brought back ends here.
    s.client.logout(&tokens.refresh_token).await?;
    Ok(s.client.me(&s.access).await?)
}
