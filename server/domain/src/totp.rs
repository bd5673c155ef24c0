//! Two-factor sign-in for admins: RFC 6238 time-based one-time passwords (the six digits an
//! authenticator app shows), the enrolment QR code, and single-use recovery codes of which
//! only peppered hashes are stored.

use hmac::{Hmac, Mac};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretSlice};
use sha1::Sha1;
use sha2::Sha256;
use std::{collections::HashSet, fmt};
use subtle::ConstantTimeEq;

/// Seconds each code is valid for; every authenticator app assumes 30.
pub const PERIOD_SECONDS: i64 = 30;
/// Digits per code; every authenticator app assumes 6.
pub const DIGITS: usize = 6;
/// Bytes of a generated secret: 160 bits, the size RFC 4226 recommends for HMAC-SHA1.
pub const SECRET_BYTES: usize = 20;
/// Shortest secret `from_base32` accepts: RFC 4226 requires at least 128 bits.
const MIN_SECRET_BYTES: usize = 16;
/// Longest secret `from_base32` accepts; far beyond anything an app generates.
const MAX_SECRET_BYTES: usize = 64;

/// Why a two-factor value cannot be used. Displays nothing of the value itself.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TotpError {
    #[error("the two-factor secret is malformed")]
    InvalidSecret,
    #[error("the enrolment link is too long for a QR code")]
    UriTooLong,
}

/// The shared secret behind an admin's codes. Kept in zeroised memory, never serialised,
/// and its `Debug` shows nothing, so it cannot end up in a log or a response by accident;
/// [`TotpSecret::to_base32`] is the one deliberate way out (for storage and enrolment).
pub struct TotpSecret(SecretSlice<u8>);

impl fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TotpSecret(…)")
    }
}

impl TotpSecret {
    /// A fresh random secret for a new enrolment.
    pub fn generate() -> TotpSecret {
        let mut bytes = vec![0u8; SECRET_BYTES];
        rand::rng().fill_bytes(&mut bytes);
        TotpSecret(bytes.into())
    }

    /// Reads a secret written by [`TotpSecret::to_base32`] (or by another app: case,
    /// spaces and `=` padding are tolerated).
    pub fn from_base32(text: &str) -> Result<TotpSecret, TotpError> {
        let bytes = base32_decode(text).ok_or(TotpError::InvalidSecret)?;
        if !(MIN_SECRET_BYTES..=MAX_SECRET_BYTES).contains(&bytes.len()) {
            return Err(TotpError::InvalidSecret);
        }
        Ok(TotpSecret(bytes.into()))
    }

    /// The secret as RFC 4648 base32 without padding, as authenticator apps take it for
    /// manual entry. This is the secret itself: store it encrypted and never log it.
    pub fn to_base32(&self) -> String {
        base32_encode(self.0.expose_secret())
    }

    /// The `otpauth://` link an authenticator app enrols from (usually via [`qr_svg`]).
    /// Carries the secret: show it to its owner only.
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> String {
        // The issuer goes both in the label and as a parameter: older apps read the
        // former, the key-uri spec prefers the latter.
        format!(
            "otpauth://totp/{issuer_label}:{account}?secret={secret}&issuer={issuer}\
             &algorithm=SHA1&digits={DIGITS}&period={PERIOD_SECONDS}",
            issuer_label = percent_encode(issuer),
            account = percent_encode(account),
            secret = self.to_base32(),
            issuer = percent_encode(issuer),
        )
    }

    /// The code an authenticator app shows at `unix_seconds`.
    pub fn code_at(&self, unix_seconds: i64) -> String {
        self.code_for_step(step_of(unix_seconds))
    }

    /// Checks a code typed at `unix_seconds`. Accepts the current step and one either side
    /// (clock drift, a code typed just as it rolled over), but only a step later than
    /// `last_used_step`, so an observed code cannot be replayed. Returns the matched step:
    /// store it as the new `last_used_step` in the same transaction that signs in.
    pub fn verify(
        &self,
        code: &str,
        unix_seconds: i64,
        last_used_step: Option<i64>,
    ) -> Option<i64> {
        // Apps show the code as "123 456"; people paste it that way.
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let current = step_of(unix_seconds);
        let mut matched = None;
        // All three candidates are computed and compared in constant time, so timing says
        // nothing about which one (if any) was close.
        for step in current - 1..=current + 1 {
            let expected = self.code_for_step(step);
            let equal: bool = expected.as_bytes().ct_eq(code.as_bytes()).into();
            let fresh = last_used_step.is_none_or(|last| step > last);
            if equal && fresh {
                matched = Some(step);
            }
        }
        matched
    }

