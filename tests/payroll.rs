//! `dibao payroll` on the demo roster and on hand-made carry-forward cases:
//! payroll.csv line by line, the workbooks read back, and the money adding
//! up to the fen across every file.

use calamine::{Data, Reader, open_workbook_auto};

use crate::util::{Dir, files, manifest_input};

/// payroll.csv as (household_id → (status, hold, total, reissue, reissue_for, adjustment, note)).
fn payroll_csv(dir: &Dir, out: &str) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(dir.join(&format!("{out}/payroll.csv"))).unwrap();
    let headers = r.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
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
            "note"
        ]
    );
    r.records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect()
}

fn fen(s: &str) -> i64 {
    if s.is_empty() {
        return 0;
    }
    let (y, f) = s.split_once('.').unwrap();
    y.parse::<i64>().unwrap() * 100 + f.parse::<i64>().unwrap()
}

fn cells(path: &std::path::Path) -> Vec<Vec<Data>> {
    let mut book = open_workbook_auto(path).unwrap();
    let first = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&first).unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

/// `dibao payroll --month 2026-11 --roster ROSTER` and the rest.
fn november<'a>(roster: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["payroll", "--month", "2026-11", "--roster", roster];
    args.extend_from_slice(rest);
    args
}

#[test]
fn demo_roster_pays_to_the_fen_in_every_file() {
    let dir = Dir::new();
    let run = dir
        .run(&november(
            "fixtures/demo/roster.xlsx",
            &["--out", "out/2026-11/payroll"],
        ))
        .expect(0);
    assert!(run.stdout().starts_with("2026-11 发放：应发 34 户 58 人，合计 18320.00 元；暂停 1 户（花名册 1，未签到 0），不发放 1 户，排除 0 户；已写入：\n"), "{}", run.stdout());
    let rows = payroll_csv(&dir, "out/2026-11/payroll");
    assert_eq!(rows.len(), 36, "every roster household");
    let total: i64 = rows.iter().map(|r| fen(&r[13])).sum();
    assert_eq!(total, 1_832_000);
    let by = |hid: &str| rows.iter().find(|r| r[1] == hid).unwrap().clone();
    assert_eq!(
        by("HP0031")[14..16],
        ["HELD".to_string(), "ROSTER".to_string()]
    );
    assert_eq!(by("HP0031")[13], "", "amounts only for DUE");
    assert_eq!(by("HP0032")[14], "INACTIVE");
    assert_eq!(
        by("HP0016")[7..14].to_vec(),
        ["1040.00", "200.00", "0.00", "0.00", "", "0.00", "1240.00"].map(String::from)
    );
    assert_eq!(by("HP0003")[3], "51010719490817048X");

    // The bank files add up to the same total, line by line.
    let out = dir.join("out/2026-11/payroll");
    let mut bank_total = 0i64;
    let mut bank_lines = 0;
    for bank in ["中国农业银行", "中国邮政储蓄银行"] {
        let rows = cells(&out.join(format!("报盘_{bank}_2026-11.xlsx")));
        assert_eq!(
            rows[0][..6]
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>(),
            ["序号", "账号", "户名", "金额", "身份证号", "备注"]
        );
        for r in &rows[1..] {
            if r[0] == Data::String("合计".into()) {
                break;
            }
            assert!(
                matches!(r[1], Data::String(_)),
                "account as text: {:?}",
                r[1]
            );
            assert!(matches!(r[4], Data::String(_)), "ID as text: {:?}", r[4]);
            let Data::Float(x) = r[3] else {
                panic!("amount {:?}", r[3])
            };
            bank_total += (x * 100.0).round() as i64;
            bank_lines += 1;
            let hid = r[5].to_string();
            assert!(hid.ends_with(" 2026-11") && hid.starts_with("HP"), "{hid}");
        }
    }
    assert_eq!((bank_lines, bank_total), (34, 1_832_000));

    // The manifest records every output with its sha256.
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["control_totals"]["total"], "18320.00");
    assert_eq!(manifest["counts"]["due"], 34);
    let outputs = manifest["outputs"].as_array().unwrap();
    assert_eq!(outputs.len(), 5);
    assert!(
        outputs
            .iter()
            .all(|o| o["sha256"].as_str().unwrap().len() == 64)
    );
}

