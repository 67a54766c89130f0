//! Bank payout results (代发回盘): one [`BankLine`] per data row.
//!
//! Invariant: every data row becomes a `BankLine`, readable or not, so that a
//! reconciliation can account for it; a line that cannot be trusted (amount
//! or status unreadable, no account) carries its problems in
//! [`BankLine::unreadable`] and is never treated as paid or failed.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::account::Account;
use super::amount::AmountColumn;
use super::idcard::IdNumber;
use super::money::Money;
use super::policy::Policy;
use super::roster::RowCheck;
use super::totals::{Numeric, Totals};
use super::value;
use crate::ingest::cell::Cell;
use crate::ingest::normalize::unify_dots;
use crate::ingest::profile::{AmountUnit, Outcome, Profile};
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
    "交易成功",
    "付款成功",
    "支付成功",
    "转账成功",
    "代发成功",
    "已成功",
    "success",
    "succeeded",
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
    "全部失败",
    "交易失败",
    "付款失败",
    "支付失败",
    "转账失败",
    "代发失败",
    "已退回",
    "银行退回",
    "退汇",
    "拒绝",
    "被拒绝",
    "已拒绝",
    "指令被拒绝授权",
    "撤销",
    "已撤销",
    "作废",
    "failed",
    "failure",
    "fail",
    "error",
    "rejected",
    "returned",
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
    /// The unit the profile declares (`amount_unit`).
    profile_unit: Option<AmountUnit>,
    /// The bound on one household's month (the policy's).
    limit: Money,
    /// How 金额 is read (its unit is the header's, the profile's, …).
    amount: AmountColumn,
    success: Vec<String>,
    failure: Vec<String>,
    date_format: Option<String>,
    totals: Totals,
    /// What the profile declares of every row (a success or failure file).
    outcome: Option<PayStatus>,
    /// The file's missing status column was reported (once).
    no_status_said: bool,
    /// A status matches a word by its leading code (`001 成功`).
    status_prefix: bool,
    /// What an empty status cell means, when the profile says.
    empty_status: Option<PayStatus>,
    /// The file has no account column: rows match by these instead.
    match_by: Vec<Field>,
}

/// The headers that look like a status column (状态, 标志, 结果, 反馈, …)
/// but are not recognised as one.
fn status_lookalikes(columns: &Columns) -> Vec<String> {
    const HINTS: [&str; 9] = [
        "状态", "标志", "结果", "反馈", "成功", "失败", "status", "flag", "result",
    ];
    columns
        .headers()
        .filter(|h| {
            let lower = h.to_lowercase();
            HINTS.iter().any(|k| lower.contains(k))
        })
        .map(String::from)
        .collect()
}

