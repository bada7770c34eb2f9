//! R14 in the browser: the optional **Access ends** choice of a grant (no
//! end, a duration or a date), the dialog that changes an end date, and how
//! an end date is shown (date and days left).

use crate::state::toasts::use_toasts;
use crate::state::write::write;
use crate::widgets::{Dialog, FormActions};
use domain::api::SetEndDateRequest;
use domain::UnixTime;
use leptos::prelude::*;

/// The durations offered, in days.
const DURATIONS: [i64; 4] = [7, 30, 90, 365];

/// The **Access ends** field: writes the chosen end (none for no end) to `value`.
#[component]
pub fn EndDateField(
    value: RwSignal<Option<UnixTime>>,
    /// Element ids start with this (the labels point at them).
    #[prop(default = "ends")]
    id: &'static str,
    /// The end already set, if any.
    #[prop(default = None)]
    initial: Option<UnixTime>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let choice = RwSignal::new(if initial.is_some() { "date" } else { "none" }.to_string());
    let date = RwSignal::new(initial.map(UnixTime::date).unwrap_or_default());
    Effect::new(move |_| {
        let end = match choice.get().as_str() {
            "none" => None,
            // The end already set stays to the second unless another day is chosen.
            "date" => {
                let day = date.get();
                initial.filter(|i| i.date() == day).or_else(|| UnixTime::parse_date(&day))
            }
            days => days.parse::<i64>().ok().map(|d| crate::format::now().plus_days(d)),
        };
        value.set(end);
    });
    let select_id = format!("{id}-choice");
    let date_id = format!("{id}-date");
    let (select_for, date_for) = (select_id.clone(), date_id.clone());
    let today = crate::format::now().date();
    view! {
        <div class="field end-date">
            <label for=select_for>{t.access_ends}</label>
            <select id=select_id class="input" on:change=move |ev| choice.set(event_target_value(&ev))>
                <option value="none" selected=move || choice.get() == "none">{t.no_end_date}</option>
                {DURATIONS
                    .iter()
                    .map(|d| {
                        let key = d.to_string();
                        let selected = key.clone();
                        view! { <option value=key selected=move || choice.get() == selected>{t.in_days(*d)}</option> }
                    })
                    .collect_view()}
                <option value="date" selected=move || choice.get() == "date">{t.on_a_date}</option>
            </select>
            <Show when=move || choice.get() == "date">
                <label for=date_for.clone() class="sub-label">{t.end_date_label}</label>
                <input
                    id=date_id.clone()
                    class="input"
                    type="date"
                    min=today.clone()
                    prop:value=move || date.get()
                    on:input=move |ev| date.set(event_target_value(&ev))
                />
            </Show>
            <p class="hint">{t.ends_hint}</p>
        </div>
    }
}

/// An end date as shown in lists: the date and the days left, or a dash.
pub fn ends_cell(ends: Option<UnixTime>) -> AnyView {
    let t = crate::i18n::t();
    match ends {
        None => view! { <span class="hint">"—"</span> }.into_any(),
        Some(at) => {
            let days = crate::format::now().days_until(at);
            let soon = days <= 30;
            view! {
                <span class="ends" class:ends-soon=soon>{crate::format::date(at)}</span>
                <div class="cell-sub">{t.days_left(days)}</div>
            }
            .into_any()
        }
    }
}

/// Whose end date a dialog changes: a partner employee's in a client (the
/// partner's route, R2) or a member's of the client's own account (R16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndOf {
    Employee { account_id: i64, client_id: i64, user_id: i64 },
    Member { account_id: i64, user_id: i64 },
}

/// What the §9 decision says of an end chosen in the dialog: the refusal
/// (in words) when the server would refuse it, none when it is allowed.
pub type EndCheck = std::sync::Arc<dyn Fn(Option<UnixTime>) -> Option<String> + Send + Sync>;

/// R14: the **Change end date** dialog: a new end, or none to remove it.
/// `check` previews the chosen end with the decision the server applies
/// (moving a client's end later, say), and disables *Save* when refused.
#[component]
pub fn EndDateDialog(
    title: String,
    of: EndOf,
    current: Option<UnixTime>,
    open: RwSignal<bool>,
    on_done: Callback<()>,
    #[prop(optional)] check: Option<EndCheck>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let toasts = use_toasts();
    let value = RwSignal::new(current);
    let check = StoredValue::new(check);
    let refused = move || check.with_value(|c| c.as_ref().and_then(|c| c(value.get())));
    let save = write(
        move |req: SetEndDateRequest| async move {
            match of {
                EndOf::Employee { account_id, client_id, user_id } => {
                    crate::api::cam::set_end_date(account_id, client_id, user_id, req).await
                }
                EndOf::Member { account_id, user_id } => {
                    crate::api::users::set_end_date(account_id, user_id, req).await
                }
            }
        },
        move |_| {
            toasts.show(t.end_date_saved);
            open.set(false);
            on_done.run(());
        },
    );
    view! {
        <Dialog open=open title=title on_close=Callback::new(move |_| open.set(false))>
            <EndDateField value=value id="change-ends" initial=current/>
            {move || refused().map(|r| view! { <p class="notice notice-warn" role="status">{r}</p> })}
            <FormActions
                action=save
                label=t.save
                disabled=Signal::derive(move || refused().is_some())
                on_submit=Callback::new(move |_| {
                    save.dispatch(SetEndDateRequest { ends_at: value.get_untracked() });
                })
                on_cancel=Callback::new(move |_| open.set(false))
            />
        </Dialog>
    }
}
