//! Signing in without a password: QR codes approved from a phone, single sign-on and social
//! identities through the system browser.

use super::{Client, segment};
use crate::ApiError;
use lanyard_core::api::*;
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use url::Url;

/// What a QR poll found.
#[derive(Debug)]
pub enum QrPolled {
    /// Not approved yet (202).
    Pending,
    /// Approved: the session, handed out once.
    SignedIn(Box<Tokens>),
}

impl Client {
    // --- QR sign-in ------------------------------------------------------------------------------

    /// A QR request of a desktop tab: the approver picks the account it signs in to.
    pub async fn qr_create(
        &self,
        device_name: &str,
        platform: Option<&str>,
    ) -> Result<QrCreated, ApiError> {
        let body = QrRequest {
            profile_only: false,
            device_name: device_name.into(),
            platform: platform.map(str::to_owned),
        };
        self.qr_request(&body).await
    }

    pub async fn qr_request(&self, request: &QrRequest) -> Result<QrCreated, ApiError> {
        self.json(Method::POST, "api/v1/qr", None, Some(request))
            .await
    }

    pub async fn qr_details(&self, access: &SecretString, id: &str) -> Result<QrDetails, ApiError> {
        let path = format!("api/v1/qr/{}", segment(id));
        self.json(Method::GET, &path, Some(access), None::<&()>)
            .await
    }

    pub async fn qr_approve(
        &self,
        access: &SecretString,
        id: &str,
        number: u8,
        account: Option<&str>,
    ) -> Result<(), ApiError> {
        let path = format!("api/v1/qr/{}/approve", segment(id));
        let body = QrApproval {
            number,
            account: account.map(str::to_owned),
        };
        self.empty(Method::POST, &path, Some(access), Some(&body))
            .await
    }

    pub async fn qr_deny(&self, access: &SecretString, id: &str) -> Result<(), ApiError> {
        let path = format!("api/v1/qr/{}/deny", segment(id));
        self.empty(Method::POST, &path, Some(access), None::<&()>)
            .await
    }

    /// Waits up to `wait_seconds` (0–25) for the approval.
    pub async fn qr_poll(
        &self,
        id: &str,
        poll_token: &SecretString,
        wait_seconds: u64,
    ) -> Result<QrPolled, ApiError> {
        let path = format!("api/v1/qr/{}/poll", segment(id));
        let body = QrPoll {
            poll_token: poll_token.clone(),
            wait_seconds,
        };
        let response = self.send(Method::POST, &path, None, Some(&body)).await?;
        if response.status() == StatusCode::ACCEPTED {
            Ok(QrPolled::Pending)
        } else {
            Ok(QrPolled::SignedIn(Box::new(response.json().await?)))
        }
    }

    pub async fn configure_sso(
        &self,
        access: &SecretString,
        address: &str,
        config: &SsoConfig,
    ) -> Result<SsoSettings, ApiError> {
        let path = format!("api/v1/accounts/{}/sso", segment(address));
        self.json(Method::PUT, &path, Some(access), Some(config))
            .await
    }

    /// Where the system browser starts single sign-on for the account at `address`.
    pub fn sso_start_url(
        &self,
        address: &str,
        redirect_uri: &str,
        code_challenge: &str,
        state: &str,
    ) -> Result<Url, ApiError> {
        self.browser_start(
            &format!("api/v1/accounts/{}/sso/start", segment(address)),
            redirect_uri,
            code_challenge,
            state,
        )
    }

    /// Trades the one-time code from the loopback redirect, with the PKCE verifier, for a session.
    pub async fn exchange(
        &self,
        code: &str,
        code_verifier: &SecretString,
    ) -> Result<Tokens, ApiError> {
        let body = ExchangeRequest {
            code: code.into(),
            code_verifier: code_verifier.clone(),
        };
        self.json(Method::POST, "api/v1/auth/exchange", None, Some(&body))
            .await
    }
    // --- social identities ------------------------------------------------------------------------

    /// The social sign-in providers the server is configured with.
    pub async fn social_providers(&self) -> Result<Vec<SocialProviderInfo>, ApiError> {
        self.json(Method::GET, "api/v1/auth/social", None, None::<&()>)
            .await
    }

    /// Where the system browser starts a social sign-in with the configured `provider`; with
    /// `account`, the session is for that account (a tab).
    pub fn social_start_url(
        &self,
        provider: &str,
        account: Option<&str>,
        redirect_uri: &str,
        code_challenge: &str,
        state: &str,
    ) -> Result<Url, ApiError> {
        let mut url = self.browser_start(
            &format!("api/v1/auth/social/{}/start", segment(provider)),
            redirect_uri,
            code_challenge,
            state,
        )?;
        if let Some(account) = account {
            url.query_pairs_mut().append_pair("account", account);
        }
        Ok(url)
    }

    /// Links the identity of a `link_required` answer to the profile of `login` (needed when
    /// the answer named no email), proved by its password.
    pub async fn link_identity(
        &self,
        link_token: &str,
        login: Option<&str>,
        password: &str,
    ) -> Result<Profile, ApiError> {
        let body = LinkRequest {
            link_token: link_token.into(),
            login: login.map(str::to_owned),
            password: password.into(),
        };
        self.json(Method::POST, "api/v1/me/social/link", None, Some(&body))
            .await
    }

    /// Where the system browser connects the `provider`'s identity to the signed-in profile.
    pub async fn connect_social_url(
        &self,
        access: &SecretString,
        provider: &str,
        redirect_uri: &str,
        code_challenge: &str,
        state: &str,
    ) -> Result<Url, ApiError> {
        let path = format!("api/v1/me/social/{}/connect", segment(provider));
        let body = LoopbackStart {
            redirect_uri: redirect_uri.into(),
            code_challenge: code_challenge.into(),
            state: state.into(),
        };
        let start: BrowserStart = self
            .json(Method::POST, &path, Some(access), Some(&body))
            .await?;
        Url::parse(&start.url).map_err(|e| ApiError::Url(e.to_string()))
    }

    pub async fn unlink_social(
        &self,
        access: &SecretString,
        provider: &str,
    ) -> Result<(), ApiError> {
        let path = format!("api/v1/me/social/{}", segment(provider));
        self.empty(Method::DELETE, &path, Some(access), None::<&()>)
            .await
    }

    /// A start URL for the system browser: the loopback redirect, the PKCE challenge and the
    /// state the desktop wants back.
    fn browser_start(
        &self,
        path: &str,
        redirect_uri: &str,
        code_challenge: &str,
        state: &str,
    ) -> Result<Url, ApiError> {
        let mut url = self
            .base()
            .join(path)
            .map_err(|e| ApiError::Url(e.to_string()))?;
        url.query_pairs_mut()
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("code_challenge", code_challenge)
            .append_pair("state", state);
        Ok(url)
    }
}
