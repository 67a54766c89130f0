//! `dibao reconcile` on the month built for it (fixtures/reconcile: every
//! status, flag, check-in status and action of SPEC §5.3, in an xlsx with
//! title and totals rows, a GBK pipe file and a GBK multi-month check-in
//! file), on `dibao gen` data against its ground truth, and across months
//! with payroll (check-in holds, re-issues, an edited payroll).

use calamine::{Data, Reader, open_workbook_auto};

use crate::util::{Dir, assert_lines, files, november};

/// `dibao reconcile` on fixtures/reconcile with `rest` after it.
fn fixture_args<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    november(
        &[
            "fixtures/reconcile/bank_icbc.xlsx",
            "fixtures/reconcile/bank_ccb.txt",
        ],
        &["fixtures/reconcile/checkins.csv"],
        rest,
    )
}

fn read(dir: &Dir, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap()
}

/// Every cell of a sheet as text (numbers as `{:.2}`), rows in order.
fn sheet(path: &std::path::Path, name: &str) -> Vec<Vec<String>> {
    let mut book = open_workbook_auto(path).unwrap();
    let range = book.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => format!("{f:.2}"),
                    Data::Int(i) => i.to_string(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn sheet_names(path: &std::path::Path) -> Vec<String> {
    open_workbook_auto(path).unwrap().sheet_names().to_vec()
}

/// The ledger the fixture month must give, derived from SPEC §5.3 by hand
/// (fixtures/make_reconcile.py says what each household was built to be).
const FIXTURE_LEDGER: &str = "\
month,household_id,name,id_number,account,expected,paid,status,flags,checkin,actions,detail,source
2026-11,XF0001,张伟,510108195603121012,6228480642064230179,330.00,330.00,PAID,,ON_TIME,,,bank_icbc.xlsx[回盘]!4
2026-11,XF0002,王芳,51010819480705104X,6228482036881690996,620.00,600.00,UNDERPAID,,HOME_VISIT,TOP_UP,,bank_icbc.xlsx[回盘]!5
2026-11,XF0003,李娜,510108197001011069,6228489039703760099,330.00,350.00,OVERPAID,,LATE,RECOVER,,bank_icbc.xlsx[回盘]!6
2026-11,XF0004,刘洋,510108197511201073,6228486807849093903,930.00,,FAILED,,EARLY,REISSUE,账户冻结,bank_icbc.xlsx[回盘]!7
2026-11,XF0005,陈静,510108196202141105,6228485763990082651,330.00,,MISSING,,EXCUSED,REISSUE,,
2026-11,XF0006,杨磊,510108196908301115,6228489164440045925,,,HELD,,NOT_DUE,,,
2026-11,XF0007,赵敏,510108198004171142,6228483087572637332,,,INACTIVE,,NOT_DUE,,,
2026-11,XF0008,黄强,510108195809091154,6228484164302533807,,330.00,UNEXPECTED,,NOT_DUE,RECOVER,,bank_icbc.xlsx[回盘]!8
2026-11,XF0009,周杰,510108198306211170,6228487589952405780,620.00,620.00,PAID,,ON_TIME,,,bank_icbc.xlsx[回盘]!9
2026-11,XF0010,吴霞,510108196603031206,6228486852359642244,330.00,330.00,PAID,RETRIED,LATE,,retried after: 户名与账号不符,bank_icbc.xlsx[回盘]!10;bank_ccb.txt!3
2026-11,XF0011,徐明,51010819590115121X,6228486267612046499,330.00,330.00,PAID,MATCHED_BY_ID;ACCOUNT_CHANGED,ON_TIME,REVIEW,bank account 6217993630841152702,bank_ccb.txt!4
2026-11,XF0012,孙丽,510108197810101240,6228487995449449473,620.00,620.00,PAID,ACCOUNT_CHANGED,ON_TIME,REVIEW,bank account 6217998719973647921,bank_icbc.xlsx[回盘]!11
2026-11,XF0013,马超,510108196305181257,6228484956920022752,330.00,330.00,PAID,NAME_MISMATCH,ON_TIME,REVIEW,bank name 马朝,bank_icbc.xlsx[回盘]!12
2026-11,XF0014,朱琳,510108197207221280,6228487244625696676,330.00,330.00,PAID,REPORTED_AMOUNT_DIFFERS,ON_TIME,REVIEW,reported 300.00,bank_icbc.xlsx[回盘]!13
2026-11,XF0015,胡斌,510108197702281299,6228489620923407395,620.00,620.00,PAID,CHANGE_REPORTED,ON_TIME,REVIEW,changes: 女儿出嫁迁出,bank_icbc.xlsx[回盘]!14
2026-11,XF0016,郭涛,510108196106061316,6228480776927069802,330.00,330.00,PAID,,MISSED,SUSPEND,,bank_icbc.xlsx[回盘]!15
2026-11,XF0017,何丽,510108197412121342,6228485731433803868,330.00,330.00,PAID,,MISSED,,,bank_icbc.xlsx[回盘]!16
2026-11,XF0018,高峰,510108194004041358,6228482729366903864,330.00,330.00,PAID,,MISSED,REVIEW,,bank_icbc.xlsx[回盘]!17
2026-11,XF0019,林芳,510108196909191384,6228488472718900106,330.00,,MISSING,,ON_TIME,REVIEW,unreadable bank row bank_icbc.xlsx[回盘]!18,
2026-11,XF0020,罗军,510108197108271397,6228481489186916254,330.00,330.00,PAID,,MISSED,,,bank_icbc.xlsx[回盘]!19
2026-11,XF0021,梁燕,510108198503011426,6228485500765965359,,,INACTIVE,,NOT_DUE,,,
2026-11,XF0022,宋平,51010819670707143X,6228489373037721117,330.00,330.00,PAID,,ON_TIME,,,bank_icbc.xlsx[回盘]!20
2026-11,XF0019,林芳,,6228488472718900106,,,UNREADABLE,,,REVIEW,\"bank status \"\"待处理\"\" is neither a success nor a failure; the row cannot be read\",bank_icbc.xlsx[回盘]!18
2026-11,,钱多多,,6227000301524389959,,500.00,UNEXPECTED,,,RECOVER,,bank_icbc.xlsx[回盘]!21
2026-11,XF0009,周杰,510108198306211170,6228487589952405780,,620.00,DUPLICATE,,,RECOVER,,bank_ccb.txt!2
2026-11,,李四,44030519900101211X,6227008548190774375,,,UNEXPECTED,,,REVIEW,账户不存在,bank_ccb.txt!5
";

#[test]
fn every_status_flag_checkin_and_action_row_by_row() {
    let dir = Dir::new();
    let run = dir.run(&fixture_args(&["--out", "rec"])).expect(0);
    assert_lines(
        &run.stdout(),
        "\
fixtures/reconcile/bank_icbc.xlsx[回盘]!E18 (处理结果): 错误[BANK_STATUS_UNKNOWN] 处理结果 “待处理” 既不是成功也不是失败，此行无法读取 — 向银行核实此笔结果；如是该行的固定写法，可在映射文件的 success/failure 中加入
fixtures/reconcile/checkins.csv!35: 警告[CHECKIN_TOO_LATE] 2026-11 的签到日期 2026-12-10 晚于 2026-12-03（月末加宽限天数），不计为签到 — 核对签到日期和所属年月；确属逾期的由民政干事复核
fixtures/reconcile/checkins.csv!36: 警告[CHECKIN_BEFORE_MONTH] 2026-11 的签到日期 2026-10-30 早于该月，不计为签到 — 核对签到日期和所属年月；确属逾期的由民政干事复核
fixtures/reconcile/checkins.csv!38: 警告[CHECKIN_UNKNOWN_HOUSEHOLD] 签到记录 “XF0099” 不是花名册中的户，不计为签到 — 核对低保证号或身份证号是否抄错
2026-11 对账：应发 7700.00 元，银行成功 7560.00 元；已发放 13，少发 1，多发 1，发放失败 1，未回盘 2，暂停 1，不在保 2，不应发 3，重复发放 1，无法读取 1
未签到 4 户（建议停发 1 户）；处理：补发 2（1260.00 元），补差 1（20.00 元），追回 4（1470.00 元），停发 1，复核 9；已写入：
  rec/对账报告_2026-11.xlsx
  rec/ledger.csv
  rec/ledger.parquet
  rec/manifest.json
",
    );
    assert_eq!(run.stderr(), "");
    assert_lines(&read(&dir, "rec/ledger.csv"), FIXTURE_LEDGER);

    let manifest: serde_json::Value =
        serde_json::from_str(&read(&dir, "rec/manifest.json")).unwrap();
    let totals = &manifest["control_totals"];
    assert_eq!(totals["expected"], "7700.00");
    assert_eq!(totals["bank_paid"], "7560.00");
    assert_eq!(totals["expected_balances"], true);
    assert_eq!(totals["paid_balances"], true);
    // 330 + 930 re-issued, 20 topped up, 20 + 330 + 620 + 500 recovered.
    assert_eq!(totals["actions"]["REISSUE"], "1260.00");
    assert_eq!(totals["actions"]["TOP_UP"], "20.00");
    assert_eq!(totals["actions"]["RECOVER"], "1470.00");
    let inputs: Vec<(&str, u64, u64)> = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["role"].as_str().unwrap(),
                i["rows_read"].as_u64().unwrap(),
                i["rows_rejected"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        inputs,
        [
            ("roster", 22, 0),
            ("bank", 18, 1),
            ("bank", 4, 0),
            ("checkins", 36, 0),
            ("policy", 0, 0)
        ]
    );
    assert_eq!(manifest["counts"]["status"]["PAID"], 13);
    assert_eq!(manifest["counts"]["ledger_rows"], 26);
}

#[test]
fn the_workbook_summary_balances_and_lists_every_exception() {
    let dir = Dir::new();
    dir.run(&fixture_args(&["--out", "rec"])).expect(0);
    let book = dir.join("rec/对账报告_2026-11.xlsx");
    let names = sheet_names(&book);
    for name in [
        "汇总",
        "少发",
        "多发",
        "发放失败",
        "未回盘",
        "暂停",
        "不应发",
        "重复发放",
        "无法读取",
        "签到情况",
        "补发名单",
        "追回名单",
        "停发建议名单",
        "复核名单",
        "问题",
    ] {
        assert!(
            names.iter().any(|n| n == name),
            "no sheet {name} in {names:?}"
        );
    }
    let summary = sheet(&book, "汇总");
    let row_of = |label: &str| -> Vec<String> {
        summary
            .iter()
            .find(|r| r.iter().any(|c| c == label))
            .unwrap_or_else(|| panic!("no row {label} in {summary:?}"))
            .clone()
    };
    // Per status: count, Σ expected, Σ paid.
    let paid = row_of("PAID");
    assert_eq!(paid[2..], ["13.00", "5160.00", "5160.00"], "{paid:?}");
    let unexpected = row_of("UNEXPECTED");
    assert!(unexpected.contains(&"3.00".to_string()), "{unexpected:?}");
    assert!(unexpected.contains(&"830.00".to_string()), "{unexpected:?}");
    // The control totals balance.
    let balanced = summary
        .iter()
        .flatten()
        .filter(|c| c.as_str() == "平衡")
        .count();
    assert_eq!(balanced, 2, "{summary:?}");
    assert!(!summary.iter().flatten().any(|c| c == "不平衡"));

    // The re-issue list: one line per action, with the amounts and a total.
    let reissue = sheet(&book, "补发名单");
    let text = format!("{reissue:?}");
    for needle in ["XF0002", "XF0004", "XF0005", "930.00", "20.00", "1280.00"] {
        assert!(text.contains(needle), "{needle} not in {text}");
    }
    // IDs stay text.
    let failed = sheet(&book, "发放失败");
    assert!(failed.iter().flatten().any(|c| c == "510108197511201073"));
    let problems = sheet(&book, "问题");
    let text = format!("{problems:?}");
    for code in [
        "BANK_STATUS_UNKNOWN",
        "CHECKIN_TOO_LATE",
        "CHECKIN_BEFORE_MONTH",
        "CHECKIN_UNKNOWN_HOUSEHOLD",
    ] {
        assert!(text.contains(code), "{code} not in {text}");
    }
    // The detail speaks the workbook's language (ledger.csv keeps English).
    let review = format!("{:?}", sheet(&book, "复核名单"));
    assert!(review.contains("回盘户名 马朝"), "{review}");
    assert!(review.contains("签到时报领取 300.00 元"), "{review}");
    let suspend = format!("{:?}", sheet(&book, "停发建议名单"));
    assert!(suspend.contains("XF0016") && !suspend.contains("XF0017"));
}

#[test]
fn same_inputs_same_bytes_and_force_replaces() {
    let dir = Dir::new();
    dir.run(&fixture_args(&["--out", "a"])).expect(0);
    let first = files(&dir.join("a"));
    dir.run(&fixture_args(&["--out", "b"])).expect(0);
    // The manifest records the command line (--out differs); nothing else does.
    let without_manifest = |f: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        f.into_iter()
            .filter(|(n, _)| n != "manifest.json")
            .collect()
    };
    assert!(without_manifest(first.clone()) == without_manifest(files(&dir.join("b"))));
    let again = dir.run(&fixture_args(&["--out", "a"])).expect(2);
    assert!(again.stderr().contains("--force"), "{}", again.stderr());
    dir.run(&fixture_args(&["--out", "a", "--force"])).expect(0);
    let forced = files(&dir.join("a"));
    assert!(without_manifest(forced) == without_manifest(first));
}

#[test]
fn english_workbook_and_parquet_ledger() {
    let dir = Dir::new();
    dir.run(&fixture_args(&["--out", "rec", "--lang", "en", "--quiet"]))
        .expect(0);
    let names = sheet_names(&dir.join("rec/对账报告_2026-11.xlsx"));
    assert!(names.iter().any(|n| n == "Summary"), "{names:?}");
    let review = format!(
        "{:?}",
        sheet(&dir.join("rec/对账报告_2026-11.xlsx"), "Review")
    );
    assert!(review.contains("bank name 马朝"), "{review}");
    // ledger.csv does not change with --lang.
    assert_lines(&read(&dir, "rec/ledger.csv"), FIXTURE_LEDGER);
    let parquet = std::fs::read(dir.join("rec/ledger.parquet")).unwrap();
    assert_eq!(&parquet[..4], b"PAR1");
    assert_eq!(&parquet[parquet.len() - 4..], b"PAR1");
}

/// Rows as (household_id, status, checkin, flags, actions, expected, paid,
/// bank row numbers).
fn ledger_as_truth(ledger: &str) -> Vec<[String; 8]> {
    let mut r = csv::Reader::from_reader(ledger.as_bytes());
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let rows: Vec<&str> = rec[12]
                .split(';')
                .filter_map(|s| s.rsplit_once('!').map(|(_, n)| n))
                .collect();
            [
                rec[1].to_string(),
                rec[7].to_string(),
                rec[9].to_string(),
                rec[8].to_string(),
                rec[10].to_string(),
                rec[5].to_string(),
                rec[6].to_string(),
                rows.join(";"),
            ]
        })
        .collect()
}

