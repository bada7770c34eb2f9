//! R20's secrets: an authenticator's secret and a passkey's credential are
//! sealed with ChaCha20-Poly1305 under a key derived from the server's
//! secret (never stored or logged in clear); recovery codes are kept as
//! HMAC-SHA256 under the server's secret; authenticator codes are checked
//! per RFC 6238 (SHA-1, six digits, 30-second steps, one step either side)
//! and answer the step they matched, which the caller records so that a
//! code is never taken twice.

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, TOTP};

/// Seconds in an RFC 6238 time step.
pub const STEP_SECS: i64 = 30;

fn derive(secret: &[u8; 32], label: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(label);
    mac.finalize().into_bytes().into()
}

/// Seals `plain` under the server's secret: base64 of a random 96-bit
/// nonce followed by the ciphertext and its tag.
pub fn seal(secret: &[u8; 32], plain: &[u8]) -> String {
    let key = derive(secret, b"second-factor-seal");
    let cipher = ChaCha20Poly1305::new(Key::from_slice(&key));
    let mut nonce = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let sealed = cipher.encrypt(Nonce::from_slice(&nonce), plain).expect("sealing in memory does not fail");
    let mut out = nonce.to_vec();
    out.extend(sealed);
    STANDARD_NO_PAD.encode(out)
}

/// Opens what [`seal`] made; `None` when it was not sealed under this secret.
pub fn open(secret: &[u8; 32], sealed: &str) -> Option<Vec<u8>> {
    let bytes = STANDARD_NO_PAD.decode(sealed).ok()?;
    if bytes.len() < 12 {
        return None;
    }
    let key = derive(secret, b"second-factor-seal");
    let cipher = ChaCha20Poly1305::new(Key::from_slice(&key));
    cipher.decrypt(Nonce::from_slice(&bytes[..12]), &bytes[12..]).ok()
}

/// A user's WebAuthn handle: 16 bytes derived from the server's secret and
/// the user's id.
pub fn seal_key_id(secret: &[u8; 32], user_id: i64) -> [u8; 16] {
    let key = derive(secret, format!("webauthn-user:{user_id}").as_bytes());
    let mut out = [0u8; 16];
    out.copy_from_slice(&key[..16]);
    out
}

/// A new authenticator secret: 160 random bits (RFC 4226's recommendation).
pub fn new_totp_secret() -> Vec<u8> {
    let mut bytes = vec![0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

/// The secret as people type it into an app: base32 without padding, in
/// groups of four.
pub fn base32(secret: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in secret {
        buffer = (buffer << 8) | u32::from(*byte);
        bits += 8;
        while bits >= 5 {
            out.push(ALPHABET[((buffer >> (bits - 5)) & 31) as usize] as char);
            bits -= 5;
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// The `otpauth://` address an app reads from the QR code.
pub fn otpauth_uri(secret: &[u8], issuer: &str, account: &str) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits=6&period=30",
        enc(issuer),
        enc(account),
        base32(secret),
        enc(issuer)
    )
}

/// The QR code of `text` as an SVG document (dark modules on white, with
/// the quiet zone).
pub fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .dark_color(qrcode::render::svg::Color("#111111"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
        Err(_) => String::new(),
    }
}

/// The time step of an authenticator code `code` at `now` (the current
/// step or one either side, for clocks a little apart), if it matches.
pub fn totp_step(secret: &[u8], code: &str, now: i64) -> Option<i64> {
    let totp = TOTP::new_unchecked(Algorithm::SHA1, 6, 0, STEP_SECS as u64, secret.to_vec());
    let current = now.div_euclid(STEP_SECS);
    // Every candidate is computed and compared in constant time.
    let mut found = None;
    for step in [current - 1, current, current + 1] {
        if step < 0 {
            continue;
        }
        let want = totp.generate((step * STEP_SECS) as u64);
        if bool::from(want.as_bytes().ct_eq(code.as_bytes())) {
            found = Some(step);
        }
    }
    found
}

/// Ten new recovery codes, as shown: `xxxxx-xxxxx` of lowercase letters and
/// digits (about 50 bits each), without look-alikes.
pub fn new_recovery_codes() -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    (0..domain::second_factor::RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let chars: String = bytes.iter().map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char).collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

/// The stored form of a recovery code (as [`domain::second_factor::Code`]
/// reads it: ten characters, no dash): hex HMAC-SHA256 under the server's
/// secret, so that a copy of the database alone cannot test guesses.
pub fn recovery_hash(secret: &[u8; 32], plain: &str) -> String {
    let key = derive(secret, b"recovery-code");
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&key).expect("HMAC takes keys of any length");
    mac.update(plain.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_secrets_open_only_under_the_same_secret() {
        let sealed = seal(&[7; 32], b"JBSWY3DPEHPK3PXP");
        assert!(!sealed.contains("JBSW"));
        assert_eq!(open(&[7; 32], &sealed).as_deref(), Some(&b"JBSWY3DPEHPK3PXP"[..]));
        assert_eq!(open(&[8; 32], &sealed), None);
        assert_ne!(seal(&[7; 32], b"x"), seal(&[7; 32], b"x"), "a fresh nonce each time");
    }

    #[test]
    fn rfc_6238_vectors_match_with_their_step() {
        // RFC 6238 appendix B, SHA-1 (the last six of its eight digits).
        let secret = b"12345678901234567890";
        assert_eq!(totp_step(secret, "287082", 59), Some(1));
        assert_eq!(totp_step(secret, "081804", 1111111109), Some(1111111109 / 30));
        assert_eq!(totp_step(secret, "050471", 1111111111), Some(1111111111 / 30));
        // One step either side is taken, two are not.
        assert_eq!(totp_step(secret, "287082", 59 + 30), Some(1));
        assert_eq!(totp_step(secret, "287082", 59 + 60), None);
        assert_eq!(totp_step(secret, "000000", 59), None);
    }

    #[test]
    fn base32_is_rfc_4648() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(b"12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_hash_under_the_secret() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), 10);
        assert!(codes.iter().all(|c| c.len() == 11 && c.as_bytes()[5] == b'-'));
        let distinct: std::collections::BTreeSet<_> = codes.iter().collect();
        assert_eq!(distinct.len(), 10);
        assert_ne!(recovery_hash(&[1; 32], "abcde12345"), recovery_hash(&[2; 32], "abcde12345"));
    }

    #[test]
    fn the_qr_code_is_an_svg() {
        let svg = qr_svg(&otpauth_uri(b"12345678901234567890", "Client Access Manager", "ada@example.com"));
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }
}
