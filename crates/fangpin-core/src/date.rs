//! A calendar date without any clock: the as-of date is always an input.
//!
//! Serialised as `"YYYY-MM-DD"`. Only the proleptic Gregorian calendar, years 1900..=2200.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

pub const MIN_YEAR: u16 = 1900;
pub const MAX_YEAR: u16 = 2200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    Format,
    OutOfRange,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Format => write!(f, "expected a date as YYYY-MM-DD"),
            DateError::OutOfRange => write!(f, "no such date (year 1900-2200, real month and day)"),
        }
    }
}

impl std::error::Error for DateError {}

pub fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A checked constructor.
    pub fn new(year: u16, month: u8, day: u8) -> Result<Date, DateError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(DateError::OutOfRange);
        }
        Ok(Date { year, month, day })
    }

    pub fn year(&self) -> u16 {
        self.year
    }
    pub fn month(&self) -> u8 {
        self.month
    }
    pub fn day(&self) -> u8 {
        self.day
    }

    /// Parses exactly `YYYY-MM-DD` (ASCII digits).
    pub fn parse(s: &str) -> Result<Date, DateError> {
        // Ten bytes are parsed as they are: with white space around them they are too short once
        // trimmed (an error either way), and trimming decodes characters.
        let b = if s.len() == 10 { s.as_bytes() } else { s.trim().as_bytes() };
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(DateError::Format);
        }
        let num = |r: std::ops::Range<usize>| -> Result<u32, DateError> {
            let mut v = 0u32;
            for &c in &b[r] {
                if !c.is_ascii_digit() {
                    return Err(DateError::Format);
                }
                v = v * 10 + u32::from(c - b'0');
            }
            Ok(v)
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        Date::new(y as u16, m as u8, d as u8)
    }

    /// Parses the compact `YYYYMMDD` form used inside ID numbers.
    pub fn parse_compact(s: &str) -> Result<Date, DateError> {
        if s.len() != 8 || !s.bytes().all(|c| c.is_ascii_digit()) {
            return Err(DateError::Format);
        }
        Date::parse(&format!("{}-{}-{}", &s[0..4], &s[4..6], &s[6..8]))
    }

    /// Days since 1970-01-01 (negative before). Howard Hinnant's days_from_civil.
    pub fn day_number(&self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let m = i64::from(self.month);
        let d = i64::from(self.day);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01 (the inverse of [`Date::day_number`]; Howard Hinnant's
    /// civil_from_days), or `None` outside the calendar this crate accepts.
    pub fn from_day_number(days: i64) -> Option<Date> {
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = yoe.checked_add(era.checked_mul(400)?)? + i64::from(m <= 2);
        Date::new(u16::try_from(y).ok()?, m as u8, d as u8).ok()
    }

    /// Days from `self` to `later` (negative if `later` is earlier).
    pub fn days_until(&self, later: Date) -> i64 {
        later.day_number() - self.day_number()
    }

    /// Whole calendar months from `self` to `later` (0 if `later` is not after `self`).
    /// 2023-01-31 → 2023-02-28 is 0 months; 2023-01-15 → 2023-07-15 is 6.
    pub fn whole_months_until(&self, later: Date) -> u32 {
        if later <= *self {
            return 0;
        }
        let mut months = (i32::from(later.year) - i32::from(self.year)) * 12 + i32::from(later.month) - i32::from(self.month);
        if later.day < self.day {
            months -= 1;
        }
        months.max(0) as u32
    }

    /// Age in whole years on `at` (0 if `at` is before the birth date).
    pub fn age_at(&self, at: Date) -> u32 {
        if at <= *self {
            return 0;
        }
        let mut age = i32::from(at.year) - i32::from(self.year);
        if (at.month, at.day) < (self.month, self.day) {
            age -= 1;
        }
        age.max(0) as u32
    }

    /// 1 January of the same year.
    pub fn start_of_year(&self) -> Date {
        Date { year: self.year, month: 1, day: 1 }
    }
}

impl Default for Date {
    fn default() -> Self {
        Date { year: 2023, month: 1, day: 1 }
    }
}

/// A moment in Beijing time (UTC+8, no daylight saving): the day, hour, minute and second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BeijingTime {
    pub date: Date,
    pub hour: u8,
    pub minute: u8,
    /// 0–59 (a leap second is read as 59).
    pub second: u8,
}

