//! Secrets the server hands out. Opaque tokens (refresh tokens, mailed links) are 256 bits
//! from the OS CSPRNG, base64url, and stored only as SHA-256 digests. Access tokens are
//! HS256 JWTs that live 15 minutes; their key is generated on first start and kept in the
//! database so every replica verifies every other's tokens.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use lanyard_core::Error;
use lanyard_core::api::SessionScope;
use rand::rngs::OsRng;
use rand::{Rng, RngCore};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const ACCESS_TTL: Duration = Duration::minutes(15);

/// A fresh 256-bit token.
pub fn random() -> SecretString {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    SecretString::from(URL_SAFE_NO_PAD.encode(bytes))
}

/// What is stored in place of a token.
pub fn digest(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

/// A 6-digit SMS code, uniformly drawn.
pub fn six_digits() -> SecretString {
    SecretString::from(format!("{:06}", OsRng.gen_range(0..1_000_000u32)))
}

/// The claims of an access token.
#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The profile.
    pub sub: String,
    /// The session (refresh-token family), checked on every request so revocation is immediate.
    pub sid: String,
    /// The account the session is for, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acc: Option<String>,
    /// What the session may act for: `profile` or `account` (that account only).
    pub scp: String,
    pub iat: i64,
    pub exp: i64,
}

pub struct AccessTokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    /// The same key, for values every replica must derive alike (HMAC-SHA256).
    derivation: Hmac<Sha256>,
}

impl AccessTokens {
    pub fn new(key: &[u8]) -> AccessTokens {
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry is checked against our Clock below, not the library's wall clock.
        validation.validate_exp = false;
        AccessTokens {
            encoding: EncodingKey::from_secret(key),
            decoding: DecodingKey::from_secret(key),
            validation,
            derivation: <Hmac<Sha256> as Mac>::new_from_slice(key)
                .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length")),
        }
    }

    /// A value only this server's key yields for `input`: every replica derives the same one,
    /// nobody without the key can predict it.
    pub fn derive(&self, input: &str) -> [u8; 32] {
        let mut mac = self.derivation.clone();
        mac.update(input.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// A new random signing key, base64url, for first start.
    pub fn generate_key() -> SecretString {
        random()
    }

    pub fn issue(
        &self,
        profile_id: &str,
        session_id: &str,
        account_id: Option<&str>,
        scope: SessionScope,
        now: DateTime<Utc>,
    ) -> Result<SecretString, jsonwebtoken::errors::Error> {
        let claims = Claims {
            sub: profile_id.to_owned(),
            sid: session_id.to_owned(),
            acc: account_id.map(str::to_owned),
            scp: scope.as_str().to_owned(),
            iat: now.timestamp(),
            exp: (now + ACCESS_TTL).timestamp(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map(SecretString::from)
    }

    /// The claims of a genuine, unexpired token; `unauthorized` otherwise.
    pub fn verify(&self, token: &SecretString, now: DateTime<Utc>) -> Result<Claims, Error> {
        let claims =
            jsonwebtoken::decode::<Claims>(token.expose_secret(), &self.decoding, &self.validation)
                .map_err(|_| Error::Unauthorized)?
                .claims;
        if claims.exp <= now.timestamp() {
            return Err(Error::Unauthorized);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanyard_core::clock::{Clock, SystemClock};

    #[test]
    fn tokens_are_256_bit_and_distinct() {
        let (a, b) = (random(), random());
        assert_eq!(URL_SAFE_NO_PAD.decode(a.expose_secret()).unwrap().len(), 32);
        assert_ne!(a.expose_secret(), b.expose_secret());
        assert_ne!(digest(a.expose_secret()), a.expose_secret());
    }

    #[test]
    fn access_tokens_expire_and_are_bound_to_their_key() {
        let now = SystemClock.now();
        let tokens = AccessTokens::new(b"k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1k1");
        let token = tokens
            .issue("p", "s", None, SessionScope::Profile, now)
            .unwrap();
        let claims = tokens.verify(&token, now).unwrap();
        assert_eq!((claims.sid.as_str(), claims.scp.as_str()), ("s", "profile"));
        assert!(tokens.verify(&token, now + ACCESS_TTL).is_err());
        let other = AccessTokens::new(b"k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2k2");
        assert!(other.verify(&token, now).is_err());
    }
}
