//! What the commands that read several inputs share: the options common to
//! `payroll` and `reconcile`, how an input is read (which mapping profile
//! applies to it), how its problems are shown and how a run ends.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::error::Error;
use crate::ingest::ReadOptions;
use crate::ingest::profile::{Mapping, wildcard};
use crate::ingest::schema::Kind;
use crate::issue::{Issue, Lang, Severity};
use crate::model::money::Money;

/// The options `payroll` and `reconcile` share: how inputs are read and
/// where and how the outputs are written.
pub struct Common {
    pub mapping: Option<Mapping>,
    pub sheet: Option<String>,
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// 制表日期; the first day of the month when not given.
    pub date: Option<NaiveDate>,
    /// 制表单位.
    pub unit: String,
    pub force: bool,
    pub out: PathBuf,
    pub lang: Lang,
    pub quiet: bool,
    /// The command line, for the manifest.
    pub args: Vec<String>,
}

impl Common {
    /// The mapping file read, when there is one (also `dibao.toml` when a
    /// workspace holds the profiles).
    pub fn mapping_file(&self) -> Option<&Path> {
        self.mapping.as_ref().and_then(|m| m.source.as_deref())
    }

    /// How this command's inputs are read, under the policy's bound on
    /// one household's month.
    pub fn reading(&self, limit: Money) -> Reading<'_> {
        Reading {
            mapping: self.mapping.as_ref(),
            sheet: self.sheet.clone(),
            encoding: self.encoding,
            lang: self.lang,
            limit,
        }
    }
}

/// How a `payroll` or `reconcile` run ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    pub errors: u64,
    pub warnings: u64,
    /// False when problems stopped the run before anything was written.
    pub written: bool,
}

/// How inputs are read: the options every input of a command shares.
pub struct Reading<'a> {
    pub mapping: Option<&'a Mapping>,
    pub sheet: Option<String>,
    pub encoding: Option<&'static encoding_rs::Encoding>,
    pub lang: Lang,
    /// The policy's bound on one household's month: no amount read is above it.
    pub limit: Money,
}

impl<'a> Reading<'a> {
    /// How to read an input of `kind`: a mapping's profile applies when it
    /// matches the file, is not for another kind, and is not a bank's upload
    /// profile (`bank = …`: those shape what payroll writes, not what is read).
    pub fn options(&self, path: &Path, kind: Kind) -> ReadOptions<'a> {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let profile = self.mapping.and_then(|m| {
            m.profiles.iter().find(|p| {
                p.bank.is_none()
                    && p.kind.is_none_or(|k| k == kind)
                    && p.pattern
                        .as_deref()
                        .is_none_or(|pat| wildcard(pat, &file_name))
            })
        });
        ReadOptions {
            kinds: Vec::new(),
            sheet: self.sheet.clone(),
            encoding: self.encoding,
            profile,
            lang: self.lang,
            progress: None,
            amount_limit: Some(self.limit.fen()),
        }
    }
}

/// Problems shown so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub errors: u64,
    pub warnings: u64,
}

impl Tally {
    /// Prints `issues` (one line each) and counts them.
    ///
    /// # Errors
    /// [`Error::Io`] when standard output cannot be written.
    pub fn show(&mut self, issues: &[Issue], lang: Lang, out: &mut dyn Write) -> Result<(), Error> {
        for issue in issues {
            match issue.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
            writeln!(out, "{}", issue.render(lang)).map_err(|e| Error::io("<stdout>", e))?;
        }
        Ok(())
    }
}

/// A spinner on standard error naming the step under way, for the long
/// silent steps of a command (nothing may be printed while it turns).
/// indicatif hides it when standard error is not a terminal; `None` when
/// `quiet`.
pub fn spinner(message: &str, quiet: bool) -> Option<indicatif::ProgressBar> {
    if quiet {
        return None;
    }
    let style = indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
    let bar = indicatif::ProgressBar::new_spinner()
        .with_style(style)
        .with_message(message.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    Some(bar)
}
