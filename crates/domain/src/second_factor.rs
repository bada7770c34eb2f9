//! R20: second factors. Who must have one to enter an account (A17's
//! choice, and a partner's choice for its employees in its clients), who
//! may reset someone's factors (A18), and the shapes of a code: six digits
//! of an authenticator app (RFC 6238, 30-second steps) or a recovery code.

use crate::account::AccountKind;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A17: who must have a second factor to enter an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// Nobody has to (a factor is still everyone's choice).
    #[default]
    Nobody,
    /// Everyone in the account; a partner account's choice covers its
    /// employees in its clients too.
    Everyone,
    /// A customer account's partner people only.
    PartnerPeople,
}

impl Requirement {
    /// The stable storage name.
    pub fn key(self) -> &'static str {
        match self {
            Requirement::Nobody => "nobody",
            Requirement::Everyone => "everyone",
            Requirement::PartnerPeople => "partner_people",
        }
    }

    /// Parses a storage name; anything unknown requires nothing more than
    /// the column's check allows (it never stores anything else).
    pub fn parse(key: &str) -> Requirement {
        match key {
            "everyone" => Requirement::Everyone,
            "partner_people" => Requirement::PartnerPeople,
            _ => Requirement::Nobody,
        }
    }

    /// The choices an account of `kind` has (a partner account has no
    /// partner people of its own).
    pub fn choices(kind: AccountKind) -> &'static [Requirement] {
        match kind {
            AccountKind::Customer => &[Requirement::Nobody, Requirement::Everyone, Requirement::PartnerPeople],
            AccountKind::Partner => &[Requirement::Nobody, Requirement::Everyone],
        }
    }
}

/// Whether a member must have a second factor before anything of the
/// account is served: the account's own requirement, and for a partner's
/// person in a customer account also that partner's requirement for all its
/// employees (R20).
pub fn required(own: Requirement, partner_person: bool, partners: Requirement) -> bool {
    let by_account = match own {
        Requirement::Nobody => false,
        Requirement::Everyone => true,
        Requirement::PartnerPeople => partner_person,
    };
    by_account || (partner_person && partners == Requirement::Everyone)
}

/// Why a second-factor decision said no.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorRefusal {
    /// A17, A18: not someone who may (403).
    NotAllowed,
    /// A17: a choice this kind of account does not have (422).
    NotForThisAccount,
}

impl FactorRefusal {
    /// The refusal in English, naming its rule (for logs and API clients).
    pub fn message(self) -> &'static str {
        match self {
            FactorRefusal::NotAllowed => {
                "Only an active super admin who answers for this account or person may do this (R20, SPEC §9 A17, A18)."
            }
            FactorRefusal::NotForThisAccount => "This account does not have that choice (R20).",
        }
    }
}

/// Why an account's data is refused to a member without a second factor
/// there (R20), in English.
pub const REQUIRED_MESSAGE: &str = "This account requires a second factor (R20). Set one up to continue.";

/// §9 A17: an account's super admin (active) chooses who must have a
/// second factor, among the choices of its kind.
pub fn may_require(kind: AccountKind, actor_super_admin: bool, choice: Requirement) -> Result<(), FactorRefusal> {
    if !actor_super_admin {
        return Err(FactorRefusal::NotAllowed);
    }
    if !Requirement::choices(kind).contains(&choice) {
        return Err(FactorRefusal::NotForThisAccount);
    }
    Ok(())
}

/// An account a person belongs to, as A18 reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Belonging {
    pub account_id: i64,
    pub kind: AccountKind,
    /// In a customer account: the partner the person is there for.
    pub partner_account_id: Option<i64>,
}

/// §9 A18: a partner employee's factors are reset by a super admin of
/// that partner; anyone else's by a super admin of every account the
/// person belongs to. `actor_super_admin_of` holds the accounts where the
/// actor is an active super admin. A person is that partner's employee in
/// full only where they are there for it: where they are a client's own
/// user (or another partner's person) that account's super admin must be
/// the actor too — a partner adding someone to its account never gains the
/// reset of their factors elsewhere.
pub fn may_reset(target: &[Belonging], actor_super_admin_of: &BTreeSet<i64>) -> Result<(), FactorRefusal> {
    let by = |id: &i64| actor_super_admin_of.contains(id);
    let partners: Vec<i64> = target.iter().filter(|b| b.kind == AccountKind::Partner).map(|b| b.account_id).collect();
    let allowed = if partners.is_empty() {
        !target.is_empty() && target.iter().all(|b| by(&b.account_id))
    } else {
        partners.iter().any(|p| {
            by(p)
                && target.iter().all(|b| {
                    b.account_id == *p
                        || (b.kind == AccountKind::Customer && b.partner_account_id == Some(*p))
                        || by(&b.account_id)
                })
        })
    };
    if allowed {
        Ok(())
    } else {
        Err(FactorRefusal::NotAllowed)
    }
}

