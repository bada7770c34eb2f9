//! The product's languages: which ones there are, how a browser's preferred
//! languages choose one, and which plural form a count takes in each (the
//! CLDR rules for whole numbers). The texts themselves live in
//! `locales/<tag>.json`, one file per language, read by the browser and the
//! server; the server's own (emails, CSV files) in `crates/server/texts/`.

use serde::{Deserialize, Serialize};

/// The texts only the server writes (emails and CSV files), in its own
/// catalogue per language (`crates/server/texts/<tag>.json`), which the
/// browser never downloads.
pub const SERVER_KEYS: &[&str] = &[
    "email_greeting",
    "email_link_approved_subject",
    "email_link_approved_body",
    "email_open_cam",
    "email_link_approved_ends",
    "email_link_declined_subject",
    "email_link_declined_body",
    "email_link_declined_reason",
    "email_access_ending_subject",
    "email_access_ending_body",
    "email_access_ended_subject",
    "email_access_ended_body",
    "email_partner_suspended_subject",
    "email_partner_suspended_body",
    "email_partner_resumed_subject",
    "email_partner_resumed_body",
    "email_ceiling_lowered_subject",
    "email_ceiling_lowered_body",
    "email_relationship_end_set_subject",
    "email_relationship_end_set_body",
    "email_relationship_end_removed_subject",
    "email_relationship_end_removed_body",
    "email_relationship_ending_subject",
    "email_relationship_ending_body",
    "email_client_linked_subject",
    "email_client_linked_body",
    "email_factors_reset_subject",
    "email_factors_reset_body",
    "csv_when",
    "csv_actor",
    "csv_account",
    "csv_target",
    "csv_action",
    "csv_before",
    "csv_after",
    "csv_detail",
    "csv_client",
    "csv_employee",
    "csv_email",
    "csv_access",
    "csv_set",
    "csv_status",
    "csv_last_activity",
    "csv_idle_days",
    "csv_access_ends",
];

/// Replaces each `{{name}}` of a catalogue's `template` by its value; an
/// unknown name is left as it is.
pub fn fill(template: &str, args: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push_str(&rest[start..]);
            return out;
        };
        let name = &after[..end];
        match args.iter().find(|(n, _)| *n == name) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&rest[start..start + end + 4]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The cookie that keeps the language chosen in a browser (read by the page
/// and by the server, which starts the download of that language's texts
/// with the page).
pub const LANG_COOKIE: &str = "cam_lang";

/// A language of the product (SPEC §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Lang {
    #[default]
    En,
    Fi,
    Sv,
    Pl,
    ZhCn,
}

/// A CLDR plural category. Whole counts in the product's languages use only
/// these four.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PluralCategory {
    One,
    Few,
    Many,
    Other,
}

impl PluralCategory {
    /// The suffix of a plural text's key in the catalogue (i18next JSON v4:
    /// `results_one`, `results_few`, …).
    pub fn suffix(self) -> &'static str {
        match self {
            PluralCategory::One => "one",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }
}

impl Lang {
    /// Every language, English first (the fallback).
    pub const ALL: &'static [Lang] = &[Lang::En, Lang::Fi, Lang::Sv, Lang::Pl, Lang::ZhCn];

    /// The BCP 47 tag: `<html lang>`, `Intl` and the catalogue's file name.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fi => "fi",
            Lang::Sv => "sv",
            Lang::Pl => "pl",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language's own name, as the language menu shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Fi => "Suomi",
            Lang::Sv => "Svenska",
            Lang::Pl => "Polski",
            Lang::ZhCn => "简体中文",
        }
    }

    /// The language of a BCP 47 tag such as `fi`, `fi-FI`, `sv-SE`,
    /// `zh-Hans-CN` or `en-GB` (case-insensitive); `None` for a language
    /// the product does not have. Chinese of any script or region gets the
    /// Simplified Chinese texts, the only Chinese there is.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "fi" => Some(Lang::Fi),
            "sv" => Some(Lang::Sv),
            "pl" => Some(Lang::Pl),
            "zh" => Some(Lang::ZhCn),
            _ => None,
        }
    }

    /// The first of the browser's preferred languages (in order of
    /// preference) that the product has; English when none is.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        preferred.into_iter().find_map(Lang::from_tag).unwrap_or_default()
    }

    /// The language of a page request: the one chosen in this browser (the
    /// [`LANG_COOKIE`] cookie's value), else the first of the
    /// `Accept-Language` languages the product has (listed in order of
    /// preference, as browsers send them and as `navigator.languages` gives
    /// them to the page).
    pub fn for_request(chosen: Option<&str>, accept_language: &str) -> Lang {
        if let Some(lang) = chosen.and_then(|tag| Lang::try_from(tag.to_string()).ok()) {
            return lang;
        }
        Lang::negotiate(accept_language.split(',').map(|item| item.split(';').next().unwrap_or("").trim()))
    }

    /// The plural category of a whole count (CLDR plural rules, integer
    /// operands: `v = 0`, `i = n`).
    pub fn plural(self, n: u64) -> PluralCategory {
        match self {
            Lang::En | Lang::Fi | Lang::Sv => {
                if n == 1 {
                    PluralCategory::One
                } else {
                    PluralCategory::Other
                }
            }
            // one: i = 1; few: i % 10 = 2..4 and i % 100 != 12..14;
            // many: every other whole number.
            Lang::Pl => {
                let (m10, m100) = (n % 10, n % 100);
                if n == 1 {
                    PluralCategory::One
                } else if (2..=4).contains(&m10) && !(12..=14).contains(&m100) {
                    PluralCategory::Few
                } else {
                    PluralCategory::Many
                }
            }
            Lang::ZhCn => PluralCategory::Other,
        }
    }

    /// The plural categories a language's catalogue must give for every
    /// plural text.
    pub fn plural_categories(self) -> &'static [PluralCategory] {
        use PluralCategory::*;
        match self {
            Lang::En | Lang::Fi | Lang::Sv => &[One, Other],
            // `other` is for fractions, which the product never counts, but
            // translators' tools expect it.
            Lang::Pl => &[One, Few, Many, Other],
            Lang::ZhCn => &[Other],
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

impl TryFrom<String> for Lang {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Lang::ALL.iter().copied().find(|l| l.tag() == value).ok_or_else(|| format!("unknown language: {value}"))
    }
}

