//! The domain errors, each with the stable `code` and HTTP status that API.md fixes.
//! The server turns them into RFC 9457 problem documents in one place; the client turns
//! problem documents back into codes. Nobody matches on the human text.

use secrecy::SecretString;

/// Every refusal the product can give a user.
#[derive(Debug, Clone, thiserror::Error)]
pub enum Error {
    #[error("A user with that email already exists")]
    EmailTaken,
    #[error("A user with that phone number already exists")]
    PhoneTaken,
    #[error("{0}")]
    WeakPassword(&'static str),
    /// A mailed link, SMS code or one-time token that is unknown, used or expired.
    #[error("The link or code is invalid or has expired")]
    InvalidToken,
    /// A refresh token or poll token that is unknown, rotated, revoked or expired (401).
    #[error("The session has expired; sign in again")]
    SessionExpired,
    /// Wrong login or password at sign-in (401). Says nothing about which one.
    #[error("Wrong login or password")]
    InvalidCredentials,
    /// Wrong current password on a signed-in change (403).
    #[error("The current password is wrong")]
    WrongPassword,
    #[error("This login is not verified yet; follow the link or enter the code we sent")]
    Unverified,
    /// Signing in to an account the profile is not an active employee of.
    #[error(
        "No access to {address}. The login you used is not the one bound to your employee record there \
         (a sign-in with a social network, for example, may have made a second profile). \
         An administrator of {address} can see which login is bound to your record."
    )]
    NoAccess { address: String },
    #[error("Sign in first")]
    Unauthorized,
    #[error("You are not allowed to do that")]
    Forbidden,
    #[error("Not found")]
    NotFound,
    #[error("Too many attempts; try again in {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: u64 },
    #[error("The server is busy; try again in a moment")]
    Overloaded,
    #[error("The profile is still an active employee of an account; leave or be dismissed first")]
    AccountsLinked,
    #[error("An account can have an address of 3 to 40 lower-case letters, digits and hyphens")]
    InvalidAddress,
    #[error("That address is already taken")]
    AddressTaken,
    #[error("A profile can create at most 7 accounts")]
    AccountLimit,
    #[error(
        "The address has been changed once already; further renames are granted by support on paid plans"
    )]
    RenameLimit,
    #[error("The licence of this account is used up: {used} of {limit} users")]
    LicenceLimit { used: u64, limit: u64 },
    #[error("That person is already an employee or invited here")]
    AlreadyMember,
    #[error("The last administrator cannot be dismissed")]
    LastAdmin,
    #[error("Only invitations that are not accepted yet can be deleted; dismiss employees instead")]
    NotInvited,
    /// Deleting an invitee who still has tasks; names them.
    #[error("The user has not been deleted: tasks are assigned to them ({})", tasks.join(", "))]
    HasTasks { tasks: Vec<String> },
    /// A QR sign-in request that expired, was denied, cancelled or used; says which.
    #[error("{0}")]
    Expired(&'static str),
    /// The approver picked another number than the desktop shows: the request is cancelled.
    #[error("The number does not match the one on the computer; the request was cancelled")]
    WrongNumber,
    /// An identity that may join a profile only with proof of it: a social identity whose
    /// verified email is an existing profile's login (one person, one profile), or a first
    /// single sign-on. The person enters that profile's password once (with its login, when
    /// `email` names no profile) to link the identity.
    #[error("{}", link_required(email.as_deref()))]
    LinkRequired {
        link_token: SecretString,
        email: Option<String>,
    },
    #[error("This is the profile's only way to sign in; set a password first")]
    LastLogin,
    #[error("This identity is already connected to another Lanyard profile")]
    IdentityTaken,
    /// A session made by an account's single sign-on asked for something of the profile
    /// (another account, names, email, password, sessions, identities, QR approval).
    #[error(
        "This session comes from the account's single sign-on and acts only inside that account; \
         sign in with your Lanyard login to do this"
    )]
    ProfileSessionRequired,
    /// An SSO issuer that is not `https`, or resolves to a private, loopback or link-local
    /// address the operator did not allow.
    #[error("issuer: must be an https URL of a public OpenID provider")]
    IssuerNotAllowed,
    /// The provider could not be reached or did not answer as an OpenID provider. One text
    /// for every cause, so the answer cannot be used to probe the server's network.
    #[error("issuer: the OpenID provider could not be reached or did not answer as one")]
    IssuerUnreachable,
    /// A request for a host this server does not serve (DNS rebinding, a wrong proxy).
    #[error("This server does not answer for that host")]
    MisdirectedRequest,
    /// A field that does not parse (an email without `@`, a phone with letters, …).
    #[error("{field}: {message}")]
    InvalidInput {
        field: &'static str,
        message: String,
    },
}

fn link_required(email: Option<&str>) -> String {
    match email {
        Some(email) => format!(
            "{email} already signs in to a Lanyard profile: enter its password once to link this identity to it"
        ),
        None => "Sign in with your Lanyard login and password once to link this identity to your profile"
            .to_owned(),
    }
}

