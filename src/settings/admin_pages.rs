//! Settings pages reserved to super admins (R12): Billing, Super admins, User
//! provisioning (SCIM via Okta) and Data centre migration. A Partner Admin
//! opening one sees the server's refusal, which names the rule.

use crate::api;
use crate::state::list_query::use_account_id;
use crate::state::read::read;
use crate::state::toasts::use_toasts;
use crate::state::write::{failure, toast_failures, write};
use crate::widgets::{Loaded, Shell};
use domain::api::{BillingSettings, DataCentre, DataCentreSettings, ScimSettings, SuperAdminRow};
use domain::Email;
use leptos::prelude::*;

/// Which settings page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdminPage {
    Billing,
    SuperAdmins,
    Scim,
    DataCentre,
}

/// `/accounts/:id/settings/billing`.
#[component]
pub fn BillingPage() -> impl IntoView {
    view! { <AdminFrame page=AdminPage::Billing/> }
}

/// `/accounts/:id/settings/super-admins`.
#[component]
pub fn SuperAdminsPage() -> impl IntoView {
    view! { <AdminFrame page=AdminPage::SuperAdmins/> }
}

/// `/accounts/:id/settings/scim`.
#[component]
pub fn ScimPage() -> impl IntoView {
    view! { <AdminFrame page=AdminPage::Scim/> }
}

/// `/accounts/:id/settings/data-centre`.
#[component]
pub fn DataCentrePage() -> impl IntoView {
    view! { <AdminFrame page=AdminPage::DataCentre/> }
}

#[component]
fn AdminFrame(page: AdminPage) -> impl IntoView {
    let t = crate::i18n::t();
    let account_id = use_account_id();
    let title = match page {
        AdminPage::Billing => t.billing,
        AdminPage::SuperAdmins => t.super_admins,
        AdminPage::Scim => t.scim,
        AdminPage::DataCentre => t.data_centre,
    };
    view! {
        <Shell>
            <section class="page">
                <header class="page-header">
                    <div>
                        <p class="eyebrow">{t.nav_settings}</p>
                        <h1>{title}</h1>
                    </div>
                </header>
                {move || account_id.get().map(|id| match page {
                    AdminPage::Billing => view! { <Billing account_id=id/> }.into_any(),
                    AdminPage::SuperAdmins => view! { <SuperAdmins account_id=id/> }.into_any(),
                    AdminPage::Scim => view! { <Scim account_id=id/> }.into_any(),
                    AdminPage::DataCentre => view! { <DataCentrePicker account_id=id/> }.into_any(),
                })}
            </section>
        </Shell>
    }
}

#[component]
fn Billing(account_id: i64) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let settings = read(move || api::settings::billing(account_id));
    let save = write(
        move |req: BillingSettings| async move { api::settings::set_billing(account_id, &req).await },
        move |_| toasts.show(t.saved),
    );
    view! { <Loaded data=settings content={move |s| {
        let contact = RwSignal::new(s.billing_contact.as_ref().map(|e| e.to_string()).unwrap_or_default());
        // What the browser itself finds wrong: the email's form.
        let invalid = RwSignal::new(None::<String>);
        let submit = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let text = contact.get_untracked();
            match if text.trim().is_empty() { Ok(None) } else { Email::parse(&text).map(Some) } {
                Err(e) => invalid.set(Some(t.email_error(&e).to_string())),
                Ok(billing_contact) => {
                    invalid.set(None);
                    save.dispatch(BillingSettings { billing_contact });
                }
            }
        };
        view! {
            <form class="form card" on:submit=submit>
                <div class="field">
                    <label for="billing-contact">{t.billing_contact}</label>
                    <input id="billing-contact" class="input" type="email" prop:value=move || contact.get() on:input=move |ev| contact.set(event_target_value(&ev))/>
                </div>
                {move || invalid.get().or_else(|| failure(save).map(|e| e.message)).map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>{t.save}</button>
            </form>
        }
        .into_any()
    }}/> }
}

