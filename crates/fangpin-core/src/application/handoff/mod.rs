//! QR handoff: the whole application in the digits of a link (`…#a=0112…`) that a worker's phone
//! scans — bit-packed content, a length, a CRC-32, written as digits for the QR numeric mode.

mod bits;
mod content;

/// The first two digits of a handoff text: its format version. Version 2 adds pending 低保/特困
/// applications and is used only when a household has one; the app reads both.
pub const HANDOFF_VERSION: &str = "01";
pub const HANDOFF_VERSION_2: &str = "02";
/// The default limit of a handoff text, in digits. With a link prefix of up to 60 bytes
/// (`https://…/#a=` in byte mode) and the digits in numeric mode, a QR code of version 25 at error
/// correction level M holds it (see `docs/application-format.md`).
pub const HANDOFF_MAX_CHARS: usize = 2200;
/// The longest handoff text [`decode_handoff`] accepts: the longest the app makes (it shows no QR
/// code for a longer one), so anything longer is not one of ours.
pub const HANDOFF_DECODE_LIMIT: usize = HANDOFF_MAX_CHARS;
/// The longest link [`decode_handoff`] reads at all: the text and a page address of up to 2 KB.
pub const HANDOFF_LINK_LIMIT: usize = HANDOFF_DECODE_LIMIT + 2048;

pub(crate) use bits::BitWriter;
pub use content::HandoffData;
pub(crate) use content::{Content, write_content};

use super::reference::{REF_SPACE, reference_from_value, reference_to_value};
use super::{Application, FieldError};
use crate::assessment::assess;
use crate::policy::Profile;
use crate::text::Text;
use bits::{BitReader, R};
use content::{DROP_DESCRIPTIONS, DROP_DIFFICULTY_EN, DROP_DIFFICULTY_ZH, DROP_ORDER, dropped_texts, read_content};

/// CRC-32 (IEEE 802.3, reflected, as in zip and PNG).
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut c: u32 = 0xffff_ffff;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 != 0 { (c >> 1) ^ 0xedb8_8320 } else { c >> 1 };
        }
    }
    !c
}

/// Digits per group of 1..=7 bytes: the fewest decimal digits that hold 256ⁿ values.
const DIGITS_FOR_BYTES: [usize; 8] = [0, 3, 5, 8, 10, 13, 15, 17];

fn bytes_to_digits(bytes: &[u8], out: &mut String) {
    for chunk in bytes.chunks(7) {
        let v = chunk.iter().fold(0u64, |a, &b| (a << 8) | u64::from(b));
        let width = DIGITS_FOR_BYTES[chunk.len()];
        out.push_str(&format!("{v:0width$}"));
    }
}

fn digits_to_bytes(d: &[u8]) -> R<Vec<u8>> {
    let mut out = Vec::with_capacity(d.len() / 2);
    for chunk in d.chunks(17) {
        let n = DIGITS_FOR_BYTES.iter().position(|&x| x == chunk.len()).ok_or(HandoffError::Truncated)?;
        let v = chunk.iter().fold(0u64, |a, &c| a * 10 + u64::from(c - b'0'));
        if v >> (8 * n) != 0 {
            // Too big for its bytes: a changed digit, or (in a short last group) a cut-off text.
            return Err(if n == 7 { HandoffError::Checksum } else { HandoffError::Truncated });
        }
        for i in (0..n).rev() {
            out.push((v >> (8 * i)) as u8);
        }
    }
    Ok(out)
}

fn put_varint(out: &mut Vec<u8>, mut v: usize) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// A handoff text and what was left out to make it fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handoff {
    /// Digits only, to put after `#a=` in a link (`https://…/#a=0112…`).
    pub text: String,
    /// What was left out, least essential first (empty when everything fits).
    pub dropped: Vec<Text>,
    /// False when even without those parts the text is longer than the limit.
    pub fits: bool,
}

/// Why a handoff text cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandoffError {
    /// Nothing after `#a=`.
    Empty,
    /// A format version this app does not know (e.g. made by a newer app).
    Version(String),
    /// A character that is not a digit.
    Character { position: usize },
    /// Longer than any handoff.
    TooLong,
    /// Part of the code is missing (cut off when copying or scanning).
    Truncated,
    /// The checksum does not match: the text was changed or misread.
    Checksum,
    /// More data than the header says.
    TrailingData,
    /// The checksum matches but the content does not decode (a bug in the sender).
    Malformed,
}

