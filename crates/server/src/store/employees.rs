//! The `employees` table (invitations are employees with status `invited`) and
//! `invitation_tokens`. Rows are read with the bound profile's login beside them.

use super::{Db, millis};
use chrono::{DateTime, Utc};
use lanyard_core::policy::{Member, Role, Status};
use sqlx::{Any, FromRow, Transaction};

#[derive(Debug, Clone, FromRow)]
pub struct EmployeeRow {
    pub id: String,
    pub account_id: String,
    pub profile_id: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: Status,
    #[sqlx(try_from = "String")]
    pub role: Role,
    pub first_name: String,
    pub last_name: String,
    pub photo_url: Option<String>,
    pub contact_email: Option<String>,
    /// The bound profile's verified email and phone, for "signs in as".
    pub login_email: Option<String>,
    pub login_phone: Option<String>,
    /// The first identity linked to the profile, for "signs in with …".
    pub login_social: Option<String>,
}

impl EmployeeRow {
    pub fn member(&self) -> Member {
        Member {
            employee_id: self.id.clone(),
            role: self.role,
            status: self.status,
        }
    }
}

const SELECT: &str = "SELECT e.id, e.account_id, e.profile_id, e.status, e.role, e.first_name, e.last_name, \
     e.photo_url, e.contact_email, \
     CASE WHEN p.email_verified_at IS NOT NULL THEN p.email END AS login_email, \
     CASE WHEN p.phone_verified_at IS NOT NULL THEN p.phone END AS login_phone, \
     (SELECT i.provider FROM identities i WHERE i.profile_id = e.profile_id ORDER BY i.created_at LIMIT 1) AS login_social \
     FROM employees e LEFT JOIN profiles p ON p.id = e.profile_id";

pub struct NewEmployee<'a> {
    pub id: &'a str,
    pub account_id: &'a str,
    pub profile_id: Option<&'a str>,
    pub status: Status,
    pub role: Role,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub photo_url: Option<&'a str>,
    pub contact_email: Option<&'a str>,
    pub now: DateTime<Utc>,
}

pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    new: &NewEmployee<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO employees (id, account_id, profile_id, status, role, first_name, last_name, photo_url, \
         contact_email, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(new.id)
    .bind(new.account_id)
    .bind(new.profile_id)
    .bind(new.status.as_str())
    .bind(new.role.as_str())
    .bind(new.first_name)
    .bind(new.last_name)
    .bind(new.photo_url)
    .bind(new.contact_email)
    .bind(millis(new.now))
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// The profile's record in the account, if it has one.
pub async fn of_profile(
    db: &Db,
    account_id: &str,
    profile_id: &str,
) -> Result<Option<EmployeeRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE e.account_id = $1 AND e.profile_id = $2"
    ))
    .bind(account_id)
    .bind(profile_id)
    .fetch_optional(&db.pool)
    .await
}

pub async fn by_id(
    db: &Db,
    account_id: &str,
    id: &str,
) -> Result<Option<EmployeeRow>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE e.account_id = $1 AND e.id = $2"))
        .bind(account_id)
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// A page of the account's employees in id (creation) order, after the cursor `after`.
pub async fn page(
    db: &Db,
    account_id: &str,
    status: Option<Status>,
    after: Option<&str>,
    limit: u32,
) -> Result<Vec<EmployeeRow>, sqlx::Error> {
    let status_filter = if status.is_some() {
        "AND e.status = $3"
    } else {
        "AND $3 = ''"
    };
    sqlx::query_as(&format!(
        "{SELECT} WHERE e.account_id = $1 AND e.id > $2 {status_filter} ORDER BY e.id LIMIT $4"
    ))
    .bind(account_id)
    .bind(after.unwrap_or(""))
    .bind(status.map_or("", Status::as_str))
    .bind(i64::from(limit))
    .fetch_all(&db.pool)
    .await
}

/// Seats taken: active employees and pending invitations.
pub async fn seats_used(
    executor: impl sqlx::Executor<'_, Database = Any>,
    account_id: &str,
) -> Result<u64, sqlx::Error> {
    let used: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM employees WHERE account_id = $1 AND status IN ('active', 'invited')",
    )
    .bind(account_id)
    .fetch_one(executor)
    .await?;
    Ok(used.unsigned_abs())
}

pub async fn active_admins(
    executor: impl sqlx::Executor<'_, Database = Any>,
    account_id: &str,
) -> Result<u64, sqlx::Error> {
    let admins: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM employees WHERE account_id = $1 AND status = 'active' AND role = 'admin'",
    )
    .bind(account_id)
    .fetch_one(executor)
    .await?;
    Ok(admins.unsigned_abs())
}

/// Whether someone with this email is already invited, employed or dismissed here: by the
/// invitation's contact email or by the bound profile's login.
pub async fn has_person(db: &Db, account_id: &str, email: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT e.id FROM employees e LEFT JOIN profiles p ON p.id = e.profile_id \
         WHERE e.account_id = $1 AND (e.contact_email = $2 OR p.email = $2) LIMIT 1",
    )
    .bind(account_id)
    .bind(email)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

