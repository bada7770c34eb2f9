//! `/access/:token`: a client opens a partner employee's access link, sees
//! who is asking and what Partner Admin means, approves, picks one of their
//! accounts and grants access.

use crate::api;
use crate::format::permission_list;
use crate::state::read::read;
use crate::state::session::use_session;
use crate::state::write::{failure, write};
use crate::widgets::{ComparisonTable, EndDateField, LanguageSelect, Loading, NarrowPermissions, SignInForm};
use domain::api::{ApprovalAccount, ApproveRequest, ApproveResult, PublicLinkInfo};
use domain::{Perms, StandardSet};
use leptos::prelude::*;

/// The token of an `/access/<token>` address.
fn token_from_path(path: &str) -> String {
    path.strip_prefix("/access/").unwrap_or_default().trim_end_matches('/').to_string()
}

/// Where the person is in the decision.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Review,
    Choose,
    Decline,
    Declined,
    Done(ApproveResult),
}

/// The access-link page.
#[component]
pub fn AccessPage() -> impl IntoView {
    let t = crate::i18n::t();
    // Read from the address itself, not the router: the access-link entry
    // point (`access_app`) has no router.
    let token = token_from_path(&window().location().pathname().unwrap_or_default());
    let lookup_token = token.clone();
    let info = read(move || {
        let token = lookup_token.clone();
        async move { api::access_links::lookup(&token).await }
    });
    let token = StoredValue::new(token);
    view! {
        <main class="auth-page">
            <div class="auth-corner"><LanguageSelect/></div>
            <div class="auth-card wide">
                <div class="brand brand-large">
                    <span class="brand-mark" aria-hidden="true"></span>
                    {t.app_name}
                </div>
                {move || match info.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(e)) if e.status == 429 => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                    Some(Err(_)) => view! {
                        <section role="alert">
                            <h1>{t.access_invalid_title}</h1>
                            <p class="hint">{t.access_invalid_text}</p>
                        </section>
                    }.into_any(),
                    Some(Ok(i)) => view! { <Request info=i token=token.get_value()/> }.into_any(),
                }}
            </div>
        </main>
    }
}

/// "Signed in as Uma · Not you?": who decides, on every step; Not you signs
/// out and shows the sign-in form on the same page.
#[component]
fn SignedInAs() -> impl IntoView {
    let t = crate::i18n::t();
    let session = use_session();
    let sign_out = write(
        move |()| async move {
            let _ = api::session::sign_out().await;
            Ok(())
        },
        move |()| session.clear(),
    );
    view! {
        <p class="signed-in-as">
            {move || t.signed_in_as(session.info().map(|i| i.user.name).unwrap_or_default())}
            " · "
            <button type="button" class="btn-link" on:click=move |_| { sign_out.dispatch(()); }>{t.not_you}</button>
        </p>
    }
}

#[component]
fn Request(info: PublicLinkInfo, token: String) -> impl IntoView {
    let t = crate::i18n::t();
    let session = use_session();
    let step = RwSignal::new(Step::Review);
    let title = t.access_request_title(&info.employee_name, &info.partner_name);
    let employee = StoredValue::new(info.employee_name.clone());
    let token = StoredValue::new(token);
    let heading = move || match step.get() {
        Step::Done(_) => t.granted_title.to_string(),
        Step::Declined => t.declined_title.to_string(),
        _ => title.clone(),
    };
    view! {
        <h1>{heading}</h1>
        <p class="hint">{info.employee_email.clone()}</p>
        {move || {
            if !session.loaded() {
                return view! { <Loading/> }.into_any();
            }
            if !session.signed_in() {
                return view! {
                    <p>{t.access_request_text}</p>
                    <ComparisonTable/>
                    <h2>{t.sign_in_to_respond}</h2>
                    <SignInForm/>
                }
                .into_any();
            }
            let body = match step.get() {
                Step::Review => view! {
                    <p>{t.access_request_text}</p>
                    <ComparisonTable/>
                    <div class="button-row left decision">
                        <button type="button" class="btn btn-primary" on:click=move |_| step.set(Step::Choose)>{t.approve}</button>
                        <button type="button" class="btn" on:click=move |_| step.set(Step::Decline)>{t.decline}</button>
                    </div>
                }
                .into_any(),
                Step::Choose => view! { <ChooseAccount token=token.get_value() employee=employee.get_value() step=step/> }.into_any(),
                Step::Decline => view! { <Decline token=token.get_value() employee=employee.get_value() step=step/> }.into_any(),
                Step::Declined => view! {
                    <section role="status" class="notice notice-success">
                        <p>{t.declined_text(employee.get_value())}</p>
                    </section>
                }
                .into_any(),
                Step::Done(r) => {
                    let partners = format!("/accounts/{}/settings/partner-access", r.account_id);
                    view! {
                        <section role="status" class="notice notice-success">
                            <p>{t.granted_text(&r.employee_name, &r.account_name)}</p>
                            {(!r.change.not_granted.is_empty()).then(|| view! {
                                <p>{t.left_out(permission_list(r.change.not_granted))}</p>
                            })}
                            {r.ends_at.map(|at| view! { <p>{t.access_ends_on(crate::format::date(at))}</p> })}
                            <p>{t.granted_next(&r.employee_name)}</p>
                        </section>
                        <div class="button-row left">
                            <a class="btn btn-primary" href=partners>{t.open_partner_access}</a>
                        </div>
                    }
                    .into_any()
                }
            };
            view! { <SignedInAs/>{body} }.into_any()
        }}
    }
}