impl BeijingTime {
    /// An RFC 3339 time (`2026-11-28T14:18:47Z`, `…+08:00`, fractions allowed) in Beijing time; None
    /// for anything else. ASCII is checked first, so byte offsets are character offsets.
    pub fn from_rfc3339(s: &str) -> Option<BeijingTime> {
        let b = s.as_bytes();
        if !s.is_ascii() || b.len() < 20 || !matches!(b[10], b'T' | b't') {
            return None;
        }
        let date = Date::parse(&s[..10]).ok()?;
        // Two digits exactly (`u8::parse` alone takes "+1").
        let num = |i: usize| -> Option<i64> {
            let two = b.get(i..i + 2)?;
            two.iter().all(u8::is_ascii_digit).then(|| i64::from(two[0] - b'0') * 10 + i64::from(two[1] - b'0'))
        };
        let (h, m, sec) = (num(11)?, num(14)?, num(17)?);
        if h > 23 || m > 59 || sec > 60 || b[13] != b':' || b[16] != b':' {
            return None;
        }
        let mut i = 19;
        if b.get(i) == Some(&b'.') {
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        let offset = match b.get(i..)? {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                let o = num(i + 1)? * 60 + num(i + 4)?;
                if *sign == b'+' { o } else { -o }
            }
            _ => return None,
        };
        // Minutes since the epoch in UTC, then +8 h.
        let utc = date.day_number() * 1440 + h * 60 + m - offset;
        let local = utc + 8 * 60;
        let date = Date::from_day_number(local.div_euclid(1440))?;
        let mins = local.rem_euclid(1440);
        Some(BeijingTime { date, hour: (mins / 60) as u8, minute: (mins % 60) as u8, second: sec.min(59) as u8 })
    }

    /// `2026-11-28 22:18:47`: sorts as text, for a spreadsheet.
    pub fn to_sortable(&self) -> String {
        format!("{} {:02}:{:02}:{:02}", self.date, self.hour, self.minute, self.second)
    }

    /// `2026年11月28日 22:18`.
    pub fn to_chinese(&self) -> String {
        format!("{}年{}月{}日 {:02}:{:02}", self.date.year(), self.date.month(), self.date.day(), self.hour, self.minute)
    }

    /// `28 November 2026, 22:18 Beijing time`.
    pub fn to_english(&self) -> String {
        const MONTHS: [&str; 12] =
            ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
        let month = MONTHS.get(usize::from(self.date.month()).saturating_sub(1)).copied().unwrap_or("");
        format!("{} {month} {}, {:02}:{:02} Beijing time", self.date.day(), self.date.year(), self.hour, self.minute)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s: std::borrow::Cow<'de, str> = Deserialize::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_times_in_beijing_time() {
        let t = BeijingTime::from_rfc3339("2026-11-28T14:18:47Z").unwrap();
        assert_eq!(t.to_chinese(), "2026年11月28日 22:18");
        assert_eq!(t.to_english(), "28 November 2026, 22:18 Beijing time");
        // Past midnight in Beijing: the next day.
        assert_eq!(BeijingTime::from_rfc3339("2026-12-31T16:30:00.123Z").unwrap().to_chinese(), "2027年1月1日 00:30");
        assert_eq!(BeijingTime::from_rfc3339("2024-05-06T09:30:00+08:00").unwrap().to_chinese(), "2024年5月6日 09:30");
        assert_eq!(BeijingTime::from_rfc3339("2024-05-06T09:30:00-05:00").unwrap().to_chinese(), "2024年5月6日 22:30");
        for bad in [
            "",
            "2026-11-28",
            "2026-11-28T25:00:00Z",
            "2026-11-28T14:18:47",
            "２０２６-11-28T14:18:47Z",
            "2026-11-28T14:18:47Zjunk",
            // Signs and other separators where digits belong (were accepted).
            "2026-11-28T+1:+2xxxZ",
            "2026-11-28T14:18x47Z",
            "2026-11-28T14:18:+7Z",
            "2026-11-28T14:18:61Z",
            "2026-11-28T14:18:47+8:000",
        ] {
            assert_eq!(BeijingTime::from_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn day_numbers_round_trip() {
        for days in [-25_567, -1, 0, 1, 19_723, 59, 11_016, 47_482] {
            let d = Date::from_day_number(days).expect("in range");
            assert_eq!(d.day_number(), days, "{d}");
        }
        assert_eq!(Date::from_day_number(0), Date::new(1970, 1, 1).ok());
        assert_eq!(Date::from_day_number(19_723), Date::new(2024, 1, 1).ok());
        assert_eq!(Date::from_day_number(i64::MAX), None);
        assert_eq!(Date::from_day_number(i64::MIN), None);
    }

    #[test]
    fn parse_and_validate() {
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2023-13-01").is_err());
        assert!(Date::parse("2023-1-01").is_err());
        assert!(Date::parse("２０２３-01-01").is_err());
        assert!(Date::parse_compact("19900307").is_ok());
    }

    #[test]
    fn arithmetic() {
        let a = Date::parse("1970-01-01").unwrap();
        assert_eq!(a.day_number(), 0);
        let b = Date::parse("2000-03-01").unwrap();
        assert_eq!(b.day_number(), 11_017);
        assert_eq!(Date::parse("2023-01-15").unwrap().whole_months_until(Date::parse("2023-07-15").unwrap()), 6);
        assert_eq!(Date::parse("2023-01-16").unwrap().whole_months_until(Date::parse("2023-07-15").unwrap()), 5);
        assert_eq!(Date::parse("2010-05-20").unwrap().age_at(Date::parse("2023-05-19").unwrap()), 12);
        assert_eq!(Date::parse("2010-05-20").unwrap().age_at(Date::parse("2023-05-20").unwrap()), 13);
    }
}
