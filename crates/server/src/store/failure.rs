//! What a database error says about the database itself, rather than about one query: out of
//! reach, or unable to write. Both backends' codes are read here, beside the connection
//! set-up, so the HTTP layer (503s) and start-up (a plain message) classify them alike.

use sqlx::error::DatabaseError as _;

/// Whether `error` says the database is out of reach rather than that a query failed: the
/// connection broke or was refused, no connection came free in time, or PostgreSQL said it is
/// shutting down, starting up or out of connections (SQLSTATE class 08, 57P01–57P03, 53300).
pub fn unreachable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_) | sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed => true,
        sqlx::Error::Database(error) => error.code().is_some_and(|code| {
            code.starts_with("08") || matches!(code.as_ref(), "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    }
}

/// Whether `error` says the database cannot write (rather than that a query was wrong): its
/// disk is full (SQLite `SQLITE_FULL`, PostgreSQL 53100) or it is read-only (SQLite
/// `SQLITE_READONLY` and its extended codes, PostgreSQL 25006).
pub fn cannot_write(error: &sqlx::Error) -> bool {
    let sqlx::Error::Database(error) = error else {
        return false;
    };
    if let Some(sqlite) = error.try_downcast_ref::<sqlx::sqlite::SqliteError>() {
        // The primary result code is the low byte of an extended one.
        let code = sqlite.code().and_then(|code| code.parse::<u32>().ok());
        return code.is_some_and(|code| matches!(code & 0xff, 8 | 13));
    }
    // A SQLSTATE is five characters, often all digits: read as text, never as a number.
    error
        .code()
        .is_some_and(|code| matches!(code.as_ref(), "53100" | "25006"))
}
