//! The bit-level encoding of a handoff: a bit writer and reader, and how strings, dates, numbers,
//! enums, ID numbers and phones are packed.

use super::HandoffError;
use crate::date::Date;
use crate::household::{
    HousingGrade, IncomeDropReason, LabourCapacity, OutOfSchoolReason, PreviousOutcome, Relation, RigidExpenseKind, Schooling,
    id_check_char,
};
use crate::money::Money;

#[derive(Default)]
pub(crate) struct BitWriter {
    bytes: Vec<u8>,
    acc: u64,
    n: u32,
}

impl BitWriter {
    pub(crate) fn bits(&mut self, v: u64, width: u32) {
        debug_assert!(width <= 32);
        let v = if width == 64 { v } else { v & ((1u64 << width) - 1) };
        self.acc = (self.acc << width) | v;
        self.n += width;
        while self.n >= 8 {
            self.n -= 8;
            self.bytes.push((self.acc >> self.n) as u8);
        }
        self.acc &= (1u64 << self.n) - 1;
    }
    pub(crate) fn bit(&mut self, b: bool) {
        self.bits(u64::from(b), 1);
    }
    /// Unsigned varint in groups of `k` data bits, each followed by a continuation bit.
    pub(crate) fn uv(&mut self, mut v: u64, k: u32) {
        loop {
            let chunk = v & ((1 << k) - 1);
            v >>= k;
            self.bits(chunk, k);
            self.bit(v != 0);
            if v == 0 {
                break;
            }
        }
    }
    pub(crate) fn big(&mut self, v: u64, width: u32) {
        if width > 32 {
            self.bits(v >> 32, width - 32);
            self.bits(v & 0xffff_ffff, 32);
        } else {
            self.bits(v, width);
        }
    }
    pub(crate) fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            let pad = 8 - self.n;
            self.bits(0, pad);
        }
        self.bytes
    }
}

pub(crate) struct BitReader<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) pos: usize,
}

pub(crate) type R<T> = Result<T, HandoffError>;

impl BitReader<'_> {
    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() * 8 - self.pos
    }
    pub(crate) fn bits(&mut self, width: u32) -> R<u64> {
        if width as usize > self.remaining() {
            return Err(HandoffError::Malformed);
        }
        let mut v = 0u64;
        for _ in 0..width {
            let byte = self.bytes[self.pos / 8];
            v = (v << 1) | u64::from((byte >> (7 - self.pos % 8)) & 1);
            self.pos += 1;
        }
        Ok(v)
    }
    pub(crate) fn bit(&mut self) -> R<bool> {
        Ok(self.bits(1)? == 1)
    }
    pub(crate) fn uv(&mut self, k: u32) -> R<u64> {
        let mut v = 0u64;
        let mut shift = 0u32;
        loop {
            let chunk = self.bits(k)?;
            if shift >= 64 || (shift + k > 64 && chunk >> (64 - shift) != 0) {
                return Err(HandoffError::Malformed);
            }
            v |= chunk << shift;
            shift += k;
            if !self.bit()? {
                return Ok(v);
            }
        }
    }
    /// A count of items each taking at least `min_bits`: refuses counts the data cannot hold.
    pub(crate) fn count(&mut self, min_bits: usize) -> R<usize> {
        let n = self.uv(3)?;
        if n as usize as u64 != n || (n as usize).saturating_mul(min_bits) > self.remaining() {
            return Err(HandoffError::Malformed);
        }
        Ok(n as usize)
    }
}

/// Common CJK punctuation, coded in 7 bits.
pub(crate) const PUNCT: [char; 16] = ['，', '。', '、', '：', '；', '！', '？', '（', '）', '“', '”', '《', '》', '—', '…', '·'];
pub(crate) const CJK_BASE: u32 = 0x4E00;

pub(crate) fn put_str(w: &mut BitWriter, s: &str) {
    w.uv(s.chars().count() as u64, 4);
    for ch in s.chars() {
        let c = ch as u32;
        if (CJK_BASE..CJK_BASE + 0x8000).contains(&c) {
            w.bit(true);
            w.bits(u64::from(c - CJK_BASE), 15);
        } else if c < 0x80 {
            w.bits(0b00, 2);
            w.bits(u64::from(c), 7);
        } else if let Some(i) = PUNCT.iter().position(|&p| p == ch) {
            w.bits(0b010, 3);
            w.bits(i as u64, 4);
        } else {
            w.bits(0b011, 3);
            w.bits(u64::from(c), 21);
        }
    }
}

