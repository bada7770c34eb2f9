//! R20: second factors — the user's own (authenticator app, passkeys,
//! recovery codes), the sign-in step that asks for one, and an account's
//! requirement and its members' factors (A17, A18).

use crate::second_factor::Requirement;
use crate::time::UnixTime;
use serde::{Deserialize, Serialize};

/// `GET /session/second-factor`: what a sign-in waiting for its second
/// factor may use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingFactor {
    pub authenticator: bool,
    pub passkey: bool,
    pub recovery_codes_left: i64,
}

/// A code typed by the user: six digits of the authenticator app, or a
/// recovery code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    pub code: String,
}

/// One of the user's factors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactorInfo {
    pub id: i64,
    /// `authenticator` or `passkey`.
    pub kind: String,
    pub name: String,
    pub created_at: UnixTime,
    pub last_used_at: Option<UnixTime>,
}

/// `GET /me/second-factors`: the user's factors (confirmed ones) and how
/// many recovery codes are left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyFactors {
    pub factors: Vec<FactorInfo>,
    pub recovery_codes_left: i64,
}

/// `POST /me/second-factors/authenticator`: a new authenticator's secret,
/// shown to be scanned (the QR code, an SVG) or typed (the secret, base32);
/// it counts once confirmed by a first code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthenticatorSetup {
    pub id: i64,
    pub secret: String,
    pub uri: String,
    pub qr_svg: String,
}

/// New recovery codes, shown once (after the first factor, or when made
/// again; the old ones no longer work).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

/// `GET|PUT /accounts/{id}/settings/second-factor` (A17).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecondFactorSetting {
    pub required: Requirement,
}

/// `GET /accounts/{id}/second-factors`: a member and whether they have a
/// second factor, and whether the signed-in user may reset it (A18).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberFactor {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    /// The partner the person belongs to, for a partner's person.
    pub partner: Option<String>,
    pub second_factor: bool,
    pub may_reset: bool,
}
