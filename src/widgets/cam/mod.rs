//! The Client Access Manager procedures of SPEC §5 as panels, dialogs and
//! wizards, one per file: Add employees (R4 with the R3 preview), Change to
//! Partner Admin (R9), Change permission set (R3), Remove partner employee
//! (R7), Link clients (R5) and Remove employee from clients (R6). Each
//! previews with the domain's rule functions and leaves the decision to the
//! server. What they share lives here: a standard set's permissions and the
//! list of an employee's assets.

mod add_employees_panel;
mod change_set_dialog;
mod link_clients_dialog;
mod migrate_dialog;
mod remove_employees_wizard;
mod remove_from_clients_wizard;

pub use add_employees_panel::AddEmployeesPanel;
pub use change_set_dialog::ChangeSetDialog;
pub use link_clients_dialog::LinkClientsDialog;
pub use migrate_dialog::{MigrateDialog, MigrateVia};
pub use remove_employees_wizard::RemoveEmployeesWizard;
pub use remove_from_clients_wizard::RemoveFromClientsWizard;

use crate::state::read::{read, Read};
pub(crate) use crate::widgets::SetSelect;
use domain::api::EmployeeClient;
use domain::{Perms, SetKey, StandardSet};
use leptos::prelude::*;

/// A standard set by its key (the dropdowns offer only standard sets).
pub(crate) fn set_perms(key: &str) -> (SetKey, Perms) {
    let set = StandardSet::parse(key).unwrap_or(StandardSet::ViewOnly);
    (SetKey::Standard(set), set.perms())
}

/// The employee's clients that are (`linked`) or are not yet linked to them.
pub(crate) fn employee_clients(account_id: i64, user_id: i64, linked: bool) -> Read<Vec<EmployeeClient>> {
    read(move || async move {
        crate::api::cam::employee_clients(account_id, user_id)
            .await
            .map(|v| v.into_iter().filter(|c| c.linked == linked).collect::<Vec<EmployeeClient>>())
    })
}

pub(crate) fn asset_list(assets: &[domain::api::AssetSummary]) -> AnyView {
    let t = crate::i18n::t();
    if assets.is_empty() {
        return view! { <span class="hint">{t.no_assets}</span> }.into_any();
    }
    view! {
        <ul class="asset-list">
            {assets.iter().map(|a| {
                let kind = domain::AssetKind::ALL.iter().position(|x| *x == a.kind).map(|i| t.asset_kinds[i]).unwrap_or("");
                view! { <li>{a.name.clone()} <span class="hint">{format!(" ({kind})")}</span></li> }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
