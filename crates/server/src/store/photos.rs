//! The `photos` table: the PNGs made of uploaded profile photos, and which of a profile's
//! photos are still shown somewhere.

use super::{Db, millis};
use chrono::{DateTime, Utc};
use sqlx::{Any, Executor};

/// The path a photo is served at, below the server's public URL.
pub const PATH: &str = "api/v1/photos/";

pub struct NewPhoto<'a> {
    pub id: &'a str,
    pub profile_id: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
    pub now: DateTime<Utc>,
}

pub async fn insert(
    executor: impl Executor<'_, Database = Any>,
    new: &NewPhoto<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO photos (id, profile_id, content_type, bytes, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new.id)
    .bind(new.profile_id)
    .bind(new.content_type)
    .bind(new.bytes)
    .bind(millis(new.now))
    .execute(executor)
    .await
    .map(|_| ())
}

/// The photo's content type and bytes.
pub async fn by_id(db: &Db, id: &str) -> Result<Option<(String, Vec<u8>)>, sqlx::Error> {
    sqlx::query_as("SELECT content_type, bytes FROM photos WHERE id = $1")
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// Sets the profile's `photo_url` (`None`: no photo).
pub async fn set_profile_photo(
    executor: impl Executor<'_, Database = Any>,
    profile_id: &str,
    photo_url: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE profiles SET photo_url = $2 WHERE id = $1")
        .bind(profile_id)
        .bind(photo_url)
        .execute(executor)
        .await
        .map(|_| ())
}

/// Deletes the profile's photos that nothing shows any more: neither the profile nor one of
/// its employee records has the photo's URL. A record keeps the photo it was given (by
/// `apply_to_accounts`, or on joining) after the profile moves on to another one, so a
/// replaced photo goes only once no record shows it either.
///
/// A URL is matched by its end, `/api/v1/photos/{id}`, not as a whole: the server's public
/// URL may have changed since it was stored (the desktop's embedded server gets a new port
/// each run), and a photo still shown must not go for that. (`_` in an id matches any
/// character in `LIKE`, which can only keep a photo, never delete one that is shown.)
pub async fn prune(
    executor: impl Executor<'_, Database = Any>,
    profile_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM photos WHERE profile_id = $1 \
         AND NOT EXISTS (SELECT 1 FROM profiles p WHERE p.id = $1 \
             AND p.photo_url LIKE ($2 || photos.id)) \
         AND NOT EXISTS (SELECT 1 FROM employees e WHERE e.profile_id = $1 \
             AND e.photo_url LIKE ($2 || photos.id))",
    )
    .bind(profile_id)
    .bind(format!("%/{PATH}"))
    .execute(executor)
    .await
    .map(|_| ())
}
