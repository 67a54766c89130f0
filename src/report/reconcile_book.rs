//! The reconciliation workbook (对账报告, SPEC §5.2): what the officer reads
//! after `dibao reconcile` — where the month's money went and what to do.
//!
//! Layout: the summary sheet first (counts and amounts per status, per
//! action and per check-in, the control totals with their two balance
//! lines, and a chart of the rows per status); then one sheet per exception
//! status (in [`Status::ALL`] order, present even when empty); the check-in
//! sheet; the action lists (补发名单, 追回名单, 停发建议名单, 复核名单); and the
//! problems sheet. Every sheet that lists ledger rows has the same columns
//! and is written by one function (`write_line`); the action lists with
//! amounts add a 金额 column and a total line.
//!
//! Invariants: every sum is taken in exact fen and converted to a number
//! cell only when written; IDs, accounts, household numbers and anything a
//! user typed are string cells (never numbers, never formulas — the
//! workbook holds no formula at all); rows keep ledger order (and problems
//! their order); list sheets are written row by row in constant memory and
//! continue on `NAME (2)`, … past [`SHEET_DATA_ROWS`] rows; nothing depends
//! on the clock, so the same ledger and options give the same bytes.

use std::borrow::Cow;
use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{ColNum, RowNum, Workbook, Worksheet, XlsxError};

use super::summary_sheet::{Formats, Heading, SummarySheet};
#[cfg(test)] // what the tests check `cell_text` against
use super::workbook::MAX_CELL_TEXT;
use super::workbook::{SHEET_DATA_ROWS, amount, cell_text, set_list_print, write_workbook};
use crate::error::Error;
use crate::issue::{Issue, Lang};
use crate::model::money::Money;
use crate::reconcile::{
    A_RECOVER, A_REISSUE, A_REVIEW, A_SUSPEND, A_TOP_UP, ACTIONS, Checkin, F_ACCOUNT_CHANGED,
    F_CHANGE_REPORTED, F_CHECKIN_HOLD, F_MATCHED_BY_ID, F_NAME_MISMATCH, F_REPORTED_AMOUNT_DIFFERS,
    F_RETRIED, FLAGS, Ledger, LedgerRow, Status,
};

/// How the reconciliation workbook is labelled.
#[derive(Clone, Debug)]
pub struct ReconcileBookOptions {
    /// Language of headers, sheet names and labels.
    pub lang: Lang,
    /// 制表日期: printed on the summary, and the workbook's document date.
    pub date: NaiveDate,
    /// 制表单位: the unit that prepared the report; may be empty.
    pub unit: String,
}

/// Writes the reconciliation workbook to `path`.
///
/// # Parameters
///
/// - `ledger`: the month's reconciliation.
/// - `opts`: language, 制表日期 and 制表单位.
/// - `path`: the `.xlsx` file to write (replaced if it exists).
///
/// # Errors
///
/// - [`Error::Xlsx`] when the workbook cannot be built or saved (an
///   unwritable path, the temporary files of constant-memory mode).
///
/// # Examples
///
/// ```no_run
/// # fn demo(ledger: &dibao::reconcile::Ledger) -> Result<(), dibao::error::Error> {
/// use dibao::report::reconcile_book::{ReconcileBookOptions, write};
/// let opts = ReconcileBookOptions {
///     lang: dibao::issue::Lang::Zh,
///     date: ledger.month.first_day(),
///     unit: "城关街道民政办".to_string(),
/// };
/// write(ledger, &opts, std::path::Path::new("out/对账报告.xlsx"))?;
/// # Ok(())
/// # }
/// ```
pub fn write(ledger: &Ledger, opts: &ReconcileBookOptions, path: &Path) -> Result<(), Error> {
    write_split(ledger, opts, path, SHEET_DATA_ROWS)
}

/// [`write`] with at most `capacity` rows under the header of each list
/// sheet (data rows and, on the last sheet of a list, its total line).
fn write_split(
    ledger: &Ledger,
    opts: &ReconcileBookOptions,
    path: &Path,
    capacity: u32,
) -> Result<(), Error> {
    write_workbook(path, opts.date, |workbook| {
        build(workbook, ledger, opts, capacity.max(1))
    })
}

fn build(
    workbook: &mut Workbook,
    ledger: &Ledger,
    opts: &ReconcileBookOptions,
    capacity: u32,
) -> Result<(), XlsxError> {
    let lang = opts.lang;
    let f = Formats::new("#,##0");
    let ctx = Ctx {
        lang,
        f: &f,
        capacity,
    };
    write_summary(workbook, ledger, opts, &f)?;

    for status in Status::ALL.into_iter().filter(|s| s.is_exception()) {
        let name = lang.pick(status.label_zh(), status.code());
        let lines = ledger.with_status(status).map(|r| Line::plain(r, lang));
        write_list(workbook, &ctx, name, &ROW_COLUMNS, lines)?;
    }

    let checkins = ledger.rows.iter().filter(|r| needs_checkin_attention(r));
    write_list(
        workbook,
        &ctx,
        lang.pick("签到情况", "Check-ins"),
        &ROW_COLUMNS,
        checkins.map(|r| Line::plain(r, lang)),
    )?;

    let reissue = ledger.rows.iter().flat_map(move |row| {
        [A_REISSUE, A_TOP_UP]
            .into_iter()
            .filter(|a| row.actions.has(*a))
            .map(move |a| Line::action(row, a, lang, Cow::Borrowed(row.detail_in(lang))))
    });
    write_list(
        workbook,
        &ctx,
        lang.pick("补发名单", "Re-issue"),
        &AMOUNT_COLUMNS,
        reissue,
    )?;

    let recover = ledger
        .with_action(A_RECOVER)
        .map(|row| Line::action(row, A_RECOVER, lang, Cow::Borrowed(row.detail_in(lang))));
    write_list(
        workbook,
        &ctx,
        lang.pick("追回名单", "Recovery"),
        &AMOUNT_COLUMNS,
        recover,
    )?;

    let months = ledger.policy.suspend_after_missed;
    let suspend = ledger.with_action(A_SUSPEND).map(|row| {
        let why = match (lang, months) {
            (Lang::Zh, 0 | 1) => "本月未签到".to_string(),
            (Lang::Zh, n) => format!("连续{n}个月未签到"),
            (Lang::En, 0 | 1) => "missed this month's check-in".to_string(),
            (Lang::En, n) => format!("missed check-in {n} months running"),
        };
        Line::action(
            row,
            A_SUSPEND,
            lang,
            Cow::Owned(joined(lang, [why, row.detail_in(lang).to_string()])),
        )
    });
    write_list(
        workbook,
        &ctx,
        lang.pick("停发建议名单", "Suspension"),
        &ROW_COLUMNS,
        suspend,
    )?;

    let review = ledger
        .with_action(A_REVIEW)
        .map(|row| Line::action(row, A_REVIEW, lang, Cow::Owned(reasons(row, lang))));
    write_list(
        workbook,
        &ctx,
        lang.pick("复核名单", "Review"),
        &ROW_COLUMNS,
        review,
    )?;

    write_problems(workbook, &ctx, &ledger.problems)
}

