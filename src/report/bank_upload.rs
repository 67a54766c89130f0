//! The bank upload files (代发报盘文件): one workbook per bank with the
//! bank's own headers, and the bank's text format when its layout asks for
//! it. The layouts — columns, text shape, unit, encoding, control line and
//! field limits — are data in [`crate::report::upload_layouts`].
//!
//! A bank loads these files into its batch-payment system as they are, so
//! their headers are the bank's (never translated with `--lang`), every due
//! household is one line, and a control line carries the count (笔数) and the
//! exact total (总金额) the bank checks the batch against. `备注` is
//! `{household_id} {YYYY-MM}` with exactly one space when it fits the bank's
//! limit, else the household number alone: the bank echoes it in its result
//! file (回盘), which is how reconcile matches each payment back.
//!
//! Writing is two steps: [`prepare`] chooses every value and checks it
//! against the bank's limits (a value over one is a [`Violation`], and
//! nothing may be written), then [`Prepared::write`] writes exactly those
//! values. A bank cuts what is too long without a word; dibao never does.
//!
//! Invariants: only `Due` rows are written, in roster order; the control
//! total is Σ fen of the rows written (the bank files of a month add up to
//! [`Payroll::total`]); accounts and IDs are text cells; there are no
//! formulas; the bytes depend only on the payroll, the layouts and the
//! document date.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_xlsxwriter::{ColNum, Format, FormatBorder, RowNum, Worksheet, XlsxError};
use rustc_hash::FxHashMap;

use crate::error::Error;
use crate::ingest::profile::AmountUnit;
use crate::ingest::upload::{SummaryAt, UploadField, UploadFormat};
use crate::issue::Problem;
use crate::model::date::Month;
use crate::model::money::Money;
use crate::payroll::{Payroll, PayrollRow};
use crate::report::upload_layouts::{self, TextShape, UploadLayout, byte_len};
use crate::report::workbook::{
    SHEET_DATA_ROWS, amount, header_format, money_format, new_workbook, text_format,
};

/// The sheet name; later sheets of a large bank are `代发明细 (2)`, ….
pub const SHEET: &str = "代发明细";

/// The usual column headers, in order (the generic and ABC layouts').
pub const HEADERS: [&str; 6] = ["序号", "账号", "户名", "金额", "身份证号", "备注"];

/// A column's width in the workbook (characters).
fn column_width(field: UploadField) -> f64 {
    match field {
        UploadField::Serial => 8.0,
        UploadField::Account => 24.0,
        UploadField::Name => 14.0,
        UploadField::Amount => 14.0,
        UploadField::IdNumber => 22.0,
        UploadField::Reference => 20.0,
    }
}

/// One line of a bank's upload: the payroll row and its 备注.
#[derive(Clone, Debug)]
pub struct Line<'a> {
    pub row: &'a PayrollRow,
    pub reference: String,
}

/// One bank's upload: its layout and lines.
#[derive(Clone, Debug)]
pub struct BankFile<'a> {
    /// The bank's name as the payroll rows have it.
    pub bank: &'a str,
    pub layout: UploadLayout,
    pub lines: Vec<Line<'a>>,
    pub total: Money,
}

/// A value over the bank's limit: the household, the column, and the
/// problem to report (at the household's roster cell).
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub household_id: String,
    pub field: UploadField,
    pub problem: Problem,
}

/// Every bank's upload, every value chosen and checked.
#[derive(Clone, Debug)]
pub struct Prepared<'a> {
    pub month: Month,
    pub banks: Vec<BankFile<'a>>,
    /// Values over a limit: when any, nothing may be written.
    pub violations: Vec<Violation>,
}

/// Chooses each bank's layout (`layout_of`, by the bank's name), each
/// line's 备注 ([`upload_layouts::reference`]), and checks every value
/// against the layout's limits: 户名 and 备注 in bytes of the layout's
/// encoding, a fixed-width column's width, the amount against
/// `max_amount`. Banks come in order of first appearance among the due
/// rows, lines in roster order.
///
/// # Errors
/// What `layout_of` returns (a layout that cannot be built).
pub fn prepare<'a>(
    payroll: &'a Payroll,
    layout_of: &mut dyn FnMut(&str) -> Result<UploadLayout, Error>,
) -> Result<Prepared<'a>, Error> {
    let month = payroll.month;
    let mut banks = Vec::new();
    let mut violations = Vec::new();
    for (bank, rows) in by_bank(payroll) {
        let layout = layout_of(bank)?;
        let encoding = layout.encoding.name();
        let mut lines = Vec::with_capacity(rows.len());
        let mut total = Money::ZERO;
        for row in rows {
            let too_long = |field: UploadField, value: &str, limit: usize| {
                let bytes = byte_len(value, layout.encoding);
                (bytes > limit).then(|| Violation {
                    household_id: row.household_id.to_string(),
                    field,
                    problem: Problem::UploadTooLong {
                        bank: bank.to_string(),
                        household: row.household_id.to_string(),
                        field: field.label(),
                        value: value.to_string(),
                        bytes,
                        limit,
                        encoding,
                    },
                })
            };
            let limit = layout.limit(UploadField::Reference).unwrap_or(usize::MAX);
            let reference =
                match upload_layouts::reference(&row.household_id, month, limit, layout.encoding) {
                    Some(r) => r,
                    None => {
                        violations.extend(too_long(
                            UploadField::Reference,
                            &row.household_id,
                            limit,
                        ));
                        String::new()
                    }
                };
            for (field, value) in [
                (UploadField::Name, row.account_name.as_str()),
                (UploadField::Account, row.account.as_str()),
                (UploadField::IdNumber, row.id_number.as_str()),
            ] {
                if layout.has(field)
                    && let Some(limit) = layout.limit(field)
                {
                    violations.extend(too_long(field, value, limit));
                }
            }
            if row.total > layout.max_amount {
                violations.push(Violation {
                    household_id: row.household_id.to_string(),
                    field: UploadField::Amount,
                    problem: Problem::UploadAmountTooLarge {
                        bank: bank.to_string(),
                        household: row.household_id.to_string(),
                        amount: row.total.to_string(),
                        limit: layout.max_amount.to_string(),
                    },
                });
            } else if let Some(width) = layout.limit(UploadField::Amount) {
                violations.extend(too_long(
                    UploadField::Amount,
                    &amount_text(row.total, layout.amount_unit),
                    width,
                ));
            }
            total += row.total;
            lines.push(Line { row, reference });
        }
        banks.push(BankFile {
            bank,
            layout,
            lines,
            total,
        });
    }
    Ok(Prepared {
        month,
        banks,
        violations,
    })
}

