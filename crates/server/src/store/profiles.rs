//! The `profiles` table.

use super::{Db, is_unique_violation, millis};
use chrono::{DateTime, Utc};
use sqlx::FromRow;

#[derive(Debug, Clone, FromRow)]
pub struct ProfileRow {
    pub id: String,
    pub email: Option<String>,
    pub email_verified_at: Option<i64>,
    pub phone: Option<String>,
    pub phone_verified_at: Option<i64>,
    pub password_hash: Option<String>,
    pub first_name: String,
    pub last_name: String,
    pub photo_url: Option<String>,
}

const COLUMNS: &str = "id, email, email_verified_at, phone, phone_verified_at, password_hash, \
                       first_name, last_name, photo_url";

pub struct NewProfile<'a> {
    pub id: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    /// None for a profile made by a social sign-in.
    pub password_hash: Option<&'a str>,
    pub email_verified: bool,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub now: DateTime<Utc>,
}

/// Why an insert was refused.
#[derive(Debug, PartialEq, Eq)]
pub enum Taken {
    Email,
    Phone,
}

pub async fn insert(db: &Db, new: &NewProfile<'_>) -> Result<Result<(), Taken>, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO profiles (id, email, phone, password_hash, first_name, last_name, created_at, email_verified_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8 = 1 THEN $7 END)",
    )
    .bind(new.id)
    .bind(new.email)
    .bind(new.phone)
    .bind(new.password_hash)
    .bind(new.first_name)
    .bind(new.last_name)
    .bind(millis(new.now))
    .bind(i64::from(new.email_verified))
    .execute(&db.pool)
    .await;
    match result {
        Ok(_) => Ok(Ok(())),
        // Which column clashed: ask, rather than parse the backend's message.
        Err(e) if is_unique_violation(&e) => match new.email {
            Some(email) if by_email(db, email).await?.is_some() => Ok(Err(Taken::Email)),
            _ => Ok(Err(Taken::Phone)),
        },
        Err(e) => Err(e),
    }
}

pub async fn by_id(db: &Db, id: &str) -> Result<Option<ProfileRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM profiles WHERE id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

pub async fn by_email(db: &Db, email: &str) -> Result<Option<ProfileRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM profiles WHERE email = $1"))
        .bind(email)
        .fetch_optional(&db.pool)
        .await
}

pub async fn by_phone(db: &Db, phone: &str) -> Result<Option<ProfileRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM profiles WHERE phone = $1"))
        .bind(phone)
        .fetch_optional(&db.pool)
        .await
}

/// Marks `email` proved, if it is still the profile's; `false` otherwise.
pub async fn mark_email_verified(
    db: &Db,
    id: &str,
    email: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE profiles SET email_verified_at = COALESCE(email_verified_at, $3) WHERE id = $1 AND email = $2",
    )
    .bind(id)
    .bind(email)
    .bind(millis(now))
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks `phone` proved, if it is still the profile's; `false` otherwise.
pub async fn mark_phone_verified(
    db: &Db,
    id: &str,
    phone: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE profiles SET phone_verified_at = COALESCE(phone_verified_at, $3) WHERE id = $1 AND phone = $2",
    )
    .bind(id)
    .bind(phone)
    .bind(millis(now))
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Makes `email` the verified login. `Ok(false)` when another profile holds it.
pub async fn set_email(
    db: &Db,
    id: &str,
    email: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let result =
        sqlx::query("UPDATE profiles SET email = $2, email_verified_at = $3 WHERE id = $1")
            .bind(id)
            .bind(email)
            .bind(millis(now))
            .execute(&db.pool)
            .await;
    match result {
        Ok(_) => Ok(true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

pub async fn set_password_hash(db: &Db, id: &str, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE profiles SET password_hash = $2 WHERE id = $1")
        .bind(id)
        .bind(hash)
        .execute(&db.pool)
        .await
        .map(|_| ())
}

pub async fn set_names_and_photo(
    db: &Db,
    id: &str,
    first_name: &str,
    last_name: &str,
    photo_url: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE profiles SET first_name = $2, last_name = $3, photo_url = $4 WHERE id = $1")
        .bind(id)
        .bind(first_name)
        .bind(last_name)
        .bind(photo_url)
        .execute(&db.pool)
        .await
        .map(|_| ())
}

pub async fn delete(db: &Db, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM profiles WHERE id = $1")
        .bind(id)
        .execute(&db.pool)
        .await
        .map(|_| ())
}
