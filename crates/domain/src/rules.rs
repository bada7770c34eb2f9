//! Every access rule of SPEC §5 as a pure function. The server calls these to
//! decide and persist; the browser calls the same functions to preview and to
//! disable what would be refused.

use crate::account::{AccountKind, Membership, MembershipStatus, PartnerProgram, PricingModel, Seat};
use crate::permission::Permission;
use crate::time::UnixTime;
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

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::AccessLinks => f.write_str("SPEC §4"),
            other => fmt::Debug::fmt(other, f),
        }
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

// ---------------------------------------------------------------- R1

/// R1: only a partner-account super admin or a holder of *View and edit
/// partner employees* may open Client Access Manager.
pub fn may_open_client_access_manager(account: AccountKind, member: &Membership) -> Decision {
    if account != AccountKind::Partner {
        return Err(Refusal::forbidden(Rule::R1, "Client Access Manager exists only in partner accounts"));
    }
    if member.is_active_super_admin() || member.holds(Permission::PartnerEmployeesEdit) {
        Ok(())
    } else {
        Err(Refusal::forbidden(
            Rule::R1,
            "You need to be a super admin of the partner account or hold View and edit partner employees to open Client Access Manager",
        ))
    }
}

// ---------------------------------------------------------------- R2

/// What a partner user may do to partner employees in a client account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAction {
    AddEmployees,
    ChangePermissionSet,
    Reactivate,
    Deactivate,
    Remove,
}

impl ClientAction {
    /// Whether R2 looks at the actor's own membership in the client for this
    /// action (deactivating and removing need only Client Access Manager).
    pub fn needs_client_membership(self) -> bool {
        !matches!(self, ClientAction::Deactivate | ClientAction::Remove)
    }
}

/// R2: who may act in a client. Adding, re-permissioning and reactivating need
/// the actor to be Partner Admin in that client (reactivation also while every
/// partner user there, the actor included, is deactivated). Deactivating and
/// removing are also open to anyone who may open Client Access Manager (R1).
pub fn may_act_in_client(
    action: ClientAction,
    partner_account: AccountKind,
    actor_in_partner: &Membership,
    actor_in_client: Option<&Membership>,
    all_partner_users_deactivated: bool,
) -> Decision {
    may_open_client_access_manager(partner_account, actor_in_partner)?;
    let pa_set = actor_in_client.is_some_and(Membership::has_partner_admin_set);
    let active_pa = actor_in_client.is_some_and(Membership::is_partner_admin);
    let allowed = match action {
        ClientAction::AddEmployees | ClientAction::ChangePermissionSet => active_pa,
        ClientAction::Reactivate => active_pa || (pa_set && all_partner_users_deactivated),
        ClientAction::Deactivate | ClientAction::Remove => true,
    };
    if allowed {
        Ok(())
    } else {
        Err(Refusal::forbidden(Rule::R2, "You need to be a Partner Admin in this client account to do this"))
    }
}

/// R4 and R11: a person is added to an account only once; `existing` is
/// their membership there, if any, and `name` how the refusal names them.
pub fn may_add_member(existing: Option<&Membership>, name: &str, rule: Rule) -> Decision {
    match existing {
        None => Ok(()),
        Some(_) => Err(Refusal::conflict(rule, &format!("{name} is already a user in this account"))),
    }
}

/// R8: deactivating or reactivating changes a status into the other one.
pub fn may_change_status(current: MembershipStatus, to: MembershipStatus) -> Decision {
    if current == to {
        Err(Refusal::invalid(Rule::R8, &format!("This user is already {} here", to.key())))
    } else {
        Ok(())
    }
}

/// R9 (partner side) and R12 (client side): a super admin holds every
/// permission, so their permission set is not changed; a partner super
/// admin is changed to Partner Admin first (R9), a client's super admin
/// loses super admin rights first (R12).
pub fn may_change_permission_set(target: &Membership, rule: Rule) -> Decision {
    if !target.super_admin {
        return Ok(());
    }
    let why = match rule {
        Rule::R9 => "This employee is a super admin here; change them to Partner Admin first",
        _ => "Super admins hold every permission; remove super admin rights first",
    };
    Err(Refusal::invalid(rule, why))
}

