//! The outbox of one-click reports on this device: a submission is stored (endpoint, idempotency
//! key and the exact body) *before* it is first sent, sent again with the same key until the server
//! answers 2xx, and marked delivered only once the receipt is stored. So it is never lost (it stays
//! "pending" across reloads and closed pages) and never delivered twice (the server keeps one row
//! per key and answers a repeat with the first receipt).
//!
//! Retries: 2 s, 4 s, 8 s … at most 60 s apart while the page is open, at once on the browser's
//! `online` event, and on every page load. A refusal (4xx other than 408/429) is not retried: the
//! entry stays, with the server's message, and the other channels remain.
//!
//! Storage: `localStorage["fangpin.outbox.v1"]` = `{"version":1,"entries":[…]}`. Every change reads
//! the stored list first and changes one entry by key, so two tabs do not undo each other. In worker
//! mode the outbox holds many households' reports: it is kept in memory, never in `localStorage`; each
//! entry names its record, and worker mode seals it into that record on every change ([`use_vault`]).
//! A stored list that cannot be read (damaged, or from a newer version) is moved to its own key
//! ([`ASIDE_PREFIX`]) before anything is written, and never written over: while it cannot be moved
//! (storage full) nothing is stored.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub const KEY: &str = fangpin_html::storage::OUTBOX_KEY;
pub const VERSION: u32 = fangpin_html::storage::OUTBOX_VERSION;
/// Where an outbox that cannot be read is kept (removed by "清除本机数据" like every app key).
pub const ASIDE_PREFIX: &str = "fangpin.outbox.aside.";
const FIRST_DELAY_MS: f64 = 2_000.0;
const MAX_DELAY_MS: f64 = 60_000.0;

/// The server's receipt (`docs/report-api.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub reference: String,
    pub received_at: String,
    #[serde(default)]
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub key: String,
    pub reference: String,
    /// Absolute URL, fixed when the person agreed.
    pub endpoint: String,
    /// The exact JSON sent on every attempt.
    pub body: String,
    pub created_ms: f64,
    #[serde(default)]
    pub attempts: u32,
    #[serde(default)]
    pub next_ms: f64,
    #[serde(default)]
    pub last_error: Option<String>,
    #[serde(default)]
    pub receipt: Option<Receipt>,
    /// The server refused it (HTTP status and its message); not retried.
    #[serde(default)]
    pub refused: Option<(u16, String)>,
    /// In worker mode: the household record it was sent for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
}

