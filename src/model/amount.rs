//! Amount columns: which unit a column's numbers are in, and reading one
//! cell of it (SPEC §2.2).
//!
//! A bare number (`62000`) is in the unit named by, first to last: the
//! column's header (`交易金额(分)`, `金额 单位：元`), a title row above the
//! header (`单位：分`), the mapping profile's `amount_unit`; else yuan. Two
//! of these that name different units, or a unit that is neither yuan nor
//! fen (`万元`), leave the column's money unknown: an error at the header
//! (or title) cell, and every amount of the column is an error of its own.
//!
//! A cell may name its own unit (`62000分`, `330元`, `¥280`). When nothing
//! above names one, the cell's unit is honoured (`62000分` is 620.00); when
//! something does, the cell must agree with it, or it is an error naming
//! the cell.
//!
//! Every amount is also held to `limit`, the policy's bound on one
//! household's month (`[payment] max_household_total`).

use super::money::{self, Money, MoneyProblem};
use crate::ingest::Columns;
use crate::ingest::cell::Cell;
use crate::ingest::normalize::UnitMark;
use crate::ingest::profile::AmountUnit;
use crate::ingest::schema::Field;
use crate::issue::{Issue, Problem, UnitSource};

/// How the amounts of one column are read.
#[derive(Clone, Debug)]
pub struct AmountColumn {
    /// The unit of a bare number.
    unit: AmountUnit,
    /// What names `unit`, if anything does: a cell's unit must agree.
    stated: Option<UnitSource>,
    /// The column's unit is unknown: no amount of it is read.
    unknown: bool,
    /// The largest amount accepted (its absolute value).
    limit: Money,
    allow_negative: bool,
}

impl AmountColumn {
    /// A column in `unit` that no header or profile names (cells may name
    /// theirs), held to `limit`.
    pub fn plain(unit: AmountUnit, limit: Money, allow_negative: bool) -> AmountColumn {
        AmountColumn {
            unit,
            stated: None,
            unknown: false,
            limit,
            allow_negative,
        }
    }

    /// The column of `field` under `columns`' header; `profile` is the unit
    /// the mapping profile declares. Problems with the header's unit go to
    /// `out`.
    pub fn new(
        columns: &Columns,
        field: Field,
        profile: Option<AmountUnit>,
        limit: Money,
        allow_negative: bool,
        out: &mut Vec<Issue>,
    ) -> AmountColumn {
        let mut column = AmountColumn::plain(AmountUnit::Yuan, limit, allow_negative);
        if !columns.has(field) {
            return column;
        }
        // (unit, what names it, where) in order of precedence.
        let mut named: Vec<(UnitMark, UnitSource, Option<crate::issue::SourceRef>)> = Vec::new();
        if let Some((mark, at)) = columns.header_unit(field) {
            let header = at.header.as_deref().unwrap_or("").to_string();
            named.push((mark, UnitSource::Header(header), Some(at)));
        }
        if let Some((mark, at)) = columns.title_unit() {
            let text = at.header.as_deref().unwrap_or("").to_string();
            named.push((mark.clone(), UnitSource::Title(text), Some(at.clone())));
        }
        if let Some(unit) = profile {
            let mark = match unit {
                AmountUnit::Yuan => UnitMark::Yuan,
                AmountUnit::Fen => UnitMark::Fen,
            };
            named.push((mark, UnitSource::Profile, None));
        }
        let header_cell = columns.at(columns.header_row, field);
        let mut first: Option<(AmountUnit, UnitSource)> = None;
        for (mark, by, at) in named {
            let at = at.unwrap_or_else(|| header_cell.clone());
            let unit = match mark {
                UnitMark::Yuan => AmountUnit::Yuan,
                UnitMark::Fen => AmountUnit::Fen,
                UnitMark::Other(unit) => {
                    out.push(Issue::new(at, Problem::UnitUnknown { unit }));
                    column.unknown = true;
                    continue;
                }
            };
            match &first {
                None => first = Some((unit, by)),
                Some((u, _)) if *u == unit => {}
                Some((u, first_by)) => {
                    // Named at the first one's cell (the header, when it names one).
                    let problem = Problem::UnitConflict {
                        unit: *u,
                        by: first_by.clone(),
                        other: unit,
                        other_by: by,
                    };
                    let at = if matches!(first_by, UnitSource::Profile) {
                        at
                    } else {
                        header_or_title(columns, field, first_by).unwrap_or(at)
                    };
                    out.push(Issue::new(at, problem));
                    column.unknown = true;
                }
            }
        }
        if let Some((unit, by)) = first {
            column.unit = unit;
            column.stated = Some(by);
        }
        column
    }

