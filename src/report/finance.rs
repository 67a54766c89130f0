//! The finance roster workbook (低保金社会化发放花名册, SPEC §5.1): what the
//! community stamps and signs and the district finance section checks
//! against the bank file.
//!
//! Layout: the roster sheet(s) first — title, 制表单位 and 制表日期, the
//! header, then the due households grouped by community (in order of first
//! appearance, roster order within a community), a subtotal after each
//! community, the grand total and the signature line — then a summary sheet
//! with the month's statistics and a chart of the total per community.
//!
//! Invariants: only `Due` rows are listed; every subtotal and total is
//! summed in exact fen here and written as a number (the workbook holds no
//! formula at all, so nothing a user typed can become one); IDs and accounts
//! are text cells; the roster sheets are written row by row in constant
//! memory, and when the rows do not fit one sheet they continue on
//! `发放花名册 (2)`, … each with its own title and header, the grand total and
//! signature on the last one. The same payroll and options give the same
//! bytes.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use rustc_hash::{FxHashMap, FxHashSet};

use super::summary_sheet::{Formats, Heading, SummarySheet};
use super::workbook::{
    SHEET_DATA_ROWS, amount, date_label, set_list_print, unit_label, write_workbook,
};
use crate::error::Error;
use crate::issue::Lang;
use crate::model::date::Month;
use crate::model::money::Money;
use crate::payroll::{Hold, Payroll, PayrollRow, RowStatus};

/// How the finance roster is labelled.
#[derive(Clone, Debug)]
pub struct FinanceOptions {
    /// Language of headers, sheet names and labels.
    pub lang: Lang,
    /// 制表日期: printed on the roster, and the workbook's document date.
    pub date: chrono::NaiveDate,
    /// 制表单位: the unit that prepared the roster; may be empty.
    pub unit: String,
}

/// Writes the finance roster workbook to `path`.
///
/// # Parameters
///
/// - `payroll`: the month's payroll; only its `Due` rows are listed.
/// - `opts`: language, 制表日期 and 制表单位.
/// - `path`: the `.xlsx` file to write (replaced if it exists).
///
/// # Errors
///
/// - [`Error::Xlsx`] when the workbook cannot be built or saved (an
///   unwritable path or temporary directory).
///
/// # Examples
///
/// ```no_run
/// # fn demo(payroll: &dibao::payroll::Payroll) -> Result<(), dibao::error::Error> {
/// use dibao::report::finance::{FinanceOptions, write};
/// let opts = FinanceOptions {
///     lang: dibao::issue::Lang::Zh,
///     date: payroll.month.first_day(),
///     unit: "城关街道东风社区居委会".to_string(),
/// };
/// write(payroll, &opts, std::path::Path::new("out/发放花名册.xlsx"))?;
/// # Ok(())
/// # }
/// ```
pub fn write(payroll: &Payroll, opts: &FinanceOptions, path: &Path) -> Result<(), Error> {
    write_split(payroll, opts, path, SHEET_DATA_ROWS + 1 - HEADER_ROWS)
}

/// [`write`] with at most `capacity` rows under the header of each roster
/// sheet (data rows, subtotals, and on the last sheet the grand total, a
/// blank row and the signature line).
fn write_split(
    payroll: &Payroll,
    opts: &FinanceOptions,
    path: &Path,
    capacity: u32,
) -> Result<(), Error> {
    let ctx = Ctx::new(payroll, opts);
    let formats = Formats::new("0");
    write_workbook(path, opts.date, |workbook| {
        write_roster(workbook, &ctx, &formats, capacity.max(TAIL_ROWS))?;
        write_summary(workbook, &ctx, &formats)
    })
}

// --- layout -------------------------------------------------------------------

/// Title, 制表单位/制表日期, header.
const HEADER_ROWS: u32 = 3;
/// Grand total, a blank row, the signature line.
const TAIL_ROWS: u32 = 3;

const C_SEQ: u16 = 0;
const C_COMMUNITY: u16 = 1;
const C_HOUSEHOLD: u16 = 2;
const C_NAME: u16 = 3;
const C_ID: u16 = 4;
const C_MEMBERS: u16 = 5;
/// The first amount column (低保金); then one per subsidy, 分类施保金, 补发,
/// 调整, 发放合计.
const C_AMOUNTS: u16 = 6;
/// Amount columns besides the subsidies.
const FIXED_AMOUNTS: u16 = 5;
/// A title or list longer than this many streets or communities is cut
/// with 等: a provincial run has thousands.
const PLACES_IN_TITLE: usize = 3;

/// What both sheets need: the grouping, the sums, the labels.
struct Ctx<'a> {
    payroll: &'a Payroll,
    opts: &'a FinanceOptions,
    lang: Lang,
    /// Number of policy subsidies (subsidy columns).
    subsidies: usize,
    /// Due rows by community, in order of first appearance.
    groups: Vec<Group<'a>>,
    grand: Sums,
    /// `{street}{community}` for titles.
    place: String,
}

struct Group<'a> {
    community: &'a str,
    rows: Vec<&'a PayrollRow>,
    sums: Sums,
}

/// Exact sums of a set of due rows.
#[derive(Clone, Debug, Default)]
struct Sums {
    households: u64,
    members: u64,
    /// One per amount column.
    amounts: Vec<Money>,
}

impl Sums {
    fn new(subsidies: usize) -> Sums {
        Sums {
            households: 0,
            members: 0,
            amounts: vec![Money::ZERO; subsidies + usize::from(FIXED_AMOUNTS)],
        }
    }

    fn add(&mut self, row: &PayrollRow, subsidies: usize) {
        self.households += 1;
        self.members += u64::from(row.members);
        for (sum, m) in self.amounts.iter_mut().zip(amounts(row, subsidies)) {
            *sum += m;
        }
    }
}

/// A row's amount columns: 低保金, each subsidy, 分类施保金, 补发, 调整, 发放合计.
fn amounts(row: &PayrollRow, subsidies: usize) -> impl Iterator<Item = Money> + '_ {
    std::iter::once(row.base)
        .chain((0..subsidies).map(move |i| row.subsidies.get(i).copied().unwrap_or(Money::ZERO)))
        .chain([row.addons, row.reissue, row.adjustment, row.total])
}

