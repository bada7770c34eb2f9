//! The settings entry point (`settings.html`, `src/bin/settings.rs`, mounted
//! by [`crate::start_settings`]): an account's settings (Users & Teams,
//! Partner access, super admins, billing, SCIM, data centre) and its assets.
//! The server answers these addresses with this page and the other pages
//! load it on a link to one of them, so only the people who open settings
//! download their code. Its route table is `<SettingsApp/>` below.

mod admin_pages;
mod assets_page;
mod partner_access_page;
mod users_actions;
mod users_page;

use crate::widgets::EntryRoutes;
use admin_pages::{BillingPage, DataCentrePage, ScimPage, SuperAdminsPage};
use assets_page::AssetsPage;
use leptos::prelude::*;
use leptos_router::components::Route;
use leptos_router::path;
use partner_access_page::PartnerAccessPage;
use users_page::UsersPage;

/// An account's settings and assets.
#[component]
pub fn SettingsApp() -> impl IntoView {
    view! {
        <EntryRoutes>
            <Route path=path!("/accounts/:account_id/settings/users") view=UsersPage/>
            <Route path=path!("/accounts/:account_id/settings/partner-access") view=PartnerAccessPage/>
            <Route path=path!("/accounts/:account_id/assets") view=AssetsPage/>
            <Route path=path!("/accounts/:account_id/settings/billing") view=BillingPage/>
            <Route path=path!("/accounts/:account_id/settings/super-admins") view=SuperAdminsPage/>
            <Route path=path!("/accounts/:account_id/settings/scim") view=ScimPage/>
            <Route path=path!("/accounts/:account_id/settings/data-centre") view=DataCentrePage/>
        </EntryRoutes>
    }
}
