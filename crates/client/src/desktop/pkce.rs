//! Proof Key for Code Exchange (RFC 7636, method `S256`) and the random `state` of a browser
//! sign-in: the desktop sends the challenge with the start URL and keeps the verifier, so a
//! one-time code caught on the way back is worthless to whoever caught it.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use secrecy::SecretString;

/// A PKCE pair: the verifier stays here, the challenge goes to the server.
pub struct Pkce {
    pub verifier: SecretString,
    pub challenge: String,
}

impl std::fmt::Debug for Pkce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pkce")
            .field("challenge", &self.challenge)
            .finish_non_exhaustive()
    }
}

impl Pkce {
    /// A fresh pair, its verifier 32 random bytes (43 characters of base64url).
    pub fn new() -> Pkce {
        Pkce::from_verifier(random())
    }

    /// The pair of a given verifier: its challenge is `BASE64URL(SHA256(verifier))`.
    pub fn from_verifier(verifier: String) -> Pkce {
        let challenge = lanyard_core::pkce::s256(&verifier);
        Pkce {
            verifier: SecretString::from(verifier),
            challenge,
        }
    }
}

impl Default for Pkce {
    fn default() -> Self {
        Pkce::new()
    }
}

/// 32 random bytes as base64url without padding: a verifier, or a `state`.
pub fn random() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn the_challenge_is_the_rfc_7636_s256_of_the_verifier() {
        // RFC 7636, appendix B.
        let pair = Pkce::from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".to_owned());
        assert_eq!(
            pair.challenge,
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(
            pair.verifier.expose_secret(),
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
        );
    }

    #[test]
    fn a_fresh_verifier_is_43_unreserved_characters() {
        // RFC 7636 §4.1: 43 to 128 characters of [A-Z a-z 0-9 - . _ ~].
        let pair = Pkce::new();
        let verifier = pair.verifier.expose_secret();
        assert_eq!(verifier.len(), 43);
        assert!(
            verifier
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c)),
            "{verifier}"
        );
        let again = Pkce::from_verifier(verifier.to_owned());
        assert_eq!(again.challenge, pair.challenge);
    }

    #[test]
    fn every_pair_and_state_is_new() {
        let (a, b) = (Pkce::new(), Pkce::new());
        assert_ne!(a.challenge, b.challenge);
        assert_ne!(random(), random());
    }

    #[test]
    fn the_debug_output_hides_the_verifier() {
        let pair = Pkce::from_verifier("a-verifier-nobody-may-log".to_owned());
        assert!(!format!("{pair:?}").contains("a-verifier-nobody-may-log"));
    }
}
