//! Exact money: yuan as `rust_decimal::Decimal`, never floating point.
//!
//! # The rounding rule (stated once, here)
//!
//! * Amounts entered by people have at most two decimal places (fen); more is an input error,
//!   never silently rounded ([`AmountError::TooManyDecimals`]).
//! * Sums and differences of such amounts are exact.
//! * Per-capita income is **never rounded for decisions**: it is kept as the exact fraction
//!   `net total / members` ([`PerCapita`]) and compared with the monitoring range by cross-multiplying
//!   (`net total < range × members`), which is exact.
//! * Only *display* rounds: [`round_for_display`] rounds to 2 decimal places, **half away from zero**
//!   (`RoundingStrategy::MidpointAwayFromZero`, the usual 四舍五入). Every rounded figure shown to a
//!   person or printed by the CLI goes through that one function.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::text::Text;

/// Decimal places of money (fen).
pub const MONEY_SCALE: u32 = 2;

/// The rounding strategy used for display, and only for display: 四舍五入 (half away from zero).
pub const DISPLAY_ROUNDING: RoundingStrategy = RoundingStrategy::MidpointAwayFromZero;

/// The largest amount a person may enter in one field: 100,000,000 yuan (一亿元).
pub const MAX_FIELD_YUAN: i64 = 100_000_000;

/// Bound for amounts read back from serialised data (sums may exceed one field's bound).
const MAX_SERDE_YUAN: i64 = 1_000_000_000_000_000;

/// The single rounding function: to 2 decimal places, half away from zero. Display only.
pub fn round_for_display(d: Decimal) -> Decimal {
    let mut r = d.round_dp_with_strategy(MONEY_SCALE, DISPLAY_ROUNDING);
    if r.scale() < MONEY_SCALE {
        r.rescale(MONEY_SCALE);
    }
    r
}

