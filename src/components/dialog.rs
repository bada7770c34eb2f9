//! A modal dialog: title, content, Escape or the close button to dismiss.

use leptos::prelude::*;

/// A modal dialog shown while `open` is true.
#[component]
pub fn Dialog(
    /// Whether the dialog is shown.
    #[prop(into)]
    open: Signal<bool>,
    /// The dialog's title (its accessible name).
    #[prop(into)]
    title: Signal<String>,
    /// Called when the person dismisses the dialog.
    on_close: Callback<()>,
    /// The dialog's content (text, form, buttons).
    children: ChildrenFn,
) -> impl IntoView {
    let t = crate::i18n::t();
    let container = NodeRef::<leptos::html::Div>::new();
    super::modal_behaviour(open, on_close, container);
    let title_id = "dialog-title";
    view! {
        <Show when=move || open.get()>
            <div class="overlay" on:click=move |_| on_close.run(())></div>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby=title_id tabindex="-1" node_ref=container>
                <header class="dialog-header">
                    <h2 id=title_id>{move || title.get()}</h2>
                    <button type="button" class="icon-button" aria-label=t.close on:click=move |_| on_close.run(())>"×"</button>
                </header>
                <div class="dialog-body">{children()}</div>
            </div>
        </Show>
    }
}
