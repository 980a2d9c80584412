//! The roster screen's module, run in a Web Worker (`web/roster-worker.js`): the page posts the file,
//! the mapping and the questions; this answers with JSON and HTML. Everything stays in the worker's
//! memory: nothing is sent anywhere, nothing is stored.
//!
//! [`Session`] is plain Rust (tested natively); the `#[wasm_bindgen]` functions at the bottom hold
//! one session and turn its answers into strings.

use std::cell::RefCell;

use fangpin_core::date::Date;
use fangpin_core::policy::{PolicySet, Profile};
use fangpin_core::{RiskCode, Text};
use fangpin_html::Lang;
use fangpin_roster::columns::{Field, Level, Mapping};
use fangpin_roster::read::{Record, Records, separator};
use fangpin_roster::table::{Query, RiskFilter, Sort, Table};
use fangpin_visits::VisitOutcome;
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

mod strings;
pub use strings::strings;

/// A roster as the person works on it.
#[derive(Default)]
pub struct Session {
    set: Option<PolicySet>,
    text: String,
    mapping: Option<Mapping>,
    table: Option<Table>,
}

fn lang_of(code: &str) -> Lang {
    if code == "en" { Lang::En } else { Lang::Zh }
}

impl Session {
    /// The site's policy file (the same the app reads). Returns the counties and their profiles.
    pub fn install_policy(&mut self, bytes: &[u8]) -> Result<Value, String> {
        let set =
            PolicySet::read_published(bytes).map_err(|e| e.iter().map(|e| e.message.en.to_string()).collect::<Vec<_>>().join("; "))?;
        let mut counties: Vec<Value> = Vec::new();
        for p in &set.profiles {
            let code = &p.region.county.code;
            if !counties.iter().any(|c| c["code"] == code.as_str()) {
                counties.push(json!({ "code": code, "zh": p.region.county.name.zh.as_str(), "en": p.region.county.name.en.as_str() }));
            }
        }
        let out = json!({ "default_county": set.default_county, "counties": counties });
        self.set = Some(set);
        Ok(out)
    }

    /// The profile for a county on a date (the app's rule), and what the page says about it.
    pub fn profile_for(&self, county: &str, as_of: &str) -> Result<(&Profile, Date), Text> {
        let as_of = Date::parse(as_of)
            .map_err(|_| Text::lit("请写排查日期，如 2023-06-01。", "Please give the screening date, like 2023-06-01."))?;
        let set = self.set.as_ref().ok_or(Text::lit("政策数据还没有读进来。", "The policy data has not been read yet."))?;
        let p = set
            .for_county_on(county, as_of)
            .ok_or(Text::lit("这个县（市）在这一天没有政策数据。", "This county has no policy data for that date."))?;
        Ok((p, as_of))
    }

    pub fn describe_profile(&self, county: &str, as_of: &str, lang: &str) -> Value {
        match self.profile_for(county, as_of) {
            Ok((p, as_of)) => {
                let r = &p.monitoring_range;
                let period = p.period(as_of);
                json!({
                    "id": p.id,
                    "name": p.name.get(lang),
                    "range": r.amount.display_yuan(),
                    "provisional": r.provenance.provisional,
                    "provisional_reason": r.provenance.reason.as_ref().map(|t| t.get(lang).to_string()),
                    "note": r.screen_note.as_ref().map(|t| t.get(lang).to_string()),
                    "in_force": period.in_force,
                })
            }
            Err(t) => json!({ "error": t.get(lang) }),
        }
    }

