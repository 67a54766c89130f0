//! A workspace (SPEC §4 `run`): `DIR/dibao.toml` names the roster, the
//! policy and the mapping; each month's inputs live under
//! `DIR/inputs/YYYY-MM/bank/` and `DIR/inputs/YYYY-MM/checkins/` (and the
//! month's adjustments file, if any, under `DIR/inputs/YYYY-MM/adjustments/`); outputs go
//! to `DIR/out/YYYY-MM/{payroll,reconcile}/`.
//!
//! `dibao.toml` may also hold the mapping profiles themselves
//! (`[[bank_profiles]]`, SPEC §2.5) and the language of the workbooks and
//! messages (`lang`, which `--lang` overrides).
//!
//! `dibao init DIR` writes a commented `dibao.toml` and the folders;
//! `dibao run --workspace DIR --month M` reconciles M−1 when its bank
//! results are there and it is not done yet (against M−1's payroll when
//! there is one), then makes M's payroll from that reconciliation.
//!
//! Invariants: a step whose output directory exists is skipped with a
//! message, never redone silently (`--force` redoes it); files are taken
//! in name order, so the same workspace gives the same outputs; paths in
//! `dibao.toml` are relative to the workspace.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::cmd::{inputs, payroll, reconcile};
use crate::error::Error;
use crate::ingest::profile::{self, Mapping};
use crate::issue::Lang;
use crate::model::date::Month;
use crate::model::policy::{self, Policy};
use crate::payroll::carry::{self, Lack};
use crate::report::manifest;

/// The commented `dibao.toml` that `init` writes.
pub const TEMPLATE: &str = r#"# dibao workspace (see `dibao run --help`). Paths are relative to this folder.
#
# Each month:
#   inputs/YYYY-MM/bank/       the bank's payout results (回盘) of the month, any format
#   inputs/YYYY-MM/checkins/   the month's check-ins (签到), any format
#   inputs/YYYY-MM/adjustments/  optional: one file of the month's 补发/扣发
#                              (低保证号, 金额, 原因), applied to this month's payroll
# and `dibao run --workspace . --month YYYY-MM` reconciles the month before
# (when its bank results are there) and makes this month's payroll:
#   out/YYYY-MM/reconcile/     对账报告, ledger.csv, ledger.parquet, manifest.json
#   out/YYYY-MM/payroll/       报盘, 发放花名册, 公示, payroll.csv, manifest.json

# The approved roster (花名册).
roster = "roster.xlsx"

# The benefit policy (TOML, see `dibao policy show`); the built-in default when absent.
# policy = "policy.toml"

# 制表单位 on the workbooks.
unit = ""

# Language of the workbooks and messages: "zh" (default) or "en"; --lang overrides it.
# lang = "zh"

# How to read a bank's or an office's files when detection is not enough
# (see the README's "Mapping profiles"): a mapping file, or [[bank_profiles]] tables
# right here (not both).
# Keep [[bank_profiles]] at the end of this file: every line below a
# [[bank_profiles]] header belongs to that profile.
# mapping = "mapping.toml"
#
# [[bank_profiles]]
# name = "农行代发回盘"
# match = "*.txt"            # the files it shapes, by name (* and ? wildcards)
# encoding = "gbk"
# delimiter = "|"
# trailer = ["合计"]
# amount_unit = "yuan"       # or "fen"
# [bank_profiles.aliases]
# account = ["收方账号"]
"#;

/// `dibao.toml`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Config {
    roster: PathBuf,
    policy: Option<PathBuf>,
    mapping: Option<Spanned<PathBuf>>,
    #[serde(default)]
    unit: String,
    lang: Option<Spanned<String>>,
    bank_profiles: Option<Vec<profile::RawProfile>>,
}

/// The keys of `dibao.toml` outside `[[bank_profiles]]`.
const TOP_KEYS: [&str; 5] = ["roster", "policy", "mapping", "unit", "lang"];