/// How many recovery codes a user gets at a time.
pub const RECOVERY_CODES: usize = 10;

/// A code as typed: six digits of an authenticator app, or a recovery code
/// (`xxxxx-xxxxx`, letters and digits); spaces and case do not matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Code {
    Totp(String),
    Recovery(String),
}

impl Code {
    /// Reads what a person typed; `None` when it is neither shape.
    pub fn parse(typed: &str) -> Option<Code> {
        let compact: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.len() == 6 && compact.chars().all(|c| c.is_ascii_digit()) {
            return Some(Code::Totp(compact));
        }
        let plain: String = compact.chars().filter(|c| *c != '-').map(|c| c.to_ascii_lowercase()).collect();
        if plain.len() == 10 && plain.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Some(Code::Recovery(plain));
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AccountKind::{Customer, Partner};
    use Requirement::*;

    #[test]
    fn who_must_have_a_factor_follows_the_account_and_the_partner() {
        // (own, partner person, partner's, required) from SPEC R20.
        let table = [
            (Nobody, false, Nobody, false),
            (Nobody, true, Nobody, false),
            (Everyone, false, Nobody, true),
            (Everyone, true, Nobody, true),
            (PartnerPeople, false, Nobody, false),
            (PartnerPeople, true, Nobody, true),
            (Nobody, true, Everyone, true),
            (Nobody, false, Everyone, false),
        ];
        for (own, person, partners, want) in table {
            assert_eq!(required(own, person, partners), want, "{own:?} {person} {partners:?}");
        }
    }

    #[test]
    fn a17_super_admins_choose_among_their_kinds_choices() {
        assert_eq!(may_require(Customer, true, PartnerPeople), Ok(()));
        assert_eq!(may_require(Partner, true, Everyone), Ok(()));
        assert_eq!(may_require(Partner, true, PartnerPeople), Err(FactorRefusal::NotForThisAccount));
        assert_eq!(may_require(Customer, false, Nobody), Err(FactorRefusal::NotAllowed));
    }

    #[test]
    fn a18_a_partner_employee_by_the_partners_super_admin_anyone_else_by_every_accounts() {
        let p = Belonging { account_id: 1, kind: Partner, partner_account_id: None };
        let c = Belonging { account_id: 2, kind: Customer, partner_account_id: Some(1) };
        let d = Belonging { account_id: 3, kind: Customer, partner_account_id: None };
        let c_own = Belonging { account_id: 2, kind: Customer, partner_account_id: None };
        let of = |ids: &[i64]| ids.iter().copied().collect::<BTreeSet<i64>>();
        // A partner employee (also in a client): the partner's super admin only.
        assert_eq!(may_reset(&[p, c], &of(&[1])), Ok(()));
        assert_eq!(may_reset(&[p, c], &of(&[2])), Err(FactorRefusal::NotAllowed));
        // A client's own user in two accounts: a super admin of both.
        assert_eq!(may_reset(&[c_own, d], &of(&[2, 3])), Ok(()));
        assert_eq!(may_reset(&[c_own, d], &of(&[2])), Err(FactorRefusal::NotAllowed));
        // Someone a partner added to its account who is a client's own user
        // elsewhere: the partner's super admin alone may not.
        assert_eq!(may_reset(&[p, d], &of(&[1])), Err(FactorRefusal::NotAllowed));
        assert_eq!(may_reset(&[p, d], &of(&[1, 3])), Ok(()));
        assert_eq!(may_reset(&[], &of(&[2])), Err(FactorRefusal::NotAllowed));
    }

    #[test]
    fn codes_are_six_digits_or_a_recovery_code() {
        assert_eq!(Code::parse(" 123 456 "), Some(Code::Totp("123456".into())));
        assert_eq!(Code::parse("ABCDE-12345"), Some(Code::Recovery("abcde12345".into())));
        assert_eq!(Code::parse("12345"), None);
        assert_eq!(Code::parse("abcde-1234!"), None);
    }
}
