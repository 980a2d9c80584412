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

/// The page language a voice's tag names: "zh-CN", "zh_TW", "cmn-Hans-CN" are Mandarin, "en-US"
/// English (systems write them all these ways). Cantonese ("yue", "zh-HK") is not the page's
/// Chinese: a Fujian villager would hear another language.
pub fn lang_of_voice(tag: &str) -> Option<Lang> {
    lang_of_tag(&normalised(tag))
}

/// A voice's tag as BCP 47 in lower case (systems write "zh_CN", "ZH-cn").
fn normalised(tag: &str) -> String {
    tag.replace('_', "-").to_ascii_lowercase()
}

fn lang_of_tag(tag: &str) -> Option<Lang> {
    let primary = tag.split('-').next().unwrap_or("");
    match primary {
        "zh" if tag.contains("-hk") || tag.contains("-yue") => None,
        "zh" | "cmn" => Some(Lang::Zh),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// How well a voice's tag fits the page: mainland Mandarin first for Chinese.
fn fit(tag: &str, lang: Lang) -> u8 {
    let t = normalised(tag);
    match lang_of_tag(&t) {
        Some(l) if l == lang => {
            if t.starts_with("zh-cn") || t.starts_with("cmn-hans") || t.starts_with("en-") {
                2
            } else {
                1
            }
        }
        _ => 0,
    }
}

fn synth() -> Option<JsValue> {
    let w = web_sys::window()?;
    js_sys::Reflect::get(&w, &JsValue::from_str("speechSynthesis")).ok().filter(|v| !v.is_undefined() && !v.is_null())
}

/// The browser's voices with their language tags (none where there is no `speechSynthesis`).
fn voice_list() -> Vec<(JsValue, String)> {
    let Some(s) = synth() else { return Vec::new() };
    let list = js_sys::Reflect::get(&s, &JsValue::from_str("getVoices"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&s).ok())
        .and_then(|a| a.dyn_into::<js_sys::Array>().ok());
    list.iter()
        .flat_map(|a| a.iter())
        .map(|voice| {
            let tag = js_sys::Reflect::get(&voice, &JsValue::from_str("lang")).ok().and_then(|t| t.as_string()).unwrap_or_default();
            (voice, tag)
        })
        .collect()
}

/// The languages the browser has voices for now.
fn voices_now() -> Voices {
    let mut v = Voices::default();
    for (_, tag) in voice_list() {
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
        // The voice that made the button show, not whatever the browser defaults to (it may be
        // another language's).
        if let Some((voice, _)) = voice_list().into_iter().filter(|(_, t)| fit(t, lang) > 0).max_by_key(|(_, t)| fit(t, lang)) {
            let _ = js_sys::Reflect::set(&u, &JsValue::from_str("voice"), &voice);
        }
        u.set_rate(0.9);
        synth.speak(&u);
    }
}

/// A read-aloud button's name for screen readers: what it reads (its first sentence, shortened),
/// so that a page of buttons is not a list of “朗读, 朗读, 朗读”; on a member's card, whose member
/// it is (every card asks the same questions).
pub fn button_name(lang: Lang, text: &str, member: Option<usize>) -> String {
    let first = text.split(['。', '？', '！', '：']).next().unwrap_or(text);
    let first = first.split(". ").next().unwrap_or(first).trim();
    let short: String = first.chars().take(24).collect();
    let cut = if short.chars().count() < first.chars().count() { "…" } else { "" };
    match (lang, member) {
        (Lang::Zh, None) => format!("朗读：{short}{cut}"),
        (Lang::Zh, Some(i)) => format!("朗读（第 {} 位家人）：{short}{cut}", i + 1),
        (Lang::En, None) => format!("Read aloud: {short}{cut}"),
        (Lang::En, Some(i)) => format!("Read aloud (member {}): {short}{cut}", i + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn voices_by_language_however_systems_write_them() {
        for tag in ["zh-CN", "zh_TW", "cmn-Hans-CN", "ZH-cn"] {
            assert_eq!(lang_of_voice(tag), Some(Lang::Zh), "{tag}");
        }
        assert_eq!(lang_of_voice("en-GB"), Some(Lang::En));
        for tag in ["", "de-DE", "ja-JP", "🙂", "yue-HK", "zh-HK", "zh_HK"] {
            assert_eq!(lang_of_voice(tag), None, "{tag}");
        }
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn mainland_mandarin_is_chosen_first() {
        assert!(fit("zh-CN", Lang::Zh) > fit("zh-TW", Lang::Zh));
        assert!(fit("zh_CN", Lang::Zh) > fit("zh-TW", Lang::Zh));
        assert_eq!(fit("en-US", Lang::Zh), 0);
        assert_eq!(fit("zh-HK", Lang::Zh), 0);
        assert_eq!(fit("en-GB", Lang::En), 2);
    }

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn a_button_is_named_by_what_it_reads() {
        assert_eq!(button_name(Lang::Zh, "年龄。为什么问：看是不是上学年龄", None), "朗读：年龄");
        assert_eq!(button_name(Lang::En, "Age. Why we ask: school age", None), "Read aloud: Age");
        assert_eq!(button_name(Lang::Zh, "年龄。为什么问：看是不是上学年龄", Some(1)), "朗读（第 2 位家人）：年龄");
        assert_eq!(button_name(Lang::En, "Age. Why we ask: school age", Some(0)), "Read aloud (member 1): Age");
        let long = "家".repeat(30);
        assert_eq!(button_name(Lang::Zh, &long, None), format!("朗读：{}…", "家".repeat(24)));
        assert_eq!(button_name(Lang::Zh, "", None), "朗读：");
    }
}
