//! The month's payroll (SPEC §3, §4 `payroll`, §5.1): who is due, who is
//! held, how much each due household gets, and what is carried in from last
//! month. [`Payroll`] is what the report writers turn into workbooks,
//! `payroll.csv` and the manifest.
//!
//! Invariants: every roster row has exactly one [`PayrollRow`], in roster
//! order; amounts are filled for `Due` rows only (zero elsewhere); a row's
//! `total` = `base + Σ subsidies + addons + reissue + adjustment`, exact.

pub mod build;
pub mod carry;
pub mod entitlement;

use compact_str::CompactString;

use crate::model::date::Month;
use crate::model::money::Money;
use crate::model::policy::Policy;
pub use entitlement::Hold;

/// A roster row's status in the payroll.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowStatus {
    Due,
    Held,
    Inactive,
    /// Left out by `--allow-partial`: the row has errors.
    Excluded,
}

impl RowStatus {
    /// The code written in `payroll.csv`.
    pub fn code(self) -> &'static str {
        match self {
            RowStatus::Due => "DUE",
            RowStatus::Held => "HELD",
            RowStatus::Inactive => "INACTIVE",
            RowStatus::Excluded => "EXCLUDED",
        }
    }
}

impl Hold {
    /// The code written in `payroll.csv`.
    pub fn code(self) -> &'static str {
        match self {
            Hold::Roster => "ROSTER",
            Hold::Checkin => "CHECKIN",
        }
    }
}

/// One roster household in the month's payroll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayrollRow {
    pub household_id: CompactString,
    pub name: CompactString,
    /// As valid (18 characters), or as the roster had it for an excluded row.
    pub id_number: CompactString,
    /// Digits, or as the roster had it for an excluded row.
    pub account: CompactString,
    /// The household's bank (the policy's default bank when the roster gives none).
    pub bank: CompactString,
    /// The name on the account (the head's name when the roster gives none).
    pub account_name: CompactString,
    pub community: CompactString,
    pub street: CompactString,
    pub members: u32,
    pub status: RowStatus,
    pub hold: Option<Hold>,
    pub base: Money,
    /// One amount per policy subsidy, in the policy's order (empty unless due).
    pub subsidies: Vec<Money>,
    /// Σ add-ons (分类施保).
    pub addons: Money,
    /// Re-issued and topped-up amounts owed from earlier months (补发).
    pub reissue: Money,
    /// The months re-issued.
    pub reissue_for: Vec<Month>,
    /// Σ adjustments (调整; negative deducts).
    pub adjustment: Money,
    pub total: Money,
    /// Why a row is held, excluded, or what was carried in.
    pub note: String,
}

impl PayrollRow {
    pub fn subsidies_total(&self) -> Money {
        self.subsidies.iter().copied().sum()
    }
}

/// An amount owed to a household that is not due this month: listed (待补发),
/// not paid, not carried further.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owed {
    pub household_id: String,
    pub name: String,
    pub for_month: Month,
    pub amount: Money,
    /// `REISSUE` or `TOP_UP`.
    pub action: &'static str,
}

/// An amount to recover (追回): listed, never deducted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recover {
    pub household_id: String,
    pub name: String,
    pub for_month: Month,
    pub amount: Money,
}

/// An adjustment line that was not applied (the household is not due).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotApplied {
    pub household_id: String,
    pub amount: Money,
    pub reason: String,
}

/// The month's payroll.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payroll {
    pub month: Month,
    pub policy: Policy,
    /// Every roster row, in roster order.
    pub rows: Vec<PayrollRow>,
    pub owed: Vec<Owed>,
    pub recover: Vec<Recover>,
    pub not_applied: Vec<NotApplied>,
    /// Household numbers that were due last month (from `--previous`), for
    /// the summary's new / stopped / held comparison; `None` without it.
    pub previous_due: Option<Vec<String>>,
}

impl Payroll {
    /// The due rows, in roster order.
    pub fn due(&self) -> impl Iterator<Item = &PayrollRow> {
        self.rows.iter().filter(|r| r.status == RowStatus::Due)
    }

    /// Σ totals of the due rows: what the bank files must add up to.
    pub fn total(&self) -> Money {
        self.due().map(|r| r.total).sum()
    }
}
