//! A tab's account: overview, employees and invitations, tasks, and the administrators'
//! settings (rename, single sign-on).

use super::Answer;
use crate::state::{Shell, tab_call};
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
    let (account, role) = tab_call!(shell, &tab, |s| s
        .client
        .account_and_role(&s.access, &s.address))?;
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
    let page = page(cursor.as_deref());
    let employees = tab_call!(shell, &tab, |s| s.client.employees(
        &s.access,
        &s.address,
        Some(status),
        page
    ))?;
    Ok(employees.into())
}

#[tauri::command]
pub async fn invite(tab: TabRef, email: String, shell: State<'_, Shell>) -> Answer<Employee> {
    tab_call!(shell, &tab, |s| s
        .client
        .invite(&s.access, &s.address, &email))
}

#[tauri::command]
pub async fn dismiss(tab: TabRef, id: String, shell: State<'_, Shell>) -> Answer<Employee> {
    tab_call!(shell, &tab, |s| s
        .client
        .dismiss(&s.access, &s.address, &id))
}

#[tauri::command]
pub async fn reinstate(tab: TabRef, id: String, shell: State<'_, Shell>) -> Answer<Employee> {
    tab_call!(shell, &tab, |s| s
        .client
        .reinstate(&s.access, &s.address, &id))
}

/// Sets an employee's contact email (administrators, or the employee on their own card).
#[tauri::command]
pub async fn set_contact_email(
    tab: TabRef,
    id: String,
    contact_email: String,
    shell: State<'_, Shell>,
) -> Answer<Employee> {
    let contact = contact_email.trim();
    tab_call!(shell, &tab, |s| s
        .client
        .set_contact_email(&s.access, &s.address, &id, contact))
}

/// Deletes an invitation that was not accepted yet.
#[tauri::command]
pub async fn delete_invitation(tab: TabRef, id: String, shell: State<'_, Shell>) -> Answer<()> {
    tab_call!(shell, &tab, |s| s
        .client
        .delete_employee(&s.access, &s.address, &id))
}

/// The account's tasks; `mine` keeps only the open ones assigned to the signed-in person.
#[tauri::command]
pub async fn tasks(
    tab: TabRef,
    mine: bool,
    cursor: Option<String>,
    shell: State<'_, Shell>,
) -> Answer<Page<Task>> {
    let (status, assignee) = match mine {
        true => (Some(TaskStatus::Open), Some("me")),
        false => (None, None),
    };
    let page = page(cursor.as_deref());
    let tasks = tab_call!(shell, &tab, |s| s
        .client
        .tasks(&s.access, &s.address, status, assignee, page))?;
    Ok(tasks.into())
}

/// The tab's badge: how many open tasks wait for the signed-in person.
#[tauri::command]
pub async fn badge(tab: TabRef, shell: State<'_, Shell>) -> Answer<u32> {
    let open = Some(TaskStatus::Open);
    let mine = tab_call!(shell, &tab, |s| s.client.tasks(
        &s.access,
        &s.address,
        open,
        Some("me"),
        page(None)
    ))?;
    Ok(u32::try_from(mine.items.len()).unwrap_or(u32::MAX))
}

#[tauri::command]
pub async fn create_task(
    tab: TabRef,
    title: String,
    assignee_id: Option<String>,
    shell: State<'_, Shell>,
) -> Answer<Task> {
    let request = CreateTaskRequest { title, assignee_id };
    tab_call!(shell, &tab, |s| s
        .client
        .create_task(&s.access, &s.address, &request))
}

#[tauri::command]
pub async fn set_task_done(
    tab: TabRef,
    id: String,
    done: bool,
    shell: State<'_, Shell>,
) -> Answer<Task> {
    let status = if done {
        TaskStatus::Done
    } else {
        TaskStatus::Open
    };
    let request = UpdateTaskRequest {
        status: Some(status),
        ..UpdateTaskRequest::default()
    };
    tab_call!(shell, &tab, |s| s
        .client
        .update_task(&s.access, &s.address, &id, &request))
}

#[tauri::command]
pub async fn delete_task(tab: TabRef, id: String, shell: State<'_, Shell>) -> Answer<()> {
    tab_call!(shell, &tab, |s| s
        .client
        .delete_task(&s.access, &s.address, &id))
}

/// Renames the account (a new address) and/or its display name; the tab follows by id.
#[tauri::command]
pub async fn update_account(
    tab: TabRef,
    request: UpdateAccountRequest,
    shell: State<'_, Shell>,
) -> Answer<AccountView> {
    let account = tab_call!(shell, &tab, |s| s
        .client
        .update_account(&s.access, &s.address, &request))?;
    let tab = shell.desktop().await?.follow(&tab, &account).await?;
    let role = Role::Admin;
    Ok(AccountView { account, role, tab })
}

#[tauri::command]
pub async fn configure_sso(tab: TabRef, config: SsoConfig, shell: State<'_, Shell>) -> Answer<()> {
    tab_call!(shell, &tab, |s| s
        .client
        .configure_sso(&s.access, &s.address, &config))?;
    Ok(())
}
