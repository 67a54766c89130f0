//! `dibao payroll`: the month's payroll from the roster (SPEC §4, §5.1).
//!
//! Reads the roster (and the policy, last month's reconciliation, earlier
//! payrolls, adjustments), prints every problem, and — when nothing stops
//! it — writes into a staging directory renamed into `--out` at the end:
//! one bank upload workbook per bank, the finance roster, the public notice,
//! `payroll.csv` and `manifest.json`. A roster with errors writes nothing
//! and exits 1, unless `--allow-partial` (the bad households are then
//! `EXCLUDED`); an adjustment error always stops the run.

use std::io::Write;
use std::path::{Path, PathBuf};

use compact_str::CompactString;
use rustc_hash::FxHashMap;
use serde_json::json;

use crate::cmd::inputs::{Common, Outcome, Tally};
use crate::cmd::outdir::Staging;
use crate::error::Error;
use crate::ingest::schema::{Field, Kind};
use crate::ingest::upload::UploadField;
use crate::issue::{Issue, Lang, Problem, Severity, SourceRef};
use crate::model::date::Month;
use crate::model::money::Money;
use crate::model::policy::{self, Policy};
use crate::model::{adjustment::Adjustment, load};
use crate::payroll::build::{Inputs, build};
use crate::payroll::carry::{self, Previous};
use crate::payroll::{Hold, Payroll, RowStatus};
use crate::report::{bank_upload, finance, manifest, notice, payroll_csv, upload_layouts};

/// What to run.
pub struct PayrollOptions {
    pub month: Month,
    pub roster: PathBuf,
    pub policy: Option<PathBuf>,
    pub previous: Option<PathBuf>,
    pub history: Option<PathBuf>,
    /// `history` is a workspace's `out/`: only its own month folders count
    /// as paid, and every earlier month's ledger there is read for what is
    /// still owed.
    pub workspace: bool,
    pub adjustments: Option<PathBuf>,
    pub allow_partial: bool,
    /// Reading and writing options shared with the other step.
    pub common: Common,
}