impl Entry {
    pub fn pending(&self) -> bool {
        self.receipt.is_none() && self.refused.is_none()
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Stored {
    version: u32,
    #[serde(default)]
    entries: Vec<Entry>,
}

/// Delay before retry number `attempts` (1 → 2 s, 2 → 4 s, … capped at 60 s).
pub fn backoff_ms(attempts: u32) -> f64 {
    (FIRST_DELAY_MS * 2f64.powi(attempts.saturating_sub(1).min(16) as i32)).min(MAX_DELAY_MS)
}

/// The page's storage, where there is one (private modes and some web views block it; gloo's
/// `LocalStorage` throws there).
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[cfg(feature = "worker")]
pub use vaulted::{for_record, locked, started, unlocked, use_vault};
#[cfg(not(feature = "worker"))]
mod vaulted {
    use super::Entry;
    pub fn read() -> Option<Vec<Entry>> {
        None
    }
    pub fn write(_: &[Entry]) -> Option<bool> {
        None
    }
    pub fn record() -> Option<String> {
        None
    }
    pub fn remember(_: super::Outbox) {}
}

/// Worker mode's outbox (the worker build only): in memory, sealed into the worker's vault.
#[cfg(feature = "worker")]
mod vaulted {
    use std::cell::{Cell, RefCell};

    use leptos::prelude::*;

    use super::{Entry, Outbox, TIMER};

    /// The entries in memory, and where every change is sealed.
    struct Vaulted {
        entries: Vec<Entry>,
        persist: Persist,
    }

    /// Seals the entries into the worker's vault.
    type Persist = Box<dyn Fn(&[Entry])>;

    thread_local! {
        /// Some in worker mode (set before the outbox starts); its `persist` None while locked.
        static VAULTED: RefCell<Option<Option<Vaulted>>> = const { RefCell::new(None) };
        /// The record the worker has open: a submission now is for it.
        static RECORD: RefCell<Option<String>> = const { RefCell::new(None) };
        /// The outbox of the page's (one) worker-mode app, once started.
        static STARTED: Cell<Option<Outbox>> = const { Cell::new(None) };
    }

    /// The worker-mode app's outbox, once the later file has started it.
    pub fn started() -> Option<Outbox> {
        STARTED.with(Cell::get)
    }

    /// Worker mode: the outbox is not in `localStorage`. Until [`unlocked`], it is empty.
    pub fn use_vault() {
        VAULTED.with(|v| *v.borrow_mut() = Some(None));
    }

    /// The worker's vault opened: its stored entries, and where to seal every change. Sends what is due.
    pub fn unlocked(entries: Vec<Entry>, persist: impl Fn(&[Entry]) + 'static) {
        VAULTED.with(|v| *v.borrow_mut() = Some(Some(Vaulted { entries, persist: Box::new(persist) })));
        if let Some(o) = started() {
            o.change_all(|e| e.next_ms = 0.0);
            o.process();
        }
    }

    /// Locked: the entries leave memory. A send under way that ends now is not recorded; the entry is
    /// still waiting at the next unlock and sent again with the same key (the receiver answers with the
    /// first receipt), so nothing is delivered twice.
    pub fn locked() {
        VAULTED.with(|v| *v.borrow_mut() = Some(None));
        TIMER.with(|c| {
            if let Some(h) = c.take() {
                h.clear();
            }
        });
        if let Some(o) = started() {
            o.entries.set(Vec::new());
        }
    }

    /// The record a submission is for (worker mode), or None.
    pub fn for_record(id: Option<String>) {
        RECORD.with(|r| *r.borrow_mut() = id);
    }

    pub fn read() -> Option<Vec<Entry>> {
        VAULTED.with(|v| v.borrow().as_ref().map(|v| v.as_ref().map(|v| v.entries.clone()).unwrap_or_default()))
    }

    pub fn write(entries: &[Entry]) -> Option<bool> {
        VAULTED.with(|v| {
            let mut v = v.borrow_mut();
            let mode = v.as_mut()?;
            Some(match mode {
                Some(open) => {
                    open.entries = entries.to_vec();
                    (open.persist)(entries);
                    true
                }
                None => false,
            })
        })
    }

    pub fn record() -> Option<String> {
        RECORD.with(|r| r.borrow().clone())
    }

    pub fn remember(o: Outbox) {
        STARTED.with(|s| s.set(Some(o)));
    }
}

fn read() -> Vec<Entry> {
    if let Some(v) = vaulted::read() {
        return v;
    }
    let Some(storage) = storage() else { return Vec::new() };
    let Some(raw) = storage.get_item(KEY).ok().flatten() else { return Vec::new() };
    if let Some(stored) = serde_json::from_str::<Stored>(&raw).ok().filter(|s| s.version == VERSION) {
        return stored.entries;
    }
    // It may hold a report that was never delivered: kept, under its own key, before anything
    // can write an empty list over it.
    if crate::store::move_aside(&storage, KEY, &raw, ASIDE_PREFIX, now()).is_none() {
        UNREADABLE_STAYS.with(|u| u.set(true));
    }
    Vec::new()
}

thread_local! {
    /// The stored list could not be read nor moved aside: it stays where it is, so nothing is
    /// written there (a submission then fails as storage being full, which it is).
    static UNREADABLE_STAYS: Cell<bool> = const { Cell::new(false) };
}

/// Stores the entries; with none, no key at all (the start page opens the app at once when it sees
/// the outbox key: a report may be waiting).
fn write(entries: &[Entry]) -> bool {
    if let Some(ok) = vaulted::write(entries) {
        return ok;
    }
    let Some(storage) = storage() else { return false };
    if UNREADABLE_STAYS.with(Cell::get) {
        return false;
    }
    // For the start page: open the app at once only while a report waits.
    let waiting = if entries.iter().any(Entry::pending) { "1" } else { "0" };
    let _ = storage.set_item(fangpin_html::storage::OUTBOX_WAITING_KEY, waiting);
    if entries.is_empty() {
        return storage.remove_item(KEY).is_ok();
    }
    #[derive(Serialize)]
    struct Out<'a> {
        version: u32,
        entries: &'a [Entry],
    }
    serde_json::to_string(&Out { version: VERSION, entries }).is_ok_and(|text| storage.set_item(KEY, &text).is_ok())
}

/// "清除本机数据" must never lose a report that is still waiting to be delivered:
/// `clear_but_outbox` removes everything else, then the outbox is replaced by its pending entries
/// (and only those), or removed when there are none. What was kept is said to the person.
pub fn clear_keeping_pending(outbox: Option<Outbox>, clear_but_outbox: impl FnOnce()) -> Kept {
    let pending: Vec<Entry> = read().into_iter().filter(Entry::pending).collect();
    clear_but_outbox();
    let kept = if pending.is_empty() {
        // (A list that could not be read nor moved aside goes too: the person asked for all.)
        if let Some(s) = storage() {
            let _ = s.remove_item(KEY);
            let _ = s.remove_item(fangpin_html::storage::OUTBOX_WAITING_KEY);
        }
        UNREADABLE_STAYS.with(|u| u.set(false));
        Kept::Nothing
    } else if write(&pending) {
        Kept::Waiting
    } else {
        // The list as it was stays whole: delivered and waiting alike.
        return Kept::AllSent;
    };
    if let Some(o) = outbox {
        o.entries.set(pending);
    }
    kept
}

/// What "清除本机数据" kept of the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    Nothing,
    /// The reports not yet delivered.
    Waiting,
    /// Every report sent from this phone (the waiting ones could not be told apart or kept alone).
    AllSent,
}

