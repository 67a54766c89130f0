//! The machine-readable ledger (SPEC §5.2): `ledger.csv` and
//! `ledger.parquet`, one row per ledger row, English headers and codes
//! whatever `--lang` says.
//!
//! `ledger.csv` columns: `month, household_id, name, id_number, account,
//! expected, paid, status, flags, checkin, actions, detail, source` —
//! amounts as `280.00`, empty where there is none; flags and actions in
//! SPEC §5.3 order, `;`-joined. `ledger.parquet` has the same columns (the
//! same strings, so the two files read alike) plus `expected_fen` and
//! `paid_fen` as 64-bit integers for arithmetic.
//!
//! A value a spreadsheet would take as a formula (`=…`, `+…`, `-…`, `@…`)
//! is written with a `'` in front ([`crate::sanitize::csv_escape`]); the
//! parquet file holds the values as they are.
//!
//! Invariant: row order is the ledger's; nothing depends on the clock, so
//! the same ledger gives the same bytes.

use std::path::Path;

use polars::prelude::*;

use crate::error::Error;
use crate::model::money::Money;
use crate::reconcile::{ACTIONS, FLAGS, Ledger, LedgerRow, Set};
use crate::sanitize::csv_escaped_record;

pub const HEADER: [&str; 13] = [
    "month",
    "household_id",
    "name",
    "id_number",
    "account",
    "expected",
    "paid",
    "status",
    "flags",
    "checkin",
    "actions",
    "detail",
    "source",
];

fn amount(m: Option<Money>) -> String {
    m.map(|m| m.to_string()).unwrap_or_default()
}

fn checkin(r: &LedgerRow) -> &'static str {
    r.checkin.map_or("", |c| c.code())
}

/// Writes `ledger.csv`.
///
/// # Errors
/// [`Error::Csv`] when the file cannot be written.
pub fn write_csv(ledger: &Ledger, path: &Path) -> Result<(), Error> {
    let csv_err = |e: csv::Error| Error::Csv {
        path: path.to_path_buf(),
        source: e,
    };
    let mut w = csv::Writer::from_path(path).map_err(csv_err)?;
    w.write_record(HEADER).map_err(csv_err)?;
    let month = ledger.month.to_string();
    for r in &ledger.rows {
        w.write_record(csv_escaped_record([
            month.as_str(),
            &r.household_id,
            &r.name,
            &r.id_number,
            &r.account,
            &amount(r.expected),
            &amount(r.paid),
            r.status.code(),
            &r.flags.join(&FLAGS),
            checkin(r),
            &r.actions.join(&ACTIONS),
            &r.detail,
            &r.source,
        ]))
        .map_err(csv_err)?;
    }
    w.flush().map_err(|e| Error::io(path, e))?;
    Ok(())
}

/// Writes `ledger.parquet` (zstd).
///
/// # Errors
/// [`Error::Io`] when the file cannot be written; [`Error::Table`] when
/// polars refuses the frame.
pub fn write_parquet(ledger: &Ledger, path: &Path) -> Result<(), Error> {
    let rows = &ledger.rows;
    let text = |f: fn(&LedgerRow) -> &str| rows.iter().map(f).collect::<Vec<&str>>();
    // Every flag and action set spelled once (7 and 5 bits), not per row.
    let flag_names: Vec<String> = (0..=u8::MAX >> 1).map(|b| Set(b).join(&FLAGS)).collect();
    let action_names: Vec<String> = (0..32).map(|b| Set(b).join(&ACTIONS)).collect();
    fn spelled<'a>(
        rows: &[LedgerRow],
        names: &'a [String],
        f: fn(&LedgerRow) -> Set,
    ) -> Vec<&'a str> {
        rows.iter()
            .map(|r| names.get(usize::from(f(r).0)).map_or("", String::as_str))
            .collect()
    }
    let owned = |f: fn(&LedgerRow) -> String| rows.iter().map(f).collect::<Vec<String>>();
    let fen = |f: fn(&LedgerRow) -> Option<Money>| {
        rows.iter()
            .map(|r| f(r).map(|m| m.fen()))
            .collect::<Vec<Option<i64>>>()
    };
    let month = ledger.month.to_string();
    let table_err = |e: PolarsError| Error::Table(e.to_string());
    let mut df = DataFrame::new(
        rows.len(),
        vec![
            Column::new("month".into(), vec![month.as_str(); rows.len()]),
            Column::new("household_id".into(), text(|r| &r.household_id)),
            Column::new("name".into(), text(|r| &r.name)),
            Column::new("id_number".into(), text(|r| &r.id_number)),
            Column::new("account".into(), text(|r| &r.account)),
            Column::new("expected".into(), owned(|r| amount(r.expected))),
            Column::new("paid".into(), owned(|r| amount(r.paid))),
            Column::new("status".into(), text(|r| r.status.code())),
            Column::new("flags".into(), spelled(rows, &flag_names, |r| r.flags)),
            Column::new("checkin".into(), text(checkin)),
            Column::new(
                "actions".into(),
                spelled(rows, &action_names, |r| r.actions),
            ),
            Column::new("detail".into(), text(|r| &r.detail)),
            Column::new("source".into(), text(|r| &r.source)),
            Column::new("expected_fen".into(), fen(|r| r.expected)),
            Column::new("paid_fen".into(), fen(|r| r.paid)),
        ],
    )
    .map_err(table_err)?;
    let file = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    ParquetWriter::new(std::io::BufWriter::new(file))
        .with_compression(ParquetCompression::Zstd(None))
        .finish(&mut df)
        .map_err(table_err)?;
    Ok(())
}
