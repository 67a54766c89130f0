//! `dibao gen`: deterministic synthetic inputs for tests and benchmarks — a
//! roster (低保花名册), the month's bank payout results (代发回盘) and the
//! check-ins (签到) — with `truth.csv`, the reconciliation ledger that
//! `dibao reconcile` (default policy, no `--payroll`, no `--previous`) must
//! produce from them.
//!
//! # Files
//!
//! `roster`, `bank` and `checkins` are written as `.csv` (UTF-8 without BOM,
//! comma-delimited, header on line 1) or `.xlsx` (constant-memory sheet: one
//! title row, the header on row 2; IDs, accounts and references are text
//! cells, amounts numbers formatted `#,##0.00`, members numbers, ISO dates
//! date cells). `truth.csv` is always CSV with the columns
//! `household_id,anomaly,status,checkin,flags,actions,expected,paid,bank_rows`:
//! one row per roster household in roster order, then one per extra bank row
//! (UNEXPECTED, DUPLICATE, UNREADABLE) in bank-file order. `bank_rows` lists the
//! 1-based lines (CSV: header = line 1) or Excel rows (xlsx: title = 1,
//! header = 2) of the bank rows belonging to the ledger row, ascending,
//! `;`-joined; `flags` and `actions` are in SPEC §5.3 order.
//!
//! # Invariants
//!
//! - Determinism: the same options give byte-identical files. Nothing depends
//!   on the clock (the workbooks' creation date is the month's first day) or
//!   on hashing order. Household `i` draws from its own ChaCha8 stream `i`
//!   (key from the seed), so the files are written row by row in two passes
//!   (one to count rows, one to write) without holding rows in memory.
//! - Uniqueness: every ID number and every account in the roster is unique,
//!   and so is every extra account or ID an anomaly introduces. IDs are an
//!   affine bijection of the person's index over (region code, birth date
//!   1930–2008, sequence 001–999) with the GB 11643 check character; account
//!   bodies are an affine bijection of the index per card length, behind the
//!   bank's BIN, with a Luhn check digit (≈0.5% deliberately fail Luhn: a
//!   warning only). Extra people and accounts use the indices
//!   `households + ordinal of the anomaly`.
//! - Amounts are integer fen, written `280.00`. The expected amount is the
//!   default policy's: `核定低保金` if given, else 280.00 for one member and
//!   260.00 × members for more, plus 50.00 × members (35.00 + 15.00 subsidies).
//! - Standing (SPEC §2.1): 在保/正常/渐退 within 起保年月..停保年月 is due;
//!   暂停 within its months is held (HELD/NOT_DUE); anything else is inactive
//!   (INACTIVE/NOT_DUE). Held and inactive households have no bank row; about
//!   one in ten has a stray check-in stamp, which reconciliation ignores.
//! - A normal due household has one successful bank row for its amount
//!   (备注 `<household_id> <month>`, 交易日期 the 10th) and one check-in record
//!   inside the window 25–28 (签到方式 本人/代签/到站; a 上门服务 household gets
//!   a `上门` record anywhere from the 5th to the 28th): PAID, ON_TIME or
//!   HOME_VISIT, no flags, no actions. 领取金额 is empty or equal to what was
//!   paid (`0.00` when nothing was paid); 家庭变化 is empty or `无`.
//!
//! # Anomalies
//!
//! `round(anomalies × households)` households are chosen by selection
//! sampling from the seeded stream; the k-th chosen (in roster order) gets
//! kind `k mod 19` of the list below (LATE is left out of the cycle in a month
//! that has no day after the 28th), so each kind appears once the number of
//! anomalies reaches the number of kinds. Each chosen household gets exactly
//! one anomaly; except for the two UNEXPECTED_*ROW kinds, the household is
//! made due (在保, started in the past, no end, and never 上门服务 for the
//! check-in kinds) — UNEXPECTED_HOUSEHOLD makes it 暂停 instead. Below, `amt`
//! is the household's expected amount and `—` means empty.
//!
//! | `anomaly` | what is injected | household ledger row | extra ledger row |
//! |---|---|---|---|
//! | `FAILED` | its only row is 失败 with a bank reason | FAILED, REISSUE, paid — | — |
//! | `MISSING` | no bank row | MISSING, REISSUE, paid — | — |
//! | `UNDERPAID` | success for amt − δ | UNDERPAID, TOP_UP, paid amt − δ | — |
//! | `OVERPAID` | success for amt + δ | OVERPAID, RECOVER, paid amt + δ | — |
//! | `DUPLICATE` | a second success row in the trailing batch | PAID | DUPLICATE (its household_id), RECOVER, expected —, paid amt |
//! | `RETRIED` | its row fails, a success row follows in the trailing batch | PAID, flag RETRIED, both rows | — |
//! | `UNEXPECTED_ROW` | after the household's rows, a success row for someone not on the roster (new account, new ID, 备注 without any household_id) | unaffected (its `anomaly` is empty) | UNEXPECTED, household_id —, RECOVER, expected —, paid its amount |
//! | `UNEXPECTED_FAILED_ROW` | the same, failed | unaffected | UNEXPECTED, household_id —, REVIEW, paid — |
//! | `UNEXPECTED_HOUSEHOLD` | a 暂停 household paid anyway | UNEXPECTED, NOT_DUE, RECOVER, expected —, paid amt | — |
//! | `UNREADABLE` | its only row has amount `33O.00` or status `待处理` | MISSING, REVIEW (not REISSUE), paid —, no bank rows | UNREADABLE (its household_id), REVIEW, paid — |
//! | `MATCHED_BY_ID` | 备注 empty, a new account, the head's ID | PAID, MATCHED_BY_ID;ACCOUNT_CHANGED, REVIEW | — |
//! | `ACCOUNT_CHANGED` | 备注 right, a new account | PAID, ACCOUNT_CHANGED, REVIEW | — |
//! | `NAME_MISMATCH` | 户名 with one character changed | PAID, NAME_MISMATCH, REVIEW | — |
//! | `LATE` | stamp from the 29th to the month's end | PAID, LATE | — |
//! | `EARLY` | stamp from the 15th to the 24th | PAID, EARLY | — |
//! | `EXCUSED` | no date, 请假原因 and 所属年月 given | PAID, EXCUSED | — |
//! | `MISSED` | no check-in record (never a 上门服务 household) | PAID, MISSED, SUSPEND | — |
//! | `CHANGE_REPORTED` | on-time stamp with 家庭变化 text | PAID, ON_TIME, CHANGE_REPORTED, REVIEW | — |
//! | `REPORTED_AMOUNT_DIFFERS` | on-time stamp, 领取金额 = paid − δ | PAID, ON_TIME, REPORTED_AMOUNT_DIFFERS, REVIEW | — |
//!
//! For the bank-side kinds the household's check-in is that of a normal due
//! household (ON_TIME or HOME_VISIT). The household row of DUPLICATE,
//! RETRIED, UNREADABLE and UNEXPECTED_HOUSEHOLD carries the kind in `anomaly`,
//! and so does every extra row. The trailing batch (RETRIED re-runs and
//! DUPLICATE payments, in roster order) follows all other bank rows.
//!
//! UNREADABLE follows SPEC §5.3 as read here: the unreadable row gets its own
//! ledger row and is not one of the household's matched rows, so a household
//! whose only row is unreadable is MISSING, with REVIEW instead of REISSUE.

