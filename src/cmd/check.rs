//! `dibao check`: reads input files and lists every problem.
//!
//! Each file is read on its own (kind from `--kind`, a profile, or detected
//! from the headers) and streamed: problems are printed as they are found,
//! nothing but the duplicate-detection keys is kept, so a roster of millions
//! of rows is checked in little memory. After each file comes a summary line
//! that accounts for every row of the file.

use std::io::Write;
use std::path::PathBuf;

use crate::error::Error;
use crate::ingest::profile::{Mapping, Profile};
use crate::ingest::schema::Kind;
use crate::ingest::{Columns, ReadOptions, Row, RowSink, ScanSummary, TotalsScope, scan};
use crate::issue::{Issue, Lang};
use crate::model::adjustment::AdjustmentReader;
use crate::model::bank::BankReader;
use crate::model::checkin::CheckinReader;
use crate::model::money::Money;
use crate::model::policy::Policy;
use crate::model::roster::RosterReader;

/// What to check.
pub struct CheckOptions {
    pub files: Vec<PathBuf>,
    pub kind: Option<Kind>,
    pub mapping: Option<Mapping>,
    pub sheet: Option<String>,
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// The policy (its bound on one household's month applies to amounts).
    pub policy: Policy,
    pub lang: Lang,
    pub quiet: bool,
}

/// Problem counts over all files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CheckOutcome {
    pub errors: u64,
    pub warnings: u64,
}

/// A reader of whichever kind the header turned out to be.
enum AnyReader {
    Roster(RosterReader),
    Bank(BankReader),
    Checkins(CheckinReader),
    Adjustments(AdjustmentReader),
}

impl AnyReader {
    /// `limit`: the policy's bound on one household's month.
    fn for_kind(kind: Kind, profile: Option<&Profile>, limit: Money) -> AnyReader {
        match kind {
            Kind::Roster => AnyReader::Roster(RosterReader::new(false).with_limit(limit)),
            Kind::Bank => AnyReader::Bank(BankReader::new(false, profile).with_limit(limit)),
            Kind::Checkins => {
                AnyReader::Checkins(CheckinReader::new(false, profile).with_limit(limit))
            }
            Kind::Adjustments => {
                AnyReader::Adjustments(AdjustmentReader::default().with_limit(limit))
            }
        }
    }

    fn sink(&mut self) -> &mut dyn RowSink {
        match self {
            AnyReader::Roster(r) => r,
            AnyReader::Bank(r) => r,
            AnyReader::Checkins(r) => r,
            AnyReader::Adjustments(r) => r,
        }
    }

    fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (AnyReader::Roster(r), Lang::Zh) => {
                format!("花名册，有效 {} 户 {} 人", r.households, r.persons)
            }
            (AnyReader::Roster(r), Lang::En) => format!(
                "roster, {} valid households, {} persons",
                r.households, r.persons
            ),
            (AnyReader::Bank(r), Lang::Zh) => format!(
                "银行回盘，{} 笔：成功 {} 笔 金额 {}，失败 {} 笔，无法读取 {} 笔",
                r.rows, r.succeeded, r.paid, r.failed, r.unreadable
            ),
            (AnyReader::Bank(r), Lang::En) => format!(
                "bank result, {} lines: {} paid totalling {}, {} failed, {} unreadable",
                r.rows, r.succeeded, r.paid, r.failed, r.unreadable
            ),
            (AnyReader::Checkins(r), Lang::Zh) => {
                format!(
                    "签到表，有效 {} 条，无效 {} 条",
                    r.rows - r.rejected,
                    r.rejected
                )
            }
            (AnyReader::Checkins(r), Lang::En) => {
                format!(
                    "check-ins, {} valid records, {} rejected",
                    r.rows - r.rejected,
                    r.rejected
                )
            }
            (AnyReader::Adjustments(r), Lang::Zh) => {
                let sum: crate::model::money::Money = r.lines.iter().map(|l| l.amount).sum();
                format!(
                    "调整表，有效 {} 条 合计 {sum}，无效 {} 条",
                    r.lines.len(),
                    r.rejected
                )
            }
            (AnyReader::Adjustments(r), Lang::En) => {
                let sum: crate::model::money::Money = r.lines.iter().map(|l| l.amount).sum();
                format!(
                    "adjustments, {} valid lines totalling {sum}, {} rejected",
                    r.lines.len(),
                    r.rejected
                )
            }
        }
    }
}

impl RowSink for AnyReader {
    fn header(&mut self, columns: &Columns, out: &mut Vec<Issue>) {
        self.sink().header(columns, out);
    }
    fn data(&mut self, columns: &Columns, row: &Row<'_, '_>, out: &mut Vec<Issue>) {
        self.sink().data(columns, row, out);
    }
    fn totals(
        &mut self,
        columns: &Columns,
        row: &Row<'_, '_>,
        scope: TotalsScope,
        out: &mut Vec<Issue>,
    ) {
        self.sink().totals(columns, row, scope, out);
    }
    fn summary(&mut self, columns: &Columns, line: u32, text: &str, out: &mut Vec<Issue>) {
        self.sink().summary(columns, line, text, out);
    }
    fn finish(&mut self, columns: &Columns, out: &mut Vec<Issue>) {
        self.sink().finish(columns, out);
    }
}

