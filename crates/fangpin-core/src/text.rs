//! Bilingual user-facing text. Every message the core shows a person has a Chinese and an English form.
//!
//! Chinese is written for a villager: polite (您), short sentences, plain words.

use serde::{Deserialize, Serialize};

/// A message in Chinese (`zh`, shown first) and English (`en`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text { zh: zh.into(), en: en.into() }
    }

    /// True when either language is missing (used by policy validation).
    pub fn is_incomplete(&self) -> bool {
        self.zh.trim().is_empty() || self.en.trim().is_empty()
    }

    /// The text in the given language (`"en"` gives English, anything else Chinese).
    pub fn get(&self, lang: &str) -> &str {
        if lang == "en" { &self.en } else { &self.zh }
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}
