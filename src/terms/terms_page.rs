//! `/accounts/:id/settings/partner-access/:partner_id`: what the client sets
//! for one partner (R18). The **ceiling** — a standard set, one of the
//! account's own sets, or permissions chosen from the grouped catalogue —
//! with the server's preview of who loses what before it is confirmed
//! (decided as the real step, its refusals included); and the
//! **relationship end** (a day, or none, for the whole partner).

use crate::api;
use crate::format::{self, permission_list};
use crate::state::list_query::{use_account_id, use_id_param};
use crate::state::read::read;
use crate::state::toasts::use_toasts;
use crate::state::write::write;
use crate::widgets::{inline_error, Loaded, NarrowPermissions, Shell};
use domain::api::{CeilingPreview, CeilingRequest, NamedSet, PartnerPeople, PartnerTermsChoices, SetEndDateRequest};
use domain::rules::MAX_END_DAYS;
use domain::{PermissionGroup, Perms, SetKey, StandardSet, UnixTime};
use leptos::prelude::*;

/// The page: the partner's current terms, then the ceiling's form and the
/// relationship end's button.
#[component]
pub fn PartnerTermsPage() -> impl IntoView {
    let t = crate::i18n::t();
    let account_id = use_account_id();
    let partner_id = use_id_param("partner_id");
    let data = read(move || {
        let (id, pid) = (account_id.get(), partner_id.get());
        async move {
            let missing = || api::ApiError { status: 404, code: "not_found".into(), message: String::new() };
            let (Some(id), Some(pid)) = (id, pid) else { return Err(missing()) };
            let access: PartnerTermsChoices = api::users::partner_access(id).await?;
            let sets = access.custom_sets;
            access.partners.into_iter().find(|p| p.partner_id == pid).map(|p| (p, sets)).ok_or_else(missing)
        }
    });
    let on_done = Callback::new(move |_| data.refetch());
    let back = move || format!("/accounts/{}/settings/partner-access", account_id.get().unwrap_or_default());
    view! {
        <Shell>
            <section class="page">
                <nav class="breadcrumbs" aria-label=t.breadcrumb>
                    <a rel="external" href=back>{"← "}{t.partner_access}</a>
                </nav>
                <Loaded data=data content={move |(p, sets): (PartnerPeople, Vec<NamedSet>)| {
                    let account = account_id.get_untracked().unwrap_or_default();
                    view! { <Terms account_id=account partner=p sets=sets on_done=on_done/> }
                }}/>
            </section>
        </Shell>
    }
}

/// One partner's terms, once read.
#[component]
fn Terms(account_id: i64, partner: PartnerPeople, sets: Vec<NamedSet>, on_done: Callback<()>) -> impl IntoView {
    let t = crate::i18n::t();
    let refused = partner.refused.as_ref().map(|r| t.refusal(r));
    let end = partner.relationship_end;
    view! {
        <header class="page-header">
            <div>
                <h1>{t.ceiling_for(&partner.partner_name)}</h1>
                <p class="subtitle">{t.ceiling_intro}</p>
            </div>
        </header>
        {refused.clone().map(|r| view! { <p class="notice notice-warn">{r}</p> })}
        <dl class="facts">
            <div><dt>{t.ceiling}</dt><dd>{format::ceiling(t, partner.ceiling, partner.ceiling_name.as_deref())}</dd></div>
            <div><dt>{t.relationship_ends}</dt><dd>{format::relationship_end(t, end)}</dd></div>
        </dl>
        {refused.is_none().then(|| view! {
            <CeilingForm account_id=account_id partner=partner.clone() sets=sets.clone() on_done=on_done/>
            <EndForm account_id=account_id partner_id=partner.partner_id current=end on_done=on_done/>
        })}
    }
}

/// The relationship's end: a day (at most two years ahead; the server
/// says so when it is not), or none. R18's reminders go out 30, 7 and 1
/// day(s) before, to both sides.
#[component]
fn EndForm(account_id: i64, partner_id: i64, current: Option<UnixTime>, on_done: Callback<()>) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let day = RwSignal::new(current.map(UnixTime::date).unwrap_or_default());
    let save = write(
        move |ends_at: Option<UnixTime>| async move {
            api::users::set_relationship_end(account_id, partner_id, SetEndDateRequest { ends_at }).await
        },
        move |_| {
            toasts.show(t.end_date_saved);
            on_done.run(());
        },
    );
    crate::state::write::toast_failures(save, toasts);
    let (today, latest) =
        (crate::format::now().plus_days(1).date(), crate::format::now().plus_days(MAX_END_DAYS).date());
    view! {
        <section class="card partner-card" aria-labelledby="end-heading">
            <h2 class="section-title" id="end-heading">{t.relationship_ends}</h2>
            <div class="field">
                <label for="relationship-end">{t.end_date_label}</label>
                <input id="relationship-end" class="input" type="date" min=today max=latest prop:value=day
                    on:input=move |ev| day.set(event_target_value(&ev))/>
            </div>
            <div class="button-row">
                <button type="button" class="btn btn-primary"
                    disabled=move || save.pending().get() || UnixTime::parse_date(&day.get()).is_none()
                    on:click=move |_| save.dispatch(UnixTime::parse_date(&day.get_untracked()))>
                    {t.change_relationship_end}
                </button>
                {current.is_some().then(|| view! {
                    <button type="button" class="btn btn-danger-quiet" disabled=move || save.pending().get()
                        on:click=move |_| save.dispatch(None)>
                        {t.no_end_date}
                    </button>
                })}
            </div>
        </section>
    }
}

