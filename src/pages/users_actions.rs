//! Users & Teams procedures: the Create user wizard (R11, with the Partner
//! Admin template only where it is allowed), Assign seat, Edit permissions
//! with a diff, Remove, and the client-side Change to Partner Admin (R9).

use crate::api;
use crate::components::{ComparisonTable, Dialog, MultiSelect, SelectOption, WizardSteps};
use crate::pages::cam_actions::permission_label;
use crate::state::toasts::use_toasts;
use domain::api::{AccountUserRow, CreateUserRequest, EditPermissionsRequest, UserCandidate};
use domain::{Email, Permission, Perms, Seat, StandardSet};
use leptos::prelude::*;

fn seat_options(current: RwSignal<Seat>, partner_allowed: bool) -> impl IntoView {
    let t = crate::i18n::t();
    Seat::ALL
        .iter()
        .filter(move |s| **s != Seat::Partner || partner_allowed)
        .map(move |s| {
            let s = *s;
            view! { <option value=s.key() selected=move || current.get() == s>{t.seat(s)}</option> }
        })
        .collect_view()
}

/// The **Create user** wizard: email → Next → access (seat, template).
#[component]
pub fn CreateUserWizard(account_id: i64, open: RwSignal<bool>, on_done: Callback<()>) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let step = RwSignal::new(0usize);
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let seat = RwSignal::new(Seat::Core);
    let restrict = RwSignal::new(false);
    let template = RwSignal::new(String::new());
    let candidate = RwSignal::new(None::<UserCandidate>);
    let error = RwSignal::new(None::<String>);
    let check = move || {
        let Ok(parsed) = Email::parse(&email.get_untracked()) else {
            error
                .set(Some(t.email.to_string() + ": " + &Email::parse(&email.get_untracked()).unwrap_err().to_string()));
            return;
        };
        error.set(None);
        let s = seat.get_untracked();
        leptos::task::spawn_local(async move {
            match api::users::candidate(account_id, parsed.as_str(), s).await {
                Ok(c) if c.already_member => error.set(Some(format!("{} is already a user in this account.", c.email))),
                Ok(c) => {
                    if c.partner_admin_unavailable.is_some()
                        && template.get_untracked() == StandardSet::PartnerAdmin.key()
                    {
                        template.set(String::new());
                    }
                    candidate.set(Some(c));
                    step.set(1);
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let create = move |_| {
        let Some(c) = candidate.get_untracked() else { return };
        let req = CreateUserRequest {
            email: c.email.clone(),
            name: (c.existing_name.is_none()).then(|| name.get_untracked()),
            seat: seat.get_untracked(),
            template: (restrict.get_untracked() && !template.get_untracked().is_empty())
                .then(|| template.get_untracked()),
        };
        leptos::task::spawn_local(async move {
            match api::users::create(account_id, &req).await {
                Ok(_) => {
                    toasts.show(t.user_created);
                    open.set(false);
                    on_done.run(());
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <Dialog open=open title=t.create_user on_close=Callback::new(move |_| open.set(false))>
            <WizardSteps steps=vec![t.step_email, t.step_access] current=step/>
            {move || if step.get() == 0 {
                view! {
                    <div class="field">
                        <label for="new-user-email">{t.email}</label>
                        <input id="new-user-email" class="input" type="email" prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
                    </div>
                    {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                    <div class="button-row">
                        <button type="button" class="btn" on:click=move |_| open.set(false)>{t.cancel}</button>
                        <button type="button" class="btn btn-primary" on:click=move |_| check()>{t.next}</button>
                    </div>
                }.into_any()
            } else {
                let c = candidate.get().expect("checked before this step");
                let partner_allowed = c.partner_name.is_some();
                let unavailable = c.partner_admin_unavailable.clone();
                let can_offer_seat = partner_allowed && seat.get_untracked() != Seat::Partner
                    && c.partner_program.is_some_and(|p| p.may_have_partner_admins());
                view! {
                    <p class="hint">{c.email.to_string()}{c.partner_name.clone().map(|p| format!(" · {}", (t.partner_badge)(&p)))}</p>
                    {c.existing_name.is_none().then(|| view! {
                        <div class="field">
                            <label for="new-user-name">{t.name_label}</label>
                            <input id="new-user-name" class="input" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                        </div>
                    })}
                    <div class="field">
                        <label for="new-user-seat">{t.col_seat}</label>
                        <select id="new-user-seat" class="input" on:change=move |ev| {
                            seat.set(Seat::parse(&event_target_value(&ev)).unwrap_or(Seat::None));
                            check();
                        }>
                            {seat_options(seat, partner_allowed)}
                        </select>
                    </div>
                    <h3 class="subheading">{t.start_with_template}</h3>
                    <label class="check-option">
                        <input type="checkbox" prop:checked=move || restrict.get() on:change=move |ev| restrict.set(event_target_checked(&ev))/>
                        <span>{t.restrict_with_set}</span>
                    </label>
                    <Show when=move || restrict.get()>
                        <div class="field">
                            <label for="new-user-template">{t.choose_template}</label>
                            <select id="new-user-template" class="input" on:change=move |ev| template.set(event_target_value(&ev))>
                                <option value="">{t.no_template}</option>
                                {StandardSet::ALL
                                    .iter()
                                    .filter(|s| **s != StandardSet::PartnerAdmin || unavailable.is_none())
                                    .map(|s| view! { <option value=s.key() selected=move || template.get() == s.key()>{s.name()}</option> })
                                    .collect_view()}
                            </select>
                        </div>
                        {unavailable.clone().map(|why| view! { <p class="notice notice-info">{why}</p> })}
                        {can_offer_seat.then(|| view! {
                            <button type="button" class="btn" on:click=move |_| { seat.set(Seat::Partner); check(); }>{t.assign_partner_seat}</button>
                        })}
                        {partner_allowed.then(|| view! { <div class="spaced"><ComparisonTable/></div> })}
                    </Show>
                    {move || error.get().map(|e| view! { <p class="form-error spaced" role="alert">{e}</p> })}
                    <div class="button-row">
                        <button type="button" class="btn" on:click=move |_| step.set(0)>{t.back}</button>
                        <button type="button" class="btn btn-primary" on:click=create>{t.create_user}</button>
                    </div>
                }.into_any()
            }}
        </Dialog>
    }
}

/// **Assign seat** for one user.
#[component]
pub fn AssignSeatDialog(
    account_id: i64,
    user: AccountUserRow,
    open: RwSignal<bool>,
    on_done: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let seat = RwSignal::new(user.seat);
    let uid = user.user_id;
    let save = move |_| {
        let s = seat.get_untracked();
        leptos::task::spawn_local(async move {
            match api::users::assign_seat(account_id, uid, s).await {
                Ok(()) => {
                    toasts.show(t.seat_assigned);
                    open.set(false);
                    on_done.run(());
                }
                Err(e) => toasts.error(e.message),
            }
        });
    };
    view! {
        <Dialog open=open title=format!("{} · {}", t.assign_seat, user.name) on_close=Callback::new(move |_| open.set(false))>
            <div class="field">
                <label for="assign-seat">{t.col_seat}</label>
                <select id="assign-seat" class="input" on:change=move |ev| seat.set(Seat::parse(&event_target_value(&ev)).unwrap_or(Seat::None))>
                    {seat_options(seat, true)}
                </select>
            </div>
            <div class="button-row">
                <button type="button" class="btn" on:click=move |_| open.set(false)>{t.cancel}</button>
                <button type="button" class="btn btn-primary" on:click=save>{t.save}</button>
            </div>
        </Dialog>
    }
}

/// **Edit permissions**: a permission set, shown as a diff before saving.
#[component]
pub fn EditPermissionsDialog(
    account_id: i64,
    user: AccountUserRow,
    open: RwSignal<bool>,
    on_done: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let set = RwSignal::new(StandardSet::ViewOnly.key().to_string());
    let extra = RwSignal::new(Vec::<String>::new());
    let less = RwSignal::new(Vec::<String>::new());
    let before = user.permissions;
    let uid = user.user_id;
    let keys = |v: Vec<String>| v.iter().filter_map(|k| Permission::parse(k)).collect::<Perms>();
    let after = move || {
        let base = StandardSet::parse(&set.get()).map(StandardSet::perms).unwrap_or_default();
        base.union(keys(extra.get())).difference(keys(less.get())).assignable()
    };
    let options = Signal::derive(|| {
        Permission::ALL
            .iter()
            .filter(|p| !p.is_super_admin_only() && !p.is_partner_account_only())
            .map(|p| SelectOption::new(p.key(), permission_label(*p)))
            .collect::<Vec<_>>()
    });
    let list = |p: Perms| {
        if p.is_empty() {
            t.nothing.to_string()
        } else {
            p.iter().map(permission_label).collect::<Vec<_>>().join(", ")
        }
    };
    let save = move |_| {
        let base = StandardSet::parse(&set.get_untracked()).map(StandardSet::perms).unwrap_or_default();
        let wanted = after();
        let req = EditPermissionsRequest {
            permission_set: Some(set.get_untracked()),
            added: wanted.difference(base),
            removed: base.difference(wanted),
        };
        leptos::task::spawn_local(async move {
            match api::http::send::<_, Option<()>>(
                "PUT",
                &format!("/api/v1/accounts/{account_id}/users/{uid}/permissions"),
                &req,
            )
            .await
            {
                Ok(_) => {
                    toasts.show(t.set_changed);
                    open.set(false);
                    on_done.run(());
                }
                Err(e) => toasts.error(e.message),
            }
        });
    };
    view! {
        <Dialog open=open title=(t.edit_permissions_for)(&user.name) on_close=Callback::new(move |_| open.set(false))>
            <div class="field">
                <label for="edit-set">{t.permission_set}</label>
                <select id="edit-set" class="input" on:change=move |ev| set.set(event_target_value(&ev))>
                    {StandardSet::ALL.iter().map(|s| view! { <option value=s.key() selected=move || set.get() == s.key()>{s.name()}</option> }).collect_view()}
                </select>
            </div>
            <div class="toolbar">
                <MultiSelect label=t.add_permissions options=options selected=extra on_change=Callback::new(move |v| extra.set(v)) searchable=true/>
                <MultiSelect label=t.remove_permissions options=options selected=less on_change=Callback::new(move |v| less.set(v)) searchable=true/>
            </div>
            <dl class="preview" aria-live="polite">
                <div><dt>{t.perms_added}</dt><dd>{move || list(after().difference(before))}</dd></div>
                <div><dt>{t.perms_removed}</dt><dd>{move || list(before.difference(after()))}</dd></div>
            </dl>
            <div class="button-row">
                <button type="button" class="btn" on:click=move |_| open.set(false)>{t.cancel}</button>
                <button type="button" class="btn btn-primary" on:click=save>{t.save}</button>
            </div>
        </Dialog>
    }
}

/// **Remove** a user, confirmed first.
#[component]
pub fn RemoveUserDialog(
    account_id: i64,
    user: AccountUserRow,
    open: RwSignal<bool>,
    on_done: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let uid = user.user_id;
    let name = user.name.clone();
    let confirm = move |_| {
        let name = name.clone();
        leptos::task::spawn_local(async move {
            match api::users::remove(account_id, uid).await {
                Ok(()) => {
                    toasts.show((t.user_removed)(&name));
                    open.set(false);
                    on_done.run(());
                }
                Err(e) => toasts.error(e.message),
            }
        });
    };
    view! {
        <Dialog open=open title=format!("{} · {}", t.remove, user.name) on_close=Callback::new(move |_| open.set(false))>
            <p>{(t.remove_user_confirm)(&user.name)}</p>
            <div class="button-row">
                <button type="button" class="btn" on:click=move |_| open.set(false)>{t.cancel}</button>
                <button type="button" class="btn btn-danger" on:click=confirm.clone()>{t.remove}</button>
            </div>
        </Dialog>
    }
}