/// An amount of money in yuan, exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(Decimal);

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    pub fn from_decimal(d: Decimal) -> Money {
        Money(d)
    }
    /// Whole yuan.
    pub fn yuan(y: i64) -> Money {
        Money(Decimal::from(y))
    }
    /// Yuan and fen from a count of fen.
    pub fn from_fen(fen: i64) -> Money {
        Money(Decimal::new(fen, MONEY_SCALE))
    }
    pub fn as_decimal(&self) -> Decimal {
        self.0
    }
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }
    pub fn is_negative(&self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }
    pub fn is_positive(&self) -> bool {
        self.0.is_sign_positive() && !self.0.is_zero()
    }

    /// Exact addition; saturates at the limits of `Decimal` instead of panicking.
    pub fn saturating_add(self, other: Money) -> Money {
        Money(self.0.checked_add(other.0).unwrap_or(if other.0.is_sign_negative() { Decimal::MIN } else { Decimal::MAX }))
    }
    /// Exact subtraction; saturating.
    pub fn saturating_sub(self, other: Money) -> Money {
        Money(self.0.checked_sub(other.0).unwrap_or(if other.0.is_sign_negative() { Decimal::MAX } else { Decimal::MIN }))
    }
    /// Exact multiplication by a count; saturating.
    pub fn times(self, n: u32) -> Money {
        if let Some(product) = small(self.0).and_then(|a| a.checked_mul(i64::from(n))) {
            // Zero as `Decimal` gives it (scale 0), else the same scale as the amount.
            return Money(if product == 0 { Decimal::ZERO } else { Decimal::new(product, self.0.scale()) });
        }
        Money(self.0.checked_mul(Decimal::from(n)).unwrap_or(if self.0.is_sign_negative() { Decimal::MIN } else { Decimal::MAX }))
    }
    /// Exact multiplication by a ratio (result may have more than 2 places; it is a threshold, not a payment).
    pub fn times_ratio(self, r: Decimal) -> Money {
        Money(self.0.checked_mul(r).unwrap_or(if self.0.is_sign_negative() ^ r.is_sign_negative() { Decimal::MIN } else { Decimal::MAX }))
    }

    /// Rounded for display (see [`round_for_display`]), as plain digits: `"12345.67"`.
    pub fn to_fixed2(&self) -> String {
        let mut out = String::new();
        let _ = write_decimal(round_for_display(self.0), false, &mut out);
        out
    }

    /// [`Money::to_fixed2`] appended to `w`, without allocating (a roster writes millions).
    pub fn write_fixed2(&self, w: &mut impl fmt::Write) -> fmt::Result {
        // Whole fen in 64 bits (every amount a household has) need no rounding: their digits are
        // written from one integer, once.
        let d = self.0;
        if d.scale() <= MONEY_SCALE
            && let Some(fen) =
                u64::try_from(d.mantissa().unsigned_abs()).ok().and_then(|m| m.checked_mul(10u64.pow(MONEY_SCALE - d.scale())))
        {
            let mut buf = [b'0'; 24];
            let mut i = buf.len();
            let mut m = fen;
            while m > 0 || i > buf.len() - 4 {
                i -= 1;
                if i == buf.len() - 3 {
                    buf[i] = b'.';
                    continue;
                }
                buf[i] = b'0' + (m % 10) as u8;
                m /= 10;
            }
            if d.is_sign_negative() {
                i -= 1;
                buf[i] = b'-';
            }
            // Character by character: each is ASCII, and a short string's UTF-8 check costs more.
            return buf[i..].iter().try_for_each(|c| w.write_char(char::from(*c)));
        }
        write_decimal(round_for_display(d), false, w)
    }

    /// Rounded for display with thousands separators: `"12,345.67"`; negative as `"-12,345.67"`.
    /// (Also what `{}` prints, without allocating.)
    pub fn display_yuan(&self) -> String {
        let mut out = String::new();
        let _ = write_decimal(round_for_display(self.0), true, &mut out);
        out
    }

    /// Whole yuan without decimals when the amount is whole (`"10560"`), else 2 places. For short texts.
    pub fn short(&self) -> String {
        if self.0.fract().is_zero() { self.0.trunc().normalize().to_string() } else { self.to_fixed2() }
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    /// Exact; saturating (see [`Money::saturating_add`]).
    fn add(self, other: Money) -> Money {
        self.saturating_add(other)
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    /// Exact; saturating (see [`Money::saturating_sub`]).
    fn sub(self, other: Money) -> Money {
        self.saturating_sub(other)
    }
}

impl fmt::Display for Money {
    /// As [`Money::display_yuan`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut b = StackStr::new();
        match write_decimal(round_for_display(self.0), true, &mut b) {
            Ok(()) => f.write_str(b.as_str()),
            Err(_) => write_decimal(round_for_display(self.0), true, f),
        }
    }
}

/// The mantissa of `d` when it fits 64 bits (every household's amounts, in fen): its multiples
/// are exact in integers, without `Decimal`'s 96-bit multiplication.
fn small(d: Decimal) -> Option<i64> {
    i64::try_from(d.mantissa()).ok()
}

/// Writes a decimal as `Decimal`'s `Display` does (sign, whole part, `.`, exactly `scale` places), or
/// in the display form (thousands separators in the whole part, and `.00` when there are no places).
/// No allocation: the formatting behind every amount in an explanation.
fn write_decimal(d: Decimal, display: bool, w: &mut impl fmt::Write) -> fmt::Result {
    let scale = d.scale() as usize;
    let mut m = d.mantissa().unsigned_abs();
    // Digits, least significant first (a Decimal's mantissa has at most 29).
    let mut digits = [b'0'; 40];
    let mut n = 0;
    while m > u128::from(u64::MAX) {
        digits[n] = b'0' + (m % 10) as u8;
        m /= 10;
        n += 1;
    }
    // The usual case in 64 bits (128-bit division is a slow library call).
    let mut m = m as u64;
    while m > 0 {
        digits[n] = b'0' + (m % 10) as u8;
        m /= 10;
        n += 1;
    }
    n = n.max(scale);
    if d.is_sign_negative() {
        w.write_char('-')?;
    }
    let whole = n - scale;
    if whole == 0 {
        w.write_char('0')?;
    }
    for i in 0..whole {
        if display && i > 0 && (whole - i).is_multiple_of(3) {
            w.write_char(',')?;
        }
        w.write_char(char::from(digits[n - 1 - i]))?;
    }
    if scale > 0 {
        w.write_char('.')?;
        for i in whole..n {
            w.write_char(char::from(digits[n - 1 - i]))?;
        }
    } else if display {
        w.write_str(".00")?;
    }
    Ok(())
}

