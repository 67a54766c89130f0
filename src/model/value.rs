//! Cells into typed values, one function per kind of value. Each returns the
//! value or the [`Problem`] that names what is wrong with it; none of them
//! guesses. A number cell where text is expected is read as its digits,
//! unless it is too long to have kept them (Excel keeps 15 significant
//! digits), which is a problem of its own.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate};

use super::account::{self, Account, AccountProblem};
use super::date::{self, Month};
use super::idcard::{self, IdProblem, IdReading};
use super::money::{self, Money};
use crate::ingest::cell::{Cell, shortest};
use crate::ingest::normalize::{halfwidth_all, is_empty_mark};
use crate::ingest::profile::AmountUnit;
use crate::issue::{Problem, TextLimit};
use crate::sanitize;

/// Numbers this large lost digits in Excel (more than 15 significant).
const EXACT_LIMIT: f64 = 1e15;

/// The cleaned text of a cell; `None` when blank. Borrowed from the cell
/// when cleaning changed nothing (the common case).
///
/// Every text value is checked: no character that [`sanitize::bad_char`]
/// names (control, invisible, private-use), no U+FFFD left by bytes that
/// could not be decoded, and no more than an Excel cell holds. A value that
/// dibao's own CSV files escaped against formulas (`'=…`) is unescaped.
pub fn text<'a>(cell: &Cell<'a>) -> Result<Option<Cow<'a, str>>, Problem> {
    checked_text(cell, false, TextLimit::Cell)
}

/// Like [`text`] for a remark (a reason, an excuse, a reported change):
/// line breaks and tabs typed into the cell are allowed.
pub fn note<'a>(cell: &Cell<'a>) -> Result<Option<Cow<'a, str>>, Problem> {
    checked_text(cell, true, TextLimit::Cell)
}

/// Like [`text`], and no longer than `limit` (a name, a bank).
pub fn text_within<'a>(cell: &Cell<'a>, limit: TextLimit) -> Result<Option<Cow<'a, str>>, Problem> {
    checked_text(cell, false, limit)
}

/// Values in messages are cut to this many characters.
const SHOWN_CHARS: usize = 40;

fn too_long(s: &str, limit: TextLimit) -> Result<(), Problem> {
    let max = limit.max();
    // Bytes never undercount characters: the common case costs nothing.
    if s.len() <= max {
        return Ok(());
    }
    let length = s.chars().count();
    if length <= max {
        return Ok(());
    }
    Err(Problem::TextTooLong {
        value: sanitize::escaped(&sanitize::shortened(s, SHOWN_CHARS)).into_owned(),
        length,
        limit,
    })
}

fn checked_text<'a>(
    cell: &Cell<'a>,
    note: bool,
    limit: TextLimit,
) -> Result<Option<Cow<'a, str>>, Problem> {
    if let Cell::Error(e) = cell {
        return Err(Problem::CellError {
            value: e.to_string(),
        });
    }
    let s = match cell.shown() {
        Cow::Borrowed(b) => Cow::Borrowed(sanitize::csv_unescape(b)),
        Cow::Owned(o) => Cow::Owned(sanitize::csv_unescape(&o).to_string()),
    };
    if is_empty_mark(&s) {
        return Ok(None);
    }
    too_long(&s, limit)?;
    if !s.is_ascii() && s.contains('\u{fffd}') {
        return Err(Problem::BadBytes {
            value: sanitize::escaped(&sanitize::shortened(&s, SHOWN_CHARS)).into_owned(),
        });
    }
    let bad = if note {
        sanitize::first_bad_char_in_note(&s)
    } else {
        sanitize::first_bad_char(&s)
    };
    if let Some((ch, kind)) = bad {
        return Err(Problem::BadCharacter {
            value: sanitize::escaped(&sanitize::shortened(&s, SHOWN_CHARS)).into_owned(),
            ch,
            kind,
        });
    }
    Ok((!s.is_empty()).then_some(s))
}

/// Text that may have been typed as a number (a household number `12`, a
/// 15-digit ID): its digits, or [`Problem::NumberLostDigits`]. The marks
/// people use to stop Excel from turning digits into a number — a leading
/// `'`, or `="…"` in a CSV — are removed.
pub fn code<'a>(cell: &Cell<'a>) -> Result<Option<Cow<'a, str>>, Problem> {
    match *cell {
        Cell::Float(x) if x.abs() >= EXACT_LIMIT => {
            Err(Problem::NumberLostDigits { value: shortest(x) })
        }
        _ => Ok(text(cell)?
            .map(|s| match s {
                Cow::Borrowed(b) => Cow::Borrowed(strip_text_marks(b)),
                Cow::Owned(o) => Cow::Owned(strip_text_marks(&o).to_string()),
            })
            .filter(|s| !s.is_empty())),
    }
}

