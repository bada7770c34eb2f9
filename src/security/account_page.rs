//! `/security/accounts/:id`: who must have a second factor to
//! enter the account (§9 A17, its super admins) and who among its members
//! has one, with a reset where §9 A18 allows it (the server says which).

use super::error_text;
use crate::api;
use crate::i18n::security::st;
use crate::state::list_query::use_account_id;
use crate::state::read::read;
use crate::state::session::use_session;
use crate::state::toasts::use_toasts;
use crate::state::write::{failure, write};
use crate::widgets::{Dialog, Loaded, Shell};
use domain::api::{MemberFactor, SecondFactorSetting};
use domain::second_factor::Requirement;
use domain::AccountKind;
use leptos::prelude::*;

/// An account's second-factor settings.
#[component]
pub fn AccountSecurityPage() -> impl IntoView {
    let t = crate::i18n::t();
    let st = st();
    let account_id = use_account_id();
    view! {
        <Shell>
            <section class="page">
                <header class="page-header">
                    <div>
                        <p class="eyebrow">{t.nav_settings}</p>
                        <h1>{st.account_security}</h1>
                    </div>
                </header>
                {move || account_id.get().map(|id| view! { <Requirements account_id=id/><Members account_id=id/> })}
            </section>
        </Shell>
    }
}

/// A read refused to someone who is not the account's super admin, in
/// these pages' words.
fn refused(e: crate::api::ApiError) -> AnyView {
    let text = if e.status == 403 { st().super_admins_only.to_string() } else { e.message };
    view! { <div class="notice notice-error" role="alert"><p>{text}</p></div> }.into_any()
}

#[component]
fn Requirements(account_id: i64) -> impl IntoView {
    let t = crate::i18n::t();
    let st = st();
    let toasts = use_toasts();
    let session = use_session();
    let kind = session.membership(account_id).map(|m| m.kind).unwrap_or(AccountKind::Customer);
    let setting = read(move || api::security::requirement(account_id));
    let save = write(
        move |required: Requirement| async move {
            api::security::set_requirement(account_id, SecondFactorSetting { required }).await
        },
        move |_| toasts.show(t.saved),
    );
    let label = move |r: Requirement| match (r, kind) {
        (Requirement::Nobody, _) => st.require_nobody,
        (Requirement::Everyone, AccountKind::Partner) => st.require_employees,
        (Requirement::Everyone, AccountKind::Customer) => st.require_everyone,
        (Requirement::PartnerPeople, _) => st.require_partner_people,
    };
    view! { <Loaded data=setting error=refused content={move |s: SecondFactorSetting| {
        let chosen = RwSignal::new(s.required);
        view! {
            <div class="card">
                <fieldset class="choices">
                    <legend>{st.require_title}</legend>
                    {Requirement::choices(kind).iter().map(|r| {
                        let r = *r;
                        view! {
                            <label class="choice">
                                <input type="radio" name="second-factor" prop:checked=move || chosen.get() == r on:change=move |_| chosen.set(r)/>
                                <span>{label(r)}</span>
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
                <p class="hint">{st.require_hint}</p>
                {move || failure(save).map(|e| view! { <p class="form-error spaced" role="alert">{error_text(&e)}</p> })}
                <button type="button" class="btn btn-primary spaced" disabled=move || save.pending().get() on:click=move |_| save.dispatch(chosen.get_untracked())>
                    {t.save}
                </button>
            </div>
        }.into_any()
    }}/> }
}

#[component]
fn Members(account_id: i64) -> impl IntoView {
    let t = crate::i18n::t();
    let st = st();
    let toasts = use_toasts();
    let members = read(move || api::security::members(account_id));
    let resetting = RwSignal::new(None::<(i64, String)>);
    let reset = write(
        move |(user_id, _name): (i64, String)| async move { api::security::reset(account_id, user_id).await },
        move |()| {
            if let Some((_, name)) = resetting.get_untracked() {
                toasts.show(st.reset_done(name));
            }
            resetting.set(None);
            members.refetch();
        },
    );
    view! {
        <h2 class="spaced">{st.members_factors}</h2>
        <Loaded data=members error=|_| ().into_any() content={move |rows: Vec<MemberFactor>| view! {
            <div class="table-wrap">
                <table class="data-table" aria-label=st.members_factors>
                    <thead><tr>
                        <th scope="col">{t.col_name}</th>
                        <th scope="col">{t.col_partner}</th>
                        <th scope="col">{st.col_second_factor}</th>
                        <th scope="col"><span class="visually-hidden">{t.actions}</span></th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|m| {
                            let name = m.name.clone();
                            view! {
                                <tr>
                                    <td><span class="cell-title">{m.name.clone()}</span><div class="cell-sub">{m.email.clone()}</div></td>
                                    <td>{m.partner.clone().unwrap_or_default()}</td>
                                    <td>{if m.second_factor { st.has_factor } else { st.no_factor }}</td>
                                    <td class="row-end">
                                        {m.may_reset.then(|| view! {
                                            <button type="button" class="btn btn-small" aria-label=format!("{}: {}", st.reset_factors, m.name)
                                                on:click=move |_| { reset.clear(); resetting.set(Some((m.user_id, name.clone()))) }>
                                                {st.reset_factors}
                                            </button>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }.into_any()}/>
        <Dialog
            open=Signal::derive(move || resetting.get().is_some())
            title=Signal::derive(move || resetting.get().map(|(_, n)| st.reset_title(n)).unwrap_or_default())
            on_close=Callback::new(move |()| resetting.set(None))
        >
            <p>{st.reset_text}</p>
            {move || failure(reset).map(|e| view! { <p class="form-error spaced" role="alert">{error_text(&e)}</p> })}
            <div class="button-row">
                <button type="button" class="btn" on:click=move |_| resetting.set(None)>{t.cancel}</button>
                <button type="button" class="btn btn-danger" disabled=move || reset.pending().get()
                    on:click=move |_| if let Some(r) = resetting.get_untracked() { reset.dispatch(r) }>
                    {st.reset_factors}
                </button>
            </div>
        </Dialog>
    }
}
