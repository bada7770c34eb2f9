//! A panel that slides in from the right, for forms beside a list.

use leptos::prelude::*;

/// A right-hand side panel shown while `open` is true.
#[component]
pub fn SidePanel(
    /// Whether the panel is shown.
    #[prop(into)]
    open: Signal<bool>,
    /// The panel's title (its accessible name).
    #[prop(into)]
    title: Signal<String>,
    /// Called when the person closes the panel.
    on_close: Callback<()>,
    /// The panel's content.
    children: ChildrenFn,
) -> impl IntoView {
    let t = crate::i18n::t();
    let container = NodeRef::<leptos::html::Div>::new();
    super::modal_behaviour(open, on_close, container);
    view! {
        <Show when=move || open.get()>
            <div class="overlay" on:click=move |_| on_close.run(())></div>
            <div class="side-panel" role="dialog" aria-modal="true" aria-labelledby="side-panel-title" tabindex="-1" node_ref=container>
                <header class="side-panel-header">
                    <h2 id="side-panel-title">{move || title.get()}</h2>
                    <button type="button" class="icon-button" aria-label=t.close on:click=move |_| on_close.run(())>"×"</button>
                </header>
                <div class="side-panel-body">{children()}</div>
            </div>
        </Show>
    }
}