/// `'6228…` → `6228…`, `="6228…"` → `6228…`.
fn strip_text_marks(s: &str) -> &str {
    if let Some(inner) = s.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
        return inner.trim();
    }
    s.strip_prefix('\'').map_or(s, str::trim)
}

/// An identity number (SPEC §2.4).
pub fn id_number(cell: &Cell<'_>) -> Result<Option<IdReading>, Problem> {
    if let Cell::Float(x) = *cell
        && x.abs() >= EXACT_LIMIT
    {
        return Err(Problem::IdDigitsLost { value: shortest(x) });
    }
    let Some(s) = code(cell)? else {
        return Ok(None);
    };
    match idcard::read(&s) {
        IdReading::Invalid(p) => {
            let value = s.into_owned();
            Err(match p {
                IdProblem::Scientific => Problem::IdScientific { value },
                IdProblem::DigitsLost => Problem::IdDigitsLost { value },
                IdProblem::Shape => Problem::IdShape { value },
                IdProblem::BirthDate => Problem::IdBirthDate { value },
                IdProblem::CheckChar => Problem::IdCheckChar { value },
            })
        }
        ok => Ok(Some(ok)),
    }
}

/// An account number read, with a warning when it is suspicious but usable.
pub struct AccountReading {
    pub account: Account,
    pub warning: Option<Problem>,
}

/// An account number (SPEC §2.4). `luhn`: warn on a Luhn failure.
pub fn account(cell: &Cell<'_>, luhn: bool) -> Result<Option<AccountReading>, Problem> {
    if let Cell::Float(x) = *cell
        && x.abs() >= EXACT_LIMIT
    {
        return Err(Problem::AccountDigitsLost { value: shortest(x) });
    }
    let Some(s) = code(cell)? else {
        return Ok(None);
    };
    let account = account::read(&s).map_err(|p| {
        let value = s.to_string();
        match p {
            AccountProblem::Scientific => Problem::AccountScientific { value },
            AccountProblem::NotDigits => Problem::AccountNotDigits { value },
            AccountProblem::TooShort => Problem::AccountTooShort { value },
        }
    })?;
    let digits = account.as_str();
    let luhn_fails = !account::luhn_ok(digits);
    let warning = if account::tail_zeroed(digits) {
        if luhn_fails {
            return Err(Problem::AccountDigitsLost {
                value: s.into_owned(),
            });
        }
        Some(Problem::AccountTailZeros {
            value: s.into_owned(),
        })
    } else if luhn && luhn_fails {
        Some(Problem::AccountLuhn {
            value: s.into_owned(),
        })
    } else {
        None
    };
    Ok(Some(AccountReading { account, warning }))
}

/// Covered persons: a whole number ≥ 1 (`3`, `3.0`, `3人`, `３`).
pub fn members(cell: &Cell<'_>) -> Result<Option<u32>, Problem> {
    let bad = |v: String| Problem::MembersInvalid { value: v };
    match *cell {
        Cell::Int(i) => u32::try_from(i)
            .ok()
            .filter(|&n| n >= 1)
            .map(Some)
            .ok_or_else(|| bad(i.to_string())),
        Cell::Float(x) => {
            if x.fract() == 0.0 && (1.0..1e6).contains(&x) {
                Ok(Some(x as u32))
            } else {
                Err(bad(shortest(x)))
            }
        }
        _ => {
            let Some(s) = text(cell)? else {
                return Ok(None);
            };
            // `3`, `3人`, and `3.0` as pandas writes whole numbers.
            let digits = s.strip_suffix('人').unwrap_or(&s).trim();
            let digits = digits.strip_suffix(".0").unwrap_or(digits);
            digits
                .parse::<u32>()
                .ok()
                .filter(|&n| n >= 1)
                .map(Some)
                .ok_or_else(|| bad(s.to_string()))
        }
    }
}

/// An amount of money in `unit`, unless the cell names its own unit
/// (`62000分`); `allow_negative` for adjustments. Only the limit of a cell
/// ([`money::LIMIT_FEN`]) applies: an input's amounts are read with
/// [`super::amount::AmountColumn`], which knows the header's unit and the
/// policy's bound.
pub fn money(
    cell: &Cell<'_>,
    unit: AmountUnit,
    allow_negative: bool,
) -> Result<Option<Money>, Problem> {
    super::amount::AmountColumn::plain(unit, Money::from_fen(money::LIMIT_FEN), allow_negative)
        .read(cell)
}

