//! The command line: clap definitions (syntax only) and the one place that
//! turns results into exit codes. `0` finished; `1` input data errors
//! stopped the run (every problem listed); `2` usage, configuration or I/O
//! error (on standard error).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::cmd;
use crate::error::Error;
use crate::ingest::profile;
use crate::ingest::schema::Kind;
use crate::issue::Lang;
use crate::model::date::Month;

#[derive(Parser)]
#[command(
    name = "dibao",
    version,
    about = "Monthly bank disbursement of minimum-living-guarantee (低保) benefits",
    long_about = "dibao reads the approved household roster (花名册), bank payout results (回盘) and \
monthly check-ins (签到) from the files offices and banks really produce — .xlsx, .xls, .xlsb, .ods, \
.csv or .txt, UTF-8 or GBK, with title rows, totals rows and Excel-mangled numbers — and names every \
problem by file, sheet, row, column and value.\n\n\
Exit codes: 0 finished; 1 input data errors (every problem listed on standard output); \
2 usage, configuration or I/O error (on standard error)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,

    /// Language of workbooks, messages and summaries [default: zh, or a
    /// workspace's `lang`].
    #[arg(long, value_enum, global = true)]
    lang: Option<LangArg>,

    /// Print problems only, no summaries.
    #[arg(long, short, global = true)]
    quiet: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Zh,
    En,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    /// Approved households (花名册).
    Roster,
    /// Bank payout results (代发回盘).
    Bank,
    /// Certificate-stamp check-ins (签到).
    Checkins,
    /// Adjustments to a payroll (补发/扣发: 低保证号, 金额, 原因).
    Adjustments,
}

#[derive(Clone, Copy, ValueEnum)]
enum GenFormatArg {
    Csv,
    Xlsx,
}

