//! The R13 history of an account: Settings > History in a customer account,
//! the **History** tab of Client Access Manager in a partner account. Filters
//! live in the URL; **Export CSV** downloads the same rows.

use crate::api;
use crate::api::history::HistoryParams;
use crate::state::list_query::use_set_query;
use crate::state::read::read;
use crate::widgets::{Column, DataTable, PagedList};
use domain::api::HistoryRow;
use domain::history::HistoryAction;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The history view of `account_id`; `partner` adds the account column.
#[component]
pub fn HistoryView(account_id: i64, partner: bool) -> impl IntoView {
    let t = crate::i18n::t();
    let query = use_query_map();
    let set_query = use_set_query();
    let params = Memo::new(move |_| {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        HistoryParams {
            actor: get("actor"),
            target: get("target"),
            action: get("action"),
            from: get("from"),
            to: get("to"),
            page: get("page"),
        }
    });
    let data = read(move || {
        let p = params.get();
        async move { api::history::list(account_id, &p).await }
    });
    let set = move |p: HistoryParams| set_query(&p.pairs(), true);
    let field = move |name: &'static str, value: String| {
        let mut p = params.get_untracked();
        match name {
            "actor" => p.actor = value,
            "target" => p.target = value,
            "action" => p.action = value,
            "from" => p.from = value,
            _ => p.to = value,
        }
        p.page = String::new();
        p
    };
    let set_field = {
        let set = set.clone();
        move |name: &'static str, value: String| set(field(name, value))
    };
    let on_page = {
        let set = set.clone();
        Callback::new(move |page: u32| set(HistoryParams { page: page.to_string(), ..params.get_untracked() }))
    };
    let initial = params.get_untracked();
    let f1 = set_field.clone();
    let f2 = set_field.clone();
    let f3 = set_field.clone();
    let f4 = set_field.clone();
    let f5 = set_field;
    view! {
        <div class="toolbar filters">
            <div class="field">
                <label for="history-action">{t.col_action}</label>
                <select id="history-action" class="input" on:change=move |ev| f1("action", event_target_value(&ev))>
                    <option value="">{t.all_actions}</option>
                    {HistoryAction::ALL
                        .iter()
                        .map(|a| view! { <option value=a.key() selected=initial.action == a.key()>{t.action(*a)}</option> })
                        .collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="history-actor">{t.filter_actor}</label>
                <input id="history-actor" class="input" type="search" value=initial.actor.clone() on:change=move |ev| f2("actor", event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="history-target">{t.filter_target}</label>
                <input id="history-target" class="input" type="search" value=initial.target.clone() on:change=move |ev| f3("target", event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="history-from">{t.date_from}</label>
                <input id="history-from" class="input" type="date" value=initial.from.clone() on:change=move |ev| f4("from", event_target_value(&ev))/>
            </div>
            <div class="field">
                <label for="history-to">{t.date_to}</label>
                <input id="history-to" class="input" type="date" value=initial.to.clone() on:change=move |ev| f5("to", event_target_value(&ev))/>
            </div>
            <a class="btn export" href=move || api::history::csv_url(account_id, &params.get()) download="">{t.export_csv}</a>
        </div>
        <PagedList data=data on_page={on_page} rows={move |rows: Vec<HistoryRow>| {
                        let mut columns = vec![
                            Column::new(t.col_when, |r: &HistoryRow| view! { <span class="nowrap">{crate::format::date_time(r.at)}</span> }.into_any()),
                            Column::new(t.col_actor, |r: &HistoryRow| view! { <span>{r.actor.clone().unwrap_or_default()}</span> }.into_any()),
                        ];
                        if partner {
                            columns.push(Column::new(t.col_account, |r: &HistoryRow| view! { <span>{r.account.clone()}</span> }.into_any()));
                        }
                        columns.extend([
                            Column::new(t.col_target, |r: &HistoryRow| view! { <span>{r.target.clone().unwrap_or_default()}</span> }.into_any()),
                            Column::new(t.col_action, move |r: &HistoryRow| {
                                view! { <span class="cell-title">{t.action(r.action)}</span><div class="cell-sub">{crate::format::history_detail(t, &r.detail)}</div> }.into_any()
                            }),
                            Column::new(t.col_change, move |r: &HistoryRow| {
                                let (before, after) = (r.before.unwrap_or_default(), r.after.unwrap_or_default());
                                let text = (r.before.is_some() || r.after.is_some())
                                    .then(|| t.perms_change(after.difference(before).len(), before.difference(after).len()));
                                view! { <span>{text}</span> }.into_any()
                            }),
                        ]);
                        view! {
                            <DataTable label=t.history columns=columns rows=rows row_name=|r: &HistoryRow| r.id.to_string() empty=t.no_history/>
                        }
        }}/>
    }
}

/// `/accounts/:id/settings/history`: a customer account's history.
#[component]
pub fn HistoryPage() -> impl IntoView {
    let t = crate::i18n::t();
    let account_id = crate::state::list_query::use_account_id();
    view! {
        <crate::widgets::Shell>
            <section class="page">
                <header class="page-header">
                    <div>
                        <p class="eyebrow">{t.nav_settings}</p>
                        <h1>{t.history}</h1>
                    </div>
                </header>
                {move || account_id.get().map(|id| view! { <HistoryView account_id=id partner=false/> })}
            </section>
        </crate::widgets::Shell>
    }
}
