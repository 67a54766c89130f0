//! Adjustments to a month's payroll (`--adjustments FILE`): one
//! [`Adjustment`] per readable row — a household number, an amount in yuan
//! (a leading `-` deducts: 扣发; otherwise 补发) and a reason.
//!
//! Invariant: a row becomes an `Adjustment` only when its household number
//! and amount are both readable; every other row is reported and counted.

use std::borrow::Cow;

use super::money::Money;
use super::roster::RowCheck;
use super::totals::{Numeric, Totals};
use super::value;
use crate::ingest::profile::AmountUnit;
use crate::ingest::schema::Field;
use crate::ingest::{Columns, Row, RowSink, TotalsScope};
use crate::issue::{Issue, SourceRef};

/// The largest adjustment accepted: 1,000,000.00 yuan.
pub const MAX_ADJUSTMENT_FEN: u64 = 100_000_000;

/// One adjustment line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adjustment {
    pub at: SourceRef,
    pub household_id: String,
    /// Negative deducts.
    pub amount: Money,
    pub reason: String,
}

/// Reads adjustment rows (a [`RowSink`]).
#[derive(Debug)]
pub struct AdjustmentReader {
    pub lines: Vec<Adjustment>,
    pub rows: u64,
    pub rejected: u64,
    totals: Totals,
}

impl Default for AdjustmentReader {
    fn default() -> AdjustmentReader {
        AdjustmentReader {
            lines: Vec::new(),
            rows: 0,
            rejected: 0,
            totals: Totals::new(&[(Field::Amount, Numeric::Money(AmountUnit::Yuan))]),
        }
    }
}

impl RowSink for AdjustmentReader {
    fn data(&mut self, columns: &Columns, row: &Row<'_, '_>, out: &mut Vec<Issue>) {
        use Field::*;
        let cell = |f| columns.cell(row, f);
        let mut c = RowCheck::new(columns, row, out);
        let household_id = c.require(HouseholdId, value::code(&cell(HouseholdId)));
        // No adjustment of a monthly benefit comes near a million yuan: a
        // figure that large is a typing slip (and would not be exact in a
        // workbook cell).
        let amount_res =
            value::money(&cell(Amount), AmountUnit::Yuan, true).and_then(|m| match m {
                Some(a) if a.fen().unsigned_abs() > MAX_ADJUSTMENT_FEN => {
                    Err(crate::issue::Problem::AmountTooLarge {
                        value: cell(Amount).shown().into_owned(),
                    })
                }
                other => Ok(other),
            });
        self.totals.row();
        self.totals.add_money(Amount, &amount_res);
        let amount = c.require(Amount, amount_res);
        let reason = c
            .take(Reason, value::note(&cell(Reason)))
            .map(Cow::into_owned);
        self.rows += 1;
        match (household_id, amount) {
            (Some(household_id), Some(amount)) if c.errors.is_empty() => {
                self.lines.push(Adjustment {
                    at: columns.source().row(row.number),
                    household_id: household_id.into_owned(),
                    amount,
                    reason: reason.unwrap_or_default(),
                })
            }
            _ => self.rejected += 1,
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
