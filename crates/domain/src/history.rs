//! Access-change history (R13): what can happen to someone's access.

/// The kinds of access change recorded in history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HistoryAction {
    EmployeeAdded,
    PermissionSetChanged,
    SeatChanged,
    Deactivated,
    Reactivated,
    Removed,
    MigratedToPartnerAdmin,
    ClientLinked,
    AccessLinkApproved,
    /// SPEC §4: a client user declined a partner employee's access link
    /// (recorded in the partner's history; changes no access).
    AccessLinkDeclined,
    AccessLinkRegenerated,
    UserCreated,
    SuperAdminGranted,
    SuperAdminRevoked,
    /// R14: an end date set, changed or removed.
    EndDateChanged,
    /// R14: the system deactivated a membership at its end date.
    AccessEnded,
    /// R16: the client suspended a partner (one event per person).
    PartnerSuspended,
    /// R16: the client resumed a partner (one event per person).
    PartnerResumed,
    /// R18: the client set a ceiling for the person's partner (one event per person; narrowed where it took something away).
    CeilingSet,
    /// R18: the client lowered the partner's ceiling.
    CeilingLowered,
    /// R18: the client raised the partner's ceiling (gives nothing by itself).
    CeilingRaised,
    /// R18: the client removed the partner's ceiling (gives nothing by itself).
    CeilingRemoved,
    /// R18: the client set an end to its relationship with the partner.
    RelationshipEndSet,
    /// R18: the client moved the relationship's end.
    RelationshipEndMoved,
    /// R18: the client removed the relationship's end.
    RelationshipEndRemoved,
    /// R20: the person added a second factor.
    SecondFactorAdded,
    /// R20: the person removed a second factor.
    SecondFactorRemoved,
    /// R20: the person signed in (or proved a factor) with a recovery code.
    RecoveryCodeUsed,
    /// R20, A18: a super admin reset the person's second factors.
    SecondFactorsReset,
    /// R20, A17: the account's requirement changed (`detail`: who must).
    SecondFactorRequired,
    /// A request that a rule refused (kept for audit; changes nothing).
    Denied,
}

crate::keyed::keyed_serde!(HistoryAction);

impl HistoryAction {
    /// Every action, in display order.
    pub const ALL: &'static [HistoryAction] = &[
        HistoryAction::EmployeeAdded,
        HistoryAction::PermissionSetChanged,
        HistoryAction::SeatChanged,
        HistoryAction::Deactivated,
        HistoryAction::Reactivated,
        HistoryAction::Removed,
        HistoryAction::MigratedToPartnerAdmin,
        HistoryAction::ClientLinked,
        HistoryAction::AccessLinkApproved,
        HistoryAction::AccessLinkDeclined,
        HistoryAction::AccessLinkRegenerated,
        HistoryAction::UserCreated,
        HistoryAction::SuperAdminGranted,
        HistoryAction::SuperAdminRevoked,
        HistoryAction::EndDateChanged,
        HistoryAction::AccessEnded,
        HistoryAction::PartnerSuspended,
        HistoryAction::PartnerResumed,
        HistoryAction::CeilingSet,
        HistoryAction::CeilingLowered,
        HistoryAction::CeilingRaised,
        HistoryAction::CeilingRemoved,
        HistoryAction::RelationshipEndSet,
        HistoryAction::RelationshipEndMoved,
        HistoryAction::RelationshipEndRemoved,
        HistoryAction::SecondFactorAdded,
        HistoryAction::SecondFactorRemoved,
        HistoryAction::RecoveryCodeUsed,
        HistoryAction::SecondFactorsReset,
        HistoryAction::SecondFactorRequired,
        HistoryAction::Denied,
    ];

    /// The stable storage name.
    pub fn key(self) -> &'static str {
        match self {
            HistoryAction::EmployeeAdded => "employee_added",
            HistoryAction::PermissionSetChanged => "permission_set_changed",
            HistoryAction::SeatChanged => "seat_changed",
            HistoryAction::Deactivated => "deactivated",
            HistoryAction::Reactivated => "reactivated",
            HistoryAction::Removed => "removed",
            HistoryAction::MigratedToPartnerAdmin => "migrated_to_partner_admin",
            HistoryAction::ClientLinked => "client_linked",
            HistoryAction::AccessLinkApproved => "access_link_approved",
            HistoryAction::AccessLinkDeclined => "access_link_declined",
            HistoryAction::AccessLinkRegenerated => "access_link_regenerated",
            HistoryAction::UserCreated => "user_created",
            HistoryAction::SuperAdminGranted => "super_admin_granted",
            HistoryAction::SuperAdminRevoked => "super_admin_revoked",
            HistoryAction::EndDateChanged => "end_date_changed",
            HistoryAction::AccessEnded => "access_ended",
            HistoryAction::PartnerSuspended => "partner_suspended",
            HistoryAction::PartnerResumed => "partner_resumed",
            HistoryAction::CeilingSet => "ceiling_set",
            HistoryAction::CeilingLowered => "ceiling_lowered",
            HistoryAction::CeilingRaised => "ceiling_raised",
            HistoryAction::CeilingRemoved => "ceiling_removed",
            HistoryAction::RelationshipEndSet => "relationship_end_set",
            HistoryAction::RelationshipEndMoved => "relationship_end_moved",
            HistoryAction::RelationshipEndRemoved => "relationship_end_removed",
            HistoryAction::SecondFactorAdded => "second_factor_added",
            HistoryAction::SecondFactorRemoved => "second_factor_removed",
            HistoryAction::RecoveryCodeUsed => "recovery_code_used",
            HistoryAction::SecondFactorsReset => "second_factors_reset",
            HistoryAction::SecondFactorRequired => "second_factor_required",
            HistoryAction::Denied => "denied",
        }
    }

    /// Parses a stable storage name.
    pub fn parse(key: &str) -> Option<HistoryAction> {
        HistoryAction::ALL.iter().copied().find(|a| a.key() == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_key_parses_back() {
        for a in HistoryAction::ALL {
            assert_eq!(HistoryAction::parse(a.key()), Some(*a));
        }
    }
}
