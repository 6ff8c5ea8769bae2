//! Employees and invitations: invite, accept, contact email, dismiss, reinstate, delete.
//! Seat-changing steps run in a transaction that first takes the account's lock, so two
//! admins acting at once cannot overfill the licence or dismiss the last administrator.

use crate::error::AppResult;
use crate::events;
use crate::paging;
use crate::scope::{Scope, scope};
use crate::session::Caller;
use crate::state::AppState;
use crate::store::employees::{self, EmployeeRow, NewEmployee};
use crate::store::{accounts, profiles, sessions, tasks};
use crate::tokens;
use chrono::Duration;
use lanyard_core::api::{
    Employee, EmployeeLogin, Event, InviteRequest, LoginKind, UpdateEmployeeRequest,
};
use lanyard_core::mail::Message;
use lanyard_core::policy::{self, Member, Role, Status};
use lanyard_core::values::Email;
use lanyard_core::{Error, Language};
use secrecy::{ExposeSecret, SecretString};
use sqlx::{Any, Transaction};
use tracing::instrument;
use url::Url;

const INVITATION_TTL: Duration = Duration::days(30);

/// An employee record as `viewer` may see it: the login only for administrators and oneself.
pub fn view(row: EmployeeRow, viewer: &Member, public_url: &Url) -> Employee {
    let member = row.member();
    let login = if policy::sees_login(viewer, &row.id) && member.status != Status::Invited {
        match (row.login_email, row.login_phone, &row.profile_id) {
            (Some(email), _, _) => Some(EmployeeLogin {
                kind: LoginKind::Email,
                value: email,
            }),
            (None, Some(phone), _) => Some(EmployeeLogin {
                kind: LoginKind::Phone,
                value: phone,
            }),
            (None, None, Some(_)) => Some(EmployeeLogin {
                kind: LoginKind::Social,
                value: row.login_social.unwrap_or_default(),
            }),
            (None, None, None) => None,
        }
    } else {
        None
    };
    Employee {
        id: row.id,
        status: member.status,
        role: member.role,
        first_name: row.first_name,
        last_name: row.last_name,
        photo_url: crate::views::photo_url(public_url, row.photo_url),
        contact_email: row.contact_email,
        login,
    }
}

/// A page of employees and the cursor of the next page, if there is one.
#[instrument(skip_all)]
pub async fn list(
    state: &AppState,
    caller: &Caller,
    address: &str,
    status: Option<Status>,
    cursor: Option<&str>,
    limit: Option<u32>,
) -> AppResult<(Vec<Employee>, Option<String>)> {
    let scope = scope(state, caller, address).await?;
    let me = scope.member()?;
    let limit = paging::limit(limit);
    let rows = employees::page(&state.db, &scope.account.id, status, cursor, limit).await?;
    let next = paging::next_cursor(&rows, limit, |row| &row.id);
    Ok((
        rows.into_iter()
            .map(|row| view(row, &me, &state.public_url))
            .collect(),
        next,
    ))
}

/// The caller, who must be an administrator, and the employee record they act on.
async fn admin_on(
    state: &AppState,
    caller: &Caller,
    address: &str,
    employee_id: &str,
) -> AppResult<(Scope, Member, EmployeeRow)> {
    let scope = scope(state, caller, address).await?;
    let me = scope.admin()?;
    let row = target(state, &scope, employee_id).await?;
    Ok((scope, me, row))
}

/// Opens a transaction holding the account's lock in which one more seat is free.
async fn with_free_seat(state: &AppState, scope: &Scope) -> AppResult<Transaction<'static, Any>> {
    let mut tx = state.db.pool.begin().await?;
    accounts::lock(&mut tx, &scope.account.id).await?;
    let used = employees::seats_used(&mut *tx, &scope.account.id).await?;
    policy::take_seat(used, state.plans.limit(&scope.account.plan))?;
    Ok(tx)
}

async fn target(state: &AppState, scope: &Scope, employee_id: &str) -> AppResult<EmployeeRow> {
    Ok(employees::by_id(&state.db, &scope.account.id, employee_id)
        .await?
        .ok_or(Error::NotFound)?)
}

#[instrument(skip_all)]
pub async fn invite(
    state: &AppState,
    caller: &Caller,
    address: &str,
    request: &InviteRequest,
) -> AppResult<Employee> {
    let scope = scope(state, caller, address).await?;
    let me = scope.admin()?;
    let email = Email::parse(&request.email)?;
    // Invitation mail goes to any address an administrator types: bounded per account, so an
    // invite-and-delete loop cannot make the server a mail cannon.
    state
        .limits
        .mail_per_sender
        .check(&scope.account.id)
        .await?;
    if employees::has_person(&state.db, &scope.account.id, email.as_str()).await? {
        return Err(Error::AlreadyMember.into());
    }
    let id = state.new_id();
    let token = tokens::random();
    let now = state.clock.now();

    let mut tx = with_free_seat(state, &scope).await?;
    let new = NewEmployee {
        id: &id,
        account_id: &scope.account.id,
        profile_id: None,
        status: Status::Invited,
        role: Role::Employee,
        first_name: "",
        last_name: "",
        photo_url: None,
        contact_email: Some(email.as_str()),
        now,
    };
    employees::insert(&mut tx, &new).await?;
    employees::insert_token(
        &mut *tx,
        &tokens::digest(token.expose_secret()),
        &id,
        now + INVITATION_TTL,
    )
    .await?;
    tx.commit().await?;

    let language = invitation_language(state, caller, &email).await?;
    let link = state.link("/invitations/accept", token.expose_secret(), language);
    let account = (&scope.account.name, &scope.account.address);
    let message = Message::invitation(email.clone(), account.0, account.1, &link, language);
    state.mailer.send(message).await?;
    if let Some(invitee) = profiles::by_email(&state.db, email.as_str()).await?
        && invitee.proved_email().is_some()
    {
        let event = Event::Invited {
            account: scope.account.reference(),
        };
        events::publish(state, &invitee.id, event).await;
    }
    Ok(view(
        target(state, &scope, &id).await?,
        &me,
        &state.public_url,
    ))
}

