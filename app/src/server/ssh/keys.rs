//! SSH key handling without I/O: generating and importing identities, fingerprints,
//! and reading known_hosts files so their keys can be pinned.
use russh::keys::ssh_key::private::{Ed25519Keypair, KeypairData};
use russh::keys::ssh_key::LineEnding;
use russh::keys::{HashAlg, PrivateKey, PublicKey};
use zeroize::Zeroizing;

/// An identity ready to be sealed in the secret store.
pub struct KeyPair {
    /// The private key in OpenSSH format, unencrypted.
    pub private_openssh: Zeroizing<String>,
    /// `"<algo> <base64>"`, without a comment.
    pub public_line: String,
    /// `SHA256:…`, as `ssh-keygen -lf` prints it.
    pub fingerprint: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("not a usable SSH key: {0}")]
    Invalid(String),
    #[error("this private key is protected by a passphrase; enter it to import the key")]
    PassphraseNeeded,
    #[error("the passphrase does not unlock this private key")]
    WrongPassphrase,
}

/// A fresh ed25519 identity.
pub fn generate_ed25519(comment: &str) -> Result<KeyPair, KeyError> {
    let seed = Zeroizing::new(rand::random::<[u8; 32]>());
    let keypair = KeypairData::from(Ed25519Keypair::from_seed(&seed));
    let key = PrivateKey::new(keypair, comment).map_err(invalid)?;
    key_pair(&key)
}

/// Parses a pasted OpenSSH private key, decrypting it with `passphrase` if encrypted;
/// returns it unencrypted (to be sealed in Owlery's secret store).
pub fn import_private(text: &str, passphrase: Option<&str>) -> Result<KeyPair, KeyError> {
    let text = text.trim();
    if !text.starts_with("-----BEGIN OPENSSH PRIVATE KEY-----") {
        return Err(KeyError::Invalid(
            "expected an OpenSSH private key (-----BEGIN OPENSSH PRIVATE KEY-----); \
             convert others with `ssh-keygen -p -f FILE`"
                .into(),
        ));
    }
    let key = PrivateKey::from_openssh(text).map_err(invalid)?;
    let key = if key.is_encrypted() {
        match passphrase.filter(|p| !p.is_empty()) {
            None => return Err(KeyError::PassphraseNeeded),
            Some(p) => key.decrypt(p).map_err(|_| KeyError::WrongPassphrase)?,
        }
    } else {
        key
    };
    key_pair(&key)
}

/// The SHA-256 fingerprint of an OpenSSH public key line, as `ssh-keygen -lf` prints it.
pub fn fingerprint(public_line: &str) -> Result<String, KeyError> {
    let key = PublicKey::from_openssh(public_line.trim()).map_err(invalid)?;
    Ok(key.fingerprint(HashAlg::Sha256).to_string())
}

/// `"<algo> <base64>"` of a public key: the form pinned keys are stored and compared in.
pub fn public_line(key: &PublicKey) -> Result<String, KeyError> {
    PublicKey::new(key.key_data().clone(), "")
        .to_openssh()
        .map(|line| line.trim_end().to_owned())
        .map_err(invalid)
}

/// True when two OpenSSH public key lines hold the same key, whatever their comments.
pub fn same_key(a: &str, b: &str) -> bool {
    a.split_whitespace().take(2).eq(b.split_whitespace().take(2))
}

fn key_pair(key: &PrivateKey) -> Result<KeyPair, KeyError> {
    let public_line = public_line(key.public_key())?;
    Ok(KeyPair {
        private_openssh: key.to_openssh(LineEnding::LF).map_err(invalid)?,
        fingerprint: key.fingerprint(HashAlg::Sha256).to_string(),
        public_line,
    })
}

fn invalid(e: impl std::fmt::Display) -> KeyError {
    KeyError::Invalid(e.to_string())
}

/// One usable line of a known_hosts file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownHost {
    pub patterns: Vec<String>,
    pub public_line: String,
    pub fingerprint: String,
}

/// Entries of a known_hosts file (comments, blank lines, hashed `|1|` entries and
/// @markers skipped; patterns as written, e.g. `hermes`, `[127.0.0.1]:2201`).
pub fn known_hosts(text: &str) -> Vec<KnownHost> {
    text.lines().filter_map(known_host).collect()
}

fn known_host(line: &str) -> Option<KnownHost> {
    let line = line.trim();
    if line.is_empty() || line.starts_with(['#', '@', '|']) {
        return None;
    }
    let mut fields = line.split_whitespace();
    let patterns = fields.next()?.split(',').map(str::to_owned).collect();
    let public_line = format!("{} {}", fields.next()?, fields.next()?);
    let fingerprint = fingerprint(&public_line).ok()?;
    Some(KnownHost {
        patterns,
        public_line,
        fingerprint,
    })
}

/// True when a known_hosts pattern names this address and port (`addr` for port 22,
/// `[addr]:port` otherwise). `*` and `?` wildcards work as in OpenSSH; a negated
/// pattern (`!host`) never names a host.
pub fn pattern_matches(pattern: &str, addr: &str, port: u16) -> bool {
    if pattern.starts_with('!') {
        return false;
    }
    let host = if port == 22 {
        addr.to_ascii_lowercase()
    } else {
        format!("[{}]:{port}", addr.to_ascii_lowercase())
    };
    glob(pattern.to_ascii_lowercase().as_bytes(), host.as_bytes())
}

