//! Lanyard's typed API client: one method per endpoint of API.md, answers and refusals typed.
//! Used by the desktop app and by the server's integration tests, which drive the server
//! exactly as a client would.

pub mod accounts;
mod error;
pub mod vault;

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

/// One page of a list, and the cursor of the next one (from the `Link` header).
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Which page of a list to fetch.
#[derive(Debug, Clone, Default)]
pub struct PageRequest<'a> {
    pub cursor: Option<&'a str>,
    pub limit: Option<u32>,
}

impl Client {
    // --- accounts ---------------------------------------------------------------------------------

    pub async fn create_account(
        &self,
        access: &SecretString,
        address: &str,
        name: &str,
    ) -> Result<Account, ApiError> {
        let body = CreateAccountRequest {
            address: address.into(),
            name: name.into(),
        };
        self.json(Method::POST, "api/v1/accounts", Some(access), Some(&body))
            .await
    }

    pub async fn account(&self, access: &SecretString, address: &str) -> Result<Account, ApiError> {
        let path = format!("api/v1/accounts/{}", segment(address));
        self.json(Method::GET, &path, Some(access), None::<&()>)
            .await
    }

    pub async fn update_account(
        &self,
        access: &SecretString,
        address: &str,
        request: &UpdateAccountRequest,
    ) -> Result<Account, ApiError> {
        let path = format!("api/v1/accounts/{}", segment(address));
        self.json(Method::PATCH, &path, Some(access), Some(request))
            .await
    }

    pub async fn my_accounts(&self, access: &SecretString) -> Result<Vec<MyAccount>, ApiError> {
        self.json(Method::GET, "api/v1/me/accounts", Some(access), None::<&()>)
            .await
    }

    // --- employees and invitations -------------------------------------------------------------

    pub async fn employees(
        &self,
        access: &SecretString,
        address: &str,
        status: Option<Status>,
        page: PageRequest<'_>,
    ) -> Result<Page<Employee>, ApiError> {
        let mut query = page_query(&page);
        if let Some(status) = status {
            query.push(("status", status.as_str().to_owned()));
        }
        let path = format!("api/v1/accounts/{}/employees", segment(address));
        self.page(&path, access, &query).await
    }

    pub async fn invite(
        &self,
        access: &SecretString,
        address: &str,
        email: &str,
    ) -> Result<Employee, ApiError> {
        let path = format!("api/v1/accounts/{}/invitations", segment(address));
        let body = InviteRequest {
            email: email.into(),
        };
        self.json(Method::POST, &path, Some(access), Some(&body))
            .await
    }

    pub async fn accept_invitation(
        &self,
        access: &SecretString,
        token: &str,
    ) -> Result<Employee, ApiError> {
        let body = TokenRequest {
            token: token.into(),
        };
        self.json(
            Method::POST,
            "api/v1/invitations/accept",
            Some(access),
            Some(&body),
        )
        .await
    }

    pub async fn update_employee(
        &self,
        access: &SecretString,
        address: &str,
        id: &str,
        request: &UpdateEmployeeRequest,
    ) -> Result<Employee, ApiError> {
        let path = format!(
            "api/v1/accounts/{}/employees/{}",
            segment(address),
            segment(id)
        );
        self.json(Method::PATCH, &path, Some(access), Some(request))
            .await
    }

    pub async fn dismiss(
        &self,
        access: &SecretString,
        address: &str,
        id: &str,
    ) -> Result<Employee, ApiError> {
        let path = format!(
            "api/v1/accounts/{}/employees/{}/dismiss",
            segment(address),
            segment(id)
        );
        self.json(Method::POST, &path, Some(access), None::<&()>)
            .await
    }

    pub async fn reinstate(
        &self,
        access: &SecretString,
        address: &str,
        id: &str,
    ) -> Result<Employee, ApiError> {
        let path = format!(
            "api/v1/accounts/{}/employees/{}/reinstate",
            segment(address),
            segment(id)
        );
        self.json(Method::POST, &path, Some(access), None::<&()>)
            .await
    }

    pub async fn delete_employee(
        &self,
        access: &SecretString,
        address: &str,
        id: &str,
    ) -> Result<(), ApiError> {
        let path = format!(
            "api/v1/accounts/{}/employees/{}",
            segment(address),
            segment(id)
        );
        self.empty(Method::DELETE, &path, Some(access), None::<&()>)
            .await
    }

    // --- tasks ----------------------------------------------------------------------------------------

