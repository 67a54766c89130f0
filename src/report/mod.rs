//! Writing what the commands produce: workbooks for people (bank upload,
//! finance roster, public notice) and files for machines (`payroll.csv`,
//! `manifest.json`).
//!
//! Invariants: every workbook is deterministic (its document dates come
//! from the month, never the clock); IDs, accounts and anything a user typed
//! are written as text, never as numbers or formulas; amounts are numbers
//! formatted `#,##0.00`, converted from exact fen at the last step.

pub mod bank_upload;
pub mod finance;
pub mod ledger;
pub mod manifest;
pub mod notice;
pub mod payroll_csv;
pub mod reconcile_book;
mod summary_sheet;
#[cfg(test)]
mod test_support;
pub mod upload_layouts;
pub mod workbook;
