//! The desktop's side of a browser sign-in (RFC 8252): where to come back to (a loopback
//! address on any port), its PKCE challenge, and its own state, all checked at the start; and
//! the check of its PKCE verifier when it trades the one-time code.

use lanyard_core::Error;
use lanyard_core::api::LoopbackStart;
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;
use url::Url;

/// What the desktop sent: where to come back to, its PKCE challenge and its state.
pub struct Desktop {
    pub redirect_uri: Url,
    pub code_challenge: String,
    pub state: String,
}

impl Desktop {
    pub fn check(start: &LoopbackStart) -> Result<Desktop, Error> {
        Ok(Desktop {
            redirect_uri: loopback(&start.redirect_uri)?,
            code_challenge: challenge(&start.code_challenge)?,
            state: start.state.clone(),
        })
    }
}

/// Whether `verifier` is the one `challenge` was made from (S256), compared in constant time.
pub fn verifier_matches(verifier: &SecretString, challenge: &str) -> bool {
    let computed = lanyard_core::pkce::s256(verifier.expose_secret());
    bool::from(computed.as_bytes().ct_eq(challenge.as_bytes()))
}

/// RFC 8252: the desktop listens on a loopback IP literal, on any port.
fn loopback(redirect_uri: &str) -> Result<Url, Error> {
    let url = Url::parse(redirect_uri)
        .map_err(|_| Error::invalid("redirect_uri", "invalid-redirect-uri"))?;
    let host_ok = matches!(url.host(), Some(url::Host::Ipv4(ip)) if ip.is_loopback())
        || matches!(url.host(), Some(url::Host::Ipv6(ip)) if ip.is_loopback());
    if url.scheme() != "http" || !host_ok || url.fragment().is_some() {
        return Err(Error::invalid("redirect_uri", "invalid-redirect-uri"));
    }
    Ok(url)
}

/// A PKCE S256 challenge: 43 base64url characters.
fn challenge(raw: &str) -> Result<String, Error> {
    let valid = raw.len() == 43
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid {
        Ok(raw.to_owned())
    } else {
        Err(Error::invalid("code_challenge", "invalid-code-challenge"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(redirect_uri: &str, code_challenge: &str) -> Result<Desktop, Error> {
        Desktop::check(&LoopbackStart {
            redirect_uri: redirect_uri.into(),
            code_challenge: code_challenge.into(),
            state: "s".into(),
        })
    }

    #[test]
    fn only_loopback_literals_with_an_s256_challenge_start() {
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(check("http://127.0.0.1:5000/cb", challenge).is_ok());
        assert!(check("http://[::1]:5000/cb", challenge).is_ok());
        for bad in [
            "http://localhost:5000/cb",
            "https://127.0.0.1/cb",
            "http://evil.example/cb",
            "http://127.0.0.1:5000/cb#frag",
        ] {
            assert!(check(bad, challenge).is_err(), "{bad}");
        }
        assert!(check("http://127.0.0.1:5000/cb", "plain").is_err());
    }

    #[test]
    fn the_verifier_of_rfc_7636_matches_its_challenge() {
        let verifier = SecretString::from("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert!(verifier_matches(
            &verifier,
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        ));
        assert!(!verifier_matches(
            &verifier,
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN"
        ));
    }
}
