//! The signed-in frame of every page: top bar (product, account switcher,
//! user and sign-out), navigation for the current account, and the content.
//! Signed-out visitors are sent to sign-in and brought back afterwards.

use crate::api;
use crate::entry::use_navigate;
use crate::state::session::use_session;
use crate::state::toasts::use_toasts;
use crate::state::write::write;
use crate::widgets::{AccountSwitcher, LanguageSelect, Loading, NotificationBell};
use domain::AccountKind;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use leptos_router::NavigateOptions;

/// The frame around a signed-in page. A page whose first read has begun
/// may pass `ready` (true once it has an answer): the frame then waits for it
/// too, and the page appears whole in one render rather than as a frame
/// with a spinner that is laid out again when the rows arrive.
#[component]
pub fn Shell(children: ChildrenFn, #[prop(optional, into)] ready: Option<Signal<bool>>) -> impl IntoView {
    let t = crate::i18n::t();
    let session = use_session();
    let toasts = use_toasts();
    let location = use_location();
    let navigate = use_navigate();

    let redirect = navigate.clone();
    Effect::new(move |_| {
        let path = location.pathname.get_untracked();
        if session.loaded() && !session.signed_in() && !path.starts_with("/sign-in") && !crate::entry::leaving() {
            let search = location.search.get_untracked();
            let here = if search.is_empty() { path } else { format!("{path}?{}", search.trim_start_matches('?')) };
            let next = crate::api::http::with_query("/sign-in", &[("next", here)]);
            redirect(&next, NavigateOptions { replace: true, ..Default::default() });
        }
    });

    // Read from the path, not the route's params: the not-found fallback has no matched route.
    let membership = move || {
        account_in_path(&location.pathname.get())
            .or_else(|| session.info().and_then(|i| i.current_account_id))
            .and_then(|id| session.membership(id))
    };
    let path = move || location.pathname.get();
    // On a phone the navigation, the language and Sign out sit behind the
    // Menu button; going to another page closes it.
    let menu_open = RwSignal::new(false);
    Effect::new(move |_| {
        location.pathname.track();
        menu_open.set(false);
    });

    // Signing out ends the session on the server; whatever it answers, this
    // browser forgets it.
    let sign_out = write(
        move |()| async move {
            let _ = api::session::sign_out().await;
            Ok(())
        },
        move |()| {
            navigate("/sign-in", NavigateOptions { replace: true, ..Default::default() });
            session.clear();
            toasts.show(t.signed_out);
        },
    );

    view! {
        <Show
            when=move || session.signed_in() && ready.is_none_or(|r| r.get())
            fallback=|| view! { <div class="page-center"><Loading/></div> }
        >
            <a class="skip-link" href="#main">{t.skip_to_content}</a>
            <div
                class="shell"
                class:menu-open=move || menu_open.get()
                on:keydown=move |ev| {
                    if ev.key() == "Escape" && menu_open.get_untracked() {
                        menu_open.set(false);
                    }
                }
            >
            <header class="topbar">
                <a class="brand" href="/" rel=crate::entry::rel("/")>
                    <span class="brand-mark" aria-hidden="true"></span>
                    {t.app_name}
                </a>
                <AccountSwitcher/>
                <span class="topbar-spacer"></span>
                <NotificationBell/>
                <button
                    type="button"
                    class="btn btn-quiet menu-toggle"
                    aria-expanded=move || menu_open.get().to_string()
                    aria-controls="site-menu"
                    on:click=move |_| menu_open.update(|o| *o = !*o)
                >
                    <span class="menu-icon" aria-hidden="true"></span>
                    {t.menu}
                </button>
                <div class="topbar-tools" id="site-menu">
                    <LanguageSelect/>
                    <a class="user-name" href="/security" rel="external">{move || session.info().map(|i| i.user.name).unwrap_or_default()}</a>
                    <button type="button" class="btn btn-quiet" on:click=move |_| { sign_out.dispatch(()); }>{t.sign_out}</button>
                </div>
            </header>
            <div class="layout">
                <nav class="sidenav" aria-label=t.main_navigation>
                    {move || membership().filter(|m| m.kind == AccountKind::Customer || m.can_open_client_access_manager).map(|m| {
                        let id = m.account_id;
                        match m.kind {
                            AccountKind::Partner => {
                                let href = format!("/accounts/{id}/client-access-manager/clients");
                                let active = path().starts_with(&format!("/accounts/{id}/client-access-manager"));
                                view! {
                                    <div class="nav-section">
                                        <h2 class="nav-heading">{t.nav_partner}</h2>
                                        {m.can_open_client_access_manager.then(|| view! {
                                            <a class="nav-link" class:active=active rel=crate::entry::rel(&href) href=href aria-current=active.then_some("page")>
                                                {t.client_access_manager}
                                            </a>
                                        })}
                                    </div>
                                }.into_any()
                            }
                            AccountKind::Customer => {
                                let href = format!("/accounts/{id}/settings/users");
                                let assets = format!("/accounts/{id}/assets");
                                let active = path().starts_with(&href);
                                view! {
                                    <div class="nav-section">
                                        <h2 class="nav-heading">{t.nav_settings}</h2>
                                        {m.can_manage_users.then(|| {
                                            let history = format!("/accounts/{id}/settings/history");
                                            let history_active = path().starts_with(&history);
                                            view! {
                                                <a class="nav-link" class:active=active rel=crate::entry::rel(&href) href=href aria-current=active.then_some("page")>
                                                    {t.users_and_teams}
                                                </a>
                                                <a class="nav-link" class:active=history_active rel=crate::entry::rel(&history) href=history aria-current=history_active.then_some("page")>
                                                    {t.history}
                                                </a>
                                                {
                                                    // SPEC §9 A12: Partner access exists for the client's own people only.
                                                    m.partner_account_id.is_none().then(|| {
                                                    let partners = format!("/accounts/{id}/settings/partner-access");
                                                    let on = path().starts_with(&partners);
                                                    view! {
                                                        <a class="nav-link" class:active=on rel=crate::entry::rel(&partners) href=partners aria-current=on.then_some("page")>
                                                            {t.partner_access}
                                                        </a>
                                                    }
                                                })
                                                }
                                                {[("billing", t.billing), ("super-admins", t.super_admins), ("scim", t.scim), ("data-centre", t.data_centre)]
                                                    .into_iter()
                                                    .map(|(slug, label)| {
                                                        let href = format!("/accounts/{id}/settings/{slug}");
                                                        let on = path() == href;
                                                        view! { <a class="nav-link" class:active=on rel=crate::entry::rel(&href) href=href aria-current=on.then_some("page")>{label}</a> }
                                                    })
                                                    .collect_view()}
                                            }
                                        })}
                                    </div>
                                    <div class="nav-section">
                                        <h2 class="nav-heading">{t.crm}</h2>
                                        <a class="nav-link" class:active=path().starts_with(&assets) rel=crate::entry::rel(&assets) href=assets.clone()>
                                            {t.assets}
                                        </a>
                                    </div>
                                }.into_any()
                            }
                        }
                    })}
                </nav>
                <main id="main" class="content" tabindex="-1">{children()}</main>
            </div>
            </div>
        </Show>
    }
}

/// The account id of an `/accounts/{id}/...` path.
pub fn account_in_path(path: &str) -> Option<i64> {
    path.strip_prefix("/accounts/")?.split('/').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::account_in_path;

    #[test]
    fn account_id_is_read_from_account_paths_only() {
        assert_eq!(account_in_path("/accounts/12/settings/users"), Some(12));
        assert_eq!(account_in_path("/accounts/12"), Some(12));
        assert_eq!(account_in_path("/no/such/page"), None);
        assert_eq!(account_in_path("/accounts/x"), None);
    }
}
