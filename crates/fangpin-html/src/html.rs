//! An HTML fragment builder that escapes every text and attribute value.

use std::fmt::Write as _;

use crate::lang::{Lang, tr};
use fangpin_core::assessment::{ClauseRef, Figure, SourceRef};
use fangpin_core::text::Text;

/// An HTML fragment under construction.
#[derive(Default)]
pub struct Html(pub String);

/// Escapes text for element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

impl Html {
    pub fn new() -> Self {
        Html(String::new())
    }
    /// `<tag attr="value" …>`; attribute values are escaped.
    pub fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.0.push('<');
        self.0.push_str(tag);
        for (k, v) in attrs {
            let _ = write!(self.0, " {k}=\"{}\"", esc(v));
        }
        self.0.push('>');
        self
    }
    pub fn close(&mut self, tag: &str) -> &mut Self {
        let _ = write!(self.0, "</{tag}>");
        self
    }
    /// Escaped text.
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.0.push_str(&esc(s));
        self
    }
    /// `<tag attrs>text</tag>`.
    pub fn el(&mut self, tag: &str, attrs: &[(&str, &str)], s: &str) -> &mut Self {
        self.open(tag, attrs).text(s).close(tag)
    }
    /// `<p><strong>label</strong>text</p>`.
    pub fn labelled(&mut self, label: &str, s: &str) -> &mut Self {
        self.open("p", &[]).el("strong", &[], label).text(s).close("p")
    }
    /// `<a class="fp-tel" href="tel:…">number</a>`.
    pub fn tel(&mut self, number: &str) -> &mut Self {
        self.el("a", &[("class", "fp-tel"), ("href", &format!("tel:{number}"))], number)
    }

    /// "为什么" — the rule in words, the figures it used (each marked when provisional, with why), the
    /// policy clause, its source (document, number, date; a mirror or a second-hand source said so),
    /// and an honest "provisional" note when the profile marks the clause so.
    pub fn why(
        &mut self,
        l: Lang,
        clause: &ClauseRef,
        rule: Option<&Text>,
        figures: &[Figure],
        summary: Option<(&str, &str)>,
    ) -> &mut Self {
        let code = l.code();
        let (sz, se) = summary.unwrap_or(("为什么？", "Why?"));
        self.open("details", &[("class", "fp-why")]).el("summary", &[], if l == Lang::Zh { sz } else { se });
        self.open("div", &[("class", "fp-why-body")]);
        if let Some(r) = rule {
            self.labelled(tr(l, "规则：", "Rule: "), r.get(code));
        }
        for f in figures {
            self.open("p", &[("class", "fp-figure-used"), ("data-provisional", if f.clause.provisional { "true" } else { "false" })]);
            self.el("strong", &[], &format!("{}{}", f.name.get(code), tr(l, "：", ": "))).text(&f.value);
            if f.clause.provisional {
                self.text(" ").el("span", &[("class", "fp-tag fp-tag-provisional")], tr(l, "暂定", "provisional"));
                if let Some(r) = &f.clause.provisional_reason {
                    self.text(" ").text(r.get(code));
                }
            }
            self.close("p");
        }
        if let Some(c) = &clause.clause {
            self.labelled(tr(l, "政策原文：", "Policy text: "), c.get(code));
        }
        if let Some(s) = &clause.source {
            self.source(l, s);
        }
        if clause.provisional {
            let reason = clause.provisional_reason.as_ref().map(|r| r.get(code).to_string()).unwrap_or_else(|| {
                tr(
                    l,
                    "这个标准还没有找到当地公布的依据，以当地公布的为准。",
                    "No local published basis has been found yet; the local rule prevails.",
                )
                .to_string()
            });
            self.open("p", &[("class", "fp-provisional")]).el("strong", &[], tr(l, "暂定：", "Provisional: ")).text(&reason).close("p");
        }
        self.close("div").close("details")
    }

    /// A source as cited: title, number, date; whether we hold it, copy it from a mirror, or know it
    /// only from another document; and its note.
    pub fn source(&mut self, l: Lang, s: &SourceRef) -> &mut Self {
        let number = s.document_number.as_deref().map(|n| format!(" {n}")).unwrap_or_default();
        let date = s.date.map(|d| format!(" {d}")).unwrap_or_default();
        self.open("p", &[("class", "fp-source")]).el("strong", &[], tr(l, "来源：", "Source: ")).el(
            "span",
            &[("lang", "zh-CN")],
            &format!("《{}》{number}{date}", s.title),
        );
        if s.mirror {
            self.text(" ").el("span", &[("class", "fp-tag")], tr(l, "镜像网页", "mirror copy"));
        }
        if let Some(k) = &s.known_from {
            self.text(tr(l, "（本工具没有收录原文，见于《", " (not held by this tool; named in 《")).text(k).text(tr(l, "》）", "》)"));
        }
        if let Some(n) = &s.note {
            self.text(" ").el("span", &[("class", "fp-muted")], n.get(l.code()));
        }
        self.close("p")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        let mut h = Html::new();
        h.el("p", &[("data-x", "a\"b")], "<script>&");
        assert_eq!(h.0, "<p data-x=\"a&quot;b\">&lt;script&gt;&amp;</p>");
    }
}
