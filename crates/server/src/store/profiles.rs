//! The `profiles` table.

use super::columns::{Columns, FromColumns, from_row_by_columns};
use super::{Db, is_unique_violation, millis};
use chrono::{DateTime, Utc};
use lanyard_core::Language;
use lanyard_core::values::Email;

#[derive(Debug, Clone)]
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
    /// `en` or `ru`, once chosen.
    pub language: Option<String>,
}

impl FromColumns for ProfileRow {
    fn from_columns(row: &impl Columns) -> Result<Self, sqlx::Error> {
        Ok(ProfileRow {
            id: row.get("id")?,
            email: row.get("email")?,
            email_verified_at: row.get("email_verified_at")?,
            phone: row.get("phone")?,
            phone_verified_at: row.get("phone_verified_at")?,
            password_hash: row.get("password_hash")?,
            first_name: row.get("first_name")?,
            last_name: row.get("last_name")?,
            photo_url: row.get("photo_url")?,
            language: row.get("language")?,
        })
    }
}
from_row_by_columns!(ProfileRow);

impl ProfileRow {
    /// The language its mails and SMS are written in: the one chosen, else English.
    pub fn language(&self) -> Language {
        self.chosen_language().unwrap_or_default()
    }

    pub fn chosen_language(&self) -> Option<Language> {
        self.language
            .as_deref()
            .and_then(|l| Language::parse(l).ok())
    }

    /// The login email once it is proved: where security notices go.
    pub fn proved_email(&self) -> Option<Email> {
        let email = self
            .email
            .as_deref()
            .filter(|_| self.email_verified_at.is_some())?;
        Email::parse(email).ok()
    }
}

const COLUMNS: &str = "id, email, email_verified_at, phone, phone_verified_at, password_hash, \
                       first_name, last_name, photo_url, language";

pub struct NewProfile<'a> {
    pub id: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    /// None for a profile made by a social sign-in.
    pub password_hash: Option<&'a str>,
    pub email_verified: bool,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub language: Option<Language>,
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
        "INSERT INTO profiles (id, email, phone, password_hash, first_name, last_name, created_at, email_verified_at, language) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $8 = 1 THEN $7 END, $9)",
    )
    .bind(new.id)
    .bind(new.email)
    .bind(new.phone)
    .bind(new.password_hash)
    .bind(new.first_name)
    .bind(new.last_name)
    .bind(millis(new.now))
    .bind(i64::from(new.email_verified))
    .bind(new.language.map(Language::as_str))
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

/// Ends everything pending for the profile after its password was reset or changed or its
/// login email confirmed: every live one-time link or code (whatever its purpose, so an
/// intruder's email change cannot be finished), every identity waiting to be linked, and
/// every session but `keep`. One transaction, so no half-ended state is ever visible.
/// Returns the sessions it ended.
pub async fn end_pending_changes(
    db: &Db,
    id: &str,
    keep: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<String>, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    for statement in [
        "UPDATE one_time_tokens SET used_at = $2 WHERE profile_id = $1 AND used_at IS NULL",
        "UPDATE pending_links SET used_at = $2 WHERE profile_id = $1 AND used_at IS NULL",
    ] {
        sqlx::query(statement)
            .bind(id)
            .bind(millis(now))
            .execute(&mut *tx)
            .await?;
    }
    let ended = sqlx::query_scalar(
        "UPDATE sessions SET revoked_at = $3 WHERE profile_id = $1 AND revoked_at IS NULL AND id <> $2 \
         RETURNING id",
    )
    .bind(id)
    .bind(keep.unwrap_or("")) // ids are never empty
    .bind(millis(now))
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(ended)
}

