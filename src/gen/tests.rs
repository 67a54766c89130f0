//! Tests of the generator, including an independent reference reconciliation
//! of the generated CSV files (SPEC §5.3 under the default policy) that must
//! agree with `truth.csv` row for row.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::Datelike;

use super::*;
use crate::model::account::luhn_ok;
use crate::model::date::{parse_date, parse_month};
use crate::model::idcard::{self, IdReading};

fn nov() -> Month {
    Month::new(2026, 11).expect("month")
}

fn opts(dir: &Path, households: usize, seed: u64, anomalies: f64, format: GenFormat) -> GenOptions {
    GenOptions {
        households,
        seed,
        anomalies,
        format,
        month: nov(),
        out: dir.to_path_buf(),
    }
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .expect("open csv");
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("record").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

fn fen(text: &str) -> Option<i64> {
    let (y, f) = text.split_once('.')?;
    if f.len() != 2
        || !y.bytes().all(|b| b.is_ascii_digit())
        || !f.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    Some(y.parse::<i64>().ok()? * 100 + f.parse::<i64>().ok()?)
}

fn money(v: Option<i64>) -> String {
    let mut s = String::new();
    if let Some(v) = v {
        table::write_money(&mut s, v);
    }
    s
}

#[test]
fn same_options_give_the_same_bytes() {
    for format in [GenFormat::Csv, GenFormat::Xlsx] {
        let a = tempfile::tempdir().expect("tempdir");
        let b = tempfile::tempdir().expect("tempdir");
        let c = tempfile::tempdir().expect("tempdir");
        let ra = generate(&opts(a.path(), 300, 7, 0.2, format)).expect("gen a");
        let rb = generate(&opts(b.path(), 300, 7, 0.2, format)).expect("gen b");
        let rc = generate(&opts(c.path(), 300, 8, 0.2, format)).expect("gen c");
        assert_eq!(ra.files.len(), 4);
        let mut differs = false;
        for ((fa, fb), fc) in ra.files.iter().zip(&rb.files).zip(&rc.files) {
            assert_eq!(fa.file_name(), fb.file_name());
            let (ba, bb, bc) = (
                std::fs::read(fa).expect("read"),
                std::fs::read(fb).expect("read"),
                std::fs::read(fc).expect("read"),
            );
            assert!(
                ba == bb,
                "{} differs between runs ({format:?})",
                fa.display()
            );
            differs |= ba != bc;
        }
        assert!(differs, "another seed must give other files ({format:?})");
    }
}

#[test]
fn ids_and_accounts_are_valid_and_unique() {
    let dir = tempfile::tempdir().expect("tempdir");
    generate(&opts(dir.path(), 5000, 3, 0.2, GenFormat::Csv)).expect("gen");
    let (h, rows) = read_csv(&dir.path().join("roster.csv"));
    assert_eq!(rows.len(), 5000);
    let (id_c, acct_c, hid_c) = (
        col(&h, "身份证号"),
        col(&h, "银行账号"),
        col(&h, "低保证号"),
    );
    let mut ids = HashSet::new();
    let mut accounts = HashSet::new();
    let mut x_count = 0;
    let mut luhn_bad = 0;
    for (i, r) in rows.iter().enumerate() {
        let id = &r[id_c];
        assert_eq!(id.len(), 18);
        assert_eq!(
            idcard::check_char(&id.as_bytes()[..17]),
            id.as_bytes()[17],
            "{id}"
        );
        assert!(matches!(idcard::read(id), IdReading::Valid(_)), "{id}");
        let year: i32 = id[6..10].parse().expect("year");
        assert!((1930..=2008).contains(&year), "{id}");
        x_count += usize::from(id.ends_with('X'));
        assert!(ids.insert(id.clone()), "duplicate ID {id}");
        let acct = &r[acct_c];
        assert!(
            (16..=19).contains(&acct.len()) && acct.starts_with("62"),
            "{acct}"
        );
        assert!(acct.bytes().all(|b| b.is_ascii_digit()));
        luhn_bad += usize::from(!luhn_ok(acct));
        assert!(accounts.insert(acct.clone()), "duplicate account {acct}");
        assert_eq!(r[hid_c], format!("G{:04}", i + 1));
    }
    // About 1/11 end in X, about 0.5% fail Luhn.
    assert!((300..=620).contains(&x_count), "{x_count} IDs end in X");
    assert!(
        (5..=60).contains(&luhn_bad),
        "{luhn_bad} accounts fail Luhn"
    );

    // Accounts and IDs of extra rows are on no roster household.
    let (bh, bank) = read_csv(&dir.path().join("bank.csv"));
    let (ref_c, bacct_c, bid_c) = (col(&bh, "备注"), col(&bh, "账号"), col(&bh, "身份证号"));
    let mut txns = HashSet::new();
    for r in &bank {
        assert!(txns.insert(r[col(&bh, "流水号")].clone()));
        if r[ref_c].is_empty() || !r[ref_c].starts_with('G') {
            assert!(!accounts.contains(&r[bacct_c]), "{:?}", r);
            if !r[ref_c].is_empty() {
                assert!(!ids.contains(&r[bid_c]), "{:?}", r);
            }
        }
        assert!(matches!(idcard::read(&r[bid_c]), IdReading::Valid(_)));
    }
}

#[test]
fn totals_match_the_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = generate(&opts(dir.path(), 1000, 11, 0.1, GenFormat::Csv)).expect("gen");
    let (h, rows) = read_csv(&dir.path().join("roster.csv"));
    let persons: u64 = rows
        .iter()
        .map(|r| r[col(&h, "保障人数")].parse::<u64>().expect("members"))
        .sum();
    assert!(
        rows.iter()
            .all(|r| (1..=6).contains(&r[col(&h, "保障人数")].parse::<u32>().unwrap_or(0)))
    );
    assert_eq!(report.households, 1000);
    assert_eq!(report.persons, persons);
    assert_eq!(report.anomalies, 100);
    assert_eq!(
        report.bank_rows,
        read_csv(&dir.path().join("bank.csv")).1.len()
    );
    assert_eq!(
        report.checkin_rows,
        read_csv(&dir.path().join("checkins.csv")).1.len()
    );
    let names: Vec<_> = report
        .files
        .iter()
        .map(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(
        names,
        ["roster.csv", "bank.csv", "checkins.csv", "truth.csv"]
    );
    let first = std::fs::read_to_string(dir.path().join("roster.csv")).expect("read");
    assert!(first.starts_with(&ROSTER_HEADER.join(",")));
}

#[test]
fn every_anomaly_kind_appears_at_200_households() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = generate(&opts(dir.path(), 200, 1, 0.2, GenFormat::Csv)).expect("gen");
    assert_eq!(report.anomalies, 40);
    let (h, truth) = read_csv(&dir.path().join("truth.csv"));
    let seen: HashSet<&str> = truth
        .iter()
        .map(|r| r[col(&h, "anomaly")].as_str())
        .collect();
    for kind in Anomaly::ALL {
        assert!(seen.contains(kind.code()), "{} missing", kind.code());
    }
}