    /// Reads the file: an .xlsx workbook's first sheet, or CSV text in UTF-8 (the page decodes other
    /// encodings first). Returns its header row as the mapping step shows it, or `{"error": …}`
    /// (`"encoding"`: decode it and call again).
    pub fn load(&mut self, bytes: Vec<u8>, lang: &str) -> Value {
        self.table = None;
        self.mapping = None;
        // A workbook: its first sheet, as the CSV it would have been saved as.
        let bytes = if fangpin_roster::xlsx::looks_like_xlsx(&bytes) {
            match fangpin_roster::xlsx::to_csv(&bytes) {
                Ok(csv) => csv.into_bytes(),
                Err(p) => return json!({ "error": "xlsx", "message": p.message().get(lang) }),
            }
        } else {
            bytes
        };
        // The native screen's rule (`fangpin_roster::read::utf8_verdict`): UTF-8, or UTF-8 with a stray
        // bad byte (read as U+FFFD, its cell then an error), or another encoding the page decodes.
        let mut replaced = false;
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => match fangpin_roster::read::utf8_verdict(&e.as_bytes()[..e.as_bytes().len().min(1 << 20)]) {
                fangpin_roster::read::Utf8::Not => return json!({ "error": "encoding" }),
                _ => {
                    replaced = true;
                    String::from_utf8_lossy(e.as_bytes()).into_owned()
                }
            },
        };
        self.text = text;
        let text = self.text.trim_start_matches('\u{feff}');
        let sep = separator(text.lines().next().unwrap_or(""));
        let mut records = Records::new(text, sep);
        let mut rec = Record::default();
        if !records.next_into(&mut rec) || rec.is_blank(text) {
            return json!({ "error": "empty", "message": Text::lit("文件是空的：第一行应是表头。", "The file is empty: its first row should be the headers.").get(lang) });
        }
        let headers: Vec<String> = (0..rec.len()).map(|i| rec.get(text, i).to_string()).collect();
        // A header of thousands of columns is not a roster's; the mapping step shows the first 200.
        let headers: Vec<String> = headers.into_iter().take(200).collect();
        self.mapping = Some(Mapping::recognise(&headers));
        let mut m = self.mapping_json(lang);
        if replaced {
            m["encoding"] = json!("utf-8-replaced");
        }
        m
    }

    pub fn mapping_json(&self, lang: &str) -> Value {
        let Some(m) = &self.mapping else { return json!({ "error": "no_file" }) };
        // The first rows under each header, so the person sees what a column holds.
        let text = self.text.trim_start_matches('\u{feff}');
        let sep = separator(text.lines().next().unwrap_or(""));
        let mut records = Records::new(text, sep);
        let mut rec = Record::default();
        records.next_into(&mut rec);
        let mut examples: Vec<Vec<String>> = vec![Vec::new(); m.headers.len()];
        for _ in 0..3 {
            if !records.next_into(&mut rec) {
                break;
            }
            for (i, e) in examples.iter_mut().enumerate() {
                let v: String = rec.get(text, i).chars().take(40).collect();
                e.push(v);
            }
        }
        json!({
            "headers": m.headers,
            "columns": m.columns.iter().map(|c| c.map(|f| f.code())).collect::<Vec<_>>(),
            "examples": examples,
            "fields": Field::ALL.iter().map(|f| json!({
                "code": f.code(),
                "header": f.header().get(lang),
                "accepts": f.accepts().get(lang),
                "member": f.level() == Level::Member,
            })).collect::<Vec<_>>(),
            "problems": m.problems().iter().map(|p| p.message().get(lang).to_string()).collect::<Vec<_>>(),
            "bytes": self.text.len(),
        })
    }

    /// Column `col` holds `code` (empty: not read). A field moved here leaves its old column.
    pub fn set_column(&mut self, col: usize, code: &str, lang: &str) -> Value {
        if let Some(m) = &mut self.mapping {
            let field = Field::from_code(code);
            if let Some(f) = field
                && let Some(old) = m.column(f)
            {
                m.set(old, None);
            }
            m.set(col, field);
        }
        self.mapping_json(lang)
    }

    /// Screens the file under the mapping. `progress(fraction)` now and then.
    pub fn screen(&mut self, county: &str, as_of: &str, lang: &str, mut progress: impl FnMut(f64)) -> Value {
        let Some(mapping) = self.mapping.clone() else { return json!({ "error": "no_file" }) };
        let problems = mapping.problems();
        if !problems.is_empty() {
            return json!({ "error": problems.iter().map(|p| p.message().get(lang).to_string()).collect::<Vec<_>>().join(" ") });
        }
        let (profile, date) = match self.profile_for(county, as_of) {
            Ok(x) => x,
            Err(t) => return json!({ "error": t.get(lang) }),
        };
        let text = self.text.trim_start_matches('\u{feff}');
        let total = text.len().max(1) as f64;
        let table = Table::screen(text, mapping, profile, date, |done| progress(done as f64 / total));
        let summary = json!({
            "households": table.rows.len(),
            "rows": table.row_count,
            // Households kept aside, and rows without a 户编号 (no household: counted as rows).
            "kept_aside": table.kept_aside.iter().filter(|k| !k.id.is_empty()).count(),
            "no_id_rows": table.kept_aside.iter().filter(|k| k.id.is_empty()).map(|k| k.rows).sum::<u64>(),
            "kept_aside_listed": table.kept_aside.len(),
            "profile": profile.id,
            "as_of": date.to_string(),
        });
        self.table = Some(table);
        summary
    }

    fn profile(&self) -> Option<&Profile> {
        let t = self.table.as_ref()?;
        self.set.as_ref()?.profile(&t.profile_id)
    }

    /// The households a query picks: `offset..offset+limit` of them, the counts, the villages.
    pub fn view(&self, q: &Value, offset: usize, limit: usize, lang: &str) -> Value {
        let Some(t) = &self.table else { return json!({ "error": "no_table" }) };
        let query = query(q, t);
        let picked = t.view(&query);
        let yuan = |m: Option<fangpin_core::Money>| m.map(|m| m.display_yuan());
        let rows: Vec<Value> = picked
            .iter()
            .skip(offset)
            .take(limit.min(500))
            .filter_map(|i| t.rows.get(*i as usize).map(|r| (*i, r)))
            .map(|(i, r)| {
                json!({
                    "i": i,
                    "row": r.first_row,
                    "id": r.id,
                    "village": t.villages.get(r.village as usize),
                    "head": r.head,
                    "members": r.members,
                    "per_capita": yuan(r.per_capita),
                    "gap": yuan(r.gap),
                    "below": r.below_range,
                    "outcome": outcome_code(r.outcome),
                    "outcome_label": r.outcome.label().get(lang),
                    "risks": r.risk_codes().map(|c| c.title().get(lang).to_string()).collect::<Vec<_>>(),
                    "no_labour": r.no_labour,
                })
            })
            .collect();
        let by_outcome: Vec<Value> = VisitOutcome::ALL
            .iter()
            .map(|o| json!({ "code": outcome_code(*o), "label": o.label().get(lang), "n": t.rows.iter().filter(|r| r.outcome == *o).count() }))
            .collect();
        let villages: Vec<Value> = t
            .summary()
            .iter()
            .enumerate()
            .map(|(i, s)| json!({ "i": i, "village": s.village, "households": s.households, "members": s.members, "below": s.below_range, "by_outcome": s.by_outcome }))
            .collect();
        json!({ "total": picked.len(), "offset": offset, "rows": rows, "by_outcome": by_outcome, "villages": villages, "households": t.rows.len() })
    }

    /// One household's explained assessment, as the villager's result shows it.
    pub fn explain(&self, i: usize, lang: &str) -> String {
        let (Some(t), Some(p)) = (&self.table, self.profile()) else { return String::new() };
        let l = lang_of(lang);
        let text = self.text.trim_start_matches('\u{feff}');
        let Some((h, a)) = t.explain(text, i, p) else { return String::new() };
        let mut html = fangpin_html::Html::new();
        let r = &t.rows[i];
        html.open("header", &[("class", "fp-roster-household")]);
        html.el("h2", &[("id", "fp-roster-detail-title"), ("tabindex", "-1")], &format!("{} {}", r.id, h.head_name));
        let names: Vec<String> = h
            .members
            .iter()
            .map(|m| match l {
                Lang::Zh => format!("{}（{}）", m.name, m.relation.label().zh),
                Lang::En => format!("{} ({})", m.name, m.relation.label().en),
            })
            .collect();
        html.el(
            "p",
            &[("class", "fp-muted")],
            &match l {
                Lang::Zh => format!(
                    "名单第 {} 行起，{}，{} 人：{}。按 {} 计算。",
                    r.first_row,
                    h.village,
                    h.members.len(),
                    names.join("、"),
                    t.as_of
                ),
                Lang::En => format!(
                    "From row {} of the roster, {}, {} members: {}. Computed for {}.",
                    r.first_row,
                    h.village,
                    h.members.len(),
                    names.join(", "),
                    t.as_of
                ),
            },
        );
        html.close("header");
        html.0.push_str(&fangpin_html::result::summary_html(&a, l));
        html.0.push_str(&fangpin_html::result::details_html(&a, p, l, 0));
        html.0
    }

    pub fn flagged_csv(&self, q: &Value, lang: &str) -> String {
        let (Some(t), Some(p)) = (&self.table, self.profile()) else { return String::new() };
        t.flagged_csv(&t.view(&query(q, t)), p, lang)
    }

    pub fn kept_aside_csv(&self, lang: &str) -> String {
        self.table.as_ref().map(|t| t.kept_aside_csv(lang)).unwrap_or_default()
    }

    /// The kept-aside households with their problems (the first `limit`).
    pub fn kept_aside(&self, limit: usize, lang: &str) -> Value {
        let Some(t) = &self.table else { return json!([]) };
        let list: Vec<Value> = t
            .kept_aside
            .iter()
            .take(limit)
            .map(|k| {
                let mut problems: Vec<String> = k.errors.iter().map(|e| e.message(&t.mapping).get(lang).to_string()).collect();
                if k.more_errors > 0 {
                    problems.push(match lang_of(lang) {
                        Lang::Zh => format!("还有 {} 处问题没有列出。", k.more_errors),
                        Lang::En => format!("{} more problems not listed.", k.more_errors),
                    });
                }
                json!({ "id": k.id, "row": k.first_row, "problems": problems })
            })
            .collect();
        json!(list)
    }
}

