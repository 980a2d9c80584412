//! The draft on the device: one effect of the app saves it to `localStorage` (through
//! gloo-storage) on every change; this module finds it again ([`find`]) and reads the start page's
//! settings itself; a draft with a household is read by `fangpin_form::draft::migrate` in the
//! later wasm file (serde_json's reader is large, and a first visit has no draft) and [`settle`]d.
//! Data that cannot be read — corrupted, or written by a newer version — is never deleted and never
//! blocks the app: it is moved aside to its own key ([`ASIDE_PREFIX`]) and the person is told. So is
//! a draft that kept the app from starting ([`begin_start`]).

use gloo_storage::{LocalStorage, Storage as _};
use wasm_bindgen::JsCast;

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
    /// Something was stored but could not be used, nor copied aside (storage full): it stays under
    /// its key, and nothing may be saved there.
    Stays {
        problem: Problem,
    },
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Is there a usable `localStorage`? (It can be missing or blocked.)
pub fn storage_available() -> bool {
    storage().is_some()
}

/// What [`find`] found under a draft key.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// Nothing, or only the start page's settings: read here.
    Read(Loaded),
    /// A draft with a household (or anything else): read by `migrate`, whose JSON reader is in the
    /// later wasm file (later.rs), then [`settle`]d.
    ToRead(Stored),
}

/// Stored text, not yet read.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub key: String,
    /// The format version of its key.
    pub version: u32,
    pub raw: String,
}

/// Looks for the draft under `current` (see [`key_for`]), then under the keys of older versions
/// of the page's own draft.
pub fn find(current: &str) -> Found {
    let Some(s) = storage() else { return Found::Read(Loaded::Fresh) };
    let older = if current == KEY { OLDER_KEYS } else { &[] };
    let keys = std::iter::once((current, VERSION)).chain(older.iter().copied());
    for (key, version) in keys {
        let Ok(Some(raw)) = s.get_item(key) else { continue };
        if key == current
            && let Some(d) = settings(&raw)
        {
            return Found::Read(Loaded::Restored(Box::new(d)));
        }
        return Found::ToRead(Stored { key: key.to_string(), version, raw });
    }
    Found::Read(Loaded::Fresh)
}

/// The start page's settings draft, read with the browser's JSON reader (see `settings_only`).
fn settings(raw: &str) -> Option<Draft> {
    let v = js_sys::JSON::parse(raw).ok()?;
    if !v.is_object() || js_sys::Array::is_array(&v) {
        return None;
    }
    let mut fields = Vec::new();
    for key in js_sys::Object::keys(v.unchecked_ref::<js_sys::Object>()).iter() {
        let value = js_sys::Reflect::get(&v, &key).ok()?;
        let field = if let Some(n) = value.as_f64() {
            Field::Number(n)
        } else if let Some(t) = value.as_string() {
            Field::Text(t)
        } else if let Some(b) = value.as_bool() {
            Field::Bool(b)
        } else {
            Field::Other
        };
        fields.push((key.as_string()?, field));
    }
    settings_only(fields)
}

/// What `stored` is, now that `migrate` has read it: a draft under an older key is saved under
/// the current one (the old entry removed only once that worked); data that cannot be used is
/// moved aside, never deleted.
pub fn settle(current: &str, stored: Stored, read: Result<Draft, Problem>, now_ms: f64) -> Loaded {
    let Some(s) = storage() else {
        return match read {
            Ok(d) => Loaded::Restored(Box::new(d)),
            Err(problem) => Loaded::SetAside { problem, aside_key: None },
        };
    };
    match read {
        Ok(d) => {
            if stored.key != current && LocalStorage::set(current, &d).is_ok() {
                let _ = s.remove_item(&stored.key);
            }
            Loaded::Restored(Box::new(d))
        }
        Err(problem) => match move_aside(&s, &stored.key, &stored.raw, ASIDE_PREFIX, now_ms) {
            Some(aside_key) => Loaded::SetAside { problem, aside_key: Some(aside_key) },
            None => Loaded::Stays { problem },
        },
    }
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
    // Could not keep a copy: the draft stays where it is rather than be lost.
    Some(move_aside(&s, key, &raw, ASIDE_PREFIX, now_ms).ok_or(()))
}

/// Stored text that cannot be used (`raw`, under `key`) copied to its own key (`prefix` and the
/// time), and only then removed from `key`: the copy's key, or `None` when no copy could be made
/// (storage full) and it stays where it was.
pub fn move_aside(s: &web_sys::Storage, key: &str, raw: &str, prefix: &str, now_ms: f64) -> Option<String> {
    let aside_key = format!("{prefix}{}", now_ms as u64);
    s.set_item(&aside_key, raw).ok()?;
    let _ = s.remove_item(key);
    Some(aside_key)
}

/// Called once the app has started and drawn its first screen: the start did not fail.
pub fn end_start(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&starting_key(key));
    }
}

/// Calls `changed` each time another window of this page on the phone (another tab, the same
/// site) stores something under `key`, with what it stored (`None`: removed, as "清除本机数据"
/// does; also when the whole storage was cleared). The browser tells every other window of the
/// site, never the one that wrote. For as long as the page is open.
pub fn follow_other_windows(key: String, changed: impl Fn(Option<String>) + 'static) {
    let Some(w) = web_sys::window() else { return };
    // (A closure over `Event`, a type the first wasm file has too: the later file calls this.)
    let f = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        // Only storage events are sent to this listener.
        let ev: &web_sys::StorageEvent = ev.unchecked_ref();
        match ev.key() {
            Some(k) if k == key => changed(ev.new_value()),
            None => changed(None),
            Some(_) => {}
        }
    });
    let _ = w.add_event_listener_with_callback("storage", f.as_ref().unchecked_ref());
    f.forget();
}

/// Saves the draft under `key`; false when the device would not store it (full, blocked).
pub fn save(key: &str, d: &Draft) -> bool {
    storage().is_some() && LocalStorage::set(key, d).is_ok()
}

/// Removes everything this app stored on the device (drafts and anything set aside) under the keys
/// `which` chooses.
pub fn clear_all(which: impl Fn(&str) -> bool) {
    let Some(s) = storage() else { return };
    let n = s.length().unwrap_or(0);
    let keys: Vec<String> = (0..n).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with(APP_PREFIX) && which(k)).collect();
    for k in keys {
        let _ = s.remove_item(&k);
    }
}
