//! The bank upload files (代发报盘文件, SPEC §5.1): one workbook per bank with
//! the bank's own headers, and optionally the bank's text format.
//!
//! A bank loads these files into its batch-payment system as they are, so
//! their headers are the bank's (never translated with `--lang`), every due
//! household is one line, and a control line carries the count (笔数) and the
//! exact total (总金额) the bank checks the batch against. `备注` is
//! `{household_id} {YYYY-MM}` with exactly one space: the bank echoes it in
//! its result file (回盘), which is how reconcile matches each payment back.
//!
//! Invariants: only `Due` rows are written, in roster order; the control
//! total is Σ fen of the rows written (the bank files of a month add up to
//! [`Payroll::total`]); accounts and IDs are text cells; there are no
//! formulas; the bytes depend only on the payroll and the document date.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_xlsxwriter::{ColNum, Format, RowNum, Worksheet, XlsxError};
use rustc_hash::FxHashMap;

use crate::error::Error;
use crate::ingest::profile::AmountUnit;
use crate::model::date::Month;
use crate::model::money::Money;
use crate::payroll::{Payroll, PayrollRow};
use crate::report::workbook::{
    SHEET_DATA_ROWS, amount, header_format, money_format, new_workbook, text_format,
};

/// The sheet name; later sheets of a large bank are `代发明细 (2)`, ….
pub const SHEET: &str = "代发明细";

/// The bank's column headers, in order.
pub const HEADERS: [&str; 6] = ["序号", "账号", "户名", "金额", "身份证号", "备注"];

/// Column widths (characters), in the order of [`HEADERS`].
const WIDTHS: [f64; 6] = [8.0, 24.0, 14.0, 14.0, 22.0, 20.0];

/// Writes one workbook per bank (banks in order of first appearance among
/// the due rows) into `dir`; returns the paths written.
///
/// Each workbook has the sheet `代发明细`: the header row, one row per due
/// household of that bank in roster order, then the control line (`合计`,
/// `{N}笔`, the total). A bank with more than [`SHEET_DATA_ROWS`] − 1 rows
/// continues on `代发明细 (2)`, … with the header repeated; the control line
/// (for the whole bank) ends the last sheet.
///
/// # Parameters
/// - `payroll`: the month's payroll; only its `Due` rows are written.
/// - `date`: the document date (制表日期), stored as the workbook's creation
///   date so that reruns give the same bytes.
/// - `dir`: an existing directory.
///
/// File names come from [`file_name`]. Two banks whose names differ only in
/// characters that are not allowed in file names (`A/B`, `A_B`) would get
/// the same name; the later one gets `_2`, `_3`, … before `.xlsx`.
///
/// # Errors
/// [`Error::Xlsx`] when a workbook cannot be built or saved (the directory
/// does not exist or is not writable, the temporary files of constant-memory
/// mode cannot be created).
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
    write_sheets_of(payroll, date, dir, (SHEET_DATA_ROWS - 1) as usize)
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