    /// The unit of a bare number in this column.
    pub fn unit(&self) -> AmountUnit {
        self.unit
    }

    /// Reads one cell: `Ok(None)` when it is blank.
    ///
    /// # Errors
    /// The cell's problem: not an amount, a unit that contradicts the
    /// column's, a negative amount where none is allowed, an amount above
    /// the limit, or any amount of a column whose unit is unknown.
    pub fn read(&self, cell: &Cell<'_>) -> Result<Option<Money>, Problem> {
        let shown = || cell.shown().into_owned();
        let res = match *cell {
            Cell::Empty => return Ok(None),
            Cell::Error(e) => {
                return Err(Problem::CellError {
                    value: e.to_string(),
                });
            }
            _ if cell.is_blank() => return Ok(None),
            _ if self.unknown => return Err(Problem::AmountUnitUnknown { value: shown() }),
            // |i| above 2^53 is not exact as f64, but far above the limit.
            Cell::Int(i) => money::from_number(i as f64, self.unit),
            Cell::Float(x) => money::from_number(x, self.unit),
            Cell::Text(_) => {
                let text = cell.shown();
                match money::read(&text) {
                    Err(e) => Err(e),
                    Ok(written) => match (written.unit, &self.stated) {
                        (None, _) => written.money(self.unit),
                        (Some(unit), None) => written.money(unit),
                        (Some(unit), Some(_)) if unit == self.unit => written.money(unit),
                        (Some(unit), Some(by)) => {
                            return Err(Problem::AmountUnitConflict {
                                value: text.into_owned(),
                                unit,
                                column: self.unit,
                                by: by.clone(),
                            });
                        }
                    },
                }
            }
            Cell::Bool(_) | Cell::Date(_) | Cell::Iso(_) => Err(MoneyProblem::NotANumber),
        };
        // The value is shown only in a problem: no copy of every good cell.
        match res {
            Ok(m) if m.is_negative() && !self.allow_negative => {
                Err(Problem::AmountNegative { value: shown() })
            }
            Ok(m) if m.fen().unsigned_abs() > self.limit.fen().unsigned_abs() => {
                Err(Problem::AmountAboveLimit {
                    value: shown(),
                    limit: self.limit.to_string(),
                })
            }
            Ok(m) => Ok(Some(m)),
            Err(MoneyProblem::NotANumber) => Err(Problem::AmountInvalid { value: shown() }),
            Err(MoneyProblem::FractionOfFen) => Err(Problem::AmountPrecision { value: shown() }),
            Err(MoneyProblem::FenWithFraction) => {
                Err(Problem::AmountFenFraction { value: shown() })
            }
            Err(MoneyProblem::BadComma) => Err(Problem::AmountComma { value: shown() }),
            Err(MoneyProblem::SpaceInDigits) => Err(Problem::AmountSpace { value: shown() }),
            Err(MoneyProblem::TooLarge) => Err(Problem::AmountTooLarge { value: shown() }),
        }
    }
}