impl HandoffError {
    pub fn code(&self) -> &'static str {
        match self {
            HandoffError::Empty => "empty",
            HandoffError::Version(_) => "version",
            HandoffError::Character { .. } => "character",
            HandoffError::TooLong => "too_long",
            HandoffError::Truncated => "truncated",
            HandoffError::Checksum => "checksum",
            HandoffError::TrailingData => "trailing_data",
            HandoffError::Malformed => "malformed",
        }
    }
    pub fn message(&self) -> Text {
        match self {
            HandoffError::Empty => Text::new("链接里没有申请数据。", "The link carries no application."),
            HandoffError::Version(v) => Text::new(
                format!("这个二维码是新版本（{v}）生成的，请把本页面更新到最新版再扫。"),
                format!("This code was made by a newer version ({v}); please update this page and scan again."),
            ),
            HandoffError::Character { position } => Text::new(
                format!("链接第 {} 个字符不对，数据可能被改动了。", position + 1),
                format!("Character {} of the code is not valid; the data may have been changed.", position + 1),
            ),
            HandoffError::TooLong => Text::new("链接太长，不是本工具生成的申请。", "The link is too long to be one of ours."),
            HandoffError::Truncated => Text::new(
                "链接不完整，可能复制时少了一段。请重新扫码或完整复制。",
                "The link is incomplete; part may have been lost when copying. Scan again or copy all of it.",
            ),
            HandoffError::Checksum => Text::new(
                "数据校验没通过，可能扫错或被改动了。请重新扫码。",
                "The checksum does not match; the code was misread or changed. Please scan again.",
            ),
            HandoffError::TrailingData => {
                Text::new("链接后面多了内容，请重新扫码。", "The link has extra data at the end; please scan again.")
            }
            HandoffError::Malformed => {
                Text::new("数据读不出来，请让对方重新生成二维码。", "The data cannot be read; please ask for a new code.")
            }
        }
    }
}

impl std::fmt::Display for HandoffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message().en)
    }
}

impl std::error::Error for HandoffError {}

fn handoff_text(app: &Application, drop: u64) -> String {
    let version = if content::has_extension(&app.household) { HANDOFF_VERSION_2 } else { HANDOFF_VERSION };
    frame_versioned(version, &handoff_payload(app, drop))
}

/// The bit-packed content of a handoff, before its frame (length, checksum) and digits. Public only
/// for the fuzzer, which mutates payloads and frames them again so they reach the content decoder.
#[doc(hidden)]
pub fn handoff_payload(app: &Application, drop: u64) -> Vec<u8> {
    let mut w = BitWriter::default();
    w.bits(drop, 4);
    let r = reference_to_value(&app.reference).unwrap_or(0);
    w.big(r, 39);
    let difficulty = app.difficulty_edited().then_some(&app.difficulty);
    let content = Content { h: &app.household, filled_by: &app.filled_by, difficulty, date: app.date, profile: &app.profile };
    write_content(&mut w, &content, drop);
    w.finish()
}

/// A handoff text around any payload: version, length, payload and its checksum, as digits.
#[doc(hidden)]
pub fn frame_handoff_payload(payload: &[u8]) -> String {
    frame_versioned(HANDOFF_VERSION, payload)
}

fn frame_versioned(version: &str, payload: &[u8]) -> String {
    let mut frame = Vec::with_capacity(payload.len() + 8);
    put_varint(&mut frame, payload.len());
    frame.extend_from_slice(payload);
    let mut crc_input = version.as_bytes().to_vec();
    crc_input.extend_from_slice(payload);
    frame.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    let mut text = String::from(version);
    bytes_to_digits(&frame, &mut text);
    text
}

/// Encodes the application for a QR code within [`HANDOFF_MAX_CHARS`] digits.
pub fn encode_handoff(app: &Application) -> Handoff {
    encode_handoff_within(app, HANDOFF_MAX_CHARS)
}

/// Encodes the application within `max_chars` digits, leaving out the least essential parts
/// (the English, then the edited difficulty text, then the expense notes, then the item names)
/// until it fits, and saying what was left out.
pub fn encode_handoff_within(app: &Application, max_chars: usize) -> Handoff {
    let mut drop = 0u64;
    let mut text = handoff_text(app, drop);
    for flag in DROP_ORDER {
        if text.len() <= max_chars {
            break;
        }
        if !would_drop_something(app, flag) {
            continue;
        }
        drop |= flag;
        text = handoff_text(app, drop);
    }
    let fits = text.len() <= max_chars;
    Handoff { text, dropped: dropped_texts(drop), fits }
}

fn would_drop_something(app: &Application, flag: u64) -> bool {
    let h = &app.household;
    match flag {
        DROP_DIFFICULTY_EN => app.difficulty_edited() && !app.difficulty.en.is_empty(),
        DROP_DIFFICULTY_ZH => app.difficulty_edited() && !app.difficulty.zh.is_empty(),
        DROP_DESCRIPTIONS => {
            h.rigid_expenses.iter().any(|e| !e.description.is_empty()) || h.income_drop.as_ref().is_some_and(|d| !d.description.is_empty())
        }
        _ => h.income.iter().any(|i| !i.label.is_empty()) || h.business_costs.iter().any(|c| !c.label.is_empty()),
    }
}

