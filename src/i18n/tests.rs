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

/// A catalogue's keys and texts in the file's own order.
fn in_file_order(lang: Lang) -> Vec<(String, String)> {
    struct Ordered(Vec<(String, String)>);
    impl<'de> serde::Deserialize<'de> for Ordered {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Visitor;
            impl<'de> serde::de::Visitor<'de> for Visitor {
                type Value = Ordered;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a flat JSON object of texts")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                    let mut entries = Vec::new();
                    while let Some(entry) = map.next_entry()? {
                        entries.push(entry);
                    }
                    Ok(Ordered(entries))
                }
            }
            d.deserialize_map(Visitor)
        }
    }
    let path = format!("{}/locales/{}.json", env!("CARGO_MANIFEST_DIR"), lang.tag());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str::<Ordered>(&text).unwrap_or_else(|e| panic!("{path}: {e}")).0
}

/// Every catalogue has every key, no other, in catalogue order: the
/// browser reads the values by position. `CAM_ORDER_CATALOGUES=1` rewrites
/// the files in that order (new keys go anywhere, then this puts them in
/// place).
#[test]
fn every_language_has_every_key_and_no_other_in_catalogue_order() {
    for lang in Lang::ALL {
        let file = in_file_order(*lang);
        let have: Vec<&str> = file.iter().map(|(k, _)| k.as_str()).collect();
        let want = catalogue_keys(*lang);
        // Each text once: a key named twice would shift every later value.
        assert_eq!(want.iter().collect::<BTreeSet<_>>().len(), want.len(), "a key is listed twice in texts!");
        if std::env::var_os("CAM_ORDER_CATALOGUES").is_some() {
            let texts: BTreeMap<&str, &str> = file.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let entries: Vec<String> = want
                .iter()
                .filter(|k| texts.contains_key(k.as_str()))
                .map(|k| format!("  {}: {}", serde_json::json!(k), serde_json::json!(texts[k.as_str()])))
                .collect();
            let path = format!("{}/locales/{}.json", env!("CARGO_MANIFEST_DIR"), lang.tag());
            std::fs::write(path, format!("{{\n{}\n}}\n", entries.join(",\n"))).unwrap();
            continue;
        }
        let wanted: BTreeSet<&str> = want.iter().map(String::as_str).collect();
        let had: BTreeSet<&str> = have.iter().copied().collect();
        let missing: Vec<_> = wanted.difference(&had).collect();
        let extra: Vec<_> = had.difference(&wanted).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{lang}: missing {missing:?}, extra {extra:?}");
        assert_eq!(had.len(), have.len(), "{lang}: a key appears twice in the file");
        let first_out_of_place = have.iter().zip(&want).position(|(h, w)| h != w);
        assert!(
            first_out_of_place.is_none(),
            "{lang}: {:?} is out of catalogue order (run with CAM_ORDER_CATALOGUES=1)",
            first_out_of_place.map(|i| have[i])
        );
    }
}

/// What the browser reads (the values alone, as scripts/pack-catalogues.mjs
/// writes them) gives the same texts as the file with its keys.
#[test]
fn the_values_alone_read_as_the_keyed_file() {
    for lang in Lang::ALL {
        let values: Vec<String> = in_file_order(*lang).into_iter().map(|(_, v)| v).collect();
        assert!(values.iter().all(|v| !v.contains('\n')), "{lang}: a text holds a line break");
        let packed = from_json(*lang, &values.join("\n"));
        let keyed = strings(*lang);
        assert_eq!(packed.app_name, keyed.app_name);
        assert_eq!(packed.change_set_in_clients, keyed.change_set_in_clients, "{lang}: the last plain text");
        assert_eq!(packed.seat_labels, keyed.seat_labels, "{lang}: the last array");
        assert_eq!(packed.ends_date("1.1.2027"), keyed.ends_date("1.1.2027"), "{lang}: the last template");
        for n in [1u64, 2, 5, 22] {
            assert_eq!(packed.results(n), keyed.results(n));
            assert_eq!(packed.n_cannot_add(n), keyed.n_cannot_add(n), "{lang}: the last plural");
        }
        assert!(!packed.n_cannot_add(5u64).is_empty());
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
        Lang::Pl => &["Partner", "Marketing", "Partner: {{partner}}", "Status", "Menu"],
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
    let cases = [
        (1u64, "Wybrano 1 klienta"),
        (2, "Wybrano 2 klientów"),
        (5, "Wybrano 5 klientów"),
        (22, "Wybrano 22 klientów"),
    ];
    for (n, want) in cases {
        assert_eq!(pl.n_clients_chosen(n), want);
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
fn refusals_are_worded_with_their_parameters_and_no_rule_code() {
    let fi = strings(Lang::Fi);
    let r = domain::rules::Refusal {
        rule: domain::Rule::R4,
        kind: domain::rules::RefusalKind::Conflict,
        reason: domain::Reason::AlreadyUserNamed,
        params: vec![("name".into(), "Aino".into())],
    };
    assert_eq!(fi.refusal(&r), "Aino on jo tämän tilin käyttäjä");
    let refused = domain::api::ErrorDetail {
        code: "conflict".into(),
        reason: Some(domain::Reason::AlreadyUserNamed.key().into()),
        rule: Some("R4".into()),
        params: [("name".to_string(), "Aino".to_string())].into(),
        ..Default::default()
    };
    assert_eq!(fi.api_error(&refused), "Aino on jo tämän tilin käyttäjä");
    let detail = domain::api::ErrorDetail {
        code: "too_many_requests".into(),
        params: [("seconds".to_string(), "30".to_string())].into(),
        ..Default::default()
    };
    assert_eq!(fi.api_error(&detail), "Liian monta yritystä. Yritä uudelleen 30 sekunnin kuluttua.");
}

/// A page's own catalogue (`locales/<dir>/<tag>.json`): every language has
/// every key, no other, in catalogue order (the browser reads the values by
/// position), none empty, each with its English text's parameters.
pub(super) fn own_catalogue_is_complete(dir: &str, keys_of: fn(Lang) -> Vec<String>) {
    let read = |lang: Lang| -> Vec<(String, String)> {
        let path = format!("{}/locales/{dir}/{}.json", env!("CARGO_MANIFEST_DIR"), lang.tag());
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        // The file's own key order, read line by line (one key per line).
        text.lines()
            .filter_map(|l| l.trim().strip_prefix('"').and_then(|r| r.split_once("\":")).map(|(k, _)| k.to_string()))
            .map(|k| (k.clone(), value[&k].as_str().unwrap_or_default().to_string()))
            .collect()
    };
    let en: BTreeMap<String, String> = read(Lang::En).into_iter().collect();
    for lang in Lang::ALL {
        let file = read(*lang);
        let keys: Vec<&str> = file.iter().map(|(k, _)| k.as_str()).collect();
        let want = keys_of(*lang);
        assert_eq!(keys, want.iter().map(String::as_str).collect::<Vec<_>>(), "{dir}/{lang}: keys or their order");
        for (k, v) in &file {
            assert!(!v.trim().is_empty(), "{dir}/{lang}: {k} is empty");
            if let Some(en_text) = en.get(&english_key(k, &en)) {
                assert_eq!(placeholders(v), placeholders(en_text), "{dir}/{lang}: {k}'s parameters");
            }
        }
    }
}
