//! Social identities: sign-in with a configured provider (one person, one profile), linking
//! an identity whose email is an existing login with that profile's password, and
//! disconnecting.

use super::*;

/// Where the browser goes first for a social sign-in with the configured provider `name`.
/// With `account`, the sign-in is for that account (a desktop tab) and ends in `no_access`
/// unless the identity's profile is an active employee there.
pub async fn start_social(
    state: &AppState,
    name: &str,
    account: Option<&str>,
    redirect_uri: &str,
    code_challenge: &str,
    client_state: &str,
) -> AppResult<Url> {
    let provider = social_provider(state, name)?;
    let desktop = Desktop::check(redirect_uri, code_challenge, client_state)?;
    let account_id = match account {
        Some(address) => Some(
            accounts::resolve(&state.db, &address.trim().to_lowercase())
                .await?
                .ok_or_else(|| Error::NoAccess {
                    address: address.trim().to_owned(),
                })?
                .id,
        ),
        None => None,
    };
    let target = Target::Social(name.to_owned(), account_id);
    begin_social(state, &provider, target, desktop).await
}

/// Where the browser goes to connect the provider's identity to the signed-in profile (the
/// profile page's "Connect"): whatever its email, the identity joins this profile, unless
/// another profile has it already (`identity_taken`).
pub async fn start_connect(
    state: &AppState,
    caller: &Caller,
    name: &str,
    redirect_uri: &str,
    code_challenge: &str,
    client_state: &str,
) -> AppResult<Url> {
    let provider = social_provider(state, name)?;
    let desktop = Desktop::check(redirect_uri, code_challenge, client_state)?;
    let target = Target::Connect(name.to_owned(), caller.profile_id.clone());
    begin_social(state, &provider, target, desktop).await
}

/// Sends the browser to a social provider, by OpenID Connect or plain OAuth2.
async fn begin_social(
    state: &AppState,
    provider: &SocialProvider,
    target: Target,
    desktop: Desktop,
) -> AppResult<Url> {
    match &provider.oauth2 {
        Some(endpoints) => {
            begin_oauth2(state, endpoints, &provider.client_id, target, desktop).await
        }
        None => begin(state, &openid(provider), target, desktop).await,
    }
}

/// The one-time code of a social sign-in by `profile_id`: for the attempt's account when it
/// names one and the profile is active there, else `no_access`.
async fn signed_in(
    state: &AppState,
    attempt: &AttemptRow,
    profile_id: &str,
) -> AppResult<SecretString> {
    if let Some(account_id) = &attempt.account_id {
        let account = accounts::by_id(&state.db, account_id)
            .await?
            .ok_or(Error::NotFound)?;
        let member = employees::of_profile(&state.db, &account.id, profile_id).await?;
        if member.map(|m| m.member().status) != Some(Status::Active) {
            return Err(Error::NoAccess {
                address: account.address,
            }
            .into());
        }
    }
    one_time_code(
        state,
        attempt,
        profile_id,
        attempt.account_id.as_deref(),
        None,
    )
    .await
}

fn social_provider(state: &AppState, name: &str) -> AppResult<SocialProvider> {
    Ok(state
        .social
        .iter()
        .find(|p| p.name == name)
        .ok_or(Error::NotFound)?
        .clone())
}

/// An OpenID Connect social provider, as the code flow shared with single sign-on takes it.
fn openid(provider: &SocialProvider) -> ProviderRow {
    ProviderRow {
        issuer: provider.issuer.clone(),
        client_id: provider.client_id.clone(),
        client_secret: provider.secret().to_owned(),
    }
}

