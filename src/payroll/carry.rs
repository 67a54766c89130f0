//! What last month's reconciliation (`--previous DIR`, its `ledger.csv`)
//! and earlier payrolls (`--history DIR`, their `payroll.csv`) carry into
//! this month (SPEC §4 `payroll`).
//!
//! From the ledger: `SUSPEND` puts a household under a check-in hold; a
//! household already under one (flag `CHECKIN_HOLD`) stays held while its
//! check-in there is `MISSED`; `REISSUE` owes that month's expected amount,
//! `TOP_UP` owes expected − paid; `RECOVER` is listed, never deducted.
//! From the history: a re-issue already paid (household and month owed
//! for, in another payroll's `reissue_for`) is not paid again; only a
//! payroll that matches its manifest counts, and in a workspace only the
//! workspace's own month folders. In a workspace, what the earlier months'
//! ledgers owe stays owed until such a payroll carries it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::ingest::profile::AmountUnit;
use crate::issue::SourceRef;
use crate::model::date::Month;
use crate::model::money::{self, Money};

/// An amount owed from an earlier month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Carried {
    pub at: SourceRef,
    pub household_id: String,
    pub for_month: Month,
    pub amount: Money,
    /// `REISSUE` or `TOP_UP`.
    pub action: &'static str,
}

/// An amount to recover, from the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ToRecover {
    /// Empty for a bank row that matched no household.
    pub household_id: String,
    /// The account it was paid to, for a row that matched no household.
    pub account: String,
    pub for_month: Month,
    pub amount: Money,
}

/// What last month's ledger says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Previous {
    pub ledger: PathBuf,
    /// Households under a check-in hold this month.
    pub checkin_holds: BTreeSet<String>,
    pub owed: Vec<Carried>,
    pub recover: Vec<ToRecover>,
    /// Households that were due last month.
    pub due: Vec<String>,
    /// Ledger rows read.
    pub rows: u64,
}

fn has_word(list: &str, word: &str) -> bool {
    list.split(';').any(|w| w.trim() == word)
}

/// A machine-readable file this tool wrote, opened for reading: its reader
/// and its header row. `what` names it in errors ("a reconciliation
/// ledger", "a payroll").
pub(crate) struct OwnCsv {
    reader: csv::Reader<std::io::BufReader<std::fs::File>>,
    pub headers: csv::StringRecord,
    path: PathBuf,
    what: &'static str,
}

impl OwnCsv {
    /// # Errors
    /// [`Error::Io`] / [`Error::Csv`] when the file cannot be read.
    pub(crate) fn open(path: &Path, what: &'static str) -> Result<OwnCsv, Error> {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut reader = csv::ReaderBuilder::new().from_reader(std::io::BufReader::new(file));
        let headers = reader
            .headers()
            .map_err(|e| Error::Csv {
                path: path.to_path_buf(),
                source: e,
            })?
            .clone();
        Ok(OwnCsv {
            reader,
            headers,
            path: path.to_path_buf(),
            what,
        })
    }

    /// The records after the header, with the escaping of formula-like
    /// values undone ([`crate::sanitize::csv_unescape`]).
    pub(crate) fn records(
        &mut self,
    ) -> impl Iterator<Item = Result<csv::StringRecord, csv::Error>> + '_ {
        self.reader
            .records()
            .map(|r| r.map(crate::sanitize::csv_unescaped_record))
    }

    /// The index of column `name`.
    ///
    /// # Errors
    /// [`Error::Config`] (line 1) when there is none: not the file expected.
    pub(crate) fn col(&self, name: &str) -> Result<usize, Error> {
        self.headers
            .iter()
            .position(|h| h.trim() == name)
            .ok_or_else(|| Error::Config {
                file: self.path.display().to_string(),
                line: 1,
                message: format!(
                    "{} has no column {name:?}: it is not {}",
                    self.path
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
                    self.what
                ),
            })
    }
}