// --- words ----------------------------------------------------------------------

/// A status as the workbook names it.
fn status_word(status: Status, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => status.label_zh(),
        Lang::En => match status {
            Status::Paid => "Paid",
            Status::Underpaid => "Underpaid",
            Status::Overpaid => "Overpaid",
            Status::Failed => "Failed",
            Status::Missing => "No bank result",
            Status::Held => "Held",
            Status::Inactive => "Inactive",
            Status::Unexpected => "Not due",
            Status::Duplicate => "Duplicate",
            Status::Unreadable => "Unreadable",
        },
    }
}

fn checkin_word(checkin: Checkin, lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => checkin.label_zh(),
        Lang::En => match checkin {
            Checkin::OnTime => "On time",
            Checkin::HomeVisit => "Home visit",
            Checkin::Late => "Late",
            Checkin::Early => "Early",
            Checkin::Excused => "Excused",
            Checkin::Missed => "Missed",
            Checkin::NotDue => "Not due",
        },
    }
}

fn action_word(action: u8, lang: Lang) -> &'static str {
    match action {
        A_REISSUE => lang.pick("补发", "Re-issue"),
        A_TOP_UP => lang.pick("补差", "Top-up"),
        A_RECOVER => lang.pick("追回", "Recover"),
        A_SUSPEND => lang.pick("停发建议", "Suspend"),
        A_REVIEW => lang.pick("复核", "Review"),
        _ => "",
    }
}

fn flag_word(flag: u8, lang: Lang) -> &'static str {
    match flag {
        F_CHECKIN_HOLD => lang.pick("签到暂停户", "held for a missed check-in"),
        F_MATCHED_BY_ID => lang.pick("按身份证号匹配", "matched by ID number"),
        F_ACCOUNT_CHANGED => lang.pick("账号与花名册不同", "account differs from the roster"),
        F_RETRIED => lang.pick("失败后重发", "paid on a retry"),
        F_NAME_MISMATCH => lang.pick("户名与花名册不符", "account name differs from the roster"),
        F_REPORTED_AMOUNT_DIFFERS => lang.pick(
            "签到时报告的金额与实发不符",
            "amount reported at check-in differs",
        ),
        F_CHANGE_REPORTED => lang.pick(
            "签到时报告家庭情况变化",
            "change of circumstances reported at check-in",
        ),
        _ => "",
    }
}

/// Non-empty parts joined by `；` (English: `; `).
fn joined(lang: Lang, parts: impl IntoIterator<Item = String>) -> String {
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(lang.pick("；", "; "))
}

/// Why a row is to be reviewed, in words: its status, its flags, its
/// check-in when it is not a plain one, then its detail.
fn reasons(row: &LedgerRow, lang: Lang) -> String {
    let mut parts = vec![format!(
        "{}{}",
        lang.pick("状态：", "status: "),
        status_word(row.status, lang)
    )];
    for (bit, _) in FLAGS {
        if row.flags.has(bit) {
            parts.push(flag_word(bit, lang).to_string());
        }
    }
    if let Some(c) = row.checkin
        && !matches!(c, Checkin::OnTime | Checkin::NotDue)
    {
        parts.push(format!(
            "{}{}",
            lang.pick("签到：", "check-in: "),
            checkin_word(c, lang)
        ));
        if row.flags.has(F_CHECKIN_HOLD) && c != Checkin::Missed {
            parts.push(
                lang.pick(
                    "已签到，恢复发放待核",
                    "checked in: resumption to be confirmed",
                )
                .into(),
            );
        }
    }
    parts.push(row.detail_in(lang).to_string());
    joined(lang, parts)
}

/// A household the check-in sheet lists: a check-in other than on time (or
/// not due), or something reported at check-in.
fn needs_checkin_attention(row: &LedgerRow) -> bool {
    row.checkin
        .is_some_and(|c| !matches!(c, Checkin::OnTime | Checkin::NotDue))
        || row.flags.has(F_CHANGE_REPORTED)
        || row.flags.has(F_REPORTED_AMOUNT_DIFFERS)
}

fn month_title(ledger: &Ledger, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{} 低保金发放对账报告", ledger.month),
        Lang::En => format!("Reconciliation {}", ledger.month),
    }
}

fn balance_word(balances: bool, lang: Lang) -> &'static str {
    if balances {
        lang.pick("平衡", "Balanced")
    } else {
        lang.pick("不平衡", "NOT BALANCED")
    }
}

/// A text cell without a format (text either way; formats cost time on a
/// million rows); nothing for an empty string.
fn put(ws: &mut Worksheet, r: RowNum, c: ColNum, s: &str) -> Result<(), XlsxError> {
    if !s.is_empty() {
        ws.write_string(r, c, cell_text(s))?;
    }
    Ok(())
}

// --- list sheets ----------------------------------------------------------------

/// A column of a sheet that lists ledger rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Col {
    Seq,
    Household,
    Name,
    IdNumber,
    Account,
    Community,
    Expected,
    Paid,
    /// The line's amount (action lists with amounts only).
    Amount,
    Status,
    Flags,
    Checkin,
    Actions,
    Detail,
    Source,
}

/// The columns of every ledger-row sheet.
const ROW_COLUMNS: [Col; 14] = [
    Col::Seq,
    Col::Household,
    Col::Name,
    Col::IdNumber,
    Col::Account,
    Col::Community,
    Col::Expected,
    Col::Paid,
    Col::Status,
    Col::Flags,
    Col::Checkin,
    Col::Actions,
    Col::Detail,
    Col::Source,
];

/// The columns of 补发名单 and 追回名单: the same with 金额 after 实发.
const AMOUNT_COLUMNS: [Col; ROW_COLUMNS.len() + 1] = with_amount_after_paid(ROW_COLUMNS);

/// `columns` with [`Col::Amount`] after [`Col::Paid`] (at the end when
/// there is no 实发).
const fn with_amount_after_paid<const N: usize, const M: usize>(columns: [Col; N]) -> [Col; M] {
    let mut out = [Col::Amount; M];
    let (mut i, mut j) = (0, 0);
    while i < N {
        out[j] = columns[i];
        if matches!(columns[i], Col::Paid) {
            j += 1; // past the 金额 already there
        }
        i += 1;
        j += 1;
    }
    out
}

