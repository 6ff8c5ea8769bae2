//! Lanyard's typed API client: one method per endpoint of API.md, answers and refusals typed.
//! Used by the desktop app and by the server's integration tests, which drive the server
//! exactly as a client would.

mod error;

pub use error::ApiError;
pub use lanyard_core::api;

use lanyard_core::api::*;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use secrecy::{ExposeSecret, SecretString};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

/// A client of one Lanyard server. Cheap to clone (it shares one connection pool).
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: Url,
}

impl Client {
    /// A client of the server at `base` (e.g. `http://127.0.0.1:8080/`).
    pub fn new(base: Url) -> Result<Client, ApiError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("lanyard-client/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Client { http, base })
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    fn request(
        &self,
        method: Method,
        path: &str,
        access: Option<&SecretString>,
    ) -> Result<RequestBuilder, ApiError> {
        let url = self
            .base
            .join(path)
            .map_err(|e| ApiError::Url(e.to_string()))?;
        let request = self.http.request(method, url);
        Ok(match access {
            Some(token) => request.bearer_auth(token.expose_secret()),
            None => request,
        })
    }

    async fn json<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        access: Option<&SecretString>,
        body: Option<&(impl Serialize + ?Sized)>,
    ) -> Result<T, ApiError> {
        let response = self.send(method, path, access, body).await?;
        Ok(response.json().await?)
    }

    async fn empty(
        &self,
        method: Method,
        path: &str,
        access: Option<&SecretString>,
        body: Option<&(impl Serialize + ?Sized)>,
    ) -> Result<(), ApiError> {
        self.send(method, path, access, body).await.map(|_| ())
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        access: Option<&SecretString>,
        body: Option<&(impl Serialize + ?Sized)>,
    ) -> Result<Response, ApiError> {
        let mut request = self.request(method, path, access)?;
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await?;
        if response.status().is_success() {
            Ok(response)
        } else {
            Err(ApiError::from_response(response).await)
        }
    }

    // --- auth -------------------------------------------------------------------------------

    pub async fn register(&self, request: &RegisterRequest) -> Result<RegisterResponse, ApiError> {
        self.json(Method::POST, "api/v1/auth/register", None, Some(request))
            .await
    }

    pub async fn verify_email(&self, token: &str) -> Result<(), ApiError> {
        let body = TokenRequest {
            token: token.into(),
        };
        self.empty(Method::POST, "api/v1/auth/verify-email", None, Some(&body))
            .await
    }

    pub async fn verify_phone(&self, phone: &str, code: &str) -> Result<(), ApiError> {
        let body = VerifyPhoneRequest {
            phone: phone.into(),
            code: code.into(),
        };
        self.empty(Method::POST, "api/v1/auth/verify-phone", None, Some(&body))
            .await
    }

    pub async fn login(&self, request: &LoginRequest) -> Result<Tokens, ApiError> {
        self.json(Method::POST, "api/v1/auth/login", None, Some(request))
            .await
    }

    pub async fn refresh(&self, refresh_token: &SecretString) -> Result<Tokens, ApiError> {
        let body = RefreshRequest {
            refresh_token: refresh_token.clone(),
        };
        self.json(Method::POST, "api/v1/auth/refresh", None, Some(&body))
            .await
    }

    pub async fn logout(&self, refresh_token: &SecretString) -> Result<(), ApiError> {
        let body = RefreshRequest {
            refresh_token: refresh_token.clone(),
        };
        self.empty(Method::POST, "api/v1/auth/logout", None, Some(&body))
            .await
    }

    pub async fn password_recovery(&self, email: &str) -> Result<Accepted, ApiError> {
        let body = PasswordRecoveryRequest {
            email: email.into(),
        };
        self.json(
            Method::POST,
            "api/v1/auth/password-recovery",
            None,
            Some(&body),
        )
        .await
    }

    pub async fn password_reset(&self, token: &str, new_password: &str) -> Result<(), ApiError> {
        let body = PasswordResetRequest {
            token: token.into(),
            new_password: new_password.into(),
        };
        self.empty(
            Method::POST,
            "api/v1/auth/password-reset",
            None,
            Some(&body),
        )
        .await
    }

    // --- the signed-in profile ----------------------------------------------------------------

    pub async fn me(&self, access: &SecretString) -> Result<Profile, ApiError> {
        self.json(Method::GET, "api/v1/me", Some(access), None::<&()>)
            .await
    }

    pub async fn update_me(
        &self,
        access: &SecretString,
        request: &UpdateProfileRequest,
    ) -> Result<Profile, ApiError> {
        self.json(Method::PATCH, "api/v1/me", Some(access), Some(request))
            .await
    }

    pub async fn delete_me(
        &self,
        access: &SecretString,
        current_password: Option<&str>,
    ) -> Result<(), ApiError> {
        let body = DeleteProfileRequest {
            current_password: current_password.map(SecretString::from),
        };
        self.empty(Method::DELETE, "api/v1/me", Some(access), Some(&body))
            .await
    }

    pub async fn change_password(
        &self,
        access: &SecretString,
        current: &str,
        new: &str,
    ) -> Result<(), ApiError> {
        let body = ChangePasswordRequest {
            current_password: current.into(),
            new_password: new.into(),
        };
        self.empty(
            Method::POST,
            "api/v1/me/password",
            Some(access),
            Some(&body),
        )
        .await
    }

    pub async fn change_email(
        &self,
        access: &SecretString,
        new_email: &str,
        current_password: &str,
    ) -> Result<Accepted, ApiError> {
        let body = ChangeEmailRequest {
            new_email: new_email.into(),
            current_password: current_password.into(),
        };
        self.json(Method::POST, "api/v1/me/email", Some(access), Some(&body))
            .await
    }

    pub async fn confirm_email(&self, token: &str) -> Result<Profile, ApiError> {
        let body = TokenRequest {
            token: token.into(),
        };
        self.json(Method::POST, "api/v1/me/email/confirm", None, Some(&body))
            .await
    }

    pub async fn sessions(&self, access: &SecretString) -> Result<Vec<Session>, ApiError> {
        self.json(Method::GET, "api/v1/me/sessions", Some(access), None::<&()>)
            .await
    }

    pub async fn revoke_session(&self, access: &SecretString, id: &str) -> Result<(), ApiError> {
        let path = format!("api/v1/me/sessions/{id}");
        self.empty(Method::DELETE, &path, Some(access), None::<&()>)
            .await
    }

    // --- the server -----------------------------------------------------------------------------

    /// The server's OpenAPI document.
    pub async fn openapi(&self) -> Result<serde_json::Value, ApiError> {
        self.json(Method::GET, "api/v1/openapi.json", None, None::<&()>)
            .await
    }

    /// Whether the server and its database answer.
    pub async fn healthy(&self) -> Result<bool, ApiError> {
        let response = self.request(Method::GET, "healthz", None)?.send().await?;
        Ok(response.status() == StatusCode::OK)
    }
}