/// A spinner with the rows read so far, on standard error; indicatif hides
/// it when standard error is not a terminal.
fn progress_bar(file: &str, lang: Lang) -> indicatif::ProgressBar {
    let template = lang.pick(
        "{spinner} {msg}：已读 {human_pos} 行（{elapsed}）",
        "{spinner} {msg}: {human_pos} rows read ({elapsed})",
    );
    let style = indicatif::ProgressStyle::with_template(template)
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
    let bar = indicatif::ProgressBar::new_spinner()
        .with_style(style)
        .with_message(file.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// How every row of a file was used: `41 行 = 表头前 2 + 表头 1 + …`.
fn accounting(s: &ScanSummary, lang: Lang) -> String {
    let header = u64::from(s.header_row.is_some());
    let other = s.blank_rows + s.skipped_rows + s.trailer_rows;
    match lang {
        Lang::Zh => format!(
            "{} 行 = 表头前 {} + 表头 {} + 数据 {} + 合计 {} + 空行及说明 {}",
            s.rows, s.title_rows, header, s.data_rows, s.totals_rows, other
        ),
        Lang::En => format!(
            "{} rows = {} above the header + {} header + {} data + {} totals + {} blank or notes",
            s.rows, s.title_rows, header, s.data_rows, s.totals_rows, other
        ),
    }
}

/// `1 error`, `2 errors`.
fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn problems(s: &ScanSummary, lang: Lang) -> String {
    let rows = match (s.rows_with_errors, lang) {
        (0, _) => String::new(),
        (n, Lang::Zh) => format!("（{n} 行）"),
        (n, Lang::En) => format!(" in {}", count(n, "row")),
    };
    match lang {
        Lang::Zh => format!("错误 {} 处{rows}，警告 {} 处", s.errors, s.warnings),
        Lang::En => format!(
            "{}{rows}, {}",
            count(s.errors, "error"),
            count(s.warnings, "warning")
        ),
    }
}

/// Checks every file, writing problems and summaries to `out`.
///
/// # Errors
/// [`Error::Io`] when a file cannot be read or `out` cannot be written,
/// [`Error::SheetNotFound`] for a `--sheet` that does not exist.
pub fn run(opts: &CheckOptions, out: &mut dyn Write) -> Result<CheckOutcome, Error> {
    let lang = opts.lang;
    let mut outcome = CheckOutcome::default();
    let stdout_err = |e: std::io::Error| Error::io("<stdout>", e);
    for path in &opts.files {
        let display = path.display().to_string();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let profile = opts.mapping.as_ref().and_then(|m| m.for_file(&file_name));
        let bar = (!opts.quiet).then(|| progress_bar(&display, lang));
        let read = ReadOptions {
            kinds: opts.kind.into_iter().collect(),
            sheet: opts.sheet.clone(),
            encoding: opts.encoding,
            profile,
            lang,
            progress: bar.clone(),
            amount_limit: Some(opts.policy.max_household_total.fen()),
        };
        // Asked once: the bar's own lock is held while a line is written.
        let bar_visible = bar.as_ref().is_some_and(|b| !b.is_hidden());
        let mut write_err = None;
        let scanned = scan(
            path,
            &display,
            &read,
            |columns| {
                // A built-in layout that recognised the file brings its profile.
                let profile = columns.layout().map(|l| &l.profile).or(profile);
                AnyReader::for_kind(columns.kind, profile, opts.policy.max_household_total)
            },
            &mut |issue| {
                let mut write = || {
                    writeln!(out, "{}", issue.render(lang))?;
                    // Under a visible progress bar, each line goes out at once.
                    if bar_visible {
                        out.flush()?;
                    }
                    Ok::<(), std::io::Error>(())
                };
                if write_err.is_none() {
                    let res = match &bar {
                        Some(b) if bar_visible => b.suspend(write),
                        _ => write(),
                    };
                    write_err = res.err();
                }
            },
        );
        if let Some(b) = &bar {
            b.finish_and_clear();
        }
        let scanned = scanned?;
        if let Some(e) = write_err {
            return Err(stdout_err(e));
        }
        let s = &scanned.summary;
        outcome.errors += s.errors;
        outcome.warnings += s.warnings;
        if opts.quiet {
            continue;
        }
        let label = scanned.source.here().file_label();
        if let Some(layout) = s.layout {
            let line = match lang {
                Lang::Zh => format!("{label}: 按内置格式“{}”读取", layout.name(lang)),
                Lang::En => format!(
                    "{label}: read as the built-in layout \"{}\"",
                    layout.name(lang)
                ),
            };
            writeln!(out, "{line}").map_err(stdout_err)?;
        }
        let line = match &scanned.sink {
            Some(reader) => format!(
                "{label}: {} — {}；{}",
                reader.describe(lang),
                accounting(s, lang),
                problems(s, lang)
            ),
            None => match lang {
                Lang::Zh => format!("{label}: 未能读取 — {}", problems(s, lang)),
                Lang::En => format!("{label}: not read — {}", problems(s, lang)),
            },
        };
        let line = if lang == Lang::En {
            line.replace('；', "; ")
        } else {
            line
        };
        writeln!(out, "{line}").map_err(stdout_err)?;
    }
    if opts.files.len() > 1 && !opts.quiet {
        let line = match lang {
            Lang::Zh => format!(
                "共 {} 个文件：错误 {} 处，警告 {} 处",
                opts.files.len(),
                outcome.errors,
                outcome.warnings
            ),
            Lang::En => format!(
                "{} files: {}, {}",
                opts.files.len(),
                count(outcome.errors, "error"),
                count(outcome.warnings, "warning")
            ),
        };
        writeln!(out, "{line}").map_err(stdout_err)?;
    }
    Ok(outcome)
}
