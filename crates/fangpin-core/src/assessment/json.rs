//! The CLI's JSON of an assessment (also what the server stores).

use super::result::Assessment;

/// The CLI's JSON: the assessment with these exact top-level fields: `profile`,
/// `per_capita_net_income` and `monitoring_range` (decimal strings, 2 places, rounded half away
/// from zero for display), `below_range`, `category`, `risks` (objects with `code`),
/// `whole_household_no_labour`, `risk_elimination` (null or `{allowed, reasons}`), `measures`,
/// `data_quality`, `outcome`; whether the figures are settled: `monitoring_range_provisional` (with
/// `monitoring_range_provisional_reason` and `monitoring_range_note`) and `policy_in_force` (with
/// `policy_note`); plus the detail fields of [`Assessment`] (`monitoring_range_detail`,
/// `per_capita_detail`, `policy`, ...).
pub fn to_cli_json(a: &Assessment) -> serde_json::Value {
    use serde_json::Value;
    let mut v = serde_json::to_value(a).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        if let Some(detail) = map.remove("monitoring_range") {
            map.insert("monitoring_range_detail".into(), detail);
        }
        map.insert("monitoring_range".into(), Value::String(a.monitoring_range.amount.to_fixed2()));
        let r = &a.monitoring_range;
        let text = |t: &Option<crate::text::Text>| t.as_ref().map(|t| serde_json::json!(t)).unwrap_or(Value::Null);
        map.insert("monitoring_range_provisional".into(), Value::Bool(r.provisional));
        map.insert("monitoring_range_provisional_reason".into(), text(&r.clause.provisional_reason));
        map.insert("monitoring_range_note".into(), text(&r.screen_note));
        map.insert("policy_in_force".into(), Value::Bool(a.policy.in_force));
        map.insert("policy_note".into(), text(&a.policy.note));
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
