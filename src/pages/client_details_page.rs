//! `/accounts/:id/client-access-manager/clients/:client_id`: one client, its
//! relationship, and the partner's employees in it.

use crate::api;
use crate::components::{CheckBadge, Column, DataTable, ErrorView, Loading, Shell};
use crate::format;
use crate::state::list_query::{use_account_id, use_id_param};
use domain::api::ClientEmployee;
use domain::{AccessType, MembershipStatus, PricingModel};
use leptos::prelude::*;

/// The client details page.
#[component]
pub fn ClientDetailsPage() -> impl IntoView {
    let t = crate::i18n::t();
    let account_id = use_account_id();
    let client_id = use_id_param("client_id");
    let data = LocalResource::new(move || {
        let ids = account_id.get().zip(client_id.get());
        async move {
            match ids {
                Some((a, c)) => api::cam::client(a, c).await,
                None => Err(api::ApiError { status: 404, code: "not_found".into(), message: String::new() }),
            }
        }
    });
    let back = move || format!("/accounts/{}/client-access-manager/clients", account_id.get().unwrap_or_default());
    view! {
        <Shell>
            <section class="page">
                <nav class="breadcrumbs" aria-label=t.breadcrumb>
                    <a href=back>{"← "}{t.back_to_clients}</a>
                </nav>
                <Transition fallback=|| view! { <Loading/> }>
                    {move || Suspend::new(async move {
                        match data.await {
                            Err(e) => view! { <ErrorView error=e/> }.into_any(),
                            Ok(c) => {
                                let official = (c.official_name != c.crm_name).then(|| (t.official_name)(&c.official_name));
                                let pricing = match c.pricing_model {
                                    PricingModel::SeatBased => t.pricing_seat_based,
                                    PricingModel::Classic => t.pricing_classic,
                                };
                                let columns = vec![
                                    Column::new(t.col_name, move |e: &ClientEmployee| {
                                        view! {
                                            <span class="cell-title">{e.name.clone()}</span>
                                            <div class="cell-sub">
                                                {e.email.clone()}
                                                {e.verified_domain.then(|| view! { <CheckBadge label=t.verified_domain/> })}
                                            </div>
                                        }
                                        .into_any()
                                    }),
                                    Column::new(t.col_permission_set, move |e: &ClientEmployee| {
                                        let label = match e.access {
                                            AccessType::SuperAdmin => t.super_admin.to_string(),
                                            _ => e.set_name.clone().unwrap_or_else(|| t.no_permission_set.to_string()),
                                        };
                                        view! { <span>{label}</span> }.into_any()
                                    }),
                                    Column::new(t.col_seat, move |e: &ClientEmployee| view! { <span>{t.seat(e.seat)}</span> }.into_any()),
                                    Column::new(t.col_status, move |e: &ClientEmployee| {
                                        let class = if e.status == MembershipStatus::Active { "pill pill-ok" } else { "pill pill-warn" };
                                        view! { <span class=class>{t.status(e.status)}</span> }.into_any()
                                    }),
                                    Column::new(t.col_last_activity, move |e: &ClientEmployee| {
                                        view! { <span>{e.last_activity.map(|d| d.date()).unwrap_or_else(|| t.never.to_string())}</span> }.into_any()
                                    }),
                                    Column::new(t.col_assets, |e: &ClientEmployee| view! { <span>{e.assets_owned}</span> }.into_any()).class("num"),
                                ];
                                view! {
                                    <header class="page-header">
                                        <div>
                                            <h1>{c.crm_name.clone()}</h1>
                                            {official.map(|o| view! { <p class="subtitle">{o}</p> })}
                                        </div>
                                        <span class=format::relationship_class(c.status)>{format::relationship(t, c.status)}</span>
                                    </header>
                                    <dl class="facts">
                                        <div><dt>{t.col_your_access}</dt><dd>{t.access_type(c.my_access)}</dd></div>
                                        <div><dt>{t.last_partner_activity_label}</dt><dd>{c.last_partner_activity.date()}</dd></div>
                                        <div><dt>{t.pricing}</dt><dd>{pricing}</dd></div>
                                    </dl>
                                    {(c.pricing_model == PricingModel::SeatBased).then(|| view! { <p class="notice notice-info">{t.seat_based_note}</p> })}
                                    <h2 class="section-title">{t.partner_employees_heading}</h2>
                                    <DataTable
                                        label=t.partner_employees_heading
                                        columns=columns
                                        rows=c.employees
                                        row_name=|e: &ClientEmployee| e.name.clone()
                                        empty=t.no_partner_employees
                                    />
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
