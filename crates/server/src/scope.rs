//! Reaching an account by its address: the account and the caller's record in it, which the
//! account's use cases (employees, tasks, single sign-on) check their rules against.

use crate::error::AppResult;
use crate::session::Caller;
use crate::state::AppState;
use crate::store::accounts::{self, AccountRow};
use crate::store::employees::{self, EmployeeRow};
use lanyard_core::Error;
use lanyard_core::policy::{self, Member};
use lanyard_core::values::Address;

/// An account as reached by a caller: the account, and the caller's record in it.
pub struct Scope {
    pub account: AccountRow,
    pub me: Option<EmployeeRow>,
}

impl Scope {
    fn caller(&self) -> Option<Member> {
        self.me.as_ref().map(EmployeeRow::member)
    }
    /// The caller as an active member, or `no_access`.
    pub fn member(&self) -> Result<Member, Error> {
        policy::member(&self.account.address, self.caller().as_ref())
    }
    /// The caller as an active administrator, or `no_access` / `forbidden`.
    pub fn admin(&self) -> Result<Member, Error> {
        policy::admin(&self.account.address, self.caller().as_ref())
    }
}

/// Resolves `address` (current or former) and the caller's record there. A session of an
/// account's single sign-on reaches its own account only (`profile_session_required`).
pub async fn scope(state: &AppState, caller: &Caller, address: &str) -> AppResult<Scope> {
    let account = accounts::resolve(&state.db, &Address::lookup_key(address))
        .await?
        .ok_or(Error::NotFound)?;
    caller.may_act_in(&account.id)?;
    let me = employees::of_profile(&state.db, &account.id, &caller.profile_id).await?;
    Ok(Scope { account, me })
}
