//! A list's search, filters, sort and page, kept in the URL's query string so
//! that they survive reloads, deep links and the back button.

use crate::api::cam::ListParams;
use crate::api::http::with_query;
use domain::api::SortDir;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

/// The list state of the current URL and a way to change it.
#[derive(Clone, Copy)]
pub struct ListQuery {
    pub params: Memo<ListParams>,
}

/// The current sort of a table: a key and whether it is descending.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SortState {
    pub key: String,
    pub descending: bool,
}

/// How a list sorts unless asked otherwise: its column and direction. That
/// column sorts in this direction when its header is clicked after another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultSort {
    pub key: &'static str,
    pub descending: bool,
}

impl DefaultSort {
    /// Sorted by `key`, ascending.
    pub const fn by(key: &'static str) -> DefaultSort {
        DefaultSort { key, descending: false }
    }

    /// The sort of the list state `p`.
    pub fn of(self, p: &ListParams) -> SortState {
        if p.sort.is_empty() {
            SortState { key: self.key.to_string(), descending: self.descending || p.dir == SortDir::Desc }
        } else {
            SortState { key: p.sort.clone(), descending: p.dir == SortDir::Desc }
        }
    }
}

impl ListQuery {
    /// The page shown, from 1.
    pub fn page(&self) -> u32 {
        self.params.with(|p| p.page)
    }
}

/// Reads the list state from the URL.
pub fn use_list_query() -> ListQuery {
    let query = use_query_map();
    let params = Memo::new(move |_| {
        let q = query.read();
        ListParams::parse(|k| q.get(k))
    });
    ListQuery { params }
}

/// Returns a function that writes a new list state into the URL (replacing
/// the history entry for typing, pushing one otherwise).
pub fn use_set_list_query() -> impl Fn(ListParams, bool) + Clone {
    let set = use_set_query();
    move |p: ListParams, replace: bool| set(&p.pairs(), replace)
}

/// Returns a function that writes a query string into this page's URL
/// (replacing the history entry or pushing one), keeping the scroll.
pub fn use_set_query() -> impl Fn(&[(&str, String)], bool) + Clone {
    let navigate = use_navigate();
    let location = use_location();
    move |pairs: &[(&str, String)], replace: bool| {
        let path = location.pathname.get_untracked();
        let url = with_query(&path, pairs);
        navigate(&url, NavigateOptions { replace, scroll: false, ..Default::default() });
    }
}

/// What a list's toolbar, headers and pager call: search (replacing the
/// history entry while typing), sort by a header (flipping direction), and
/// page; each restarts or keeps paging as a person expects. Filters bind
/// with [`ListControls::filter`].
#[derive(Clone, Copy)]
pub struct ListControls {
    pub on_search: Callback<String>,
    pub on_sort: Callback<&'static str>,
    pub on_page: Callback<u32>,
    pub sort: Signal<SortState>,
    /// The list state.
    lq: ListQuery,
}

impl ListControls {
    /// A filter's control: `change` writes the control's value into the
    /// list state and paging restarts.
    pub fn filter<V: 'static>(&self, change: impl Fn(&mut ListParams, V) + Send + Sync + 'static) -> Callback<V> {
        self.change(change, true)
    }

    /// A control that changes the list state with `change`, restarting
    /// paging when `restart` (a filter does; another view of the same rows
    /// does not). Called while the list's component is set up.
    pub fn change<V: 'static>(
        &self,
        change: impl Fn(&mut ListParams, V) + Send + Sync + 'static,
        restart: bool,
    ) -> Callback<V> {
        let (lq, set) = (self.lq, use_set_list_query());
        Callback::new(move |v: V| {
            let mut p = lq.params.get_untracked();
            change(&mut p, v);
            if restart {
                p.page = 1;
            }
            set(p, false);
        })
    }
}

/// The controls of the list in the URL, sorted by `default_sort` unless asked otherwise.
pub fn use_list_controls(lq: ListQuery, default_sort: DefaultSort) -> ListControls {
    let set = use_set_list_query();
    let set_search = set.clone();
    let set_sort = set.clone();
    ListControls {
        on_search: Callback::new(move |q: String| {
            set_search(ListParams { q, page: 1, ..lq.params.get_untracked() }, true)
        }),
        on_sort: Callback::new(move |key: &'static str| {
            set_sort(sorted_by(&lq.params.get_untracked(), key, default_sort), false)
        }),
        on_page: Callback::new(move |page: u32| set(ListParams { page, ..lq.params.get_untracked() }, false)),
        sort: Signal::derive(move || default_sort.of(&lq.params.get())),
        lq,
    }
}

