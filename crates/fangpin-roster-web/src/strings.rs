//! Every string of the roster page, in both languages, by key (the page's script places them).

use serde_json::{Map, Value};

const STRINGS: &[(&str, &str, &str)] = &[
    ("title", "筛查名单", "Screen a roster"),
    ("lang_switch", "English", "中文"),
    (
        "intro",
        "把乡镇或部门的名单放进来，这里逐户算出人均纯收入，找出返贫致贫风险，说明每一条的依据。",
        "Put in a township's or a department's roster: each household's per-capita net income is worked out, its risks found, and each conclusion explained.",
    ),
    (
        "what_is",
        "这叫“部门筛查预警”：民政、医保、教育、人社等部门的数据里，收入低、开支大或有重点人群的户，由乡镇和村核实、走访。",
        "This is 部门筛查预警 (screening departments' data): households the departments' data show with low income, heavy spending or key groups are checked and visited by the township and village.",
    ),
    (
        "privacy",
        "名单只在这台设备上计算，不会上传，也不会保存。关掉页面，名单就不在了。",
        "The roster is worked on this device only: it is not uploaded and not stored. Close the page and it is gone.",
    ),
    ("format_title", "名单的样子", "What the roster looks like"),
    (
        "format_help",
        "每位家庭成员一行；同一户的各行挨在一起，户编号相同。户的收入、村名等写在这一户的第一行就行。可以是 Excel 另存的 CSV（UTF-8 或 GBK 都行），也可以直接用 .xlsx 文件。",
        "One row per household member; a household's rows follow each other with the same household number. Household facts (incomes, the village) need only be on its first row. A CSV saved from Excel (UTF-8 or GBK) or the .xlsx file itself.",
    ),
    ("template", "下载名单模板（CSV）", "Download the template (CSV)"),
    ("template_xlsx", "下载名单模板（Excel）", "Download the template (Excel)"),
    ("choose_file", "选择名单文件", "Choose the roster file"),
    ("reading", "正在读文件…", "Reading the file…"),
    ("loading", "正在准备…", "Getting ready…"),
    ("encoding_gb18030", "这个文件不是 UTF-8 编码，已按 GBK（GB18030）读出。", "This file is not UTF-8; it was read as GBK (GB18030)."),
    (
        "encoding_utf-16le",
        "这个文件是 UTF-16 编码（Excel 的“Unicode 文本”），已读出。",
        "This file is UTF-16 (Excel's “Unicode text”); it was read as such.",
    ),
    ("encoding_utf-16be", "这个文件是 UTF-16 编码，已读出。", "This file is UTF-16; it was read as such."),
    (
        "encoding_utf-8-replaced",
        "这个文件里有几个看不懂的字节，用 � 代替了；有这些字节的格子会被当作有问题。",
        "A few bytes of this file could not be read and show as �; the cells with them count as problems.",
    ),
    (
        "worker_failed",
        "处理名单时出错了（文件可能太大）。已重新准备，请再选一次文件。",
        "Something went wrong while handling the roster (the file may be too large). The page is ready again: please choose the file once more.",
    ),
    (
        "error_read",
        "读不了这个文件。请在 Excel 里“另存为”CSV 或 xlsx 再试。",
        "This file cannot be read. Please save it from Excel as CSV or xlsx and try again.",
    ),
    ("mapping_title", "核对每一列", "Check each column"),
    (
        "mapping_help",
        "下面这些列是按表头认出来的。认错的或没认出的，请在“读作”里改。不读的列不会用到。",
        "The columns below were recognised by their headers. Change “Read as” where one is wrong or missing. Columns not read are not used.",
    ),
    ("col_header", "名单里的列", "Column in the roster"),
    ("col_examples", "前几行", "First rows"),
    ("col_field", "读作", "Read as"),
    ("not_read", "不读这一列", "Do not read"),
    ("member_field", "（每位成员）", "(each member)"),
    ("household_field", "（每户）", "(each household)"),
    ("county", "县（市）", "County"),
    ("as_of", "排查日期", "Screening date"),
    ("range_line", "监测范围", "Monitoring range"),
    ("yuan_year", "元/人·年", "yuan per person per year"),
    ("provisional", "暂定", "provisional"),
    ("start", "开始筛查", "Screen the roster"),
    ("screening", "正在筛查…", "Screening…"),
    ("screened", "已筛查", "Screened"),
    ("households", "户", "households"),
    ("household", "户", "household"),
    ("rows", "行", "rows"),
    ("row", "行", "row"),
    ("kept_aside_title", "有问题、放在一边的户", "Households kept aside"),
    ("no_id_rows", "另有 {n} 行没有户编号", "{n} rows without a household number"),
    ("no_id_row", "另有 1 行没有户编号", "1 row without a household number"),
    ("no_id", "没有户编号的行", "Rows without a household number"),
    ("row_no_id", "行没有户编号", "row without a household number"),
    ("rows_no_id", "行没有户编号", "rows without a household number"),
    (
        "kept_aside_help",
        "这些户有看不懂的格子，没有筛查。请改好名单再放进来，或把这张表交给录入的人。",
        "These households have cells that cannot be read and were not screened. Please correct the roster and put it in again, or give this list to whoever entered it.",
    ),
    ("kept_aside_more", "只列出前 200 户，全部请导出。", "Only the first 200 are listed; export them all."),
    ("results_title", "筛查结果", "Results"),
    ("summary_title", "各村情况", "By village"),
    ("list_label", "各户的结果", "Each household's result"),
    ("village", "村", "Village"),
    ("th_households", "户数", "Households"),
    ("members", "人数", "Members"),
    ("below_count", "低于监测范围", "Below the range"),
    ("filter_outcome", "结论", "Outcome"),
    ("all", "全部", "All"),
    ("filter_risk", "风险", "Risk"),
    ("any_risk", "有任何风险", "Any risk"),
    ("key_group", "重点群体（要逐户排查）", "Key groups (to visit)"),
    ("filter_village", "村", "Village"),
    ("below_only", "只看低于监测范围的", "Only below the range"),
    ("search", "搜索户编号、户主或村", "Search household number, head or village"),
    ("sort", "排序", "Order"),
    ("th_row", "行号", "Row"),
    ("th_id", "户编号", "Household"),
    ("th_head", "户主", "Head"),
    ("th_per_capita", "人均纯收入（元）", "Per capita (yuan)"),
    ("th_gap", "差额（元/人）", "Gap (yuan/person)"),
    ("th_outcome", "结论", "Outcome"),
    ("th_risks", "风险", "Risks"),
    ("open", "查看", "Open"),
    ("showing", "显示", "Showing"),
    ("of", "户，共", "of"),
    ("more", "再显示 50 户", "Show 50 more"),
    ("none_match", "没有符合条件的户。", "No household matches."),
    ("export_flagged", "导出要走访的户（CSV）", "Export the households to visit (CSV)"),
    (
        "export_flagged_help",
        "导出当前筛选出的户中，除“暂无风险”以外的全部户，用 Excel 打开。",
        "Exports every household of the current selection except those with no risk, for Excel.",
    ),
    ("export_errors", "导出有问题的行（CSV）", "Export the rows with problems (CSV)"),
    ("copied", "已复制。可以粘贴到 Excel 或微信里。", "Copied. You can paste it into Excel or WeChat."),
    ("copy_here", "下载不了，请长按下面的文字全选复制：", "The download did not work; select and copy the text below:"),
    ("back", "返回列表", "Back to the list"),
    (
        "detail_help",
        "这一户按名单里的情况算出的结果，和村民自测看到的一样。这是筛查，不是认定；是否纳入监测，以村、乡镇核实为准。",
        "This household's result from the roster, as a villager's own self-check shows it. It is a screening, not a decision: the village and township check and decide.",
    ),
    ("remap", "重新核对列", "Check the columns again"),
    ("took", "用时", "Took"),
    ("seconds", "秒", "s"),
];

/// The page's strings in `lang` (`"en"` or Chinese), by key.
pub fn strings(lang: &str) -> Value {
    let en = lang == "en";
    let mut m = Map::new();
    for (k, zh, e) in STRINGS {
        m.insert((*k).to_string(), Value::from(if en { *e } else { *zh }));
    }
    m.insert(
        "sorts".into(),
        fangpin_roster::table::Sort::ALL.iter().map(|s| serde_json::json!({"code": s.code(), "label": s.label().get(lang)})).collect(),
    );
    m.insert(
        "risks".into(),
        fangpin_core::RiskCode::ALL.iter().map(|c| serde_json::json!({"code": c.code(), "label": c.title().get(lang)})).collect(),
    );
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_string_has_both_languages() {
        for (k, zh, en) in super::STRINGS {
            assert!(!zh.trim().is_empty() && !en.trim().is_empty(), "{k}");
            assert!(
                !en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
                    || *k == "lang_switch"
                    || en.contains("部门筛查预警")
                    || en.contains('《'),
                "{k}: {en}"
            );
        }
        let keys: std::collections::HashSet<&str> = super::STRINGS.iter().map(|(k, _, _)| *k).collect();
        assert_eq!(keys.len(), super::STRINGS.len(), "a key twice");
    }
}
