//! Totals rows (合计 / 总计 / 小计 / Total) checked against the data rows.
//!
//! A figure is checked only where it can be read unambiguously (SPEC §2): a
//! number in a numeric column against that column's sum over the data rows
//! (all statuses); `N户` / `N笔` against the number of data rows; `N人`
//! against the members' sum. A `小计` covers the rows since the previous
//! totals row, a `本页合计` the rows since the previous page total, a `合计`
//! the whole table. A column in which some data row
//! could not be read is not checked (its sum is unknown).

use crate::ingest::cell::Cell;
use crate::ingest::profile::AmountUnit;
use crate::ingest::schema::Field;
use crate::ingest::totals_row::{self, Labelled};
use crate::ingest::{Columns, Row, TotalsScope};
use crate::issue::{Issue, Problem, SourceRef, TotalKind};
use crate::model::money::Money;
use crate::model::value;

/// The figures of a summary line: split at blanks, `|`, `;`, `，` and at
/// commas that do not group digits (`总金额:18,680.00` stays whole).
fn summary_tokens(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        let split = match c {
            ',' => {
                let digit = |j: Option<&u8>| j.is_some_and(u8::is_ascii_digit);
                !(i > 0 && digit(bytes.get(i - 1)) && digit(bytes.get(i + 1)))
            }
            '|' | ';' | '，' | '；' | '│' => true,
            c => c.is_whitespace(),
        };
        if split {
            if start < i {
                out.push(&text[start..i]);
            }
            start = i + c.len_utf8();
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

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
    page: Acc,
}

impl Totals {
    /// `fields`: the numeric columns of this kind (at most three).
    pub fn new(fields: &[(Field, Numeric)]) -> Totals {
        Totals {
            fields: fields.iter().copied().take(3).collect(),
            all: Acc::default(),
            group: Acc::default(),
            page: Acc::default(),
        }
    }

    /// The unit a money column turned out to be in (its header's).
    pub fn set_unit(&mut self, field: Field, unit: AmountUnit) {
        for (f, kind) in &mut self.fields {
            if *f == field && matches!(kind, Numeric::Money(_)) {
                *kind = Numeric::Money(unit);
            }
        }
    }

    /// Counts one data row.
    pub fn row(&mut self) {
        self.all.rows += 1;
        self.group.rows += 1;
        self.page.rows += 1;
    }

    /// Adds a data row's value of `field`: `Ok(n)` (fen or persons; 0 when
    /// empty) or `Err(())` when it could not be read.
    pub fn add(&mut self, field: Field, value: Result<i64, ()>) {
        let Some(i) = self.fields.iter().position(|(f, _)| *f == field) else {
            return;
        };
        for acc in [&mut self.all, &mut self.group, &mut self.page] {
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

    /// Checks a profile's summary line (`summary = "first"`/`"last"`)
    /// against every data row: its count (`总笔数:35`, `35笔`) and its total
    /// (`总金额:000001868000`, in the amount column's unit). Returns whether
    /// the line held a figure at all.
    pub fn check_summary(&self, at: &SourceRef, text: &str, out: &mut Vec<Issue>) -> bool {
        let amount = self
            .fields
            .iter()
            .position(|(f, k)| *f == Field::Amount && matches!(k, Numeric::Money(_)));
        let mut found = false;
        for token in summary_tokens(text) {
            let figure = match totals_row::labelled(token) {
                Some(Labelled::Count(n)) => Some((TotalKind::Count, n, self.all.rows as i64)),
                Some(Labelled::Amount(written)) => amount.and_then(|i| {
                    let Numeric::Money(unit) = self.fields[i].1 else {
                        return None;
                    };
                    found = true;
                    // A total that cannot be read is not a total that agrees.
                    let Ok(stated) = crate::model::money::parse(&written, unit) else {
                        out.push(Issue::new(
                            at.clone(),
                            Problem::SummaryUnreadable {
                                text: token.to_string(),
                            },
                        ));
                        return None;
                    };
                    // A column with an unreadable amount has no known sum.
                    (!self.all.tainted[i]).then(|| (TotalKind::Sum, stated.fen(), self.all.sums[i]))
                }),
                Some(Labelled::Persons(_)) => None,
                None => match totals_row::counts_in(token).as_slice() {
                    [(n, '笔' | '户')] => Some((TotalKind::Count, *n, self.all.rows as i64)),
                    _ => None,
                },
            };
            let Some((what, stated, computed)) = figure else {
                continue;
            };
            found = true;
            if stated != computed {
                let computed = match what {
                    TotalKind::Sum => Money::from_fen(computed).to_string(),
                    _ => computed.to_string(),
                };
                out.push(Issue::new(
                    at.clone(),
                    Problem::TotalsMismatch {
                        what,
                        column: String::new(),
                        stated: token.to_string(),
                        computed,
                    },
                ));
            }
        }
        found
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
            TotalsScope::Page => std::mem::take(&mut self.page),
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
        // A labelled amount (`总金额：990.00`) is the bank amount column's sum.
        let amount = self
            .fields
            .iter()
            .position(|(f, k)| *f == Field::Amount && matches!(k, Numeric::Money(_)));
        for (col, cell) in row.cells.iter().enumerate() {
            if numeric_cols.contains(&(col as u32)) {
                continue;
            }
            let Cell::Text(s) = cell else { continue };
            // (what, as stated, stated, computed)
            let mut figures: Vec<(TotalKind, String, i64, i64)> = Vec::new();
            for (n, unit) in totals_row::counts_in(s) {
                match unit {
                    '人' => match persons {
                        Some(p) if !acc.tainted[p] => {
                            figures.push((TotalKind::Persons, format!("{n}{unit}"), n, acc.sums[p]))
                        }
                        _ => {}
                    },
                    _ => figures.push((TotalKind::Count, format!("{n}{unit}"), n, acc.rows as i64)),
                }
            }
            if figures.is_empty() {
                match totals_row::labelled(s) {
                    Some(Labelled::Count(n)) => {
                        figures.push((TotalKind::Count, s.trim().to_string(), n, acc.rows as i64))
                    }
                    Some(Labelled::Persons(n)) => {
                        if let Some(p) = persons.filter(|&p| !acc.tainted[p]) {
                            figures.push((
                                TotalKind::Persons,
                                s.trim().to_string(),
                                n,
                                acc.sums[p],
                            ));
                        }
                    }
                    Some(Labelled::Amount(text)) => {
                        if let Some(i) = amount.filter(|&i| !acc.tainted[i])
                            && let Numeric::Money(unit) = self.fields[i].1
                            && let Ok(m) = crate::model::money::parse(&text, unit)
                        {
                            figures.push((
                                TotalKind::Sum,
                                s.trim().to_string(),
                                m.fen(),
                                acc.sums[i],
                            ));
                        }
                    }
                    None => {}
                }
            }
            for (what, shown, stated, computed) in figures {
                if stated == computed {
                    continue;
                }
                let mut at = columns.source().row(row.number);
                at.col = Some(col as u32);
                at.header = columns.header(col as u32).map(Into::into);
                let computed = match what {
                    TotalKind::Sum => Money::from_fen(computed).to_string(),
                    _ => computed.to_string(),
                };
                out.push(Issue::new(
                    at,
                    Problem::TotalsMismatch {
                        what,
                        column: String::new(),
                        stated: shown,
                        computed,
                    },
                ));
            }
        }
    }
}
