#!/usr/bin/env python3
"""Writes tests/cases/*.json. The JSON files are the test data; this script only saves typing.
Run it after editing, and commit both. Each case: household, profile, as_of, expect."""
import copy, json, os

AS_OF = "2023-06-01"

def member(name, relation, birth, labour="full", **kw):
    m = {"name": name, "relation": relation, "birth_date": birth, "labour": labour, "medical_insurance": True}
    m.update(kw)
    return m

def base(wage="30000", business="12000", costs="2000"):
    return {
        "format": "fangpin.household/1",
        "head_name": "张大山",
        "phone": "13812345678",
        "village": "洪田村",
        "members": [
            member("张大山", "head", "1978-03-07"),
            member("李秀英", "spouse", "1980-05-20"),
            member("张小明", "child", "2011-09-01", labour="none", schooling="compulsory"),
            member("王桂兰", "parent", "1953-01-15", labour="none"),
        ],
        "income": [
            {"kind": "wage", "amount": wage, "label": "务工"},
            {"kind": "business", "amount": business, "label": "种茶"},
        ],
        "business_costs": [{"amount": costs, "label": "化肥农药"}],
        "housing_grade": "B",
        "water": {"quality_ok": True, "litres_per_person_day": 60, "fetch_round_trip_minutes": 0, "supply_percent": 100},
        "collected_by": "本人",
    }

ABOVE = dict(wage="50000")  # net 60000 / 4 = 15000 > 10560
cases = {}

def case(name, household, expect, profile="yongan-2023", as_of=AS_OF, **extra):
    c = {"name": name, "profile": profile, "as_of": as_of, "household": household, "expect": expect}
    c.update(extra)
    cases[name] = c

# --- categories
h = base(); h["housing_grade"] = "C"
case("marginal_below_with_unsafe_house", h, {"category": "marginal_at_risk", "below_range": True, "per_capita_net_income": "10000.00", "risks_present": ["housing_unsafe"], "measures_present": ["housing_renovation", "industry_support"]})
h = base(); h["formerly_poor"] = True; h["water"]["litres_per_person_day"] = 15
case("unstable_formerly_poor_water_quantity", h, {"category": "unstable_formerly_poor", "below_range": True, "risks_present": ["water_quantity"], "measures_present": ["water_safety"]})
h = base(**ABOVE); h["rigid_expenses"] = [{"kind": "medical_inpatient", "amount": "12000", "description": "住院"}]
case("sudden_hardship_inpatient_above_range", h, {"category": "sudden_hardship", "below_range": False, "risks_present": ["medical_spending_high"], "measures_present": ["temporary_assistance", "medical_assistance", "employment"]})
h = base(**ABOVE); h["rigid_expenses"] = [{"kind": "disaster", "amount": "20000", "description": "洪水冲毁房屋"}]
case("sudden_hardship_rigid_spending_pushes_below", h, {"category": "sudden_hardship", "below_range": False, "risks_present": ["rigid_spending_heavy"], "risks_absent": ["medical_spending_high"]})
h = base()
case("below_range_without_risk_has_no_category", h, {"category": None, "below_range": True, "risks_absent": ["housing_unsafe"], "measures_absent": ["dibao", "industry_support"]})
h = base(**ABOVE)
case("above_range_no_risk", h, {"category": None, "below_range": False, "risk_elimination": None, "measures_absent": ["industry_support"]})

# --- exact threshold: 42240 / 4 = 10560 is NOT below; one fen less is
h = base(wage="32240", business="12000", costs="2000"); h["housing_grade"] = "D"
case("threshold_equal_is_not_below", h, {"category": None, "below_range": False, "per_capita_net_income": "10560.00", "risks_present": ["housing_unsafe"]})
h = base(wage="32239.99", business="12000", costs="2000"); h["housing_grade"] = "D"
case("threshold_one_fen_below", h, {"category": "marginal_at_risk", "below_range": True, "per_capita_net_income": "10560.00"})