/// Whether the outbox has anything on this device (without reading it).
pub fn stored() -> bool {
    vaulted::read().is_some_and(|v| !v.is_empty()) || storage().is_some_and(|s| s.get_item(KEY).ok().flatten().is_some())
}

/// The outbox as the screens see it (a signal mirroring storage), and which sends are under way.
#[derive(Clone, Copy)]
pub struct Outbox {
    pub entries: RwSignal<Vec<Entry>>,
    pub sending: RwSignal<Vec<String>>,
    /// Storage refused the submission (full or blocked): nothing was queued.
    pub store_failed: RwSignal<bool>,
}

thread_local! {
    static IN_FLIGHT: RefCell<HashSet<String>> = RefCell::new(HashSet::new());
    static TIMER: Cell<Option<TimeoutHandle>> = const { Cell::new(None) };
}

fn now() -> f64 {
    js_sys::Date::now()
}

impl Outbox {
    /// Creates the outbox, provides it as context, retries what is pending, and listens for `online`.
    pub fn start() -> Outbox {
        let o = Outbox { entries: RwSignal::new(read()), sending: RwSignal::new(Vec::new()), store_failed: RwSignal::new(false) };
        provide_context(o);
        vaulted::remember(o);
        let _ = window_event_listener_untyped("online", move |_| {
            o.change_all(|e| e.next_ms = 0.0);
            o.process();
        });
        // A new page load sends what is pending at once, whatever the backoff said.
        o.change_all(|e| e.next_ms = 0.0);
        // Another tab changed the outbox: show it.
        let _ = window_event_listener_untyped("storage", move |_| o.entries.set(read()));
        o.process();
        o
    }

    /// Worker mode: a deleted household's report is not sent (the list asked first).
    #[cfg(feature = "worker")]
    pub fn forget_record(&self, id: &str) {
        let mut all = read();
        let before = all.len();
        all.retain(|e| e.record.as_deref() != Some(id) || !e.pending());
        if all.len() != before {
            write(&all);
            self.entries.set(all);
        }
    }

    pub fn for_reference(&self, reference: &str) -> Option<Entry> {
        self.entries.with(|v| v.iter().rev().find(|e| e.reference == reference).cloned())
    }

    /// The latest report sent (or waiting) from this phone for the same household under another
    /// reference: its content changed since (the reference is the content's), and the person is
    /// told before sending a second one. In worker mode, of the open household's record only.
    pub fn earlier_of_this_household(&self, reference: &str) -> Option<Entry> {
        let record = vaulted::record();
        self.entries.with(|v| v.iter().rev().find(|e| e.reference != reference && e.record == record && e.refused.is_none()).cloned())
    }

    /// Stores a new submission, then sends it. `false` if the device would not store it.
    pub fn submit(&self, key: String, reference: String, endpoint: String, body: String) -> bool {
        let mut all = read();
        if all.iter().any(|e| e.key == key) {
            self.process();
            return true;
        }
        let t = now();
        all.push(Entry {
            key,
            reference,
            endpoint,
            body,
            created_ms: t,
            attempts: 0,
            next_ms: t,
            last_error: None,
            receipt: None,
            refused: None,
            record: vaulted::record(),
        });
        let ok = write(&all);
        self.store_failed.set(!ok);
        if ok {
            self.entries.set(all);
            self.process();
        }
        ok
    }

    fn change(&self, key: &str, f: impl FnOnce(&mut Entry)) {
        let mut all = read();
        if let Some(e) = all.iter_mut().find(|e| e.key == key) {
            f(e);
        }
        if write(&all) {
            self.entries.set(all);
        } else {
            // The screen shows what is stored, not a change that was not kept.
            self.store_failed.set(true);
            self.entries.set(read());
        }
    }

    /// A refused entry sent again, as it was (same key and body), on the person's tap: a refusal
    /// may pass (a receiver that does not yet know this year's policy).
    pub fn send_again(&self, key: &str) {
        self.change(key, |e| {
            if e.receipt.is_none() {
                e.refused = None;
                e.attempts = 0;
                e.next_ms = 0.0;
                e.last_error = None;
            }
        });
        self.process();
    }

    fn change_all(&self, f: impl Fn(&mut Entry)) {
        let mut all = read();
        all.iter_mut().filter(|e| e.pending()).for_each(&f);
        write(&all);
        self.entries.set(all);
    }

