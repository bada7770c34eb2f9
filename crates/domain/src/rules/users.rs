//! A customer account's own administration: who manages users and creates
//! them from the Partner Admin template (R11), who edits which assets, who
//! reads the history (R13), and what a seat pays for (SPEC §2).

use super::{Decision, Reason, Refusal, Rule};
use crate::account::{AccountKind, Membership, PartnerProgram, PricingModel, Seat};
use crate::rules::may_open_client_access_manager;
use serde::{Deserialize, Serialize};

/// R11: a partner seat is only for an employee of a partner (by verified
/// email domain or membership of the partner account).
pub fn may_take_partner_seat(partner: Option<PartnerProgram>) -> Decision {
    match partner {
        Some(_) => Ok(()),
        None => Err(Refusal::invalid(Rule::R11, Reason::PartnerSeatPartnerOnly)),
    }
}

/// What the client side knows about the person a user is being created for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateCandidate {
    /// The programme of the partner the person is a recognised employee of
    /// (by verified domain or by link), if any.
    pub partner_program: Option<PartnerProgram>,
    /// Whether a partner seat is assigned to the person in this account.
    pub partner_seat: bool,
}

/// R11: the Partner Admin template is offered only for an employee of a
/// Solutions Partner or Provider, and only once a partner seat is assigned.
pub fn partner_admin_template_available(candidate: TemplateCandidate) -> Decision {
    match candidate.partner_program {
        None => Err(Refusal::invalid(Rule::R11, Reason::TemplatePartnerOnly)),
        Some(p) if !p.may_have_partner_admins() => Err(Refusal::invalid(Rule::R11, Reason::TemplateProgram)),
        Some(_) if !candidate.partner_seat => Err(Refusal::invalid(Rule::R11, Reason::TemplateNeedsSeat)),
        Some(_) => Ok(()),
    }
}

/// Whether the Create user wizard may offer the Partner Admin template (R11),
/// as much as the wizard needs to know and no more: the programme of the
/// person's partner is not told apart from not being a partner employee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateEligibility {
    /// Offered: an eligible partner employee with a partner seat.
    Available,
    /// An eligible partner employee: offered once a partner seat is assigned.
    NeedsPartnerSeat,
    /// Not an employee of a Solutions Partner or Provider.
    NotEligible,
}

impl TemplateEligibility {
    /// R11 for the wizard.
    pub fn of(candidate: TemplateCandidate) -> TemplateEligibility {
        match candidate.partner_program {
            Some(p) if p.may_have_partner_admins() => {
                if candidate.partner_seat {
                    TemplateEligibility::Available
                } else {
                    TemplateEligibility::NeedsPartnerSeat
                }
            }
            _ => TemplateEligibility::NotEligible,
        }
    }
}

/// A deactivated or ended membership never acts (R8, R14): its holder is
/// told so rather than shown nothing.
pub fn may_act_as_member(member: &Membership) -> Decision {
    if member.is_active() {
        Ok(())
    } else {
        Err(Refusal::forbidden(Rule::R8, Reason::AccessDeactivated))
    }
}

/// R11: who may see and manage an account's users (Users & Teams, Create user).
pub fn may_manage_users(member: &Membership) -> Decision {
    if member.may_manage_users() {
        Ok(())
    } else {
        Err(Refusal::forbidden(Rule::R11, Reason::UsersEditNeeded))
    }
}

/// Creating, renaming or reassigning an asset needs the edit permission of its kind.
pub fn may_edit_asset(member: &Membership, kind: crate::account::AssetKind) -> Decision {
    if member.holds(kind.edit_permission()) {
        Ok(())
    } else {
        Err(Refusal::forbidden(Rule::R12, Reason::AssetEditNeeded))
    }
}

/// R13: partner admins (R1) and client admins (super admins or *Add and edit
/// users*) may read their own account's history, and nobody else.
pub fn may_read_history(account: AccountKind, member: &Membership) -> Decision {
    let allowed = match account {
        AccountKind::Partner => may_open_client_access_manager(account, member).is_ok(),
        AccountKind::Customer => member.may_manage_users(),
    };
    if allowed {
        Ok(())
    } else {
        Err(Refusal::forbidden(Rule::R13, Reason::HistoryAdminsOnly))
    }
}

/// Paid hub features a seat can unlock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaidFeature {
    Sales,
    Service,
}

/// SPEC §2: a partner seat gives the paid Sales and Service features for
/// free, except in seat-based accounts, where a paid seat is still needed.
pub fn has_paid_feature(seat: Seat, feature: PaidFeature, pricing: PricingModel) -> bool {
    match (seat, feature) {
        (Seat::Sales, PaidFeature::Sales) | (Seat::Service, PaidFeature::Service) => true,
        (Seat::Partner, _) => pricing == PricingModel::Classic,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::permission::StandardSet;

    #[test]
    fn template_needs_an_eligible_partner_and_a_partner_seat() {
        let ok = TemplateCandidate { partner_program: Some(PartnerProgram::SolutionsPartner), partner_seat: true };
        assert!(partner_admin_template_available(ok).is_ok());
        assert!(partner_admin_template_available(TemplateCandidate { partner_seat: false, ..ok }).is_err());
        assert!(partner_admin_template_available(TemplateCandidate { partner_program: None, ..ok }).is_err());
        let app = TemplateCandidate { partner_program: Some(PartnerProgram::AppPartner), partner_seat: true };
        assert_eq!(partner_admin_template_available(app).unwrap_err().rule, Rule::R11);
    }

    #[test]
    fn only_super_admins_and_user_editors_may_manage_users() {
        assert!(may_manage_users(&Membership::super_admin()).is_ok());
        assert!(may_manage_users(&Membership::with_set(StandardSet::PartnerAdmin)).is_ok());
        assert!(may_manage_users(&Membership::with_set(StandardSet::Sales)).is_err());
    }

    #[test]
    fn only_admins_read_history() {
        assert!(may_read_history(AccountKind::Customer, &Membership::super_admin()).is_ok());
        assert!(may_read_history(AccountKind::Customer, &Membership::with_set(StandardSet::PartnerAdmin)).is_ok());
        assert_eq!(
            may_read_history(AccountKind::Customer, &Membership::with_set(StandardSet::Sales)).unwrap_err().rule,
            Rule::R13
        );
        assert!(may_read_history(AccountKind::Partner, &Membership::with_set(StandardSet::Sales)).is_err());
        assert!(may_read_history(AccountKind::Partner, &Membership::super_admin()).is_ok());
    }

    #[test]
    fn partner_seat_gives_paid_features_except_in_seat_based_accounts() {
        assert!(has_paid_feature(Seat::Partner, PaidFeature::Sales, PricingModel::Classic));
        assert!(!has_paid_feature(Seat::Partner, PaidFeature::Service, PricingModel::SeatBased));
        assert!(has_paid_feature(Seat::Service, PaidFeature::Service, PricingModel::SeatBased));
        assert!(!has_paid_feature(Seat::Core, PaidFeature::Sales, PricingModel::Classic));
    }
}