/// Declining: an optional reason, one sentence on what happens, and the
/// employee is told (the server records it in history).
#[component]
fn Decline(token: String, employee: String, step: RwSignal<Step>) -> impl IntoView {
    let t = crate::i18n::t();
    let reason = RwSignal::new(String::new());
    let token = StoredValue::new(token);
    let decline = write(
        move |reason: Option<String>| async move { api::access_links::decline(&token.get_value(), reason).await },
        move |()| step.set(Step::Declined),
    );
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let r = reason.get_untracked().trim().to_string();
        decline.dispatch((!r.is_empty()).then_some(r));
    };
    view! {
        <form class="form" on:submit=submit>
            <div class="field">
                <label for="decline-reason">{t.decline_reason_label}</label>
                <textarea id="decline-reason" class="input" rows="3" maxlength="500"
                    prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            </div>
            <p class="consequence">{t.decline_sentence(&employee)}</p>
            {move || failure(decline).map(|e| view! { <p class="form-error" role="alert">{e.message}</p> })}
            <div class="button-row left">
                <button type="submit" class="btn btn-danger" disabled=move || decline.pending().get()>{t.decline_request}</button>
                <button type="button" class="btn" on:click=move |_| step.set(Step::Review)>{t.back}</button>
            </div>
        </form>
    }
}