/// Reads `DIR/ledger.csv`, which must be for `expected_month` (the month
/// before the payroll's).
///
/// # Errors
/// [`Error::Io`] when it cannot be read; [`Error::Config`] (with the line)
/// when it is not a ledger (a missing column, an unreadable amount or month).
pub fn read_previous(dir: &Path, expected_month: Month) -> Result<Previous, Error> {
    let path = dir.join("ledger.csv");
    let mut own = OwnCsv::open(&path, "a reconciliation ledger")?;
    let csv_err = |e: csv::Error| Error::Csv {
        path: path.clone(),
        source: e,
    };
    let [
        c_month,
        c_hid,
        c_expected,
        c_paid,
        c_status,
        c_flags,
        c_checkin,
        c_actions,
    ] = [
        "month",
        "household_id",
        "expected",
        "paid",
        "status",
        "flags",
        "checkin",
        "actions",
    ]
    .map(|n| own.col(n));
    let (c_month, c_hid, c_expected, c_paid, c_status, c_flags, c_checkin, c_actions) = (
        c_month?,
        c_hid?,
        c_expected?,
        c_paid?,
        c_status?,
        c_flags?,
        c_checkin?,
        c_actions?,
    );
    let display: std::sync::Arc<str> = path.display().to_string().into();
    let mut previous = Previous {
        ledger: path.clone(),
        ..Previous::default()
    };
    let c_account = own.headers.iter().position(|h| h.trim() == "account");
    for (i, record) in own.records().enumerate() {
        let record = record.map_err(csv_err)?;
        let line = i + 2;
        let bad = |message: String| Error::Config {
            file: path.display().to_string(),
            line,
            message,
        };
        let get = |c: usize| record.get(c).unwrap_or("").trim();
        let hid = get(c_hid);
        previous.rows += 1;
        let month: Month = get(c_month).parse().map_err(bad)?;
        // Last month's ledger, and no other: an older one would pay its
        // re-issues again and apply stale holds.
        if month != expected_month {
            return Err(bad(format!(
                "this ledger is for {month}, not {expected_month} (the month before the payroll's); pass last month's reconcile output"
            )));
        }
        let amount = |c: usize| -> Result<Option<Money>, Error> {
            let s = get(c);
            if s.is_empty() {
                return Ok(None);
            }
            money::parse(s, AmountUnit::Yuan)
                .map(Some)
                .map_err(|_| bad(format!("{s:?} is not an amount")))
        };
        let (expected, paid) = (amount(c_expected)?, amount(c_paid)?);
        let status = get(c_status);
        if hid.is_empty() {
            // A bank row that matched no household: only a recovery can
            // concern this payroll, listed by the account it went to.
            if has_word(get(c_actions), "RECOVER")
                && let Some(p) = paid
            {
                let account = c_account.map(get).unwrap_or("");
                previous.recover.push(ToRecover {
                    household_id: String::new(),
                    account: account.to_string(),
                    for_month: month,
                    amount: p,
                });
            }
            continue;
        }
        let has = |c: usize, word: &str| has_word(get(c), word);
        let at = SourceRef {
            row: Some(line as u32),
            ..SourceRef::file(display.clone())
        };
        if matches!(
            status,
            "PAID" | "UNDERPAID" | "OVERPAID" | "FAILED" | "MISSING"
        ) {
            previous.due.push(hid.to_string());
        }
        if has(c_actions, "SUSPEND") || (has(c_flags, "CHECKIN_HOLD") && get(c_checkin) == "MISSED")
        {
            previous.checkin_holds.insert(hid.to_string());
        }
        if has(c_actions, "REISSUE")
            && let Some(e) = expected
        {
            previous.owed.push(Carried {
                at: at.clone(),
                household_id: hid.to_string(),
                for_month: month,
                amount: e,
                action: "REISSUE",
            });
        }
        if has(c_actions, "TOP_UP")
            && let (Some(e), Some(p)) = (expected, paid)
            && e > p
        {
            previous.owed.push(Carried {
                at: at.clone(),
                household_id: hid.to_string(),
                for_month: month,
                amount: e - p,
                action: "TOP_UP",
            });
        }
        if has(c_actions, "RECOVER")
            && let Some(p) = paid
        {
            // Overpaid: the excess; paid while not due, or twice: all of it.
            let amount = match expected {
                Some(e) if status == "OVERPAID" => p - e,
                _ => p,
            };
            previous.recover.push(ToRecover {
                household_id: hid.to_string(),
                account: String::new(),
                for_month: month,
                amount,
            });
        }
    }
    Ok(previous)
}

/// Where the payrolls that count as having paid a re-issue are looked for.
#[derive(Clone, Copy, Debug)]
pub enum History<'a> {
    /// A workspace's `out/`: only its own month folders
    /// (`out/YYYY-MM/payroll/`) count; a payroll.csv anywhere else under it
    /// (a backup copy, a folder of another workspace) is named and ignored.
    /// One of its own whose payroll.csv does not match its manifest is an
    /// error: what it paid is unknown.
    Workspace(&'a Path),
    /// Any folder: every payroll.csv below it that matches its
    /// `manifest.json` counts; one that does not is named and ignored.
    Folder(&'a Path),
}

/// Re-issues already paid, and the payroll files that were not counted.
#[derive(Debug, Default)]
pub struct Paid {
    /// (household, month owed for) → the payroll.csv that carried it.
    pub by: BTreeMap<(String, Month), PathBuf>,
    /// payroll.csv files found that do not count, with the reason.
    pub ignored: Vec<(PathBuf, NotCounted)>,
}

/// Why a payroll.csv found in the history does not count as paying anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotCounted {
    /// Not `out/YYYY-MM/payroll/payroll.csv` of this workspace.
    NotThisWorkspace,
    /// No `manifest.json` beside it, or one that records another file.
    Unverified,
}