/// Distinct non-empty values in order of first appearance, joined by `、`
/// (English: `, `), cut after [`PLACES_IN_TITLE`] with 等.
fn distinct_joined<'a>(values: impl Iterator<Item = &'a str>, lang: Lang) -> String {
    let mut seen = FxHashSet::default();
    let mut out: Vec<&str> = Vec::new();
    let mut more = false;
    for v in values.filter(|v| !v.is_empty()) {
        if seen.insert(v) {
            if out.len() < PLACES_IN_TITLE {
                out.push(v);
            } else {
                more = true;
                break;
            }
        }
    }
    let mut s = out.join(lang.pick("、", ", "));
    if more {
        s.push_str(lang.pick("等", ", etc."));
    }
    s
}

impl<'a> Ctx<'a> {
    fn new(payroll: &'a Payroll, opts: &'a FinanceOptions) -> Ctx<'a> {
        let lang = opts.lang;
        let subsidies = payroll.policy.subsidies.len();
        let mut groups: Vec<Group<'a>> = Vec::new();
        let mut index: FxHashMap<&'a str, usize> = FxHashMap::default();
        let mut grand = Sums::new(subsidies);
        for row in payroll.due() {
            let i = *index.entry(row.community.as_str()).or_insert_with(|| {
                groups.push(Group {
                    community: row.community.as_str(),
                    rows: Vec::new(),
                    sums: Sums::new(subsidies),
                });
                groups.len() - 1
            });
            groups[i].rows.push(row);
            groups[i].sums.add(row, subsidies);
            grand.add(row, subsidies);
        }
        let street = distinct_joined(payroll.due().map(|r| r.street.as_str()), lang);
        let community = distinct_joined(payroll.due().map(|r| r.community.as_str()), lang);
        let place = match lang {
            Lang::Zh => format!("{street}{community}"),
            Lang::En => [street, community]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
        };
        Ctx {
            payroll,
            opts,
            lang,
            subsidies,
            groups,
            grand,
            place,
        }
    }

    /// Columns of the roster sheet.
    fn columns(&self) -> u16 {
        C_AMOUNTS + self.amount_columns() + 3
    }

    fn amount_columns(&self) -> u16 {
        // More columns than Excel has fail when written, not here.
        u16::try_from(self.subsidies.min(16_384)).unwrap_or(16_384) + FIXED_AMOUNTS
    }

    fn c_bank(&self) -> u16 {
        C_AMOUNTS + self.amount_columns()
    }

    fn month_label(&self) -> String {
        let m = self.payroll.month;
        match self.lang {
            Lang::Zh => format!("{}年{}月", m.year(), m.month()),
            Lang::En => format!(
                "{} {}",
                MONTHS[(m.month() as usize).saturating_sub(1) % 12],
                m.year()
            ),
        }
    }

    fn title(&self, zh_what: &str, en_what: &str) -> String {
        match self.lang {
            Lang::Zh => format!("{}{}{zh_what}", self.place, self.month_label()),
            Lang::En if self.place.is_empty() => format!("{en_what}, {}", self.month_label()),
            Lang::En => format!("{}: {en_what}, {}", self.place, self.month_label()),
        }
    }

    /// `12户` / `12 households`.
    fn households(&self, n: u64) -> String {
        match self.lang {
            Lang::Zh => format!("{n}户"),
            Lang::En if n == 1 => "1 household".to_string(),
            Lang::En => format!("{n} households"),
        }
    }

    /// The header of the amount columns.
    fn amount_headers(&self) -> Vec<String> {
        let lang = self.lang;
        let mut h = vec![lang.pick("低保金", "Base benefit").to_string()];
        h.extend(
            self.payroll
                .policy
                .subsidies
                .iter()
                .map(|(name, _)| name.clone()),
        );
        h.push(lang.pick("分类施保金", "Add-ons").to_string());
        h.push(lang.pick("补发", "Re-issue").to_string());
        h.push(lang.pick("调整", "Adjustment").to_string());
        h.push(lang.pick("发放合计", "Total").to_string());
        h
    }

    /// 备注: the row's note and, for a re-issue, the months re-issued.
    fn note(&self, row: &PayrollRow) -> String {
        if row.reissue_for.is_empty() {
            return row.note.clone();
        }
        let months: Vec<String> = row.reissue_for.iter().map(ToString::to_string).collect();
        let reissue = match self.lang {
            Lang::Zh => format!("补发 {}", months.join("、")),
            Lang::En => format!("re-issue for {}", months.join(", ")),
        };
        if row.note.is_empty() {
            reissue
        } else if months.iter().all(|m| row.note.contains(m.as_str())) {
            row.note.clone()
        } else {
            format!("{}{}{reissue}", row.note, self.lang.pick("；", "; "))
        }
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

// --- roster sheets --------------------------------------------------------------

/// Where the next roster row goes; starts a new sheet when one is full.
struct Cursor {
    /// Index of the current sheet in the workbook.
    sheet: usize,
    /// Roster sheets so far.
    sheets: usize,
    row: u32,
    used: u32,
    capacity: u32,
}

impl Cursor {
    fn new_sheet(
        &mut self,
        workbook: &mut Workbook,
        ctx: &Ctx,
        f: &Formats,
    ) -> Result<(), XlsxError> {
        self.sheets += 1;
        self.sheet = start_roster_sheet(workbook, ctx, f, self.sheets)?;
        self.row = HEADER_ROWS;
        self.used = 0;
        Ok(())
    }

    /// The next row to write, on a new sheet if this one is full.
    fn take_row(
        &mut self,
        workbook: &mut Workbook,
        ctx: &Ctx,
        f: &Formats,
    ) -> Result<u32, XlsxError> {
        if self.used >= self.capacity {
            self.new_sheet(workbook, ctx, f)?;
        }
        let row = self.row;
        self.row += 1;
        self.used += 1;
        Ok(row)
    }
}

fn write_roster(
    workbook: &mut Workbook,
    ctx: &Ctx,
    f: &Formats,
    capacity: u32,
) -> Result<(), XlsxError> {
    let mut cur = Cursor {
        sheet: 0,
        sheets: 0,
        row: HEADER_ROWS,
        used: 0,
        capacity,
    };
    cur.new_sheet(workbook, ctx, f)?;
    let mut seq: u64 = 0;
    for group in &ctx.groups {
        for row in &group.rows {
            seq += 1;
            let r = cur.take_row(workbook, ctx, f)?;
            let ws = workbook.worksheet_from_index(cur.sheet)?;
            write_data_row(ws, ctx, f, r, seq, row)?;
        }
        let r = cur.take_row(workbook, ctx, f)?;
        let ws = workbook.worksheet_from_index(cur.sheet)?;
        let label = format!("{}{}", group.community, ctx.lang.pick("小计", " subtotal"));
        write_sum_row(ws, ctx, f, r, &label, &group.sums)?;
    }
    if cur.used + TAIL_ROWS > cur.capacity {
        cur.new_sheet(workbook, ctx, f)?;
    }
    let r = cur.take_row(workbook, ctx, f)?;
    let ws = workbook.worksheet_from_index(cur.sheet)?;
    write_sum_row(ws, ctx, f, r, ctx.lang.pick("合计", "Total"), &ctx.grand)?;
    let _blank = cur.take_row(workbook, ctx, f)?;
    let r = cur.take_row(workbook, ctx, f)?;
    let ws = workbook.worksheet_from_index(cur.sheet)?;
    write_signature(ws, ctx, r)
}

/// Adds roster sheet number `n` with its title, 制表 line, header and print
/// setup; returns its index in the workbook.
fn start_roster_sheet(
    workbook: &mut Workbook,
    ctx: &Ctx,
    f: &Formats,
    n: usize,
) -> Result<usize, XlsxError> {
    let lang = ctx.lang;
    let ws = workbook.add_worksheet_with_constant_memory()?;
    let base = lang.pick("发放花名册", "Roster");
    ws.set_name(if n == 1 {
        base.to_string()
    } else {
        format!("{base} ({n})")
    })?;

    let last = ctx.columns() - 1;
    let c_bank = ctx.c_bank();
    ws.set_column_width(C_SEQ, 6)?;
    ws.set_column_width(C_COMMUNITY, 14)?;
    ws.set_column_width(C_HOUSEHOLD, 12)?;
    ws.set_column_width(C_NAME, 10)?;
    ws.set_column_width(C_ID, 21)?;
    ws.set_column_width(C_MEMBERS, 8)?;
    for c in C_AMOUNTS..c_bank {
        ws.set_column_width(c, 12)?;
    }
    ws.set_column_width(c_bank, 18)?; // 中国邮政储蓄银行 in full
    ws.set_column_width(c_bank + 1, 23)?;
    ws.set_column_width(c_bank + 2, 26)?;

    set_list_print(ws, lang, HEADER_ROWS)?;
    ws.set_print_center_horizontally(true);

    ws.set_row_height(0, 32)?;
    ws.merge_range(
        0,
        0,
        0,
        last,
        &ctx.title(
            "低保金社会化发放花名册",
            "minimum living guarantee disbursement roster",
        ),
        &f.title,
    )?;
    let mid = last / 2;
    let unit = unit_label(lang, &ctx.opts.unit);
    ws.merge_range(1, 0, 1, mid, &unit, &f.left)?;
    let date = date_label(lang, ctx.opts.date);
    ws.merge_range(1, mid + 1, 1, last, &date, &f.right)?;

    ws.set_row_height(2, 30)?;
    let fixed = [
        lang.pick("序号", "No."),
        lang.pick("社区", "Community"),
        lang.pick("低保证号", "Household no."),
        lang.pick("户主姓名", "Head of household"),
        lang.pick("身份证号", "ID number"),
        lang.pick("保障人数", "Persons"),
    ];
    for (c, h) in (0u16..).zip(fixed) {
        ws.write_string_with_format(2, c, h, &f.header)?;
    }
    for (c, h) in (C_AMOUNTS..).zip(ctx.amount_headers()) {
        ws.write_string_with_format(2, c, h, &f.header)?;
    }
    let tail = [
        lang.pick("开户银行", "Bank"),
        lang.pick("账号", "Account"),
        lang.pick("备注", "Note"),
    ];
    for (c, h) in (c_bank..).zip(tail) {
        ws.write_string_with_format(2, c, h, &f.header)?;
    }
    Ok(workbook.worksheets().len() - 1)
}

fn write_data_row(
    ws: &mut Worksheet,
    ctx: &Ctx,
    f: &Formats,
    r: u32,
    seq: u64,
    row: &PayrollRow,
) -> Result<(), XlsxError> {
    // Data cells carry a format only where the value needs one (amounts):
    // the library hashes a cell's format on every write, which dominated a
    // million-row roster; printed gridlines draw the table instead.
    ws.write_number(r, C_SEQ, seq as f64)?;
    ws.write_string(r, C_COMMUNITY, row.community.as_str())?;
    ws.write_string(r, C_HOUSEHOLD, row.household_id.as_str())?;
    ws.write_string(r, C_NAME, row.name.as_str())?;
    ws.write_string(r, C_ID, row.id_number.as_str())?;
    ws.write_number(r, C_MEMBERS, row.members)?;
    for (c, m) in (C_AMOUNTS..).zip(amounts(row, ctx.subsidies)) {
        ws.write_number_with_format(r, c, amount(m)?, &f.money.plain)?;
    }
    let c_bank = ctx.c_bank();
    ws.write_string(r, c_bank, row.bank.as_str())?;
    ws.write_string(r, c_bank + 1, row.account.as_str())?;
    ws.write_string(r, c_bank + 2, ctx.note(row))?;
    Ok(())
}

/// A subtotal or the grand total: label in 社区, `N户` in 低保证号, Σ members
/// and Σ every amount column.
fn write_sum_row(
    ws: &mut Worksheet,
    ctx: &Ctx,
    f: &Formats,
    r: u32,
    label: &str,
    sums: &Sums,
) -> Result<(), XlsxError> {
    let text = &f.text.bold;
    ws.write_blank(r, C_SEQ, text)?;
    ws.write_string_with_format(r, C_COMMUNITY, label, text)?;
    ws.write_string_with_format(r, C_HOUSEHOLD, ctx.households(sums.households), text)?;
    ws.write_blank(r, C_NAME, text)?;
    ws.write_blank(r, C_ID, text)?;
    ws.write_number_with_format(r, C_MEMBERS, sums.members as f64, &f.count.bold)?;
    for (c, m) in (C_AMOUNTS..).zip(&sums.amounts) {
        ws.write_number_with_format(r, c, amount(*m)?, &f.money.bold)?;
    }
    let c_bank = ctx.c_bank();
    for c in c_bank..=c_bank + 2 {
        ws.write_blank(r, c, text)?;
    }
    Ok(())
}

/// 分管领导 / 民政干事 / 经办人 / （盖章）, spread across the row.
fn write_signature(ws: &mut Worksheet, ctx: &Ctx, r: u32) -> Result<(), XlsxError> {
    let lang = ctx.lang;
    let plain = Format::new();
    let n = ctx.columns();
    let labels = [
        lang.pick("分管领导：", "Leader in charge:"),
        lang.pick("民政干事：", "Civil-affairs officer:"),
        lang.pick("经办人：", "Prepared by:"),
        lang.pick("（盖章）", "(Seal)"),
    ];
    ws.set_row_height(r, 30)?;
    for (i, label) in (0u16..).zip(labels) {
        ws.write_string_with_format(r, 1 + i * n / 4, label, &plain)?;
    }
    Ok(())
}

// --- summary sheet ------------------------------------------------------------------

/// Households and persons.
#[derive(Clone, Copy, Default)]
struct Count {
    households: u64,
    persons: u64,
}

impl Count {
    fn add(&mut self, row: &PayrollRow) {
        self.households += 1;
        self.persons += u64::from(row.members);
    }
}

/// One line of a 待补发 or 追回 list on the summary sheet.
struct ListLine<'a> {
    household_id: &'a str,
    name: &'a str,
    for_month: Month,
    amount: Money,
    /// 补发 / 补差 for owed amounts; `None` for recoveries.
    kind: Option<&'a str>,
}