#[test]
fn february_leaves_out_late() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut o = opts(dir.path(), 200, 1, 0.2, GenFormat::Csv);
    o.month = Month::new(2027, 2).expect("month");
    generate(&o).expect("gen");
    let (h, truth) = read_csv(&dir.path().join("truth.csv"));
    assert!(truth.iter().all(|r| r[col(&h, "checkin")] != "LATE"));
    check_against_reference(dir.path(), o.month);
}

#[test]
fn bad_options_are_usage_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    for rate in [-0.1, 1.5, f64::NAN] {
        assert!(matches!(
            generate(&opts(dir.path(), 10, 1, rate, GenFormat::Csv)),
            Err(Error::Usage(_))
        ));
    }
    let empty = tempfile::tempdir().expect("tempdir");
    let report =
        generate(&opts(&empty.path().join("new"), 0, 1, 0.5, GenFormat::Csv)).expect("gen");
    assert_eq!(report.bank_rows, 0);
}

#[test]
fn truth_agrees_with_a_reference_reconciliation() {
    for (n, seed, rate) in [(200, 1, 0.2), (3000, 42, 0.3), (500, 9, 1.0), (400, 5, 0.0)] {
        let dir = tempfile::tempdir().expect("tempdir");
        generate(&opts(dir.path(), n, seed, rate, GenFormat::Csv)).expect("gen");
        check_against_reference(dir.path(), nov());
    }
}