/// The month a workspace's month folder is for: its name is exactly
/// `YYYY-MM`. A copy Windows names `2026-12 - 副本`, a `2026-12 备份` or a
/// `202612` is not one, however the month parser would read it.
pub fn month_folder(name: &str) -> Option<Month> {
    name.parse::<Month>().ok().filter(|m| m.to_string() == name)
}

/// The month of a workspace's own payroll file `root/YYYY-MM/payroll/payroll.csv`.
fn own_month(root: &Path, path: &Path) -> Option<Month> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<_> = rel.components().collect();
    match parts.as_slice() {
        [month, payroll, file]
            if payroll.as_os_str() == "payroll" && file.as_os_str() == "payroll.csv" =>
        {
            month_folder(month.as_os_str().to_str()?)
        }
        _ => None,
    }
}

/// Whether `payroll.csv` is the file its `manifest.json` recorded: `Ok(None)`
/// when it is, else the reason (no manifest, another sha256).
fn verify(csv: &Path) -> Result<Option<String>, Error> {
    let manifest_path = csv.with_file_name("manifest.json");
    if !manifest_path.exists() {
        return Ok(Some("no manifest.json beside it".into()));
    }
    let Ok(manifest) = crate::report::manifest::read(&manifest_path) else {
        return Ok(Some("its manifest.json cannot be read".into()));
    };
    let recorded =
        crate::report::manifest::recorded_sha(&manifest, "outputs", "path", "payroll.csv");
    let actual = crate::report::manifest::sha256(csv)?;
    Ok(match recorded {
        Some(r) if r == actual => None,
        Some(r) => Some(format!(
            "its sha256 {actual} is not the {r} its manifest.json recorded"
        )),
        None => Some("its manifest.json does not record it".into()),
    })
}

/// Re-issues already paid: (household, month owed for) → the payroll.csv
/// that paid it, from the payrolls of `history` (see [`History`]) except
/// the one in `skip` (the output being replaced) and staging folders.
///
/// # Errors
/// [`Error::Io`] / [`Error::Csv`] when a payroll.csv cannot be read;
/// [`Error::Config`] for a workspace's own payroll that does not match its
/// manifest.
pub fn paid_reissues(history: History<'_>, skip: &Path) -> Result<Paid, Error> {
    let (History::Workspace(dir) | History::Folder(dir)) = history;
    let mut paid = Paid::default();
    let mut files = Vec::new();
    collect_payrolls(dir, skip, &mut files)?;
    files.sort();
    for path in files {
        match history {
            History::Workspace(root) if own_month(root, &path).is_none() => {
                paid.ignored.push((path, NotCounted::NotThisWorkspace));
                continue;
            }
            History::Workspace(_) => {
                if let Some(why) = verify(&path)? {
                    return Err(Error::Config {
                        file: path.display().to_string(),
                        line: 1,
                        message: format!(
                            "this payroll was changed after dibao made it ({why}): which \
                             re-issues it paid is unknown. Put back the file as it was made \
                             (the one sent to the bank), or, if it was never sent, make that \
                             month's payroll again with --force"
                        ),
                    });
                }
            }
            History::Folder(_) => {
                if verify(&path)?.is_some() {
                    paid.ignored.push((path, NotCounted::Unverified));
                    continue;
                }
            }
        }
        let mut own = OwnCsv::open(&path, "a payroll")?;
        let csv_err = |e: csv::Error| Error::Csv {
            path: path.clone(),
            source: e,
        };
        let (Ok(c_hid), Ok(c_for)) = (own.col("household_id"), own.col("reissue_for")) else {
            continue;
        };
        for record in own.records() {
            let record = record.map_err(csv_err)?;
            let hid = record.get(c_hid).unwrap_or("").trim();
            for m in record
                .get(c_for)
                .unwrap_or("")
                .split(';')
                .filter_map(|m| m.trim().parse::<Month>().ok())
            {
                paid.by
                    .entry((hid.to_string(), m))
                    .or_insert_with(|| path.clone());
            }
        }
    }
    Ok(paid)
}