/// The finance summary's own lines (the cells are written by the shared
/// [`SummarySheet`]).
impl SummarySheet<'_> {
    fn count_row(&mut self, label: &str, count: Count, bold: bool) -> Result<(), XlsxError> {
        self.text(0, label, bold)?;
        self.count(1, count.households, bold)?;
        self.count(2, count.persons, bold)?;
        self.row += 1;
        Ok(())
    }

    /// A 待补发 or 追回 list: one line per household and month, then the
    /// total (a household on two lines is one 户). `with_kind` adds the
    /// 类型 column (empty lists keep it, so the layout does not shift).
    fn month_list(
        &mut self,
        ctx: &Ctx,
        title: &str,
        with_kind: bool,
        lines: &[ListLine],
    ) -> Result<(), XlsxError> {
        let lang = ctx.lang;
        self.section(title)?;
        let mut header = vec![
            lang.pick("低保证号", "Household no."),
            lang.pick("户主姓名", "Name"),
            lang.pick("所属年月", "For month"),
            lang.pick("金额（元）", "Amount (yuan)"),
        ];
        if with_kind {
            header.push(lang.pick("类型", "Kind"));
        }
        self.header(&header)?;
        let width = header.len() as u16;
        if lines.is_empty() {
            return self.none_row(lang, width);
        }
        for line in lines {
            self.text(0, line.household_id, false)?;
            self.text(1, line.name, false)?;
            self.text(2, &line.for_month.to_string(), false)?;
            self.money(3, line.amount, false)?;
            if with_kind {
                self.text(4, line.kind.unwrap_or(""), false)?;
            }
            self.row += 1;
        }
        self.text(0, lang.pick("合计", "Total"), true)?;
        let ids = lines.iter().map(|l| l.household_id);
        self.text(1, &ctx.households(distinct_households(ids)), true)?;
        self.text(2, "", true)?;
        self.money(3, lines.iter().map(|l| l.amount).sum(), true)?;
        if with_kind {
            self.text(4, "", true)?;
        }
        self.row += 1;
        Ok(())
    }

    fn none_row(&mut self, lang: Lang, width: u16) -> Result<(), XlsxError> {
        self.text(0, lang.pick("无", "None"), false)?;
        for c in 1..width {
            self.blank(c, false)?;
        }
        self.row += 1;
        Ok(())
    }
}

