//! Read-aloud through the browser's speech synthesis, where it can speak the page's language.
//! A browser may have `speechSynthesis` and no voice at all (WebViews often do): a button there
//! would do nothing, so the read-aloud buttons show only while a voice for the language exists.

use crate::i18n::Lang;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// The languages the browser has a voice for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Voices {
    pub zh: bool,
    pub en: bool,
}

impl Voices {
    pub fn speaks(self, lang: Lang) -> bool {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.en,
        }
    }
}

/// The page language a voice's tag names: "zh-CN", "zh_TW", "cmn-Hans-CN", "yue-HK" are Chinese,
/// "en-US" English (systems write them all these ways).
pub fn lang_of_voice(tag: &str) -> Option<Lang> {
    let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    match primary.as_str() {
        "zh" | "cmn" | "yue" => Some(Lang::Zh),
        "en" => Some(Lang::En),
        _ => None,
    }
}

fn synth() -> Option<JsValue> {
    let w = web_sys::window()?;
    js_sys::Reflect::get(&w, &JsValue::from_str("speechSynthesis")).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// The voices the browser has now (none where there is no `speechSynthesis`).
fn voices_now() -> Voices {
    let mut v = Voices::default();
    let Some(s) = synth() else { return v };
    let list = js_sys::Reflect::get(&s, &JsValue::from_str("getVoices"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&s).ok())
        .and_then(|a| a.dyn_into::<js_sys::Array>().ok());
    for voice in list.iter().flat_map(|a| a.iter()) {
        let tag = js_sys::Reflect::get(&voice, &JsValue::from_str("lang")).ok().and_then(|t| t.as_string()).unwrap_or_default();
        match lang_of_voice(&tag) {
            Some(Lang::Zh) => v.zh = true,
            Some(Lang::En) => v.en = true,
            None => {}
        }
    }
    v
}

/// The voices, kept up to date: browsers load them after the page starts (`voiceschanged`).
pub fn watch() -> RwSignal<Voices> {
    let voices = RwSignal::new(voices_now());
    if let Some(target) = synth().and_then(|s| s.dyn_into::<web_sys::EventTarget>().ok()) {
        let changed = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
            voices.set(voices_now());
        });
        let _ = target.add_event_listener_with_callback("voiceschanged", changed.as_ref().unchecked_ref());
        changed.forget();
    }
    voices
}

/// Reads `text` aloud in `lang`, replacing anything being read.
pub fn speak(text: &str, lang: Lang) {
    if synth().is_none() {
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

/// A read-aloud button's name for screen readers: what it reads (its first sentence, shortened),
/// so that a page of buttons is not a list of “朗读, 朗读, 朗读”.
pub fn button_name(lang: Lang, text: &str) -> String {
    let first = text.split(['。', '？', '！', '：']).next().unwrap_or(text);
    let first = first.split(". ").next().unwrap_or(first).trim();
    let short: String = first.chars().take(24).collect();
    let cut = if short.chars().count() < first.chars().count() { "…" } else { "" };
    match lang {
        Lang::Zh => format!("朗读：{short}{cut}"),
        Lang::En => format!("Read aloud: {short}{cut}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn voices_by_language_however_systems_write_them() {
        for tag in ["zh-CN", "zh_TW", "cmn-Hans-CN", "yue-HK", "ZH-cn"] {
            assert_eq!(lang_of_voice(tag), Some(Lang::Zh), "{tag}");
        }
        assert_eq!(lang_of_voice("en-GB"), Some(Lang::En));
        for tag in ["", "de-DE", "ja-JP", "🙂"] {
            assert_eq!(lang_of_voice(tag), None, "{tag}");
        }
    }

    #[test]
    fn a_button_is_named_by_what_it_reads() {
        assert_eq!(button_name(Lang::Zh, "年龄。为什么问：看是不是上学年龄"), "朗读：年龄");
        assert_eq!(button_name(Lang::En, "Age. Why we ask: school age"), "Read aloud: Age");
        let long = "家".repeat(30);
        assert_eq!(button_name(Lang::Zh, &long), format!("朗读：{}…", "家".repeat(24)));
        assert_eq!(button_name(Lang::Zh, ""), "朗读：");
    }
}
