//! Recognising totals and trailer rows, and reading the figures they state.
//!
//! A row is a totals row when it names no household (see
//! [`crate::ingest::Columns`]) and either its first non-blank cell carries a
//! totals word anywhere (`合计`, `总计`, `共计`, `小计`, `累计`, `Total`:
//! `本页合计`, `和平社区小计`, `Grand Total`), or starts a bank trailer
//! (`共2笔`, `总笔数：35`, `总金额：18650.00`), or any cell is a totals word
//! on its own (`合计`, `合 计`, `合计：36户`). `小计` closes a group,
//! `本页合计` a page; everything else closes the table.
//!
//! Figures are read only where they are unambiguous: `N户`, `N笔` (a count
//! of data rows), `N人` (persons), and labelled ones (`总笔数：3`,
//! `总户数 3`, `总人数：5`, `总金额：990.00`).

use super::TotalsScope;
use super::normalize::{clean, halfwidth_all};

const WORDS: [&str; 5] = ["合计", "总计", "共计", "小计", "累计"];

fn compact(s: &str) -> String {
    halfwidth_all(&clean(s))
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(40)
        .collect()
}

fn scope_of(text: &str) -> TotalsScope {
    if text.contains("本页") {
        TotalsScope::Page
    } else if text.contains("小计") || text.to_lowercase().contains("subtotal") {
        TotalsScope::Subtotal
    } else {
        TotalsScope::Grand
    }
}

/// A cell that is a totals word on its own: `合计`, `合 计`, `合计：36户`,
/// `合计36户`, `Total:`; not `合计发放` or `Totally`.
pub fn totals_word(s: &str) -> Option<TotalsScope> {
    // Most cells are data: decide on the first character before any work.
    let t = match s.as_bytes().first()? {
        b' ' | b'\t' | 0xe3 | 0xc2 => s.trim_start_matches(char::is_whitespace),
        _ => s,
    };
    if !matches!(
        t.chars().next()?,
        '合' | '总' | '共' | '小' | '累' | 't' | 'T' | 'ｔ' | 'Ｔ'
    ) {
        return None;
    }
    let lower = compact(s).to_lowercase();
    for word in WORDS.iter().copied().chain(["totals", "total"]) {
        if let Some(rest) = lower.strip_prefix(word) {
            let next = rest.chars().next();
            if next.is_none_or(|c| {
                !c.is_alphabetic() || c.is_ascii_digit() || matches!(c, '户' | '笔' | '人')
            }) {
                return Some(scope_of(&lower));
            }
        }
    }
    None
}

/// The first non-blank cell of a row as a totals label: a totals word
/// anywhere in it, or a bank trailer's start.
pub fn totals_label(s: &str) -> Option<TotalsScope> {
    let text = compact(s);
    let lower = text.to_lowercase();
    let trailer = ["总笔数", "总户数", "总金额", "笔数", "总人数"]
        .iter()
        .any(|w| lower.starts_with(w))
        || (lower.starts_with('共') && lower[3..].starts_with(|c: char| c.is_ascii_digit()));
    let spaced = clean(s).to_lowercase();
    let word = WORDS.iter().any(|w| lower.contains(w))
        || spaced
            .split(|c: char| !c.is_ascii_alphabetic())
            .any(|w| w == "total" || w == "totals" || w == "subtotal");
    (trailer || word).then(|| scope_of(&lower))
}

/// `36户`, `35笔`, `共2笔`, `合计：36户`: a count and its unit; `None` for
/// anything else (a household number is never a count).
pub fn count_label(s: &str) -> Option<(i64, char)> {
    let text = compact(s);
    let figures = counts_in(&text);
    let digits_and_unit =
        text.trim_end_matches(|c: char| !c.is_ascii_digit() && !matches!(c, '户' | '笔' | '人'));
    (figures.len() == 1 && digits_and_unit.ends_with(['户', '笔', '人'])).then(|| figures[0])
}

/// Every `N户`, `N笔`, `N人` in a text (`合计：36户61人` → 36户, 61人).
pub fn counts_in(s: &str) -> Vec<(i64, char)> {
    let half = halfwidth_all(s);
    let mut out = Vec::new();
    let mut digits = String::new();
    for c in half.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if !digits.is_empty()
            && matches!(c, '户' | '笔' | '人')
            && let Ok(n) = digits.parse()
        {
            out.push((n, c));
        }
        if !c.is_whitespace() {
            digits.clear();
        }
    }
    out
}

