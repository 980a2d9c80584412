//! One window at a time has the records open. Two windows of worker mode unlocked side by side (a
//! tab opened again from WeChat's menu, two windows on a desktop) would each hold their own copy of
//! every record, and a change in one would be written over by the other's older copy. So
//! unlocking first tells every other window to lock (a `BroadcastChannel` message), then waits for
//! the Web Lock an unlocked window holds, which that window lets go only once its last writes have
//! landed; only then are the records read. Where the browser has no Web Locks, the message alone
//! locks the others, and unlocking waits a moment for their writes.
//!
//! A window that cannot lock (a change of its could not be stored: it lives only on that page)
//! keeps the lock; unlocking elsewhere gives up after [`WAIT_MS`] and says where to go.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::vault::Wait;

/// The channel every window of worker mode listens on, and the Web Lock an unlocked one holds.
const NAME: &str = "fangpin-worker-open";
const OPENING: &str = "opening";
/// How long unlocking waits for another window to let go.
pub const WAIT_MS: i32 = 4000;
/// Without Web Locks: how long the other windows' writes under way are given.
const NO_LOCKS_WAIT_MS: i32 = 300;

thread_local! {
    static CHANNEL: RefCell<Option<web_sys::BroadcastChannel>> = const { RefCell::new(None) };
    /// Lets go of the Web Lock this window holds (resolves the promise its callback returned).
    static RELEASE: RefCell<Option<Box<dyn FnOnce()>>> = const { RefCell::new(None) };
    /// Counts unlockings, so that a release still waiting for an earlier lock's writes does not let
    /// go of a later one.
    static GENERATION: Cell<u32> = const { Cell::new(0) };
}

/// Why this window did not open the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenElsewhere;

/// Listens for another window unlocking: `lock_here` runs when one does.
pub fn listen(lock_here: impl Fn() + 'static) {
    let Ok(channel) = web_sys::BroadcastChannel::new(NAME) else { return };
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        if e.data().as_string().as_deref() == Some(OPENING) {
            lock_here();
        }
    });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    CHANNEL.with(|c| *c.borrow_mut() = Some(channel));
}

/// Asks every other window to lock, and returns once none has the records open (their writes
/// landed), holding the lock until [`release`].
pub async fn take_over() -> Result<(), OpenElsewhere> {
    GENERATION.with(|g| g.set(g.get().wrapping_add(1)));
    release();
    CHANNEL.with(|c| {
        if let Some(ch) = &*c.borrow() {
            let _ = ch.post_message(&JsValue::from_str(OPENING));
        }
    });
    let Some((locks, request)) = lock_manager() else {
        sleep(NO_LOCKS_WAIT_MS).await;
        return Ok(());
    };
    // Granted (true) or given up (false); first answer wins.
    let answer: Wait<bool> = Wait::new();
    let granted = answer.setter();
    let held: Wait<()> = Wait::new();
    let let_go = held.setter();
    let callback = Closure::once_into_js(move |_lock: JsValue| -> js_sys::Promise {
        RELEASE.with(|r| *r.borrow_mut() = Some(Box::new(move || let_go(()))));
        granted(true);
        wasm_bindgen_futures::future_to_promise(async move {
            held.await;
            Ok(JsValue::UNDEFINED)
        })
    });
    let abort = web_sys::AbortController::new().ok();
    let options = Object::new();
    if let Some(a) = &abort {
        let _ = Reflect::set(&options, &"signal".into(), &a.signal());
    }
    let asked = request.call3(&locks, &JsValue::from_str(NAME), &options, &callback);
    let gave_up = answer.setter();
    match asked.ok().and_then(|p| p.dyn_into::<js_sys::Promise>().ok()) {
        // Settles when the lock is let go (fine) or when waiting was aborted (given up).
        Some(p) => leptos::task::spawn_local(async move {
            if JsFuture::from(p).await.is_err() {
                gave_up(false);
            }
        }),
        // A browser whose request throws: as without Web Locks.
        None => gave_up(true),
    }
    if let Some(a) = abort {
        leptos::prelude::set_timeout(move || a.abort(), std::time::Duration::from_millis(WAIT_MS as u64));
    }
    if answer.await { Ok(()) } else { Err(OpenElsewhere) }
}

/// Lets go of the lock once `landed` says this window's writes under way have landed (unless it
/// unlocked again meanwhile).
pub fn release_when(landed: impl Fn() -> bool + 'static) {
    poll(GENERATION.with(Cell::get), Rc::new(landed));
}

fn poll(generation: u32, landed: Rc<dyn Fn() -> bool>) {
    if GENERATION.with(Cell::get) != generation {
        return;
    }
    if landed() {
        release();
    } else {
        leptos::prelude::set_timeout(move || poll(generation, landed), std::time::Duration::from_millis(50));
    }
}

fn release() {
    if let Some(f) = RELEASE.with(|r| r.borrow_mut().take()) {
        f();
    }
}

/// `navigator.locks` and its `request`, where the browser has them.
fn lock_manager() -> Option<(JsValue, Function)> {
    let nav = web_sys::window()?.navigator();
    let locks = Reflect::get(&nav, &"locks".into()).ok().filter(|l| l.is_object())?;
    let request = Reflect::get(&locks, &"request".into()).ok()?.dyn_into::<Function>().ok()?;
    Some((locks, request))
}

async fn sleep(ms: i32) {
    let done: Wait<()> = Wait::new();
    let wake = done.setter();
    leptos::prelude::set_timeout(move || wake(()), std::time::Duration::from_millis(ms as u64));
    done.await;
}
