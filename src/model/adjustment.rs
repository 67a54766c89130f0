//! Adjustments to a month's payroll (`--adjustments FILE`): one
//! [`Adjustment`] per readable row — a household number, an amount in yuan
//! (a leading `-` deducts: 扣发; otherwise 补发) and a reason.
//!
//! Invariant: a row becomes an `Adjustment` only when its household number
//! and amount are both readable; every other row is reported and counted.

use std::borrow::Cow;

use super::amount::AmountColumn;
use super::money::Money;
use super::policy::Policy;
use super::roster::RowCheck;
use super::totals::{Numeric, Totals};
use super::value;
use crate::ingest::profile::AmountUnit;
use crate::ingest::schema::Field;
use crate::ingest::{Columns, Row, RowSink, TotalsScope};
use crate::issue::{Issue, SourceRef};

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
    /// The bound on one household's month (the policy's).
    limit: Money,
    /// How 金额 is read (its unit is the header's; negative deducts).
    amount: AmountColumn,
}

impl Default for AdjustmentReader {
    /// Amounts are held to the default policy's bound; see
    /// [`AdjustmentReader::with_limit`].
    fn default() -> AdjustmentReader {
        let limit = Policy::default().max_household_total;
        AdjustmentReader {
            lines: Vec::new(),
            rows: 0,
            rejected: 0,
            totals: Totals::new(&[(Field::Amount, Numeric::Money(AmountUnit::Yuan))]),
            limit,
            amount: AmountColumn::plain(AmountUnit::Yuan, limit, true),
        }
    }
}

impl AdjustmentReader {
    /// Holds adjustments (either sign) to `limit` (the policy's
    /// `max_household_total`): no adjustment of a monthly benefit comes
    /// near it, and one above it is a typing slip.
    pub fn with_limit(mut self, limit: Money) -> AdjustmentReader {
        self.limit = limit;
        self.amount = AmountColumn::plain(AmountUnit::Yuan, limit, true);
        self
    }
}

impl RowSink for AdjustmentReader {
    fn header(&mut self, columns: &Columns, out: &mut Vec<Issue>) {
        self.amount = AmountColumn::new(columns, Field::Amount, None, self.limit, true, out);
        self.totals.set_unit(Field::Amount, self.amount.unit());
    }

    fn data(&mut self, columns: &Columns, row: &Row<'_, '_>, out: &mut Vec<Issue>) {
        use Field::*;
        let cell = |f| columns.cell(row, f);
        let mut c = RowCheck::new(columns, row, out);
        let household_id = c.require(HouseholdId, value::code(&cell(HouseholdId)));
        let amount_res = self.amount.read(&cell(Amount));
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