mod names;
mod plan;
mod table;

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::error::Error;
use crate::model::date::Month;
use names::{BANKS, COMMUNITIES};
use plan::{
    ACTION_NAMES, Anomaly, BankRow, ExtraTruth, FLAG_NAMES, Household, Outcome, Party, Planner,
    Reference, bank_of,
};
use table::{Cell, DateStyle, Layout, Table};

/// The file format of the roster, bank and check-in files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenFormat {
    Csv,
    Xlsx,
}

/// What to generate.
pub struct GenOptions {
    pub households: usize,
    pub seed: u64,
    /// Fraction (0.0..=1.0) of households given an anomaly.
    pub anomalies: f64,
    pub format: GenFormat,
    pub month: Month,
    pub out: PathBuf,
}

/// What was generated.
pub struct GenReport {
    /// `roster`, `bank`, `checkins` (in the chosen format) and `truth.csv`.
    pub files: Vec<PathBuf>,
    pub households: usize,
    /// Σ 保障人数 over every roster household.
    pub persons: u64,
    pub bank_rows: usize,
    pub checkin_rows: usize,
    /// Anomalies injected.
    pub anomalies: usize,
}

const ROSTER_HEADER: [&str; 17] = [
    "序号",
    "低保证号",
    "户主姓名",
    "身份证号",
    "保障人数",
    "开户银行",
    "银行账号",
    "户名",
    "社区",
    "街道",
    "类别",
    "分类施保",
    "核定低保金",
    "状态",
    "起保年月",
    "停保年月",
    "上门服务",
];
const BANK_HEADER: [&str; 10] = [
    "序号",
    "账号",
    "户名",
    "金额",
    "处理结果",
    "失败原因",
    "备注",
    "身份证号",
    "交易日期",
    "流水号",
];
const CHECKIN_HEADER: [&str; 9] = [
    "低保证号",
    "户主姓名",
    "签到日期",
    "所属年月",
    "签到方式",
    "领取金额",
    "家庭变化",
    "请假原因",
    "经办人",
];
const TRUTH_HEADER: [&str; 9] = [
    "household_id",
    "anomaly",
    "status",
    "checkin",
    "flags",
    "actions",
    "expected",
    "paid",
    "bank_rows",
];