/// A short string on the stack (for formatting a figure before it is copied once into place).
pub(crate) struct StackStr {
    buf: [u8; 96],
    len: usize,
}

impl StackStr {
    pub(crate) fn new() -> Self {
        StackStr { buf: [0; 96], len: 0 }
    }
    pub(crate) fn as_str(&self) -> &str {
        // Only whole `&str`s are ever copied in, so the bytes are valid UTF-8.
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

impl fmt::Write for StackStr {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        if end > self.buf.len() {
            return Err(fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Exact string for serialisation: at least 2 places, never rounded.
fn exact_string(d: Decimal) -> String {
    let mut d = d;
    if d.scale() < MONEY_SCALE {
        d.rescale(MONEY_SCALE);
    }
    d.to_string()
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&exact_string(self.0))
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount of yuan, e.g. \"12000.50\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Money, E> {
                parse_with(v, true, MAX_SERDE_YUAN).map_err(|e| E::custom(e.message().en))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Money, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Money, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Money, E> {
                // The shortest decimal that round-trips: what the person wrote, e.g. 12000.5.
                if !v.is_finite() {
                    return Err(E::custom("not a number"));
                }
                self.visit_str(&v.to_string())
            }
        }
        // Text formats (JSON from people and programs) may write a number; the binary policy file
        // (postcard, which cannot say what comes next) always holds the exact text.
        if d.is_human_readable() { d.deserialize_any(V) } else { d.deserialize_str(V) }
    }
}

/// Why an amount was not accepted. Each has a Chinese and an English message ([`AmountError::message`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AmountError {
    /// Nothing entered where an amount is required.
    Empty,
    /// Not a number we can read.
    NotANumber,
    /// Below zero.
    Negative,
    /// More than two decimal places (finer than one fen).
    TooManyDecimals,
    /// More than [`MAX_FIELD_YUAN`] (100,000,000 yuan) in one field.
    TooLarge,
    /// Commas not one every three digits (`1,2000`, grouped by 万 as people sometimes write).
    Grouping,
    /// A space inside the number not one every three digits (`1 2`, `12 00`), or spaces and commas
    /// both (`1 000,000`).
    Spaces,
    /// Two amounts in one field (`800、600`, `800+600`): they are to be added up first.
    Several,
}

impl AmountError {
    pub const ALL: [AmountError; 8] = [
        AmountError::Empty,
        AmountError::NotANumber,
        AmountError::Negative,
        AmountError::TooManyDecimals,
        AmountError::TooLarge,
        AmountError::Grouping,
        AmountError::Spaces,
        AmountError::Several,
    ];

    pub fn code(&self) -> &'static str {
        match self {
            AmountError::Empty => "empty",
            AmountError::NotANumber => "not_a_number",
            AmountError::Negative => "negative",
            AmountError::TooManyDecimals => "too_many_decimals",
            AmountError::TooLarge => "too_large",
            AmountError::Grouping => "grouping",
            AmountError::Spaces => "spaces",
            AmountError::Several => "several",
        }
    }