    /// Sends every pending entry that is due, and sets a timer for the next one.
    pub fn process(&self) {
        let o = *self;
        let t = now();
        let all = read();
        let busy: HashSet<String> = IN_FLIGHT.with(|s| s.borrow().clone());
        for e in all.iter().filter(|e| e.pending() && e.next_ms <= t && !busy.contains(&e.key)) {
            IN_FLIGHT.with(|s| s.borrow_mut().insert(e.key.clone()));
            o.sending.update(|v| v.push(e.key.clone()));
            let e = e.clone();
            leptos::task::spawn_local(async move {
                let outcome = send(&e).await;
                IN_FLIGHT.with(|s| s.borrow_mut().remove(&e.key));
                o.sending.update(|v| v.retain(|k| *k != e.key));
                match outcome {
                    Outcome::Delivered(r) => o.change(&e.key, |x| {
                        x.receipt = Some(r);
                        x.last_error = None;
                    }),
                    Outcome::Refused(status, msg) => o.change(&e.key, |x| x.refused = Some((status, msg))),
                    Outcome::Retry(msg) => o.change(&e.key, |x| {
                        x.attempts += 1;
                        x.next_ms = now() + backoff_ms(x.attempts);
                        x.last_error = Some(msg);
                    }),
                }
                o.process();
            });
        }
        // The next due time among the others.
        let next = read()
            .iter()
            .filter(|e| e.pending() && !IN_FLIGHT.with(|s| s.borrow().contains(&e.key)))
            .map(|e| e.next_ms)
            .fold(f64::INFINITY, f64::min);
        TIMER.with(|c| {
            if let Some(h) = c.take() {
                h.clear();
            }
            if next.is_finite() {
                let wait = (next - now()).max(0.0) as u64;
                c.set(set_timeout_with_handle(move || o.process(), std::time::Duration::from_millis(wait)).ok());
            }
        });
    }
}

enum Outcome {
    Delivered(Receipt),
    Refused(u16, String),
    Retry(String),
}

async fn send(e: &Entry) -> Outcome {
    match post(&e.endpoint, &e.body).await {
        Err(err) => Outcome::Retry(err),
        Ok((status, text)) if (200..300).contains(&status) => match serde_json::from_str::<Receipt>(&text) {
            Ok(r) => Outcome::Delivered(r),
            // A 2xx without a readable receipt: the server has it, but we cannot show the receipt; ask again (same key → same receipt).
            Err(_) => Outcome::Retry(format!("HTTP {status}")),
        },
        Ok((status, text)) if (400..500).contains(&status) && status != 408 && status != 429 => {
            #[derive(Deserialize)]
            struct Msg {
                zh: String,
                en: String,
            }
            #[derive(Deserialize)]
            struct Err {
                message: Msg,
            }
            let msg = serde_json::from_str::<Err>(&text).map(|e| format!("{} / {}", e.message.zh, e.message.en)).unwrap_or_default();
            Outcome::Refused(status, msg)
        }
        Ok((status, _)) => Outcome::Retry(format!("HTTP {status}")),
    }
}

async fn post(url: &str, body: &str) -> Result<(u16, String), String> {
    let w = web_sys::window().ok_or("no window")?;
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(body));
    let headers = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&headers, &"Content-Type".into(), &"application/json".into());
    init.set_headers(&headers);
    init.set_cache(web_sys::RequestCache::NoStore);
    let err = |e: JsValue| e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_else(|| "network".into());
    let resp: web_sys::Response = JsFuture::from(w.fetch_with_str_and_init(url, &init)).await.map_err(err)?.unchecked_into();
    let status = resp.status();
    let text = match resp.text() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_string()).unwrap_or_default(),
        Err(_) => String::new(),
    };
    Ok((status, text))
}

/// A fresh idempotency key (UUID v4 from `crypto.getRandomValues`), made once per submission.
pub fn new_key() -> Option<String> {
    let mut b = [0u8; 16];
    web_sys::window()?.crypto().ok()?.get_random_values_with_u8_array(&mut b).ok()?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Some(format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32]))
}

/// The device's time in RFC 3339 with its offset, e.g. `2026-11-28T22:18:47+08:00`.
pub fn now_rfc3339() -> String {
    let d = js_sys::Date::new_0();
    let off = -(d.get_timezone_offset() as i32); // minutes east of UTC
    let sign = if off < 0 { '-' } else { '+' };
    let o = off.abs();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds(),
        o / 60,
        o % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn backoff_doubles_from_two_seconds_and_stops_at_a_minute() {
        let v: Vec<f64> = (1..=8).map(backoff_ms).collect();
        assert_eq!(v, [2e3, 4e3, 8e3, 16e3, 32e3, 60e3, 60e3, 60e3]);
    }
}