/// A month (SPEC §2.3 forms, a date cell, or a number like `202611`).
pub fn month(cell: &Cell<'_>) -> Result<Option<Month>, Problem> {
    let shown = cell.shown();
    let parsed = match *cell {
        Cell::Empty => return Ok(None),
        Cell::Error(e) => {
            return Err(Problem::CellError {
                value: e.to_string(),
            });
        }
        // A date cell outside 1900–2099 is a typing slip (3026-11-01).
        Cell::Date(d) => Month::new(d.year(), d.month()),
        Cell::Float(x) if x.fract() != 0.0 => {
            // 2026.10 typed into a General cell is stored as 2026.1.
            if shown.split('.').nth(1).is_some_and(|frac| frac == "1") {
                return Err(Problem::MonthAmbiguous {
                    value: shown.into_owned(),
                });
            }
            date::parse_month(&shown)
        }
        Cell::Float(x) if date::plausible_serial(x) => {
            date::from_excel_serial(x, false).map(Month::of)
        }
        Cell::Int(i) if date::plausible_serial(i as f64) => {
            date::from_excel_serial(i as f64, false).map(Month::of)
        }
        _ => {
            if shown.is_empty() {
                return Ok(None);
            }
            date::parse_month(&halfwidth_all(&shown))
        }
    };
    parsed.map(Some).ok_or_else(|| Problem::MonthInvalid {
        value: shown.into_owned(),
    })
}

/// A date (SPEC §2.3 forms, a date cell, an Excel serial, `20261125`).
/// `format` is a profile's chrono format, tried first on text.
pub fn date(cell: &Cell<'_>, format: Option<&str>) -> Result<Option<NaiveDate>, Problem> {
    let shown = cell.shown().into_owned();
    let parsed = match *cell {
        Cell::Empty => return Ok(None),
        Cell::Error(e) => {
            return Err(Problem::CellError {
                value: e.to_string(),
            });
        }
        Cell::Date(d) => Month::new(d.year(), d.month()).map(|_| d),
        Cell::Float(x) if date::plausible_serial(x) => date::from_excel_serial(x, false),
        Cell::Int(i) if date::plausible_serial(i as f64) => {
            date::from_excel_serial(i as f64, false)
        }
        _ => {
            if shown.is_empty() {
                return Ok(None);
            }
            let half = halfwidth_all(&shown);
            format
                .and_then(|f| NaiveDate::parse_from_str(&half, f).ok())
                .or_else(|| date::parse_date(&half))
        }
    };
    parsed
        .map(Some)
        .ok_or(Problem::DateInvalid { value: shown })
}

