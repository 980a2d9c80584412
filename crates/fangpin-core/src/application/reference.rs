//! The reference code (`K7M-4QX-9TR`): derived from the application's content, with a check character
//! that catches every single misheard character and every swap of two neighbours.

use super::FilledBy;
use super::handoff::{BitWriter, Content, write_content};
use crate::date::Date;
use crate::household::Household;
use crate::text::Text;

/// The 29 characters of reference codes: digits 2–9 and capitals without I, L, O, U, Z.
pub const REFERENCE_ALPHABET: &[u8; 29] = b"23456789ABCDEFGHJKMNPQRSTVWXY";
const REF_DATA_LEN: usize = 8;
const REF_LEN: usize = REF_DATA_LEN + 1;
const REF_MOD: u64 = 29;

fn ref_value(c: u8) -> Option<u64> {
    REFERENCE_ALPHABET.iter().position(|&a| a == c).map(|p| p as u64)
}

/// The check character for 8 data characters: the one that makes Σ (i+1)·vᵢ ≡ 0 (mod 29) over all
/// 9 characters. 29 is prime and the weights 1..9 differ, so every single substitution and every
/// transposition of two neighbours changes the sum.
pub fn reference_check_char(data: &str) -> Option<char> {
    let b = data.as_bytes();
    if b.len() != REF_DATA_LEN {
        return None;
    }
    let mut s = 0u64;
    for (i, &c) in b.iter().enumerate() {
        s += (i as u64 + 1) * ref_value(c)?;
    }
    // 9·c ≡ −s (mod 29); 9⁻¹ ≡ 13 (mod 29).
    let c = ((REF_MOD - s % REF_MOD) % REF_MOD) * 13 % REF_MOD;
    Some(REFERENCE_ALPHABET[c as usize] as char)
}

fn group_reference(s: &str) -> String {
    format!("{}-{}-{}", &s[0..3], &s[3..6], &s[6..9])
}

/// Why a typed reference code is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferenceError {
    /// Not 9 characters (dashes and spaces aside).
    Length,
    /// A character outside the alphabet (e.g. 0, O, 1, I, L).
    Character,
    /// The check character does not match: a character was misheard or swapped.
    Check,
}

impl ReferenceError {
    pub fn message(&self) -> Text {
        match self {
            ReferenceError::Length => {
                Text::new("申请编号应是 9 位（例如 K7M-4QX-9TR）。", "A reference code has 9 characters (e.g. K7M-4QX-9TR).")
            }
            ReferenceError::Character => Text::new(
                "申请编号里没有 0、O、1、I、L、U、Z，请再核对一下。",
                "Reference codes never contain 0, O, 1, I, L, U or Z; please check.",
            ),
            ReferenceError::Check => Text::new(
                "申请编号对不上，可能有一位听错或写反了。",
                "The code does not check out; a character may be misheard or swapped.",
            ),
        }
    }
}

/// Checks a typed or read-out reference code: lower case is accepted, dashes and spaces (also
/// full-width ones) are ignored. Returns the code grouped, `K7M-4QX-9TR`.
pub fn validate_reference(s: &str) -> Result<String, ReferenceError> {
    let mut out = String::with_capacity(REF_LEN);
    for ch in s.chars() {
        let ch = match ch {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(ch as u32 - 0xFEE0).unwrap_or(ch),
            c => c,
        };
        if matches!(ch, '-' | ' ' | '\u{3000}' | '\u{2010}'..='\u{2015}' | '\t') {
            continue;
        }
        if out.len() >= REF_LEN {
            return Err(ReferenceError::Length);
        }
        let c = ch.to_ascii_uppercase();
        if !c.is_ascii() || ref_value(c as u8).is_none() {
            return Err(ReferenceError::Character);
        }
        out.push(c);
    }
    if out.len() != REF_LEN {
        return Err(ReferenceError::Length);
    }
    if reference_check_char(&out[..REF_DATA_LEN]) != out[REF_DATA_LEN..].chars().next() {
        return Err(ReferenceError::Check);
    }
    Ok(group_reference(&out))
}

/// FNV-1a, 64 bits.
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// SplitMix64's finaliser: spreads FNV's last bytes over all bits.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

pub(crate) fn reference_from_value(mut v: u64) -> String {
    let mut data = [0u8; REF_DATA_LEN];
    for slot in data.iter_mut().rev() {
        *slot = REFERENCE_ALPHABET[(v % REF_MOD) as usize];
        v /= REF_MOD;
    }
    let mut s = String::from_utf8(data.to_vec()).unwrap_or_default();
    if let Some(c) = reference_check_char(&s) {
        s.push(c);
    }
    group_reference(&s)
}

pub(crate) fn reference_to_value(grouped: &str) -> Option<u64> {
    let mut v = 0u64;
    for c in grouped.bytes().filter(|&c| c != b'-').take(REF_DATA_LEN) {
        v = v * REF_MOD + ref_value(c)?;
    }
    Some(v)
}

/// 29⁸: the number of distinct reference codes.
pub(crate) const REF_SPACE: u64 = 500_246_412_961;

/// The reference code of an application's content: a hash of the canonical encoding of the
/// household, the filler, the difficulty text, the date and the profile id.
pub fn content_reference(h: &Household, filled_by: &FilledBy, difficulty: &Text, date: Date, profile: &str) -> String {
    let mut w = BitWriter::default();
    write_content(&mut w, &Content { h, filled_by, difficulty: Some(difficulty), date, profile }, 0);
    reference_from_value(mix64(fnv1a64(&w.finish())) % REF_SPACE)
}

/// A reference code spelled out for reading aloud: `K 7 M，4 Q X，9 T R`.
pub fn spell_reference(reference: &str, lang: &str) -> String {
    let sep = if lang == "en" { ", " } else { "，" };
    reference.split('-').map(|g| g.chars().map(String::from).collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join(sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_char_catches_every_single_substitution_and_adjacent_swap() {
        let code = "K7M4QX9T";
        let full = format!("{code}{}", reference_check_char(code).unwrap());
        assert!(validate_reference(&full).is_ok());
        let alphabet: Vec<char> = REFERENCE_ALPHABET.iter().map(|&c| c as char).collect();
        for i in 0..9 {
            for &c in &alphabet {
                let mut v: Vec<char> = full.chars().collect();
                if v[i] == c {
                    continue;
                }
                v[i] = c;
                let s: String = v.into_iter().collect();
                assert_eq!(validate_reference(&s), Err(ReferenceError::Check), "{s}");
            }
        }
    }
}
