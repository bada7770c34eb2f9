//! The route tables of the three entry points with a router: `<App/>`
//! (sign-in, the account home and Client Access Manager), `<SettingsApp/>`
//! (an account's settings and assets) and `<BulkApp/>` (the review, coverage,
//! bulk work and history). The fourth, the access-link page, has no router
//! (`access_app.rs`). Every screen is a URL; a URL of another entry point is
//! loaded as that entry's page ([`crate::entry`]).

use crate::components::ToastRegion;
use crate::pages::{
    AccountHomePage, AddToClientsPage, AssetsPage, BillingPage, CamClientsPage, CamCoveragePage, CamEmployeesPage,
    CamHistoryPage, CamReviewPage, ChangeSetInClientsPage, ClientDetailsPage, DataCentrePage, EmployeePage,
    HistoryPage, HomePage, JobPage, JobsPage, NotFoundPage, PartnerAccessPage, ScimPage, SignInPage, SuperAdminsPage,
    UsersPage,
};
use crate::state::session::provide_session;
use crate::state::toasts::provide_toasts;
use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, Redirect, Route, Router};
use leptos_router::hooks::use_params_map;
use leptos_router::path;

/// Sign-in, the account home and Client Access Manager.
#[component]
pub fn App() -> impl IntoView {
    provide_session();
    provide_toasts();
    view! {
        <Router>
            <FlatRoutes fallback=Elsewhere>
                <Route path=path!("/") view=HomePage/>
                <Route path=path!("/sign-in") view=SignInPage/>
                <Route path=path!("/accounts/:account_id") view=AccountHomePage/>
                <Route path=path!("/accounts/:account_id/client-access-manager") view=CamIndex/>
                <Route path=path!("/accounts/:account_id/client-access-manager/clients") view=CamClientsPage/>
                <Route path=path!("/accounts/:account_id/client-access-manager/employees") view=CamEmployeesPage/>
                <Route path=path!("/accounts/:account_id/client-access-manager/clients/:client_id") view=ClientDetailsPage/>
                <Route path=path!("/accounts/:account_id/client-access-manager/employees/:user_id") view=EmployeePage/>
            </FlatRoutes>
        </Router>
        <ToastRegion/>
    }
}

/// Client Access Manager's work across all clients (R17).
#[component]
pub fn BulkApp() -> impl IntoView {
    provide_session();
    provide_toasts();
    view! {
        <Router>
            <FlatRoutes fallback=Elsewhere>
                <Route path=path!("/accounts/:account_id/client-access-manager/review") view=CamReviewPage/>
                <Route path=path!("/accounts/:account_id/client-access-manager/coverage") view=CamCoveragePage/>
                <Route path=path!("/accounts/:account_id/client-access-manager/jobs") view=JobsPage/>
                <Route path=path!("/accounts/:account_id/client-access-manager/history") view=CamHistoryPage/>
                <Route path=path!("/accounts/:account_id/settings/history") view=HistoryPage/>
                <Route path=path!("/accounts/:account_id/client-access-manager/jobs/:job_id") view=JobPage/>
                <Route path=path!("/accounts/:account_id/client-access-manager/employees/:user_id/add-to-clients") view=AddToClientsPage/>
                <Route path=path!("/accounts/:account_id/client-access-manager/employees/:user_id/change-set-in-clients") view=ChangeSetInClientsPage/>
            </FlatRoutes>
        </Router>
        <ToastRegion/>
    }
}

/// An account's settings and assets.
#[component]
pub fn SettingsApp() -> impl IntoView {
    provide_session();
    provide_toasts();
    view! {
        <Router>
            <FlatRoutes fallback=Elsewhere>
                <Route path=path!("/accounts/:account_id/settings/users") view=UsersPage/>
                <Route path=path!("/accounts/:account_id/settings/partner-access") view=PartnerAccessPage/>
                <Route path=path!("/accounts/:account_id/assets") view=AssetsPage/>
                <Route path=path!("/accounts/:account_id/settings/billing") view=BillingPage/>
                <Route path=path!("/accounts/:account_id/settings/super-admins") view=SuperAdminsPage/>
                <Route path=path!("/accounts/:account_id/settings/scim") view=ScimPage/>
                <Route path=path!("/accounts/:account_id/settings/data-centre") view=DataCentrePage/>
            </FlatRoutes>
        </Router>
        <ToastRegion/>
    }
}

/// A URL without a screen here: another entry point's page, or not found.
#[component]
fn Elsewhere() -> impl IntoView {
    if crate::entry::leave_if_elsewhere() {
        return ().into_any();
    }
    view! { <NotFoundPage/> }.into_any()
}

/// `/accounts/:id/client-access-manager` opens the Clients tab.
#[component]
fn CamIndex() -> impl IntoView {
    let params = use_params_map();
    let id = params.read_untracked().get("account_id").unwrap_or_default();
    view! { <Redirect path=format!("/accounts/{id}/client-access-manager/clients")/> }
}
