//! Time as whole seconds since the Unix epoch (UTC), with the calendar
//! arithmetic the product needs (dates for display, day counts for R10),
//! so that neither the browser nor the server needs a date library here.

use serde::{Deserialize, Serialize};

/// Seconds in one day.
pub const DAY: i64 = 86_400;

/// An instant, in whole seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnixTime(pub i64);

impl UnixTime {
    /// This instant moved by `days` whole days.
    pub fn plus_days(self, days: i64) -> UnixTime {
        UnixTime(self.0 + days * DAY)
    }

    /// Whole days from `self` until `later`, rounded up; 0 when `later` is not after `self`.
    pub fn days_until(self, later: UnixTime) -> i64 {
        let secs = later.0 - self.0;
        if secs <= 0 {
            0
        } else {
            (secs + DAY - 1) / DAY
        }
    }

    /// The calendar date, `YYYY-MM-DD`, in UTC.
    pub fn date(self) -> String {
        let (y, m, d) = civil_from_days(self.0.div_euclid(DAY));
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// Date and time to the minute, `YYYY-MM-DD HH:MM UTC`.
    pub fn date_time(self) -> String {
        let secs = self.0.rem_euclid(DAY);
        format!("{} {:02}:{:02} UTC", self.date(), secs / 3600, (secs % 3600) / 60)
    }
}

impl UnixTime {
    /// Parses a `YYYY-MM-DD` calendar date (UTC midnight).
    pub fn parse_date(s: &str) -> Option<UnixTime> {
        let mut parts = s.split('-');
        let y: i64 = parts.next()?.parse().ok()?;
        let m: i64 = parts.next()?.parse().ok()?;
        let d: i64 = parts.next()?.parse().ok()?;
        if parts.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) || s.len() != 10 {
            return None;
        }
        let days = days_from_civil(y, m, d);
        let t = UnixTime(days * DAY);
        (t.date() == s).then_some(t)
    }
}

/// A calendar day (`YYYY-MM-DD`, UTC), as a request names one: parsed when
/// the request is read, so an impossible date never reaches a handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Day(UnixTime);

impl Day {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Day> {
        UnixTime::parse_date(s.trim()).map(Day)
    }

    /// Its first second (UTC midnight).
    pub fn start(self) -> UnixTime {
        self.0
    }

    /// The first second of the next day.
    pub fn end(self) -> UnixTime {
        self.0.plus_days(1)
    }
}

impl TryFrom<String> for Day {
    type Error = String;
    fn try_from(s: String) -> Result<Day, String> {
        Day::parse(&s).ok_or_else(|| format!("A date must look like 2026-11-25, not \"{s}\"."))
    }
}

impl From<Day> for String {
    fn from(d: Day) -> String {
        d.0.date()
    }
}

/// Howard Hinnant's civil-to-days algorithm.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_is_first_of_january_1970() {
        assert_eq!(UnixTime(0).date(), "1970-01-01");
    }

    #[test]
    fn leap_day_is_formatted() {
        // 2024-02-29T12:34:00Z
        assert_eq!(UnixTime(1_709_210_040).date_time(), "2024-02-29 12:34 UTC");
    }

    #[test]
    fn dates_parse_back_and_impossible_ones_are_refused() {
        assert_eq!(UnixTime::parse_date("2024-02-29").map(|t| t.date()).as_deref(), Some("2024-02-29"));
        assert_eq!(UnixTime::parse_date("1970-01-01"), Some(UnixTime(0)));
        for bad in ["2023-02-29", "2024-13-01", "2024-1-1", "yesterday", ""] {
            assert_eq!(UnixTime::parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_until_rounds_partial_days_up() {
        let t = UnixTime(1_000);
        assert_eq!(t.days_until(UnixTime(1_000 + DAY + 1)), 2);
        assert_eq!(t.days_until(UnixTime(1_000 + DAY)), 1);
        assert_eq!(t.days_until(UnixTime(0)), 0);
    }
}