    pub fn message(&self) -> Text {
        match self {
            AmountError::Empty => Text::new("请填写金额。", "Please enter an amount."),
            AmountError::NotANumber => {
                Text::new("这里请填数字，例如 12000 或 1.2万。", "Please enter a number, for example 12000 or 1.2万.")
            }
            AmountError::Negative => Text::new("金额不能是负数。", "The amount cannot be negative."),
            AmountError::TooManyDecimals => Text::new(
                "金额最多填到“分”，也就是小数点后两位。如果点是用来分千位的（12.000），请写 12000。",
                "Use at most two decimal places (fen). If the dot separates thousands (12.000), please write 12000.",
            ),
            AmountError::TooLarge => Text::new(
                "金额太大了。每一项不能超过 1 亿元，请看看是不是多填了零。",
                "The amount is too large: at most 100,000,000 yuan per field. Please check for extra zeros.",
            ),
            AmountError::Grouping => Text::new(
                "逗号的位置不对：要么每三位一个逗号（例如 12,000），要么不写逗号（12000），也可以写 1.2万。",
                "The commas are in the wrong places: one every three digits (e.g. 12,000), or none (12000), or 1.2万.",
            ),
            AmountError::Spaces => Text::new(
                "数字中间有空格，看不出是多少。请把空格去掉，例如 12000，也可以写 1.2万。",
                "There is a space inside the number, so it is unclear. Please remove it, e.g. 12000, or write 1.2万.",
            ),
            AmountError::Several => Text::new(
                "这里只填一个数。几笔钱请先加起来再填，例如 800 和 600 填 1400。",
                "Please enter one number here. Add several amounts up first: for 800 and 600, enter 1400.",
            ),
        }
    }
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message().en)
    }
}
impl std::error::Error for AmountError {}

/// Parses an amount the way people type it.
///
/// Accepts `12000`, `12,000`, `12，000`, `12 000` (a space, also a pasted non-breaking or thin one,
/// every three digits), `12000.5`, `1.2万`, `3万5千`, `8000元`, full-width digits
/// `１２０００` and dot `．`, and surrounding (also full-width) spaces. Rejects empty input, negative
/// amounts, more than 2 decimal places (after applying 万/千), and more than 100,000,000 yuan.
/// Never panics.
pub fn parse_amount(s: &str) -> Result<Money, AmountError> {
    parse_with(s, false, MAX_FIELD_YUAN)
}

/// The amount `s` reads as, when it is not written as plain digits (`800,600`, `1.2万`, `１２ ０００`):
/// said beside the field, so that a reading the person did not mean is seen. `None` for plain
/// digits (nothing to confirm), blank input and anything refused.
pub fn reads_as(s: &str) -> Option<Money> {
    let t = s.trim();
    let plain = !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.') && t.bytes().filter(|b| *b == b'.').count() <= 1;
    if plain {
        return None;
    }
    parse_amount(t).ok()
}

/// Like [`parse_amount`], but blank input is `Ok(None)` (for optional fields).
pub fn parse_optional_amount(s: &str) -> Result<Option<Money>, AmountError> {
    match parse_amount(s) {
        Err(AmountError::Empty) => Ok(None),
        r => r.map(Some),
    }
}

fn normalise_char(c: char) -> char {
    match c {
        '。' => '.',
        '—' | '−' => '-',
        // Spaces pasted from other systems' number formats (and a tab from a spreadsheet).
        '\u{a0}' | '\u{2007}' | '\u{2009}' | '\u{202f}' | '\t' => ' ',
        c => crate::input::fold_width(c),
    }
}

/// Characters that show as nothing (copied from web pages and chats): dropped before reading.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}')
}

/// Between two amounts, as people list them: `800、600`, `800+600`, `800/600`, `800；600`.
fn between_amounts(c: char) -> bool {
    matches!(c, '、' | '+' | '＋' | '/' | '／' | ';' | '；' | '和' | '加')
}

