//! The application's content in a handoff (and in the reference code's hash): what is written, in
//! which order, and what may be left out when it does not fit.

use super::HandoffError;
use super::bits::*;
use crate::application::FilledBy;
use crate::date::Date;
use crate::household::{
    CostItem, DrinkingWater, HOUSEHOLD_FORMAT, Household, IncomeDrop, IncomeItem, IncomeKind, Member, Monitoring, PreviousApplication,
    PreviousSource, RigidExpense,
};
use crate::text::Text;

/// What a handoff leaves out when the application is too big, least essential first.
pub(crate) const DROP_DIFFICULTY_EN: u64 = 1;
pub(crate) const DROP_DIFFICULTY_ZH: u64 = 2;
pub(crate) const DROP_DESCRIPTIONS: u64 = 4;
pub(crate) const DROP_LABELS: u64 = 8;
pub(crate) const DROP_ORDER: [u64; 4] = [DROP_DIFFICULTY_EN, DROP_DIFFICULTY_ZH, DROP_DESCRIPTIONS, DROP_LABELS];

pub(crate) fn drop_text(flag: u64) -> Text {
    match flag {
        DROP_DIFFICULTY_EN => Text::new("英文的困难情况说明", "the English difficulty description"),
        DROP_DIFFICULTY_ZH => Text::new(
            "改写过的困难情况说明（对方看到的是自动生成的说明）",
            "the edited difficulty description (the worker sees the drafted one)",
        ),
        DROP_DESCRIPTIONS => Text::new("各项开支和收入下降的文字说明", "the notes on each expense and on the income drop"),
        _ => Text::new("每笔收入和支出的名称", "the name of each income and cost item"),
    }
}

pub(crate) fn dropped_texts(mask: u64) -> Vec<Text> {
    DROP_ORDER.iter().filter(|&&f| mask & f != 0).map(|&f| drop_text(f)).collect()
}

pub(crate) struct Content<'a> {
    pub(crate) h: &'a Household,
    pub(crate) filled_by: &'a FilledBy,
    /// None: the difficulty equals the draft the receiver will make itself.
    pub(crate) difficulty: Option<&'a Text>,
    pub(crate) date: Date,
    pub(crate) profile: &'a str,
}

pub(crate) fn put_profile_id(w: &mut BitWriter, id: &str) {
    const ID_CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-";
    let compact = id.len() < 64 && id.bytes().all(|c| ID_CHARS.contains(&c));
    w.bit(compact);
    if compact {
        w.bits(id.len() as u64, 6);
        for c in id.bytes() {
            w.bits(ID_CHARS.iter().position(|&x| x == c).unwrap_or(0) as u64, 6);
        }
    } else {
        put_str(w, id);
    }
}

pub(crate) fn get_profile_id(r: &mut BitReader) -> R<String> {
    const ID_CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-";
    if r.bit()? {
        let n = r.bits(6)?;
        let mut s = String::new();
        for _ in 0..n {
            s.push(*ID_CHARS.get(r.bits(6)? as usize).ok_or(HandoffError::Malformed)? as char);
        }
        Ok(s)
    } else {
        get_str(r)
    }
}

/// A household that needs version 2 of the handoff: a member with a pending 低保 or 特困 application.
pub(crate) fn has_extension(h: &Household) -> bool {
    h.members.iter().any(|m| m.dibao_applied.is_some() || m.tekun_applied.is_some())
}

