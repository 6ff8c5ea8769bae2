//! Operator commands (`lanyard-server admin …`): what support does for a customer, run
//! straight against the database.

use crate::config::{AdminCommand, Config};
use crate::plans::Plans;
use crate::store::{Db, accounts, sso};
use lanyard_core::clock::Clock;
use lanyard_core::values::{Address, Email};

/// Runs the command and says what it did, or why it could not.
pub async fn run(config: &Config, command: &AdminCommand) -> Result<String, String> {
    let db = Db::connect(&config.database)
        .await
        .map_err(|e| e.to_string())?;
    let failed = |e: sqlx::Error| format!("database: {e}");
    let address = match command {
        AdminCommand::GrantRename { address }
        | AdminCommand::SetPlan { address, .. }
        | AdminCommand::VerifyDomain { address, .. } => Address::lookup_key(address),
    };
    let account = accounts::resolve(&db, &address)
        .await
        .map_err(failed)?
        .ok_or_else(|| format!("no account at {address}"))?;
    let done = match command {
        AdminCommand::GrantRename { .. } => {
            if !Plans::is_paid(&account.plan) {
                return Err(format!(
                    "{address} is on the free plan: renames beyond the first need a paid plan"
                ));
            }
            accounts::grant_rename(&db, &address)
                .await
                .map_err(failed)?
        }
        AdminCommand::SetPlan { plan, .. } => {
            if !config.plans.exists(plan) {
                return Err(format!("no plan {plan:?}; see --plans"));
            }
            accounts::set_plan(&db, &address, plan)
                .await
                .map_err(failed)?
        }
        AdminCommand::VerifyDomain { domain, .. } => {
            let probe = Email::parse(&format!("postmaster@{}", domain.trim()))
                .map_err(|_| format!("{domain:?} is not an email domain"))?;
            let now = lanyard_core::clock::SystemClock.now();
            sso::verify_domain(&db, &account.id, probe.domain(), now)
                .await
                .map_err(failed)?;
            db.pool.close().await;
            return Ok(format!(
                "{}: single sign-on links emails under {} without a password",
                account.address,
                probe.domain()
            ));
        }
    };
    let account = done.ok_or_else(|| format!("no account at {address}"))?;
    db.pool.close().await;
    Ok(format!(
        "{}: plan {}, {} rename(s) left",
        account.address,
        account.plan,
        account.renames_left()
    ))
}
