//! `/accounts/:id/assets`: a customer account's assets with search and an
//! owner filter; **New asset**, and **Rename or reassign** per asset, for
//! members who may edit that kind (the server decides and explains).

use crate::api;
use crate::state::list_query::use_account_id;
use crate::state::read::read;
use crate::state::toasts::use_toasts;
use crate::state::write::write;
use crate::widgets::data_table::RowActions;
use crate::widgets::FormActions;
use crate::widgets::{Column, DataTable, Dialog, MenuAction, PagedList, SearchBox, Shell};
use domain::api::{AccountUserRow, AssetRow, CreateAssetRequest, UpdateAssetRequest};
use domain::AssetKind;
use leptos::prelude::*;
use std::sync::Arc;

fn kind_label(k: AssetKind) -> &'static str {
    let t = crate::i18n::t();
    AssetKind::ALL.iter().position(|x| *x == k).map(|i| t.asset_kinds[i]).unwrap_or("")
}

/// The Assets page.
#[component]
pub fn AssetsPage() -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let account_id = use_account_id();
    let q = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    // The account's people, for the owner choices (none when they may not be listed).
    let people = read(move || {
        let id = account_id.get();
        async move {
            let params = api::cam::ListParams::default();
            let rows = match id {
                Some(id) => api::users::list(id, &params).await.map(|p| p.rows).unwrap_or_default(),
                None => Vec::<AccountUserRow>::new(),
            };
            Ok(rows)
        }
    });
    let data = read(move || {
        let (id, q, owner, page) = (account_id.get(), q.get(), owner.get(), page.get());
        async move {
            match id {
                Some(id) => api::assets::list(id, &q, &owner, &page.to_string()).await,
                None => Err(api::ApiError { status: 404, code: "not_found".into(), message: String::new() }),
            }
        }
    });
    // The dialog: None closed; Some(None) new asset; Some(Some(row)) edit.
    let editing = RwSignal::new(None::<Option<AssetRow>>);
    let open = RwSignal::new(false);
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(AssetKind::Contact.key().to_string());
    let new_owner = RwSignal::new(String::new());
    // Creates (no row) or changes (a row) an asset.
    let save = write(
        move |(id, row, req): (i64, Option<AssetRow>, CreateAssetRequest)| async move {
            match row {
                Some(row) => {
                    let change = UpdateAssetRequest { name: Some(req.name), owner_id: req.owner_id };
                    api::assets::update(id, row.id, &change).await
                }
                None => api::assets::create(id, &req).await.map(|_| ()),
            }
        },
        move |()| {
            toasts.show(t.asset_saved);
            open.set(false);
            data.refetch();
        },
    );
    let submit = move || {
        let Some(id) = account_id.get_untracked() else { return };
        let owner_id = new_owner.get_untracked().parse::<i64>().ok();
        let kind = AssetKind::parse(&kind.get_untracked()).unwrap_or(AssetKind::Contact);
        let req = CreateAssetRequest { kind, name: name.get_untracked(), owner_id };
        save.dispatch((id, editing.get_untracked().flatten(), req));
    };
    let start = move |row: Option<AssetRow>| {
        name.set(row.as_ref().map(|r| r.name.clone()).unwrap_or_default());
        new_owner.set(row.as_ref().and_then(|r| r.owner_id).map(|o| o.to_string()).unwrap_or_default());
        editing.set(Some(row));
        save.clear();
        open.set(true);
    };
    let owner_options = move || {
        people
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|p| view! { <option value=p.user_id.to_string()>{p.name}</option> })
            .collect_view()
    };
    view! {
        <Shell>
            <section class="page">
                <header class="page-header">
                    <div><h1>{t.assets}</h1></div>
                    <button type="button" class="btn btn-primary" on:click=move |_| start(None)>{t.new_asset}</button>
                </header>
                <div class="toolbar filters">
                    <SearchBox label=t.search_assets value="" on_search=Callback::new(move |v: String| { q.set(v); page.set(1); })/>
                    <div class="field">
                        <label for="asset-owner">{t.owner}</label>
                        <select id="asset-owner" class="input" on:change=move |ev| { owner.set(event_target_value(&ev)); page.set(1); }>
                            <option value="">{t.any_owner}</option>
                            {owner_options}
                        </select>
                    </div>
                </div>
                <Dialog
                    open=open
                    title=Signal::derive(move || if editing.get().flatten().is_some() { t.edit_asset.to_string() } else { t.new_asset.to_string() })
                    on_close=Callback::new(move |_| open.set(false))
                >
                    <Show when=move || editing.get().flatten().is_none()>
                        <div class="field">
                            <label for="asset-kind">{t.kind}</label>
                            <select id="asset-kind" class="input" on:change=move |ev| kind.set(event_target_value(&ev))>
                                {AssetKind::ALL.iter().map(|k| view! { <option value=k.key()>{kind_label(*k)}</option> }).collect_view()}
                            </select>
                        </div>
                    </Show>
                    <div class="field">
                        <label for="asset-name">{t.name_label}</label>
                        <input id="asset-name" class="input" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for="asset-new-owner">{t.owner}</label>
                        <select id="asset-new-owner" class="input" prop:value=move || new_owner.get() on:change=move |ev| new_owner.set(event_target_value(&ev))>
                            <option value="">{t.no_owner}</option>
                            {owner_options}
                        </select>
                    </div>
                    <FormActions
                        action=save
                        label=t.save
                        on_submit=Callback::new(move |_| submit())
                        on_cancel=Callback::new(move |_| open.set(false))
                    />
                </Dialog>
                <PagedList data=data on_page={Callback::new(move |n| page.set(n))} rows={move |rows: Vec<AssetRow>| {
                                let columns = vec![
                                    Column::new(t.col_name, |a: &AssetRow| view! { <span class="cell-title">{a.name.clone()}</span> }.into_any()),
                                    Column::new(t.kind, |a: &AssetRow| view! { <span>{kind_label(a.kind)}</span> }.into_any()),
                                    Column::new(t.owner, move |a: &AssetRow| view! { <span>{a.owner_name.clone().unwrap_or_else(|| t.no_owner.to_string())}</span> }.into_any()),
                                    Column::new(t.col_last_activity, |a: &AssetRow| view! { <span>{crate::format::date(a.updated_at)}</span> }.into_any()),
                                ];
                                let actions: RowActions<AssetRow> = Arc::new(move |a: &AssetRow| {
                                    let row = a.clone();
                                    vec![MenuAction::button(t.edit_asset, Callback::new(move |_| start(Some(row.clone()))))]
                                });
                                view! {
                                    <DataTable label=t.assets columns=columns rows=rows row_name=|a: &AssetRow| a.name.clone() actions=actions empty=t.no_assets_found/>
                                }
                }}/>
            </section>
        </Shell>
    }
}