/// The cell that named `by`: the header cell, or the title cell.
fn header_or_title(
    columns: &Columns,
    field: Field,
    by: &UnitSource,
) -> Option<crate::issue::SourceRef> {
    match by {
        UnitSource::Header(_) => Some(columns.at(columns.header_row, field)),
        UnitSource::Title(_) => columns.title_unit().map(|(_, at)| at.clone()),
        UnitSource::Profile => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::ingest::ReadOptions;
    use crate::ingest::profile::{AmountUnit, Profile};
    use crate::issue::Issue;
    use crate::model::load;
    use crate::model::money::Money;

    /// Reads `csv` as a bank file (with `profile`); the amounts of its
    /// lines, and every problem as `CELL CODE`.
    fn bank(csv: &str, profile: Option<&Profile>) -> (Vec<Option<Money>>, Vec<String>) {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("b.csv");
        std::fs::write(&path, csv).expect("write");
        let opts = ReadOptions {
            profile,
            ..ReadOptions::default()
        };
        let loaded = load::bank(&path, "b.csv", &opts).expect("read");
        let amounts = loaded
            .reader
            .map(|r| r.lines.iter().map(|l| l.amount).collect())
            .unwrap_or_default();
        let issues = loaded.issues.iter().map(show).collect();
        (amounts, issues)
    }

    fn show(i: &Issue) -> String {
        format!("{} {}", i.at, i.code())
    }

    const HEAD: &str = "账号,户名,处理结果,";

    fn fen(n: i64) -> Option<Money> {
        Some(Money::from_fen(n))
    }

    #[test]
    fn the_header_names_the_unit() {
        for header in [
            "交易金额(分)",
            "交易金额（分）",
            "金额[分]",
            "金额 单位：分",
            "amount (fen)",
        ] {
            let csv = format!("{HEAD}{header}\n6228480402564890018,张三,成功,62000\n");
            assert_eq!(bank(&csv, None), (vec![fen(62000)], vec![]), "{header}");
        }
        let csv = format!("{HEAD}金额(元)\n6228480402564890018,张三,成功,620\n");
        assert_eq!(bank(&csv, None), (vec![fen(62000)], vec![]));
    }

    #[test]
    fn a_title_row_names_the_unit() {
        let csv = format!("代发回盘,单位：分\n{HEAD}金额\n6228480402564890018,张三,成功,62000\n");
        assert_eq!(bank(&csv, None), (vec![fen(62000)], vec![]));
    }

    #[test]
    fn a_cell_names_its_own_unit() {
        let csv = format!(
            "{HEAD}金额\n6228480402564890018,张三,成功,62000分\n6228480402564890026,李四,成功,330.00元\n"
        );
        assert_eq!(bank(&csv, None), (vec![fen(62000), fen(33000)], vec![]));
        // Agreeing with the header is fine; contradicting it is not.
        let csv = format!(
            "{HEAD}金额(分)\n6228480402564890018,张三,成功,62000分\n6228480402564890026,李四,成功,330元\n"
        );
        assert_eq!(
            bank(&csv, None),
            (
                vec![fen(62000), None],
                vec!["b.csv!D3 (金额(分)) AMOUNT_UNIT_CONFLICT".to_string()]
            )
        );
    }

    #[test]
    fn the_profile_names_the_unit_and_must_agree() {
        let fen_profile = Profile {
            amount_unit: Some(AmountUnit::Fen),
            ..Profile::default()
        };
        let csv = format!("{HEAD}金额\n6228480402564890018,张三,成功,62000\n");
        assert_eq!(bank(&csv, Some(&fen_profile)), (vec![fen(62000)], vec![]));
        let csv = format!("{HEAD}金额\n6228480402564890018,张三,成功,330元\n");
        assert_eq!(
            bank(&csv, Some(&fen_profile)).1,
            ["b.csv!D2 (金额) AMOUNT_UNIT_CONFLICT"]
        );
        let yuan_profile = Profile {
            amount_unit: Some(AmountUnit::Yuan),
            ..Profile::default()
        };
        let csv = format!("{HEAD}交易金额(分)\n6228480402564890018,张三,成功,62000\n");
        assert_eq!(
            bank(&csv, Some(&yuan_profile)),
            (
                vec![None],
                vec![
                    "b.csv!D1 (交易金额(分)) UNIT_CONFLICT".to_string(),
                    "b.csv!D2 (交易金额(分)) AMOUNT_UNIT_UNKNOWN".to_string()
                ]
            )
        );
    }

    #[test]
    fn units_that_are_not_yuan_or_fen_leave_the_money_unknown() {
        let csv = format!("{HEAD}金额(万元)\n6228480402564890018,张三,成功,0.062\n");
        assert_eq!(
            bank(&csv, None).1,
            [
                "b.csv!D1 (金额(万元)) UNIT_UNKNOWN",
                "b.csv!D2 (金额(万元)) AMOUNT_UNIT_UNKNOWN"
            ]
        );
        let csv = format!("单位：元\n{HEAD}金额(分)\n6228480402564890018,张三,成功,62000\n");
        assert_eq!(
            bank(&csv, None).1,
            [
                "b.csv!D2 (金额(分)) UNIT_CONFLICT",
                "b.csv!D3 (金额(分)) AMOUNT_UNIT_UNKNOWN"
            ]
        );
    }

    #[test]
    fn spaces_inside_and_amounts_above_the_bound() {
        let csv = format!(
            "{HEAD}金额\n6228480402564890018,张三,成功,620 00\n6228480402564890026,李四,成功,¥ 280.00\n6228480402564890034,王五,成功,16500.01\n6228480402564890042,赵六,成功,16500.00\n"
        );
        assert_eq!(
            bank(&csv, None),
            (
                vec![None, fen(28000), None, fen(1_650_000)],
                vec![
                    "b.csv!D2 (金额) AMOUNT_SPACE".to_string(),
                    "b.csv!D4 (金额) AMOUNT_ABOVE_LIMIT".to_string()
                ]
            )
        );
    }
}