fn truth(text: &str) -> Vec<[String; 8]> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            [0, 2, 3, 4, 5, 6, 7, 8].map(|i| rec[i].to_string())
        })
        .collect()
}

fn gen_reconciles_to_its_truth(format: &str, ext: &str) {
    let dir = Dir::new();
    dir.run(&[
        "gen",
        "--households",
        "600",
        "--anomalies",
        "0.4",
        "--seed",
        "7",
        "--format",
        format,
        "--out",
        "g",
    ])
    .expect(0);
    let (roster, bank, checkins) = (
        format!("g/roster.{ext}"),
        format!("g/bank.{ext}"),
        format!("g/checkins.{ext}"),
    );
    dir.run(&[
        "reconcile",
        "--month",
        "2026-11",
        "--roster",
        &roster,
        "--bank",
        &bank,
        "--checkins",
        &checkins,
        "--out",
        "r",
        "--quiet",
    ])
    .expect(0);
    let got = ledger_as_truth(&read(&dir, "r/ledger.csv"));
    let want = truth(&read(&dir, "g/truth.csv"));
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w);
    }
}

#[test]
fn gen_csv_reconciles_to_its_ground_truth_with_zero_differences() {
    gen_reconciles_to_its_truth("csv", "csv");
}

#[test]
fn gen_xlsx_reconciles_to_its_ground_truth_with_zero_differences() {
    gen_reconciles_to_its_truth("xlsx", "xlsx");
}

