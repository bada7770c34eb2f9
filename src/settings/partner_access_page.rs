//! `/accounts/:id/settings/partner-access`: Settings > **Partner access** of
//! a customer account (R16): every partner with people here, each person's
//! set, seat, status, last activity and end date (R14), and per partner
//! **Suspend access** / **Resume access** and **Remove people**.

use crate::api;
use crate::format;
use crate::state::list_query::use_account_id;
use crate::state::read::read;
use crate::state::toasts::use_toasts;
use crate::state::write::write;
use crate::widgets::data_table::RowActions;
use crate::widgets::{
    ends_cell, Column, DataTable, Dialog, EndCheck, EndDateDialog, EndOf, FormActions, Loaded, MenuAction, Shell,
};
use domain::api::{PartnerAccess, PartnerPeople, PartnerPerson};
use domain::MembershipStatus;
use leptos::prelude::*;
use std::sync::Arc;

/// What the confirmation dialog asks about.
#[derive(Clone)]
enum Confirm {
    Suspend(PartnerPeople),
    Remove(PartnerPeople),
}

/// The Partner access page.
#[component]
pub fn PartnerAccessPage() -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let account_id = use_account_id();
    let data = read(move || {
        let id = account_id.get();
        async move {
            match id {
                Some(id) => api::users::partner_access::<PartnerAccess>(id).await,
                None => Err(api::ApiError { status: 404, code: "not_found".into(), message: String::new() }),
            }
        }
    });
    let on_done = Callback::new(move |_| data.refetch());
    let confirm = RwSignal::new(None::<Confirm>);
    let confirm_open = RwSignal::new(false);
    let ends_for = RwSignal::new(None::<PartnerPerson>);
    let ends_open = RwSignal::new(false);
    let control = write(
        move |(partner, action, name): (i64, &'static str, String)| async move {
            let account = account_id.get_untracked().unwrap_or_default();
            api::users::control_partner(account, partner, action).await.map(|_| (action, name))
        },
        move |(action, name): (&'static str, String)| {
            toasts.show(match action {
                "suspend" => t.partner_suspended_toast(&name),
                "resume" => t.partner_resumed_toast(&name),
                _ => t.partner_removed_toast(&name),
            });
            confirm_open.set(false);
            data.refetch();
        },
    );
    crate::state::write::toast_failures(control, toasts);
    view! {
        <Shell>
            <section class="page">
                <header class="page-header">
                    <div>
                        <h1>{t.partner_access}</h1>
                        // The page says what it does only to those it exists for.
                        {move || (!matches!(data.get(), Some(Err(_)))).then(|| view! { <p class="subtitle">{t.partner_access_intro}</p> })}
                    </div>
                </header>
                <Loaded data=data content={move |access: PartnerAccess| {
                    if access.partners.is_empty() {
                        return view! { <p class="notice notice-info">{t.no_partners}</p> }.into_any();
                    }
                    access
                        .partners
                        .into_iter()
                        .map(|p| view! { <PartnerSection partner=p confirm=confirm confirm_open=confirm_open control=control ends_for=ends_for ends_open=ends_open/> })
                        .collect_view()
                        .into_any()
                }}/>
                {move || confirm.get().map(|c| {
                    let (title, text, label, partner, action, name, danger) = match &c {
                        Confirm::Suspend(p) => (
                            t.suspend_title(&p.partner_name),
                            t.suspend_confirm(p.people.len(), &p.partner_name),
                            t.suspend_access,
                            p.partner_id,
                            "suspend",
                            p.partner_name.clone(),
                            false,
                        ),
                        Confirm::Remove(p) => (
                            t.remove_people_title(&p.partner_name),
                            t.remove_people_confirm(p.people.len(), &p.partner_name),
                            t.remove_people,
                            p.partner_id,
                            "remove",
                            p.partner_name.clone(),
                            true,
                        ),
                    };
                    let name = StoredValue::new(name);
                    view! {
                        <Dialog open=confirm_open title=title on_close=Callback::new(move |_| confirm_open.set(false))>
                            <p>{text.clone()}</p>
                            <FormActions
                                action=control
                                label=label
                                danger=danger
                                on_submit=Callback::new(move |_| control.dispatch((partner, action, name.get_value())))
                                on_cancel=Callback::new(move |_| confirm_open.set(false))
                            />
                        </Dialog>
                    }
                })}
                {move || ends_for.get().map(|p| {
                    let uid = p.user_id;
                    let account = account_id.get_untracked().unwrap_or_default();
                    // A7's answer for the chosen end, as the server's decision gave it.
                    let (current, refused) = (p.ends_at, p.refused.clone());
                    let check: EndCheck = std::sync::Arc::new(move |at| refused.for_end(current, at).map(|r| t.api_error(r)));
                    view! {
                        <EndDateDialog
                            title=t.change_end_date_for(&p.name)
                            of=EndOf::Member { account_id: account, user_id: uid }
                            current=p.ends_at
                            open=ends_open
                            on_done=on_done
                            check=check
                        />
                    }
                })}
            </section>
        </Shell>
    }
}

