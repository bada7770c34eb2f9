//! A modal: a centred dialog, or a panel that slides in from the right for
//! forms beside a list. Title, content, Escape or the close button to dismiss.

use leptos::prelude::*;

/// Where a modal appears.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ModalKind {
    /// A dialog in the middle of the page.
    #[default]
    Centred,
    /// A panel on the right-hand side, beside the list it works on.
    SidePanel,
}

impl ModalKind {
    /// The CSS class of the modal and the prefix of its parts' classes.
    fn class(self) -> &'static str {
        match self {
            ModalKind::Centred => "dialog",
            ModalKind::SidePanel => "side-panel",
        }
    }
}

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
    /// Centred (the default) or a side panel.
    #[prop(optional)]
    kind: ModalKind,
    /// The dialog's content (text, form, buttons).
    children: ChildrenFn,
) -> impl IntoView {
    let t = crate::i18n::t();
    let container = NodeRef::<leptos::html::Div>::new();
    super::modal_behaviour(open, on_close, container);
    let class = kind.class();
    let title_id = format!("{class}-title");
    view! {
        <Show when=move || open.get()>
            <div class="overlay" on:click=move |_| on_close.run(())></div>
            <div class=class role="dialog" aria-modal="true" aria-labelledby=title_id.clone() tabindex="-1" node_ref=container>
                <header class=format!("{class}-header")>
                    <h2 id=title_id.clone()>{move || title.get()}</h2>
                    <button type="button" class="icon-button" aria-label=t.close on:click=move |_| on_close.run(())>"×"</button>
                </header>
                <div class=format!("{class}-body")>{children()}</div>
            </div>
        </Show>
    }
}
