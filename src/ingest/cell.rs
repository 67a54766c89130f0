//! One cell as the file has it: text from a text file or a workbook, or a
//! typed workbook value (number, date, boolean, error).
//!
//! Nothing here interprets a value for a field; that is the model's job. A
//! [`Cell`] only knows how to show itself to a user ([`Cell::shown`]).

use std::borrow::Cow;

/// A cell, borrowed from the reader's buffer.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    Empty,
    /// Text exactly as in the file (not yet trimmed).
    Text(&'a str),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// An Excel cell formatted as a date (the time of day dropped).
    Date(chrono::NaiveDate),
    /// An ISO 8601 date or date-time string (ODS cells).
    Iso(&'a str),
    /// An Excel error value such as `#REF!` or `#N/A`.
    Error(&'a str),
}

/// Where a row stands in its file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RowPos {
    /// The row number the user sees: Excel's row, or the text line it starts on.
    pub number: u32,
    /// Lines beyond the first that a text record spans (a quoted cell with
    /// line breaks).
    pub extra_lines: u32,
    /// A cell with a line break and the delimiter: most likely a quote that
    /// was never closed swallowed the lines after it.
    pub unclosed_quote: bool,
    /// A profile's fixed widths cut a character of the line in two.
    pub cut_char: bool,
}

impl RowPos {
    pub fn at(number: u32) -> RowPos {
        RowPos {
            number,
            ..RowPos::default()
        }
    }
}

/// Formats a float as the shortest decimal that reads back to it, without an
/// exponent: `280.1`, `110105194912310000`.
///
/// A whole number of 16 or more digits is shown as Excel shows it: its 15
/// significant digits followed by zeros (`6228488353374060000`), since the
/// digits after the 15th were never in the file.
pub fn shortest(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() >= 1e15 && x.abs() < 1e21 {
        let sci = format!("{:.14e}", x.abs());
        let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        let width = exp.parse::<usize>().unwrap_or(0) + 1;
        let sign = if x < 0.0 { "-" } else { "" };
        format!("{sign}{digits:0<width$}")
    } else if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

impl<'a> Cell<'a> {
    /// True for an empty cell or one holding only spaces.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) | Cell::Iso(s) => {
                let c = super::normalize::clean(s);
                c.is_empty() || super::normalize::is_empty_mark(&c)
            }
            _ => false,
        }
    }

    /// The value as a user would read it in the cell, cleaned (trimmed,
    /// half-width digits): used for text fields and in messages.
    pub fn shown(&self) -> Cow<'a, str> {
        match *self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(s) | Cell::Iso(s) | Cell::Error(s) => super::normalize::clean(s),
            Cell::Int(i) => Cow::Owned(i.to_string()),
            Cell::Float(x) => Cow::Owned(shortest(x)),
            Cell::Bool(b) => Cow::Borrowed(if b { "TRUE" } else { "FALSE" }),
            Cell::Date(d) => Cow::Owned(d.format("%Y-%m-%d").to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shown_values() {
        assert_eq!(
            Cell::Float(1.1010519491231e17).shown(),
            "110105194912310000"
        );
        assert_eq!(
            Cell::Float(6.228_488_353_374_06e18).shown(),
            "6228488353374060000"
        );
        assert_eq!(
            Cell::Float(110105196303011008.0).shown(),
            "110105196303011000"
        );
        assert_eq!(Cell::Float(280.1).shown(), "280.1");
        assert_eq!(Cell::Float(12.0).shown(), "12");
        assert_eq!(Cell::Text(" ＨＰ０１ ").shown(), "HP01");
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(Cell::Date(d).shown(), "2026-11-25");
    }
}