#[test]
fn a_rerun_writes_the_same_bytes_and_needs_force() {
    let dir = Dir::new();
    let args = november("fixtures/demo/roster.xlsx", &["--out", "out/p"]);
    dir.run(&args).expect(0);
    let read_all = || files(&dir.join("out/p"));
    let first = read_all();
    let run = dir.run(&args).expect(2);
    assert_eq!(
        run.stderr(),
        "dibao: out/p is not empty; choose another --out or add --force to replace it\n"
    );
    let mut forced = args.clone();
    forced.push("--force");
    dir.run(&forced).expect(0);
    let second = read_all();
    assert_eq!(first.len(), second.len());
    for ((name, a), (_, b)) in first.iter().zip(&second) {
        if name == "manifest.json" {
            continue; // it records the command line, which now has --force
        }
        assert!(a == b, "{name} differs between runs");
    }

    // --force never replaces a directory holding the inputs, nor the one
    // the officer stands in.
    let run = dir
        .run(&november(
            "fixtures/demo/roster.xlsx",
            &["--out", "fixtures", "--force"],
        ))
        .expect(2);
    assert_eq!(
        run.stderr(),
        "dibao: fixtures was not written by dibao (it has no manifest.json of dibao's); --force \
         only replaces dibao's own output folders: choose a new or empty --out\n"
    );
    assert!(dir.join("fixtures/demo/roster.xlsx").exists());
    let run = dir
        .run(&november(
            "fixtures/demo/roster.xlsx",
            &["--out", ".", "--force"],
        ))
        .expect(2);
    assert_eq!(
        run.stderr(),
        "dibao: . is the current directory or holds it; choose an output directory of its own\n"
    );
}

#[test]
fn a_roster_with_errors_writes_nothing_unless_allow_partial() {
    let dir = Dir::new();
    let run = dir
        .run(&november(
            "fixtures/bad/shared_account.csv",
            &["--out", "out/p"],
        ))
        .expect(1);
    assert!(run.stdout().contains("SHARED_ACCOUNT"), "{}", run.stdout());
    assert!(
        run.stdout().ends_with(
            "有错误，未写入任何文件（花名册中有错误的户可用 --allow-partial 排除后继续）\n"
        ),
        "{}",
        run.stdout()
    );
    assert!(!dir.join("out/p").exists());
    dir.run(&november(
        "fixtures/bad/shared_account.csv",
        &["--allow-partial", "--out", "out/p"],
    ))
    .expect(0);
    let rows = payroll_csv(&dir, "out/p");
    let statuses: Vec<(&str, &str)> = rows
        .iter()
        .map(|r| (r[1].as_str(), r[16].as_str()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("BD0301", "SHARED_ACCOUNT"),
            ("BD0302", "SHARED_ACCOUNT"),
            ("BD0303", "DUPLICATE_ID_NUMBER"),
            ("BD0304", "DUPLICATE_ID_NUMBER")
        ]
    );
    assert!(rows.iter().all(|r| r[14] == "EXCLUDED"));
}

const LEDGER_HEADER: &str = "month,household_id,name,id_number,account,expected,paid,status,flags,checkin,actions,detail,source\n";