/// A labelled figure in a trailer cell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Labelled {
    /// `总笔数：3`, `总户数 3`: a count of data rows.
    Count(i64),
    /// `总人数：5`.
    Persons(i64),
    /// `总金额：990.00`: the amount as written.
    Amount(String),
}

/// A labelled figure: a label, an optional colon, then the number.
pub fn labelled(s: &str) -> Option<Labelled> {
    let text = compact(s);
    let number = |rest: &str| -> Option<String> {
        let rest = rest.trim_start_matches([':', '：']);
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '¥' | '￥')))
            .unwrap_or(rest.len());
        let n = &rest[..end];
        (n.chars().any(|c| c.is_ascii_digit())).then(|| n.to_string())
    };
    for label in ["总笔数", "笔数", "总户数", "户数", "总记录数", "记录数"] {
        if let Some(rest) = text.strip_prefix(label) {
            return number(rest)
                .and_then(|n| n.parse().ok())
                .map(Labelled::Count);
        }
    }
    for label in ["总人数", "人数"] {
        if let Some(rest) = text.strip_prefix(label) {
            return number(rest)
                .and_then(|n| n.parse().ok())
                .map(Labelled::Persons);
        }
    }
    for label in ["总金额", "合计金额", "金额合计", "金额"] {
        if let Some(rest) = text.strip_prefix(label) {
            return number(rest).map(Labelled::Amount);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_on_their_own() {
        assert_eq!(totals_word("合计"), Some(TotalsScope::Grand));
        assert_eq!(totals_word("合  计"), Some(TotalsScope::Grand));
        assert_eq!(totals_word("合计：36户"), Some(TotalsScope::Grand));
        assert_eq!(totals_word("合计36户"), Some(TotalsScope::Grand));
        assert_eq!(totals_word("小计"), Some(TotalsScope::Subtotal));
        assert_eq!(totals_word("Total:"), Some(TotalsScope::Grand));
        assert_eq!(totals_word("共计：36户"), Some(TotalsScope::Grand));
        assert_eq!(totals_word("合计发放"), None);
        assert_eq!(totals_word("张合计"), None);
        assert_eq!(totals_word("Totally"), None);
    }

    #[test]
    fn labels_in_the_first_cell() {
        assert_eq!(totals_label("本页合计"), Some(TotalsScope::Page));
        assert_eq!(totals_label("和平社区小计"), Some(TotalsScope::Subtotal));
        assert_eq!(totals_label("以上合计"), Some(TotalsScope::Grand));
        assert_eq!(totals_label("Grand Total"), Some(TotalsScope::Grand));
        assert_eq!(totals_label("共2笔"), Some(TotalsScope::Grand));
        assert_eq!(totals_label("总笔数：3"), Some(TotalsScope::Grand));
        assert_eq!(totals_label("张三"), None);
        assert_eq!(totals_label("共青团路3号"), None);
    }

    #[test]
    fn counts() {
        assert_eq!(counts_in("36户"), vec![(36, '户')]);
        assert_eq!(counts_in("合计：36户 61人"), vec![(36, '户'), (61, '人')]);
        assert_eq!(counts_in("共 35 笔"), vec![(35, '笔')]);
        assert_eq!(counts_in("２笔"), vec![(2, '笔')]);
        assert!(counts_in("合计").is_empty());
        assert_eq!(count_label("36户"), Some((36, '户')));
        assert_eq!(count_label("共2笔"), Some((2, '笔')));
        assert_eq!(count_label("HP0001"), None);
        assert_eq!(count_label("6228481160003452274"), None);
    }

    #[test]
    fn labelled_figures() {
        assert_eq!(labelled("总笔数：3"), Some(Labelled::Count(3)));
        assert_eq!(labelled("总户数 36"), Some(Labelled::Count(36)));
        assert_eq!(labelled("总人数:61"), Some(Labelled::Persons(61)));
        assert_eq!(
            labelled("总金额：18,650.00"),
            Some(Labelled::Amount("18,650.00".into()))
        );
        assert_eq!(
            labelled("金额990.00"),
            Some(Labelled::Amount("990.00".into()))
        );
        assert_eq!(labelled("张三"), None);
    }
}