pub(crate) fn get_str(r: &mut BitReader) -> R<String> {
    let n = r.uv(4)?;
    if n.saturating_mul(7) > r.remaining() as u64 {
        return Err(HandoffError::Malformed);
    }
    let mut s = String::new();
    for _ in 0..n {
        let c = if r.bit()? {
            CJK_BASE + r.bits(15)? as u32
        } else if !r.bit()? {
            r.bits(7)? as u32
        } else if !r.bit()? {
            PUNCT[r.bits(4)? as usize] as u32
        } else {
            r.bits(21)? as u32
        };
        s.push(char::from_u32(c).ok_or(HandoffError::Malformed)?);
    }
    Ok(s)
}

pub(crate) fn put_opt_str(w: &mut BitWriter, s: &Option<String>) {
    w.bit(s.is_some());
    if let Some(s) = s {
        put_str(w, s);
    }
}

pub(crate) fn get_opt_str(r: &mut BitReader) -> R<Option<String>> {
    Ok(if r.bit()? { Some(get_str(r)?) } else { None })
}

/// Days since 1900-01-01 in 17 bits.
pub(crate) fn put_date(w: &mut BitWriter, d: Date) {
    let base = Date::new(1900, 1, 1).map(|b| b.day_number()).unwrap_or(0);
    w.bits((d.day_number() - base) as u64, 17);
}

pub(crate) fn date_from_days(days_since_1900: i64) -> Option<Date> {
    // 1900-01-01 is day -25,567 of the 1970 epoch.
    Date::from_day_number(days_since_1900 - 25_567)
}

pub(crate) fn get_date(r: &mut BitReader) -> R<Date> {
    date_from_days(r.bits(17)? as i64).ok_or(HandoffError::Malformed)
}

pub(crate) fn put_opt_date(w: &mut BitWriter, d: Option<Date>) {
    w.bit(d.is_some());
    if let Some(d) = d {
        put_date(w, d);
    }
}

pub(crate) fn get_opt_date(r: &mut BitReader) -> R<Option<Date>> {
    Ok(if r.bit()? { Some(get_date(r)?) } else { None })
}

pub(crate) fn put_opt_uv(w: &mut BitWriter, v: Option<u32>, k: u32) {
    w.bit(v.is_some());
    if let Some(v) = v {
        w.uv(u64::from(v), k);
    }
}

pub(crate) fn get_opt_u32(r: &mut BitReader, k: u32) -> R<Option<u32>> {
    Ok(if r.bit()? { Some(u32::try_from(r.uv(k)?).map_err(|_| HandoffError::Malformed)?) } else { None })
}

pub(crate) fn put_opt_bool(w: &mut BitWriter, b: Option<bool>) {
    w.bit(b.is_some());
    if let Some(b) = b {
        w.bit(b);
    }
}

pub(crate) fn get_opt_bool(r: &mut BitReader) -> R<Option<bool>> {
    Ok(if r.bit()? { Some(r.bit()?) } else { None })
}

pub(crate) fn put_opt_index(w: &mut BitWriter, i: Option<usize>) {
    w.bit(i.is_some());
    if let Some(i) = i {
        w.uv(i as u64, 3);
    }
}

pub(crate) fn get_opt_index(r: &mut BitReader) -> R<Option<usize>> {
    Ok(if r.bit()? { Some(usize::try_from(r.uv(3)?).map_err(|_| HandoffError::Malformed)?) } else { None })
}

/// Money: whole yuan (`00`), fen (`01`), or the exact decimal text (`1`).
pub(crate) fn put_money(w: &mut BitWriter, m: Money) {
    use rust_decimal::prelude::ToPrimitive;
    let d = m.as_decimal();
    if d.fract().is_zero()
        && let Some(y) = d.to_i64().filter(|v| *v >= 0)
    {
        w.bits(0b00, 2);
        w.uv(y as u64, 6);
        return;
    }
    if let Some(fen) = d.checked_mul(rust_decimal::Decimal::from(100))
        && fen.fract().is_zero()
        && let Some(f) = fen.to_i64().filter(|v| *v >= 0)
    {
        w.bits(0b01, 2);
        w.uv(f as u64, 6);
        return;
    }
    w.bit(true);
    put_str(w, &d.to_string());
}

pub(crate) fn get_money(r: &mut BitReader) -> R<Money> {
    if r.bit()? {
        let s = get_str(r)?;
        return s.parse::<rust_decimal::Decimal>().map(Money::from_decimal).map_err(|_| HandoffError::Malformed);
    }
    let fen = r.bit()?;
    let v = i64::try_from(r.uv(6)?).map_err(|_| HandoffError::Malformed)?;
    if fen { Ok(Money::from_fen(v)) } else { Ok(Money::yuan(v)) }
}

