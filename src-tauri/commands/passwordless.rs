//! Signing in without a password: a QR code approved from a phone, the account's single
//! sign-on and the server's social providers in the system browser (RFC 8252 loopback
//! redirect with PKCE). The poll token, the PKCE verifier and link tokens stay in the client
//! crate's sign-ins; the web view gets the picture, the number and the outcome.

use super::Answer;
use crate::state::{Desktop, Shell, tab_call};
use crate::views::{QrView, SignInOutcome, TabRef};
use lanyard_client::api::{Profile, SocialProviderInfo};
use lanyard_client::desktop::loopback::Loopback;
use lanyard_client::desktop::qr::Outcome;
use lanyard_client::desktop::sign_ins::BrowserSignIn;
use lanyard_client::{ApiError, Client};
use secrecy::SecretString;
use std::time::Duration;
use tauri::{AppHandle, State};
use url::Url;

/// How long a long-poll waits for the phone before the UI asks again.
const QR_WAIT_SECONDS: u64 = 20;
/// How long the browser has to come back from the provider.
const BROWSER_WAIT: Duration = Duration::from_secs(300);

/// Shows a new QR code for signing in to `server`.
#[tauri::command]
pub async fn qr_show(server: String, shell: State<'_, Shell>) -> Answer<QrView> {
    let desktop = shell.desktop().await?;
    let client = desktop.client(&server).await?;
    let (device, platform) = (&desktop.device_name, Some(std::env::consts::OS));
    let on_screen = desktop.sign_ins.show_qr(&server, client, device, platform);
    Ok(QrView::from(&on_screen.await?.shown))
}

/// Waits for the phone (up to about 20 seconds); the UI calls it again while pending.
#[tauri::command]
pub async fn qr_wait(id: String, shell: State<'_, Shell>) -> Answer<SignInOutcome> {
    let desktop = shell.desktop().await?;
    let waited = desktop.sign_ins.wait_qr(&id, QR_WAIT_SECONDS).await?;
    Ok(match waited.outcome {
        Outcome::Pending => SignInOutcome::Pending,
        Outcome::Ended(reason) => SignInOutcome::Ended { reason },
        Outcome::SignedIn(tokens) => SignInOutcome::SignedIn {
            tab: desktop.adopt(&waited.server, *tokens).await?,
        },
    })
}

/// The QR code left the screen (renewed, or the page closed).
#[tauri::command]
pub async fn qr_forget(id: String, shell: State<'_, Shell>) -> Answer<()> {
    shell.desktop().await?.sign_ins.forget_qr(&id).await;
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
    let start = |loopback: &Loopback, client: &Client| loopback.sso_url(client, &address);
    through_browser(&desktop, &app, server, start).await
}

/// The social providers of `server`, for its "Sign in with …" buttons.
#[tauri::command]
pub async fn social_providers(
    server: String,
    shell: State<'_, Shell>,
) -> Answer<Vec<SocialProviderInfo>> {
    Ok(shell.client(&server).await?.social_providers().await?)
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
    let start = |loopback: &Loopback, client: &Client| {
        loopback.social_url(client, &provider, Some(&address))
    };
    through_browser(&desktop, &app, server, start).await
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
    let finished = desktop
        .sign_ins
        .finish_in_browser(&client, loopback, BROWSER_WAIT);
    Ok(match finished.await? {
        BrowserSignIn::SignedIn(tokens) => SignInOutcome::SignedIn {
            tab: desktop.adopt(&server, *tokens).await?,
        },
        BrowserSignIn::LinkRequired { link_id, email } => {
            SignInOutcome::LinkRequired { link_id, email }
        }
    })
}

/// Links the identity of a `link_required` answer to the profile whose login its email is
/// (or, when the answer named none, the profile of `login`), with that profile's password;
/// the next sign-in through that identity lands in that profile.
#[tauri::command]
pub async fn link_social(
    link_id: String,
    login: Option<String>,
    password: SecretString,
    shell: State<'_, Shell>,
) -> Answer<()> {
    let desktop = shell.desktop().await?;
    let linked = desktop
        .sign_ins
        .link_social(&link_id, login.as_deref(), &password);
    Ok(linked.await?)
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
    let loopback = Loopback::bind().await?;
    let url = tab_call!(shell, &tab, |s| loopback
        .connect_url(&s.client, &s.access, &provider))?;
    crate::browser::open(&app, url.as_str())?;
    let client = shell.client(&tab.server).await?;
    let tokens = loopback.finish(&client, BROWSER_WAIT).await?;
    // Only the connection was wanted: the session the browser brought back ends here.
    client.logout(&tokens.refresh_token).await?;
    tab_call!(shell, &tab, |s| s.client.me(&s.access))
}
