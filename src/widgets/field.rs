//! Errors at the field, the one pattern of every form. A field is checked
//! when the person leaves it and again when the form is sent, by the
//! domain's own rules (`Email::parse`, `rules::check_end_date`); a value
//! found wrong is marked on its input (`aria-invalid="true"`, and
//! `aria-describedby` naming the message) and its words stand right under
//! it. A form never sends while one of its checked fields is wrong: a click
//! on a sending button (`type="submit"`, or a primary or danger button)
//! first checks every field of the form, dialog or page the button is in,
//! and focuses the first wrong one instead of sending. A refusal of the
//! server about one input is shown at that input too
//! ([`FieldError::claim`]).
//!
//! A field takes two lines: `FieldError::new(input_id, rule)` and
//! `<FieldMessage error=…/>` under its input. Leaving, typing and sending
//! are heard by one listener for the whole page, and the input's attributes
//! and the words are written from here: no code is compiled per input.

use crate::state::write::WriteState;
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;

/// What is wrong with a field's value, in words; none when it is right.
type Rule = Rc<dyn Fn() -> Option<String>>;

/// A checked field of the screen.
struct Field {
    error: FieldError,
    input: String,
    rule: Rule,
}

thread_local! {
    static FIELDS: RefCell<Vec<Field>> = const { RefCell::new(Vec::new()) };
    static NEXT: Cell<u32> = const { Cell::new(0) };
    static LISTENING: Cell<bool> = const { Cell::new(false) };
}

/// A checked field: its rule and the words shown under its input while its
/// value is wrong.
#[derive(Clone, Copy)]
pub struct FieldError {
    number: u32,
    message: RwSignal<Option<String>>,
}

impl FieldError {
    /// The field whose input has the id `input`, checked by `rule`: the
    /// words of what is wrong with the value, none when it is right.
    pub fn new(input: impl Into<String>, rule: impl Fn() -> Option<String> + 'static) -> FieldError {
        FieldError::register(input.into(), Rc::new(rule))
    }

    /// [`FieldError::new`] once for all rules (not once per caller).
    fn register(input: String, rule: Rule) -> FieldError {
        let number = NEXT.with(|n| n.replace(n.get().wrapping_add(1)));
        let error = FieldError { number, message: RwSignal::new(None) };
        FIELDS.with(|f| f.borrow_mut().push(Field { error, input, rule }));
        on_cleanup(move || FIELDS.with(|f| f.borrow_mut().retain(|field| field.error.number != number)));
        listen();
        error
    }

    /// Checks the value now and shows what is wrong; true when it is right.
    pub fn check(self) -> bool {
        let rule = FIELDS.with(|f| f.borrow().iter().find(|f| f.error.number == self.number).map(|f| f.rule.clone()));
        let words = rule.and_then(|rule| rule());
        let right = words.is_none();
        self.message.set(words);
        right
    }

    /// The person typed: a message already shown is checked again, so that
    /// it goes as soon as the value is right (a new one waits for leaving).
    pub fn typed(self) {
        if self.message.with_untracked(Option::is_some) {
            self.check();
        }
    }

    /// Shows `words` at the field (a refusal of the server) and moves the
    /// focus there.
    pub fn show(self, words: String) {
        self.message.set(Some(words));
        self.focus();
    }

    /// Takes the message away (the field no longer applies).
    pub fn clear(self) {
        self.message.set(None);
    }

    /// Whether a message is shown.
    pub fn is_shown(self) -> bool {
        self.message.with(Option::is_some)
    }

    /// The id of the field's input.
    fn input(self) -> String {
        FIELDS
            .with(|f| f.borrow().iter().find(|f| f.error.number == self.number).map(|f| f.input.clone()))
            .unwrap_or_default()
    }

    /// Moves the focus to the field's input.
    pub fn focus(self) {
        let input = document().get_element_by_id(&self.input());
        if let Some(el) = input.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    }

    /// Shows at this field, instead of below the form, each refusal of
    /// `write` about its input (while the input is shown): those whose
    /// reason (SPEC §7's `reason`, an `input_*` or a rule's reason key) is
    /// one of `reasons`.
    pub fn claim(self, write: WriteState, reasons: &'static [&'static str]) {
        Effect::new(move |_| {
            let Some(failure) = write.failure() else { return };
            let shown = document().get_element_by_id(&self.input()).is_some();
            if shown && reasons.iter().any(|reason| refused_for(&failure, reason)) {
                write.clear();
                self.show(failure.message);
            }
        });
    }
}