impl Col {
    fn header(self, lang: Lang) -> &'static str {
        match self {
            Col::Seq => lang.pick("序号", "No."),
            Col::Household => lang.pick("低保证号", "Household no."),
            Col::Name => lang.pick("姓名/户名", "Name"),
            Col::IdNumber => lang.pick("身份证号", "ID number"),
            Col::Account => lang.pick("账号", "Account"),
            Col::Community => lang.pick("社区", "Community"),
            Col::Expected => lang.pick("应发", "Expected"),
            Col::Paid => lang.pick("实发", "Paid"),
            Col::Amount => lang.pick("金额", "Amount"),
            Col::Status => lang.pick("状态", "Status"),
            Col::Flags => lang.pick("标记", "Flags"),
            Col::Checkin => lang.pick("签到", "Check-in"),
            Col::Actions => lang.pick("处理", "Action"),
            Col::Detail => lang.pick("说明", "Detail"),
            Col::Source => lang.pick("来源", "Source"),
        }
    }

    fn width(self) -> f64 {
        match self {
            Col::Seq => 7.0,
            Col::Household => 12.0,
            Col::Name => 10.0,
            Col::IdNumber => 21.0,
            Col::Account => 23.0,
            Col::Community => 14.0,
            Col::Expected | Col::Paid | Col::Amount => 12.0,
            Col::Status => 12.0,
            Col::Flags => 24.0,
            Col::Checkin => 12.0,
            Col::Actions => 16.0,
            Col::Detail => 40.0,
            Col::Source => 30.0,
        }
    }
}

/// One line of a ledger-row sheet.
struct Line<'a> {
    row: &'a LedgerRow,
    /// 处理: `None` for the row's actions as codes; the word of the one
    /// action a list line stands for.
    action: Option<&'static str>,
    /// 金额: the amount the line's action moves.
    amount: Option<Money>,
    /// 说明.
    detail: Cow<'a, str>,
}

impl<'a> Line<'a> {
    /// The row as it is: its actions as codes, its own detail.
    fn plain(row: &'a LedgerRow, lang: Lang) -> Line<'a> {
        Line {
            row,
            action: None,
            amount: None,
            detail: Cow::Borrowed(row.detail_in(lang)),
        }
    }

    /// The row on an action list: the action in words and its amount.
    fn action(row: &'a LedgerRow, action: u8, lang: Lang, detail: Cow<'a, str>) -> Line<'a> {
        Line {
            row,
            action: Some(action_word(action, lang)),
            amount: row.action_amount(action),
            detail,
        }
    }
}

/// What every list sheet needs.
struct Ctx<'f> {
    lang: Lang,
    f: &'f Formats,
    /// Rows under the header of one sheet.
    capacity: u32,
}

/// A list written over as many sheets as it needs: `NAME`, `NAME (2)`, ….
struct Series<'s> {
    name: &'s str,
    headers: Vec<(&'static str, f64)>,
    /// Sheets so far.
    sheets: usize,
    /// Index of the current sheet in the workbook.
    index: usize,
    /// The next row to write.
    row: RowNum,
    capacity: u32,
}

impl<'s> Series<'s> {
    fn start(
        workbook: &mut Workbook,
        ctx: &Ctx,
        name: &'s str,
        headers: Vec<(&'static str, f64)>,
    ) -> Result<Series<'s>, XlsxError> {
        let mut series = Series {
            name,
            headers,
            sheets: 0,
            index: 0,
            row: 1,
            capacity: ctx.capacity,
        };
        series.add_sheet(workbook, ctx)?;
        Ok(series)
    }

    /// Adds the next sheet: name, header, widths, frozen header, print setup.
    fn add_sheet(&mut self, workbook: &mut Workbook, ctx: &Ctx) -> Result<(), XlsxError> {
        self.sheets += 1;
        let ws = workbook.add_worksheet_with_constant_memory()?;
        ws.set_name(if self.sheets == 1 {
            self.name.to_string()
        } else {
            format!("{} ({})", self.name, self.sheets)
        })?;
        for (c, (header, width)) in (0..).zip(&self.headers) {
            ws.set_column_width(c, *width)?;
            ws.write_string_with_format(0, c, *header, &ctx.f.header)?;
        }
        set_list_print(ws, ctx.lang, 1)?;
        self.index = workbook.worksheets().len() - 1;
        self.row = 1;
        Ok(())
    }

    /// The next row to write and its sheet, on a new sheet when this one
    /// is full.
    fn next<'w>(
        &mut self,
        workbook: &'w mut Workbook,
        ctx: &Ctx,
    ) -> Result<(&'w mut Worksheet, RowNum), XlsxError> {
        if self.row > self.capacity {
            self.add_sheet(workbook, ctx)?;
        }
        let r = self.row;
        self.row += 1;
        Ok((workbook.worksheet_from_index(self.index)?, r))
    }
}

/// A sheet (or sheets) of ledger rows in `columns`; with a 金额 column, a
/// total line (合计, the number of lines, Σ 金额) ends the list.
fn write_list<'a>(
    workbook: &mut Workbook,
    ctx: &Ctx,
    name: &str,
    columns: &[Col],
    lines: impl Iterator<Item = Line<'a>>,
) -> Result<(), XlsxError> {
    let lang = ctx.lang;
    let headers = columns
        .iter()
        .map(|c| (c.header(lang), c.width()))
        .collect();
    let mut series = Series::start(workbook, ctx, name, headers)?;
    let mut seq: u64 = 0;
    let mut total = Money::ZERO;
    for line in lines {
        seq += 1;
        total += line.amount.unwrap_or(Money::ZERO);
        let (ws, r) = series.next(workbook, ctx)?;
        write_line(ws, ctx, r, seq, &line, columns)?;
    }
    if let Some(c_amount) = columns.iter().position(|c| *c == Col::Amount) {
        let (ws, r) = series.next(workbook, ctx)?;
        let (text, money) = (&ctx.f.text.bold, &ctx.f.money.bold);
        for c in (0..).take(columns.len()) {
            ws.write_blank(r, c, text)?;
        }
        ws.write_string_with_format(r, 0, lang.pick("合计", "Total"), text)?;
        let count = match lang {
            Lang::Zh => format!("{seq}笔"),
            Lang::En if seq == 1 => "1 line".to_string(),
            Lang::En => format!("{seq} lines"),
        };
        ws.write_string_with_format(r, 1, count, text)?;
        ws.write_number_with_format(r, c_amount as ColNum, amount(total)?, money)?;
    }
    Ok(())
}

/// What a ledger-row sheet holds in one cell.
enum Cell<'a> {
    /// 序号.
    Seq,
    /// An amount, or nothing.
    Money(Option<Money>),
    /// Text; nothing when empty.
    Text(Cow<'a, str>),
}

