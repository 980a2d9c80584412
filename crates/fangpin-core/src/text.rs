//! Bilingual user-facing text. Every message the core shows a person has a Chinese and an English form.
//!
//! Chinese is written for a villager: polite (您), short sentences, plain words.
//!
//! The strings are [`Str`]: a literal, a shared slice of a loaded profile, or an owned string built for
//! one result. Cloning never copies text, so an assessment can quote the fixed vocabulary and the
//! profile's clauses without allocating (see "Performance" in `docs/assessment.md`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::{Borrow, Cow};
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::sync::Arc;

/// An immutable string that derefs to `str`: a `&'static str` literal, a shared `Arc<str>` (texts
/// read from a profile), or an owned `String` (texts built for one result). Like `Cow<'static, str>`,
/// but clones of shared text are reference-count bumps, not copies. Compares, hashes, prints and
/// serialises exactly as the `str` it holds.
#[derive(Clone)]
pub struct Str(Repr);

#[derive(Clone)]
enum Repr {
    Static(&'static str),
    Shared(Arc<str>),
    Owned(String),
}

impl Str {
    /// A literal; free to create and to clone.
    pub const fn from_static(s: &'static str) -> Str {
        Str(Repr::Static(s))
    }
    /// Text to be cloned often: one allocation now, none per clone.
    pub fn shared(s: &str) -> Str {
        Str(Repr::Shared(Arc::from(s)))
    }
    /// This string, made cheap to clone (a no-op unless it is owned).
    pub fn into_shared(self) -> Str {
        match self.0 {
            Repr::Owned(s) => Str(Repr::Shared(Arc::from(s))),
            r => Str(r),
        }
    }
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(s) => s,
            Repr::Shared(s) => s,
            Repr::Owned(s) => s,
        }
    }
    pub fn into_string(self) -> String {
        match self.0 {
            Repr::Owned(s) => s,
            r => Str(r).as_str().to_string(),
        }
    }
}

impl Default for Str {
    fn default() -> Self {
        Str::from_static("")
    }
}

impl Deref for Str {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Str {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Str {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl PartialEq for Str {
    fn eq(&self, other: &Str) -> bool {
        self.as_str() == other.as_str()
    }
}
impl Eq for Str {}

impl PartialOrd for Str {
    fn partial_cmp(&self, other: &Str) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Str {
    fn cmp(&self, other: &Str) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Str {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl PartialEq<str> for Str {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}
impl PartialEq<&str> for Str {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
impl PartialEq<String> for Str {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}
impl PartialEq<Str> for str {
    fn eq(&self, other: &Str) -> bool {
        self == other.as_str()
    }
}
impl PartialEq<Str> for &str {
    fn eq(&self, other: &Str) -> bool {
        *self == other.as_str()
    }
}
impl PartialEq<Str> for String {
    fn eq(&self, other: &Str) -> bool {
        self.as_str() == other.as_str()
    }
}

impl From<&'static str> for Str {
    fn from(s: &'static str) -> Str {
        Str(Repr::Static(s))
    }
}
impl From<String> for Str {
    fn from(s: String) -> Str {
        Str(Repr::Owned(s))
    }
}
impl From<&String> for Str {
    fn from(s: &String) -> Str {
        Str(Repr::Owned(s.clone()))
    }
}
impl From<Arc<str>> for Str {
    fn from(s: Arc<str>) -> Str {
        Str(Repr::Shared(s))
    }
}
impl From<Box<str>> for Str {
    fn from(s: Box<str>) -> Str {
        Str(Repr::Owned(s.into_string()))
    }
}
impl From<Cow<'static, str>> for Str {
    fn from(s: Cow<'static, str>) -> Str {
        match s {
            Cow::Borrowed(b) => Str(Repr::Static(b)),
            Cow::Owned(o) => Str(Repr::Owned(o)),
        }
    }
}
impl From<Str> for String {
    fn from(s: Str) -> String {
        s.into_string()
    }
}
impl From<&Str> for String {
    fn from(s: &Str) -> String {
        s.as_str().to_string()
    }
}

impl Serialize for Str {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Deserialised text is shared: it is usually profile data, quoted by many results.
impl<'de> Deserialize<'de> for Str {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Str;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Str, E> {
                Ok(Str::shared(v))
            }
        }
        d.deserialize_str(V)
    }
}

/// A message in Chinese (`zh`, shown first) and English (`en`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub zh: Str,
    pub en: Str,
}

impl Text {
    /// A text built at run time (the strings are moved in, not copied).
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Text { zh: Str::from(zh.into()), en: Str::from(en.into()) }
    }

    /// Two literals; costs nothing, usable in `const`. Use this for fixed vocabulary.
    pub const fn lit(zh: &'static str, en: &'static str) -> Self {
        Text { zh: Str::from_static(zh), en: Str::from_static(en) }
    }

    /// This text, made cheap to clone (for texts quoted by many results).
    pub fn into_shared(self) -> Self {
        Text { zh: self.zh.into_shared(), en: self.en.into_shared() }
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

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn str_behaves_like_the_text_it_holds() {
        let a = Str::from("永安");
        let b = Str::from(String::from("永安"));
        let c: Str = serde_json::from_str("\"永安\"").unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(a, "永安");
        assert_eq!(a.as_str(), "永安");
        assert_eq!(format!("{a:?}"), format!("{:?}", "永安"));
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"永安\"");
        assert_eq!(String::from(c.clone()), "永安");
        assert!(std::mem::size_of::<Str>() <= 32);
    }
}