/// The bank's text format: one line per due row of `bank`
/// `账号|户名|金额|身份证号|备注` (amount `1234.50`), a trailer
/// `合计|{N}笔|{total}||` (amounts in yuan `1234.50`, or whole fen when `unit`
/// is fen), the given delimiter, encoded in `encoding` (e.g.
/// GBK), CRLF line ends. There is no header line.
///
/// # Parameters
/// - `bank`: the bank's name exactly as in the payroll rows' `bank`.
/// - `delimiter`: the field separator (`|`, `,`, a multi-character one such
///   as `|!`); not empty.
/// - `encoding`: what the bank reads, e.g. `encoding_rs::GBK`.
///
/// # Errors
/// - [`Error::Usage`] when the delimiter is empty, when `encoding` cannot be
///   written (UTF-16 and `replacement` encode as UTF-8 in `encoding_rs`), when
///   a field contains the delimiter or a line break, or when a character
///   cannot be represented in `encoding` — never a silent replacement; the
///   message names the household, the field and the character. The partial
///   file is removed.
/// - [`Error::Io`] when the file cannot be created or written.
///
/// # Examples
/// ```no_run
/// # fn demo(payroll: &dibao::payroll::Payroll) -> Result<(), dibao::error::Error> {
/// dibao::report::bank_upload::write_text(
///     payroll,
///     "中国农业银行",
///     "|",
///     encoding_rs::GBK,
///     dibao::ingest::profile::AmountUnit::Yuan,
///     std::path::Path::new("out/报盘_中国农业银行_2026-11.txt"),
/// )?;
/// # Ok(())
/// # }
/// ```
pub fn write_text(
    payroll: &Payroll,
    bank: &str,
    delimiter: &str,
    encoding: &'static encoding_rs::Encoding,
    unit: AmountUnit,
    path: &Path,
) -> Result<(), Error> {
    if delimiter.is_empty() {
        return Err(Error::Usage(format!(
            "{}: the bank text format needs a delimiter (e.g. \"|\")",
            path.display()
        )));
    }
    if encoding.output_encoding() != encoding {
        return Err(Error::Usage(format!(
            "{}: the bank text format cannot be written in {}; use GBK, GB18030 or UTF-8",
            path.display(),
            encoding.name()
        )));
    }
    if let Some(c) = unmappable_char(delimiter, encoding) {
        return Err(Error::Usage(format!(
            "{}: the delimiter {delimiter:?} has the character {c:?}, which {} cannot represent",
            path.display(),
            encoding.name()
        )));
    }
    let result = write_text_lines(payroll, bank, delimiter, encoding, unit, path);
    if result.is_err() {
        // Best effort: a half-written upload file must not be sent to a bank.
        let _ = std::fs::remove_file(path);
    }
    result
}

fn write_text_lines(
    payroll: &Payroll,
    bank: &str,
    delimiter: &str,
    encoding: &'static encoding_rs::Encoding,
    unit: AmountUnit,
    path: &Path,
) -> Result<(), Error> {
    // The bank's unit: `1234.50` yuan, or `123450` fen.
    let shown = |m: Money| match unit {
        AmountUnit::Yuan => m.to_string(),
        AmountUnit::Fen => m.fen().to_string(),
    };
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    let mut out = std::io::BufWriter::new(file);
    let mut count: u64 = 0;
    let mut total = Money::ZERO;
    let month = payroll.month;
    for row in payroll.due().filter(|r| r.bank == bank) {
        let amount_text = shown(row.total);
        let remark = remark(row, month);
        let fields: [(&str, &str); 5] = [
            ("账号", &row.account),
            ("户名", &row.account_name),
            ("金额", &amount_text),
            ("身份证号", &row.id_number),
            ("备注", &remark),
        ];
        for (label, value) in fields {
            if value.contains(delimiter) || value.contains(['\r', '\n']) {
                return Err(Error::Usage(format!(
                    "{}: household {} ({}): {label} {value:?} contains the delimiter {delimiter:?} or a line break; \
                     correct the roster or choose another delimiter in the bank profile",
                    path.display(),
                    row.household_id,
                    row.name
                )));
            }
        }
        let line = fields.map(|(_, v)| v).join(delimiter);
        let (bytes, _, had_unmappable) = encoding.encode(&line);
        if had_unmappable {
            // Find the field and the character to name them.
            for (label, value) in fields {
                if let Some(c) = unmappable_char(value, encoding) {
                    return Err(Error::Usage(format!(
                        "{}: household {} ({}): {label} {value:?} has the character {c:?} (U+{:04X}), \
                         which {} cannot represent; correct the roster or use GB18030 or UTF-8 in the bank profile",
                        path.display(),
                        row.household_id,
                        row.name,
                        u32::from(c),
                        encoding.name()
                    )));
                }
            }
            return Err(Error::Usage(format!(
                "{}: household {} ({}): the line cannot be represented in {}",
                path.display(),
                row.household_id,
                row.name,
                encoding.name()
            )));
        }
        out.write_all(&bytes)
            .and_then(|()| out.write_all(b"\r\n"))
            .map_err(|e| Error::io(path, e))?;
        count += 1;
        total += row.total;
    }
    let trailer = ["合计", &format!("{count}笔"), &shown(total), "", ""].join(delimiter);
    if let Some(c) = unmappable_char(&trailer, encoding) {
        return Err(Error::Usage(format!(
            "{}: the trailer has the character {c:?}, which {} cannot represent; \
             use GBK, GB18030 or UTF-8 in the bank profile",
            path.display(),
            encoding.name()
        )));
    }
    emit(&mut out, &trailer, encoding, path)?;
    out.flush().map_err(|e| Error::io(path, e))?;
    Ok(())
}