pub async fn set_status(
    executor: impl sqlx::Executor<'_, Database = Any>,
    id: &str,
    status: Status,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE employees SET status = $2 WHERE id = $1")
        .bind(id)
        .bind(status.as_str())
        .execute(executor)
        .await
        .map(|_| ())
}

pub async fn set_contact_email(db: &Db, id: &str, email: Option<&str>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE employees SET contact_email = $2 WHERE id = $1")
        .bind(id)
        .bind(email)
        .execute(&db.pool)
        .await
        .map(|_| ())
}

/// Binds an invitation to the accepting profile and makes it active, taking the profile's
/// names and photo where the record has none. `false` if the profile already has a record
/// in the account.
pub async fn bind(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    profile_id: &str,
) -> Result<bool, sqlx::Error> {
    let bound = sqlx::query(
        "UPDATE employees SET profile_id = $2, status = 'active', \
         first_name = CASE WHEN first_name = '' THEN (SELECT first_name FROM profiles WHERE id = $2) ELSE first_name END, \
         last_name = CASE WHEN last_name = '' THEN (SELECT last_name FROM profiles WHERE id = $2) ELSE last_name END, \
         photo_url = COALESCE(photo_url, (SELECT photo_url FROM profiles WHERE id = $2)) \
         WHERE id = $1 AND status = 'invited'",
    )
    .bind(id)
    .bind(profile_id)
    .execute(&mut **tx)
    .await;
    match bound {
        Ok(done) => Ok(done.rows_affected() == 1),
        Err(e) if super::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

pub async fn delete(db: &Db, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM employees WHERE id = $1 AND status = 'invited'")
        .bind(id)
        .execute(&db.pool)
        .await
        .map(|_| ())
}

/// Copies the profile's names and photo onto all of its employee records.
pub async fn copy_profile(
    executor: impl sqlx::Executor<'_, Database = Any>,
    profile_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE employees SET first_name = p.first_name, last_name = p.last_name, photo_url = p.photo_url \
         FROM profiles p WHERE p.id = $1 AND employees.profile_id = $1",
    )
    .bind(profile_id)
    .execute(executor)
    .await
    .map(|_| ())
}

/// Whether the profile is an active employee anywhere.
pub async fn is_active_anywhere(db: &Db, profile_id: &str) -> Result<bool, sqlx::Error> {
    let found: Option<String> = sqlx::query_scalar(
        "SELECT id FROM employees WHERE profile_id = $1 AND status = 'active' LIMIT 1",
    )
    .bind(profile_id)
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

/// The profile's memberships (any status but invited) with their accounts.
#[derive(Debug, FromRow)]
pub struct Membership {
    pub account_id: String,
    pub address: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub role: Role,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub employee_id: String,
}

pub async fn memberships(db: &Db, profile_id: &str) -> Result<Vec<Membership>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id AS account_id, a.address, a.name, e.role, e.status, e.id AS employee_id \
         FROM employees e JOIN accounts a ON a.id = e.account_id \
         WHERE e.profile_id = $1 AND e.status = 'active' ORDER BY a.address",
    )
    .bind(profile_id)
    .fetch_all(&db.pool)
    .await
}

/// Pending invitations sent to `email`.
pub async fn invitations_to(db: &Db, email: &str) -> Result<Vec<Membership>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id AS account_id, a.address, a.name, e.role, e.status, e.id AS employee_id \
         FROM employees e JOIN accounts a ON a.id = e.account_id \
         WHERE e.contact_email = $1 AND e.status = 'invited' AND e.profile_id IS NULL ORDER BY a.address",
    )
    .bind(email)
    .fetch_all(&db.pool)
    .await
}

pub async fn insert_token(
    executor: impl sqlx::Executor<'_, Database = Any>,
    hash: &str,
    employee_id: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO invitation_tokens (token_hash, employee_id, expires_at) VALUES ($1, $2, $3)",
    )
    .bind(hash)
    .bind(employee_id)
    .bind(millis(expires_at))
    .execute(executor)
    .await
    .map(|_| ())
}

/// The invitation a live token is for.
pub async fn by_token(
    db: &Db,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<EmployeeRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} JOIN invitation_tokens t ON t.employee_id = e.id WHERE t.token_hash = $1 AND t.expires_at > $2"
    ))
    .bind(hash)
    .bind(millis(now))
    .fetch_optional(&db.pool)
    .await
}

/// Spends every token of an invitation (it was accepted or withdrawn).
pub async fn drop_tokens(
    executor: impl sqlx::Executor<'_, Database = Any>,
    employee_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM invitation_tokens WHERE employee_id = $1")
        .bind(employee_id)
        .execute(executor)
        .await
        .map(|_| ())
}