#[test]
fn roster_errors_write_nothing() {
    let dir = Dir::new();
    dir.write(
        "roster.csv",
        "低保证号,户主姓名,身份证号,保障人数,银行账号\nA1,张三,11010519491231002X,1,6228481160003452274\nA2,李四,110105194912310021,1,6228482905076170214\n".as_bytes(),
    );
    let run = dir
        .run(&[
            "reconcile",
            "--month",
            "2026-11",
            "--roster",
            "roster.csv",
            "--bank",
            "fixtures/reconcile/bank_ccb.txt",
            "--out",
            "rec",
        ])
        .expect(1);
    assert!(run.stdout().contains("ID_CHECK_CHAR"), "{}", run.stdout());
    assert!(run.stdout().ends_with("有错误，未写入任何文件\n"));
    assert!(!dir.join("rec").exists());
}

#[test]
fn a_bank_file_without_a_header_writes_nothing() {
    let dir = Dir::new();
    dir.write("bank.csv", "a,b,c\n1,2,3\n".as_bytes());
    let run = dir
        .run(&fixture_args(&["--bank", "bank.csv", "--out", "rec"]))
        .expect(1);
    assert!(run.stdout().contains("MISSING_COLUMN"), "{}", run.stdout());
    assert!(!dir.join("rec").exists());
}

