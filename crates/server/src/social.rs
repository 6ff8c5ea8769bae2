//! The social sign-in providers this server is configured with (`--social`), each an OpenID
//! Connect provider: `NAME=ISSUER,CLIENT_ID,CLIENT_SECRET`.

use secrecy::{ExposeSecret, SecretString};
use std::fmt;
use std::str::FromStr;

#[derive(Clone)]
pub struct SocialProvider {
    pub name: String,
    pub issuer: String,
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

impl SocialProvider {
    pub fn secret(&self) -> &str {
        self.client_secret.expose_secret()
    }
}

impl FromStr for SocialProvider {
    type Err = String;

    fn from_str(text: &str) -> Result<SocialProvider, String> {
        let bad = || "write social providers as NAME=ISSUER,CLIENT_ID,CLIENT_SECRET".to_owned();
        let (name, rest) = text.split_once('=').ok_or_else(bad)?;
        let mut parts = rest.splitn(3, ',');
        let (Some(issuer), Some(client_id), Some(secret)) =
            (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let name = name.trim().to_lowercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err("a social provider's name is letters, digits and hyphens".into());
        }
        Ok(SocialProvider {
            name,
            issuer: issuer.trim().trim_end_matches('/').to_owned(),
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
    }
}
