//! The worker's households on the phone: search, filter, sort, add from the same village, and a
//! villager's QR handoff received (updated, never doubled).

use fangpin_core::input::fold;

use crate::record::{Record, Status, VisitOutcome};

/// How the list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Last changed first (the default: what the worker was doing).
    Changed,
    /// By the head's name (Unicode order of the folded name).
    Name,
    /// Unfinished first, then by the status order.
    Status,
}

/// What the worker looks for: a piece of the head's name, a status, an outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub text: String,
    pub status: Option<Status>,
    pub outcome: Option<VisitOutcome>,
}

/// For matching what people type: full-width folded, spaces gone, Latin lower-cased.
fn key(s: &str) -> String {
    fold(s).chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// The records matching `filter` (with each record's outcome, as the list shows it), sorted.
/// `outcome_of` is the core's assessment of a record (the caller keeps it, so typing a search does
/// not assess 300 households again).
pub fn view<'a>(
    records: &'a [Record],
    outcome_of: impl Fn(&Record) -> VisitOutcome,
    filter: &Filter,
    sort: Sort,
) -> Vec<(&'a Record, VisitOutcome)> {
    let wanted = key(&filter.text);
    let mut out: Vec<(&Record, VisitOutcome)> = records
        .iter()
        .filter(|r| {
            wanted.is_empty() || key(r.head_name()).contains(&wanted) || r.draft.form.members.iter().any(|m| key(&m.name).contains(&wanted))
        })
        .filter(|r| filter.status.is_none_or(|s| r.status == s))
        .map(|r| (r, outcome_of(r)))
        .filter(|(_, o)| filter.outcome.is_none_or(|w| *o == w))
        .collect();
    match sort {
        Sort::Changed => out.sort_by(|a, b| b.0.changed_ms.cmp(&a.0.changed_ms).then_with(|| a.0.id.cmp(&b.0.id))),
        Sort::Name => out.sort_by(|a, b| key(a.0.head_name()).cmp(&key(b.0.head_name())).then_with(|| a.0.id.cmp(&b.0.id))),
        Sort::Status => out.sort_by(|a, b| a.0.status.cmp(&b.0.status).then_with(|| b.0.changed_ms.cmp(&a.0.changed_ms))),
    }
    out
}

/// A new household from the same village and the same collector as `from`: the place and the
/// worker carried over, nothing of the other family.
pub fn duplicate(from: &Record, id: String, now_ms: i64) -> Record {
    let mut r = Record::new(id, from.collected_by.clone(), now_ms);
    r.entered_by = from.entered_by.clone();
    r.draft.profile = from.draft.profile.clone();
    r.draft.apply.village = from.draft.apply.village.clone();
    r
}

/// A villager's QR handoff received: the record that came from the same code is updated (its
/// household replaced by the handoff's); otherwise `new` is added. The head's name (and the
/// profile) come from the handoff, for the list and its search. Returns the record's index.
pub fn receive_handoff(records: &mut Vec<Record>, handoff: &str, new: impl FnOnce() -> Record, now_ms: i64) -> usize {
    let i = match records.iter().position(|r| r.handoff.as_deref() == Some(handoff)) {
        Some(i) => i,
        None => {
            let mut r = new();
            r.handoff = Some(handoff.to_string());
            records.push(r);
            records.len() - 1
        }
    };
    let r = &mut records[i];
    let mut draft = r.draft.clone();
    draft.apply.handoff = Some(handoff.to_string());
    draft.screen = fangpin_form::draft::Screen::Application;
    if let Ok((app, _, _)) = fangpin_form::apply::from_handoff(handoff) {
        if let Some(m) = draft.form.members.first_mut() {
            m.name = app.head_name.clone();
        }
        draft.profile = app.profile.clone();
    }
    r.edited(draft, now_ms);
    i
}