#[component]
fn SuperAdmins(account_id: i64) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let rows = read(move || api::settings::super_admins(account_id));
    let set = write(
        move |(uid, grant): (i64, bool)| async move { api::settings::set_super_admin(account_id, uid, grant).await },
        move |()| {
            toasts.show(t.saved);
            rows.refetch();
        },
    );
    toast_failures(set, toasts);
    view! { <Loaded data=rows content={move |rows: Vec<SuperAdminRow>| {
        view! {
            <div class="table-wrap">
                <table class="data-table" aria-label=t.super_admins>
                    <thead><tr><th scope="col">{t.col_name}</th><th scope="col">{t.col_role}</th><th scope="col"></th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let grant = !r.super_admin;
                            let uid = r.user_id;
                            view! {
                                <tr>
                                    <td><span class="cell-title">{r.name.clone()}</span><div class="cell-sub">{r.email.clone()}</div></td>
                                    <td>{if r.super_admin { t.super_admin } else { "" }}</td>
                                    <td class="row-end">
                                        <button
                                            type="button"
                                            class="btn btn-small"
                                            disabled=move || set.pending().get()
                                            aria-label=format!("{}: {}", if grant { t.make_super_admin } else { t.remove_super_admin }, r.name)
                                            on:click=move |_| { set.dispatch((uid, grant)); }
                                        >
                                            {if grant { t.make_super_admin } else { t.remove_super_admin }}
                                        </button>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    }}/> }
}

#[component]
fn Scim(account_id: i64) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let settings = read(move || api::settings::scim(account_id));
    // A token just generated is shown (once) until the page is left.
    let generated = RwSignal::new(None::<ScimSettings>);
    let generate =
        write(move |()| api::settings::new_scim_token(account_id), move |s: ScimSettings| generated.set(Some(s)));
    toast_failures(generate, toasts);
    view! { <Loaded data=settings content={move |loaded_settings| {
        let current = move || generated.get().unwrap_or_else(|| loaded_settings.clone());
        view! {
            <div class="card">
                {move || {
                    let s = current();
                    let status = match s.token_created_at {
                        Some(at) => t.scim_on(crate::format::date(at)),
                        None => t.scim_off.to_string(),
                    };
                    view! {
                        <p>{status}</p>
                        {s.new_token.map(|token| view! {
                            <div class="field">
                                <label for="scim-token">{t.token_once}</label>
                                <input id="scim-token" class="input mono" readonly prop:value=token/>
                            </div>
                        })}
                    }
                }}
                <button type="button" class="btn btn-primary" disabled=move || generate.pending().get() on:click=move |_| { generate.dispatch(()); }>
                    {t.generate_token}
                </button>
            </div>
        }
        .into_any()
    }}/> }
}

#[component]
fn DataCentrePicker(account_id: i64) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let settings = read(move || api::settings::data_centre(account_id));
    let save = write(
        move |req: DataCentreSettings| async move { api::settings::set_data_centre(account_id, &req).await },
        move |_| toasts.show(t.saved),
    );
    toast_failures(save, toasts);
    let choices = [DataCentre::Eu, DataCentre::Us, DataCentre::Ap];
    view! { <Loaded data=settings content={move |s| {
        let chosen = RwSignal::new(s.data_centre);
        view! {
            <div class="card">
                <fieldset class="choices">
                    <legend>{t.data_centre}</legend>
                    {choices.iter().enumerate().map(|(i, d)| {
                        let d = *d;
                        view! {
                            <label class="choice">
                                <input type="radio" name="data-centre" prop:checked=move || chosen.get() == d on:change=move |_| chosen.set(d)/>
                                <span>{t.data_centre_names[i]}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <button
                    type="button"
                    class="btn btn-primary"
                    disabled=move || save.pending().get()
                    on:click=move |_| { save.dispatch(DataCentreSettings { data_centre: chosen.get_untracked() }); }
                >
                    {t.save}
                </button>
            </div>
        }
        .into_any()
    }}/> }
}