pub(crate) fn enum_index<T: PartialEq + Copy>(all: &[T], v: T) -> u64 {
    all.iter().position(|&x| x == v).unwrap_or(0) as u64
}

pub(crate) fn enum_at<T: Copy>(all: &[T], i: u64) -> R<T> {
    all.get(i as usize).copied().ok_or(HandoffError::Malformed)
}

pub(crate) const RELATIONS: [Relation; 9] = Relation::ALL;
pub(crate) const LABOURS: [LabourCapacity; 4] = [LabourCapacity::Full, LabourCapacity::Weak, LabourCapacity::Half, LabourCapacity::None];
pub(crate) const SCHOOLINGS: [Schooling; 4] = [Schooling::None, Schooling::Compulsory, Schooling::HighSchool, Schooling::College];
pub(crate) const OOS: [OutOfSchoolReason; 4] =
    [OutOfSchoolReason::Health, OutOfSchoolReason::Cost, OutOfSchoolReason::Work, OutOfSchoolReason::Other];
pub(crate) const GRADES: [HousingGrade; 5] = [HousingGrade::A, HousingGrade::B, HousingGrade::C, HousingGrade::D, HousingGrade::Unknown];
pub(crate) const RIGID_KINDS: [RigidExpenseKind; 8] = [
    RigidExpenseKind::MedicalInpatient,
    RigidExpenseKind::MedicalOutpatient,
    RigidExpenseKind::MedicalOther,
    RigidExpenseKind::SchoolingCompulsory,
    RigidExpenseKind::SchoolingNonCompulsory,
    RigidExpenseKind::Disaster,
    RigidExpenseKind::Accident,
    RigidExpenseKind::Other,
];
pub(crate) const DROP_REASONS: [IncomeDropReason; 7] = [
    IncomeDropReason::LostJob,
    IncomeDropReason::FailedFarming,
    IncomeDropReason::FailedBusiness,
    IncomeDropReason::Illness,
    IncomeDropReason::Disaster,
    IncomeDropReason::Accident,
    IncomeDropReason::Other,
];
pub(crate) const OUTCOMES: [PreviousOutcome; 3] = [PreviousOutcome::NotIncluded, PreviousOutcome::Included, PreviousOutcome::Pending];

/// An 18-character ID number whose check character is right is sent as its first 17 digits.
pub(crate) fn put_id(w: &mut BitWriter, id: &Option<String>) {
    match id {
        None => w.bit(false),
        Some(s) => {
            w.bit(true);
            // Only an all-ASCII text is sliced by bytes (then bytes are characters).
            let b = s.as_bytes();
            let packable = s.is_ascii() && b.len() == 18 && id_check_char(&s[..17]).is_some_and(|c| c as u8 == b[17]);
            w.bit(packable);
            if packable {
                let v: u64 = b[..17].iter().fold(0u64, |a, &c| a * 10 + u64::from(c - b'0'));
                w.big(v, 57);
            } else {
                put_str(w, s);
            }
        }
    }
}

pub(crate) fn get_id(r: &mut BitReader) -> R<Option<String>> {
    if !r.bit()? {
        return Ok(None);
    }
    if r.bit()? {
        let v = r.bits(57)?;
        if v >= 100_000_000_000_000_000 {
            return Err(HandoffError::Malformed);
        }
        let first = format!("{v:017}");
        let c = id_check_char(&first).ok_or(HandoffError::Malformed)?;
        Ok(Some(format!("{first}{c}")))
    } else {
        Ok(Some(get_str(r)?))
    }
}

/// An 11-digit phone number is sent as a number.
pub(crate) fn put_phone(w: &mut BitWriter, p: &Option<String>) {
    match p {
        None => w.bits(0b00, 2),
        Some(s) if s.len() == 11 && s.bytes().all(|c| c.is_ascii_digit()) && !s.starts_with('0') => {
            w.bits(0b01, 2);
            w.big(s.parse().unwrap_or(0), 37);
        }
        Some(s) => {
            w.bits(0b10, 2);
            put_str(w, s);
        }
    }
}

pub(crate) fn get_phone(r: &mut BitReader) -> R<Option<String>> {
    match r.bits(2)? {
        0 => Ok(None),
        1 => {
            let v = r.bits(37)?;
            if !(10_000_000_000..100_000_000_000).contains(&v) {
                return Err(HandoffError::Malformed);
            }
            Ok(Some(v.to_string()))
        }
        2 => Ok(Some(get_str(r)?)),
        _ => Err(HandoffError::Malformed),
    }
}
