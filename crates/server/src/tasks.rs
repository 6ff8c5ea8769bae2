//! Tasks: the account's shared work items, for its active members.

use crate::error::AppResult;
use crate::events;
use crate::paging;
use crate::scope::{Scope, scope};
use crate::session::Caller;
use crate::state::AppState;
use crate::store::employees::{self, EmployeeRow};
use crate::store::tasks::{self, Filter, NewTask};
use lanyard_core::Error;
use lanyard_core::api::{CreateTaskRequest, Event, Task, TaskStatus, UpdateTaskRequest};
use lanyard_core::policy::Status;
use lanyard_core::values::TaskTitle;
use tracing::instrument;

/// An assignee must be an employee of the same account who is not dismissed.
async fn assignee(
    state: &AppState,
    scope: &Scope,
    id: Option<&str>,
) -> AppResult<Option<EmployeeRow>> {
    let Some(id) = id else { return Ok(None) };
    match employees::by_id(&state.db, &scope.account.id, id).await? {
        Some(row) if row.member().status != Status::Dismissed => Ok(Some(row)),
        _ => Err(Error::invalid("assignee_id", "invalid-assignee").into()),
    }
}

/// Tells the person a task was just given to (`to`, the record `assignee` read), unless they
/// gave it to themselves.
async fn tell_assignee(
    state: &AppState,
    scope: &Scope,
    caller: &Caller,
    task: &Task,
    to: &EmployeeRow,
) {
    if let Some(profile_id) = to
        .profile_id
        .as_ref()
        .filter(|id| caller.profile_id != **id)
    {
        let event = Event::TaskAssigned {
            account: scope.account.reference(),
            task_id: task.id.clone(),
            title: task.title.clone(),
        };
        events::publish(state, profile_id, event).await;
    }
}

/// Which tasks to list: by status, by assignee (`me` for the caller), a page at a time.
pub struct Query<'a> {
    pub status: Option<TaskStatus>,
    pub assignee: Option<&'a str>,
    pub cursor: Option<&'a str>,
    pub limit: Option<u32>,
}

#[instrument(skip_all)]
pub async fn list(
    state: &AppState,
    caller: &Caller,
    address: &str,
    query: &Query<'_>,
) -> AppResult<(Vec<Task>, Option<String>)> {
    let scope = scope(state, caller, address).await?;
    let me = scope.member()?;
    let assignee = match query.assignee {
        Some("me") => Some(me.employee_id.as_str()),
        other => other,
    };
    let limit = paging::limit(query.limit);
    let filter = Filter {
        status: query.status,
        assignee_id: assignee,
        after: query.cursor,
        limit,
    };
    let rows = tasks::page(&state.db, &scope.account.id, &filter).await?;
    let next = paging::next_cursor(&rows, limit, |row| &row.id);
    Ok((rows.into_iter().map(tasks::TaskRow::view).collect(), next))
}

#[instrument(skip_all)]
pub async fn create(
    state: &AppState,
    caller: &Caller,
    address: &str,
    request: &CreateTaskRequest,
) -> AppResult<Task> {
    let scope = scope(state, caller, address).await?;
    let me = scope.member()?;
    let title = TaskTitle::parse(&request.title)?;
    let assignee = assignee(state, &scope, request.assignee_id.as_deref()).await?;
    let new = NewTask {
        id: &state.new_id(),
        account_id: &scope.account.id,
        title: title.as_str(),
        assignee_id: assignee.as_ref().map(|row| row.id.as_str()),
        created_by: &me.employee_id,
        now: state.clock.now(),
    };
    let task = tasks::insert(&state.db, &new).await?.view();
    if let Some(to) = &assignee {
        tell_assignee(state, &scope, caller, &task, to).await;
    }
    Ok(task)
}

#[instrument(skip_all)]
pub async fn update(
    state: &AppState,
    caller: &Caller,
    address: &str,
    task_id: &str,
    request: &UpdateTaskRequest,
) -> AppResult<Task> {
    let scope = scope(state, caller, address).await?;
    scope.member()?;
    let mut row = tasks::by_id(&state.db, &scope.account.id, task_id)
        .await?
        .ok_or(Error::NotFound)?;
    if let Some(raw) = &request.title {
        row.title = TaskTitle::parse(raw)?.into_string();
    }
    if let Some(status) = request.status {
        row.status = status;
    }
    // The new assignee's record, when the task changes hands.
    let mut given_to = None;
    if let Some(id) = &request.assignee_id {
        let new = assignee(state, &scope, id.as_deref()).await?;
        let changed = new.as_ref().map(|to| &to.id) != row.assignee_id.as_ref();
        row.assignee_id = new.as_ref().map(|to| to.id.clone());
        given_to = new.filter(|_| changed);
    }
    tasks::update(&state.db, &row).await?;
    let task = row.view();
    if let Some(to) = &given_to {
        tell_assignee(state, &scope, caller, &task, to).await;
    }
    Ok(task)
}

#[instrument(skip_all)]
pub async fn delete(
    state: &AppState,
    caller: &Caller,
    address: &str,
    task_id: &str,
) -> AppResult<()> {
    let scope = scope(state, caller, address).await?;
    scope.member()?;
    if tasks::delete(&state.db, &scope.account.id, task_id).await? {
        Ok(())
    } else {
        Err(Error::NotFound.into())
    }
}
