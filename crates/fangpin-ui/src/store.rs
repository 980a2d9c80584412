//! The draft on the device: one effect of the app saves it to `localStorage` (through
//! gloo-storage) on every change; this module reads it back through `fangpin_form::draft::migrate`.
//! Data that cannot be read — corrupted, or written by a newer version — is never deleted and never
//! blocks the app: it is moved aside to its own key ([`ASIDE_PREFIX`]) and the person is told. So is
//! a draft that kept the app from starting ([`begin_start`]).

use gloo_storage::{LocalStorage, Storage as _};

pub use fangpin_form::draft::*;

/// What [`load`] found.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded {
    /// Nothing stored (or no storage at all).
    Fresh,
    Restored(Box<Draft>),
    /// Something was stored but could not be used; it was kept aside under `aside_key`.
    SetAside {
        problem: Problem,
        aside_key: Option<String>,
    },
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Is there a usable `localStorage`? (It can be missing or blocked.)
pub fn storage_available() -> bool {
    storage().is_some()
}

/// Reads the stored draft under `current` (see [`key_for`]), migrating older versions of the page's
/// own draft and moving unreadable data aside.
pub fn load(current: &str, now_ms: f64) -> Loaded {
    let Some(s) = storage() else { return Loaded::Fresh };
    let older = if current == KEY { OLDER_KEYS } else { &[] };
    let keys = std::iter::once((current, VERSION)).chain(older.iter().copied());
    for (key, version) in keys {
        let Ok(Some(raw)) = s.get_item(key) else { continue };
        match migrate(&raw, version) {
            Ok(d) => {
                if key != current {
                    // Save under the new key first; the old entry is removed only once that worked.
                    if LocalStorage::set(current, &d).is_ok() {
                        let _ = s.remove_item(key);
                    }
                }
                return Loaded::Restored(Box::new(d));
            }
            Err(problem) => {
                let aside_key = format!("{ASIDE_PREFIX}{}", now_ms as u64);
                let kept = s.set_item(&aside_key, &raw).is_ok();
                if kept {
                    let _ = s.remove_item(key);
                }
                return Loaded::SetAside { problem, aside_key: kept.then_some(aside_key) };
            }
        }
    }
    Loaded::Fresh
}

fn starting_key(draft_key: &str) -> String {
    format!("{}{draft_key}", fangpin_html::storage::STARTING_PREFIX)
}

/// Called before the app reads its draft. When the last start with the draft under `key` never
/// finished (its mark is still there), that draft — and anything a link brought with it — is moved
/// aside so that it cannot stop the app again; returns the aside key. Then marks this start.
pub fn begin_start(key: &str, now_ms: f64) -> Option<Result<String, ()>> {
    let s = storage()?;
    let mark = starting_key(key);
    let failed = s.get_item(&mark).ok().flatten().is_some();
    let _ = s.set_item(&mark, &format!("{}", now_ms as u64));
    if !failed {
        return None;
    }
    let raw = s.get_item(key).ok().flatten()?;
    let aside_key = format!("{ASIDE_PREFIX}{}", now_ms as u64);
    if s.set_item(&aside_key, &raw).is_ok() {
        let _ = s.remove_item(key);
        Some(Ok(aside_key))
    } else {
        // Could not keep a copy: leave the draft where it is rather than lose it.
        Some(Err(()))
    }
}

/// Called once the app has started and drawn its first screen: the start did not fail.
pub fn end_start(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&starting_key(key));
    }
}

/// Saves the draft under `key`; false when the device would not store it (full, blocked).
pub fn save(key: &str, d: &Draft) -> bool {
    storage().is_some() && LocalStorage::set(key, d).is_ok()
}

/// Removes everything this app stored on the device (drafts and anything set aside).
pub fn clear_all() {
    let Some(s) = storage() else { return };
    let n = s.length().unwrap_or(0);
    let keys: Vec<String> = (0..n).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with(APP_PREFIX)).collect();
    for k in keys {
        let _ = s.remove_item(&k);
    }
}
