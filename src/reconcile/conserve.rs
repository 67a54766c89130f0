//! The conservation check (SPEC §5.3): nothing dropped, nothing counted
//! twice, every fen accounted for — recounted from the ledger and the bank
//! rows, independently of how the rules built the ledger.
//!
//! Invariant: a ledger that fails this check is never written; the command
//! exits 2 with the reason ([`Error::Conservation`]).

use super::{Controls, LedgerRow};
use crate::error::Error;
use crate::model::bank::BankLine;
use crate::model::money::Money;

use super::matching::succeeded;

/// Rows read from one bank file.
pub struct FileRows {
    pub label: String,
    pub rows: u64,
}

/// Checks the ledger against its inputs: one row per household; every bank
/// row of every file named by exactly one ledger row; Σ paid = Σ successful
/// bank rows; the control totals balance.
///
/// # Errors
/// [`Error::Conservation`] naming the first violation.
pub fn check(
    rows: &[LedgerRow],
    households: usize,
    lines: &[BankLine],
    files: &[FileRows],
    controls: &Controls,
) -> Result<(), Error> {
    let fail = |m: String| Err(Error::Conservation(m));
    let household_rows = rows.iter().filter(|r| r.is_household).count();
    if household_rows != households {
        return fail(format!(
            "{households} households in the roster, {household_rows} household rows in the ledger"
        ));
    }
    let mut times = vec![0u8; lines.len()];
    for r in rows {
        for &b in &r.bank_rows {
            match times.get_mut(b as usize) {
                Some(t) => *t = t.saturating_add(1),
                None => return fail(format!("ledger names bank row {b}, which does not exist")),
            }
        }
    }
    let mut start = 0usize;
    for f in files {
        let end = start + f.rows as usize;
        let Some(slice) = times.get(start..end) else {
            return fail(format!("{}: {} rows read, fewer kept", f.label, f.rows));
        };
        let accounted = slice.iter().filter(|&&t| t == 1).count();
        if accounted as u64 != f.rows {
            return fail(format!(
                "{}: {} rows in, {accounted} accounted for once",
                f.label, f.rows
            ));
        }
        start = end;
    }
    if start != lines.len() {
        return fail(format!(
            "{} bank rows kept, {start} read from the files",
            lines.len()
        ));
    }
    let ledger_paid: Money = rows.iter().filter_map(|r| r.paid).sum();
    let bank_paid: Money = lines
        .iter()
        .filter(|l| succeeded(l))
        .filter_map(|l| l.amount)
        .sum();
    if ledger_paid != bank_paid {
        return fail(format!(
            "ledger paid {ledger_paid}, the successful bank rows add up to {bank_paid}"
        ));
    }
    if controls.bank_paid != bank_paid || !controls.expected_balances() || !controls.paid_balances()
    {
        return fail(format!("control totals do not balance: {controls:?}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use compact_str::CompactString;

    use super::*;
    use crate::issue::SourceRef;
    use crate::model::bank::PayStatus;
    use crate::reconcile::{Set, Status};

    fn line(row: u32, fen: i64) -> BankLine {
        BankLine {
            at: SourceRef {
                row: Some(row),
                ..SourceRef::file("bank.csv".into())
            },
            account: None,
            account_name: String::new(),
            amount: Some(Money::from_fen(fen)),
            status: Some(PayStatus::Success),
            reason: None,
            reference: None,
            id_number: None,
            date: None,
            txn_id: None,
            unreadable: Vec::new(),
        }
    }

    fn row(bank_rows: Vec<u32>, paid: Option<i64>, is_household: bool) -> LedgerRow {
        LedgerRow {
            household_id: CompactString::default(),
            name: CompactString::default(),
            id_number: CompactString::default(),
            account: CompactString::default(),
            community: CompactString::default(),
            expected: None,
            paid: paid.map(Money::from_fen),
            status: Status::Unexpected,
            flags: Set::default(),
            checkin: None,
            actions: Set::default(),
            detail: CompactString::default(),
            detail_zh: CompactString::default(),
            source: CompactString::default(),
            bank_rows,
            is_household,
        }
    }

    fn controls(unmatched: i64) -> Controls {
        Controls {
            bank_paid: Money::from_fen(unmatched),
            paid_unmatched: Money::from_fen(unmatched),
            ..Controls::default()
        }
    }

    #[test]
    fn a_balanced_ledger_passes() {
        let lines = [line(2, 100), line(3, 200)];
        let files = [FileRows {
            label: "bank.csv".into(),
            rows: 2,
        }];
        let rows = [
            row(vec![0], Some(100), false),
            row(vec![1], Some(200), false),
        ];
        assert!(check(&rows, 0, &lines, &files, &controls(300)).is_ok());
    }

    #[test]
    fn a_row_counted_twice_or_dropped_or_a_fen_lost_is_refused() {
        let lines = [line(2, 100), line(3, 200)];
        let files = [FileRows {
            label: "bank.csv".into(),
            rows: 2,
        }];
        let twice = [
            row(vec![0], Some(100), false),
            row(vec![0, 1], Some(200), false),
        ];
        let err = check(&twice, 0, &lines, &files, &controls(300)).unwrap_err();
        assert!(
            err.to_string().contains("2 rows in, 1 accounted for once"),
            "{err}"
        );
        let dropped = [row(vec![0], Some(100), false)];
        assert!(check(&dropped, 0, &lines, &files, &controls(300)).is_err());
        let lost = [row(vec![0], Some(100), false), row(vec![1], None, false)];
        let err = check(&lost, 0, &lines, &files, &controls(300)).unwrap_err();
        assert!(err.to_string().contains("ledger paid 1.00"), "{err}");
        // A household missing from the ledger.
        let rows = [
            row(vec![0], Some(100), false),
            row(vec![1], Some(200), false),
        ];
        assert!(check(&rows, 1, &lines, &files, &controls(300)).is_err());
        // Control totals that do not balance.
        assert!(check(&rows, 0, &lines, &files, &controls(299)).is_err());
    }
}
