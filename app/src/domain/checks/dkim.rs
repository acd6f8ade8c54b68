//! DKIM keys: the public key the DNS record is generated from must be a key, and the
//! public half of the private key dkimproxy signs with (when the secret store holds it).
//!
//! Keys are compared by their material (an RSA modulus and exponent, an Ed25519 point),
//! so a record in SubjectPublicKeyInfo form matches a bare RSAPublicKey of the same key.
use super::{Finding, Input, ObjectKind, Severity};
use crate::domain::mail::{dkim_key_type, parse_dkim_public_key};

/// What identifies a public key, whatever its encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyMaterial {
    /// The DER `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`.
    Rsa(Vec<u8>),
    Ed25519([u8; 32]),
}

/// A private key as far as the check needs it: an RSA key's public half, or the seed
/// an Ed25519 public key is derived from (on the server, which has the curve).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrivateKey {
    Rsa(KeyMaterial),
    Ed25519Seed([u8; 32]),
}

/// The rsaEncryption and Ed25519 object identifiers as DER encodes them.
const RSA_OID: [u8; 11] = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const ED25519_OID: [u8; 5] = [0x06, 0x03, 0x2b, 0x65, 0x70];
const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OCTET_STRING: u8 = 0x04;

/// One DER element: (tag, content, the whole element, what follows it).
type Element<'a> = (u8, &'a [u8], &'a [u8], &'a [u8]);
/// An element inside a SEQUENCE: (tag, content, the whole element).
type Item<'a> = (u8, &'a [u8], &'a [u8]);

fn element(der: &[u8]) -> Option<Element<'_>> {
    let (&tag, rest) = der.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    let header = der.len() - rest.len();
    (rest.len() >= len).then(|| (tag, &rest[..len], &der[..header + len], &rest[len..]))
}

/// The elements of a SEQUENCE's content.
fn items(mut content: &[u8]) -> Option<Vec<Item<'_>>> {
    let mut out = Vec::new();
    while !content.is_empty() {
        let (tag, inner, whole, rest) = element(content)?;
        out.push((tag, inner, whole));
        content = rest;
    }
    Some(out)
}

fn sequence(der: &[u8]) -> Option<Vec<Item<'_>>> {
    match element(der)? {
        (SEQUENCE, content, _, []) => items(content),
        _ => None,
    }
}

/// `RSAPublicKey` from the two INTEGER elements.
fn rsa(n: &[u8], e: &[u8]) -> KeyMaterial {
    let mut body = [n, e].concat();
    let mut der = vec![SEQUENCE];
    match body.len() {
        len @ 0..=0x7f => der.push(len as u8),
        len @ 0x80..=0xff => der.extend([0x81, len as u8]),
        len => der.extend([0x82, (len >> 8) as u8, len as u8]),
    }
    der.append(&mut body);
    KeyMaterial::Rsa(der)
}

/// The key material of a DKIM `p=` value: SubjectPublicKeyInfo, a bare RSAPublicKey,
/// or 32 raw bytes of Ed25519.
pub fn public_material(b64: &str) -> Option<KeyMaterial> {
    let der = base64_decode(b64)?;
    if let Ok(raw) = <[u8; 32]>::try_from(der.as_slice()) {
        return Some(KeyMaterial::Ed25519(raw));
    }
    match sequence(&der)?.as_slice() {
        [(INTEGER, _, n), (INTEGER, _, e)] => Some(rsa(n, e)),
        [(SEQUENCE, alg, _), (BIT_STRING, bits, _)] if alg.starts_with(&RSA_OID) => {
            match sequence(bits.strip_prefix(&[0])?)?.as_slice() {
                [(INTEGER, _, n), (INTEGER, _, e)] => Some(rsa(n, e)),
                _ => None,
            }
        }
        [(SEQUENCE, alg, _), (BIT_STRING, bits, _)] if alg.starts_with(&ED25519_OID) => {
            Some(KeyMaterial::Ed25519(bits.strip_prefix(&[0])?.try_into().ok()?))
        }
        _ => None,
    }
}