/// A social sign-in: the linked profile; or, for an identity whose verified email is an
/// existing login, a code that asks for that profile's password; or a new profile.
pub(super) async fn finish(
    state: &AppState,
    attempt: &AttemptRow,
    name: &str,
    code: &str,
) -> AppResult<SecretString> {
    let provider = social_provider(state, name)?;
    let verified = match &provider.oauth2 {
        Some(endpoints) => verify_oauth2(state, &provider, endpoints, attempt, code).await?,
        None => verify(state, &openid(&provider), attempt, code).await?,
    };
    let owner = sso::identity_owner(&state.db, &verified.issuer, &verified.subject).await?;
    if let Some(me) = &attempt.connect_profile {
        match owner {
            Some(owner) if owner != *me => return Err(Error::IdentityTaken.into()),
            Some(_) => {}
            None => {
                let identity = NewIdentity {
                    issuer: &verified.issuer,
                    subject: &verified.subject,
                    profile_id: me,
                    provider: name,
                    email: verified.email.as_ref().map(Email::as_str),
                    now: state.clock.now(),
                };
                sso::link(&state.db, &identity).await?;
            }
        }
        return one_time_code(state, attempt, me, None, None).await;
    }
    if let Some(profile_id) = owner {
        return signed_in(state, attempt, &profile_id).await;
    }
    if let Some(email) = &verified.email
        && let Some(holder) = profiles::by_email(&state.db, email.as_str()).await?
    {
        let pending = PendingLink {
            issuer: verified.issuer,
            subject: verified.subject,
            provider: name.to_owned(),
            email: email.as_str().to_owned(),
        };
        return one_time_code(state, attempt, &holder.id, None, Some(&pending)).await;
    }
    if let Some(account_id) = &attempt.account_id {
        // A new person is nobody's employee yet: no profile is made for a tab's sign-in.
        let address = accounts::by_id(&state.db, account_id)
            .await?
            .map(|account| account.address)
            .unwrap_or_default();
        return Err(Error::NoAccess { address }.into());
    }
    let profile_id = state.new_id();
    let now = state.clock.now();
    let new = NewProfile {
        id: &profile_id,
        email: verified.email.as_ref().map(Email::as_str),
        phone: None,
        password_hash: None,
        email_verified: verified.email.is_some(),
        first_name: "",
        last_name: "",
        now,
    };
    if profiles::insert(&state.db, &new).await?.is_err() {
        return Err(Error::EmailTaken.into());
    }
    let identity = NewIdentity {
        issuer: &verified.issuer,
        subject: &verified.subject,
        profile_id: &profile_id,
        provider: name,
        email: verified.email.as_ref().map(Email::as_str),
        now,
    };
    sso::link(&state.db, &identity).await?;
    signed_in(state, attempt, &profile_id).await
}

/// Links the identity a link token stands for, once the profile's password is confirmed.
/// Social sign-ins with it land in that profile from then on.
pub async fn link(
    state: &AppState,
    link_token: &SecretString,
    password: &SecretString,
) -> AppResult<Profile> {
    let hash = tokens::digest(link_token.expose_secret());
    let pending = sso::peek_link_token(&state.db, &hash, state.clock.now())
        .await?
        .ok_or(Error::InvalidToken)?;
    let row = profiles::by_id(&state.db, &pending.profile_id)
        .await?
        .ok_or(Error::InvalidToken)?;
    state.limits.sign_in_per_login.check(&row.id)?;
    if !state
        .hasher
        .verify(password, row.password_hash.as_deref())
        .await?
    {
        return Err(Error::WrongPassword.into());
    }
    let taken = sso::take_link_token(&state.db, &hash, state.clock.now())
        .await?
        .ok_or(Error::InvalidToken)?;
    let identity = NewIdentity {
        issuer: &taken.issuer,
        subject: &taken.subject,
        profile_id: &taken.profile_id,
        provider: &taken.provider,
        email: Some(&taken.email),
        now: state.clock.now(),
    };
    sso::link(&state.db, &identity).await?;
    crate::profile::view(state, row).await
}

/// Disconnects the profile's identities at `provider`, unless they are its only way in.
pub async fn unlink(state: &AppState, caller: &Caller, provider: &str) -> AppResult<()> {
    let row = profiles::by_id(&state.db, &caller.profile_id)
        .await?
        .ok_or(Error::Unauthorized)?;
    let identities = sso::identities_of(&state.db, &row.id).await?;
    let here = identities.iter().filter(|i| i.provider == provider).count();
    if here == 0 {
        return Err(Error::NotFound.into());
    }
    if row.password_hash.is_none() && identities.len() == here {
        return Err(Error::LastLogin.into());
    }
    sso::unlink(&state.db, &row.id, provider).await?;
    Ok(())
}
