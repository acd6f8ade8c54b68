//! The public half of a mail domain's DKIM signing key, read from the secret store on
//! the server; the private key is dropped (and wiped) as soon as it has been read.
use sha2::{Digest, Sha512};
use sqlx::SqlitePool;
use zeroize::Zeroizing;

use crate::domain::checks::dkim::{parse_private_pem, PrivateKey};
use crate::domain::checks::KeyMaterial;
use crate::model::AppError;
use crate::server::secrets::{self, cipher::MasterKey};

/// None when no secret of that name exists (nothing to compare with); `Err` when it
/// holds no readable private key.
pub async fn signing_key(
    pool: &SqlitePool,
    key: &MasterKey,
    secret: &str,
) -> Option<Result<KeyMaterial, String>> {
    if secret.is_empty() {
        return None;
    }
    match secrets::reveal(pool, key, secret).await {
        Ok(value) => Some(public_half(value.expose())),
        Err(AppError::NotFound) => None,
        Err(e) => {
            // A secret that does not open is the secrets page's problem, not a finding.
            tracing::warn!(secret, error = %e, "could not read a DKIM key for the config check");
            None
        }
    }
}

/// The public key material of a PEM private key.
pub fn public_half(pem: &str) -> Result<KeyMaterial, String> {
    match parse_private_pem(pem)? {
        PrivateKey::Rsa(material) => Ok(material),
        PrivateKey::Ed25519Seed(seed) => Ok(KeyMaterial::Ed25519(ed25519_public(&Zeroizing::new(seed)))),
    }
}

/// RFC 8032 5.1.5: the public key is the base point times the clamped first half of
/// SHA-512 of the seed.
fn ed25519_public(seed: &[u8; 32]) -> [u8; 32] {
    let mut hash = Zeroizing::new([0u8; 64]);
    hash.copy_from_slice(&Sha512::digest(seed));
    let mut scalar = Zeroizing::new([0u8; 32]);
    scalar.copy_from_slice(&hash[..32]);
    curve25519_dalek::EdwardsPoint::mul_base_clamped(*scalar)
        .compress()
        .to_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::checks::dkim::public_material;

    #[test]
    fn an_ed25519_private_key_gives_the_public_key_of_rfc_8032s_first_test_vector() {
        let pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n-----END PRIVATE KEY-----\n";
        assert_eq!(
            public_half(pem).ok(),
            public_material("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
        );
    }
}