/// `dibao payroll` for December from November's reconciliation, then the
/// December reconciliation against that payroll.
fn december(dir: &Dir) {
    dir.run(&fixture_args(&[
        "--out",
        "out/2026-11/reconcile",
        "--quiet",
    ]))
    .expect(0);
    dir.run(&[
        "payroll",
        "--month",
        "2026-12",
        "--roster",
        "fixtures/reconcile/roster.csv",
        "--policy",
        "fixtures/reconcile/policy.toml",
        "--previous",
        "out/2026-11/reconcile",
        "--out",
        "out/2026-12/payroll",
        "--quiet",
    ])
    .expect(0);
}

/// A December bank file paying each household `amounts` says.
fn december_bank(dir: &Dir, lines: &[(&str, &str, &str)]) {
    let roster = read(dir, "fixtures/reconcile/roster.csv");
    let mut out = String::from("账号,户名,金额,处理结果,备注\n");
    for (hid, amount, status) in lines {
        let row = roster
            .lines()
            .find(|l| l.split(',').nth(1) == Some(hid))
            .unwrap();
        let f: Vec<&str> = row.split(',').collect();
        out.push_str(&format!(
            "{},{},{amount},成功,{hid} 2026-12 {status}\n",
            f[5], f[2]
        ));
    }
    dir.write("dec/bank.csv", out.as_bytes());
}

