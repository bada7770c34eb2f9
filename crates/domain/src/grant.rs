//! The one rule for every grant (SPEC R3 on every path): whoever gives anyone
//! permissions in an account — Add employees (R4), Change permission set,
//! Create user with a template (R11), Edit permissions, access-link approval,
//! the R9 conversion, super admin rights (R12) — gets the result from this
//! module. With `A` what the acting user holds in that account (everything
//! for a super admin), `S` what is asked for and `E` what the person holds
//! now, the person ends with `(E \ A) ∪ (S ∩ A)`: a permission the actor
//! does not hold is neither granted nor removed.
//!
//! The result is a [`Grant`], whose fields are private: only the functions
//! here construct one, and the server's single writer of a membership's
//! permissions accepts nothing else. The browser previews with the same
//! functions, so what it shows is what the server stores.

use crate::account::Membership;
use crate::permission::{Permission, Perms, SetKey, StandardSet};
use crate::rules::{Reason, Refusal, Rule};
use serde::{Deserialize, Serialize};

/// `A` of R3: what the acting user holds in the account where the grant
/// happens. A deactivated member holds nothing; a super admin everything.
/// With it, the ceiling the account sets for the person's partner (R18):
/// everything where none applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Granter(Perms, Perms);

impl Granter {
    /// The acting user, by their membership of the account.
    pub fn member(actor: &Membership) -> Granter {
        Granter(actor.active_permissions(), Perms::all())
    }

    /// Someone holding exactly `perms` there (the browser knows the signed-in
    /// user's permissions from the session, not their whole membership).
    pub fn holding(perms: Perms) -> Granter {
        Granter(perms, Perms::all())
    }

    /// The platform itself provisioning accounts (the demo data): holds
    /// everything. No request handler uses it; a test keeps it that way.
    pub fn platform() -> Granter {
        Granter(Perms::all(), Perms::all())
    }

    /// The same granter, for a person of a partner whose ceiling in the
    /// account is `ceiling` (R18): nothing outside it is granted, and what
    /// the person holds outside it is taken away.
    pub fn within(self, ceiling: Perms) -> Granter {
        Granter(self.0, self.1.intersection(ceiling))
    }

    /// What the granter holds.
    pub fn holds(self) -> Perms {
        self.0
    }

    fn is_super_admin(self) -> bool {
        self.0.contains(Permission::SuperAdminsManage)
    }
}

/// What a grant asks for: a permission set (or none) and individual
/// permissions added to or removed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requested {
    set: Option<SetKey>,
    set_perms: Perms,
    added: Perms,
    removed: Perms,
}

impl Requested {
    /// Exactly the permissions of `set`.
    pub fn set(set: SetKey, set_perms: Perms) -> Requested {
        Requested { set: Some(set), set_perms: set_perms.assignable(), added: Perms::EMPTY, removed: Perms::EMPTY }
    }

    /// A standard set.
    pub fn standard(set: StandardSet) -> Requested {
        Requested::set(SetKey::Standard(set), set.perms())
    }

    /// No set and no permissions.
    pub fn nothing() -> Requested {
        Requested { set: None, set_perms: Perms::EMPTY, added: Perms::EMPTY, removed: Perms::EMPTY }
    }

    /// A set (or none) with individual permissions added and removed.
    pub fn with_overrides(set: Option<(SetKey, Perms)>, added: Perms, removed: Perms) -> Requested {
        let (set, set_perms) = match set {
            Some((key, perms)) => (Some(key), perms.assignable()),
            None => (None, Perms::EMPTY),
        };
        Requested { set, set_perms, added: added.assignable(), removed: removed.assignable() }
    }

    /// The same, with `perms` left out of what is asked for.
    pub fn leaving_out(&self, perms: Perms) -> Requested {
        Requested { removed: self.removed.union(perms), ..*self }
    }

    /// The permissions asked for: `S` of R3.
    pub fn wanted(&self) -> Perms {
        self.set_perms.union(self.added).difference(self.removed).assignable()
    }
}

/// What a grant does to a person's permissions, for the preview and the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionChange {
    /// The person's permissions afterwards.
    pub new: Perms,
    /// Granted by the change.
    pub added: Perms,
    /// Taken away by the change.
    pub removed: Perms,
    /// Asked for, not held by the person, and not granted because the actor lacks them.
    pub not_granted: Perms,
    /// Held by the person, not asked for, and kept because the actor lacks them.
    pub not_removed: Perms,
    /// Asked for, not held by the person, and not granted because they lie
    /// outside the partner's ceiling in the account (R18).
    #[serde(default)]
    pub above_ceiling: Perms,
}

/// R3 as set algebra: `new = (E \ A) ∪ (S ∩ A)`, without super-admin-only
/// permissions (those come only with super admin rights), and within the
/// ceiling `c` (R18): `new ∩ C`. What the ceiling leaves out is named
/// apart from what the actor lacks.
fn bounded(a: Perms, c: Perms, s: Perms, e: Perms) -> PermissionChange {
    let s = s.assignable();
    let new = e.difference(a).union(s.intersection(a)).intersection(c).assignable();
    let asked = s.difference(e);
    PermissionChange {
        new,
        added: new.difference(e),
        removed: e.difference(new),
        not_granted: asked.intersection(c).difference(a),
        not_removed: e.difference(s).difference(a).intersection(c).assignable(),
        above_ceiling: asked.difference(c),
    }
}