#[test]
fn carry_forward_from_last_months_ledger() {
    let dir = Dir::new();
    let ledger = format!(
        "{LEDGER_HEADER}\
2026-10,HP0007,赵淑芬,510107195803140609,6228484450945576208,330.00,,FAILED,,ON_TIME,REISSUE,卡或账号已销户,bank.txt!8\n\
2026-10,HP0009,周德明,510107196304050750,6228488178219445174,330.00,330.00,PAID,,MISSED,SUSPEND,,bank.txt!10\n\
2026-10,HP0012,孙丽华,310104197910090961,6228480600871278583,930.00,900.00,UNDERPAID,,ON_TIME,TOP_UP,,bank.txt!13\n\
2026-10,HP0019,林国平,440305196109271451,6228485955419503297,,330.00,DUPLICATE,,,RECOVER,,bank.txt!36\n\
2026-10,HP0031,萧建军,510107196706222295,6228489260190719386,330.00,,MISSING,,ON_TIME,REISSUE,,\n\
2026-10,,,,,,99.00,UNEXPECTED,,,RECOVER,,bank.txt!40\n"
    );
    dir.write("out/2026-10/reconcile/ledger.csv", ledger.as_bytes());
    let payroll = |month: &str, out: &str| {
        dir.run(&[
            "payroll",
            "--month",
            month,
            "--roster",
            "fixtures/demo/roster.xlsx",
            "--previous",
            "out/2026-10/reconcile",
            "--out",
            out,
        ])
    };
    let run = payroll("2026-11", "out/2026-11/payroll").expect(0);
    assert!(
        run.stdout().starts_with("out/2026-10/reconcile/ledger.csv!6: 警告[OWED_NOT_DUE] “HP0031” 本月不发放，2026-10 的 330.00 列为待补发"),
        "{}",
        run.stdout()
    );
    let rows = payroll_csv(&dir, "out/2026-11/payroll");
    let by = |hid: &str| rows.iter().find(|r| r[1] == hid).unwrap().clone();
    // HP0007: 330.00 this month + 330.00 re-issued for October.
    assert_eq!(
        [&by("HP0007")[10], &by("HP0007")[11], &by("HP0007")[13]],
        ["330.00", "2026-10", "660.00"]
    );
    assert_eq!([&by("HP0009")[14], &by("HP0009")[15]], ["HELD", "CHECKIN"]);
    // HP0012: 930.00 + the 30.00 top-up.
    assert_eq!([&by("HP0012")[10], &by("HP0012")[13]], ["30.00", "960.00"]);
    assert_eq!(
        by("HP0019")[13],
        "330.00",
        "a recovery is listed, never deducted"
    );
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("out/2026-11/payroll/manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        manifest["lists"]["owed"],
        serde_json::json!([{ "household_id": "HP0031", "for_month": "2026-10", "amount": "330.00", "action": "REISSUE" }])
    );
    assert_eq!(manifest["lists"]["recover"][0]["household_id"], "HP0019");
    // A payment to nobody on any roster is still listed for recovery.
    assert_eq!(
        manifest["lists"]["recover"].as_array().unwrap().len(),
        2,
        "{}",
        manifest["lists"]["recover"]
    );
    assert_eq!(manifest["lists"]["recover"][1]["amount"], "99.00");
    assert_eq!(manifest["control_totals"]["reissue"], "360.00");

    // December cannot carry forward from October's ledger: the months are
    // checked, so a stale ledger is never paid from twice.
    let run = payroll("2026-12", "out/2026-12/payroll").expect(2);
    assert!(
        run.stderr()
            .contains("this ledger is for 2026-10, not 2026-11"),
        "{}",
        run.stderr()
    );
    assert!(!dir.path().join("out/2026-12/payroll").exists());

    // Re-running November beside the first run: the history (by default the
    // parent of --out) shows October's re-issue already in a payroll.csv, so
    // it is not paid twice.
    let run = payroll("2026-11", "out/2026-11/payroll-again").expect(0);
    assert!(run.stdout().contains("警告[REISSUE_ALREADY_PAID] “HP0007” 2026-10 的补发已在 out/2026-11/payroll/payroll.csv 中发放，不再重复补发"), "{}", run.stdout());
    let rows = payroll_csv(&dir, "out/2026-11/payroll-again");
    let hp7 = rows.iter().find(|r| r[1] == "HP0007").unwrap();
    assert_eq!([&hp7[10], &hp7[13]], ["0.00", "330.00"]);
}

