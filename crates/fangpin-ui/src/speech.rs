//! Read-aloud through the browser's speech synthesis, where it exists. Where it does not, the
//! read-aloud buttons are not shown at all.

use crate::i18n::Lang;
use wasm_bindgen::JsValue;

/// Does this browser offer `speechSynthesis`?
pub fn available() -> bool {
    let Some(w) = web_sys::window() else { return false };
    js_sys::Reflect::get(&w, &JsValue::from_str("speechSynthesis")).is_ok_and(|v| !v.is_undefined() && !v.is_null())
}

/// Reads `text` aloud in `lang`, replacing anything being read.
pub fn speak(text: &str, lang: Lang) {
    if !available() {
        return;
    }
    let Some(synth) = web_sys::window().and_then(|w| w.speech_synthesis().ok()) else { return };
    synth.cancel();
    if let Ok(u) = web_sys::SpeechSynthesisUtterance::new_with_text(text) {
        u.set_lang(lang.code());
        u.set_rate(0.9);
        synth.speak(&u);
    }
}
