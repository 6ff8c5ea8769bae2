//! The sign-ins under way on this desktop, kept between the UI's calls: the QR codes on
//! screen (with their poll tokens), the profile picking one of its accounts, and the social
//! identities waiting for a profile's password to be linked. The secrets stay here; the UI
//! holds only ids.

use super::loopback::{Loopback, LoopbackError};
use super::profile_session::ProfileSession;
use super::qr::{Outcome, QrError, Shown};
use crate::api::{MyAccount, Tokens};
use crate::{ApiError, Client};
use lanyard_core::Code;
use secrecy::{ExposeSecret, SecretString};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Mutex;

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// The id is not that of a QR code on screen (it was renewed, or the wait ended).
    #[error("This QR code is no longer on screen.")]
    QrGone,
    /// No profile is picking an account (it picked one, or the app restarted).
    #[error("Sign in with your login and password again.")]
    PickingOver,
    /// The id is not that of an identity waiting to be linked (each is tried once).
    #[error("Start the sign-in again.")]
    LinkGone,
    #[error("The server asked to link without a link token.")]
    LinkWithoutToken,
    /// No invitation to that account waits for the profile (accepted, or deleted meanwhile).
    #[error("That invitation is no longer waiting.")]
    InvitationGone,
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error(transparent)]
    Qr(#[from] QrError),
    #[error(transparent)]
    Loopback(#[from] LoopbackError),
}

/// A QR code on screen, and the server it signs in to.
#[derive(Debug)]
pub struct OnScreen {
    pub server: String,
    pub shown: Shown,
    client: Client,
}

/// What a wait for the phone came to, for the QR code of `server`.
#[derive(Debug)]
pub struct Waited {
    pub server: String,
    pub outcome: Outcome,
}

/// How a sign-in in the system browser ended.
#[derive(Debug)]
pub enum BrowserSignIn {
    SignedIn(Box<Tokens>),
    /// An identity that must prove a profile first: it waits, as `link_id`, for that profile's
    /// password ([`SignIns::link_social`]). `email` is the login of the profile to prove when
    /// the server named one; without it the person also says which login is theirs.
    LinkRequired {
        link_id: String,
        email: Option<String>,
    },
}

/// A social identity waiting for a profile's password.
struct Linking {
    client: Client,
    link_token: SecretString,
}

#[derive(Default)]
pub struct SignIns {
    on_screen: Mutex<HashMap<String, Arc<OnScreen>>>,
    picking: Mutex<Option<ProfileSession>>,
    linking: Mutex<HashMap<String, Linking>>,
    /// Numbers the link ids, from 1.
    links: AtomicU64,
}

impl SignIns {
    pub fn new() -> SignIns {
        SignIns::default()
    }

    // --- QR codes ----------------------------------------------------------------------------

    /// Asks `server` for a QR sign-in and keeps it on screen until it ends or is forgotten.
    pub async fn show_qr(
        &self,
        server: &str,
        client: Client,
        device_name: &str,
        platform: Option<&str>,
    ) -> Result<Arc<OnScreen>, SignInError> {
        let shown = client.qr_show(device_name, platform).await?;
        let on_screen = Arc::new(OnScreen {
            server: server.to_owned(),
            shown,
            client,
        });
        self.on_screen
            .lock()
            .await
            .insert(on_screen.shown.id.clone(), on_screen.clone());
        Ok(on_screen)
    }

    /// Waits up to `seconds` for the phone; a code whose wait ended leaves the screen.
    pub async fn wait_qr(&self, id: &str, seconds: u64) -> Result<Waited, SignInError> {
        let on_screen = self
            .on_screen
            .lock()
            .await
            .get(id)
            .cloned()
            .ok_or(SignInError::QrGone)?;
        let outcome = on_screen.client.qr_wait(&on_screen.shown, seconds).await?;
        if !matches!(outcome, Outcome::Pending) {
            self.forget_qr(id).await;
        }
        Ok(Waited {
            server: on_screen.server.clone(),
            outcome,
        })
    }

    /// The QR code left the screen (renewed, or the page closed).
    pub async fn forget_qr(&self, id: &str) {
        self.on_screen.lock().await.remove(id);
    }

    // --- a profile picking an account ---------------------------------------------------------

    /// Signs the profile in and lists its accounts (and the invitations waiting for it) to
    /// pick from; a profile that was picking before is signed out.
    pub async fn start_picking(
        &self,
        client: Client,
        login: &str,
        password: &SecretString,
        device_name: &str,
    ) -> Result<Vec<MyAccount>, SignInError> {
        let session = ProfileSession::sign_in(client, login, password, device_name).await?;
        let accounts = session.accounts().await?;
        end(self.picking.lock().await.replace(session)).await;
        Ok(accounts)
    }

    /// Creates an account for the picking profile, and lists its accounts again.
    pub async fn picking_create_account(
        &self,
        address: &str,
        name: &str,
    ) -> Result<Vec<MyAccount>, SignInError> {
        let picking = self.picking.lock().await;
        let session = picking.as_ref().ok_or(SignInError::PickingOver)?;
        session.create_account(address, name).await?;
        Ok(session.accounts().await?)
    }

    /// Accepts the invitation to `account_id` sent to the picking profile's login email, and
    /// lists its accounts again. The invitation's token stays here: the web view names the
    /// account only.
    pub async fn picking_accept(&self, account_id: &str) -> Result<Vec<MyAccount>, SignInError> {
        let picking = self.picking.lock().await;
        let session = picking.as_ref().ok_or(SignInError::PickingOver)?;
        let token = session
            .invitation_token(account_id)
            .await?
            .ok_or(SignInError::InvitationGone)?;
        session.accept_invitation(&token).await?;
        Ok(session.accounts().await?)
    }

    /// Accepts an invitation by its token (from a mailed link: it may have gone to another of
    /// the person's addresses) for the picking profile, and lists its accounts again.
    pub async fn picking_accept_token(&self, token: &str) -> Result<Vec<MyAccount>, SignInError> {
        let picking = self.picking.lock().await;
        let session = picking.as_ref().ok_or(SignInError::PickingOver)?;
        session.accept_invitation(token).await?;
        Ok(session.accounts().await?)
    }

    /// Ends the picking (an account was picked, or "Change user").
    pub async fn end_picking(&self) {
        end(self.picking.lock().await.take()).await;
    }

    // --- the system browser -------------------------------------------------------------------

    /// Waits for the browser to come back to `loopback` and trades what it brought for a
    /// session; a `link_required` answer keeps its link token here and says which id to link.
    pub async fn finish_in_browser(
        &self,
        client: &Client,
        loopback: Loopback,
        within: Duration,
    ) -> Result<BrowserSignIn, SignInError> {
        let problem = match loopback.finish(client, within).await {
            Ok(tokens) => return Ok(BrowserSignIn::SignedIn(Box::new(tokens))),
            Err(LoopbackError::Api(ApiError::Problem { problem, .. }))
                if problem.known_code() == Some(Code::LinkRequired) =>
            {
                problem
            }
            Err(error) => return Err(error.into()),
        };
        let link_token = problem.link_token.ok_or(SignInError::LinkWithoutToken)?;
        let link_id = format!("link-{}", self.links.fetch_add(1, Ordering::Relaxed) + 1);
        let linking = Linking {
            client: client.clone(),
            link_token: SecretString::from(link_token),
        };
        self.linking.lock().await.insert(link_id.clone(), linking);
        Ok(BrowserSignIn::LinkRequired {
            link_id,
            email: problem.email,
        })
    }

    /// Links the identity waiting as `link_id` to the profile whose login its email is (or, when
    /// the server named none, the profile of `login`), with that profile's password. Each
    /// waiting identity is tried once.
    pub async fn link_social(
        &self,
        link_id: &str,
        login: Option<&str>,
        password: &SecretString,
    ) -> Result<(), SignInError> {
        let linking = self
            .linking
            .lock()
            .await
            .remove(link_id)
            .ok_or(SignInError::LinkGone)?;
        linking
            .client
            .link_identity(
                linking.link_token.expose_secret(),
                login,
                password.expose_secret(),
            )
            .await?;
        Ok(())
    }
}

async fn end(session: Option<ProfileSession>) {
    if let Some(session) = session
        && let Err(error) = session.end().await
    {
        // The session expires on its own; the person is not kept waiting for it.
        tracing::warn!(%error, "signing out the picking session failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_qr_code_no_longer_on_screen_cannot_be_waited_for() {
        let sign_ins = SignIns::new();
        sign_ins.forget_qr("qr-1").await;
        let waited = sign_ins.wait_qr("qr-1", 0).await;
        assert!(matches!(waited, Err(SignInError::QrGone)), "{waited:?}");
    }

    #[tokio::test]
    async fn picking_needs_a_profile_signed_in_first() {
        let sign_ins = SignIns::new();
        let created = sign_ins.picking_create_account("acme", "Acme").await;
        assert!(matches!(created, Err(SignInError::PickingOver)));
        let accepted = sign_ins.picking_accept("account-id").await;
        assert!(matches!(accepted, Err(SignInError::PickingOver)));
        // Ending a picking that is not under way is no error.
        sign_ins.end_picking().await;
    }

    #[tokio::test]
    async fn an_identity_not_waiting_cannot_be_linked() {
        let sign_ins = SignIns::new();
        let password = SecretString::from("correct horse battery staple");
        let linked = sign_ins.link_social("link-1", None, &password).await;
        assert!(matches!(linked, Err(SignInError::LinkGone)));
    }
}