/// Runs the payroll, writing problems and the summary to `out`.
///
/// # Errors
/// Usage, configuration and I/O errors (exit 2): an unreadable policy or
/// ledger, an existing non-empty `--out` without `--force`, a write failure.
pub fn run(opts: &PayrollOptions, out: &mut dyn Write) -> Result<Outcome, Error> {
    let lang = opts.common.lang;
    let stdout_err = |e: std::io::Error| Error::io("<stdout>", e);
    let mut outcome = Outcome::default();
    let show = |issues: &[Issue], outcome: &mut Outcome, out: &mut dyn Write| {
        let mut tally = Tally::default();
        tally.show(issues, lang, out)?;
        outcome.errors += tally.errors;
        outcome.warnings += tally.warnings;
        Ok::<(), Error>(())
    };
    // Refuse a non-empty --out before reading anything.
    let staging = Staging::new(&opts.common.out, opts.common.force, "payroll")?;
    let mut inputs_read: Vec<&Path> = vec![&opts.roster];
    inputs_read.extend(opts.policy.as_deref());
    inputs_read.extend(opts.previous.as_deref());
    inputs_read.extend(opts.adjustments.as_deref());
    inputs_read.extend(opts.common.mapping_file());
    staging.guard_inputs(&inputs_read)?;
    let policy: Policy = policy::load_or_default(opts.policy.as_deref())?;
    let reading = opts.common.reading(policy.max_household_total);

    let display = opts.roster.display().to_string();
    let roster = load::roster(
        &opts.roster,
        &display,
        &reading.options(&opts.roster, Kind::Roster),
    )?;
    show(&roster.issues, &mut outcome, out)?;
    let Some(reader) = roster.reader else {
        return Ok(outcome);
    };
    // Errors --allow-partial may let through: those of rows it leaves out.
    // Anything else (a totals row that disagrees) still stops the run.
    let rejected: std::collections::BTreeSet<u32> = reader
        .rows
        .iter()
        .filter_map(|r| match r {
            crate::model::roster::RosterRow::Rejected(r) => r.at.row,
            _ => None,
        })
        .collect();
    let row_errors = roster
        .issues
        .iter()
        .filter(|i| {
            i.severity == Severity::Error && i.at.row.is_some_and(|r| rejected.contains(&r))
        })
        .count() as u64;

    let previous: Option<Previous> = opts
        .previous
        .as_deref()
        .map(|dir| carry::read_previous(dir, opts.month.prev()))
        .transpose()?;
    // The parent of --out (SPEC §4); `p12` has the parent "", which is ".".
    let history = opts
        .history
        .clone()
        .unwrap_or_else(|| match opts.common.out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        });
    let history = if opts.workspace {
        carry::History::Workspace(&history)
    } else {
        carry::History::Folder(&history)
    };
    let paid = carry::paid_reissues(history, &opts.common.out)?;
    // The ledgers before last month's (which is `previous`).
    let earlier = match history {
        carry::History::Workspace(root) => carry::earlier_owed(root, opts.month.prev())?,
        carry::History::Folder(_) => Vec::new(),
    };
    let not_counted: Vec<Issue> = paid
        .ignored
        .iter()
        .map(|(path, why)| {
            Issue::new(
                SourceRef::file(path.display().to_string().into()),
                Problem::PayrollNotCounted {
                    copy: *why == carry::NotCounted::NotThisWorkspace,
                },
            )
        })
        .collect();
    show(&not_counted, &mut outcome, out)?;

    let mut adjustments: Vec<Adjustment> = Vec::new();
    let mut adjustment_input = None;
    if let Some(path) = &opts.adjustments {
        let display = path.display().to_string();
        let loaded = load::adjustments(path, &display, &reading.options(path, Kind::Adjustments))?;
        show(&loaded.issues, &mut outcome, out)?;
        if let Some(r) = loaded.reader {
            adjustment_input = Some((path.clone(), r.rows, r.rejected));
            adjustments = r.lines;
        }
    }

    let rows_rejected = reader
        .rows
        .iter()
        .filter(|r| matches!(r, crate::model::roster::RosterRow::Rejected(_)))
        .count() as u64;
    let inputs = Inputs {
        month: opts.month,
        policy: &policy,
        previous: previous.as_ref(),
        paid: &paid.by,
        earlier: &earlier,
        adjustments: &adjustments,
    };
    // Only the rows go on: the duplicate-detection tables go now. Where
    // each household stands in the roster is kept to name its cells if its
    // bank's upload cannot take a value.
    let crate::model::roster::RosterReader { rows, columns, .. } = reader;
    let roster_places: FxHashMap<CompactString, (u32, bool)> = rows
        .iter()
        .filter_map(|r| match r {
            crate::model::roster::RosterRow::Valid(h) => Some((
                h.household_id.clone(),
                (h.at.row.unwrap_or(0), h.account_name.is_some()),
            )),
            crate::model::roster::RosterRow::Rejected(_) => None,
        })
        .collect();
    let (payroll, issues) = build(&inputs, rows);
    show(&issues, &mut outcome, out)?;
    // Roster errors may be let through (--allow-partial); nothing else.
    let blocking = outcome.errors - if opts.allow_partial { row_errors } else { 0 };
    if blocking > 0 {
        let line = if !opts.allow_partial && row_errors > 0 && row_errors == outcome.errors {
            lang.pick(
                "有错误，未写入任何文件（花名册中有错误的户可用 --allow-partial 排除后继续）",
                "errors found: nothing was written (--allow-partial leaves the households with errors out and goes on)",
            )
        } else {
            lang.pick(
                "有错误，未写入任何文件",
                "errors found: nothing was written",
            )
        };
        writeln!(out, "{line}").map_err(stdout_err)?;
        return Ok(outcome);
    }

    // Each bank's upload in its layout (built in, or its profile's): every
    // value over the bank's limit is an error at the household's roster
    // cell, and nothing is written.
    let mapping = opts.common.mapping.as_ref();
    let uploads = bank_upload::prepare(&payroll, &mut |bank| {
        upload_layouts::for_bank(mapping, bank)
    })?;
    if !uploads.violations.is_empty() {
        let place = |v: &bank_upload::Violation| -> SourceRef {
            let found = roster_places.get(v.household_id.as_str());
            let (row, own_name) = found.copied().unwrap_or((0, false));
            let field = match v.field {
                UploadField::Reference => Some(Field::HouseholdId),
                UploadField::Name if own_name => Some(Field::AccountName),
                UploadField::Name => Some(Field::Name),
                UploadField::Account => Some(Field::Account),
                UploadField::IdNumber => Some(Field::IdNumber),
                UploadField::Serial | UploadField::Amount => None,
            };
            match (&columns, field) {
                (Some(c), Some(f)) if row > 0 => c.at(row, f),
                (Some(c), None) if row > 0 => c.at(row, Field::HouseholdId).row_only(),
                _ => SourceRef::file(display.as_str().into()),
            }
        };
        let issues: Vec<Issue> = uploads
            .violations
            .iter()
            .map(|v| Issue::new(place(v), v.problem.clone()))
            .collect();
        show(&issues, &mut outcome, out)?;
        writeln!(
            out,
            "{}",
            lang.pick(
                "有错误，未写入任何文件",
                "errors found: nothing was written"
            )
        )
        .map_err(stdout_err)?;
        return Ok(outcome);
    }

    let date = opts.common.date.unwrap_or_else(|| opts.month.first_day());
    let dir = staging.path().to_path_buf();
    let month = opts.month;
    let mut outputs: Vec<(String, PathBuf)> = Vec::new();
    for path in uploads.write(date, &dir)? {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        outputs.push((name, path));
    }
    let finance_name = format!("发放花名册_{month}.xlsx");
    finance::write(
        &payroll,
        &finance::FinanceOptions {
            lang,
            date,
            unit: opts.common.unit.clone(),
        },
        &dir.join(&finance_name),
    )?;
    outputs.push((finance_name.clone(), dir.join(&finance_name)));
    let notice_name = format!("公示_{month}.xlsx");
    notice::write(
        &payroll,
        &notice::NoticeOptions {
            lang,
            date,
            unit: opts.common.unit.clone(),
        },
        &dir.join(&notice_name),
    )?;
    outputs.push((notice_name.clone(), dir.join(&notice_name)));
    payroll_csv::write(&payroll, &dir.join("payroll.csv"))?;
    outputs.push(("payroll.csv".into(), dir.join("payroll.csv")));

    let mut inputs = vec![manifest::Input {
        role: "roster",
        path: display.clone(),
        sha256: manifest::sha256(&opts.roster)?,
        rows_read: roster.summary.data_rows,
        rows_rejected,
    }];
    let whole = manifest::Input::whole;
    if let Some(p) = &opts.policy {
        inputs.push(whole("policy", p)?);
    }
    if let Some(p) = opts.common.mapping_file() {
        inputs.push(whole("mapping", p)?);
    }
    if let Some(prev) = &previous {
        inputs.push(whole("previous", &prev.ledger)?);
    }
    if let Some((path, read, rejected)) = &adjustment_input {
        inputs.push(manifest::Input {
            role: "adjustments",
            path: path.display().to_string(),
            sha256: manifest::sha256(path)?,
            rows_read: *read,
            rows_rejected: *rejected,
        });
    }
    let output_refs: Vec<(String, &Path)> = outputs
        .iter()
        .map(|(n, p)| (n.clone(), p.as_path()))
        .collect();
    manifest::Manifest {
        command: "payroll",
        args: &opts.common.args,
        policy: json!({ "toml": policy.to_toml() }),
        inputs: &inputs,
        outputs: &output_refs,
        counts: counts(&payroll),
        control_totals: control_totals(&payroll),
        lists: lists(&payroll),
    }
    .write(&dir.join("manifest.json"))?;
    let target = staging.commit()?;
    outcome.written = true;

    if !opts.common.quiet {
        writeln!(out, "{}", summary(&payroll, lang)).map_err(stdout_err)?;
        for (name, _) in outputs.iter().chain(std::iter::once(&(
            "manifest.json".to_string(),
            PathBuf::new(),
        ))) {
            writeln!(out, "  {}", target.join(name).display()).map_err(stdout_err)?;
        }
    }
    Ok(outcome)
}