/// A membership's permissions as the grant rule decided them. Only this
/// module constructs one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    super_admin: bool,
    set: Option<SetKey>,
    set_perms: Perms,
    added: Perms,
    removed: Perms,
    change: PermissionChange,
}

impl Grant {
    /// Super admin rights.
    pub fn super_admin(&self) -> bool {
        self.super_admin
    }

    /// The permission set the membership is based on.
    pub fn set(&self) -> Option<SetKey> {
        self.set
    }

    /// Individual permissions added on top of the set.
    pub fn added(&self) -> Perms {
        self.added
    }

    /// Individual permissions removed from the set.
    pub fn removed(&self) -> Perms {
        self.removed
    }

    /// What changes, and what the actor could not grant or remove.
    pub fn change(&self) -> PermissionChange {
        self.change
    }

    /// The person's permissions afterwards.
    pub fn permissions(&self) -> Perms {
        self.change.new
    }

    /// `m` with these permissions (seat, status and partner untouched).
    pub fn applied_to(&self, m: &Membership) -> Membership {
        let mut out = m.clone();
        out.super_admin = self.super_admin;
        out.set = self.set;
        out.set_perms = self.set_perms;
        out.added = self.added;
        out.removed = self.removed;
        out
    }

    /// A set-based grant whose permissions are exactly `change.new`.
    fn based_on(set: Option<SetKey>, set_perms: Perms, change: PermissionChange) -> Grant {
        let set_perms = if set.is_some() { set_perms } else { Perms::EMPTY };
        Grant {
            super_admin: false,
            set,
            set_perms,
            added: change.new.difference(set_perms),
            removed: set_perms.difference(change.new),
            change,
        }
    }
}

/// The grant rule: what `granter` gives a person who now holds `current`
/// (nothing, for a new membership; everything, for a super admin) when
/// asking for `requested`. Never more than the granter holds, and nothing
/// the granter lacks is taken away.
pub fn grant(granter: Granter, current: Perms, requested: &Requested) -> Grant {
    let change = bounded(granter.0, granter.1, requested.wanted(), current);
    Grant::based_on(requested.set, requested.set_perms, change)
}

/// R18: a person's permissions narrowed to a partner's lowered `ceiling`
/// (their set kept, what lies outside the ceiling removed from it).
pub fn within_ceiling(current: &Membership, ceiling: Perms) -> Grant {
    let e = current.permissions();
    let new = e.intersection(ceiling);
    let set_perms = if current.set.is_some() { current.set_perms } else { Perms::EMPTY };
    let change = PermissionChange {
        new,
        added: Perms::EMPTY,
        removed: e.difference(new),
        not_granted: Perms::EMPTY,
        not_removed: Perms::EMPTY,
        above_ceiling: Perms::EMPTY,
    };
    Grant {
        super_admin: false,
        set: current.set,
        set_perms,
        added: new.difference(set_perms),
        removed: set_perms.difference(new),
        change,
    }
}

/// R12 with R3: super admin rights, which hold every permission, are given
/// only by someone who holds every permission (an active super admin). The
/// person's set and overrides are kept for when the rights are taken away.
pub fn grant_super_admin(granter: Granter, current: &Membership) -> Result<Grant, Refusal> {
    if !granter.is_super_admin() {
        return Err(Refusal::forbidden(Rule::R12, Reason::SuperAdminsOnly));
    }
    if current.super_admin {
        return Err(Refusal::invalid(Rule::R12, Reason::AlreadySuperAdmin));
    }
    let e = current.permissions();
    let new = Perms::all();
    let change = PermissionChange {
        new,
        added: new.difference(e),
        removed: Perms::EMPTY,
        not_granted: Perms::EMPTY,
        not_removed: Perms::EMPTY,
        above_ceiling: Perms::EMPTY,
    };
    Ok(Grant {
        super_admin: true,
        set: current.set,
        set_perms: current.set_perms,
        added: current.added,
        removed: current.removed,
        change,
    })
}

/// R12: taking super admin rights away (by a super admin); the person keeps
/// the set and overrides stored with the membership. That the account keeps
/// a super admin (R9) is decided with the change
/// ([`crate::authority::revoke_super_admin_from`]).
pub fn revoke_super_admin(granter: Granter, current: &Membership) -> Result<Grant, Refusal> {
    if !granter.is_super_admin() {
        return Err(Refusal::forbidden(Rule::R12, Reason::SuperAdminsOnly));
    }
    if !current.super_admin {
        return Err(Refusal::invalid(Rule::R12, Reason::NotSuperAdmin));
    }
    let mut plain = current.clone();
    plain.super_admin = false;
    let change = bounded(granter.0, granter.1, plain.permissions(), current.permissions());
    Ok(Grant::based_on(current.set, current.set_perms, change))
}

#[cfg(test)]
mod tests;
