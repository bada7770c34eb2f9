//! R17: the coverage grid, clients × employees coloured by access.

use super::Page;
use crate::account::AccessType;
use crate::time::UnixTime;
use serde::{Deserialize, Serialize};

/// Query of `GET …/cam/coverage`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageQuery {
    /// Searches the clients.
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub page: Option<u32>,
    #[serde(default)]
    pub per_page: Option<u32>,
    /// The page of employees (columns).
    #[serde(default)]
    pub columns: Option<u32>,
}

/// How recently an employee acted in a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recency {
    /// Within 7 days.
    Week,
    /// Within 30 days.
    Month,
    /// Within 90 days.
    Quarter,
    Older,
    Never,
}

impl Recency {
    /// Every bucket, most recent first.
    pub const ALL: [Recency; 5] = [Recency::Week, Recency::Month, Recency::Quarter, Recency::Older, Recency::Never];

    /// The recency of a last activity at `now`.
    pub fn of(last: Option<UnixTime>, now: UnixTime) -> Recency {
        let Some(last) = last else { return Recency::Never };
        match (now.0 - last.0) / crate::time::DAY {
            d if d < 7 => Recency::Week,
            d if d < 30 => Recency::Month,
            d if d < 90 => Recency::Quarter,
            _ => Recency::Older,
        }
    }
}

/// One cell of the coverage grid: the employee's access in the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageCell {
    pub access: AccessType,
    pub recency: Recency,
}

/// A column of the coverage grid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageEmployee {
    pub user_id: i64,
    pub name: String,
}

/// A row of the coverage grid: one client, a cell per column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageRow {
    pub client_id: i64,
    pub crm_name: String,
    pub cells: Vec<CoverageCell>,
}

/// A screen of the coverage grid: a page of clients by a page of employees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub employees: Vec<CoverageEmployee>,
    pub employee_total: u64,
    /// The page of employees shown (from 1) and how many a page holds.
    pub columns: u32,
    pub columns_per_page: u32,
    pub clients: Page<CoverageRow>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recency_buckets_follow_the_days() {
        let now = UnixTime(100 * crate::time::DAY);
        let at = |d: i64| Some(UnixTime(now.0 - d * crate::time::DAY));
        assert_eq!(Recency::of(None, now), Recency::Never);
        assert_eq!(Recency::of(at(0), now), Recency::Week);
        assert_eq!(Recency::of(at(7), now), Recency::Month);
        assert_eq!(Recency::of(at(30), now), Recency::Quarter);
        assert_eq!(Recency::of(at(90), now), Recency::Older);
    }
}