# --- spending triggers (edges: equal does not fire)
h = base(**ABOVE); h["formerly_poor"] = True; h["rigid_expenses"] = [{"kind": "medical_inpatient", "amount": "6000.01"}]
case("trigger_inpatient_formerly_poor_6000", h, {"category": "sudden_hardship", "risks_present": ["medical_spending_high"]})
h = base(**ABOVE); h["rigid_expenses"] = [{"kind": "medical_inpatient", "amount": "10000"}]
case("trigger_inpatient_others_equal_does_not_fire", h, {"category": None, "risks_absent": ["medical_spending_high"]})
h = base(**ABOVE); h["rigid_expenses"] = [{"kind": "medical_outpatient", "amount": "6000.01"}]
case("trigger_outpatient_monthly", h, {"category": "sudden_hardship", "risks_present": ["medical_spending_high"]})
h = base(**ABOVE); h["rigid_expenses"] = [{"kind": "medical_outpatient", "amount": "6000"}]
case("trigger_outpatient_equal_does_not_fire", h, {"risks_absent": ["medical_spending_high"]})
h = base(**ABOVE); h["members"][2]["schooling"] = "college"; h["members"][2]["birth_date"] = "2004-09-01"; h["rigid_expenses"] = [{"kind": "schooling_non_compulsory", "amount": "10500"}]
case("trigger_schooling_non_compulsory", h, {"category": "sudden_hardship", "risks_present": ["education_spending_high"], "measures_present": ["education_aid", "yulu_plan"]})
h = base(**ABOVE); h["formerly_poor"] = True; h["rigid_expenses"] = [{"kind": "medical_other", "amount": "11000"}]
patch = {"spending_triggers": [{"id": "medical_annual_ratio", "kind": "medical_annual_ratio", "name": {"zh": "全年医疗自付占比高", "en": "High yearly medical cost ratio"},
          "ratio_formerly_poor_or_monitored": "0.5", "ratio_others": "1", "reference_amount": "20000",
          "reference_name": {"zh": "测试参照收入", "en": "test reference income"},
          "provenance": {"provisional": True, "reason": {"zh": "测试用，借用河北规则。", "en": "Test only; Hebei's rule."}}}]}
case("trigger_medical_annual_ratio_hebei_style", h, {"category": "sudden_hardship", "risks_present": ["medical_spending_high"]}, profile_patch=patch)
h = base(**ABOVE); h["rigid_expenses"] = [{"kind": "medical_other", "amount": "11000"}]
case("trigger_medical_annual_ratio_others_not_fired", h, {"category": None, "risks_absent": ["medical_spending_high"]}, profile_patch=patch)

# --- three guarantees and water
h = base(); h["members"][3]["medical_insurance"] = False
case("medical_uninsured", h, {"category": "marginal_at_risk", "risks_present": ["medical_uninsured"], "measures_present": ["medical_assistance"]})
h = base(); h["members"][2]["schooling"] = "none"; h["members"][2]["out_of_school"] = "cost"
case("education_dropout", h, {"category": "marginal_at_risk", "risks_present": ["education_dropout"], "measures_present": ["education_aid"]})
h = base(); h["members"][2]["schooling"] = "none"; h["members"][2]["out_of_school"] = "health"
case("out_of_school_for_health_is_not_dropout", h, {"category": None, "risks_absent": ["education_dropout"]})
for code, change in [("water_quality", ("quality_ok", False)), ("water_access", ("fetch_round_trip_minutes", 25)), ("water_supply", ("supply_percent", 80))]:
    h = base(); h["water"][change[0]] = change[1]
    case(code, h, {"category": "marginal_at_risk", "risks_present": [code], "measures_present": ["water_safety"]})
h = base(); h["water"]["litres_per_person_day"] = 30; h["water"]["water_rich_area"] = True
case("water_quantity_water_rich_area", h, {"category": "marginal_at_risk", "risks_present": ["water_quantity"]})
h = base(); h["water"]["litres_per_person_day"] = 30
case("water_quantity_ok_elsewhere", h, {"risks_absent": ["water_quantity"]})
h = base(); h["members"][3]["serious_illness"] = True
case("serious_illness", h, {"category": "marginal_at_risk", "risks_present": ["serious_illness"]})

# --- key groups (this year = since 2023-01-01)
h = base(); h["members"][3]["dibao_since"] = "2023-02-01"
case("key_group_new_dibao", h, {"category": "marginal_at_risk", "risks_present": ["key_group_new_dibao"], "measures_present": ["industry_support"]})
h = base(); h["members"][3]["dibao_since"] = "2022-12-31"
case("key_group_dibao_last_year_not_new", h, {"risks_absent": ["key_group_new_dibao"]})
h = base(); h["members"][3]["tekun_since"] = "2023-03-01"
case("key_group_new_tekun", h, {"risks_present": ["key_group_new_tekun"]})
h = base(); h["members"][3]["severe_disability"] = True; h["members"][3]["severe_disability_since"] = "2023-04-01"
case("key_group_new_severe_disability", h, {"risks_present": ["key_group_new_severe_disability"]})
h = base(); h["previous_applications"] = [{"date": "2022-10-01", "source": "flagged", "outcome": "not_included"}]
case("key_group_not_included_before", h, {"category": "marginal_at_risk", "risks_present": ["key_group_not_included_before"]})

# --- income drop, job loss, exclusions
h = base(); h["income_drop"] = {"last_year_net_income": "60000", "reason": "lost_job"}
case("income_drop_lost_job", h, {"category": "marginal_at_risk", "risks_present": ["income_drop", "job_lost"]})
h = base(); h["income_drop"] = {"last_year_net_income": "50000", "reason": "failed_farming"}
case("small_drop_failed_farming", h, {"risks_present": ["business_failed"], "risks_absent": ["income_drop"]})
h = base(**ABOVE); h["income"].append({"kind": "transfer", "amount": "5000", "label": "抚恤金", "item": "fuxu"})
case("income_exclusion_fuxu", h, {"per_capita_net_income": "15000.00", "below_range": False})

