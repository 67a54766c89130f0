//! Row-by-row table writers: CSV (header on line 1) or constant-memory xlsx
//! (one title row, then the header on row 2).
//!
//! Rows are written as they are produced; nothing is held in memory beyond a
//! few reusable field buffers (CSV) or the xlsx writer's current row.

use std::fmt::Write as _;
use std::fs::File;
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

/// Writes `fen` as yuan with two decimals (`28000` → `280.00`).
pub(super) fn write_money(out: &mut String, fen: i64) {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    let _ = write!(out, "{sign}{}.{:02}", abs / 100, abs % 100);
}

fn write_date(out: &mut String, date: NaiveDate, style: DateStyle) {
    let (y, m, d) = (date.year(), date.month(), date.day());
    let _ = match style {
        DateStyle::Iso => write!(out, "{y:04}-{m:02}-{d:02}"),
        DateStyle::Slash => write!(out, "{y:04}/{m:02}/{d:02}"),
        DateStyle::Chinese => write!(out, "{y}年{m}月{d}日"),
        DateStyle::Compact => write!(out, "{y:04}{m:02}{d:02}"),
    };
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
    Xlsx(XlsxTable),
}

pub(super) struct CsvTable {
    path: PathBuf,
    writer: csv::Writer<File>,
    fields: Vec<String>,
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
        let writer = csv::WriterBuilder::new()
            .buffer_capacity(1 << 17)
            .from_writer(file);
        let mut table = CsvTable {
            path,
            writer,
            fields: Vec::new(),
        };
        table
            .writer
            .write_record(layout.header)
            .map_err(|source| Error::Csv {
                path: table.path.clone(),
                source,
            })?;
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
        Ok(Table::Xlsx(XlsxTable {
            path,
            workbook,
            next_row: 2,
            money: Format::new().set_num_format("#,##0.00"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
        }))
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
                t.writer.flush().map_err(|e| Error::io(&t.path, e))?;
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
        if self.fields.len() < cells.len() {
            self.fields.resize_with(cells.len(), String::new);
        }
        for (field, cell) in self.fields.iter_mut().zip(cells) {
            field.clear();
            match *cell {
                Cell::Empty => {}
                Cell::Text(s) => field.push_str(s),
                Cell::Money(fen) => write_money(field, fen),
                Cell::Int(n) => {
                    let _ = write!(field, "{n}");
                }
                Cell::Date(d, style) => write_date(field, d, style),
            }
        }
        self.writer
            .write_record(&self.fields[..cells.len()])
            .map_err(|source| Error::Csv {
                path: self.path.clone(),
                source,
            })
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
                    // the file format; the value is the nearest double to the
                    // exact fen amount and displays exactly with two decimals.
                    let yuan = fen as f64 / 100.0;
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