/// The canonical encoding of an application's content (also hashed for the reference code).
pub(crate) fn write_content(w: &mut BitWriter, c: &Content, drop: u64) {
    let h = c.h;
    put_profile_id(w, c.profile);
    put_date(w, c.date);
    match c.filled_by {
        FilledBy::Self_ => w.bits(0, 2),
        FilledBy::Worker { name } => {
            w.bits(1, 2);
            put_str(w, name);
        }
        FilledBy::Relative { name } => {
            w.bits(2, 2);
            put_str(w, name);
        }
    }
    match c.difficulty {
        None => w.bits(0, 2),
        Some(t) => {
            w.bit(drop & DROP_DIFFICULTY_ZH == 0);
            w.bit(drop & DROP_DIFFICULTY_EN == 0);
            if drop & DROP_DIFFICULTY_ZH == 0 {
                put_str(w, &t.zh);
            }
            if drop & DROP_DIFFICULTY_EN == 0 {
                put_str(w, &t.en);
            }
        }
    }
    // The household (format fangpin.household/1).
    put_str(w, &h.head_name);
    put_phone(w, &h.phone);
    put_str(w, &h.village);
    let rest = if h.village.is_empty() { None } else { h.address.strip_prefix(h.village.as_str()) };
    w.bit(rest.is_some());
    put_str(w, rest.unwrap_or(&h.address));
    w.bit(h.formerly_poor);
    w.bits(enum_index(&GRADES, h.housing_grade), 3);
    let wa = &h.water;
    put_opt_bool(w, wa.quality_ok);
    put_opt_uv(w, wa.litres_per_person_day, 6);
    w.bit(wa.water_rich_area);
    put_opt_uv(w, wa.fetch_round_trip_minutes, 5);
    put_opt_uv(w, wa.supply_percent, 7);
    put_opt_str(w, &h.collected_by);
    w.bit(h.monitoring.is_some());
    if let Some(m) = &h.monitoring {
        put_date(w, m.since);
        put_opt_date(w, m.income_stable_since);
        w.bit(m.risk_gone_naturally);
    }
    w.uv(h.previous_applications.len() as u64, 3);
    for p in &h.previous_applications {
        put_opt_date(w, p.date);
        w.bit(p.source == PreviousSource::Flagged);
        w.bits(enum_index(&OUTCOMES, p.outcome), 2);
    }
    w.uv(h.members.len() as u64, 3);
    for m in &h.members {
        put_str(w, &m.name);
        w.bits(enum_index(&RELATIONS, m.relation), 4);
        put_opt_date(w, m.birth_date);
        put_opt_uv(w, m.age, 6);
        put_id(w, &m.id_number);
        w.bits(enum_index(&LABOURS, m.labour), 2);
        w.bit(m.severe_disability);
        put_opt_date(w, m.severe_disability_since);
        w.bit(m.serious_illness);
        w.bits(enum_index(&SCHOOLINGS, m.schooling), 2);
        w.bits(m.out_of_school.map_or(0, |r| enum_index(&OOS, r) + 1), 3);
        put_opt_bool(w, m.medical_insurance);
        put_opt_date(w, m.dibao_since);
        put_opt_date(w, m.tekun_since);
        w.bit(m.counted);
    }
    w.uv(h.income.len() as u64, 3);
    for it in &h.income {
        w.bits(enum_index(&IncomeKind::ALL, it.kind), 2);
        put_money(w, it.amount);
        if drop & DROP_LABELS == 0 {
            put_str(w, &it.label);
        }
        put_opt_str(w, &it.item);
        put_opt_index(w, it.member);
    }
    w.uv(h.business_costs.len() as u64, 3);
    for it in &h.business_costs {
        put_money(w, it.amount);
        if drop & DROP_LABELS == 0 {
            put_str(w, &it.label);
        }
    }
    w.uv(h.rigid_expenses.len() as u64, 3);
    for e in &h.rigid_expenses {
        w.bits(enum_index(&RIGID_KINDS, e.kind), 3);
        put_money(w, e.amount);
        if drop & DROP_DESCRIPTIONS == 0 {
            put_str(w, &e.description);
        }
        put_opt_index(w, e.member);
    }
    w.bit(h.income_drop.is_some());
    if let Some(d) = &h.income_drop {
        put_money(w, d.last_year_net_income);
        w.bits(enum_index(&DROP_REASONS, d.reason), 3);
        if drop & DROP_DESCRIPTIONS == 0 {
            put_str(w, &d.description);
        }
    }
    // Version 2: what version 1 has no room for, written only when there is something (so a
    // version-1 household encodes, and hashes to its reference code, exactly as before).
    if has_extension(h) {
        for m in &h.members {
            put_opt_date(w, m.dibao_applied);
            put_opt_date(w, m.tekun_applied);
        }
    }
}

/// The application as carried by a handoff: what the receiver needs to rebuild it.
#[derive(Debug, Clone, PartialEq)]
pub struct HandoffData {
    pub profile: String,
    pub date: Date,
    pub filled_by: FilledBy,
    /// The person's difficulty text; None when it was the draft (or was left out): rebuild it.
    pub difficulty: Option<Text>,
    pub household: Household,
    /// The sender's reference code (the rebuilt application has the same code unless parts were
    /// left out).
    pub reference: String,
    /// What the sender left out to fit the QR code.
    pub dropped: Vec<Text>,
}