/// Rows of one xlsx sheet, title and header included.
const XLSX_MAX_ROWS: u64 = 1_048_576;

/// Writes the synthetic files into `opts.out` (created if missing).
pub fn generate(opts: &GenOptions) -> Result<GenReport, Error> {
    if !(0.0..=1.0).contains(&opts.anomalies) {
        return Err(Error::Usage(format!(
            "--anomalies must be a fraction between 0 and 1, got {}",
            opts.anomalies
        )));
    }
    let n = opts.households;
    // A fraction of a count: the only floating point here, and no money.
    let k = ((opts.anomalies * n as f64).round() as u64).min(n as u64);
    let planner = Planner::new(opts.month, n, opts.seed)?;
    if n as u128 + u128::from(k) > planner.capacity() {
        return Err(Error::Usage(format!(
            "--households {n} is more than the generator can give unique ID and account numbers ({})",
            planner.capacity()
        )));
    }

    let counts = count(&planner, k);
    if opts.format == GenFormat::Xlsx {
        let most = (n as u64)
            .max(counts.main_bank + counts.end_bank)
            .max(counts.checkins);
        if most + 2 > XLSX_MAX_ROWS {
            return Err(Error::Usage(format!(
                "{most} rows do not fit one xlsx sheet ({} data rows at most); use CSV",
                XLSX_MAX_ROWS - 2
            )));
        }
    }
    std::fs::create_dir_all(&opts.out).map_err(|e| Error::io(&opts.out, e))?;

    // The roster is written by a second thread: it needs nothing from the
    // other files, and each household's plan is rebuilt from its own stream.
    let (roster, rest) = std::thread::scope(|scope| {
        let roster = scope.spawn(|| write_roster(&planner, k, opts));
        let rest = write_results(&planner, k, &counts, opts);
        let roster = match roster.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        (roster, rest)
    });
    let [bank, checkins, truth] = rest?;
    Ok(GenReport {
        files: vec![roster?, bank, checkins, truth],
        households: n,
        persons: counts.persons,
        bank_rows: (counts.main_bank + counts.end_bank) as usize,
        checkin_rows: counts.checkins as usize,
        anomalies: k as usize,
    })
}

/// Creates one of the three input-like files in the chosen format.
fn open(
    opts: &GenOptions,
    stem: &str,
    sheet: &str,
    title: &str,
    header: &[&str],
    widths: &[f64],
) -> Result<Table, Error> {
    let layout = Layout {
        stem,
        sheet,
        title,
        header,
        widths,
    };
    match opts.format {
        GenFormat::Csv => Table::csv(&opts.out, &layout),
        GenFormat::Xlsx => Table::xlsx(&opts.out, &layout, opts.month.first_day()),
    }
}

/// Writes `roster.csv|xlsx`.
fn write_roster(planner: &Planner, k: u64, opts: &GenOptions) -> Result<PathBuf, Error> {
    let (y, m) = (opts.month.year(), opts.month.month());
    let mut roster = open(
        opts,
        "roster",
        "花名册",
        &format!("幸福区 {y}年{m}月 低保花名册（合成数据）"),
        &ROSTER_HEADER,
        &[
            6.0, 11.0, 16.0, 21.0, 9.0, 18.0, 23.0, 12.0, 10.0, 10.0, 6.0, 10.0, 12.0, 6.0, 9.0,
            9.0, 9.0,
        ],
    )?;
    let mut w = Writer::new(planner, opts.format);
    let mut selector = planner.selector(k);
    for i in 0..planner.households {
        let h = planner.household(i, selector.next(&planner.kinds));
        w.set_household(&h);
        w.roster_row(&mut roster, &h)?;
    }
    roster.finish()
}