impl Prepared<'_> {
    /// Writes every bank's workbook (file names from [`file_name`]), then
    /// the text files of the banks whose layout is `text` (the same name,
    /// `.txt`); returns the paths written.
    ///
    /// # Parameters
    /// - `date`: the document date (制表日期), stored as the workbooks'
    ///   creation date so that reruns give the same bytes.
    /// - `dir`: an existing directory.
    ///
    /// # Errors
    /// - [`Error::Usage`] when there are violations (nothing is written),
    ///   or when a text file cannot hold a value (a character its encoding
    ///   cannot represent, the delimiter inside a field, a header or control
    ///   value wider than its fixed-width column); the partial file is
    ///   removed.
    /// - [`Error::Xlsx`] when a workbook cannot be built or saved.
    /// - [`Error::Io`] when a text file cannot be written.
    pub fn write(&self, date: NaiveDate, dir: &Path) -> Result<Vec<PathBuf>, Error> {
        self.write_sheets_of(date, dir, (SHEET_DATA_ROWS - 1) as usize)
    }

    fn write_sheets_of(
        &self,
        date: NaiveDate,
        dir: &Path,
        per_sheet: usize,
    ) -> Result<Vec<PathBuf>, Error> {
        if let Some(v) = self.violations.first() {
            return Err(Error::Usage(format!(
                "{}: {}",
                v.household_id,
                v.problem.message(crate::issue::Lang::Zh)
            )));
        }
        let mut taken: HashSet<String> = HashSet::new();
        let mut paths = Vec::new();
        let mut texts = Vec::new();
        for file in &self.banks {
            let name = unique_name(file_name(file.bank, self.month), &mut taken);
            let path = dir.join(&name);
            write_bank(file, date, &path, per_sheet).map_err(|source| Error::Xlsx {
                path: path.clone(),
                source,
            })?;
            paths.push(path);
            if file.layout.format == UploadFormat::Text {
                let stem = name.strip_suffix(".xlsx").unwrap_or(&name);
                texts.push((file, dir.join(format!("{stem}.txt"))));
            }
        }
        for (file, path) in texts {
            write_text_file(file, &path)?;
            paths.push(path);
        }
        Ok(paths)
    }
}

/// Writes one workbook per bank in its built-in layout (see
/// [`upload_layouts::builtin_for`]) into `dir`; returns the paths written.
///
/// Each workbook has the sheet `代发明细`: the header row, one row per due
/// household of that bank in roster order, and the control line (`合计`,
/// `{N}笔`, the total) where the layout puts it (last, by default). A bank
/// with more than [`SHEET_DATA_ROWS`] − 1 rows continues on
/// `代发明细 (2)`, … with the header repeated.
///
/// # Errors
/// [`Error::Usage`] when a value is over the bank's limit (see
/// [`prepare`]); [`Error::Xlsx`] when a workbook cannot be built or saved.
///
/// # Examples
/// ```no_run
/// # fn demo(payroll: &dibao::payroll::Payroll) -> Result<(), dibao::error::Error> {
/// let date = payroll.month.first_day();
/// let paths = dibao::report::bank_upload::write(payroll, date, std::path::Path::new("out"))?;
/// for path in paths {
///     println!("{}", path.display());
/// }
/// # Ok(())
/// # }
/// ```
pub fn write(payroll: &Payroll, date: NaiveDate, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    prepare(payroll, &mut |bank| Ok(upload_layouts::builtin_for(bank)))?.write(date, dir)
}

/// The file name for a bank: `报盘_{bank}_{YYYY-MM}.xlsx`, with characters
/// that are not allowed in file names (`/ \ : * ? " < > |` and control
/// characters) replaced by `_`.
///
/// # Examples
/// ```
/// use dibao::model::date::Month;
/// use dibao::report::bank_upload::file_name;
/// let month = Month::new(2026, 11).expect("a real month");
/// assert_eq!(file_name("中国农业银行", month), "报盘_中国农业银行_2026-11.xlsx");
/// assert_eq!(file_name("农行/城区支行", month), "报盘_农行_城区支行_2026-11.xlsx");
/// ```
pub fn file_name(bank: &str, month: Month) -> String {
    let safe: String = bank
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("报盘_{safe}_{month}.xlsx")
}

/// An amount as a text file writes it: `1234.50` yuan or `123450` fen.
fn amount_text(m: Money, unit: AmountUnit) -> String {
    match unit {
        AmountUnit::Yuan => m.to_string(),
        AmountUnit::Fen => m.fen().to_string(),
    }
}

