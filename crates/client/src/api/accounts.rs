//! Accounts, employees, invitations and tasks.

use super::{Client, Page, PageRequest, segment};
use crate::ApiError;
use lanyard_core::api::*;
use reqwest::Method;
use secrecy::SecretString;

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

    /// The account and the caller's role in it (what its tab may show: settings are for
    /// administrators). `no_access` when the caller is not an active member.
    pub async fn account_and_role(
        &self,
        access: &SecretString,
        address: &str,
    ) -> Result<(Account, Role), ApiError> {
        let account = self.account(access, address).await?;
        let role = account.role;
        Ok((account, role))
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
        let mut query = page.query();
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
        let path = employee_path(address, id, "");
        self.json(Method::PATCH, &path, Some(access), Some(request))
            .await
    }

    pub async fn dismiss(
        &self,
        access: &SecretString,
        address: &str,
        id: &str,
    ) -> Result<Employee, ApiError> {
        let path = employee_path(address, id, "/dismiss");
        self.json(Method::POST, &path, Some(access), None::<&()>)
            .await
    }

    /// Sets the employee's contact email (where to reach them; not their login). Empty
    /// clears it.
    pub async fn set_contact_email(
        &self,
        access: &SecretString,
        address: &str,
        id: &str,
        contact_email: &str,
    ) -> Result<Employee, ApiError> {
        let path = employee_path(address, id, "");
        let request = UpdateEmployeeRequest {
            contact_email: Some(contact_email.to_owned()),
        };
        self.json(Method::PATCH, &path, Some(access), Some(&request))
            .await
    }

    pub async fn reinstate(
        &self,
        access: &SecretString,
        address: &str,
        id: &str,
    ) -> Result<Employee, ApiError> {
        let path = employee_path(address, id, "/reinstate");
        self.json(Method::POST, &path, Some(access), None::<&()>)
            .await
    }

    pub async fn delete_employee(
        &self,
        access: &SecretString,
        address: &str,
        id: &str,
    ) -> Result<(), ApiError> {
        let path = employee_path(address, id, "");
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
        let mut query = page.query();
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
}

/// The employee `id` of the account at `address`, and `step` (`""`, `"/dismiss"`…) after it.
fn employee_path(address: &str, id: &str, step: &str) -> String {
    format!(
        "api/v1/accounts/{}/employees/{}{step}",
        segment(address),
        segment(id)
    )
}
