//! Secrets we must be able to read back (the two-factor keys of admins) are kept sealed:
//! XChaCha20-Poly1305 under a key from the secrets file, named by an id stored with the
//! value, so keys rotate (a new first key seals, older ones still open, and every value is
//! resealed under the first key at start). A value is also bound to what it belongs to
//! (the account and the field), so it cannot be moved to another row.
//!
//! Stored form: `sealed1.<key id>.<base64url of the 24-byte nonce and the ciphertext>`.

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use chacha20poly1305::{
    KeyInit, XChaCha20Poly1305, XNonce,
    aead::{Aead, Payload},
};
use rand::RngCore;
use std::fmt;

const PREFIX: &str = "sealed1.";
const NONCE_LEN: usize = 24;

/// The keys that seal stored secrets: the first seals, all open.
#[derive(Clone)]
pub struct FieldKeys {
    keys: Vec<(String, [u8; 32])>,
}

/// Why a sealed value did not open.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("not a sealed value")]
    Malformed,
    #[error("sealed under key {0:?}, which is not configured")]
    UnknownKey(String),
    #[error("the value does not open with its key (changed, or moved from another row)")]
    Tampered,
}

/// A value that opened, and whether it should be sealed again under the current key.
#[derive(Debug, PartialEq, Eq)]
pub struct Opened {
    pub plaintext: Vec<u8>,
    pub stale: bool,
}

impl FieldKeys {
    /// Reads `id:hex,id:hex…` (each key 32 bytes as 64 hex digits; ids of letters, digits,
    /// `-` and `_`, at most 16). The first key seals.
    pub fn parse(spec: &str) -> Result<FieldKeys, String> {
        let mut keys: Vec<(String, [u8; 32])> = Vec::new();
        for entry in spec.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let Some((id, hex_key)) = entry.split_once(':') else {
                return Err("each field key is written id:hex".into());
            };
            let id = id.trim();
            if id.is_empty()
                || id.len() > 16
                || !id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err(format!(
                    "field key id {id:?} must be 1–16 letters, digits, - or _"
                ));
            }
            let bytes =
                hex::decode(hex_key.trim()).map_err(|_| format!("field key {id:?} is not hex"))?;
            let key: [u8; 32] = bytes
                .try_into()
                .map_err(|_| format!("field key {id:?} must be 32 bytes (64 hex digits)"))?;
            if keys.iter().any(|(known, _)| known == id) {
                return Err(format!("field key id {id:?} appears twice"));
            }
            keys.push((id.to_string(), key));
        }
        if keys.is_empty() {
            return Err("no field key given".into());
        }
        Ok(FieldKeys { keys })
    }

    /// A fresh key spec with one random key, for a new instance's secrets file.
    pub fn generate_spec(id: &str) -> String {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        format!("{id}:{}", hex::encode(key))
    }

    /// The id of the key that seals.
    pub fn current_id(&self) -> &str {
        &self.keys[0].0
    }

    /// Seals `plaintext` under the current key, bound to `context` (e.g. `totp:<user id>`).
    pub fn seal(&self, plaintext: &[u8], context: &[u8]) -> String {
        let (id, key) = &self.keys[0];
        let cipher = XChaCha20Poly1305::new_from_slice(key).expect("a 32-byte key");
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: &aad(id, context),
                },
            )
            .expect("sealing in memory cannot fail");
        let mut body = nonce.to_vec();
        body.extend_from_slice(&sealed);
        format!("{PREFIX}{id}.{}", URL_SAFE_NO_PAD.encode(body))
    }

    /// Opens a value sealed by [`FieldKeys::seal`] with the same `context`.
    pub fn open(&self, stored: &str, context: &[u8]) -> Result<Opened, SealError> {
        let rest = stored.strip_prefix(PREFIX).ok_or(SealError::Malformed)?;
        let (id, body) = rest.split_once('.').ok_or(SealError::Malformed)?;
        let body = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| SealError::Malformed)?;
        if body.len() < NONCE_LEN + 16 {
            return Err(SealError::Malformed);
        }
        let position = self
            .keys
            .iter()
            .position(|(known, _)| known == id)
            .ok_or_else(|| SealError::UnknownKey(id.to_string()))?;
        let cipher =
            XChaCha20Poly1305::new_from_slice(&self.keys[position].1).expect("a 32-byte key");
        let (nonce, sealed) = body.split_at(NONCE_LEN);
        let plaintext = cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: &aad(id, context),
                },
            )
            .map_err(|_| SealError::Tampered)?;
        Ok(Opened {
            plaintext,
            stale: position != 0,
        })
    }

    /// Whether a stored value is sealed (rather than a plain value from before sealing).
    pub fn is_sealed(stored: &str) -> bool {
        stored.starts_with(PREFIX)
    }
}

