//! `/api/v1/accounts/{address}/tasks`.

use super::extract::{InAccount, Json, Query};
use super::paging::next_page;
use crate::error::AppResult;
use crate::state::AppState;
use crate::tasks;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use lanyard_core::api::{CreateTaskRequest, Problem, Task, TaskStatus, UpdateTaskRequest};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    status: Option<TaskStatus>,
    /// An employee id, or `me` for the caller.
    assignee: Option<String>,
    cursor: Option<String>,
    /// Page size, 1–500 (default 100; others are clamped).
    #[param(format = Int64, minimum = 0, maximum = 4294967295_u64)]
    limit: Option<u32>,
}

/// The account's tasks, a page at a time (`Link` header to the next page).
#[utoipa::path(get, path = "/api/v1/accounts/{address}/tasks", tag = "tasks", security(("bearer" = [])),
    params(("address" = String, Path), ListQuery),
    responses((status = 200, body = [Task]), (status = 403, description = "`no_access`", body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    InAccount(caller): InAccount,
    Path(address): Path<String>,
    Query(query): Query<ListQuery>,
) -> AppResult<(HeaderMap, axum::Json<Vec<Task>>)> {
    let filter = tasks::Query {
        status: query.status,
        assignee: query.assignee.as_deref(),
        cursor: query.cursor.as_deref(),
        limit: query.limit,
    };
    let (page, next) = tasks::list(&state, &caller, &address, &filter).await?;
    let path = format!("api/v1/accounts/{address}/tasks");
    let assignee = query.assignee.as_deref().map(|a| ("assignee", a));
    Ok((
        next_page(&state, &path, next, query.limit, assignee),
        axum::Json(page),
    ))
}

/// Create a task.
#[utoipa::path(post, path = "/api/v1/accounts/{address}/tasks", tag = "tasks", security(("bearer" = [])),
    params(("address" = String, Path)), request_body = CreateTaskRequest,
    responses((status = 201, body = Task), (status = 422, description = "`invalid_input`", body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    InAccount(caller): InAccount,
    Path(address): Path<String>,
    Json(request): Json<CreateTaskRequest>,
) -> AppResult<(StatusCode, axum::Json<Task>)> {
    let task = tasks::create(&state, &caller, &address, &request).await?;
    Ok((StatusCode::CREATED, axum::Json(task)))
}

/// Change a task's status, title or assignee.
#[utoipa::path(patch, path = "/api/v1/accounts/{address}/tasks/{id}", tag = "tasks", security(("bearer" = [])),
    params(("address" = String, Path), ("id" = String, Path)), request_body = UpdateTaskRequest,
    responses((status = 200, body = Task), (status = 404, description = "`not_found`", body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    InAccount(caller): InAccount,
    Path((address, id)): Path<(String, String)>,
    Json(request): Json<UpdateTaskRequest>,
) -> AppResult<axum::Json<Task>> {
    tasks::update(&state, &caller, &address, &id, &request)
        .await
        .map(axum::Json)
}

/// Delete a task.
#[utoipa::path(delete, path = "/api/v1/accounts/{address}/tasks/{id}", tag = "tasks", security(("bearer" = [])),
    params(("address" = String, Path), ("id" = String, Path)),
    responses((status = 204, description = "Deleted"), (status = 404, description = "`not_found`", body = Problem)))]
pub async fn delete(
    State(state): State<AppState>,
    InAccount(caller): InAccount,
    Path((address, id)): Path<(String, String)>,
) -> AppResult<StatusCode> {
    tasks::delete(&state, &caller, &address, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
