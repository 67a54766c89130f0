//! What each roster household was due in the month (SPEC §5.3, "Expected
//! amount"): from the payroll that was sent (`--payroll DIR`, its
//! `payroll.csv`, checked against the sha256 its `manifest.json` recorded),
//! or recomputed from roster and policy (no check-in holds).
//!
//! Invariant: one [`Due`] per household, in roster order; a household the
//! payroll does not list is inactive.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::ingest::profile::AmountUnit;
use crate::issue::{Issue, Problem, SourceRef};
use crate::model::date::Month;
use crate::model::money::{self, Money};
use crate::model::policy::Policy;
use crate::model::roster::Household;
use crate::payroll::Hold;
use crate::payroll::carry::OwnCsv;
use crate::payroll::entitlement::{Standing, amounts, standing};

/// A household's standing in the month, with its expected amount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Due {
    Due(Money),
    Held(Hold),
    Inactive,
}

/// Recomputes the month from roster and policy.
pub fn from_policy(households: &[&Household], month: Month, policy: &Policy) -> Vec<Due> {
    households
        .iter()
        .map(|h| match standing(h, month, false) {
            Standing::Due => Due::Due(amounts(policy, h).total()),
            Standing::Held(hold) => Due::Held(hold),
            Standing::Inactive => Due::Inactive,
        })
        .collect()
}

/// The payroll read from `--payroll DIR`.
pub struct FromPayroll {
    pub dues: Vec<Due>,
    pub csv: PathBuf,
    /// Lines read.
    pub rows: u64,
}

/// Reads `DIR/payroll.csv` (which must be for `month`), checks it against
/// `DIR/manifest.json` when there is one, and gives each household its
/// standing there. Problems (an edited payroll, a household the roster does
/// not have) go to `issues`.
///
/// # Errors
/// [`Error::Io`] / [`Error::Csv`] when a file cannot be read;
/// [`Error::Config`] (with the line) when it is not a payroll of `month`.
pub fn from_payroll(
    dir: &Path,
    month: Month,
    households: &[&Household],
    issues: &mut Vec<Issue>,
) -> Result<FromPayroll, Error> {
    let path = dir.join("payroll.csv");
    check_manifest(dir, &path, issues)?;
    let mut own = OwnCsv::open(&path, "a payroll")?;
    let csv_err = |e: csv::Error| Error::Csv {
        path: path.clone(),
        source: e,
    };
    let (c_month, c_hid, c_total, c_status, c_hold) = (
        own.col("month")?,
        own.col("household_id")?,
        own.col("total")?,
        own.col("status")?,
        own.col("hold")?,
    );
    let index: HashMap<&str, usize> = households
        .iter()
        .enumerate()
        .map(|(i, h)| (h.household_id.as_str(), i))
        .collect();
    let mut dues = vec![Due::Inactive; households.len()];
    let display: std::sync::Arc<str> = path.display().to_string().into();
    let mut rows = 0;
    for (i, record) in own.records().enumerate() {
        let record = record.map_err(csv_err)?;
        let line = i + 2;
        rows += 1;
        let bad = |message: String| Error::Config {
            file: path.display().to_string(),
            line,
            message,
        };
        let get = |c: usize| record.get(c).unwrap_or("").trim();
        let m: Month = get(c_month).parse().map_err(bad)?;
        if m != month {
            return Err(bad(format!(
                "this payroll is for {m}, not {month}: pass the payroll of the month reconciled"
            )));
        }
        let hid = get(c_hid);
        let Some(&k) = index.get(hid) else {
            issues.push(Issue::new(
                SourceRef {
                    row: Some(line as u32),
                    ..SourceRef::file(display.clone())
                },
                Problem::PayrollUnknownHousehold {
                    household: hid.to_string(),
                },
            ));
            continue;
        };
        dues[k] = match get(c_status) {
            "DUE" => {
                let total = get(c_total);
                let amount = money::parse(total, AmountUnit::Yuan)
                    .map_err(|_| bad(format!("total {total:?} is not an amount")))?;
                Due::Due(amount)
            }
            "HELD" => match get(c_hold) {
                "CHECKIN" => Due::Held(Hold::Checkin),
                _ => Due::Held(Hold::Roster),
            },
            // INACTIVE, and EXCLUDED (left out by --allow-partial): nothing
            // was sent, so nothing was due.
            "INACTIVE" | "EXCLUDED" => Due::Inactive,
            other => return Err(bad(format!("status {other:?} is not a payroll status"))),
        };
    }
    Ok(FromPayroll {
        dues,
        csv: path,
        rows,
    })
}

/// A payroll.csv whose sha256 differs from the one its manifest recorded was
/// edited after it was made: an error.
fn check_manifest(dir: &Path, csv: &Path, issues: &mut Vec<Issue>) -> Result<(), Error> {
    let manifest = dir.join("manifest.json");
    if !manifest.exists() {
        return Ok(());
    }
    let value = crate::report::manifest::read(&manifest)?;
    let recorded = crate::report::manifest::recorded_sha(&value, "outputs", "path", "payroll.csv");
    let Some(recorded) = recorded else {
        return Ok(());
    };
    let actual = crate::report::manifest::sha256(csv)?;
    if actual != recorded {
        issues.push(Issue::new(
            SourceRef::file(csv.display().to_string().into()),
            Problem::PayrollEdited {
                recorded: recorded.to_string(),
                actual,
            },
        ));
    }
    Ok(())
}
