//! Client Access Manager > **Access review** (R17): every partner employee
//! in every client with their idle days, filtered, searched, sorted and
//! paged on the server; rows chosen (or all that match, across pages) are
//! deactivated or removed through a review step and a job.

use super::bulk_rows_dialog::BulkRowsDialog;
use super::review_step::SelectionBar;
use crate::api;
use crate::api::cam::ListParams;
use crate::entry::use_navigate;
use crate::format;
use crate::state::list_query::{use_list_controls, use_list_query, DefaultSort};
use crate::state::read::read;
use crate::state::selection::BulkChoice;
use crate::widgets::cam_frame::{access_cell, CamFrame, CamTab};
use crate::widgets::{ends_cell, Column, DataTable, PagedList, SearchBox};
use domain::api::{JobSummary, ReviewFilter, ReviewRow, RowAction, RowKey, RowSelection};
use leptos::prelude::*;

/// `/accounts/:id/client-access-manager/review`.
#[component]
pub fn CamReviewPage() -> impl IntoView {
    view! { <CamFrame tab=CamTab::Review content=|id| view! { <ReviewTab account_id=id/> }.into_any()/> }
}

/// The Access review tab.
#[component]
pub fn ReviewTab(account_id: i64) -> impl IntoView {
    let t = crate::i18n::t();
    let lq = use_list_query();
    // Idle days sort the longest idle first unless asked otherwise.
    let list = use_list_controls(lq, DefaultSort { key: "idle", descending: true });
    let data = read(move || {
        let p = lq.params.get();
        async move { api::review::review(account_id, &p).await }
    });
    // Chosen rows (packed keys), or every row that matches less those unticked.
    let on_screen = Signal::derive(move || {
        data.get().and_then(Result::ok).map(|p| p.rows.iter().map(|r| r.key().pack()).collect()).unwrap_or_default()
    });
    let choice = BulkChoice::new(on_screen);
    let total = Memo::new(move |_| data.get().and_then(Result::ok).map(|p| p.total).unwrap_or(0));
    let clear = move || choice.clear();
    let filter = Signal::derive(move || lq.params.get().filter.unwrap_or_default());
    let set_filter = list.filter(|p: &mut ListParams, key: String| {
        p.filter = ReviewFilter::parse(&key).filter(|f| *f != ReviewFilter::All);
    });
    let on_filter = move |key: String| {
        clear();
        set_filter.run(key);
    };
    let on_search = Callback::new(move |q: String| {
        clear();
        list.on_search.run(q);
    });
    let acting = RwSignal::new(None::<(RowAction, RowSelection)>);
    let dialog_open = RwSignal::new(false);
    let navigate = use_navigate();
    let on_started = Callback::new(move |job: JobSummary| {
        clear();
        navigate(&format!("/accounts/{account_id}/client-access-manager/jobs/{}", job.id), Default::default());
    });
    let act = move |action: RowAction| {
        let p = lq.params.get_untracked();
        let selection = if choice.all.get_untracked() {
            RowSelection::Matching {
                q: Some(p.q).filter(|q| !q.is_empty()),
                filter: p.filter.unwrap_or_default(),
                except: choice.except.get_untracked().into_iter().map(RowKey::unpack).collect(),
            }
        } else {
            RowSelection::Rows { rows: choice.ticked.get_untracked().into_iter().map(RowKey::unpack).collect() }
        };
        acting.set(Some((action, selection)));
        dialog_open.set(true);
    };
    let count = move || choice.count(total.get());
    let export = move || api::review::export_url(account_id, &lq.params.get());
    let base = format!("/accounts/{account_id}/client-access-manager");
    view! {
        <div class="toolbar">
            <SearchBox label=t.search_review value=lq.params.get_untracked().q on_search=on_search/>
            <div class="field inline-field">
                <label for="review-filter">{t.review_filter}</label>
                <select
                    id="review-filter"
                    class="input"
                    aria-describedby=move || filter.get().active_only().then_some("review-filter-hint")
                    on:change=move |ev| on_filter(event_target_value(&ev))
                >
                    {ReviewFilter::ALL.into_iter().map(|f| view! {
                        <option value=f.key() selected=move || filter.get() == f>{t.review_filter_name(f)}</option>
                    }).collect_view()}
                </select>
            </div>
            <span class="toolbar-spacer"></span>
            <a class="btn" href=format!("{base}/jobs")>{t.bulk_work}</a>
            <a class="btn export" href=export download="">{t.export_csv}</a>
        </div>
        // What the filter hides: the idle, never-active and ending filters show active access only.
        <Show when=move || filter.get().active_only()>
            <p class="hint" id="review-filter-hint">{t.active_only_hint}</p>
        </Show>
        <SelectionBar choice=choice total=total counted=|t, n| t.n_selected(n)>
            <span class="toolbar-spacer"></span>
            <button type="button" class="btn" disabled=move || count() == 0 on:click=move |_| act(RowAction::Deactivate)>
                {t.deactivate}
            </button>
            <button type="button" class="btn btn-danger" disabled=move || count() == 0 on:click=move |_| act(RowAction::Remove)>
                {t.remove}
            </button>
        </SelectionBar>
        {move || acting.get().map(|(action, selection)| view! {
            <BulkRowsDialog account_id=account_id action=action selection=selection open=dialog_open on_started=on_started/>
        })}
        <PagedList data=data on_page=list.on_page rows={move |rows: Vec<ReviewRow>| {
            let base = base.clone();
            let columns = vec![
                Column::new(t.col_employee, move |r: &ReviewRow| {
                    let href = format!("/accounts/{account_id}/client-access-manager/employees/{}", r.user_id);
                    view! { <a class="cell-title" rel=crate::entry::rel(&href) href=href.clone()>{r.name.clone()}</a><div class="cell-sub">{r.email.clone()}</div> }.into_any()
                })
                .sortable("employee"),
                Column::new(t.col_client, move |r: &ReviewRow| {
                    let href = format!("{base}/clients/{}", r.client_id);
                    view! { <a rel=crate::entry::rel(&href) href=href.clone()>{r.crm_name.clone()}</a> }.into_any()
                })
                .sortable("client"),
                Column::new(t.col_access, move |r: &ReviewRow| access_cell(t, r.access, r.set_name.as_deref())),
                Column::new(t.col_last_activity, move |r: &ReviewRow| match r.last_activity {
                    Some(at) => view! { <span>{format::date(at)}</span> }.into_any(),
                    None => view! { <span class="hint">{t.never_active}</span> }.into_any(),
                }),
                Column::new(t.col_idle_days, move |r: &ReviewRow| {
                    let class = if r.idle_days > 90 { "idle idle-long" } else if r.idle_days > 30 { "idle idle-mid" } else { "idle" };
                    view! { <span class=class>{r.idle_days}</span> }.into_any()
                })
                .sortable("idle")
                .class("num"),
                Column::new(t.col_access_ends, |r: &ReviewRow| ends_cell(r.ends_at)),
            ];
            view! {
                <DataTable
                    label=t.tab_review
                    columns=columns
                    rows=rows
                    row_name=|r: &ReviewRow| format!("{} · {}", r.name, r.crm_name)
                    list=list
                    empty=t.no_review_rows
                    selection=choice.ticked
                    row_id=|r: &ReviewRow| r.key().pack()
                />
            }
        }}/>
    }
}
