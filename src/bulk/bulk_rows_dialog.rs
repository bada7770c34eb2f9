//! R17: the review step of **Deactivate** or **Remove** on many review
//! rows: what each row will do, or the rule that refuses it, as the server
//! decides it now; then the job starts and its page shows the progress.

use super::review_step::{outcome, Counts, ReviewStep};
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
    let title = match action {
        RowAction::Deactivate => t.bulk_deactivate_title,
        RowAction::Remove => t.bulk_remove_title,
    };
    let close = Callback::new(move |_| open.set(false));
    view! {
        <Dialog open=open title=title.to_string() on_close=close>
            <Loaded data=preview error=inline_error content={move |p: RowsPreview| {
                let req = req.get_value();
                let done = match action {
                    RowAction::Deactivate => t.will_deactivate,
                    RowAction::Remove => t.will_remove,
                };
                let heads = vec![(t.col_employee, ""), (t.col_client, ""), (t.col_assets, "num"), (t.col_outcome, "")];
                let rows = p.rows.iter().map(|r: &RowPlan| view! {
                    <tr>
                        <td>{if r.name.is_empty() { t.unknown_row.to_string() } else { r.name.clone() }}</td>
                        <td>{r.crm_name.clone()}</td>
                        <td class="num">{r.assets}</td>
                        <td>{outcome(r.refusal.as_ref(), done, None)}</td>
                    </tr>
                }).collect_view().into_any();
                let assets = (action == RowAction::Remove).then(|| view! {
                    <div><dt>{t.col_assets}</dt><dd>{t.assets_left_unowned(p.assets)}</dd></div>
                }.into_any());
                let counts = Counts { total: p.total, allowed: p.allowed, refused: p.refused };
                // The button names its effect and count ("Deactivate 14 accesses"):
                // SPEC names no label for it. Made once per preview.
                let verb = if action == RowAction::Deactivate { t.deactivate } else { t.remove };
                let confirm: &'static str = Box::leak(format!("{verb} {}", t.n_accesses(p.allowed)).into_boxed_str());
                view! {
                    <ReviewStep statement=t.per_row_statement note=None counts=counts extra=assets heads=heads rows=rows shown=p.rows.len()>
                    <FormActions
                        action=start
                        label=confirm
                        pending_label=t.starting
                        danger=true
                        disabled=Signal::stored(p.allowed == 0)
                        on_submit=Callback::new(move |_| start.dispatch(req.clone()))
                        on_cancel=close
                    />
                    </ReviewStep>
                }
                .into_any()
            }}/>
        </Dialog>
    }
}
