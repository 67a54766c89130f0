//! Building the month's [`Payroll`] from the roster, the policy, what last
//! month carries in, and the adjustments (SPEC §3, §4 `payroll`).
//!
//! Rules, in order: every roster row gets one payroll row (a row with
//! errors is `EXCLUDED`, its error codes in `note`); a valid household's
//! standing follows [`entitlement::standing`]; a due household gets its
//! computed amounts, the re-issues and top-ups it is owed (each household
//! and month owed for at most once: one already in an earlier payroll is
//! skipped with a message) and its adjustments; a household that is not due
//! has what it is owed listed (待补发), not paid (in a workspace it stays
//! owed: the next month finds it again in its ledger), and its adjustments
//! listed as not applied. An adjustment for a household
//! not on the roster, or one that leaves a due household's total at zero or
//! below, is an error.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use super::carry::Previous;
use super::entitlement::{self, Hold, Standing};
use super::{NotApplied, Owed, Payroll, PayrollRow, Recover, RowStatus};
use crate::issue::{Issue, Problem};
use crate::model::adjustment::Adjustment;
use crate::model::date::Month;
use crate::model::money::Money;
use crate::model::policy::Policy;
use crate::model::roster::{Household, RosterRow};
use compact_str::CompactString;

/// What a payroll is built from.
pub struct Inputs<'a> {
    pub month: Month,
    pub policy: &'a Policy,
    pub previous: Option<&'a Previous>,
    /// Re-issues already paid by earlier payrolls.
    pub paid: &'a BTreeMap<(String, Month), PathBuf>,
    /// In a workspace: what the ledgers before the previous one owe (paid
    /// ones are dropped without a word: being paid is their normal end).
    pub earlier: &'a [super::carry::Carried],
    pub adjustments: &'a [Adjustment],
}

fn blank_row(household_id: CompactString, name: CompactString, status: RowStatus) -> PayrollRow {
    PayrollRow {
        household_id,
        name,
        id_number: CompactString::default(),
        account: CompactString::default(),
        bank: CompactString::default(),
        account_name: CompactString::default(),
        community: CompactString::default(),
        street: CompactString::default(),
        members: 0,
        status,
        hold: None,
        base: Money::ZERO,
        subsidies: Vec::new(),
        addons: Money::ZERO,
        reissue: Money::ZERO,
        reissue_for: Vec::new(),
        adjustment: Money::ZERO,
        total: Money::ZERO,
        note: String::new(),
    }
}

/// A household's payroll row; its strings are moved, not copied (a
/// million-household roster is not held twice).
fn household_row(h: Household, policy: &Policy, status: RowStatus) -> PayrollRow {
    PayrollRow {
        id_number: h.id_number.as_str().into(),
        account: h.account.as_str().into(),
        bank: h
            .bank
            .unwrap_or_else(|| policy.default_bank.as_str().into()),
        account_name: h.account_name.unwrap_or_else(|| h.name.clone()),
        community: h.community.unwrap_or_default(),
        street: h.street.unwrap_or_default(),
        members: h.members,
        ..blank_row(h.household_id, h.name, status)
    }
}

