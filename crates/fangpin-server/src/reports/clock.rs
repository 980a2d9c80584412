//! The server's clock: only here, never in the core (the core takes dates as arguments).

use std::time::{SystemTime, UNIX_EPOCH};

use fangpin_core::Date;

fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

fn civil(days: i64) -> (i64, u32, u32) {
    let d = Date::from_day_number(days).unwrap_or_default();
    (i64::from(d.year()), u32::from(d.month()), u32::from(d.day()))
}

/// The current UTC time, RFC 3339 (`2024-05-06T01:30:00Z`).
pub fn now_rfc3339() -> String {
    let s = now_secs();
    let (y, m, d) = civil((s / 86_400) as i64);
    let t = s % 86_400;
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", t / 3600, t / 60 % 60, t % 60)
}

pub(crate) fn today_utc() -> Date {
    Date::from_day_number((now_secs() / 86_400) as i64).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_formats() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(19_723), (2024, 1, 1));
        let now = now_rfc3339();
        assert_eq!(now.len(), 20);
        assert!(fangpin_core::application::is_valid_timestamp(&now));
    }
}
