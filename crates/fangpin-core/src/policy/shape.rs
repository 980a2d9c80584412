//! A profile file whose shape is wrong (a field misspelt or missing, an amount or a date not
//! readable), said in plain words for the person who edits it: which field, in both languages,
//! and, for a TOML file, on which line. serde's own messages are English and name no field.

use serde_path_to_error::Path;

use super::{PolicyError, Profile, perr};
use crate::date::DateError;
use crate::money::AmountError;

/// `json` read as a profile; `toml` is the text it came from, to name the line.
pub fn profile_from_value(json: serde_json::Value, toml: Option<&str>) -> Result<Profile, PolicyError> {
    serde_path_to_error::deserialize::<_, Profile>(json).map_err(|e| {
        let line = toml.and_then(|t| line_of(t, e.path()));
        explain(e.path(), &e.inner().to_string(), line)
    })
}

/// A shape error from serde (`message`) at `path`, in both languages, with its line when known.
pub fn explain(path: &Path, message: &str, line: Option<usize>) -> PolicyError {
    let shown = path.to_string();
    let path_str = if shown == "." { String::new() } else { shown };
    // The field is the error's path (shown before the message); the line is said here.
    let (at_zh, at_en) = match line {
        Some(n) => (format!("第 {n} 行："), format!("line {n}: ")),
        None => (String::new(), String::new()),
    };
    let (zh, en) = reason(message);
    perr(path_str.clone(), format!("政策数据格式有误：{at_zh}{zh}"), format!("policy data does not parse: {at_en}{en}"))
}

/// serde's English message in plain words, Chinese and English.
fn reason(message: &str) -> (String, String) {
    let amount = AmountError::ALL.into_iter().map(|a| a.message()).find(|m| m.en == message);
    if let Some(m) = amount {
        return (m.zh.to_string(), m.en.to_string());
    }
    if message == DateError::Format.to_string() {
        return ("日期请写成 2024-01-01 这样（年-月-日，用短横线）。".into(), "Write dates like 2024-01-01 (year-month-day).".into());
    }
    if message == DateError::OutOfRange.to_string() {
        return ("没有这一天：年份要在 1900 到 2200 之间，月和日要真实。".into(), message.into());
    }
    if let Some((name, rest)) = backticked(message, "unknown field `") {
        let can = rest.split_once("expected one of ").map(|(_, l)| l.replace('`', "")).unwrap_or_default();
        let zh_can = if can.is_empty() { String::new() } else { format!("这里可以写的有：{can}。") };
        return (format!("不认识“{name}”这一项，是不是拼错了？{zh_can}"), format!("unknown field `{name}` (misspelt?). {rest}"));
    }
    if let Some((name, _)) = backticked(message, "missing field `") {
        return (format!("缺少“{name}”这一项，它必须写。"), format!("the field `{name}` is missing; it is required."));
    }
    if let Some((name, rest)) = backticked(message, "unknown variant `") {
        let can = rest.split_once("expected one of ").map(|(_, l)| l.replace('`', "")).unwrap_or_default();
        return (format!("“{name}”不是可以选的值。可以写：{can}。"), message.into());
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        return (format!("这一项的类型不对（{rest}）。例如金额和日期要加引号，是/否写 true 或 false。"), message.into());
    }
    (message.into(), message.into())
}

/// The name in backticks right after `prefix`, and what follows it.
fn backticked<'m>(msg: &'m str, prefix: &str) -> Option<(&'m str, &'m str)> {
    let rest = msg.split_once(prefix)?.1;
    let (name, rest) = rest.split_once('`')?;
    Some((name, rest.trim_start_matches([',', ' '])))
}

/// The line of `text` (TOML) where `path` is, as far as it can be followed: the value itself, or
/// the table that misses a field.
#[cfg(feature = "toml")]
fn line_of(text: &str, path: &Path) -> Option<usize> {
    use serde_path_to_error::Segment;
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let mut span = root.span();
    let mut here: Option<&DeValue<'_>> = None;
    let mut table = Some(root.get_ref());
    for seg in path.iter() {
        let next = match (seg, table, here) {
            (Segment::Map { key }, Some(t), _) => t.get(key.as_str()),
            (Segment::Seq { index }, _, Some(DeValue::Array(a))) => a.get(*index),
            _ => None,
        };
        let Some(v) = next else { break };
        span = v.span();
        here = Some(v.get_ref());
        table = match v.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    // A table of an array of tables starts after its `[[name]]` header: the header's line is
    // where a person looks (the span may start at the first key inside).
    let start = span.start.min(text.len());
    let before = text.get(..start)?;
    Some(before.matches('\n').count() + 1)
}

#[cfg(not(feature = "toml"))]
fn line_of(_text: &str, _path: &Path) -> Option<usize> {
    None
}
