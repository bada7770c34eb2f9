//! The signed-in user: loaded once at start, replaced on sign-in, account
//! switch and sign-out. `provide_session()` / `use_session()`.

use crate::api;
use domain::api::{MembershipSummary, SessionInfo};
use domain::AccountKind;
use leptos::prelude::*;

/// The session context.
#[derive(Clone, Copy)]
pub struct Session {
    info: RwSignal<Option<SessionInfo>>,
    loaded: RwSignal<bool>,
}

impl Session {
    /// The signed-in user, if any.
    pub fn info(&self) -> Option<SessionInfo> {
        self.info.get()
    }

    /// Whether the first check of the session has finished.
    pub fn loaded(&self) -> bool {
        self.loaded.get()
    }

    /// Whether somebody is signed in.
    pub fn signed_in(&self) -> bool {
        self.info.with(Option::is_some)
    }

    /// Installs a fresh session (after sign-in or an account switch).
    pub fn set(&self, info: SessionInfo) {
        // The language the user chose wins over this browser's; a page in
        // another language reloads in theirs.
        if crate::state::language::follow(info.language) {
            return;
        }
        self.info.set(Some(info));
        self.loaded.set(true);
    }

    /// Forgets the session (after sign-out or when the server says it ended).
    pub fn clear(&self) {
        api::http::set_csrf_token("");
        self.info.set(None);
        self.loaded.set(true);
    }

    /// The signed-in user's membership of `account_id`.
    pub fn membership(&self, account_id: i64) -> Option<MembershipSummary> {
        self.info.with(|i| i.as_ref().and_then(|i| i.memberships.iter().find(|m| m.account_id == account_id).cloned()))
    }

    /// The name of the account `account_id`, as the user's membership
    /// names it (empty when not a member).
    pub fn account_name(&self, account_id: i64) -> String {
        self.membership(account_id).map(|m| m.account_name).unwrap_or_default()
    }

    /// Where the user lands: the main page of their current account, or `/`
    /// without one.
    pub fn home_path(&self) -> String {
        self.info
            .with(|i| i.as_ref().and_then(|i| i.current_account_id))
            .and_then(|id| self.membership(id))
            .map(|m| landing_path(&m))
            .unwrap_or_else(|| "/".to_string())
    }
}

/// An account's main page for a member: Client Access Manager in a partner
/// account, Users & Teams in a customer account, else the account's home.
pub fn landing_path(m: &MembershipSummary) -> String {
    let id = m.account_id;
    match m.kind {
        AccountKind::Partner if m.can_open_client_access_manager => {
            format!("/accounts/{id}/client-access-manager/clients")
        }
        AccountKind::Customer if m.can_manage_users => format!("/accounts/{id}/settings/users"),
        _ => format!("/accounts/{id}"),
    }
}

/// Creates the session context and starts loading the current session.
pub fn provide_session() -> Session {
    let session = Session { info: RwSignal::new(None), loaded: RwSignal::new(false) };
    provide_context(session);
    // Loading the session is the app's first read: signed out is an answer too.
    let load = crate::state::write::write(
        |()| async { Ok::<_, api::ApiError>(api::session::current().await) },
        move |answer: api::http::ApiResult<domain::api::SessionInfo>| match answer {
            Ok(info) => session.set(info),
            Err(_) => session.clear(),
        },
    );
    load.dispatch(());
    session
}

/// The session context.
pub fn use_session() -> Session {
    expect_context::<Session>()
}
