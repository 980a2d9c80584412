//! Hard input errors of a household, each naming its field: sizes, texts, dates, ID numbers, phone,
//! amounts and references between items.

use super::{FieldError, HOUSEHOLD_FORMAT, Household, IdError, is_valid_phone, limits, validate_id_number};
use crate::date::Date;
use crate::input::{TextKind, check_text};
use crate::money::MAX_FIELD_YUAN;
use crate::money::Money;
use crate::text::Text;

impl Household {
    /// The sizes of lists and texts, and the characters no text may hold (see [`limits`] and
    /// [`crate::input::check_text`]). Only the first [`limits::MEMBERS`] members and
    /// [`limits::ITEMS`] items of a list are looked at, so a hostile file cannot make a long answer.
    /// Part of [`Household::validate`]; on its own for forms that check these as the person types.
    pub fn validate_sizes_and_texts(&self) -> Vec<FieldError> {
        let mut errs = Vec::new();
        let mut text = |field: &dyn Fn() -> String, s: &str, kind: TextKind, max: usize| {
            if let Err(p) = check_text(s, kind, max) {
                errs.push(FieldError::new(field(), p.code(), p.message()));
            }
        };
        use limits::*;
        text(&|| "head_name".into(), &self.head_name, TextKind::Line, NAME_CHARS);
        text(&|| "village".into(), &self.village, TextKind::Line, SHORT_CHARS);
        text(&|| "address".into(), &self.address, TextKind::Line, ADDRESS_CHARS);
        if let Some(p) = &self.phone {
            text(&|| "phone".into(), p, TextKind::Line, NUMBER_CHARS);
        }
        if let Some(c) = &self.collected_by {
            text(&|| "collected_by".into(), c, TextKind::Line, NAME_CHARS);
        }
        for (i, m) in self.members.iter().enumerate().take(MEMBERS) {
            text(&|| format!("members[{i}].name"), &m.name, TextKind::Line, NAME_CHARS);
            if let Some(id) = &m.id_number {
                text(&|| format!("members[{i}].id_number"), id, TextKind::Line, NUMBER_CHARS);
            }
        }
        for (i, it) in self.income.iter().enumerate().take(ITEMS) {
            text(&|| format!("income[{i}].label"), &it.label, TextKind::Line, SHORT_CHARS);
            if let Some(code) = &it.item {
                text(&|| format!("income[{i}].item"), code, TextKind::Line, SHORT_CHARS);
            }
        }
        for (i, it) in self.business_costs.iter().enumerate().take(ITEMS) {
            text(&|| format!("business_costs[{i}].label"), &it.label, TextKind::Line, SHORT_CHARS);
        }
        for (i, it) in self.rigid_expenses.iter().enumerate().take(ITEMS) {
            text(&|| format!("rigid_expenses[{i}].description"), &it.description, TextKind::Free, DESCRIPTION_CHARS);
        }
        if let Some(d) = &self.income_drop {
            text(&|| "income_drop.description".into(), &d.description, TextKind::Free, DESCRIPTION_CHARS);
        }
        let lists: [(&str, usize, usize, Text); 5] = [
            (
                "members",
                self.members.len(),
                MEMBERS,
                Text::lit(
                    "家庭成员最多填 30 位。请看看是不是重复添加了。",
                    "At most 30 household members; please check for members added twice.",
                ),
            ),
            ("income", self.income.len(), ITEMS, Text::lit("收入最多填 50 项。", "At most 50 income items.")),
            (
                "business_costs",
                self.business_costs.len(),
                ITEMS,
                Text::lit("生产经营支出最多填 50 项。", "At most 50 business-cost items."),
            ),
            (
                "rigid_expenses",
                self.rigid_expenses.len(),
                ITEMS,
                Text::lit("必要开支最多填 50 项。", "At most 50 unavoidable-spending items."),
            ),
            (
                "previous_applications",
                self.previous_applications.len(),
                PREVIOUS_APPLICATIONS,
                Text::lit("以前的申报或预警最多填 20 次。", "At most 20 earlier applications or flags."),
            ),
        ];
        for (field, len, max, message) in lists {
            if len > max {
                errs.push(FieldError::new(field, "too_many", message));
            }
        }
        errs
    }

