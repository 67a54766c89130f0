//! Reading written workbooks back in the report writers' tests.

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

/// A sheet of a written workbook.
pub fn read(path: &Path, sheet: &str) -> calamine::Range<Data> {
    let mut book: Xlsx<_> = open_workbook(path).expect("open");
    book.worksheet_range(sheet).expect("sheet")
}

/// A string cell (0-based row and column); any other cell fails the test.
pub fn s(range: &calamine::Range<Data>, r: u32, c: u32) -> String {
    match range.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("({r},{c}) is not a string cell: {other:?}"),
    }
}

/// A number cell (0-based row and column); any other cell fails the test.
pub fn f(range: &calamine::Range<Data>, r: u32, c: u32) -> f64 {
    match range.get_value((r, c)) {
        Some(Data::Float(x)) => *x,
        other => panic!("({r},{c}) is not a number cell: {other:?}"),
    }
}
