//! Every access rule of SPEC §4–§5 as a pure function. The server calls
//! these to decide and persist; the browser calls the same functions to
//! preview and to disable what would be refused. What a rule returns — a
//! [`Decision`], or a [`Refusal`] naming its rule — lives here; the rules
//! live in the modules below, by group; the grant rule (R3) in
//! [`crate::grant`].

mod bulk;
mod ending;
mod partner_side;
mod relationship;
mod super_admins;
mod users;

/// Memberships the rules' tests start from.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::account::{Membership, MembershipStatus};

    /// `m`, deactivated.
    pub fn deactivated(mut m: Membership) -> Membership {
        m.status = MembershipStatus::Deactivated;
        m
    }
}

pub use bulk::*;
pub use ending::*;
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
    /// SPEC §8: access that ends.
    R14,
    /// SPEC §8: the client narrows before approving.
    R15,
    /// SPEC §8: the client controls its partners.
    R16,
    /// SPEC §8: review and bulk.
    R17,
    /// SPEC §8: a ceiling per partner and the relationship's end.
    R18,
    /// SPEC §4, access links.
    AccessLinks,
    /// SPEC §9, the authority table.
    Authority,
}

impl Rule {
    /// The name a refusal shows: `R1` … `R17`, `SPEC §4` or `SPEC §9`.
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
            Rule::R14 => "R14",
            Rule::R15 => "R15",
            Rule::R16 => "R16",
            Rule::R17 => "R17",
            Rule::R18 => "R18",
            Rule::AccessLinks => "SPEC §4",
            Rule::Authority => "SPEC §9",
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

/// Why a rule said no: a stable code the browser words in the user's
/// language (`refusal_<key>` in `locales/<lang>.json`), with the English
/// wording kept for logs and API clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    SuperAdminsOnly,
    AlreadySuperAdmin,
    NotSuperAdmin,
    LastSuperAdmin,
    LastSuperAdminMigrate,
    NoLinksForProgram,
    ApproverNotAllowed,
    AlreadyPartnerAdmin,
    AlreadyUserConvert,
    ConvertSuperAdminOnly,
    SetOfPartnerSuperAdmin,
    SetOfSuperAdmin,
    MigrateNotAllowed,
    MigrateNotPartnerEmployee,
    SuperAdminProtected,
    BillingClosed,
    ScimSuperAdminOnly,
    MigrationSuperAdminOnly,
    CamPartnerOnly,
    CamNotAllowed,
    PartnerAdminNeeded,
    AlreadyUserNamed,
    AlreadyActive,
    AlreadyDeactivated,
    NothingToLink,
    AlreadyLinked,
    LinkedElsewhere,
    PartnerSeatPartnerOnly,
    TemplatePartnerOnly,
    TemplateProgram,
    TemplateNeedsSeat,
    UsersEditNeeded,
    AssetEditNeeded,
    HistoryAdminsOnly,
    EndNotInFuture,
    EndTooFar,
    NarrowBeyondSet,
    NarrowNothing,
    PartnerSuspended,
    AlreadySuspended,
    NotSuspended,
    NoPartnerPeople,
    PartnerBeyondYou,
    NoEndDate,
    NotInClient,
    WideningBeyondYou,
    ClientSetEnd,
    EndPassed,
    DeactivatedByClient,
    LinkSuperAdmin,
    ClientOwnOnly,
    OtherPartnersPeople,
    AccessDeactivated,
    AboveCeiling,
    RelationshipEnded,
    CeilingSuperAdmin,
    CeilingEmpty,
}

