//! The CLI's JSON of an assessment (also what the server stores).

use super::result::Assessment;

/// The CLI's JSON: the assessment with these exact top-level fields: `profile`,
/// `per_capita_net_income` and `monitoring_range` (decimal strings, 2 places, rounded half away
/// from zero for display), `below_range`, `category`, `risks` (objects with `code`),
/// `whole_household_no_labour`, `risk_elimination` (null or `{allowed, reasons}`), `measures`,
/// `data_quality`; plus the detail fields of [`Assessment`] (`monitoring_range_detail`,
/// `per_capita_detail`, ...).
pub fn to_cli_json(a: &Assessment) -> serde_json::Value {
    use serde_json::Value;
    let mut v = serde_json::to_value(a).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        if let Some(detail) = map.remove("monitoring_range") {
            map.insert("monitoring_range_detail".into(), detail);
        }
        map.insert("monitoring_range".into(), Value::String(a.monitoring_range.amount.to_fixed2()));
        if let Some(detail) = map.remove("per_capita_net_income") {
            map.insert("per_capita_detail".into(), detail);
        }
        map.insert(
            "per_capita_net_income".into(),
            a.per_capita_net_income.map(|pc| Value::String(pc.rounded().to_fixed2())).unwrap_or(Value::Null),
        );
    }
    v
}
