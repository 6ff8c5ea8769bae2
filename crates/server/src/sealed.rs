//! Secrets the server must keep but never hand back, sealed at rest: an account's single
//! sign-on client secret is stored encrypted (ChaCha20-Poly1305) under a key derived from the
//! server's signing key, so a copy of the database (a backup, a support dump) does not carry
//! it. A value written before sealing existed is read as it is and sealed on its next save.

use crate::error::{AppError, AppResult};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};

const PREFIX: &str = "sealed:v1:";
const NONCE_BYTES: usize = 12;

pub struct Sealer(ChaCha20Poly1305);

impl Sealer {
    pub fn new(key: [u8; 32]) -> Sealer {
        Sealer(ChaCha20Poly1305::new(&key.into()))
    }

    /// `sealed:v1:` and the nonce and ciphertext, base64url.
    pub fn seal(&self, plain: &str) -> AppResult<String> {
        let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .0
            .encrypt(&nonce, plain.as_bytes())
            .map_err(|e| AppError::internal("sealing a secret", e.to_string()))?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// The secret a stored value holds. A value that is not sealed predates sealing.
    pub fn open(&self, stored: &str) -> AppResult<String> {
        let Some(encoded) = stored.strip_prefix(PREFIX) else {
            return Ok(stored.to_owned());
        };
        let unreadable = || {
            AppError::internal(
                "opening a sealed secret",
                "it does not open: was the signing key changed? Set the secret again",
            )
        };
        let bytes = URL_SAFE_NO_PAD.decode(encoded).map_err(|_| unreadable())?;
        if bytes.len() < NONCE_BYTES {
            return Err(unreadable());
        }
        let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
        let plain = self
            .0
            .decrypt(Nonce::from_slice(nonce), sealed)
            .map_err(|_| unreadable())?;
        String::from_utf8(plain).map_err(|_| unreadable())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_secret_opens_with_its_key_only_and_hides_its_text() {
        let sealer = Sealer::new([7; 32]);
        let sealed = sealer.seal("provider-issued-secret").unwrap();
        assert!(sealed.starts_with(PREFIX) && !sealed.contains("provider-issued"));
        assert_ne!(sealed, sealer.seal("provider-issued-secret").unwrap());
        assert_eq!(sealer.open(&sealed).unwrap(), "provider-issued-secret");
        assert!(Sealer::new([8; 32]).open(&sealed).is_err());
        assert_eq!(sealer.open("legacy plain").unwrap(), "legacy plain");
    }
}