pub(crate) fn read_content(r: &mut BitReader, drop: u64, version: u8) -> R<HandoffData> {
    let profile = get_profile_id(r)?;
    let date = get_date(r)?;
    let filled_by = match r.bits(2)? {
        0 => FilledBy::Self_,
        1 => FilledBy::Worker { name: get_str(r)? },
        2 => FilledBy::Relative { name: get_str(r)? },
        _ => return Err(HandoffError::Malformed),
    };
    let zh = r.bit()?;
    let en = r.bit()?;
    let zh = if zh { Some(get_str(r)?) } else { None };
    let en = if en { Some(get_str(r)?) } else { None };
    let mut h = Household { format: HOUSEHOLD_FORMAT.to_string(), ..Household::default() };
    h.head_name = get_str(r)?;
    h.phone = get_phone(r)?;
    h.village = get_str(r)?;
    let prefixed = r.bit()?;
    let rest = get_str(r)?;
    h.address = if prefixed { format!("{}{rest}", h.village) } else { rest };
    h.formerly_poor = r.bit()?;
    h.housing_grade = enum_at(&GRADES, r.bits(3)?)?;
    h.water = DrinkingWater {
        quality_ok: get_opt_bool(r)?,
        litres_per_person_day: get_opt_u32(r, 6)?,
        water_rich_area: r.bit()?,
        fetch_round_trip_minutes: get_opt_u32(r, 5)?,
        supply_percent: get_opt_u32(r, 7)?,
    };
    h.collected_by = get_opt_str(r)?;
    if r.bit()? {
        h.monitoring = Some(Monitoring { since: get_date(r)?, income_stable_since: get_opt_date(r)?, risk_gone_naturally: r.bit()? });
    }
    for _ in 0..r.count(4)? {
        h.previous_applications.push(PreviousApplication {
            date: get_opt_date(r)?,
            source: if r.bit()? { PreviousSource::Flagged } else { PreviousSource::Applied },
            outcome: enum_at(&OUTCOMES, r.bits(2)?)?,
        });
    }
    for _ in 0..r.count(20)? {
        h.members.push(Member {
            name: get_str(r)?,
            relation: enum_at(&RELATIONS, r.bits(4)?)?,
            birth_date: get_opt_date(r)?,
            age: get_opt_u32(r, 6)?,
            id_number: get_id(r)?,
            labour: enum_at(&LABOURS, r.bits(2)?)?,
            severe_disability: r.bit()?,
            severe_disability_since: get_opt_date(r)?,
            serious_illness: r.bit()?,
            schooling: enum_at(&SCHOOLINGS, r.bits(2)?)?,
            out_of_school: match r.bits(3)? {
                0 => None,
                i => Some(enum_at(&OOS, i - 1)?),
            },
            medical_insurance: get_opt_bool(r)?,
            dibao_since: get_opt_date(r)?,
            tekun_since: get_opt_date(r)?,
            dibao_applied: None,
            tekun_applied: None,
            counted: r.bit()?,
        });
    }
    for _ in 0..r.count(10)? {
        h.income.push(IncomeItem {
            kind: enum_at(&IncomeKind::ALL, r.bits(2)?)?,
            amount: get_money(r)?,
            label: if drop & DROP_LABELS == 0 { get_str(r)? } else { String::new() },
            item: get_opt_str(r)?,
            member: get_opt_index(r)?,
        });
    }
    for _ in 0..r.count(8)? {
        h.business_costs.push(CostItem { amount: get_money(r)?, label: if drop & DROP_LABELS == 0 { get_str(r)? } else { String::new() } });
    }
    for _ in 0..r.count(11)? {
        h.rigid_expenses.push(RigidExpense {
            kind: enum_at(&RIGID_KINDS, r.bits(3)?)?,
            amount: get_money(r)?,
            description: if drop & DROP_DESCRIPTIONS == 0 { get_str(r)? } else { String::new() },
            member: get_opt_index(r)?,
        });
    }
    if r.bit()? {
        h.income_drop = Some(IncomeDrop {
            last_year_net_income: get_money(r)?,
            reason: enum_at(&DROP_REASONS, r.bits(3)?)?,
            description: if drop & DROP_DESCRIPTIONS == 0 { get_str(r)? } else { String::new() },
        });
    }
    if version >= 2 {
        for m in &mut h.members {
            m.dibao_applied = get_opt_date(r)?;
            m.tekun_applied = get_opt_date(r)?;
        }
        if !has_extension(&h) {
            // A version-2 text is only made for what version 1 cannot carry.
            return Err(HandoffError::Malformed);
        }
    }
    let difficulty = match (zh, en) {
        (None, None) => None,
        (zh, en) => Some(Text::new(zh.unwrap_or_default(), en.unwrap_or_default())),
    };
    Ok(HandoffData { profile, date, filled_by, difficulty, household: h, reference: String::new(), dropped: dropped_texts(drop) })
}