/// R11: a partner seat is only for an employee of a partner (by verified
/// email domain or membership of the partner account).
pub fn may_take_partner_seat(partner: Option<PartnerProgram>) -> Decision {
    match partner {
        Some(_) => Ok(()),
        None => Err(Refusal::invalid(Rule::R11, "Partner seats are only for employees of a partner")),
    }
}

// ---------------------------------------------------------------- R3

pub use crate::grant::{grant, Grant, Granter, PermissionChange, Requested};

// ---------------------------------------------------------------- R9

/// Who is asking for a migration to Partner Admin, relative to the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Migrator<'a> {
    /// The target migrates themself (partner side, a client where they are super admin).
    Themself,
    /// Somebody else: their membership of the client account, if any.
    Other {
        actor: Option<&'a Membership>,
        /// The actor is an employee of the same partner as the target.
        same_partner: bool,
    },
}

/// R9: who may change a partner super admin to Partner Admin: the super admin
/// themself, any active super admin of the account, or a Partner Admin of the
/// same partner in that account.
pub fn may_migrate(migrator: Migrator<'_>) -> Decision {
    match migrator {
        Migrator::Themself => Ok(()),
        Migrator::Other { actor: Some(actor), .. } if actor.is_active_super_admin() => Ok(()),
        Migrator::Other { actor: Some(actor), same_partner: true } if actor.is_partner_admin() => Ok(()),
        Migrator::Other { .. } => Err(Refusal::forbidden(
            Rule::R9,
            "Only a super admin of this account, or a Partner Admin of the same partner, can change a partner super admin to Partner Admin",
        )),
    }
}

/// R9 as an invariant: whether removing super admin rights from a member of an
/// account with `active_super_admins` active super admins (that member
/// included when `member_active`) would leave none.
pub fn would_leave_no_super_admin(active_super_admins: usize, member_active: bool) -> bool {
    active_super_admins.saturating_sub(usize::from(member_active)) == 0
}

/// R9 for deactivations and removals: taking an active super admin out of an
/// account with `active_super_admins` active super admins must leave one.
pub fn keeps_a_super_admin(target: &Membership, active_super_admins: usize) -> Decision {
    if target.is_active_super_admin() && would_leave_no_super_admin(active_super_admins, true) {
        Err(Refusal::conflict(
            Rule::R9,
            "This account must keep at least one super admin; this change would leave it without one",
        ))
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------- R5

/// R5: a manual link is possible only where the user already exists in the
/// client account and is not yet linked to a partner.
pub fn may_link(existing: Option<&Membership>, partner_account_id: i64) -> Decision {
    match existing.map(|m| m.partner_account_id) {
        None => Err(Refusal::invalid(
            Rule::R5,
            "This employee is not a user in that client account, so there is nothing to link",
        )),
        Some(Some(p)) if p == partner_account_id => {
            Err(Refusal::conflict(Rule::R5, "This employee is already linked to that client"))
        }
        Some(Some(_)) => {
            Err(Refusal::conflict(Rule::R5, "This user is already linked to another partner in that client"))
        }
        Some(None) => Ok(()),
    }
}

// ---------------------------------------------------------------- R10

/// Days a relationship stays *ending* after the last qualifying partner activity.
pub const RELATIONSHIP_GRACE_DAYS: i64 = 60;

/// A client's managed relationship with a partner (R10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationshipStatus {
    /// At least one partner employee is active in the client.
    Managed,
    /// No partner employee is active; ends at `ends_at`.
    Ending { ends_at: UnixTime, days_left: i64 },
    /// Ended at `ended_at`.
    Ended { ended_at: UnixTime },
}

/// R10: managed while a partner employee is active; otherwise ending until 60
/// days after the last qualifying partner activity, then ended.
pub fn relationship_status(
    active_partner_users: usize,
    last_partner_activity: UnixTime,
    now: UnixTime,
) -> RelationshipStatus {
    if active_partner_users > 0 {
        return RelationshipStatus::Managed;
    }
    let ends_at = last_partner_activity.plus_days(RELATIONSHIP_GRACE_DAYS);
    if now < ends_at {
        RelationshipStatus::Ending { ends_at, days_left: now.days_until(ends_at) }
    } else {
        RelationshipStatus::Ended { ended_at: ends_at }
    }
}

// ---------------------------------------------------------------- R11

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
        None => Err(Refusal::invalid(
            Rule::R11,
            "The Partner Admin template is only for employees of a partner (by verified email domain or access link)",
        )),
        Some(p) if !p.may_have_partner_admins() => Err(Refusal::invalid(
            Rule::R11,
            "The Partner Admin template is only for employees of Solutions Partners and Providers",
        )),
        Some(_) if !candidate.partner_seat => Err(Refusal::invalid(
            Rule::R11,
            "Assign a partner seat to this person before choosing the Partner Admin template",
        )),
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

/// R11: who may see and manage an account's users (Users & Teams, Create user).
pub fn may_manage_users(member: &Membership) -> Decision {
    if member.may_manage_users() {
        Ok(())
    } else {
        Err(Refusal::forbidden(Rule::R11, "Only super admins or users with Add and edit users can manage users"))
    }
}

// ---------------------------------------------------------------- assets

/// Creating, renaming or reassigning an asset needs the edit permission of its kind.
pub fn may_edit_asset(member: &Membership, kind: crate::account::AssetKind) -> Decision {
    if member.holds(kind.edit_permission()) {
        Ok(())
    } else {
        Err(Refusal::forbidden(Rule::R12, "You need edit permission for this kind of asset"))
    }
}

// ---------------------------------------------------------------- R13

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
        Err(Refusal::forbidden(Rule::R13, "Only the account's admins can read its history"))
    }
}

