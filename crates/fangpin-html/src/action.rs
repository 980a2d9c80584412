//! What a control in the HTML text does (`data-action`). The start page and the app read the
//! attribute back as this enum, so an action is spelt once and a typo does not compile.

/// Every control of the page's HTML text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Switch the language.
    Lang,
    /// Switch 适老化 large-text mode.
    Care,
    /// Close the notice at the top.
    NoticeClose,
    /// The profile picker (acts on "change").
    Profile,
    /// 开始自测.
    Start,
    /// 清除本机数据: ask, keep, confirm.
    ClearAsk,
    ClearKeep,
    ClearConfirm,
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::Lang,
        Action::Care,
        Action::NoticeClose,
        Action::Profile,
        Action::Start,
        Action::ClearAsk,
        Action::ClearKeep,
        Action::ClearConfirm,
    ];

    /// The attribute's value.
    pub const fn name(self) -> &'static str {
        match self {
            Action::Lang => "lang",
            Action::Care => "care",
            Action::NoticeClose => "notice-close",
            Action::Profile => "profile",
            Action::Start => "start",
            Action::ClearAsk => "clear-ask",
            Action::ClearKeep => "clear-keep",
            Action::ClearConfirm => "clear-confirm",
        }
    }

    /// The CSS selector of its controls (to give one the focus).
    pub const fn selector(self) -> &'static str {
        match self {
            Action::Lang => "[data-action=lang]",
            Action::Care => "[data-action=care]",
            Action::NoticeClose => "[data-action=notice-close]",
            Action::Profile => "[data-action=profile]",
            Action::Start => "[data-action=start]",
            Action::ClearAsk => "[data-action=clear-ask]",
            Action::ClearKeep => "[data-action=clear-keep]",
            Action::ClearConfirm => "[data-action=clear-confirm]",
        }
    }

    pub fn parse(s: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == s)
    }

    /// The `data-action` attribute, for the HTML builder.
    pub const fn attr(self) -> (&'static str, &'static str) {
        ("data-action", self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back_and_selectors_name_them() {
        for a in Action::ALL {
            assert_eq!(Action::parse(a.name()), Some(a));
            assert_eq!(a.selector(), format!("[data-action={}]", a.name()));
        }
        assert_eq!(Action::parse("nothing"), None);
    }
}