/// `dibao reconcile` for December against December's payroll, with the
/// December bank file `december_bank` wrote.
fn reconcile_december(dir: &Dir, checkins: &[&str], out: &str, rest: &[&str]) -> crate::util::Run {
    let mut args = vec![
        "reconcile",
        "--month",
        "2026-12",
        "--roster",
        "fixtures/reconcile/roster.csv",
        "--bank",
        "dec/bank.csv",
        "--payroll",
        "out/2026-12/payroll",
        "--policy",
        "fixtures/reconcile/policy.toml",
        "--out",
        out,
    ];
    if !checkins.is_empty() {
        args.push("--checkins");
        args.extend_from_slice(checkins);
    }
    args.extend_from_slice(rest);
    dir.run(&args)
}

#[test]
fn issue_4_checkin_hold_and_reissues_across_months() {
    let dir = Dir::new();
    december(&dir);
    let payroll = read(&dir, "out/2026-12/payroll/payroll.csv");
    // XF0016 was suspended in November: held for its check-in.
    assert!(payroll.contains(",HELD,CHECKIN,"), "{payroll}");
    // Every due household is paid its payroll total (XF0004 with its
    // re-issue), and XF0016 is paid although held.
    let mut lines: Vec<(&str, &str, &str)> = Vec::new();
    let mut totals = Vec::new();
    for l in payroll.lines().skip(1) {
        let f: Vec<&str> = l.split(',').collect();
        if f[14] == "DUE" {
            totals.push((f[1].to_string(), f[13].to_string()));
        }
    }
    for (hid, total) in &totals {
        lines.push((hid.as_str(), total.as_str(), ""));
    }
    lines.push(("XF0016", "330.00", ""));
    december_bank(&dir, &lines);
    dir.write(
        "dec/checkins.csv",
        "低保证号,签到日期\nXF0016,2026-12-26\n".as_bytes(),
    );
    let run = reconcile_december(
        &dir,
        &["fixtures/reconcile/checkins.csv", "dec/checkins.csv"],
        "out/2026-12/reconcile",
        &["--lang", "en"],
    )
    .expect(0);
    assert!(run.stdout().contains("2026-12:"), "{}", run.stdout());
    let ledger = read(&dir, "out/2026-12/reconcile/ledger.csv");
    let row = |hid: &str| -> String {
        ledger
            .lines()
            .find(|l| l.split(',').nth(1) == Some(hid))
            .unwrap()
            .to_string()
    };
    // Held for its check-in, paid anyway, checked in again: recover and review.
    assert!(
        row("XF0016").contains(",,330.00,UNEXPECTED,CHECKIN_HOLD,ON_TIME,RECOVER;REVIEW,"),
        "{}",
        row("XF0016")
    );
    // The November re-issue was part of what was sent and paid.
    assert!(
        row("XF0004").contains(",1860.00,1860.00,PAID,"),
        "{}",
        row("XF0004")
    );
    // Nobody else checked in in December. suspend_after_missed = 2: XF0017
    // missed November too (the November file is given), XF0001 did not.
    assert!(
        row("XF0017").contains(",MISSED,SUSPEND,"),
        "{}",
        row("XF0017")
    );
    assert!(row("XF0001").contains(",MISSED,,"), "{}", row("XF0001"));

    // Not paid: HELD with its hold; checked in again → REVIEW (恢复待核);
    // missed again → no check-in action (it stays held next month).
    lines.pop();
    december_bank(&dir, &lines);
    for (checkins, out, want) in [
        (
            "低保证号,签到日期\nXF0016,2026-12-26\n",
            "hold-checked-in",
            ",,,HELD,CHECKIN_HOLD,ON_TIME,REVIEW,",
        ),
        (
            "低保证号,签到日期\nXF0001,2026-12-26\n",
            "hold-missed",
            ",,,HELD,CHECKIN_HOLD,MISSED,,",
        ),
    ] {
        dir.write("dec/checkins.csv", checkins.as_bytes());
        reconcile_december(&dir, &["dec/checkins.csv"], out, &["--quiet"]).expect(0);
        let ledger = read(&dir, &format!("{out}/ledger.csv"));
        let line = ledger
            .lines()
            .find(|l| l.split(',').nth(1) == Some("XF0016"))
            .unwrap();
        assert!(line.contains(want), "{line}");
    }
}

