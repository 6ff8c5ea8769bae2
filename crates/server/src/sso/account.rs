//! Single sign-on to an account: an administrator sets its provider; the provider's verified
//! email finds the active employee, whose profile the identity is then linked to, so later
//! sign-ins follow the identity, not the email.

use super::*;

/// Administrators set the account's provider. Its discovery document is fetched first, so a
/// typo in the issuer is caught now rather than at someone's first sign-in.
pub async fn configure(
    state: &AppState,
    caller: &Caller,
    address: &str,
    config: &SsoConfig,
) -> AppResult<SsoSettings> {
    let scope = scope(state, caller, address).await?;
    scope.admin()?;
    let provider = ProviderRow {
        issuer: config.issuer.trim().trim_end_matches('/').to_owned(),
        client_id: config.client_id.trim().to_owned(),
        client_secret: config.client_secret.expose_secret().to_owned(),
    };
    if provider.client_id.is_empty() {
        return Err(Error::invalid("client_id", "give the client id the provider issued").into());
    }
    client(state, &provider, &http()?).await?;
    sso::set_provider(&state.db, &scope.account.id, &provider, state.clock.now()).await?;
    Ok(SsoSettings {
        issuer: provider.issuer,
        client_id: provider.client_id,
    })
}

/// Where the browser goes first for single sign-on to the account at `address`.
pub async fn start(
    state: &AppState,
    address: &str,
    redirect_uri: &str,
    code_challenge: &str,
    client_state: &str,
) -> AppResult<Url> {
    let account = accounts::resolve(&state.db, &address.trim().to_lowercase())
        .await?
        .ok_or(Error::NotFound)?;
    let provider = sso::provider(&state.db, &account.id)
        .await?
        .ok_or(Error::NotFound)?;
    let desktop = Desktop::check(redirect_uri, code_challenge, client_state)?;
    begin(state, &provider, Target::Account(account.id), desktop).await
}

pub(super) async fn finish(
    state: &AppState,
    attempt: &AttemptRow,
    account_id: &str,
    code: &str,
) -> AppResult<SecretString> {
    let account = accounts::by_id(&state.db, account_id)
        .await?
        .ok_or(Error::NotFound)?;
    let provider = sso::provider(&state.db, &account.id)
        .await?
        .ok_or(Error::NotFound)?;
    let verified = verify(state, &provider, attempt, code).await?;
    let no_access = || Error::NoAccess {
        address: account.address.clone(),
    };
    let profile_id =
        match sso::identity_owner(&state.db, &verified.issuer, &verified.subject).await? {
            Some(profile_id) => profile_id,
            None => {
                let email = verified.email.as_ref().ok_or_else(no_access)?;
                let profile_id = sso::employee_by_email(&state.db, &account.id, email.as_str())
                    .await?
                    .ok_or_else(no_access)?;
                let identity = NewIdentity {
                    issuer: &verified.issuer,
                    subject: &verified.subject,
                    profile_id: &profile_id,
                    provider: &format!("sso:{}", account.address),
                    email: Some(email.as_str()),
                    now: state.clock.now(),
                };
                sso::link(&state.db, &identity).await?;
                profile_id
            }
        };
    let member = employees::of_profile(&state.db, &account.id, &profile_id).await?;
    if member.map(|m| m.member().status) != Some(Status::Active) {
        return Err(no_access().into());
    }
    one_time_code(state, attempt, &profile_id, Some(&account.id), None).await
}