/// The key id is authenticated too: a value cannot be relabelled to another key.
fn aad(id: &str, context: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(id.len() + 1 + context.len());
    aad.extend_from_slice(id.as_bytes());
    aad.push(0);
    aad.extend_from_slice(context);
    aad
}

impl fmt::Debug for FieldKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|(id, _)| id.as_str()).collect();
        f.debug_struct("FieldKeys")
            .field("ids", &ids)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(spec: &str) -> FieldKeys {
        FieldKeys::parse(spec).unwrap()
    }

    const A: &str = "a:0000000000000000000000000000000000000000000000000000000000000001";
    const B: &str = "b:0000000000000000000000000000000000000000000000000000000000000002";

    #[test]
    fn seals_and_opens_bound_to_its_context_and_key() {
        let k = keys(A);
        let sealed = k.seal(b"JBSWY3DPEHPK3PXP", b"totp:u1");
        assert!(FieldKeys::is_sealed(&sealed));
        assert!(!sealed.contains("JBSWY3DP"));
        assert_ne!(
            sealed,
            k.seal(b"JBSWY3DPEHPK3PXP", b"totp:u1"),
            "fresh nonce"
        );
        assert_eq!(
            k.open(&sealed, b"totp:u1").unwrap(),
            Opened {
                plaintext: b"JBSWY3DPEHPK3PXP".to_vec(),
                stale: false
            }
        );
        // Moved to another account's row: refused.
        assert_eq!(k.open(&sealed, b"totp:u2"), Err(SealError::Tampered));
        // One character changed: refused.
        let mut bytes = sealed.clone().into_bytes();
        let last = bytes.len() - 2;
        bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(
            k.open(&String::from_utf8(bytes).unwrap(), b"totp:u1"),
            Err(SealError::Tampered)
        );
        // Relabelled to another configured key: refused.
        let both = keys(&format!("{A},{B}"));
        let relabelled = sealed.replacen("sealed1.a.", "sealed1.b.", 1);
        assert_eq!(both.open(&relabelled, b"totp:u1"), Err(SealError::Tampered));
        assert_eq!(k.open("JBSWY3DPEHPK3PXP", b"x"), Err(SealError::Malformed));
        assert_eq!(k.open("sealed1.a.", b"x"), Err(SealError::Malformed));
    }

    #[test]
    fn rotation_opens_old_values_and_marks_them_stale() {
        let old = keys(A);
        let sealed = old.seal(b"secret", b"ctx");
        let rotated = keys(&format!("{B},{A}"));
        assert_eq!(rotated.current_id(), "b");
        let opened = rotated.open(&sealed, b"ctx").unwrap();
        assert!(opened.stale);
        assert_eq!(opened.plaintext, b"secret");
        let resealed = rotated.seal(&opened.plaintext, b"ctx");
        assert!(!rotated.open(&resealed, b"ctx").unwrap().stale);
        // A key taken out of the list no longer opens what it sealed.
        assert_eq!(
            keys(B).open(&sealed, b"ctx"),
            Err(SealError::UnknownKey("a".into()))
        );
    }

    #[test]
    fn parse_refuses_bad_specs_and_never_prints_keys() {
        for bad in ["", "a", "a:zz", "a:00", &format!("{A},{A}"), "a b:00"] {
            assert!(FieldKeys::parse(bad).is_err(), "{bad}");
        }
        let generated = FieldKeys::generate_spec("k1");
        let k = keys(&generated);
        let shown = format!("{k:?}");
        assert!(
            shown.contains("k1") && !shown.contains(&generated[3..]),
            "{shown}"
        );
    }
}
