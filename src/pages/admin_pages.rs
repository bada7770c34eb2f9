//! Settings pages reserved to super admins (R12): Billing, Super admins, User
//! provisioning (SCIM via Okta) and Data centre migration. A Partner Admin
//! opening one sees the server's refusal, which names the rule.

use crate::api;
use crate::api::ApiError;
use crate::components::{ErrorView, Loading, Shell};
use crate::state::list_query::use_account_id;
use crate::state::toasts::use_toasts;
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

/// Loads once, then shows the error (with the rule) or the content.
fn loaded<T: Clone + Send + Sync + 'static>(
    state: RwSignal<Option<Result<T, ApiError>>>,
    content: impl Fn(T) -> AnyView + Send + Sync + 'static,
) -> impl IntoView {
    move || match state.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
        Some(Ok(v)) => content(v),
    }
}

#[component]
fn Billing(account_id: i64) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let state = RwSignal::new(None::<Result<BillingSettings, ApiError>>);
    let contact = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    leptos::task::spawn_local(async move {
        let r = api::settings::billing(account_id).await;
        if let Ok(s) = &r {
            contact.set(s.billing_contact.as_ref().map(|e| e.to_string()).unwrap_or_default());
        }
        state.set(Some(r));
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = contact.get_untracked();
        let parsed = if text.trim().is_empty() { Ok(None) } else { Email::parse(&text).map(Some) };
        let Ok(billing_contact) = parsed.map_err(|e| error.set(Some(e.to_string()))) else { return };
        error.set(None);
        leptos::task::spawn_local(async move {
            match api::settings::set_billing(account_id, &BillingSettings { billing_contact }).await {
                Ok(_) => toasts.show(t.saved),
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    loaded(state, move |_| {
        view! {
            <form class="form card" on:submit=save>
                <div class="field">
                    <label for="billing-contact">{t.billing_contact}</label>
                    <input id="billing-contact" class="input" type="email" prop:value=move || contact.get() on:input=move |ev| contact.set(event_target_value(&ev))/>
                </div>
                {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <button type="submit" class="btn btn-primary">{t.save}</button>
            </form>
        }
        .into_any()
    })
}

#[component]
fn SuperAdmins(account_id: i64) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let state = RwSignal::new(None::<Result<Vec<SuperAdminRow>, ApiError>>);
    let reload = move || {
        leptos::task::spawn_local(async move { state.set(Some(api::settings::super_admins(account_id).await)) });
    };
    reload();
    loaded(state, move |rows| {
        view! {
            <div class="table-wrap">
                <table class="data-table" aria-label=t.super_admins>
                    <thead><tr><th scope="col">{t.col_name}</th><th scope="col">{t.col_role}</th><th scope="col"></th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let grant = !r.super_admin;
                            let uid = r.user_id;
                            let act = move |_| leptos::task::spawn_local(async move {
                                match api::settings::set_super_admin(account_id, uid, grant).await {
                                    Ok(()) => { toasts.show(t.saved); reload(); }
                                    Err(e) => toasts.error(e.message),
                                }
                            });
                            view! {
                                <tr>
                                    <td><span class="cell-title">{r.name.clone()}</span><div class="cell-sub">{r.email.clone()}</div></td>
                                    <td>{if r.super_admin { t.super_admin } else { "" }}</td>
                                    <td class="row-end">
                                        <button type="button" class="btn btn-small" aria-label=format!("{}: {}", if grant { t.make_super_admin } else { t.remove_super_admin }, r.name) on:click=act>
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
    })
}

#[component]
fn Scim(account_id: i64) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let state = RwSignal::new(None::<Result<ScimSettings, ApiError>>);
    leptos::task::spawn_local(async move { state.set(Some(api::settings::scim(account_id).await)) });
    let generate = move |_| {
        leptos::task::spawn_local(async move {
            match api::settings::new_scim_token(account_id).await {
                Ok(s) => state.set(Some(Ok(s))),
                Err(e) => toasts.error(e.message),
            }
        })
    };
    loaded(state, move |s| {
        let status = match s.token_created_at {
            Some(at) => (t.scim_on)(&at.date()),
            None => t.scim_off.to_string(),
        };
        view! {
            <div class="card">
                <p>{status}</p>
                {s.new_token.map(|token| view! {
                    <div class="field">
                        <label for="scim-token">{t.token_once}</label>
                        <input id="scim-token" class="input mono" readonly prop:value=token/>
                    </div>
                })}
                <button type="button" class="btn btn-primary" on:click=generate>{t.generate_token}</button>
            </div>
        }
        .into_any()
    })
}

#[component]
fn DataCentrePicker(account_id: i64) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let state = RwSignal::new(None::<Result<DataCentreSettings, ApiError>>);
    leptos::task::spawn_local(async move { state.set(Some(api::settings::data_centre(account_id).await)) });
    let choices = [DataCentre::Eu, DataCentre::Us, DataCentre::Ap];
    loaded(state, move |s| {
        let chosen = RwSignal::new(s.data_centre);
        let save = move |_| {
            let req = DataCentreSettings { data_centre: chosen.get_untracked() };
            leptos::task::spawn_local(async move {
                match api::settings::set_data_centre(account_id, &req).await {
                    Ok(_) => toasts.show(t.saved),
                    Err(e) => toasts.error(e.message),
                }
            });
        };
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
                <button type="button" class="btn btn-primary" on:click=save>{t.save}</button>
            </div>
        }
        .into_any()
    })
}
