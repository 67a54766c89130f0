//! Workbooks (`.xlsx`, `.xls`, `.xlsb`, `.ods`) through calamine.
//!
//! The format is decided by the file's bytes, not its name: banks send
//! `.xls` files that are really `.xlsx`, or text. Rows come out with the row
//! numbers Excel shows and cells at their real columns (a sheet whose data
//! starts in column C still reports column C).

use std::io::Cursor;

use calamine::{Data, Ods, Range, Reader, Xls, Xlsb, Xlsx};

use super::cell::{Cell, RowPos};
use crate::issue::Problem;

/// What a file's first bytes say it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sniffed {
    Empty,
    Zip,
    Ole,
    Pdf,
    Html,
    Binary,
    Text,
}

pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Sniffed::Empty;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Sniffed::Zip;
    }
    if bytes.starts_with(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) {
        return Sniffed::Ole;
    }
    if bytes.starts_with(b"%PDF") {
        return Sniffed::Pdf;
    }
    let head: String = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.starts_with("<html")
        || head.starts_with("<!doctype")
        || head.starts_with("<table")
        || head.starts_with("<?xml")
    {
        return Sniffed::Html;
    }
    if super::text::looks_binary(bytes) {
        return Sniffed::Binary;
    }
    Sniffed::Text
}

/// An opened workbook of any supported format.
pub enum Book {
    Xlsx(Xlsx<Cursor<Vec<u8>>>),
    Xls(Xls<Cursor<Vec<u8>>>),
    Xlsb(Xlsb<Cursor<Vec<u8>>>),
    Ods(Ods<Cursor<Vec<u8>>>),
}

impl Book {
    /// Opens a workbook. `ext` (lower-case) breaks the tie between the zip
    /// formats; the others are tried after it.
    pub fn open(bytes: Vec<u8>, sniffed: Sniffed, ext: &str) -> Result<Book, Problem> {
        let unreadable =
            |format: &'static str, e: &dyn std::fmt::Display| Problem::FileUnreadable {
                format,
                detail: e.to_string(),
            };
        match sniffed {
            Sniffed::Ole => Xls::new(Cursor::new(bytes))
                .map(Book::Xls)
                .map_err(|e| unreadable("xls", &e)),
            Sniffed::Zip => {
                let order: [&str; 3] = match ext {
                    "ods" => ["ods", "xlsx", "xlsb"],
                    "xlsb" => ["xlsb", "xlsx", "ods"],
                    _ => ["xlsx", "ods", "xlsb"],
                };
                let mut first_err = None;
                for fmt in order {
                    let cur = Cursor::new(bytes.clone());
                    let res = match fmt {
                        "xlsx" => Xlsx::new(cur).map(Book::Xlsx).map_err(|e| e.to_string()),
                        "ods" => Ods::new(cur).map(Book::Ods).map_err(|e| e.to_string()),
                        _ => Xlsb::new(cur).map(Book::Xlsb).map_err(|e| e.to_string()),
                    };
                    match res {
                        Ok(book) => return Ok(book),
                        Err(e) => {
                            first_err.get_or_insert((fmt, e));
                        }
                    }
                }
                let (fmt, e) = first_err.unwrap_or(("xlsx", String::new()));
                Err(Problem::FileUnreadable {
                    format: match fmt {
                        "ods" => "ods",
                        "xlsb" => "xlsb",
                        _ => "xlsx",
                    },
                    detail: e,
                })
            }
            _ => Err(unreadable("xlsx", &"not a workbook")),
        }
    }

    pub fn sheet_names(&self) -> Vec<String> {
        match self {
            Book::Xlsx(b) => b.sheet_names(),
            Book::Xls(b) => b.sheet_names(),
            Book::Xlsb(b) => b.sheet_names(),
            Book::Ods(b) => b.sheet_names(),
        }
    }

    pub fn range(&mut self, name: &str) -> Result<Range<Data>, Problem> {
        let res = match self {
            Book::Xlsx(b) => b.worksheet_range(name).map_err(|e| ("xlsx", e.to_string())),
            Book::Xls(b) => b.worksheet_range(name).map_err(|e| ("xls", e.to_string())),
            Book::Xlsb(b) => b.worksheet_range(name).map_err(|e| ("xlsb", e.to_string())),
            Book::Ods(b) => b.worksheet_range(name).map_err(|e| ("ods", e.to_string())),
        };
        res.map_err(|(format, detail)| Problem::FileUnreadable { format, detail })
    }
}

fn error_text(e: &calamine::CellErrorType) -> &'static str {
    use calamine::CellErrorType::*;
    match e {
        Div0 => "#DIV/0!",
        NA => "#N/A",
        Name => "#NAME?",
        Null => "#NULL!",
        Num => "#NUM!",
        Ref => "#REF!",
        Value => "#VALUE!",
        GettingData => "#DATA!",
    }
}

fn to_cell(d: &Data) -> Cell<'_> {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s),
        Data::Int(i) => Cell::Int(*i),
        Data::Float(x) => Cell::Float(*x),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, day, ..) = dt.to_ymd_hms_milli();
            match chrono::NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day)) {
                Some(date) if dt.as_f64() >= 1.0 => Cell::Date(date),
                _ => Cell::Float(dt.as_f64()),
            }
        }
        Data::DateTime(dt) => Cell::Float(dt.as_f64()),
        Data::DateTimeIso(s) => Cell::Iso(s),
        Data::DurationIso(s) => Cell::Text(s),
        Data::Error(e) => Cell::Error(error_text(e)),
    }
}

/// Calls `on_row(excel_row, cells)` for every row of the range, from its
/// first used row; cells are indexed by Excel column (A = 0).
pub fn for_each_row(range: &Range<Data>, on_row: &mut dyn FnMut(RowPos, &[Cell<'_>]) -> bool) {
    let Some((row0, col0)) = range.start() else {
        return;
    };
    let mut cells: Vec<Cell<'_>> = Vec::new();
    for (i, row) in range.rows().enumerate() {
        cells.clear();
        cells.resize(col0 as usize, Cell::Empty);
        cells.extend(row.iter().map(to_cell));
        if !on_row(RowPos::at(row0 + i as u32 + 1), &cells) {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing() {
        assert_eq!(sniff(b""), Sniffed::Empty);
        assert_eq!(sniff(b"  \n"), Sniffed::Empty);
        assert_eq!(sniff(b"%PDF-1.4\n"), Sniffed::Pdf);
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniffed::Zip);
        assert_eq!(sniff(b"<html><table>"), Sniffed::Html);
        assert_eq!(sniff("账号,户名\n".as_bytes()), Sniffed::Text);
        assert_eq!(sniff(&[1, 2, 3, 0, 5, 6, 7, 8]), Sniffed::Binary);
    }
}