/// Writes `bank`, `checkins` (in the chosen format) and `truth.csv`.
fn write_results(
    planner: &Planner,
    k: u64,
    counts: &Counts,
    opts: &GenOptions,
) -> Result<[PathBuf; 3], Error> {
    let month = opts.month;
    let (y, m) = (month.year(), month.month());
    let mut bank = open(
        opts,
        "bank",
        "回盘",
        &format!("代发回盘 {y}年{m}月 低保金（合成数据）"),
        &BANK_HEADER,
        &[8.0, 23.0, 16.0, 12.0, 9.0, 16.0, 20.0, 21.0, 12.0, 20.0],
    )?;
    let mut checkins = open(
        opts,
        "checkins",
        "签到",
        &format!("{y}年{m}月 低保证盖章签到登记（合成数据）"),
        &CHECKIN_HEADER,
        &[11.0, 16.0, 16.0, 10.0, 9.0, 10.0, 24.0, 14.0, 8.0],
    )?;
    let mut truth = Table::csv(
        &opts.out,
        &Layout {
            stem: "truth",
            sheet: "truth",
            title: "",
            header: &TRUTH_HEADER,
            widths: &[],
        },
    )?;

    let mut w = Writer::new(planner, opts.format);
    let mut selector = planner.selector(k);
    let mut deferred: Vec<(usize, Option<(Anomaly, u64)>)> = Vec::new();
    let mut extras: Vec<(u64, ExtraTruth)> = Vec::new();
    for i in 0..planner.households {
        let pick = selector.next(&planner.kinds);
        let h = planner.household(i, pick);
        w.set_household(&h);

        let t = h.truth();
        w.lines.clear();
        for row in h.main_rows().iter().flatten() {
            let line = w.bank_row(&mut bank, &h, row)?;
            if belongs_to_household(row) {
                push_line(&mut w.lines, line);
            } else if let Some((true, x)) = h.extra_truths() {
                extras.push((line, x));
            }
        }
        if h.end_row().is_some() {
            let line = w.first_line + counts.main_bank + deferred.len() as u64;
            deferred.push((i, pick));
            match h.extra_truths() {
                Some((false, x)) => extras.push((line, x)),
                _ => push_line(&mut w.lines, line),
            }
        }
        if let Some(c) = h.checkin(month, t.paid) {
            w.checkin_row(&mut checkins, &c)?;
        }
        let anomaly = match h.anomaly {
            Some(a) if a.is_stray_row() => "",
            Some(a) => a.code(),
            None => "",
        };
        let lines = std::mem::take(&mut w.lines);
        let hid = std::mem::take(&mut w.s.hid);
        truth_row(
            &mut truth,
            &mut w.s.fields,
            &hid,
            anomaly,
            t.status,
            t.checkin,
            t.flags,
            t.actions,
            t.expected,
            t.paid,
            &lines,
        )?;
        w.lines = lines;
        w.s.hid = hid;
    }
    debug_assert_eq!(w.bank_seq, counts.main_bank);
    for (i, pick) in deferred {
        let h = planner.household(i, pick);
        w.set_household(&h);
        if let Some(row) = h.end_row() {
            w.bank_row(&mut bank, &h, &row)?;
        }
    }
    extras.sort_by_key(|(line, _)| *line);
    let mut hid = String::new();
    let mut line_text = String::new();
    for (line, x) in &extras {
        hid.clear();
        if let Some(i) = x.household {
            write_hid(&mut hid, i, w.width);
        }
        line_text.clear();
        push_line(&mut line_text, *line);
        truth_row(
            &mut truth,
            &mut w.s.fields,
            &hid,
            x.kind.code(),
            x.status,
            "",
            0,
            x.actions,
            None,
            x.paid,
            &line_text,
        )?;
    }
    Ok([bank.finish()?, checkins.finish()?, truth.finish()?])
}

