//! The app (`index.html`, `src/main.rs`, mounted by [`crate::start`]): the
//! page the server answers for every address that is not another entry
//! point's, so the one a partner loads first. It holds sign-in, the account
//! home and Client Access Manager's **Clients** and **Employees** tabs with a
//! client's and an employee's page; its route table is `<App/>` below. Every
//! screen is a URL; a URL of another entry point is loaded as that entry's
//! page ([`crate::entry`]).

mod account_home_page;
mod client_details_page;
mod clients_tab;
mod employee_page;
mod employees_tab;
mod home_page;
mod sign_in_page;

use crate::widgets::EntryRoutes;
use account_home_page::AccountHomePage;
use client_details_page::ClientDetailsPage;
use clients_tab::CamClientsPage;
use employee_page::EmployeePage;
use employees_tab::CamEmployeesPage;
use home_page::HomePage;
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route};
use leptos_router::hooks::use_params_map;
use leptos_router::path;
use sign_in_page::SignInPage;

/// Sign-in, the account home and Client Access Manager.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <EntryRoutes>
            <Route path=path!("/") view=HomePage/>
            <Route path=path!("/sign-in") view=SignInPage/>
            <Route path=path!("/accounts/:account_id") view=AccountHomePage/>
            <Route path=path!("/accounts/:account_id/client-access-manager") view=CamIndex/>
            <Route path=path!("/accounts/:account_id/client-access-manager/clients") view=CamClientsPage/>
            <Route path=path!("/accounts/:account_id/client-access-manager/employees") view=CamEmployeesPage/>
            <Route path=path!("/accounts/:account_id/client-access-manager/clients/:client_id") view=ClientDetailsPage/>
            <Route path=path!("/accounts/:account_id/client-access-manager/employees/:user_id") view=EmployeePage/>
        </EntryRoutes>
    }
}

/// `/accounts/:id/client-access-manager` opens the Clients tab.
#[component]
fn CamIndex() -> impl IntoView {
    let params = use_params_map();
    let id = params.read_untracked().get("account_id").unwrap_or_default();
    view! { <Redirect path=format!("/accounts/{id}/client-access-manager/clients")/> }
}
