//! Email addresses, parsed once at the edge ("parse, don't validate").

use serde::{Deserialize, Serialize};
use std::fmt;

/// A syntactically plausible email address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

/// Why a string is not an email address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("Enter an email address.")]
    Empty,
    #[error("An email address is at most 254 characters long.")]
    TooLong,
    #[error("Enter an email address like name@example.com.")]
    Malformed,
}

impl Email {
    /// Parses an address: one `@`, a non-empty local part, a dotted domain of
    /// letters, digits and hyphens, no spaces or control characters.
    pub fn parse(input: &str) -> Result<Email, EmailError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.len() > 254 {
            return Err(EmailError::TooLong);
        }
        let (local, domain) = s.split_once('@').ok_or(EmailError::Malformed)?;
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && local.chars().all(|c| {
                c.is_ascii_graphic()
                    && !matches!(c, '@' | '"' | '(' | ')' | ',' | ':' | ';' | '<' | '>' | '[' | ']' | '\\')
            });
        let domain_ok = domain.contains('.')
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !local_ok || !domain_ok {
            return Err(EmailError::Malformed);
        }
        Ok(Email(s.to_ascii_lowercase()))
    }

    /// The address as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after `@`.
    pub fn domain(&self) -> &str {
        self.0.rsplit_once('@').map(|(_, d)| d).unwrap_or("")
    }

    /// Whether the address is on one of `domains` (compared case-insensitively).
    pub fn is_on_domain<'a>(&self, mut domains: impl Iterator<Item = &'a str>) -> bool {
        let own = self.domain();
        domains.any(|d| d.eq_ignore_ascii_case(own))
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Email::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn address_is_trimmed_and_lower_cased() {
        assert_eq!(Email::parse("  Ada@Northwind.Example ").unwrap().as_str(), "ada@northwind.example");
    }

    #[test]
    fn addresses_without_at_or_dotted_domain_are_refused() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@northwind.example",
            "ada@localhost",
            "ada@@x.example",
            "a da@x.example",
            "ada@-x.example",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn domain_check_ignores_case() {
        let e = Email::parse("eve@contractor.example").unwrap();
        assert!(e.is_on_domain(["Contractor.EXAMPLE"].into_iter()));
        assert!(!e.is_on_domain(["northwind.example"].into_iter()));
    }

    #[test]
    fn deserializing_runs_the_same_parse() {
        assert!(serde_json::from_str::<Email>("\"not an email\"").is_err());
        assert_eq!(serde_json::from_str::<Email>("\"A@B.example\"").unwrap().as_str(), "a@b.example");
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_accepted_values_reparse(s in "\\PC{0,80}") {
            if let Ok(e) = Email::parse(&s) {
                prop_assert_eq!(Email::parse(e.as_str()).unwrap(), e);
            }
        }
    }
}
