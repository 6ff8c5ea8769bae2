//! The connections that read each authenticated request's session (with `GET /me`'s profile).
//! That read is the hottest statement of the server, and it must hit the database every time
//! so revocation is immediate on every replica. So it skips what the pool would add to it:
//! on SQLite the hand-offs to sqlx's worker threads (`inline`), on PostgreSQL the ping on
//! every release (`leased`).

mod inline;
mod leased;

use super::columns::FromColumns;
use std::path::PathBuf;

#[derive(Debug)]
pub enum Readers {
    Sqlite(inline::Readers),
    Postgres(leased::Readers),
}

/// PostgreSQL readers beside the pool: each read is one round trip, so a few suffice.
const POSTGRES_READERS: usize = 8;

impl Readers {
    /// Readers of the SQLite database in `file`.
    pub fn sqlite(file: PathBuf) -> Readers {
        Readers::Sqlite(inline::Readers::new(file))
    }

    /// Readers of the PostgreSQL database at `url`.
    pub fn postgres(url: String) -> Readers {
        Readers::Postgres(leased::Readers::new(url, POSTGRES_READERS))
    }

    /// Every row of `sql` with `$1` bound to `key`.
    pub async fn rows<R>(&self, sql: &'static str, key: &str) -> Result<Vec<R>, sqlx::Error>
    where
        R: FromColumns + Send + 'static,
    {
        match self {
            Readers::Sqlite(readers) => readers.rows(sql, key).await,
            Readers::Postgres(readers) => readers
                .fetch_all(sqlx::query(sql).bind(key))
                .await?
                .iter()
                .map(R::from_columns)
                .collect(),
        }
    }

    /// Closes the idle connections; reads from now on fail as from a closed pool.
    pub async fn close(&self) {
        match self {
            Readers::Sqlite(readers) => readers.close(),
            Readers::Postgres(readers) => readers.close().await,
        }
    }
}
