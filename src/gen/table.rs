//! Row-by-row table writers: CSV (header on line 1) or constant-memory xlsx
//! (one title row, then the header on row 2).
//!
//! Rows are written as they are produced; nothing is held in memory beyond a
//! few reusable field buffers (CSV) or the xlsx writer's current row.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use crate::error::Error;

/// How a date is written: the spec's accepted text forms. In xlsx an
/// [`DateStyle::Iso`] date becomes a real date cell, the others stay text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum DateStyle {
    Iso,
    Slash,
    Chinese,
    Compact,
}

/// One cell of a row.
#[derive(Clone, Copy, Debug)]
pub(super) enum Cell<'a> {
    Empty,
    Text(&'a str),
    /// An amount in fen, written `280.00` (CSV) or as a number formatted
    /// `#,##0.00` (xlsx).
    Money(i64),
    Int(u64),
    Date(NaiveDate, DateStyle),
}

/// Appends `n` in decimal, zero-padded to `width` digits (no `fmt`
/// machinery: this runs for every cell of a million-row file).
pub(super) fn push_num(out: &mut String, n: u64, width: usize) {
    let mut buf = [b'0'; 24];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let start = i.min(buf.len().saturating_sub(width));
    // Only ASCII digits were written: the conversion cannot fail.
    out.push_str(std::str::from_utf8(&buf[start..]).unwrap_or_default());
}

/// Writes `fen` as yuan with two decimals (`28000` → `280.00`).
pub(super) fn write_money(out: &mut String, fen: i64) {
    if fen < 0 {
        out.push('-');
    }
    let abs = fen.unsigned_abs();
    push_num(out, abs / 100, 1);
    out.push('.');
    push_num(out, abs % 100, 2);
}

fn write_date(out: &mut String, date: NaiveDate, style: DateStyle) {
    let (y, m, d) = (
        u64::from(date.year().unsigned_abs()),
        u64::from(date.month()),
        u64::from(date.day()),
    );
    let (sep, width, ends): (&str, usize, [&str; 3]) = match style {
        DateStyle::Iso => ("-", 2, ["-", "", ""]),
        DateStyle::Slash => ("/", 2, ["/", "", ""]),
        DateStyle::Chinese => ("", 1, ["年", "月", "日"]),
        DateStyle::Compact => ("", 2, ["", "", ""]),
    };
    push_num(out, y, 4);
    out.push_str(ends[0]);
    push_num(out, m, width);
    out.push_str(if style == DateStyle::Chinese {
        ends[1]
    } else {
        sep
    });
    push_num(out, d, width);
    out.push_str(ends[2]);
}

/// What a table is: its file stem, sheet name, title and columns.
pub(super) struct Layout<'a> {
    pub stem: &'a str,
    pub sheet: &'a str,
    pub title: &'a str,
    pub header: &'a [&'a str],
    /// Column widths for the workbook (characters).
    pub widths: &'a [f64],
}

pub(super) enum Table {
    Csv(CsvTable),
    Xlsx(Box<XlsxTable>),
}

/// A minimal RFC 4180 writer (`\n` line ends): a field is quoted only when
/// it holds a comma, a quote or a line break; a text that a spreadsheet
/// would take as a formula gets a `'` in front
/// ([`crate::sanitize::csv_escape`]).
pub(super) struct CsvTable {
    path: PathBuf,
    out: BufWriter<File>,
    field: String,
}

pub(super) struct XlsxTable {
    path: PathBuf,
    workbook: Workbook,
    next_row: u32,
    money: Format,
    date: Format,
}

impl Table {
    /// Creates `dir/<stem>.csv` and writes the header on line 1.
    pub(super) fn csv(dir: &Path, layout: &Layout<'_>) -> Result<Table, Error> {
        let path = dir.join(format!("{}.csv", layout.stem));
        let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
        let mut table = CsvTable {
            path,
            out: BufWriter::with_capacity(1 << 18, file),
            field: String::new(),
        };
        let header: Vec<Cell<'_>> = layout.header.iter().map(|h| Cell::Text(h)).collect();
        table.row(&header)?;
        Ok(Table::Csv(table))
    }