/// The `:account_id` of the URL, when it is a number.
pub fn use_account_id() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("account_id").and_then(|s| s.parse().ok()))
}

/// A numeric route parameter.
pub fn use_id_param(name: &'static str) -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get(name).and_then(|s| s.parse().ok()))
}

/// The next state after clicking a sortable header: the same column flips
/// direction, another column sorts ascending (the default column in its
/// default direction); paging restarts.
pub fn sorted_by(p: &ListParams, key: &str, default: DefaultSort) -> ListParams {
    let now = default.of(p);
    let descending = if now.key == key { !now.descending } else { default.descending && key == default.key };
    let dir = if descending { SortDir::Desc } else { SortDir::Asc };
    ListParams { sort: key.to_string(), dir, page: 1, ..p.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{AccessType, RoleFilter, Seat, SetKey, StandardSet};

    #[test]
    fn clicking_the_sorted_column_flips_direction_and_another_column_sorts_ascending() {
        let p = ListParams { page: 3, ..Default::default() };
        let name = DefaultSort::by("name");
        let by_name = sorted_by(&p, "name", name);
        assert_eq!((by_name.sort.as_str(), by_name.dir, by_name.page), ("name", SortDir::Desc, 1));
        let back = sorted_by(&by_name, "name", name);
        assert_eq!(back.dir, SortDir::Asc);
        let other = sorted_by(&by_name, "status", name);
        assert_eq!((other.sort.as_str(), other.dir), ("status", SortDir::Asc));
    }

    #[test]
    fn a_list_sorted_descending_by_default_flips_from_there_and_returns_to_it_descending() {
        let idle = DefaultSort { key: "idle", descending: true };
        let p = ListParams::default();
        assert_eq!(idle.of(&p), SortState { key: "idle".into(), descending: true });
        let flipped = sorted_by(&p, "idle", idle);
        assert_eq!((flipped.sort.as_str(), flipped.dir), ("idle", SortDir::Asc));
        let by_name = sorted_by(&p, "employee", idle);
        assert_eq!((by_name.sort.as_str(), by_name.dir), ("employee", SortDir::Asc));
        let back = sorted_by(&by_name, "idle", idle);
        assert_eq!((back.sort.as_str(), back.dir), ("idle", SortDir::Desc));
    }

    #[test]
    fn the_url_parses_into_typed_values_and_writes_back_the_same() {
        let query = [
            ("q", "acme"),
            ("role", "sales"),
            ("seat", "partner"),
            ("partner", "true"),
            ("access", "partner_admin,super_admin"),
            ("ending", "true"),
            ("relationship_ending", "true"),
            ("filter", "idle90"),
            ("columns", "3"),
            ("sort", "status"),
            ("dir", "desc"),
            ("page", "2"),
        ];
        let get = |k: &str| query.iter().find(|(key, _)| *key == k).map(|(_, v)| v.to_string());
        let p = ListParams::parse(get);
        let want = ListParams {
            q: "acme".into(),
            role: Some(RoleFilter::Set(SetKey::Standard(StandardSet::Sales))),
            seat: Some(Seat::Partner),
            partner: Some(true),
            access: vec![AccessType::PartnerAdmin, AccessType::SuperAdmin],
            ending: true,
            relationship_ending: true,
            filter: Some(domain::api::ReviewFilter::Idle90),
            columns: 3,
            sort: "status".into(),
            dir: SortDir::Desc,
            page: 2,
        };
        assert_eq!(p, want);
        let written: Vec<(&str, String)> = p.pairs().into_iter().filter(|(_, v)| !v.is_empty()).collect();
        let expected: Vec<(&str, String)> = query.iter().map(|(k, v)| (*k, v.to_string())).collect();
        assert_eq!(written, expected);
    }

    #[test]
    fn values_that_do_not_parse_fall_back_to_the_defaults() {
        let bad = |k: &str| Some(if k == "q" { "x".to_string() } else { "nonsense".to_string() });
        let p = ListParams::parse(bad);
        assert_eq!(p, ListParams { q: "x".into(), sort: "nonsense".into(), ..Default::default() });
        let zero = ListParams::parse(|k| (k == "page").then(|| "0".to_string()));
        assert_eq!(zero.page, 1);
    }
}