#[derive(Subcommand)]
enum Command {
    /// Validate input files and list every problem.
    #[command(long_about = "Validate input files and list every problem.\n\n\
Each FILE is read on its own: the first sheet of a workbook (or --sheet), or a text file whose \
encoding (UTF-8, UTF-8 with BOM, GBK/GB18030) and delimiter (, tab | ;) are detected. Rows above \
the header are skipped: the header is the first row that holds every required column of a kind. \
The kind (roster, bank or checkins) is detected from the headers unless --kind says it. Totals \
rows (合计, 总计, 小计, Total) are not data; their figures are checked against the data rows. \
Amounts are yuan unless the header (金额(分), 单位：分), a title row, the cell (62000分) or \
--mapping's amount_unit says fen; no amount may exceed the policy's max_household_total \
(--policy; by default 16,500.00).\n\n\
Every problem is printed as\n\n    FILE[SHEET]!C14 (header): 错误[CODE] message — hint\n\n\
followed by one summary line per file that accounts for every row. Exit status 1 when any \
error was found (a missing required column is one); warnings alone exit 0.\n\n\
Example:\n\n    dibao check roster.xlsx bank_2026-11.txt --lang en")]
    Check(CheckArgs),
    /// Write a deterministic synthetic roster, bank results and check-ins.
    #[command(
        long_about = "Write a deterministic synthetic roster, bank results and check-ins.\n\n\
For tests and benchmarks: N households with valid ID numbers (some ending in X), Luhn-valid \
16-19 digit accounts starting 62 (a few failing Luhn), Chinese names (two-character surnames, \
minority names with ·), household sizes 1-6, communities and streets; the month's bank result \
and check-ins with anomalies of every kind the reconciliation knows (failed, missing, under- and \
overpaid, duplicate, unexpected, unreadable, matched by ID, account changed, name mismatch, \
retried; late, early, excused, missed, change reported, amount differs). truth.csv lists what a \
reconciliation must find. The same options always write the same bytes.\n\n\
Example:\n\n    dibao gen --households 1000 --seed 7 --anomalies 0.1 --out data"
    )]
    Gen(GenArgs),
    /// Write the month's payroll: bank upload files, finance roster, public notice, payroll.csv.
    #[command(
        long_about = "Write the month's payroll: bank upload workbooks (one per bank), the \
print-ready finance roster (发放花名册) with a summary sheet, the public notice (公示), payroll.csv \
and manifest.json, into --out.\n\n\
Every roster household gets one payroll.csv line: DUE (paid), HELD (暂停 on the roster, or held \
after a missed check-in: SUSPEND in --previous), INACTIVE (stopped, or outside its months) or \
EXCLUDED (--allow-partial: a row with errors). A due household gets base + subsidies × members + \
add-ons (--policy; see `dibao policy show`) + what --previous says it is owed (REISSUE: that month's amount; \
TOP_UP: expected − paid; each household and month once: one already in a payroll.csv under \
--history, by default the parent of --out, is skipped with a message) + its --adjustments \
(低保证号, 金额 with a leading - to deduct, 原因). Owed amounts of households that are not due \
are listed (待补发), not paid; RECOVER amounts are listed (追回), never deducted.\n\n\
Each bank's upload follows its layout, chosen by the roster's 开户银行 (built in for ICBC, CCB, \
CGB, ABC and PSBC; a --mapping profile with bank = \"…\" and an [upload] table changes it). \
备注 is \"HP0001 2026-11\" when it fits the bank's limit, else \"HP0001\" alone; a value over \
the bank's limits (户名 or 备注 bytes, a line's amount) is an error at the roster cell, and \
nothing is written (exit 1).\n\n\
Problems are printed as by `dibao check`. A roster with errors writes nothing and exits 1, \
unless --allow-partial; an adjustment for a household not on the roster, or one that leaves a \
due household's total at zero or below, writes nothing and exits 1. The output is written into \
a temporary directory and moved into place; an existing non-empty --out is replaced only with \
--force, and only when it is a payroll folder dibao wrote holding nothing else (its manifest.json \
names every file); if the move fails, the old folder is put back. The same inputs write the same bytes.\n\n\
Example:\n\n    dibao payroll --month 2026-11 --roster roster.xlsx --previous out/2026-10/reconcile --out out/2026-11/payroll"
    )]
    Payroll(PayrollArgs),
    /// Reconcile the bank's payout results and the check-ins of a month.
    #[command(
        long_about = "Reconcile the bank's payout results (回盘) and the certificate-stamp \
check-ins (签到) of a month against the roster, to the fen.\n\n\
Expected amounts come from --payroll DIR (its payroll.csv: what was sent; checked against the \
sha256 in its manifest.json) or, without it, from roster and policy. A bank row is matched to a \
household by, first that applies: a household number in its 备注/reference (with no letter or \
digit right before or after it), its account, the head's ID (flag MATCHED_BY_ID). Every roster \
household gets one ledger row — PAID, UNDERPAID (TOP_UP), OVERPAID (RECOVER), FAILED or MISSING \
(REISSUE; REVIEW when an unreadable row may have paid it), HELD, INACTIVE, or UNEXPECTED (paid \
while not due: RECOVER) — then every bank row not consumed by one: UNEXPECTED (matches nobody), \
DUPLICATE (a further successful payment: RECOVER), UNREADABLE (REVIEW). Check-ins: ON_TIME, \
HOME_VISIT, LATE, EARLY, EXCUSED, MISSED (SUSPEND after the policy's run of misses; REVIEW for a \
home-visit household), NOT_DUE.\n\n\
Writes 对账报告_YYYY-MM.xlsx (summary with balancing control totals, one sheet per exception \
status, check-ins, 补发/追回/停发建议/复核 lists, problems), ledger.csv, ledger.parquet and \
manifest.json into --out (staged, moved into place; an existing non-empty --out only with \
--force, and only when it is a reconciliation folder dibao wrote holding nothing else). Two \
--bank files holding the same payments (the .txt and the .xlsx of one batch: same account, amount \
and outcome, and the same reference or transaction number where both give one) are refused, \
exit 2. Roster errors, a file without a header or an edited payroll write nothing and exit 1; \
problems in bank rows do not stop the run. A ledger that does not balance (rows in ≠ rows \
accounted for, Σ paid ≠ Σ successful bank rows) exits 2.\n\n\
Example:\n\n    dibao reconcile --month 2026-11 --roster roster.xlsx --bank 回盘1.xlsx 回盘2.txt \
--checkins 签到.xlsx --payroll out/2026-11/payroll --out out/2026-11/reconcile"
    )]
    Reconcile(ReconcileArgs),
    /// Write the built-in demo workspace and run three months of it.
    #[command(
        long_about = "Write the built-in demo workspace and run three months of it: the community \
和平社区 (36 households, 61 persons) with its roster and two months of bank results (回盘) and \
check-ins (签到), embedded in this program, holding what a real month brings: a closed account, \
a name the bank spells differently, a duplicate payment, missed, late and excused stamps, home \
visits and reported family changes. Then `dibao run` for 2026-11 (the first payroll), 2026-12 \
(reconcile November, pay December; the roster is first replaced by the one the officer has by \
then, with the closed account's replacement) and 2027-01 (reconcile December, pay January), printing what \
each prints, and at the end what the data holds and which workbooks to open (--quiet: \
problems only). The folder is a \
normal workspace: run its months again, or look at it with `dibao history`.\n\n\
DIR must be new or empty (a folder holding anything is refused, exit 2); without DIR a new \
folder dibao-demo (dibao-demo-2, … when that exists) is made in the current folder. --lang en \
writes English workbooks and records lang = \"en\" in its dibao.toml. Needs no other input.\n\n\
Example:\n\n    dibao demo\n    dibao demo /tmp/演示 --lang en"
    )]
    Demo {
        /// The folder to write (new or empty); default a new dibao-demo here.
        dir: Option<PathBuf>,
    },
    /// Write a new workspace: a commented dibao.toml, inputs/ and out/.
    #[command(
        long_about = "Write a new workspace into DIR (created when missing): a commented \
dibao.toml naming the roster, the policy, the mapping (a file, or [[bank_profiles]] tables in \
dibao.toml itself), the 制表单位 and the language, and the folders inputs/ \
and out/. Each month's bank results go under inputs/YYYY-MM/bank/ and its check-ins under \
inputs/YYYY-MM/checkins/; `dibao run` writes out/YYYY-MM/{payroll,reconcile}/. A DIR that holds \
a dibao.toml already is refused (exit 2).\n\n\
Example:\n\n    dibao init 幸福社区"
    )]
    Init {
        /// The workspace folder.
        dir: PathBuf,
    },
    /// Run a month's cycle in a workspace: reconcile last month, then pay this month.
    #[command(
        long_about = "Run a month's cycle in a workspace (see `dibao init`).\n\n\
First the month before --month is reconciled, when its bank results are under \
inputs/YYYY-MM/bank/ and out/YYYY-MM/reconcile/ does not exist yet: with every file of that \
folder, the check-ins of that month and of the months a run of misses looks back over \
(inputs/*/checkins/), and that month's payroll (out/YYYY-MM/payroll/) as what was sent. Then \
--month's payroll is made, with that reconciliation as --previous, out/ as --history and the \
one file under inputs/YYYY-MM/adjustments/ of --month, if any, as --adjustments (two files there \
are refused, exit 2), unless out/YYYY-MM/payroll/ exists. A step already done is skipped with a message, never redone \
silently; --force redoes both. Each step prints its problems and summary as `reconcile` and \
`payroll` do. Files are taken in name order. Exit 1 when input problems stop a step.\n\n\
What a household is owed (REISSUE, TOP_UP) is read from every earlier month's ledger under out/ \
and stays owed until one of the workspace's own payrolls (out/YYYY-MM/payroll/, matching its \
manifest.json) pays it; copies and backups under out/ never count (a warning names them). A \
payroll made before last month's reconciliation is named with what it lacks (re-issues, holds); \
--force redoes it if it was not sent, otherwise what it lacked is paid next month. Anything \
under inputs/YYYY-MM/ that is not in its bank/, checkins/ or adjustments/ folder stops the run \
before anything is written (exit 1), saying where it belongs.\n\n\
Example:\n\n    dibao run --workspace 幸福社区 --month 2026-12"
    )]
    Run(RunArgs),
    /// Show what each household of a workspace was due, paid, held and re-issued, month by month.
    #[command(
        long_about = "Show what each household of a workspace was due, paid, held and \
re-issued, month by month, from the months' out/YYYY-MM/payroll/payroll.csv and \
out/YYYY-MM/reconcile/ledger.parquet: one tab-separated line per household and month (the \
payroll's status and hold, its total and what of it was re-issued for which month, the \
reconciliation's status, what was paid, the check-in and the actions). Nothing is written.\n\n\
Example:\n\n    dibao history --workspace 幸福社区 --household XF0004"
    )]
    History {
        /// The workspace folder.
        #[arg(long)]
        workspace: PathBuf,
        /// Only this household (低保证号).
        #[arg(long)]
        household: Option<String>,
    },
    /// Show the benefit policy in force.
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// List the bank result layouts dibao recognises without a profile.
    #[command(
        long_about = "List the bank result layouts dibao recognises without a profile: for \
each, what in the file's shape recognises it (a header row, the first line, the pattern of a \
line) and a sample line. `dibao check` names the layout that read a file. A profile of the \
user's (--mapping, or dibao.toml's [[bank_profiles]]) comes first; a file that fits two layouts \
is an error until a profile says how to read it.\n\n\
Example:\n\n    dibao layouts --lang en"
    )]
    Layouts,
}

