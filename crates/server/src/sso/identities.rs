//! Social identities: sign-in with a configured provider (one person, one profile), linking
//! an identity to a profile the person proves (`link_required`, answered with the profile's
//! password), connecting one from the signed-in profile page, and disconnecting.

use super::attempt::{Outcome, Target};
use super::linking::link_identity;
use super::loopback::Desktop;
use super::outbound::Outbound;
use super::{oauth2, oidc};
use crate::error::AppResult;
use crate::ratelimit::{Client, login_key};
use crate::session::Caller;
use crate::state::AppState;
use crate::store::profiles::{self, LoginColumn, NewProfile};
use crate::store::sign_ins::{self, AttemptRow};
use crate::store::sso::{self, NewIdentity, ProviderRow};
use crate::store::{accounts, employees};
use crate::tokens;
use lanyard_core::Error;
use lanyard_core::api::{LoopbackStart, Profile, SessionScope};
use lanyard_core::policy::Status;
use lanyard_core::values::{Address, Email, Login};
use secrecy::{ExposeSecret, SecretString};
use tracing::instrument;
use url::Url;

/// Where the browser goes first for a social sign-in with the configured provider `name`.
/// With `account`, the sign-in is for that account (a desktop tab) and ends in `no_access`
/// unless the identity's profile is an active employee there.
#[instrument(skip_all)]
pub async fn start_social(
    state: &AppState,
    client: &Client,
    name: &str,
    account: Option<&str>,
    desktop: &LoopbackStart,
) -> AppResult<Url> {
    state
        .limits
        .browser_start_per_ip
        .check(&client.key())
        .await?;
    let provider = social_provider(state, name)?;
    let desktop = Desktop::check(desktop)?;
    let account_id = match account {
        Some(address) => Some(
            accounts::resolve(&state.db, &Address::lookup_key(address))
                .await?
                .ok_or_else(|| Error::NoAccess {
                    address: address.trim().to_owned(),
                })?
                .id,
        ),
        None => None,
    };
    let target = Target::Social {
        provider: name.to_owned(),
        account_id,
    };
    begin_social(state, &provider, target, desktop).await
}

/// Where the browser goes to connect the provider's identity to the signed-in profile (the
/// profile page's "Connect"): whatever its email, the identity joins this profile when the
/// desktop that started this trades the code (`identity_taken` if another profile has it).
#[instrument(skip_all)]
pub async fn start_connect(
    state: &AppState,
    caller: &Caller,
    name: &str,
    desktop: &LoopbackStart,
) -> AppResult<Url> {
    state
        .limits
        .browser_start_per_ip
        .check(&caller.profile_id)
        .await?;
    let provider = social_provider(state, name)?;
    let desktop = Desktop::check(desktop)?;
    let target = Target::Connect {
        provider: name.to_owned(),
        profile_id: caller.profile_id.to_string(),
    };
    begin_social(state, &provider, target, desktop).await
}

/// Sends the browser to a social provider, by OpenID Connect or plain OAuth2.
async fn begin_social(
    state: &AppState,
    provider: &crate::social::SocialProvider,
    target: Target,
    desktop: Desktop,
) -> AppResult<Url> {
    match &provider.oauth2 {
        Some(endpoints) => {
            oauth2::begin(state, endpoints, &provider.client_id, target, desktop).await
        }
        None => {
            let http = Outbound::for_operator()?;
            oidc::begin(state, &openid(provider), &http, target, desktop).await
        }
    }
}

fn social_provider(state: &AppState, name: &str) -> AppResult<crate::social::SocialProvider> {
    Ok(state
        .social
        .iter()
        .find(|p| p.name == name)
        .ok_or(Error::NotFound)?
        .clone())
}

/// An OpenID Connect social provider, as the code flow shared with single sign-on takes it.
fn openid(provider: &crate::social::SocialProvider) -> ProviderRow {
    ProviderRow {
        issuer: provider.issuer.clone(),
        client_id: provider.client_id.clone(),
        client_secret: provider.secret().to_owned(),
    }
}

/// A social sign-in of `profile_id`: for the attempt's account when it names one and the
/// profile is active there, else `no_access`.
async fn signed_in(
    state: &AppState,
    attempt: &AttemptRow,
    profile_id: String,
) -> AppResult<Outcome> {
    if let Some(account_id) = &attempt.account_id {
        let account = accounts::by_id(&state.db, account_id)
            .await?
            .ok_or(Error::NotFound)?;
        let member = employees::of_profile(&state.db, &account.id, &profile_id).await?;
        if member.map(|m| m.member().status) != Some(Status::Active) {
            return Err(Error::NoAccess {
                address: account.address,
            }
            .into());
        }
    }
    Ok(Outcome::SignIn {
        profile_id,
        account_id: attempt.account_id.clone(),
        scope: SessionScope::Profile,
    })
}