impl Error {
    /// The stable machine-readable code of API.md.
    pub fn code(&self) -> &'static str {
        match self {
            Error::EmailTaken => "email_taken",
            Error::PhoneTaken => "phone_taken",
            Error::WeakPassword(_) => "weak_password",
            Error::InvalidToken | Error::SessionExpired => "invalid_token",
            Error::InvalidCredentials | Error::WrongPassword => "invalid_credentials",
            Error::Unverified => "unverified",
            Error::NoAccess { .. } => "no_access",
            Error::Unauthorized => "unauthorized",
            Error::Forbidden => "forbidden",
            Error::NotFound => "not_found",
            Error::RateLimited { .. } => "rate_limited",
            Error::Overloaded => "overloaded",
            Error::AccountsLinked => "accounts_linked",
            Error::InvalidInput { .. } => "invalid_input",
            Error::InvalidAddress => "invalid_address",
            Error::AddressTaken => "address_taken",
            Error::AccountLimit => "account_limit",
            Error::RenameLimit => "rename_limit",
            Error::LicenceLimit { .. } => "licence_limit",
            Error::AlreadyMember => "already_member",
            Error::LastAdmin => "last_admin",
            Error::NotInvited => "not_invited",
            Error::HasTasks { .. } => "has_tasks",
            Error::Expired(_) => "expired",
            Error::WrongNumber => "wrong_number",
            Error::LinkRequired { .. } => "link_required",
            Error::LastLogin => "last_login",
            Error::IdentityTaken => "identity_taken",
            Error::ProfileSessionRequired => "profile_session_required",
            Error::IssuerNotAllowed => "issuer_not_allowed",
            Error::IssuerUnreachable => "issuer_unreachable",
            Error::MisdirectedRequest => "misdirected_request",
        }
    }

    /// The HTTP status API.md gives this error.
    pub fn status(&self) -> u16 {
        match self {
            Error::InvalidToken => 400,
            Error::SessionExpired | Error::InvalidCredentials | Error::Unauthorized => 401,
            Error::WrongPassword
            | Error::Unverified
            | Error::NoAccess { .. }
            | Error::Forbidden
            | Error::WrongNumber
            | Error::ProfileSessionRequired => 403,
            Error::NotFound => 404,
            Error::Expired(_) => 410,
            Error::EmailTaken
            | Error::PhoneTaken
            | Error::AccountsLinked
            | Error::AddressTaken
            | Error::AccountLimit
            | Error::RenameLimit
            | Error::LicenceLimit { .. }
            | Error::AlreadyMember
            | Error::LastAdmin
            | Error::NotInvited
            | Error::HasTasks { .. }
            | Error::LinkRequired { .. }
            | Error::LastLogin
            | Error::IdentityTaken => 409,
            Error::WeakPassword(_)
            | Error::InvalidInput { .. }
            | Error::InvalidAddress
            | Error::IssuerNotAllowed
            | Error::IssuerUnreachable => 422,
            Error::MisdirectedRequest => 421,
            Error::RateLimited { .. } => 429,
            Error::Overloaded => 503,
        }
    }

    /// A short, fixed summary of the problem type (the problem document's `title`).
    pub fn title(&self) -> &'static str {
        match self {
            Error::EmailTaken | Error::PhoneTaken => "Already in use",
            Error::WeakPassword(_) => "Weak password",
            Error::InvalidToken | Error::SessionExpired => "Invalid or expired token",
            Error::InvalidCredentials | Error::WrongPassword => "Invalid credentials",
            Error::Unverified => "Login not verified",
            Error::NoAccess { .. } => "No access",
            Error::Unauthorized => "Unauthorized",
            Error::Forbidden => "Forbidden",
            Error::NotFound => "Not found",
            Error::RateLimited { .. } => "Too many requests",
            Error::Overloaded => "Service busy",
            Error::AccountsLinked => "Accounts linked",
            Error::InvalidInput { .. } => "Invalid input",
            Error::InvalidAddress => "Invalid address",
            Error::AddressTaken => "Address taken",
            Error::AccountLimit => "Account limit reached",
            Error::RenameLimit => "Rename limit reached",
            Error::LicenceLimit { .. } => "Licence limit reached",
            Error::AlreadyMember => "Already a member",
            Error::LastAdmin => "Last administrator",
            Error::NotInvited => "Not an invitation",
            Error::HasTasks { .. } => "The user has not been deleted",
            Error::Expired(_) => "Expired",
            Error::WrongNumber => "Wrong number",
            Error::LinkRequired { .. } => "Link required",
            Error::LastLogin => "Last way to sign in",
            Error::IdentityTaken => "Already connected",
            Error::ProfileSessionRequired => "Profile session required",
            Error::IssuerNotAllowed => "Issuer not allowed",
            Error::IssuerUnreachable => "Issuer unreachable",
            Error::MisdirectedRequest => "Misdirected request",
        }
    }

    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            message: message.into(),
        }
    }
}
