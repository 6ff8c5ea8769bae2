//! The domain errors, each with the stable `code` and HTTP status that API.md fixes.
//! The server turns them into RFC 9457 problem documents in one place; the client turns
//! problem documents back into codes. Nobody matches on the human text, which is a message of
//! `locales/*.ftl` said in the reader's language (`detail`).

pub use crate::code::Code;
use crate::i18n::{Language, Text};
use secrecy::SecretString;

/// Every refusal the product can give a user.
#[derive(Debug, Clone)]
pub enum Error {
    EmailTaken,
    PhoneTaken,
    /// Which rule of the password policy the new password breaks (a message id).
    WeakPassword(&'static str),
    /// A mailed link, SMS code or one-time token that is unknown, used or expired.
    InvalidToken,
    /// A refresh token or poll token that is unknown, rotated, revoked or expired (401).
    SessionExpired,
    /// Wrong login or password at sign-in (401). Says nothing about which one.
    InvalidCredentials,
    /// Wrong current password on a signed-in change (403).
    WrongPassword,
    Unverified,
    /// Signing in to an account the profile is not an active employee of.
    NoAccess {
        address: String,
    },
    Unauthorized,
    Forbidden,
    NotFound,
    RateLimited {
        retry_after_secs: u64,
    },
    Overloaded,
    AccountsLinked,
    InvalidAddress,
    AddressTaken,
    AccountLimit,
    RenameLimit,
    LicenceLimit {
        used: u64,
        limit: u64,
    },
    AlreadyMember,
    LastAdmin,
    NotInvited,
    /// Deleting an invitee who still has tasks; names them.
    HasTasks {
        tasks: Vec<String>,
    },
    /// A QR sign-in request that expired, was denied, cancelled or used; says which (a
    /// message id).
    Expired(&'static str),
    /// The approver picked another number than the desktop shows: the request is cancelled.
    WrongNumber,
    /// An identity that may join a profile only with proof of it: a social identity whose
    /// verified email is an existing profile's login (one person, one profile), or a first
    /// single sign-on. The person enters that profile's password once (with its login, when
    /// `email` names no profile) to link the identity.
    LinkRequired {
        link_token: SecretString,
        email: Option<String>,
    },
    LastLogin,
    IdentityTaken,
    /// A session made by an account's single sign-on asked for something of the profile
    /// (another account, names, email, password, sessions, identities, QR approval).
    ProfileSessionRequired,
    /// An SSO issuer that is not `https`, or resolves to a private, loopback or link-local
    /// address the operator did not allow.
    IssuerNotAllowed,
    /// The provider could not be reached or did not answer as an OpenID provider. One text
    /// for every cause, so the answer cannot be used to probe the server's network.
    IssuerUnreachable,
    /// A request for a host this server does not serve (DNS rebinding, a wrong proxy).
    MisdirectedRequest,
    /// A field that does not parse (an email without `@`, a phone with letters, …): which
    /// field, and a sentence about it.
    InvalidInput {
        field: &'static str,
        message: Text,
    },
    /// A photo upload whose `Content-Type` is not PNG, JPEG or WebP (415).
    UnsupportedPhotoType,
    /// A photo upload larger than `PhotoType::MAX_BYTES` (413).
    PhotoTooLarge,
    /// A photo upload that is not the image it declares: another format, a damaged file, or
    /// more pixels than the server decodes. A sentence saying which.
    InvalidPhoto(Text),
}

impl Error {
    /// What went wrong, as a sentence in `language` (the problem document's `detail`).
    pub fn detail(&self, language: Language) -> String {
        self.text().render(language)
    }

    /// The input the error is about, for a form to show it beside that field.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Error::InvalidInput { field, .. } => Some(field),
            Error::WeakPassword(_) => Some("password"),
            Error::InvalidAddress | Error::AddressTaken => Some("address"),
            Error::IssuerNotAllowed | Error::IssuerUnreachable => Some("issuer"),
            Error::UnsupportedPhotoType | Error::PhotoTooLarge | Error::InvalidPhoto(_) => {
                Some("photo")
            }
            _ => None,
        }
    }

