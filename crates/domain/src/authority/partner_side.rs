//! The partner side of §9: what a partner's people do in a client from
//! Client Access Manager (rows A1–A6 and A10's partner side). Every row
//! also needs R1, which a [`PartnerActor`] proves by being built.

use super::{
    end_not_passed, granter, holds, later, new_end, reactivated, settle, to_status, without_billing, Change, Place,
};
use crate::account::{AccountKind, Deactivator, End, Membership, MembershipStatus, Seat, Side};
use crate::grant::{grant, Requested};
use crate::history::HistoryAction;
use crate::permission::{Permission, Perms, SetKey, StandardSet};
use crate::rules::{
    may_add_member, may_be_migrated, may_change_permission_set, may_link, may_open_client_access_manager,
    partner_admin_needed, Reason, Refusal, Rule,
};
use crate::time::UnixTime;

/// Someone acting from a partner's Client Access Manager (R1 holds), with
/// their own membership of the client acted in, as of now.
#[derive(Debug, Clone, Copy)]
pub struct PartnerActor<'a> {
    partner: i64,
    here: Option<&'a Membership>,
}

impl<'a> PartnerActor<'a> {
    /// R1 in the partner account (`in_partner` is the actor's membership
    /// there), then the actor's membership of the client, if any.
    pub fn new(
        partner: i64,
        kind: AccountKind,
        in_partner: &Membership,
        here: Option<&'a Membership>,
    ) -> Result<PartnerActor<'a>, Refusal> {
        may_open_client_access_manager(kind, in_partner)?;
        Ok(PartnerActor { partner, here })
    }

    /// The partner the actor acts for.
    pub fn partner(&self) -> i64 {
        self.partner
    }

    /// An active Partner Admin of this partner in the client (R2): a
    /// deactivated or ended membership never acts.
    pub fn is_partner_admin_here(&self) -> bool {
        self.here.is_some_and(|m| m.is_partner_admin() && m.partner_account_id == Some(self.partner))
    }

    fn partner_admin(&self) -> Result<(), Refusal> {
        partner_admin_gate(self.is_partner_admin_here())
    }

    fn holds(&self) -> Perms {
        holds(self.here)
    }
}

/// R2's gate of A1, A2, A4 and A6, as a list row sees it: only an active
/// Partner Admin of the partner in the client acts (the Clients tab
/// disables *Add employees* with this very refusal).
pub fn partner_admin_gate(active_partner_admin_here: bool) -> Result<(), Refusal> {
    if active_partner_admin_here {
        Ok(())
    } else {
        Err(partner_admin_needed())
    }
}

/// A1 (R4, and each client of a bulk add): refused while the client
/// suspends the partner (whoever asks); an active Partner Admin there
/// adds an employee of the partner who is not a user there yet, with
/// `S ∩ A` (Billing never through a set) and an optional end of the
/// partner's; refused while the client suspends the partner.
pub fn add_employee(
    actor: &PartnerActor<'_>,
    existing: Option<&Membership>,
    name: &str,
    requested: &Requested,
    end: Option<UnixTime>,
    place: &mut Place,
) -> Result<Change, Refusal> {
    if place.suspends(Some(actor.partner)) {
        return Err(super::suspended());
    }
    actor.partner_admin()?;
    may_add_member(existing, name, Rule::R4)?;
    let end = new_end(end, Side::Partner, place.now)?;
    let granter = granter(actor.here, Some(actor.partner), place);
    let granted = grant(granter, Perms::EMPTY, &without_billing(requested, true, Perms::EMPTY));
    let mut m = granted.applied_to(&Membership::with_set(StandardSet::ViewOnly));
    m.seat = Seat::Partner;
    m.partner_account_id = Some(actor.partner);
    m.end = end;
    settle(actor.holds(), Change::granting(HistoryAction::EmployeeAdded, None, m, granted), place, false)
}

/// A2: an active Partner Admin there changes the set of one of the
/// partner's people (not a super admin: convert first, R9) by R3's formula;
/// refused while suspended.
pub fn change_set(
    actor: &PartnerActor<'_>,
    person: &Membership,
    requested: &Requested,
    place: &mut Place,
) -> Result<Change, Refusal> {
    place.not_suspended(person)?;
    actor.partner_admin()?;
    may_change_permission_set(person, Rule::R9)?;
    let granter = granter(actor.here, person.partner_account_id, place);
    let granted = grant(granter, person.permissions(), &without_billing(requested, true, person.permissions()));
    let after = granted.applied_to(person);
    settle(
        actor.holds(),
        Change::granting(HistoryAction::PermissionSetChanged, Some(person), after, granted),
        place,
        false,
    )
}

/// A3 (single, bulk, R6, R7): deactivating one of the partner's people is
/// open to every R1 holder; never the last super admin (R9).
pub fn deactivate_employee(
    actor: &PartnerActor<'_>,
    person: &Membership,
    place: &mut Place,
) -> Result<Change, Refusal> {
    to_status(person, MembershipStatus::Deactivated)?;
    let after = super::deactivated(person, Deactivator::Partner);
    settle(actor.holds(), Change::new(HistoryAction::Deactivated, person, Some(after)), place, false)
}

/// A3: removing one of the partner's people, as deactivating.
pub fn remove_employee(actor: &PartnerActor<'_>, person: &Membership, place: &mut Place) -> Result<Change, Refusal> {
    settle(actor.holds(), Change::new(HistoryAction::Removed, person, None), place, false)
}

