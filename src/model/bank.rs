//! Bank payout results (代发回盘): one [`BankLine`] per data row.
//!
//! Invariant: every data row becomes a `BankLine`, readable or not, so that a
//! reconciliation can account for it; a line that cannot be trusted (amount
//! or status unreadable, no account) carries its problems in
//! [`BankLine::unreadable`] and is never treated as paid or failed.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::account::Account;
use super::idcard::IdNumber;
use super::money::Money;
use super::roster::RowCheck;
use super::totals::{Numeric, Totals};
use super::value;
use crate::ingest::cell::Cell;
use crate::ingest::normalize::unify_dots;
use crate::ingest::profile::{AmountUnit, Profile};
use crate::ingest::schema::Field;
use crate::ingest::{Columns, Row, RowSink, TotalsScope};
use crate::issue::{Issue, Problem, SourceRef, TextLimit};

/// The default words for a successful payment (SPEC §2.2).
pub const SUCCESS_WORDS: &[&str] = &[
    "成功",
    "全部成功",
    "已入账",
    "入账成功",
    "处理成功",
    "success",
    "ok",
    "0000",
];
/// The default words for a failed payment.
pub const FAILURE_WORDS: &[&str] = &[
    "失败",
    "退回",
    "退票",
    "处理失败",
    "部分失败",
    "failed",
    "error",
];

/// What the bank says happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayStatus {
    Success,
    Failure,
}

/// One row of a bank result file.
#[derive(Clone, Debug, PartialEq)]
pub struct BankLine {
    pub at: SourceRef,
    pub account: Option<Account>,
    pub account_name: String,
    pub amount: Option<Money>,
    pub status: Option<PayStatus>,
    pub reason: Option<String>,
    pub reference: Option<String>,
    pub id_number: Option<IdNumber>,
    pub date: Option<NaiveDate>,
    pub txn_id: Option<String>,
    /// Why the row cannot be trusted; empty for a readable row.
    pub unreadable: Vec<Problem>,
}

/// Reads bank result rows (a [`RowSink`]).
#[derive(Debug)]
pub struct BankReader {
    collect: bool,
    pub lines: Vec<BankLine>,
    pub rows: u64,
    pub unreadable: u64,
    pub succeeded: u64,
    pub failed: u64,
    /// Σ amounts of the successful rows.
    pub paid: Money,
    unit: AmountUnit,
    success: Vec<String>,
    failure: Vec<String>,
    date_format: Option<String>,
    totals: Totals,
}

impl BankReader {
    pub fn new(collect: bool, profile: Option<&Profile>) -> BankReader {
        let unit = profile.map_or(AmountUnit::Yuan, |p| p.amount_unit);
        let words = |given: Option<&Vec<String>>, default: &[&str]| -> Vec<String> {
            given
                .cloned()
                .unwrap_or_else(|| default.iter().map(|s| s.to_string()).collect())
                .into_iter()
                .map(|w| w.trim().to_lowercase())
                .collect()
        };
        BankReader {
            collect,
            lines: Vec::new(),
            rows: 0,
            unreadable: 0,
            succeeded: 0,
            failed: 0,
            paid: Money::ZERO,
            unit,
            success: words(profile.and_then(|p| p.success.as_ref()), SUCCESS_WORDS),
            failure: words(profile.and_then(|p| p.failure.as_ref()), FAILURE_WORDS),
            date_format: profile.and_then(|p| p.date_format.clone()),
            totals: Totals::new(&[(Field::Amount, Numeric::Money(unit))]),
        }
    }

    /// The status a word names. A status cell that Excel turned into a
    /// number (`0000` → `0`) matches a word of digits with the same value.
    fn status(&self, s: &str, numeric: bool) -> Option<PayStatus> {
        let key = s.to_lowercase();
        let same = |w: &String| {
            *w == key
                || (numeric
                    && w.bytes().all(|b| b.is_ascii_digit())
                    && w.parse::<u64>().ok() == key.parse::<u64>().ok()
                    && key.parse::<u64>().is_ok())
        };
        if self.success.iter().any(same) {
            Some(PayStatus::Success)
        } else if self.failure.iter().any(same) {
            Some(PayStatus::Failure)
        } else {
            None
        }
    }
}