/// A social sign-in: the linked profile; or, for an identity whose verified email is another
/// profile's verified login, a request for that profile's password; or a new profile.
pub(super) async fn finish(
    state: &AppState,
    attempt: &AttemptRow,
    name: &str,
    code: &str,
) -> AppResult<Outcome> {
    let provider = social_provider(state, name)?;
    let verified = match &provider.oauth2 {
        Some(endpoints) => oauth2::verify(state, &provider, endpoints, attempt, code).await?,
        None => {
            let http = Outbound::for_operator()?;
            oidc::verify(state, &openid(&provider), &http, attempt, code).await?
        }
    };
    let owner = sso::identity_owner(&state.db, &verified.issuer, &verified.subject).await?;
    if let Some(me) = &attempt.connect_profile {
        if owner.as_ref().is_some_and(|owner| owner != me) {
            return Err(Error::IdentityTaken.into());
        }
        return Ok(Outcome::Link {
            profile_id: me.clone(),
            account_id: None,
            scope: SessionScope::Profile,
            identity: verified.identity(name),
        });
    }
    if let Some(profile_id) = owner {
        return signed_in(state, attempt, profile_id).await;
    }
    if let Some(email) = &verified.email
        && let Some(holder) = profiles::by_email(&state.db, email.as_str()).await?
        && holder.email_verified_at.is_some()
    {
        return Ok(Outcome::Prove {
            profile_id: Some(holder.id),
            identity: verified.identity(name),
        });
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
    if let Some(email) = &verified.email {
        // The provider proved the mailbox: an unverified claim to it reserves nothing.
        profiles::drop_unverified(&state.db, LoginColumn::Email, email.as_str()).await?;
    }
    let new = NewProfile {
        id: &profile_id,
        email: verified.email.as_ref().map(Email::as_str),
        phone: None,
        password_hash: None,
        email_verified: verified.email.is_some(),
        first_name: "",
        last_name: "",
        // Chosen later on the profile page; English until then.
        language: None,
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
    signed_in(state, attempt, profile_id).await
}

/// Links the identity a link token stands for to the profile the person proves with its
/// password: the one the token names, or else the one `login` names. Sign-ins with the
/// identity land in that profile from then on.
#[instrument(skip_all)]
pub async fn link(
    state: &AppState,
    client: &Client,
    link_token: &SecretString,
    login: Option<&str>,
    password: &SecretString,
) -> AppResult<Profile> {
    let hash = tokens::digest(link_token.expose_secret());
    let pending = sign_ins::peek_pending_link(&state.db, &hash, state.clock.now())
        .await?
        .ok_or(Error::InvalidToken)?;
    let row = match (&pending.profile_id, login) {
        (Some(id), _) => profiles::by_id(&state.db, id).await?,
        (None, Some(login)) => match Login::parse(login)? {
            Login::Email(email) => profiles::by_email(&state.db, email.as_str())
                .await?
                .filter(|row| row.email_verified_at.is_some()),
            Login::Phone(phone) => profiles::by_phone(&state.db, phone.as_str())
                .await?
                .filter(|row| row.phone_verified_at.is_some()),
        },
        (None, None) => {
            return Err(Error::invalid("login", "invalid-link-login").into());
        }
    };
    let key = login_key(
        row.as_ref()
            .map_or(login.unwrap_or_default(), |row| &row.id),
        client,
    );
    state.limits.password_failures.check(&key).await?;
    // An unknown login is checked against a dummy hash: same cost, same answer.
    let stored = row.as_ref().and_then(|row| row.password_hash.as_deref());
    let row = match row {
        Some(row) if state.hasher.verify(password, stored).await? => row,
        _ => {
            state.limits.password_failures.failed(&key).await?;
            return Err(Error::WrongPassword.into());
        }
    };
    state.limits.password_failures.succeeded(&key).await?;
    if !sign_ins::take_pending_link(&state.db, &hash, state.clock.now()).await? {
        return Err(Error::InvalidToken.into());
    }
    link_identity(state, &row.id, &pending.identity(), "Link with password").await?;
    crate::views::profile(state, row).await
}

/// Disconnects the profile's identities at `provider`, unless they are its only way in.
#[instrument(skip_all)]
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
