//! The root of an entry point with a route table (the app, settings and
//! bulk work): the session and toasts every screen reads, the router with
//! the entry's routes (another entry's address leaves from the fallback,
//! [`Elsewhere`]) and the toasts' live region.

use super::{Elsewhere, ToastRegion};
use crate::state::session::provide_session;
use crate::state::toasts::provide_toasts;
use leptos::prelude::*;
use leptos_router::components::{FlatRoutes, FlatRoutesProps, RouteChildren, Router};
use leptos_router::MatchNestedRoutes;

/// An entry point's root: its `<Route/>`s are the children.
#[component]
pub fn EntryRoutes<Defs>(children: RouteChildren<Defs>) -> impl IntoView
where
    Defs: MatchNestedRoutes + Clone + Send + 'static,
{
    provide_session();
    provide_toasts();
    let routes = move || FlatRoutes(FlatRoutesProps::builder().fallback(Elsewhere).children(children).build());
    view! {
        <Router>{routes()}</Router>
        <ToastRegion/>
    }
}
