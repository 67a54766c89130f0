//! `dibao reconcile`: the month's reconciliation (SPEC §4, §5.2, §5.3).
//!
//! Reads the roster, the bank result files, the check-in files (and the
//! payroll that was sent, the policy), prints every problem, builds the
//! ledger, checks that it balances, and writes into a staging directory
//! renamed into `--out` at the end: the reconciliation workbook,
//! `ledger.csv`, `ledger.parquet` and `manifest.json`.
//!
//! What stops the run (exit 1, nothing written): roster errors (a household
//! that cannot be read cannot be reconciled), a bank or check-in file
//! without a header, an edited payroll. Problems in bank rows do not stop
//! it: such a row becomes an `UNREADABLE` ledger row. A ledger that does
//! not balance is a bug: exit 2, nothing written.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::cmd::inputs::{Common, Outcome, Tally, spinner};
use crate::cmd::outdir::Staging;
use crate::error::Error;
use crate::ingest::schema::Kind;
use crate::issue::{Issue, Lang, Severity};
use crate::model::bank::BankLine;
use crate::model::checkin::CheckIn;
use crate::model::date::Month;
use crate::model::load;
use crate::model::money::Money;
use crate::model::policy::{self, Policy};
use crate::model::roster::{Household, RosterReader, RosterRow};
use crate::payroll::Hold;
use crate::reconcile::conserve::{self, FileRows};
use crate::reconcile::expected::{self, Due};
use crate::reconcile::{ACTIONS, Checkin, Ledger, Status, build, checkins, matching};
use crate::report::{ledger as ledger_out, manifest, reconcile_book};

/// What to run.
pub struct ReconcileOptions {
    pub month: Month,
    pub roster: PathBuf,
    pub bank: Vec<PathBuf>,
    pub checkins: Vec<PathBuf>,
    pub payroll: Option<PathBuf>,
    pub policy: Option<PathBuf>,
    /// Reading and writing options shared with the other step.
    pub common: Common,
}

/// A thread's result; its panic goes on in this thread.
fn join<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))
}

fn table_err(e: polars::prelude::PolarsError) -> Error {
    Error::Table(e.to_string())
}

