//! The step indicator of a multi-step wizard.

use leptos::prelude::*;

/// "Step i of n" and the list of steps, the current one marked.
#[component]
pub fn WizardSteps(
    /// The steps' titles.
    steps: Vec<&'static str>,
    /// The current step, from 0.
    #[prop(into)]
    current: Signal<usize>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let n = steps.len();
    view! {
        <div class="wizard-steps">
            <p class="hint">{move || t.step_of(current.get() + 1, n)}</p>
            <ol class="steps">
                {steps
                    .into_iter()
                    .enumerate()
                    .map(|(i, title)| {
                        let is_current = move || current.get() == i;
                        let is_done = move || current.get() > i;
                        view! {
                            <li
                                class="step"
                                class:current=is_current
                                class:done=is_done
                                aria-current=move || is_current().then_some("step")
                            >
                                {title}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </div>
    }
}