    /// RFC 4226 HOTP: HMAC-SHA1 of the big-endian counter, dynamic truncation, six digits.
    fn code_for_step(&self, step: i64) -> String {
        // Steps before 1970 never occur with a sane clock; clamp rather than wrap.
        let counter = u64::try_from(step).unwrap_or(0);
        let mut mac = Hmac::<Sha1>::new_from_slice(self.0.expose_secret())
            .expect("HMAC accepts keys of any length");
        mac.update(&counter.to_be_bytes());
        let digest = mac.finalize().into_bytes();
        let offset = usize::from(digest[digest.len() - 1] & 0x0f);
        let binary = u32::from_be_bytes([
            digest[offset] & 0x7f,
            digest[offset + 1],
            digest[offset + 2],
            digest[offset + 3],
        ]);
        format!("{:06}", binary % 1_000_000)
    }
}

/// The time step a moment falls in.
fn step_of(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(PERIOD_SECONDS)
}

/// An SVG QR code of `uri`, ready to inline into HTML (no XML prolog), at least 200 px
/// square, black on white with the quiet zone scanners need.
pub fn qr_svg(uri: &str) -> Result<String, TotpError> {
    use qrcode::{EcLevel, QrCode, render::svg};
    // Medium error correction: survives a smudged or glare-struck screen, still small.
    let code = QrCode::with_error_correction_level(uri.as_bytes(), EcLevel::M)
        .map_err(|_| TotpError::UriTooLong)?;
    let svg = code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build();
    // An `<?xml …?>` prolog is invalid inside an HTML document and would break hydration.
    let start = svg.find("<svg").unwrap_or(0);
    Ok(svg[start..].to_string())
}

/// Crockford's base32 alphabet, lower-case: no i, l, o or u, so nothing reads as another
/// character, and 32 symbols give exactly 5 bits each.
const RECOVERY_ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
/// Symbols per group and groups per code: 12 symbols, 60 bits.
const RECOVERY_GROUP: usize = 4;
const RECOVERY_GROUPS: usize = 3;

/// `n` distinct single-use recovery codes like `k7p2-9xqf-3mzd` (60 random bits each).
/// Show them once; store only [`hash_recovery_code`] of each.
pub fn generate_recovery_codes(n: usize) -> Vec<String> {
    let mut rng = rand::rng();
    let mut seen = HashSet::with_capacity(n);
    let mut codes = Vec::with_capacity(n);
    while codes.len() < n {
        let mut raw = [0u8; RECOVERY_GROUP * RECOVERY_GROUPS];
        rng.fill_bytes(&mut raw);
        let mut code = String::with_capacity(raw.len() + RECOVERY_GROUPS - 1);
        for (i, byte) in raw.iter().enumerate() {
            if i > 0 && i % RECOVERY_GROUP == 0 {
                code.push('-');
            }
            // 256 is a multiple of 32, so masking keeps every symbol equally likely.
            code.push(char::from(RECOVERY_ALPHABET[usize::from(byte & 31)]));
        }
        // A collision among 60-bit codes is astronomically unlikely; checking makes
        // "distinct" a guarantee rather than a probability.
        if seen.insert(code.clone()) {
            codes.push(code);
        }
    }
    codes
}

/// The stored form of a recovery code: hex HMAC-SHA256 under `pepper` of the normalised code
/// (lower case, dashes and spaces removed, and Crockford's look-alikes `o`→`0`, `i`/`l`→`1`),
/// so "K7P2 9XQF 3MZD" finds the same row as "k7p2-9xqf-3mzd". The pepper (a server secret
/// kept outside the database) makes a leaked table useless for guessing offline.
pub fn hash_recovery_code(code: &str, pepper: &[u8]) -> String {
    let normalised: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_lowercase() {
            'o' => '0',
            'i' | 'l' => '1',
            other => other,
        })
        .collect();
    let mut mac = Hmac::<Sha256>::new_from_slice(pepper).expect("HMAC accepts keys of any length");
    mac.update(normalised.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

const BASE32_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32, without padding (authenticator apps want none).
fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(
                BASE32_ALPHABET[((buffer >> bits) & 31) as usize],
            ));
        }
    }
    if bits > 0 {
        out.push(char::from(
            BASE32_ALPHABET[((buffer << (5 - bits)) & 31) as usize],
        ));
    }
    out
}