impl Reason {
    /// Every reason, in the order of the catalogue's `refusal_*` texts.
    pub const ALL: &'static [Reason] = &[
        Reason::SuperAdminsOnly,
        Reason::AlreadySuperAdmin,
        Reason::NotSuperAdmin,
        Reason::LastSuperAdmin,
        Reason::LastSuperAdminMigrate,
        Reason::NoLinksForProgram,
        Reason::ApproverNotAllowed,
        Reason::AlreadyPartnerAdmin,
        Reason::AlreadyUserConvert,
        Reason::ConvertSuperAdminOnly,
        Reason::SetOfPartnerSuperAdmin,
        Reason::SetOfSuperAdmin,
        Reason::MigrateNotAllowed,
        Reason::MigrateNotPartnerEmployee,
        Reason::SuperAdminProtected,
        Reason::BillingClosed,
        Reason::ScimSuperAdminOnly,
        Reason::MigrationSuperAdminOnly,
        Reason::CamPartnerOnly,
        Reason::CamNotAllowed,
        Reason::PartnerAdminNeeded,
        Reason::AlreadyUserNamed,
        Reason::AlreadyActive,
        Reason::AlreadyDeactivated,
        Reason::NothingToLink,
        Reason::AlreadyLinked,
        Reason::LinkedElsewhere,
        Reason::PartnerSeatPartnerOnly,
        Reason::TemplatePartnerOnly,
        Reason::TemplateProgram,
        Reason::TemplateNeedsSeat,
        Reason::UsersEditNeeded,
        Reason::AssetEditNeeded,
        Reason::HistoryAdminsOnly,
        Reason::EndNotInFuture,
        Reason::EndTooFar,
        Reason::NarrowBeyondSet,
        Reason::NarrowNothing,
        Reason::PartnerSuspended,
        Reason::AlreadySuspended,
        Reason::NotSuspended,
        Reason::NoPartnerPeople,
        Reason::PartnerBeyondYou,
        Reason::NoEndDate,
        Reason::NotInClient,
        Reason::WideningBeyondYou,
        Reason::ClientSetEnd,
        Reason::EndPassed,
        Reason::DeactivatedByClient,
        Reason::LinkSuperAdmin,
        Reason::ClientOwnOnly,
        Reason::OtherPartnersPeople,
        Reason::AccessDeactivated,
        Reason::AboveCeiling,
        Reason::RelationshipEnded,
        Reason::CeilingSuperAdmin,
        Reason::CeilingEmpty,
    ];

    /// The stable code.
    pub fn key(self) -> &'static str {
        match self {
            Reason::SuperAdminsOnly => "super_admins_only",
            Reason::AlreadySuperAdmin => "already_super_admin",
            Reason::NotSuperAdmin => "not_super_admin",
            Reason::LastSuperAdmin => "last_super_admin",
            Reason::LastSuperAdminMigrate => "last_super_admin_migrate",
            Reason::NoLinksForProgram => "no_links_for_program",
            Reason::ApproverNotAllowed => "approver_not_allowed",
            Reason::AlreadyPartnerAdmin => "already_partner_admin",
            Reason::AlreadyUserConvert => "already_user_convert",
            Reason::ConvertSuperAdminOnly => "convert_super_admin_only",
            Reason::SetOfPartnerSuperAdmin => "set_of_partner_super_admin",
            Reason::SetOfSuperAdmin => "set_of_super_admin",
            Reason::MigrateNotAllowed => "migrate_not_allowed",
            Reason::MigrateNotPartnerEmployee => "migrate_not_partner_employee",
            Reason::SuperAdminProtected => "super_admin_protected",
            Reason::BillingClosed => "billing_closed",
            Reason::ScimSuperAdminOnly => "scim_super_admin_only",
            Reason::MigrationSuperAdminOnly => "migration_super_admin_only",
            Reason::CamPartnerOnly => "cam_partner_only",
            Reason::CamNotAllowed => "cam_not_allowed",
            Reason::PartnerAdminNeeded => "partner_admin_needed",
            Reason::AlreadyUserNamed => "already_user_named",
            Reason::AlreadyActive => "already_active",
            Reason::AlreadyDeactivated => "already_deactivated",
            Reason::NothingToLink => "nothing_to_link",
            Reason::AlreadyLinked => "already_linked",
            Reason::LinkedElsewhere => "linked_elsewhere",
            Reason::PartnerSeatPartnerOnly => "partner_seat_partner_only",
            Reason::TemplatePartnerOnly => "template_partner_only",
            Reason::TemplateProgram => "template_program",
            Reason::TemplateNeedsSeat => "template_needs_seat",
            Reason::UsersEditNeeded => "users_edit_needed",
            Reason::AssetEditNeeded => "asset_edit_needed",
            Reason::HistoryAdminsOnly => "history_admins_only",
            Reason::EndNotInFuture => "end_not_in_future",
            Reason::EndTooFar => "end_too_far",
            Reason::NarrowBeyondSet => "narrow_beyond_set",
            Reason::NarrowNothing => "narrow_nothing",
            Reason::PartnerSuspended => "partner_suspended",
            Reason::AlreadySuspended => "already_suspended",
            Reason::NotSuspended => "not_suspended",
            Reason::NoPartnerPeople => "no_partner_people",
            Reason::PartnerBeyondYou => "partner_beyond_you",
            Reason::NoEndDate => "no_end_date",
            Reason::NotInClient => "not_in_client",
            Reason::WideningBeyondYou => "widening_beyond_you",
            Reason::ClientSetEnd => "client_set_end",
            Reason::EndPassed => "end_passed",
            Reason::DeactivatedByClient => "deactivated_by_client",
            Reason::LinkSuperAdmin => "link_super_admin",
            Reason::ClientOwnOnly => "client_own_only",
            Reason::OtherPartnersPeople => "other_partners_people",
            Reason::AccessDeactivated => "access_deactivated",
            Reason::AboveCeiling => "above_ceiling",
            Reason::RelationshipEnded => "relationship_ended",
            Reason::CeilingSuperAdmin => "ceiling_super_admin",
            Reason::CeilingEmpty => "ceiling_empty",
        }
    }

    /// The English wording; `{{name}}` stands for a parameter.
    pub fn english(self) -> &'static str {
        match self {
            Reason::SuperAdminsOnly => "Only super admins can add and remove super admins",
            Reason::AlreadySuperAdmin => "This user is already a super admin",
            Reason::NotSuperAdmin => "This user is not a super admin",
            Reason::LastSuperAdmin => "This account must keep at least one super admin; this change would leave it without one",
            Reason::LastSuperAdminMigrate => "This account must keep at least one super admin; add another super admin before changing this one to Partner Admin",
            Reason::NoLinksForProgram => "Only Solutions Partners and Providers can become Partner Admins, so this partner cannot issue access links",
            Reason::ApproverNotAllowed => "Only super admins or users with Add and edit users can grant a partner access to this account",
            Reason::AlreadyPartnerAdmin => "This employee is already a Partner Admin in this account",
            Reason::AlreadyUserConvert => "This employee is already a user in this account; a super admin can confirm converting them to Partner Admin",
            Reason::ConvertSuperAdminOnly => "Only a super admin can convert a super admin to Partner Admin",
            Reason::SetOfPartnerSuperAdmin => "This employee is a super admin here; change them to Partner Admin first",
            Reason::SetOfSuperAdmin => "Super admins hold every permission; remove super admin rights first",
            Reason::MigrateNotAllowed => "Only a super admin of this account, or a Partner Admin of the same partner, can change a partner super admin to Partner Admin",
            Reason::MigrateNotPartnerEmployee => "Only partner employees can be changed to Partner Admin",
            Reason::SuperAdminProtected => "Only super admins can change the seat or status of a super admin, or remove one",
            Reason::BillingClosed => "Billing is open to super admins, and to Partner Admins only if they kept billing permissions",
            Reason::ScimSuperAdminOnly => "Only super admins can set up user provisioning with SCIM (Okta)",
            Reason::MigrationSuperAdminOnly => "Only super admins can migrate the data centre",
            Reason::CamPartnerOnly => "Client Access Manager exists only in partner accounts",
            Reason::CamNotAllowed => "You need to be a super admin of the partner account or hold View and edit partner employees to open Client Access Manager",
            Reason::PartnerAdminNeeded => "You need to be a Partner Admin in this client account to do this",
            Reason::AlreadyUserNamed => "{{name}} is already a user in this account",
            Reason::AlreadyActive => "This user is already active here",
            Reason::AlreadyDeactivated => "This user is already deactivated here",
            Reason::NothingToLink => "This employee is not a user in that client account, so there is nothing to link",
            Reason::AlreadyLinked => "This employee is already linked to that client",
            Reason::LinkedElsewhere => "This user is already linked to another partner in that client",
            Reason::PartnerSeatPartnerOnly => "Partner seats are only for employees of a partner",
            Reason::TemplatePartnerOnly => "The Partner Admin template is only for employees of a partner (by verified email domain or access link)",
            Reason::TemplateProgram => "The Partner Admin template is only for employees of Solutions Partners and Providers",
            Reason::TemplateNeedsSeat => "Assign a partner seat to this person before choosing the Partner Admin template",
            Reason::UsersEditNeeded => "Only super admins or users with Add and edit users can manage users",
            Reason::AssetEditNeeded => "You need edit permission for this kind of asset",
            Reason::HistoryAdminsOnly => "Only the account's admins can read its history",
            Reason::EndNotInFuture => "Choose an end date in the future",
            Reason::EndTooFar => "Access can end at most two years from now",
            Reason::NarrowBeyondSet => "Only permissions of the Partner Admin set can be granted through an access link",
            Reason::NarrowNothing => "Keep at least one permission to grant access",
            Reason::PartnerSuspended => "This client has suspended your partner's access; only the client can resume it",
            Reason::AlreadySuspended => "This partner's access is already suspended",
            Reason::NotSuspended => "This partner's access is not suspended",
            Reason::NoPartnerPeople => "This partner has no people in this account",
            Reason::PartnerBeyondYou => "Some of this partner's people hold permissions you do not hold; ask a super admin",
            Reason::NoEndDate => "Only partner employees' access can be given an end date here",
            Reason::NotInClient => "This employee is not a partner user in that client account",
            Reason::WideningBeyondYou => "This would give this person access you do not hold yourself; only someone who holds every permission they have can do it",
            Reason::ClientSetEnd => "The client set this end date; only the client can move it later or remove it",
            Reason::EndPassed => "This access has ended; move or remove its end date before reactivating it",
            Reason::DeactivatedByClient => "The client deactivated this access; only the client can reactivate it",
            Reason::LinkSuperAdmin => "A super admin of the client cannot be linked to a partner",
            Reason::ClientOwnOnly => "Only the client's own people can do this, not a partner's employees",
            Reason::OtherPartnersPeople => "A partner's employees act only on their own partner's people",
            Reason::AccessDeactivated => "Your access to this account is deactivated or has ended",
            Reason::AboveCeiling => "This is more than the client allows this partner's people here (the partner's ceiling)",
            Reason::RelationshipEnded => "The client's relationship with this partner has ended; only the client can move or remove its end",
            Reason::CeilingSuperAdmin => "One of this partner's people is a super admin here; change them to Partner Admin first",
            Reason::CeilingEmpty => "Choose at least one permission for the ceiling",
        }
    }
}