/// Decodes a handoff: the digits after `#a=`, or the whole link, or `a=…`.
pub fn decode_handoff(input: &str) -> Result<HandoffData, HandoffError> {
    if input.len() > HANDOFF_LINK_LIMIT {
        return Err(HandoffError::TooLong);
    }
    let s = input.trim();
    let s = s.rsplit_once("#a=").map_or(s, |(_, t)| t);
    let s = s.strip_prefix("a=").unwrap_or(s);
    if s.is_empty() {
        return Err(HandoffError::Empty);
    }
    if s.len() > HANDOFF_DECODE_LIMIT {
        return Err(HandoffError::TooLong);
    }
    let head: String = s.chars().take(2).collect();
    let version: u8 = match head.as_str() {
        HANDOFF_VERSION => 1,
        HANDOFF_VERSION_2 => 2,
        _ => 0,
    };
    if version == 0 {
        let hb = head.as_bytes();
        // “02…”, “v2…”: a version tag this app does not know (a newer app made it).
        if hb.len() == 2 && hb[1].is_ascii_digit() && hb[0].is_ascii_alphanumeric() {
            return Err(HandoffError::Version(head));
        }
        if let Some(position) = s.chars().position(|c| !c.is_ascii_digit()) {
            return Err(HandoffError::Character { position });
        }
        return Err(HandoffError::Truncated);
    }
    if let Some(position) = s.chars().position(|c| !c.is_ascii_digit()) {
        return Err(HandoffError::Character { position });
    }
    let b = s.as_bytes();
    let frame = digits_to_bytes(&b[2..])?;
    // Length prefix.
    let mut len: usize = 0;
    let mut i = 0;
    loop {
        let byte = *frame.get(i).ok_or(HandoffError::Truncated)?;
        if i >= 3 {
            // No handoff is that long: the header was changed or misread.
            return Err(HandoffError::Checksum);
        }
        len |= usize::from(byte & 0x7f) << (7 * i);
        i += 1;
        if byte & 0x80 == 0 {
            break;
        }
    }
    let need = i + len + 4;
    if frame.len() < need {
        return Err(HandoffError::Truncated);
    }
    if frame.len() > need {
        return Err(HandoffError::TrailingData);
    }
    let payload = &frame[i..i + len];
    let mut crc_input = head.as_bytes().to_vec();
    crc_input.extend_from_slice(payload);
    let crc = u32::from_be_bytes([frame[need - 4], frame[need - 3], frame[need - 2], frame[need - 1]]);
    if crc != crc32(&crc_input) {
        return Err(HandoffError::Checksum);
    }
    let mut r = BitReader { bytes: payload, pos: 0 };
    let drop = r.bits(4)?;
    let rv = r.bits(39)?;
    if rv >= REF_SPACE {
        return Err(HandoffError::Malformed);
    }
    let mut data = read_content(&mut r, drop, version)?;
    if r.remaining() >= 8 {
        return Err(HandoffError::Malformed);
    }
    data.reference = reference_from_value(rv);
    Ok(data)
}

impl HandoffData {
    /// Rebuilds the application on the receiving phone: re-runs the assessment with `profile` on
    /// the application date, then restores the person's difficulty text when it was carried.
    pub fn to_application(&self, profile: &Profile) -> Result<Application, Vec<FieldError>> {
        let a = assess(&self.household, profile, self.date);
        let mut app = Application::build(&self.household, &a, profile, self.filled_by.clone(), self.date)?;
        if let Some(d) = &self.difficulty {
            let mut t = d.clone();
            if t.zh.is_empty() {
                t.zh = app.difficulty_draft.zh.clone();
            }
            if t.en.is_empty() {
                t.en = app.difficulty_draft.en.clone();
            }
            app.set_difficulty(t).map_err(|e| vec![e])?;
        }
        Ok(app)
    }
}

/// The link for a QR code: `base` (the page's address, without a fragment) + `#a=` + the text.
pub fn handoff_link(base: &str, handoff: &Handoff) -> String {
    let base = base.split('#').next().unwrap_or(base);
    format!("{base}#a={}", handoff.text)
}

#[cfg(test)]
mod tests {
    use super::bits::{get_date, put_date};
    use super::*;
    use crate::date::Date;

    #[test]
    fn dates_round_trip_through_days() {
        for s in ["1900-01-01", "1970-01-01", "2000-02-29", "2023-12-31", "2200-12-31"] {
            let d = Date::parse(s).unwrap();
            let mut w = BitWriter::default();
            put_date(&mut w, d);
            let b = w.finish();
            let mut r = BitReader { bytes: &b, pos: 0 };
            assert_eq!(get_date(&mut r).unwrap(), d);
        }
    }

    #[test]
    fn digits_round_trip() {
        for n in 0..40usize {
            let bytes: Vec<u8> = (0..n).map(|i| (i * 37 + 255) as u8).collect();
            let mut s = String::new();
            bytes_to_digits(&bytes, &mut s);
            assert_eq!(digits_to_bytes(s.as_bytes()).unwrap(), bytes);
        }
    }
}
