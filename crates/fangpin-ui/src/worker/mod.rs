//! Worker mode (issue 13): a grid worker (网格员) or cadre screens a whole village on one phone.
//! Only in the app's worker build (feature `worker`; boot.js loads it for `?mode=worker`). The records are
//! `fangpin_visits::Record`s, sealed in IndexedDB under the worker's PIN ([`vault`]); the household
//! a worker has open is the app's draft, so the steps, result and application are the villager's own
//! screens, and one effect here seals every change into its record.
//!
//! * [`setup`] — the worker states who they are and sets a PIN; unlocking; forgetting the PIN;
//! * [`list`] — the households: summary, search, filter, sort, add, duplicate, delete, send all,
//!   a pasted handoff link, the CSV;
//! * [`record`] — the bar above an open household (who collected it, back to the list) and the
//!   village's marks (监测状态, 开发式帮扶) with the 回头看;
//! * [`export`] — the CSV as a download, a copy or a share;
//! * [`vault`] — IndexedDB and WebCrypto.
//!
//! Locking (after [`IDLE_MS`] without a touch or a key, and when the page is hidden) drops the key
//! and every record from memory; what was typed was sealed as it was typed (writes queued per name,
//! the newest last). Each record carries its own one-click report, so the outbox is made of them.

mod export;
mod list;
mod one_window;
mod record;
mod setup;
pub mod vault;

use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;

use crate::ctx::Ctx;
use crate::i18n::tr;
use crate::outbox::{self, Entry};
use crate::store::{Draft, Screen};
use crate::use_ctx;
use crate::worker_load;
use fangpin_core::policy::{self, Profile};
use fangpin_visits::{Collector, Record, Status, VisitOutcome};
use vault::{Vault, VaultError};

/// Locks after this long without a touch or a key.
pub const IDLE_MS: f64 = 5.0 * 60.0 * 1000.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Looking for a vault on this phone.
    Checking,
    /// None yet: the worker states who they are and sets a PIN.
    Setup,
    Locked,
    Unlocked,
    /// The phone's storage could not be read: nothing is set up over it (that would lose it).
    Unreadable,
}

/// Why the worker sees the unlock screen again, or what just happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    IdleLocked,
    Received,
    ReceivedAgain,
    BadHandoff,
    /// Another window unlocked worker mode: this one locked so that neither writes over the other.
    OpenedElsewhere,
}

/// Worker mode's state, provided as context to its screens.
#[derive(Clone, Copy)]
pub struct Worker {
    pub phase: RwSignal<Phase>,
    pub records: RwSignal<Vec<Record>>,
    /// Sealed values that did not open or parse: kept in the database, named here.
    pub aside: RwSignal<Vec<String>>,
    /// The record open in the form.
    pub open: RwSignal<Option<String>>,
    pub collector: RwSignal<Option<Collector>>,
    /// Records are kept only while the page is open (no IndexedDB: sealed in the page's memory).
    pub memory_only: RwSignal<bool>,
    /// The last seal that failed (storage full…): the record is still in memory, said at the top.
    pub save_failed: RwSignal<Option<String>>,
    pub notice: RwSignal<Option<Notice>>,
    /// The list's search, filters and sort (kept across a language switch and an open household).
    pub filter: RwSignal<fangpin_visits::list::Filter>,
    pub sort: RwSignal<fangpin_visits::list::Sort>,
    pub store: StoredValue<Option<vault::Store>, LocalStorage>,
    vault: StoredValue<Option<Rc<Vault>>, LocalStorage>,
    /// Seals under way, by name: at most one write per name at a time, and the newest value wins
    /// (WebCrypto may finish in any order; an older copy must never land last).
    writes: StoredValue<HashMap<String, Slot>, LocalStorage>,
    /// A storage error the unlock screen says.
    pub unlock_error: RwSignal<Option<String>>,
    /// Outcomes by record id, with the change time they were decided at (so typing a search or
    /// opening the list does not decide 300 households again).
    outcomes: StoredValue<HashMap<String, (i64, VisitOutcome)>, LocalStorage>,
    last_active: StoredValue<f64>,
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

fn use_worker() -> Worker {
    expect_context::<Worker>()
}

thread_local! {
    /// The app's context, for what runs outside its owner (a task after unlocking).
    static CTX: std::cell::Cell<Option<Ctx>> = const { std::cell::Cell::new(None) };
}

fn use_ctx_untracked() -> Option<Ctx> {
    CTX.with(std::cell::Cell::get)
}

/// The profile a record is assessed on: its county's for the day.
pub fn profile_of(ctx: &Ctx, r: &Record) -> &'static Profile {
    let set = policy::installed();
    set.resolve(&r.draft.profile, ctx.as_of).unwrap_or_else(|| &set.profiles[0])
}

