//! Partner > Client Access Manager: the **History** tab.

use crate::bulk::history_page::HistoryView;
use crate::widgets::cam_frame::{CamFrame, CamTab};
use leptos::prelude::*;

/// `/accounts/:id/client-access-manager/history`.
#[component]
pub fn CamHistoryPage() -> impl IntoView {
    view! { <CamFrame tab=CamTab::History content=|id| view! { <HistoryView account_id=id partner=true/> }.into_any()/> }
}