fn parse_with(input: &str, allow_negative: bool, max_yuan: i64) -> Result<Money, AmountError> {
    let norm: String = input.chars().filter(|c| !invisible(*c)).map(normalise_char).collect();
    let mut s = norm.trim();
    if s.is_empty() {
        return Err(AmountError::Empty);
    }
    // Currency words around the number.
    for suffix in ["人民币元", "元整", "元", "圆", "块钱", "块"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.trim_end();
            break;
        }
    }
    for prefix in ["¥", "￥", "RMB", "人民币"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.trim_start();
            break;
        }
    }
    let mut negative = false;
    if let Some(rest) = s.strip_prefix('-') {
        negative = true;
        s = rest.trim_start();
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest.trim_start();
    }
    if s.is_empty() {
        return Err(AmountError::NotANumber);
    }

    // Segments: number [unit], units strictly decreasing (万 > 千 > 百); a bare number only alone.
    let mut total = Decimal::ZERO;
    let mut last_unit: Option<u32> = None; // exponent of the last unit seen
    let mut rest = s;
    while !rest.is_empty() {
        let (num, after) = take_number(rest)?;
        let after = after.trim_start();
        let mut chars = after.chars();
        let unit = match chars.next() {
            Some('万') => Some(4),
            Some('千') | Some('仟') => Some(3),
            Some('百') | Some('佰') => Some(2),
            Some(c) if between_amounts(c) && chars.as_str().trim_start().starts_with(|d: char| d.is_ascii_digit()) => {
                return Err(AmountError::Several);
            }
            Some(_) => return Err(AmountError::NotANumber),
            None => None,
        };
        match unit {
            Some(e) => {
                if let Some(prev) = last_unit
                    && e >= prev
                {
                    return Err(AmountError::NotANumber);
                }
                last_unit = Some(e);
                let v = num.checked_mul(Decimal::from(10i64.pow(e))).ok_or(AmountError::TooLarge)?;
                total = total.checked_add(v).ok_or(AmountError::TooLarge)?;
                rest = chars.as_str().trim_start();
            }
            None => {
                if last_unit.is_some() {
                    // "3万5" is ambiguous (35000 or 30005): ask for a clear form.
                    return Err(AmountError::NotANumber);
                }
                // A bare number finer than fen, even in zeros: "12.000" is more likely twelve
                // thousand written with a dot than twelve yuan.
                if num.scale() > MONEY_SCALE {
                    return Err(AmountError::TooManyDecimals);
                }
                total = num;
                rest = "";
            }
        }
    }
    let total = total.normalize();
    if total.scale() > MONEY_SCALE {
        return Err(AmountError::TooManyDecimals);
    }
    if total.abs() > Decimal::from(max_yuan) {
        return Err(AmountError::TooLarge);
    }
    if negative && !total.is_zero() {
        if !allow_negative {
            return Err(AmountError::Negative);
        }
        return Ok(Money(-total));
    }
    Ok(Money(total))
}

/// Reads a decimal number with optional 3-digit thousands groups. Returns the rest of the string.
fn take_number(s: &str) -> Result<(Decimal, &str), AmountError> {
    let bytes = s.as_bytes();
    let mut i = 0;
    let mut digits = String::new();
    let mut group_len: Option<usize> = None; // digits since the last comma (or space)
    let mut int_digits = 0usize;
    // The separator the groups use: a comma, or a space between two digits (never both).
    let mut separator: Option<u8> = None;
    let wrong = |sep: u8| if sep == b' ' { AmountError::Spaces } else { AmountError::Grouping };
    while i < bytes.len() {
        let c = bytes[i];
        let space_in_number = c == b' ' && int_digits > 0 && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if (c == b',' || space_in_number) && separator.is_some_and(|s| s != c) {
            return Err(AmountError::Spaces);
        }
        if c.is_ascii_digit() {
            digits.push(c as char);
            int_digits += 1;
            if let Some(g) = group_len.as_mut() {
                *g += 1;
            }
            i += 1;
        } else if (c == b',' && int_digits > 0) || space_in_number {
            if let Some(g) = group_len
                && g != 3
            {
                return Err(wrong(c));
            }
            if group_len.is_none() && int_digits > 3 {
                return Err(wrong(c));
            }
            separator = Some(c);
            group_len = Some(0);
            i += 1;
        } else {
            break;
        }
    }
    if let Some(g) = group_len
        && g != 3
    {
        return Err(wrong(separator.unwrap_or(b',')));
    }
    let mut frac_digits = 0usize;
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        digits.push('.');
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            digits.push(bytes[i] as char);
            frac_digits += 1;
            i += 1;
        }
        if frac_digits == 0 {
            return Err(AmountError::NotANumber);
        }
    }
    if int_digits == 0 && frac_digits == 0 {
        return Err(AmountError::NotANumber);
    }
    let significant = digits.trim_start_matches(['0', '.']).len();
    if int_digits.saturating_sub(digits.len() - digits.trim_start_matches('0').len()) > 16 {
        return Err(AmountError::TooLarge);
    }
    if frac_digits > 20 || significant > 27 {
        return Err(AmountError::TooManyDecimals);
    }
    let d = Decimal::from_str(if digits.starts_with('.') { &digits[..] } else { &digits })
        .or_else(|_| Decimal::from_str(&format!("0{digits}")))
        .map_err(|_| AmountError::NotANumber)?;
    Ok((d, &s[i..]))
}

