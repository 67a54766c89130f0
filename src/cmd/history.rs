//! `dibao history`: what each household of a workspace was due, paid, held
//! and re-issued, month by month, from the months' `payroll.csv` and
//! `ledger.parquet` under `out/` (issue 5).
//!
//! One line per household and month, months in order, households in the
//! payroll's order (then any household only the ledger has); tab-separated
//! so that it pastes into a spreadsheet. Nothing is written.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use polars::prelude::*;

use crate::error::Error;
use crate::issue::Lang;
use crate::model::date::Month;
use crate::payroll::carry::OwnCsv;

/// What to show.
pub struct HistoryOptions {
    pub workspace: std::path::PathBuf,
    pub household: Option<String>,
    pub lang: Lang,
}

/// One household in one month.
#[derive(Default)]
struct Line {
    name: String,
    payroll: String,
    total: String,
    reissue: String,
    status: String,
    paid: String,
    checkin: String,
    actions: String,
}

/// Reads `payroll.csv` into `lines` (in file order).
fn read_payroll(path: &Path, lines: &mut Vec<(String, Line)>) -> Result<(), Error> {
    let mut own = OwnCsv::open(path, "a payroll")?;
    let cols = [
        "household_id",
        "name",
        "status",
        "hold",
        "total",
        "reissue",
        "reissue_for",
    ]
    .map(|c| own.col(c));
    let [hid, name, status, hold, total, reissue, reissue_for] = cols;
    let (hid, name, status, hold, total, reissue, reissue_for) =
        (hid?, name?, status?, hold?, total?, reissue?, reissue_for?);
    for record in own.records() {
        let record = record.map_err(|e| Error::Csv {
            path: path.to_path_buf(),
            source: e,
        })?;
        let get = |c: usize| record.get(c).unwrap_or("").to_string();
        let mut payroll = get(status);
        if !get(hold).is_empty() {
            payroll = format!("{payroll} {}", get(hold));
        }
        let reissued = if get(reissue_for).is_empty() {
            String::new()
        } else {
            format!("{} ({})", get(reissue), get(reissue_for))
        };
        lines.push((
            get(hid),
            Line {
                name: get(name),
                payroll,
                total: get(total),
                reissue: reissued,
                ..Line::default()
            },
        ));
    }
    Ok(())
}

/// Adds the household rows of `ledger.parquet` to `lines`.
fn read_ledger(path: &Path, lines: &mut Vec<(String, Line)>) -> Result<(), Error> {
    let table = |e: PolarsError| Error::Table(format!("{}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let df = ParquetReader::new(file).finish().map_err(table)?;
    let text = |name: &str| -> Result<Vec<String>, Error> {
        Ok(df
            .column(name)
            .and_then(|c| c.str().cloned())
            .map_err(table)?
            .iter()
            .map(|v| v.unwrap_or("").to_string())
            .collect())
    };
    let (hid, name, status, paid, checkin, actions) = (
        text("household_id")?,
        text("name")?,
        text("status")?,
        text("paid")?,
        text("checkin")?,
        text("actions")?,
    );
    let index: BTreeMap<String, usize> = lines
        .iter()
        .enumerate()
        .map(|(i, (h, _))| (h.clone(), i))
        .collect();
    for i in 0..df.height() {
        // Household rows have a check-in; extra bank rows do not.
        if checkin[i].is_empty() {
            continue;
        }
        let k = match index.get(&hid[i]) {
            Some(&k) => k,
            None => {
                lines.push((
                    hid[i].clone(),
                    Line {
                        name: name[i].clone(),
                        ..Line::default()
                    },
                ));
                lines.len() - 1
            }
        };
        let line = &mut lines[k].1;
        line.status = status[i].clone();
        line.paid = paid[i].clone();
        line.checkin = checkin[i].clone();
        line.actions = actions[i].clone();
    }
    Ok(())
}

/// Prints the history; returns the number of lines shown.
///
/// # Errors
/// [`Error::Io`] when `out/` cannot be read; errors of the files read.
pub fn run(opts: &HistoryOptions, out: &mut dyn Write) -> Result<u64, Error> {
    let root = opts.workspace.join("out");
    let entries = std::fs::read_dir(&root).map_err(|e| Error::io(&root, e))?;
    let mut months: Vec<Month> = entries
        .filter_map(|e| crate::payroll::carry::month_folder(e.ok()?.file_name().to_str()?))
        .collect();
    months.sort();
    months.dedup();
    let w = |out: &mut dyn Write, s: String| -> Result<(), Error> {
        writeln!(out, "{s}").map_err(|e| Error::io("<stdout>", e))
    };
    w(
        out,
        opts.lang
            .pick(
                "月份\t低保证号\t姓名\t发放\t应发合计\t其中补发（所属月）\t对账\t实发\t签到\t处理",
                "month\thousehold_id\tname\tpayroll\ttotal\treissue (for)\treconcile\tpaid\tcheckin\tactions",
            )
            .to_string(),
    )?;
    let mut shown = 0;
    for month in months {
        let dir = root.join(month.to_string());
        let mut lines = Vec::new();
        let payroll = dir.join("payroll").join("payroll.csv");
        if payroll.exists() {
            read_payroll(&payroll, &mut lines)?;
        }
        let ledger = dir.join("reconcile").join("ledger.parquet");
        if ledger.exists() {
            read_ledger(&ledger, &mut lines)?;
        }
        for (hid, l) in lines {
            if opts.household.as_deref().is_some_and(|h| h != hid) {
                continue;
            }
            shown += 1;
            w(
                out,
                format!(
                    "{month}\t{hid}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    l.name, l.payroll, l.total, l.reissue, l.status, l.paid, l.checkin, l.actions
                ),
            )?;
        }
    }
    Ok(shown)
}
