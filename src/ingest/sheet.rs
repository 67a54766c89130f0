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
            Sniffed::Ole => guarded(|| Xls::new(Cursor::new(bytes)).map_err(|e| e.to_string()))
                .map(Book::Xls)
                .map_err(|e| unreadable("xls", &e)),
            Sniffed::Zip => {
                let order: [&str; 3] = match ext {
                    "ods" => ["ods", "xlsx", "xlsb"],
                    "xlsb" => ["xlsb", "xlsx", "ods"],
                    _ => ["xlsx", "ods", "xlsb"],
                };
                verify_zip(&bytes, fmt_name(order[0]))?;
                let mut first_err = None;
                for fmt in order {
                    let cur = Cursor::new(bytes.clone());
                    let res = guarded(|| match fmt {
                        "xlsx" => Xlsx::new(cur).map(Book::Xlsx).map_err(|e| e.to_string()),
                        "ods" => Ods::new(cur).map(Book::Ods).map_err(|e| e.to_string()),
                        _ => Xlsb::new(cur).map(Book::Xlsb).map_err(|e| e.to_string()),
                    });
                    match res {
                        Ok(book) => return Ok(book),
                        Err(e) => {
                            first_err.get_or_insert((fmt, e));
                        }
                    }
                }
                let (fmt, e) = first_err.unwrap_or(("xlsx", String::new()));
                Err(Problem::FileUnreadable {
                    format: fmt_name(fmt),
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

    /// Calls `on_row` for every row of sheet `name` from its first used
    /// row, with the row numbers Excel shows and cells at their Excel
    /// columns (A = 0). `.xlsx` sheets are streamed cell by cell, so a stray
    /// cell far out (XFD1048576) costs a row, not a gigabyte; the other
    /// formats are read whole. A workbook that makes the reader panic is a
    /// [`Problem::FileUnreadable`], like any other damaged file.
    pub fn for_each_row(
        &mut self,
        name: &str,
        on_row: &mut dyn FnMut(RowPos, &[Cell<'_>]) -> bool,
    ) -> Result<(), Problem> {
        let format = self.format();
        let unreadable = |detail: String| Problem::FileUnreadable { format, detail };
        match self {
            Book::Xlsx(b) => guarded(|| stream_xlsx(b, name, on_row)),
            Book::Xls(b) => guarded(|| b.worksheet_range(name).map_err(|e| e.to_string()))
                .map(|r| for_each_range_row(&r, on_row)),
            Book::Xlsb(b) => guarded(|| b.worksheet_range(name).map_err(|e| e.to_string()))
                .map(|r| for_each_range_row(&r, on_row)),
            Book::Ods(b) => guarded(|| b.worksheet_range(name).map_err(|e| e.to_string()))
                .map(|r| for_each_range_row(&r, on_row)),
        }
        .map_err(unreadable)
    }

    fn format(&self) -> &'static str {
        match self {
            Book::Xlsx(_) => "xlsx",
            Book::Xls(_) => "xls",
            Book::Xlsb(_) => "xlsb",
            Book::Ods(_) => "ods",
        }
    }
}

/// Reads every member of a zip-based workbook to its end, which makes the
/// zip reader compare each member's data with the CRC-32 stored for it.
/// calamine stops reading a sheet at its last row and never reads some
/// members at all, so a damaged byte could otherwise go unnoticed: a
/// member count of `1` changed to `7` reads as a good number.
///
/// A file that is not a readable zip archive at all is left to calamine,
/// which says why.
fn verify_zip(bytes: &[u8], format: &'static str) -> Result<(), Problem> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    for i in 0..archive.len() {
        let mut member = archive.by_index(i).map_err(|e| Problem::FileUnreadable {
            format,
            detail: e.to_string(),
        })?;
        if member.is_dir() {
            continue;
        }
        let name = member
            .name()
            .map_or_else(|_| format!("#{}", i + 1), |n| n.into_owned());
        // The reader stops at the member's declared size, so a damaged
        // header cannot make this read without end.
        if let Err(e) = std::io::copy(&mut member, &mut std::io::sink()) {
            return Err(if e.to_string().contains("checksum") {
                Problem::ZipChecksum {
                    format,
                    member: name,
                }
            } else {
                Problem::FileUnreadable {
                    format,
                    detail: format!("{name}: {e}"),
                }
            });
        }
    }
    Ok(())
}

fn fmt_name(fmt: &str) -> &'static str {
    match fmt {
        "ods" => "ods",
        "xlsb" => "xlsb",
        "xls" => "xls",
        _ => "xlsx",
    }
}

/// Runs calamine code that may panic on a damaged file: a panic becomes an
/// error like the reader's own (its message is not printed).
fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.unwrap_or_else(|payload| {
        Err(payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the reader failed on this file".to_string()))
    })
}

/// Streams an `.xlsx` sheet: one row of owned cells at a time. Rows with
/// no cells between used rows come as empty rows, as in the sheet.
fn stream_xlsx<RS: std::io::Read + std::io::Seek>(
    book: &mut Xlsx<RS>,
    name: &str,
    on_row: &mut dyn FnMut(RowPos, &[Cell<'_>]) -> bool,
) -> Result<(), String> {
    let mut reader = book
        .worksheet_cells_reader(name)
        .map_err(|e| e.to_string())?;
    let mut row: Vec<Data> = Vec::new();
    let mut current: Option<u32> = None;
    let mut emit = |number: u32, data: &[Data]| -> bool {
        let cells: Vec<Cell<'_>> = data.iter().map(to_cell).collect();
        on_row(RowPos::at(number + 1), &cells)
    };
    while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
        let (r, c) = cell.get_position();
        let value = owned(cell.get_value());
        if value == Data::Empty {
            continue;
        }
        match current {
            Some(cur) if cur == r => {}
            Some(cur) => {
                if !emit(cur, &row) {
                    return Ok(());
                }
                // Rows without cells in between.
                for gap in cur + 1..r {
                    if !emit(gap, &[]) {
                        return Ok(());
                    }
                }
                row.clear();
                current = Some(r);
            }
            None => current = Some(r),
        }
        let c = c as usize;
        if row.len() <= c {
            row.resize(c + 1, Data::Empty);
        }
        row[c] = value;
    }
    if let Some(cur) = current {
        emit(cur, &row);
    }
    Ok(())
}

fn owned(value: &calamine::DataRef<'_>) -> Data {
    use calamine::DataRef;
    match value {
        DataRef::Int(i) => Data::Int(*i),
        DataRef::Float(x) => Data::Float(*x),
        DataRef::String(s) => Data::String(s.clone()),
        DataRef::SharedString(s) => Data::String((*s).to_string()),
        DataRef::Bool(b) => Data::Bool(*b),
        DataRef::DateTime(d) => Data::DateTime(*d),
        DataRef::DateTimeIso(s) => Data::DateTimeIso(s.clone()),
        DataRef::DurationIso(s) => Data::DurationIso(s.clone()),
        DataRef::Error(e) => Data::Error(e.clone()),
        DataRef::Empty => Data::Empty,
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
fn for_each_range_row(range: &Range<Data>, on_row: &mut dyn FnMut(RowPos, &[Cell<'_>]) -> bool) {
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

    /// A zip archive of stored (uncompressed) members.
    fn stored_zip(members: &[(&str, &str)]) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, body) in members {
            w.start_file(*name, options).unwrap();
            w.write_all(body.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn a_member_whose_data_fails_its_checksum_is_named() {
        let good = stored_zip(&[
            ("a.xml", "<v>1</v>"),
            ("xl/worksheets/sheet1.xml", "<v>1</v>"),
        ]);
        assert_eq!(verify_zip(&good, "xlsx"), Ok(()));
        // The second member's 1 becomes 7: its stored CRC no longer fits.
        let mut bad = good.clone();
        let second = bad
            .windows(8)
            .enumerate()
            .filter(|(_, w)| *w == b"<v>1</v>")
            .nth(1)
            .map(|(i, _)| i)
            .unwrap();
        bad[second + 3] = b'7';
        assert_eq!(
            verify_zip(&bad, "xlsx"),
            Err(Problem::ZipChecksum {
                format: "xlsx",
                member: "xl/worksheets/sheet1.xml".into()
            })
        );
        // Not a zip archive at all: left to calamine, which says why.
        assert_eq!(verify_zip(b"PK\x03\x04junk", "xlsx"), Ok(()));
    }

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
