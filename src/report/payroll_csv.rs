//! `payroll.csv` (SPEC §5.1): one line per roster household, UTF-8, English
//! headers and codes whatever `--lang` says.
//!
//! Columns: `month, household_id, name, id_number, account, bank, members,
//! base, subsidies, addons, reissue, reissue_for, adjustment, total,
//! status, hold, note`; amounts (`280.00`) only for `DUE` lines;
//! `reissue_for` is the months re-issued, `;`-joined. A value a spreadsheet
//! would take as a formula is written with a `'` in front
//! ([`crate::sanitize::csv_escape`]); dibao's readers take it off.

use std::path::Path;

use crate::error::Error;
use crate::model::money::Money;
use crate::payroll::{Payroll, RowStatus};
use crate::sanitize::csv_escaped_record;

pub const HEADER: [&str; 17] = [
    "month",
    "household_id",
    "name",
    "id_number",
    "account",
    "bank",
    "members",
    "base",
    "subsidies",
    "addons",
    "reissue",
    "reissue_for",
    "adjustment",
    "total",
    "status",
    "hold",
    "note",
];

/// Writes `payroll.csv`.
///
/// # Errors
/// [`Error::Csv`] when the file cannot be written.
pub fn write(payroll: &Payroll, path: &Path) -> Result<(), Error> {
    let csv_err = |e: csv::Error| Error::Csv {
        path: path.to_path_buf(),
        source: e,
    };
    let mut w = csv::Writer::from_path(path).map_err(csv_err)?;
    w.write_record(HEADER).map_err(csv_err)?;
    let month = payroll.month.to_string();
    for r in &payroll.rows {
        let due = r.status == RowStatus::Due;
        let amount = |m: Money| if due { m.to_string() } else { String::new() };
        let members = if r.members > 0 {
            r.members.to_string()
        } else {
            String::new()
        };
        let reissue_for: Vec<String> = r.reissue_for.iter().map(ToString::to_string).collect();
        w.write_record(csv_escaped_record([
            month.as_str(),
            &r.household_id,
            &r.name,
            &r.id_number,
            &r.account,
            &r.bank,
            &members,
            &amount(r.base),
            &amount(r.subsidies_total()),
            &amount(r.addons),
            &amount(r.reissue),
            &reissue_for.join(";"),
            &amount(r.adjustment),
            &amount(r.total),
            r.status.code(),
            r.hold.map_or("", |h| h.code()),
            &r.note,
        ]))
        .map_err(csv_err)?;
    }
    w.flush().map_err(|e| Error::io(path, e))?;
    Ok(())
}