/// A yes/no flag: 是/否, Y/N, yes/no, true/false, 1/0, √/×.
pub fn flag(cell: &Cell<'_>) -> Result<Option<bool>, Problem> {
    if let Cell::Bool(b) = *cell {
        return Ok(Some(b));
    }
    let Some(s) = text(cell)? else {
        return Ok(None);
    };
    let lower;
    let key = if s.bytes().any(|b| b.is_ascii_uppercase()) {
        lower = s.to_ascii_lowercase();
        lower.as_str()
    } else {
        &*s
    };
    match key {
        "是" | "y" | "yes" | "true" | "1" | "√" | "✓" => Ok(Some(true)),
        "否" | "n" | "no" | "false" | "0" | "×" | "✗" => Ok(Some(false)),
        _ => Err(Problem::FlagInvalid {
            value: s.into_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_where_text_is_expected() {
        assert_eq!(code(&Cell::Float(12.0)), Ok(Some("12".into())));
        assert_eq!(code(&Cell::Int(202611)), Ok(Some("202611".into())));
        assert!(matches!(
            code(&Cell::Float(1.2e17)),
            Err(Problem::NumberLostDigits { .. })
        ));
        assert!(matches!(
            id_number(&Cell::Float(1.1010519491231e17)),
            Err(Problem::IdDigitsLost { .. })
        ));
        assert!(matches!(
            account(&Cell::Float(6.228480012345678e18), true),
            Err(Problem::AccountDigitsLost { .. })
        ));
        assert!(matches!(
            account(&Cell::Text("6.22848E+18"), true),
            Err(Problem::AccountScientific { .. })
        ));
        assert_eq!(code(&Cell::Text(" '0012 ")), Ok(Some("0012".into())));
        assert_eq!(code(&Cell::Text("=\"\"")), Ok(None));
        assert_eq!(code(&Cell::Text("=\" \"")), Ok(None));
        assert_eq!(text(&Cell::Text("'")), Ok(None));
        assert!(Cell::Text("=\"\"").is_blank());
        assert_eq!(
            code(&Cell::Text("=\"6228480402564890018\"")),
            Ok(Some("6228480402564890018".into()))
        );
        assert!(matches!(
            id_number(&Cell::Text("'11010519491231002X")),
            Ok(Some(IdReading::Valid(_)))
        ));
    }

    #[test]
    fn implausible_text_is_an_error() {
        use crate::sanitize::BadChar;
        let bad = |s: &str| match text(&Cell::Text(s)) {
            Err(Problem::BadCharacter { value, kind, .. }) => (value, kind),
            other => panic!("{s:?}: {other:?}"),
        };
        assert_eq!(bad("张\u{7}三"), ("张\\u{7}三".into(), BadChar::Control));
        assert_eq!(
            bad("张\u{1b}[31m三"),
            ("张\\u{1b}[31m三".into(), BadChar::Control)
        );
        assert_eq!(bad("张\u{0}三").1, BadChar::Control);
        assert_eq!(bad("张\u{202e}三").1, BadChar::Invisible);
        assert_eq!(bad("张\u{e000}").1, BadChar::PrivateUse);
        // A remark may hold line breaks; a name may not.
        assert_eq!(
            note(&Cell::Text("住院\n三天")),
            Ok(Some("住院\n三天".into()))
        );
        assert_eq!(bad("张\n三").1, BadChar::Control);
        // Lengths: 60 characters for a name, 32,767 for any cell.
        let name: String = "张".repeat(61);
        assert!(matches!(
            text_within(&Cell::Text(&name), TextLimit::Name),
            Err(Problem::TextTooLong {
                length: 61,
                limit: TextLimit::Name,
                ..
            })
        ));
        assert!(text_within(&Cell::Text(&name[..60 * 3]), TextLimit::Name).is_ok());
        let huge = "x".repeat(40_000);
        match text(&Cell::Text(&huge)) {
            Err(Problem::TextTooLong {
                value,
                length,
                limit,
            }) => {
                assert_eq!(
                    (value.chars().count(), length, limit),
                    (41, 40_000, TextLimit::Cell)
                );
            }
            other => panic!("{other:?}"),
        }
        // What dibao's CSV files escaped is read back as it was.
        assert_eq!(text(&Cell::Text("'=1+1")), Ok(Some("=1+1".into())));
        assert_eq!(text(&Cell::Text("'abc")), Ok(Some("'abc".into())));
    }

    #[test]
    fn members_forms() {
        assert_eq!(members(&Cell::Text("３")), Ok(Some(3)));
        assert_eq!(members(&Cell::Text("2人")), Ok(Some(2)));
        assert_eq!(members(&Cell::Text("3.0")), Ok(Some(3)));
        assert_eq!(members(&Cell::Float(2.0)), Ok(Some(2)));
        assert!(members(&Cell::Float(2.5)).is_err());
        assert!(members(&Cell::Text("0")).is_err());
        assert_eq!(members(&Cell::Empty), Ok(None));
    }

    #[test]
    fn months_from_numbers() {
        assert_eq!(month(&Cell::Int(202611)), Ok(Month::new(2026, 11)));
        assert_eq!(month(&Cell::Float(2026.11)), Ok(Month::new(2026, 11)));
        assert!(matches!(
            month(&Cell::Float(2026.1)),
            Err(Problem::MonthAmbiguous { .. })
        ));
        assert_eq!(month(&Cell::Text("2026年3月")), Ok(Month::new(2026, 3)));
    }

    #[test]
    fn dates_from_numbers_and_formats() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 25);
        assert_eq!(date(&Cell::Float(46351.0), None), Ok(d));
        assert_eq!(date(&Cell::Int(20261125), None), Ok(d));
        assert_eq!(date(&Cell::Text("25/11/2026"), Some("%d/%m/%Y")), Ok(d));
        assert_eq!(date(&Cell::Iso("2026-11-25T00:00:00"), None), Ok(d));
        assert!(date(&Cell::Text("下周"), None).is_err());
        let far = NaiveDate::from_ymd_opt(3026, 11, 1).unwrap();
        assert!(
            date(&Cell::Date(far), None).is_err(),
            "a typing slip in a date cell"
        );
        assert!(month(&Cell::Date(far)).is_err());
    }
}
