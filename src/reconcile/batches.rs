//! The same bank result given twice in different files (the `.txt` and the
//! `.xlsx` of one batch, a copy re-exported with other columns): every
//! payment in it would become a `DUPLICATE` to recover from a family that
//! was paid once. Byte-identical files are caught by their sha256; this
//! compares the payments themselves.
//!
//! Two rows are the same payment when account, amount and outcome are
//! equal (or the other file could not read the row's outcome), and so are
//! the reference, the transaction number and the date wherever both rows
//! give one. Two files hold the same payments when
//! every readable row of the smaller one is the same payment as a row of
//! its own in the other, and at least one of them succeeded (a file of
//! failures alone cannot make a false recovery, and a bank's retry of one
//! failed payment is a file of its own).

use rustc_hash::FxHashMap;

use crate::model::bank::{BankLine, PayStatus};

/// What two rows must share to be compared further.
type Key<'a> = (&'a str, i64, bool);

fn key(line: &BankLine) -> Option<Key<'_>> {
    if !line.unreadable.is_empty() {
        return None;
    }
    Some((
        line.account.as_ref()?.as_str(),
        line.amount?.fen(),
        line.status? == PayStatus::Success,
    ))
}

/// Equal where both are given.
fn agree<T: PartialEq>(a: Option<T>, b: Option<T>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

fn compact(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(|s| s.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|s| !s.is_empty())
}

fn same_payment(a: &BankLine, b: &BankLine) -> bool {
    agree(compact(&a.reference), compact(&b.reference))
        && agree(compact(&a.txn_id), compact(&b.txn_id))
        && agree(a.date, b.date)
}

/// How many payments the two files share when they hold the same
/// payments (see the module's rule); `None` when they do not.
pub fn same_payments(a: &[BankLine], b: &[BankLine]) -> Option<usize> {
    let readable = |lines: &[BankLine]| lines.iter().filter(|l| key(l).is_some()).count();
    let (small, large) = if readable(a) <= readable(b) {
        (a, b)
    } else {
        (b, a)
    };
    let mut index: FxHashMap<Key<'_>, Vec<usize>> = FxHashMap::default();
    // Rows the other file could not read (a status it does not know), by
    // account and amount: the same payment read well in one format and
    // badly in the other is still the same payment.
    let mut unread: FxHashMap<(&str, i64), Vec<usize>> = FxHashMap::default();
    for (i, line) in large.iter().enumerate() {
        if let Some(k) = key(line) {
            index.entry(k).or_default().push(i);
        } else if let (Some(a), Some(m)) = (&line.account, line.amount) {
            unread.entry((a.as_str(), m.fen())).or_default().push(i);
        }
    }
    let mut used = vec![false; large.len()];
    let (mut paired, mut succeeded) = (0, 0);
    for line in small {
        let Some(k) = key(line) else { continue };
        let free = |candidates: Option<&Vec<usize>>| {
            candidates?
                .iter()
                .copied()
                .find(|&i| !used[i] && same_payment(line, &large[i]))
        };
        let i = free(index.get(&k)).or_else(|| free(unread.get(&(k.0, k.1))))?;
        used[i] = true;
        paired += 1;
        if k.2 {
            succeeded += 1;
        }
    }
    (succeeded > 0).then_some(paired)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::SourceRef;
    use crate::model::money::Money;

    fn line(account: &str, fen: i64, ok: bool, reference: Option<&str>) -> BankLine {
        BankLine {
            at: SourceRef::file("b.csv".into()),
            account: crate::model::account::read(account).ok(),
            account_name: "张三".into(),
            amount: Some(Money::from_fen(fen)),
            status: Some(if ok {
                PayStatus::Success
            } else {
                PayStatus::Failure
            }),
            reason: None,
            reference: reference.map(String::from),
            id_number: None,
            date: None,
            txn_id: None,
            unreadable: Vec::new(),
        }
    }

    #[test]
    fn one_batch_in_two_formats_is_found() {
        let xlsx = [
            line("6228480010000001", 33000, true, Some("HP0001 2026-11")),
            line("6228480010000002", 62000, false, Some("HP0002 2026-11")),
        ];
        // The text export has no reference column.
        let txt = [
            line("6228480010000002", 62000, false, None),
            line("6228480010000001", 33000, true, None),
        ];
        assert_eq!(same_payments(&xlsx, &txt), Some(2));
    }

    #[test]
    fn a_row_the_other_format_cannot_read_still_pairs() {
        let xlsx = [
            line("6228480010000001", 33000, true, Some("HP0001 2026-11")),
            line("6228480010000002", 62000, true, Some("HP0002 2026-11")),
        ];
        let mut unreadable = line("6228480010000002", 62000, true, None);
        unreadable.status = None;
        unreadable
            .unreadable
            .push(crate::issue::Problem::BankStatusEmpty);
        let txt = [
            line("6228480010000001", 33000, true, None),
            unreadable,
            line("6228480010000003", 33000, true, None),
        ];
        assert_eq!(same_payments(&xlsx, &txt), Some(2));
    }

    #[test]
    fn a_retry_or_another_batch_is_not_the_same() {
        let batch = [
            line("6228480010000001", 33000, false, Some("HP0001 2026-11")),
            line("6228480010000002", 62000, true, Some("HP0002 2026-11")),
        ];
        // The failed payment retried and paid: another outcome.
        let retry = [line(
            "6228480010000001",
            33000,
            true,
            Some("HP0001 2026-11"),
        )];
        assert_eq!(same_payments(&batch, &retry), None);
        // Failures alone make no false recovery.
        let failed_again = [line(
            "6228480010000001",
            33000,
            false,
            Some("HP0001 2026-11"),
        )];
        assert_eq!(same_payments(&batch, &failed_again), None);
        // Other references: other payments.
        let december = [
            line("6228480010000001", 33000, false, Some("HP0001 2026-12")),
            line("6228480010000002", 62000, true, Some("HP0002 2026-12")),
        ];
        assert_eq!(same_payments(&batch, &december), None);
    }
}
