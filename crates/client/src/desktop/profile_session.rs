//! A profile signed in without an account ("Sign in using login and password"): held in
//! memory only, while the person picks one of the profile's accounts, accepts an invitation
//! or creates a first account. Picking signs in to the account itself; this session then
//! ends on the server.

use crate::api::{Account, Employee, LoginRequest, MyAccount, Tokens};
use crate::{ApiError, Client};
use secrecy::SecretString;

pub struct ProfileSession {
    client: Client,
    tokens: Tokens,
}

impl std::fmt::Debug for ProfileSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProfileSession")
            .field("server", &self.client.base().as_str())
            .finish_non_exhaustive()
    }
}

impl ProfileSession {
    pub async fn sign_in(
        client: Client,
        login: &str,
        password: &SecretString,
        device_name: &str,
    ) -> Result<ProfileSession, ApiError> {
        let request = LoginRequest {
            login: login.into(),
            password: password.clone(),
            account: None,
            device_name: Some(device_name.into()),
        };
        let tokens = client.login(&request).await?;
        Ok(ProfileSession { client, tokens })
    }

    fn access(&self) -> &SecretString {
        &self.tokens.access_token
    }

    /// The profile's accounts and the invitations waiting for its login email, as the web
    /// view may see them: without the tokens that accept the invitations.
    pub async fn accounts(&self) -> Result<Vec<MyAccount>, ApiError> {
        let mut accounts = self.client.my_accounts(self.access()).await?;
        for account in &mut accounts {
            account.token = None;
        }
        Ok(accounts)
    }

    /// The token of the invitation to `account_id` waiting for this profile, if there is one.
    pub async fn invitation_token(&self, account_id: &str) -> Result<Option<String>, ApiError> {
        let accounts = self.client.my_accounts(self.access()).await?;
        Ok(accounts
            .into_iter()
            .find(|account| account.id == account_id)
            .and_then(|account| account.token))
    }

    pub async fn create_account(&self, address: &str, name: &str) -> Result<Account, ApiError> {
        self.client
            .create_account(self.access(), address, name)
            .await
    }

    pub async fn accept_invitation(&self, token: &str) -> Result<Employee, ApiError> {
        self.client.accept_invitation(self.access(), token).await
    }

    /// Signs this session out on the server.
    pub async fn end(self) -> Result<(), ApiError> {
        self.client.logout(&self.tokens.refresh_token).await
    }
}
