//! Social providers over plain OAuth2 (configured by the operator): the authorize URL with our
//! state and PKCE, the token request with HTTP Basic, and the person from the userinfo
//! endpoint (`sub` or `id`; `email` only when `email_verified` is true).

use super::attempt::{Target, Verified, callback_url, refused, remember};
use super::loopback::Desktop;
use super::outbound::Outbound;
use crate::error::AppResult;
use crate::social::{OAuth2Endpoints, SocialProvider};
use crate::state::AppState;
use crate::store::sign_ins::AttemptRow;
use crate::tokens;
use lanyard_core::values::Email;
use openidconnect::PkceCodeChallenge;
use secrecy::ExposeSecret;
use serde_json::Value;
use url::Url;

/// Records the attempt and answers the provider's authorize URL, with our state and PKCE.
pub async fn begin(
    state: &AppState,
    endpoints: &OAuth2Endpoints,
    client_id: &str,
    target: Target,
    desktop: Desktop,
) -> AppResult<Url> {
    let (pkce, verifier) = PkceCodeChallenge::new_random_sha256();
    let our_state = tokens::random();
    let mut url = endpoints.authorize.clone();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", &callback_url(state))
        .append_pair("scope", &endpoints.scopes)
        .append_pair("state", our_state.expose_secret())
        .append_pair("code_challenge", pkce.as_str())
        .append_pair("code_challenge_method", "S256");
    // OAuth2 has no nonce; the attempt's is unused.
    let nonce = tokens::random();
    remember(state, &our_state, &nonce, &verifier, target, desktop).await?;
    Ok(url)
}

/// Trades the code for an access token (client credentials in HTTP Basic, PKCE verifier in
/// the body) and asks the userinfo endpoint who this is.
pub async fn verify(
    state: &AppState,
    provider: &SocialProvider,
    endpoints: &OAuth2Endpoints,
    attempt: &AttemptRow,
    code: &str,
) -> AppResult<Verified> {
    let refusal = |what: String| {
        tracing::warn!(provider = %provider.name, error = %what, "provider answer refused");
        refused()
    };
    let outbound = Outbound::for_operator()?;
    let http = outbound.reqwest();
    let callback = callback_url(state);
    let answer = http
        .post(endpoints.token.clone())
        .basic_auth(&provider.client_id, Some(provider.secret()))
        .header("accept", "application/json")
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", callback.as_str()),
            ("code_verifier", attempt.pkce_verifier.as_str()),
        ])
        .send()
        .await
        .map_err(|e| refusal(e.to_string()))?;
    let token = json_of(answer).await.map_err(refusal)?;
    let access = token["access_token"]
        .as_str()
        .ok_or_else(|| refusal("no access token".into()))?;
    let answer = http
        .get(endpoints.userinfo.clone())
        .bearer_auth(access)
        .header("accept", "application/json")
        .send()
        .await
        .map_err(|e| refusal(e.to_string()))?;
    let info = json_of(answer).await.map_err(refusal)?;
    let subject = match (&info["sub"], &info["id"]) {
        (Value::String(sub), _) => sub.clone(),
        (_, Value::String(id)) => id.clone(),
        (_, Value::Number(id)) => id.to_string(),
        _ => return Err(refusal("no subject (sub or id)".into()).into()),
    };
    let email = match (&info["email"], &info["email_verified"]) {
        (Value::String(email), Value::Bool(true)) => Email::parse(email).ok(),
        _ => None,
    };
    Ok(Verified {
        issuer: provider.issuer.clone(),
        subject,
        email,
    })
}

/// A provider's JSON answer, or why there is none.
async fn json_of(answer: openidconnect::reqwest::Response) -> Result<Value, String> {
    let status = answer.status();
    let body = answer.bytes().await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("HTTP {status}"));
    }
    serde_json::from_slice(&body).map_err(|e| e.to_string())
}