# --- whole household without labour, elimination
def elderly(**kw):
    h = base(wage="0", business="0", costs="0")
    h["members"] = [member("陈老伯", "head", "1945-02-02", labour="none", dibao_since="2021-05-01"), member("陈阿婆", "spouse", "1947-08-08", labour="none")]
    h["income"] = [{"kind": "transfer", "amount": "26000", "label": "低保金和养老金"}]
    h["monitoring"] = {"since": "2021-06-01", "income_stable_since": "2022-01-01"}
    h.update(kw)
    return h
case("no_labour_on_safety_net_not_eliminated", elderly(), {"whole_household_no_labour": True, "below_range": False, "risk_elimination": {"allowed": False, "failed": ["not_no_labour_safety_net"]}, "measures_present": ["tekun", "dibao"], "measures_absent": ["industry_support"]})
h = elderly(); h["members"][0]["dibao_since"] = None
case("no_labour_without_safety_net_may_be_eliminated", h, {"whole_household_no_labour": True, "risk_elimination": {"allowed": True}})
h = base(**ABOVE); h["monitoring"] = {"since": "2022-01-01", "income_stable_since": "2022-11-01"}
case("elimination_allowed", h, {"whole_household_no_labour": False, "risk_elimination": {"allowed": True}, "measures_present": ["industry_support"]})
h = base(**ABOVE); h["monitoring"] = {"since": "2022-01-01", "income_stable_since": "2023-03-01"}
case("elimination_refused_unstable_months", h, {"risk_elimination": {"allowed": False, "failed": ["income_stable"]}})
h = base(); h["monitoring"] = {"since": "2022-01-01", "income_stable_since": "2022-01-01"}
case("elimination_refused_below_range", h, {"risk_elimination": {"allowed": False, "failed": ["income_above_range"]}})
h = base(**ABOVE); h["housing_grade"] = "C"; h["monitoring"] = {"since": "2022-01-01", "income_stable_since": "2022-01-01"}
case("elimination_refused_unsafe_house", h, {"risk_elimination": {"allowed": False, "failed": ["guarantees_secured"]}})
h = base(); h["monitoring"] = {"since": "2022-01-01", "risk_gone_naturally": True}
case("elimination_risk_gone_naturally", h, {"risk_elimination": {"allowed": True}})

# --- development first: a household that can work never gets only the safety net
h = base(); h["members"][3]["dibao_since"] = "2020-01-01"; h["housing_grade"] = "C"
case("development_first_with_labour", h, {"category": "marginal_at_risk", "measures_present": ["dibao", "industry_support", "employment"]})

# --- other profiles
h = base(wage="50000"); h["housing_grade"] = "C"
case("dehua_range_19560", h, {"profile": "dehua-2024", "category": "marginal_at_risk", "below_range": True, "per_capita_net_income": "15000.00"}, profile="dehua-2024", as_of="2024-06-01")
h = base(wage="50000"); h["housing_grade"] = "C"
case("minhou_range_10560", h, {"profile": "minhou-2023", "category": None, "below_range": False}, profile="minhou-2023")

# --- data quality and bad inputs
h = base(); h["members"][0]["id_number"] = "110105194912310021"
case("bad_id_check_digit", h, {"invalid_fields": ["members[0].id_number"]})
h = base(); h["members"][0]["id_number"] = "11010519491231002X"
case("id_birth_date_mismatch", h, {"invalid_fields": ["members[0].birth_date"]})
h = base(); h["members"][0]["id_number"] = "11010519491231002X"; h["members"][0]["birth_date"] = "1949-12-31"
case("id_valid_and_consistent", h, {"invalid_fields": []})
h = base(); h["phone"] = "12345"
case("bad_phone", h, {"invalid_fields": ["phone"]})
h = base(); h["income"][0]["amount"] = "-5"
case("negative_amount", h, {"invalid_fields": ["income[0].amount"]})
h = base(); h["members"] = []
case("no_members", h, {"invalid_fields": ["members"], "per_capita_net_income": None, "below_range": False})
h = base(); h["housing_grade"] = "unknown"; del h["water"]
case("missing_answers_are_findings", h, {"data_quality_present": ["housing_unknown", "water_unknown"], "invalid_fields": []})
h = base(); h["bogus"] = 1
case("unknown_field_is_rejected", h, {"parse_error": True})
h = base(); h["income"][0]["amount"] = "1.234"
case("too_many_decimals_rejected", h, {"parse_error": True})
h = base(); h["income"][0]["amount"] = "1.2万"
case("amount_typed_like_a_person", h, {"per_capita_net_income": "5500.00"})

os.makedirs("cases", exist_ok=True)
for f in os.listdir("cases"):
    if f.endswith(".json"):
        os.remove(os.path.join("cases", f))
for name, c in cases.items():
    with open(os.path.join("cases", name + ".json"), "w", encoding="utf-8") as fh:
        json.dump(c, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
print(len(cases), "cases")