/// A name's write under way and the value waiting behind it (None inside: a delete).
#[derive(Default)]
struct Slot {
    next: Option<Option<String>>,
}

impl Worker {
    /// Seals `value` under `name` (None deletes it), after any write of the same name under way.
    /// A failure is said at the top; the value stays in memory and the next change tries again.
    fn write(&self, name: String, value: Option<String>) {
        let Some(v) = self.vault.get_value() else { return };
        let busy = self.writes.with_value(|m| m.contains_key(&name));
        if busy {
            self.writes.update_value(|m| {
                if let Some(slot) = m.get_mut(&name) {
                    slot.next = Some(value);
                }
            });
            return;
        }
        self.writes.update_value(|m| {
            m.insert(name.clone(), Slot::default());
        });
        let w = *self;
        leptos::task::spawn_local(async move {
            let mut value = value;
            loop {
                let done = match &value {
                    Some(text) => v.put(&name, text).await,
                    None => v.delete(&name).await,
                };
                match done {
                    Ok(()) if w.save_failed.get_untracked().is_some() => w.save_failed.set(None),
                    Ok(()) => {}
                    Err(e) => w.save_failed.set(Some(e.detail())),
                }
                // The newest value behind this one, if any; else the name is free.
                match w.writes.try_update_value(|m| m.get_mut(&name).and_then(|s| s.next.take())).flatten() {
                    Some(next) => value = next,
                    None => {
                        w.writes.update_value(|m| {
                            m.remove(&name);
                        });
                        break;
                    }
                }
            }
        });
    }

    /// The record's outcome (decided once per change of the record).
    pub fn outcome(&self, ctx: &Ctx, r: &Record) -> VisitOutcome {
        if let Some((at, o)) = self.outcomes.with_value(|m| m.get(&r.id).copied())
            && at == r.changed_ms
        {
            return o;
        }
        let o = VisitOutcome::of_decision(&r.decide(profile_of(ctx, r), ctx.as_of));
        self.outcomes.update_value(|m| {
            m.insert(r.id.clone(), (r.changed_ms, o));
        });
        o
    }

    /// Seals a record (after every change).
    pub fn save(&self, r: &Record) {
        self.write(vault::record_key(&r.id), Some(serde_json::to_string(r).unwrap_or_default()));
    }

    /// Deletes a record, and with it its report if one was waiting (the list asked first).
    pub fn remove(&self, id: &str) {
        self.records.update(|rs| rs.retain(|r| r.id != id));
        self.write(vault::record_key(id), None);
        if let Some(o) = outbox::started() {
            o.forget_record(id);
        }
    }

    /// Changes one record and seals it.
    pub fn change(&self, id: &str, f: impl FnOnce(&mut Record)) {
        let mut changed = None;
        self.records.update(|rs| {
            if let Some(r) = rs.iter_mut().find(|r| r.id == id) {
                f(r);
                changed = Some(r.clone());
            }
        });
        if let Some(r) = changed {
            self.save(&r);
        }
    }

    /// Adds a record and seals it.
    pub fn add(&self, r: Record) {
        self.save(&r);
        self.records.update(|rs| rs.push(r));
    }

    /// Opens a record in the form, at the step where the worker left it.
    pub fn open_record(&self, ctx: &Ctx, id: &str) {
        let Some(d) = self.records.with_untracked(|rs| rs.iter().find(|r| r.id == id).map(|r| r.draft.clone())) else { return };
        let (lang, care) = ctx.draft.with_untracked(|d| (d.lang, d.care));
        outbox::for_record(Some(id.to_string()));
        self.open.set(Some(id.to_string()));
        ctx.draft.set(Draft { lang, care, ..d });
    }

    /// Back to the list (the record was sealed as it was typed).
    pub fn close_record(&self, ctx: &Ctx) {
        outbox::for_record(None);
        self.open.set(None);
        let (lang, care) = ctx.draft.with_untracked(|d| (d.lang, d.care));
        ctx.draft.set(Draft { lang, care, ..Draft::default() });
    }

