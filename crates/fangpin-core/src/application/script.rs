//! The application as plain text to copy, and the words to read on the phone to a hotline.

use super::{Application, spell_reference};

impl Application {
    fn member_count(&self) -> usize {
        self.members.len()
    }

    /// A fixed plain-text form for pasting into a WeChat message (`lang`: `"zh"` or `"en"`).
    pub fn to_plain_text(&self, lang: &str) -> String {
        let en = lang == "en";
        let mut out = String::new();
        let line = |out: &mut String, zh: &str, en_s: &str, v: &str| {
            out.push_str(if en { en_s } else { zh });
            out.push_str(if en { ": " } else { "：" });
            out.push_str(v);
            out.push('\n');
        };
        let none = if en { "not given" } else { "未填" };
        out.push_str(if en { "[Application for poverty-relapse monitoring]\n" } else { "【防止返贫监测申请】\n" });
        line(&mut out, "申请编号", "Reference", &self.reference);
        line(&mut out, "户主", "Head of household", if self.head_name.is_empty() { none } else { &self.head_name });
        line(&mut out, "手机", "Phone", self.phone.as_deref().unwrap_or(none));
        let place = match (self.village.is_empty(), self.address.is_empty()) {
            (false, false) if self.address.contains(&self.village) => self.address.clone(),
            (false, false) => format!("{} {}", self.village, self.address),
            (false, true) => self.village.clone(),
            (true, false) => self.address.clone(),
            (true, true) => none.to_string(),
        };
        line(&mut out, "村/住址", "Village/address", &place);
        let n = self.member_count();
        line(&mut out, "家庭人口", "Household members", &if en { format!("{n}") } else { format!("{n} 人") });
        let range = self.income.monitoring_range.display_yuan();
        let pc = match self.income.per_capita {
            Some(pc) => {
                let (bz, be) = if self.income.below_range { ("低于", "below") } else { ("不低于", "not below") };
                if en {
                    format!("{} yuan per person a year, {be} the monitoring range of {range} yuan", pc.display_yuan())
                } else {
                    format!("{} 元/人·年，{bz}监测范围 {range} 元", pc.display_yuan())
                }
            }
            None => none.to_string(),
        };
        line(&mut out, "人均纯收入", "Per-capita net income", &pc);
        let risks = if self.risks.is_empty() {
            if en { "none found".to_string() } else { "未发现".to_string() }
        } else {
            self.risks.iter().map(|r| r.title.get(lang).to_string()).collect::<Vec<_>>().join(if en { "; " } else { "；" })
        };
        line(&mut out, "风险", "Risks", &risks);
        if let Some(c) = &self.category_label {
            line(&mut out, "可能属于", "Likely category", c.get(lang));
        }
        line(&mut out, "困难情况", "Difficulty", self.difficulty.get(lang).trim());
        line(&mut out, "填写", "Filled in", &format!("{}，{}", self.filled_by.label().get(lang), self.date));
        if !self.contacts.is_empty() {
            // "0598-3851238 永安市乡村振兴局（集中排查联系电话）": the names carry brackets of their own.
            let phones = self.contacts.iter().map(|c| format!("{} {}", c.number, c.name.get(lang))).collect::<Vec<_>>();
            line(&mut out, "咨询电话", "Hotlines", &phones.join(if en { "; " } else { "；" }));
        }
        if en {
            out.push_str("(Self-check result for reference; the township and the authorities above it decide.)\n");
        } else {
            // Yong'an is a city (县级市): "县里" would be wrong there.
            out.push_str("（自测结果仅供参考，以乡镇和上级部门审核为准。）\n");
        }
        out
    }

    /// The read-out script for a hotline call: the key facts in the order an operator asks, with
    /// the reference code spelled in groups.
    pub fn hotline_script(&self, lang: &str) -> String {
        let en = lang == "en";
        let mut s: Vec<String> = Vec::new();
        let unknown = if en { "not given" } else { "未填" };
        let place = if self.address.is_empty() {
            self.village.clone()
        } else if self.address.contains(&self.village) {
            self.address.clone()
        } else {
            format!("{} {}", self.village, self.address)
        };
        let phone = self.phone.as_deref().map(spell_phone).unwrap_or_else(|| unknown.to_string());
        let code = spell_reference(&self.reference, lang);
        let pc = self.income.per_capita.map(|m| m.display_yuan());
        let range = self.income.monitoring_range.display_yuan();
        let n = self.member_count();
        if en {
            s.push("Hello, I would like to apply for poverty-relapse monitoring (防止返贫监测).".into());
            s.push(format!("1. Name of the head of household: {}.", if self.head_name.is_empty() { unknown } else { &self.head_name }));
            s.push(format!("2. Phone: {phone}."));
            s.push(format!("3. Address: {}.", if place.is_empty() { unknown } else { &place }));
            s.push(format!("4. Household members: {n}."));
            let risks = self.risks.iter().map(|r| r.title.en.as_str()).collect::<Vec<_>>().join("; ");
            s.push(format!(
                "5. Difficulty: {}{}",
                if risks.is_empty() { String::new() } else { format!("{risks}. ") },
                self.difficulty.en.trim()
            ));
            match pc {
                Some(pc) => s.push(format!(
                    "6. Net income per person a year: about {pc} yuan ({} the monitoring range of {range} yuan).",
                    if self.income.below_range { "below" } else { "not below" }
                )),
                None => s.push("6. Net income per person: not worked out.".into()),
            }
            s.push(format!("7. My reference code is {} — spelled: {code}.", self.reference));
            s.push(format!("Filled in: {}, {}.", self.filled_by.label().en, self.date));
        } else {
            s.push("您好，我要申请防止返贫监测。".into());
            s.push(format!("一、户主姓名：{}。", if self.head_name.is_empty() { unknown } else { &self.head_name }));
            s.push(format!("二、联系电话：{phone}。"));
            s.push(format!("三、住址：{}。", if place.is_empty() { unknown } else { &place }));
            s.push(format!("四、家里 {n} 口人。"));
            let risks = self.risks.iter().map(|r| r.title.zh.as_str()).collect::<Vec<_>>().join("；");
            s.push(format!(
                "五、困难情况：{}{}",
                if risks.is_empty() { String::new() } else { format!("{risks}。") },
                self.difficulty.zh.trim()
            ));
            match pc {
                Some(pc) => s.push(format!(
                    "六、家庭年人均纯收入大约 {pc} 元，{}监测范围 {range} 元。",
                    if self.income.below_range { "低于" } else { "不低于" }
                )),
                None => s.push("六、人均纯收入还没算出来。".into()),
            }
            s.push(format!("七、我的申请编号是 {}，逐个念：{code}。", self.reference));
            s.push(format!("（{}，{}）", self.filled_by.label().zh, self.date));
        }
        s.join("\n") + "\n"
    }
}

fn spell_phone(p: &str) -> String {
    let d: String = p.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    if d.len() == 11 && d.starts_with('1') { format!("{} {} {}", &d[0..3], &d[3..7], &d[7..11]) } else { p.trim().to_string() }
}
