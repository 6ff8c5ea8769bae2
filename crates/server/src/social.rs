//! The social sign-in providers this server is configured with (`--social`): an OpenID
//! Connect provider as `NAME=ISSUER,CLIENT_ID,CLIENT_SECRET` (found by discovery, its ID
//! token checked), or a plain OAuth2 one as
//! `NAME=oauth2:AUTHORIZE_URL|TOKEN_URL|USERINFO_URL[|SCOPES],CLIENT_ID,CLIENT_SECRET`
//! (the person is who its userinfo endpoint says: `sub` or `id`, and `email` only with
//! `email_verified: true`).

use crate::error::InvalidFlag;
use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::str::FromStr;
use url::Url;

#[derive(Clone)]
pub struct SocialProvider {
    pub name: String,
    /// The OpenID issuer; for OAuth2 providers `oauth2:` and the userinfo URL, which keys
    /// their identities the same way (issuer, subject).
    pub issuer: String,
    /// Set for plain OAuth2 providers.
    pub oauth2: Option<OAuth2Endpoints>,
    pub client_id: String,
    pub client_secret: SecretString,
}

impl fmt::Debug for SocialProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}={},{},[redacted]",
            self.name, self.issuer, self.client_id
        )
    }
}

/// Where a plain OAuth2 provider signs people in, and what to ask for.
#[derive(Debug, Clone)]
pub struct OAuth2Endpoints {
    pub authorize: Url,
    pub token: Url,
    pub userinfo: Url,
    pub scopes: String,
}

impl OAuth2Endpoints {
    fn parse(spec: &str) -> Result<OAuth2Endpoints, InvalidFlag> {
        let bad = || {
            InvalidFlag(
                "write OAuth2 providers as oauth2:AUTHORIZE_URL|TOKEN_URL|USERINFO_URL[|SCOPES]"
                    .to_owned(),
            )
        };
        let mut parts = spec.split('|').map(str::trim);
        let mut url = || -> Result<Url, InvalidFlag> {
            let text = parts.next().ok_or_else(bad)?;
            Url::parse(text).map_err(|e| InvalidFlag(format!("{text}: {e}")))
        };
        let (authorize, token, userinfo) = (url()?, url()?, url()?);
        let scopes = parts.next().unwrap_or("email").to_owned();
        Ok(OAuth2Endpoints {
            authorize,
            token,
            userinfo,
            scopes,
        })
    }
}

impl SocialProvider {
    pub fn secret(&self) -> &str {
        self.client_secret.expose_secret()
    }
}

impl FromStr for SocialProvider {
    type Err = InvalidFlag;

    fn from_str(text: &str) -> Result<SocialProvider, InvalidFlag> {
        let bad =
            || InvalidFlag("write social providers as NAME=ISSUER,CLIENT_ID,CLIENT_SECRET".into());
        let (name, rest) = text.split_once('=').ok_or_else(bad)?;
        let mut parts = rest.splitn(3, ',');
        let (Some(issuer), Some(client_id), Some(secret)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let name = name.trim().to_lowercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(InvalidFlag(
                "a social provider's name is letters, digits and hyphens".into(),
            ));
        }
        let oauth2 = match issuer.trim().strip_prefix("oauth2:") {
            Some(spec) => Some(OAuth2Endpoints::parse(spec)?),
            None => None,
        };
        let issuer = match &oauth2 {
            Some(endpoints) => format!("oauth2:{}", endpoints.userinfo),
            None => issuer.trim().trim_end_matches('/').to_owned(),
        };
        Ok(SocialProvider {
            name,
            issuer,
            oauth2,
            client_id: client_id.trim().to_owned(),
            client_secret: SecretString::from(secret.trim()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_never_prints_the_secret() {
        let google: SocialProvider = "Google=https://accounts.example/,id-1,s3cret"
            .parse()
            .unwrap();
        assert_eq!(
            (
                google.name.as_str(),
                google.issuer.as_str(),
                google.client_id.as_str()
            ),
            ("google", "https://accounts.example", "id-1")
        );
        assert_eq!(google.secret(), "s3cret");
        assert!(!format!("{google:?}").contains("s3cret"));
        assert!("google=https://x".parse::<SocialProvider>().is_err());
        assert!(google.oauth2.is_none());
    }

    #[test]
    fn parses_plain_oauth2_providers() {
        let hub: SocialProvider =
            "hub=oauth2:https://hub.example/authorize|https://hub.example/token|https://api.hub.example/user|read:user user:email,id-2,s3cret"
                .parse()
                .unwrap();
        let endpoints = hub.oauth2.clone().unwrap();
        assert_eq!(endpoints.token.as_str(), "https://hub.example/token");
        assert_eq!(endpoints.scopes, "read:user user:email");
        assert_eq!(hub.issuer, "oauth2:https://api.hub.example/user");
        let defaults: SocialProvider =
            "hub=oauth2:https://a.example/|https://t.example/|https://u.example/,id,s"
                .parse()
                .unwrap();
        assert_eq!(defaults.oauth2.unwrap().scopes, "email");
        assert!(
            "hub=oauth2:https://a.example/|nope,id,s"
                .parse::<SocialProvider>()
                .is_err()
        );
    }
}
