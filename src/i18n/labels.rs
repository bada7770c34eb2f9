//! What the texts name: access types, statuses, actions, seats,
//! permissions and sets, refusals and API errors, in the user's language.

use super::Strings;
use domain::i18n::fill;
use domain::{AccessType, MembershipStatus, Seat};

impl Strings {
    /// The label of an access type.
    pub fn access_type(&self, a: AccessType) -> &'static str {
        label(&self.access_labels, AccessType::ALL, a)
    }

    /// The name of an Access review filter (R17).
    pub fn review_filter_name(&self, f: domain::api::ReviewFilter) -> &'static str {
        label(&self.review_filter_names, &domain::api::ReviewFilter::ALL, f)
    }

    /// How recently someone acted, in words (the coverage grid).
    pub fn recency(&self, r: domain::api::Recency) -> &'static str {
        label(&self.recency_labels, &domain::api::Recency::ALL, r)
    }

    /// The label of a membership status.
    pub fn status(&self, s: MembershipStatus) -> &'static str {
        label(&self.status_labels, MembershipStatus::ALL, s)
    }

    /// The label of a history action.
    pub fn action(&self, a: domain::history::HistoryAction) -> &'static str {
        label(&self.action_labels, domain::history::HistoryAction::ALL, a)
    }

    /// The label of a seat.
    pub fn seat(&self, s: Seat) -> &'static str {
        label(&self.seat_labels, Seat::ALL, s)
    }

    /// The name of a permission.
    pub fn permission(&self, p: domain::Permission) -> &'static str {
        label(&self.permission_labels, domain::Permission::ALL, p)
    }

    /// The name of a permission group.
    pub fn group(&self, g: domain::PermissionGroup) -> &'static str {
        label(&self.group_labels, domain::PermissionGroup::ALL, g)
    }

    /// The name of a standard permission set.
    pub fn standard_set(&self, s: domain::StandardSet) -> &'static str {
        label(&self.set_names, domain::StandardSet::ALL, s)
    }

    /// A set's name as the server sends it: a standard set's (English) name
    /// in the user's language, an account's own set as it was named.
    pub fn set_name(&self, name: &str) -> String {
        match domain::StandardSet::ALL.iter().find(|s| s.name() == name) {
            Some(s) => self.standard_set(*s).to_string(),
            None => name.to_string(),
        }
    }

    /// A refusal in the user's language, in words.
    pub fn refusal(&self, r: &domain::Refusal) -> String {
        let params: Vec<(&str, String)> = r.params.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        // People read the reason in words; the rule's code (R14) is for the
        // API and the logs, never for the screen.
        fill(label(&self.refusals, domain::Reason::ALL, r.reason), &params)
    }

    /// An error answer of the API in the user's language: a refusal by its
    /// reason (never its rule's code), anything else by its code; the server's English
    /// sentence only for a code this version does not know.
    pub fn api_error(&self, e: &domain::api::ErrorDetail) -> String {
        let params: Vec<(&str, String)> = e.params.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        let reason = e.reason.as_deref().unwrap_or("");
        if let Some(i) = domain::Reason::ALL.iter().position(|r| r.key() == reason) {
            return fill(self.refusals[i], &params);
        }
        let by_reason = match reason {
            "input_asset_name" => Some(self.input_asset_name),
            "input_date_range" => Some(self.input_date_range),
            "input_person_name" => Some(self.input_person_name),
            "input_search_length" => Some(self.input_search_length),
            _ => None,
        };
        let by_code = match e.code.as_str() {
            "unauthorized" => Some(self.error_unauthorized),
            "bad_credentials" => Some(self.error_bad_credentials),
            "csrf" => Some(self.error_csrf),
            "not_found" => Some(self.not_found_text),
            "link_invalid" => Some(self.access_invalid_text),
            "conflict" => Some(self.error_conflict),
            "invalid_state" => Some(self.error_invalid_state),
            "too_many_requests" => Some(self.error_too_many_requests),
            "internal" => Some(self.error_internal),
            "network" => Some(self.network_error),
            _ => None,
        };
        match by_reason.or(by_code) {
            Some(text) => fill(text, &params),
            None => e.message.clone(),
        }
    }

    /// Why an email address cannot be taken.
    pub fn email_error(&self, e: &domain::email::EmailError) -> &'static str {
        match e {
            domain::email::EmailError::Empty => self.input_email_empty,
            domain::email::EmailError::TooLong => self.input_email_too_long,
            domain::email::EmailError::Malformed => self.input_email_malformed,
        }
    }
}

fn label<T: PartialEq>(labels: &[&'static str], all: &[T], value: T) -> &'static str {
    all.iter().position(|v| *v == value).and_then(|i| labels.get(i)).copied().unwrap_or("")
}
