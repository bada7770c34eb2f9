//! What bulk work's screens share: the bar above a list of rows or clients
//! chosen across pages ([`SelectionBar`]), the review step before a job
//! starts ([`ReviewStep`]) and the outcome of one row, done or refused by a
//! rule ([`outcome`]).

use crate::i18n::Strings;
use crate::state::selection::BulkChoice;
use domain::Refusal;
use leptos::prelude::*;

/// "N chosen", **Select all N matching** while not all are, **Clear
/// selection** while any are; `children` follow (the actions on the choice).
#[component]
pub fn SelectionBar(
    /// The choice shown.
    choice: BulkChoice,
    /// The rows that match the search and filter, on every page.
    total: Memo<u64>,
    /// How many are chosen, in words.
    counted: fn(&'static Strings, u64) -> String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let count = move || choice.count(total.get());
    view! {
        <div class="selection-bar" role="region" aria-label=t.selection>
            <span class="selection-count" aria-live="polite">{move || counted(t, count())}</span>
            <Show when=move || choice.can_choose_all(total.get())>
                <button type="button" class="btn btn-small" on:click=move |_| choice.choose_all()>
                    {move || t.select_all_matching(total.get())}
                </button>
            </Show>
            <Show when=move || count() != 0>
                <button type="button" class="btn btn-small" on:click=move |_| choice.clear()>{t.clear_selection}</button>
            </Show>
            {children.map(|c| c())}
        </div>
    }
}

/// A preview's counts as the review step shows them.
pub struct Counts {
    pub total: u64,
    pub allowed: u64,
    pub refused: u64,
}

/// The review step of bulk work: what the server decides now for each row
/// (`statement` says so), the counts (and `extra`, a further count), the
/// first rows under `heads` and, when there are more, how many are shown;
/// `children` are the step's buttons.
#[component]
pub fn ReviewStep(
    statement: &'static str,
    /// Shown under the statement (e.g. when access ends).
    note: Option<AnyView>,
    counts: Counts,
    /// A further count, after the refused ones.
    extra: Option<AnyView>,
    /// The columns' headers and classes ("" for none).
    heads: Vec<(&'static str, &'static str)>,
    /// The rows of the table.
    rows: AnyView,
    /// How many rows there are.
    shown: usize,
    children: Children,
) -> impl IntoView {
    let t = crate::i18n::t();
    let Counts { total, allowed, refused } = counts;
    view! {
        <p class="notice">{statement}</p>
        {note}
        <dl class="counts">
            <div><dt>{t.bulk_chosen}</dt><dd>{total}</dd></div>
            <div><dt>{t.bulk_will_change}</dt><dd>{allowed}</dd></div>
            <div><dt>{t.bulk_refused}</dt><dd>{refused}</dd></div>
            {extra}
        </dl>
        <div class="table-wrap review-scroll">
            <table class="data-table" aria-label=t.step_review>
                <thead><tr>
                    {heads.into_iter().map(|(head, class)| view! { <th scope="col" class=(!class.is_empty()).then_some(class)>{head}</th> }).collect_view()}
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {(total as usize > shown).then(|| view! { <p class="hint">{t.preview_first(shown, total)}</p> })}
        {children()}
    }
}

/// A row's outcome: `done` (and a `note` under it), or that it is not done
/// and why. What is done is green; what a preview says will happen is
/// neutral (a deactivation to come is no success yet).
pub fn outcome(refusal: Option<&Refusal>, done: &'static str, note: Option<String>) -> AnyView {
    let t = crate::i18n::t();
    let class = if done == t.job_done_row { "pill pill-ok" } else { "pill pill-info" };
    match refusal {
        None => view! { <span class=class>{done}</span>{note.map(|k| view! { <div class="cell-sub">{k}</div> })} }
            .into_any(),
        Some(why) => {
            view! { <span class="pill pill-warn">{t.not_done}</span><div class="cell-sub">{t.refusal(why)}</div> }
                .into_any()
        }
    }
}
