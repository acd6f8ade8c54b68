//! The TOTP second factor: secrets sealed under the master key, codes checked with a
//! step of tolerance, one-time recovery codes stored as hashes.
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;
use sha2::{Digest, Sha256};

use super::error::internal;
use super::secrets::cipher::{MasterKey, Sealed};
use crate::model::AppError;

pub const ISSUER: &str = "Owlery";
const RECOVERY_CODES: usize = 10;
const STEP_SECS: u64 = 30;
const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding, as authenticator apps take secrets.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = buf.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..chars {
            out.push(BASE32[((bits >> (35 - i * 5)) & 31) as usize] as char);
        }
    }
    out
}

pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut bits = 0u64;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let value = BASE32.iter().position(|b| *b as char == c.to_ascii_uppercase())?;
        bits = (bits << 5) | value as u64;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    Some(out)
}

/// The TOTP secret offered to the user of a session while they enrol: derived from the
/// master key and the session, so every page load and every retry in that session shows
/// the same one (the app they scanned keeps working), no one can choose it, and nothing
/// needs storing until the enrolment succeeds.
pub fn enrolment_secret(key: &MasterKey, session_token_hash: &[u8]) -> Result<String, AppError> {
    let mut context = b"owlery-totp-enrolment-v1\0".to_vec();
    context.extend_from_slice(session_token_hash);
    Ok(base32_encode(&key.derive(&context)?))
}

/// The 6-digit code of `secret` for the 30-second step `counter` (RFC 6238, SHA-1).
fn code_at(secret: &[u8], counter: u64) -> Result<String, AppError> {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).map_err(|e| internal("TOTP key", e))?;
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = (digest[19] & 0x0f) as usize;
    let value = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    Ok(format!("{:06}", value % 1_000_000))
}

fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The code an authenticator app shows for `secret_base32` at `unix_secs` (None for a
/// secret that is not base32).
pub fn code_at_time(secret_base32: &str, unix_secs: u64) -> Option<String> {
    let secret = base32_decode(secret_base32)?;
    code_at(&secret, unix_secs / STEP_SECS).ok()
}

/// The code an authenticator app shows now.
pub fn current_code(secret_base32: &str) -> Option<String> {
    code_at_time(secret_base32, now_secs())
}

/// The otpauth:// address an authenticator app scans.
pub fn provisioning_url(secret_base32: &str, account: &str) -> String {
    format!(
        "otpauth://totp/{ISSUER}:{}?secret={secret_base32}&issuer={ISSUER}&algorithm=SHA1&digits=6&period={STEP_SECS}",
        crate::domain::url::encode_component(account)
    )
}

/// The QR code of `text` as an inline SVG.
pub fn qr_svg(text: &str) -> Result<String, AppError> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(|e| internal("drawing a QR code", e))?;
    Ok(code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

/// True when `code` is the current code of `secret`, or the one just before or after
/// (clocks drift).
pub fn check(secret_base32: &str, code: &str) -> Result<bool, AppError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(false);
    }
    let Some(secret) = base32_decode(secret_base32).filter(|s| s.len() >= 16) else {
        return Err(AppError::field("code", "the enrolment expired; start again"));
    };
    let step = now_secs() / STEP_SECS;
    for counter in [step.saturating_sub(1), step, step + 1] {
        if crate::server::auth::constant_time_eq(code_at(&secret, counter)?.as_bytes(), code.as_bytes()) {
            return Ok(true);
        }
    }
    Ok(false)
}

fn aad(user_id: i64) -> Vec<u8> {
    format!("owlery-totp-v1\0{user_id}").into_bytes()
}

pub fn seal(key: &MasterKey, user_id: i64, secret_base32: &str) -> Result<Sealed, AppError> {
    key.seal(secret_base32.as_bytes(), &aad(user_id))
}

pub fn open(key: &MasterKey, user_id: i64, sealed: &Sealed) -> Result<String, AppError> {
    let plain = key
        .open(sealed, &aad(user_id))
        .ok_or_else(|| internal("a TOTP secret did not open", "wrong master key or damaged row"))?;
    String::from_utf8(plain.to_vec()).map_err(|e| internal("a TOTP secret is not text", e))
}

/// Ten recovery codes like `k7qm-2xwd`, and their hashes to store.
pub fn recovery_codes() -> (Vec<String>, Vec<String>) {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 8];
            rand::rng().fill_bytes(&mut bytes);
            let chars: String = bytes
                .iter()
                .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
                .collect();
            format!("{}-{}", &chars[..4], &chars[4..])
        })
        .collect();
    let hashes = codes.iter().map(|c| hash_recovery_code(c)).collect();
    (codes, hashes)
}

/// The stored form of a recovery code: case and spaces do not matter.
pub fn hash_recovery_code(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    hex(&Sha256::digest(normal.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        // RFC 6238 appendix B, SHA-1, truncated to 6 digits.
        assert_eq!(code_at(secret, 59 / 30).unwrap(), "287082");
        assert_eq!(code_at(secret, 1_111_111_109 / 30).unwrap(), "081804");
        assert_eq!(code_at(secret, 2_000_000_000 / 30).unwrap(), "279037");
    }

    #[test]
    fn the_enrolment_secret_is_stable_per_session_and_differs_between_sessions() {
        let key = MasterKey::generate();
        let a = enrolment_secret(&key, b"session-a").unwrap();
        assert_eq!(a, enrolment_secret(&key, b"session-a").unwrap());
        assert_ne!(a, enrolment_secret(&key, b"session-b").unwrap());
        assert_ne!(a, enrolment_secret(&MasterKey::generate(), b"session-a").unwrap());
        assert_eq!(base32_decode(&a).unwrap().len(), 20);
    }

    #[test]
    fn the_current_code_passes_and_a_wrong_one_fails() {
        let secret = enrolment_secret(&MasterKey::generate(), b"s").unwrap();
        let now = current_code(&secret).unwrap();
        assert!(check(&secret, &now).unwrap());
        let wrong = if now == "000000" { "111111" } else { "000000" };
        assert!(!check(&secret, wrong).unwrap());
        assert!(!check(&secret, "12ab56").unwrap());
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("MZXW6YTBOI").unwrap(), b"foobar");
        assert_eq!(base32_decode("mzxw 6ytb oi").unwrap(), b"foobar");
        assert!(base32_decode("M1").is_none());
    }

    #[test]
    fn a_sealed_secret_opens_only_for_its_user() {
        let key = MasterKey::generate();
        let sealed = seal(&key, 7, "JBSWY3DPEHPK3PXP").unwrap();
        assert_eq!(open(&key, 7, &sealed).unwrap(), "JBSWY3DPEHPK3PXP");
        assert!(open(&key, 8, &sealed).is_err());
    }

    #[test]
    fn recovery_codes_are_distinct_and_hash_regardless_of_case() {
        let (codes, hashes) = recovery_codes();
        assert_eq!(codes.len(), 10);
        assert_eq!(
            hashes[0],
            hash_recovery_code(&codes[0].to_uppercase().replace('-', " "))
        );
        let mut unique = codes.clone();
        unique.dedup();
        assert_eq!(unique.len(), codes.len());
    }
}
