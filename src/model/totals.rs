//! Totals rows (合计 / 总计 / 小计 / Total) checked against the data rows.
//!
//! A figure is checked only where it can be read unambiguously (SPEC §2): a
//! number in a numeric column against that column's sum over the data rows
//! (all statuses); `N户` / `N笔` against the number of data rows; `N人`
//! against the members' sum. A `小计` covers the rows since the previous
//! totals row; `合计` covers the whole table. A column in which some data row
//! could not be read is not checked (its sum is unknown).

use crate::ingest::cell::Cell;
use crate::ingest::profile::AmountUnit;
use crate::ingest::schema::Field;
use crate::ingest::{Columns, Row, TotalsScope};
use crate::issue::{Issue, Problem, TotalKind};
use crate::model::money::Money;
use crate::model::value;

/// What a numeric column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Numeric {
    Persons,
    Money(AmountUnit),
}

#[derive(Clone, Copy, Debug, Default)]
struct Acc {
    rows: u64,
    sums: [i64; 3],
    tainted: [bool; 3],
}

/// Running sums for up to three numeric columns.
#[derive(Debug)]
pub struct Totals {
    fields: Vec<(Field, Numeric)>,
    all: Acc,
    group: Acc,
}

impl Totals {
    /// `fields`: the numeric columns of this kind (at most three).
    pub fn new(fields: &[(Field, Numeric)]) -> Totals {
        Totals {
            fields: fields.iter().copied().take(3).collect(),
            all: Acc::default(),
            group: Acc::default(),
        }
    }

    /// Counts one data row.
    pub fn row(&mut self) {
        self.all.rows += 1;
        self.group.rows += 1;
    }

    /// Adds a data row's value of `field`: `Ok(n)` (fen or persons; 0 when
    /// empty) or `Err(())` when it could not be read.
    pub fn add(&mut self, field: Field, value: Result<i64, ()>) {
        let Some(i) = self.fields.iter().position(|(f, _)| *f == field) else {
            return;
        };
        for acc in [&mut self.all, &mut self.group] {
            match value {
                Ok(n) => acc.sums[i] = acc.sums[i].saturating_add(n),
                Err(()) => acc.tainted[i] = true,
            }
        }
    }

    /// Adds a data row's amount as it was read: an empty cell counts 0, an
    /// unreadable one leaves the column unchecked.
    pub fn add_money<E>(&mut self, field: Field, value: &Result<Option<Money>, E>) {
        self.add(
            field,
            value
                .as_ref()
                .map(|m| m.map_or(0, Money::fen))
                .map_err(|_| ()),
        );
    }

    /// Checks a totals row and starts a new group.
    pub fn check(
        &mut self,
        columns: &Columns,
        row: &Row<'_, '_>,
        scope: TotalsScope,
        out: &mut Vec<Issue>,
    ) {
        let acc = match scope {
            TotalsScope::Grand => self.all,
            TotalsScope::Subtotal => self.group,
        };
        self.group = Acc::default();
        let numeric_cols: Vec<u32> = self
            .fields
            .iter()
            .filter_map(|(f, _)| columns.col(*f))
            .collect();
        for (i, &(field, kind)) in self.fields.iter().enumerate() {
            let cell = columns.cell(row, field);
            if cell.is_blank() || acc.tainted[i] {
                continue;
            }
            let stated = match kind {
                Numeric::Persons => value::members(&cell).ok().flatten().map(i64::from),
                Numeric::Money(unit) => value::money(&cell, unit, true)
                    .ok()
                    .flatten()
                    .map(Money::fen),
            };
            let Some(stated) = stated else { continue };
            if stated != acc.sums[i] {
                let show = |n: i64| match kind {
                    Numeric::Persons => n.to_string(),
                    Numeric::Money(_) => Money::from_fen(n).to_string(),
                };
                let at = columns.at(row.number, field);
                out.push(Issue::new(
                    at.clone(),
                    Problem::TotalsMismatch {
                        what: TotalKind::Sum,
                        column: at.header.as_deref().unwrap_or("").to_string(),
                        stated: show(stated),
                        computed: show(acc.sums[i]),
                    },
                ));
            }
        }
        let persons = self.fields.iter().position(|(_, k)| *k == Numeric::Persons);
        for (col, cell) in row.cells.iter().enumerate() {
            if numeric_cols.contains(&(col as u32)) {
                continue;
            }
            let Cell::Text(s) = cell else { continue };
            for (n, unit) in counts_in(s) {
                let (what, computed) = match unit {
                    '人' => match persons {
                        Some(p) if !acc.tainted[p] => (TotalKind::Persons, acc.sums[p]),
                        _ => continue,
                    },
                    _ => (TotalKind::Count, acc.rows as i64),
                };
                if n != computed {
                    let mut at = columns.source().row(row.number);
                    at.col = Some(col as u32);
                    at.header = columns.header(col as u32).map(Into::into);
                    out.push(Issue::new(
                        at,
                        Problem::TotalsMismatch {
                            what,
                            column: String::new(),
                            stated: format!("{n}{unit}"),
                            computed: computed.to_string(),
                        },
                    ));
                }
            }
        }
    }
}

/// Every `N户`, `N笔`, `N人` in a text (`合计：36户61人` → 36户, 61人).
fn counts_in(s: &str) -> Vec<(i64, char)> {
    let half = crate::ingest::normalize::halfwidth_all(s);
    let mut out = Vec::new();
    let mut digits = String::new();
    for c in half.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if !digits.is_empty()
            && matches!(c, '户' | '笔' | '人')
            && let Ok(n) = digits.parse()
        {
            out.push((n, c));
        }
        if !c.is_whitespace() {
            digits.clear();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_in_text() {
        assert_eq!(counts_in("36户"), vec![(36, '户')]);
        assert_eq!(counts_in("合计：36户 61人"), vec![(36, '户'), (61, '人')]);
        assert_eq!(counts_in("共 35 笔"), vec![(35, '笔')]);
        assert_eq!(counts_in("２笔"), vec![(2, '笔')]);
        assert!(counts_in("合计").is_empty());
    }
}