fn glob(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|skip| glob(rest, &text[skip..])),
        Some((&p, rest)) => match text.split_first() {
            Some((&t, text)) if p == b'?' || p == t => glob(rest, text),
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A throwaway key made with `ssh-keygen -t ed25519 -N 'correct horse' -C fixture`.
    const ENCRYPTED: &str = "-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABB66H3TrG
zde6TpEM1vDSlEAAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIEyF7CpPBmZamALS
++B8NjGEpdWmRTdivZK9Sym+tzchAAAAkMMLFNZ74tFXKgppAF9KBXVu9qrwh9aZgj5WFi
xeaoAf6km6VgBaTd6zD4aYCtxvVefPEN8Q9zqvqGYAJYrme2ihYTwNcRY9gTmv3ujoB11n
LVUALayh+xzkIlXep4liBaAX/0D7pYukU5n8J+APB9ULWiPP/65Ry3t1GUj5fnX+kR8XLA
G7EY3WNPMZ3rtJcQ==
-----END OPENSSH PRIVATE KEY-----
";
    const PUBLIC: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEyF7CpPBmZamALS++B8NjGEpdWmRTdivZK9Sym+tzch";
    const FINGERPRINT: &str = "SHA256:RvACeqoAxn9UfFJmlRvP9hI8lBBWEb+Ve+YcNId5cCs";

    #[test]
    fn fingerprint_matches_ssh_keygen() {
        assert_eq!(fingerprint(PUBLIC).unwrap(), FINGERPRINT);
        assert_eq!(fingerprint(&format!("{PUBLIC} fixture")).unwrap(), FINGERPRINT);
    }

    #[test]
    fn fingerprint_rejects_garbage() {
        assert!(matches!(
            fingerprint("ssh-ed25519 not-base64"),
            Err(KeyError::Invalid(_))
        ));
        assert!(matches!(fingerprint(""), Err(KeyError::Invalid(_))));
    }

    #[test]
    fn generated_key_imports_to_the_same_identity() {
        let generated = generate_ed25519("owlery@test").unwrap();
        assert!(generated.public_line.starts_with("ssh-ed25519 AAAA"));
        assert_eq!(generated.public_line.split(' ').count(), 2);
        assert_eq!(
            fingerprint(&generated.public_line).unwrap(),
            generated.fingerprint
        );

        let imported = import_private(&generated.private_openssh, None).unwrap();
        assert_eq!(imported.public_line, generated.public_line);
        assert_eq!(imported.fingerprint, generated.fingerprint);
    }

    #[test]
    fn two_generated_keys_differ() {
        let a = generate_ed25519("a").unwrap();
        let b = generate_ed25519("b").unwrap();
        assert_ne!(a.public_line, b.public_line);
    }

    #[test]
    fn encrypted_key_needs_its_passphrase() {
        assert_eq!(
            import_private(ENCRYPTED, None).err(),
            Some(KeyError::PassphraseNeeded)
        );
        assert_eq!(
            import_private(ENCRYPTED, Some("")).err(),
            Some(KeyError::PassphraseNeeded)
        );
        assert_eq!(
            import_private(ENCRYPTED, Some("wrong")).err(),
            Some(KeyError::WrongPassphrase)
        );
    }

    #[test]
    fn encrypted_key_imports_unencrypted() {
        let pair = import_private(ENCRYPTED, Some("correct horse")).unwrap();
        assert_eq!(pair.public_line, PUBLIC);
        assert_eq!(pair.fingerprint, FINGERPRINT);
        let again = import_private(&pair.private_openssh, None).unwrap();
        assert_eq!(again.public_line, PUBLIC);
    }

    #[test]
    fn import_rejects_what_is_not_an_openssh_private_key() {
        for text in [
            "",
            PUBLIC,
            "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----",
        ] {
            assert!(
                matches!(import_private(text, None), Err(KeyError::Invalid(_))),
                "{text}"
            );
        }
        let truncated = &ENCRYPTED[..120];
        assert!(matches!(
            import_private(truncated, None),
            Err(KeyError::Invalid(_))
        ));
    }

    #[test]
    fn known_hosts_skips_what_cannot_be_pinned() {
        let text = format!(
            "# comment\n\n\
             [127.0.0.1]:2201 {PUBLIC} hermes\n\
             hermes,10.0.0.5 {PUBLIC}\n\
             |1|abc=|def= {PUBLIC}\n\
             @cert-authority *.example {PUBLIC}\n\
             broken ssh-ed25519\n\
             bad ssh-ed25519 AAAAnotakey\n"
        );
        let hosts = known_hosts(&text);
        assert_eq!(hosts.len(), 2);
        assert_eq!(hosts[0].patterns, ["[127.0.0.1]:2201"]);
        assert_eq!(hosts[0].public_line, PUBLIC);
        assert_eq!(hosts[0].fingerprint, FINGERPRINT);
        assert_eq!(hosts[1].patterns, ["hermes", "10.0.0.5"]);
    }

    #[test]
    fn patterns_name_address_and_port() {
        assert!(pattern_matches("hermes", "hermes", 22));
        assert!(pattern_matches("Hermes", "hermes", 22));
        assert!(!pattern_matches("hermes", "hermes", 2201));
        assert!(pattern_matches("[127.0.0.1]:2201", "127.0.0.1", 2201));
        assert!(!pattern_matches("[127.0.0.1]:2201", "127.0.0.1", 2202));
        assert!(!pattern_matches("127.0.0.1", "127.0.0.1", 2201));
        assert!(pattern_matches("*.example.org", "mail.example.org", 22));
        assert!(pattern_matches("10.0.0.?", "10.0.0.7", 22));
        assert!(!pattern_matches("10.0.0.?", "10.0.0.17", 22));
        assert!(!pattern_matches("!hermes", "hermes", 22));
    }

    #[test]
    fn same_key_ignores_comments() {
        assert!(same_key(PUBLIC, &format!("{PUBLIC} fixture")));
        assert!(!same_key(PUBLIC, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIO42"));
    }
}