/// Just `lang`, for commands that need nothing else of `dibao.toml`.
#[derive(Deserialize)]
struct LangOnly {
    lang: Option<Spanned<String>>,
}

/// A `lang` value: `zh` or `en`, in any case.
fn config_lang(value: &Spanned<String>) -> Result<Lang, (usize, String)> {
    match value.get_ref().trim().to_ascii_lowercase().as_str() {
        "zh" => Ok(Lang::Zh),
        "en" => Ok(Lang::En),
        _ => Err((
            value.span().start,
            format!(
                "lang {:?} is neither \"zh\" (中文) nor \"en\" (English)",
                value.get_ref()
            ),
        )),
    }
}

/// A `dibao.toml` error at a byte offset of `text`.
fn config_error(file: &Path, text: &str, offset: usize, message: String) -> Error {
    Error::Config {
        file: file.display().to_string(),
        line: text[..offset.min(text.len())].matches('\n').count() + 1,
        message,
    }
}

/// A TOML error in `dibao.toml`, explained when it is a top-level key
/// written below a `[[bank_profiles]]` header (where TOML makes it a key
/// of that profile).
fn toml_error(file: &Path, text: &str, e: &toml::de::Error) -> Error {
    let offset = e.span().map_or(0, |s| s.start);
    let message = e.message().to_string();
    let misplaced = TOP_KEYS
        .iter()
        .find(|k| message.starts_with(&format!("unknown field `{k}`")));
    let message = match misplaced {
        Some(key) => format!(
            "{key} is written below a [[bank_profiles]] header, so TOML reads it as a key of \
             that profile; move it above the first [[bank_profiles]]"
        ),
        None => message,
    };
    config_error(file, text, offset, message)
}

/// A workspace, read.
pub struct Workspace {
    pub dir: PathBuf,
    roster: PathBuf,
    policy: Option<PathBuf>,
    mapping: Option<Mapping>,
    unit: String,
    /// `lang` of `dibao.toml`, when given.
    pub lang: Option<Lang>,
}

impl Workspace {
    /// Reads `DIR/dibao.toml`.
    ///
    /// # Errors
    /// [`Error::Io`] when it cannot be read; [`Error::Config`] (with the
    /// line) when a key or value is wrong.
    pub fn open(dir: &Path) -> Result<Workspace, Error> {
        let path = dir.join("dibao.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let file = path.display().to_string();
        let at = |offset: usize, message: String| config_error(&path, &text, offset, message);
        let config: Config = toml::from_str(&text).map_err(|e| toml_error(&path, &text, &e))?;
        let lang = match &config.lang {
            None => None,
            Some(l) => Some(config_lang(l).map_err(|(offset, m)| at(offset, m))?),
        };
        let mapping = match (config.mapping, config.bank_profiles) {
            (Some(m), Some(_)) => {
                return Err(at(
                    m.span().start,
                    "give either mapping or [[bank_profiles]], not both".into(),
                ));
            }
            (Some(m), None) => Some(profile::load(&dir.join(m.into_inner()))?),
            (None, Some(raws)) => {
                let mut mapping = profile::resolve_all(raws, &text, &file)?;
                mapping.source = Some(path.clone());
                Some(mapping)
            }
            (None, None) => None,
        };
        Ok(Workspace {
            dir: dir.to_path_buf(),
            roster: dir.join(config.roster),
            policy: config.policy.map(|p| dir.join(p)),
            mapping,
            unit: config.unit,
            lang,
        })
    }

    /// The folder of a month's inputs of one kind (`bank`, `checkins`).
    pub fn inputs(&self, month: Month, what: &str) -> PathBuf {
        self.dir.join("inputs").join(month.to_string()).join(what)
    }

    /// The folder of a month's outputs of one step (`payroll`, `reconcile`).
    pub fn out(&self, month: Month, what: &str) -> PathBuf {
        self.dir.join("out").join(month.to_string()).join(what)
    }
}

/// The `lang` of the workspace in `dir`, when it has a `dibao.toml` that
/// gives one; nothing else of it is read.
///
/// # Errors
/// [`Error::Io`], or [`Error::Config`] when it is not TOML or `lang` is
/// wrong.
pub fn lang_of(dir: &Path) -> Result<Option<Lang>, Error> {
    let path = dir.join("dibao.toml");
    if !path.exists() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let only: LangOnly = toml::from_str(&text).map_err(|e| toml_error(&path, &text, &e))?;
    only.lang
        .as_ref()
        .map(|l| config_lang(l).map_err(|(offset, m)| config_error(&path, &text, offset, m)))
        .transpose()
}

/// The files of a folder, in name order (none when it does not exist; a
/// file in its place or a folder that cannot be read is an error);
/// folders, hidden files and the lock files Excel and WPS leave beside an
/// open workbook (`~$…`) are left out.
fn files_in(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let skip = name.starts_with('.') || name.starts_with("~$");
        if !skip && entry.file_type().map_err(|e| Error::io(dir, e))?.is_file() {
            files.push(entry.path());
        }
    }
    files.sort();
    Ok(files)
}

