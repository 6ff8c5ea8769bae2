//! The `tasks` table: an account's shared work items.

use super::{Db, millis, time};
use chrono::{DateTime, Utc};
use lanyard_core::api::{Task, TaskStatus};
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct TaskRow {
    pub id: String,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub status: TaskStatus,
    pub assignee_id: Option<String>,
    pub created_by: String,
    pub created_at: i64,
}

impl TaskRow {
    pub fn view(self) -> Task {
        Task {
            status: self.status,
            created_at: time(self.created_at),
            id: self.id,
            title: self.title,
            assignee_id: self.assignee_id,
            created_by: self.created_by,
        }
    }
}

const COLUMNS: &str = "id, title, status, assignee_id, created_by, created_at";

pub struct NewTask<'a> {
    pub id: &'a str,
    pub account_id: &'a str,
    pub title: &'a str,
    pub assignee_id: Option<&'a str>,
    pub created_by: &'a str,
    pub now: DateTime<Utc>,
}

pub async fn insert(db: &Db, new: &NewTask<'_>) -> Result<TaskRow, sqlx::Error> {
    sqlx::query_as(&format!(
        "INSERT INTO tasks (id, account_id, title, assignee_id, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}"
    ))
    .bind(new.id)
    .bind(new.account_id)
    .bind(new.title)
    .bind(new.assignee_id)
    .bind(new.created_by)
    .bind(millis(new.now))
    .fetch_all(&db.pool)
    .await
    .and_then(|rows| super::first(rows).ok_or(sqlx::Error::RowNotFound))
}

/// Which tasks a page holds.
pub struct Filter<'a> {
    pub status: Option<TaskStatus>,
    pub assignee_id: Option<&'a str>,
    pub after: Option<&'a str>,
    pub limit: u32,
}

pub async fn page(
    db: &Db,
    account_id: &str,
    filter: &Filter<'_>,
) -> Result<Vec<TaskRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM tasks WHERE account_id = $1 AND id > $2 \
         AND ($3 = '' OR status = $3) AND ($4 = '' OR assignee_id = $4) ORDER BY id LIMIT $5"
    ))
    .bind(account_id)
    .bind(filter.after.unwrap_or(""))
    .bind(filter.status.map_or("", TaskStatus::as_str))
    .bind(filter.assignee_id.unwrap_or(""))
    .bind(i64::from(filter.limit))
    .fetch_all(&db.pool)
    .await
}

pub async fn by_id(db: &Db, account_id: &str, id: &str) -> Result<Option<TaskRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM tasks WHERE account_id = $1 AND id = $2"
    ))
    .bind(account_id)
    .bind(id)
    .fetch_optional(&db.pool)
    .await
}

pub async fn update(db: &Db, row: &TaskRow) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tasks SET title = $2, status = $3, assignee_id = $4 WHERE id = $1")
        .bind(&row.id)
        .bind(&row.title)
        .bind(row.status.as_str())
        .bind(row.assignee_id.as_deref())
        .execute(&db.pool)
        .await
        .map(|_| ())
}

pub async fn delete(db: &Db, account_id: &str, id: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM tasks WHERE account_id = $1 AND id = $2")
        .bind(account_id)
        .bind(id)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Titles of the tasks assigned to an employee.
pub async fn titles_assigned_to(db: &Db, employee_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT title FROM tasks WHERE assignee_id = $1 ORDER BY id")
        .bind(employee_id)
        .fetch_all(&db.pool)
        .await
}