/// The ceiling: a set or a list of permissions, what it would take from
/// whom, then *Set ceiling*; *Remove ceiling* when one applies.
#[component]
fn CeilingForm(account_id: i64, partner: PartnerPeople, sets: Vec<NamedSet>, on_done: Callback<()>) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let pid = partner.partner_id;
    let current = partner.ceiling;
    let people = partner.people.len();
    let set = RwSignal::new(match (current, partner.ceiling_set) {
        (Some(_), set) => set.map(SetKey::to_storage).unwrap_or_default(),
        (None, _) => StandardSet::Sales.key().to_string(),
    });
    let offered = domain::authority::partner_terms::ceiling_choices();
    let chosen = RwSignal::new(current.filter(|_| partner.ceiling_set.is_none()).unwrap_or_default());
    let request = move || match SetKey::from_storage(&set.get()) {
        None => CeilingRequest { permission_set: None, permissions: Some(chosen.get()) },
        key => CeilingRequest { permission_set: key, permissions: None },
    };
    let preview = read(move || {
        let req = request();
        async move { api::users::preview_ceiling(account_id, pid, &req).await }
    });
    let save = write(
        move |req: Option<CeilingRequest>| async move { api::users::set_ceiling(account_id, pid, req).await },
        move |_| {
            toasts.show(t.ceiling_saved);
            on_done.run(());
        },
    );
    crate::state::write::toast_failures(save, toasts);
    let ready = move || matches!(preview.get(), Some(Ok(_))) && !save.pending().get();
    let option = move |key: String, name: String| {
        let k = key.clone();
        view! { <option value=key selected=move || set.with(|s| *s == k)>{name}</option> }
    };
    view! {
        <section class="card partner-card" aria-labelledby="ceiling-heading">
            <h2 class="section-title" id="ceiling-heading">{t.ceiling}</h2>
            <div class="field">
                <label for="ceiling-set">{t.permission_set}</label>
                <select id="ceiling-set" class="input" on:change=move |ev| {
                    // Chosen permissions start from what was shown: the
                    // standard set just left, or the ceiling in force.
                    let next = event_target_value(&ev);
                    if next.is_empty() && chosen.get_untracked().is_empty() {
                        let from = StandardSet::parse(&set.get_untracked()).map(StandardSet::perms).or(current);
                        chosen.set(from.unwrap_or_default().intersection(offered));
                    }
                    set.set(next);
                }>
                    {option(String::new(), t.chosen_permissions.to_string())}
                    <optgroup label=t.standard_sets>
                        {StandardSet::ALL.iter().map(|s| option(s.key().to_string(), t.standard_set(*s).to_string())).collect_view()}
                    </optgroup>
                    {(!sets.is_empty()).then(|| view! {
                        <optgroup label=t.account_sets>
                            {sets.into_iter().map(|s| option(s.key.to_storage(), s.name)).collect_view()}
                        </optgroup>
                    })}
                </select>
            </div>
            <Show when=move || set.with(String::is_empty)>
                <NarrowPermissions offered=offered you_hold=Perms::all() keep=chosen legend=t.chosen_permissions hint=""/>
            </Show>
            <div aria-live="polite">
                <Loaded data=preview error=inline_error content={move |p: CeilingPreview| {
                    if p.people.is_empty() {
                        return view! { <p class="hint">{t.nobody_loses}</p> }.into_any();
                    }
                    view! {
                        <p>{t.people_outside(p.people.len(), people)}</p>
                        <ul class="preview-list">
                            {p.people.into_iter().map(|l| view! {
                                <li>
                                    <strong>{l.name}</strong>
                                    <dl class="preview">{losses_by_group(l.loses)}</dl>
                                </li>
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}/>
            </div>
            <div class="button-row">
                <button type="button" class="btn btn-primary" disabled=move || !ready()
                    on:click=move |_| save.dispatch(Some(request()))>
                    {t.set_ceiling}
                </button>
                {current.is_some().then(|| view! {
                    <button type="button" class="btn btn-danger-quiet" disabled=move || save.pending().get()
                        on:click=move |_| save.dispatch(None)>
                        {t.remove_ceiling}
                    </button>
                })}
            </div>
        </section>
    }
}

/// What one person loses, by the catalogue's groups.
fn losses_by_group(loses: Perms) -> impl IntoView {
    let t = crate::i18n::t();
    PermissionGroup::ALL
        .iter()
        .filter_map(|g| {
            let perms: Perms = g.permissions().filter(|p| loses.contains(*p)).collect();
            (!perms.is_empty()).then(|| view! { <div><dt>{t.group(*g)}</dt><dd>{permission_list(perms)}</dd></div> })
        })
        .collect_view()
}
