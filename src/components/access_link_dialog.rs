//! The access-link dialog: the employee's personal link, **Copy link** (with
//! a visible confirmation and a selectable fallback) and **Regenerate link**
//! (confirmed first; the old link stops working at once).

use super::Dialog;
use crate::api;
use crate::api::ApiError;
use crate::state::toasts::use_toasts;
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
    let link = RwSignal::new(None::<Result<String, ApiError>>);
    let copied = RwSignal::new(None::<bool>);
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let input = NodeRef::<leptos::html::Input>::new();

    Effect::new(move |_| {
        if open.get() {
            link.set(None);
            copied.set(None);
            confirming.set(false);
            leptos::task::spawn_local(async move {
                let r = api::cam::access_link(account_id, user_id).await.map(|l| full_url(&l.path));
                link.set(Some(r));
            });
        }
    });

    let select_text = move || {
        if let Some(el) = input.get_untracked() {
            el.select();
        }
    };
    let copy = move |_| {
        let Some(Ok(url)) = link.get_untracked() else { return };
        leptos::task::spawn_local(async move {
            let promise = window().navigator().clipboard().write_text(&url);
            let ok = JsFuture::from(promise).await.is_ok();
            if !ok {
                select_text();
            }
            copied.set(Some(ok));
        });
    };
    let regenerate = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::cam::regenerate_access_link(account_id, user_id).await {
                Ok(l) => {
                    link.set(Some(Ok(full_url(&l.path))));
                    copied.set(None);
                    toasts.show(t.link_regenerated);
                }
                Err(e) => toasts.error(e.message),
            }
            confirming.set(false);
            busy.set(false);
        });
    };

    view! {
        <Dialog open=open title=title on_close=Callback::new(move |_| open.set(false))>
            <p class="hint">{t.access_link_intro}</p>
            {move || match link.get() {
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
                                prop:value=url
                                on:focus=move |_| select_text()
                            />
                            <button type="button" class="btn btn-primary" on:click=copy>{t.copy_link}</button>
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
                                <button type="button" class="btn btn-danger" disabled=move || busy.get() on:click=regenerate>
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