#[test]
fn xlsx_has_title_text_ids_and_numeric_amounts() {
    use calamine::{Data, Reader, open_workbook_auto};
    let dir = tempfile::tempdir().expect("tempdir");
    generate(&opts(dir.path(), 200, 1, 0.2, GenFormat::Xlsx)).expect("gen");
    let mut wb = open_workbook_auto(dir.path().join("roster.xlsx")).expect("open");
    let range = wb.worksheet_range_at(0).expect("sheet").expect("range");
    let rows: Vec<_> = range.rows().collect();
    assert!(matches!(&rows[0][0], Data::String(t) if t.contains("低保花名册")));
    let header: Vec<String> = rows[1].iter().map(|c| c.to_string()).collect();
    assert_eq!(header, ROSTER_HEADER);
    assert_eq!(rows.len(), 202);
    for r in &rows[2..] {
        assert!(matches!(&r[3], Data::String(s) if s.len() == 18));
        assert!(matches!(&r[6], Data::String(_)));
        assert!(matches!(&r[4], Data::Float(_) | Data::Int(_)));
        assert!(matches!(&r[12], Data::Float(_) | Data::Empty));
    }
    let mut bank = open_workbook_auto(dir.path().join("bank.xlsx")).expect("open");
    let range = bank.worksheet_range_at(0).expect("sheet").expect("range");
    let rows: Vec<_> = range.rows().collect();
    let mut numeric = 0;
    for r in &rows[2..] {
        numeric += usize::from(matches!(r[3], Data::Float(_)));
        assert!(matches!(&r[1], Data::String(_)));
        assert!(matches!(&r[8], Data::DateTime(_)));
    }
    assert!(numeric + 2 >= rows.len() - 2, "amounts are numbers");
    // Truth lines for xlsx count the title row: data starts at row 3.
    let (h, truth) = read_csv(&dir.path().join("truth.csv"));
    let lines: Vec<u64> = truth
        .iter()
        .flat_map(|r| {
            r[col(&h, "bank_rows")]
                .split(';')
                .filter_map(|s| s.parse().ok())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(lines.iter().min(), Some(&3));
    assert_eq!(lines.len(), rows.len() - 2);
}

// ---------------------------------------------------------------------------
// Reference reconciliation (independent of the plan code).

struct RHousehold {
    hid: String,
    account: String,
    account_name: String,
    id: String,
    home_visit: bool,
    due: bool,
    held: bool,
    expected: i64,
}

#[derive(Clone)]
struct RBank {
    line: u64,
    account: String,
    name: String,
    amount: Option<i64>,
    status: Option<bool>,
    reference: String,
    id: String,
}

fn check_against_reference(dir: &Path, m: Month) {
    let (rh, roster) = read_csv(&dir.join("roster.csv"));
    let households: Vec<RHousehold> = roster
        .iter()
        .map(|r| {
            let g = |name| r[col(&rh, name)].clone();
            let members: i64 = g("保障人数").parse().expect("members");
            let base = match fen(&g("核定低保金")) {
                Some(v) => v,
                None if members == 1 => 28_000,
                None => 26_000 * members,
            };
            let start = parse_month(&g("起保年月"));
            let end = parse_month(&g("停保年月"));
            let in_months = start.is_none_or(|s| s <= m) && end.is_none_or(|e| m <= e);
            let status = g("状态");
            let name = g("户主姓名");
            let account_name = if g("户名").is_empty() {
                name
            } else {
                g("户名")
            };
            RHousehold {
                hid: g("低保证号"),
                account: g("银行账号"),
                account_name,
                id: g("身份证号"),
                home_visit: g("上门服务") == "是",
                due: in_months && ["在保", "正常", "渐退"].contains(&status.as_str()),
                held: in_months && status == "暂停",
                expected: base + 5_000 * members,
            }
        })
        .collect();
    let by_hid: HashMap<&str, usize> = households
        .iter()
        .enumerate()
        .map(|(i, h)| (h.hid.as_str(), i))
        .collect();
    let by_account: HashMap<&str, usize> = households
        .iter()
        .enumerate()
        .map(|(i, h)| (h.account.as_str(), i))
        .collect();
    let by_id: HashMap<&str, usize> = households
        .iter()
        .enumerate()
        .map(|(i, h)| (h.id.as_str(), i))
        .collect();

    let (bh, bank_rows) = read_csv(&dir.join("bank.csv"));
    let bank: Vec<RBank> = bank_rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let g = |name| r[col(&bh, name)].clone();
            RBank {
                line: i as u64 + 2,
                account: g("账号"),
                name: g("户名"),
                amount: fen(&g("金额")),
                status: match g("处理结果").as_str() {
                    "成功" => Some(true),
                    "失败" => Some(false),
                    _ => None,
                },
                reference: g("备注"),
                id: g("身份证号"),
            }
        })
        .collect();

    // Matching: rule 1 (household_id in the reference), 2 (account), 3 (ID).
    let match_row = |b: &RBank| -> Option<(usize, bool)> {
        let bytes = b.reference.as_bytes();
        for (pos, _) in b.reference.match_indices('G') {
            let end = pos
                + 1
                + bytes[pos + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
            let before_ok = pos == 0 || !bytes[pos - 1].is_ascii_alphanumeric();
            let after_ok = end == bytes.len() || !bytes[end].is_ascii_alphanumeric();
            if before_ok
                && after_ok
                && let Some(&i) = by_hid.get(&b.reference[pos..end])
            {
                return Some((i, false));
            }
        }
        if let Some(&i) = by_account.get(b.account.as_str()) {
            return Some((i, false));
        }
        by_id.get(b.id.as_str()).map(|&i| (i, true))
    };

    // (line, household_id, status, actions, paid) of extra rows.
    let mut extras: Vec<(u64, String, &str, &str, Option<i64>)> = Vec::new();
    let mut matched: Vec<Vec<(RBank, bool)>> = vec![Vec::new(); households.len()];
    let mut unreadable = vec![false; households.len()];
    for b in &bank {
        let hit = match_row(b);
        let readable = b.amount.is_some() && b.status.is_some();
        if !readable {
            if let Some((i, _)) = hit {
                unreadable[i] = true;
            }
            let hid = hit
                .map(|(i, _)| households[i].hid.clone())
                .unwrap_or_default();
            extras.push((b.line, hid, "UNREADABLE", "REVIEW", None));
            continue;
        }
        match hit {
            Some((i, by_id)) => matched[i].push((b.clone(), by_id)),
            None if b.status == Some(true) => {
                extras.push((b.line, String::new(), "UNEXPECTED", "RECOVER", b.amount))
            }
            None => extras.push((b.line, String::new(), "UNEXPECTED", "REVIEW", None)),
        }
    }

    // Check-ins of the month.
    let (ch, checkins) = read_csv(&dir.join("checkins.csv"));
    let mut records: HashMap<String, Vec<Vec<String>>> = HashMap::new();
    for r in checkins {
        records
            .entry(r[col(&ch, "低保证号")].clone())
            .or_default()
            .push(r);
    }

    let mut expected_rows: Vec<[String; 9]> = Vec::new();
    for (i, h) in households.iter().enumerate() {
        let rows = &matched[i];
        let first_ok = rows.iter().position(|(b, _)| b.status == Some(true));
        let mut lines = Vec::new();
        for (k, (b, _)) in rows.iter().enumerate() {
            if b.status == Some(true) && Some(k) != first_ok {
                extras.push((b.line, h.hid.clone(), "DUPLICATE", "RECOVER", b.amount));
            } else {
                lines.push(b.line);
            }
        }
        let deciding = first_ok.or(if rows.is_empty() { None } else { Some(0) });
        let paid = first_ok.and_then(|k| rows[k].0.amount);
        let mut flags: Vec<&str> = Vec::new();
        let mut actions: HashSet<&str> = HashSet::new();
        if let Some(d) = deciding {
            let (b, by_id) = &rows[d];
            if *by_id {
                flags.push("MATCHED_BY_ID");
            }
            if b.account != h.account {
                flags.push("ACCOUNT_CHANGED");
                actions.insert("REVIEW");
            }
            if first_ok.is_some_and(|k| k > 0) {
                flags.push("RETRIED");
            }
            if b.name != h.account_name {
                flags.push("NAME_MISMATCH");
                actions.insert("REVIEW");
            }
        }
        let (status, expected) = if h.due {
            let status = match paid {
                Some(p) if p == h.expected => "PAID",
                Some(p) if p < h.expected => {
                    actions.insert("TOP_UP");
                    "UNDERPAID"
                }
                Some(_) => {
                    actions.insert("RECOVER");
                    "OVERPAID"
                }
                None => {
                    actions.insert(if unreadable[i] { "REVIEW" } else { "REISSUE" });
                    if rows.is_empty() { "MISSING" } else { "FAILED" }
                }
            };
            (status, Some(h.expected))
        } else {
            if unreadable[i] {
                actions.insert("REVIEW");
            }
            if paid.is_some() {
                actions.insert("RECOVER");
                ("UNEXPECTED", None)
            } else if h.held {
                ("HELD", None)
            } else {
                ("INACTIVE", None)
            }
        };
        let checkin = if h.due {
            let mine: Vec<&Vec<String>> = records
                .get(&h.hid)
                .map(|v| {
                    v.iter()
                        .filter(|r| {
                            let month = parse_month(&r[col(&ch, "所属年月")])
                                .or_else(|| parse_date(&r[col(&ch, "签到日期")]).map(Month::of));
                            month == Some(m)
                        })
                        .collect()
                })
                .unwrap_or_default();
            let rank = |r: &Vec<String>| -> (u8, &'static str) {
                let date = parse_date(&r[col(&ch, "签到日期")]);
                let method = r[col(&ch, "签到方式")].as_str();
                match date {
                    Some(_) if method == "上门" => (1, "HOME_VISIT"),
                    Some(d) if Month::of(d) == m && (25..=28).contains(&d.day()) => (0, "ON_TIME"),
                    Some(d) if Month::of(d) == m && d.day() > 28 => (2, "LATE"),
                    Some(d) if Month::of(d) == m => (3, "EARLY"),
                    None if !r[col(&ch, "请假原因")].is_empty() => (4, "EXCUSED"),
                    _ => (9, "?"),
                }
            };
            match mine.iter().min_by_key(|r| rank(r).0) {
                Some(best) => {
                    let changes = best[col(&ch, "家庭变化")].as_str();
                    let reported = &best[col(&ch, "领取金额")];
                    if !reported.is_empty() && fen(reported) != Some(paid.unwrap_or(0)) {
                        flags.push("REPORTED_AMOUNT_DIFFERS");
                        actions.insert("REVIEW");
                    }
                    if !["", "无", "否"].contains(&changes) {
                        flags.push("CHANGE_REPORTED");
                        actions.insert("REVIEW");
                    }
                    rank(best).1
                }
                None => {
                    actions.insert(if h.home_visit { "REVIEW" } else { "SUSPEND" });
                    "MISSED"
                }
            }
        } else {
            "NOT_DUE"
        };
        let actions: Vec<&str> = ACTION_NAMES
            .iter()
            .copied()
            .filter(|a| actions.contains(a))
            .collect();
        lines.sort_unstable();
        expected_rows.push([
            h.hid.clone(),
            String::new(),
            status.to_string(),
            checkin.to_string(),
            flags.join(";"),
            actions.join(";"),
            money(expected),
            money(paid),
            lines
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(";"),
        ]);
    }
    extras.sort_by_key(|e| e.0);
    for (line, hid, status, action, paid) in extras {
        expected_rows.push([
            hid,
            String::new(),
            status.to_string(),
            String::new(),
            String::new(),
            action.to_string(),
            String::new(),
            money(paid),
            line.to_string(),
        ]);
    }

    let (th, truth) = read_csv(&dir.join("truth.csv"));
    assert_eq!(th, TRUTH_HEADER);
    assert_eq!(
        truth.len(),
        expected_rows.len(),
        "ledger rows in {}",
        dir.display()
    );
    let mut seen_lines = HashSet::new();
    for (t, e) in truth.iter().zip(&expected_rows) {
        for k in [0, 2, 3, 4, 5, 6, 7, 8] {
            assert_eq!(
                t[k], e[k],
                "column {} of truth row {t:?} (reference {e:?})",
                TRUTH_HEADER[k]
            );
        }
        for l in t[8].split(';').filter(|s| !s.is_empty()) {
            assert!(
                seen_lines.insert(l.to_string()),
                "bank line {l} claimed twice"
            );
        }
    }
    assert_eq!(
        seen_lines.len(),
        bank.len(),
        "every bank row is accounted for"
    );
}