impl Col {
    /// This column's cell of `line`.
    fn cell<'a>(self, line: &'a Line, lang: Lang) -> Cell<'a> {
        let row = line.row;
        let text = |s: &'a str| Cell::Text(Cow::Borrowed(s));
        match self {
            Col::Seq => Cell::Seq,
            Col::Household => text(&row.household_id),
            Col::Name => text(&row.name),
            Col::IdNumber => text(&row.id_number),
            Col::Account => text(&row.account),
            Col::Community => text(&row.community),
            Col::Expected => Cell::Money(row.expected),
            Col::Paid => Cell::Money(row.paid),
            Col::Amount => Cell::Money(line.amount),
            Col::Status => text(status_word(row.status, lang)),
            Col::Flags if row.flags.is_empty() => text(""),
            Col::Flags => Cell::Text(Cow::Owned(row.flags.join(&FLAGS))),
            Col::Checkin => text(row.checkin.map_or("", Checkin::code)),
            Col::Actions => match line.action {
                Some(word) => text(word),
                None if row.actions.is_empty() => text(""),
                None => Cell::Text(Cow::Owned(row.actions.join(&ACTIONS))),
            },
            Col::Detail => text(&line.detail),
            Col::Source => text(&row.source),
        }
    }
}

/// One ledger row in `columns`. Only amounts carry a format: the library
/// hashes a cell's format on every write, and printed gridlines draw the
/// table.
fn write_line(
    ws: &mut Worksheet,
    ctx: &Ctx,
    r: RowNum,
    seq: u64,
    line: &Line,
    columns: &[Col],
) -> Result<(), XlsxError> {
    let money = &ctx.f.money.plain;
    for (c, col) in (0..).zip(columns) {
        match col.cell(line, ctx.lang) {
            Cell::Seq => {
                ws.write_number(r, c, seq as f64)?;
            }
            Cell::Money(Some(m)) => {
                ws.write_number_with_format(r, c, amount(m)?, money)?;
            }
            Cell::Money(None) => {}
            Cell::Text(s) => put(ws, r, c, &s)?,
        }
    }
    Ok(())
}

/// 问题: every problem, in order.
fn write_problems(workbook: &mut Workbook, ctx: &Ctx, problems: &[Issue]) -> Result<(), XlsxError> {
    let lang = ctx.lang;
    let headers = vec![
        (lang.pick("位置", "Where"), 36.0),
        (lang.pick("级别", "Severity"), 8.0),
        (lang.pick("代码", "Code"), 24.0),
        (lang.pick("说明", "Problem"), 60.0),
        (lang.pick("处理建议", "What to do"), 50.0),
    ];
    let mut series = Series::start(workbook, ctx, lang.pick("问题", "Problems"), headers)?;
    for issue in problems {
        let (ws, r) = series.next(workbook, ctx)?;
        put(ws, r, 0, &issue.at.to_string())?;
        put(ws, r, 1, issue.severity.word(lang))?;
        put(ws, r, 2, issue.code())?;
        put(ws, r, 3, &issue.problem.message(lang))?;
        put(ws, r, 4, issue.problem.hint(lang))?;
    }
    Ok(())
}

// --- summary sheet ----------------------------------------------------------------

/// Rows and exact sums.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    rows: u64,
    expected: Money,
    paid: Money,
}

/// The summary's figures, from one pass over the ledger.
#[derive(Debug, Default)]
struct Stats {
    /// In [`Status::ALL`] order.
    status: [Tally; Status::ALL.len()],
    /// Rows and Σ action amount, in [`ACTIONS`] order.
    action: [(u64, Money); ACTIONS.len()],
    /// In [`Checkin::ALL`] order.
    checkin: [u64; Checkin::ALL.len()],
    /// Successful bank rows by where they went: due households, households
    /// not due, duplicates, rows that matched no household.
    paid_due: u64,
    paid_not_due: u64,
    paid_duplicate: u64,
    paid_unmatched: u64,
}

impl Stats {
    fn of(ledger: &Ledger) -> Stats {
        let mut s = Stats::default();
        for row in &ledger.rows {
            if let Some(i) = Status::ALL.iter().position(|x| *x == row.status) {
                let t = &mut s.status[i];
                t.rows += 1;
                t.expected += row.expected.unwrap_or(Money::ZERO);
                t.paid += row.paid.unwrap_or(Money::ZERO);
            }
            for (i, (bit, _)) in ACTIONS.iter().enumerate() {
                if row.actions.has(*bit) {
                    s.action[i].0 += 1;
                    s.action[i].1 += row.action_amount(*bit).unwrap_or(Money::ZERO);
                }
            }
            if let Some(c) = row.checkin
                && let Some(i) = Checkin::ALL.iter().position(|x| *x == c)
            {
                s.checkin[i] += 1;
            }
            if row.paid.is_some() {
                match (row.status, row.is_household) {
                    (Status::Duplicate, _) => s.paid_duplicate += 1,
                    (Status::Unexpected, true) => s.paid_not_due += 1,
                    (Status::Unexpected, false) => s.paid_unmatched += 1,
                    (_, true) if row.expected.is_some() => s.paid_due += 1,
                    _ => {}
                }
            }
        }
        s
    }
}

/// The reconciliation summary's own lines (the cells are written by the
/// shared [`SummarySheet`]).
impl SummarySheet<'_> {
    /// `label | count | amount` (no amount: a blank cell).
    fn bank_line(
        &mut self,
        label: &str,
        n: u64,
        m: Option<Money>,
        bold: bool,
    ) -> Result<(), XlsxError> {
        self.text(0, label, bold)?;
        self.count(1, n, bold)?;
        match m {
            Some(m) => self.money(2, m, bold)?,
            None => self.blank(2, bold)?,
        }
        self.row += 1;
        Ok(())
    }

    /// `equation | 平衡/不平衡`.
    fn balance_line(
        &mut self,
        equation: &str,
        balances: bool,
        lang: Lang,
    ) -> Result<(), XlsxError> {
        self.text(0, equation, true)?;
        self.text(1, balance_word(balances, lang), true)?;
        self.row += 1;
        Ok(())
    }
}

