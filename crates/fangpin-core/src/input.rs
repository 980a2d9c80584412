//! What people type, made safe to check: full-width forms folded to ASCII, and the rules every
//! piece of free text must follow (length, no control or direction-changing characters).
//!
//! Every check here works on `char`s. Nothing slices a string at a byte offset it did not get from
//! the string itself, so no input can split a character.

use crate::text::Text;

/// A full-width form (`１`, `Ｘ`, `ｘ`, the ideographic space) as its ASCII twin; anything else
/// unchanged. Chinese input methods type these when the person did not switch to half width.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
        '\u{3000}' => ' ',
        c => c,
    }
}

/// `s` with every full-width form folded ([`fold_width`]).
pub fn fold(s: &str) -> String {
    s.chars().map(fold_width).collect()
}

/// How a piece of text is used: a one-line field (a name, a village) or free text that may have
/// line breaks (a description).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextKind {
    Line,
    Free,
}

/// Why a piece of text is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// More than this many characters.
    TooLong(usize),
    /// A control character (anything below U+0020, DEL and C1; a line break is allowed in free text).
    Control,
    /// A character that silently reverses the order text is shown in (U+202A–U+202E, U+2066–U+2069):
    /// used to make a name or an address read differently from what is stored.
    Direction,
    /// U+FFFD: a character that could not be read (what a browser makes of a broken surrogate pair).
    Unreadable,
}

impl TextProblem {
    pub fn code(&self) -> &'static str {
        match self {
            TextProblem::TooLong(_) => "too_long",
            TextProblem::Control => "control_character",
            TextProblem::Direction => "direction_character",
            TextProblem::Unreadable => "unreadable_character",
        }
    }

    pub fn message(&self) -> Text {
        match self {
            TextProblem::TooLong(max) => {
                Text::new(format!("这里最多填 {max} 个字，请写短一些。"), format!("At most {max} characters here; please shorten it."))
            }
            TextProblem::Control => Text::lit(
                "这里有看不见的特殊字符（可能是复制时带进来的），请删掉重新输入。",
                "This has an invisible special character (perhaps pasted in); please delete it and type it again.",
            ),
            TextProblem::Direction => Text::lit(
                "这里有会改变文字显示顺序的特殊字符，请删掉重新输入。",
                "This has a character that changes the order text is shown in; please delete it and type it again.",
            ),
            TextProblem::Unreadable => Text::lit(
                "这里有读不出来的字符（显示为 �），请删掉重新输入。",
                "This has a character that could not be read (shown as �); please delete it and type it again.",
            ),
        }
    }
}

/// Checks one piece of text: at most `max_chars` characters, and none of the characters
/// [`TextProblem`] names. The first problem found is returned.
pub fn check_text(s: &str, kind: TextKind, max_chars: usize) -> Result<(), TextProblem> {
    // Most text has none of the lead bytes of what is refused (C0 controls and DEL; C2: C1
    // controls; E2: separators and direction marks; EF: U+FFFD) and is short: it passes without
    // decoding a character (its characters are at most its bytes).
    if s.len() <= max_chars && s.bytes().all(|b| b >= 0x20 && !matches!(b, 0x7F | 0xC2 | 0xE2 | 0xEF)) {
        return Ok(());
    }
    let mut n = 0usize;
    for c in s.chars() {
        n += 1;
        match c {
            '\n' if kind == TextKind::Free => {}
            '\r' if kind == TextKind::Free => {}
            '\t' if kind == TextKind::Free => {}
            '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{2028}' | '\u{2029}' => return Err(TextProblem::Control),
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => return Err(TextProblem::Direction),
            '\u{FFFD}' => return Err(TextProblem::Unreadable),
            _ => {}
        }
    }
    if n > max_chars {
        return Err(TextProblem::TooLong(max_chars));
    }
    Ok(())
}
