//! Checking a profile: every value with its source or marked provisional with a reason, dates that
//! make sense, figures in plausible ranges, texts in both languages. Each problem names its path.

use rust_decimal::Decimal;
use std::collections::BTreeSet;

use super::{
    ChannelKind, HotlineScope, IncomeLine, MAX_MEASURES, MAX_TRIGGERS, MeasureKind, PROFILE_FORMAT, PolicyError, Profile, Provenance,
    TriggerKind, perr,
};
use crate::household::LabourCapacity;
use crate::money::Money;
use crate::text::Text;
use crate::vocabulary::ClauseKey;

pub(super) struct Validator<'a> {
    pub(super) p: &'a Profile,
    pub(super) errs: Vec<PolicyError>,
}

impl Validator<'_> {
    fn err(&mut self, path: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) {
        self.errs.push(perr(path, zh, en));
    }

    fn text(&mut self, path: &str, t: &Text) {
        if t.is_incomplete() {
            self.err(path, "中文和英文都要填写。", "both Chinese and English text are required");
        }
    }

    fn provenance(&mut self, path: &str, pr: &Provenance) {
        let p = self.p;
        match (&pr.source, pr.provisional) {
            (None, false) => self.err(
                format!("{path}.provenance"),
                "缺少来源：请写明来源（source），或标为 provisional 并说明理由。",
                "missing source: give `source`, or set `provisional = true` with a `reason`",
            ),
            (Some(s), _) if p.source(s).is_none() => self.err(
                format!("{path}.provenance.source"),
                format!("来源“{s}”不在 sources 列表里。"),
                format!("source `{s}` is not listed in `sources`"),
            ),
            _ => {}
        }
        if pr.provisional {
            match &pr.reason {
                None => self.err(format!("{path}.provenance.reason"), "暂定值必须说明理由。", "a provisional value needs a `reason`"),
                Some(r) => self.text(&format!("{path}.provenance.reason"), &r.clone()),
            }
        }
        if let Some(c) = &pr.clause {
            self.text(&format!("{path}.provenance.clause"), &c.clone());
        }
        let from = pr.effective_from.unwrap_or(p.effective_from);
        let to = pr.effective_to.unwrap_or(p.effective_to);
        if from > to {
            self.err(format!("{path}.provenance"), "生效日期晚于失效日期。", "effective_from is after effective_to");
        }
        if from > p.effective_to || to < p.effective_from {
            self.err(
                format!("{path}.provenance"),
                "这个值的有效期和本档案的有效期不重叠。",
                "the value's effective period does not overlap the profile's period",
            );
        }
    }

    pub(super) fn run(&mut self) {
        let p = self.p;
        if p.format != PROFILE_FORMAT {
            self.err("format", format!("格式应为 {PROFILE_FORMAT}。"), format!("format must be {PROFILE_FORMAT}"));
        }
        if p.id.is_empty() || !p.id.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-') {
            self.err("id", "id 只能用小写字母、数字和连字符，且不能为空。", "id must be non-empty lowercase letters, digits and dashes");
        }
        if p.effective_from > p.effective_to {
            self.err("effective_from", "生效日期晚于失效日期。", "effective_from is after effective_to");
        }
        if p.effective_from.year() != p.year && p.effective_to.year() != p.year {
            self.err("year", "年份和有效期不一致。", "year does not match the effective period");
        }
        self.text("name", &p.name);
        for (k, place) in [("province", &p.region.province), ("city", &p.region.city), ("county", &p.region.county)] {
            if place.code.len() != 6 || !place.code.bytes().all(|c| c.is_ascii_digit()) {
                self.err(format!("region.{k}.code"), "行政区划代码应为 6 位数字。", "a division code has 6 digits");
            }
            self.text(&format!("region.{k}.name"), &place.name);
        }
        // Sources.
        let mut ids = BTreeSet::new();
        for (i, s) in p.sources.iter().enumerate() {
            let path = format!("sources[{i}]");
            if s.id.trim().is_empty() {
                self.err(format!("{path}.id"), "来源 id 不能为空。", "source id is empty");
            } else if !ids.insert(s.id.as_str()) {
                self.err(format!("{path}.id"), format!("来源 id “{}”重复。", s.id), format!("duplicate source id `{}`", s.id));
            }
            if s.title.trim().is_empty() {
                self.err(format!("{path}.title"), "来源要有标题。", "a source needs a title");
            }
            let has = |o: &Option<String>| o.as_deref().is_some_and(|x| !x.trim().is_empty());
            if !has(&s.url) && !has(&s.document_number) && !has(&s.held_copy) && !has(&s.known_from) {
                self.err(
                    path.clone(),
                    "来源要有网址、文号、存档位置之一，或写明是从哪份文件里看到的（known_from）。",
                    "a source needs a url, a document number, a held copy, or the source it is known from",
                );
            }
            if let Some(k) = &s.known_from
                && (k == &s.id || !p.sources.iter().any(|x| &x.id == k))
            {
                self.err(
                    format!("{path}.known_from"),
                    format!("known_from 写的来源“{k}”不在 sources 列表里。"),
                    format!("known_from names no other source `{k}`"),
                );
            }
            if s.date.is_none() && s.known_from.is_none() {
                self.err(
                    format!("{path}.date"),
                    "来源要写日期（只在别的文件里看到的除外）。",
                    "a source needs a date, unless it is known only second-hand",
                );
            }
            if s.mirror && s.url.is_none() {
                self.err(format!("{path}.mirror"), "标为镜像的来源要有网址。", "a mirror needs a url");
            }
            if s.known_from.is_some() && s.note.is_none() {
                self.err(
                    format!("{path}.note"),
                    "没有原文的来源要写说明（note）。",
                    "a source known only second-hand needs a note saying so",
                );
            }
            if let Some(u) = &s.url
                && !(u.starts_with("http://") || u.starts_with("https://"))
            {
                self.err(format!("{path}.url"), "网址应以 http:// 或 https:// 开头。", "url must start with http:// or https://");
            }
        }
        // Monitoring range.
        let mr = &p.monitoring_range;
        if !mr.amount.is_positive() || mr.amount > Money::yuan(1_000_000) {
            self.err("monitoring_range.amount", "监测范围金额不合理。", "the monitoring range must be above 0 and at most 1,000,000");
        }
        if mr.amount.as_decimal().normalize().scale() > 2 {
            self.err("monitoring_range.amount", "金额最多两位小数。", "at most two decimal places");
        }
        self.text("monitoring_range.basis", &mr.basis);
        if mr.provenance.provisional && mr.screen_note.is_none() {
            self.err(
                "monitoring_range.screen_note",
                "暂定的监测范围必须有屏幕提示（以当地公布的为准）。",
                "a provisional monitoring range needs a screen_note",
            );
        }
        if let Some(n) = &mr.screen_note {
            self.text("monitoring_range.screen_note", n);
        }
        self.provenance("monitoring_range", &mr.provenance);
        // Triggers and measures are kept in 64-bit sets by the assessment.
        if p.spending_triggers.len() > MAX_TRIGGERS {
            self.err("spending_triggers", format!("触发条件最多 {MAX_TRIGGERS} 条。"), format!("at most {MAX_TRIGGERS} spending triggers"));
        }
        if p.measures.len() > MAX_MEASURES {
            self.err("measures", format!("帮扶措施最多 {MAX_MEASURES} 项。"), format!("at most {MAX_MEASURES} measures"));
        }
        // Triggers.
        let mut tids = BTreeSet::new();
        for (i, t) in p.spending_triggers.iter().enumerate() {
            let path = format!("spending_triggers[{i}]");
            if t.id.trim().is_empty() {
                self.err(format!("{path}.id"), "id 不能为空。", "empty id");
            } else if !tids.insert(t.id.as_str()) {
                self.err(format!("{path}.id"), format!("id “{}”重复。", t.id), format!("duplicate trigger id `{}`", t.id));
            }
            self.text(&format!("{path}.name"), &t.name);
            let amounts = [("amount_formerly_poor_or_monitored", t.amount_formerly_poor_or_monitored), ("amount_others", t.amount_others)];
            let ratios = [("ratio_formerly_poor_or_monitored", t.ratio_formerly_poor_or_monitored), ("ratio_others", t.ratio_others)];
            for (k, a) in amounts {
                if let Some(a) = a
                    && !a.is_positive()
                {
                    self.err(format!("{path}.{k}"), "金额必须大于 0。", "amount must be above 0");
                }
            }
            for (k, r) in ratios {
                if let Some(r) = r
                    && (r <= Decimal::ZERO || r > Decimal::from(10))
                {
                    self.err(format!("{path}.{k}"), "比例必须在 0 到 10 之间。", "ratio must be above 0 and at most 10");
                }
            }
            match t.kind {
                TriggerKind::MedicalAnnualRatio => {
                    if t.ratio_formerly_poor_or_monitored.is_none() || t.ratio_others.is_none() {
                        self.err(path.clone(), "按比例的触发条件要写两个比例。", "a ratio trigger needs both ratios");
                    }
                    match t.reference_amount {
                        Some(a) if a.is_positive() => {}
                        _ => self.err(
                            format!("{path}.reference_amount"),
                            "要写参照收入（大于 0）。",
                            "a ratio trigger needs a positive reference_amount",
                        ),
                    }
                }
                _ => {
                    if t.amount_formerly_poor_or_monitored.is_none() || t.amount_others.is_none() {
                        self.err(path.clone(), "金额触发条件要写两个金额。", "an amount trigger needs both amounts");
                    }
                }
            }
            self.provenance(&path, &t.provenance);
        }
        let mut ecodes = BTreeSet::new();
        for (i, e) in p.income_exclusions.iter().enumerate() {
            let path = format!("income_exclusions[{i}]");
            if e.code.trim().is_empty() || !ecodes.insert(e.code.as_str()) {
                self.err(format!("{path}.code"), "代码为空或重复。", "empty or duplicate code");
            }
            self.text(&format!("{path}.name"), &e.name);
            self.provenance(&path, &e.provenance);
        }
        // Category rules.
        let cr = &p.category_rules;
        let r = cr.income_drop_ratio.value;
        if r <= Decimal::ZERO || r > Decimal::ONE {
            self.err(
                "category_rules.income_drop_ratio.value",
                "收入下降比例必须在 0 到 1 之间。",
                "income drop ratio must be above 0 and at most 1",
            );
        }
        self.provenance("category_rules.income_drop_ratio", &cr.income_drop_ratio.provenance);
        if cr.elimination_min_stable_months.value == 0 || cr.elimination_min_stable_months.value > 60 {
            self.err("category_rules.elimination_min_stable_months.value", "月数应在 1 到 60 之间。", "months must be 1..=60");
        }
        self.provenance("category_rules.elimination_min_stable_months", &cr.elimination_min_stable_months.provenance);
        if cr.previous_not_included_min.value == 0 {
            self.err("category_rules.previous_not_included_min.value", "次数至少为 1。", "must be at least 1");
        }
        self.provenance("category_rules.previous_not_included_min", &cr.previous_not_included_min.provenance);
        let r = cr.sudden_hardship_income_drop_ratio.value;
        if r <= Decimal::ZERO || r > Decimal::ONE {
            self.err(
                "category_rules.sudden_hardship_income_drop_ratio.value",
                "收入下降比例必须在 0 到 1 之间。",
                "income drop ratio must be above 0 and at most 1",
            );
        }
        self.provenance("category_rules.sudden_hardship_income_drop_ratio", &cr.sudden_hardship_income_drop_ratio.provenance);
        if let Some(d) = &p.dibao_line {
            if !d.monthly.is_positive() || d.monthly > Money::yuan(100_000) {
                self.err("dibao_line.monthly", "低保标准金额不合理。", "the dibao line must be above 0 and at most 100,000 a month");
            }
            self.provenance("dibao_line", &d.provenance);
        }
        // Guarantees.
        let w = &p.guarantees.water;
        if w.min_litres_per_person_day == 0
            || w.min_litres_per_person_day > 1000
            || w.min_litres_per_person_day_water_rich < w.min_litres_per_person_day
        {
            self.err("guarantees.water", "用水量标准不合理。", "water quantity standards are implausible");
        }
        if w.max_fetch_round_trip_minutes > 600 || w.min_supply_percent > 100 || w.min_supply_percent == 0 {
            self.err("guarantees.water", "取水时间或供水保证率不合理。", "fetch time or supply percentage is implausible");
        }
        self.provenance("guarantees.water", &w.provenance);
        let a = &p.guarantees.compulsory_school_age;
        if a.from > a.to || a.to > 25 {
            self.err("guarantees.compulsory_school_age", "义务教育年龄不合理。", "compulsory school age range is implausible");
        }
        self.provenance("guarantees.compulsory_school_age", &a.provenance);
        // Clauses (every key is there, or the profile would not have parsed).
        for k in ClauseKey::ALL {
            let pr = p.clauses.get(*k);
            if pr.clause.is_none() {
                self.err(format!("clauses.{}.clause", k.name()), "要写条款内容。", "a clause text is required");
            }
            self.provenance(&format!("clauses.{}", k.name()), pr);
        }
        // Hotlines and channels.
        if !p.hotlines.iter().any(|h| h.scope == HotlineScope::National) {
            self.err("hotlines", "至少要有一个全国热线（12317）。", "at least one national hotline (12317) is required");
        }
        for (i, h) in p.hotlines.iter().enumerate() {
            let path = format!("hotlines[{i}]");
            if h.number.is_empty() || !h.number.bytes().all(|c| c.is_ascii_digit() || c == b'-') {
                self.err(format!("{path}.number"), "电话号码只能有数字和“-”。", "a phone number has digits and dashes only");
            }
            self.text(&format!("{path}.name"), &h.name);
            self.provenance(&path, &h.provenance);
        }
        let mut kinds = BTreeSet::new();
        for (i, c) in p.channels.iter().enumerate() {
            let path = format!("channels[{i}]");
            if !kinds.insert(c.kind) {
                self.err(format!("{path}.kind"), "渠道重复。", "duplicate channel kind");
            }
            self.text(&format!("{path}.name"), &c.name);
            self.text(&format!("{path}.how"), &c.how);
            if c.kind == ChannelKind::Hotline && c.offered && c.number.is_none() {
                self.err(format!("{path}.number"), "热线渠道要写电话。", "a hotline channel needs a number");
            }
            for (k, u) in [("url", &c.url), ("endpoint", &c.endpoint)] {
                if let Some(u) = u
                    && !(u.starts_with("https://") || u.starts_with("http://") || u.starts_with('/'))
                {
                    self.err(format!("{path}.{k}"), "网址格式不对。", "url must be http(s):// or a path starting with /");
                }
            }
            self.provenance(&path, &c.provenance);
        }
        // Measures.
        let mut mids = BTreeSet::new();
        for (i, m) in p.measures.iter().enumerate() {
            let path = format!("measures[{i}]");
            if m.id.trim().is_empty() {
                self.err(format!("{path}.id"), "措施 id 不能为空。", "empty measure id");
            } else if !mids.insert(m.id.as_str()) {
                self.err(format!("{path}.id"), format!("措施 id “{}”重复。", m.id), format!("duplicate measure id `{}`", m.id));
            }
            self.text(&format!("{path}.title"), &m.title);
            self.text(&format!("{path}.summary"), &m.summary);
            self.text(&format!("{path}.office"), &m.office);
            if m.kind == MeasureKind::Development && m.eligibility.whole_household_no_labour == Some(true) {
                self.err(
                    format!("{path}.eligibility"),
                    "开发式帮扶不能只给无劳动能力户。",
                    "a development measure cannot be only for no-labour households",
                );
            }
            if let Some(b) = m.eligibility.benefit
                && m.eligibility.not_receiving.contains(&b)
            {
                self.err(format!("{path}.eligibility"), "措施不能排除它自己这项待遇。", "a measure cannot exclude its own benefit");
            }
            if m.eligibility.per_capita_below == Some(IncomeLine::DibaoLine) && p.dibao_line.is_none() {
                self.err(
                    format!("{path}.eligibility.per_capita_below"),
                    "按低保标准比较，但档案里没有写低保标准（dibao_line）。",
                    "weighs income against the dibao line, but the profile gives no dibao_line",
                );
            }
            self.provenance(&path, &m.provenance);
        }
        if !p.measures.iter().any(|m| m.kind == MeasureKind::Development && m.eligibility.labour_any_of.contains(&LabourCapacity::Full)) {
            self.err(
                "measures",
                "至少要有一项给有劳动能力家庭的开发式帮扶。",
                "at least one development measure for households able to work is required",
            );
        }
        if !p.measures.iter().any(|m| m.kind == MeasureKind::SafetyNet) {
            self.err("measures", "至少要有一项兜底保障措施。", "at least one safety-net measure is required");
        }
        // Sheets and signed texts.
        let s = &p.application_sheet;
        for (k, t) in [
            ("title", &s.title),
            ("who_can_apply", &s.who_can_apply),
            ("how_to_apply", &s.how_to_apply),
            ("what_happens_next", &s.what_happens_next),
        ] {
            self.text(&format!("application_sheet.{k}"), t);
        }
        self.provenance("application_sheet", &s.provenance);
        self.text("assistance_sheet.title", &p.assistance_sheet.title);
        self.text("assistance_sheet.intro", &p.assistance_sheet.intro);
        self.provenance("assistance_sheet", &p.assistance_sheet.provenance);
        for (k, t) in [("pledge", &p.pledge), ("authorisation", &p.authorisation)] {
            self.text(&format!("{k}.title"), &t.title);
            self.text(&format!("{k}.body"), &t.body);
            self.provenance(k, &t.provenance);
        }
    }
}

/// Checks a set of profiles together: duplicate ids, and overlapping periods for the same county.
pub fn validate_profile_set(profiles: &[Profile]) -> Vec<PolicyError> {
    let mut errs = Vec::new();
    for (i, a) in profiles.iter().enumerate() {
        for b in &profiles[i + 1..] {
            if a.id == b.id {
                errs.push(perr(b.id.clone(), format!("档案 id “{}”重复。", b.id), format!("duplicate profile id `{}`", b.id)));
            }
            if a.region.county.code == b.region.county.code && a.effective_from <= b.effective_to && b.effective_from <= a.effective_to {
                errs.push(perr(
                    b.id.clone(),
                    format!("“{}”和“{}”是同一个县，有效期重叠。", a.id, b.id),
                    format!("`{}` and `{}` cover the same county with overlapping periods", a.id, b.id),
                ));
            }
        }
    }
    errs
}
