//! The stable machine-readable codes of API.md's problem documents: what clients switch on,
//! never the text. Each domain error has one (`Error::code`); the HTTP layer has its own
//! beside them (a body it cannot read, a route that is not there).

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
    /// A photo upload that is not the image it declares (damaged, another format, too many
    /// pixels).
    InvalidPhoto,
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
    InvalidPhoto => "invalid_photo",
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
