//! Shared workbook settings: fixed document dates, formats, sheet limits.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};

use crate::model::money::Money;

/// Data rows that fit one sheet: Excel's 1,048,576 rows less the header.
pub const SHEET_DATA_ROWS: u32 = 1_048_575;

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

/// An amount cell's value: fen to yuan at the last step.
pub fn amount(m: Money) -> f64 {
    m.to_f64_for_cell()
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
