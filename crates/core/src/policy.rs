//! Who may do what in an account: every access rule of SPEC.md "Account" and "Employees",
//! in one place. Handlers and use cases ask here; none decides on its own.

use crate::Error;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How many accounts one profile may create, ever. The store enforces it with an atomic
/// conditional count, so concurrent creations cannot slip past it.
pub const ACCOUNTS_PER_PROFILE: u64 = 7;

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Employee,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Invited, not accepted yet: counts toward the licence, cannot sign in.
    Invited,
    Active,
    /// Kept with all their data; cannot sign in; does not count toward the licence.
    Dismissed,
}

impl Status {
    /// Whether this record takes a seat of the licence.
    pub fn counts_toward_licence(self) -> bool {
        matches!(self, Status::Invited | Status::Active)
    }
}

/// The caller's employee record in an account, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub employee_id: String,
    pub role: Role,
    pub status: Status,
}

/// Only active employees see or touch an account at all.
pub fn member(address: &str, caller: Option<&Member>) -> Result<Member, Error> {
    match caller {
        Some(member) if member.status == Status::Active => Ok(member.clone()),
        _ => Err(Error::NoAccess {
            address: address.to_owned(),
        }),
    }
}

/// Active administrators only: renaming, inviting, dismissing, reinstating, deleting invitations.
pub fn admin(address: &str, caller: Option<&Member>) -> Result<Member, Error> {
    let member = member(address, caller)?;
    if member.role == Role::Admin {
        Ok(member)
    } else {
        Err(Error::Forbidden)
    }
}

/// The contact email is edited by administrators and by the employee themself.
pub fn edit_contact(
    address: &str,
    caller: Option<&Member>,
    employee_id: &str,
) -> Result<(), Error> {
    let member = member(address, caller)?;
    if member.role == Role::Admin || member.employee_id == employee_id {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// Administrators see every employee's login; an employee sees only their own.
pub fn sees_login(viewer: &Member, employee_id: &str) -> bool {
    viewer.role == Role::Admin || viewer.employee_id == employee_id
}

/// One more seat is taken (an invitation, or a reinstatement) while `used` are.
pub fn take_seat(used: u64, limit: u64) -> Result<(), Error> {
    if used < limit {
        Ok(())
    } else {
        Err(Error::LicenceLimit { used, limit })
    }
}

/// Accepting keeps the invitation's seat, so it only fails when the account is already over
/// its limit (a plan was lowered after the invitation went out).
pub fn keep_seat(used: u64, limit: u64) -> Result<(), Error> {
    if used <= limit {
        Ok(())
    } else {
        Err(Error::LicenceLimit { used, limit })
    }
}

/// Dismissing `target` must leave at least one active administrator.
pub fn dismiss(target: &Member, active_admins: u64) -> Result<(), Error> {
    if target.status == Status::Dismissed {
        return Ok(());
    }
    if target.role == Role::Admin && target.status == Status::Active && active_admins <= 1 {
        return Err(Error::LastAdmin);
    }
    Ok(())
}

/// Only unaccepted invitations are deleted, and only once no task is assigned to them.
pub fn delete_employee(target: &Member, assigned_tasks: Vec<String>) -> Result<(), Error> {
    if target.status != Status::Invited {
        return Err(Error::NotInvited);
    }
    if !assigned_tasks.is_empty() {
        return Err(Error::HasTasks {
            tasks: assigned_tasks,
        });
    }
    Ok(())
}

/// A rename needs an allowance left: one on every plan, more only when support grants them.
pub fn rename(renames_left: u64) -> Result<(), Error> {
    if renames_left > 0 {
        Ok(())
    } else {
        Err(Error::RenameLimit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(role: Role, status: Status) -> Member {
        Member {
            employee_id: "e1".into(),
            role,
            status,
        }
    }

    #[test]
    fn only_active_members_get_in_and_only_admins_administer() {
        assert_eq!(member("acme", None).unwrap_err().code(), "no_access");
        let dismissed = who(Role::Admin, Status::Dismissed);
        assert_eq!(
            admin("acme", Some(&dismissed)).unwrap_err().code(),
            "no_access"
        );
        let invited = who(Role::Employee, Status::Invited);
        assert_eq!(
            member("acme", Some(&invited)).unwrap_err().code(),
            "no_access"
        );
        let employee = who(Role::Employee, Status::Active);
        assert_eq!(
            admin("acme", Some(&employee)).unwrap_err().code(),
            "forbidden"
        );
        assert!(admin("acme", Some(&who(Role::Admin, Status::Active))).is_ok());
    }

    #[test]
    fn contact_emails_by_admins_or_oneself() {
        let employee = who(Role::Employee, Status::Active);
        assert!(edit_contact("acme", Some(&employee), "e1").is_ok());
        assert_eq!(
            edit_contact("acme", Some(&employee), "e2")
                .unwrap_err()
                .code(),
            "forbidden"
        );
        assert!(sees_login(&employee, "e1") && !sees_login(&employee, "e2"));
    }

    #[test]
    fn seats_and_limits() {
        assert!(take_seat(11, 12).is_ok());
        assert_eq!(take_seat(12, 12).unwrap_err().code(), "licence_limit");
        assert!(keep_seat(12, 12).is_ok());
        assert!(keep_seat(13, 12).is_err());
        assert_eq!(rename(0).unwrap_err().code(), "rename_limit");
    }

    #[test]
    fn the_last_admin_stays_and_only_invitations_are_deleted() {
        let admin = who(Role::Admin, Status::Active);
        assert_eq!(dismiss(&admin, 1).unwrap_err().code(), "last_admin");
        assert!(dismiss(&admin, 2).is_ok());
        let active = who(Role::Employee, Status::Active);
        assert_eq!(
            delete_employee(&active, vec![]).unwrap_err().code(),
            "not_invited"
        );
        let invited = who(Role::Employee, Status::Invited);
        let refused = delete_employee(&invited, vec!["Onboarding".into()]).unwrap_err();
        assert_eq!(refused.code(), "has_tasks");
        assert!(refused.to_string().contains("Onboarding"));
        assert!(delete_employee(&invited, vec![]).is_ok());
    }
}