#[derive(Subcommand)]
enum PolicyCommand {
    /// Print the policy in force as TOML.
    #[command(long_about = "Print the policy in force as TOML.\n\n\
Without --policy: the built-in default (one-person household 280.00 a month, 260.00 per person \
for two or more, subsidies 副食品补贴 35.00 and 生活补助费 15.00 per person, no add-ons, \
check-in window 25-28, rounding to the fen, max_household_total 16500.00). With --policy FILE: \
that file over the default — in [standard], [checkin] and [payment] each key it gives replaces the \
default's; a [subsidies] or [addons] table it gives replaces the default's list whole.\n\n\
[payment] max_household_total is the most one household is paid in a month: any amount read above \
it, and any household's payroll total above it, is an error. Not given, it is 50 times one \
person's month at the higher standard with every subsidy, so it follows the file's standard and \
subsidies. The output is itself a complete \
policy file. An unknown key or a bad value is an error naming the file's line (exit 2).\n\n\
Example:\n\n    dibao policy show --policy policy.toml")]
    Show {
        /// A policy file (TOML); keys it omits keep the default.
        #[arg(long)]
        policy: Option<PathBuf>,
    },
}

#[derive(Args)]
struct CheckArgs {
    /// Files to check (.xlsx .xls .xlsb .ods .csv .txt).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// What the files hold; detected from the headers when not given.
    #[arg(long, value_enum)]
    kind: Option<KindArg>,
    /// A TOML mapping file (encoding, delimiter, header row, aliases, …).
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// The sheet to read (default: the first).
    #[arg(long)]
    sheet: Option<String>,
    /// Text encoding (utf-8, gbk, gb18030, …); detected when not given.
    #[arg(long)]
    encoding: Option<String>,
    /// A policy file (TOML): its max_household_total bounds every amount.
    #[arg(long)]
    policy: Option<PathBuf>,
}

