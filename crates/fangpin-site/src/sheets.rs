//! The 明白纸 as published pages (`sheets/`): for every profile and language, the 申报政策明白纸 and the
//! 帮扶政策明白纸 on A4 and the poster on A3, each with its 一码通 (a QR code opening the self-check for
//! the county, at the address the site was published with: `--site-url`), and an index with the
//! SMS / WeChat text to copy. Plain HTML a browser prints: no app, no wasm.

use fangpin_core::policy::{PolicySet, Profile};
use fangpin_html::paper::{self, Code};
use fangpin_html::{Lang, esc, tr};

/// The folder of the sheets in the site.
pub const DIR: &str = "sheets";

/// The address the 一码通 of `p` opens: the site, with the county chosen.
pub fn code_url(site_url: &str, p: &Profile) -> String {
    let sep = if site_url.contains('?') { '&' } else { '?' };
    format!("{site_url}{sep}county={}", p.region.county.code)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Apply,
    Help,
    Poster,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Apply, Kind::Help, Kind::Poster];
    fn file(self, p: &Profile, l: Lang) -> String {
        let k = match self {
            Kind::Apply => "apply-a4",
            Kind::Help => "help-a4",
            Kind::Poster => "poster-a3",
        };
        format!("{}-{}-{k}.html", p.id, short(l))
    }
    fn title(self, l: Lang) -> &'static str {
        match self {
            Kind::Apply => tr(l, "申报政策明白纸（A4）", "How to apply (A4)"),
            Kind::Help => tr(l, "帮扶政策明白纸（A4）", "The help available (A4)"),
            Kind::Poster => tr(l, "张贴海报（A3）", "Notice-board poster (A3)"),
        }
    }
}

fn short(l: Lang) -> &'static str {
    match l {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

fn document(l: Lang, title: &str, css: Option<&str>, body: &str) -> String {
    let css = css.map(|c| format!("<link rel=\"stylesheet\" href=\"../{}\">\n", esc(c))).unwrap_or_default();
    let lang = if l == Lang::Zh { "zh-CN" } else { "en" };
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<link rel=\"icon\" href=\"data:,\">\n{css}<script type=\"module\" src=\"../sheet.js\"></script>\n</head>\n\
         <body class=\"fp-root fp-paper-page\">\n{body}\n</body>\n</html>\n",
        esc(title)
    )
}

/// The sheets of every profile of `set`: (path in the site, page). `css` is the site's stylesheet;
/// `site_url` the address the 一码通 opens (none: the sheets say it was not set).
pub fn render(set: &PolicySet, css: Option<&str>, site_url: Option<&str>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut index = String::new();
    index.push_str("<main class=\"fp-app fp-sheets-index\">\n<h1>明白纸：打印、张贴、转发 <span lang=\"en\">Policy sheets: print, post, share</span></h1>\n");
    index.push_str(&format!(
        "<p>{}</p><p lang=\"en\">{}</p>\n",
        esc("每个县（市）每年的申报政策明白纸、帮扶政策明白纸（A4，入户发放）和张贴海报（A3，贴在村务公开栏）。打开后点“打印”，或用浏览器的打印；每张一页。下面还有发短信、发微信用的文字。"),
        esc("For each county and year: the application and assistance sheets (A4, for handing out) and the poster (A3, for the notice board). Open one and tap Print, or use the browser's print; one page each. Below each: the text for an SMS or a WeChat push.")
    ));
    // The county the site opens with first, then the others as the set has them.
    let mut profiles: Vec<&Profile> = set.profiles.iter().collect();
    profiles.sort_by_key(|p| p.region.county.code != set.default_county);
    for p in profiles {
        let url = site_url.map(|u| code_url(u, p));
        let svg = url.as_deref().and_then(|u| fangpin_html::qr::svg(u, "一码通 QR code"));
        let code = match (&url, &svg) {
            (Some(u), Some(s)) => Some(Code { url: u, svg: s }),
            _ => None,
        };
        index.push_str(&format!("<section class=\"fp-card\" data-profile=\"{}\">\n<h2>{}</h2>\n", esc(&p.id), esc(p.name.get("zh"))));
        for l in [Lang::Zh, Lang::En] {
            index.push_str(&format!("<p lang=\"{}\">", short(l)));
            for k in Kind::ALL {
                let file = k.file(p, l);
                let sheet = match k {
                    Kind::Apply => paper::apply_sheet(p, l, code.as_ref()),
                    Kind::Help => paper::help_sheet(p, l, code.as_ref()),
                    Kind::Poster => paper::poster(p, l, code.as_ref()),
                };
                let bar = format!(
                    "<p class=\"fp-noprint fp-paper-bar\"><a href=\"./\">{}</a> <button type=\"button\" class=\"fp-button fp-primary\" data-sheet-print=\"\">{}</button></p>\n",
                    esc(tr(l, "← 全部明白纸", "← All sheets")),
                    esc(tr(l, "打印", "Print"))
                );
                let title = format!("{} · {}", p.name.get(l.code()), k.title(l));
                out.push((format!("{DIR}/{file}"), document(l, &title, css, &format!("<main>\n{bar}{sheet}\n</main>"))));
                index.push_str(&format!(
                    "<a class=\"fp-button\" href=\"{}\" data-sheet=\"{}\">{}</a> ",
                    esc(&file),
                    esc(&file),
                    esc(k.title(l))
                ));
            }
            index.push_str("</p>\n");
            let text = paper::push_text(p, l, url.as_deref());
            let id = format!("fp-push-{}-{}", p.id, short(l));
            index.push_str(&format!(
                "<label for=\"{id}\">{}</label>\n<textarea id=\"{id}\" class=\"fp-copytext\" readonly rows=\"4\" data-push=\"{}\">{}</textarea>\n\
                 <p><button type=\"button\" class=\"fp-button fp-small\" data-copy=\"{id}\">{}</button> <span role=\"status\" data-copied=\"{id}\"></span></p>\n",
                esc(tr(l, "发短信、发微信用的文字", "Text for an SMS or WeChat")),
                short(l),
                esc(&text),
                esc(tr(l, "复制", "Copy"))
            ));
        }
        index.push_str("</section>\n");
    }
    // The township's other tool, beside the sheets they hand out.
    index.push_str(&format!(
        "<section class=\"fp-card\">\n<h2>{} <span lang=\"en\">{}</span></h2>\n<p>{}</p><p lang=\"en\">{}</p>\n\
         <p><a class=\"fp-button\" href=\"../roster.html\" data-testid=\"roster-link\">{}</a> <a class=\"fp-button\" href=\"../roster.html?lang=en\" lang=\"en\">{}</a></p>\n</section>\n",
        esc("筛查名单（部门筛查预警）"),
        esc("Screen a roster"),
        esc("乡镇或部门的名单（Excel 的 CSV 或 xlsx），在这台设备上逐户筛查：人均纯收入、风险、可能的类别，每一条都说明依据。名单不会上传。"),
        esc("A township's or a department's roster (CSV or xlsx from Excel), screened household by household on this device: per-capita income, risks, the likely category, each explained. The roster is not uploaded."),
        esc("打开筛查名单"),
        esc("Open in English")
    ));
    index.push_str("</main>");
    out.push((format!("{DIR}/index.html"), document(Lang::Zh, "明白纸 · Policy sheets", css, &index)));
    out
}
