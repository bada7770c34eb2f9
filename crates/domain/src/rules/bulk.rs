//! R17: each row or client of a bulk action is decided by the §9 decision
//! of the single action it repeats ([`crate::authority`]); what is left
//! here is the refusal of a row whose person is no longer there.

use super::{Reason, Refusal, Rule};

/// The employee is no (longer a) partner user in that client.
pub fn not_in_client() -> Refusal {
    Refusal::invalid(Rule::R17, Reason::NotInClient)
}