/// Removes the ways in that were added while the profile had no proved email: its phone and
/// its linked identities. Called when the mailbox owner proves the email through recovery, so
/// whoever registered that email first with a phone or a social identity of their own does
/// not keep a way into the owner's profile.
pub async fn forget_unproved_ways_in(db: &Db, id: &str) -> Result<(), sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    sqlx::query("UPDATE profiles SET phone = NULL, phone_verified_at = NULL WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM identities WHERE profile_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Drops every unverified claim to `value` (an email or a phone): someone just proved it, and
/// an unproved value reserves nothing.
pub async fn drop_unverified(db: &Db, column: LoginColumn, value: &str) -> Result<(), sqlx::Error> {
    let (value_column, proved_column) = column.names();
    sqlx::query(&format!(
        "UPDATE profiles SET {value_column} = NULL WHERE {value_column} = $1 AND {proved_column} IS NULL"
    ))
    .bind(value)
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// Takes `email` off the profile if it is its unproved login: the mailbox's owner said the
/// registration was not theirs.
pub async fn disown_unproved_email(
    db: &Db,
    profile_id: &str,
    email: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE profiles SET email = NULL WHERE id = $1 AND email = $2 AND email_verified_at IS NULL",
    )
    .bind(profile_id)
    .bind(email)
    .execute(&db.pool)
    .await
    .map(|_| ())
}

/// A login column: the email or the phone number, each with the time it was proved.
#[derive(Debug, Clone, Copy)]
pub enum LoginColumn {
    Email,
    Phone,
}

impl LoginColumn {
    fn names(self) -> (&'static str, &'static str) {
        match self {
            LoginColumn::Email => ("email", "email_verified_at"),
            LoginColumn::Phone => ("phone", "phone_verified_at"),
        }
    }
}

/// The profile proved `value` (a link followed, a code entered): it becomes its login, and
/// every other profile's unproved claim to it is dropped, in one transaction. `false` when
/// another profile proved it first, or the profile holds another value there already.
pub async fn claim(
    db: &Db,
    id: &str,
    column: LoginColumn,
    value: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let (value_column, proved_column) = column.names();
    let mut tx = db.pool.begin().await?;
    sqlx::query(&format!(
        "UPDATE profiles SET {value_column} = NULL \
         WHERE {value_column} = $1 AND {proved_column} IS NULL AND id <> $2"
    ))
    .bind(value)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let claimed = sqlx::query(&format!(
        "UPDATE profiles SET {value_column} = $2, {proved_column} = COALESCE({proved_column}, $3) \
         WHERE id = $1 AND ({value_column} IS NULL OR {value_column} = $2)"
    ))
    .bind(id)
    .bind(value)
    .bind(millis(now))
    .execute(&mut *tx)
    .await;
    match claimed {
        Ok(done) if done.rows_affected() == 1 => {
            tx.commit().await?;
            Ok(true)
        }
        Ok(_) => Ok(false),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Makes `value` the profile's proved login in `column` (replacing the one there).
/// `Ok(false)` when another profile holds it.
pub async fn set_login(
    db: &Db,
    id: &str,
    column: LoginColumn,
    value: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let (value_column, proved_column) = column.names();
    let result = sqlx::query(&format!(
        "UPDATE profiles SET {value_column} = $2, {proved_column} = $3 WHERE id = $1"
    ))
    .bind(id)
    .bind(value)
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

pub async fn set_language(db: &Db, id: &str, language: Language) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE profiles SET language = $2 WHERE id = $1")
        .bind(id)
        .bind(language.as_str())
        .execute(&db.pool)
        .await
        .map(|_| ())
}

/// The language of the profile whose login is `email`, if one has chosen it.
pub async fn language_of_login(db: &Db, email: &str) -> Result<Option<Language>, sqlx::Error> {
    let language: Option<Option<String>> =
        sqlx::query_scalar("SELECT language FROM profiles WHERE email = $1")
            .bind(email)
            .fetch_optional(&db.pool)
            .await?;
    Ok(language.flatten().and_then(|l| Language::parse(&l).ok()))
}

pub async fn delete(db: &Db, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM profiles WHERE id = $1")
        .bind(id)
        .execute(&db.pool)
        .await
        .map(|_| ())
}