/// What the workspace's ledgers of the months before `before` (the month
/// before the payroll's, whose ledger is read as `--previous`) still owe:
/// every `REISSUE` and `TOP_UP` of `out/YYYY-MM/reconcile/ledger.csv`, in
/// month order. Whether a later payroll paid it is for [`paid_reissues`].
///
/// # Errors
/// As [`read_previous`] for each ledger.
pub fn earlier_owed(out_root: &Path, before: Month) -> Result<Vec<Carried>, Error> {
    let Ok(entries) = std::fs::read_dir(out_root) else {
        return Ok(Vec::new());
    };
    let mut months: Vec<Month> = entries
        .filter_map(|e| month_folder(e.ok()?.file_name().to_str()?))
        .filter(|m| m.index() < before.index())
        .collect();
    months.sort();
    let mut owed = Vec::new();
    for month in months {
        let dir = out_root.join(month.to_string()).join("reconcile");
        if dir.join("ledger.csv").is_file() {
            owed.extend(read_previous(&dir, month)?.owed);
        }
    }
    Ok(owed)
}

/// What a payroll made before its previous month's reconciliation lacks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lack {
    /// A re-issue or top-up owed and due, not in the payroll.
    Owed(Carried),
    /// A household the reconciliation holds (check-in), paid by the payroll.
    Hold(String),
    /// A household the payroll holds for a missed check-in that the
    /// reconciliation no longer holds: it was not paid this month.
    Unheld(String),
    /// A re-issue for that month the payroll pays and the reconciliation
    /// does not owe (any more).
    Surplus(String, Month),
}

/// What the payroll in `payroll_dir` lacks of `previous` (the
/// reconciliation of the month before it): the re-issues and top-ups of
/// households it pays without them, the check-in holds of households it
/// pays, the households it holds that the reconciliation does not, and the
/// re-issues for `previous_month` it pays that the reconciliation does not
/// owe.
///
/// # Errors
/// [`Error::Io`] / [`Error::Csv`] / [`Error::Config`] when its payroll.csv
/// cannot be read.
pub fn lacking(
    payroll_dir: &Path,
    previous: &Previous,
    previous_month: Month,
) -> Result<Vec<Lack>, Error> {
    let path = payroll_dir.join("payroll.csv");
    let mut own = OwnCsv::open(&path, "a payroll")?;
    let (c_hid, c_status, c_hold, c_for) = (
        own.col("household_id")?,
        own.col("status")?,
        own.col("hold")?,
        own.col("reissue_for")?,
    );
    // household → the months it re-issues, for the households it pays.
    let mut due: BTreeMap<String, BTreeSet<Month>> = BTreeMap::new();
    let mut lacks = Vec::new();
    for record in own.records() {
        let record = record.map_err(|e| Error::Csv {
            path: path.clone(),
            source: e,
        })?;
        let hid = record.get(c_hid).unwrap_or("").trim();
        if record.get(c_hold).map(str::trim) == Some("CHECKIN")
            && !previous.checkin_holds.contains(hid)
        {
            lacks.push(Lack::Unheld(hid.to_string()));
        }
        if record.get(c_status).map(str::trim) != Some("DUE") {
            continue;
        }
        let months = record
            .get(c_for)
            .unwrap_or("")
            .split(';')
            .filter_map(|m| m.trim().parse::<Month>().ok())
            .collect();
        due.insert(hid.to_string(), months);
    }
    for c in &previous.owed {
        if due
            .get(&c.household_id)
            .is_some_and(|months| !months.contains(&c.for_month))
        {
            lacks.push(Lack::Owed(c.clone()));
        }
    }
    for hid in &previous.checkin_holds {
        if due.contains_key(hid) {
            lacks.push(Lack::Hold(hid.clone()));
        }
    }
    // Re-issues for last month that the reconciliation no longer owes (it
    // was redone, with a bank file that showed them paid).
    let owed: BTreeSet<(&str, Month)> = previous
        .owed
        .iter()
        .map(|c| (c.household_id.as_str(), c.for_month))
        .collect();
    for (hid, months) in &due {
        if months.contains(&previous_month) && !owed.contains(&(hid.as_str(), previous_month)) {
            lacks.push(Lack::Surplus(hid.clone(), previous_month));
        }
    }
    Ok(lacks)
}

fn collect_payrolls(dir: &Path, skip: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(()); // no history yet
    };
    let skip = skip.canonicalize().unwrap_or_else(|_| skip.to_path_buf());
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        let name = entry.file_name();
        // Staging folders and old folders being replaced are not outputs.
        if name.to_string_lossy().starts_with(".dibao-") {
            continue;
        }
        // Links are not followed: a link back up would never end.
        let kind = entry.file_type().map_err(|e| Error::io(&path, e))?;
        if kind.is_symlink() {
            continue;
        }
        if kind.is_dir() {
            if path.canonicalize().is_ok_and(|p| p == skip) {
                continue;
            }
            collect_payrolls(&path, &skip, out)?;
        } else if name == "payroll.csv" {
            out.push(path);
        }
    }
    Ok(())
}
