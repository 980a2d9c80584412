//! Where the app keeps things on the device. The app (`fangpin-ui`) owns these formats; the start
//! page (`fangpin-start`) reads them to decide whether the app must open, and writes the draft's
//! top-level settings. One definition, so the two cannot disagree on a key or a version.

/// Every key the app writes starts with this (used by "清除本机数据").
pub const APP_PREFIX: &str = "fangpin.";
/// The draft's format version.
pub const DRAFT_VERSION: u32 = 1;
/// Where the page's draft of the current version is stored. A newer version uses a new key, so an
/// older page (say, a cached one) can never overwrite a newer draft.
pub const DRAFT_KEY: &str = "fangpin.draft.v1";
/// The outbox of one-click reports, and its format version.
pub const OUTBOX_KEY: &str = "fangpin.outbox.v1";
pub const OUTBOX_VERSION: u32 = 1;
/// `"1"` while a report in the outbox waits to be delivered, `"0"` when none does (delivered and
/// refused ones stay in the outbox for their receipts). The start page opens the app at once only
/// for a waiting report; without this key (an outbox of an older version) it goes by the outbox key.
pub const OUTBOX_WAITING_KEY: &str = "fangpin.outbox.waiting.v1";

/// The outbox's own keys (kept when "清除本机数据" cannot read which reports still wait).
pub fn is_outbox_key(key: &str) -> bool {
    key == OUTBOX_KEY || key == OUTBOX_WAITING_KEY
}

/// Whether the start page must open the app for the outbox: `waiting` is [`OUTBOX_WAITING_KEY`]'s
/// value, `outbox_stored` whether [`OUTBOX_KEY`] exists.
pub fn outbox_waits(waiting: Option<&str>, outbox_stored: bool) -> bool {
    match waiting {
        Some(v) => v == "1",
        None => outbox_stored,
    }
}
/// Set (before `<draft key>`'s suffix) while the app starts with a stored draft, removed once it
/// has started. Still there at the next start means that start failed — perhaps because of what the
/// draft holds — so the app sets the draft aside instead of failing again on every visit.
pub const STARTING_PREFIX: &str = "fangpin.starting.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_waiting_report_opens_the_app() {
        assert!(outbox_waits(Some("1"), true));
        assert!(!outbox_waits(Some("0"), true), "delivered reports only");
        assert!(!outbox_waits(None, false));
        // An outbox written before the marker existed: as before, it may hold a waiting report.
        assert!(outbox_waits(None, true));
    }
}
