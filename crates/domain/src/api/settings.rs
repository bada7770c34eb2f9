//! Super-admin-only settings (R12): billing, super admins, SCIM, data centre.

use crate::email::Email;
use crate::time::UnixTime;
use serde::{Deserialize, Serialize};

/// Settings > Billing (R12): who receives invoices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BillingSettings {
    pub billing_contact: Option<Email>,
}

/// Settings > Super admins (R12): one member and whether they are super admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuperAdminRow {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub super_admin: bool,
}

/// `POST .../settings/super-admins`: make a member super admin.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantSuperAdminRequest {
    pub user_id: i64,
}

/// Settings > User provisioning (SCIM via Okta), R12.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScimSettings {
    pub enabled: bool,
    pub token_created_at: Option<UnixTime>,
    /// Shown once, right after it was generated; never stored in clear.
    pub new_token: Option<String>,
}

/// Settings > Data centre migration (R12).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataCentreSettings {
    pub data_centre: DataCentre,
}

/// Where an account's data lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataCentre {
    Eu,
    Us,
    Ap,
}

impl DataCentre {
    /// The stable storage name.
    pub fn key(self) -> &'static str {
        match self {
            DataCentre::Eu => "eu",
            DataCentre::Us => "us",
            DataCentre::Ap => "ap",
        }
    }

    /// Parses a stable storage name.
    pub fn parse(s: &str) -> Option<DataCentre> {
        [DataCentre::Eu, DataCentre::Us, DataCentre::Ap].into_iter().find(|d| d.key() == s)
    }
}
