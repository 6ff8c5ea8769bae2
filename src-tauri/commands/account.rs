//! A tab's account: overview, employees and invitations, tasks, and the administrators'
//! settings (rename, single sign-on).

use super::Answer;
use crate::state::Shell;
use crate::views::{AccountView, Page, TabRef};
use lanyard_client::PageRequest;
use lanyard_client::api::{
    CreateTaskRequest, Employee, Role, SsoConfig, Status, Task, TaskStatus, UpdateAccountRequest,
    UpdateTaskRequest,
};
use tauri::State;

/// The UI's lists load a hundred at a time.
fn page(cursor: Option<&str>) -> PageRequest<'_> {
    PageRequest {
        cursor,
        limit: Some(100),
    }
}

#[tauri::command]
pub async fn account(tab: TabRef, shell: State<'_, Shell>) -> Answer<AccountView> {
    let s = shell.tab(&tab).await?;
    let (account, role) = s.client.account_and_role(&s.access, &s.address).await?;
    let tab = shell.desktop().await?.listed(&tab).await?;
    Ok(AccountView { account, role, tab })
}

#[tauri::command]
pub async fn employees(
    tab: TabRef,
    status: Status,
    cursor: Option<String>,
    shell: State<'_, Shell>,
) -> Answer<Page<Employee>> {
    let s = shell.tab(&tab).await?;
    let page = page(cursor.as_deref());
    let employees = s
        .client
        .employees(&s.access, &s.address, Some(status), page);
    Ok(employees.await?.into())
}

#[tauri::command]
pub async fn invite(tab: TabRef, email: String, shell: State<'_, Shell>) -> Answer<Employee> {
    let s = shell.tab(&tab).await?;
    Ok(s.client.invite(&s.access, &s.address, &email).await?)
}

#[tauri::command]
pub async fn dismiss(tab: TabRef, id: String, shell: State<'_, Shell>) -> Answer<Employee> {
    let s = shell.tab(&tab).await?;
    Ok(s.client.dismiss(&s.access, &s.address, &id).await?)
}

#[tauri::command]
pub async fn reinstate(tab: TabRef, id: String, shell: State<'_, Shell>) -> Answer<Employee> {
    let s = shell.tab(&tab).await?;
    Ok(s.client.reinstate(&s.access, &s.address, &id).await?)
}

/// Deletes an invitation that was not accepted yet.
#[tauri::command]
pub async fn delete_invitation(tab: TabRef, id: String, shell: State<'_, Shell>) -> Answer<()> {
    let s = shell.tab(&tab).await?;
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
    let s = shell.tab(&tab).await?;
    let (status, assignee) = match mine {
        true => (Some(TaskStatus::Open), Some("me")),
        false => (None, None),
    };
    let page = page(cursor.as_deref());
    let tasks = s
        .client
        .tasks(&s.access, &s.address, status, assignee, page);
    Ok(tasks.await?.into())
}

/// The tab's badge: how many open tasks wait for the signed-in person.
#[tauri::command]
pub async fn badge(tab: TabRef, shell: State<'_, Shell>) -> Answer<u32> {
    let s = shell.tab(&tab).await?;
    let open = Some(TaskStatus::Open);
    let mine = s
        .client
        .tasks(&s.access, &s.address, open, Some("me"), page(None));
    Ok(u32::try_from(mine.await?.items.len()).unwrap_or(u32::MAX))
}

#[tauri::command]
pub async fn create_task(
    tab: TabRef,
    title: String,
    assignee_id: Option<String>,
    shell: State<'_, Shell>,
) -> Answer<Task> {
    let s = shell.tab(&tab).await?;
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
    let s = shell.tab(&tab).await?;
    let status = if done {
        TaskStatus::Done
    } else {
        TaskStatus::Open
    };
    let request = UpdateTaskRequest {
        status: Some(status),
        ..UpdateTaskRequest::default()
    };
    Ok(s.client
        .update_task(&s.access, &s.address, &id, &request)
        .await?)
}

#[tauri::command]
pub async fn delete_task(tab: TabRef, id: String, shell: State<'_, Shell>) -> Answer<()> {
    let s = shell.tab(&tab).await?;
    Ok(s.client.delete_task(&s.access, &s.address, &id).await?)
}

/// Renames the account (a new address) and/or its display name; the tab follows by id.
#[tauri::command]
pub async fn update_account(
    tab: TabRef,
    request: UpdateAccountRequest,
    shell: State<'_, Shell>,
) -> Answer<AccountView> {
    let s = shell.tab(&tab).await?;
    let account = s.client.update_account(&s.access, &s.address, &request);
    let account = account.await?;
    let tab = shell.desktop().await?.follow(&tab, &account).await?;
    let role = Role::Admin;
    Ok(AccountView { account, role, tab })
}

#[tauri::command]
pub async fn configure_sso(tab: TabRef, config: SsoConfig, shell: State<'_, Shell>) -> Answer<()> {
    let s = shell.tab(&tab).await?;
    s.client
        .configure_sso(&s.access, &s.address, &config)
        .await?;
    Ok(())
}