fn count(payroll: &Payroll, pred: impl Fn(&crate::payroll::PayrollRow) -> bool) -> usize {
    payroll.rows.iter().filter(|r| pred(r)).count()
}

fn counts(p: &Payroll) -> serde_json::Value {
    json!({
        "households": p.rows.len(),
        "due": count(p, |r| r.status == RowStatus::Due),
        "persons_due": p.due().map(|r| u64::from(r.members)).sum::<u64>(),
        "held_roster": count(p, |r| r.hold == Some(Hold::Roster)),
        "held_checkin": count(p, |r| r.hold == Some(Hold::Checkin)),
        "inactive": count(p, |r| r.status == RowStatus::Inactive),
        "excluded": count(p, |r| r.status == RowStatus::Excluded),
        "owed": p.owed.len(),
        "recover": p.recover.len(),
        "adjustments_not_applied": p.not_applied.len(),
    })
}

fn control_totals(p: &Payroll) -> serde_json::Value {
    let sum =
        |f: fn(&crate::payroll::PayrollRow) -> Money| p.due().map(f).sum::<Money>().to_string();
    let mut banks: Vec<(String, usize, Money)> = Vec::new();
    for r in p.due() {
        match banks.iter_mut().find(|b| b.0 == r.bank) {
            Some(b) => {
                b.1 += 1;
                b.2 += r.total;
            }
            None => banks.push((r.bank.to_string(), 1, r.total)),
        }
    }
    json!({
        "total": p.total().to_string(),
        "base": sum(|r| r.base),
        "subsidies": sum(|r| r.subsidies_total()),
        "addons": sum(|r| r.addons),
        "reissue": sum(|r| r.reissue),
        "adjustment": sum(|r| r.adjustment),
        "banks": banks.iter().map(|(b, n, t)| json!({ "bank": b, "count": n, "total": t.to_string() })).collect::<Vec<_>>(),
        "owed": p.owed.iter().map(|o| o.amount).sum::<Money>().to_string(),
        "recover": p.recover.iter().map(|r| r.amount).sum::<Money>().to_string(),
    })
}

