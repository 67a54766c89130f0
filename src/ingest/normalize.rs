//! Value normalisation shared by every reader: what "the same text" means.
//!
//! - [`clean`]: trim (including U+3000, U+00A0 and a stray BOM), full-width
//!   digits and Latin letters to half-width. Returns the input unchanged
//!   (borrowed) when there is nothing to do, which is the common case.
//! - [`unify_dots`]: the middle dots of minority names (`·` `•` `・` `‧` `.`)
//!   become `·` (U+00B7). Applied to names only.
//! - [`header_key`]: how headers are compared — cleaned, spaces removed,
//!   bracketed units removed, `*` markers removed, lower-cased.

use std::borrow::Cow;

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}' || c == '\u{200b}'
}

fn is_fullwidth_alnum(c: char) -> bool {
    matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ')
}

/// Maps one full-width ASCII-range character (U+FF01–U+FF5E) to half-width.
pub fn halfwidth(c: char) -> char {
    match c {
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Trims and converts full-width digits and letters to half-width.
pub fn clean(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s.trim_ascii());
    }
    let trimmed = s.trim_matches(is_space);
    // Full-width forms (U+FF01–U+FF5E) all start with the byte 0xEF in UTF-8.
    if !trimmed.as_bytes().contains(&0xef) || !trimmed.chars().any(is_fullwidth_alnum) {
        return Cow::Borrowed(trimmed);
    }
    Cow::Owned(
        trimmed
            .chars()
            .map(|c| {
                if is_fullwidth_alnum(c) {
                    halfwidth(c)
                } else {
                    c
                }
            })
            .collect(),
    )
}

/// Converts every full-width ASCII-range character, punctuation included:
/// for parsing numbers and dates (`２８０．００`, `２０２６－１１`), never for
/// text that is shown back to the user.
pub fn halfwidth_all(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().map(halfwidth).collect())
}

/// `'` or `=""`: what is left of an empty cell that was marked as text for
/// Excel. Such a cell is empty.
pub fn is_empty_mark(s: &str) -> bool {
    s == "'" || s == "=\"\""
}

const DOTS: [char; 7] = ['·', '•', '・', '‧', '.', '･', '∙'];

/// Unifies the middle dots of a name to `·`.
pub fn unify_dots(s: &str) -> Cow<'_, str> {
    if !s.contains(|c| DOTS.contains(&c) && c != '·') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| if DOTS.contains(&c) { '·' } else { c })
            .collect(),
    )
}

/// A unit named by a header (`金额(分)`) or a title row (`单位：元`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnitMark {
    Yuan,
    Fen,
    /// A unit of money that is neither (`万元`, `角`, `美元`), as written.
    Other(String),
}

/// The unit a word names: `元`, `人民币元`, `yuan`, `元/月` (per month) →
/// yuan; `分`, `fen` → fen; `万元`, `角`, … → other; `None` when the word
/// is not a unit of money (`实发`, `必填`, `人`).
fn unit_word(word: &str) -> Option<UnitMark> {
    let w = word.trim_matches(is_space);
    let w = w
        .strip_prefix("单位")
        .or_else(|| w.strip_prefix("unit"))
        .or_else(|| w.strip_prefix("Unit"))
        .map_or(w, |r| r.trim_start_matches([':', '：', ' ']));
    // `元/月`, `元/人·月`: the unit is before the slash.
    let w = w
        .split(['/', '／'])
        .next()
        .unwrap_or(w)
        .trim_matches(is_space);
    let lower = w.to_lowercase();
    Some(match lower.as_str() {
        "元" | "人民币元" | "人民币" | "yuan" | "rmb" | "cny" | "¥" | "￥" => {
            UnitMark::Yuan
        }
        "分" | "人民币分" | "fen" => UnitMark::Fen,
        "万元" | "千元" | "百元" | "十元" | "角" | "毛" | "万" | "千" | "美元" | "港元" | "usd"
        | "hkd" | "$" | "cents" => UnitMark::Other(w.to_string()),
        _ => return None,
    })
}

/// `单位：分` inside `s` (a colon is optional): the unit and where `单位` starts.
fn unit_label(s: &str) -> Option<(usize, UnitMark)> {
    // Every `单位` in the text is looked at: in `编制单位：城关街道 金额单位：分`
    // the first is an organisation, the second the unit.
    s.match_indices("单位").find_map(|(at, label)| {
        let rest = s[at + label.len()..]
            .trim_start_matches(|c: char| c == ':' || c == '：' || is_space(c));
        let word: String = rest
            .chars()
            .take_while(|&c| {
                !is_space(c)
                    && !matches!(
                        c,
                        '(' | ')' | '（' | '）' | '[' | ']' | '【' | '】' | ',' | '，' | ';' | '；'
                    )
            })
            .collect();
        unit_word(&word).map(|u| (at, u))
    })
}

