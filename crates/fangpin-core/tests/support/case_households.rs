//! The households of the cases (`tests/cases/`): a named household of `households.toml` with what a
//! case changes (`set` a value at a path, `remove` one). Shared by the case runner (`tests/cases.rs`)
//! and the fuzzer's seeds (`crates/fangpin-fuzz`), so both start from the same real households.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

pub fn json(v: &toml::Value) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// One step of a path: a field, a list index, or `[+]` (the end of a list).
enum Step {
    Field(String),
    Index(usize),
    Push,
}

fn steps(path: &str) -> Result<Vec<Step>, String> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, rest) = part.split_once('[').map_or((part, None), |(n, r)| (n, Some(r)));
        if !name.is_empty() {
            out.push(Step::Field(name.to_string()));
        }
        if let Some(r) = rest {
            let idx = r.strip_suffix(']').ok_or(format!("bad path {path}"))?;
            out.push(if idx == "+" { Step::Push } else { Step::Index(idx.parse().map_err(|_| format!("bad index in {path}"))?) });
        }
    }
    Ok(out)
}

/// Sets (or with `None` removes) the value at `path`; every step before the last must exist.
fn apply(doc: &mut Value, path: &str, value: Option<Value>) -> Result<(), String> {
    let steps = steps(path)?;
    let (last, init) = steps.split_last().ok_or(format!("empty path {path:?}"))?;
    let mut at = doc;
    for s in init {
        at = match s {
            Step::Field(f) => at.get_mut(f).ok_or(format!("{path}: no {f}"))?,
            Step::Index(i) => at.get_mut(*i).ok_or(format!("{path}: no item {i}"))?,
            Step::Push => return Err(format!("{path}: [+] only at the end")),
        };
    }
    match (last, value) {
        (Step::Field(f), Some(v)) => {
            at.as_object_mut().ok_or(format!("{path}: not an object"))?.insert(f.clone(), v);
        }
        (Step::Field(f), None) => {
            at.as_object_mut().and_then(|o| o.remove(f)).ok_or(format!("{path}: nothing to remove"))?;
        }
        (Step::Index(i), Some(v)) => *at.get_mut(*i).ok_or(format!("{path}: no item {i}"))? = v,
        (Step::Index(i), None) => {
            let a = at.as_array_mut().ok_or(format!("{path}: not a list"))?;
            if *i >= a.len() {
                return Err(format!("{path}: no item {i}"));
            }
            a.remove(*i);
        }
        (Step::Push, Some(v)) => match at {
            Value::Array(a) => a.push(v),
            _ => return Err(format!("{path}: not a list")),
        },
        (Step::Push, None) => return Err(format!("{path}: cannot remove [+]")),
    }
    Ok(())
}

/// `a.b[+]` on a household without `b` starts the list.
fn ensure_list(doc: &mut Value, path: &str) {
    if let Some(field) = path.strip_suffix("[+]")
        && !field.contains(['.', '['])
        && doc.get(field).is_none()
        && let Some(o) = doc.as_object_mut()
    {
        o.insert(field.to_string(), Value::Array(Vec::new()));
    }
}

/// The household a case describes, as JSON: `base` from `bases` with `set` applied, then `remove`.
pub fn household_of(
    bases: &BTreeMap<String, Value>,
    base: &str,
    set: &BTreeMap<String, toml::Value>,
    remove: &[String],
) -> Result<Value, String> {
    let mut doc = bases.get(base).ok_or(format!("no household {base}"))?.clone();
    for (path, value) in set {
        ensure_list(&mut doc, path);
        apply(&mut doc, path, Some(json(value))).map_err(|e| format!("set {e}"))?;
    }
    for path in remove {
        apply(&mut doc, path, None).map_err(|e| format!("remove {e}"))?;
    }
    Ok(doc)
}

/// The named households of `dir/households.toml`, as JSON.
pub fn bases(dir: &Path) -> Result<BTreeMap<String, Value>, String> {
    let path = dir.join("households.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let named: BTreeMap<String, toml::Value> = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(named.iter().map(|(k, v)| (k.clone(), json(v))).collect())
}

/// Every case's household in `dir`, in file and case order (cases whose household cannot be made are
/// left out: the case runner reports them).
pub fn all(dir: &Path) -> Vec<Value> {
    let Ok(bases) = bases(dir) else { return Vec::new() };
    let mut files: Vec<_> = std::fs::read_dir(dir).map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect()).unwrap_or_default();
    files.retain(|p: &std::path::PathBuf| p.extension().is_some_and(|x| x == "toml") && !p.ends_with("households.toml"));
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let Some(cases) = std::fs::read_to_string(&f).ok().and_then(|t| toml::from_str::<toml::Value>(&t).ok()) else { continue };
        for case in cases.get("case").and_then(|c| c.as_array()).into_iter().flatten() {
            let base = case.get("household").and_then(|h| h.as_str()).unwrap_or("family_of_four");
            let set: BTreeMap<String, toml::Value> = case
                .get("set")
                .and_then(|s| s.as_table())
                .map(|t| t.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default();
            let remove: Vec<String> = case
                .get("remove")
                .and_then(|r| r.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                .unwrap_or_default();
            if let Ok(h) = household_of(&bases, base, &set, &remove) {
                out.push(h);
            }
        }
    }
    out
}