#[component]
fn ChooseAccount(token: String, employee: String, step: RwSignal<Step>) -> impl IntoView {
    let t = crate::i18n::t();
    let chosen = RwSignal::new(None::<i64>);
    let convert = RwSignal::new(false);
    // R15: the ticked Partner Admin permissions, and the end date (R14).
    // What the approver does not hold cannot be ticked; it stays asked for,
    // so that the grant rule (R3) reports it as not granted.
    let keep = RwSignal::new(Perms::EMPTY);
    let lacked = RwSignal::new(Perms::EMPTY);
    let ends = RwSignal::new(None::<domain::UnixTime>);
    let set = StandardSet::PartnerAdmin.perms().assignable();
    let token = StoredValue::new(token);
    let accounts = read(move || async move { api::access_links::accounts(&token.get_value()).await });
    let chosen_account = move || {
        let id = chosen.get()?;
        accounts.get()?.ok()?.into_iter().find(|x: &ApprovalAccount| x.account_id == id)
    };
    let approve = write(
        move |req: ApproveRequest| async move { api::access_links::approve(&token.get_value(), &req).await },
        move |r| step.set(Step::Done(r)),
    );
    let grant = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(account_id) = chosen.get_untracked() else { return };
        approve.dispatch(ApproveRequest {
            account_id,
            convert_existing: convert.get_untracked(),
            keep: Some(keep.get_untracked().union(lacked.get_untracked())),
            ends_at: ends.get_untracked(),
        });
    };
    let employee = StoredValue::new(employee);
    view! {
        <h2 class="section-title">{t.choose_account_title}</h2>
        {move || match accounts.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <p class="notice" role="alert">{t.no_eligible_accounts}</p> }.into_any(),
            Some(Ok(list)) => view! {
                <form class="form" on:submit=grant>
                    <fieldset class="choices">
                        <legend>{t.account}</legend>
                        {list
                            .into_iter()
                            .map(|a| {
                                let id = a.account_id;
                                let you_hold = a.you_hold;
                                let note = if a.already_partner_admin {
                                    Some(t.already_partner_admin)
                                } else if a.already_member {
                                    Some(t.already_user)
                                } else {
                                    None
                                };
                                view! {
                                    <label class="choice" class:disabled=a.already_partner_admin>
                                        <input
                                            type="radio"
                                            name="account"
                                            disabled=a.already_partner_admin
                                            prop:checked=move || chosen.get() == Some(id)
                                            on:change=move |_| {
                                                chosen.set(Some(id));
                                                convert.set(false);
                                                keep.set(set.intersection(you_hold));
                                                lacked.set(set.difference(you_hold));
                                            }
                                        />
                                        <span>{a.name.clone()}</span>
                                        {note.map(|n| view! { <span class="option-reason">{n}</span> })}
                                    </label>
                                }
                            })
                            .collect_view()}
                    </fieldset>
                    {move || chosen_account().filter(|a| a.already_member && !a.already_partner_admin).map(|_| {
                        view! {
                            <p class="hint">{t.convert_hint}</p>
                            <label class="check-option">
                                <input type="checkbox" prop:checked=move || convert.get() on:change=move |ev| convert.set(event_target_checked(&ev))/>
                                <span>{t.convert_existing(employee.get_value())}</span>
                            </label>
                        }
                    })}
                    {move || chosen_account().filter(|a| !a.already_partner_admin).map(|a| {
                        // What Grant access gives: the Partner Admin set, bounded
                        // by what the approver holds there (the same grant rule
                        // the server decides with). A conversion is a super
                        // admin's, who holds everything.
                        let (you_hold, ceiling) = (a.you_hold, a.ceiling.unwrap_or(Perms::all()));
                        let change = Signal::derive(move || {
                            let leave_out = set.difference(keep.get().union(set.difference(you_hold)));
                            domain::authority::approval_grant(you_hold, ceiling, Perms::EMPTY, leave_out).change()
                        });
                        let account = a.name.clone();
                        // One sentence says what Grant access does; the grouped
                        // permissions stay folded until the approver opens them.
                        let sentence = move || {
                            let given = change.get().added.len();
                            let who = employee.get_value();
                            match ends.get() {
                                Some(at) => t.grant_sentence(&who, given, set.len(), &account, crate::format::date(at)),
                                None => t.grant_sentence_no_end(&who, given, set.len(), &account),
                            }
                        };
                        view! {
                            <details class="narrow-details">
                                <summary>{move || t.permissions_chosen(keep.get().len(), set.len())}</summary>
                                <NarrowPermissions offered=set you_hold=you_hold keep=keep
                                    legend=t.permissions_to_grant hint=t.narrow_hint/>
                            </details>
                            <EndDateField value=ends id="approve-ends"/>
                            // Left out: what the approver does not hold (R3), and what
                            // the account's ceiling for the partner does not allow (R18).
                            {move || {
                                let c = change.get();
                                let mut why = vec![];
                                if !c.not_granted.is_empty() {
                                    why.push(t.left_out(permission_list(c.not_granted)));
                                }
                                if !c.above_ceiling.is_empty() {
                                    why.push(format!("{}: {}", t.perms_above_ceiling, permission_list(c.above_ceiling)));
                                }
                                (!why.is_empty()).then(|| view! { <p class="hint">{why.join(" · ")}</p> })
                            }}
                            <p class="consequence" aria-live="polite">{sentence}</p>
                        }
                    })}
                    {move || failure(approve).map(|e| view! { <p class="form-error" role="alert">{e.message}</p> })}
                    <div class="button-row left">
                        <button type="submit" class="btn btn-primary" disabled=move || approve.pending().get() || chosen.get().is_none() || keep.get().is_empty()>
                            {move || if approve.pending().get() { t.granting } else { t.grant_access }}
                        </button>
                    </div>
                </form>
            }
            .into_any(),
        }}
    }
}
