//! Access links (SPEC §4): the token format, who may have a link, who
//! may approve one into which account, and the reason a client may give
//! when it declines one.

use crate::account::{Membership, PartnerProgram};
use crate::rules::{Reason, Refusal, Rule};

/// An access-link token as it arrives in a URL: URL-safe base64 of at least
/// 128 bits. Parsing only checks the shape; whether it is valid is the
/// server's business.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccessToken(String);

impl AccessToken {
    /// Accepts 22 to 64 characters of `A-Z a-z 0-9 - _`.
    pub fn parse(s: &str) -> Option<AccessToken> {
        let ok = (22..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        ok.then(|| AccessToken(s.to_string()))
    }

    /// The token text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Only Solutions Partners and Providers can be Partner Admins, so only
/// their employees get access links.
pub fn may_have_access_link(program: PartnerProgram) -> Result<(), Refusal> {
    if program.may_have_partner_admins() {
        Ok(())
    } else {
        Err(Refusal::forbidden(Rule::AccessLinks, Reason::NoLinksForProgram))
    }
}

/// Who may approve a link into an account (§9 A8): the client's own
/// people (not a partner's employees) who are super admins or hold *Add
/// and edit users* there. The approval itself is
/// [`crate::authority::approve_link`].
pub fn may_approve_into(approver: &Membership) -> Result<(), Refusal> {
    crate::authority::client_own(approver)?;
    if approver.may_manage_users() {
        Ok(())
    } else {
        Err(Refusal::forbidden(Rule::AccessLinks, Reason::ApproverNotAllowed))
    }
}

/// Why a client user declines an access link, as the employee reads it:
/// trimmed, at most [`DeclineReason::MAX_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclineReason(String);

/// A reason longer than [`DeclineReason::MAX_CHARS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReasonTooLong;

impl DeclineReason {
    /// The most characters (Unicode scalar values) a reason may have.
    pub const MAX_CHARS: usize = 500;

    /// The reason in `text`; none when it is blank (no reason given).
    pub fn parse(text: &str) -> Result<Option<DeclineReason>, ReasonTooLong> {
        let text = text.trim();
        if text.chars().count() > Self::MAX_CHARS {
            Err(ReasonTooLong)
        } else if text.is_empty() {
            Ok(None)
        } else {
            Ok(Some(DeclineReason(text.to_string())))
        }
    }

    /// The reason's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RefusalKind;

    #[test]
    fn tokens_of_the_right_shape_parse_and_others_do_not() {
        assert!(AccessToken::parse("abcdefghijklmnopqrstuvwxyz0123456789-_ABCDE").is_some());
        for bad in ["short", "has space in it and is long enough", "../../etc/passwd/and/more/stuff", &"a".repeat(65)] {
            assert!(AccessToken::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn app_partners_get_no_access_links() {
        assert!(may_have_access_link(PartnerProgram::SolutionsPartner).is_ok());
        assert!(may_have_access_link(PartnerProgram::Provider).is_ok());
        assert_eq!(may_have_access_link(PartnerProgram::AppPartner).unwrap_err().kind, RefusalKind::Forbidden);
    }

    #[test]
    fn a_decline_reason_is_trimmed_blank_is_none_and_500_characters_is_the_most() {
        assert_eq!(DeclineReason::parse("  too busy \n").unwrap().unwrap().as_str(), "too busy");
        assert_eq!(DeclineReason::parse(" \t\n"), Ok(None));
        assert!(DeclineReason::parse(&"é".repeat(500)).unwrap().is_some(), "characters, not bytes");
        assert_eq!(DeclineReason::parse(&"x".repeat(501)), Err(ReasonTooLong));
        assert!(DeclineReason::parse(&format!("  {}  ", "x".repeat(500))).unwrap().is_some());
    }
}