impl From<Lang> for String {
    fn from(value: Lang) -> Self {
        value.tag().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PluralCategory::*;

    /// Written by hand from CLDR's tables (unicode.org, "Language Plural
    /// Rules"): the examples CLDR lists for each category.
    #[test]
    fn plural_forms_follow_cldr_examples() {
        let cases: &[(Lang, &[u64], PluralCategory)] = &[
            (Lang::En, &[1], One),
            (Lang::En, &[0, 2, 3, 11, 21, 100], Other),
            (Lang::Fi, &[1], One),
            (Lang::Fi, &[0, 2, 5, 21, 101], Other),
            (Lang::Sv, &[1], One),
            (Lang::Sv, &[0, 2, 16, 1000], Other),
            (Lang::Pl, &[1], One),
            (Lang::Pl, &[2, 3, 4, 22, 23, 24, 32, 33, 34, 42, 52, 62, 102, 1002], Few),
            (Lang::Pl, &[0, 5, 6, 10, 11, 12, 13, 14, 15, 19, 20, 21, 25, 100, 101, 111, 112, 1000], Many),
            (Lang::ZhCn, &[0, 1, 2, 5, 100], Other),
        ];
        for (lang, counts, want) in cases {
            for n in *counts {
                assert_eq!(lang.plural(*n), *want, "{lang} {n}");
            }
        }
    }

    /// The same rules by an independent implementation (the
    /// `intl_pluralrules` crate, generated from CLDR data) for every count up
    /// to 10,000.
    #[test]
    fn plural_forms_agree_with_cldr_data() {
        use intl_pluralrules::{PluralCategory as C, PluralRuleType, PluralRules};
        for lang in Lang::ALL {
            // The crate knows languages, not regions: `zh`, not `zh-CN`.
            let id: unic_langid::LanguageIdentifier = lang.tag().split('-').next().unwrap().parse().unwrap();
            let rules = PluralRules::create(id, PluralRuleType::CARDINAL).unwrap();
            for n in 0..=10_000u64 {
                let want = match rules.select(n).unwrap() {
                    C::ONE => One,
                    C::FEW => Few,
                    C::MANY => Many,
                    C::OTHER => Other,
                    other => panic!("{lang}: unexpected category {other:?} for {n}"),
                };
                assert_eq!(lang.plural(n), want, "{lang} {n}");
                assert!(lang.plural_categories().contains(&want));
            }
        }
    }

    #[test]
    fn parameters_are_filled_in_and_unknown_ones_kept() {
        let args = [("name", "Aino".to_string()), ("count", "3".to_string())];
        assert_eq!(fill("{{name}} has {{count}} clients", &args), "Aino has 3 clients");
        assert_eq!(fill("{{other}} and {{name}}", &args), "{{other}} and Aino");
        assert_eq!(fill("no braces {{name", &args), "no braces {{name");
        assert_eq!(fill("", &args), "");
    }

    #[test]
    fn the_first_preferred_language_the_product_has_wins() {
        assert_eq!(Lang::negotiate(["fi-FI", "en-US"]), Lang::Fi);
        assert_eq!(Lang::negotiate(["de-DE", "sv-SE", "en"]), Lang::Sv);
        assert_eq!(Lang::negotiate(["zh-Hans-CN"]), Lang::ZhCn);
        assert_eq!(Lang::negotiate(["zh-TW", "pl"]), Lang::ZhCn);
        assert_eq!(Lang::negotiate(["PL"]), Lang::Pl);
        assert_eq!(Lang::negotiate(["de", "nb"]), Lang::En);
        assert_eq!(Lang::negotiate([]), Lang::En);
    }

    #[test]
    fn a_page_request_is_in_the_chosen_language_else_the_accepted_one() {
        assert_eq!(Lang::for_request(Some("pl"), "fi-FI,fi;q=0.9"), Lang::Pl);
        assert_eq!(Lang::for_request(None, "fi-FI,fi;q=0.9,en-US;q=0.8"), Lang::Fi);
        assert_eq!(Lang::for_request(Some("xx"), "de-DE,de;q=0.9,zh-CN;q=0.8"), Lang::ZhCn);
        assert_eq!(Lang::for_request(None, ""), Lang::En);
    }

    #[test]
    fn tags_round_trip_and_unknown_ones_are_refused() {
        for lang in Lang::ALL {
            let json = serde_json::to_string(lang).unwrap();
            assert_eq!(serde_json::from_str::<Lang>(&json).unwrap(), *lang);
        }
        assert_eq!(serde_json::to_string(&Lang::ZhCn).unwrap(), "\"zh-CN\"");
        assert!(serde_json::from_str::<Lang>("\"de\"").is_err());
    }
}
