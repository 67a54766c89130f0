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

/// The key a header is matched by: `金 额（元）` → `金额`, `Amount` → `amount`.
pub fn header_key(s: &str) -> String {
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
    }
}