/// Row counts from the first pass.
struct Counts {
    main_bank: u64,
    end_bank: u64,
    checkins: u64,
    persons: u64,
}

fn count(planner: &Planner, k: u64) -> Counts {
    let mut selector = planner.selector(k);
    let mut c = Counts {
        main_bank: 0,
        end_bank: 0,
        checkins: 0,
        persons: 0,
    };
    for i in 0..planner.households {
        let h = planner.household(i, selector.next(&planner.kinds));
        c.main_bank += h.main_rows().iter().flatten().count() as u64;
        c.end_bank += u64::from(h.end_row().is_some());
        c.checkins += u64::from(h.checkin(planner.month, h.truth().paid).is_some());
        c.persons += u64::from(h.members);
    }
    c
}

/// True when a bank row is consumed by its household's ledger row (not by an
/// UNEXPECTED or UNREADABLE row of its own).
fn belongs_to_household(row: &BankRow) -> bool {
    row.party != Party::Stranger && !row.garbled && row.outcome != Outcome::Pending
}

fn push_line(out: &mut String, line: u64) {
    if !out.is_empty() {
        out.push(';');
    }
    table::push_num(out, line, 1);
}

fn write_hid(out: &mut String, index: usize, width: usize) {
    out.push('G');
    table::push_num(out, index as u64 + 1, width);
}

fn text(s: &str) -> Cell<'_> {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s)
    }
}

#[allow(clippy::too_many_arguments)]
fn truth_row(
    table: &mut Table,
    fields: &mut [String; 2],
    hid: &str,
    anomaly: &str,
    status: &str,
    checkin: &str,
    flags: u8,
    actions: u8,
    expected: Option<i64>,
    paid: Option<i64>,
    lines: &str,
) -> Result<(), Error> {
    let [flag_text, action_text] = fields;
    join_bits(flag_text, flags, &FLAG_NAMES);
    join_bits(action_text, actions, &ACTION_NAMES);
    let money = |v: Option<i64>| v.map_or(Cell::Empty, Cell::Money);
    table.row(&[
        Cell::Text(hid),
        Cell::Text(anomaly),
        Cell::Text(status),
        Cell::Text(checkin),
        Cell::Text(flag_text),
        Cell::Text(action_text),
        money(expected),
        money(paid),
        Cell::Text(lines),
    ])
}

fn join_bits(out: &mut String, bits: u8, names: &[&str]) {
    out.clear();
    for (i, name) in names.iter().enumerate() {
        if bits & (1 << i) != 0 {
            if !out.is_empty() {
                out.push(';');
            }
            out.push_str(name);
        }
    }
}

/// Reusable text buffers for one household's cells.
#[derive(Default)]
struct Scratch {
    hid: String,
    name: String,
    id: String,
    account: String,
    row_name: String,
    row_id: String,
    row_account: String,
    amount: String,
    reference: String,
    txn: String,
    start: String,
    end: String,
    fields: [String; 2],
}

/// Pass-two state: the buffers and the bank row counter.
struct Writer<'a> {
    planner: &'a Planner,
    width: usize,
    month_text: String,
    pay_day: chrono::NaiveDate,
    pay_day_compact: String,
    /// The line (CSV) or Excel row of the first data row.
    first_line: u64,
    bank_seq: u64,
    lines: String,
    s: Scratch,
}