#[test]
fn adjustments_add_deduct_and_are_refused_when_wrong() {
    let dir = Dir::new();
    dir.write("adj.csv", "低保证号,金额,原因\nHP0001,50.00,补发丧葬费\nHP0002,-20.00,多发追扣\nHP0031,10.00,暂停户\n".as_bytes());
    let run = dir
        .run(&november(
            "fixtures/demo/roster.xlsx",
            &["--adjustments", "adj.csv", "--out", "out/p"],
        ))
        .expect(0);
    assert!(
        run.stdout().starts_with(
            "adj.csv!4: 警告[ADJUSTMENT_NOT_APPLIED] “HP0031” 本月不发放，此调整未计入"
        ),
        "{}",
        run.stdout()
    );
    let rows = payroll_csv(&dir, "out/p");
    let by = |hid: &str| rows.iter().find(|r| r[1] == hid).unwrap().clone();
    assert_eq!([&by("HP0001")[12], &by("HP0001")[13]], ["50.00", "380.00"]);
    assert_eq!([&by("HP0002")[12], &by("HP0002")[13]], ["-20.00", "600.00"]);
    assert!(by("HP0001")[16].contains("补发丧葬费"));

    dir.write(
        "bad.csv",
        "低保证号,金额,原因\nXX9999,50.00,\nHP0003,-330.00,全扣\n".as_bytes(),
    );
    let run = dir
        .run(&november(
            "fixtures/demo/roster.xlsx",
            &["--adjustments", "bad.csv", "--out", "out/q"],
        ))
        .expect(1);
    let out = run.stdout();
    assert!(
        out.contains(
            "bad.csv!2: 错误[ADJUSTMENT_UNKNOWN_HOUSEHOLD] 低保证号 “XX9999” 不在花名册中"
        ),
        "{out}"
    );
    assert!(
        out.contains(
            "bad.csv!3: 错误[ADJUSTMENT_NOT_POSITIVE] 调整后 “HP0003” 本月发放合计为 0.00，不大于 0"
        ),
        "{out}"
    );
    assert!(!dir.join("out/q").exists());
}

#[test]
fn the_public_notice_reveals_no_full_id_account_or_name() {
    let dir = Dir::new();
    dir.run(&november("fixtures/demo/roster.xlsx", &["--out", "out/p"]))
        .expect(0);
    let rows = payroll_csv(&dir, "out/p");
    let mut book = open_workbook_auto(dir.join("out/p/公示_2026-11.xlsx")).unwrap();
    let mut text = String::new();
    for name in book.sheet_names() {
        for row in book.worksheet_range(&name).unwrap().rows() {
            for c in row {
                text.push_str(&c.to_string());
                text.push('\n');
            }
        }
    }
    for r in rows.iter().filter(|r| r[14] == "DUE") {
        assert!(!text.contains(&r[3]), "ID {} shown", r[3]);
        assert!(!text.contains(&r[4]), "account {} shown", r[4]);
        if r[2].chars().count() >= 2 {
            assert!(!text.lines().any(|l| l == r[2]), "name {} shown", r[2]);
        }
    }
    assert!(text.contains("510107********0185"), "masked IDs are there");
}