#[derive(Args)]
struct PayrollArgs {
    /// The month to pay (YYYY-MM).
    #[arg(long)]
    month: Month,
    /// The approved roster.
    #[arg(long)]
    roster: PathBuf,
    /// A policy file (TOML); keys it omits keep the default.
    #[arg(long)]
    policy: Option<PathBuf>,
    /// Last month's reconcile output (its ledger.csv): holds, re-issues, top-ups.
    #[arg(long)]
    previous: Option<PathBuf>,
    /// Where earlier payrolls are (searched recursively for payroll.csv); default: the parent of --out.
    #[arg(long)]
    history: Option<PathBuf>,
    /// Adjustments (低保证号, 金额, 原因), any input format.
    #[arg(long)]
    adjustments: Option<PathBuf>,
    /// Write the outputs without the households whose rows have errors.
    #[arg(long)]
    allow_partial: bool,
    #[command(flatten)]
    written: WrittenArgs,
}

#[derive(Args)]
struct RunArgs {
    /// The workspace folder (holds dibao.toml).
    #[arg(long)]
    workspace: PathBuf,
    /// The month to pay (YYYY-MM); the month before is reconciled.
    #[arg(long)]
    month: Month,
    /// Redo steps already done.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
struct ReconcileArgs {
    /// The month reconciled (YYYY-MM).
    #[arg(long)]
    month: Month,
    /// The approved roster.
    #[arg(long)]
    roster: PathBuf,
    /// Bank payout result files, in the order their rows count ("first").
    #[arg(long, required = true, num_args = 1..)]
    bank: Vec<PathBuf>,
    /// Check-in files (may span several months).
    #[arg(long, num_args = 1..)]
    checkins: Vec<PathBuf>,
    /// The month's payroll output (its payroll.csv): what was sent.
    #[arg(long)]
    payroll: Option<PathBuf>,
    /// A policy file (TOML); keys it omits keep the default.
    #[arg(long)]
    policy: Option<PathBuf>,
    #[command(flatten)]
    written: WrittenArgs,
}

/// How the inputs are read and where and how the documents are written:
/// shared by `payroll` and `reconcile`.
#[derive(Args)]
struct WrittenArgs {
    /// 制表日期 on the documents (YYYY-MM-DD); default: the first day of the month.
    #[arg(long)]
    date: Option<String>,
    /// 制表单位 on the documents.
    #[arg(long, default_value = "")]
    unit: String,
    /// A TOML mapping file for the input files.
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// The sheet to read in spreadsheet inputs (default: the first).
    #[arg(long)]
    sheet: Option<String>,
    /// Text encoding of the inputs; detected when not given.
    #[arg(long)]
    encoding: Option<String>,
    /// Replace an earlier output of the same command (never a folder dibao did not write).
    #[arg(long)]
    force: bool,
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
}

#[derive(Args)]
struct GenArgs {
    /// Number of households.
    #[arg(long)]
    households: usize,
    /// Random seed: the same seed writes the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Share of households given an anomaly, 0 to 1.
    #[arg(long, default_value_t = 0.05)]
    anomalies: f64,
    /// File format of the roster, bank result and check-ins.
    #[arg(long, value_enum, default_value_t = GenFormatArg::Csv)]
    format: GenFormatArg,
    /// The month of the bank result and check-ins.
    #[arg(long, default_value = "2026-11")]
    month: Month,
    /// Output directory (must not exist or be empty, unless --force).
    #[arg(long)]
    out: PathBuf,
    /// Replace an earlier `gen` output (never a folder dibao did not write).
    #[arg(long)]
    force: bool,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.lang.map(|l| match l {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    });
    match run(cli.command, lang, cli.quiet) {
        Ok(code) => code,
        Err(e) => {
            // A path or value in the message may come from a file.
            eprintln!("dibao: {}", crate::sanitize::escaped(&e.to_string()));
            ExitCode::from(2)
        }
    }
}

fn encoding(label: Option<&str>) -> Result<Option<&'static encoding_rs::Encoding>, Error> {
    label
        .map(|l| {
            encoding_rs::Encoding::for_label(l.as_bytes()).ok_or_else(|| {
                Error::Usage(format!("unknown encoding {l:?}; use utf-8, gbk or gb18030"))
            })
        })
        .transpose()
}