    /// Tasks, optionally only one status and one assignee (an employee id, or `me`).
    pub async fn tasks(
        &self,
        access: &SecretString,
        address: &str,
        status: Option<TaskStatus>,
        assignee: Option<&str>,
        page: PageRequest<'_>,
    ) -> Result<Page<Task>, ApiError> {
        let mut query = page_query(&page);
        if let Some(status) = status {
            let status = if status == TaskStatus::Open {
                "open"
            } else {
                "done"
            };
            query.push(("status", status.to_owned()));
        }
        if let Some(assignee) = assignee {
            query.push(("assignee", assignee.to_owned()));
        }
        let path = format!("api/v1/accounts/{}/tasks", segment(address));
        self.page(&path, access, &query).await
    }

    pub async fn create_task(
        &self,
        access: &SecretString,
        address: &str,
        request: &CreateTaskRequest,
    ) -> Result<Task, ApiError> {
        let path = format!("api/v1/accounts/{}/tasks", segment(address));
        self.json(Method::POST, &path, Some(access), Some(request))
            .await
    }

    pub async fn update_task(
        &self,
        access: &SecretString,
        address: &str,
        id: &str,
        request: &UpdateTaskRequest,
    ) -> Result<Task, ApiError> {
        let path = format!("api/v1/accounts/{}/tasks/{}", segment(address), segment(id));
        self.json(Method::PATCH, &path, Some(access), Some(request))
            .await
    }

    pub async fn delete_task(
        &self,
        access: &SecretString,
        address: &str,
        id: &str,
    ) -> Result<(), ApiError> {
        let path = format!("api/v1/accounts/{}/tasks/{}", segment(address), segment(id));
        self.empty(Method::DELETE, &path, Some(access), None::<&()>)
            .await
    }

    async fn page<T: DeserializeOwned>(
        &self,
        path: &str,
        access: &SecretString,
        query: &[(&str, String)],
    ) -> Result<Page<T>, ApiError> {
        let response = self
            .request(Method::GET, path, Some(access))?
            .query(query)
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(ApiError::from_response(response).await);
        }
        let next_cursor = response
            .headers()
            .get(reqwest::header::LINK)
            .and_then(|link| link.to_str().ok())
            .and_then(next_cursor);
        Ok(Page {
            items: response.json().await?,
            next_cursor,
        })
    }
}

fn page_query(page: &PageRequest<'_>) -> Vec<(&'static str, String)> {
    let mut query = Vec::new();
    if let Some(cursor) = page.cursor {
        query.push(("cursor", cursor.to_owned()));
    }
    if let Some(limit) = page.limit {
        query.push(("limit", limit.to_string()));
    }
    query
}

/// The `cursor` of a `Link: <url>; rel="next"` header.
fn next_cursor(link: &str) -> Option<String> {
    let (target, params) = link.split_once(';')?;
    if !params.contains("rel=\"next\"") {
        return None;
    }
    let url = Url::parse(target.trim().trim_start_matches('<').trim_end_matches('>')).ok()?;
    url.query_pairs()
        .find(|(key, _)| key == "cursor")
        .map(|(_, value)| value.into_owned())
}

/// A path segment, percent-encoded (addresses and ids are safe already; this keeps odd input
/// from changing the path).
fn segment(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

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

    pub async fn qr_create(
        &self,
        device_name: &str,
        platform: Option<&str>,
    ) -> Result<QrCreated, ApiError> {
        let body = QrRequest {
            device_name: device_name.into(),
            platform: platform.map(str::to_owned),
        };
        self.json(Method::POST, "api/v1/qr", None, Some(&body))
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
}

impl Client {
    // --- single sign-on -----------------------------------------------------------------------

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
        let mut url = self
            .base
            .join(&format!("api/v1/accounts/{}/sso/start", segment(address)))
            .map_err(|e| ApiError::Url(e.to_string()))?;
        url.query_pairs_mut()
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("code_challenge", code_challenge)
            .append_pair("state", state);
        Ok(url)
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
}

impl Client {
    // --- social identities ------------------------------------------------------------------------

    /// Where the system browser starts a social sign-in with the configured `provider`.
    pub fn social_start_url(
        &self,
        provider: &str,
        redirect_uri: &str,
        code_challenge: &str,
        state: &str,
    ) -> Result<Url, ApiError> {
        let mut url = self
            .base
            .join(&format!("api/v1/auth/social/{}/start", segment(provider)))
            .map_err(|e| ApiError::Url(e.to_string()))?;
        url.query_pairs_mut()
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("code_challenge", code_challenge)
            .append_pair("state", state);
        Ok(url)
    }

    /// Links the identity of a `link_required` answer, with the profile's password.
    pub async fn link_social(&self, link_token: &str, password: &str) -> Result<Profile, ApiError> {
        let body = LinkRequest {
            link_token: link_token.into(),
            password: password.into(),
        };
        self.json(Method::POST, "api/v1/me/social/link", None, Some(&body))
            .await
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
}