/// Runs the reconciliation, writing problems and the summary to `out`.
///
/// # Errors
/// Usage, configuration and I/O errors (exit 2), and a ledger that does
/// not balance ([`Error::Conservation`]).
pub fn run(opts: &ReconcileOptions, out: &mut dyn Write) -> Result<Outcome, Error> {
    let lang = opts.common.lang;
    let stdout_err = |e: std::io::Error| Error::io("<stdout>", e);
    let mut tally = Tally::default();
    let staging = Staging::new(&opts.common.out, opts.common.force, "reconcile")?;
    let mut inputs_read: Vec<&Path> = vec![&opts.roster];
    inputs_read.extend(opts.bank.iter().map(PathBuf::as_path));
    inputs_read.extend(opts.checkins.iter().map(PathBuf::as_path));
    inputs_read.extend(opts.policy.as_deref());
    inputs_read.extend(opts.payroll.as_deref());
    inputs_read.extend(opts.common.mapping_file());
    staging.guard_inputs(&inputs_read)?;
    let policy: Policy = policy::load_or_default(opts.policy.as_deref())?;
    let reading = opts.common.reading(policy.max_household_total);
    let stop = |out: &mut dyn Write, tally: Tally| -> Result<Outcome, Error> {
        let line = lang.pick(
            "有错误，未写入任何文件",
            "errors found: nothing was written",
        );
        writeln!(out, "{line}").map_err(stdout_err)?;
        Ok(Outcome {
            errors: tally.errors,
            warnings: tally.warnings,
            written: false,
        })
    };
    // Every problem, for the workbook's problems sheet.
    let mut problems: Vec<Issue> = Vec::new();
    let mut manifest_inputs: Vec<manifest::Input> = Vec::new();

    // The three kinds of input are read side by side (each file with its
    // sha256); problems are shown afterwards in a fixed order.
    let display = opts.roster.display().to_string();
    let bar = spinner(
        lang.pick(
            "读取花名册、回盘和签到表…",
            "reading the roster, bank results and check-ins…",
        ),
        opts.common.quiet,
    );
    let (roster, roster_sha, banks, checkin_files) = std::thread::scope(|scope| {
        let reading = &reading;
        let banks = scope.spawn(move || {
            opts.bank
                .iter()
                .map(|path| {
                    let display = path.display().to_string();
                    let loaded = load::bank(path, &display, &reading.options(path, Kind::Bank))?;
                    Ok((loaded, manifest::sha256(path)?))
                })
                .collect::<Result<Vec<_>, Error>>()
        });
        let checkins = scope.spawn(move || {
            opts.checkins
                .iter()
                .map(|path| {
                    let display = path.display().to_string();
                    let loaded =
                        load::checkins(path, &display, &reading.options(path, Kind::Checkins))?;
                    Ok((loaded, manifest::sha256(path)?))
                })
                .collect::<Result<Vec<_>, Error>>()
        });
        let roster = load::roster(
            &opts.roster,
            &display,
            &reading.options(&opts.roster, Kind::Roster),
        );
        let sha = manifest::sha256(&opts.roster);
        (roster, sha, join(banks), join(checkins))
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let (roster, roster_sha, banks, checkin_files) = (roster?, roster_sha?, banks?, checkin_files?);
    // The same result file given twice would make every payment in it a
    // DUPLICATE to recover: refused before anything is reconciled.
    for (i, (_, sha)) in banks.iter().enumerate() {
        if let Some(j) = banks[..i].iter().position(|(_, other)| other == sha) {
            return Err(Error::Usage(format!(
                "--bank {} and {} have the same contents: give each bank result file once",
                opts.bank[j].display(),
                opts.bank[i].display()
            )));
        }
    }
    // The same payments in two files of other formats: the same refusal.
    let lines = |i: usize| banks[i].0.reader.as_ref().map_or(&[][..], |r| &r.lines[..]);
    for i in 0..banks.len() {
        for j in 0..i {
            if let Some(n) = crate::reconcile::batches::same_payments(lines(j), lines(i)) {
                return Err(Error::Usage(lang.pick(
                    format!(
                        "--bank {} 和 {} 是同一批付款（{n} 笔的账号、金额、结果相同，备注或流水号也相同）：同一份回盘的两种格式或副本只能给一次。如果银行确实付了两次，请银行提供带交易流水号的回盘",
                        opts.bank[j].display(),
                        opts.bank[i].display()
                    ),
                    format!(
                        "--bank {} and {} hold the same payments ({n} with the same account, amount and outcome, and the same reference or transaction number where both give one): one bank result in two formats or copies; give it once. If the bank really paid them twice, ask it for the results with their transaction numbers",
                        opts.bank[j].display(),
                        opts.bank[i].display()
                    ),
                )));
            }
        }
    }
    tally.show(&roster.issues, lang, out)?;
    problems.extend(roster.issues.iter().cloned());
    let Some(RosterReader {
        rows: roster_rows, ..
    }) = roster.reader
    else {
        return stop(out, tally);
    };
    let rejected = roster_rows
        .iter()
        .filter(|r| matches!(r, RosterRow::Rejected(_)))
        .count() as u64;
    if tally.errors > 0 {
        return stop(out, tally);
    }
    manifest_inputs.push(manifest::Input {
        role: "roster",
        path: display,
        sha256: roster_sha,
        rows_read: roster.summary.data_rows,
        rows_rejected: rejected,
    });
    // Rows with errors stopped the run above: every row is a household.
    let households: Vec<&Household> = roster_rows
        .iter()
        .filter_map(|r| match r {
            RosterRow::Valid(h) => Some(h),
            RosterRow::Rejected(_) => None,
        })
        .collect();

    let mut payroll_issues = Vec::new();
    let dues = match &opts.payroll {
        Some(dir) => {
            let read = expected::from_payroll(dir, opts.month, &households, &mut payroll_issues)?;
            manifest_inputs.push(manifest::Input {
                role: "payroll",
                path: read.csv.display().to_string(),
                sha256: manifest::sha256(&read.csv)?,
                rows_read: read.rows,
                rows_rejected: 0,
            });
            read.dues
        }
        None => expected::from_policy(&households, opts.month, &policy),
    };
    let before = tally.errors;
    tally.show(&payroll_issues, lang, out)?;
    problems.extend(payroll_issues);
    if tally.errors > before {
        return stop(out, tally);
    }

    let mut lines: Vec<BankLine> = Vec::new();
    let mut files: Vec<FileRows> = Vec::new();
    let mut headless = false;
    for ((loaded, sha256), path) in banks.into_iter().zip(&opts.bank) {
        tally.show(&loaded.issues, lang, out)?;
        // A file whose status is unknown, or whose own summary line does
        // not agree with its rows (a row lost, or a payment taken for the
        // summary), holds money that is unknown: the reconciliation stops
        // rather than call its rows unpaid or paid.
        let no_status = loaded.issues.iter().any(|i| {
            use crate::issue::Problem::{BankNoStatusColumn, SummaryUnreadable, TotalsMismatch};
            matches!(
                i.problem,
                BankNoStatusColumn { .. } | SummaryUnreadable { .. } | TotalsMismatch { .. }
            ) && i.severity == crate::issue::Severity::Error
        });
        problems.extend(loaded.issues);
        let Some(reader) = loaded.reader.filter(|_| !no_status) else {
            headless = true;
            continue;
        };
        let display = path.display().to_string();
        files.push(FileRows {
            label: display.clone(),
            rows: reader.rows,
        });
        manifest_inputs.push(manifest::Input {
            role: "bank",
            path: display,
            sha256,
            rows_read: reader.rows,
            rows_rejected: reader.unreadable,
        });
        lines.extend(reader.lines);
    }
    let mut records: Vec<CheckIn> = Vec::new();
    for ((loaded, sha256), path) in checkin_files.into_iter().zip(&opts.checkins) {
        tally.show(&loaded.issues, lang, out)?;
        problems.extend(loaded.issues);
        let Some(reader) = loaded.reader else {
            headless = true;
            continue;
        };
        manifest_inputs.push(manifest::Input {
            role: "checkins",
            path: path.display().to_string(),
            sha256,
            rows_read: reader.rows,
            rows_rejected: reader.rejected,
        });
        records.extend(reader.records);
    }
    // A file whose rows cannot be found cannot be accounted for.
    if headless {
        return stop(out, tally);
    }

    // Nothing is printed from here until the files are written (the
    // problems the rules find are shown after them, before the summary).
    let bar = spinner(
        lang.pick(
            "对账：核查签到、匹配回盘、写入报告…",
            "reconciling: check-ins, bank rows, reports…",
        ),
        opts.common.quiet,
    );
    // Check-ins first: once judged, the records can go.
    let evaluated: Vec<bool> = dues
        .iter()
        .map(|d| matches!(d, Due::Due(_) | Due::Held(Hold::Checkin)))
        .collect();
    let mut rule_issues = Vec::new();
    let outcomes = checkins::evaluate(
        &households,
        &evaluated,
        &records,
        opts.month,
        &policy,
        &mut rule_issues,
    )
    .map_err(table_err)?;
    drop(records);
    problems.extend(rule_issues.iter().cloned());
    let matched = matching::match_rows(&households, &lines).map_err(table_err)?;
    let (rows, controls) = build::build(&build::Inputs {
        households: &households,
        dues: &dues,
        lines: &lines,
        matched: &matched,
        checkins: &outcomes,
    });
    conserve::check(&rows, households.len(), &lines, &files, &controls)?;
    drop((households, lines, matched, outcomes));
    drop(roster_rows);
    let ledger = Ledger {
        month: opts.month,
        policy,
        rows,
        controls,
        problems,
    };

    let date = opts.common.date.unwrap_or_else(|| opts.month.first_day());
    let dir = staging.path().to_path_buf();
    let month = opts.month;
    let book_name = format!("对账报告_{month}.xlsx");
    // The three outputs are independent: written side by side.
    let book_path = dir.join(&book_name);
    let book_opts = reconcile_book::ReconcileBookOptions {
        lang,
        date,
        unit: opts.common.unit.clone(),
    };
    let (book, csv, parquet) = std::thread::scope(|scope| {
        let ledger = &ledger;
        let book = scope.spawn(|| reconcile_book::write(ledger, &book_opts, &book_path));
        let parquet =
            scope.spawn(|| ledger_out::write_parquet(ledger, &dir.join("ledger.parquet")));
        let csv = ledger_out::write_csv(ledger, &dir.join("ledger.csv"));
        (join(book), csv, join(parquet))
    });
    book?;
    csv?;
    parquet?;
    let outputs: Vec<(String, PathBuf)> = [book_name.as_str(), "ledger.csv", "ledger.parquet"]
        .iter()
        .map(|n| (n.to_string(), dir.join(n)))
        .collect();
    let whole = manifest::Input::whole;
    if let Some(p) = &opts.policy {
        manifest_inputs.push(whole("policy", p)?);
    }
    if let Some(p) = opts.common.mapping_file() {
        manifest_inputs.push(whole("mapping", p)?);
    }
    let output_refs: Vec<(String, &Path)> = outputs
        .iter()
        .map(|(n, p)| (n.clone(), p.as_path()))
        .collect();
    manifest::Manifest {
        command: "reconcile",
        args: &opts.common.args,
        policy: json!({ "toml": ledger.policy.to_toml() }),
        inputs: &manifest_inputs,
        outputs: &output_refs,
        counts: counts(&ledger),
        control_totals: control_totals(&ledger),
        lists: serde_json::Value::Null,
    }
    .write(&dir.join("manifest.json"))?;
    let target = staging.commit()?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    tally.show(&rule_issues, lang, out)?;

    if !opts.common.quiet {
        writeln!(out, "{}", summary(&ledger, lang)).map_err(stdout_err)?;
        for name in outputs
            .iter()
            .map(|(n, _)| n.as_str())
            .chain(["manifest.json"])
        {
            writeln!(out, "  {}", target.join(name).display()).map_err(stdout_err)?;
        }
    }
    Ok(Outcome {
        errors: tally.errors,
        warnings: tally.warnings,
        written: true,
    })
}

fn counts(l: &Ledger) -> serde_json::Value {
    let mut statuses = serde_json::Map::new();
    for s in Status::ALL {
        statuses.insert(s.code().into(), json!(l.with_status(s).count()));
    }
    let mut checkin = serde_json::Map::new();
    for c in Checkin::ALL {
        let n = l.rows.iter().filter(|r| r.checkin == Some(c)).count();
        checkin.insert(c.code().into(), json!(n));
    }
    let mut actions = serde_json::Map::new();
    for (bit, name) in ACTIONS {
        actions.insert(name.into(), json!(l.with_action(bit).count()));
    }
    json!({
        "ledger_rows": l.rows.len(),
        "households": l.rows.iter().filter(|r| r.is_household).count(),
        "bank_rows": l.controls.bank_succeeded + l.controls.bank_failed + l.controls.bank_unreadable,
        "status": statuses,
        "checkin": checkin,
        "actions": actions,
        "problems": l.problems.len(),
        "problems_errors": l.problems.iter().filter(|p| p.severity == Severity::Error).count(),
    })
}

fn control_totals(l: &Ledger) -> serde_json::Value {
    let c = &l.controls;
    let mut action_amounts = serde_json::Map::new();
    for (bit, name) in ACTIONS {
        if matches!(bit, 1..=4) {
            let sum: Money = l
                .with_action(bit)
                .filter_map(|r| r.action_amount(bit))
                .sum();
            action_amounts.insert(name.into(), json!(sum.to_string()));
        }
    }
    json!({
        "expected": c.expected.to_string(),
        "paid_due": c.paid_due.to_string(),
        "failed": c.failed.to_string(),
        "missing": c.missing.to_string(),
        "underpaid_short": c.short.to_string(),
        "overpaid_excess": c.excess.to_string(),
        "expected_balances": c.expected_balances(),
        "bank_paid": c.bank_paid.to_string(),
        "bank_succeeded": c.bank_succeeded,
        "bank_failed": c.bank_failed,
        "bank_unreadable": c.bank_unreadable,
        "paid_not_due": c.paid_not_due.to_string(),
        "paid_duplicate": c.paid_duplicate.to_string(),
        "paid_unmatched": c.paid_unmatched.to_string(),
        "paid_balances": c.paid_balances(),
        "actions": action_amounts,
    })
}

fn summary(l: &Ledger, lang: Lang) -> String {
    use crate::reconcile::A_SUSPEND;
    let c = &l.controls;
    let statuses: Vec<String> = Status::ALL
        .iter()
        .map(|&st| {
            let n = l.with_status(st).count();
            match lang {
                Lang::Zh => format!("{} {n}", st.label_zh()),
                Lang::En => format!("{} {n}", st.code()),
            }
        })
        .collect();
    let actions: Vec<String> = ACTIONS
        .iter()
        .map(|&(bit, code)| {
            let n = l.with_action(bit).count();
            let sum: Money = l
                .with_action(bit)
                .filter_map(|r| r.action_amount(bit))
                .sum();
            let with_amount = n > 0 && bit != A_SUSPEND && bit != crate::reconcile::A_REVIEW;
            match (lang, with_amount) {
                (Lang::Zh, true) => format!("{} {n}（{sum} 元）", action_zh(bit)),
                (Lang::Zh, false) => format!("{} {n}", action_zh(bit)),
                (Lang::En, true) => format!("{code} {n} ({sum})"),
                (Lang::En, false) => format!("{code} {n}"),
            }
        })
        .collect();
    let missed = l
        .rows
        .iter()
        .filter(|r| r.checkin == Some(Checkin::Missed))
        .count();
    let suspend = l.with_action(A_SUSPEND).count();
    match lang {
        Lang::Zh => format!(
            "{} 对账：应发 {} 元，银行成功 {} 元；{}\n未签到 {missed} 户（建议停发 {suspend} 户）；处理：{}；已写入：",
            l.month,
            c.expected,
            c.bank_paid,
            statuses.join("，"),
            actions.join("，"),
        ),
        Lang::En => format!(
            "{}: expected {}, paid by the bank {}; {}\n{missed} missed check-ins ({suspend} to suspend); actions: {}; written:",
            l.month,
            c.expected,
            c.bank_paid,
            statuses.join(", "),
            actions.join(", "),
        ),
    }
}

fn action_zh(bit: u8) -> &'static str {
    use crate::reconcile::{A_RECOVER, A_REISSUE, A_SUSPEND, A_TOP_UP};
    match bit {
        A_REISSUE => "补发",
        A_TOP_UP => "补差",
        A_RECOVER => "追回",
        A_SUSPEND => "停发",
        _ => "复核",
    }
}
