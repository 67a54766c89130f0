//! Check-ins (SPEC §5.3, "Check-ins"): each household's check-in status in
//! the month and the run of missed months behind it.
//!
//! A record belongs to the month in its `month` column, else its date's
//! month. Within a month a record counts as, best first: `ON_TIME` (a stamp
//! inside the window), `HOME_VISIT` (a home-visit record, whatever its
//! date), `LATE` (a stamp after the window, or at most `grace_days` after
//! the month's end), `EARLY` (a stamp in the month before the window),
//! `EXCUSED`; within one kind the first in file order. A stamp dated before
//! its month, or after its month's end plus the grace days, counts for
//! nothing and is a problem; so is a record whose household number and ID
//! match no roster household.
//!
//! The record → household join (household number, else head's ID) and the
//! best record per household and month (one `min` over `rank << 32 | index`)
//! are polars operations.
//!
//! When the files hold no record at all for the month (no `--checkins`, or
//! files of other months), nobody's check-in can be judged: the status is
//! still `MISSED` (nothing counts), but no action follows from it, and a
//! warning says why — a missing file must not suspend a whole community.
//!
//! Invariant: `NOT_DUE` households (inactive, held by the roster) get no
//! status from records; theirs are ignored.

use std::collections::BTreeSet;

use chrono::Days;
use polars::prelude::*;

use super::Checkin;
use super::matching::{left_unique, roster_keys};
use crate::issue::{Issue, Problem, SourceRef};
use crate::model::checkin::{CheckIn, Record};
use crate::model::date::Month;
use crate::model::money::Money;
use crate::model::policy::Policy;
use crate::model::roster::Household;
use crate::payroll::entitlement::{Standing, standing};

/// What a record counts as for its own month, or why it counts for nothing.
fn rank(record: &CheckIn, policy: &Policy) -> Result<Checkin, Problem> {
    let m = record.month;
    let (from, to) = policy.window;
    match record.record {
        Record::HomeVisit(_) => Ok(Checkin::HomeVisit),
        Record::Excuse => Ok(Checkin::Excused),
        Record::Stamp(date, _) => {
            let last = m
                .last_day()
                .checked_add_days(Days::new(u64::from(policy.grace_days)))
                .unwrap_or(m.last_day());
            if date < m.first_day() {
                Err(Problem::CheckinBeforeMonth {
                    date: date.to_string(),
                    month: m.to_string(),
                })
            } else if date > last {
                Err(Problem::CheckinTooLate {
                    date: date.to_string(),
                    month: m.to_string(),
                    last: last.to_string(),
                })
            } else if date > m.day(to) {
                Ok(Checkin::Late)
            } else if date < m.day(from) {
                Ok(Checkin::Early)
            } else {
                Ok(Checkin::OnTime)
            }
        }
    }
}

/// A household's check-in in the month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub status: Checkin,
    /// The record that counts (index into the records), if any.
    pub best: Option<u32>,
    /// What the record that counts says arrived (领取金额).
    pub reported: Option<Money>,
    /// The family change it reports, if any.
    pub changes: Option<Box<str>>,
    /// `MISSED`, and also missed each of the `suspend_after_missed − 1`
    /// months before (SPEC §5.3): meaningful for a due household only.
    pub missed_run: bool,
    /// The check-in files hold records for the month: a miss is a miss.
    /// Without any, nobody's check-in is judged (no action follows).
    pub judged: bool,
}