/// Whether a failure of the API is the refusal with `reason` (SPEC §7's
/// `reason`: an `input_*` or a rule's reason key). The browser keeps a
/// failure in words only, so the words are compared with that reason's
/// words in the user's language (the same catalogue wrote both).
pub fn refused_for(failure: &crate::api::ApiError, reason: &str) -> bool {
    let detail =
        domain::api::ErrorDetail { code: failure.code.clone(), reason: Some(reason.to_string()), ..Default::default() };
    failure.message == crate::i18n::t().api_error(&detail)
}

/// The words of a field's error, right under its input (nothing while its
/// value is right); while they are shown the input is `aria-invalid` and
/// described by them. A polite live region, so that words appearing as the
/// person leaves the field are read out too. Written from here rather than
/// through the view, so that one piece of code serves every field.
#[component]
pub fn FieldMessage(
    /// The field.
    error: FieldError,
) -> impl IntoView {
    let input = error.input();
    let id = format!("{input}-error");
    let own = id.clone();
    Effect::new(move |_| {
        let words = error.message.get();
        let doc = document();
        if let Some(p) = doc.get_element_by_id(&own) {
            p.set_text_content(words.as_deref());
        }
        let Some(el) = doc.get_element_by_id(&input) else { return };
        if words.is_some() {
            let _ = el.set_attribute("aria-invalid", "true");
            let _ = el.set_attribute("aria-describedby", &own);
        } else {
            let _ = el.remove_attribute("aria-invalid");
            let _ = el.remove_attribute("aria-describedby");
        }
    });
    view! { <p id=id class="field-error" aria-live="polite"></p> }
}

/// Checks every field inside `scope` in the order of the page and focuses
/// the first wrong one; true when all are right.
pub fn check_fields_in(scope: &web_sys::Element) -> bool {
    let Ok(inputs) = scope.query_selector_all("input, select, textarea") else { return true };
    let mut first_wrong = None;
    for i in 0..inputs.length() {
        let Some(el) = inputs.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        for field in fields_of(&el.id()) {
            if !field.check() && first_wrong.is_none() {
                first_wrong = Some(field);
            }
        }
    }
    match first_wrong {
        Some(field) => {
            field.focus();
            false
        }
        None => true,
    }
}

/// The fields whose input has the id `id`.
fn fields_of(id: &str) -> Vec<FieldError> {
    if id.is_empty() {
        return Vec::new();
    }
    FIELDS.with(|f| f.borrow().iter().filter(|f| f.input == id).map(|f| f.error).collect())
}

/// Once per page, one listener for what the person does: leaving an input
/// checks its field, typing checks again a message shown, and a click on a
/// sending button checks the fields of the form, dialog or page it is in
/// first, going no further (no click handler, no form submission) while one
/// is wrong. Clicks are heard while they come down (capture), before the
/// button's own handler; typing on the way up, after the input's own.
fn listen() {
    if LISTENING.with(|l| l.replace(true)) {
        return;
    }
    let on_event = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(|ev: web_sys::Event| {
        let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        match ev.type_().as_str() {
            "focusout" => fields_of(&target.id()).into_iter().for_each(|f| {
                f.check();
            }),
            "input" => fields_of(&target.id()).into_iter().for_each(FieldError::typed),
            _ => {
                let sending = "button[type=submit], button.btn-primary, button.btn-danger";
                let button = target.closest(sending).ok().flatten();
                let scope = button.and_then(|b| b.closest("form, [role=dialog], main").ok().flatten());
                if scope.is_some_and(|scope| !check_fields_in(&scope)) {
                    ev.prevent_default();
                    ev.stop_immediate_propagation();
                }
            }
        }
    });
    let window = window();
    let listener = on_event.as_ref().unchecked_ref();
    let _ = window.add_event_listener_with_callback_and_bool("click", listener, true);
    let _ = window.add_event_listener_with_callback("focusout", listener);
    let _ = window.add_event_listener_with_callback("input", listener);
    on_event.forget();
}
