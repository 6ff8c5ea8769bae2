//! A tab's account: overview, employees and invitations, tasks, and the administrators'
//! settings (rename, single sign-on).

use super::Answer;
use crate::state::Shell;
use crate::views::{AccountView, Page, TabRef};
use lanyard_client::PageRequest;
use lanyard_client::api::{
    CreateTaskRequest, Employee, SsoConfig, Status, Task, TaskStatus, UpdateAccountRequest,
    UpdateTaskRequest,
};
use tauri::State;

#[tauri::command]
pub async fn account(tab: TabRef, shell: State<'_, Shell>) -> Answer<AccountView> {
    let desktop = shell.desktop().await?;
    let session = desktop.session(&tab).await?;
    let (account, role) = session
        .client
        .account_and_role(&session.access, &session.address)
        .await?;
    let tab = desktop.tab(&tab).await?;
    Ok(AccountView { account, role, tab })
}

#[tauri::command]
pub async fn employees(
    tab: TabRef,
    status: Status,
    cursor: Option<String>,
    shell: State<'_, Shell>,
) -> Answer<Page<Employee>> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    let page = PageRequest {
        cursor: cursor.as_deref(),
        limit: Some(100),
    };
    let page = s
        .client
        .employees(&s.access, &s.address, Some(status), page)
        .await?;
    Ok(page.into())
}

#[tauri::command]
pub async fn invite(tab: TabRef, email: String, shell: State<'_, Shell>) -> Answer<Employee> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    Ok(s.client.invite(&s.access, &s.address, &email).await?)
}

#[tauri::command]
pub async fn dismiss(tab: TabRef, id: String, shell: State<'_, Shell>) -> Answer<Employee> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    Ok(s.client.dismiss(&s.access, &s.address, &id).await?)
}

#[tauri::command]
pub async fn reinstate(tab: TabRef, id: String, shell: State<'_, Shell>) -> Answer<Employee> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    Ok(s.client.reinstate(&s.access, &s.address, &id).await?)
}

/// Deletes an invitation that was not accepted yet.
#[tauri::command]
pub async fn delete_invitation(tab: TabRef, id: String, shell: State<'_, Shell>) -> Answer<()> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    Ok(s.client.delete_employee(&s.access, &s.address, &id).await?)
}

/// The account's tasks; `mine` keeps only the open ones assigned to the signed-in person.
#[tauri::command]
pub async fn tasks(
    tab: TabRef,
    mine: bool,
    cursor: Option<String>,
    shell: State<'_, Shell>,
) -> Answer<Page<Task>> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    let page = PageRequest {
        cursor: cursor.as_deref(),
        limit: Some(100),
    };
    let (status, assignee) = if mine {
        (Some(TaskStatus::Open), Some("me"))
    } else {
        (None, None)
    };
    let page = s
        .client
        .tasks(&s.access, &s.address, status, assignee, page)
        .await?;
    Ok(page.into())
}

/// The tab's badge: how many open tasks wait for the signed-in person.
#[tauri::command]
pub async fn badge(tab: TabRef, shell: State<'_, Shell>) -> Answer<u32> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    let page = PageRequest {
        cursor: None,
        limit: Some(100),
    };
    let open = s
        .client
        .tasks(
            &s.access,
            &s.address,
            Some(TaskStatus::Open),
            Some("me"),
            page,
        )
        .await?;
    Ok(u32::try_from(open.items.len()).unwrap_or(u32::MAX))
}

#[tauri::command]
pub async fn create_task(
    tab: TabRef,
    title: String,
    assignee_id: Option<String>,
    shell: State<'_, Shell>,
) -> Answer<Task> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    let request = CreateTaskRequest { title, assignee_id };
    Ok(s.client
        .create_task(&s.access, &s.address, &request)
        .await?)
}

#[tauri::command]
pub async fn set_task_done(
    tab: TabRef,
    id: String,
    done: bool,
    shell: State<'_, Shell>,
) -> Answer<Task> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    let request = UpdateTaskRequest {
        status: Some(if done {
            TaskStatus::Done
        } else {
            TaskStatus::Open
        }),
        ..UpdateTaskRequest::default()
    };
    Ok(s.client
        .update_task(&s.access, &s.address, &id, &request)
        .await?)
}

#[tauri::command]
pub async fn delete_task(tab: TabRef, id: String, shell: State<'_, Shell>) -> Answer<()> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    Ok(s.client.delete_task(&s.access, &s.address, &id).await?)
}

/// Renames the account (a new address) and/or its display name; the tab follows by id.
#[tauri::command]
pub async fn update_account(
    tab: TabRef,
    request: UpdateAccountRequest,
    shell: State<'_, Shell>,
) -> Answer<AccountView> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    let account = s
        .client
        .update_account(&s.access, &s.address, &request)
        .await?;
    let tab = desktop.follow(&tab, &account).await?;
    Ok(AccountView {
        account,
        role: lanyard_client::api::Role::Admin,
        tab,
    })
}

#[tauri::command]
pub async fn configure_sso(tab: TabRef, config: SsoConfig, shell: State<'_, Shell>) -> Answer<()> {
    let desktop = shell.desktop().await?;
    let s = desktop.session(&tab).await?;
    s.client
        .configure_sso(&s.access, &s.address, &config)
        .await?;
    Ok(())
}
