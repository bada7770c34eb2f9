//! Users & Teams procedures: the Create user wizard (R11, with the Partner
//! Admin template only where it is allowed), Assign seat, Edit permissions
//! with a diff, Remove, and the client-side Change to Partner Admin (R9).

use crate::api;
use crate::format::{permission_label, permission_list};
use crate::state::session::use_session;
use crate::state::toasts::use_toasts;
use crate::state::write::{failure, write};
use crate::widgets::{
    refused_for, ComparisonTable, Dialog, EndDateField, FieldError, FieldMessage, FormActions, GrantPreview,
    MultiSelect, SelectOption, SetSelect, WizardSteps,
};
use domain::api::{AccountUserRow, CreateUserRequest, EditPermissionsRequest, TemplateEligibility, UserCandidate};
use domain::grant::{grant, Granter, Requested};
use domain::{Email, Permission, PermissionChange, Perms, Seat, SetKey, StandardSet};
use leptos::prelude::*;

/// What the signed-in user holds in the account: `A` of the grant rule.
fn my_permissions(account_id: i64) -> Perms {
    use_session().membership(account_id).map(|m| m.permissions).unwrap_or_default()
}

/// A toast that tells what the grant left out, when it left anything out.
fn left_out_note(change: PermissionChange) -> Option<String> {
    let t = crate::i18n::t();
    (!change.not_granted.is_empty()).then(|| t.left_out(permission_list(change.not_granted)))
}

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
/// Step 1 asks the server whether the person is already a user here (said
/// at the email field); step 2 says they are not, and asks for a name. The
/// API tells whether the person has a user at all only when creating (it
/// hides who exists elsewhere): a refusal for a missing name says they have
/// none yet, and from then on the name is required at its field. Errors are
/// shown at their fields ([`crate::widgets::field`]).
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
    let ends = RwSignal::new(None::<domain::UnixTime>);
    // The server said that the person has no user yet: a name is needed.
    let new_person = RwSignal::new(false);
    // R14: an end date for a partner employee's access (what the server
    // flags as one: a partner seat, or the Partner Admin template).
    let partner_grant = move || {
        candidate.get().is_some_and(|c| c.template != TemplateEligibility::NotEligible)
            && (seat.get() == Seat::Partner || (restrict.get() && template.get() == StandardSet::PartnerAdmin.key()))
    };
    // The address step 1 found to be a user here already.
    let member_here = RwSignal::new(None::<Email>);
    let email_error = FieldError::new("new-user-email", move || match Email::parse(&email.get_untracked()) {
        Err(why) => Some(t.email_error(&why).to_string()),
        Ok(e) if member_here.with_untracked(|m| m.as_ref() == Some(&e)) => Some(t.already_user_here(e.as_str())),
        Ok(_) => None,
    });
    let name_error = FieldError::new("new-user-name", move || {
        let missing = new_person.get_untracked() && name.with_untracked(|n| n.trim().is_empty());
        missing.then(|| {
            t.name_needed_new(candidate.with_untracked(|c| c.as_ref().map(|c| c.email.to_string()).unwrap_or_default()))
        })
    });
    let mine = my_permissions(account_id);
    // The chosen template, previewed with the same grant rule the server uses.
    let preview = Signal::derive(move || {
        let requested = match StandardSet::parse(&template.get()).filter(|_| restrict.get()) {
            Some(set) => Requested::standard(set),
            None => Requested::nothing(),
        };
        // R18: for a partner employee, the account's ceiling for their partner.
        let within = candidate.with(|c| c.as_ref().and_then(|c| c.ceiling)).filter(|_| partner_grant());
        grant(Granter::holding(mine).within(within.unwrap_or(Perms::all())), Perms::EMPTY, &requested).change()
    });
    let lookup = write(
        move |(email, seat): (Email, Seat)| async move { api::users::candidate(account_id, email.as_str(), seat).await },
        move |c: UserCandidate| {
            if c.already_member {
                member_here.set(Some(c.email));
                email_error.check();
                email_error.focus();
                return;
            }
            if c.template != TemplateEligibility::Available
                && template.get_untracked() == StandardSet::PartnerAdmin.key()
            {
                template.set(String::new());
            }
            if candidate.with_untracked(|old| old.as_ref().map(|o| &o.email) != Some(&c.email)) {
                new_person.set(false);
                name_error.clear();
            }
            candidate.set(Some(c));
            step.set(1);
        },
    );
    let check = move || {
        if let Ok(parsed) = Email::parse(&email.get_untracked()) {
            lookup.dispatch((parsed, seat.get_untracked()));
        }
    };
    let create = write(
        move |req: CreateUserRequest| async move { api::users::create(account_id, &req).await },
        move |created: domain::api::CreatedUser| {
            toasts.show(t.user_created);
            if let Some(note) = left_out_note(created.change) {
                toasts.show(note);
            }
            open.set(false);
            on_done.run(());
        },
    );
    // Refused for a missing name: the person has no user yet, so the name is
    // required from now on, and said so at its field.
    Effect::new(move |_| {
        let Some(refused) = failure(create).filter(|f| refused_for(f, "input_person_name")) else { return };
        create.clear();
        new_person.set(true);
        if name_error.check() {
            // A name was given, and the server's own rule refused it (too long).
            name_error.show(refused.message);
        } else {
            name_error.focus();
        }
    });
    let submit = move || {
        let Some(c) = candidate.get_untracked() else { return };
        let typed = name.get_untracked().trim().to_string();
        create.dispatch(CreateUserRequest {
            email: c.email.clone(),
            name: (!typed.is_empty()).then_some(typed),
            seat: seat.get_untracked(),
            template: SetKey::from_storage(&template.get_untracked()).filter(|_| restrict.get_untracked()),
            ends_at: ends.get_untracked().filter(|_| partner_grant()),
        });
    };
    view! {
        <Dialog open=open title=t.create_user on_close=Callback::new(move |_| open.set(false))>
            <WizardSteps steps=vec![t.step_email, t.step_access] current=step/>
            {move || if step.get() == 0 {
                view! {
                    <div class="field">
                        <label for="new-user-email">{t.email}</label>
                        <input
                            id="new-user-email"
                            class="input"
                            type="email"
                            prop:value=move || email.get()
                            on:input=move |ev| email.set(event_target_value(&ev))
                        />
                        <FieldMessage error=email_error/>
                    </div>
                    <FormActions
                        action=lookup
                        label=t.next
                        on_submit=Callback::new(move |_| check())
                        on_cancel=Callback::new(move |_| open.set(false))
                    />
                }.into_any()
            } else {
                let c = candidate.get().expect("checked before this step");
                let partner_allowed = c.template != TemplateEligibility::NotEligible;
                let unavailable = match c.template {
                    TemplateEligibility::Available => None,
                    TemplateEligibility::NeedsPartnerSeat => Some(t.template_needs_partner_seat),
                    TemplateEligibility::NotEligible => Some(t.template_not_eligible),
                };
                let can_offer_seat = c.template == TemplateEligibility::NeedsPartnerSeat;
                view! {
                    <p class="hint">{t.not_user_here_yet(c.email.as_str())}</p>
                    <div class="field">
                        <label for="new-user-name">{t.name_label}</label>
                        <input
                            id="new-user-name"
                            class="input"
                            autocomplete="off"
                            aria-required=move || new_person.get().then_some("true")
                            prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev))
                        />
                        <FieldMessage error=name_error/>
                        <Show when=move || !new_person.get()>
                            <p class="hint">{t.name_hint}</p>
                        </Show>
                    </div>
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
                        <SetSelect
                            value=template
                            id="new-user-template"
                            label=t.choose_template
                            none=t.no_template
                            sets=StandardSet::ALL
                                .iter()
                                .copied()
                                .filter(|s| *s != StandardSet::PartnerAdmin || c.template == TemplateEligibility::Available)
                                .collect()
                        />
                        {unavailable.map(|why| view! { <p class="notice notice-info">{why}</p> })}
                        {can_offer_seat.then(|| view! {
                            <button type="button" class="btn" on:click=move |_| { seat.set(Seat::Partner); check(); }>{t.assign_partner_seat}</button>
                        })}
                        <Show when=move || !template.get().is_empty()>
                            <GrantPreview change=preview above=t.perms_above_ceiling.to_string()/>
                        </Show>
                        {partner_allowed.then(|| view! { <div class="spaced"><ComparisonTable/></div> })}
                    </Show>
                    <Show when=partner_grant>
                        <EndDateField value=ends id="new-user-ends" write=create/>
                    </Show>
                    {move || failure(lookup).map(|e| view! { <p class="form-error spaced" role="alert">{e.message}</p> })}
                    <FormActions
                        action=create
                        label=t.create_user
                        cancel_label=t.back
                        on_submit=Callback::new(move |_| submit())
                        on_cancel=Callback::new(move |_| step.set(0))
                    />
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
    let assign = write(
        move |s: Seat| async move { api::users::assign_seat(account_id, uid, s).await },
        move |()| {
            toasts.show(t.seat_assigned);
            open.set(false);
            on_done.run(());
        },
    );
    view! {
        <Dialog open=open title=format!("{} · {}", t.assign_seat, user.name) on_close=Callback::new(move |_| open.set(false))>
            <div class="field">
                <label for="assign-seat">{t.col_seat}</label>
                <select id="assign-seat" class="input" on:change=move |ev| seat.set(Seat::parse(&event_target_value(&ev)).unwrap_or(Seat::None))>
                    {seat_options(seat, true)}
                </select>
            </div>
            <FormActions
                action=assign
                label=t.save
                on_submit=Callback::new(move |_| { assign.dispatch(seat.get_untracked()); })
                on_cancel=Callback::new(move |_| open.set(false))
            />
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
    let mine = my_permissions(account_id);
    let keys = |v: Vec<String>| v.iter().filter_map(|k| Permission::parse(k)).collect::<Perms>();
    let requested = move || {
        let set = StandardSet::parse(&set.get()).unwrap_or(StandardSet::ViewOnly);
        Requested::with_overrides(Some((SetKey::Standard(set), set.perms())), keys(extra.get()), keys(less.get()))
    };
    // The same grant rule the server decides with: what the editor does not
    // hold is neither granted nor taken away.
    // R18: the account's ceiling for the user's partner bounds it too.
    let within = user.ceiling.unwrap_or(Perms::all());
    let change = Signal::derive(move || grant(Granter::holding(mine).within(within), before, &requested()).change());
    let above =
        t.above_ceiling_of(use_session().account_name(account_id), user.partner_name.clone().unwrap_or_default());
    let options = Signal::derive(|| {
        Permission::ALL
            .iter()
            .filter(|p| !p.is_super_admin_only() && !p.is_partner_account_only())
            .map(|p| SelectOption::new(p.key(), permission_label(*p)))
            .collect::<Vec<_>>()
    });
    let edit = write(
        move |req: EditPermissionsRequest| async move { api::users::edit_permissions(account_id, uid, &req).await },
        move |change| {
            toasts.show(t.set_changed);
            if let Some(note) = left_out_note(change) {
                toasts.show(note);
            }
            open.set(false);
            on_done.run(());
        },
    );
    view! {
        <Dialog open=open title=t.edit_permissions_for(&user.name) on_close=Callback::new(move |_| open.set(false))>
            <SetSelect value=set id="edit-set"/>
            <div class="toolbar">
                <MultiSelect label=t.add_permissions options=options selected=extra on_change=Callback::new(move |v| extra.set(v)) searchable=true/>
                <MultiSelect label=t.remove_permissions options=options selected=less on_change=Callback::new(move |v| less.set(v)) searchable=true/>
            </div>
            <GrantPreview change=change above=above.clone()/>
            <FormActions
                action=edit
                label=t.save
                on_submit=Callback::new(move |_| {
                    edit.dispatch(EditPermissionsRequest {
                        permission_set: SetKey::from_storage(&set.get_untracked()),
                        added: keys(extra.get_untracked()),
                        removed: keys(less.get_untracked()),
                    });
                })
                on_cancel=Callback::new(move |_| open.set(false))
            />
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
    let remove = write(
        move |()| async move { api::users::remove(account_id, uid).await },
        move |()| {
            toasts.show(t.user_removed(&name));
            open.set(false);
            on_done.run(());
        },
    );
    view! {
        <Dialog open=open title=format!("{} · {}", t.remove, user.name) on_close=Callback::new(move |_| open.set(false))>
            <p>{t.remove_user_confirm(&user.name)}</p>
            <FormActions
                action=remove
                label=t.remove
                danger=true
                on_submit=Callback::new(move |_| { remove.dispatch(()); })
                on_cancel=Callback::new(move |_| open.set(false))
            />
        </Dialog>
    }
}
