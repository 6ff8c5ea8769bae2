//! The `accounts` and `addresses` tables. An account keeps every address it ever had, so
//! an old address goes on resolving to it after a rename.

use super::{Db, is_unique_violation, millis};
use chrono::{DateTime, Utc};
use lanyard_core::api::AccountRef;
use lanyard_core::policy::ACCOUNTS_PER_PROFILE;
use sqlx::{Any, FromRow, Transaction};

#[derive(Debug, Clone, FromRow)]
pub struct AccountRow {
    pub id: String,
    pub address: String,
    pub name: String,
    pub plan: String,
    pub renames_allowed: i64,
    pub renames_used: i64,
}

impl AccountRow {
    /// How a session or an event names the account.
    pub fn reference(&self) -> AccountRef {
        AccountRef {
            id: self.id.clone(),
            address: self.address.clone(),
            name: self.name.clone(),
        }
    }
    pub fn renames_left(&self) -> u64 {
        (self.renames_allowed - self.renames_used)
            .max(0)
            .unsigned_abs()
    }
}

const COLUMNS: &str = "a.id, a.address, a.name, a.plan, a.renames_allowed, a.renames_used";

pub struct NewAccount<'a> {
    pub id: &'a str,
    pub address: &'a str,
    pub name: &'a str,
    pub creator: &'a str,
    pub now: DateTime<Utc>,
}

/// Why an account was not created.
pub enum NotCreated {
    AddressTaken,
    AccountLimit,
}

/// Creates the account and counts it against its creator's allowance, atomically: the
/// first statement is the conditional bump, so concurrent creations cannot pass the limit.
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    new: &NewAccount<'_>,
) -> Result<Result<(), NotCreated>, sqlx::Error> {
    let counted = sqlx::query(
        "UPDATE profiles SET accounts_created = accounts_created + 1 WHERE id = $1 AND accounts_created < $2",
    )
    .bind(new.creator)
    .bind(ACCOUNTS_PER_PROFILE as i64)
    .execute(&mut **tx)
    .await?;
    if counted.rows_affected() == 0 {
        return Ok(Err(NotCreated::AccountLimit));
    }
    let inserted = sqlx::query(
        "INSERT INTO accounts (id, address, name, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new.id)
    .bind(new.address)
    .bind(new.name)
    .bind(new.creator)
    .bind(millis(new.now))
    .execute(&mut **tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if is_unique_violation(&e) => return Ok(Err(NotCreated::AddressTaken)),
        Err(e) => return Err(e),
    }
    if !claim_address(tx, new.address, new.id).await? {
        return Ok(Err(NotCreated::AddressTaken));
    }
    Ok(Ok(()))
}

/// Records `address` as the account's; `false` when another account has (or had) it.
async fn claim_address(
    tx: &mut Transaction<'_, Any>,
    address: &str,
    account_id: &str,
) -> Result<bool, sqlx::Error> {
    let owner: Option<String> =
        sqlx::query_scalar("SELECT account_id FROM addresses WHERE address = $1")
            .bind(address)
            .fetch_optional(&mut **tx)
            .await?;
    match owner {
        Some(owner) => Ok(owner == account_id),
        None => {
            let inserted =
                sqlx::query("INSERT INTO addresses (address, account_id) VALUES ($1, $2)")
                    .bind(address)
                    .bind(account_id)
                    .execute(&mut **tx)
                    .await;
            match inserted {
                Ok(_) => Ok(true),
                Err(e) if is_unique_violation(&e) => Ok(false),
                Err(e) => Err(e),
            }
        }
    }
}

/// The account at `address`, current or former.
pub async fn resolve(db: &Db, address: &str) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM addresses x JOIN accounts a ON a.id = x.account_id WHERE x.address = $1"
    ))
    .bind(address)
    .fetch_optional(&db.pool)
    .await
}

pub async fn by_id(db: &Db, id: &str) -> Result<Option<AccountRow>, sqlx::Error> {
    sqlx::query_as(&format!("SELECT {COLUMNS} FROM accounts a WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(&db.pool)
        .await
}

/// Moves the account to `new_address`, spending one rename. `Ok(false)` when the address
/// belongs to another account; the caller has checked that a rename is left.
pub async fn rename(db: &Db, id: &str, new_address: &str) -> Result<bool, sqlx::Error> {
    let mut tx = db.pool.begin().await?;
    let spent = sqlx::query(
        "UPDATE accounts SET renames_used = renames_used + 1 WHERE id = $1 AND renames_used < renames_allowed",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if spent.rows_affected() == 0 || !claim_address(&mut tx, new_address, id).await? {
        return Ok(false);
    }
    let moved = sqlx::query("UPDATE accounts SET address = $2 WHERE id = $1")
        .bind(id)
        .bind(new_address)
        .execute(&mut *tx)
        .await;
    match moved {
        Ok(_) => tx.commit().await.map(|_| true),
        Err(e) if is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

pub async fn set_name(db: &Db, id: &str, name: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET name = $2 WHERE id = $1")
        .bind(id)
        .bind(name)
        .execute(&db.pool)
        .await
        .map(|_| ())
}

/// Operator: one more rename for the account at `address`. `None` when there is none.
pub async fn grant_rename(db: &Db, address: &str) -> Result<Option<AccountRow>, sqlx::Error> {
    let Some(account) = resolve(db, address).await? else {
        return Ok(None);
    };
    sqlx::query("UPDATE accounts SET renames_allowed = renames_allowed + 1 WHERE id = $1")
        .bind(&account.id)
        .execute(&db.pool)
        .await?;
    by_id(db, &account.id).await
}

/// Operator: moves the account at `address` to another plan.
pub async fn set_plan(
    db: &Db,
    address: &str,
    plan: &str,
) -> Result<Option<AccountRow>, sqlx::Error> {
    let Some(account) = resolve(db, address).await? else {
        return Ok(None);
    };
    sqlx::query("UPDATE accounts SET plan = $2 WHERE id = $1")
        .bind(&account.id)
        .bind(plan)
        .execute(&db.pool)
        .await?;
    by_id(db, &account.id).await
}

/// Takes the account's row lock for the rest of the transaction, so seat counts read after
/// it stay true until commit (PostgreSQL row lock; SQLite's single writer).
pub async fn lock(tx: &mut Transaction<'_, Any>, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE accounts SET revision = revision + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}
