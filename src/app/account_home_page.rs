//! `/accounts/:account_id`: the account's main page for this person —
//! Client Access Manager in a partner account, Users & Teams in a customer
//! account, or a short explanation when neither is open to them.

use crate::entry::Redirect;
use crate::state::session::{landing_path, use_session};
use crate::widgets::InAccount;
use crate::widgets::Shell;
use domain::api::MembershipSummary;
use domain::AccountKind;
use leptos::prelude::*;

/// The account home.
#[component]
pub fn AccountHomePage() -> impl IntoView {
    let t = crate::i18n::t();
    let session = use_session();
    view! {
        <Shell>
            <InAccount content=move |m: MembershipSummary| {
                let landing = landing_path(&m);
                match m.kind {
                    AccountKind::Partner if m.can_open_client_access_manager => view! { <Redirect path=landing/> }.into_any(),
                    AccountKind::Customer if m.can_manage_users => view! { <Redirect path=landing/> }.into_any(),
                    _ => {
                        let name = session.info().map(|i| i.user.name).unwrap_or_default();
                        view! {
                            <section class="page">
                                <header class="page-header">
                                    <h1>{t.home_welcome(&name)}</h1>
                                    <p class="subtitle">{m.account_name.clone()}</p>
                                </header>
                                <p class="notice">{t.home_nothing}</p>
                            </section>
                        }
                        .into_any()
                    }
                }
            }/>
        </Shell>
    }
}
