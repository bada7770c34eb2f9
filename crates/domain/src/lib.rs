//! The shared model of Client Access Manager: domain types, the closed
//! permission catalogue, every access rule of SPEC §5 as a pure function, and
//! the JSON DTOs of the `/api/v1` interface. Used by the browser (previews,
//! disabled actions) and by the server (enforcement), so one rule has one
//! implementation and one test suite.

pub mod access_link;
pub mod account;
pub mod api;
pub mod authority;
pub mod email;
pub mod entry;
pub mod grant;
pub mod history;
pub mod i18n;
mod keyed;
pub mod permission;
pub mod rules;
pub mod second_factor;
pub mod time;

pub use account::{
    AccessType, AccountKind, AssetKind, Deactivator, End, Membership, MembershipStatus, PartnerProgram, PricingModel,
    Seat, Side,
};
pub use email::Email;
pub use grant::{Grant, Granter, PermissionChange, Requested};
pub use permission::{Permission, PermissionGroup, Perms, RoleFilter, SetKey, StandardSet};
pub use rules::{Reason, Refusal, Rule};
pub use time::UnixTime;