    /// Starts `dir/<stem>.xlsx` (saved by [`Table::finish`]): a
    /// constant-memory sheet with the title on row 1 and the header on row 2.
    /// `created` is the fixed document creation date, so that the same
    /// options give byte-identical workbooks.
    pub(super) fn xlsx(
        dir: &Path,
        layout: &Layout<'_>,
        created: NaiveDate,
    ) -> Result<Table, Error> {
        let path = dir.join(format!("{}.xlsx", layout.stem));
        let xerr = |source: XlsxError| Error::Xlsx {
            path: path.clone(),
            source,
        };
        let mut workbook = Workbook::new();
        // Every part of the timestamp fits its target type: the date comes from a `Month`
        // (years 1900–2099).
        let stamp = ExcelDateTime::from_ymd(
            u16::try_from(created.year()).unwrap_or(2000),
            u8::try_from(created.month()).unwrap_or(1),
            u8::try_from(created.day()).unwrap_or(1),
        )
        .map_err(xerr)?;
        let properties = DocProperties::new()
            .set_title(layout.title)
            .set_creation_datetime(&stamp);
        workbook.set_properties(&properties);
        // The fastest deflate level: saving large sheets is otherwise
        // dominated by compression, for files only slightly smaller.
        workbook.set_zip_compression_level(1);
        let bold = Format::new().set_bold();
        let title_format = Format::new().set_bold().set_font_size(14);
        let sheet = workbook
            .add_worksheet_with_constant_memory()
            .map_err(xerr)?;
        sheet.set_name(layout.sheet).map_err(xerr)?;
        for (col, width) in layout.widths.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            sheet.set_column_width(col, *width).map_err(xerr)?;
        }
        sheet
            .write_string_with_format(0, 0, layout.title, &title_format)
            .map_err(xerr)?;
        for (col, name) in layout.header.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            sheet
                .write_string_with_format(1, col, *name, &bold)
                .map_err(xerr)?;
        }
        Ok(Table::Xlsx(Box::new(XlsxTable {
            path,
            workbook,
            next_row: 2,
            money: Format::new().set_num_format("#,##0.00"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
        })))
    }

    /// Writes one data row.
    pub(super) fn row(&mut self, cells: &[Cell<'_>]) -> Result<(), Error> {
        match self {
            Table::Csv(t) => t.row(cells),
            Table::Xlsx(t) => t.row(cells),
        }
    }

    /// Flushes (CSV) or saves (xlsx) the file and returns its path.
    pub(super) fn finish(self) -> Result<PathBuf, Error> {
        match self {
            Table::Csv(mut t) => {
                t.out.flush().map_err(|e| Error::io(&t.path, e))?;
                Ok(t.path)
            }
            Table::Xlsx(mut t) => {
                t.workbook.save(&t.path).map_err(|source| Error::Xlsx {
                    path: t.path.clone(),
                    source,
                })?;
                Ok(t.path)
            }
        }
    }
}

impl CsvTable {
    fn row(&mut self, cells: &[Cell<'_>]) -> Result<(), Error> {
        self.write_row(cells).map_err(|e| Error::io(&self.path, e))
    }

    fn write_row(&mut self, cells: &[Cell<'_>]) -> std::io::Result<()> {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.out.write_all(b",")?;
            }
            let escaped;
            let text = match *cell {
                Cell::Empty => continue,
                Cell::Text(s) => {
                    escaped = crate::sanitize::csv_escape(s);
                    &*escaped
                }
                Cell::Money(fen) => {
                    self.field.clear();
                    write_money(&mut self.field, fen);
                    &self.field
                }
                Cell::Int(n) => {
                    self.field.clear();
                    push_num(&mut self.field, n, 1);
                    &self.field
                }
                Cell::Date(d, style) => {
                    self.field.clear();
                    write_date(&mut self.field, d, style);
                    &self.field
                }
            };
            if text
                .bytes()
                .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
            {
                self.out.write_all(b"\"")?;
                self.out.write_all(text.replace('"', "\"\"").as_bytes())?;
                self.out.write_all(b"\"")?;
            } else {
                self.out.write_all(text.as_bytes())?;
            }
        }
        self.out.write_all(b"\n")
    }
}

impl XlsxTable {
    fn row(&mut self, cells: &[Cell<'_>]) -> Result<(), Error> {
        let row = self.next_row;
        self.next_row += 1;
        let xerr = |source: XlsxError| Error::Xlsx {
            path: self.path.clone(),
            source,
        };
        let sheet = self.workbook.worksheet_from_index(0).map_err(xerr)?;
        let mut text = String::new();
        for (col, cell) in cells.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            match *cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    sheet.write_string(row, col, s).map_err(xerr)?;
                }
                Cell::Money(fen) => {
                    // The workbook's number cells are binary floating point by
                    // the file format: the one conversion, which refuses a
                    // number that would not show the same fen.
                    let yuan =
                        crate::report::workbook::amount(crate::model::money::Money::from_fen(fen))
                            .map_err(xerr)?;
                    sheet
                        .write_number_with_format(row, col, yuan, &self.money)
                        .map_err(xerr)?;
                }
                Cell::Int(n) => {
                    sheet.write_number(row, col, n as f64).map_err(xerr)?;
                }
                Cell::Date(d, DateStyle::Iso) => {
                    let date = ExcelDateTime::from_ymd(
                        u16::try_from(d.year()).unwrap_or(2000),
                        u8::try_from(d.month()).unwrap_or(1),
                        u8::try_from(d.day()).unwrap_or(1),
                    )
                    .map_err(xerr)?;
                    sheet
                        .write_datetime_with_format(row, col, &date, &self.date)
                        .map_err(xerr)?;
                }
                Cell::Date(d, style) => {
                    text.clear();
                    write_date(&mut text, d, style);
                    sheet.write_string(row, col, text.as_str()).map_err(xerr)?;
                }
            }
        }
        Ok(())
    }
}
