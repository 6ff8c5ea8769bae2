//! Persistence. One set of queries and one migration history serve SQLite and PostgreSQL
//! through sqlx's `Any` driver: the SQL we need (standard DDL types, `$n` parameters,
//! `RETURNING`, `ON CONFLICT`, partial indexes, `UPDATE … FROM`) is the same in both, so a
//! second copy per backend would only be a place for the two to drift. What differs
//! (connection set-up) lives here; should a migration ever need backend-specific DDL, the
//! folder splits then. Times are stored as Unix milliseconds, ids as text.

pub mod accounts;
mod columns;
pub mod employees;
pub mod events;
pub mod failure;
pub mod limits;
pub mod one_time;
pub mod photos;
pub mod profiles;
pub mod qr;
mod readers;
pub mod sessions;
pub mod settings;
mod setup;
pub mod sign_ins;
pub mod sso;
pub mod tasks;

use chrono::{DateTime, Utc};
use setup::{Backend, PING_AFTER_IDLE, prepare_sqlite};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Connection};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// The database, whichever backend it is.
#[derive(Debug, Clone)]
pub struct Db {
    pub pool: AnyPool,
    /// For the session read of every authenticated request (see `readers`).
    readers: Arc<readers::Readers>,
    backend: Backend,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// Names the scheme only: the rest of the URL may hold a password.
    #[error("--database must start with sqlite:// or postgres://, not {0}://")]
    UnknownScheme(String),
    #[error("cannot open the database: {0}")]
    Open(sqlx::Error),
    /// Read-only, or its disk full: start-up is where an operator meets it first (opening a
    /// SQLite file in WAL mode and checking the migrations both write).
    #[error(
        "the database cannot be written to (it is read-only, or its disk is full), and \
         lanyard-server must write to it: {0}"
    )]
    CannotWrite(sqlx::Error),
    #[error("cannot migrate the database: {0}")]
    Migrate(sqlx::migrate::MigrateError),
}

/// A SQLite file this process may not write to (a read-only disk, its permissions), refused
/// at once and saying so: SQLite itself says only "unable to open database file" (in WAL
/// mode even a reader writes), and sqlx's pool retries that for its whole acquire timeout.
fn refuse_unwritable_file(file: &Path) -> Result<(), ConnectError> {
    match std::fs::OpenOptions::new().write(true).open(file) {
        Err(error)
            if matches!(
                error.kind(),
                std::io::ErrorKind::ReadOnlyFilesystem | std::io::ErrorKind::PermissionDenied
            ) =>
        {
            Err(ConnectError::CannotWrite(sqlx::Error::Io(error)))
        }
        // Missing (created next), or some other trouble SQLite will name itself.
        _ => Ok(()),
    }
}

/// The file a `sqlite:` URL names.
fn sqlite_file(url: &str) -> Result<PathBuf, ConnectError> {
    let options: sqlx::sqlite::SqliteConnectOptions = url.parse()?;
    Ok(options.get_filename().to_owned())
}

impl From<sqlx::Error> for ConnectError {
    fn from(error: sqlx::Error) -> Self {
        if failure::cannot_write(&error) {
            ConnectError::CannotWrite(error)
        } else {
            ConnectError::Open(error)
        }
    }
}

impl From<sqlx::migrate::MigrateError> for ConnectError {
    fn from(error: sqlx::migrate::MigrateError) -> Self {
        match error {
            sqlx::migrate::MigrateError::Execute(error)
            | sqlx::migrate::MigrateError::ExecuteMigration(error, _)
                if failure::cannot_write(&error) =>
            {
                ConnectError::CannotWrite(error)
            }
            error => ConnectError::Migrate(error),
        }
    }
}

/// Why no backup was written.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Connect(#[from] ConnectError),
    #[error("{0} exists already: a backup never overwrites a file")]
    Exists(PathBuf),
    #[error("a PostgreSQL database is backed up with pg_dump (docs/deployment.md)")]
    Postgres,
    #[error("writing the backup: {0}")]
    Write(#[from] sqlx::Error),
}

