//! The ledger rules of SPEC §5.3, applied row by row to what matching and
//! the check-ins found: status, `paid`, flags, check-in, actions, detail and
//! source of every household, then one row per extra bank row.
//!
//! Invariants: as [`super`]: one row per household in roster order, then the
//! extra bank rows in bank order; a household's row names its consumed bank
//! rows (its readable matched rows but the duplicates) in bank order.

use std::fmt::Write as _;

use compact_str::{CompactString, ToCompactString};

use super::checkins::Outcome;
use super::expected::Due;
use super::matching::{Matched, Rule, succeeded};
use super::*;
use crate::issue::Lang;
use crate::model::bank::BankLine;
use crate::model::roster::Household;
use crate::payroll::Hold;

/// What the rules need.
pub struct Inputs<'a> {
    pub households: &'a [&'a Household],
    pub dues: &'a [Due],
    pub lines: &'a [BankLine],
    pub matched: &'a Matched,
    pub checkins: &'a [Outcome],
}

/// Names compared after normalisation: no white space of any kind.
fn same_name(a: &str, b: &str) -> bool {
    let strip = |s: &str| -> String { s.chars().filter(|c| !c.is_whitespace()).collect() };
    strip(a) == strip(b)
}

/// A ledger row's detail in English (ledger.csv) and Chinese (the workbook).
#[derive(Default)]
struct Detail {
    en: CompactString,
    zh: CompactString,
}

impl Detail {
    fn push(&mut self, en: &str, zh: &str) {
        if !self.en.is_empty() {
            self.en.push_str("; ");
            self.zh.push_str("；");
        }
        self.en.push_str(en);
        self.zh.push_str(zh);
    }
}

/// `FILE[SHEET]!ROW` of bank rows, `;`-joined.
fn source_of(lines: &[BankLine], rows: &[u32]) -> CompactString {
    let mut s = CompactString::default();
    for &r in rows {
        if !s.is_empty() {
            s.push(';');
        }
        let at = &lines[r as usize].at;
        // The file's base name (SPEC §5.3), the sheet for spreadsheets.
        let path = std::path::Path::new(&*at.file);
        s.push_str(
            &path
                .file_name()
                .map_or(at.file.as_ref().into(), |n| n.to_string_lossy()),
        );
        if let Some(sheet) = &at.sheet {
            let _ = write!(s, "[{sheet}]");
        }
        if let Some(row) = at.row {
            let _ = write!(s, "!{row}");
        }
    }
    s
}