    /// The vault opened: read every record (each with its report), keep aside what does not open.
    /// A store that cannot be read is an error for the unlock screen, never an empty village.
    async fn unlocked(&self, ctx: Ctx, v: Vault) -> Result<(), VaultError> {
        // No other window keeps a copy of the records to write back over what is read here. (A
        // window without IndexedDB has its records in its own memory: nothing to share.)
        if v.persistent() {
            one_window::take_over().await.map_err(|_| VaultError::OpenElsewhere)?;
        }
        let (values, mut unreadable) = v.read_all().await?;
        let mut records = Vec::new();
        let mut collector = None;
        for (name, text) in values {
            if name == vault::COLLECTOR {
                match serde_json::from_str(&text) {
                    Ok(c) => collector = Some(c),
                    Err(_) => unreadable.push(name),
                }
            } else {
                match serde_json::from_str::<Record>(&text) {
                    Ok(r) => records.push(r),
                    Err(_) => unreadable.push(name),
                }
            }
        }
        // Each record keeps its own report: the outbox is made of them.
        let entries: Vec<Entry> =
            records.iter().filter_map(|r| r.report_entry.as_deref().and_then(|e| serde_json::from_str::<Entry>(e).ok())).collect();
        let v = Rc::new(v);
        self.memory_only.set(!v.persistent());
        self.vault.set_value(Some(v));
        if collector.is_some() {
            self.collector.set(collector);
        }
        // For the bench (scripts/bench): the vault is open and read; the list is drawn next.
        if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
            let _ = p.mark("fangpin:vault-open");
        }
        self.aside.set(unreadable);
        self.records.set(records);
        let w = *self;
        outbox::unlocked(entries, move |all| w.keep_reports(all));
        self.last_active.set_value(js_sys::Date::now());
        self.phase.set(Phase::Unlocked);
        // The list's title has the focus (the unlock button is gone).
        request_animation_frame(move || ctx.focus("fp-screen-title"));
        self.receive_pending_handoff();
        // Hidden while the key was derived (the phone was put away): locked at once.
        if document().hidden() {
            self.lock(&ctx, None);
        }
        Ok(())
    }

    /// The outbox changed: each report goes into its record (sealed with it). A report whose
    /// record is gone was deleted with it.
    fn keep_reports(&self, all: &[Entry]) {
        for e in all {
            let Some(id) = e.record.as_deref() else { continue };
            let Ok(json) = serde_json::to_string(e) else { continue };
            let stale = self.records.with_untracked(|rs| rs.iter().any(|r| r.id == id && r.report_entry.as_deref() != Some(json.as_str())));
            if stale {
                self.change(id, |r| r.report_entry = Some(json));
            }
        }
    }

    /// A villager's `#a=` link this page was opened with: into the list (updated, never doubled).
    fn receive_pending_handoff(&self) {
        // Who collects first: without it the link waits (it is not taken and lost).
        let Some(c) = self.collector.get_untracked() else { return };
        let Some(digits) = worker_load::take_pending_handoff() else { return };
        if fangpin_form::apply::from_handoff(&digits).is_err() {
            self.notice.set(Some(Notice::BadHandoff));
            return;
        }
        let before = self.records.with_untracked(Vec::len);
        let mut id = None;
        let ctx = use_ctx_untracked();
        self.records.update(|rs| {
            let i = fangpin_visits::list::receive_handoff(rs, &digits, || Record::new(new_id(), c.clone(), now_ms()), now_ms());
            // The villager finished it: the visit is on record with its outcome.
            let r = &mut rs[i];
            if r.status == Status::Unfinished
                && let Some(ctx) = ctx
            {
                let o = VisitOutcome::of_decision(&r.decide(profile_of(&ctx, r), ctx.as_of));
                r.finish(o, now_ms());
            }
            id = Some(r.clone());
        });
        if let Some(r) = id {
            self.save(&r);
        }
        let again = self.records.with_untracked(Vec::len) == before;
        self.notice.set(Some(if again { Notice::ReceivedAgain } else { Notice::Received }));
    }

    /// Locks: the key and every record leave memory (each was sealed as it changed; writes under
    /// way finish with the key they hold); the form goes back to a blank draft. Not while a change
    /// could not be stored: that change lives only in memory, and the screen asks to send or export.
    pub fn lock(&self, ctx: &Ctx, why: Option<Notice>) {
        if self.phase.get_untracked() != Phase::Unlocked || self.save_failed.get_untracked().is_some() {
            return;
        }
        outbox::locked();
        outbox::for_record(None);
        self.vault.set_value(None);
        self.open.set(None);
        self.records.set(Vec::new());
        self.aside.set(Vec::new());
        self.outcomes.update_value(HashMap::clear);
        let (lang, care) = ctx.draft.with_untracked(|d| (d.lang, d.care));
        ctx.draft.set(Draft { lang, care, ..Draft::default() });
        self.notice.set(why);
        self.phase.set(Phase::Locked);
        let writes = self.writes;
        one_window::release_when(move || writes.try_with_value(HashMap::is_empty).unwrap_or(true));
    }
}

