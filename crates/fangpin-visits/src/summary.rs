//! What the worker reports to the township: every household seen, by outcome and by status.

use std::collections::BTreeMap;

use crate::record::{Record, Status, VisitOutcome};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VillageSummary {
    /// Records on the phone.
    pub households: usize,
    /// Finished visits (screened, with or without an application).
    pub screened: usize,
    pub by_status: BTreeMap<Status, usize>,
    /// Of the finished visits.
    pub by_outcome: Vec<(VisitOutcome, usize)>,
}

/// The summary of `records` (per village when the caller passes one village's records).
pub fn summarise(records: &[Record], outcome_of: impl Fn(&Record) -> VisitOutcome) -> VillageSummary {
    let mut s = VillageSummary { households: records.len(), ..Default::default() };
    for r in records {
        *s.by_status.entry(r.status).or_default() += 1;
        if r.status.is_finished() {
            s.screened += 1;
            let o = outcome_of(r);
            match s.by_outcome.iter_mut().find(|(k, _)| *k == o) {
                Some((_, n)) => *n += 1,
                None => s.by_outcome.push((o, 1)),
            }
        }
    }
    s
}
