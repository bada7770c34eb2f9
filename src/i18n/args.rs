//! What goes into a text: parameters (words as they are, numbers in the
//! user's locale), the count a plural text is chosen by, and plural texts.

use domain::i18n::PluralCategory;

/// A value put into a text: words as they are, numbers in the user's locale.
pub trait Arg {
    fn text(&self) -> String;
}

impl Arg for &str {
    fn text(&self) -> String {
        (*self).to_string()
    }
}

impl Arg for String {
    fn text(&self) -> String {
        self.clone()
    }
}

impl Arg for &String {
    fn text(&self) -> String {
        (*self).clone()
    }
}

macro_rules! number_args {
    ($($t:ty),*) => {
        $(impl Arg for $t {
            fn text(&self) -> String {
                super::intl::number(*self as i64)
            }
        })*
    };
}
number_args!(u32, u64, usize, i64);

/// A count a plural text is chosen by.
pub trait Count: Copy {
    fn count(self) -> u64;
}

macro_rules! counts {
    ($($t:ty),*) => {
        $(impl Count for $t {
            fn count(self) -> u64 {
                self.max(0) as u64
            }
        })*
    };
}
counts!(u32, u64, usize, i64);

/// A text with plural forms: the form for each category the language has.
#[derive(Clone, Copy, Default)]
pub struct Plural {
    pub(super) one: Option<&'static str>,
    pub(super) few: Option<&'static str>,
    pub(super) many: Option<&'static str>,
    pub(super) other: &'static str,
}

impl Plural {
    pub(super) fn set(&mut self, category: PluralCategory, text: &'static str) {
        match category {
            PluralCategory::One => self.one = Some(text),
            PluralCategory::Few => self.few = Some(text),
            PluralCategory::Many => self.many = Some(text),
            PluralCategory::Other => self.other = text,
        }
    }

    pub(super) fn form(&self, category: PluralCategory) -> &'static str {
        match category {
            PluralCategory::One => self.one,
            PluralCategory::Few => self.few,
            PluralCategory::Many => self.many,
            PluralCategory::Other => None,
        }
        .unwrap_or(self.other)
    }
}

pub(super) fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}