/// `total ÷ members`, rounded for display by [`round_for_display`]'s rule. A total of whole fen that
/// fits 64 bits (every real household's) is divided as integers, rounding the remainder half away
/// from zero — the same result as the decimal quotient rounded, without 96-bit division (a roster
/// rounds millions); anything else takes the decimal path.
fn per_person(total: Money, members: u32) -> Money {
    let d = total.0;
    if members > 0 && d.scale() <= MONEY_SCALE {
        let mantissa = d.mantissa();
        if let Some(fen) = i64::try_from(mantissa).ok().and_then(|m| m.checked_mul(10i64.pow(MONEY_SCALE - d.scale()))) {
            let n = i64::from(members);
            let (q, r) = (fen / n, fen % n);
            // Half away from zero: a remainder of at least half a member rounds outwards.
            let q = if 2 * r.abs() >= n { q + fen.signum() } else { q };
            return Money::from_fen(q);
        }
    }
    Money(round_for_display(d.checked_div(Decimal::from(members)).unwrap_or(Decimal::ZERO)))
}

/// Annual per-capita net income, kept exact as `net total / members` (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PerCapita {
    pub net_total: Money,
    pub members: u32,
}

impl PerCapita {
    /// `None` when there are no members to divide by.
    pub fn new(net_total: Money, members: u32) -> Option<PerCapita> {
        (members > 0).then_some(PerCapita { net_total, members })
    }

    /// Exact comparison with an amount per person: compares `net_total` with `amount × members`.
    pub fn cmp_amount(&self, amount: Money) -> Ordering {
        self.net_total.cmp(&amount.times(self.members))
    }

    /// Strictly below (政策原文 “低于”).
    pub fn is_below(&self, amount: Money) -> bool {
        self.cmp_amount(amount) == Ordering::Less
    }

    /// The quotient as a Decimal (28 significant digits; only for display and gap figures).
    pub fn quotient(&self) -> Decimal {
        self.net_total.0.checked_div(Decimal::from(self.members)).unwrap_or(Decimal::ZERO)
    }

    /// The per-capita figure rounded for display (2 places, half away from zero).
    pub fn rounded(&self) -> Money {
        per_person(self.net_total, self.members)
    }

    /// `amount − per-capita`, as a per-person figure rounded for display only.
    pub fn gap_to(&self, amount: Money) -> Money {
        per_person(amount.times(self.members).saturating_sub(self.net_total), self.members)
    }
}

