//! Sealing secret values with XChaCha20-Poly1305 under the master key.
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use std::fmt;
use zeroize::Zeroizing;

use crate::model::AppError;
use crate::server::error::internal;

pub const KEY_LEN: usize = 32;
pub const NONCE_LEN: usize = 24;

/// The 32-byte key every secret is sealed under. It never prints, and the cipher wipes
/// it from memory when dropped.
pub struct MasterKey(XChaCha20Poly1305);

/// A sealed value as stored: a fresh random nonce and the ciphertext with its tag.
pub struct Sealed {
    pub nonce: Vec<u8>,
    pub ciphertext: Vec<u8>,
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(hidden)")
    }
}

impl MasterKey {
    /// A new random key.
    pub fn generate() -> Self {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        rand::rng().fill_bytes(bytes.as_mut());
        Self(XChaCha20Poly1305::new(bytes.as_ref().into()))
    }

    /// The key made of exactly `KEY_LEN` bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        XChaCha20Poly1305::new_from_slice(bytes)
            .map(Self)
            .map_err(|_| format!("a master key is {KEY_LEN} bytes, this one has {}", bytes.len()))
    }

    /// Seals `plaintext` bound to `aad`: it opens again only with the same `aad`.
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Result<Sealed, AppError> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let ciphertext = self
            .0
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plaintext, aad })
            .map_err(|e| internal("sealing a secret failed", e))?;
        Ok(Sealed {
            nonce: nonce.to_vec(),
            ciphertext,
        })
    }

    /// The plaintext of `sealed`, if it was sealed under this key with this `aad` and
    /// nothing in it changed since. Any bytes at all may be given.
    pub fn open(&self, sealed: &Sealed, aad: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        if sealed.nonce.len() != NONCE_LEN {
            return None;
        }
        self.0
            .decrypt(
                XNonce::from_slice(&sealed.nonce),
                Payload {
                    msg: &sealed.ciphertext,
                    aad,
                },
            )
            .ok()
            .map(Zeroizing::new)
    }
}

impl MasterKey {
    /// 20 bytes that only this key gives for `context`: the XChaCha20 keystream under a
    /// nonce taken from the context's hash. The same context always gives the same bytes.
    pub fn derive(&self, context: &[u8]) -> Result<Vec<u8>, AppError> {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(context);
        let mut stream = self
            .0
            .encrypt(XNonce::from_slice(&digest[..NONCE_LEN]), [0u8; 20].as_slice())
            .map_err(|e| internal("deriving from the master key failed", e))?;
        stream.truncate(20);
        Ok(stream)
    }
}

/// What a secret's ciphertext is bound to: its name and kind, so a ciphertext copied
/// into another row does not open there.
pub fn associated_data(name: &str, kind: &str) -> Vec<u8> {
    format!("owlery-secret-v1\0{name}\0{kind}").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const VALUE: &[u8] = b"AKIA-correct-horse-battery-staple";

    #[test]
    fn a_sealed_value_opens_with_its_key_and_associated_data() {
        let key = MasterKey::generate();
        let aad = associated_data("s3-backup", "s3-secret-key");
        let sealed = key.seal(VALUE, &aad).unwrap();
        assert_eq!(sealed.nonce.len(), NONCE_LEN);
        assert!(!sealed.ciphertext.windows(VALUE.len()).any(|w| w == VALUE));
        assert_eq!(key.open(&sealed, &aad).as_deref().map(Vec::as_slice), Some(VALUE));
    }

    #[test]
    fn a_tampered_ciphertext_or_nonce_does_not_open() {
        let key = MasterKey::generate();
        let aad = associated_data("s3-backup", "s3-secret-key");
        let sealed = key.seal(VALUE, &aad).unwrap();
        for i in 0..sealed.ciphertext.len() {
            let mut ciphertext = sealed.ciphertext.clone();
            ciphertext[i] ^= 1;
            let tampered = Sealed {
                nonce: sealed.nonce.clone(),
                ciphertext,
            };
            assert!(key.open(&tampered, &aad).is_none(), "byte {i} flipped");
        }
        let mut nonce = sealed.nonce.clone();
        nonce[0] ^= 1;
        let moved = Sealed {
            nonce,
            ciphertext: sealed.ciphertext.clone(),
        };
        assert!(key.open(&moved, &aad).is_none());
    }

    #[test]
    fn a_ciphertext_swapped_into_another_name_or_kind_does_not_open() {
        let key = MasterKey::generate();
        let sealed = key
            .seal(VALUE, &associated_data("s3-backup", "s3-secret-key"))
            .unwrap();
        assert!(key
            .open(&sealed, &associated_data("smtp", "s3-secret-key"))
            .is_none());
        assert!(key
            .open(&sealed, &associated_data("s3-backup", "other"))
            .is_none());
        // The separator keeps "ab"+"c" and "a"+"bc" apart.
        assert_ne!(associated_data("ab", "c"), associated_data("a", "bc"));
    }

    #[test]
    fn a_value_does_not_open_under_another_key() {
        let aad = associated_data("deploy", "ssh-private-key");
        let sealed = MasterKey::generate().seal(VALUE, &aad).unwrap();
        assert!(MasterKey::generate().open(&sealed, &aad).is_none());
    }

    #[test]
    fn each_seal_uses_a_fresh_nonce() {
        let key = MasterKey::generate();
        let a = key.seal(VALUE, b"x").unwrap();
        let b = key.seal(VALUE, b"x").unwrap();
        assert_ne!(a.nonce, b.nonce);
        assert_ne!(a.ciphertext, b.ciphertext);
    }

    #[test]
    fn a_key_must_be_32_bytes_and_never_prints() {
        assert!(MasterKey::from_bytes(&[7u8; 31]).is_err());
        assert!(MasterKey::from_bytes(&[7u8; 33]).is_err());
        let key = MasterKey::from_bytes(&[7u8; 32]).unwrap();
        assert_eq!(format!("{key:?}"), "MasterKey(hidden)");
    }

    proptest! {
        #[test]
        fn opening_arbitrary_bytes_never_panics(
            nonce in proptest::collection::vec(any::<u8>(), 0..40),
            ciphertext in proptest::collection::vec(any::<u8>(), 0..200),
            aad in proptest::collection::vec(any::<u8>(), 0..40),
        ) {
            let key = MasterKey::from_bytes(&[9u8; 32]).unwrap();
            let sealed = Sealed { nonce, ciphertext };
            prop_assert!(key.open(&sealed, &aad).is_none());
        }
    }
}