// ---------------------------------------------------------------- R12

/// Account features reserved to super admins (Billing also to holders of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdminFeature {
    Billing,
    SuperAdmins,
    ScimProvisioning,
    DataCentreMigration,
}

impl AdminFeature {
    /// The permission the feature needs.
    pub fn permission(self) -> Permission {
        match self {
            AdminFeature::Billing => Permission::Billing,
            AdminFeature::SuperAdmins => Permission::SuperAdminsManage,
            AdminFeature::ScimProvisioning => Permission::ScimProvisioning,
            AdminFeature::DataCentreMigration => Permission::DataCentreMigration,
        }
    }
}

/// R12 on Users & Teams: a super admin's seat, status and membership are
/// changed only by someone who may add and remove super admins (a super
/// admin). Otherwise a Partner Admin holding *Add and edit users* could
/// deactivate or remove the very super admins R12 puts out of their reach.
/// `editor_manages_super_admins` is whether the editor holds *Add and remove
/// super admins*, which only an active super admin does.
pub fn may_change_member(editor_manages_super_admins: bool, target_is_super_admin: bool) -> Decision {
    if target_is_super_admin && !editor_manages_super_admins {
        Err(Refusal::forbidden(
            Rule::R12,
            "Only super admins can change the seat or status of a super admin, or remove one",
        ))
    } else {
        Ok(())
    }
}

