//! The 明白纸 on paper, from every shipped profile, in both languages: what each must carry.

use fangpin_core::policy::embedded_profiles;
use fangpin_core::vocabulary::Category;
use fangpin_html::Lang;
use fangpin_html::paper::{Code, apply_sheet, help_sheet, poster, push_text};

const URL: &str = "https://fp.example.gov.cn/?county=350481";

fn code_svg() -> String {
    fangpin_html::qr::svg(URL, "QR").expect("a code")
}

#[test]
fn the_application_sheet_has_the_range_the_three_categories_every_channel_and_number_and_the_code() {
    let svg = code_svg();
    for p in embedded_profiles() {
        for l in [Lang::Zh, Lang::En] {
            let c = l.code();
            let html = apply_sheet(p, l, Some(&Code { url: URL, svg: &svg }));
            assert!(html.contains(&p.monitoring_range.amount.display_yuan()), "{}: the range", p.id);
            for cat in [Category::UnstableFormerlyPoor, Category::MarginalAtRisk, Category::SuddenHardship] {
                assert!(html.contains(&format!("data-category=\"{}\"", cat.code())), "{}: {cat:?}", p.id);
                assert!(html.contains(cat.label().get(c)));
            }
            for ch in p.offered_channels() {
                assert!(html.contains(&fangpin_html::esc(ch.name.get(c))), "{}: channel {:?}", p.id, ch.kind);
            }
            for h in &p.hotlines {
                assert!(html.contains(&h.number), "{}: {}", p.id, h.number);
            }
            assert!(html.contains("data-testid=\"paper-qr\"") && html.contains(&format!("data-url=\"{}\"", fangpin_html::esc(URL))));
            // A provisional range says so on paper.
            assert_eq!(
                html.contains("data-provisional=\"true\""),
                p.monitoring_range.provenance.provisional || p.hotlines.iter().any(|h| h.provenance.provisional),
                "{}",
                p.id
            );
            // The address under the code wraps only after a slash or before `?`/`=`, never in
            // the host or the county code.
            assert!(html.contains("https:/<wbr>/<wbr>fp.example.gov.cn/<wbr><wbr>?county<wbr>=350481"), "{}", p.id);
            // A provisional range carries the profile's own words on whose figure prevails.
            if let Some(note) = p.monitoring_range.screen_note.as_ref().filter(|_| p.monitoring_range.provenance.provisional) {
                let words = note.get(c).trim_end_matches(['。', '.']);
                assert!(html.contains(&fangpin_html::esc(words)), "{}: {words}", p.id);
            }
            assert!(!html.contains("县里"), "{}: a city is no 县", p.id);
            // Without a configured address: no code; the paper tells the reader where to ask, and
            // only the screen tells whoever prints it how to add one.
            let bare = apply_sheet(p, l, None);
            assert!(!bare.contains("<svg") && bare.contains("paper-no-qr"));
            let printed = bare.split("data-testid=\"paper-no-qr-note\"").next().unwrap_or_default();
            assert!(!printed.contains("publish-policy"), "{}: a command on the paper", p.id);
            assert!(bare.contains("class=\"fp-notice fp-noprint\" data-testid=\"paper-no-qr-note\""));
        }
    }
}

#[test]
fn the_assistance_sheet_has_a_row_per_measure_with_who_qualifies_and_where_to_ask() {
    for p in embedded_profiles() {
        for l in [Lang::Zh, Lang::En] {
            let c = l.code();
            let html = help_sheet(p, l, None);
            for m in &p.measures {
                assert!(html.contains(&format!("data-measure=\"{}\"", m.id)), "{}: {}", p.id, m.id);
                assert!(html.contains(&fangpin_html::esc(m.office.get(c))), "{}: {} office", p.id, m.id);
                if let Some(phone) = &m.phone {
                    assert!(html.contains(phone.as_str()));
                }
                assert!(!fangpin_html::paper::who_qualifies(m, p, l).is_empty());
            }
            let marked = html.matches("data-provisional=\"true\"").count();
            let provisional = p.measures.iter().filter(|m| m.provenance.provisional).count()
                + p.hotlines.iter().filter(|h| h.provenance.provisional).count();
            assert_eq!(marked, provisional, "{}: every provisional measure and number is marked", p.id);
        }
    }
}

#[test]
fn the_push_text_is_short_plain_and_carries_the_range_the_link_and_the_numbers() {
    for p in embedded_profiles() {
        let zh = push_text(p, Lang::Zh, Some(URL));
        assert!(zh.contains(&p.monitoring_range.amount.display_yuan()) && zh.contains(URL));
        assert!(p.hotlines.iter().all(|h| zh.contains(&h.number)));
        assert_eq!(zh.contains("（暂定）"), p.monitoring_range.provenance.provisional);
        assert!(zh.chars().count() <= 200, "{} chars: {zh}", zh.chars().count());
        let en = push_text(p, Lang::En, None);
        assert!(!en.contains("http") && en.contains("yuan"));
        // The poster names the same range and carries the code.
        let svg = code_svg();
        assert!(poster(p, Lang::Zh, Some(&Code { url: URL, svg: &svg })).contains("<svg"));
    }
}
