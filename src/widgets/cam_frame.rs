//! The frame of Partner > Client Access Manager, shared by the app (the
//! **Clients** and **Employees** tabs) and the bulk-work entry point (the
//! **Review**, **Coverage** and **History** tabs): R1 first, then the header
//! and the tab bar, with the content each tab's page passes in.

use crate::api;
use crate::state::read::Read;
use crate::state::session::use_session;
use crate::widgets::not_found_page::InAccount;
use crate::widgets::{AccessLinkDialog, ErrorView, Shell, TabLink, Tabs};
use domain::access_link::may_have_access_link;
use domain::api::{ClientRow, MembershipSummary, Page};
use domain::AccessType;
use leptos::prelude::*;

/// Which tab is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CamTab {
    Clients,
    Employees,
    Review,
    Coverage,
    History,
}

/// How the Clients tab is shown, from its list being read.
pub(crate) type ClientsView = fn(i64, Read<Page<ClientRow>>) -> AnyView;

/// The page frame: R1 first (the refusal names the rule), then the tabs.
/// Each tab's page passes its own content, so that an entry point holds
/// the code of its own tabs only (R17's are in `bulk.html`).
#[component]
pub(crate) fn CamFrame(
    tab: CamTab,
    /// The Clients tab's list, already being read, and its view.
    #[prop(optional)]
    clients: Option<(Read<Page<ClientRow>>, ClientsView)>,
    /// Any other tab's content, for the account.
    #[prop(optional)]
    content: Option<fn(i64) -> AnyView>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let session = use_session();
    // The Clients tab appears with its first rows (once answered, it stays).
    let ready: Signal<bool> = match clients {
        Some((c, _)) => Memo::new(move |was: Option<&bool>| was.copied().unwrap_or(false) || c.get().is_some()).into(),
        None => Signal::stored(true),
    };
    view! {
        <Shell ready=ready>
            <InAccount content=move |m: MembershipSummary| {
                let id = m.account_id;
                if !m.can_open_client_access_manager {
                    return view! { <CamRefused kind=m.kind/> }.into_any();
                }
                let base = format!("/accounts/{id}/client-access-manager");
                let me = session.info().map(|i| i.user.id).unwrap_or_default();
                let links_refusal = m.partner_program.map(may_have_access_link).and_then(Result::err).map(|r| t.refusal(&r));
                let link_open = RwSignal::new(false);
                let tabs = vec![
                    TabLink { label: t.tab_clients, href: format!("{base}/clients"), selected: tab == CamTab::Clients },
                    TabLink { label: t.tab_employees, href: format!("{base}/employees"), selected: tab == CamTab::Employees },
                    TabLink { label: t.tab_review, href: format!("{base}/review"), selected: tab == CamTab::Review },
                    TabLink { label: t.tab_coverage, href: format!("{base}/coverage"), selected: tab == CamTab::Coverage },
                    TabLink { label: t.tab_history, href: format!("{base}/history"), selected: tab == CamTab::History },
                ];
                view! {
                    <section class="page">
                        <header class="page-header">
                            <div>
                                <p class="eyebrow">{t.nav_partner}</p>
                                <h1>{t.client_access_manager}</h1>
                                <p class="subtitle">{m.account_name.clone()}</p>
                            </div>
                            <div class="header-actions">
                                {match links_refusal {
                                    None => view! {
                                        <button type="button" class="btn btn-primary" on:click=move |_| link_open.set(true)>
                                            {t.get_access_link}
                                        </button>
                                    }.into_any(),
                                    Some(why) => view! {
                                        <button type="button" class="btn" disabled aria-describedby="links-unavailable">{t.get_access_link}</button>
                                        <p id="links-unavailable" class="hint header-hint">{why}</p>
                                    }.into_any(),
                                }}
                            </div>
                        </header>
                        <AccessLinkDialog account_id=id user_id=me title=t.your_access_link open=link_open/>
                        <Tabs label=t.client_access_manager tabs=tabs>
                            {match (clients, content) {
                                (Some((data, clients_view)), _) => clients_view(id, data),
                                (None, Some(content)) => content(id),
                                (None, None) => ().into_any(),
                            }}
                        </Tabs>
                    </section>
                }
                .into_any()
            }/>
        </Shell>
    }
}

/// Shown instead of Client Access Manager when R1 does not hold; the reason
/// is the server's own refusal.
#[component]
fn CamRefused(kind: domain::AccountKind) -> impl IntoView {
    let t = crate::i18n::t();
    // R1's own refusal, as the server words it: no request needed to say why.
    let refusal = domain::rules::client_access_manager_refused(kind);
    let error = api::ApiError { status: 403, code: "forbidden".into(), message: crate::i18n::t().refusal(&refusal) };
    view! {
        <section class="page">
            <header class="page-header"><h1>{t.client_access_manager}</h1></header>
            <ErrorView error=error/>
        </section>
    }
}

pub(crate) fn access_cell(t: &'static crate::i18n::Strings, access: AccessType, set_name: Option<&str>) -> AnyView {
    let label = match (access, set_name) {
        (AccessType::OtherSet, Some(name)) => t.set_name(name),
        (a, _) => t.access_type(a).to_string(),
    };
    let class = match access {
        AccessType::PartnerAdmin => "pill pill-ok",
        AccessType::SuperAdmin => "pill pill-info",
        AccessType::Deactivated => "pill pill-warn",
        AccessType::None => "pill pill-muted",
        AccessType::OtherSet => "pill",
    };
    view! { <span class=class>{label}</span> }.into_any()
}