/// Households among list entries: one household on several lines (two
/// months owed) counts once; an entry with no household (a payment to an
/// account on no roster) counts on its own.
fn distinct_households<'a>(ids: impl Iterator<Item = &'a str>) -> u64 {
    let mut seen = std::collections::BTreeSet::new();
    let mut without = 0u64;
    for id in ids {
        if id.is_empty() {
            without += 1;
        } else {
            seen.insert(id);
        }
    }
    seen.len() as u64 + without
}

fn write_summary(workbook: &mut Workbook, ctx: &Ctx, f: &Formats) -> Result<(), XlsxError> {
    let lang = ctx.lang;
    let payroll = ctx.payroll;
    let title = ctx.title("低保金发放汇总", "minimum living guarantee payroll summary");
    let heading = Heading {
        lang,
        name: lang.pick("汇总", "Summary"),
        widths: [30.0, 16.0, 14.0, 16.0, 12.0],
        landscape: false,
        title: &title,
        unit: &ctx.opts.unit,
        date: ctx.opts.date,
        unit_last: 1,
    };
    let mut s = SummarySheet::start(workbook, f, &heading)?;

    // Households and persons by status.
    let (mut due, mut held_roster, mut held_checkin, mut inactive, mut excluded, mut all) = (
        Count::default(),
        Count::default(),
        Count::default(),
        Count::default(),
        Count::default(),
        Count::default(),
    );
    for row in &payroll.rows {
        all.add(row);
        match (row.status, row.hold) {
            (RowStatus::Due, _) => due.add(row),
            (RowStatus::Held, Some(Hold::Checkin)) => held_checkin.add(row),
            (RowStatus::Held, _) => held_roster.add(row),
            (RowStatus::Inactive, _) => inactive.add(row),
            (RowStatus::Excluded, _) => excluded.add(row),
        }
    }
    s.section(lang.pick("发放对象", "Households"))?;
    s.header(&[
        lang.pick("项目", "Item"),
        lang.pick("户数", "Households"),
        lang.pick("人数", "Persons"),
    ])?;
    s.count_row(lang.pick("本月应发放", "Due this month"), due, false)?;
    s.count_row(
        lang.pick("暂停发放（花名册暂停）", "Held (suspended on the roster)"),
        held_roster,
        false,
    )?;
    s.count_row(
        lang.pick("暂停发放（未按时签到）", "Held (missed check-in)"),
        held_checkin,
        false,
    )?;
    s.count_row(lang.pick("不在保", "Inactive"), inactive, false)?;
    s.count_row(
        lang.pick("剔除（数据有误）", "Excluded (data errors)"),
        excluded,
        false,
    )?;
    s.count_row(lang.pick("花名册合计", "Roster total"), all, true)?;

    // Amount per component.
    s.section(lang.pick("发放金额", "Amounts"))?;
    s.header(&[
        lang.pick("项目", "Item"),
        lang.pick("金额（元）", "Amount (yuan)"),
    ])?;
    let headers = ctx.amount_headers();
    let last = headers.len().saturating_sub(1);
    for (i, (label, m)) in headers.iter().zip(&ctx.grand.amounts).enumerate() {
        s.money_line(label, *m, i == last)?;
    }

    // Per community.
    s.section(lang.pick("分社区发放情况", "By community"))?;
    s.header(&[
        lang.pick("社区", "Community"),
        lang.pick("户数", "Households"),
        lang.pick("人数", "Persons"),
        lang.pick("发放合计（元）", "Total (yuan)"),
    ])?;
    let chart_first = s.row;
    for g in &ctx.groups {
        s.text(0, g.community, false)?;
        s.count(1, g.sums.households, false)?;
        s.count(2, g.sums.members, false)?;
        s.money(
            3,
            g.sums.amounts.last().copied().unwrap_or(Money::ZERO),
            false,
        )?;
        s.row += 1;
    }
    let chart_last = s.row.saturating_sub(1);
    s.text(0, lang.pick("合计", "Total"), true)?;
    s.count(1, ctx.grand.households, true)?;
    s.count(2, ctx.grand.members, true)?;
    s.money(3, payroll.total(), true)?;
    s.row += 1;

    // Versus last month.
    if let Some(previous) = &payroll.previous_due {
        let before: FxHashSet<&str> = previous.iter().map(String::as_str).collect();
        let now: FxHashSet<&str> = payroll.due().map(|r| r.household_id.as_str()).collect();
        let held: FxHashSet<&str> = payroll
            .rows
            .iter()
            .filter(|r| r.status == RowStatus::Held)
            .map(|r| r.household_id.as_str())
            .collect();
        let new = now.iter().filter(|h| !before.contains(*h)).count() as u64;
        let stopped = before.iter().filter(|h| !now.contains(*h)).count() as u64;
        let stopped_held = before
            .iter()
            .filter(|h| !now.contains(*h) && held.contains(*h))
            .count() as u64;
        let held_new = held.iter().filter(|h| before.contains(*h)).count() as u64;
        s.section(lang.pick("与上月比较", "Versus last month"))?;
        s.header(&[lang.pick("项目", "Item"), lang.pick("户数", "Households")])?;
        let lines: [(&str, u64); 7] = [
            (
                lang.pick("上月发放户数", "Due last month"),
                before.len() as u64,
            ),
            (
                lang.pick("本月发放户数", "Due this month"),
                now.len() as u64,
            ),
            (
                lang.pick("新增发放（上月未发放）", "New (not due last month)"),
                new,
            ),
            (
                lang.pick(
                    "停止发放（上月发放、本月未发放）",
                    "Stopped (due last month, not this month)",
                ),
                stopped,
            ),
            (
                lang.pick("其中：本月暂停发放", "of which held this month"),
                stopped_held,
            ),
            (
                lang.pick(
                    "其中：不在保、剔除或已不在花名册",
                    "of which inactive, excluded or off the roster",
                ),
                stopped - stopped_held,
            ),
            (
                lang.pick(
                    "本月暂停发放户数（上月曾发放）",
                    "Held this month (due last month)",
                ),
                held_new,
            ),
        ];
        for (label, n) in lines {
            s.count_line(label, n, false)?;
        }
        s.count_line(
            lang.pick("本月暂停发放户数合计", "Held this month, all"),
            held.len() as u64,
            true,
        )?;
    }

    // Owed (待补发), recover (追回), adjustments not applied. A household
    // owed for two months is one 户 on two lines.
    let owed: Vec<ListLine> = payroll
        .owed
        .iter()
        .map(|o| ListLine {
            household_id: &o.household_id,
            name: &o.name,
            for_month: o.for_month,
            amount: o.amount,
            kind: Some(match o.action {
                "REISSUE" => lang.pick("补发", "re-issue"),
                "TOP_UP" => lang.pick("补差", "top-up"),
                other => other,
            }),
        })
        .collect();
    s.month_list(
        ctx,
        lang.pick(
            "待补发（本月未发放，不结转）",
            "Owed, not paid this month (待补发)",
        ),
        true,
        &owed,
    )?;
    let recover: Vec<ListLine> = payroll
        .recover
        .iter()
        .map(|r| ListLine {
            household_id: &r.household_id,
            name: &r.name,
            for_month: r.for_month,
            amount: r.amount,
            kind: None,
        })
        .collect();
    s.month_list(
        ctx,
        lang.pick(
            "追回（列示，不从本月扣减）",
            "To recover (listed, not deducted)",
        ),
        false,
        &recover,
    )?;

    s.section(lang.pick(
        "未执行的调整（该户本月未发放）",
        "Adjustments not applied (household not due)",
    ))?;
    s.header(&[
        lang.pick("低保证号", "Household no."),
        lang.pick("金额（元）", "Amount (yuan)"),
        lang.pick("原因", "Reason"),
    ])?;
    if payroll.not_applied.is_empty() {
        s.none_row(lang, 3)?;
    }
    for n in &payroll.not_applied {
        s.text(0, &n.household_id, false)?;
        s.money(1, n.amount, false)?;
        s.text(2, &n.reason, false)?;
        s.row += 1;
    }

    // The chart of the total per community.
    if !ctx.groups.is_empty() {
        s.column_chart(
            (chart_first, chart_last),
            0,
            3,
            lang.pick("发放合计", "Total"),
            lang.pick("各社区发放合计（元）", "Total by community (yuan)"),
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::date::Month;
    use crate::model::policy::Policy;
    use crate::payroll::{NotApplied, Owed, Recover};
    use calamine::{Data, Reader, open_workbook_auto};

    fn fen(n: i64) -> Money {
        Money::from_fen(n)
    }

    #[test]
    fn a_household_owed_for_two_months_is_one_household() {
        let ids = ["HP0007", "HP0012", "HP0007", "", ""];
        assert_eq!(distinct_households(ids.into_iter()), 4);
    }

    fn month(y: i32, m: u32) -> Month {
        Month::new(y, m).expect("a month")
    }

    fn due(
        id: &str,
        name: &str,
        community: &str,
        members: u32,
        id_number: &str,
        account: &str,
    ) -> PayrollRow {
        let policy = Policy::default();
        let base = policy.standard_base(members);
        let subsidies: Vec<Money> = policy
            .subsidies
            .iter()
            .map(|(_, a)| policy.times(*a, members))
            .collect();
        let total = base + subsidies.iter().copied().sum();
        PayrollRow {
            household_id: id.into(),
            name: name.into(),
            id_number: id_number.into(),
            account: account.into(),
            bank: "中国农业银行".into(),
            account_name: name.into(),
            community: community.into(),
            street: "城关街道".into(),
            members,
            status: RowStatus::Due,
            hold: None,
            base,
            subsidies,
            addons: Money::ZERO,
            reissue: Money::ZERO,
            reissue_for: Vec::new(),
            adjustment: Money::ZERO,
            total,
            note: String::new(),
        }
    }

    fn not_due(id: &str, community: &str, status: RowStatus, hold: Option<Hold>) -> PayrollRow {
        PayrollRow {
            status,
            hold,
            base: Money::ZERO,
            subsidies: Vec::new(),
            total: Money::ZERO,
            note: "暂停".into(),
            ..due(
                id,
                "某某",
                community,
                2,
                "110105194912310021",
                "6228480010000000011",
            )
        }
    }

    fn sample() -> Payroll {
        let mut reissued = due(
            "XH001",
            "王建国",
            "西湖社区",
            3,
            "110105195001010034",
            "6228480010000000029",
        );
        reissued.reissue = fen(33_000);
        reissued.reissue_for = vec![month(2026, 9)];
        reissued.total += fen(33_000);
        let mut adjusted = due(
            "DF003",
            "赵丽",
            "东风社区",
            2,
            "11010519600202004X",
            "6228480010000000037",
        );
        adjusted.adjustment = fen(-5_050);
        adjusted.total += fen(-5_050);
        adjusted.note = "扣发多领".into();
        let rows = vec![
            due(
                "DF001",
                "张三",
                "东风社区",
                1,
                "110105194912310013",
                "6228480010000000045",
            ),
            not_due("DF002", "东风社区", RowStatus::Held, Some(Hold::Checkin)),
            reissued,
            adjusted,
            not_due("XH002", "西湖社区", RowStatus::Inactive, None),
            due(
                "XH003",
                "李四",
                "西湖社区",
                4,
                "110105197003030056",
                "6228480010000000052",
            ),
        ];
        Payroll {
            month: month(2026, 11),
            policy: Policy::default(),
            rows,
            owed: vec![Owed {
                household_id: "DF002".into(),
                name: "某某".into(),
                for_month: month(2026, 10),
                amount: fen(62_000),
                action: "REISSUE",
            }],
            recover: vec![Recover {
                household_id: "XH002".into(),
                name: "某某".into(),
                for_month: month(2026, 10),
                amount: fen(33_000),
            }],
            not_applied: vec![NotApplied {
                household_id: "DF002".into(),
                amount: fen(1_000),
                reason: "补发取暖费".into(),
            }],
            previous_due: Some(vec![
                "DF001".into(),
                "DF002".into(),
                "XH002".into(),
                "XH001".into(),
            ]),
        }
    }

    fn opts(lang: Lang) -> FinanceOptions {
        FinanceOptions {
            lang,
            date: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("a date"),
            unit: "城关街道民政办".into(),
        }
    }

    fn s(v: Option<&Data>) -> String {
        match v {
            Some(Data::String(s)) => s.clone(),
            other => panic!("not a string cell: {other:?}"),
        }
    }

    fn n(v: Option<&Data>) -> f64 {
        match v {
            Some(Data::Float(x)) => *x,
            Some(Data::Int(i)) => *i as f64,
            other => panic!("not a number cell: {other:?}"),
        }
    }

    fn yuan(m: Money) -> f64 {
        m.fen() as f64 / 100.0
    }

    /// The due rows' Σ of amount column `i`, exact.
    fn column_sum<'a>(rows: impl Iterator<Item = &'a PayrollRow>, i: usize) -> Money {
        rows.map(|r| amounts(r, 2).nth(i).expect("a column")).sum()
    }

    #[test]
    fn roster_reads_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("花名册.xlsx");
        let payroll = sample();
        write(&payroll, &opts(Lang::Zh), &path).expect("written");

        let mut wb = open_workbook_auto(&path).expect("opens");
        assert_eq!(
            wb.sheet_names(),
            vec!["发放花名册".to_string(), "汇总".to_string()]
        );
        let r = wb.worksheet_range("发放花名册").expect("sheet");
        let at = |row: u32, col: u32| r.get_value((row, col));

        assert_eq!(
            s(at(0, 0)),
            "城关街道东风社区、西湖社区2026年11月低保金社会化发放花名册"
        );
        assert_eq!(s(at(1, 0)), "制表单位：城关街道民政办");
        assert_eq!(s(at(1, 8)), "制表日期：2026年11月1日");
        let header: Vec<String> = (0..16).map(|c| s(at(2, c))).collect();
        assert_eq!(
            header,
            [
                "序号",
                "社区",
                "低保证号",
                "户主姓名",
                "身份证号",
                "保障人数",
                "低保金",
                "副食品补贴",
                "生活补助费",
                "分类施保金",
                "补发",
                "调整",
                "发放合计",
                "开户银行",
                "账号",
                "备注"
            ]
        );
        assert_eq!(at(2, 16), None);

        // 东风: DF001, DF003, subtotal; 西湖: XH001, XH003, subtotal; total.
        let ids: Vec<String> = [3, 4, 6, 7].iter().map(|&row| s(at(row, 2))).collect();
        assert_eq!(ids, ["DF001", "DF003", "XH001", "XH003"]);

        // Every cell of XH001 (row 7 in Excel, index 6).
        let x = &payroll.rows[2];
        assert_eq!(n(at(6, 0)), 3.0);
        assert_eq!(s(at(6, 1)), "西湖社区");
        assert_eq!(s(at(6, 2)), "XH001");
        assert_eq!(s(at(6, 3)), "王建国");
        assert_eq!(s(at(6, 4)), "110105195001010034");
        assert_eq!(n(at(6, 5)), 3.0);
        assert_eq!(n(at(6, 6)), yuan(x.base));
        assert_eq!(n(at(6, 6)), 780.0);
        assert_eq!(n(at(6, 7)), 105.0);
        assert_eq!(n(at(6, 8)), 45.0);
        assert_eq!(n(at(6, 9)), 0.0);
        assert_eq!(n(at(6, 10)), 330.0);
        assert_eq!(n(at(6, 11)), 0.0);
        assert_eq!(n(at(6, 12)), yuan(x.total));
        assert_eq!(n(at(6, 12)), 1260.0);
        assert_eq!(s(at(6, 13)), "中国农业银行");
        assert_eq!(s(at(6, 14)), "6228480010000000029");
        assert_eq!(s(at(6, 15)), "补发 2026-09");
        // A note is kept, the adjustment negative.
        assert_eq!(s(at(4, 15)), "扣发多领");
        assert_eq!(n(at(4, 11)), -50.5);

        // Subtotals and the grand total: Σ of the due rows, to the fen.
        let due: Vec<&PayrollRow> = payroll.due().collect();
        let dongfeng = || due.iter().copied().filter(|r| r.community == "东风社区");
        let xihu = || due.iter().copied().filter(|r| r.community == "西湖社区");
        assert_eq!(s(at(5, 1)), "东风社区小计");
        assert_eq!(s(at(5, 2)), "2户");
        assert_eq!(n(at(5, 5)), 3.0);
        assert_eq!(s(at(8, 1)), "西湖社区小计");
        assert_eq!(s(at(8, 2)), "2户");
        assert_eq!(n(at(8, 5)), 7.0);
        assert_eq!(s(at(9, 1)), "合计");
        assert_eq!(s(at(9, 2)), "4户");
        assert_eq!(n(at(9, 5)), 10.0);
        for i in 0..7u32 {
            let c = 6 + i;
            assert_eq!(
                n(at(5, c)),
                yuan(column_sum(dongfeng(), i as usize)),
                "东风 column {c}"
            );
            assert_eq!(
                n(at(8, c)),
                yuan(column_sum(xihu(), i as usize)),
                "西湖 column {c}"
            );
            assert_eq!(
                n(at(9, c)),
                yuan(column_sum(due.iter().copied(), i as usize)),
                "total column {c}"
            );
        }
        assert_eq!(n(at(9, 12)), yuan(payroll.total()));
        assert_eq!(n(at(9, 12)), 330.0 + 569.5 + 1260.0 + 1240.0);

        // Signature line after a blank row.
        assert!(matches!(at(10, 1), None | Some(Data::Empty)));
        let signature: Vec<String> = r
            .rows()
            .nth(11)
            .expect("signature row")
            .iter()
            .filter_map(|d| match d {
                Data::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(
            signature,
            ["分管领导：", "民政干事：", "经办人：", "（盖章）"]
        );
        assert_eq!(r.end(), Some((11, 15)));

        // No formula anywhere.
        for name in wb.sheet_names() {
            let formulas = wb.worksheet_formula(&name).expect("formulas");
            assert!(
                formulas.used_cells().all(|(_, _, f)| f.is_empty()),
                "formula in {name}"
            );
        }
    }

    #[test]
    fn summary_reads_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("f.xlsx");
        let payroll = sample();
        write(&payroll, &opts(Lang::Zh), &path).expect("written");
        let mut wb = open_workbook_auto(&path).expect("opens");
        let r = wb.worksheet_range("汇总").expect("sheet");
        let row_of = |label: &str| -> u32 {
            (0..=r.end().map_or(0, |e| e.0))
                .find(|&row| matches!(r.get_value((row, 0)), Some(Data::String(s)) if s == label))
                .unwrap_or_else(|| panic!("no row {label}"))
        };
        let at = |row: u32, col: u32| r.get_value((row, col));
        assert_eq!(
            s(at(0, 0)),
            "城关街道东风社区、西湖社区2026年11月低保金发放汇总"
        );
        let d = row_of("本月应发放");
        assert_eq!((n(at(d, 1)), n(at(d, 2))), (4.0, 10.0));
        let h = row_of("暂停发放（未按时签到）");
        assert_eq!((n(at(h, 1)), n(at(h, 2))), (1.0, 2.0));
        assert_eq!(n(at(row_of("不在保"), 1)), 1.0);
        assert_eq!(n(at(row_of("花名册合计"), 1)), 6.0);
        assert_eq!(n(at(row_of("补发"), 1)), 330.0);
        assert_eq!(n(at(row_of("调整"), 1)), -50.5);
        assert_eq!(n(at(row_of("发放合计"), 1)), yuan(payroll.total()));
        let x = row_of("西湖社区");
        assert_eq!((n(at(x, 1)), n(at(x, 2)), n(at(x, 3))), (2.0, 7.0, 2500.0));
        assert_eq!(n(at(row_of("新增发放（上月未发放）"), 1)), 2.0); // DF003, XH003
        assert_eq!(n(at(row_of("停止发放（上月发放、本月未发放）"), 1)), 2.0); // DF002, XH002
        assert_eq!(n(at(row_of("其中：本月暂停发放"), 1)), 1.0);
        let o = row_of("DF002");
        assert_eq!(s(at(o, 2)), "2026-10");
        assert_eq!(n(at(o, 3)), 620.0);
        assert_eq!(s(at(o, 4)), "补发");
        assert_eq!(
            (s(at(o + 1, 0)), s(at(o + 1, 1)), n(at(o + 1, 3))),
            ("合计".into(), "1户".into(), 620.0)
        );
        let rec = row_of("XH002");
        assert_eq!(n(at(rec, 3)), 330.0);
        assert_eq!(
            (s(at(rec + 1, 0)), s(at(rec + 1, 1)), n(at(rec + 1, 3))),
            ("合计".into(), "1户".into(), 330.0)
        );
        assert!(r.rows().any(|cells| {
            cells
                .iter()
                .any(|c| c == &Data::String("补发取暖费".into()))
        }));
    }

    #[test]
    fn english_headers_and_sheet_names() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("f.xlsx");
        write(&sample(), &opts(Lang::En), &path).expect("written");
        let mut wb = open_workbook_auto(&path).expect("opens");
        assert_eq!(
            wb.sheet_names(),
            vec!["Roster".to_string(), "Summary".to_string()]
        );
        let r = wb.worksheet_range("Roster").expect("sheet");
        assert_eq!(
            s(r.get_value((0, 0))),
            "城关街道 东风社区, 西湖社区: minimum living guarantee disbursement roster, November 2026"
        );
        assert_eq!(s(r.get_value((2, 0))), "No.");
        assert_eq!(s(r.get_value((2, 7))), "副食品补贴");
        assert_eq!(s(r.get_value((2, 12))), "Total");
        assert_eq!(s(r.get_value((5, 2))), "2 households");
        assert_eq!(s(r.get_value((9, 1))), "Total");
    }

    #[test]
    fn same_input_same_bytes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (a, b) = (dir.path().join("a.xlsx"), dir.path().join("b.xlsx"));
        write(&sample(), &opts(Lang::Zh), &a).expect("written");
        write(&sample(), &opts(Lang::Zh), &b).expect("written");
        assert_eq!(std::fs::read(&a).expect("a"), std::fs::read(&b).expect("b"));
    }

    #[test]
    fn rows_continue_on_further_sheets() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("f.xlsx");
        let payroll = sample();
        // 5 rows under the header: DF001, DF003, 小计, XH001, XH003 | 小计, 合计, blank, signature.
        write_split(&payroll, &opts(Lang::Zh), &path, 5).expect("written");
        let mut wb = open_workbook_auto(&path).expect("opens");
        assert_eq!(
            wb.sheet_names(),
            vec![
                "发放花名册".to_string(),
                "发放花名册 (2)".to_string(),
                "汇总".to_string()
            ]
        );
        let one = wb.worksheet_range("发放花名册").expect("sheet 1");
        let two = wb.worksheet_range("发放花名册 (2)").expect("sheet 2");
        for r in [&one, &two] {
            assert_eq!(
                s(r.get_value((0, 0))),
                "城关街道东风社区、西湖社区2026年11月低保金社会化发放花名册"
            );
            assert_eq!(s(r.get_value((2, 2))), "低保证号");
        }
        assert_eq!(one.end(), Some((7, 15)));
        assert_eq!(s(one.get_value((7, 2))), "XH003");
        assert_eq!(n(one.get_value((7, 0))), 4.0);
        assert_eq!(s(two.get_value((3, 1))), "西湖社区小计");
        assert_eq!(s(two.get_value((4, 1))), "合计");
        assert_eq!(n(two.get_value((4, 12))), yuan(payroll.total()));
        assert_eq!(s(two.get_value((6, 1))), "分管领导：");

        // A full last sheet moves the total and signature to one of their own.
        write_split(&payroll, &opts(Lang::Zh), &path, 3).expect("written");
        let mut wb = open_workbook_auto(&path).expect("opens");
        assert_eq!(wb.sheet_names().len(), 4);
        let three = wb.worksheet_range("发放花名册 (3)").expect("sheet 3");
        assert_eq!(s(three.get_value((3, 1))), "合计");
    }

    #[test]
    fn nothing_due_still_has_total_and_signature() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("f.xlsx");
        let mut payroll = sample();
        payroll.rows.retain(|r| r.status != RowStatus::Due);
        payroll.previous_due = None;
        write(&payroll, &opts(Lang::Zh), &path).expect("written");
        let mut wb = open_workbook_auto(&path).expect("opens");
        let r = wb.worksheet_range("发放花名册").expect("sheet");
        assert_eq!(s(r.get_value((0, 0))), "2026年11月低保金社会化发放花名册");
        assert_eq!(s(r.get_value((3, 2))), "0户");
        assert_eq!(n(r.get_value((3, 12))), 0.0);
        assert_eq!(s(r.get_value((5, 1))), "分管领导：");
    }

    #[test]
    fn many_places_are_cut_in_the_title() {
        let values = ["甲社区", "乙社区", "", "甲社区", "丙社区", "丁社区"];
        assert_eq!(
            distinct_joined(values.into_iter(), Lang::Zh),
            "甲社区、乙社区、丙社区等"
        );
        assert_eq!(
            distinct_joined(values[..2].iter().copied(), Lang::Zh),
            "甲社区、乙社区"
        );
    }

    #[test]
    fn print_setup() {
        let unzip_works = std::process::Command::new("unzip")
            .arg("-v")
            .output()
            .is_ok_and(|o| o.status.success());
        if !unzip_works {
            eprintln!("unzip not found: print setup not checked");
            return;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("f.xlsx");
        write(&sample(), &opts(Lang::Zh), &path).expect("written");
        let part = |name: &str| -> String {
            let out = std::process::Command::new("unzip")
                .arg("-p")
                .arg(&path)
                .arg(name)
                .output()
                .expect("unzip runs");
            String::from_utf8(out.stdout).expect("utf-8")
        };
        let sheet = part("xl/worksheets/sheet1.xml");
        for needle in [
            r#"orientation="landscape""#,
            r#"paperSize="9""#,
            r#"fitToHeight="0""#,
            r#"horizontalCentered="1""#,
            r#"<pageSetUpPr fitToPage="1"/>"#,
            "第 &amp;P 页 共 &amp;N 页",
        ] {
            assert!(sheet.contains(needle), "sheet1.xml lacks {needle}");
        }
        // Fit to one page wide: fitToPage with fitToWidth left at its
        // default of 1 (rust_xlsxwriter writes only values other than 1).
        assert!(
            !sheet.contains("fitToWidth=") || sheet.contains(r#"fitToWidth="1""#),
            "not one page wide"
        );
        assert!(!sheet.contains("<f>"), "a formula in sheet1.xml");
        let workbook = part("xl/workbook.xml");
        assert!(workbook.contains("_xlnm.Print_Titles"), "no print titles");
        assert!(workbook.contains("$1:$3"), "print titles are not rows 1-3");
        let chart = part("xl/charts/chart1.xml");
        assert!(chart.contains("<c:barChart>") && chart.contains(r#"<c:barDir val="col"/>"#));
    }
}
