//! Whole-file loading for commands that need every record in memory
//! (payroll, reconcile) and for tests: one call reads a file of a known kind
//! and returns its records, its problems and its row accounting.

use std::path::Path;

use super::adjustment::AdjustmentReader;
use super::bank::BankReader;
use super::checkin::CheckinReader;
use super::money::Money;
use super::policy::Policy;
use super::roster::RosterReader;
use crate::error::Error;
use crate::ingest::schema::Kind;
use crate::ingest::{ReadOptions, RowSink, ScanSummary, Source, scan};
use crate::issue::Issue;

/// The bound on amounts `opts` asks for (the default policy's when none).
fn limit(opts: &ReadOptions<'_>) -> Money {
    opts.amount_limit
        .map_or_else(|| Policy::default().max_household_total, Money::from_fen)
}

/// A file read whole.
pub struct Loaded<R> {
    pub source: Source,
    pub summary: ScanSummary,
    /// `None` when no header was found (the issues say why).
    pub reader: Option<R>,
    pub issues: Vec<Issue>,
}

fn load<R: RowSink>(
    path: &Path,
    display: &str,
    kind: Kind,
    opts: &ReadOptions<'_>,
    make: impl FnOnce(&crate::ingest::Columns) -> R,
) -> Result<Loaded<R>, Error> {
    let opts = ReadOptions {
        kinds: vec![kind],
        ..opts.clone()
    };
    let mut issues = Vec::new();
    let scanned = scan(path, display, &opts, make, &mut |i| issues.push(i))?;
    Ok(Loaded {
        source: scanned.source,
        summary: scanned.summary,
        reader: scanned.sink,
        issues,
    })
}

/// Reads a roster, keeping every row.
///
/// # Errors
/// As [`scan`].
pub fn roster(
    path: &Path,
    display: &str,
    opts: &ReadOptions<'_>,
) -> Result<Loaded<RosterReader>, Error> {
    load(path, display, Kind::Roster, opts, |_| {
        RosterReader::new(true).with_limit(limit(opts))
    })
}

/// Reads a bank result file, keeping every line.
///
/// # Errors
/// As [`scan`].
pub fn bank(
    path: &Path,
    display: &str,
    opts: &ReadOptions<'_>,
) -> Result<Loaded<BankReader>, Error> {
    let profile = opts.profile;
    // A built-in layout that recognised the file brings its profile.
    load(path, display, Kind::Bank, opts, |columns| {
        let profile = columns.layout().map(|l| &l.profile).or(profile);
        BankReader::new(true, profile).with_limit(limit(opts))
    })
}

/// Reads an adjustments file.
///
/// # Errors
/// As [`scan`].
pub fn adjustments(
    path: &Path,
    display: &str,
    opts: &ReadOptions<'_>,
) -> Result<Loaded<AdjustmentReader>, Error> {
    load(path, display, Kind::Adjustments, opts, |_| {
        AdjustmentReader::default().with_limit(limit(opts))
    })
}

/// Reads a check-in file, keeping every valid record.
///
/// # Errors
/// As [`scan`].
pub fn checkins(
    path: &Path,
    display: &str,
    opts: &ReadOptions<'_>,
) -> Result<Loaded<CheckinReader>, Error> {
    let profile = opts.profile;
    load(path, display, Kind::Checkins, opts, |_| {
        CheckinReader::new(true, profile).with_limit(limit(opts))
    })
}