fn write_summary(
    workbook: &mut Workbook,
    ledger: &Ledger,
    opts: &ReconcileBookOptions,
    f: &Formats,
) -> Result<(), XlsxError> {
    let lang = opts.lang;
    let stats = Stats::of(ledger);
    let controls = &ledger.controls;
    let title = month_title(ledger, lang);
    let heading = Heading {
        lang,
        name: lang.pick("汇总", "Summary"),
        widths: [44.0, 16.0, 14.0, 16.0, 16.0],
        landscape: true,
        title: &title,
        unit: &opts.unit,
        date: opts.date,
        unit_last: 0,
    };
    let mut s = SummarySheet::start(workbook, f, &heading)?;

    // Per status.
    s.section(lang.pick("按状态", "By status"))?;
    s.header(&[
        lang.pick("状态", "Status"),
        lang.pick("中文说明", "Meaning"),
        lang.pick("户数/行数", "Rows"),
        lang.pick("应发金额", "Expected"),
        lang.pick("实发金额", "Paid"),
    ])?;
    let chart_first = s.row;
    let mut all = Tally::default();
    for (status, t) in Status::ALL.into_iter().zip(stats.status) {
        s.text(0, status.code(), false)?;
        s.text(1, status_word(status, lang), false)?;
        s.count(2, t.rows, false)?;
        s.money(3, t.expected, false)?;
        s.money(4, t.paid, false)?;
        s.row += 1;
        all.rows += t.rows;
        all.expected += t.expected;
        all.paid += t.paid;
    }
    let chart_last = s.row - 1;
    s.text(0, lang.pick("合计", "Total"), true)?;
    s.blank(1, true)?;
    s.count(2, all.rows, true)?;
    s.money(3, all.expected, true)?;
    s.money(4, all.paid, true)?;
    s.row += 1;

    // Per action.
    s.section(lang.pick("按处理", "By action"))?;
    s.header(&[
        lang.pick("处理", "Action"),
        lang.pick("中文说明", "Meaning"),
        lang.pick("户数/行数", "Rows"),
        lang.pick("金额", "Amount"),
    ])?;
    for ((bit, code), (n, m)) in ACTIONS.into_iter().zip(stats.action) {
        s.text(0, code, false)?;
        s.text(1, action_word(bit, lang), false)?;
        s.count(2, n, false)?;
        if matches!(bit, A_REISSUE | A_TOP_UP | A_RECOVER) {
            s.money(3, m, false)?;
        } else {
            s.blank(3, false)?;
        }
        s.row += 1;
    }

    // Check-ins.
    s.section(lang.pick("签到情况", "Check-ins"))?;
    s.header(&[
        lang.pick("签到", "Check-in"),
        lang.pick("中文说明", "Meaning"),
        lang.pick("户数", "Households"),
    ])?;
    for (c, n) in Checkin::ALL.into_iter().zip(stats.checkin) {
        s.text(0, c.code(), false)?;
        s.text(1, checkin_word(c, lang), false)?;
        s.count(2, n, false)?;
        s.row += 1;
    }

    // Control totals.
    s.section(lang.pick("控制总数", "Control totals"))?;
    s.header(&[lang.pick("项目", "Item"), lang.pick("金额", "Amount")])?;
    s.money_line(lang.pick("应发合计", "Expected"), controls.expected, true)?;
    s.money_line(
        lang.pick("实发(应发户)", "Paid (to households due)"),
        controls.paid_due,
        false,
    )?;
    s.money_line(lang.pick("发放失败", "Failed"), controls.failed, false)?;
    s.money_line(
        lang.pick("未回盘", "No bank result"),
        controls.missing,
        false,
    )?;
    s.money_line(
        lang.pick("少发差额", "Short (underpaid)"),
        controls.short,
        false,
    )?;
    s.money_line(
        lang.pick("多发差额", "Excess (overpaid)"),
        controls.excess,
        false,
    )?;
    s.balance_line(
        lang.pick(
            "应发 = 实发 + 失败 + 未回盘 + 少发 − 多发",
            "Expected = paid + failed + no result + short − excess",
        ),
        controls.expected_balances(),
        lang,
    )?;

    // The bank side.
    s.section(lang.pick("银行回盘", "Bank results"))?;
    s.header(&[
        lang.pick("项目", "Item"),
        lang.pick("笔数", "Rows"),
        lang.pick("金额", "Amount"),
    ])?;
    s.bank_line(
        lang.pick("银行成功", "Paid by the bank"),
        controls.bank_succeeded,
        Some(controls.bank_paid),
        true,
    )?;
    s.bank_line(
        lang.pick("其中：实发(应发户)", "of which to households due"),
        stats.paid_due,
        Some(controls.paid_due),
        false,
    )?;
    s.bank_line(
        lang.pick("其中：不应发", "of which to households not due"),
        stats.paid_not_due,
        Some(controls.paid_not_due),
        false,
    )?;
    s.bank_line(
        lang.pick("其中：重复", "of which duplicates"),
        stats.paid_duplicate,
        Some(controls.paid_duplicate),
        false,
    )?;
    s.bank_line(
        lang.pick("其中：无法匹配", "of which unmatched rows"),
        stats.paid_unmatched,
        Some(controls.paid_unmatched),
        false,
    )?;
    s.balance_line(
        lang.pick(
            "银行成功金额 = 实发(应发户) + 不应发 + 重复 + 无法匹配",
            "Bank paid = paid (due) + not due + duplicates + unmatched",
        ),
        controls.paid_balances(),
        lang,
    )?;
    s.bank_line(
        lang.pick("银行失败", "Failed at the bank"),
        controls.bank_failed,
        None,
        false,
    )?;
    s.bank_line(
        lang.pick("无法读取", "Unreadable rows"),
        controls.bank_unreadable,
        None,
        false,
    )?;

    // The chart of rows per status.
    s.column_chart(
        (chart_first, chart_last),
        1,
        2,
        lang.pick("户数/行数", "Rows"),
        lang.pick("各状态户数/行数", "Rows per status"),
    )
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use calamine::{Data, Reader, Xlsx, open_workbook};

    use super::*;
    use crate::issue::{Problem, SourceRef};
    use crate::model::date::Month;
    use crate::model::policy::Policy;
    use crate::reconcile::{Controls, Set};
    use crate::report::test_support::{f, read, s};

    fn fen(n: i64) -> Money {
        Money::from_fen(n)
    }

    #[allow(clippy::too_many_arguments)]
    fn row(
        household_id: &str,
        name: &str,
        expected: Option<i64>,
        paid: Option<i64>,
        status: Status,
        flags: u8,
        checkin: Option<Checkin>,
        actions: u8,
        detail: &str,
        source: &str,
    ) -> LedgerRow {
        let is_household = !matches!(
            status,
            Status::Duplicate | Status::Unreadable | Status::Unexpected
        ) || (status == Status::Unexpected && checkin.is_some());
        LedgerRow {
            household_id: household_id.into(),
            name: name.into(),
            id_number: if is_household {
                "110105195001010034".into()
            } else {
                "".into()
            },
            account: "6228480010000000029".into(),
            community: if is_household {
                "东风社区".into()
            } else {
                "".into()
            },
            expected: expected.map(fen),
            paid: paid.map(fen),
            status,
            flags: Set(flags),
            checkin,
            actions: Set(actions),
            detail: detail.into(),
            detail_zh: detail.into(),
            source: source.into(),
            bank_rows: Vec::new(),
            is_household,
        }
    }

    fn sample() -> Ledger {
        let rows = vec![
            row(
                "0012",
                "张三",
                Some(28_000),
                Some(28_000),
                Status::Paid,
                0,
                Some(Checkin::OnTime),
                0,
                "",
                "bank.xlsx[回盘]!3",
            ),
            row(
                "0013",
                "李四",
                Some(56_000),
                Some(50_000),
                Status::Underpaid,
                F_NAME_MISMATCH,
                Some(Checkin::Late),
                A_TOP_UP | A_REVIEW,
                "",
                "bank.xlsx[回盘]!4",
            ),
            row(
                "0014",
                "王五",
                Some(33_050),
                None,
                Status::Failed,
                0,
                Some(Checkin::OnTime),
                A_REISSUE,
                "账户已冻结",
                "bank.xlsx[回盘]!5",
            ),
            row(
                "0015",
                "赵六",
                Some(28_000),
                None,
                Status::Missing,
                0,
                Some(Checkin::Missed),
                A_REISSUE | A_SUSPEND,
                "",
                "",
            ),
            row(
                "0016",
                "钱七",
                None,
                None,
                Status::Held,
                F_CHECKIN_HOLD,
                Some(Checkin::Excused),
                A_REVIEW,
                "",
                "",
            ),
            row(
                "0017",
                "孙八",
                None,
                None,
                Status::Inactive,
                0,
                Some(Checkin::NotDue),
                0,
                "",
                "",
            ),
            row(
                "0018",
                "周九",
                Some(28_000),
                Some(30_000),
                Status::Overpaid,
                F_CHANGE_REPORTED,
                Some(Checkin::OnTime),
                A_RECOVER | A_REVIEW,
                "",
                "bank.xlsx[回盘]!6",
            ),
            row(
                "",
                "吴十",
                None,
                Some(10_000),
                Status::Unexpected,
                0,
                None,
                A_RECOVER,
                "",
                "bank.xlsx[回盘]!7",
            ),
            row(
                "0012",
                "张三",
                None,
                Some(28_000),
                Status::Duplicate,
                0,
                None,
                A_RECOVER,
                "",
                "bank.xlsx[回盘]!8",
            ),
            row(
                "",
                "",
                None,
                None,
                Status::Unreadable,
                0,
                None,
                A_REVIEW,
                "金额无法识别",
                "bank.xlsx[回盘]!9",
            ),
        ];
        let controls = Controls {
            expected: fen(173_050),
            paid_due: fen(108_000),
            failed: fen(33_050),
            missing: fen(28_000),
            short: fen(6_000),
            excess: fen(2_000),
            paid_not_due: Money::ZERO,
            paid_duplicate: fen(28_000),
            paid_unmatched: fen(10_000),
            bank_paid: fen(146_000),
            bank_succeeded: 5,
            bank_failed: 1,
            bank_unreadable: 1,
        };
        let at = SourceRef {
            file: Arc::from("bank.xlsx"),
            sheet: Some(Arc::from("回盘")),
            row: Some(9),
            col: Some(2),
            header: Some(Arc::from("金额")),
        };
        Ledger {
            month: Month::new(2026, 11).expect("month"),
            policy: Policy {
                suspend_after_missed: 3,
                ..Policy::default()
            },
            rows,
            controls,
            problems: vec![Issue::new(
                at,
                Problem::AmountInvalid {
                    value: "=1+1".into(),
                },
            )],
        }
    }

    fn opts(lang: Lang) -> ReconcileBookOptions {
        ReconcileBookOptions {
            lang,
            date: NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
            unit: "城关街道民政办".into(),
        }
    }

    fn sheet_names(path: &Path) -> Vec<String> {
        let book: Xlsx<_> = open_workbook(path).expect("open");
        book.sheet_names()
    }

    fn yuan(m: Money) -> f64 {
        m.fen() as f64 / 100.0
    }

    /// The row whose first cell is the string `label`.
    fn row_of(r: &calamine::Range<Data>, label: &str) -> u32 {
        (0..=r.end().map_or(0, |e| e.0))
            .find(|&i| matches!(r.get_value((i, 0)), Some(Data::String(v)) if v == label))
            .unwrap_or_else(|| panic!("no row {label}"))
    }

    fn empty(r: &calamine::Range<Data>, row: u32, col: u32) -> bool {
        matches!(r.get_value((row, col)), None | Some(Data::Empty))
    }

    fn written(lang: Lang) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("对账报告.xlsx");
        write(&sample(), &opts(lang), &path).expect("written");
        (dir, path)
    }

    #[test]
    fn sheet_names_in_order() {
        let (_dir, path) = written(Lang::Zh);
        assert_eq!(
            sheet_names(&path),
            [
                "汇总",
                "少发",
                "多发",
                "发放失败",
                "未回盘",
                "暂停",
                "不应发",
                "重复发放",
                "无法读取",
                "签到情况",
                "补发名单",
                "追回名单",
                "停发建议名单",
                "复核名单",
                "问题",
            ]
        );
        let (_dir, path) = written(Lang::En);
        assert_eq!(
            sheet_names(&path),
            [
                "Summary",
                "UNDERPAID",
                "OVERPAID",
                "FAILED",
                "MISSING",
                "HELD",
                "UNEXPECTED",
                "DUPLICATE",
                "UNREADABLE",
                "Check-ins",
                "Re-issue",
                "Recovery",
                "Suspension",
                "Review",
                "Problems",
            ]
        );
    }

    #[test]
    fn summary_figures_to_the_fen() {
        let (_dir, path) = written(Lang::Zh);
        let r = read(&path, "汇总");
        assert_eq!(s(&r, 0, 0), "2026-11 低保金发放对账报告");
        assert_eq!(s(&r, 1, 0), "制表单位：城关街道民政办");
        assert_eq!(s(&r, 1, 1), "制表日期：2026年11月1日");

        let ledger = sample();
        for status in Status::ALL {
            let i = row_of(&r, status.code());
            let rows: Vec<&LedgerRow> = ledger.with_status(status).collect();
            let expected: Money = rows.iter().filter_map(|x| x.expected).sum();
            let paid: Money = rows.iter().filter_map(|x| x.paid).sum();
            assert_eq!(s(&r, i, 1), status.label_zh());
            assert_eq!(f(&r, i, 2), rows.len() as f64, "{status:?}");
            assert_eq!(f(&r, i, 3), yuan(expected), "{status:?}");
            assert_eq!(f(&r, i, 4), yuan(paid), "{status:?}");
        }
        let failed = row_of(&r, "FAILED");
        assert_eq!(
            (f(&r, failed, 2), f(&r, failed, 3), f(&r, failed, 4)),
            (1.0, 330.5, 0.0)
        );
        let total = row_of(&r, "合计");
        assert_eq!(f(&r, total, 2), 10.0);
        assert_eq!(f(&r, total, 3), 1730.5);
        assert_eq!(f(&r, total, 4), 1460.0);

        let reissue = row_of(&r, "REISSUE");
        assert_eq!(
            (s(&r, reissue, 1), f(&r, reissue, 2), f(&r, reissue, 3)),
            ("补发".into(), 2.0, 610.5)
        );
        let top_up = row_of(&r, "TOP_UP");
        assert_eq!(f(&r, top_up, 3), 60.0);
        let recover = row_of(&r, "RECOVER");
        assert_eq!(
            (f(&r, recover, 2), f(&r, recover, 3)),
            (3.0, 20.0 + 100.0 + 280.0)
        );
        let review = row_of(&r, "REVIEW");
        assert_eq!(f(&r, review, 2), 4.0);
        assert!(empty(&r, review, 3));

        assert_eq!(f(&r, row_of(&r, "MISSED"), 2), 1.0);
        assert_eq!(f(&r, row_of(&r, "ON_TIME"), 2), 3.0);
        assert_eq!(f(&r, row_of(&r, "HOME_VISIT"), 2), 0.0);

        assert_eq!(f(&r, row_of(&r, "应发合计"), 1), 1730.5);
        assert_eq!(f(&r, row_of(&r, "实发(应发户)"), 1), 1080.0);
        assert_eq!(f(&r, row_of(&r, "发放失败"), 1), 330.5);
        assert_eq!(f(&r, row_of(&r, "未回盘"), 1), 280.0);
        assert_eq!(f(&r, row_of(&r, "少发差额"), 1), 60.0);
        assert_eq!(f(&r, row_of(&r, "多发差额"), 1), 20.0);
        assert_eq!(
            s(
                &r,
                row_of(&r, "应发 = 实发 + 失败 + 未回盘 + 少发 − 多发"),
                1
            ),
            "平衡"
        );

        let bank = row_of(&r, "银行成功");
        assert_eq!((f(&r, bank, 1), f(&r, bank, 2)), (5.0, 1460.0));
        let due = row_of(&r, "其中：实发(应发户)");
        assert_eq!((f(&r, due, 1), f(&r, due, 2)), (3.0, 1080.0));
        let dup = row_of(&r, "其中：重复");
        assert_eq!((f(&r, dup, 1), f(&r, dup, 2)), (1.0, 280.0));
        let unmatched = row_of(&r, "其中：无法匹配");
        assert_eq!((f(&r, unmatched, 1), f(&r, unmatched, 2)), (1.0, 100.0));
        assert_eq!(
            s(
                &r,
                row_of(&r, "银行成功金额 = 实发(应发户) + 不应发 + 重复 + 无法匹配"),
                1
            ),
            "平衡"
        );
        assert_eq!(f(&r, row_of(&r, "银行失败"), 1), 1.0);
        assert_eq!(f(&r, row_of(&r, "无法读取"), 1), 1.0);
    }

    #[test]
    fn unbalanced_controls_say_so() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("r.xlsx");
        let mut ledger = sample();
        ledger.controls.missing = fen(27_999);
        write(&ledger, &opts(Lang::Zh), &path).expect("written");
        let r = read(&path, "汇总");
        assert_eq!(
            s(
                &r,
                row_of(&r, "应发 = 实发 + 失败 + 未回盘 + 少发 − 多发"),
                1
            ),
            "不平衡"
        );
        assert_eq!(
            s(
                &r,
                row_of(&r, "银行成功金额 = 实发(应发户) + 不应发 + 重复 + 无法匹配"),
                1
            ),
            "平衡"
        );
    }

    #[test]
    fn exception_sheet_cells() {
        let (_dir, path) = written(Lang::Zh);
        let r = read(&path, "发放失败");
        let header: Vec<String> = (0..14).map(|c| s(&r, 0, c)).collect();
        assert_eq!(
            header,
            [
                "序号",
                "低保证号",
                "姓名/户名",
                "身份证号",
                "账号",
                "社区",
                "应发",
                "实发",
                "状态",
                "标记",
                "签到",
                "处理",
                "说明",
                "来源",
            ]
        );
        assert_eq!(f(&r, 1, 0), 1.0);
        assert_eq!(s(&r, 1, 1), "0014");
        assert_eq!(s(&r, 1, 2), "王五");
        assert_eq!(s(&r, 1, 3), "110105195001010034");
        assert_eq!(s(&r, 1, 4), "6228480010000000029");
        assert_eq!(s(&r, 1, 5), "东风社区");
        assert_eq!(f(&r, 1, 6), 330.5);
        assert!(empty(&r, 1, 7));
        assert_eq!(s(&r, 1, 8), "发放失败");
        assert!(empty(&r, 1, 9));
        assert_eq!(s(&r, 1, 10), "ON_TIME");
        assert_eq!(s(&r, 1, 11), "REISSUE");
        assert_eq!(s(&r, 1, 12), "账户已冻结");
        assert_eq!(s(&r, 1, 13), "bank.xlsx[回盘]!5");
        assert_eq!(r.end(), Some((1, 13)));

        let under = read(&path, "少发");
        assert_eq!(s(&under, 1, 9), "NAME_MISMATCH");
        assert_eq!(s(&under, 1, 11), "TOP_UP;REVIEW");

        let held = read(&path, "暂停");
        assert_eq!(s(&held, 1, 1), "0016");
        assert!(empty(&held, 1, 6));
        let inactive_has_no_sheet = !sheet_names(&path).iter().any(|n| n == "不在保");
        assert!(inactive_has_no_sheet);
    }

    #[test]
    fn empty_exception_sheet_is_header_only() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("r.xlsx");
        let mut ledger = sample();
        ledger.rows.retain(|r| r.status != Status::Overpaid);
        write(&ledger, &opts(Lang::Zh), &path).expect("written");
        let r = read(&path, "多发");
        assert_eq!(r.end(), Some((0, 13)));
        assert_eq!(s(&r, 0, 0), "序号");
    }

    #[test]
    fn checkin_sheet() {
        let (_dir, path) = written(Lang::Zh);
        let r = read(&path, "签到情况");
        // LATE, MISSED, EXCUSED, and the on-time one that reported a change.
        let ids: Vec<String> = (1..=4).map(|i| s(&r, i, 1)).collect();
        assert_eq!(ids, ["0013", "0015", "0016", "0018"]);
        assert_eq!(r.end().map(|e| e.0), Some(4));
        assert_eq!(s(&r, 4, 9), "CHANGE_REPORTED");
    }

    #[test]
    fn reissue_list_amounts_and_total() {
        let (_dir, path) = written(Lang::Zh);
        let r = read(&path, "补发名单");
        assert_eq!(s(&r, 0, 8), "金额");
        // Ledger order: 0013 (top-up), 0014, 0015 (re-issue).
        assert_eq!(
            (s(&r, 1, 1), s(&r, 1, 12), f(&r, 1, 8)),
            ("0013".into(), "补差".into(), 60.0)
        );
        assert_eq!(
            (s(&r, 2, 1), s(&r, 2, 12), f(&r, 2, 8)),
            ("0014".into(), "补发".into(), 330.5)
        );
        assert_eq!(
            (s(&r, 3, 1), s(&r, 3, 12), f(&r, 3, 8)),
            ("0015".into(), "补发".into(), 280.0)
        );
        assert_eq!(s(&r, 4, 0), "合计");
        assert_eq!(s(&r, 4, 1), "3笔");
        assert_eq!(f(&r, 4, 8), 670.5);

        let rec = read(&path, "追回名单");
        let amounts: Vec<f64> = (1..=3).map(|i| f(&rec, i, 8)).collect();
        assert_eq!(amounts, [20.0, 100.0, 280.0]);
        assert_eq!((s(&rec, 4, 0), f(&rec, 4, 8)), ("合计".into(), 400.0));
        // An unmatched bank row has no household number.
        assert!(empty(&rec, 2, 1));
        assert_eq!(s(&rec, 2, 2), "吴十");
    }

    #[test]
    fn suspend_and_review_lists() {
        let (_dir, path) = written(Lang::Zh);
        let sus = read(&path, "停发建议名单");
        assert_eq!(s(&sus, 1, 1), "0015");
        assert_eq!(s(&sus, 1, 11), "停发建议");
        assert_eq!(s(&sus, 1, 12), "连续3个月未签到");
        assert_eq!(sus.end().map(|e| e.0), Some(1));

        let rev = read(&path, "复核名单");
        let ids: Vec<String> = (1..=3).map(|i| s(&rev, i, 1)).collect();
        assert_eq!(ids, ["0013", "0016", "0018"]);
        assert_eq!(
            s(&rev, 1, 12),
            "状态：少发；户名与花名册不符；签到：逾期签到"
        );
        assert_eq!(
            s(&rev, 2, 12),
            "状态：暂停；签到暂停户；签到：请假；已签到，恢复发放待核"
        );
        assert_eq!(s(&rev, 4, 12), "状态：无法读取；金额无法识别");
        assert_eq!(s(&rev, 4, 13), "bank.xlsx[回盘]!9");
        assert_eq!(rev.end().map(|e| e.0), Some(4));
    }

    #[test]
    fn problems_sheet_row() {
        let (_dir, path) = written(Lang::Zh);
        let r = read(&path, "问题");
        let header: Vec<String> = (0..5).map(|c| s(&r, 0, c)).collect();
        assert_eq!(header, ["位置", "级别", "代码", "说明", "处理建议"]);
        let issue = &sample().problems[0];
        assert_eq!(s(&r, 1, 0), "bank.xlsx[回盘]!C9 (金额)");
        assert_eq!(s(&r, 1, 1), issue.severity.word(Lang::Zh));
        assert_eq!(s(&r, 1, 2), "AMOUNT_INVALID");
        assert_eq!(s(&r, 1, 3), issue.problem.message(Lang::Zh));
        assert_eq!(s(&r, 1, 4), issue.problem.hint(Lang::Zh));
    }

    #[test]
    fn no_formula_and_same_bytes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (a, b) = (dir.path().join("a.xlsx"), dir.path().join("b.xlsx"));
        write(&sample(), &opts(Lang::Zh), &a).expect("written");
        write(&sample(), &opts(Lang::Zh), &b).expect("written");
        assert_eq!(std::fs::read(&a).expect("a"), std::fs::read(&b).expect("b"));

        let mut book: Xlsx<_> = open_workbook(&a).expect("open");
        for name in book.sheet_names() {
            let formulas = book.worksheet_formula(&name).expect("formulas");
            assert!(
                formulas.used_cells().all(|(_, _, x)| x.is_empty()),
                "formula in {name}"
            );
        }
    }

    #[test]
    fn lists_continue_on_further_sheets() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("r.xlsx");
        write_split(&sample(), &opts(Lang::Zh), &path, 2).expect("written");
        let names = sheet_names(&path);
        // 复核名单: 4 rows over 2 sheets; 补发名单: 3 rows and the total.
        for name in ["复核名单", "复核名单 (2)", "补发名单", "补发名单 (2)"] {
            assert!(names.iter().any(|n| n == name), "no sheet {name}");
        }
        assert!(
            !names
                .iter()
                .any(|n| n == "复核名单 (3)" || n == "补发名单 (3)")
        );
        let two = read(&path, "复核名单 (2)");
        assert_eq!(s(&two, 0, 0), "序号");
        assert_eq!((f(&two, 1, 0), s(&two, 1, 1)), (3.0, "0018".into()));
        let reissue = read(&path, "补发名单 (2)");
        assert_eq!(s(&reissue, 1, 1), "0015");
        assert_eq!(
            (s(&reissue, 2, 0), f(&reissue, 2, 8)),
            ("合计".into(), 670.5)
        );
    }

    #[test]
    fn print_setup_and_chart() {
        let unzip_works = std::process::Command::new("unzip")
            .arg("-v")
            .output()
            .is_ok_and(|o| o.status.success());
        if !unzip_works {
            eprintln!("unzip not found: print setup not checked");
            return;
        }
        let (_dir, path) = written(Lang::Zh);
        let part = |name: &str| -> String {
            let out = std::process::Command::new("unzip")
                .arg("-p")
                .arg(&path)
                .arg(name)
                .output()
                .expect("unzip runs");
            String::from_utf8(out.stdout).expect("utf-8")
        };
        // sheet1 is the summary, sheet2 the first exception sheet.
        let summary = part("xl/worksheets/sheet1.xml");
        assert!(summary.contains(r#"orientation="landscape""#));
        assert!(summary.contains("<drawing "), "no chart on the summary");
        let list = part("xl/worksheets/sheet2.xml");
        for needle in [
            r#"orientation="landscape""#,
            r#"paperSize="9""#,
            r#"<pageSetUpPr fitToPage="1"/>"#,
            r#"state="frozen""#,
            r#"ySplit="1""#,
            "第 &amp;P 页 共 &amp;N 页",
        ] {
            assert!(list.contains(needle), "sheet2.xml lacks {needle}");
        }
        let workbook = part("xl/workbook.xml");
        assert!(workbook.contains("_xlnm.Print_Titles"), "no print titles");
        assert!(workbook.contains("$1:$1"), "print titles are not row 1");
        let chart = part("xl/charts/chart1.xml");
        assert!(chart.contains("<c:barChart>") && chart.contains(r#"<c:barDir val="col"/>"#));
        assert!(
            chart.contains("$C$6:$C$15") && chart.contains("$B$6:$B$15"),
            "chart is not the counts per status: {chart}"
        );
    }

    #[test]
    fn long_text_is_cut_to_a_cell() {
        let long = "甲".repeat(40_000);
        let cut = cell_text(&long);
        assert_eq!(cut.chars().count(), MAX_CELL_TEXT);
        assert!(cut.ends_with('…'));
        assert_eq!(cell_text("abc"), "abc");
    }
}
