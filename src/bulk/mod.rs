//! The bulk-work entry point (`bulk.html`, `src/bin/bulk.rs`, mounted by
//! [`crate::start_bulk`]): Client Access Manager's work across all clients
//! (R17) — the **Review**, **Coverage** and **History** tabs, bulk jobs, one
//! employee added to or changed in many clients — and an account's
//! Settings > History. The server answers these addresses with this page and
//! the other pages load it on a link to one of them, so only the people who
//! open these long lists download their code. Its route table is
//! `<BulkApp/>` below.

mod bulk_rows_dialog;
mod coverage_tab;
mod employee_bulk_page;
mod history_page;
mod history_tab;
mod jobs_page;
mod review_step;
mod review_tab;

use crate::widgets::EntryRoutes;
use coverage_tab::CamCoveragePage;
use employee_bulk_page::{AddToClientsPage, ChangeSetInClientsPage};
use history_page::HistoryPage;
use history_tab::CamHistoryPage;
use jobs_page::{JobPage, JobsPage};
use leptos::prelude::*;
use leptos_router::components::Route;
use leptos_router::path;
use review_tab::CamReviewPage;

/// Client Access Manager's work across all clients (R17).
#[component]
pub fn BulkApp() -> impl IntoView {
    view! {
        <EntryRoutes>
            <Route path=path!("/accounts/:account_id/client-access-manager/review") view=CamReviewPage/>
            <Route path=path!("/accounts/:account_id/client-access-manager/coverage") view=CamCoveragePage/>
            <Route path=path!("/accounts/:account_id/client-access-manager/jobs") view=JobsPage/>
            <Route path=path!("/accounts/:account_id/client-access-manager/history") view=CamHistoryPage/>
            <Route path=path!("/accounts/:account_id/settings/history") view=HistoryPage/>
            <Route path=path!("/accounts/:account_id/client-access-manager/jobs/:job_id") view=JobPage/>
            <Route path=path!("/accounts/:account_id/client-access-manager/employees/:user_id/add-to-clients") view=AddToClientsPage/>
            <Route path=path!("/accounts/:account_id/client-access-manager/employees/:user_id/change-set-in-clients") view=ChangeSetInClientsPage/>
        </EntryRoutes>
    }
}