/// A rule said no. The message is for the person and names the rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub rule: Rule,
    pub kind: RefusalKind,
    pub reason: Reason,
    /// The reason's parameters (a person's name), by name.
    pub params: Vec<(String, String)>,
}

impl Refusal {
    fn new(rule: Rule, kind: RefusalKind, reason: Reason, params: Vec<(String, String)>) -> Refusal {
        Refusal { rule, kind, reason, params }
    }
    pub(crate) fn forbidden(rule: Rule, reason: Reason) -> Refusal {
        Refusal::new(rule, RefusalKind::Forbidden, reason, Vec::new())
    }
    pub(crate) fn conflict(rule: Rule, reason: Reason) -> Refusal {
        Refusal::new(rule, RefusalKind::Conflict, reason, Vec::new())
    }
    pub(crate) fn invalid(rule: Rule, reason: Reason) -> Refusal {
        Refusal::new(rule, RefusalKind::Invalid, reason, Vec::new())
    }
    /// A conflict naming a person.
    pub(crate) fn conflict_naming(rule: Rule, reason: Reason, name: &str) -> Refusal {
        Refusal::new(rule, RefusalKind::Conflict, reason, vec![("name".to_string(), name.to_string())])
    }

    /// The English wording, naming the rule (for logs and API clients; the
    /// browser words refusals in the user's language).
    pub fn message(&self) -> String {
        let params: Vec<(&str, String)> = self.params.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        format!("{} ({})", crate::i18n::fill(self.reason.english(), &params), self.rule)
    }
}

/// The English wording, as [`Refusal::message`].
impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for Refusal {}

/// What a rule returns: allowed, or refused with a reason.
pub type Decision = Result<(), Refusal>;