/// A new record id: random (a count would collide between two phones' exports).
pub fn new_id() -> String {
    outbox::new_key().unwrap_or_else(|| format!("r{}", now_ms()))
}

/// The worker's view: setting up, unlocking, the list, or the open household.
pub fn view() -> AnyView {
    let ctx = use_ctx();
    let w = Worker {
        phase: RwSignal::new(Phase::Checking),
        records: RwSignal::new(Vec::new()),
        aside: RwSignal::new(Vec::new()),
        open: RwSignal::new(None),
        collector: RwSignal::new(None),
        memory_only: RwSignal::new(false),
        save_failed: RwSignal::new(None),
        notice: RwSignal::new(None),
        filter: RwSignal::new(Default::default()),
        sort: RwSignal::new(fangpin_visits::list::Sort::Changed),
        store: StoredValue::new_local(None),
        vault: StoredValue::new_local(None),
        writes: StoredValue::new_local(HashMap::new()),
        unlock_error: RwSignal::new(None),
        outcomes: StoredValue::new_local(HashMap::new()),
        last_active: StoredValue::new(js_sys::Date::now()),
    };
    provide_context(w);
    CTX.with(|c| c.set(Some(ctx)));
    // Printing the open household's application: its record says 已打印.
    crate::channels::on_print(move || {
        if let Some(id) = w.open.get_untracked() {
            w.change(&id, |r| {
                r.advance(Status::Printed, now_ms());
            });
        }
    });
    leptos::task::spawn_local(async move {
        let store = vault::Store::open().await;
        w.memory_only.set(!store.persistent());
        let phase = match store.has_vault().await {
            Ok(true) => Phase::Locked,
            Ok(false) => Phase::Setup,
            Err(e) => {
                w.unlock_error.set(Some(e));
                Phase::Unreadable
            }
        };
        w.store.set_value(Some(store));
        w.phase.set(phase);
    });
    sync_effects(ctx, w);
    lock_triggers(ctx, w);
    one_window::listen(move || {
        if !w.memory_only.get_untracked() {
            w.lock(&ctx, Some(Notice::OpenedElsewhere));
        }
    });

    let setup_form = setup::SetupForm::new();
    // Each screen renders its texts once, in the current language: a switch draws it again (what
    // was typed is kept outside it).
    let body = move || match (ctx.lang.get(), w.phase.get()).1 {
        Phase::Checking => view! {
            <h2 id="fp-screen-title" class="fp-loading" tabindex="-1" role="status">{tr(ctx.lang.get(), "正在打开……", "Opening…")}</h2>
        }
        .into_any(),
        Phase::Setup => setup::setup_view(ctx, w, setup_form),
        Phase::Locked => setup::unlock_view(ctx, w),
        Phase::Unreadable => setup::unreadable_view(ctx, w),
        Phase::Unlocked => match w.open.get() {
            None => list::list_view(ctx, w),
            Some(_) => record::record_view(ctx, w),
        },
    };
    view! {
        <div class="fp-worker" data-worker="">
            {move || w.save_failed.get().map(|why| view! {
                <p class="fp-notice" role="alert" data-testid="worker-save-failed" data-unsaved="">
                    {tr(ctx.lang.get(), "这台手机没能保存刚才的改动（可能存储已满）。记录还在页面里，请不要关闭页面，先发送或导出。", "This phone could not store the last change (storage may be full). The record is still on the page; please keep it open and send or export first.")}
                    <span class="fp-muted">{format!(" ({why})")}</span>
                </p>
            })}
            {move || (w.memory_only.get() && w.phase.get() != Phase::Unreadable).then(|| view! {
                <p class="fp-notice" role="status" data-testid="worker-memory-only" data-unsaved="">
                    {tr(ctx.lang.get(), "这个浏览器不能把记录长期保存在手机上（可能是无痕模式，或微信内置浏览器的限制）。关闭页面后记录就没有了：请填完一户就发送或导出。", "This browser cannot keep records on the phone (private mode, or a WeChat restriction). They are gone when the page closes: send or export each household when done.")}
                </p>
            })}
            {body}
            <WorkerFooter />
        </div>
    }
    .into_any()
}

