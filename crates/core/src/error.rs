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

/// The stable machine-readable codes of API.md: what clients switch on, never the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Code {
    EmailTaken,
    PhoneTaken,
    WeakPassword,
    InvalidToken,
    InvalidCredentials,
    Unverified,
    NoAccess,
    Unauthorized,
    Forbidden,
    NotFound,
    RateLimited,
    Overloaded,
    AccountsLinked,
    InvalidInput,
    InvalidAddress,
    AddressTaken,
    AccountLimit,
    RenameLimit,
    LicenceLimit,
    AlreadyMember,
    LastAdmin,
    NotInvited,
    HasTasks,
    Expired,
    WrongNumber,
    LinkRequired,
    LastLogin,
    IdentityTaken,
    ProfileSessionRequired,
    IssuerNotAllowed,
    IssuerUnreachable,
    MisdirectedRequest,
    /// A request the HTTP layer could not read (the server's own codes beside the domain's).
    BadRequest,
    InvalidQuery,
    InvalidBody,
    MalformedJson,
    UnsupportedMediaType,
    BodyTooLarge,
    MethodNotAllowed,
    /// Something failed on the server's side.
    Internal,
    /// The server cannot reach its database for now (503): try again shortly.
    Unavailable,
}

crate::named_values!(Code, "problem code", {
    EmailTaken => "email_taken",
    PhoneTaken => "phone_taken",
    WeakPassword => "weak_password",
    InvalidToken => "invalid_token",
    InvalidCredentials => "invalid_credentials",
    Unverified => "unverified",
    NoAccess => "no_access",
    Unauthorized => "unauthorized",
    Forbidden => "forbidden",
    NotFound => "not_found",
    RateLimited => "rate_limited",
    Overloaded => "overloaded",
    AccountsLinked => "accounts_linked",
    InvalidInput => "invalid_input",
    InvalidAddress => "invalid_address",
    AddressTaken => "address_taken",
    AccountLimit => "account_limit",
    RenameLimit => "rename_limit",
    LicenceLimit => "licence_limit",
    AlreadyMember => "already_member",
    LastAdmin => "last_admin",
    NotInvited => "not_invited",
    HasTasks => "has_tasks",
    Expired => "expired",
    WrongNumber => "wrong_number",
    LinkRequired => "link_required",
    LastLogin => "last_login",
    IdentityTaken => "identity_taken",
    ProfileSessionRequired => "profile_session_required",
    IssuerNotAllowed => "issuer_not_allowed",
    IssuerUnreachable => "issuer_unreachable",
    MisdirectedRequest => "misdirected_request",
    BadRequest => "bad_request",
    InvalidQuery => "invalid_query",
    InvalidBody => "invalid_body",
    MalformedJson => "malformed_json",
    UnsupportedMediaType => "unsupported_media_type",
    BodyTooLarge => "body_too_large",
    MethodNotAllowed => "method_not_allowed",
    Internal => "internal",
    Unavailable => "unavailable",
});

/// A code compares with its spelling, as tests and logs read it.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Error {
    /// What API.md says of this error: its code, HTTP status and fixed title. The one table
    /// of them; a new variant is added here once.
    fn describe(&self) -> (Code, u16, &'static str) {
        match self {
            Error::EmailTaken => (Code::EmailTaken, 409, "Already in use"),
            Error::PhoneTaken => (Code::PhoneTaken, 409, "Already in use"),
            Error::WeakPassword(_) => (Code::WeakPassword, 422, "Weak password"),
            Error::InvalidToken => (Code::InvalidToken, 400, "Invalid or expired token"),
            Error::SessionExpired => (Code::InvalidToken, 401, "Invalid or expired token"),
            Error::InvalidCredentials => (Code::InvalidCredentials, 401, "Invalid credentials"),
            Error::WrongPassword => (Code::InvalidCredentials, 403, "Invalid credentials"),
            Error::Unverified => (Code::Unverified, 403, "Login not verified"),
            Error::NoAccess { .. } => (Code::NoAccess, 403, "No access"),
            Error::Unauthorized => (Code::Unauthorized, 401, "Unauthorized"),
            Error::Forbidden => (Code::Forbidden, 403, "Forbidden"),
            Error::NotFound => (Code::NotFound, 404, "Not found"),
            Error::RateLimited { .. } => (Code::RateLimited, 429, "Too many requests"),
            Error::Overloaded => (Code::Overloaded, 503, "Service busy"),
            Error::AccountsLinked => (Code::AccountsLinked, 409, "Accounts linked"),
            Error::InvalidInput { .. } => (Code::InvalidInput, 422, "Invalid input"),
            Error::InvalidAddress => (Code::InvalidAddress, 422, "Invalid address"),
            Error::AddressTaken => (Code::AddressTaken, 409, "Address taken"),
            Error::AccountLimit => (Code::AccountLimit, 409, "Account limit reached"),
            Error::RenameLimit => (Code::RenameLimit, 409, "Rename limit reached"),
            Error::LicenceLimit { .. } => (Code::LicenceLimit, 409, "Licence limit reached"),
            Error::AlreadyMember => (Code::AlreadyMember, 409, "Already a member"),
            Error::LastAdmin => (Code::LastAdmin, 409, "Last administrator"),
            Error::NotInvited => (Code::NotInvited, 409, "Not an invitation"),
            Error::HasTasks { .. } => (Code::HasTasks, 409, "The user has not been deleted"),
            Error::Expired(_) => (Code::Expired, 410, "Expired"),
            Error::WrongNumber => (Code::WrongNumber, 403, "Wrong number"),
            Error::LinkRequired { .. } => (Code::LinkRequired, 409, "Link required"),
            Error::LastLogin => (Code::LastLogin, 409, "Last way to sign in"),
            Error::IdentityTaken => (Code::IdentityTaken, 409, "Already connected"),
            Error::ProfileSessionRequired => (
                Code::ProfileSessionRequired,
                403,
                "Profile session required",
            ),
            Error::IssuerNotAllowed => (Code::IssuerNotAllowed, 422, "Issuer not allowed"),
            Error::IssuerUnreachable => (Code::IssuerUnreachable, 422, "Issuer unreachable"),
            Error::MisdirectedRequest => (Code::MisdirectedRequest, 421, "Misdirected request"),
        }
    }

    /// The stable machine-readable code of API.md.
    pub fn code(&self) -> Code {
        self.describe().0
    }

    /// The HTTP status API.md gives this error.
    pub fn status(&self) -> u16 {
        self.describe().1
    }

    /// A short, fixed summary of the problem type (the problem document's `title`).
    pub fn title(&self) -> &'static str {
        self.describe().2
    }

    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Error::InvalidInput {
            field,
            message: message.into(),
        }
    }
}