/// One partner: its state, its actions and its people.
#[component]
fn PartnerSection(
    partner: PartnerPeople,
    confirm: RwSignal<Option<Confirm>>,
    confirm_open: RwSignal<bool>,
    control: crate::state::write::Write<(i64, &'static str, String)>,
    ends_for: RwSignal<Option<PartnerPerson>>,
    ends_open: RwSignal<bool>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let account_id = use_account_id().get_untracked().unwrap_or_default();
    // R18: the partner's terms, changed on their own page (terms.html).
    let terms = format!("/accounts/{account_id}/settings/partner-access/{}", partner.partner_id);
    let refused = partner.refused.as_ref().map(|r| t.refusal(r));
    let heading_id = format!("partner-{}", partner.partner_id);
    let labelled_by = heading_id.clone();
    let (pid, name) = (partner.partner_id, partner.partner_name.clone());
    let suspended = partner.suspended_at.is_some();
    let state = match partner.suspended_at {
        Some(at) => view! { <span class="pill pill-warn">{t.suspended_since(format::date(at))}</span> }.into_any(),
        None => view! { <span class="pill pill-ok">{t.access_on}</span> }.into_any(),
    };
    let for_suspend = partner.clone();
    let for_remove = partner.clone();
    let may = refused.is_none();
    let columns = vec![
        Column::new(t.col_name, |p: &PartnerPerson| {
            // R20: the client sees who among the partner's people has a second factor.
            let factor = if p.second_factor { t.second_factor_on } else { "" };
            view! {
                <span class="cell-title">{p.name.clone()}</span>
                <div class="cell-sub">{p.email.clone()}</div>
                <div class="cell-sub">{factor}</div>
            }
            .into_any()
        }),
        Column::new(t.col_role, move |p: &PartnerPerson| {
            view! { <span>{format::role(t, p.super_admin, p.set_name.as_deref())}</span> }.into_any()
        }),
        Column::new(t.col_seat, move |p: &PartnerPerson| view! { <span>{t.seat(p.seat)}</span> }.into_any()),
        Column::new(t.col_status, move |p: &PartnerPerson| {
            let class = if p.status == MembershipStatus::Active { "pill pill-ok" } else { "pill pill-warn" };
            view! { <span class=class>{t.status(p.status)}</span> }.into_any()
        }),
        Column::new(t.col_last_activity, move |p: &PartnerPerson| {
            view! { <span>{p.last_activity.map(format::date).unwrap_or_else(|| t.never.to_string())}</span> }.into_any()
        }),
        Column::new(t.col_access_ends, |p: &PartnerPerson| {
            ends_cell(p.ends_at.filter(|_| p.status == MembershipStatus::Active))
        }),
    ];
    let row_refusal = refused.clone();
    let actions: RowActions<PartnerPerson> = Arc::new(move |p: &PartnerPerson| {
        if p.status != MembershipStatus::Active || p.super_admin {
            return vec![];
        }
        let target = p.clone();
        let mut change = MenuAction::button(
            t.change_end_date,
            Callback::new(move |_| {
                ends_for.set(Some(target.clone()));
                ends_open.set(true);
            }),
        );
        change.disabled_reason = row_refusal.clone();
        vec![change]
    });
    view! {
        <section class="card partner-card" aria-labelledby=labelled_by>
            <div class="section-header">
                <div>
                    <h2 class="section-title" id=heading_id>{partner.partner_name.clone()}</h2>
                    {state}
                </div>
                <div class="button-row">
                    <a class="btn" rel="external" href=terms>{t.set_ceiling}</a>
                    {if suspended {
                        let name = name.clone();
                        view! {
                            <button type="button" class="btn btn-primary" disabled=move || !may || control.pending().get()
                                title=refused.clone().unwrap_or_default()
                                on:click=move |_| control.dispatch((pid, "resume", name.clone()))>
                                {t.resume_access}
                            </button>
                        }.into_any()
                    } else {
                        view! {
                            <button type="button" class="btn" disabled=!may title=refused.clone().unwrap_or_default()
                                on:click=move |_| { confirm.set(Some(Confirm::Suspend(for_suspend.clone()))); confirm_open.set(true); }>
                                {t.suspend_access}
                            </button>
                        }.into_any()
                    }}
                    <button type="button" class="btn btn-danger-quiet" disabled=!may title=refused.clone().unwrap_or_default()
                        on:click=move |_| { confirm.set(Some(Confirm::Remove(for_remove.clone()))); confirm_open.set(true); }>
                        {t.remove_people}
                    </button>
                </div>
            </div>
            {refused.clone().map(|r| view! { <p class="hint">{r}</p> })}
            <dl class="facts">
                <div><dt>{t.ceiling}</dt><dd>{format::ceiling(t, partner.ceiling, partner.ceiling_name.as_deref())}</dd></div>
                <div><dt>{t.relationship_ends}</dt><dd>{format::relationship_end(t, partner.relationship_end)}</dd></div>
            </dl>
            {suspended.then(|| view! { <p class="notice notice-warn">{t.suspended_note}</p> })}
            <DataTable
                label=t.partner_employees_heading
                columns=columns
                rows=partner.people
                row_name=|p: &PartnerPerson| p.name.clone()
                actions=actions
                empty=t.no_partners
            />
        </section>
    }
}