impl<'a> Writer<'a> {
    fn new(planner: &'a Planner, format: GenFormat) -> Writer<'a> {
        let pay_day = planner.month.day(10);
        Writer {
            planner,
            width: planner.households.max(1).to_string().len(),
            month_text: planner.month.to_string(),
            pay_day,
            pay_day_compact: pay_day.format("%Y%m%d").to_string(),
            first_line: match format {
                GenFormat::Csv => 2,
                GenFormat::Xlsx => 3,
            },
            bank_seq: 0,
            lines: String::new(),
            s: Scratch::default(),
        }
    }

    /// Fills the household's own texts: household_id, name, ID, account.
    fn set_household(&mut self, h: &Household) {
        let s = &mut self.s;
        s.hid.clear();
        write_hid(&mut s.hid, h.index, self.width);
        s.name.clear();
        h.name.write(&mut s.name);
        self.planner.id_number(h.index as u64, &mut s.id);
        self.planner
            .account(bank_of(h), h.index as u64, h.luhn_bad, &mut s.account);
    }

    fn roster_row(&mut self, t: &mut Table, h: &Household) -> Result<(), Error> {
        let s = &mut self.s;
        s.start.clear();
        if let Some(m) = h.start {
            let _ = write!(s.start, "{m}");
        }
        s.end.clear();
        if let Some(m) = h.end {
            let _ = write!(s.end, "{m}");
        }
        let (community, street) = COMMUNITIES
            .get(h.community)
            .copied()
            .unwrap_or(COMMUNITIES[0]);
        t.row(&[
            Cell::Int(h.index as u64 + 1),
            Cell::Text(&s.hid),
            Cell::Text(&s.name),
            Cell::Text(&s.id),
            Cell::Int(u64::from(h.members)),
            Cell::Text(bank_of(h).name),
            Cell::Text(&s.account),
            if h.account_name_filled {
                Cell::Text(&s.name)
            } else {
                Cell::Empty
            },
            Cell::Text(community),
            Cell::Text(street),
            Cell::Text(h.class),
            text(h.tags),
            h.approved.map_or(Cell::Empty, Cell::Money),
            Cell::Text(h.status),
            text(&s.start),
            text(&s.end),
            text(h.home_visit),
        ])
    }

    /// Writes one bank row and returns its line (CSV) or Excel row number.
    fn bank_row(&mut self, t: &mut Table, h: &Household, row: &BankRow) -> Result<u64, Error> {
        self.bank_seq += 1;
        let seq = self.bank_seq;
        let extra = self.planner.households as u64 + h.ordinal;
        let s = &mut self.s;
        match row.party {
            Party::Roster | Party::OtherName => s.row_account.clone_from(&s.account),
            Party::NewAccount | Party::Stranger => {
                self.planner
                    .account(&BANKS[0], extra, None, &mut s.row_account)
            }
        }
        s.row_name.clear();
        match row.party {
            Party::Roster | Party::NewAccount => s.row_name.push_str(&s.name),
            Party::OtherName => h.other_name.write(&mut s.row_name),
            Party::Stranger => h.stranger_name.write(&mut s.row_name),
        }
        match row.party {
            Party::Stranger => self.planner.id_number(extra, &mut s.row_id),
            _ => s.row_id.clone_from(&s.id),
        }
        s.amount.clear();
        table::write_money(&mut s.amount, row.amount);
        if row.garbled
            && let Some(pos) = s.amount.find('0')
        {
            s.amount.replace_range(pos..pos + 1, "O");
        }
        s.reference.clear();
        match row.reference {
            Reference::Household => {
                s.reference.push_str(&s.hid);
                s.reference.push(' ');
                s.reference.push_str(&self.month_text);
            }
            Reference::Empty => {}
            Reference::Other(what) => {
                s.reference.push_str(what);
                s.reference.push(' ');
                s.reference.push_str(&self.month_text);
            }
        }
        s.txn.clear();
        s.txn.push_str(&self.pay_day_compact);
        table::push_num(&mut s.txn, seq, 10);
        t.row(&[
            Cell::Int(seq),
            Cell::Text(&s.row_account),
            Cell::Text(&s.row_name),
            if row.garbled {
                Cell::Text(&s.amount)
            } else {
                Cell::Money(row.amount)
            },
            Cell::Text(match row.outcome {
                Outcome::Success => "成功",
                Outcome::Failed => "失败",
                Outcome::Pending => "待处理",
            }),
            text(row.reason),
            text(&s.reference),
            Cell::Text(&s.row_id),
            Cell::Date(self.pay_day, DateStyle::Iso),
            Cell::Text(&s.txn),
        ])?;
        Ok(self.first_line + seq - 1)
    }

    fn checkin_row(&mut self, t: &mut Table, c: &plan::CheckinRow) -> Result<(), Error> {
        let s = &self.s;
        t.row(&[
            Cell::Text(&s.hid),
            Cell::Text(&s.name),
            c.date.map_or(Cell::Empty, |d| Cell::Date(d, c.style)),
            if c.month {
                Cell::Text(&self.month_text)
            } else {
                Cell::Empty
            },
            text(c.method),
            c.reported.map_or(Cell::Empty, Cell::Money),
            text(c.changes),
            text(c.excuse),
            text(c.handler),
        ])
    }
}

#[cfg(test)]
mod tests;