impl BankReader {
    /// Amounts are held to the default policy's bound; see
    /// [`BankReader::with_limit`].
    pub fn new(collect: bool, profile: Option<&Profile>) -> BankReader {
        let profile_unit = profile.and_then(|p| p.amount_unit);
        let unit = profile_unit.unwrap_or_default();
        let limit = Policy::default().max_household_total;
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
            profile_unit,
            limit,
            amount: AmountColumn::plain(unit, limit, false),
            success: words(profile.and_then(|p| p.success.as_ref()), SUCCESS_WORDS),
            failure: words(profile.and_then(|p| p.failure.as_ref()), FAILURE_WORDS),
            date_format: profile.and_then(|p| p.date_format.clone()),
            totals: Totals::new(&[(Field::Amount, Numeric::Money(unit))]),
            outcome: profile.and_then(|p| p.outcome).map(pay_status),
            no_status_said: false,
            status_prefix: profile.is_some_and(|p| p.status_prefix),
            empty_status: profile.and_then(|p| p.empty_status).map(pay_status),
            match_by: profile.map(|p| p.match_by.clone()).unwrap_or_default(),
        }
    }

    /// Holds amounts to `limit` (the policy's `max_household_total`).
    pub fn with_limit(mut self, limit: Money) -> BankReader {
        self.limit = limit;
        self.amount = AmountColumn::plain(self.profile_unit.unwrap_or_default(), limit, false);
        self
    }

    /// The status a word names, or with `status_prefix` the code it starts
    /// with (`001 成功`, `002:账户冻结`, `001成功`).
    fn status(&self, s: &str, numeric: bool) -> Option<PayStatus> {
        let whole = self.status_word(s, numeric);
        if whole.is_some() || !self.status_prefix {
            return whole;
        }
        // Only a code of digits is taken by its prefix: a word followed by
        // more words (`成功/已退票`, `交易成功 已退汇`) is not a code.
        let s = s.trim();
        let code_end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        if code_end == 0 {
            return None;
        }
        let code = self.status_word(&s[..code_end], false)?;
        // The words after the code must not name the other outcome
        // (`001 失败`): then the bank's result is unknown.
        let rest = s[code_end..].trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, ':' | '：' | '-' | ',' | '，' | '/')
        });
        match self.status_word(rest, false) {
            Some(other) if other != code => None,
            _ => Some(code),
        }
    }

    /// The status a word names. A status cell that Excel turned into a
    /// number (`0000` → `0`) matches a word of digits with the same value.
    fn status_word(&self, s: &str, numeric: bool) -> Option<PayStatus> {
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
    fn header(&mut self, columns: &Columns, out: &mut Vec<Issue>) {
        self.amount = AmountColumn::new(
            columns,
            Field::Amount,
            self.profile_unit,
            self.limit,
            false,
            out,
        );
        self.totals.set_unit(Field::Amount, self.amount.unit());
    }

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
            // A file without an account column, matched by ID or reference
            // (a profile's `match_by`): fine when one of those is there.
            Ok(None)
                if !columns.has(Account) && self.match_by.iter().any(|&f| !cell(f).is_blank()) =>
            {
                None
            }
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
        let amount_res = self.amount.read(&cell(Amount));
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
        // The bank's own word, kept as the reason of a failure when the
        // file has no reason column.
        let mut word = None;
        let status = if columns.has(Status) {
            match value::text(&cell(Status)) {
                Ok(Some(s)) => {
                    match self.status(&s, matches!(cell(Status), Cell::Int(_) | Cell::Float(_))) {
                        Some(st) if self.outcome.is_none_or(|o| o == st) => {
                            word = Some(s.into_owned());
                            Some(st)
                        }
                        // An unknown word, or a file declared all-success
                        // or all-failure whose row says otherwise: the money
                        // is unknown.
                        _ => {
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
                Ok(None) if self.outcome.is_some() => self.outcome,
                // Only a status cell the row really has, left empty: a row
                // cut short (collapsed spaces, a short fixed-width or drawn
                // line) has no status at all.
                Ok(None)
                    if self.empty_status.is_some()
                        && columns
                            .col(Status)
                            .is_some_and(|col| (col as usize) < row.cells.len()) =>
                {
                    self.empty_status
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
        } else if self.outcome.is_some() {
            self.outcome
        } else {
            // No status column and no declared outcome: whether anything
            // was paid is unknown. Said once for the file; every row is
            // unreadable, none counts as paid.
            let problem = Problem::BankNoStatusColumn {
                lookalikes: status_lookalikes(columns).join("、"),
            };
            if !self.no_status_said {
                self.no_status_said = true;
                c.out.push(Issue::new(columns.header_at(), problem.clone()));
            }
            unreadable.push(problem);
            None
        };
        let reason = c
            .take(Reason, value::note(&cell(Reason)))
            .map(Cow::into_owned)
            .or_else(|| word.filter(|_| status == Some(PayStatus::Failure)));
        // A failure file whose reason says the payment succeeded: which is
        // it? Unknown.
        let status = match &reason {
            Some(r)
                if status == Some(PayStatus::Failure)
                    && !columns.has(Status)
                    && self.status_word(r, false) == Some(PayStatus::Success) =>
            {
                let problem = Problem::BankStatusUnknown { value: r.clone() };
                unreadable.push(problem.clone());
                c.report(Reason, problem);
                None
            }
            _ => status,
        };
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

    fn summary(&mut self, columns: &Columns, line: u32, text: &str, out: &mut Vec<Issue>) {
        let at = columns.source().row(line);
        if !self.totals.check_summary(&at, text, out) {
            out.push(Issue::new(
                at,
                Problem::SummaryUnreadable {
                    text: text.split_whitespace().collect::<Vec<_>>().join(" "),
                },
            ));
        }
    }
}

fn pay_status(o: Outcome) -> PayStatus {
    match o {
        Outcome::Success => PayStatus::Success,
        Outcome::Failure => PayStatus::Failure,
    }
}
