//! R17: the review step of **Deactivate** or **Remove** on many review
//! rows: what each row will do, or the rule that refuses it, as the server
//! decides it now; then the job starts and its page shows the progress.

use crate::api;
use crate::state::read::read;
use crate::state::write::write;
use crate::widgets::{inline_error, Dialog, FormActions, Loaded};
use domain::api::{JobSummary, RowAction, RowPlan, RowSelection, RowsPreview, RowsRequest};
use leptos::prelude::*;

/// The review dialog of a bulk action on rows.
#[component]
pub fn BulkRowsDialog(
    account_id: i64,
    action: RowAction,
    selection: RowSelection,
    open: RwSignal<bool>,
    /// Called with the started job.
    on_started: Callback<JobSummary>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let req = RowsRequest { action, selection };
    let for_preview = req.clone();
    let req = StoredValue::new(req);
    let preview = read(move || {
        let req = for_preview.clone();
        async move { api::review::preview_rows(account_id, &req).await }
    });
    let start = write(
        move |req: RowsRequest| async move { api::review::start_rows(account_id, &req).await },
        move |job: JobSummary| {
            open.set(false);
            on_started.run(job);
        },
    );
    let (title, confirm, pending) = match action {
        RowAction::Deactivate => (t.bulk_deactivate_title, t.deactivate, t.starting),
        RowAction::Remove => (t.bulk_remove_title, t.remove, t.starting),
    };
    let close = Callback::new(move |_| open.set(false));
    view! {
        <Dialog open=open title=title.to_string() on_close=close>
            <Loaded data=preview error=inline_error content={move |p: RowsPreview| {
                let req = req.get_value();
                let rows = p.rows.clone();
                let more = p.total as usize > rows.len();
                view! {
                    <p class="notice">{t.per_row_statement}</p>
                    <dl class="counts">
                        <div><dt>{t.bulk_chosen}</dt><dd>{p.total}</dd></div>
                        <div><dt>{t.bulk_will_change}</dt><dd>{p.allowed}</dd></div>
                        <div><dt>{t.bulk_refused}</dt><dd>{p.refused}</dd></div>
                        {(action == RowAction::Remove).then(|| view! {
                            <div><dt>{t.col_assets}</dt><dd>{t.assets_left_unowned(p.assets)}</dd></div>
                        })}
                    </dl>
                    <div class="table-wrap review-scroll">
                        <table class="data-table" aria-label=t.step_review>
                            <thead><tr>
                                <th scope="col">{t.col_employee}</th>
                                <th scope="col">{t.col_client}</th>
                                <th scope="col" class="num">{t.col_assets}</th>
                                <th scope="col">{t.col_outcome}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r: RowPlan| {
                                    let outcome = match &r.refusal {
                                        None => view! { <span class="pill pill-ok">{match action { RowAction::Deactivate => t.will_deactivate, RowAction::Remove => t.will_remove }}</span> }.into_any(),
                                        Some(why) => view! { <span class="pill pill-warn">{t.not_done}</span><div class="cell-sub">{t.refusal(why)}</div> }.into_any(),
                                    };
                                    view! {
                                        <tr>
                                            <td>{if r.name.is_empty() { t.unknown_row.to_string() } else { r.name.clone() }}</td>
                                            <td>{r.crm_name.clone()}</td>
                                            <td class="num">{r.assets}</td>
                                            <td>{outcome}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    {more.then(|| view! { <p class="hint">{t.preview_first(p.rows.len(), p.total)}</p> })}
                    <FormActions
                        action=start
                        label=confirm
                        pending_label=pending
                        danger=true
                        disabled=Signal::stored(p.allowed == 0)
                        on_submit=Callback::new(move |_| start.dispatch(req.clone()))
                        on_cancel=close
                    />
                }
                .into_any()
            }}/>
        </Dialog>
    }
}