    fn text(&self) -> Text {
        let id = match self {
            Error::WeakPassword(id) | Error::Expired(id) => id,
            Error::InvalidInput { message, .. } | Error::InvalidPhoto(message) => {
                return message.clone();
            }
            Error::PhotoTooLarge => {
                let megabytes = crate::values::PhotoType::MAX_BYTES / (1024 * 1024);
                return Text::new("error-photo-too-large").with("megabytes", megabytes as u64);
            }
            Error::NoAccess { address } => {
                return Text::new("error-no-access").with("address", address.as_str());
            }
            Error::RateLimited { retry_after_secs } => {
                return Text::new("error-rate-limited").with("seconds", *retry_after_secs);
            }
            Error::LicenceLimit { used, limit } => {
                return Text::new("error-licence-limit")
                    .with("used", *used)
                    .with("limit", *limit);
            }
            Error::HasTasks { tasks } => {
                return Text::new("error-has-tasks")
                    .with("count", tasks.len() as u64)
                    .with("tasks", tasks.join(", "));
            }
            Error::LinkRequired {
                email: Some(email), ..
            } => {
                return Text::new("error-link-required-email").with("email", email.as_str());
            }
            Error::LinkRequired { email: None, .. } => "error-link-required",
            Error::EmailTaken => "error-email-taken",
            Error::PhoneTaken => "error-phone-taken",
            Error::InvalidToken => "error-invalid-token",
            Error::SessionExpired => "error-session-expired",
            Error::InvalidCredentials => "error-invalid-credentials",
            Error::WrongPassword => "error-wrong-password",
            Error::Unverified => "error-unverified",
            Error::Unauthorized => "error-unauthorized",
            Error::Forbidden => "error-forbidden",
            Error::NotFound => "error-not-found",
            Error::Overloaded => "error-overloaded",
            Error::AccountsLinked => "error-accounts-linked",
            Error::InvalidAddress => "error-invalid-address",
            Error::AddressTaken => "error-address-taken",
            Error::AccountLimit => "error-account-limit",
            Error::RenameLimit => "error-rename-limit",
            Error::AlreadyMember => "error-already-member",
            Error::LastAdmin => "error-last-admin",
            Error::NotInvited => "error-not-invited",
            Error::WrongNumber => "error-wrong-number",
            Error::LastLogin => "error-last-login",
            Error::IdentityTaken => "error-identity-taken",
            Error::ProfileSessionRequired => "error-profile-session-required",
            Error::IssuerNotAllowed => "error-issuer-not-allowed",
            Error::IssuerUnreachable => "error-issuer-unreachable",
            Error::MisdirectedRequest => "error-misdirected-request",
            Error::UnsupportedPhotoType => "error-photo-type",
        };
        Text::new(id)
    }
}

/// In English, for logs and tests; people read `detail` in their own language.
impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail(Language::En))
    }
}

impl std::error::Error for Error {}

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
            Error::UnsupportedPhotoType => {
                (Code::UnsupportedMediaType, 415, "Unsupported Media Type")
            }
            Error::PhotoTooLarge => (Code::BodyTooLarge, 413, "Payload Too Large"),
            Error::InvalidPhoto(_) => (Code::InvalidPhoto, 422, "Invalid photo"),
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

    /// A field that does not parse; `message` names the sentence of `locales/*.ftl` about it.
    pub fn invalid(field: &'static str, message: &'static str) -> Self {
        Error::invalid_with(field, Text::new(message))
    }

    /// A field that does not parse, with a sentence that takes arguments.
    pub fn invalid_with(field: &'static str, message: Text) -> Self {
        Error::InvalidInput { field, message }
    }
}
