//! Operator commands (`lanyard-server admin …`): what support does for a customer, run
//! straight against the database.

use crate::config::{AdminCommand, Config};
use crate::plans::Plans;
use crate::store::{BackupError, Db, accounts, sso};
use lanyard_core::clock::Clock;
use lanyard_core::values::{Address, Email};

/// Why an operator command did nothing.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error(transparent)]
    Connect(#[from] crate::store::ConnectError),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("no account at {0}")]
    NoAccount(String),
    #[error("{0} is on the free plan: renames beyond the first need a paid plan")]
    FreePlan(String),
    #[error("no plan {0:?}; see --plans")]
    NoPlan(String),
    #[error("{0:?} is not an email domain")]
    NotADomain(String),
}

/// `lanyard-server backup FILE`: a copy of the SQLite database at `--database`.
pub async fn backup(config: &Config, to: &std::path::Path) -> Result<String, BackupError> {
    let db = Db::connect(&config.database).await?;
    let done = db.backup_to(to).await;
    db.close().await;
    done.map(|()| format!("backed up to {}", to.display()))
}

/// Runs the command and says what it did.
pub async fn run(config: &Config, command: &AdminCommand) -> Result<String, AdminError> {
    let db = Db::connect(&config.database).await?;
    let address = match command {
        AdminCommand::GrantRename { address }
        | AdminCommand::SetPlan { address, .. }
        | AdminCommand::VerifyDomain { address, .. } => Address::lookup_key(address),
    };
    let no_account = || AdminError::NoAccount(address.clone());
    let account = accounts::resolve(&db, &address)
        .await?
        .ok_or_else(no_account)?;
    let done = match command {
        AdminCommand::GrantRename { .. } => {
            if !Plans::is_paid(&account.plan) {
                return Err(AdminError::FreePlan(address));
            }
            accounts::grant_rename(&db, &address).await?
        }
        AdminCommand::SetPlan { plan, .. } => {
            if !config.plans.exists(plan) {
                return Err(AdminError::NoPlan(plan.clone()));
            }
            accounts::set_plan(&db, &address, plan).await?
        }
        AdminCommand::VerifyDomain { domain, .. } => {
            let probe = Email::parse(&format!("postmaster@{}", domain.trim()))
                .map_err(|_| AdminError::NotADomain(domain.clone()))?;
            let now = lanyard_core::clock::SystemClock.now();
            sso::verify_domain(&db, &account.id, probe.domain(), now).await?;
            db.close().await;
            return Ok(format!(
                "{}: single sign-on links emails under {} without a password",
                account.address,
                probe.domain()
            ));
        }
    };
    let account = done.ok_or_else(no_account)?;
    db.close().await;
    Ok(format!(
        "{}: plan {}, {} rename(s) left",
        account.address,
        account.plan,
        account.renames_left()
    ))
}