/// Standard output, buffered, with nothing from a file able to steer the
/// terminal (see [`crate::sanitize::Terminal`]).
fn terminal() -> crate::sanitize::Terminal<std::io::BufWriter<std::io::StdoutLock<'static>>> {
    crate::sanitize::Terminal::new(std::io::BufWriter::new(std::io::stdout().lock()))
}

/// Runs a command that writes to standard output (buffered, flushed at
/// the end); `true` from it is exit 0, `false` (input problems stopped it)
/// exit 1.
fn to_stdout(f: impl FnOnce(&mut dyn Write) -> Result<bool, Error>) -> Result<ExitCode, Error> {
    let mut out = terminal();
    let done = f(&mut out)?;
    out.flush().map_err(|e| Error::io("<stdout>", e))?;
    Ok(if done {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The reading and writing options of `payroll` and `reconcile`.
fn common(w: WrittenArgs, lang: Lang, quiet: bool) -> Result<cmd::inputs::Common, Error> {
    Ok(cmd::inputs::Common {
        mapping: w.mapping.as_deref().map(profile::load).transpose()?,
        sheet: w.sheet,
        encoding: encoding(w.encoding.as_deref())?,
        date: date_arg(w.date.as_deref())?,
        unit: w.unit,
        force: w.force,
        out: w.out,
        lang,
        quiet,
        args: std::env::args().skip(1).collect(),
    })
}

/// A `--date` value.
fn date_arg(d: Option<&str>) -> Result<Option<chrono::NaiveDate>, Error> {
    d.map(|d| {
        crate::model::date::parse_date(d)
            .ok_or_else(|| Error::Usage(format!("--date {d:?} is not a date (YYYY-MM-DD)")))
    })
    .transpose()
}

/// `lang` is `--lang` when given.
fn run(command: Command, given_lang: Option<Lang>, quiet: bool) -> Result<ExitCode, Error> {
    let lang = given_lang.unwrap_or(Lang::Zh);
    match command {
        Command::Check(args) => {
            let encoding = encoding(args.encoding.as_deref())?;
            let opts = cmd::check::CheckOptions {
                files: args.files,
                kind: args.kind.map(|k| match k {
                    KindArg::Roster => Kind::Roster,
                    KindArg::Bank => Kind::Bank,
                    KindArg::Checkins => Kind::Checkins,
                    KindArg::Adjustments => Kind::Adjustments,
                }),
                mapping: args.mapping.as_deref().map(profile::load).transpose()?,
                sheet: args.sheet,
                encoding,
                policy: crate::model::policy::load_or_default(args.policy.as_deref())?,
                lang,
                quiet,
            };
            let mut out = terminal();
            let outcome = cmd::check::run(&opts, &mut out)?;
            out.flush().map_err(|e| Error::io("<stdout>", e))?;
            Ok(if outcome.errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Payroll(args) => {
            let opts = cmd::payroll::PayrollOptions {
                month: args.month,
                roster: args.roster,
                policy: args.policy,
                previous: args.previous,
                history: args.history,
                workspace: false,
                adjustments: args.adjustments,
                allow_partial: args.allow_partial,
                common: common(args.written, lang, quiet)?,
            };
            to_stdout(|out| Ok(cmd::payroll::run(&opts, out)?.written))
        }
        Command::Reconcile(args) => {
            let opts = cmd::reconcile::ReconcileOptions {
                month: args.month,
                roster: args.roster,
                bank: args.bank,
                checkins: args.checkins,
                payroll: args.payroll,
                policy: args.policy,
                common: common(args.written, lang, quiet)?,
            };
            to_stdout(|out| Ok(cmd::reconcile::run(&opts, out)?.written))
        }
        Command::Demo { dir } => {
            let opts = cmd::demo::DemoOptions {
                dir,
                lang,
                quiet,
                args: std::env::args().skip(1).collect(),
            };
            to_stdout(|out| Ok(cmd::demo::run(&opts, out)?.finished))
        }
        Command::Init { dir } => {
            let made = cmd::workspace::init(&dir)?;
            if !quiet {
                let mut out = terminal();
                let w = |out: &mut dyn Write, line: String| {
                    writeln!(out, "{line}").map_err(|e| Error::io("<stdout>", e))
                };
                w(
                    &mut out,
                    lang.pick("已建立工作区：", "workspace written:").into(),
                )?;
                for p in made {
                    w(&mut out, format!("  {}", p.display()))?;
                }
                out.flush().map_err(|e| Error::io("<stdout>", e))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Run(args) => {
            let opts = cmd::workspace::RunOptions {
                workspace: args.workspace,
                month: args.month,
                force: args.force,
                lang: given_lang,
                quiet,
                args: std::env::args().skip(1).collect(),
            };
            to_stdout(|out| Ok(cmd::workspace::run(&opts, out)?.finished))
        }
        Command::History {
            workspace,
            household,
        } => {
            let lang = match given_lang {
                Some(l) => l,
                None => cmd::workspace::lang_of(&workspace)?.unwrap_or(Lang::Zh),
            };
            let mut out = terminal();
            cmd::history::run(
                &cmd::history::HistoryOptions {
                    workspace,
                    household,
                    lang,
                },
                &mut out,
            )?;
            out.flush().map_err(|e| Error::io("<stdout>", e))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Layouts => {
            let mut out = terminal();
            write!(out, "{}", cmd::layouts::show(lang))
                .and_then(|()| out.flush())
                .map_err(|e| Error::io("<stdout>", e))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Policy(PolicyCommand::Show { policy }) => {
            let mut out = terminal();
            write!(out, "{}", cmd::policy::show(policy.as_deref(), lang)?)
                .and_then(|()| out.flush())
                .map_err(|e| Error::io("<stdout>", e))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Gen(args) => {
            if !(0.0..=1.0).contains(&args.anomalies) {
                return Err(Error::Usage(format!(
                    "--anomalies {} is not between 0 and 1",
                    args.anomalies
                )));
            }
            let opts = crate::synth::GenOptions {
                households: args.households,
                seed: args.seed,
                anomalies: args.anomalies,
                format: match args.format {
                    GenFormatArg::Csv => crate::synth::GenFormat::Csv,
                    GenFormatArg::Xlsx => crate::synth::GenFormat::Xlsx,
                },
                month: args.month,
                out: args.out,
            };
            let command_line: Vec<String> = std::env::args().skip(1).collect();
            let report = cmd::generate::run(&opts, args.force, &command_line)?;
            if !quiet {
                let line = match lang {
                    Lang::Zh => format!(
                        "已生成 {} 户 {} 人，银行回盘 {} 行，签到 {} 行，异常 {} 处：",
                        report.households,
                        report.persons,
                        report.bank_rows,
                        report.checkin_rows,
                        report.anomalies
                    ),
                    Lang::En => format!(
                        "generated {} households, {} persons, {} bank rows, {} check-in rows, {} anomalies:",
                        report.households,
                        report.persons,
                        report.bank_rows,
                        report.checkin_rows,
                        report.anomalies
                    ),
                };
                let mut out = terminal();
                let w = |out: &mut dyn Write, line: String| {
                    writeln!(out, "{line}").map_err(|e| Error::io("<stdout>", e))
                };
                w(&mut out, line)?;
                for f in &report.files {
                    w(&mut out, format!("  {}", f.display()))?;
                }
                out.flush().map_err(|e| Error::io("<stdout>", e))?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