fn outcome_code(o: VisitOutcome) -> &'static str {
    match o {
        VisitOutcome::Category(c) => c.code(),
        VisitOutcome::HouseholdVisit => "household_visit",
        VisitOutcome::TellTheVillage => "tell_the_village",
        VisitOutcome::NoRisk => "no_risk",
    }
}

/// `{outcome, risk, village, below, search, sort}` from the page; anything it does not know is ignored.
fn query(q: &Value, t: &Table) -> Query {
    let s = |k: &str| q.get(k).and_then(Value::as_str).unwrap_or("");
    Query {
        outcome: VisitOutcome::ALL.into_iter().find(|o| outcome_code(*o) == s("outcome")),
        risk: match s("risk") {
            "" => None,
            "any" => Some(RiskFilter::Any),
            "key_group" => Some(RiskFilter::KeyGroup),
            code => RiskCode::ALL.into_iter().find(|c| c.code() == code).map(RiskFilter::Code),
        },
        village: q.get("village").and_then(Value::as_u64).map(|v| v as u32).filter(|v| (*v as usize) < t.villages.len()),
        below_range: q.get("below").and_then(Value::as_bool).unwrap_or(false),
        search: s("search").chars().take(100).collect(),
        sort: Sort::from_code(s("sort")).unwrap_or(Sort::Row),
    }
}

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::default());
}