/// The open household's draft → its record, sealed; its visit finished when the result is
/// reached; its status from the outbox's entries; the worker's settings saved.
fn sync_effects(ctx: Ctx, w: Worker) {
    Effect::new(move |_| {
        let d = ctx.draft.get();
        // Only once worker mode is set up (a PIN chosen): the key says so to the villager's page,
        // which then sends a QR link here (a villager who only looked at the setup screen is not
        // sent to it).
        if matches!(w.phase.get(), Phase::Locked | Phase::Unlocked) {
            worker_load::save_settings(worker_load::Settings { lang: d.lang, care: d.care });
        }
        let Some(id) = w.open.get_untracked() else { return };
        let at_result = d.screen == Screen::Result;
        w.change(&id, |r| {
            r.edited(d, now_ms());
            if at_result && r.status == Status::Unfinished {
                let o = VisitOutcome::of_decision(&r.decide(profile_of(&ctx, r), ctx.as_of));
                r.finish(o, now_ms());
            }
        });
    });
    // A one-click report queued or delivered for a record: its status (and receipt) follow.
    Effect::new(move |_| {
        let Some(o) = outbox::started() else { return };
        let entries = o.entries.get();
        for e in entries.iter() {
            let Some(id) = e.record.as_deref() else { continue };
            let want = match (&e.receipt, &e.refused) {
                (Some(_), _) => Status::Delivered,
                (None, None) => Status::Queued,
                (None, Some(_)) => {
                    // Refused: ready again (the row says why), not left waiting forever.
                    let refused = w.records.with_untracked(|rs| rs.iter().any(|r| r.id == id && r.status == Status::Queued));
                    if refused {
                        w.change(id, |r| r.report_refused(now_ms()));
                    }
                    continue;
                }
            };
            let needs = w.records.with_untracked(|rs| {
                rs.iter().any(|r| {
                    r.id == id
                        && r.status != Status::Delivered
                        && (r.report_key.as_deref() != Some(&e.key)
                            || (r.status != want && !(want == Status::Queued && r.status == Status::Queued)))
                })
            });
            if needs {
                let receipt = e.receipt.as_ref().map(|r| r.reference.clone());
                let key = e.key.clone();
                w.change(id, |r| {
                    r.report_key = Some(key);
                    if r.status == Status::Unfinished {
                        let o = VisitOutcome::of_decision(&r.decide(profile_of(&ctx, r), ctx.as_of));
                        r.finish(o, now_ms());
                    }
                    r.advance(want, now_ms());
                    if receipt.is_some() {
                        r.receipt = receipt;
                    }
                });
            }
        }
    });
}

/// Locks after [`IDLE_MS`] without input, and when the page is hidden or left.
fn lock_triggers(ctx: Ctx, w: Worker) {
    let active = move |_: web_sys::Event| w.last_active.set_value(js_sys::Date::now());
    for ev in ["pointerdown", "keydown", "input"] {
        let _ = window_event_listener_untyped(ev, active);
    }
    let _ = window_event_listener_untyped("visibilitychange", move |_| {
        if document().hidden() {
            w.lock(&ctx, None);
        }
    });
    let _ = window_event_listener_untyped("pagehide", move |_| w.lock(&ctx, None));
    idle_check(ctx, w);
}

/// Every 10 s: locked after [`IDLE_MS`] without input. (A timer set again each time, the timer
/// kind the app's first file already has.)
fn idle_check(ctx: Ctx, w: Worker) {
    set_timeout(
        move || {
            if w.phase.get_untracked() == Phase::Unlocked && js_sys::Date::now() - w.last_active.get_value() >= IDLE_MS {
                w.lock(&ctx, Some(Notice::IdleLocked));
            }
            idle_check(ctx, w);
        },
        std::time::Duration::from_secs(10),
    );
}

/// Under every worker screen: where the records are, and 锁定.
#[component]
fn WorkerFooter() -> impl IntoView {
    let ctx = use_ctx();
    let w = use_worker();
    let l = move || ctx.lang.get();
    view! {
        <footer class="fp-footer fp-noprint">
            <p>{move || tr(l(), "走访记录只保存在这台手机上，用您的走访密码加密。只有您选择发送、导出或打印的那一户，才会离开这台手机。", "The visit records are kept only on this phone, encrypted with your PIN. A household leaves the phone only when you send, export or print it.")}</p>
            {move || (w.phase.get() == Phase::Unlocked).then(|| view! {
                <p><button type="button" class="fp-button fp-small" data-testid="worker-lock" on:click=move |_| w.lock(&ctx, None)>
                    {tr(l(), "锁定", "Lock")}
                </button></p>
            })}
            <p><a href="./" data-testid="worker-leave">{move || tr(l(), "离开网格员走访（回到村民自测）", "Leave worker mode (back to the self-check)")}</a></p>
        </footer>
    }
}
