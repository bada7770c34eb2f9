//! `/accounts/:id/settings/users`: Settings > Users & Teams of a customer account.

use crate::api;
use crate::components::{Column, DataTable, ErrorView, Loading, Pager, SearchBox, Shell};
use crate::format;
use crate::state::list_query::{use_account_id, use_list_controls, use_list_query, ListControls};
use domain::api::AccountUserRow;
use domain::MembershipStatus;
use leptos::prelude::*;

/// The Users & Teams page.
#[component]
pub fn UsersPage() -> impl IntoView {
    let t = crate::i18n::t();
    let account_id = use_account_id();
    let lq = use_list_query();
    let data = LocalResource::new(move || {
        let p = lq.params.get();
        let id = account_id.get();
        async move {
            match id {
                Some(id) => api::users::list(id, &p).await,
                None => Err(api::ApiError { status: 404, code: "not_found".into(), message: String::new() }),
            }
        }
    });
    let ListControls { on_search, on_sort, on_page, sort } = use_list_controls(lq, "name");
    view! {
        <Shell>
            <section class="page">
                <header class="page-header">
                    <div>
                        <p class="eyebrow">{t.nav_settings}</p>
                        <h1>{t.users_and_teams}</h1>
                    </div>
                </header>
                <div class="toolbar">
                    <SearchBox label=t.search_users value=lq.params.get_untracked().q on_search=on_search/>
                </div>
                <Transition fallback=|| view! { <Loading/> }>
                    {move || Suspend::new(async move {
                        match data.await {
                            Err(e) => view! { <ErrorView error=e/> }.into_any(),
                            Ok(page) => {
                                let columns = vec![
                                    Column::new(t.col_name, |u: &AccountUserRow| {
                                        view! { <span class="cell-title">{u.name.clone()}</span><div class="cell-sub">{u.email.clone()}</div> }.into_any()
                                    })
                                    .sortable("name"),
                                    Column::new(t.col_role, move |u: &AccountUserRow| {
                                        view! { <span>{format::role(t, u.super_admin, u.set_name.as_deref())}</span> }.into_any()
                                    }),
                                    Column::new(t.col_seat, move |u: &AccountUserRow| view! { <span>{t.seat(u.seat)}</span> }.into_any()),
                                    Column::new(t.col_status, move |u: &AccountUserRow| {
                                        let class = if u.status == MembershipStatus::Active { "pill pill-ok" } else { "pill pill-warn" };
                                        view! { <span class=class>{t.status(u.status)}</span> }.into_any()
                                    })
                                    .sortable("status"),
                                    Column::new(t.col_partner, |u: &AccountUserRow| {
                                        u.partner_name.clone().map(|p| view! { <span class="pill pill-info">{p}</span> }.into_any()).unwrap_or_else(|| ().into_any())
                                    }),
                                ];
                                let pages = page.page_count();
                                view! {
                                    <DataTable
                                        label=t.users_and_teams
                                        columns=columns
                                        rows=page.rows
                                        row_name=|u: &AccountUserRow| u.name.clone()
                                        sort=sort
                                        on_sort=on_sort
                                        empty=t.no_users
                                    />
                                    <Pager total=page.total page=page.page pages=pages on_page=on_page/>
                                }
                                .into_any()
                            }
                        }
                    })}
                </Transition>
            </section>
        </Shell>
    }
}
