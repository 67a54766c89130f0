//! The month's reconciliation (SPEC §5.3): every roster household and every
//! bank row accounted for in a [`Ledger`], every fen explained, every
//! recipient who skipped the monthly stamp found, and the actions the
//! officer must take.
//!
//! Data flow: [`expected`] says what each household was due (from the
//! payroll that was sent, or recomputed from roster and policy);
//! [`matching`] matches bank rows to households and finds each household's
//! deciding row and the duplicates (polars joins and aggregations);
//! [`checkins`] finds each household's check-in; [`build`] applies the
//! status, flag and action rules row by row; [`conserve`] checks that
//! nothing was dropped or counted twice.
//!
//! Invariants: one ledger row per roster household, in roster order, then
//! one per extra bank row (`UNEXPECTED`, `DUPLICATE`, `UNREADABLE`) in the
//! order of the bank files and their rows; every bank row is named in the
//! `source` of exactly one ledger row; Σ `paid` over the ledger = Σ amounts
//! of the successful readable bank rows.

pub mod batches;
pub mod build;
pub mod checkins;
pub mod conserve;
pub mod expected;
pub mod matching;

use compact_str::CompactString;

use crate::issue::Issue;
use crate::model::date::Month;
use crate::model::money::Money;
use crate::model::policy::Policy;

/// A ledger row's status (exactly one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    Paid,
    Underpaid,
    Overpaid,
    Failed,
    Missing,
    Held,
    Inactive,
    Unexpected,
    Duplicate,
    Unreadable,
}

impl Status {
    pub const ALL: [Status; 10] = [
        Status::Paid,
        Status::Underpaid,
        Status::Overpaid,
        Status::Failed,
        Status::Missing,
        Status::Held,
        Status::Inactive,
        Status::Unexpected,
        Status::Duplicate,
        Status::Unreadable,
    ];

    /// The code written in `ledger.csv`.
    pub fn code(self) -> &'static str {
        match self {
            Status::Paid => "PAID",
            Status::Underpaid => "UNDERPAID",
            Status::Overpaid => "OVERPAID",
            Status::Failed => "FAILED",
            Status::Missing => "MISSING",
            Status::Held => "HELD",
            Status::Inactive => "INACTIVE",
            Status::Unexpected => "UNEXPECTED",
            Status::Duplicate => "DUPLICATE",
            Status::Unreadable => "UNREADABLE",
        }
    }

    /// The status as the workbook names it.
    pub fn label_zh(self) -> &'static str {
        match self {
            Status::Paid => "已发放",
            Status::Underpaid => "少发",
            Status::Overpaid => "多发",
            Status::Failed => "发放失败",
            Status::Missing => "未回盘",
            Status::Held => "暂停",
            Status::Inactive => "不在保",
            Status::Unexpected => "不应发",
            Status::Duplicate => "重复发放",
            Status::Unreadable => "无法读取",
        }
    }

    /// Statuses that need the officer's attention (a sheet each).
    pub fn is_exception(self) -> bool {
        !matches!(self, Status::Paid | Status::Inactive)
    }
}

/// A household's check-in in the month.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Checkin {
    OnTime,
    HomeVisit,
    Late,
    Early,
    Excused,
    Missed,
    NotDue,
}

impl Checkin {
    pub const ALL: [Checkin; 7] = [
        Checkin::OnTime,
        Checkin::HomeVisit,
        Checkin::Late,
        Checkin::Early,
        Checkin::Excused,
        Checkin::Missed,
        Checkin::NotDue,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Checkin::OnTime => "ON_TIME",
            Checkin::HomeVisit => "HOME_VISIT",
            Checkin::Late => "LATE",
            Checkin::Early => "EARLY",
            Checkin::Excused => "EXCUSED",
            Checkin::Missed => "MISSED",
            Checkin::NotDue => "NOT_DUE",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Checkin::OnTime => "按时签到",
            Checkin::HomeVisit => "上门服务",
            Checkin::Late => "逾期签到",
            Checkin::Early => "提前签到",
            Checkin::Excused => "请假",
            Checkin::Missed => "未签到",
            Checkin::NotDue => "无需签到",
        }
    }
}

/// A small ordered set of codes (flags or actions) as bits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Set(pub u8);

impl Set {
    pub fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }

    pub fn add(&mut self, bit: u8) {
        self.0 |= bit;
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The codes of the set, in `names` order, `;`-joined.
    pub fn join(self, names: &[(u8, &str)]) -> String {
        let mut s = String::new();
        for (bit, name) in names {
            if self.has(*bit) {
                if !s.is_empty() {
                    s.push(';');
                }
                s.push_str(name);
            }
        }
        s
    }
}

pub const F_CHECKIN_HOLD: u8 = 1;
pub const F_MATCHED_BY_ID: u8 = 2;
pub const F_ACCOUNT_CHANGED: u8 = 4;
pub const F_RETRIED: u8 = 8;
pub const F_NAME_MISMATCH: u8 = 16;
pub const F_REPORTED_AMOUNT_DIFFERS: u8 = 32;
pub const F_CHANGE_REPORTED: u8 = 64;