impl Serialize for PerCapita {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("PerCapita", 3)?;
        st.serialize_field("net_total", &self.net_total)?;
        st.serialize_field("members", &self.members)?;
        st.serialize_field("rounded", &self.rounded())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first, allocating implementation: the new formatter must print exactly the same.
    fn old_fixed2(m: Money) -> String {
        round_for_display(m.0).to_string()
    }
    fn old_display(m: Money) -> String {
        let s = old_fixed2(m);
        let (neg, body) = match s.strip_prefix('-') {
            Some(b) => (true, b),
            None => (false, s.as_str()),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, "00"));
        let mut out = String::new();
        if neg {
            out.push('-');
        }
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out.push('.');
        out.push_str(frac);
        out
    }

    #[test]
    fn formatting_matches_decimal_display() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut values: Vec<Decimal> =
            ["0", "-0", "-0.001", "0.005", "-0.005", "1", "999", "1000", "-1000", "123456789.995", "0.1", "12.3456"]
                .iter()
                .map(|s| Decimal::from_str(s).unwrap())
                .collect();
        values.extend([
            Decimal::MAX,
            Decimal::MIN,
            Decimal::new(1, 28),
            Decimal::new(-1, 28),
            Decimal::new(i64::MAX, 0),
            Decimal::new(i64::MIN, 5),
        ]);
        for _ in 0..20_000 {
            let mant = (next() as i64) >> (next() % 64);
            values.push(Decimal::new(mant, (next() % 8) as u32));
        }
        for d in values {
            let m = Money(d);
            assert_eq!(m.to_fixed2(), old_fixed2(m), "{d:?}");
            assert_eq!(m.display_yuan(), old_display(m), "{d:?}");
            assert_eq!(m.to_string(), old_display(m), "{d:?}");
        }
    }

    fn ok(s: &str) -> String {
        parse_amount(s).unwrap_or_else(|e| panic!("{s}: {e:?}")).to_fixed2()
    }

    #[test]
    fn accepts_how_people_type() {
        assert_eq!(ok("12000"), "12000.00");
        assert_eq!(ok("12,000"), "12000.00");
        assert_eq!(ok("12，000"), "12000.00");
        assert_eq!(ok("1,234,567.8"), "1234567.80");
        assert_eq!(ok("12000.5"), "12000.50");
        assert_eq!(ok("1.2万"), "12000.00");
        assert_eq!(ok("3万5千"), "35000.00");
        assert_eq!(ok("8000元"), "8000.00");
        assert_eq!(ok("１２０００"), "12000.00");
        assert_eq!(ok("１２０００．５"), "12000.50");
        assert_eq!(ok("  12000 \u{3000}"), "12000.00");
        assert_eq!(ok("0.5"), "0.50");
        assert_eq!(ok("1.23456万"), "12345.60");
        assert_eq!(ok("100000000"), "100000000.00");
        assert_eq!(ok("-0"), "0.00");
    }

    #[test]
    fn rejects_with_typed_errors() {
        assert_eq!(parse_amount(""), Err(AmountError::Empty));
        assert_eq!(parse_amount("   "), Err(AmountError::Empty));
        assert_eq!(parse_amount("abc"), Err(AmountError::NotANumber));
        // Commas not every three digits say so (1,2000 is how some group by 万).
        assert_eq!(parse_amount("12,00"), Err(AmountError::Grouping));
        assert_eq!(parse_amount("1,2000"), Err(AmountError::Grouping));
        assert_eq!(parse_amount("1,20,000"), Err(AmountError::Grouping));
        assert_eq!(parse_amount("1234,567"), Err(AmountError::Grouping));
        assert_eq!(parse_amount("1,234,567").map(|m| m.to_fixed2()), Ok("1234567.00".into()));
        assert!(AmountError::Grouping.message().zh.contains("逗号的位置不对"));
        // A space every three digits is a thousands separator, as a comma is (pasted from other
        // systems, also as a non-breaking or thin space); any other space inside says so.
        assert_eq!(parse_amount("12 000").map(|m| m.to_fixed2()), Ok("12000.00".into()));
        assert_eq!(parse_amount("1\u{a0}234\u{202f}567.5元").map(|m| m.to_fixed2()), Ok("1234567.50".into()));
        assert_eq!(parse_amount("１２\u{3000}０００").map(|m| m.to_fixed2()), Ok("12000.00".into()));
        assert_eq!(parse_amount("1 2"), Err(AmountError::Spaces));
        assert_eq!(parse_amount("12 00"), Err(AmountError::Spaces));
        assert_eq!(parse_amount("1234 567"), Err(AmountError::Spaces));
        assert_eq!(parse_amount("1 200 3"), Err(AmountError::Spaces));
        assert_eq!(parse_amount("1,200 300"), Err(AmountError::Spaces));
        assert_eq!(parse_amount("1 000,000"), Err(AmountError::Spaces));
        // Invisible characters copied along, a figure space or a tab: as if not there, or a space.
        assert_eq!(ok("12\u{200b}000"), "12000.00");
        assert_eq!(ok("\u{feff}12\u{2007}000"), "12000.00");
        assert_eq!(ok("1\t000"), "1000.00");
        // Two amounts in one field are not read as one: 800、600 is not 800,600.
        for s in ["800、600", "800+600", "800 + 600", "800／600", "800；600", "800和600"] {
            assert_eq!(parse_amount(s), Err(AmountError::Several), "{s}");
        }
        assert!(AmountError::Several.message().zh.contains("加起来"));
        // A dot every three digits is not twelve yuan.
        assert_eq!(parse_amount("12.000"), Err(AmountError::TooManyDecimals));
        assert_eq!(parse_amount("12.500"), Err(AmountError::TooManyDecimals));
        assert_eq!(ok("12.50"), "12.50");
        // What a field says it read: only for what is not plain digits.
        assert_eq!(reads_as("800，600").map(|m| m.display_yuan()), Some("800,600.00".into()));
        assert_eq!(reads_as("1.2万").map(|m| m.display_yuan()), Some("12,000.00".into()));
        assert_eq!(reads_as(" 12000 "), None);
        assert_eq!(reads_as("12000.5"), None);
        assert_eq!(reads_as(""), None);
        assert_eq!(reads_as("abc"), None);
        assert_eq!(parse_amount("3万 5千").map(|m| m.to_fixed2()), Ok("35000.00".into()));
        assert!(AmountError::Spaces.message().zh.contains("空格"));
        assert_eq!(parse_amount("1.2.3"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("3万5"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("5千3万"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("-5"), Err(AmountError::Negative));
        assert_eq!(parse_amount("－５"), Err(AmountError::Negative));
        assert_eq!(parse_amount("1.234"), Err(AmountError::TooManyDecimals));
        assert_eq!(parse_amount("100000000.01"), Err(AmountError::TooLarge));
        assert_eq!(parse_amount("99999999999999999999999999999999"), Err(AmountError::TooLarge));
        assert_eq!(parse_optional_amount(" "), Ok(None));
        for e in [AmountError::Empty, AmountError::NotANumber, AmountError::Negative, AmountError::TooManyDecimals, AmountError::TooLarge] {
            assert!(!e.message().is_incomplete());
        }
    }

    #[test]
    fn display_rounds_half_away_from_zero() {
        assert_eq!(Money::from_decimal(Decimal::new(12345675, 3)).display_yuan(), "12,345.68");
        assert_eq!(Money::from_decimal(Decimal::new(-12345675, 3)).display_yuan(), "-12,345.68");
        assert_eq!(Money::yuan(1234567).display_yuan(), "1,234,567.00");
        assert_eq!(Money::yuan(123).display_yuan(), "123.00");
    }

    #[test]
    fn per_capita_is_exact() {
        let p = PerCapita::new(Money::yuan(10000), 3).unwrap();
        assert_eq!(p.rounded().to_fixed2(), "3333.33");
        assert!(p.is_below(Money::from_fen(333334)));
        assert!(!p.is_below(Money::from_fen(333333)));
        let q = PerCapita::new(Money::yuan(42240), 4).unwrap();
        assert!(!q.is_below(Money::yuan(10560)));
    }

    #[test]
    fn serde_round_trip() {
        let m: Money = serde_json::from_str("\"12000.5\"").unwrap();
        assert_eq!(serde_json::to_string(&m).unwrap(), "\"12000.50\"");
        let m: Money = serde_json::from_str("12000").unwrap();
        assert_eq!(m, Money::yuan(12000));
        let m: Money = serde_json::from_str("\"-3.5\"").unwrap();
        assert_eq!(m, Money::from_fen(-350));
        assert!(serde_json::from_str::<Money>("\"1.001\"").is_err());
    }
}