/// A4 (R2, R8): only an active Partner Admin there reactivates, holding
/// everything the person gets back; the end stays as it is; refused while
/// suspended, once the end has passed, and when the client deactivated
/// the person (only the client reactivates then).
pub fn reactivate_employee(
    actor: &PartnerActor<'_>,
    person: &Membership,
    place: &mut Place,
) -> Result<Change, Refusal> {
    place.not_suspended(person)?;
    actor.partner_admin()?;
    to_status(person, MembershipStatus::Active)?;
    end_not_passed(person, place.now)?;
    if person.deactivated_by == Some(Deactivator::Client) {
        return Err(Refusal::forbidden(Rule::R8, Reason::DeactivatedByClient));
    }
    let after = reactivated(person);
    settle(actor.holds(), Change::new(HistoryAction::Reactivated, person, Some(after)), place, false)
}

/// A5 (R5): an R1 holder links an existing, unlinked user of the client to
/// the partner; nothing but the partner flag changes. Refused while
/// suspended and for a super admin.
pub fn link_user(
    actor: &PartnerActor<'_>,
    existing: Option<&Membership>,
    place: &mut Place,
) -> Result<Change, Refusal> {
    may_link(existing, actor.partner)?;
    let Some(person) = existing else { return Err(Refusal::invalid(Rule::R5, Reason::NothingToLink)) };
    if place.suspends(Some(actor.partner)) {
        return Err(super::suspended());
    }
    if person.super_admin {
        return Err(Refusal::forbidden(Rule::R5, Reason::LinkSuperAdmin));
    }
    let mut after = person.clone();
    after.partner_account_id = Some(actor.partner);
    settle(actor.holds(), Change::new(HistoryAction::ClientLinked, person, Some(after)), place, false)
}

/// A6 (R14): an active Partner Admin there sets, moves or removes the end
/// of one of the partner's people. Later or removed is a grant (the actor
/// holds everything the person holds) and never of an end the client set;
/// the client's end may be moved earlier and stays the client's. Refused
/// while suspended; never on the last super admin (R9).
pub fn set_end_as_partner(
    actor: &PartnerActor<'_>,
    person: &Membership,
    at: Option<UnixTime>,
    place: &mut Place,
) -> Result<Change, Refusal> {
    place.not_suspended(person)?;
    actor.partner_admin()?;
    let client_set = person.end.is_some_and(|e| e.by == Side::Client);
    if client_set && later(person.end, at) {
        return Err(Refusal::forbidden(Rule::R14, Reason::ClientSetEnd));
    }
    let by = if client_set { Side::Client } else { Side::Partner };
    let mut after = person.clone();
    after.end = new_end(at, by, place.now)?;
    settle(actor.holds(), Change::new(HistoryAction::EndDateChanged, person, Some(after)), place, false)
}

/// A10, partner side (R9): a partner's super admin there converts
/// themself; an active Partner Admin of the same partner (or any active
/// super admin there) converts another of the partner's super admins. The
/// Partner Admin set by R3, with Billing when kept, and a partner seat;
/// the account keeps a super admin.
pub fn convert_as_partner(
    actor: &PartnerActor<'_>,
    themself: bool,
    person: &Membership,
    keep_billing: bool,
    place: &mut Place,
) -> Result<Change, Refusal> {
    let allowed = if themself {
        person.is_active()
    } else {
        actor.is_partner_admin_here() || actor.here.is_some_and(Membership::is_active_super_admin)
    };
    if !allowed {
        return Err(Refusal::forbidden(Rule::R9, Reason::MigrateNotAllowed));
    }
    let holds = if themself { person.active_permissions() } else { actor.holds() };
    convert(holds, person, keep_billing, place)
}

/// R9's conversion for whoever holds `holds`: the Partner Admin set (with
/// Billing when kept), R3 keeping what the converter lacks, a partner seat.
pub(super) fn convert(
    holds: Perms,
    person: &Membership,
    keep_billing: bool,
    place: &mut Place,
) -> Result<Change, Refusal> {
    may_be_migrated(person.super_admin, person.partner_account_id.is_some())?;
    let set = StandardSet::PartnerAdmin;
    let added = if keep_billing { Perms::EMPTY.with(Permission::Billing) } else { Perms::EMPTY };
    let requested = Requested::with_overrides(Some((SetKey::Standard(set), set.perms())), added, Perms::EMPTY);
    // §9: Billing reaches a partner employee only when kept, and a partner
    // account's own permissions never — whatever the converter lacks (R3
    // keeps nothing of them from the super admin's everything).
    let never: Perms = Permission::ALL
        .iter()
        .copied()
        .filter(|p| p.is_partner_account_only() || (!keep_billing && *p == Permission::Billing))
        .collect();
    let bound = place.ceiling(person.partner_account_id).difference(never);
    let granted = grant(crate::grant::Granter::holding(holds).within(bound), person.permissions(), &requested);
    let mut after = granted.applied_to(person);
    after.seat = Seat::Partner;
    let change = Change::granting(HistoryAction::MigratedToPartnerAdmin, Some(person), after, granted);
    settle(holds, change, place, false)
}

/// An end `End` of the partner's, for previews of A6.
pub fn partner_end(at: UnixTime) -> End {
    End { at, by: Side::Partner }
}
