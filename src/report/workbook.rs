//! Shared workbook settings: fixed document dates, formats, sheet limits,
//! the 制表单位/制表日期 labels, the page footer and the print setup of a
//! sheet that lists rows.
//!
//! Invariants: nothing here reads the clock (a workbook's dates come from
//! the caller), so the same inputs give the same bytes; a text cut by
//! [`cell_text`] always fits one cell.

use std::borrow::Cow;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, RowNum, Workbook, Worksheet,
    XlsxError,
};

use crate::error::Error;
use crate::issue::Lang;
use crate::model::money::Money;

/// Data rows that fit one sheet: Excel's 1,048,576 rows less the header.
pub const SHEET_DATA_ROWS: u32 = 1_048_575;

/// Excel's longest cell text, in UTF-16 units.
pub const MAX_CELL_TEXT: usize = 32_767;

/// A new workbook whose document dates are `date` (never the clock), so
/// that the same inputs give the same bytes.
pub fn new_workbook(date: NaiveDate) -> Workbook {
    let mut workbook = Workbook::new();
    // Fast zip compression: writing a million-row workbook is dominated by
    // deflate, and the best level saves little on these files.
    workbook.set_zip_compression_level(1);
    // A date this module builds from a valid NaiveDate: always in range.
    if let Ok(when) =
        ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)
    {
        let properties = DocProperties::new().set_creation_datetime(&when);
        workbook.set_properties(&properties);
    }
    workbook
}

/// Builds a workbook dated `date` with `build` and saves it to `path`
/// (replaced if it exists).
///
/// # Errors
///
/// - [`Error::Xlsx`], naming `path`, when `build` fails or the workbook
///   cannot be saved.
pub fn write_workbook(
    path: &Path,
    date: NaiveDate,
    build: impl FnOnce(&mut Workbook) -> Result<(), XlsxError>,
) -> Result<(), Error> {
    let mut workbook = new_workbook(date);
    build(&mut workbook)
        .and_then(|()| workbook.save(path))
        .map_err(|source| Error::Xlsx {
            path: path.to_path_buf(),
            source,
        })
}

/// An amount cell's value: fen to yuan at the last step, the one place
/// where money becomes a binary number.
///
/// # Errors
/// [`XlsxError::CustomError`] when the cell would not show the same fen
/// (see [`Money::to_f64_for_cell`]): the workbook is not written rather
/// than written wrong. The bound on one household's month keeps every
/// amount far below that.
pub fn amount(m: Money) -> Result<f64, XlsxError> {
    m.to_f64_for_cell().ok_or_else(|| {
        XlsxError::CustomError(format!(
            "the amount {m} cannot be written exactly in a workbook cell (Excel keeps 15 significant digits)"
        ))
    })
}

/// `s` cut to what a cell holds (a `source` naming thousands of bank rows
/// could be longer), with `…` where it was cut.
pub fn cell_text(s: &str) -> Cow<'_, str> {
    // UTF-8 bytes never undercount UTF-16 units: the common case is free.
    if s.len() <= MAX_CELL_TEXT {
        return Cow::Borrowed(s);
    }
    let mut units = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL_TEXT - 1 {
            break;
        }
        end = i + c.len_utf8();
    }
    if end == s.len() {
        return Cow::Borrowed(s);
    }
    Cow::Owned(format!("{}…", &s[..end]))
}

/// `#,##0.00`, bordered.
pub fn money_format() -> Format {
    Format::new()
        .set_num_format("#,##0.00")
        .set_border(FormatBorder::Thin)
}

/// Text (IDs, accounts, names), bordered; `@` keeps Excel from reading
/// digits as a number when the cell is edited.
pub fn text_format() -> Format {
    Format::new()
        .set_num_format("@")
        .set_border(FormatBorder::Thin)
}

/// A bold, centred, bordered header cell.
pub fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
        .set_border(FormatBorder::Thin)
}

/// `制表单位：…` / `Prepared by: …` (the unit may be empty).
pub fn unit_label(lang: Lang, unit: &str) -> String {
    format!("{}{unit}", lang.pick("制表单位：", "Prepared by: "))
}

/// `制表日期：2026年11月1日` / `Date: 2026-11-01`.
pub fn date_label(lang: Lang, date: NaiveDate) -> String {
    match lang {
        Lang::Zh => format!(
            "制表日期：{}年{}月{}日",
            date.year(),
            date.month(),
            date.day()
        ),
        Lang::En => format!("Date: {}", date.format("%Y-%m-%d")),
    }
}

/// The page footer of a printed sheet: `第 1 页 共 3 页` / `Page 1 of 3`,
/// centred.
pub fn page_footer(lang: Lang) -> &'static str {
    lang.pick("&C第 &P 页 共 &N 页", "&CPage &P of &N")
}

/// The print setup of a sheet that lists rows under `header_rows` rows of
/// title and header: A4 landscape, one page wide, gridlines printed, the
/// top rows repeated on every page and frozen on screen, page numbers in
/// the footer.
pub fn set_list_print(
    ws: &mut Worksheet,
    lang: Lang,
    header_rows: RowNum,
) -> Result<(), XlsxError> {
    ws.set_paper_size(9);
    ws.set_landscape();
    ws.set_print_gridlines(true);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, header_rows.saturating_sub(1))?;
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    ws.set_footer(page_footer(lang));
    ws.set_freeze_panes(header_rows, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::money::LIMIT_FEN;

    #[test]
    fn an_amount_cell_shows_the_same_fen_or_is_refused() {
        assert_eq!(amount(Money::from_fen(33_000)).ok(), Some(330.0));
        let top = amount(Money::from_fen(LIMIT_FEN)).expect("the largest amount");
        assert_eq!(format!("{top:.2}"), "9999999999999.99");
        // 92233720368547.75 as a binary number shows …547.77: refused.
        let err = amount(Money::from_fen(9_223_372_036_854_775)).expect_err("too large");
        assert!(
            err.to_string().contains("92233720368547.75"),
            "the message names the amount: {err}"
        );
    }
}