impl Db {
    /// Opens (creating a SQLite file if needed) and migrates the database.
    pub async fn connect(url: &str) -> Result<Db, ConnectError> {
        install_default_drivers();
        let (backend, url) = if url.starts_with("sqlite:") {
            // mode=rwc creates the file on first start.
            let url = if url.contains('?') {
                url.to_owned()
            } else {
                format!("{url}?mode=rwc")
            };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            (Backend::Postgres, url.to_owned())
        } else {
            let scheme = url.split_once("://").map_or("", |(scheme, _)| scheme);
            let scheme = scheme.chars().filter(char::is_ascii_alphanumeric).take(20);
            return Err(ConnectError::UnknownScheme(scheme.collect()));
        };
        // sqlx pings every connection as it comes back to the pool; by default it pings it
        // again as it leaves. Each ping is a hand-off to SQLite's worker thread or a
        // PostgreSQL round trip, as dear as a small query, so the second is made only where
        // it can find something (below).
        let options = AnyPoolOptions::new()
            .acquire_timeout(Duration::from_secs(10))
            .test_before_acquire(false);
        // Session readers open their connections as reads need them, so they may be made
        // before the migrations run.
        let (pool, readers) = match backend {
            // A SQLite file does not hang up on an idle connection.
            Backend::Sqlite => {
                let file = sqlite_file(&url)?;
                refuse_unwritable_file(&file)?;
                let pool = options
                    .max_connections(8)
                    .after_connect(|conn, _| Box::pin(prepare_sqlite(conn)))
                    .connect(&url)
                    .await?;
                (pool, readers::Readers::sqlite(file))
            }
            // A connection idle for a while may have lost its server (a restart, a proxy's
            // idle timeout): pinged, a dead one is replaced before a request meets it. Under
            // load connections are idle for microseconds, and were pinged on their return.
            Backend::Postgres => {
                let pool = options
                    .max_connections(16)
                    .before_acquire(|conn, meta| {
                        Box::pin(async move {
                            if meta.idle_for >= PING_AFTER_IDLE {
                                conn.ping().await?;
                            }
                            Ok(true)
                        })
                    })
                    .connect(&url)
                    .await?;
                (pool, readers::Readers::postgres(url))
            }
        };
        MIGRATIONS.run(&pool).await?;
        let readers = Arc::new(readers);
        Ok(Db {
            pool,
            readers,
            backend,
        })
    }

    /// Closes every connection, the pool's and the readers'.
    pub async fn close(&self) {
        self.readers.close().await;
        self.pool.close().await;
    }

    /// Writes a copy of a SQLite database to `path`, also while it serves: SQLite's
    /// `VACUUM INTO` reads the database in one transaction, so the copy is one moment of it
    /// (compacted), and writers go on meanwhile.
    pub async fn backup_to(&self, path: &Path) -> Result<(), BackupError> {
        if self.backend == Backend::Postgres {
            return Err(BackupError::Postgres);
        }
        if path.exists() {
            return Err(BackupError::Exists(path.to_owned()));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(path.to_string_lossy().into_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// `GET /healthz`: the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

/// A time as stored: Unix milliseconds.
pub fn millis(time: DateTime<Utc>) -> i64 {
    time.timestamp_millis()
}

/// A stored time back as a `DateTime`; out-of-range values (never written by us) clamp to the epoch.
pub fn time(millis: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

/// The first row a write's `RETURNING` gave, its rows read to the end (`fetch_all`, never
/// `fetch_one`/`fetch_optional`, which stop after the first row): on SQLite a statement
/// outside a transaction commits at its last step, so a commit that fails (a full disk, a
/// read-only file) would go unseen and the write be reported done while nothing was kept.
pub fn first<T>(rows: Vec<T>) -> Option<T> {
    rows.into_iter().next()
}

/// True when the error is a unique-constraint violation (an email or address already taken).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}
