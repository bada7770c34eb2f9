//! The texts the server writes itself, in the reader's language: emails and
//! the history's CSV file. They come from the same catalogues as the
//! browser's (`locales/<tag>.json`), built into the binary.

use domain::i18n::{fill, Lang};
use std::collections::HashMap;
use std::sync::LazyLock;

/// Each language's catalogue as written.
fn source(lang: Lang) -> &'static str {
    match lang {
        Lang::En => include_str!("../../../locales/en.json"),
        Lang::Fi => include_str!("../../../locales/fi.json"),
        Lang::Sv => include_str!("../../../locales/sv.json"),
        Lang::Pl => include_str!("../../../locales/pl.json"),
        Lang::ZhCn => include_str!("../../../locales/zh-CN.json"),
    }
}

static CATALOGUES: LazyLock<HashMap<Lang, HashMap<String, String>>> = LazyLock::new(|| {
    Lang::ALL
        .iter()
        .map(|lang| {
            // A catalogue that does not parse fails the catalogue tests; at
            // run time its texts fall back to English.
            let texts: HashMap<String, String> = serde_json::from_str(source(*lang)).unwrap_or_default();
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
    fn every_server_text_is_in_every_language() {
        for lang in Lang::ALL {
            for key in domain::i18n::SERVER_KEYS {
                assert!(CATALOGUES[lang].contains_key(*key), "{lang}: {key} missing");
            }
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
