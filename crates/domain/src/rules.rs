//! Every access rule of SPEC §4–§5 as a pure function. The server calls
//! these to decide and persist; the browser calls the same functions to
//! preview and to disable what would be refused. What a rule returns — a
//! [`Decision`], or a [`Refusal`] naming its rule — lives here; the rules
//! live in the modules below, by group; the grant rule (R3) in
//! [`crate::grant`].

mod partner_side;
mod relationship;
mod super_admins;
mod users;

/// Memberships the rules' tests start from.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::account::{Membership, MembershipStatus};

    /// An active super admin flagged with partner 1.
    pub fn partner_super_admin() -> Membership {
        let mut m = Membership::super_admin();
        m.partner_account_id = Some(1);
        m
    }

    /// `m`, deactivated.
    pub fn deactivated(mut m: Membership) -> Membership {
        m.status = MembershipStatus::Deactivated;
        m
    }
}

pub use crate::grant::{grant, Grant, Granter, PermissionChange, Requested};
pub use partner_side::*;
pub use relationship::*;
pub use super_admins::*;
pub use users::*;

use serde::{Deserialize, Serialize};
use std::fmt;

/// The rules of SPEC §5, named in refusals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rule {
    R1,
    R2,
    R3,
    R4,
    R5,
    R6,
    R7,
    R8,
    R9,
    R10,
    R11,
    R12,
    R13,
    /// SPEC §4, access links.
    AccessLinks,
}

impl Rule {
    /// The name a refusal shows: `R1` … `R13`, or `SPEC §4`.
    pub fn name(self) -> &'static str {
        match self {
            Rule::R1 => "R1",
            Rule::R2 => "R2",
            Rule::R3 => "R3",
            Rule::R4 => "R4",
            Rule::R5 => "R5",
            Rule::R6 => "R6",
            Rule::R7 => "R7",
            Rule::R8 => "R8",
            Rule::R9 => "R9",
            Rule::R10 => "R10",
            Rule::R11 => "R11",
            Rule::R12 => "R12",
            Rule::R13 => "R13",
            Rule::AccessLinks => "SPEC §4",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How a refusal maps onto the API: not allowed (403), conflicting with
/// stored state (409) or an action that makes no sense in the current state (422).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalKind {
    Forbidden,
    Conflict,
    Invalid,
}

/// A rule said no. The message is for the person and names the rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub rule: Rule,
    pub kind: RefusalKind,
    pub message: String,
}

impl Refusal {
    pub(crate) fn forbidden(rule: Rule, why: &str) -> Refusal {
        Refusal { rule, kind: RefusalKind::Forbidden, message: format!("{why} ({rule})") }
    }
    pub(crate) fn conflict(rule: Rule, why: &str) -> Refusal {
        Refusal { rule, kind: RefusalKind::Conflict, message: format!("{why} ({rule})") }
    }
    pub(crate) fn invalid(rule: Rule, why: &str) -> Refusal {
        Refusal { rule, kind: RefusalKind::Invalid, message: format!("{why} ({rule})") }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Refusal {}

/// What a rule returns: allowed, or refused with a reason.
pub type Decision = Result<(), Refusal>;
