//! The OpenID Connect code flow with a provider: discovery, the authorization URL with our
//! own state, nonce and PKCE, and the check of its ID token. Used by account single sign-on
//! and by social providers configured as OpenID Connect.

use super::attempt::{Target, Verified, callback_url, refused, remember};
use super::loopback::Desktop;
use super::outbound::Outbound;
use crate::error::{AppResult, Context};
use crate::state::AppState;
use crate::store::sign_ins::AttemptRow;
use crate::store::sso::ProviderRow;
use crate::tokens;
use lanyard_core::Error;
use lanyard_core::values::Email;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
    TokenResponse,
};
use secrecy::ExposeSecret;
use url::Url;

type ProviderClient = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// A client of the provider, from its discovery document. Any failure is the same
/// `issuer_unreachable` (or `issuer_not_allowed` for an address the server must not call);
/// the cause goes to the log only, so the answer cannot map the server's network.
pub async fn client(
    state: &AppState,
    provider: &ProviderRow,
    http: &Outbound,
) -> AppResult<ProviderClient> {
    let issuer_url = Url::parse(&provider.issuer).map_err(|_| Error::IssuerNotAllowed)?;
    http.check(&issuer_url)?;
    let issuer = IssuerUrl::new(provider.issuer.clone()).map_err(|_| Error::IssuerNotAllowed)?;
    let metadata = CoreProviderMetadata::discover_async(issuer, http)
        .await
        .map_err(|error| {
            tracing::warn!(issuer = %provider.issuer, error = %error, "provider discovery failed");
            Error::IssuerUnreachable
        })?;
    let redirect = RedirectUrl::new(callback_url(state)).context("making the callback address")?;
    Ok(CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(provider.client_id.clone()),
        Some(ClientSecret::new(provider.client_secret.clone())),
    )
    .set_redirect_uri(redirect))
}

/// Records the attempt and answers where to send the browser: the provider's authorization
/// endpoint with our own state, nonce and PKCE.
pub async fn begin(
    state: &AppState,
    provider: &ProviderRow,
    http: &Outbound,
    target: Target,
    desktop: Desktop,
) -> AppResult<Url> {
    let client = client(state, provider, http).await?;
    let (pkce, verifier) = PkceCodeChallenge::new_random_sha256();
    let our_state = tokens::random();
    let nonce = tokens::random();
    let (csrf, once) = (
        our_state.expose_secret().to_owned(),
        nonce.expose_secret().to_owned(),
    );
    let (url, _, _) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            move || CsrfToken::new(csrf),
            move || Nonce::new(once),
        )
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(pkce)
        .url();
    // The authorization endpoint is where the person's browser goes, not the server: it may be
    // anywhere the provider says, but only over http(s).
    if !matches!(url.scheme(), "https" | "http") {
        return Err(Error::IssuerNotAllowed.into());
    }
    remember(state, &our_state, &nonce, &verifier, target, desktop).await?;
    Ok(url)
}

/// Trades the provider's code for its ID token and checks it (signature, issuer, audience,
/// nonce, expiry). Only a verified email counts.
pub async fn verify(
    state: &AppState,
    provider: &ProviderRow,
    http: &Outbound,
    attempt: &AttemptRow,
    code: &str,
) -> AppResult<Verified> {
    let client = client(state, provider, http).await?;
    let refused = |what: String| {
        tracing::warn!(issuer = %provider.issuer, error = %what, "provider answer refused");
        refused()
    };
    let response = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .map_err(|e| refused(e.to_string()))?
        .set_pkce_verifier(PkceCodeVerifier::new(attempt.pkce_verifier.clone()))
        .request_async(http)
        .await
        .map_err(|e| refused(e.to_string()))?;
    let id_token = response
        .id_token()
        .ok_or_else(|| refused("no ID token".into()))?;
    let claims = id_token
        .claims(
            &client.id_token_verifier(),
            &Nonce::new(attempt.nonce.clone()),
        )
        .map_err(|e| refused(e.to_string()))?;
    let email = match (claims.email(), claims.email_verified()) {
        (Some(email), Some(true)) => Email::parse(email.as_str()).ok(),
        _ => None,
    };
    Ok(Verified {
        issuer: claims.issuer().as_str().to_owned(),
        subject: claims.subject().as_str().to_owned(),
        email,
    })
}
