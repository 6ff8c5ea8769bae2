//! Registration, sign-in, sessions and the signed-in profile.

use super::Client;
use crate::ApiError;
use lanyard_core::api::*;
use reqwest::{Method, StatusCode};
use secrecy::SecretString;

impl Client {
    // --- auth -------------------------------------------------------------------------------

    pub async fn register(&self, request: &RegisterRequest) -> Result<RegisterResponse, ApiError> {
        self.json(Method::POST, "api/v1/auth/register", None, Some(request))
            .await
    }

    pub async fn verify_email(&self, token: &str) -> Result<(), ApiError> {
        let body = VerifyEmailRequest {
            token: token.into(),
            decline: false,
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

    /// Texts a code to `new_phone`; the login changes when [`Client::confirm_phone`] brings it
    /// back.
    pub async fn change_phone(
        &self,
        access: &SecretString,
        new_phone: &str,
        current_password: &str,
    ) -> Result<Accepted, ApiError> {
        let body = ChangePhoneRequest {
            new_phone: new_phone.into(),
            current_password: current_password.into(),
        };
        self.json(Method::POST, "api/v1/me/phone", Some(access), Some(&body))
            .await
    }

    pub async fn confirm_phone(
        &self,
        access: &SecretString,
        new_phone: &str,
        code: &str,
    ) -> Result<Profile, ApiError> {
        let body = ConfirmPhoneRequest {
            new_phone: new_phone.into(),
            code: code.into(),
        };
        let path = "api/v1/me/phone/confirm";
        self.json(Method::POST, path, Some(access), Some(&body))
            .await
    }

    /// Uploads the profile's photo: the image file itself, `content_type` `image/png`,
    /// `image/jpeg` or `image/webp`, at most 5 MB. The server keeps a 256×256 PNG of its
    /// centre square and answers with the profile, its `photo_url` pointing there. With
    /// `apply_to_accounts` it becomes the photo of every employee record of the profile too.
    /// Refusals: `unsupported_media_type`, `body_too_large`, `invalid_photo`.
    pub async fn upload_photo(
        &self,
        access: &SecretString,
        bytes: impl Into<reqwest::Body>,
        content_type: &str,
        apply_to_accounts: bool,
    ) -> Result<Profile, ApiError> {
        let response = self
            .request(Method::PUT, "api/v1/me/photo", Some(access))?
            .query(&[("apply_to_accounts", apply_to_accounts)])
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(bytes)
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(ApiError::from_response(response).await);
        }
        Ok(response.json().await?)
    }

    /// Removes the profile's photo (`photo_url` becomes `None`).
    pub async fn delete_photo(&self, access: &SecretString) -> Result<Profile, ApiError> {
        self.json(Method::DELETE, "api/v1/me/photo", Some(access), None::<&()>)
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
