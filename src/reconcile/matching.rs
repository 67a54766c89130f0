//! Matching bank rows to households (SPEC §5.3, "Matching"), with polars.
//!
//! Rule order, first that applies: (1) the row's `reference` contains a
//! roster household_id with no ASCII letter or digit right before or after
//! it (the leftmost such; at one position the longest); (2) its account
//! equals a household's account; (3) its ID equals a household head's ID.
//! Each rule is a join of the bank rows with the roster on that key; the
//! roster side of every join is validated unique by the join itself
//! (`ManyToOne`), so a key shared by two households is a bug caught here,
//! not a silent first pick.
//!
//! Then, per household, one aggregation finds its first successful row,
//! its first readable matched row, its first failed row and its first
//! unreadable row ("first" = bank order: `--bank` files, then rows), and a
//! join of the rows back onto that finds the duplicates: further successful
//! rows of a household that already has one.
//!
//! Invariant: bank row indices are positions in the month's bank rows in
//! `--bank` order; a row matched to no household has `household = None`.

use polars::prelude::*;

use crate::model::account::Account;
use crate::model::bank::{BankLine, PayStatus};
use crate::model::roster::Household;

/// Which rule matched a bank row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    Reference,
    Account,
    IdNumber,
}

/// A household's bank rows, by index.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HouseholdRows {
    pub first_success: Option<u32>,
    /// First readable matched row (successful or failed).
    pub first_matched: Option<u32>,
    pub first_failed: Option<u32>,
    pub first_unreadable: Option<u32>,
}

impl HouseholdRows {
    /// The deciding row: the first successful one, else the first matched.
    pub fn deciding(&self) -> Option<u32> {
        self.first_success.or(self.first_matched)
    }
}

/// The matching of the month's bank rows.
#[derive(Debug, Default)]
pub struct Matched {
    /// Per bank row: its household (index into the roster's households) and the rule.
    pub household: Vec<Option<(u32, Rule)>>,
    /// Per bank row: a further successful row of a household that has one.
    pub duplicate: Vec<bool>,
    /// Per household.
    pub rows: Vec<HouseholdRows>,
}

/// Is a bank row readable and successful?
pub fn succeeded(line: &BankLine) -> bool {
    line.unreadable.is_empty() && line.status == Some(PayStatus::Success)
}

/// The places where a household number may stand in `reference`, leftmost
/// first and, at one start, longest first: spans with no ASCII letter or
/// digit right before or after them, whose byte length is in `lengths`.
fn spans(reference: &str, lengths: &[bool]) -> Vec<(usize, usize)> {
    let bytes = reference.as_bytes();
    let alnum = |i: usize| bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric());
    let mut out = Vec::new();
    let starts =
        (0..bytes.len()).filter(|&i| reference.is_char_boundary(i) && (i == 0 || !alnum(i - 1)));
    for start in starts {
        let longest = (lengths.len() - 1).min(bytes.len() - start);
        for len in (1..=longest).rev() {
            let end = start + len;
            if lengths[len] && reference.is_char_boundary(end) && !alnum(end) {
                out.push((start, end));
            }
        }
    }
    out
}

/// An account as two integers (its exact [`Account::key`]): joins on
/// integers are several times faster than on text. An account too long for
/// a key (more than 36 digits: none is issued) gets a pair no other account
/// has (`u64::MAX`, `unique`), so it matches only by reference or ID.
pub(super) fn account_key(account: Option<&Account>, unique: u64) -> (Option<u64>, Option<u64>) {
    match account.map(Account::key) {
        None => (None, None),
        Some(Some(k)) => (Some((k >> 64) as u64), Some(k as u64)),
        Some(None) => (Some(u64::MAX), Some(unique)),
    }
}

/// The roster's keys: `hh` (index), `hid` (text), `h_acct_hi` / `h_acct_lo`
/// (the account, see [`account_key`]), `h_id` (the head's ID as its exact
/// integer key).
pub(super) fn roster_keys(households: &[&Household]) -> PolarsResult<DataFrame> {
    let n = households.len();
    let (hi, lo): (Vec<Option<u64>>, Vec<Option<u64>>) = households
        .iter()
        .enumerate()
        .map(|(i, h)| account_key(Some(&h.account), i as u64))
        .unzip();
    DataFrame::new(
        n,
        vec![
            Column::new("hh".into(), (0..n as u32).collect::<Vec<u32>>()),
            Column::new(
                "hid".into(),
                households
                    .iter()
                    .map(|h| h.household_id.as_str())
                    .collect::<Vec<&str>>(),
            ),
            Column::new("h_acct_hi".into(), hi),
            Column::new("h_acct_lo".into(), lo),
            Column::new(
                "h_id".into(),
                households
                    .iter()
                    .map(|h| h.id_number.key())
                    .collect::<Vec<u64>>(),
            ),
        ],
    )
}

