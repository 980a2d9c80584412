//! Worker mode's way in: whether the page was opened for it (`?mode=worker`), its settings on the
//! phone, and a villager's handoff it was opened with. Worker mode itself (`worker/`) is in the
//! app's worker build only (feature `worker`; boot.js loads that module for `?mode=worker`), so a
//! villager's module carries none of it.

use leptos::prelude::*;

/// The page's address asks for worker mode: `mode=worker` in its query.
pub fn requested() -> bool {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    fangpin_html::page::asks_for_worker_mode(&search)
}

/// Worker mode's screens (the worker build), or nothing (the villager's build never asks).
#[component]
pub fn WorkerMode() -> impl IntoView {
    #[cfg(feature = "worker")]
    return crate::worker::view();
    #[cfg(not(feature = "worker"))]
    return ().into_any();
}

/// Worker mode's own settings on the phone (language, care mode; nothing personal), apart from a
/// villager's draft. Its presence also tells a villager's handoff link that a worker uses this phone.
pub const SETTINGS_KEY: &str = "fangpin.worker.v1";

#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    pub lang: crate::i18n::Lang,
    pub care: bool,
}

/// Whether worker mode was set up on this phone, a PIN chosen (its settings are saved only from
/// then on; read without the JSON reader, which the first wasm file does not carry).
pub fn set_up() -> bool {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten()).and_then(|s| s.get_item(SETTINGS_KEY).ok().flatten()).is_some()
}

pub fn settings() -> Option<Settings> {
    let raw = web_sys::window()?.local_storage().ok().flatten()?.get_item(SETTINGS_KEY).ok().flatten()?;
    Some(serde_json::from_str(&raw).unwrap_or_default())
}

#[cfg(feature = "worker")]
pub fn save_settings(s: Settings) {
    if let (Some(st), Ok(text)) = (web_sys::window().and_then(|w| w.local_storage().ok().flatten()), serde_json::to_string(&s)) {
        let _ = st.set_item(SETTINGS_KEY, &text);
    }
}

thread_local! {
    /// A villager's handoff (`#a=…`) the page was opened with in worker mode: added to the list once unlocked.
    static HANDOFF: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

pub fn set_pending_handoff(digits: Option<String>) {
    HANDOFF.with(|h| *h.borrow_mut() = digits);
}

#[cfg(feature = "worker")]
pub fn take_pending_handoff() -> Option<String> {
    HANDOFF.with(|h| h.borrow_mut().take())
}