/// What is owed to households not due (待补发), what is to be recovered
/// (追回) and the adjustments not applied, line by line.
fn lists(p: &Payroll) -> serde_json::Value {
    json!({
        "owed": p.owed.iter().map(|o| json!({
            "household_id": o.household_id, "for_month": o.for_month.to_string(), "amount": o.amount.to_string(), "action": o.action,
        })).collect::<Vec<_>>(),
        "recover": p.recover.iter().map(|r| json!({
            "household_id": r.household_id, "for_month": r.for_month.to_string(), "amount": r.amount.to_string(),
        })).collect::<Vec<_>>(),
        "adjustments_not_applied": p.not_applied.iter().map(|a| json!({
            "household_id": a.household_id, "amount": a.amount.to_string(), "reason": a.reason,
        })).collect::<Vec<_>>(),
    })
}

fn summary(p: &Payroll, lang: Lang) -> String {
    let due = count(p, |r| r.status == RowStatus::Due);
    let persons: u64 = p.due().map(|r| u64::from(r.members)).sum();
    let roster = count(p, |r| r.hold == Some(Hold::Roster));
    let checkin = count(p, |r| r.hold == Some(Hold::Checkin));
    let inactive = count(p, |r| r.status == RowStatus::Inactive);
    let excluded = count(p, |r| r.status == RowStatus::Excluded);
    match lang {
        Lang::Zh => format!(
            "{} 发放：应发 {due} 户 {persons} 人，合计 {} 元；暂停 {} 户（花名册 {roster}，未签到 {checkin}），不发放 {inactive} 户，排除 {excluded} 户；已写入：",
            p.month,
            p.total(),
            roster + checkin
        ),
        Lang::En => format!(
            "{}: {due} households ({persons} persons) due, {} in all; {} held ({roster} by the roster, {checkin} for missed check-ins), {inactive} inactive, {excluded} excluded; written:",
            p.month,
            p.total(),
            roster + checkin
        ),
    }
}