/// RFC 4648 base32, case-insensitive, ignoring spaces and trailing `=`; `None` on any other
/// character or on leftover bits that are not zero (a mistyped final character).
fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let symbols: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let symbols = match symbols.iter().position(|&b| b == b'=') {
        Some(first_pad) if symbols[first_pad..].iter().all(|&b| b == b'=') => &symbols[..first_pad],
        Some(_) => return None,
        None => &symbols[..],
    };
    let mut out = Vec::with_capacity(symbols.len() * 5 / 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &symbol in symbols {
        let value = match symbol.to_ascii_uppercase() {
            c @ b'A'..=b'Z' => c - b'A',
            c @ b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        buffer = (buffer << 5) | u32::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    // Only 0–4 padding bits may remain, and they must be zero.
    if bits >= 5 || buffer & ((1 << bits) - 1) != 0 {
        return None;
    }
    Some(out)
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so a space becomes
/// `%20` (not `+`, which the label part of the URI would keep literally).
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The RFC 6238 appendix B SHA1 secret.
    fn rfc_secret() -> TotpSecret {
        TotpSecret(b"12345678901234567890".to_vec().into())
    }

    #[test]
    fn rfc6238_sha1_vectors() {
        // The published 8-digit values; a 6-digit code is their last six digits.
        let vectors = [
            (59, "94287082"),
            (1111111109, "07081804"),
            (1111111111, "14050471"),
            (1234567890, "89005924"),
            (2000000000, "69279037"),
            (20000000000, "65353130"),
        ];
        let secret = rfc_secret();
        for (time, published) in vectors {
            assert_eq!(secret.code_at(time), published[2..], "T = {time}");
        }
    }

    #[test]
    fn accepts_one_step_either_side_and_no_further() {
        let secret = TotpSecret::generate();
        let now = 1_700_000_015;
        let step = now / PERIOD_SECONDS;
        assert_eq!(secret.verify(&secret.code_at(now), now, None), Some(step));
        assert_eq!(
            secret.verify(&secret.code_at(now - 30), now, None),
            Some(step - 1)
        );
        assert_eq!(
            secret.verify(&secret.code_at(now + 30), now, None),
            Some(step + 1)
        );
        for far in [now - 90, now - 60, now + 60, now + 90] {
            let code = secret.code_at(far);
            // Codes of distant steps may collide with a near one by chance (1 in 10^6).
            if (step - 1..=step + 1).all(|s| secret.code_for_step(s) != code) {
                assert_eq!(secret.verify(&code, now, None), None);
            }
        }
    }

    #[test]
    fn refuses_replay_of_a_used_step() {
        let secret = TotpSecret::generate();
        let now = 1_700_000_000;
        let code = secret.code_at(now);
        let used = secret.verify(&code, now, None).expect("first use");
        assert_eq!(secret.verify(&code, now, Some(used)), None);
        assert_eq!(secret.verify(&code, now + 20, Some(used)), None);
        // An earlier step is refused too, once a later one was used.
        let earlier = secret.code_at(now - 30);
        assert_eq!(secret.verify(&earlier, now, Some(used)), None);
        // The next step's code is fine.
        let next = secret.code_at(now + 30);
        assert_eq!(secret.verify(&next, now + 30, Some(used)), Some(used + 1));
    }

    #[test]
    fn refuses_malformed_codes_and_tolerates_spaces() {
        let secret = rfc_secret();
        assert_eq!(secret.verify("287082", 59, None), Some(1));
        assert_eq!(secret.verify(" 287 082 ", 59, None), Some(1));
        for bad in [
            "", "28708", "2870820", "28708a", "+87082", "２87082", "94287082",
        ] {
            assert_eq!(secret.verify(bad, 59, None), None, "{bad:?}");
        }
    }

    #[test]
    fn base32_round_trip_and_rfc4648_vectors() {
        // RFC 4648 section 10, padding removed.
        for (plain, encoded) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32_encode(plain.as_bytes()), encoded);
            assert_eq!(base32_decode(encoded).unwrap(), plain.as_bytes());
        }
        assert_eq!(base32_decode("mzxw6ytboi======").unwrap(), b"foobar");
        assert_eq!(base32_decode("MZXW 6YTB OI").unwrap(), b"foobar");
        assert!(base32_decode("MZXW6YTB0I").is_none(), "0 is not base32");
        assert!(base32_decode("MZ=XW").is_none(), "padding only at the end");
        assert!(base32_decode("MZ").is_none(), "non-zero leftover bits");

        let secret = TotpSecret::generate();
        let text = secret.to_base32();
        assert_eq!(text.len(), 32);
        let back = TotpSecret::from_base32(&text.to_lowercase()).unwrap();
        assert_eq!(back.code_at(1_700_000_000), secret.code_at(1_700_000_000));
        assert_eq!(rfc_secret().to_base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");

        assert_eq!(
            TotpSecret::from_base32("MZXW6YTBOI").unwrap_err(),
            TotpError::InvalidSecret,
            "too short to be a secret"
        );
        assert!(TotpSecret::from_base32("not base32!").is_err());
    }

    #[test]
    fn debug_hides_the_secret() {
        let secret = rfc_secret();
        assert_eq!(format!("{secret:?}"), "TotpSecret(…)");
    }

    #[test]
    fn otpauth_uri_format() {
        let uri = rfc_secret().otpauth_uri("banana nano", "ada@example.com");
        assert_eq!(
            uri,
            "otpauth://totp/banana%20nano:ada%40example.com\
             ?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=banana%20nano\
             &algorithm=SHA1&digits=6&period=30"
        );
        assert_eq!(percent_encode("a:b/c?d&e=f"), "a%3Ab%2Fc%3Fd%26e%3Df");
        assert_eq!(percent_encode("é"), "%C3%A9");
    }

    #[test]
    fn qr_code_is_inline_svg() {
        let svg = qr_svg(&rfc_secret().otpauth_uri("banana nano", "ada@example.com")).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("<?xml"));
        assert!(svg.contains("#000000") && svg.contains("#ffffff"));
        let width: u32 = svg
            .split("width=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .and_then(|w| w.parse().ok())
            .unwrap();
        assert!(width >= 200, "{width}");
        assert_eq!(qr_svg(&"x".repeat(5000)), Err(TotpError::UriTooLong));
    }

    #[test]
    fn recovery_codes_are_distinct_and_well_formed() {
        let codes = generate_recovery_codes(10);
        assert_eq!(codes.len(), 10);
        assert_eq!(codes.iter().collect::<HashSet<_>>().len(), 10);
        for code in &codes {
            let groups: Vec<&str> = code.split('-').collect();
            assert_eq!(groups.len(), RECOVERY_GROUPS, "{code}");
            for group in groups {
                assert_eq!(group.len(), RECOVERY_GROUP, "{code}");
                assert!(
                    group.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)),
                    "{code}"
                );
            }
        }
        // Different every time.
        assert_ne!(codes, generate_recovery_codes(10));
    }

    #[test]
    fn recovery_code_hash_is_normalised_and_peppered() {
        let pepper = b"pepper";
        let stored = hash_recovery_code("k7p2-9xqf-3mzd", pepper);
        assert_eq!(stored.len(), 64);
        assert!(stored.bytes().all(|b| b.is_ascii_hexdigit()));
        for typed in [
            "K7P2-9XQF-3MZD",
            "k7p29xqf3mzd",
            " k7p2 9xqf 3mzd ",
            "k7p2-9xqf-3mzd",
        ] {
            assert_eq!(hash_recovery_code(typed, pepper), stored, "{typed:?}");
        }
        // Look-alikes read as the digits the alphabet means.
        assert_eq!(
            hash_recovery_code("a0b1-c1d1", pepper),
            hash_recovery_code("aOb1-cIdL", pepper)
        );
        assert_ne!(hash_recovery_code("k7p2-9xqf-3mze", pepper), stored);
        assert_ne!(hash_recovery_code("k7p2-9xqf-3mzd", b"other"), stored);
    }
}
