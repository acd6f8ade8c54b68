//! A secret's plaintext: never printed, wiped when dropped, never sent by the server,
//! and checked against the form its kind takes.
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use zeroize::Zeroize;

/// Longest value accepted: far above any key or password, far below a burden.
pub const MAX_VALUE_BYTES: usize = 64 * 1024;

/// A secret's plaintext. It never prints, is wiped from memory when dropped, and on the
/// server it serializes as empty text, so no response or stored form can carry it.
#[derive(Clone, Default)]
pub struct SecretValue(String);

impl SecretValue {
    pub fn new(value: String) -> Self {
        Self(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl Drop for SecretValue {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretValue(hidden)")
    }
}

impl Serialize for SecretValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // The browser serializes a value to submit it; the server never sends one anywhere.
        s.serialize_str(if cfg!(feature = "ssr") { "" } else { &self.0 })
    }
}

impl<'de> Deserialize<'de> for SecretValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Self)
    }
}

fn required(value: &SecretValue) -> Result<(), String> {
    if value.expose().trim().is_empty() {
        return Err("this field is required".into());
    }
    Ok(())
}

/// A value ready to store for `kind`. Browsers send textarea lines ending in CRLF; keys
/// must end in LF. Messages describe the expected form and never quote the value.
pub(super) fn parse_value(kind: &str, value: &SecretValue) -> Result<SecretValue, String> {
    required(value)?;
    if value.expose().len() > MAX_VALUE_BYTES {
        return Err("use at most 64 KiB".into());
    }
    let unix = SecretValue(value.expose().replace("\r\n", "\n"));
    let v = unix.expose();
    match kind {
        "ssh-private-key" => {
            let v = v.trim();
            if !(v.starts_with("-----BEGIN ") && v.ends_with("PRIVATE KEY-----")) {
                return Err(
                    "paste the whole private key, from its -----BEGIN line to its -----END line".into(),
                );
            }
            Ok(SecretValue(format!("{v}\n")))
        }
        "wireguard-private-key" => {
            let v = v.trim();
            let base64 = |b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
            if !(v.len() == 44 && v.ends_with('=') && v.bytes().take(43).all(base64)) {
                return Err("a WireGuard key is 44 characters of base64, as `wg genkey` prints it".into());
            }
            Ok(SecretValue(v.to_owned()))
        }
        "s3-secret-key" | "smtp-password" => {
            let v = v.trim_matches(|c| c == '\n' || c == '\r');
            if v.contains('\n') {
                return Err("this is one line; remove the line breaks".into());
            }
            Ok(SecretValue(v.to_owned()))
        }
        _ => Ok(unix),
    }
}

#[cfg(test)]
mod tests {
    use super::super::SecretInput;
    use super::*;

    fn input(name: &str, kind: &str, value: &str) -> SecretInput {
        SecretInput {
            name: name.into(),
            kind: kind.into(),
            description: "backups of the media bucket".into(),
            value: SecretValue::new(value.into()),
            version: String::new(),
        }
    }

    #[test]
    fn an_ssh_key_keeps_its_lines_and_ends_with_a_newline() {
        let key = "-----BEGIN OPENSSH PRIVATE KEY-----\r\nb3Blbg==\r\n-----END OPENSSH PRIVATE KEY-----";
        let new = input("deploy", "ssh-private-key", key)
            .parse_new()
            .expect("valid");
        assert_eq!(
            new.value.expose(),
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==\n-----END OPENSSH PRIVATE KEY-----\n"
        );
        assert!(input("deploy", "ssh-private-key", "ssh-ed25519 AAAA")
            .parse_new()
            .is_err());
    }

    #[test]
    fn a_wireguard_key_must_look_like_wg_genkey_output() {
        let good = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
        assert!(input("wg", "wireguard-private-key", good).parse_new().is_ok());
        let bad = input("wg", "wireguard-private-key", "hunter2").parse_new();
        let message = bad.expect_err("invalid").get("value").map(str::to_owned);
        assert!(
            message.is_some_and(|m| !m.contains("hunter2")),
            "the value is not quoted"
        );
    }

    #[test]
    fn the_value_never_shows_in_debug_output() {
        let shown = format!("{:?}", input("x", "other", "correct-horse-battery"));
        assert!(!shown.contains("correct-horse-battery"), "{shown}");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn on_the_server_a_value_serializes_as_empty_text() {
        let json = serde_json::to_string(&input("x", "other", "correct-horse-battery")).unwrap();
        assert!(!json.contains("correct-horse-battery"), "{json}");
        let back: SecretInput = serde_json::from_str(r#"{"value":"typed"}"#).unwrap();
        assert_eq!(back.value.expose(), "typed");
    }
}
