//! The draft on the device: one effect of the app saves it to `localStorage` on every change
//! ([`save`], which never writes over what another window saved since); this module finds it again
//! ([`find`]), follows other windows ([`follow_other_windows`]) and reads the start page's
//! settings itself; a draft with a household is read by `fangpin_form::draft::migrate` in the
//! later wasm file (serde_json's reader is large, and a first visit has no draft) and [`settle`]d.
//! Data that cannot be read — corrupted, or written by a newer version — is never deleted and never
//! blocks the app: it is moved aside to its own key ([`ASIDE_PREFIX`]) and the person is told. So is
//! a draft that kept the app from starting ([`begin_start`]).

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

/// The phone's localStorage, where it can be used.
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// Is there a usable `localStorage`? (It can be missing or blocked.)
pub fn storage_available() -> bool {
    storage().is_some()
}

thread_local! {
    /// By draft key: what this window last read there or wrote there (`None`: nothing). What is
    /// stored now differs only when another window wrote since.
    static KNOWN: std::cell::RefCell<Vec<(String, Option<String>)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// What this window last read or wrote under `key`; `None` when it never looked.
pub fn known(key: &str) -> Option<Option<String>> {
    KNOWN.with(|k| k.borrow().iter().find(|(x, _)| x == key).map(|(_, v)| v.clone()))
}

/// Remembers what is stored under `key` as this window knows it.
pub fn know(key: &str, value: Option<String>) {
    KNOWN.with(|k| {
        let mut k = k.borrow_mut();
        match k.iter_mut().find(|(x, _)| x == key) {
            Some(e) => e.1 = value,
            None => k.push((key.to_string(), value)),
        }
    });
}

/// What is stored under `key` now.
pub fn stored_now(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
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
    know(current, s.get_item(current).ok().flatten());
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
            if stored.key != current && save(current, &d) == Saved::Yes {
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
    if known(key).is_some() {
        know(key, None);
    }
    Some(aside_key)
}

/// Called once the app has started and drawn its first screen: the start did not fail.
pub fn end_start(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(&starting_key(key));
    }
}

/// What another window of the page on this phone did to the draft under a key.
#[derive(Debug, Clone, PartialEq)]
pub enum Elsewhere {
    /// It saved this (to be read with `migrate`).
    Saved(String),
    /// It removed it: "清除本机数据".
    Cleared,
    /// It moved it aside (it could not read it, or it stopped the app from starting there).
    SetAside,
}

/// Calls `changed` each time another window of this page on the phone (another tab, the same
/// site) changes what is stored under `key`. The browser tells every other window of the site with
/// a `storage` event, never the one that wrote, and not a page kept in the back-forward cache; so
/// the stored text is also compared with what this window knows ([`known`]) now, when the page is
/// shown again, and when it becomes visible. For as long as the page is open.
pub fn follow_other_windows(key: String, changed: impl Fn(Elsewhere) + 'static) {
    let Some(w) = web_sys::window() else { return };
    let key = std::rc::Rc::new(key);
    let changed = std::rc::Rc::new(changed);
    // What another window last moved aside (its `storage` event comes just before the removal).
    let aside = std::cell::RefCell::new(None::<String>);
    let look_again = {
        let (key, changed) = (key.clone(), changed.clone());
        move || {
            let now = stored_now(&key);
            if known(&key).is_some_and(|k| k != now) {
                know(&key, now.clone());
                changed(now.map_or(Elsewhere::Cleared, Elsewhere::Saved));
            }
        }
    };
    look_again();
    // (Closures over `Event`, a type the first wasm file has too: the later file calls this.)
    let on_storage = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(move |ev: web_sys::Event| {
        // Only storage events are sent to this listener; only localStorage's are about the draft
        // (another document's sessionStorage sends them too).
        let ev: &web_sys::StorageEvent = ev.unchecked_ref();
        if ev.storage_area() != storage() {
            return;
        }
        match ev.key() {
            Some(k) if k.starts_with(ASIDE_PREFIX) => *aside.borrow_mut() = ev.new_value(),
            Some(k) if k == *key => {
                let new = ev.new_value();
                know(&key, new.clone());
                changed(match new {
                    Some(raw) => Elsewhere::Saved(raw),
                    None if ev.old_value().is_some() && ev.old_value() == aside.borrow_mut().take() => Elsewhere::SetAside,
                    None => Elsewhere::Cleared,
                });
            }
            Some(_) => {}
            // The whole storage was cleared.
            None => {
                know(&key, None);
                changed(Elsewhere::Cleared);
            }
        }
    });
    let _ = w.add_event_listener_with_callback("storage", on_storage.as_ref().unchecked_ref());
    on_storage.forget();
    let shown = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
        if web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible) {
            look_again();
        }
    });
    let _ = w.add_event_listener_with_callback("pageshow", shown.as_ref().unchecked_ref());
    if let Some(d) = w.document() {
        let _ = d.add_event_listener_with_callback("visibilitychange", shown.as_ref().unchecked_ref());
    }
    shown.forget();
}

/// What [`save`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    Yes,
    /// The device would not store it (full, blocked).
    Failed,
    /// Not written: another window saved something else under the key since this one last read or
    /// wrote it (and this one did not hear of it).
    OtherWindowSaved,
}

/// Saves the draft under `key`, unless another window saved something else there meanwhile.
pub fn save(key: &str, d: &Draft) -> Saved {
    let Some(s) = storage() else { return Saved::Failed };
    let Ok(text) = serde_json::to_string(d) else { return Saved::Failed };
    let now = s.get_item(key).ok().flatten();
    if known(key).is_some_and(|k| k != now) {
        return Saved::OtherWindowSaved;
    }
    if s.set_item(key, &text).is_err() {
        return Saved::Failed;
    }
    know(key, Some(text));
    Saved::Yes
}

/// Removes everything this app stored on the device (drafts and anything set aside) under the keys
/// `which` chooses.
pub fn clear_all(which: impl Fn(&str) -> bool) {
    let Some(s) = storage() else { return };
    let n = s.length().unwrap_or(0);
    let keys: Vec<String> = (0..n).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with(APP_PREFIX) && which(k)).collect();
    for k in keys {
        let _ = s.remove_item(&k);
        if known(&k).is_some() {
            know(&k, None);
        }
    }
}