/// Flags in the order SPEC §5.3 writes them.
pub const FLAGS: [(u8, &str); 7] = [
    (F_CHECKIN_HOLD, "CHECKIN_HOLD"),
    (F_MATCHED_BY_ID, "MATCHED_BY_ID"),
    (F_ACCOUNT_CHANGED, "ACCOUNT_CHANGED"),
    (F_RETRIED, "RETRIED"),
    (F_NAME_MISMATCH, "NAME_MISMATCH"),
    (F_REPORTED_AMOUNT_DIFFERS, "REPORTED_AMOUNT_DIFFERS"),
    (F_CHANGE_REPORTED, "CHANGE_REPORTED"),
];

pub const A_REISSUE: u8 = 1;
pub const A_TOP_UP: u8 = 2;
pub const A_RECOVER: u8 = 4;
pub const A_SUSPEND: u8 = 8;
pub const A_REVIEW: u8 = 16;

/// Actions in the order SPEC §5.3 writes them.
pub const ACTIONS: [(u8, &str); 5] = [
    (A_REISSUE, "REISSUE"),
    (A_TOP_UP, "TOP_UP"),
    (A_RECOVER, "RECOVER"),
    (A_SUSPEND, "SUSPEND"),
    (A_REVIEW, "REVIEW"),
];

/// One ledger row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerRow {
    /// Empty for a bank row that matched no household.
    pub household_id: CompactString,
    /// The head's name (a household row) or the bank's 户名 (a bank row).
    pub name: CompactString,
    pub id_number: CompactString,
    pub account: CompactString,
    /// The community (roster), for the workbook; empty for a bank row.
    pub community: CompactString,
    pub expected: Option<Money>,
    pub paid: Option<Money>,
    pub status: Status,
    pub flags: Set,
    /// `None` for an extra bank row.
    pub checkin: Option<Checkin>,
    pub actions: Set,
    /// The bank's failure reason, why a row is unreadable, what differs
    /// (English, as `ledger.csv` has it whatever `--lang`).
    pub detail: CompactString,
    /// The same in Chinese, for the workbook.
    pub detail_zh: CompactString,
    /// `FILE[SHEET]!ROW` of the bank rows, `;`-joined.
    pub source: CompactString,
    /// Indices (into the month's bank rows, in `--bank` order) of the
    /// bank rows this ledger row accounts for.
    pub bank_rows: Vec<u32>,
    /// A household row (false: an extra bank row).
    pub is_household: bool,
}

impl LedgerRow {
    /// The detail in the workbook's language.
    pub fn detail_in(&self, lang: crate::issue::Lang) -> &str {
        match lang {
            crate::issue::Lang::Zh => &self.detail_zh,
            crate::issue::Lang::En => &self.detail,
        }
    }

    /// The amount an action moves: REISSUE → expected; TOP_UP → expected −
    /// paid; RECOVER → paid − expected when overpaid, else all that was
    /// paid. `None` for actions without an amount (SUSPEND, REVIEW).
    pub fn action_amount(&self, action: u8) -> Option<Money> {
        match action {
            A_REISSUE => self.expected,
            A_TOP_UP => Some(self.expected? - self.paid?),
            A_RECOVER => match (self.status, self.expected, self.paid) {
                (Status::Overpaid, Some(e), Some(p)) => Some(p - e),
                (_, _, p) => p,
            },
            _ => None,
        }
    }
}

/// The control totals of the month (SPEC §5.2).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Controls {
    /// Σ expected over due households (应发).
    pub expected: Money,
    /// Σ paid over due households that were paid (实发到应发户).
    pub paid_due: Money,
    /// Σ expected over FAILED households.
    pub failed: Money,
    /// Σ expected over MISSING households.
    pub missing: Money,
    /// Σ (expected − paid) over UNDERPAID households.
    pub short: Money,
    /// Σ (paid − expected) over OVERPAID households.
    pub excess: Money,
    /// Σ paid to households that were not due (UNEXPECTED households).
    pub paid_not_due: Money,
    /// Σ paid by DUPLICATE rows.
    pub paid_duplicate: Money,
    /// Σ paid by bank rows that matched no household.
    pub paid_unmatched: Money,
    /// Σ amounts of the successful readable bank rows.
    pub bank_paid: Money,
    /// Successful / failed / unreadable bank rows.
    pub bank_succeeded: u64,
    pub bank_failed: u64,
    pub bank_unreadable: u64,
}

impl Controls {
    /// expected = paid + failed + missing + short − excess.
    pub fn expected_balances(&self) -> bool {
        self.expected == self.paid_due + self.failed + self.missing + self.short - self.excess
    }

    /// Σ ledger paid = Σ successful bank rows.
    pub fn paid_balances(&self) -> bool {
        self.bank_paid
            == self.paid_due + self.paid_not_due + self.paid_duplicate + self.paid_unmatched
    }
}

/// The month's reconciliation.
#[derive(Clone, Debug)]
pub struct Ledger {
    pub month: Month,
    pub policy: Policy,
    pub rows: Vec<LedgerRow>,
    pub controls: Controls,
    /// Every problem found in the inputs and by the rules (stamps that count
    /// for nothing, check-ins for unknown households), for the problems sheet.
    pub problems: Vec<Issue>,
}

impl Ledger {
    /// Rows with `status`, in ledger order.
    pub fn with_status(&self, status: Status) -> impl Iterator<Item = &LedgerRow> {
        self.rows.iter().filter(move |r| r.status == status)
    }

    /// Rows with `action`, in ledger order.
    pub fn with_action(&self, action: u8) -> impl Iterator<Item = &LedgerRow> {
        self.rows.iter().filter(move |r| r.actions.has(action))
    }
}
