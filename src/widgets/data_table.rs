//! A data table with sortable column headers, an empty state, and a hover
//! **Actions** menu per row.

use super::actions_menu::{ActionsMenu, MenuAction};
use crate::state::list_query::ListControls;
use leptos::prelude::*;
use std::sync::Arc;

/// One column: its header, the sort key it sorts by (if any) and how a cell renders.
pub struct Column<T> {
    /// Header text.
    pub label: &'static str,
    /// The list's sort key for this column; `None` when it does not sort.
    pub sort_key: Option<&'static str>,
    /// Extra CSS class for the column's cells (e.g. "num").
    pub class: &'static str,
    /// Renders the cell of a row.
    pub cell: Arc<dyn Fn(&T) -> AnyView + Send + Sync>,
}

impl<T> Column<T> {
    /// A column rendering cells with `cell`.
    pub fn new(label: &'static str, cell: impl Fn(&T) -> AnyView + Send + Sync + 'static) -> Column<T> {
        Column { label, sort_key: None, class: "", cell: Arc::new(cell) }
    }

    /// Makes the column sortable by `key`.
    pub fn sortable(mut self, key: &'static str) -> Column<T> {
        self.sort_key = Some(key);
        self
    }

    /// Adds a CSS class to the column's cells.
    pub fn class(mut self, class: &'static str) -> Column<T> {
        self.class = class;
        self
    }
}

/// Row actions: the menu entries of a row.
pub type RowActions<T> = Arc<dyn Fn(&T) -> Vec<MenuAction> + Send + Sync>;

/// The table.
#[component]
pub fn DataTable<T>(
    /// Accessible name of the table.
    label: &'static str,
    /// The columns, in order.
    columns: Vec<Column<T>>,
    /// The rows of this page.
    rows: Vec<T>,
    /// A short name of a row, for the row's actions button ("Actions for …").
    row_name: fn(&T) -> String,
    /// The row's actions; no menu when absent.
    #[prop(optional)]
    actions: Option<RowActions<T>>,
    /// The list's controls in the URL: its sort (key and direction) for
    /// the headers, and what a header's click calls with its sort key.
    #[prop(optional)]
    list: Option<ListControls>,
    /// Shown instead of rows when there are none.
    empty: &'static str,
    /// Row selection: a checkbox per row and a select-all box, holding row ids.
    #[prop(optional)]
    selection: Option<RwSignal<Vec<i64>>>,
    /// The id of a row, for selection.
    #[prop(optional)]
    row_id: Option<fn(&T) -> i64>,
) -> impl IntoView
where
    T: Send + Sync + 'static,
{
    let t = crate::i18n::t();
    let has_actions = actions.is_some();
    let header = columns
        .iter()
        .map(|c| {
            let label = c.label;
            match (c.sort_key, list) {
                (Some(key), Some(ListControls { sort, on_sort, .. })) => {
                    // `try_get`: while the page is being torn down (signing
                    // out navigates away), this header may be read once more
                    // after the list state it follows was disposed.
                    let state = move || {
                        let Some(s) = sort.try_get() else { return "none" };
                        if s.key == key {
                            if s.descending {
                                "descending"
                            } else {
                                "ascending"
                            }
                        } else {
                            "none"
                        }
                    };
                    view! {
                        <th scope="col" class=c.class aria-sort=state>
                            <button type="button" class="sort-button" on:click=move |_| on_sort.run(key)>
                                {label}
                                <span class="sort-indicator" aria-hidden="true">
                                    {move || match state() { "ascending" => "▲", "descending" => "▼", _ => "↕" }}
                                </span>
                            </button>
                        </th>
                    }
                    .into_any()
                }
                _ => view! { <th scope="col" class=c.class>{label}</th> }.into_any(),
            }
        })
        .collect_view();
    let selecting = selection.zip(row_id);
    let ids: Vec<i64> = selecting.map(|(_, id)| rows.iter().map(id).collect()).unwrap_or_default();
    let select_all = selecting.map(|(sel, _)| {
        let all = ids.clone();
        let all_for_check = ids.clone();
        let checked = move || !all_for_check.is_empty() && sel.with(|s| all_for_check.iter().all(|i| s.contains(i)));
        view! {
            <th scope="col" class="select">
                <label class="select-hit">
                <input
                    type="checkbox"
                    aria-label=t.select_all
                    prop:checked=checked
                    on:change=move |ev| {
                        // This page's rows join or leave the selection; rows chosen on
                        // other pages (or under another search) stay chosen.
                        let on = event_target_checked(&ev);
                        sel.update(|s| {
                            s.retain(|x| !all.contains(x));
                            if on {
                                s.extend(all.iter().copied());
                            }
                        })
                    }
                />
                </label>
            </th>
        }
    });
    let width = columns.len() + usize::from(has_actions) + usize::from(selecting.is_some());
    let body = if rows.is_empty() {
        view! {
            <tr class="empty-row">
                <td colspan=width.to_string()>{empty}</td>
            </tr>
        }
        .into_any()
    } else {
        rows.iter()
            .map(|row| {
                // On a phone each row is a card: the first cell is its title and
                // the others carry their column's name (`data-label`, style/app.css).
                let cells = columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| view! { <td class=c.class data-label=(i > 0).then_some(c.label)>{(c.cell)(row)}</td> })
                    .collect_view();
                let select = selecting.map(|(sel, id_of)| {
                    let id = id_of(row);
                    view! {
                        <td class="select">
                            <label class="select-hit">
                            <input
                                type="checkbox"
                                aria-label=t.select_row(row_name(row))
                                prop:checked=move || sel.with(|s| s.contains(&id))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    sel.update(|s| {
                                        s.retain(|x| *x != id);
                                        if on {
                                            s.push(id);
                                        }
                                    })
                                }
                            />
                            </label>
                        </td>
                    }
                });
                let menu = actions.as_ref().map(|a| {
                    let items = a(row);
                    view! {
                        <td class="row-actions">
                            {(!items.is_empty()).then(|| view! { <ActionsMenu label=t.actions_for(row_name(row)) items=items/> })}
                        </td>
                    }
                });
                view! { <tr>{select}{cells}{menu}</tr> }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <div class="table-wrap">
            <table class="data-table" aria-label=label>
                <thead>
                    <tr>
                        {select_all}
                        {header}
                        {has_actions.then(|| view! { <th scope="col" class="row-actions"><span class="visually-hidden">{t.actions}</span></th> })}
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}