/// The check-ins of `households` in `month`; `evaluated[k]`: household `k`
/// gets a check-in status (due, or under a check-in hold); the others are
/// `NOT_DUE`. Problems go to `issues`.
///
/// # Errors
/// A polars error: a bug.
pub fn evaluate(
    households: &[&Household],
    evaluated: &[bool],
    records: &[CheckIn],
    month: Month,
    policy: &Policy,
    issues: &mut Vec<Issue>,
) -> PolarsResult<Vec<Outcome>> {
    // Months the files hold any record for: a month without any does not
    // count as missed (its check-ins were not given).
    let months_given: BTreeSet<Month> = records.iter().map(|r| r.month).collect();
    let judged = months_given.contains(&month);
    // A run of misses needs records in each of the months before: one
    // longer than the months the files hold cannot be established (and
    // is not looked for: `suspend_after_missed` may be any number).
    let wanted = policy.suspend_after_missed.saturating_sub(1) as usize;
    let run_possible = wanted <= months_given.len();
    let lookback = if run_possible { wanted } else { 0 };
    let earliest = (0..lookback).fold(month, |m, _| m.prev());
    if !judged && evaluated.iter().any(|&e| e) {
        issues.push(Issue::new(
            SourceRef::file("--checkins".into()),
            Problem::CheckinsNotGiven {
                month: month.to_string(),
            },
        ));
    }

    let mut ranks: Vec<Option<u64>> = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let in_range = earliest <= r.month && r.month <= month;
        ranks.push(match rank(r, policy) {
            Ok(c) if in_range => Some(((c as u64) << 32) | i as u64),
            Ok(_) => None,
            Err(p) => {
                if r.month == month {
                    issues.push(Issue::new(r.at.clone(), p));
                }
                None
            }
        });
    }

    // Records → households: household number first, else the head's ID.
    let roster = roster_keys(households)?;
    let rec: Vec<u32> = (0..records.len() as u32).collect();
    let recs = DataFrame::new(
        records.len(),
        vec![
            Column::new("rec".into(), rec),
            Column::new(
                "r_hid".into(),
                records
                    .iter()
                    .map(|r| r.household_id.as_deref())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "r_id".into(),
                records
                    .iter()
                    .map(|r| r.id_number.as_ref().map(|i| i.key()))
                    .collect::<Vec<Option<u64>>>(),
            ),
            Column::new(
                "month".into(),
                records.iter().map(|r| r.month.index()).collect::<Vec<_>>(),
            ),
            Column::new("key".into(), ranks),
        ],
    )?;
    let joined = recs
        .lazy()
        .join(
            roster
                .clone()
                .lazy()
                .select([col("hh").alias("by_hid"), col("hid")]),
            [col("r_hid")],
            [col("hid")],
            left_unique(),
        )
        .join(
            roster
                .lazy()
                .select([col("hh").alias("by_id"), col("h_id")]),
            [col("r_id")],
            [col("h_id")],
            left_unique(),
        )
        .with_column(coalesce(&[col("by_hid"), col("by_id")]).alias("hh"))
        .select([col("rec"), col("hh"), col("month"), col("key")])
        .collect()?;
    // Best record per household and month.
    let best = joined
        .clone()
        .lazy()
        .filter(col("hh").is_not_null().and(col("key").is_not_null()))
        .group_by([col("hh"), col("month")])
        .agg([col("key").min()])
        .collect()?;

    // Unknown households, for the month reconciled.
    let hh_of: Vec<Option<u32>> = joined.column("hh")?.u32()?.iter().collect();
    for (r, hh) in records.iter().zip(&hh_of) {
        if hh.is_none() && r.month == month {
            let key = r
                .household_id
                .clone()
                .or_else(|| r.id_number.as_ref().map(|i| i.as_str().to_string()))
                .unwrap_or_default();
            issues.push(Issue::new(
                r.at.clone(),
                Problem::CheckinUnknownHousehold { key },
            ));
        }
    }

    let width = lookback + 1;
    // best_of[k * width + back]: the best key of household k, `back` months before `month`.
    let mut best_of: Vec<Option<u64>> = vec![None; households.len() * width];
    let (hhs, months, keys) = (
        best.column("hh")?.u32()?,
        best.column("month")?.i32()?,
        best.column("key")?.u64()?,
    );
    for ((hh, m), key) in hhs.iter().zip(months.iter()).zip(keys.iter()) {
        if let (Some(hh), Some(m), Some(key)) = (hh, m, key) {
            let back = (month.index() - m) as usize;
            if back < width {
                best_of[hh as usize * width + back] = Some(key);
            }
        }
    }

    let status_of = |key: Option<u64>| match key.map(|k| k >> 32) {
        Some(0) => Checkin::OnTime,
        Some(1) => Checkin::HomeVisit,
        Some(2) => Checkin::Late,
        Some(3) => Checkin::Early,
        Some(4) => Checkin::Excused,
        _ => Checkin::Missed,
    };
    let mut out = Vec::with_capacity(households.len());
    for (k, h) in households.iter().enumerate() {
        if !evaluated.get(k).copied().unwrap_or(false) {
            out.push(Outcome {
                status: Checkin::NotDue,
                best: None,
                reported: None,
                changes: None,
                missed_run: false,
                judged,
            });
            continue;
        }
        let key = best_of[k * width];
        let status = status_of(key);
        let mut p = month;
        let missed_run = judged
            && run_possible
            && status == Checkin::Missed
            && (1..width).all(|back| {
                p = p.prev();
                months_given.contains(&p)
                    && standing(h, p, false) == Standing::Due
                    && status_of(best_of[k * width + back]) == Checkin::Missed
            });
        let best = key.map(|k| (k & 0xffff_ffff) as u32);
        let record = best.and_then(|b| records.get(b as usize));
        out.push(Outcome {
            status,
            best,
            reported: record.and_then(|r| r.reported_amount),
            changes: record.and_then(|r| r.changes.as_deref().map(Box::from)),
            missed_run,
            judged,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::model::checkin::Method;

    fn record(month: (i32, u32), record: Record) -> CheckIn {
        CheckIn {
            at: SourceRef::file("c.csv".into()),
            household_id: Some("A1".into()),
            id_number: None,
            record,
            month: Month::new(month.0, month.1).unwrap(),
            reported_amount: None,
            changes: None,
            excuse: None,
            handler: None,
        }
    }

    fn stamp(month: (i32, u32), y: i32, m: u32, d: u32) -> CheckIn {
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        record(month, Record::Stamp(date, Method::InPerson))
    }

    #[test]
    fn a_stamp_counts_by_its_date_against_the_window_and_the_grace_days() {
        let policy = Policy {
            grace_days: 2,
            ..Policy::default()
        };
        let nov = (2026, 11);
        assert_eq!(
            rank(&stamp(nov, 2026, 11, 25), &policy),
            Ok(Checkin::OnTime)
        );
        assert_eq!(
            rank(&stamp(nov, 2026, 11, 28), &policy),
            Ok(Checkin::OnTime)
        );
        assert_eq!(rank(&stamp(nov, 2026, 11, 24), &policy), Ok(Checkin::Early));
        assert_eq!(rank(&stamp(nov, 2026, 11, 29), &policy), Ok(Checkin::Late));
        assert_eq!(rank(&stamp(nov, 2026, 12, 2), &policy), Ok(Checkin::Late));
        assert!(matches!(
            rank(&stamp(nov, 2026, 12, 3), &policy),
            Err(Problem::CheckinTooLate { .. })
        ));
        assert!(matches!(
            rank(&stamp(nov, 2026, 10, 31), &policy),
            Err(Problem::CheckinBeforeMonth { .. })
        ));
        // A home visit counts for its month whatever its date.
        let visit = record(
            nov,
            Record::HomeVisit(NaiveDate::from_ymd_opt(2026, 12, 20).unwrap()),
        );
        assert_eq!(rank(&visit, &policy), Ok(Checkin::HomeVisit));
        assert_eq!(
            rank(&record(nov, Record::Excuse), &policy),
            Ok(Checkin::Excused)
        );
    }

    #[test]
    fn the_best_record_counts_and_misses_run_back_over_given_months() {
        let policy = Policy {
            suspend_after_missed: 3,
            ..Policy::default()
        };
        let h = crate::model::roster::Household::sample(
            "A1",
            1,
            crate::model::roster::RosterStatus::Active,
        );
        let nov = Month::new(2026, 11).unwrap();
        let mut issues = Vec::new();
        // Early, then on time: on time counts (the better kind, not the first).
        let records = [
            stamp((2026, 11), 2026, 11, 3),
            stamp((2026, 11), 2026, 11, 26),
        ];
        let out = evaluate(&[&h], &[true], &records, nov, &policy, &mut issues).unwrap();
        assert_eq!(out[0].status, Checkin::OnTime);
        assert_eq!(out[0].best, Some(1));
        // Missed in November and October; the files hold September,
        // October and November records of someone else only: three misses
        // in a row.
        let someone_else = |month: (i32, u32), day: (i32, u32, u32)| {
            let mut r = stamp(month, day.0, day.1, day.2);
            r.household_id = Some("B2".into());
            r
        };
        let (sep, oct, nov_other) = (
            someone_else((2026, 9), (2026, 9, 26)),
            someone_else((2026, 10), (2026, 10, 26)),
            someone_else((2026, 11), (2026, 11, 26)),
        );
        let all = [sep, oct.clone(), nov_other.clone()];
        let one = &[&h];
        let out = evaluate(one, &[true], &all, nov, &policy, &mut issues).unwrap();
        assert_eq!(out[0].status, Checkin::Missed);
        assert!(out[0].missed_run && out[0].judged);
        // Without a September record the run is not established.
        let two = [oct, nov_other];
        let out = evaluate(one, &[true], &two, nov, &policy, &mut issues).unwrap();
        assert!(!out[0].missed_run && out[0].judged);
        // (B2 is on no roster here: its November stamp is a problem.)
        assert!(
            issues
                .iter()
                .all(|i| i.code() == "CHECKIN_UNKNOWN_HOUSEHOLD")
        );
        issues.clear();
        // Without any November record nothing is judged, and a warning says so.
        let out = evaluate(one, &[true], &all[..2], nov, &policy, &mut issues).unwrap();
        assert_eq!(out[0].status, Checkin::Missed);
        assert!(!out[0].missed_run && !out[0].judged);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].code(), "CHECKINS_NOT_GIVEN");
        // A household that is not evaluated is NOT_DUE whatever it has.
        let out = evaluate(&[&h], &[false], &records, nov, &policy, &mut issues).unwrap();
        assert_eq!(out[0].status, Checkin::NotDue);
    }

    #[test]
    fn a_run_longer_than_the_months_given_is_not_looked_for() {
        let policy = Policy {
            suspend_after_missed: 1_000_000,
            ..Policy::default()
        };
        let h = crate::model::roster::Household::sample(
            "A1",
            1,
            crate::model::roster::RosterStatus::Active,
        );
        let nov = Month::new(2026, 11).unwrap();
        let mut other = stamp((2026, 11), 2026, 11, 26);
        other.household_id = Some("B2".into());
        let mut issues = Vec::new();
        let out = evaluate(&[&h], &[true], &[other], nov, &policy, &mut issues).unwrap();
        assert_eq!(out[0].status, Checkin::Missed);
        assert!(out[0].judged && !out[0].missed_run);
    }
}