/// Writes `line` and CRLF in `encoding` (already checked to be mappable).
fn emit(
    out: &mut impl Write,
    line: &str,
    encoding: &'static encoding_rs::Encoding,
    path: &Path,
) -> Result<(), Error> {
    let (bytes, _, _) = encoding.encode(line);
    out.write_all(&bytes).map_err(|e| Error::io(path, e))?;
    out.write_all(b"\r\n").map_err(|e| Error::io(path, e))
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

/// `{household_id} {YYYY-MM}`: what the bank echoes back.
fn remark(row: &PayrollRow, month: Month) -> String {
    format!("{} {}", row.household_id, month)
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

/// [`write`] with at most `per_sheet` data rows on a sheet (tests use a
/// small number to exercise the split).
fn write_sheets_of(
    payroll: &Payroll,
    date: NaiveDate,
    dir: &Path,
    per_sheet: usize,
) -> Result<Vec<PathBuf>, Error> {
    let mut taken: HashSet<String> = HashSet::new();
    let mut paths = Vec::new();
    for (bank, rows) in by_bank(payroll) {
        let name = unique_name(file_name(bank, payroll.month), &mut taken);
        let path = dir.join(name);
        write_bank(&rows, payroll.month, date, &path, per_sheet).map_err(|source| Error::Xlsx {
            path: path.clone(),
            source,
        })?;
        paths.push(path);
    }
    Ok(paths)
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
    rows: &[&PayrollRow],
    month: Month,
    date: NaiveDate,
    path: &Path,
    per_sheet: usize,
) -> Result<(), XlsxError> {
    let per_sheet = per_sheet.max(1);
    let mut workbook = new_workbook(date);
    let header = header_format();
    let text = text_format();
    let money = money_format();

    let chunks: Vec<&[&PayrollRow]> = if rows.is_empty() {
        vec![&[]]
    } else {
        rows.chunks(per_sheet).collect()
    };
    let last = chunks.len() - 1;
    let mut serial: u64 = 0;
    for (i, chunk) in chunks.into_iter().enumerate() {
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        if i == 0 {
            sheet.set_name(SHEET)?;
        } else {
            sheet.set_name(format!("{SHEET} ({})", i + 1))?;
        }
        setup_sheet(sheet, &header)?;
        let mut r: RowNum = 1;
        for row in chunk {
            serial += 1;
            // Only the amount needs a format (the library hashes a cell's
            // format on every write); text cells are text either way.
            sheet.write_number(r, 0, serial as f64)?;
            sheet.write_string(r, 1, row.account.as_str())?;
            sheet.write_string(r, 2, row.account_name.as_str())?;
            sheet.write_number_with_format(r, 3, amount(row.total)?, &money)?;
            sheet.write_string(r, 4, row.id_number.as_str())?;
            sheet.write_string(r, 5, remark(row, month))?;
            r += 1;
        }
        if i == last {
            let total: Money = rows.iter().map(|row| row.total).sum();
            sheet.write_string_with_format(r, 0, "合计", &header)?;
            sheet.write_string_with_format(r, 1, format!("{}笔", rows.len()), &text)?;
            sheet.write_blank(r, 2, &text)?;
            sheet.write_number_with_format(r, 3, amount(total)?, &money)?;
            sheet.write_blank(r, 4, &text)?;
            sheet.write_blank(r, 5, &text)?;
        }
    }
    workbook.save(path)
}

/// Column widths, the header row, frozen below the header.
fn setup_sheet(sheet: &mut Worksheet, header: &Format) -> Result<(), XlsxError> {
    for (col, width) in WIDTHS.iter().enumerate() {
        sheet.set_column_width(col as ColNum, *width)?;
    }
    for (col, title) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, col as ColNum, *title, header)?;
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
        assert_eq!(s(&icbc, 1, 5), "QC0002 2026-11");
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
        let paths = write_sheets_of(&p, date(), dir.path(), 3).expect("write");
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

    #[test]
    fn text_format_round_trips_in_gbk() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = payroll();
        let path = dir.path().join("abc.txt");
        write_text(&p, ABC, "|", encoding_rs::GBK, AmountUnit::Yuan, &path).expect("write");
        let bytes = std::fs::read(&path).expect("read");
        let (text, had_errors) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
        assert!(!had_errors);
        assert_eq!(
            text,
            "6228480012345678901|张三|330.00|110105194912310021|QC0001 2026-11\r\n\
             0000480012345678905|欧阳明华|1234567.89|110105196003030047|QC0012 2026-11\r\n\
             合计|2笔|1234897.89||\r\n"
        );
        // Really GBK, not UTF-8: 张 is D5C5.
        assert!(bytes.windows(2).any(|w| w == [0xD5, 0xC5]));

        // A multi-character delimiter.
        let path = dir.path().join("icbc.txt");
        write_text(&p, ICBC, "|!", encoding_rs::GBK, AmountUnit::Yuan, &path).expect("write");
        let bytes = std::fs::read(&path).expect("read");
        let (text, _) = encoding_rs::GBK.decode_without_bom_handling(&bytes);
        assert_eq!(
            text,
            "6222020012345678|!李四明|!620.00|!11010519500101002X|!QC0002 2026-11\r\n\
             合计|!1笔|!620.00|!|!\r\n"
        );
    }

    #[test]
    fn unmappable_character_is_an_error_naming_the_household() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = payroll();
        // 𠮷 (U+20BB7) is outside GBK.
        p.rows[3].account_name = "欧阳𠮷华".into();
        let path = dir.path().join("abc.txt");
        let err = write_text(&p, ABC, "|", encoding_rs::GBK, AmountUnit::Yuan, &path)
            .expect_err("unmappable");
        match &err {
            Error::Usage(message) => {
                assert!(message.contains("QC0012"), "{message}");
                assert!(message.contains("户名"), "{message}");
                assert!(message.contains("U+20BB7"), "{message}");
            }
            other => panic!("expected a usage error, got {other:?}"),
        }
        assert!(!path.exists(), "the partial file is removed");
        // GB18030 represents every character.
        write_text(&p, ABC, "|", encoding_rs::GB18030, AmountUnit::Yuan, &path).expect("gb18030");
    }

    #[test]
    fn delimiter_inside_a_field_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = payroll();
        p.rows[0].account_name = "张|三".into();
        let path = dir.path().join("abc.txt");
        let err = write_text(&p, ABC, "|", encoding_rs::GBK, AmountUnit::Yuan, &path)
            .expect_err("delimiter");
        assert!(
            matches!(&err, Error::Usage(m) if m.contains("QC0001")),
            "{err}"
        );
        let err =
            write_text(&p, ABC, "", encoding_rs::GBK, AmountUnit::Yuan, &path).expect_err("empty");
        assert!(matches!(err, Error::Usage(_)));
        let err = write_text(&p, ABC, ",", encoding_rs::UTF_16LE, AmountUnit::Yuan, &path)
            .expect_err("utf-16");
        assert!(matches!(err, Error::Usage(_)));
    }
}