#[test]
fn issue_4_an_edited_payroll_is_refused() {
    let dir = Dir::new();
    december(&dir);
    let path = dir.join("out/2026-12/payroll/payroll.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("330.00", "3300.00", 1)).unwrap();
    december_bank(&dir, &[("XF0001", "330.00", "")]);
    let run = reconcile_december(&dir, &[], "out/2026-12/reconcile", &[]).expect(1);
    assert!(run.stdout().contains("PAYROLL_EDITED"), "{}", run.stdout());
    assert!(!dir.join("out/2026-12/reconcile").exists());
}

#[test]
fn reconcile_is_in_the_help() {
    let dir = Dir::new();
    let run = dir.run(&["--help"]).expect(0);
    assert!(run.stdout().contains("reconcile"));
    let run = dir.run(&["reconcile", "--help"]).expect(0);
    assert!(run.stdout().contains("Example:"));
}

#[test]
fn without_checkins_nobody_is_suspended() {
    let dir = Dir::new();
    let run = dir
        .run(&november(
            &[
                "fixtures/reconcile/bank_icbc.xlsx",
                "fixtures/reconcile/bank_ccb.txt",
            ],
            &[],
            &["--out", "rec", "--lang", "en"],
        ))
        .expect(0);
    assert!(
        run.stdout().contains(
            "--checkins: warning[CHECKINS_NOT_GIVEN] the check-in files hold no record for 2026-11"
        ),
        "{}",
        run.stdout()
    );
    let ledger = read(&dir, "rec/ledger.csv");
    assert!(!ledger.contains("SUSPEND"), "{ledger}");
    // The misses are recorded, the home-visit household is not sent for review.
    assert!(ledger.contains(
        "XF0016,郭涛,510108196106061316,6228480776927069802,330.00,330.00,PAID,,MISSED,,"
    ));
    assert!(ledger.contains(
        "XF0018,高峰,510108194004041358,6228482729366903864,330.00,330.00,PAID,,MISSED,,"
    ));
}

#[test]
fn issue_4_the_leftmost_household_number_in_a_reference_counts() {
    let dir = Dir::new();
    let roster = read(&dir, "fixtures/reconcile/roster.csv");
    let account = |hid: &str| -> String {
        let row = roster
            .lines()
            .find(|l| l.split(',').nth(1) == Some(hid))
            .unwrap();
        row.split(',').nth(5).unwrap().to_string()
    };
    // Paid to XF0003's account, for XF0003 collecting on behalf of XF0001.
    dir.write(
        "bank.csv",
        format!(
            "账号,户名,金额,处理结果,备注\n{},李娜,330.00,成功,XF0003代XF0001领取\n",
            account("XF0003")
        )
        .as_bytes(),
    );
    dir.run(&november(&["bank.csv"], &[], &["--out", "rec", "--quiet"]))
        .expect(0);
    let ledger = read(&dir, "rec/ledger.csv");
    let row = |hid: &str| {
        ledger
            .lines()
            .find(|l| l.split(',').nth(1) == Some(hid))
            .unwrap()
            .to_string()
    };
    assert!(row("XF0003").contains(",330.00,330.00,PAID,,"), "{ledger}");
    assert!(row("XF0001").contains(",330.00,,MISSING,,"), "{ledger}");
    assert_eq!(ledger.lines().count(), 1 + 22);
}

#[test]
fn issue_4_a_stamp_with_a_bad_optional_cell_still_counts() {
    let dir = Dir::new();
    // XF0016 missed October; in November it came, but 领取金额 is in words
    // and 方式 is unknown. Both are errors; the stamp still counts, so it is
    // not MISSED and not suspended.
    let mut checkins = String::from("低保证号,签到日期,所属年月,签到方式,当月领取金额\n");
    checkins.push_str("XF0001,2026-10-26,,本人,\n");
    checkins.push_str("XF0016,2026-11-26,,视频,三百\n");
    dir.write("checkins.csv", checkins.as_bytes());
    let run = dir
        .run(&november(
            &["fixtures/reconcile/bank_icbc.xlsx"],
            &["checkins.csv"],
            &["--out", "rec", "--lang", "en"],
        ))
        .expect(0);
    assert!(run.stdout().contains("METHOD_UNKNOWN"), "{}", run.stdout());
    assert!(run.stdout().contains("AMOUNT_INVALID"), "{}", run.stdout());
    let ledger = read(&dir, "rec/ledger.csv");
    let line = ledger
        .lines()
        .find(|l| l.split(',').nth(1) == Some("XF0016"))
        .unwrap();
    assert!(line.contains(",PAID,,ON_TIME,,"), "{line}");
}

#[test]
fn issue_4_the_same_bank_file_twice_is_refused() {
    let dir = Dir::new();
    std::fs::copy(
        dir.join("fixtures/reconcile/bank_ccb.txt"),
        dir.join("copy.txt"),
    )
    .unwrap();
    let run = dir
        .run(&fixture_args(&["--bank", "copy.txt", "--out", "rec"]))
        .expect(2);
    assert_eq!(
        run.stderr(),
        "dibao: --bank fixtures/reconcile/bank_ccb.txt and copy.txt have the same contents: give each bank result file once\n"
    );
    assert!(!dir.join("rec").exists());
}