/// Reads a PEM private key: PKCS#1 (`BEGIN RSA PRIVATE KEY`, what older `openssl
/// genrsa` writes) or PKCS#8 (`BEGIN PRIVATE KEY`) with an RSA or Ed25519 key.
/// Encrypted keys are refused: dkimproxy cannot read them either.
pub fn parse_private_pem(pem: &str) -> Result<PrivateKey, String> {
    if pem.contains("ENCRYPTED") {
        return Err("the key is encrypted with a passphrase".into());
    }
    let body: String = pem
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("-----") && !l.contains(':'))
        .collect();
    let der = base64_decode(&body).ok_or("it is not a PEM private key")?;
    let unreadable = || "it is not an RSA or Ed25519 private key in PKCS#1 or PKCS#8 form".to_owned();
    let fields = sequence(&der).ok_or_else(unreadable)?;
    match fields.as_slice() {
        // PKCS#1: version, modulus, public exponent, then the private parts.
        [(INTEGER, _, _), (INTEGER, _, n), (INTEGER, _, e), ..] => Ok(PrivateKey::Rsa(rsa(n, e))),
        // PKCS#8: version, algorithm, the key in an OCTET STRING.
        [(INTEGER, _, _), (SEQUENCE, alg, _), (OCTET_STRING, key, _), ..] => {
            if alg.starts_with(&RSA_OID) {
                match sequence(key).ok_or_else(unreadable)?.as_slice() {
                    [(INTEGER, _, _), (INTEGER, _, n), (INTEGER, _, e), ..] => Ok(PrivateKey::Rsa(rsa(n, e))),
                    _ => Err(unreadable()),
                }
            } else if alg.starts_with(&ED25519_OID) {
                match element(key) {
                    Some((OCTET_STRING, seed, _, [])) => seed
                        .try_into()
                        .map(PrivateKey::Ed25519Seed)
                        .map_err(|_| unreadable()),
                    _ => Err(unreadable()),
                }
            } else {
                Err(unreadable())
            }
        }
        _ => Err(unreadable()),
    }
}

/// The stored DKIM public key must be a key: valid base64 of an Ed25519 key or of an
/// RSA key; and when the signing key is in the secret store, its public half.
pub fn dkim_keys(input: &Input, out: &mut Vec<Finding>) {
    for m in &input.mail {
        let stored = parse_dkim_public_key(&m.dkim_public_key);
        let material = stored.as_deref().ok().and_then(public_material);
        let problem = match &stored {
            Err(e) => Some(e.clone()),
            Ok(key) if dkim_key_type(key) == "rsa" && material.is_none() => {
                Some("the key is base64 but not an RSA public key (SubjectPublicKeyInfo)".to_owned())
            }
            Ok(_) => None,
        };
        if let Some(problem) = problem {
            out.push(
                Finding::new("dkim-key-invalid", Severity::Error, format!("The DKIM public key of {}: {problem}.", m.domain))
                    .on(ObjectKind::MailDomain, &m.domain)
                    .why("The DNS record is generated from this key: receivers cannot verify the signature, and with DMARC quarantine or reject the mail is lost.")
                    .fix("Paste the public half of the key dkimproxy signs with (`openssl rsa -in private.key -pubout`) on the mail domain's edit page."),
            );
            continue;
        }
        match (&m.signing_key, material) {
            (Some(Ok(signing)), Some(published)) if *signing != published => out.push(
                Finding::new(
                    "dkim-key-mismatch",
                    Severity::Error,
                    format!(
                        "The DKIM public key of {} is not the public half of the signing key in secret {}.",
                        m.domain, m.dkim_secret
                    ),
                )
                .on(ObjectKind::MailDomain, &m.domain)
                .why("dkimproxy signs with the private key, receivers verify with the key in DNS: every signature fails, and with DMARC quarantine or reject the mail lands in spam or is refused.")
                .fix(format!(
                    "Paste the public half of secret {} (`openssl pkey -in private.key -pubout`) on the mail domain's edit page and publish the new DNS record, or store the key dkimproxy really uses in that secret.",
                    m.dkim_secret
                )),
            ),
            (Some(Err(e)), _) => out.push(
                Finding::new(
                    "dkim-private-key-unreadable",
                    Severity::Warning,
                    format!("Secret {} of mail domain {} cannot be read as a DKIM key: {e}.", m.dkim_secret, m.domain),
                )
                .on(ObjectKind::MailDomain, &m.domain)
                .why("Owlery cannot tell whether DNS publishes the key dkimproxy signs with; if this is what dkimproxy loads, it signs nothing.")
                .fix("Store the PEM private key (`-----BEGIN PRIVATE KEY-----`, unencrypted, as dkimproxy reads it) in that secret under Settings → Secrets."),
            ),
            _ => {}
        }
    }
}

/// Standard base64, padded or not; None on anything else.
pub(super) fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let data = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in data.bytes() {
        acc = ((acc << 6) | value(c)?) & 0xffff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}