/// One line's values in the text file's columns.
fn line_values(
    line: &Line<'_>,
    serial: usize,
    layout: &UploadLayout,
) -> Vec<(UploadField, String)> {
    layout
        .text_columns()
        .map(|(field, _)| {
            let value = match field {
                UploadField::Serial => serial.to_string(),
                UploadField::Account => line.row.account.to_string(),
                UploadField::Name => line.row.account_name.to_string(),
                UploadField::Amount => amount_text(line.row.total, layout.amount_unit),
                UploadField::IdNumber => line.row.id_number.to_string(),
                UploadField::Reference => line.reference.clone(),
            };
            (*field, value)
        })
        .collect()
}

/// The control line's values in the text file's columns: the total under
/// 金额, `合计` in the first other column, `{N}笔` in the next.
fn summary_values(file: &BankFile<'_>) -> Vec<(UploadField, String)> {
    let mut others = 0;
    file.layout
        .text_columns()
        .map(|(field, _)| {
            let value = if *field == UploadField::Amount {
                amount_text(file.total, file.layout.amount_unit)
            } else {
                others += 1;
                match others {
                    1 => "合计".to_string(),
                    2 => format!("{}笔", file.lines.len()),
                    _ => String::new(),
                }
            };
            (*field, value)
        })
        .collect()
}

/// The bank's text file: the header line when the layout has one, the
/// control line first or last, one line per due household; fields joined
/// by the delimiter or padded to their widths (in bytes of the encoding:
/// text left-aligned with spaces, 序号 and 金额 right-aligned with zeros),
/// CRLF line ends, in the layout's encoding.
///
/// # Errors
/// [`Error::Usage`] when a field contains the delimiter or a line break,
/// a character cannot be represented in the encoding (never a silent
/// replacement: the message names the household, the field and the
/// character), or a value is wider than its fixed-width column; the
/// partial file is removed. [`Error::Io`] when the file cannot be written.
fn write_text_file(file: &BankFile<'_>, path: &Path) -> Result<(), Error> {
    let result = write_text_lines(file, path);
    if result.is_err() {
        // Best effort: a half-written upload file must not be sent to a bank.
        let _ = std::fs::remove_file(path);
    }
    result
}

