//! R14 in the browser: the optional **Access ends** choice of a grant (no
//! end, a duration or a date), the dialog that changes an end date, and how
//! an end date is shown (date and days left).

use crate::state::toasts::use_toasts;
use crate::state::write::{write, WriteState};
use crate::widgets::{Dialog, FieldError, FieldMessage, FormActions};
use domain::api::SetEndDateRequest;
use domain::rules::{check_end_date, MAX_END_DAYS};
use domain::UnixTime;
use leptos::prelude::*;

/// The durations offered, in days.
const DURATIONS: [i64; 4] = [7, 30, 90, 365];

/// The refusals of an end that are about the date chosen (shown at it).
const DATE_REASONS: &[&str] = &["end_not_in_future", "end_too_far"];

/// The end `choice` and `date` stand for: none for no end; a duration from
/// now; the day's start, or the end already set (`initial`, kept to the
/// second) while its day stays chosen; none for a day not (fully) given.
fn chosen_end(choice: &str, date: &str, initial: Option<UnixTime>) -> Option<UnixTime> {
    match choice {
        "none" => None,
        "date" => initial.filter(|i| i.date() == date).or_else(|| UnixTime::parse_date(date)),
        days => days.parse::<i64>().ok().map(|d| crate::format::now().plus_days(d)),
    }
}

/// What is wrong with a chosen date, in words: none given, or what R14's
/// own rule (the server's) refuses — in the past, or too far ahead.
fn date_error(end: Option<UnixTime>, now: UnixTime) -> Option<String> {
    let t = crate::i18n::t();
    match end {
        None => Some(t.end_date_missing.to_string()),
        Some(end) => check_end_date(now, end).err().map(|refusal| t.refusal(&refusal)),
    }
}

/// The **Access ends** field: writes the chosen end (none for no end) to
/// `value`. A chosen date is checked when the person leaves it and before
/// the form sends (see [`crate::widgets::field`]).
#[component]
pub fn EndDateField(
    value: RwSignal<Option<UnixTime>>,
    /// Element ids start with this (the labels point at them).
    #[prop(default = "ends")]
    id: &'static str,
    /// The end already set, if any.
    #[prop(default = None)]
    initial: Option<UnixTime>,
    /// The form's write: its refusals of the chosen date are shown at the
    /// field instead of below the form.
    #[prop(optional, into)]
    write: Option<WriteState>,
) -> impl IntoView {
    let t = crate::i18n::t();
    let choice = RwSignal::new(if initial.is_some() { "date" } else { "none" }.to_string());
    let date = RwSignal::new(initial.map(UnixTime::date).unwrap_or_default());
    Effect::new(move |_| value.set(chosen_end(&choice.get(), &date.get(), initial)));
    let select_id = format!("{id}-choice");
    let date_id = format!("{id}-date");
    let error = FieldError::new(date_id.clone(), move || {
        let end = chosen_end(&choice.get_untracked(), &date.get_untracked(), initial);
        date_error(end, crate::format::now())
    });
    if let Some(write) = write {
        error.claim(write, DATE_REASONS);
    }
    let (select_for, date_for) = (select_id.clone(), date_id.clone());
    let now = crate::format::now();
    let (today, latest) = (now.date(), now.plus_days(MAX_END_DAYS).date());
    view! {
        <div class="field end-date">
            <label for=select_for>{t.access_ends}</label>
            <select id=select_id class="input" on:change=move |ev| {
                choice.set(event_target_value(&ev));
                error.clear();
            }>
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
                    max=latest.clone()
                    prop:value=move || date.get()
                    on:input=move |ev| date.set(event_target_value(&ev))
                />
                <FieldMessage error=error/>
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
        // A passed end (an ended relationship, R18): when it ended.
        Some(at) if at <= crate::format::now() => {
            view! { <span class="ends">{t.ended(crate::format::date(at))}</span> }.into_any()
        }
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
            <EndDateField value=value id="change-ends" initial=current write=save/>
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

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: UnixTime = UnixTime(1_800_000_000);

    #[test]
    fn a_day_in_the_past_is_refused_in_the_words_of_the_servers_rule() {
        let words = date_error(Some(NOW.plus_days(-1)), NOW);
        assert_eq!(words.as_deref(), Some("Choose an end date in the future"));
        assert_eq!(date_error(Some(NOW), NOW).as_deref(), Some("Choose an end date in the future"));
    }

    #[test]
    fn a_day_more_than_two_years_ahead_is_refused_and_one_within_them_is_taken() {
        let words = date_error(Some(NOW.plus_days(MAX_END_DAYS + 1)), NOW);
        assert_eq!(words.as_deref(), Some("Access can end at most two years from now"));
        assert_eq!(date_error(Some(NOW.plus_days(MAX_END_DAYS)), NOW), None);
        assert_eq!(date_error(Some(NOW.plus_days(20)), NOW), None);
    }

    #[test]
    fn the_refusals_shown_at_the_date_are_r14s_own_reasons() {
        use domain::rules::Reason;
        assert_eq!(DATE_REASONS, [Reason::EndNotInFuture.key(), Reason::EndTooFar.key()]);
    }

    #[test]
    fn on_a_date_without_a_whole_day_asks_for_the_day() {
        assert_eq!(chosen_end("date", "", None), None);
        assert_eq!(chosen_end("date", "2027-02-30", None), None);
        assert_eq!(date_error(None, NOW).as_deref(), Some("Choose the day access ends."));
    }

    #[test]
    fn the_end_already_set_is_kept_to_the_second_while_its_day_stays_chosen() {
        let set = UnixTime::parse_date("2027-03-03").map(|d| UnixTime(d.0 + 3_600)).unwrap();
        assert_eq!(chosen_end("date", "2027-03-03", Some(set)), Some(set));
        assert_eq!(chosen_end("date", "2027-03-04", Some(set)), UnixTime::parse_date("2027-03-04"));
        assert_eq!(chosen_end("none", "2027-03-03", Some(set)), None);
    }
}
