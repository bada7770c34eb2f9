//! R18 on Settings > Partner access: a partner's **ceiling** (a standard
//! set, or permissions chosen from the catalogue) with the server's preview
//! of who loses what before it is confirmed, and the **relationship end**
//! (the end-date dialog of R14, for the whole partner).

use crate::api;
use crate::format::{self, permission_label, permission_list};
use crate::state::read::read;
use crate::state::toasts::use_toasts;
use crate::state::write::write;
use crate::widgets::{
    inline_error, Dialog, EndDateDialog, EndOf, FormActions, Loaded, MultiSelect, SelectOption, SetSelect,
};
use domain::api::{CeilingPreview, CeilingRequest, PartnerPeople};
use domain::{Permission, Perms, SetKey, StandardSet};
use leptos::prelude::*;

/// The partner's ceiling and relationship end, and the buttons that change
/// them (`refused`: why the signed-in user may not, in words).
#[component]
pub fn PartnerTerms(
    account_id: i64,
    partner: PartnerPeople,
    refused: Option<String>,
    on_done: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let (ceiling_open, end_open) = (RwSignal::new(false), RwSignal::new(false));
    let name = partner.partner_name.clone();
    let may = refused.is_none();
    let title = refused.unwrap_or_default();
    let end = partner.relationship_end;
    let end_title = t.relationship_end_for(&name);
    view! {
        <dl class="facts">
            <div><dt>{t.ceiling}</dt><dd>{format::ceiling(t, partner.ceiling.as_ref())}</dd></div>
            <div><dt>{t.relationship_ends}</dt><dd>{format::relationship_end(t, end)}</dd></div>
        </dl>
        <div class="button-row">
            <button type="button" class="btn" disabled=!may title=title.clone() on:click=move |_| ceiling_open.set(true)>
                {t.set_ceiling}
            </button>
            <button type="button" class="btn" disabled=!may title=title on:click=move |_| end_open.set(true)>
                {t.change_relationship_end}
            </button>
        </div>
        <CeilingDialog account_id=account_id partner=partner.clone() open=ceiling_open on_done=on_done/>
        <EndDateDialog
            title=end_title
            of=EndOf::Relationship { account_id, partner_id: partner.partner_id }
            current=end
            open=end_open
            on_done=on_done
        />
    }
}

/// The **Set ceiling** dialog: a set or a list of permissions, what it
/// would take from whom (the server's preview, decided as the real step),
/// then *Set ceiling*; *Remove ceiling* when one applies.
#[component]
fn CeilingDialog(
    account_id: i64,
    partner: PartnerPeople,
    open: RwSignal<bool>,
    on_done: Callback<()>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let pid = partner.partner_id;
    let current = partner.ceiling.clone();
    let set = RwSignal::new(match &current {
        Some(c) => c.set.map(SetKey::to_storage).unwrap_or_default(),
        None => StandardSet::Sales.key().to_string(),
    });
    let chosen = RwSignal::new(
        current
            .as_ref()
            .filter(|c| c.set.is_none())
            .map(|c| c.permissions.iter().map(|p| p.key().to_string()).collect::<Vec<_>>())
            .unwrap_or_default(),
    );
    let request = move || {
        let set = set.get();
        if set.is_empty() {
            let perms: Perms = chosen.get().iter().filter_map(|k| Permission::parse(k)).collect();
            CeilingRequest { permission_set: None, permissions: Some(perms) }
        } else {
            CeilingRequest { permission_set: SetKey::from_storage(&set), permissions: None }
        }
    };
    let preview = read(move || {
        let req = request();
        let go = open.get();
        async move {
            if !go {
                return Ok(CeilingPreview { step: None, people: vec![] });
            }
            api::users::preview_ceiling(account_id, pid, &req).await
        }
    });
    let options = Signal::derive(|| {
        Permission::ALL
            .iter()
            .filter(|p| !p.is_super_admin_only() && !p.is_partner_account_only())
            .map(|p| SelectOption::new(p.key(), permission_label(*p)))
            .collect::<Vec<_>>()
    });
    let save = write(
        move |req: Option<CeilingRequest>| async move { api::users::set_ceiling(account_id, pid, req).await },
        move |_| {
            toasts.show(t.ceiling_saved);
            open.set(false);
            on_done.run(());
        },
    );
    view! {
        <Dialog open=open title=t.ceiling_for(&partner.partner_name) on_close=Callback::new(move |_| open.set(false))>
            <p>{t.ceiling_intro}</p>
            <SetSelect value=set id="ceiling-set" label=t.ceiling none=t.chosen_permissions/>
            <Show when=move || set.with(String::is_empty)>
                <MultiSelect label=t.chosen_permissions options=options selected=chosen on_change=Callback::new(move |v| chosen.set(v)) searchable=true/>
            </Show>
            <section aria-live="polite">
                <Loaded data=preview error=inline_error content={move |p: CeilingPreview| {
                    if p.people.is_empty() {
                        return view! { <p class="hint">{t.nobody_loses}</p> }.into_any();
                    }
                    view! {
                        <ul class="preview-list">
                            {p.people.into_iter().map(|l| view! { <li>{t.loses(&l.name, permission_list(l.loses))}</li> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}/>
            </section>
            {current.is_some().then(|| view! {
                <button type="button" class="btn btn-danger-quiet" disabled=move || save.pending().get()
                    on:click=move |_| save.dispatch(None)>
                    {t.remove_ceiling}
                </button>
            })}
            <FormActions
                action=save
                label=t.set_ceiling
                disabled=Signal::derive(move || !matches!(preview.get(), Some(Ok(_))))
                on_submit=Callback::new(move |_| save.dispatch(Some(request())))
                on_cancel=Callback::new(move |_| open.set(false))
            />
        </Dialog>
    }
}