impl RowSink for BankReader {
    fn data(&mut self, columns: &Columns, row: &Row<'_, '_>, out: &mut Vec<Issue>) {
        use Field::*;
        let cell = |f| columns.cell(row, f);
        let mut c = RowCheck::new(columns, row, out);
        // A line in another encoding than the file's: its values cannot be
        // trusted, so it pays nobody.
        let mut unreadable: Vec<Problem> = row.flaw.into_iter().cloned().collect();
        let mut keep = |c: &mut RowCheck<'_>, field: Field, p: Problem| {
            unreadable.push(p.clone());
            c.report(field, p);
        };
        let account = match value::account(&cell(Account), false) {
            Ok(Some(r)) => Some(r.account),
            Ok(None) => {
                let p = c.missing(Account);
                keep(&mut c, Account, p);
                None
            }
            Err(p) => {
                keep(&mut c, Account, p);
                None
            }
        };
        let account_name = match value::text_within(&cell(AccountName), TextLimit::Name) {
            Ok(Some(n)) => unify_dots(&n).into_owned(),
            Ok(None) => {
                let p = c.missing(AccountName);
                c.report(AccountName, p);
                String::new()
            }
            Err(p) => {
                c.report(AccountName, p);
                String::new()
            }
        };
        let amount_res = value::money(&cell(Amount), self.unit, false);
        self.totals.row();
        self.totals.add_money(Amount, &amount_res);
        let amount = match amount_res {
            Ok(Some(m)) => Some(m),
            Ok(None) => {
                let p = c.missing(Amount);
                keep(&mut c, Amount, p);
                None
            }
            Err(p) => {
                keep(&mut c, Amount, p);
                None
            }
        };
        let status = if columns.has(Status) {
            match value::text(&cell(Status)) {
                Ok(Some(s)) => {
                    match self.status(&s, matches!(cell(Status), Cell::Int(_) | Cell::Float(_))) {
                        Some(st) => Some(st),
                        None => {
                            keep(
                                &mut c,
                                Status,
                                Problem::BankStatusUnknown {
                                    value: s.into_owned(),
                                },
                            );
                            None
                        }
                    }
                }
                Ok(None) => {
                    keep(&mut c, Status, Problem::BankStatusEmpty);
                    None
                }
                Err(p) => {
                    keep(&mut c, Status, p);
                    None
                }
            }
        } else {
            Some(PayStatus::Success)
        };
        let reason = c
            .take(Reason, value::note(&cell(Reason)))
            .map(Cow::into_owned);
        let reference = c
            .take(Reference, value::note(&cell(Reference)))
            .map(Cow::into_owned);
        // A bad ID is an error (SPEC §2.4), but the payment line stays
        // readable: it can still be matched by reference or account.
        let id_number = c.id_number(false, value::id_number(&cell(IdNumber)));
        let date = match value::date(&cell(Date), self.date_format.as_deref()) {
            Ok(d) => d,
            Err(p) => {
                c.warn(Date, p);
                None
            }
        };
        let txn_id = c
            .take(TxnId, value::code(&cell(TxnId)))
            .map(Cow::into_owned);
        self.rows += 1;
        if !unreadable.is_empty() {
            self.unreadable += 1;
        } else if status == Some(PayStatus::Success) {
            self.succeeded += 1;
            self.paid += amount.unwrap_or(Money::ZERO);
        } else {
            self.failed += 1;
        }
        if self.collect {
            self.lines.push(BankLine {
                at: columns.source().row(row.number),
                account,
                account_name,
                amount,
                status,
                reason,
                reference,
                id_number,
                date,
                txn_id,
                unreadable,
            });
        }
    }

    fn totals(
        &mut self,
        columns: &Columns,
        row: &Row<'_, '_>,
        scope: TotalsScope,
        out: &mut Vec<Issue>,
    ) {
        self.totals.check(columns, row, scope, out);
    }
}