/// Applies the rules; returns the ledger rows and the control totals.
pub fn build(inputs: &Inputs<'_>) -> (Vec<LedgerRow>, Controls) {
    let Inputs {
        households,
        dues,
        lines,
        matched,
        checkins,
    } = *inputs;
    let mut controls = Controls::default();

    // Each household's consumed rows, bank order (compressed: offsets into one list).
    let mut counts = vec![0u32; households.len() + 1];
    let consumed = |r: usize| -> Option<usize> {
        let (k, _) = matched.household[r]?;
        (lines[r].unreadable.is_empty() && !matched.duplicate[r]).then_some(k as usize)
    };
    for r in 0..lines.len() {
        if let Some(k) = consumed(r) {
            counts[k + 1] += 1;
        }
    }
    for k in 0..households.len() {
        counts[k + 1] += counts[k];
    }
    let mut fill = counts.clone();
    let mut items = vec![0u32; counts[households.len()] as usize];
    for r in 0..lines.len() {
        if let Some(k) = consumed(r) {
            items[fill[k] as usize] = r as u32;
            fill[k] += 1;
        }
    }

    let mut rows = Vec::with_capacity(households.len() + lines.len() / 16);
    for (k, h) in households.iter().enumerate() {
        let hr = matched.rows[k];
        let mut flags = Set::default();
        let mut actions = Set::default();
        let mut detail = Detail::default();
        let success = hr.first_success.map(|r| &lines[r as usize]);
        let paid = success.and_then(|l| l.amount);
        let (status, expected) = match dues[k] {
            Due::Due(e) => {
                let status = match paid {
                    Some(p) if p == e => Status::Paid,
                    Some(p) if p < e => {
                        actions.add(A_TOP_UP);
                        controls.short += e - p;
                        Status::Underpaid
                    }
                    Some(p) => {
                        actions.add(A_RECOVER);
                        controls.excess += p - e;
                        Status::Overpaid
                    }
                    None => {
                        // The unreadable row may have paid it: review, do not re-issue.
                        actions.add(if hr.first_unreadable.is_some() {
                            A_REVIEW
                        } else {
                            A_REISSUE
                        });
                        if hr.first_matched.is_some() {
                            controls.failed += e;
                            Status::Failed
                        } else {
                            controls.missing += e;
                            Status::Missing
                        }
                    }
                };
                controls.expected += e;
                if let Some(p) = paid {
                    controls.paid_due += p;
                }
                (status, Some(e))
            }
            not_due => {
                if let Some(p) = paid {
                    actions.add(A_RECOVER);
                    controls.paid_not_due += p;
                    (Status::Unexpected, None)
                } else if matches!(not_due, Due::Held(_)) {
                    (Status::Held, None)
                } else {
                    (Status::Inactive, None)
                }
            }
        };
        if dues[k] == Due::Held(Hold::Checkin) {
            flags.add(F_CHECKIN_HOLD);
        }
        if let Some(u) = hr.first_unreadable {
            if expected.is_none() {
                actions.add(A_REVIEW);
            }
            if paid.is_none() {
                let at = source_of(lines, &[u]);
                detail.push(
                    &format!("unreadable bank row {at}"),
                    &format!("回盘行 {at} 无法读取，可能已发放"),
                );
            }
        }
        if let Some(d) = hr.deciding() {
            let line = &lines[d as usize];
            if matched.household[d as usize].is_some_and(|(_, rule)| rule == Rule::IdNumber) {
                flags.add(F_MATCHED_BY_ID);
            }
            if line.account.as_ref().is_some_and(|a| *a != h.account) {
                flags.add(F_ACCOUNT_CHANGED);
                actions.add(A_REVIEW);
                let account = line.account.as_ref().map_or("", |a| a.as_str());
                detail.push(
                    &format!("bank account {account}"),
                    &format!("回盘账号 {account}"),
                );
            }
            if let (Some(s), Some(f)) = (hr.first_success, hr.first_failed)
                && f < s
            {
                flags.add(F_RETRIED);
            }
            let roster_name = h.account_name.as_deref().unwrap_or(&h.name);
            if !same_name(&line.account_name, roster_name) {
                flags.add(F_NAME_MISMATCH);
                actions.add(A_REVIEW);
                detail.push(
                    &format!("bank name {}", line.account_name),
                    &format!("回盘户名 {}", line.account_name),
                );
            }
            if success.is_none() || flags.has(F_RETRIED) {
                let failed = hr.first_failed.map(|r| &lines[r as usize]);
                let reason = failed.and_then(|l| l.reason.as_deref()).unwrap_or("");
                if !reason.is_empty() && success.is_some() {
                    detail.push(
                        &format!("retried after: {reason}"),
                        &format!("首次失败：{reason}"),
                    );
                } else if !reason.is_empty() {
                    detail.push(reason, reason);
                }
            }
        }
        let outcome = &checkins[k];
        if outcome.changes.is_some() {
            flags.add(F_CHANGE_REPORTED);
            actions.add(A_REVIEW);
        }
        if let Some(reported) = outcome.reported
            && reported != paid.unwrap_or(Money::ZERO)
        {
            flags.add(F_REPORTED_AMOUNT_DIFFERS);
            actions.add(A_REVIEW);
            detail.push(
                &format!("reported {reported}"),
                &format!("签到时报领取 {reported} 元"),
            );
        }
        if let Some(changes) = &outcome.changes {
            detail.push(
                &format!("changes: {changes}"),
                &format!("家庭变化：{changes}"),
            );
        }
        match (expected.is_some(), flags.has(F_CHECKIN_HOLD)) {
            // Due: a miss is suspended after the run of misses, or
            // reviewed when the office owed a home visit.
            (true, _) if outcome.status == Checkin::Missed && outcome.judged => {
                if h.home_visit {
                    actions.add(A_REVIEW);
                } else if outcome.missed_run {
                    actions.add(A_SUSPEND);
                }
            }
            // Held for missed check-ins: checked in again → review (恢复待核).
            (false, true) if outcome.status != Checkin::Missed => actions.add(A_REVIEW),
            _ => {}
        }
        let consumed = &items[counts[k] as usize..counts[k + 1] as usize];
        rows.push(LedgerRow {
            household_id: h.household_id.clone(),
            name: h.name.clone(),
            id_number: h.id_number.as_str().into(),
            account: h.account.as_str().into(),
            community: h.community.clone().unwrap_or_default(),
            expected,
            paid,
            status,
            flags,
            checkin: Some(outcome.status),
            actions,
            detail: detail.en,
            detail_zh: detail.zh,
            source: source_of(lines, consumed),
            bank_rows: consumed.to_vec(),
            is_household: true,
        });
    }

    for (r, line) in lines.iter().enumerate() {
        let hh = matched.household[r].map(|(k, _)| &households[k as usize]);
        let readable = line.unreadable.is_empty();
        if readable {
            if succeeded(line) {
                controls.bank_succeeded += 1;
                controls.bank_paid += line.amount.unwrap_or(Money::ZERO);
            } else {
                controls.bank_failed += 1;
            }
        } else {
            controls.bank_unreadable += 1;
        }
        let mut actions = Set::default();
        let mut paid = None;
        let mut detail = Detail::default();
        let status = if !readable {
            actions.add(A_REVIEW);
            for p in &line.unreadable {
                detail.push(&p.message(Lang::En), &p.message(Lang::Zh));
            }
            Status::Unreadable
        } else if hh.is_none() {
            if succeeded(line) {
                actions.add(A_RECOVER);
                paid = line.amount;
                controls.paid_unmatched += line.amount.unwrap_or(Money::ZERO);
            } else {
                actions.add(A_REVIEW);
                let reason = line.reason.as_deref().unwrap_or("");
                detail.push(reason, reason);
            }
            Status::Unexpected
        } else if matched.duplicate[r] {
            actions.add(A_RECOVER);
            paid = line.amount;
            controls.paid_duplicate += line.amount.unwrap_or(Money::ZERO);
            Status::Duplicate
        } else {
            continue;
        };
        rows.push(LedgerRow {
            household_id: hh.map(|h| h.household_id.clone()).unwrap_or_default(),
            name: line.account_name.to_compact_string(),
            id_number: line
                .id_number
                .as_ref()
                .map(|i| i.as_str().into())
                .unwrap_or_default(),
            account: line
                .account
                .as_ref()
                .map(|a| a.as_str().into())
                .unwrap_or_default(),
            community: CompactString::default(),
            expected: None,
            paid,
            status,
            flags: Set::default(),
            checkin: None,
            actions,
            detail: detail.en,
            detail_zh: detail.zh,
            source: source_of(lines, &[r as u32]),
            bank_rows: vec![r as u32],
            is_household: false,
        });
    }
    (rows, controls)
}