/// Builds the payroll from the roster's rows (consumed). Problems
/// (warnings, and errors that must stop the run) are returned beside it.
pub fn build(inputs: &Inputs<'_>, roster: Vec<RosterRow>) -> (Payroll, Vec<Issue>) {
    let policy = inputs.policy;
    let mut issues = Vec::new();
    let holds: BTreeSet<&str> = inputs
        .previous
        .map(|p| p.checkin_holds.iter().map(String::as_str).collect())
        .unwrap_or_default();
    // What each household is owed from earlier months, once each.
    let mut owed_by: BTreeMap<&str, Vec<&super::carry::Carried>> = BTreeMap::new();
    let mut seen: BTreeSet<(&str, Month)> = BTreeSet::new();
    for c in inputs.earlier {
        if !inputs
            .paid
            .contains_key(&(c.household_id.clone(), c.for_month))
            && seen.insert((&c.household_id, c.for_month))
        {
            owed_by.entry(&c.household_id).or_default().push(c);
        }
    }
    for c in inputs
        .previous
        .map(|p| p.owed.as_slice())
        .unwrap_or_default()
    {
        if let Some(file) = inputs.paid.get(&(c.household_id.clone(), c.for_month)) {
            let problem = Problem::ReissueAlreadyPaid {
                household: c.household_id.clone(),
                month: c.for_month.to_string(),
                file: file.display().to_string(),
            };
            issues.push(Issue::new(c.at.clone(), problem));
            continue;
        }
        if seen.insert((&c.household_id, c.for_month)) {
            owed_by.entry(&c.household_id).or_default().push(c);
        }
    }

    let mut rows = Vec::with_capacity(roster.len());
    // The roster row of each payroll row (for the problems found below).
    let mut ats: Vec<Option<crate::issue::SourceRef>> = Vec::with_capacity(roster.len());
    let mut owed = Vec::new();
    for roster_row in roster {
        let h = match roster_row {
            RosterRow::Rejected(r) => {
                let mut row = blank_row(
                    r.household_id.unwrap_or_default().into(),
                    r.name.unwrap_or_default().into(),
                    RowStatus::Excluded,
                );
                row.note = r.codes.join(";");
                rows.push(row);
                ats.push(None);
                continue;
            }
            RosterRow::Valid(h) => h,
        };
        let standing =
            entitlement::standing(&h, inputs.month, holds.contains(h.household_id.as_str()));
        let carried = owed_by.remove(h.household_id.as_str()).unwrap_or_default();
        ats.push(Some(h.at.clone()));
        let row = match standing {
            Standing::Due => {
                let amounts = entitlement::amounts(policy, &h);
                if entitlement::above_standard(policy, &h) {
                    let problem = Problem::ApprovedAboveStandard {
                        amount: amounts.base.to_string(),
                        standard: policy.standard_base(h.members).to_string(),
                    };
                    issues.push(Issue::new(h.at.clone(), problem));
                }
                // A bank line of 0.00 is refused by banks and pays nobody:
                // the roster or the policy is wrong.
                if amounts.total() <= Money::ZERO {
                    let problem = Problem::NothingToPay {
                        total: amounts.total().to_string(),
                    };
                    issues.push(Issue::new(h.at.clone(), problem));
                }
                let mut row = household_row(h, policy, RowStatus::Due);
                row.base = amounts.base;
                row.addons = amounts.addons_total();
                row.subsidies = amounts.subsidies;
                let mut notes = Vec::new();
                for c in carried {
                    row.reissue += c.amount;
                    row.reissue_for.push(c.for_month);
                    notes.push(format!("{} {} {}", c.action, c.for_month, c.amount));
                }
                row.note = notes.join("; ");
                row
            }
            Standing::Held(_) | Standing::Inactive => {
                let status = if matches!(standing, Standing::Inactive) {
                    RowStatus::Inactive
                } else {
                    RowStatus::Held
                };
                let mut row = household_row(h, policy, status);
                if let Standing::Held(hold) = standing {
                    row.hold = Some(hold);
                    row.note = match hold {
                        Hold::Roster => "HOLD ROSTER".to_string(),
                        Hold::Checkin => "HOLD CHECKIN".to_string(),
                    };
                }
                for c in carried {
                    owed.push(Owed {
                        household_id: row.household_id.to_string(),
                        name: row.name.to_string(),
                        for_month: c.for_month,
                        amount: c.amount,
                        action: c.action,
                    });
                    let problem = Problem::OwedNotDue {
                        household: row.household_id.to_string(),
                        month: c.for_month.to_string(),
                        amount: c.amount.to_string(),
                    };
                    issues.push(Issue::new(c.at.clone(), problem));
                }
                row
            }
        };
        rows.push(row);
    }

    // Owed to a household that is no longer on the roster, or whose row has
    // errors (EXCLUDED): listed, never dropped.
    for (hid, carried) in owed_by {
        for c in carried {
            owed.push(Owed {
                household_id: hid.to_string(),
                name: String::new(),
                for_month: c.for_month,
                amount: c.amount,
                action: c.action,
            });
            let problem = Problem::OwedNotDue {
                household: hid.to_string(),
                month: c.for_month.to_string(),
                amount: c.amount.to_string(),
            };
            issues.push(Issue::new(c.at.clone(), problem));
        }
    }

    // Adjustments: summed into the due households; listed for the others.
    let index: BTreeMap<&str, usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.household_id.is_empty())
        .map(|(i, r)| (r.household_id.as_str(), i))
        .collect();
    let mut not_applied = Vec::new();
    let mut adjusted: BTreeMap<usize, &Adjustment> = BTreeMap::new();
    let mut updates: Vec<(usize, &Adjustment)> = Vec::new();
    for adj in inputs.adjustments {
        match index.get(adj.household_id.as_str()) {
            None => issues.push(Issue::new(
                adj.at.clone(),
                Problem::AdjustmentUnknownHousehold {
                    household: adj.household_id.clone(),
                },
            )),
            Some(&i) if rows[i].status == RowStatus::Due => updates.push((i, adj)),
            Some(_) => {
                not_applied.push(NotApplied {
                    household_id: adj.household_id.clone(),
                    amount: adj.amount,
                    reason: adj.reason.clone(),
                });
                issues.push(Issue::new(
                    adj.at.clone(),
                    Problem::AdjustmentNotApplied {
                        household: adj.household_id.clone(),
                    },
                ));
            }
        }
    }
    for (i, adj) in updates {
        let row = &mut rows[i];
        // A re-issue carried by itself and an added 补发 line may be the
        // same money twice: the officer is asked to look.
        if row.reissue > Money::ZERO && adj.amount > Money::ZERO {
            issues.push(Issue::new(
                adj.at.clone(),
                Problem::AdjustmentBesideReissue {
                    household: adj.household_id.clone(),
                    reissue: row.reissue.to_string(),
                    months: row
                        .reissue_for
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("、"),
                },
            ));
        }
        row.adjustment += adj.amount;
        let sign = if adj.amount.is_negative() { "" } else { "+" };
        let note = format!("ADJUST {sign}{} {}", adj.amount, adj.reason)
            .trim_end()
            .to_string();
        row.note = if row.note.is_empty() {
            note
        } else {
            format!("{}; {note}", row.note)
        };
        adjusted.entry(i).or_insert(adj);
    }
    for row in rows.iter_mut().filter(|r| r.status == RowStatus::Due) {
        row.total = row.base + row.subsidies_total() + row.addons + row.reissue + row.adjustment;
    }
    // No household is paid more than the bound in a month: above it is a
    // typing slip or fen read as yuan somewhere, and nothing is paid.
    for (row, at) in rows.iter().zip(&ats) {
        if row.status == RowStatus::Due
            && row.total > policy.max_household_total
            && let Some(at) = at
        {
            issues.push(Issue::new(
                at.clone(),
                Problem::TotalAboveLimit {
                    household: row.household_id.to_string(),
                    total: row.total.to_string(),
                    limit: policy.max_household_total.to_string(),
                },
            ));
        }
    }
    for (i, adj) in adjusted {
        if rows[i].total <= Money::ZERO {
            issues.push(Issue::new(
                adj.at.clone(),
                Problem::AdjustmentNotPositive {
                    household: rows[i].household_id.to_string(),
                    total: rows[i].total.to_string(),
                },
            ));
        }
    }

    let names: BTreeMap<&str, &str> = rows
        .iter()
        .map(|r| (r.household_id.as_str(), r.name.as_str()))
        .collect();
    let recover = inputs
        .previous
        .map(|p| {
            p.recover
                .iter()
                .map(|r| Recover {
                    household_id: r.household_id.clone(),
                    // A payment to no household is named by its account.
                    name: if r.household_id.is_empty() {
                        r.account.clone()
                    } else {
                        names
                            .get(r.household_id.as_str())
                            .map(|n| n.to_string())
                            .unwrap_or_default()
                    },
                    for_month: r.for_month,
                    amount: r.amount,
                })
                .collect()
        })
        .unwrap_or_default();
    let payroll = Payroll {
        month: inputs.month,
        policy: policy.clone(),
        rows,
        owed,
        recover,
        not_applied,
        previous_due: inputs.previous.map(|p| p.due.clone()),
    };
    (payroll, issues)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::SourceRef;
    use crate::model::roster::RosterStatus;
    use crate::payroll::carry::Carried;

    fn month(y: i32, m: u32) -> Month {
        Month::new(y, m).unwrap_or_else(|| unreachable!("a valid test month"))
    }

    fn household(id: &str, members: u32, status: RosterStatus) -> RosterRow {
        RosterRow::Valid(Household::sample(id, members, status))
    }

    fn owed(id: &str, m: Month, fen: i64, action: &'static str) -> Carried {
        Carried {
            at: SourceRef::file("ledger.csv".into()),
            household_id: id.into(),
            for_month: m,
            amount: Money::from_fen(fen),
            action,
        }
    }

    fn adjustment(id: &str, fen: i64) -> Adjustment {
        Adjustment {
            at: SourceRef::file("adj.csv".into()),
            household_id: id.into(),
            amount: Money::from_fen(fen),
            reason: String::new(),
        }
    }

    #[test]
    fn carried_amounts_once_each_and_listed_when_not_due() {
        let nov = month(2026, 11);
        let previous = Previous {
            checkin_holds: ["H2".to_string()].into_iter().collect(),
            owed: vec![
                owed("H1", month(2026, 10), 33_000, "REISSUE"),
                owed("H1", month(2026, 10), 33_000, "REISSUE"),
                owed("H1", month(2026, 9), 2_000, "TOP_UP"),
                owed("H2", month(2026, 10), 62_000, "REISSUE"),
            ],
            ..Previous::default()
        };
        let paid = BTreeMap::new();
        let policy = Policy::default();
        let inputs = Inputs {
            month: nov,
            policy: &policy,
            previous: Some(&previous),
            paid: &paid,
            earlier: &[],
            adjustments: &[adjustment("H1", 1_000), adjustment("H1", -500)],
        };
        let roster = vec![
            household("H1", 1, RosterStatus::Active),
            household("H2", 2, RosterStatus::PhasingOut),
        ];
        let (payroll, issues) = build(&inputs, roster);
        let h1 = &payroll.rows[0];
        assert_eq!(
            (h1.status, h1.reissue, h1.adjustment),
            (
                RowStatus::Due,
                Money::from_fen(35_000),
                Money::from_fen(500)
            )
        );
        assert_eq!(
            h1.reissue_for,
            vec![month(2026, 10), month(2026, 9)],
            "October once"
        );
        assert_eq!(h1.total, Money::from_fen(33_000 + 35_000 + 500));
        let h2 = &payroll.rows[1];
        assert_eq!(
            (h2.status, h2.hold, h2.total),
            (RowStatus::Held, Some(Hold::Checkin), Money::ZERO)
        );
        assert_eq!(payroll.owed.len(), 1);
        assert_eq!(payroll.owed[0].amount, Money::from_fen(62_000));
        // The +10.00 line beside H1's re-issues is asked about.
        assert_eq!(
            issues.iter().map(Issue::code).collect::<Vec<_>>(),
            ["OWED_NOT_DUE", "ADJUSTMENT_BESIDE_REISSUE"]
        );
        assert_eq!(payroll.total(), Money::from_fen(68_500));
    }

    #[test]
    fn a_total_above_the_bound_is_an_error() {
        let policy = Policy {
            max_household_total: Money::from_fen(100_000),
            ..Policy::default()
        };
        let paid = BTreeMap::new();
        let previous = Previous {
            owed: vec![owed("H1", month(2026, 10), 70_000, "REISSUE")],
            ..Previous::default()
        };
        let inputs = Inputs {
            month: month(2026, 11),
            policy: &policy,
            previous: Some(&previous),
            paid: &paid,
            earlier: &[],
            adjustments: &[],
        };
        let roster = vec![
            household("H1", 1, RosterStatus::Active),
            household("H2", 1, RosterStatus::Active),
        ];
        let (payroll, issues) = build(&inputs, roster);
        assert_eq!(payroll.rows[0].total, Money::from_fen(103_000));
        assert_eq!(
            issues.iter().map(Issue::code).collect::<Vec<_>>(),
            ["TOTAL_ABOVE_LIMIT"]
        );
        assert_eq!(issues[0].severity, crate::issue::Severity::Error);
        assert_eq!(
            issues[0].problem.message(crate::issue::Lang::En),
            "\"H1\"'s total for the month, 1030.00, is above 1000.00, the most one household is paid in a month"
        );
    }

    #[test]
    fn a_due_household_with_nothing_to_pay_is_an_error() {
        let policy = Policy {
            subsidies: Vec::new(),
            ..Policy::default()
        };
        let paid = BTreeMap::new();
        let inputs = Inputs {
            month: month(2026, 11),
            policy: &policy,
            previous: None,
            paid: &paid,
            earlier: &[],
            adjustments: &[],
        };
        let mut zero = household("H1", 1, RosterStatus::Active);
        if let RosterRow::Valid(h) = &mut zero {
            h.approved_amount = Some(Money::ZERO);
        }
        let (payroll, issues) = build(&inputs, vec![zero]);
        assert_eq!(payroll.rows[0].total, Money::ZERO);
        assert_eq!(
            issues.iter().map(Issue::code).collect::<Vec<_>>(),
            ["NOTHING_TO_PAY"]
        );
        assert_eq!(issues[0].severity, crate::issue::Severity::Error);
    }
}
