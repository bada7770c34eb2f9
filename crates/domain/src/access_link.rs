//! Access links (SPEC §4): the token format, who may have a link and who
//! may approve one into which account.

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
}