#[test]
fn the_finance_roster_prints_on_a4_landscape_with_repeated_headers() {
    let dir = Dir::new();
    dir.run(&november("fixtures/demo/roster.xlsx", &["--out", "out/p"]))
        .expect(0);
    let path = dir.join("out/p/发放花名册_2026-11.xlsx");
    let rows = cells(&path);
    // The grand total equals payroll.csv's, to the fen.
    let grand = rows
        .iter()
        .find(|r| r.iter().any(|c| *c == Data::String("合计".into())))
        .expect("a grand total row");
    let amounts: Vec<i64> = grand
        .iter()
        .filter_map(|c| {
            if let Data::Float(x) = c {
                Some((x * 100.0).round() as i64)
            } else {
                None
            }
        })
        .collect();
    assert!(amounts.contains(&1_832_000), "{grand:?}");
    // Print settings, read from the sheet's XML when unzip is there.
    if let Ok(out) = std::process::Command::new("unzip")
        .args(["-p"])
        .arg(&path)
        .arg("xl/worksheets/sheet1.xml")
        .output()
        && out.status.success()
    {
        let xml = String::from_utf8_lossy(&out.stdout);
        assert!(xml.contains(r#"orientation="landscape""#), "landscape");
        assert!(xml.contains(r#"paperSize="9""#), "A4");
        assert!(
            xml.contains(r#"fitToWidth="1""#) || xml.contains("fitToPage"),
            "fit to width"
        );
        let wb = std::process::Command::new("unzip")
            .args(["-p"])
            .arg(&path)
            .arg("xl/workbook.xml")
            .output()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&wb.stdout).contains("_xlnm.Print_Titles"),
            "header rows repeated"
        );
    }
}

/// The workbooks open in LibreOffice (converted to PDF headless), when it
/// is installed; without it there is nothing to run.
#[test]
fn the_workbooks_open_in_libreoffice() {
    let Ok(soffice) = which("soffice") else {
        eprintln!("soffice not installed: skipped");
        return;
    };
    let dir = Dir::new();
    dir.run(&november("fixtures/demo/roster.xlsx", &["--out", "out/p"]))
        .expect(0);
    let files = [
        "发放花名册_2026-11.xlsx",
        "公示_2026-11.xlsx",
        "报盘_中国农业银行_2026-11.xlsx",
    ];
    let out = std::process::Command::new(soffice)
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            "pdf",
        ])
        .args(files.iter().map(|f| format!("out/p/{f}")))
        .env("HOME", dir.path())
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in files {
        let pdf = dir.join(&format!("pdf/{}", f.replace(".xlsx", ".pdf")));
        let bytes = std::fs::read(&pdf).unwrap_or_else(|e| panic!("{}: {e}", pdf.display()));
        assert!(bytes.starts_with(b"%PDF") && bytes.len() > 1000, "{f}");
    }
}

fn which(program: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(program))
                .find(|p| p.is_file())
        })
        .ok_or(())
}

/// A bank profile asks for its upload as GBK `|` text too; a name the
/// encoding cannot write stops the run and leaves no output behind.
#[test]
fn a_bank_profile_adds_a_text_upload() {
    let dir = Dir::new();
    dir.write(
        "banks.toml",
        "[[bank_profiles]]\nname = \"农行\"\nbank = \"中国农业银行\"\nupload_text = true\ndelimiter = \"|\"\nencoding = \"gbk\"\n".as_bytes(),
    );
    let run = dir
        .run(&november(
            "fixtures/demo/roster.xlsx",
            &["--mapping", "banks.toml", "--out", "out/p"],
        ))
        .expect(0);
    assert!(
        run.stdout().contains("out/p/报盘_中国农业银行_2026-11.txt"),
        "{}",
        run.stdout()
    );
    let bytes = std::fs::read(dir.join("out/p/报盘_中国农业银行_2026-11.txt")).unwrap();
    let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
    assert!(!bad);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "6228481160003452274|张秀兰|330.00|510107195202290185|HP0001 2026-11"
    );
    assert_eq!(lines.len(), 29, "28 lines and the trailer");
    assert_eq!(lines[28], "合计|28笔|16340.00||");
    assert!(text.contains("\r\n"));
    // The mapping that shaped the upload is recorded with its hash.
    let mapping = manifest_input(&dir.join("out/p/manifest.json"), "mapping");
    assert_eq!(mapping["path"], "banks.toml");
    assert_eq!(mapping["sha256"].as_str().unwrap().len(), 64);

    // A name GBK cannot write (𠮷, outside GBK) stops the run: nothing written.
    let roster = std::fs::read_to_string(dir.join("fixtures/formats/roster_english.csv")).unwrap();
    let first_name = roster
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(1)
        .unwrap()
        .to_string();
    dir.write("r.csv", roster.replacen(&first_name, "𠮷", 1).as_bytes());
    dir.write(
        "banks2.toml",
        "[[bank_profiles]]\nbank = \"中国农业银行\"\nupload_text = true\n".as_bytes(),
    );
    let run = dir
        .run(&november(
            "r.csv",
            &["--mapping", "banks2.toml", "--out", "out/q"],
        ))
        .expect(2);
    assert!(
        run.stderr().contains("𠮷") || run.stderr().contains("U+20BB7"),
        "{}",
        run.stderr()
    );
    assert!(!dir.join("out/q").exists(), "no half-written output");
    let leftovers = std::fs::read_dir(dir.join("out"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with(".dibao-tmp")
        })
        .count();
    assert_eq!(leftovers, 0);
}
