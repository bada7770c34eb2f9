//! A choice of rows across pages, as bulk work makes it: rows ticked one
//! by one, or every row that matches the search and filter less those
//! unticked since. The table's checkboxes show either.

use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct BulkChoice {
    /// The rows ticked (the table's checkboxes; with `all`, this page's).
    pub ticked: RwSignal<Vec<i64>>,
    /// Every matching row is chosen, …
    pub all: RwSignal<bool>,
    /// … except these.
    pub except: RwSignal<Vec<i64>>,
}

impl BulkChoice {
    /// A choice of nothing that follows the rows on screen (`page`): with
    /// every matching row chosen, a page's rows show ticked unless unticked
    /// before, and unticking one leaves it out.
    pub fn new(page: Signal<Vec<i64>>) -> BulkChoice {
        let c = BulkChoice { ticked: RwSignal::new(vec![]), all: RwSignal::new(false), except: RwSignal::new(vec![]) };
        // A new page, or every row chosen: tick what is chosen on screen.
        Effect::new(move |_| {
            let ids = page.get();
            if c.all.get() {
                let except = c.except.get_untracked();
                let want: Vec<i64> = ids.into_iter().filter(|i| !except.contains(i)).collect();
                if c.ticked.with_untracked(|t| *t != want) {
                    c.ticked.set(want);
                }
            }
        });
        // A box changed by hand while every row is chosen: this page's unticked rows are left out.
        Effect::new(move |_| {
            let ticked = c.ticked.get();
            if !c.all.get_untracked() {
                return;
            }
            let ids = page.get_untracked();
            let mut except = c.except.get_untracked();
            except.retain(|i| !ids.contains(i) || !ticked.contains(i));
            let unticked: Vec<i64> =
                ids.iter().copied().filter(|i| !ticked.contains(i) && !except.contains(i)).collect();
            except.extend(unticked);
            if c.except.with_untracked(|e| *e != except) {
                c.except.set(except);
            }
        });
        c
    }

    /// Every matching row, none left out.
    pub fn choose_all(&self) {
        self.except.set(vec![]);
        self.all.set(true);
    }

    /// Another search: "every matching row" meant the old one's and ends;
    /// rows ticked one by one stay chosen.
    pub fn new_search(&self) {
        if self.all.get_untracked() {
            self.clear();
        }
    }

    pub fn clear(&self) {
        self.all.set(false);
        self.except.set(vec![]);
        self.ticked.set(vec![]);
    }

    /// How many rows are chosen, of `total` matching.
    pub fn count(&self, total: u64) -> u64 {
        if self.all.get() {
            total.saturating_sub(self.except.with(Vec::len) as u64)
        } else {
            self.ticked.with(Vec::len) as u64
        }
    }

    /// Whether "Select all N matching" is worth offering: not every row is chosen.
    pub fn can_choose_all(&self, total: u64) -> bool {
        total != 0 && (!self.all.get() || self.except.with(|e| !e.is_empty()))
    }
}
