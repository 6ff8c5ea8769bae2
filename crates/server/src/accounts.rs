//! Accounts: creation (the creator becomes the first administrator), the account as its
//! members see it, rename with its allowance, and the profile's list of accounts.

use crate::error::AppResult;
use crate::scope::scope;
use crate::session::Caller;
use crate::state::AppState;
use crate::store::accounts::{self, AccountRow, NewAccount, NotCreated};
use crate::store::employees::{self, NewEmployee};
use crate::store::profiles;
use chrono::Duration;
use lanyard_core::Error;
use lanyard_core::api::{Account, CreateAccountRequest, Licence, MyAccount, UpdateAccountRequest};
use lanyard_core::policy::{self, Role, Status};
use lanyard_core::values::{AccountName, Address};
use secrecy::ExposeSecret;
use tracing::instrument;

/// How long a token listed in `GET /me/accounts` accepts its invitation.
const LISTED_INVITATION_TTL: Duration = Duration::hours(1);

#[instrument(skip_all)]
pub async fn view(state: &AppState, account: &AccountRow, role: Role) -> AppResult<Account> {
    Ok(Account {
        id: account.id.clone(),
        address: account.address.clone(),
        name: account.name.clone(),
        plan: account.plan.clone(),
        licence: Licence {
            limit: state.plans.limit(&account.plan),
            used: employees::seats_used(&state.db.pool, &account.id).await?,
        },
        renames_left: account.renames_left(),
        role,
    })
}

#[instrument(skip_all)]
pub async fn create(
    state: &AppState,
    caller: &Caller,
    request: &CreateAccountRequest,
) -> AppResult<Account> {
    let address = Address::parse(&request.address)?;
    let name = AccountName::parse(&request.name)?;
    let profile = profiles::by_id(&state.db, &caller.profile_id)
        .await?
        .ok_or(Error::Unauthorized)?;
    let now = state.clock.now();
    let id = state.new_id();
    let mut tx = state.db.pool.begin().await?;
    let new = NewAccount {
        id: &id,
        address: address.as_str(),
        name: name.as_str(),
        creator: &profile.id,
        now,
    };
    match accounts::insert(&mut tx, &new).await? {
        Ok(()) => {}
        Err(NotCreated::AccountLimit) => return Err(Error::AccountLimit.into()),
        Err(NotCreated::AddressTaken) => return Err(Error::AddressTaken.into()),
    }
    let admin = NewEmployee {
        id: &state.new_id(),
        account_id: &id,
        profile_id: Some(&profile.id),
        status: Status::Active,
        role: Role::Admin,
        first_name: &profile.first_name,
        last_name: &profile.last_name,
        photo_url: profile.photo_url.as_deref(),
        contact_email: profile.email.as_deref(),
        now,
    };
    employees::insert(&mut tx, &admin).await?;
    tx.commit().await?;
    let account = accounts::by_id(&state.db, &id)
        .await?
        .ok_or(Error::NotFound)?;
    view(state, &account, Role::Admin).await
}

#[instrument(skip_all)]
pub async fn get(state: &AppState, caller: &Caller, address: &str) -> AppResult<Account> {
    let scope = scope(state, caller, address).await?;
    let me = scope.member()?;
    view(state, &scope.account, me.role).await
}

#[instrument(skip_all)]
pub async fn update(
    state: &AppState,
    caller: &Caller,
    address: &str,
    request: &UpdateAccountRequest,
) -> AppResult<Account> {
    let scope = scope(state, caller, address).await?;
    let me = scope.admin()?;
    let id = scope.account.id.clone();
    if let Some(raw) = &request.name {
        accounts::set_name(&state.db, &id, AccountName::parse(raw)?.as_str()).await?;
    }
    if let Some(raw) = &request.new_address {
        let new_address = Address::parse(raw)?;
        if new_address.as_str() != scope.account.address {
            policy::rename(scope.account.renames_left())?;
            if !accounts::rename(&state.db, &id, new_address.as_str()).await? {
                return Err(Error::AddressTaken.into());
            }
        }
    }
    let account = accounts::by_id(&state.db, &id)
        .await?
        .ok_or(Error::NotFound)?;
    view(state, &account, me.role).await
}

/// The profile's accounts, and the invitations waiting for its login email with a token that
/// accepts each.
#[instrument(skip_all)]
pub async fn mine(state: &AppState, caller: &Caller) -> AppResult<Vec<MyAccount>> {
    let mut mine: Vec<MyAccount> = employees::memberships(&state.db, &caller.profile_id)
        .await?
        .into_iter()
        .map(|m| MyAccount {
            id: m.account_id,
            address: m.address,
            name: m.name,
            role: m.role,
            status: m.status,
            token: None,
        })
        .collect();
    let profile = profiles::by_id(&state.db, &caller.profile_id)
        .await?
        .ok_or(Error::Unauthorized)?;
    let verified_email = profile
        .email
        .filter(|_| profile.email_verified_at.is_some());
    if let Some(email) = verified_email {
        let expires_at = state.clock.now() + LISTED_INVITATION_TTL;
        for invitation in employees::invitations_to(&state.db, &email).await? {
            let token = crate::tokens::random();
            let hash = crate::tokens::digest(token.expose_secret());
            employees::insert_token(&state.db.pool, &hash, &invitation.employee_id, expires_at)
                .await?;
            mine.push(MyAccount {
                id: invitation.account_id,
                address: invitation.address,
                name: invitation.name,
                role: invitation.role,
                status: Status::Invited,
                token: Some(token.expose_secret().to_owned()),
            });
        }
    }
    Ok(mine)
}
