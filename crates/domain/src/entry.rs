//! The front end's entry points: five pages, each loading only the code of
//! its own screens. The server serves a deep link with the page of its entry
//! and the browser loads another entry's page (a full page load) when a
//! navigation leaves its own: both decide with [`Entry::for_path`].

/// One entry point of the front end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// Sign-in, the account home and Client Access Manager.
    App,
    /// An account's settings (Users & Teams, Partner access, super admins,
    /// billing, SCIM, data centre) and its assets.
    Settings,
    /// The page a client opens from an access-link email.
    Access,
    /// Client Access Manager's work across all clients (R17): the Access
    /// review, Coverage, bulk work, one employee across many clients; and
    /// History, the partner's tab and the client's settings page.
    Bulk,
    /// What a client sets for one partner (R18): its ceiling and the end
    /// of the relationship, opened from Settings > Partner access.
    Terms,
    /// Sign-in security (R20): the user's own second factors, the second
    /// step of a sign-in, and an account's requirement and its members'
    /// factors.
    Security,
}

impl Entry {
    /// Every entry point.
    pub const ALL: [Entry; 6] =
        [Entry::App, Entry::Settings, Entry::Access, Entry::Bulk, Entry::Terms, Entry::Security];

    /// The entry point whose page serves `path` (a URL's path; a query or
    /// fragment after it is ignored).
    pub fn for_path(path: &str) -> Entry {
        let path = path.split(['?', '#']).next().unwrap_or_default();
        let mut parts = path.strip_prefix('/').unwrap_or(path).split('/');
        match (parts.next(), parts.next(), parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some("access"), Some(_), ..) => Entry::Access,
            (Some("security"), ..) => Entry::Security,
            // History, the client's and the partner's, is read with the other
            // long lists, not at every settings page's first load.
            (Some("accounts"), Some(_), Some("settings"), Some("history"), ..) => Entry::Bulk,
            // One partner's terms (R18): rare work, its own code.
            (Some("accounts"), Some(_), Some("settings"), Some("partner-access"), Some(p), ..) if !p.is_empty() => {
                Entry::Terms
            }
            (Some("accounts"), Some(_), Some("settings" | "assets"), ..) => Entry::Settings,
            (
                Some("accounts"),
                Some(_),
                Some("client-access-manager"),
                Some("review" | "coverage" | "jobs" | "history"),
                ..,
            ) => Entry::Bulk,
            (
                Some("accounts"),
                Some(_),
                Some("client-access-manager"),
                Some("employees"),
                Some(_),
                Some("add-to-clients" | "change-set-in-clients"),
            ) => Entry::Bulk,
            _ => Entry::App,
        }
    }

    /// The Cargo binary (and Trunk `data-bin`) of the entry point: the
    /// app is the package's main binary, the others `src/bin/<bin>.rs`.
    pub fn bin(self) -> &'static str {
        match self {
            Entry::App => "client-access-manager",
            Entry::Settings => "settings",
            Entry::Access => "access",
            Entry::Bulk => "bulk",
            Entry::Terms => "terms",
            Entry::Security => "security",
        }
    }

    /// The HTML page of the entry point, as the release build names it.
    pub fn page(self) -> &'static str {
        match self {
            Entry::App => "index.html",
            Entry::Settings => "settings.html",
            Entry::Access => "access.html",
            Entry::Bulk => "bulk.html",
            Entry::Terms => "terms.html",
            Entry::Security => "security.html",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Entry;

    #[test]
    fn every_screen_has_its_entry() {
        // The route table of SPEC §2 and the access link of §4, by hand.
        let table = [
            ("/", Entry::App),
            ("/sign-in", Entry::App),
            ("/accounts/3", Entry::App),
            ("/accounts/3/client-access-manager", Entry::App),
            ("/accounts/3/client-access-manager/clients", Entry::App),
            ("/accounts/3/client-access-manager/employees/7", Entry::App),
            ("/accounts/3/client-access-manager/history", Entry::Bulk),
            ("/accounts/3/settings/users", Entry::Settings),
            ("/accounts/3/settings/history", Entry::Bulk),
            ("/accounts/3/settings/super-admins", Entry::Settings),
            ("/accounts/3/settings/partner-access", Entry::Settings),
            ("/accounts/3/settings/partner-access/", Entry::Settings),
            ("/accounts/3/settings/partner-access/1", Entry::Terms),
            ("/accounts/3/settings/billing", Entry::Settings),
            ("/accounts/3/settings/scim", Entry::Settings),
            ("/accounts/3/settings/data-centre", Entry::Settings),
            ("/accounts/3/assets", Entry::Settings),
            ("/accounts/3/assets?q=deal&page=2", Entry::Settings),
            ("/accounts/3/client-access-manager/clients?page=2#top", Entry::App),
            ("/sign-in?next=/accounts/3/settings/users", Entry::App),
            ("/access/abc123", Entry::Access),
            ("/security", Entry::Security),
            ("/security/verify?next=/accounts/3", Entry::Security),
            ("/security/accounts/3", Entry::Security),
            ("/accounts/3/client-access-manager/review", Entry::Bulk),
            ("/accounts/3/client-access-manager/review?filter=idle90", Entry::Bulk),
            ("/accounts/3/client-access-manager/coverage", Entry::Bulk),
            ("/accounts/3/client-access-manager/jobs", Entry::Bulk),
            ("/accounts/3/client-access-manager/jobs/12", Entry::Bulk),
            ("/accounts/3/client-access-manager/employees/7/add-to-clients", Entry::Bulk),
            ("/accounts/3/client-access-manager/employees/7/change-set-in-clients", Entry::Bulk),
            ("/accounts/3/client-access-manager/employees/7/other", Entry::App),
            // Near misses stay with the app (its not-found page).
            ("/access", Entry::App),
            ("/accounts/settings", Entry::App),
            ("/accounts/3/settingsx", Entry::App),
            ("/assets", Entry::App),
        ];
        for (path, entry) in table {
            assert_eq!(Entry::for_path(path), entry, "{path}");
        }
    }

    #[test]
    fn pages_are_distinct() {
        let pages: std::collections::BTreeSet<_> = Entry::ALL.iter().map(|e| e.page()).collect();
        assert_eq!(pages.len(), Entry::ALL.len());
    }

    /// The entry points are listed once, here; everything else that names
    /// them is checked against this list: the Cargo binaries, the build
    /// loop, the byte budgets and the pages the build writes (ignored by
    /// git, all but `index.html`, the template of the others).
    #[test]
    fn everything_that_names_an_entry_point_follows_this_list() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let read = |f: &str| std::fs::read_to_string(format!("{root}/{f}")).unwrap_or_else(|e| panic!("{f}: {e}"));
        let (cargo, env, budgets, ignored) =
            (read("Cargo.toml"), read("scripts/env.sh"), read("scripts/bundle-size.sh"), read(".gitignore"));
        let mut bins: Vec<(String, String)> = cargo
            .split("[[bin]]")
            .skip(1)
            .map(|b| {
                let field = |k: &str| {
                    let line = b.lines().find(|l| l.trim_start().starts_with(&format!("{k} ="))).unwrap();
                    line.split('"').nth(1).unwrap().to_string()
                };
                (field("name"), field("path"))
            })
            .collect();
        let mut want: Vec<(String, String)> = Entry::ALL
            .iter()
            .map(|e| {
                let path = if *e == Entry::App { "src/main.rs".into() } else { format!("src/bin/{}.rs", e.bin()) };
                (e.bin().to_string(), path)
            })
            .collect();
        bins.sort();
        want.sort();
        assert_eq!(bins, want, "Cargo.toml's [[bin]] sections");
        let others: Vec<&str> = Entry::ALL.iter().filter(|e| **e != Entry::App).map(|e| e.bin()).collect();
        assert!(env.contains(&format!("for bin in {}; do", others.join(" "))), "the build loop in scripts/env.sh");
        for e in Entry::ALL.iter() {
            assert_eq!(format!("{}.html", e.bin()) == e.page(), *e != Entry::App, "{e:?}: a built page is <bin>.html");
            let budget = format!(" {} {} \"$", e.page(), e.bin());
            assert_eq!(budgets.matches(&budget).count(), 1, "one budget line in scripts/bundle-size.sh for {e:?}");
            let ignore = format!("/{}", e.page());
            assert_eq!(ignored.lines().any(|l| l == ignore), *e != Entry::App, ".gitignore and {}", e.page());
        }
        assert_eq!(budgets.lines().filter(|l| l.starts_with("entry \"")).count(), Entry::ALL.len());
    }

    /// The icon is a file in `public/` (copied by Trunk) and, so that a
    /// first load makes no request for it, a `data:` URL in the page: the
    /// same picture.
    #[test]
    fn the_pages_icon_is_the_one_in_public() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let page = std::fs::read_to_string(format!("{root}/index.html")).unwrap();
        let file = std::fs::read_to_string(format!("{root}/public/icon.svg")).unwrap();
        let encoded = page.split("rel=\"icon\" href=\"data:image/svg+xml,").nth(1).unwrap().split('"').next().unwrap();
        let mut decoded = Vec::new();
        let mut bytes = encoded.bytes();
        while let Some(b) = bytes.next() {
            if b == b'%' {
                let hex: String = [bytes.next().unwrap(), bytes.next().unwrap()].iter().map(|&c| c as char).collect();
                decoded.push(u8::from_str_radix(&hex, 16).unwrap());
            } else {
                decoded.push(b);
            }
        }
        assert_eq!(String::from_utf8(decoded).unwrap(), file.trim_end());
    }
}