#[cfg(test)]
mod unit_label_tests {
    use super::*;

    #[test]
    fn the_unit_after_an_organisation_named_unit() {
        assert_eq!(
            unit_label("编制单位：城关街道 金额单位：分").map(|(_, u)| u),
            Some(UnitMark::Fen)
        );
        assert_eq!(unit_label("编制单位：城关街道"), None);
    }
}

/// The unit a header names: in brackets (`金额(分)`, `金额（元）`, `[分]`,
/// `【元】`, `(单位：分)`, `Amount (fen)`, `核定低保金(元/月)`) or after
/// `单位` (`交易金额 单位：分`). `None` when it names none.
pub fn header_unit(header: &str) -> Option<UnitMark> {
    let half: String = header.chars().map(halfwidth).collect();
    let mut depth = 0u32;
    let mut inner = String::new();
    for c in half.chars() {
        match c {
            '(' | '[' | '【' | '〔' => {
                depth += 1;
                inner.clear();
            }
            ')' | ']' | '】' | '〕' => {
                depth = depth.saturating_sub(1);
                if let Some(u) = unit_word(&inner) {
                    return Some(u);
                }
                inner.clear();
            }
            c if depth > 0 => inner.push(c),
            _ => {}
        }
    }
    unit_label(&half).map(|(_, u)| u)
}

/// The unit a title row's cell names: `单位：元`, `金额单位：分`. `None`
/// for any other cell (`制表单位：城关街道`).
pub fn title_unit(cell: &str) -> Option<UnitMark> {
    unit_label(&halfwidth_all(cell)).map(|(_, u)| u)
}

/// The key a header is matched by: `金 额（元）` → `金额`, `Amount` → `amount`,
/// `交易金额 单位：分` → `交易金额`.
pub fn header_key(s: &str) -> String {
    let s = match unit_label(s) {
        Some((at, _)) => &s[..at],
        None => s,
    };
    let mut out = String::with_capacity(s.len());
    let mut depth = 0u32;
    for c in s.chars().map(halfwidth) {
        match c {
            '(' | '[' | '【' | '〔' => depth += 1,
            ')' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if is_space(c) || c == '*' || c == '★' || c == ':' || c == '：' => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_trims_every_space_and_halves_digits() {
        assert_eq!(clean("\u{3000} 张三\u{a0}"), "张三");
        assert_eq!(clean("１２３ＡＢＣｘ"), "123ABCx");
        assert_eq!(clean("（注）"), "（注）");
        assert!(matches!(clean("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn dots_unified() {
        assert_eq!(unify_dots("买买提.艾力"), "买买提·艾力");
        assert_eq!(unify_dots("阿依古丽•买买提"), "阿依古丽·买买提");
        assert_eq!(unify_dots("阿依古丽・买买提"), "阿依古丽·买买提");
        assert_eq!(unify_dots("张三"), "张三");
    }

    #[test]
    fn header_keys() {
        assert_eq!(header_key("金额(元)"), "金额");
        assert_eq!(header_key("金 额"), "金额");
        assert_eq!(header_key("Amount"), "amount");
        assert_eq!(header_key("身份证号　"), "身份证号");
        assert_eq!(header_key("核定低保金（元）"), "核定低保金");
        assert_eq!(header_key("*姓名"), "姓名");
        assert_eq!(header_key("household_id"), "household_id");
        assert_eq!(header_key("交易金额 单位：分"), "交易金额");
        assert_eq!(header_key("金额单位:元"), "金额");
        assert_eq!(header_key("单位名称"), "单位名称");
    }

    #[test]
    fn units_in_headers_and_titles() {
        use UnitMark::*;
        let cases: [(&str, Option<UnitMark>); 16] = [
            ("交易金额(分)", Some(Fen)),
            ("交易金额（分）", Some(Fen)),
            ("金额[分]", Some(Fen)),
            ("金额【元】", Some(Yuan)),
            ("金额 单位：分", Some(Fen)),
            ("金额单位:元", Some(Yuan)),
            ("金额(单位：分)", Some(Fen)),
            ("核定低保金（元/月）", Some(Yuan)),
            ("Amount (fen)", Some(Fen)),
            ("Amount (Yuan)", Some(Yuan)),
            ("金额(万元)", Some(Other("万元".into()))),
            ("金额(实发)", None),
            ("金额", None),
            ("保障人数(人)", None),
            ("金额（ 分 ）", Some(Fen)),
            ("金额(必填)(分)", Some(Fen)),
        ];
        for (header, unit) in cases {
            assert_eq!(header_unit(header), unit, "{header}");
        }
        assert_eq!(title_unit("单位：分"), Some(Fen));
        assert_eq!(title_unit("金额单位：元"), Some(Yuan));
        assert_eq!(title_unit("制表单位：城关街道民政办"), None);
        assert_eq!(title_unit("2026年11月低保金发放表"), None);
    }
}
