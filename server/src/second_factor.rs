//! The second factor: TOTP codes (RFC 6238: SHA-1, six digits, 30-second steps, one step of
//! drift either way) with `totp-rs`, single-use recovery codes stored as SHA-256 hashes, and the
//! admin setting that requires it of staff.
//!
//! A code is accepted once: the account remembers the last time step it accepted and refuses
//! that step and every earlier one.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::db;
use crate::db::entity::user;
use crate::error::{Error, Result};
use crate::state::AppState;

/// The name of the admin setting.
pub const REQUIRE_STAFF_TOTP: &str = "require_staff_totp";
/// How many recovery codes an enrolment gives.
pub const RECOVERY_CODES: usize = 10;
const STEP: u64 = 30;
const ISSUER: &str = "Reglament";

/// Whether the admin setting requires a second factor of every member of staff.
///
/// # Errors
/// A database failure.
pub async fn required(state: &AppState) -> Result<bool> {
    state
        .directory
        .require_staff_totp
        .get_or_read((), async {
            Ok::<_, Error>(
                db::second_factor::setting(&state.db, REQUIRE_STAFF_TOTP)
                    .await?
                    .is_some_and(|value| value == "true"),
            )
        })
        .await
}

/// A new random secret (160 bits), base32.
pub fn new_secret() -> String {
    let bytes: [u8; 20] = rand::random();
    match Secret::Raw(bytes.to_vec()).to_encoded() {
        Secret::Encoded(encoded) => encoded,
        Secret::Raw(_) => unreachable!("to_encoded always encodes"),
    }
}

fn totp(secret: &str, account: &str) -> Result<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned())
        .to_bytes()
        .map_err(|error| Error::Internal(anyhow::anyhow!("a stored TOTP secret: {error:?}")))?;
    Ok(TOTP::new_unchecked(
        Algorithm::SHA1,
        6,
        1,
        STEP,
        bytes,
        Some(ISSUER.to_owned()),
        account.replace(':', ""),
    ))
}

/// The `otpauth://` URI of `secret` for `account` and its QR code as SVG.
///
/// # Errors
/// A secret that is not base32, or a URI too long for a QR code (neither happens).
pub fn enrolment(secret: &str, account: &str) -> Result<shared::api::TotpEnrolment> {
    let otpauth_uri = totp(secret, account)?.get_url();
    let qr = qrcode::QrCode::new(otpauth_uri.as_bytes())
        .map_err(|error| Error::Internal(anyhow::anyhow!("QR code: {error}")))?;
    let qr_svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .build();
    Ok(shared::api::TotpEnrolment {
        secret: secret.to_owned(),
        otpauth_uri,
        qr_svg,
    })
}

/// The time step (within one step of `now`) whose code `code` is, if it is one.
pub fn matching_step(secret: &str, code: &str, now: DateTime<Utc>) -> Option<i64> {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let totp = totp(secret, "").ok()?;
    let current = u64::try_from(now.timestamp()).ok()? / STEP;
    (current.saturating_sub(1)..=current + 1)
        .find(|step| {
            let expected = totp.generate(step * STEP);
            // Compared in constant time.
            expected
                .bytes()
                .zip(code.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
        })
        .and_then(|step| i64::try_from(step).ok())
}

/// A recovery code as typed, normalised: lowercase, without spaces and dashes.
fn normalise(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The stored form of a recovery code.
pub fn hash_recovery_code(code: &str) -> String {
    hex::encode(Sha256::digest(normalise(code).as_bytes()))
}

/// New recovery codes (`xxxxx-xxxxx`, 50 random bits each) and their hashes.
pub fn new_recovery_codes() -> (Vec<String>, Vec<String>) {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let chars: String = (0..10)
                .map(|_| char::from(ALPHABET[rand::random_range(0..ALPHABET.len())]))
                .collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect();
    let hashes = codes.iter().map(|code| hash_recovery_code(code)).collect();
    (codes, hashes)
}

/// What a second factor was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Used {
    Code,
    RecoveryCode,
}

/// Checks `code` (a TOTP code or a recovery code) against the confirmed second factor of `user`
/// and uses it up; a recovery code's use is audited.
///
/// # Errors
/// A database failure.
pub async fn check(state: &AppState, user: &user::Model, code: &str) -> Result<Option<Used>> {
    let Some(secret) = user.totp_secret.as_deref() else {
        return Ok(None);
    };
    let now = Utc::now();
    if let Some(step) = matching_step(secret, code, now) {
        let fresh = db::second_factor::use_step(&state.db, user.id, step).await?;
        return Ok(fresh.then_some(Used::Code));
    }
    let txn = db::begin(&state.db).await?;
    let hash = hash_recovery_code(code);
    if !db::second_factor::use_recovery_code(&txn, user.id, &hash, now).await? {
        return Ok(None);
    }
    db::audit(
        &txn,
        now,
        Some(user.id),
        "user.use_recovery_code",
        "user",
        user.id,
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(Some(Used::RecoveryCode))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_matches_its_step_and_one_either_side() {
        let secret = new_secret();
        let now = Utc::now();
        let totp = totp(&secret, "a@b.example").expect("totp");
        let at = |t: i64| totp.generate(u64::try_from(t).expect("positive"));
        let step = now.timestamp() / 30;
        assert_eq!(
            matching_step(&secret, &at(now.timestamp()), now),
            Some(step)
        );
        assert_eq!(
            matching_step(&secret, &at(now.timestamp() + 30), now),
            Some(step + 1)
        );
        assert_eq!(matching_step(&secret, &at(now.timestamp() - 90), now), None);
        assert_eq!(matching_step(&secret, "12345", now), None);
        assert_eq!(matching_step(&secret, "abcdef", now), None);
    }

    #[test]
    fn recovery_codes_are_random_and_hashed_as_typed() {
        let (codes, hashes) = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        assert_ne!(codes[0], codes[1]);
        assert_eq!(hashes[0], hash_recovery_code(&codes[0].to_uppercase()));
        assert_eq!(hashes[0], hash_recovery_code(&codes[0].replace('-', " ")));
        assert_ne!(hashes[0], hash_recovery_code(&codes[1]));
    }

    #[test]
    fn the_uri_names_the_issuer_and_the_qr_code_is_svg() {
        let secret = new_secret();
        let enrolment = enrolment(&secret, "vera@demo.example").expect("enrolment");
        assert!(
            enrolment
                .otpauth_uri
                .starts_with("otpauth://totp/Reglament:")
        );
        assert!(enrolment.otpauth_uri.contains(&secret));
        assert!(enrolment.qr_svg.contains("<svg"));
    }
}
