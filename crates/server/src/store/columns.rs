//! A row read by column name, whichever library read it: sqlx (the pool, and PostgreSQL's
//! session readers) or rusqlite (SQLite's session readers, `readers::inline`). A row type read
//! by both says its columns once, in [`FromColumns`].

use sqlx::any::AnyRow;
use sqlx::{Any, Row};

/// A column value both libraries can decode.
pub trait Value:
    for<'r> sqlx::Decode<'r, Any> + sqlx::Type<Any> + rusqlite::types::FromSql
{
}

impl<T> Value for T where
    T: for<'r> sqlx::Decode<'r, Any> + sqlx::Type<Any> + rusqlite::types::FromSql
{
}

/// One row of a result, its columns found by name.
pub trait Columns {
    fn get<T: Value>(&self, name: &str) -> Result<T, sqlx::Error>;
}

impl Columns for AnyRow {
    fn get<T: Value>(&self, name: &str) -> Result<T, sqlx::Error> {
        self.try_get(name)
    }
}

impl Columns for rusqlite::Row<'_> {
    fn get<T: Value>(&self, name: &str) -> Result<T, sqlx::Error> {
        rusqlite::Row::get(self, name).map_err(|error| match error {
            rusqlite::Error::InvalidColumnName(name) => sqlx::Error::ColumnNotFound(name),
            error => sqlx::Error::ColumnDecode {
                index: name.to_owned(),
                source: Box::new(error),
            },
        })
    }
}

/// A row type made from [`Columns`], so either library can read it.
pub trait FromColumns: Sized {
    fn from_columns(row: &impl Columns) -> Result<Self, sqlx::Error>;
}

/// sqlx's `FromRow` for a [`FromColumns`] type, for its reads through the pool.
macro_rules! from_row_by_columns {
    ($row:ty) => {
        impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for $row {
            fn from_row(row: &'r sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
                <$row as $crate::store::columns::FromColumns>::from_columns(row)
            }
        }
    };
}
pub(crate) use from_row_by_columns;