fn write_text_lines(file: &BankFile<'_>, path: &Path) -> Result<(), Error> {
    let layout = &file.layout;
    let encoding = layout.encoding;
    if encoding.output_encoding() != encoding {
        return Err(Error::Usage(format!(
            "{}: the bank text format cannot be written in {}; use GBK, GB18030 or UTF-8",
            path.display(),
            encoding.name()
        )));
    }
    if let TextShape::Delimited(delimiter) = &layout.text {
        if delimiter.is_empty() {
            return Err(Error::Usage(format!(
                "{}: the bank text format needs a delimiter (e.g. \"|\")",
                path.display()
            )));
        }
        if let Some(c) = unmappable_char(delimiter, encoding) {
            return Err(Error::Usage(format!(
                "{}: the delimiter {delimiter:?} has the character {c:?}, which {} cannot represent",
                path.display(),
                encoding.name()
            )));
        }
    }
    let out = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut out = std::io::BufWriter::new(out);
    let fixed_line = |values: &[(UploadField, String)], widths: &[usize], what: &str| {
        let mut line = String::new();
        for ((field, value), width) in values.iter().zip(widths) {
            let bytes = byte_len(value, encoding);
            if bytes > *width {
                return Err(Error::Usage(format!(
                    "{}: {what}: {} {value:?} takes {bytes} bytes, its column {width}; \
                     widen the column in the bank profile's [upload] widths",
                    path.display(),
                    field.label()
                )));
            }
            let pad = width - bytes;
            if matches!(field, UploadField::Amount | UploadField::Serial)
                && value.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                && !value.is_empty()
            {
                line.extend(std::iter::repeat_n('0', pad));
                line.push_str(value);
            } else {
                line.push_str(value);
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        Ok(line)
    };
    let render = |values: Vec<(UploadField, String)>, what: &str| -> Result<String, Error> {
        match &layout.text {
            TextShape::Fixed(widths) => fixed_line(&values, widths, what),
            TextShape::Delimited(delimiter) => {
                for (field, value) in &values {
                    if value.contains(delimiter.as_str()) || value.contains(['\r', '\n']) {
                        return Err(Error::Usage(format!(
                            "{}: {what}: {} {value:?} contains the delimiter {delimiter:?} or a line break; \
                             correct the roster or choose another delimiter in the bank profile",
                            path.display(),
                            field.label()
                        )));
                    }
                }
                Ok(values
                    .into_iter()
                    .map(|(_, v)| v)
                    .collect::<Vec<_>>()
                    .join(delimiter))
            }
        }
    };
    let emit_checked = |out: &mut std::io::BufWriter<std::fs::File>,
                        line: &str,
                        fields: &[(UploadField, String)],
                        what: &str|
     -> Result<(), Error> {
        let (bytes, _, had_unmappable) = encoding.encode(line);
        if had_unmappable {
            for (field, value) in fields {
                if let Some(c) = unmappable_char(value, encoding) {
                    return Err(Error::Usage(format!(
                        "{}: {what}: {} {value:?} has the character {c:?} (U+{:04X}), \
                         which {} cannot represent; correct the roster or use GB18030 or UTF-8 in the bank profile",
                        path.display(),
                        field.label(),
                        u32::from(c),
                        encoding.name()
                    )));
                }
            }
            return Err(Error::Usage(format!(
                "{}: {what}: the line cannot be represented in {}",
                path.display(),
                encoding.name()
            )));
        }
        out.write_all(&bytes)
            .and_then(|()| out.write_all(b"\r\n"))
            .map_err(|e| Error::io(path, e))
    };
    if layout.header {
        let values: Vec<(UploadField, String)> = layout
            .text_columns()
            .map(|(f, h)| (*f, h.clone()))
            .collect();
        // Headers are text: left-aligned whatever the column.
        let shown: Vec<(UploadField, String)> = values
            .iter()
            .map(|(_, h)| (UploadField::Name, h.clone()))
            .collect();
        let line = render(shown, "the header line")?;
        emit_checked(&mut out, &line, &values, "the header line")?;
    }
    let summary = || -> Result<(String, Vec<(UploadField, String)>), Error> {
        let values = summary_values(file);
        Ok((render(values.clone(), "the control line")?, values))
    };
    if layout.summary == SummaryAt::First {
        let (line, values) = summary()?;
        emit_checked(&mut out, &line, &values, "the control line")?;
    }
    for (i, entry) in file.lines.iter().enumerate() {
        let what = format!("household {} ({})", entry.row.household_id, entry.row.name);
        let values = line_values(entry, i + 1, layout);
        let line = render(values.clone(), &what)?;
        emit_checked(&mut out, &line, &values, &what)?;
    }
    if layout.summary == SummaryAt::Last {
        let (line, values) = summary()?;
        emit_checked(&mut out, &line, &values, "the control line")?;
    }
    out.flush().map_err(|e| Error::io(path, e))?;
    Ok(())
}

/// The first character of `text` that `encoding` cannot represent.
fn unmappable_char(text: &str, encoding: &'static encoding_rs::Encoding) -> Option<char> {
    let (_, _, had_unmappable) = encoding.encode(text);
    if !had_unmappable {
        return None;
    }
    let mut buf = [0u8; 4];
    text.chars()
        .find(|c| encoding.encode(c.encode_utf8(&mut buf)).2)
}

/// The due rows grouped by bank, banks in order of first appearance.
fn by_bank(payroll: &Payroll) -> Vec<(&str, Vec<&PayrollRow>)> {
    let mut index: FxHashMap<&str, usize> = FxHashMap::default();
    let mut groups: Vec<(&str, Vec<&PayrollRow>)> = Vec::new();
    for row in payroll.due() {
        let i = *index.entry(row.bank.as_str()).or_insert_with(|| {
            groups.push((row.bank.as_str(), Vec::new()));
            groups.len() - 1
        });
        groups[i].1.push(row);
    }
    groups
}

/// `name`, or `name` with `_2`, `_3`, … before the extension when taken.
fn unique_name(name: String, taken: &mut HashSet<String>) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    let stem = name.strip_suffix(".xlsx").unwrap_or(&name).to_string();
    let mut n = 2u32;
    loop {
        let candidate = format!("{stem}_{n}.xlsx");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// One bank's workbook.
fn write_bank(
    file: &BankFile<'_>,
    date: NaiveDate,
    path: &Path,
    per_sheet: usize,
) -> Result<(), XlsxError> {
    let layout = &file.layout;
    let rows = &file.lines;
    let per_sheet = per_sheet.max(1);
    let mut workbook = new_workbook(date);
    let header = header_format();
    let text = text_format();
    let money = match layout.xlsx_amount_unit {
        AmountUnit::Yuan => money_format(),
        AmountUnit::Fen => Format::new()
            .set_num_format("0")
            .set_border(FormatBorder::Thin),
    };
    let cell_amount = |m: Money| match layout.xlsx_amount_unit {
        AmountUnit::Yuan => amount(m),
        // Whole fen below 2^53 are exact in a cell.
        AmountUnit::Fen => Ok(m.fen() as f64),
    };

    let chunks: Vec<&[Line<'_>]> = if rows.is_empty() {
        vec![&[]]
    } else {
        rows.chunks(per_sheet).collect()
    };
    let last = chunks.len() - 1;
    let mut serial: u64 = 0;
    let control = |sheet: &mut Worksheet, r: RowNum| -> Result<(), XlsxError> {
        let mut others = 0;
        for (c, (field, _)) in layout.columns.iter().enumerate() {
            let c = c as ColNum;
            if *field == UploadField::Amount {
                sheet.write_number_with_format(r, c, cell_amount(file.total)?, &money)?;
                continue;
            }
            others += 1;
            match others {
                1 => sheet.write_string_with_format(r, c, "合计", &header)?,
                2 => sheet.write_string_with_format(r, c, format!("{}笔", rows.len()), &text)?,
                _ => sheet.write_blank(r, c, &text)?,
            };
        }
        Ok(())
    };
    for (i, chunk) in chunks.into_iter().enumerate() {
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        if i == 0 {
            sheet.set_name(SHEET)?;
        } else {
            sheet.set_name(format!("{SHEET} ({})", i + 1))?;
        }
        setup_sheet(sheet, layout, &header)?;
        let mut r: RowNum = 1;
        if i == 0 && layout.xlsx_summary == SummaryAt::First {
            control(sheet, r)?;
            r += 1;
        }
        for line in chunk {
            serial += 1;
            // Only the amount needs a format (the library hashes a cell's
            // format on every write); text cells are text either way.
            for (c, (field, _)) in layout.columns.iter().enumerate() {
                let c = c as ColNum;
                match field {
                    UploadField::Serial => sheet.write_number(r, c, serial as f64)?,
                    UploadField::Account => sheet.write_string(r, c, line.row.account.as_str())?,
                    UploadField::Name => {
                        sheet.write_string(r, c, line.row.account_name.as_str())?
                    }
                    UploadField::Amount => sheet.write_number_with_format(
                        r,
                        c,
                        cell_amount(line.row.total)?,
                        &money,
                    )?,
                    UploadField::IdNumber => {
                        sheet.write_string(r, c, line.row.id_number.as_str())?
                    }
                    UploadField::Reference => sheet.write_string(r, c, line.reference.as_str())?,
                };
            }
            r += 1;
        }
        if i == last && layout.xlsx_summary == SummaryAt::Last {
            control(sheet, r)?;
        }
    }
    workbook.save(path)
}

/// Column widths, the header row, frozen below the header.
fn setup_sheet(
    sheet: &mut Worksheet,
    layout: &UploadLayout,
    header: &Format,
) -> Result<(), XlsxError> {
    for (col, (field, title)) in layout.columns.iter().enumerate() {
        sheet.set_column_width(col as ColNum, column_width(*field))?;
        sheet.write_string_with_format(0, col as ColNum, title.as_str(), header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::policy::Policy;
    use crate::payroll::{Hold, RowStatus};
    use calamine::{Data, Reader, Xlsx, open_workbook};

    const ABC: &str = "中国农业银行";
    const ICBC: &str = "中国工商银行";

    fn month() -> Month {
        Month::new(2026, 11).expect("month")
    }

    fn row(
        id: &str,
        name: &str,
        idno: &str,
        account: &str,
        bank: &str,
        total_fen: i64,
        status: RowStatus,
    ) -> PayrollRow {
        let due = status == RowStatus::Due;
        let fen = |f: i64| Money::from_fen(if due { f } else { 0 });
        PayrollRow {
            household_id: id.into(),
            name: name.into(),
            id_number: idno.into(),
            account: account.into(),
            bank: bank.into(),
            account_name: name.into(),
            community: "青城社区".into(),
            street: "东关街道".into(),
            members: 1,
            status,
            hold: (!due).then_some(Hold::Roster),
            base: fen(total_fen),
            subsidies: Vec::new(),
            addons: Money::ZERO,
            reissue: Money::ZERO,
            reissue_for: Vec::new(),
            adjustment: Money::ZERO,
            total: fen(total_fen),
            note: String::new(),
        }
    }

    fn payroll() -> Payroll {
        Payroll {
            month: month(),
            policy: Policy::default(),
            rows: vec![
                row(
                    "QC0001",
                    "张三",
                    "110105194912310021",
                    "6228480012345678901",
                    ABC,
                    33_000,
                    RowStatus::Due,
                ),
                row(
                    "QC0002",
                    "李四明",
                    "11010519500101002X",
                    "6222020012345678",
                    ICBC,
                    62_000,
                    RowStatus::Due,
                ),
                row(
                    "QC0003",
                    "王五",
                    "110105195202020033",
                    "6228480099999999999",
                    ABC,
                    93_000,
                    RowStatus::Held,
                ),
                row(
                    "QC0012",
                    "欧阳明华",
                    "110105196003030047",
                    "0000480012345678905",
                    ABC,
                    123_456_789,
                    RowStatus::Due,
                ),
            ],
            owed: Vec::new(),
            recover: Vec::new(),
            not_applied: Vec::new(),
            previous_due: None,
        }
    }

    fn date() -> NaiveDate {
        month().first_day()
    }

    use crate::report::test_support::{f, read, s};

    fn fen(x: f64) -> i64 {
        (x * 100.0).round() as i64
    }

    #[test]
    fn file_names() {
        assert_eq!(file_name(ABC, month()), "报盘_中国农业银行_2026-11.xlsx");
        assert_eq!(
            file_name("a/b\\c:d*e?f\"g<h>i|j\tk", month()),
            "报盘_a_b_c_d_e_f_g_h_i_j_k_2026-11.xlsx"
        );
        let mut taken = HashSet::new();
        assert_eq!(unique_name("x.xlsx".into(), &mut taken), "x.xlsx");
        assert_eq!(unique_name("x.xlsx".into(), &mut taken), "x_2.xlsx");
        assert_eq!(unique_name("x.xlsx".into(), &mut taken), "x_3.xlsx");
    }

    #[test]
    fn one_workbook_per_bank_with_every_cell() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = payroll();
        let paths = write(&p, date(), dir.path()).expect("write");
        assert_eq!(
            paths,
            vec![
                dir.path().join("报盘_中国农业银行_2026-11.xlsx"),
                dir.path().join("报盘_中国工商银行_2026-11.xlsx"),
            ]
        );

        let book: Xlsx<_> = open_workbook(&paths[0]).expect("open");
        assert_eq!(book.sheet_names(), vec![SHEET.to_string()]);
        let abc = read(&paths[0], SHEET);
        assert_eq!(abc.start(), Some((0, 0)));
        assert_eq!(abc.end(), Some((3, 5)));
        for (c, h) in HEADERS.iter().enumerate() {
            assert_eq!(s(&abc, 0, c as u32), *h);
        }
        // First due row of the bank.
        assert_eq!(f(&abc, 1, 0), 1.0);
        assert_eq!(s(&abc, 1, 1), "6228480012345678901");
        assert_eq!(s(&abc, 1, 2), "张三");
        assert_eq!(fen(f(&abc, 1, 3)), 33_000);
        assert_eq!(f(&abc, 1, 3), 330.0);
        assert_eq!(s(&abc, 1, 4), "110105194912310021");
        assert_eq!(s(&abc, 1, 5), "QC0001 2026-11");
        // The held row (QC0003) is skipped; the next due row follows.
        assert_eq!(f(&abc, 2, 0), 2.0);
        assert_eq!(s(&abc, 2, 1), "0000480012345678905");
        assert_eq!(s(&abc, 2, 2), "欧阳明华");
        assert_eq!(f(&abc, 2, 3), 1_234_567.89);
        assert_eq!(s(&abc, 2, 4), "110105196003030047");
        assert_eq!(s(&abc, 2, 5), "QC0012 2026-11");
        // Control line.
        assert_eq!(s(&abc, 3, 0), "合计");
        assert_eq!(s(&abc, 3, 1), "2笔");
        assert_eq!(fen(f(&abc, 3, 3)), 33_000 + 123_456_789);
        assert_eq!(abc.get_value((3, 2)), Some(&Data::Empty));

        let icbc = read(&paths[1], SHEET);
        assert_eq!(icbc.end(), Some((2, 5)));
        assert_eq!(s(&icbc, 1, 1), "6222020012345678");
        assert_eq!(s(&icbc, 1, 4), "11010519500101002X");
        // ICBC takes 12 bytes of 备注: the household number alone.
        assert_eq!(s(&icbc, 1, 5), "QC0002");
        assert_eq!(s(&icbc, 2, 1), "1笔");
        assert_eq!(fen(f(&icbc, 2, 3)), 62_000);

        // Nothing of the held household anywhere.
        for path in &paths {
            let range = read(path, SHEET);
            for (_, _, cell) in range.used_cells() {
                let text = cell.to_string();
                assert!(!text.contains("QC0003") && !text.contains("王五"), "{text}");
            }
        }
    }

    #[test]
    fn control_totals_add_up_to_the_payroll() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = payroll();
        let paths = write(&p, date(), dir.path()).expect("write");
        let mut rows_sum = 0i64;
        let mut control_sum = 0i64;
        let mut count = 0usize;
        for path in &paths {
            let range = read(path, SHEET);
            let (end, _) = range.end().expect("cells");
            for r in 1..end {
                rows_sum += fen(f(&range, r, 3));
                count += 1;
            }
            control_sum += fen(f(&range, end, 3));
        }
        assert_eq!(rows_sum, p.total().fen());
        assert_eq!(control_sum, p.total().fen());
        assert_eq!(count, p.due().count());
    }

    #[test]
    fn rerun_is_byte_identical_and_formula_free() {
        let p = payroll();
        let a = tempfile::tempdir().expect("tempdir");
        let b = tempfile::tempdir().expect("tempdir");
        let pa = write(&p, date(), a.path()).expect("write");
        let pb = write(&p, date(), b.path()).expect("write");
        assert_eq!(pa.len(), pb.len());
        for (x, y) in pa.iter().zip(&pb) {
            assert_eq!(
                std::fs::read(x).expect("read"),
                std::fs::read(y).expect("read")
            );
            let mut book: Xlsx<_> = open_workbook(x).expect("open");
            let formulas = book.worksheet_formula(SHEET).expect("formulas");
            assert!(formulas.cells().all(|(_, _, f)| f.is_empty()));
        }
    }

    #[test]
    fn large_bank_continues_on_more_sheets() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = payroll();
        p.rows.retain(|r| r.bank == ABC);
        for i in 0..5 {
            p.rows.push(row(
                &format!("QC1{i:03}"),
                "赵六",
                "110105194912310021",
                &format!("62284800000000000{i}"),
                ABC,
                100 + i,
                RowStatus::Due,
            ));
        }
        // Due: QC0001, QC0012, QC1000..QC1004 = 7 rows; 3 per sheet.
        let paths = prepare(&p, &mut |b| Ok(upload_layouts::builtin_for(b)))
            .expect("prepare")
            .write_sheets_of(date(), dir.path(), 3)
            .expect("write");
        assert_eq!(paths.len(), 1);
        let book: Xlsx<_> = open_workbook(&paths[0]).expect("open");
        assert_eq!(
            book.sheet_names(),
            vec![
                SHEET.to_string(),
                format!("{SHEET} (2)"),
                format!("{SHEET} (3)")
            ]
        );
        let first = read(&paths[0], SHEET);
        let second = read(&paths[0], &format!("{SHEET} (2)"));
        let third = read(&paths[0], &format!("{SHEET} (3)"));
        assert_eq!(first.end(), Some((3, 5)));
        assert_eq!(second.end(), Some((3, 5)));
        assert_eq!(third.end(), Some((2, 5)));
        for sheet in [&first, &second, &third] {
            for (c, h) in HEADERS.iter().enumerate() {
                assert_eq!(s(sheet, 0, c as u32), *h);
            }
        }
        assert_eq!(f(&second, 1, 0), 4.0);
        assert_eq!(s(&second, 3, 5), "QC1003 2026-11");
        assert_eq!(f(&third, 1, 0), 7.0);
        assert_eq!(s(&third, 2, 0), "合计");
        assert_eq!(s(&third, 2, 1), "7笔");
        assert_eq!(fen(f(&third, 2, 3)), p.total().fen());
    }

    /// Writes `bank`'s upload of `p` in its built-in layout changed by
    /// `change`, as text too; returns the text file's bytes and the
    /// workbook's path.
    fn text_of(
        p: &Payroll,
        bank: &str,
        dir: &Path,
        change: impl Fn(&mut UploadLayout),
    ) -> Result<(Vec<u8>, PathBuf), Error> {
        let prepared = prepare(p, &mut |b| {
            let mut layout = upload_layouts::builtin_for(b);
            if b == bank {
                layout.format = UploadFormat::Text;
                change(&mut layout);
            }
            Ok(layout)
        })?;
        if let Some(v) = prepared.violations.first() {
            return Err(Error::Usage(v.problem.message(crate::issue::Lang::En)));
        }
        let paths = prepared.write(date(), dir)?;
        let txt = paths
            .iter()
            .find(|p| p.extension().is_some_and(|e| e == "txt"))
            .cloned()
            .ok_or_else(|| Error::Usage("no text file".into()))?;
        let xlsx = txt.with_extension("xlsx");
        Ok((std::fs::read(&txt).map_err(|e| Error::io(&txt, e))?, xlsx))
    }

    fn gbk(bytes: &[u8]) -> String {
        let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(bytes);
        assert!(!had_errors);
        text.into_owned()
    }

    #[test]
    fn text_format_round_trips_in_gbk() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = payroll();
        let (bytes, _) = text_of(&p, ABC, dir.path(), |_| {}).expect("write");
        assert_eq!(
            gbk(&bytes),
            "6228480012345678901|张三|330.00|110105194912310021|QC0001 2026-11\r\n\
             0000480012345678905|欧阳明华|1234567.89|110105196003030047|QC0012 2026-11\r\n\
             合计|2笔|1234897.89||\r\n"
        );
        // Really GBK, not UTF-8: 张 is D5C5.
        assert!(bytes.windows(2).any(|w| w == [0xD5, 0xC5]));

        // A multi-character delimiter.
        let dir = tempfile::tempdir().expect("tempdir");
        let (bytes, _) = text_of(&p, ICBC, dir.path(), |l| {
            l.text = TextShape::Delimited("|!".into());
        })
        .expect("write");
        assert_eq!(
            gbk(&bytes),
            "6222020012345678|!李四明|!620.00|!11010519500101002X|!QC0002\r\n\
             合计|!1笔|!620.00|!|!\r\n"
        );
    }

    #[test]
    fn unmappable_character_is_an_error_naming_the_household() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = payroll();
        // 𠮷 (U+20BB7) is outside GBK.
        p.rows[3].account_name = "欧阳𠮷华".into();
        let err = text_of(&p, ABC, dir.path(), |_| {}).expect_err("unmappable");
        match &err {
            Error::Usage(message) => {
                assert!(message.contains("QC0012"), "{message}");
                assert!(message.contains("户名"), "{message}");
                assert!(message.contains("U+20BB7"), "{message}");
            }
            other => panic!("expected a usage error, got {other:?}"),
        }
        assert!(
            !dir.path().join("报盘_中国农业银行_2026-11.txt").exists(),
            "the partial file is removed"
        );
        // GB18030 represents every character.
        let dir = tempfile::tempdir().expect("tempdir");
        text_of(&p, ABC, dir.path(), |l| l.encoding = encoding_rs::GB18030).expect("gb18030");
    }

    #[test]
    fn delimiter_inside_a_field_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = payroll();
        p.rows[0].account_name = "张|三".into();
        let err = text_of(&p, ABC, dir.path(), |_| {}).expect_err("delimiter");
        assert!(
            matches!(&err, Error::Usage(m) if m.contains("QC0001")),
            "{err}"
        );
        let err = text_of(&payroll(), ABC, dir.path(), |l| {
            l.text = TextShape::Delimited(String::new());
        })
        .expect_err("empty");
        assert!(matches!(err, Error::Usage(_)));
        let err = text_of(&payroll(), ABC, dir.path(), |l| {
            l.encoding = encoding_rs::UTF_16LE;
        })
        .expect_err("utf-16");
        assert!(matches!(err, Error::Usage(_)));
    }

    /// Each built-in layout's text file and workbook read back: shape,
    /// encoding, the reference within its limit in GBK bytes, and the
    /// control line's count and total.
    #[test]
    fn every_built_in_layout_reads_back() {
        let mut p = payroll();
        p.rows.retain(|r| r.status == RowStatus::Due);
        for key in upload_layouts::BUILT_IN_KEYS {
            let layout = upload_layouts::builtin(key).expect("built-in");
            for r in &mut p.rows {
                r.bank = key.into();
            }
            let dir = tempfile::tempdir().expect("tempdir");
            let (bytes, xlsx) = text_of(&p, key, dir.path(), |_| {}).expect(key);
            assert!(
                std::str::from_utf8(&bytes).is_err(),
                "{key}: GBK, not UTF-8"
            );
            let text = gbk(&bytes);
            assert!(text.ends_with("\r\n"), "{key}");
            let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
            let header = usize::from(layout.header);
            assert_eq!(
                lines.len(),
                header + 3 + 1,
                "{key}: header, 3 rows, control"
            );
            let (control, data) = match layout.summary {
                SummaryAt::First => (lines[header], &lines[header + 1..]),
                _ => (lines[lines.len() - 1], &lines[header..lines.len() - 1]),
            };
            let fields = |line: &str| -> Vec<String> {
                match &layout.text {
                    TextShape::Delimited(d) => line.split(d.as_str()).map(String::from).collect(),
                    TextShape::Fixed(widths) => {
                        let (b, _, _) = encoding_rs::GBK.encode(line);
                        assert_eq!(b.len(), widths.iter().sum::<usize>(), "{key}: {line}");
                        let mut at = 0;
                        widths
                            .iter()
                            .map(|w| {
                                let part = &b[at..at + w];
                                at += w;
                                gbk(part).trim_end().to_string()
                            })
                            .collect()
                    }
                }
            };
            let cols: Vec<UploadField> = layout.text_columns().map(|(f, _)| *f).collect();
            let col = |f: UploadField| cols.iter().position(|c| *c == f).expect("column");
            let unit_fen = |s: &str| match layout.amount_unit {
                AmountUnit::Fen => s.trim_start_matches('0').parse::<i64>().expect("fen"),
                AmountUnit::Yuan => crate::model::money::parse(s, AmountUnit::Yuan)
                    .expect("yuan")
                    .fen(),
            };
            let mut sum = 0;
            for (line, row) in data.iter().zip(&p.rows) {
                let f = fields(line);
                assert_eq!(f.len(), cols.len(), "{key}: {line}");
                assert_eq!(f[col(UploadField::Account)], row.account.as_str());
                let reference = &f[col(UploadField::Reference)];
                assert!(reference.starts_with(row.household_id.as_str()), "{key}");
                assert!(
                    byte_len(reference, encoding_rs::GBK) <= layout.reference_bytes,
                    "{key}: {reference}"
                );
                let amount = unit_fen(&f[col(UploadField::Amount)]);
                assert_eq!(amount, row.total.fen(), "{key}");
                sum += amount;
            }
            let c = fields(control);
            assert_eq!(
                c[cols
                    .iter()
                    .position(|f| *f != UploadField::Amount)
                    .expect("a column")],
                "合计"
            );
            assert!(c.contains(&"3笔".to_string()), "{key}: {control}");
            assert_eq!(unit_fen(&c[col(UploadField::Amount)]), sum, "{key}");
            assert_eq!(sum, p.total().fen());
            // The workbook has the same references and total.
            let range = read(&xlsx, SHEET);
            let refs: Vec<String> = (1..=4)
                .filter_map(
                    |r| match range.get_value((r, layout.columns.len() as u32 - 1)) {
                        Some(Data::String(v)) => Some(v.clone()),
                        _ => None,
                    },
                )
                .collect();
            let expected: Vec<String> = data
                .iter()
                .map(|l| fields(l)[col(UploadField::Reference)].clone())
                .collect();
            assert_eq!(refs, expected, "{key}");
        }
    }

    #[test]
    fn icbc_reference_is_the_household_number_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = payroll();
        p.rows[1].household_id = "HP0001".into();
        let (bytes, xlsx) = text_of(&p, ICBC, dir.path(), |_| {}).expect("write");
        assert!(
            gbk(&bytes).starts_with("6222020012345678|李四明|620.00|11010519500101002X|HP0001\r\n")
        );
        assert_eq!(s(&read(&xlsx, SHEET), 1, 5), "HP0001");
        // A roomier limit keeps the month.
        let dir = tempfile::tempdir().expect("tempdir");
        let (bytes, _) = text_of(&p, ICBC, dir.path(), |l| l.reference_bytes = 14).expect("write");
        assert!(gbk(&bytes).contains("|HP0001 2026-11\r\n"));
    }

    #[test]
    fn values_over_a_limit_are_violations_and_nothing_is_written() {
        let mut p = payroll();
        // 31 characters: 62 GBK bytes, over ICBC's 60.
        p.rows[1].account_name = "李".repeat(31).into();
        p.rows[0].household_id = "QC0001-LONG-NUMBER-XYZ".into();
        p.rows[3].total = Money::from_fen(10_000_000_000);
        let prepared = prepare(&p, &mut |b| Ok(upload_layouts::builtin_for(b))).expect("prepare");
        let got: Vec<(&str, UploadField)> = prepared
            .violations
            .iter()
            .map(|v| (v.household_id.as_str(), v.field))
            .collect();
        assert_eq!(
            got,
            vec![
                ("QC0001-LONG-NUMBER-XYZ", UploadField::Reference),
                ("QC0012", UploadField::Amount),
                ("QC0002", UploadField::Name),
            ]
        );
        match &prepared.violations[2].problem {
            Problem::UploadTooLong {
                bytes,
                limit,
                field,
                ..
            } => {
                assert_eq!((*bytes, *limit, *field), (62, 60, "户名"));
            }
            other => panic!("{other:?}"),
        }
        let dir = tempfile::tempdir().expect("tempdir");
        assert!(matches!(
            prepared.write(date(), dir.path()),
            Err(Error::Usage(_))
        ));
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
    }

    #[test]
    fn a_fixed_width_column_is_a_limit_too() {
        let mut p = payroll();
        p.rows[0].bank = "建设银行".into();
        p.rows[0].account = "6".repeat(33).into();
        let mut layout_of = |b: &str| {
            let mut l = upload_layouts::builtin_for(b);
            l.format = UploadFormat::Text;
            Ok(l)
        };
        let prepared = prepare(&p, &mut layout_of).expect("prepare");
        assert_eq!(prepared.violations.len(), 1);
        assert_eq!(prepared.violations[0].field, UploadField::Account);
        // Only when the text file is written.
        let prepared = prepare(&p, &mut |b| Ok(upload_layouts::builtin_for(b))).expect("prepare");
        assert!(prepared.violations.is_empty());
    }

    #[test]
    fn amounts_in_fen_and_the_control_line_first_in_the_workbook() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = payroll();
        let paths = prepare(&p, &mut |b| {
            let mut l = upload_layouts::builtin_for(b);
            l.xlsx_amount_unit = AmountUnit::Fen;
            l.xlsx_summary = SummaryAt::First;
            Ok(l)
        })
        .expect("prepare")
        .write(date(), dir.path())
        .expect("write");
        let abc = read(&paths[0], SHEET);
        assert_eq!(s(&abc, 1, 0), "合计");
        assert_eq!(s(&abc, 1, 1), "2笔");
        assert_eq!(f(&abc, 1, 3), (33_000 + 123_456_789) as f64);
        assert_eq!(f(&abc, 2, 3), 33_000.0);
        assert_eq!(abc.end(), Some((3, 5)));
    }
}