/// A left join that keeps the left side's order and checks that the right
/// side's keys are unique.
pub(super) fn left_unique() -> JoinArgs {
    JoinArgs {
        validation: JoinValidation::ManyToOne,
        maintain_order: MaintainOrderJoin::Left,
        ..JoinArgs::new(JoinType::Left)
    }
}

fn u32_of(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<u32>>> {
    Ok(df.column(name)?.u32()?.iter().collect())
}

/// Matches `lines` to `households`.
///
/// # Errors
/// A polars error: a bug (keys the roster reader left unique were not).
pub fn match_rows(households: &[&Household], lines: &[BankLine]) -> PolarsResult<Matched> {
    let n = lines.len();
    let roster = roster_keys(households)?;

    // Rule 1: every place a household number may stand, joined with the
    // roster's numbers; the first place that is one wins.
    let mut lengths = vec![false; 1];
    for h in households {
        let len = h.household_id.len();
        if lengths.len() <= len {
            lengths.resize(len + 1, false);
        }
        lengths[len] = true;
    }
    let (mut t_row, mut t_ord, mut t_tok) = (Vec::new(), Vec::new(), Vec::new());
    for (r, line) in lines.iter().enumerate() {
        if let Some(reference) = &line.reference {
            for (ord, (s, e)) in spans(reference, &lengths).into_iter().enumerate() {
                t_row.push(r as u32);
                t_ord.push(ord as u32);
                t_tok.push(&reference[s..e]);
            }
        }
    }
    let tokens = DataFrame::new(
        t_row.len(),
        vec![
            Column::new("row".into(), t_row),
            Column::new("ord".into(), t_ord),
            Column::new("tok".into(), t_tok),
        ],
    )?;
    let many_to_one = |how| JoinArgs {
        validation: JoinValidation::ManyToOne,
        ..JoinArgs::new(how)
    };
    let by_reference = tokens
        .lazy()
        .join(
            roster.clone().lazy().select([col("hh"), col("hid")]),
            [col("tok")],
            [col("hid")],
            many_to_one(JoinType::Inner),
        )
        // The join promises no order: the leftmost place is the smallest
        // `ord`, found as the least `ord << 32 | hh` of the row (one `min`,
        // no sort per row).
        .with_column(
            (col("ord").cast(DataType::UInt64) * lit(1u64 << 32)
                + col("hh").cast(DataType::UInt64))
            .alias("key"),
        )
        .group_by([col("row")])
        .agg([col("key").min()])
        .select([
            col("row"),
            (col("key") % lit(1u64 << 32))
                .cast(DataType::UInt32)
                .alias("ref_hh"),
        ]);

    // Rules 2 and 3: the row's account, the row's ID.
    let rows: Vec<u32> = (0..n as u32).collect();
    let (acct_hi, acct_lo): (Vec<Option<u64>>, Vec<Option<u64>>) = lines
        .iter()
        .enumerate()
        .map(|(r, l)| account_key(l.account.as_ref(), (households.len() + r) as u64))
        .unzip();
    let bank = DataFrame::new(
        n,
        vec![
            Column::new("row".into(), &rows),
            Column::new("acct_hi".into(), acct_hi),
            Column::new("acct_lo".into(), acct_lo),
            Column::new(
                "id".into(),
                lines
                    .iter()
                    .map(|l| l.id_number.as_ref().map(|i| i.key()))
                    .collect::<Vec<Option<u64>>>(),
            ),
            Column::new(
                "readable".into(),
                lines
                    .iter()
                    .map(|l| l.unreadable.is_empty())
                    .collect::<Vec<_>>(),
            ),
            Column::new(
                "success".into(),
                lines.iter().map(succeeded).collect::<Vec<_>>(),
            ),
        ],
    )?;
    let matched = bank
        .lazy()
        .join(by_reference, [col("row")], [col("row")], left_unique())
        .join(
            roster.clone().lazy().select([
                col("hh").alias("acct_hh"),
                col("h_acct_hi"),
                col("h_acct_lo"),
            ]),
            [col("acct_hi"), col("acct_lo")],
            [col("h_acct_hi"), col("h_acct_lo")],
            left_unique(),
        )
        .join(
            roster
                .lazy()
                .select([col("hh").alias("id_hh"), col("h_id")]),
            [col("id")],
            [col("h_id")],
            left_unique(),
        )
        .with_columns([
            coalesce(&[col("ref_hh"), col("acct_hh"), col("id_hh")]).alias("hh"),
            when(col("ref_hh").is_not_null())
                .then(lit(1u32))
                .when(col("acct_hh").is_not_null())
                .then(lit(2u32))
                .when(col("id_hh").is_not_null())
                .then(lit(3u32))
                .otherwise(lit(NULL).cast(DataType::UInt32))
                .alias("rule"),
        ])
        .select([
            col("row"),
            col("hh"),
            col("rule"),
            col("readable"),
            col("success"),
        ])
        .collect()?;

    // Per household: its first rows of each kind (plain group minima over
    // columns that hold the row only where it is of that kind).
    let only = |when_: Expr| {
        when(when_)
            .then(col("row"))
            .otherwise(lit(NULL).cast(DataType::UInt32))
    };
    let per_household = matched
        .clone()
        .lazy()
        .filter(col("hh").is_not_null())
        .with_columns([
            only(col("readable").and(col("success"))).alias("s"),
            only(col("readable")).alias("m"),
            only(col("readable").and(col("success").not())).alias("f"),
            only(col("readable").not()).alias("u"),
        ])
        .group_by([col("hh")])
        .agg([
            col("s").min().alias("first_success"),
            col("m").min().alias("first_matched"),
            col("f").min().alias("first_failed"),
            col("u").min().alias("first_unreadable"),
        ])
        .collect()?;
    // Duplicates: successful rows of a household other than its first. The
    // joins keep the bank rows' order (`left_unique`).
    let with_dups = matched
        .lazy()
        .join(
            per_household
                .clone()
                .lazy()
                .select([col("hh"), col("first_success")]),
            [col("hh")],
            [col("hh")],
            left_unique(),
        )
        .with_column(
            col("success")
                .and(col("first_success").is_not_null())
                .and(col("row").neq(col("first_success")))
                .fill_null(lit(false))
                .alias("duplicate"),
        )
        .select([col("hh"), col("rule"), col("duplicate")])
        .collect()?;

    let hh = u32_of(&with_dups, "hh")?;
    let rule = u32_of(&with_dups, "rule")?;
    let household = hh
        .iter()
        .zip(&rule)
        .map(|(h, r)| {
            let rule = match r {
                Some(1) => Rule::Reference,
                Some(2) => Rule::Account,
                _ => Rule::IdNumber,
            };
            h.map(|h| (h, rule))
        })
        .collect();
    let duplicate = with_dups
        .column("duplicate")?
        .bool()?
        .iter()
        .map(|d| d.unwrap_or(false))
        .collect();
    let mut rows = vec![HouseholdRows::default(); households.len()];
    let keys = u32_of(&per_household, "hh")?;
    let [fs, fm, ff, fu] = [
        "first_success",
        "first_matched",
        "first_failed",
        "first_unreadable",
    ]
    .map(|c| u32_of(&per_household, c));
    let (fs, fm, ff, fu) = (fs?, fm?, ff?, fu?);
    for (i, key) in keys.iter().enumerate() {
        if let Some(k) = key
            && let Some(slot) = rows.get_mut(*k as usize)
        {
            *slot = HouseholdRows {
                first_success: fs[i],
                first_matched: fm[i],
                first_failed: ff[i],
                first_unreadable: fu[i],
            };
        }
    }
    Ok(Matched {
        household,
        duplicate,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lens(ls: &[usize]) -> Vec<bool> {
        let mut v = vec![false; 10];
        for l in ls {
            v[*l] = true;
        }
        v
    }

    fn found<'a>(s: &'a str, ls: &[usize]) -> Vec<&'a str> {
        spans(s, &lens(ls))
            .into_iter()
            .map(|(a, b)| &s[a..b])
            .collect()
    }

    #[test]
    fn household_numbers_stand_between_non_alphanumerics() {
        assert_eq!(found("QC0012 2026-11", &[6]), vec!["QC0012"]);
        // CJK text around a number is fine; letters or digits are not.
        assert_eq!(found("低保QC0012补发", &[6]), vec!["QC0012"]);
        assert_eq!(found("XQC0012", &[6]), Vec::<&str>::new());
        assert_eq!(found("QC00123", &[6]), Vec::<&str>::new());
        // Leftmost first, then longest at one start.
        assert_eq!(found("A-1 B-12", &[4]), vec!["B-12"]);
        assert_eq!(found("AB-12", &[2, 5]), vec!["AB-12", "AB", "12"]);
    }

    /// A bank that cuts the 备注 it echoes (`HP0001 2026-11` to 12 or 9
    /// bytes) still gives the whole household number first; a cut
    /// household number is never taken for another one. (The join with the
    /// roster then keeps the leftmost place that is a household number.)
    #[test]
    fn references_cut_by_the_bank() {
        let first = |s: &'static str, ls: &[usize]| found(s, ls).first().copied();
        assert_eq!(first("HP0001 2026-1", &[6, 7]), Some("HP0001"));
        assert_eq!(first("HP0001 2026-", &[6, 7]), Some("HP0001"));
        assert_eq!(first("HP0001 20", &[6, 7]), Some("HP0001"));
        assert_eq!(found("HP0001 20", &[6, 7]), vec!["HP0001"]);
        assert_eq!(found("HP0001", &[6, 7]), vec!["HP0001"]);
        // `HP000` (HP0001 cut) is no household of six or seven characters.
        assert_eq!(found("HP000", &[6, 7]), Vec::<&str>::new());
        // HP0001 is not inside HP00012, nor inside HP0001X.
        assert_eq!(found("HP00012 20", &[6]), Vec::<&str>::new());
        assert_eq!(first("HP00012 2026-1", &[6, 7]), Some("HP00012"));
        assert_eq!(found("HP0001X", &[6]), Vec::<&str>::new());
    }
}