fn with<T>(f: impl FnOnce(&mut Session) -> T) -> T {
    SESSION.with(|s| f(&mut s.borrow_mut()))
}

#[wasm_bindgen]
pub fn install_policy(bytes: &[u8]) -> Result<String, String> {
    with(|s| s.install_policy(bytes)).map(|v| v.to_string())
}

#[wasm_bindgen]
pub fn describe_profile(county: &str, as_of: &str, lang: &str) -> String {
    with(|s| s.describe_profile(county, as_of, lang)).to_string()
}

#[wasm_bindgen]
pub fn load(bytes: Vec<u8>, lang: &str) -> String {
    with(|s| s.load(bytes, lang)).to_string()
}

#[wasm_bindgen]
pub fn set_column(col: usize, code: &str, lang: &str) -> String {
    with(|s| s.set_column(col, code, lang)).to_string()
}

#[wasm_bindgen]
pub fn screen(county: &str, as_of: &str, lang: &str, progress: &js_sys::Function) -> String {
    with(|s| {
        s.screen(county, as_of, lang, |f| {
            let _ = progress.call1(&JsValue::NULL, &JsValue::from_f64(f));
        })
    })
    .to_string()
}

#[wasm_bindgen]
pub fn view(query_json: &str, offset: usize, limit: usize, lang: &str) -> String {
    let q: Value = serde_json::from_str(query_json).unwrap_or(Value::Null);
    with(|s| s.view(&q, offset, limit, lang)).to_string()
}

#[wasm_bindgen]
pub fn explain(i: usize, lang: &str) -> String {
    with(|s| s.explain(i, lang))
}

#[wasm_bindgen]
pub fn flagged_csv(query_json: &str, lang: &str) -> String {
    let q: Value = serde_json::from_str(query_json).unwrap_or(Value::Null);
    with(|s| s.flagged_csv(&q, lang))
}

#[wasm_bindgen]
pub fn kept_aside_csv(lang: &str) -> String {
    with(|s| s.kept_aside_csv(lang))
}

#[wasm_bindgen]
pub fn kept_aside(limit: usize, lang: &str) -> String {
    with(|s| s.kept_aside(limit, lang)).to_string()
}

#[wasm_bindgen]
pub fn template(lang: &str) -> String {
    fangpin_roster::template_csv(lang)
}

/// The template as an Excel workbook.
#[wasm_bindgen]
pub fn template_xlsx(lang: &str) -> Vec<u8> {
    fangpin_roster::xlsx::from_rows(&fangpin_roster::columns::template_rows(lang))
}

#[wasm_bindgen(js_name = strings)]
pub fn strings_json(lang: &str) -> String {
    strings(lang).to_string()
}