    /// Hard input errors, each naming its field. The assessment still runs on invalid data, but the
    /// CLI and the application form refuse it.
    pub fn validate(&self, as_of: Date) -> Vec<FieldError> {
        let mut errs = self.validate_sizes_and_texts();
        if self.format != HOUSEHOLD_FORMAT {
            errs.push(FieldError::new(
                "format",
                "format",
                Text::new(
                    format!("文件格式不对，应为 {HOUSEHOLD_FORMAT}。"),
                    format!("Unknown household format; expected {HOUSEHOLD_FORMAT}."),
                ),
            ));
        }
        if let Some(p) = &self.phone
            && !p.trim().is_empty()
            && !is_valid_phone(p)
            && !errs.iter().any(|e| e.field == "phone")
        {
            errs.push(FieldError::new(
                "phone",
                "phone",
                Text::new("手机号应是 11 位数字，以 1 开头。请再看一下。", "A mobile number has 11 digits and starts with 13–19."),
            ));
        }
        if self.members.is_empty() {
            errs.push(FieldError::new(
                "members",
                "no_members",
                Text::new("请至少填写一位家庭成员。", "Please enter at least one household member."),
            ));
        }
        for (i, m) in self.members.iter().enumerate().take(limits::MEMBERS) {
            let path = |f: &str| format!("members[{i}].{f}");
            if let Some(b) = m.birth_date
                && b > as_of
            {
                errs.push(FieldError::new(
                    path("birth_date"),
                    "future_date",
                    Text::new("出生日期不能晚于今天。", "The birth date cannot be in the future."),
                ));
            }
            if let Some(a) = m.age
                && a > 130
            {
                errs.push(FieldError::new(path("age"), "age", Text::new("年龄不对，请再看一下。", "This age is not possible.")));
            }
            if let Some(id) = m
                .id_number
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty() && check_text(s, TextKind::Line, limits::NUMBER_CHARS).is_ok())
            {
                match validate_id_number(id) {
                    Err(IdError::Length) | Err(IdError::Characters) => errs.push(FieldError::new(
                        path("id_number"),
                        "id_format",
                        Text::new("身份证号应是 18 位，最后一位可以是数字或 X。", "An ID number has 18 characters; the last may be X."),
                    )),
                    Err(IdError::BirthDate) => errs.push(FieldError::new(
                        path("id_number"),
                        "id_birth_date",
                        Text::new("身份证号里的出生日期不对。", "The birth date inside the ID number is not a real date."),
                    )),
                    Err(IdError::CheckDigit) => errs.push(FieldError::new(
                        path("id_number"),
                        "id_check_digit",
                        Text::new(
                            "身份证号最后一位对不上，可能有一位填错了。",
                            "The ID number's check digit does not match; a digit may be wrong.",
                        ),
                    )),
                    Ok(birth) => {
                        if let Some(b) = m.birth_date
                            && b != birth
                        {
                            errs.push(FieldError::new(
                                path("birth_date"),
                                "id_birth_mismatch",
                                Text::new(
                                    format!("出生日期和身份证号不一致（身份证上是 {birth}）。"),
                                    format!("The birth date does not match the ID number ({birth})."),
                                ),
                            ));
                        } else if m.birth_date.is_none()
                            && let Some(a) = m.age
                            && a != birth.age_at(as_of)
                        {
                            errs.push(FieldError::new(
                                path("age"),
                                "id_age_mismatch",
                                Text::new(
                                    format!("年龄和身份证号不一致（按身份证是 {} 岁）。", birth.age_at(as_of)),
                                    format!("The age does not match the ID number ({}).", birth.age_at(as_of)),
                                ),
                            ));
                        }
                        if birth > as_of {
                            errs.push(FieldError::new(
                                path("id_number"),
                                "future_date",
                                Text::new("身份证号里的出生日期晚于今天。", "The ID number's birth date is in the future."),
                            ));
                        }
                    }
                }
            }
            for (f, d) in [
                ("dibao_since", m.dibao_since),
                ("tekun_since", m.tekun_since),
                ("dibao_applied", m.dibao_applied),
                ("tekun_applied", m.tekun_applied),
                ("severe_disability_since", m.severe_disability_since),
            ] {
                if let Some(d) = d
                    && d > as_of
                {
                    errs.push(FieldError::new(path(f), "future_date", Text::new("这个日期晚于今天。", "This date is in the future.")));
                }
            }
        }
        let n = self.members.len();
        // Field paths are formatted only for a field that has a problem.
        let max = rust_decimal::Decimal::from(MAX_FIELD_YUAN);
        let mut check_amount = |field: &dyn Fn() -> String, m: Money| {
            if m.is_negative() {
                errs.push(FieldError::new(field(), "negative", crate::money::AmountError::Negative.message()));
            } else if m.as_decimal() > max {
                errs.push(FieldError::new(field(), "too_large", crate::money::AmountError::TooLarge.message()));
            }
        };
        for (i, it) in self.income.iter().enumerate().take(limits::ITEMS) {
            check_amount(&|| format!("income[{i}].amount"), it.amount);
        }
        for (i, it) in self.business_costs.iter().enumerate().take(limits::ITEMS) {
            check_amount(&|| format!("business_costs[{i}].amount"), it.amount);
        }
        for (i, it) in self.rigid_expenses.iter().enumerate().take(limits::ITEMS) {
            check_amount(&|| format!("rigid_expenses[{i}].amount"), it.amount);
        }
        if let Some(d) = &self.income_drop {
            check_amount(&|| "income_drop.last_year_net_income".into(), d.last_year_net_income);
        }
        let member_ref = |field: &dyn Fn() -> String, idx: Option<usize>, errs: &mut Vec<FieldError>| {
            if let Some(k) = idx
                && k >= n
            {
                // The household's size, not `k + 1`: an index from JSON may be the largest number.
                errs.push(FieldError::new(
                    field(),
                    "no_such_member",
                    Text::new(
                        format!("这一项说的家庭成员不在这一户里（这一户有 {n} 位）。"),
                        format!("This item names a member who is not in the household (it has {n})."),
                    ),
                ));
            }
        };
        for (i, it) in self.income.iter().enumerate().take(limits::ITEMS) {
            member_ref(&|| format!("income[{i}].member"), it.member, &mut errs);
        }
        for (i, it) in self.rigid_expenses.iter().enumerate().take(limits::ITEMS) {
            member_ref(&|| format!("rigid_expenses[{i}].member"), it.member, &mut errs);
        }
        if let Some(mon) = &self.monitoring {
            if mon.since > as_of {
                errs.push(FieldError::new(
                    "monitoring.since",
                    "future_date",
                    Text::new("这个日期晚于今天。", "This date is in the future."),
                ));
            }
            if let Some(s) = mon.income_stable_since
                && s > as_of
            {
                errs.push(FieldError::new(
                    "monitoring.income_stable_since",
                    "future_date",
                    Text::new("这个日期晚于今天。", "This date is in the future."),
                ));
            }
        }
        if let Some(p) = self.water.supply_percent
            && p > 100
        {
            errs.push(FieldError::new(
                "water.supply_percent",
                "percent",
                Text::new("供水保证率不能超过 100%。", "The supply share cannot exceed 100%."),
            ));
        }
        errs
    }
}