/// What stands under `inputs/M/` besides `bank/`, `checkins/` and
/// `adjustments/` (hidden and lock files apart), in name order.
fn strays(ws: &Workspace, month: Month) -> Result<Vec<Stray>, Error> {
    let dir = ws.dir.join("inputs").join(month.to_string());
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&dir, e)),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(&dir, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        // A file named like one of the folders is an error of its own,
        // when that folder is read.
        if !["bank", "checkins", "adjustments"].contains(&name.as_str()) {
            found.push(Stray::Beside(entry.path()));
            continue;
        }
        if !entry.file_type().map_err(|e| Error::io(&dir, e))?.is_dir() {
            continue;
        }
        // Inside a known folder only plain files are read: a subfolder (an
        // unzipped delivery) or a link would be passed over.
        let inner = entry.path();
        for file in std::fs::read_dir(&inner).map_err(|e| Error::io(&inner, e))? {
            let file = file.map_err(|e| Error::io(&inner, e))?;
            let name = file.file_name().to_string_lossy().into_owned();
            let plain = file
                .file_type()
                .map_err(|e| Error::io(&inner, e))?
                .is_file();
            if !plain && !name.starts_with('.') && !name.starts_with("~$") {
                found.push(Stray::Inside(file.path()));
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Something under `inputs/M/` that would not be read.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Stray {
    /// Beside the `bank/`, `checkins/` and `adjustments/` folders.
    Beside(PathBuf),
    /// A subfolder or a link inside one of them.
    Inside(PathBuf),
}

/// The adjustments files that the payroll in `payroll_out` did not read
/// as they are now (its manifest records another file or none).
fn unapplied(payroll_out: &Path, files: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let manifest_path = payroll_out.join("manifest.json");
    let recorded = if manifest_path.exists() {
        let manifest = manifest::read(&manifest_path)?;
        manifest::recorded_sha(&manifest, "inputs", "role", "adjustments").map(str::to_string)
    } else {
        None
    };
    let mut out = Vec::new();
    for file in files {
        if recorded.as_deref() != Some(manifest::sha256(file)?.as_str()) {
            out.push(file.clone());
        }
    }
    Ok(out)
}

/// What shows that the month's payroll was sent to the bank: its bank
/// results under `inputs/M/bank/`, its reconciliation `out/M/reconcile/`,
/// or a later month's payroll. `None` when nothing does.
fn sent_evidence(ws: &Workspace, month: Month) -> Result<Option<PathBuf>, Error> {
    if let Some(file) = files_in(&ws.inputs(month, "bank"))?.into_iter().next() {
        return Ok(Some(file));
    }
    let reconciled = ws.out(month, "reconcile");
    if reconciled.exists() {
        return Ok(Some(reconciled));
    }
    let later = std::fs::read_dir(ws.dir.join("out"))
        .map(|entries| {
            entries
                .filter_map(|e| carry::month_folder(e.ok()?.file_name().to_str()?))
                .filter(|m| m.index() > month.index())
                .map(|m| ws.out(m, "payroll"))
                .filter(|p| p.join("payroll.csv").exists())
                .min()
        })
        .unwrap_or(None);
    Ok(later)
}

/// Names what the month's payroll in `payroll_out` lacks when it was made
/// before the reconciliation in `reconciled` (of the month before) existed,
/// or before it was redone: the re-issues and top-ups of the households it
/// pays, and the check-in holds of households it pays. Nothing is said when
/// it read that very ledger.
fn out_of_date(
    reconciled: &Path,
    payroll_out: &Path,
    month: Month,
    lang: Lang,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let ledger = reconciled.join("ledger.csv");
    let manifest_path = payroll_out.join("manifest.json");
    if !ledger.exists() || !manifest_path.exists() {
        return Ok(());
    }
    let manifest = manifest::read(&manifest_path)?;
    let read = manifest::recorded_sha(&manifest, "inputs", "role", "previous");
    if read == Some(manifest::sha256(&ledger)?.as_str()) {
        return Ok(());
    }
    let previous = carry::read_previous(reconciled, month.prev())?;
    let lacks = carry::lacking(payroll_out, &previous, month.prev())?;
    let mut items = Vec::new();
    for lack in &lacks {
        items.push(match lack {
            Lack::Owed(c) => {
                let what = match (c.action, lang) {
                    ("TOP_UP", Lang::Zh) => "补差",
                    (_, Lang::Zh) => "补发",
                    ("TOP_UP", Lang::En) => "top-up",
                    (_, Lang::En) => "re-issue",
                };
                format!("{} {what} {} {}", c.household_id, c.for_month, c.amount)
            }
            Lack::Hold(hid) => lang.pick(
                format!("{hid} 应停发（未签到）却发放"),
                format!("{hid} paid, but held for a missed check-in"),
            ),
            Lack::Unheld(hid) => lang.pick(
                format!("{hid} 已签到应恢复发放却停发"),
                format!("{hid} held, but due again (checked in)"),
            ),
            Lack::Surplus(hid, m) => lang.pick(
                format!("{hid} 补发 {m} 而对账不再欠发（多付，应追回）"),
                format!("{hid} re-issued for {m}, which the reconciliation no longer owes (paid too much: to recover)"),
            ),
        });
    }
    if items.is_empty() {
        return Ok(());
    }
    let line = lang.pick(
        format!(
            "注意：{month} 的发放是在 {} 的对账之前（或对账重做之前）做成的，与对账不符：{}。尚未报送银行的，用 --force 重做；已报送的，缺少的补发、补差会自动计入下月发放，停发和恢复发放的户请人工核对（未发的月份可用补发/扣发文件补上）",
            month.prev(),
            items.join("；")
        ),
        format!(
            "note: the {month} payroll was made before {}'s reconciliation (or before it was redone) and does not agree with it: {}. If it was not sent to the bank yet, --force redoes it; if it was, the re-issues and top-ups it lacks are carried into next month's payroll automatically, and the holds are for the officer to check (a month not paid can be added with an adjustments file)",
            month.prev(),
            items.join("; ")
        ),
    );
    writeln!(out, "{line}").map_err(|e| Error::io("<stdout>", e))
}

/// Writes a new workspace into `dir` (created when missing).
///
/// # Errors
/// [`Error::Usage`] when `dir` already holds a `dibao.toml`; [`Error::Io`].
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let config = dir.join("dibao.toml");
    if config.exists() {
        return Err(Error::Usage(format!(
            "{} already exists: this is a workspace already",
            config.display()
        )));
    }
    let made = [dir.join("inputs"), dir.join("out")];
    for d in &made {
        std::fs::create_dir_all(d).map_err(|e| Error::io(d, e))?;
    }
    std::fs::write(&config, TEMPLATE).map_err(|e| Error::io(&config, e))?;
    Ok(vec![config, made[0].clone(), made[1].clone()])
}

/// What to run.
pub struct RunOptions {
    pub workspace: PathBuf,
    pub month: Month,
    pub force: bool,
    /// `--lang`; `None` takes the workspace's `lang`, else Chinese.
    pub lang: Option<Lang>,
    pub quiet: bool,
    pub args: Vec<String>,
}

/// How the run ended: false when input problems stopped a step.
pub struct RunOutcome {
    pub finished: bool,
}

/// Runs the month's cycle, writing each step's problems and summary to `out`.
///
/// # Errors
/// As the steps: usage, configuration and I/O errors (exit 2).
pub fn run(opts: &RunOptions, out: &mut dyn Write) -> Result<RunOutcome, Error> {
    let ws = Workspace::open(&opts.workspace)?;
    // A run killed while replacing a month's output left it aside: put it
    // back (or clear the staging folders) before anything reads out/.
    if let Ok(entries) = std::fs::read_dir(ws.dir.join("out")) {
        let mut months: Vec<Month> = entries
            .filter_map(|e| carry::month_folder(e.ok()?.file_name().to_str()?))
            .collect();
        months.sort();
        for month in months {
            for step in ["payroll", "reconcile"] {
                crate::cmd::outdir::recover(&ws.out(month, step))?;
            }
        }
    }
    let lang = opts.lang.or(ws.lang).unwrap_or(Lang::Zh);
    let say = |out: &mut dyn Write, line: String| {
        writeln!(out, "{line}").map_err(|e| Error::io("<stdout>", e))
    };
    // A step skipped is a summary line: not with --quiet.
    let skipped = |out: &mut dyn Write, line: String| {
        if opts.quiet { Ok(()) } else { say(out, line) }
    };
    let policy: Policy = policy::load_or_default(ws.policy.as_deref())?;
    // Each step reads with the workspace's profiles and writes into its
    // own folder of out/.
    let common = |dir: PathBuf| inputs::Common {
        mapping: ws.mapping.clone(),
        sheet: None,
        encoding: None,
        date: None,
        unit: ws.unit.clone(),
        force: opts.force,
        out: dir,
        lang,
        quiet: opts.quiet,
        args: opts.args.clone(),
    };
    let prev = opts.month.prev();

    // Anything under inputs/M/ that is not one of its three folders would
    // be left unread (a bank file dropped beside bank/ leaves last month
    // unreconciled): the run stops before anything is written.
    let mut misplaced = 0;
    for month in [prev, opts.month] {
        for stray in strays(&ws, month)? {
            misplaced += 1;
            let base = ws.dir.join("inputs").join(month.to_string());
            let stray = match stray {
                Stray::Beside(path) => path,
                Stray::Inside(path) => {
                    say(
                        out,
                        lang.pick(
                            format!(
                                "错误：{} 是子文件夹或链接，不会被读取：把其中的文件直接放进它所在的文件夹",
                                path.display()
                            ),
                            format!(
                                "error: {} is a subfolder or a link and would not be read: put the files in it straight into the folder above it",
                                path.display()
                            ),
                        ),
                    )?;
                    continue;
                }
            };
            say(
                out,
                lang.pick(
                    format!(
                        "错误：{} 不在 bank、checkins 或 adjustments 文件夹中，不会被读取：银行回盘请移入 {}，签到表移入 {}，补发/扣发文件移入 {}",
                        stray.display(),
                        base.join("bank").display(),
                        base.join("checkins").display(),
                        base.join("adjustments").display()
                    ),
                    format!(
                        "error: {} is not in a bank, checkins or adjustments folder and would not be read: move bank results into {}, check-ins into {}, an adjustments file into {}",
                        stray.display(),
                        base.join("bank").display(),
                        base.join("checkins").display(),
                        base.join("adjustments").display()
                    ),
                ),
            )?;
        }
    }
    if misplaced > 0 {
        say(
            out,
            lang.pick(
                "有错误，未写入任何文件".to_string(),
                "errors found: nothing was written".to_string(),
            ),
        )?;
        return Ok(RunOutcome { finished: false });
    }

    // The month's adjustments file, when there is one: looked at first, so
    // that a folder holding two stops the run before anything is written.
    let payroll_out = ws.out(opts.month, "payroll");
    // A payroll whose bank results are in was sent: --force does not redo
    // it (what the bank was told, and what later months read as paid,
    // stays as it was).
    let sent = if payroll_out.exists() {
        sent_evidence(&ws, opts.month)?
    } else {
        None
    };
    let payroll_done = payroll_out.exists() && (!opts.force || sent.is_some());
    let adjustments_dir = ws.inputs(opts.month, "adjustments");
    let adjustment_files = files_in(&adjustments_dir)?;
    let adjustments = match adjustment_files.as_slice() {
        _ if payroll_done => {
            for file in unapplied(&payroll_out, &adjustment_files)? {
                say(
                    out,
                    lang.pick(
                        match &sent {
                            None => format!(
                                "注意：{} 没有计入已完成的 {} 发放（发放后才放入或改过）；要计入，用 --force 重做",
                                file.display(),
                                opts.month
                            ),
                            Some(_) => format!(
                                "注意：{} 没有计入已报送银行的 {} 发放（发放后才放入或改过）；请把这些补发/扣发放进下个月的 adjustments 文件夹",
                                file.display(),
                                opts.month
                            ),
                        },
                        match &sent {
                            None => format!(
                                "note: {} is not in the {} payroll already made (added or changed \
                                 after it); --force redoes the payroll with it",
                                file.display(),
                                opts.month
                            ),
                            Some(_) => format!(
                                "note: {} is not in the {} payroll, which was sent to the bank \
                                 (added or changed after it); put its lines in next month's \
                                 adjustments folder",
                                file.display(),
                                opts.month
                            ),
                        },
                    ),
                )?;
            }
            None
        }
        [] => None,
        [one] => Some(one.clone()),
        many => {
            let names = many
                .iter()
                .filter_map(|p| p.file_name()?.to_str())
                .collect::<Vec<_>>()
                .join(", ");
            return Err(Error::Usage(lang.pick(
                format!(
                    "{} 里有 {} 个文件（{names}）：每月只用一个补发/扣发文件，请合并成一个",
                    adjustments_dir.display(),
                    many.len()
                ),
                format!(
                    "{} holds {} files ({names}): a month takes one adjustments file; put its \
                     lines together in one",
                    adjustments_dir.display(),
                    many.len()
                ),
            )));
        }
    };

    // 1. Reconcile last month, when its bank results are there.
    let bank = files_in(&ws.inputs(prev, "bank"))?;
    let reconciled = ws.out(prev, "reconcile");
    if bank.is_empty() {
        skipped(
            out,
            lang.pick(
                format!(
                    "{prev} 对账：{} 下没有银行回盘，跳过",
                    ws.inputs(prev, "bank").display()
                ),
                format!(
                    "{prev} reconciliation: no bank results under {}, skipped",
                    ws.inputs(prev, "bank").display()
                ),
            ),
        )?;
        // A payroll was sent last month and its results are not in: this
        // month's payroll cannot carry its re-issues and holds.
        if ws.out(prev, "payroll").join("payroll.csv").exists() && !payroll_done {
            say(
                out,
                lang.pick(
                    format!(
                        "注意：{prev} 已发放，但还没有它的银行回盘：本次 {} 发放不含 {prev} 的补发和停发；回盘放入 {} 后再运行本命令，会列出本月发放缺少的内容",
                        opts.month,
                        ws.inputs(prev, "bank").display()
                    ),
                    format!(
                        "note: {prev} was paid but its bank results are not in: this {} payroll cannot carry {prev}'s re-issues and holds; once they are in {}, running this command again names what the payroll lacks",
                        opts.month,
                        ws.inputs(prev, "bank").display()
                    ),
                ),
            )?;
        }
    } else if reconciled.exists() && !opts.force {
        skipped(
            out,
            lang.pick(
                format!(
                    "{prev} 对账：已完成（{}），跳过；--force 重做",
                    reconciled.display()
                ),
                format!(
                    "{prev} reconciliation: done already ({}), skipped; --force redoes it",
                    reconciled.display()
                ),
            ),
        )?;
    } else {
        // The check-ins of the months a run of misses looks back over, in
        // month order: the months inputs/ holds, from prev back.
        let back = i64::from(policy.suspend_after_missed.max(1)) - 1;
        let mut months: Vec<Month> = std::fs::read_dir(ws.dir.join("inputs"))
            .map(|entries| {
                entries
                    .filter_map(|e| carry::month_folder(e.ok()?.file_name().to_str()?))
                    .filter(|m| {
                        m.index() <= prev.index() && i64::from(prev.index() - m.index()) <= back
                    })
                    .collect()
            })
            .unwrap_or_default();
        months.sort();
        let mut checkins = Vec::new();
        for m in months {
            checkins.extend(files_in(&ws.inputs(m, "checkins"))?);
        }
        let sent = ws.out(prev, "payroll");
        let outcome = reconcile::run(
            &reconcile::ReconcileOptions {
                month: prev,
                roster: ws.roster.clone(),
                bank,
                checkins,
                payroll: sent.join("payroll.csv").exists().then_some(sent),
                policy: ws.policy.clone(),
                common: common(reconciled.clone()),
            },
            out,
        )?;
        if !outcome.written {
            return Ok(RunOutcome { finished: false });
        }
    }

    // 2. This month's payroll, from last month's reconciliation, with the
    // month's adjustments.
    if payroll_done && opts.force {
        // Forced, but sent: said even with --quiet, since --force was asked.
        let because = sent
            .as_ref()
            .map_or_else(String::new, |p| p.display().to_string());
        say(
            out,
            lang.pick(
                format!(
                    "{} 发放：已报送银行（已有 {because}），--force 也不重做：银行按原来的报盘付款，以后各月也据此核对；与对账不符之处见下，缺少的补发、补差自动计入下月，多付的请追回",
                    opts.month
                ),
                format!(
                    "{} payroll: sent to the bank already ({because} exists), not redone even with --force: the bank paid what it was sent, and later months go by it; where it does not agree with the reconciliation is named below, what it lacks is paid next month, what it paid too much is to be recovered",
                    opts.month
                ),
            ),
        )?;
        out_of_date(&reconciled, &payroll_out, opts.month, lang, out)?;
        return Ok(RunOutcome { finished: true });
    }
    if payroll_done {
        skipped(
            out,
            lang.pick(
                format!(
                    "{} 发放：已完成（{}），跳过；--force 重做",
                    opts.month,
                    payroll_out.display()
                ),
                format!(
                    "{} payroll: done already ({}), skipped; --force redoes it",
                    opts.month,
                    payroll_out.display()
                ),
            ),
        )?;
        out_of_date(&reconciled, &payroll_out, opts.month, lang, out)?;
        return Ok(RunOutcome { finished: true });
    }
    let outcome = payroll::run(
        &payroll::PayrollOptions {
            month: opts.month,
            roster: ws.roster.clone(),
            policy: ws.policy.clone(),
            previous: reconciled.join("ledger.csv").exists().then_some(reconciled),
            history: Some(ws.dir.join("out")),
            workspace: true,
            adjustments,
            allow_partial: false,
            common: common(payroll_out),
        },
        out,
    )?;
    Ok(RunOutcome {
        finished: outcome.written,
    })
}
