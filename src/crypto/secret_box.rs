//! Encryption of secrets at rest (network tokens, app secrets).
//!
//! Format: `v1.{key_id}.{base64url(nonce24 || ciphertext)}` with XChaCha20-Poly1305. The
//! 24-byte nonce is random, so no counter has to be kept across instances. The associated
//! data binds a ciphertext to its row (`"{table}:{column}:{row_id}"`): a value copied into
//! another row fails to decrypt instead of granting that row's access.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;

use super::MasterKey;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretError {
    #[error("ciphertext is malformed")]
    Malformed,
    #[error("ciphertext was made with key {0}, which this install does not have")]
    UnknownKey(String),
    #[error("ciphertext does not decrypt with this key and row (tampered or moved)")]
    Decrypt,
}

/// Encrypts and decrypts with the current master key; older keys still decrypt, so the key can
/// be rotated by re-encrypting rows.
#[derive(Clone)]
pub struct SecretBox {
    current: MasterKey,
    previous: Vec<MasterKey>,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretBox(key {})", self.current.id())
    }
}

impl SecretBox {
    pub fn new(current: MasterKey) -> Self {
        SecretBox {
            current,
            previous: Vec::new(),
        }
    }

    pub fn with_previous(mut self, keys: Vec<MasterKey>) -> Self {
        self.previous = keys;
        self
    }

    pub fn key_id(&self) -> &str {
        self.current.id()
    }

    /// A key for one purpose (say, signing public media addresses), derived from the current
    /// master key with HMAC-SHA256, so every instance of the install derives the same one and
    /// the master key itself never signs anything.
    pub fn derive_key(&self, purpose: &str) -> [u8; 32] {
        super::hmac::sha256(self.current.bytes(), format!("herald:{purpose}").as_bytes())
    }

    pub fn encrypt(&self, plaintext: &[u8], aad: &str) -> String {
        let cipher = XChaCha20Poly1305::new(self.current.bytes().into());
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: plaintext,
                    aad: aad.as_bytes(),
                },
            )
            // Encryption only fails for inputs beyond 256 GiB.
            .expect("XChaCha20-Poly1305 encryption of a bounded secret");
        let mut body = nonce.to_vec();
        body.extend_from_slice(&sealed);
        format!("v1.{}.{}", self.current.id(), URL_SAFE_NO_PAD.encode(body))
    }

    pub fn decrypt(&self, sealed: &str, aad: &str) -> Result<Vec<u8>, SecretError> {
        let mut parts = sealed.splitn(3, '.');
        let (Some("v1"), Some(key_id), Some(body)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(SecretError::Malformed);
        };
        let key = std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|k| k.id() == key_id)
            .ok_or_else(|| SecretError::UnknownKey(key_id.to_owned()))?;
        let body = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| SecretError::Malformed)?;
        if body.len() < 24 + 16 {
            return Err(SecretError::Malformed);
        }
        let (nonce, ciphertext) = body.split_at(24);
        let nonce: [u8; 24] = nonce.try_into().map_err(|_| SecretError::Malformed)?;
        XChaCha20Poly1305::new(key.bytes().into())
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Decrypt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxed() -> SecretBox {
        SecretBox::new(MasterKey::generate())
    }

    #[test]
    fn round_trips_and_names_the_key() {
        let sb = boxed();
        let sealed = sb.encrypt(b"mastodon-token", "channels:access_token:1");
        assert!(sealed.starts_with(&format!("v1.{}.", sb.key_id())));
        assert!(!sealed.contains("mastodon-token"));
        assert_eq!(
            sb.decrypt(&sealed, "channels:access_token:1").unwrap(),
            b"mastodon-token"
        );
    }

    #[test]
    fn a_ciphertext_moved_to_another_row_does_not_decrypt() {
        let sb = boxed();
        let sealed = sb.encrypt(b"secret", "channels:access_token:1");
        assert_eq!(
            sb.decrypt(&sealed, "channels:access_token:2"),
            Err(SecretError::Decrypt)
        );
    }

    #[test]
    fn tampering_and_unknown_keys_are_detected() {
        let sb = boxed();
        let sealed = sb.encrypt(b"secret", "row");
        let mut tampered = sealed.clone().into_bytes();
        let last = tampered.len() - 2;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        assert_eq!(sb.decrypt(&tampered, "row"), Err(SecretError::Decrypt));
        assert_eq!(sb.decrypt("v1.x", "row"), Err(SecretError::Malformed));
        assert!(matches!(
            boxed().decrypt(&sealed, "row"),
            Err(SecretError::UnknownKey(_))
        ));
    }

    #[test]
    fn previous_keys_still_decrypt() {
        let old = boxed();
        let sealed = old.encrypt(b"secret", "row");
        let rotated =
            SecretBox::new(MasterKey::generate()).with_previous(vec![old.current.clone()]);
        assert_eq!(rotated.decrypt(&sealed, "row").unwrap(), b"secret");
    }
}