/// R12: Partner Admins cannot add or remove super admins, reach SCIM or
/// data-centre migration, nor billing unless they kept it.
pub fn may_use_admin_feature(feature: AdminFeature, member: &Membership) -> Decision {
    if member.holds(feature.permission()) {
        return Ok(());
    }
    let why = match feature {
        AdminFeature::Billing => {
            "Billing is open to super admins, and to Partner Admins only if they kept billing permissions"
        }
        AdminFeature::SuperAdmins => "Only super admins can add and remove super admins",
        AdminFeature::ScimProvisioning => "Only super admins can set up user provisioning with SCIM (Okta)",
        AdminFeature::DataCentreMigration => "Only super admins can migrate the data centre",
    };
    Err(Refusal::forbidden(Rule::R12, why))
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
    use crate::permission::{Perms, StandardSet};
    use proptest::prelude::*;

    fn partner_super_admin() -> Membership {
        let mut m = Membership::super_admin();
        m.partner_account_id = Some(1);
        m
    }

    fn deactivated(mut m: Membership) -> Membership {
        m.status = MembershipStatus::Deactivated;
        m
    }

    // R1
    #[test]
    fn partner_super_admin_may_open_client_access_manager() {
        assert!(may_open_client_access_manager(AccountKind::Partner, &Membership::super_admin()).is_ok());
    }

    #[test]
    fn holder_of_view_and_edit_partner_employees_may_open_client_access_manager() {
        let mut m = Membership::with_set(StandardSet::ViewOnly);
        m.added = Perms::EMPTY.with(Permission::PartnerEmployeesEdit);
        assert!(may_open_client_access_manager(AccountKind::Partner, &m).is_ok());
    }

    #[test]
    fn plain_partner_employee_is_refused_client_access_manager_naming_r1() {
        let err = may_open_client_access_manager(AccountKind::Partner, &Membership::with_set(StandardSet::Sales))
            .unwrap_err();
        assert_eq!(err.rule, Rule::R1);
        assert_eq!(err.kind, RefusalKind::Forbidden);
        assert!(err.message.contains("View and edit partner employees"));
    }

    #[test]
    fn customer_account_super_admin_cannot_open_client_access_manager() {
        assert!(may_open_client_access_manager(AccountKind::Customer, &Membership::super_admin()).is_err());
    }

    #[test]
    fn deactivated_partner_super_admin_cannot_open_client_access_manager() {
        assert!(may_open_client_access_manager(AccountKind::Partner, &deactivated(Membership::super_admin())).is_err());
    }

    // R2
    #[test]
    fn partner_admin_in_the_client_may_add_employees() {
        let pa = Membership::with_set(StandardSet::PartnerAdmin);
        assert!(may_act_in_client(
            ClientAction::AddEmployees,
            AccountKind::Partner,
            &Membership::super_admin(),
            Some(&pa),
            false
        )
        .is_ok());
    }

    #[test]
    fn partner_super_admin_who_is_not_partner_admin_in_the_client_may_not_add_employees() {
        let sales = Membership::with_set(StandardSet::Sales);
        for in_client in [None, Some(&sales)] {
            let err = may_act_in_client(
                ClientAction::AddEmployees,
                AccountKind::Partner,
                &Membership::super_admin(),
                in_client,
                false,
            )
            .unwrap_err();
            assert_eq!(err.rule, Rule::R2);
        }
    }

    #[test]
    fn client_super_admin_must_become_partner_admin_before_changing_sets() {
        let sa = partner_super_admin();
        assert!(may_act_in_client(
            ClientAction::ChangePermissionSet,
            AccountKind::Partner,
            &Membership::super_admin(),
            Some(&sa),
            false
        )
        .is_err());
    }

    #[test]
    fn anyone_with_client_access_manager_may_deactivate_or_remove_even_when_all_are_deactivated() {
        let own = deactivated(Membership::with_set(StandardSet::PartnerAdmin));
        for action in [ClientAction::Deactivate, ClientAction::Remove] {
            assert!(
                may_act_in_client(action, AccountKind::Partner, &Membership::super_admin(), Some(&own), true).is_ok()
            );
            assert!(may_act_in_client(action, AccountKind::Partner, &Membership::super_admin(), None, false).is_ok());
        }
    }

    #[test]
    fn removal_and_deactivation_do_not_depend_on_the_actor_s_client_membership() {
        for action in [ClientAction::Remove, ClientAction::Deactivate] {
            assert!(!action.needs_client_membership());
            let sa = Membership::super_admin();
            let with = may_act_in_client(
                action,
                AccountKind::Partner,
                &sa,
                Some(&Membership::with_set(StandardSet::Sales)),
                false,
            );
            assert_eq!(with, may_act_in_client(action, AccountKind::Partner, &sa, None, true));
        }
        assert!(ClientAction::Reactivate.needs_client_membership());
    }

    #[test]
    fn deactivated_partner_admin_may_reactivate_only_when_every_partner_user_is_deactivated() {
        let own = deactivated(Membership::with_set(StandardSet::PartnerAdmin));
        let sa = Membership::super_admin();
        assert!(may_act_in_client(ClientAction::Reactivate, AccountKind::Partner, &sa, Some(&own), true).is_ok());
        assert!(may_act_in_client(ClientAction::Reactivate, AccountKind::Partner, &sa, Some(&own), false).is_err());
    }

    #[test]
    fn actions_in_clients_need_client_access_manager_first() {
        let pa = Membership::with_set(StandardSet::PartnerAdmin);
        let err = may_act_in_client(
            ClientAction::Remove,
            AccountKind::Partner,
            &Membership::with_set(StandardSet::Sales),
            Some(&pa),
            false,
        )
        .unwrap_err();
        assert_eq!(err.rule, Rule::R1);
    }

    // R9
    #[test]
    fn a_person_is_added_to_an_account_once() {
        assert!(may_add_member(None, "Dan", Rule::R4).is_ok());
        let err = may_add_member(Some(&Membership::with_set(StandardSet::Sales)), "Dan", Rule::R4).unwrap_err();
        assert_eq!((err.rule, err.kind), (Rule::R4, RefusalKind::Conflict));
        assert!(err.message.contains("Dan is already a user"));
    }

    #[test]
    fn a_status_changes_only_into_the_other_one() {
        use MembershipStatus::{Active, Deactivated};
        assert!(may_change_status(Active, Deactivated).is_ok());
        assert_eq!(may_change_status(Active, Active).unwrap_err().rule, Rule::R8);
    }

    #[test]
    fn a_super_admin_s_set_is_not_changed_and_a_partner_seat_needs_a_partner() {
        let sa = Membership::super_admin();
        assert_eq!(may_change_permission_set(&sa, Rule::R9).unwrap_err().rule, Rule::R9);
        assert_eq!(may_change_permission_set(&sa, Rule::R12).unwrap_err().rule, Rule::R12);
        assert!(may_change_permission_set(&Membership::with_set(StandardSet::Sales), Rule::R9).is_ok());
        assert_eq!(may_take_partner_seat(None).unwrap_err().rule, Rule::R11);
        assert!(may_take_partner_seat(Some(PartnerProgram::AppPartner)).is_ok());
    }

    #[test]
    fn a_partner_admin_cannot_change_or_remove_a_super_admin_but_a_super_admin_can() {
        let pa = Membership::with_set(StandardSet::PartnerAdmin);
        let sa = Membership::super_admin();
        let err = may_change_member(pa.holds(Permission::SuperAdminsManage), true).unwrap_err();
        assert_eq!((err.rule, err.kind), (Rule::R12, RefusalKind::Forbidden));
        assert!(may_change_member(pa.holds(Permission::SuperAdminsManage), false).is_ok());
        assert!(may_change_member(sa.holds(Permission::SuperAdminsManage), true).is_ok());
        assert!(may_change_member(deactivated(sa).holds(Permission::SuperAdminsManage), true).is_err());
    }

    #[test]
    fn partner_admin_of_the_same_partner_may_migrate_other_partner_super_admins() {
        let pa = Membership::with_set(StandardSet::PartnerAdmin);
        assert!(may_migrate(Migrator::Other { actor: Some(&pa), same_partner: true }).is_ok());
        assert!(may_migrate(Migrator::Other { actor: Some(&pa), same_partner: false }).is_err());
        let sales = Membership::with_set(StandardSet::Sales);
        assert_eq!(
            may_migrate(Migrator::Other { actor: Some(&sales), same_partner: true }).unwrap_err().rule,
            Rule::R9
        );
        assert!(may_migrate(Migrator::Other { actor: Some(&Membership::super_admin()), same_partner: false }).is_ok());
        assert!(may_migrate(Migrator::Other { actor: None, same_partner: true }).is_err());
    }

    #[test]
    fn the_last_active_super_admin_cannot_be_deactivated_or_removed() {
        let sa = Membership::super_admin();
        assert_eq!(keeps_a_super_admin(&sa, 1).unwrap_err().kind, RefusalKind::Conflict);
        assert!(keeps_a_super_admin(&sa, 2).is_ok());
        assert!(keeps_a_super_admin(&Membership::with_set(StandardSet::PartnerAdmin), 0).is_ok());
    }

    // R5
    #[test]
    fn only_unlinked_existing_users_can_be_linked() {
        let plain = Membership::with_set(StandardSet::ViewOnly);
        assert!(may_link(Some(&plain), 1).is_ok());
        assert_eq!(may_link(None, 1).unwrap_err().kind, RefusalKind::Invalid);
        let mut linked = plain.clone();
        linked.partner_account_id = Some(1);
        assert_eq!(may_link(Some(&linked), 1).unwrap_err().rule, Rule::R5);
        linked.partner_account_id = Some(2);
        assert_eq!(may_link(Some(&linked), 1).unwrap_err().kind, RefusalKind::Conflict);
    }

    // R10
    #[test]
    fn client_with_an_active_partner_user_is_managed() {
        assert_eq!(
            relationship_status(1, UnixTime(0), UnixTime(1_000 * crate::time::DAY)),
            RelationshipStatus::Managed
        );
    }

    #[test]
    fn client_without_active_partner_users_is_ending_for_sixty_days_then_ended() {
        let last = UnixTime(1_700_000_000);
        assert_eq!(
            relationship_status(0, last, last.plus_days(10)),
            RelationshipStatus::Ending { ends_at: last.plus_days(60), days_left: 50 }
        );
        assert_eq!(
            relationship_status(0, last, last.plus_days(60)),
            RelationshipStatus::Ended { ended_at: last.plus_days(60) }
        );
    }

    // R11
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

    // R13
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

    // R12
    #[test]
    fn partner_admin_is_refused_super_admin_only_features() {
        let pa = Membership::with_set(StandardSet::PartnerAdmin);
        for f in [
            AdminFeature::SuperAdmins,
            AdminFeature::ScimProvisioning,
            AdminFeature::DataCentreMigration,
            AdminFeature::Billing,
        ] {
            assert_eq!(may_use_admin_feature(f, &pa).unwrap_err().rule, Rule::R12, "{f:?}");
        }
    }

    #[test]
    fn partner_admin_who_kept_billing_may_use_billing_only() {
        let target = partner_super_admin();
        let kept = crate::grant::migrate_to_partner_admin(crate::grant::Granter::platform(), &target, 2, true).unwrap();
        let kept = kept.applied_to(&target);
        assert!(may_use_admin_feature(AdminFeature::Billing, &kept).is_ok());
        assert!(may_use_admin_feature(AdminFeature::SuperAdmins, &kept).is_err());
    }

    #[test]
    fn super_admin_may_use_every_admin_feature() {
        for f in [
            AdminFeature::SuperAdmins,
            AdminFeature::ScimProvisioning,
            AdminFeature::DataCentreMigration,
            AdminFeature::Billing,
        ] {
            assert!(may_use_admin_feature(f, &Membership::super_admin()).is_ok());
        }
    }

    #[test]
    fn partner_seat_gives_paid_features_except_in_seat_based_accounts() {
        assert!(has_paid_feature(Seat::Partner, PaidFeature::Sales, PricingModel::Classic));
        assert!(!has_paid_feature(Seat::Partner, PaidFeature::Service, PricingModel::SeatBased));
        assert!(has_paid_feature(Seat::Service, PaidFeature::Service, PricingModel::SeatBased));
        assert!(!has_paid_feature(Seat::Core, PaidFeature::Sales, PricingModel::Classic));
    }

    proptest! {
        #[test]
        fn r9_no_sequence_of_migrations_leaves_zero_super_admins(
            members in proptest::collection::vec((any::<bool>(), any::<bool>()), 1..8),
            attempts in proptest::collection::vec((0usize..8, any::<bool>()), 0..30),
        ) {
            // (is partner employee, active) per super admin; at least one active non-partner anchor is not assumed.
            let mut account: Vec<Membership> = members.iter().map(|(partner, active)| {
                let mut m = Membership::super_admin();
                if *partner { m.partner_account_id = Some(7); }
                if !*active { m.status = MembershipStatus::Deactivated; }
                m
            }).collect();
            let count = |acc: &Vec<Membership>| acc.iter().filter(|m| m.is_active_super_admin()).count();
            let before = count(&account);
            for (i, keep) in attempts {
                let i = i % account.len();
                if let Ok(g) = crate::grant::migrate_to_partner_admin(crate::grant::Granter::platform(), &account[i], count(&account), keep) {
                    account[i] = g.applied_to(&account[i]);
                }
                if before > 0 {
                    prop_assert!(count(&account) >= 1);
                }
            }
        }
    }
}
