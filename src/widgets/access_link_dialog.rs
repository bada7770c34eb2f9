//! The access-link dialog: the employee's personal link, **Copy link** (with
//! a visible confirmation and a selectable fallback) and **Regenerate link**
//! (confirmed first; the old link stops working at once).

use super::Dialog;
use crate::api;
use crate::state::toasts::use_toasts;
use crate::state::write::{failure, toast_failures, write};
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

fn full_url(path: &str) -> String {
    let origin = window().location().origin().unwrap_or_default();
    format!("{origin}{path}")
}

/// The dialog for `user_id`'s link in partner account `account_id`.
#[component]
pub fn AccessLinkDialog(
    /// The partner account.
    account_id: i64,
    /// The employee whose link is shown.
    user_id: i64,
    /// The dialog's title.
    #[prop(into)]
    title: String,
    /// Whether the dialog is open.
    open: RwSignal<bool>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let confirming = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();
    // Opening the dialog issues the link if there is none yet (a PUT).
    // The link shown: the one issued on opening, or a regenerated one.
    let link = RwSignal::new(None::<Result<String, crate::api::ApiError>>);
    let issue = write(
        move |()| api::cam::access_link(account_id, user_id),
        move |l: domain::api::AccessLinkInfo| link.set(Some(Ok(full_url(&l.path)))),
    );
    let select_text = move || {
        if let Some(el) = input.get_untracked() {
            el.select();
        }
    };
    // Copying: whether the browser took the text (else it is selected).
    let copied = RwSignal::new(None::<bool>);
    let copy = write(
        move |url: String| {
            let promise = window().navigator().clipboard().write_text(&url);
            async move { Ok::<bool, crate::api::ApiError>(JsFuture::from(promise).await.is_ok()) }
        },
        move |ok: bool| {
            if !ok {
                select_text();
            }
            copied.set(Some(ok));
        },
    );
    let regenerate = write(
        move |()| api::cam::regenerate_access_link(account_id, user_id),
        move |l: domain::api::AccessLinkInfo| {
            link.set(Some(Ok(full_url(&l.path))));
            confirming.set(false);
            copied.set(None);
            toasts.show(t.link_regenerated);
        },
    );
    toast_failures(regenerate, toasts);
    Effect::new(move |_| {
        if open.get() {
            confirming.set(false);
            copied.set(None);
            regenerate.clear();
            link.set(None);
            issue.dispatch(());
        }
    });
    // A link that could not be issued says why.
    let shown = move || link.get().or_else(|| failure(issue).map(Err));

    view! {
        <Dialog open=open title=title on_close=Callback::new(move |_| open.set(false))>
            <p class="hint">{t.access_link_intro}</p>
            {move || match shown() {
                None => view! { <super::Loading/> }.into_any(),
                Some(Err(e)) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                Some(Ok(url)) => view! {
                    <div class="field">
                        <label for="access-link">{t.access_link_label}</label>
                        <div class="copy-row">
                            <input
                                id="access-link"
                                class="input mono"
                                readonly
                                node_ref=input
                                prop:value=url.clone()
                                on:focus=move |_| select_text()
                            />
                            <button type="button" class="btn btn-primary" on:click=move |_| { copy.dispatch(url.clone()); }>{t.copy_link}</button>
                        </div>
                        <div role="status" class="copy-status">
                            {move || match copied.get() {
                                Some(true) => view! { <span class="ok">{t.copied}</span> }.into_any(),
                                Some(false) => view! { <span>{t.copy_failed}</span> }.into_any(),
                                None => ().into_any(),
                            }}
                        </div>
                    </div>
                    <Show
                        when=move || confirming.get()
                        fallback=move || view! {
                            <div class="button-row left">
                                <button type="button" class="btn" on:click=move |_| confirming.set(true)>{t.regenerate_link}</button>
                            </div>
                        }
                    >
                        <div class="confirm-box" role="group" aria-label=t.regenerate_link>
                            <p>{t.regenerate_confirm}</p>
                            <div class="button-row">
                                <button type="button" class="btn" on:click=move |_| confirming.set(false)>{t.cancel}</button>
                                <button type="button" class="btn btn-danger" disabled=move || regenerate.pending().get() on:click=move |_| { regenerate.dispatch(()); }>
                                    {t.regenerate_link}
                                </button>
                            </div>
                        </div>
                    </Show>
                }.into_any(),
            }}
        </Dialog>
    }
}
