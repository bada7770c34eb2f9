//! The texts the server writes itself, in the reader's language: emails and
//! the CSV files. Its own texts are in `crates/server/texts/<tag>.json` (the
//! browser never downloads them); the words it shares with the screens
//! (actions, statuses, access types) come from the browser's catalogues
//! (`locales/<tag>.json`). Both are built into the binary.

use domain::i18n::{fill, Lang};
use std::collections::HashMap;
use std::sync::LazyLock;

/// Each language's catalogues as written: the browser's, and the server's own.
fn sources(lang: Lang) -> [&'static str; 2] {
    macro_rules! of {
        ($tag:literal) => {
            [
                include_str!(concat!("../../../locales/", $tag, ".json")),
                include_str!(concat!("../texts/", $tag, ".json")),
            ]
        };
    }
    match lang {
        Lang::En => of!("en"),
        Lang::Fi => of!("fi"),
        Lang::Sv => of!("sv"),
        Lang::Pl => of!("pl"),
        Lang::ZhCn => of!("zh-CN"),
    }
}

static CATALOGUES: LazyLock<HashMap<Lang, HashMap<String, String>>> = LazyLock::new(|| {
    Lang::ALL
        .iter()
        .map(|lang| {
            // A catalogue that does not parse fails the catalogue tests; at
            // run time its texts fall back to English.
            let texts: HashMap<String, String> = sources(*lang)
                .iter()
                .flat_map(|json| serde_json::from_str::<HashMap<String, String>>(json).unwrap_or_default())
                .collect();
            (*lang, texts)
        })
        .collect()
});

/// The text `key` in `lang` (English when the language lacks it), with its
/// parameters filled in.
pub fn text(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let get = |l: Lang| CATALOGUES.get(&l).and_then(|c| c.get(key));
    match get(lang).or_else(|| get(Lang::En)) {
        Some(template) => fill(template, args),
        None => key.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_server_text_is_in_every_language_and_nothing_else_is_in_its_catalogue() {
        for lang in Lang::ALL {
            for key in domain::i18n::SERVER_KEYS {
                assert!(CATALOGUES[lang].contains_key(*key), "{lang}: {key} missing");
            }
            let own: HashMap<String, String> = serde_json::from_str(sources(*lang)[1]).unwrap();
            let mut keys: Vec<&str> = own.keys().map(String::as_str).collect();
            keys.sort();
            let mut want = domain::i18n::SERVER_KEYS.to_vec();
            want.sort();
            assert_eq!(keys, want, "{lang}: the server's own catalogue");
        }
    }

    #[test]
    fn emails_are_written_in_the_readers_language() {
        let args = [("account".to_string(), "Acme".to_string())];
        let args: Vec<(&str, String)> = args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        assert_eq!(text(Lang::En, "email_link_approved_subject", &args), "Acme approved your access link");
        let fi = text(Lang::Fi, "email_link_approved_subject", &args);
        assert!(fi.contains("Acme") && !fi.contains("approved"), "{fi}");
    }
}
