//! The catalogues against the text list, and the language rules.

use super::*;
use std::collections::{BTreeMap, BTreeSet};

fn catalogue(lang: Lang) -> BTreeMap<String, String> {
    let path = format!("{}/locales/{}.json", env!("CARGO_MANIFEST_DIR"), lang.tag());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not a flat JSON object of texts: {e}"))
}

/// A language's texts, read from its catalogue as the browser reads them.
fn strings(lang: Lang) -> Strings {
    let path = format!("{}/locales/{}.json", env!("CARGO_MANIFEST_DIR"), lang.tag());
    from_json(lang, &std::fs::read_to_string(path).unwrap())
}

fn placeholders(text: &str) -> BTreeSet<String> {
    text.split("{{").skip(1).filter_map(|s| s.split_once("}}")).map(|(name, _)| name.to_string()).collect()
}

/// The key a plural form shares its parameters with in English.
fn english_key(key: &str, en: &BTreeMap<String, String>) -> String {
    for suffix in ["_one", "_few", "_many", "_other"] {
        if let Some(base) = key.strip_suffix(suffix) {
            if en.contains_key(&format!("{base}_other")) {
                return format!("{base}_other");
            }
        }
    }
    key.to_string()
}

#[test]
fn every_language_has_every_key_and_no_other() {
    for lang in Lang::ALL {
        let have: BTreeSet<String> = catalogue(*lang).into_keys().collect();
        let want: BTreeSet<String> = expected_keys(*lang).into_iter().collect();
        let missing: Vec<_> = want.difference(&have).collect();
        let extra: Vec<_> = have.difference(&want).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{lang}: missing {missing:?}, extra {extra:?}");
    }
}

#[test]
fn every_text_has_the_parameters_of_its_english_text() {
    let en = catalogue(Lang::En);
    for lang in Lang::ALL {
        for (key, text) in catalogue(*lang) {
            assert!(!text.trim().is_empty(), "{lang}: {key} is empty");
            let english = &en[&english_key(&key, &en)];
            assert_eq!(placeholders(&text), placeholders(english), "{lang}: {key} = {text:?}");
        }
    }
}

/// Texts that are the same in English and another language on purpose:
/// names of products and seats, and words the languages share.
fn same_on_purpose(lang: Lang, text: &str) -> bool {
    const EVERYWHERE: &[&str] = &[
        "Client Access Manager",
        "CRM",
        "Core",
        "Sales",
        "Service",
        "+{{added}} / −{{removed}}",
        "{{employee}}: {{access}}, {{recency}}",
    ];
    let shared: &[&str] = match lang {
        Lang::Sv => &["Partner", "Status", "Partner: {{partner}}"],
        Lang::Pl => &["Partner", "Marketing", "Partner: {{partner}}", "Status"],
        _ => &[],
    };
    EVERYWHERE.contains(&text) || shared.contains(&text)
}

#[test]
fn no_english_is_left_untranslated() {
    let en = catalogue(Lang::En);
    // Words of English that none of the other languages uses ("to" is
    // Polish, so it is not among them).
    const ENGLISH: &[&str] = &["the", "you", "your", "and", "with", "this", "of", "is", "are", "not"];
    for lang in Lang::ALL.iter().filter(|l| **l != Lang::En) {
        for (key, text) in catalogue(*lang) {
            let english = &en[&english_key(&key, &en)];
            assert!(text != *english || same_on_purpose(*lang, &text), "{lang}: {key} is still English: {text:?}");
            let words = text.split(|c: char| !c.is_alphabetic()).map(str::to_lowercase);
            for word in words {
                assert!(!ENGLISH.contains(&word.as_str()), "{lang}: {key} has the English word {word:?}: {text:?}");
            }
        }
    }
}

#[test]
fn plural_texts_follow_each_languages_forms() {
    let fi = strings(Lang::Fi);
    assert_eq!(fi.results(1u64), "1 tulos");
    assert_eq!(fi.results(2u64), "2 tulosta");
    let pl = strings(Lang::Pl);
    // Polish: 1 klient, 2–4 klientów… as CLDR's one / few / many.
    let cases =
        [(1u64, "Usuń z 1 klienta"), (2, "Usuń z 2 klientów"), (5, "Usuń z 5 klientów"), (22, "Usuń z 22 klientów")];
    for (n, want) in cases {
        assert_eq!(pl.remove_from_n_clients(n), want);
    }
    let days = [
        (1u64, "został 1 dzień"),
        (3, "zostały 3 dni"),
        (5, "zostało 5 dni"),
        (12, "zostało 12 dni"),
        (24, "zostały 24 dni"),
    ];
    for (n, want) in days {
        let text = pl.ending(n, "1.12.2026");
        assert!(text.ends_with(want), "{n}: {text}");
    }
    assert_eq!(pl.results(1u64), "1 wynik");
    assert_eq!(pl.results(3u64), "3 wyniki");
    assert_eq!(pl.results(7u64), "7 wyników");
    assert_eq!(pl.results(113u64), "113 wyników");
    let zh = strings(Lang::ZhCn);
    assert_eq!(zh.results(1u64), "1 条结果");
    let en = english();
    assert_eq!(en.results(1u64), "1 result");
    assert_eq!(en.results(0u64), "0 results");
    assert_eq!(en.step_of(2usize, 3usize), "Step 2 of 3");
}

#[test]
fn refusals_are_worded_with_their_rule_and_parameters() {
    let fi = strings(Lang::Fi);
    let r = domain::rules::Refusal {
        rule: domain::Rule::R4,
        kind: domain::rules::RefusalKind::Conflict,
        reason: domain::Reason::AlreadyUserNamed,
        params: vec![("name".into(), "Aino".into())],
    };
    assert_eq!(fi.refusal(&r), format!("Aino on jo tämän tilin käyttäjä ({})", r.rule.name()));
    let detail = domain::api::ErrorDetail {
        code: "too_many_requests".into(),
        params: [("seconds".to_string(), "30".to_string())].into(),
        ..Default::default()
    };
    assert_eq!(fi.api_error(&detail), "Liian monta yritystä. Yritä uudelleen 30 sekunnin kuluttua.");
}