/// The invitee reads the mail in the language their profile chose, when the address is a
/// profile's login; else in the inviting administrator's.
async fn invitation_language(state: &AppState, caller: &Caller, to: &Email) -> AppResult<Language> {
    if let Some(language) = profiles::language_of_login(&state.db, to.as_str()).await? {
        return Ok(language);
    }
    let inviter = profiles::by_id(&state.db, &caller.profile_id).await?;
    Ok(inviter.map(|row| row.language()).unwrap_or_default())
}

/// Binds the invitation to the caller's profile, whatever its login.
#[instrument(skip_all)]
pub async fn accept(
    state: &AppState,
    caller: &Caller,
    token: &SecretString,
) -> AppResult<Employee> {
    let hash = tokens::digest(token.expose_secret());
    let invitation = employees::by_token(&state.db, &hash, state.clock.now())
        .await?
        .ok_or(Error::InvalidToken)?;
    if invitation.member().status != Status::Invited {
        return Err(Error::InvalidToken.into());
    }
    let account = accounts::by_id(&state.db, &invitation.account_id)
        .await?
        .ok_or(Error::InvalidToken)?;
    let mut tx = state.db.pool.begin().await?;
    accounts::lock(&mut tx, &account.id).await?;
    let used = employees::seats_used(&mut *tx, &account.id).await?;
    policy::keep_seat(used, state.plans.limit(&account.plan))?;
    if !employees::bind(&mut tx, &invitation.id, &caller.profile_id).await? {
        return Err(Error::AlreadyMember.into());
    }
    employees::drop_tokens(&mut *tx, &invitation.id).await?;
    tx.commit().await?;
    let row = employees::by_id(&state.db, &account.id, &invitation.id)
        .await?
        .ok_or(Error::NotFound)?;
    let me = row.member();
    Ok(view(row, &me, &state.public_url))
}

#[instrument(skip_all)]
pub async fn update(
    state: &AppState,
    caller: &Caller,
    address: &str,
    employee_id: &str,
    request: &UpdateEmployeeRequest,
) -> AppResult<Employee> {
    let scope = scope(state, caller, address).await?;
    policy::edit_contact(
        &scope.account.address,
        scope.me.as_ref().map(EmployeeRow::member).as_ref(),
        employee_id,
    )?;
    let me = scope.member()?;
    let row = target(state, &scope, employee_id).await?;
    if let Some(raw) = &request.contact_email {
        let email = match raw.trim() {
            "" => None,
            raw => Some(Email::parse(raw)?),
        };
        employees::set_contact_email(&state.db, &row.id, email.as_ref().map(Email::as_str)).await?;
    }
    Ok(view(
        target(state, &scope, employee_id).await?,
        &me,
        &state.public_url,
    ))
}

/// Dismisses an employee (or a pending invitation): no more sign-in there (their sessions for
/// the account end), no seat taken, every record kept.
#[instrument(skip_all)]
pub async fn dismiss(
    state: &AppState,
    caller: &Caller,
    address: &str,
    employee_id: &str,
) -> AppResult<Employee> {
    let (scope, me, row) = admin_on(state, caller, address, employee_id).await?;
    let mut tx = state.db.pool.begin().await?;
    accounts::lock(&mut tx, &scope.account.id).await?;
    let admins = employees::active_admins(&mut *tx, &scope.account.id).await?;
    policy::dismiss(&row.member(), admins)?;
    employees::set_status(&mut *tx, &row.id, Status::Dismissed).await?;
    tx.commit().await?;
    if let Some(profile_id) = &row.profile_id {
        sessions::revoke_for_account(&state.db, profile_id, &scope.account.id, state.clock.now())
            .await?;
        let account = scope.account.reference();
        events::publish(state, profile_id, Event::Dismissed { account }).await;
    }
    Ok(view(
        target(state, &scope, employee_id).await?,
        &me,
        &state.public_url,
    ))
}

#[instrument(skip_all)]
pub async fn reinstate(
    state: &AppState,
    caller: &Caller,
    address: &str,
    employee_id: &str,
) -> AppResult<Employee> {
    let (scope, me, row) = admin_on(state, caller, address, employee_id).await?;
    if row.member().status == Status::Dismissed {
        let mut tx = with_free_seat(state, &scope).await?;
        // A dismissed invitation comes back as an invitation: its link works again.
        let status = if row.profile_id.is_some() {
            Status::Active
        } else {
            Status::Invited
        };
        employees::set_status(&mut *tx, &row.id, status).await?;
        tx.commit().await?;
        if let Some(profile_id) = &row.profile_id {
            let account = scope.account.reference();
            events::publish(state, profile_id, Event::Reinstated { account }).await;
        }
    }
    Ok(view(
        target(state, &scope, employee_id).await?,
        &me,
        &state.public_url,
    ))
}

/// Deletes an invitation nobody accepted, once no task is assigned to it.
#[instrument(skip_all)]
pub async fn delete(
    state: &AppState,
    caller: &Caller,
    address: &str,
    employee_id: &str,
) -> AppResult<()> {
    let (_, _, row) = admin_on(state, caller, address, employee_id).await?;
    let assigned = tasks::titles_assigned_to(&state.db, &row.id).await?;
    policy::delete_employee(&row.member(), assigned)?;
    employees::delete(&state.db, &row.id).await?;
    Ok(())
}
