//! `dibao demo`: the built-in workspace, written and run for three months
//! (issue 5). The demo's own data is checked here as a user sees it: the
//! printed summary, the workbooks read back, the carry-forward across the
//! months, `dibao history`, and that a rerun changes nothing.

use std::path::Path;

use calamine::{Reader, open_workbook_auto};

use crate::util::{Dir, assert_lines, csv_rows, files, manifest_input};

const DEMO_STDOUT: &str = "\
演示工作区：dibao-demo（和平社区 36 户 61 人）

$ dibao run --workspace dibao-demo --month 2026-11
2026-10 对账：dibao-demo/inputs/2026-10/bank 下没有银行回盘，跳过
2026-11 发放：应发 34 户 58 人，合计 18320.00 元；暂停 1 户（花名册 1，未签到 0），不发放 1 户，排除 0 户；已写入：
  dibao-demo/out/2026-11/payroll/报盘_中国农业银行_2026-11.xlsx
  dibao-demo/out/2026-11/payroll/报盘_中国邮政储蓄银行_2026-11.xlsx
  dibao-demo/out/2026-11/payroll/发放花名册_2026-11.xlsx
  dibao-demo/out/2026-11/payroll/公示_2026-11.xlsx
  dibao-demo/out/2026-11/payroll/payroll.csv
  dibao-demo/out/2026-11/payroll/manifest.json

（12月发放前，花名册 dibao-demo/roster.xlsx 已更新：HP0007 的账户销户后换了新账号）
$ dibao run --workspace dibao-demo --month 2026-12
2026-11 对账：应发 18320.00 元，银行成功 18320.00 元；已发放 33，少发 0，多发 0，发放失败 1，未回盘 0，暂停 1，不在保 1，不应发 0，重复发放 1，无法读取 0
未签到 1 户（建议停发 1 户）；处理：补发 1（330.00 元），补差 0，追回 1（330.00 元），停发 1，复核 3；已写入：
  dibao-demo/out/2026-11/reconcile/对账报告_2026-11.xlsx
  dibao-demo/out/2026-11/reconcile/ledger.csv
  dibao-demo/out/2026-11/reconcile/ledger.parquet
  dibao-demo/out/2026-11/reconcile/manifest.json
2026-12 发放：应发 33 户 57 人，合计 18320.00 元；暂停 2 户（花名册 1，未签到 1），不发放 1 户，排除 0 户；已写入：
  dibao-demo/out/2026-12/payroll/报盘_中国农业银行_2026-12.xlsx
  dibao-demo/out/2026-12/payroll/报盘_中国邮政储蓄银行_2026-12.xlsx
  dibao-demo/out/2026-12/payroll/发放花名册_2026-12.xlsx
  dibao-demo/out/2026-12/payroll/公示_2026-12.xlsx
  dibao-demo/out/2026-12/payroll/payroll.csv
  dibao-demo/out/2026-12/payroll/manifest.json

$ dibao run --workspace dibao-demo --month 2027-01
2026-12 对账：应发 18320.00 元，银行成功 17390.00 元；已发放 32，少发 0，多发 0，发放失败 1，未回盘 0，暂停 2，不在保 1，不应发 0，重复发放 0，无法读取 0
未签到 1 户（建议停发 1 户）；处理：补发 1（930.00 元），补差 0，追回 0，停发 1，复核 2；已写入：
  dibao-demo/out/2026-12/reconcile/对账报告_2026-12.xlsx
  dibao-demo/out/2026-12/reconcile/ledger.csv
  dibao-demo/out/2026-12/reconcile/ledger.parquet
  dibao-demo/out/2026-12/reconcile/manifest.json
2027-01 发放：应发 32 户 56 人，合计 18590.00 元；暂停 2 户（花名册 1，未签到 1），不发放 2 户，排除 0 户；已写入：
  dibao-demo/out/2027-01/payroll/报盘_中国农业银行_2027-01.xlsx
  dibao-demo/out/2027-01/payroll/报盘_中国邮政储蓄银行_2027-01.xlsx
  dibao-demo/out/2027-01/payroll/发放花名册_2027-01.xlsx
  dibao-demo/out/2027-01/payroll/公示_2027-01.xlsx
  dibao-demo/out/2027-01/payroll/payroll.csv
  dibao-demo/out/2027-01/payroll/manifest.json

演示数据里有：
  11月回盘：HP0007 卡或账号已销户（12月前换了新账号）；HP0012 户名写成“孙丽花”（花名册为孙丽华）；HP0019 付了两次
  11月签到：HP0009 未签到；HP0014 11月30日逾期签到；HP0035、HP0036 上门服务；HP0021 报告家庭变化；HP0025 请假（住院）
  12月回盘：HP0026 账户已冻结（1月前已解冻）
  12月签到：HP0009 补上签到；HP0023 未签到；HP0004 报告家庭变化
请打开：
  dibao-demo/out/2026-11/reconcile/对账报告_2026-11.xlsx —— 11月的异常、签到和处理建议
  dibao-demo/out/2026-12/payroll/发放花名册_2026-12.xlsx —— 12月的补发、暂停和追回
  dibao-demo/out/2027-01/payroll/发放花名册_2027-01.xlsx —— 1月：补发一次、恢复发放
逐户历史：dibao history --workspace dibao-demo --household HP0009
";

/// Every .xlsx under `dir`, recursively, in name order.
fn workbooks(dir: &Path, found: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            workbooks(&p, found);
        } else if p.extension().is_some_and(|e| e == "xlsx") {
            found.push(p);
        }
    }
}

#[test]
fn issue_5_demo_writes_the_workspace_runs_three_months_and_prints_the_guide() {
    let dir = Dir::new();
    let run = dir.run(&["demo"]).expect(0);
    assert_lines(&run.stdout(), DEMO_STDOUT);
    assert_eq!(run.stderr(), "");

    // The workspace is a normal one: its config, roster and inputs.
    let ws = dir.join("dibao-demo");
    let config = std::fs::read_to_string(ws.join("dibao.toml")).unwrap();
    assert!(config.contains("\nroster = \"roster.xlsx\"\n"), "{config}");
    assert!(config.contains("\nunit = \"和平社区居委会\"\n"), "{config}");
    assert!(config.contains("\nlang = \"zh\"\n"), "{config}");
    assert_eq!(
        std::fs::read(ws.join("roster.xlsx")).unwrap(),
        std::fs::read(dir.join("fixtures/demo/roster_2026-12.xlsx")).unwrap(),
        "the roster as updated before December"
    );
    for input in [
        "inputs/2026-11/bank/bank_2026-11.xlsx",
        "inputs/2026-11/checkins/checkins_2026-11.xlsx",
        "inputs/2026-12/bank/bank_2026-12.txt",
        "inputs/2026-12/checkins/checkins_2026-12.csv",
    ] {
        let name = Path::new(input).file_name().unwrap().to_str().unwrap();
        assert_eq!(
            std::fs::read(ws.join(input)).unwrap(),
            std::fs::read(dir.join(&format!("fixtures/demo/{name}"))).unwrap(),
            "{input} is the fixture"
        );
    }

    // Every workbook written opens, each sheet with something on it.
    let mut books = Vec::new();
    workbooks(&ws.join("out"), &mut books);
    assert_eq!(books.len(), 14, "{books:?}");
    for book in &books {
        let mut wb = open_workbook_auto(book).unwrap();
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).unwrap();
            assert!(
                range.get_size().0 > 0,
                "{} [{name}] is empty",
                book.display()
            );
        }
    }

    // November: the closed account failed, the duplicate and the name
    // mismatch are flagged, the missed stamp is to be suspended.
    let nov = ws.join("out/2026-11/reconcile/ledger.csv");
    let ledger_header = std::fs::read_to_string(&nov).unwrap();
    let header: Vec<&str> = ledger_header.lines().next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    // A household's value in each of its ledger rows, space-separated.
    let field = |path: &Path, hid: &str, name: &str| -> String {
        csv_rows(path, hid)
            .iter()
            .map(|f| f[col(name)].as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    // (reconciled with the roster updated to HP0007's new account)
    assert_eq!(field(&nov, "HP0007", "status"), "FAILED");
    assert_eq!(field(&nov, "HP0007", "flags"), "ACCOUNT_CHANGED");
    assert_eq!(field(&nov, "HP0007", "actions"), "REISSUE;REVIEW");
    assert_eq!(field(&nov, "HP0019", "status"), "PAID DUPLICATE");
    assert_eq!(field(&nov, "HP0019", "actions"), " RECOVER");
    assert!(field(&nov, "HP0012", "flags").contains("NAME_MISMATCH"));
    assert_eq!(field(&nov, "HP0009", "checkin"), "MISSED");
    assert_eq!(field(&nov, "HP0009", "actions"), "SUSPEND");
    assert_eq!(field(&nov, "HP0014", "checkin"), "LATE");
    assert_eq!(field(&nov, "HP0035", "checkin"), "HOME_VISIT");
    assert_eq!(field(&nov, "HP0021", "actions"), "REVIEW");

    // December's payroll re-issues HP0007 and holds HP0009; December's
    // results fail HP0026, and HP0009 checks in again.
    let dec_pay = ws.join("out/2026-12/payroll/payroll.csv");
    let pay = |path: &Path, hid: &str| -> String {
        let f = &csv_rows(path, hid)[0];
        format!("{} {} {} {} {}", f[14], f[15], f[10], f[11], f[13])
    };
    assert_eq!(pay(&dec_pay, "HP0007"), "DUE  330.00 2026-11 660.00");
    assert_eq!(pay(&dec_pay, "HP0009"), "HELD CHECKIN   ");
    let dec = ws.join("out/2026-12/reconcile/ledger.csv");
    assert_eq!(field(&dec, "HP0007", "status"), "PAID");
    assert_eq!(field(&dec, "HP0007", "account"), "6228480388126574911");
    assert_eq!(field(&dec, "HP0026", "status"), "FAILED");
    assert_eq!(field(&dec, "HP0009", "checkin"), "ON_TIME");
    assert_eq!(field(&dec, "HP0023", "checkin"), "MISSED");

    // January: HP0007 not re-issued again, HP0026 re-issued once, HP0009
    // paid again, HP0023 held, HP0033's 渐退 over.
    let jan_pay = ws.join("out/2027-01/payroll/payroll.csv");
    assert_eq!(pay(&jan_pay, "HP0007"), "DUE  0.00  330.00");
    assert_eq!(pay(&jan_pay, "HP0026"), "DUE  930.00 2026-12 1860.00");
    assert_eq!(pay(&jan_pay, "HP0009"), "DUE  0.00  330.00");
    assert_eq!(pay(&jan_pay, "HP0023"), "HELD CHECKIN   ");
    assert_eq!(pay(&jan_pay, "HP0033"), "INACTIVE    ");

    // The history shows those months for a household.
    let run = dir
        .run(&[
            "history",
            "--workspace",
            "dibao-demo",
            "--household",
            "HP0009",
        ])
        .expect(0);
    assert_lines(
        &run.stdout(),
        "月份\t低保证号\t姓名\t发放\t应发合计\t其中补发（所属月）\t对账\t实发\t签到\t处理
2026-11\tHP0009\t周德明\tDUE\t330.00\t\tPAID\t330.00\tMISSED\tSUSPEND
2026-12\tHP0009\t周德明\tHELD CHECKIN\t\t\tHELD\t\tON_TIME\tREVIEW
2027-01\tHP0009\t周德明\tDUE\t330.00\t\t\t\t\t
",
    );

    // Running a month of it again writes nothing and says so.
    let before = files(&ws.join("out/2027-01/payroll"));
    let stamps = mtimes(&ws.join("out"));
    let run = dir
        .run(&["run", "--workspace", "dibao-demo", "--month", "2027-01"])
        .expect(0);
    assert_lines(
        &run.stdout(),
        "2026-12 对账：已完成（dibao-demo/out/2026-12/reconcile），跳过；--force 重做
2027-01 发放：已完成（dibao-demo/out/2027-01/payroll），跳过；--force 重做
",
    );
    assert_eq!(files(&ws.join("out/2027-01/payroll")), before);
    assert_eq!(mtimes(&ws.join("out")), stamps);
}

/// Every file under `dir` with its modification time, in path order.
fn mtimes(dir: &Path) -> Vec<(std::path::PathBuf, std::time::SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let t = std::fs::metadata(&p).unwrap().modified().unwrap();
                out.push((p, t));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn issue_5_demo_twice_makes_a_second_folder_with_the_same_workbooks() {
    let dir = Dir::new();
    dir.run(&["demo"]).expect(0);
    let run = dir.run(&["demo"]).expect(0);
    assert!(
        run.stdout().starts_with("演示工作区：dibao-demo-2（"),
        "{}",
        run.stdout()
    );
    // Same inputs, byte-identical outputs (the manifests name their own
    // folder, so they are compared apart from that).
    for step in [
        "2026-11/payroll",
        "2026-11/reconcile",
        "2026-12/payroll",
        "2026-12/reconcile",
        "2027-01/payroll",
    ] {
        let a = files(&dir.join(&format!("dibao-demo/out/{step}")));
        let b = files(&dir.join(&format!("dibao-demo-2/out/{step}")));
        assert_eq!(a.len(), b.len());
        for ((name_a, bytes_a), (name_b, bytes_b)) in a.iter().zip(&b) {
            assert_eq!(name_a, name_b);
            if name_a == "manifest.json" {
                let a = String::from_utf8(bytes_a.clone()).unwrap();
                let b = String::from_utf8(bytes_b.clone()).unwrap();
                assert_eq!(
                    a.replace("dibao-demo-2", "dibao-demo"),
                    b.replace("dibao-demo-2", "dibao-demo")
                );
            } else {
                assert!(bytes_a == bytes_b, "{step}/{name_a} differs");
            }
        }
    }
}

#[test]
fn issue_5_demo_refuses_a_folder_that_holds_anything() {
    let dir = Dir::new();
    dir.write("full/note.txt", b"mine");
    let run = dir.run(&["demo", "full"]).expect(2);
    assert_eq!(run.stdout(), "");
    assert_eq!(
        run.stderr(),
        "dibao: full 里已有文件：演示会写一个新的工作区，请给一个新的或空的文件夹，\
         或不给 DIR，在当前文件夹新建 dibao-demo\n"
    );
    assert_eq!(files(&dir.join("full")).len(), 1, "nothing written");
    let run = dir.run(&["demo", "full", "--lang", "en"]).expect(2);
    assert_eq!(
        run.stderr(),
        "dibao: full is not empty: the demo writes a new workspace; name a new or empty folder, \
         or leave DIR out to get a new dibao-demo folder here\n"
    );
    let run = dir.run(&["demo", "full/note.txt"]).expect(2);
    assert_eq!(
        run.stderr(),
        "dibao: full/note.txt 是一个文件，不是文件夹：请给一个新的或空的文件夹\n"
    );

    // An empty folder is fine; --quiet prints problems only, and the demo
    // data has none.
    std::fs::create_dir(dir.join("empty")).unwrap();
    let run = dir.run(&["demo", "empty", "--quiet"]).expect(0);
    assert_eq!(run.stdout(), "");
    assert!(dir.join("empty/out/2027-01/payroll/payroll.csv").exists());
}

#[test]
fn issue_5_demo_in_english_records_the_language_in_the_workspace() {
    let dir = Dir::new();
    let run = dir.run(&["demo", "演示", "--lang", "en"]).expect(0);
    assert!(
        run.stdout()
            .starts_with("demo workspace: 演示 (和平社区, 36 households, 61 persons)\n"),
        "{}",
        run.stdout()
    );
    let config = std::fs::read_to_string(dir.join("演示/dibao.toml")).unwrap();
    assert!(config.contains("\nlang = \"en\"\n"), "{config}");
    let mut wb =
        open_workbook_auto(dir.join("演示/out/2026-11/reconcile/对账报告_2026-11.xlsx")).unwrap();
    assert_eq!(wb.sheet_names()[0], "Summary");
    assert!(wb.worksheet_range("Summary").is_ok());

    // A later run in that workspace speaks English without --lang; --lang
    // overrides it.
    let run = dir
        .run(&["run", "--workspace", "演示", "--month", "2027-01"])
        .expect(0);
    assert_lines(
        &run.stdout(),
        "2026-12 reconciliation: done already (演示/out/2026-12/reconcile), skipped; --force redoes it
2027-01 payroll: done already (演示/out/2027-01/payroll), skipped; --force redoes it
",
    );
    let run = dir
        .run(&[
            "run",
            "--workspace",
            "演示",
            "--month",
            "2027-01",
            "--lang",
            "zh",
        ])
        .expect(0);
    assert!(
        run.stdout().starts_with("2026-12 对账：已完成"),
        "{}",
        run.stdout()
    );
}

#[test]
fn issue_5_bank_profiles_in_the_workspace_config_shape_the_files() {
    let dir = Dir::new();
    dir.run(&["demo", "ws", "--quiet"]).expect(0);
    let config = std::fs::read_to_string(dir.join("ws/dibao.toml")).unwrap();
    dir.write(
        "ws/dibao.toml",
        format!(
            "{config}\n[[bank_profiles]]\nname = \"农行\"\nbank = \"中国农业银行\"\nupload_text = true\n"
        )
        .as_bytes(),
    );
    let run = dir
        .run(&["run", "--workspace", "ws", "--month", "2027-01", "--force"])
        .expect(0);
    assert!(
        run.stdout()
            .contains("ws/out/2027-01/payroll/报盘_中国农业银行_2027-01.txt"),
        "{}",
        run.stdout()
    );
    // The config that held the profiles is recorded as the mapping.
    let mapping = manifest_input(&dir.join("ws/out/2027-01/payroll/manifest.json"), "mapping");
    assert_eq!(mapping["path"], "ws/dibao.toml");

    // A mapping file and profiles both, or a wrong value: exit 2 with the line.
    let lines = config.lines().count();
    dir.write(
        "ws/dibao.toml",
        format!("{config}mapping = \"m.toml\"\n[[bank_profiles]]\nbank = \"中国农业银行\"\n")
            .as_bytes(),
    );
    let run = dir
        .run(&["run", "--workspace", "ws", "--month", "2027-01"])
        .expect(2);
    assert_eq!(
        run.stderr(),
        format!(
            "dibao: ws/dibao.toml:{}: give either mapping or [[bank_profiles]], not both\n",
            lines + 1
        )
    );
    dir.write(
        "ws/dibao.toml",
        format!("{config}[[bank_profiles]]\namount_unit = \"jiao\"\n").as_bytes(),
    );
    let run = dir
        .run(&["run", "--workspace", "ws", "--month", "2027-01"])
        .expect(2);
    assert_eq!(
        run.stderr(),
        format!(
            "dibao: ws/dibao.toml:{}: amount_unit \"jiao\" is not yuan or fen\n",
            lines + 2
        )
    );
}

#[test]
fn issue_5_a_months_adjustments_file_goes_into_its_payroll() {
    let dir = Dir::new();
    dir.run(&["demo", "ws", "--quiet"]).expect(0);
    let rerun = |args: &[&str], code: i32| {
        let mut all = vec!["run", "--workspace", "ws", "--month", "2027-01"];
        all.extend_from_slice(args);
        dir.run(&all).expect(code)
    };

    // A file put in after the month's payroll was made is not in it, and
    // the run says so.
    dir.write(
        "ws/inputs/2027-01/adjustments/调整.csv",
        "低保证号,金额,原因\nHP0001,50.00,取暖补贴\nHP0023,20.00,取暖补贴\n".as_bytes(),
    );
    let run = rerun(&["--quiet"], 0);
    assert_eq!(
        run.stdout(),
        "注意：ws/inputs/2027-01/adjustments/调整.csv 没有计入已完成的 2027-01 发放（发放后才放入或改过）；要计入，用 --force 重做\n"
    );

    // --force redoes the payroll with it; then the note is gone.
    rerun(&["--force", "--quiet"], 0);
    let jan = dir.join("ws/out/2027-01/payroll/payroll.csv");
    let hp0001 = &csv_rows(&jan, "HP0001")[0];
    assert_eq!((&hp0001[12][..], &hp0001[13][..]), ("50.00", "380.00"));
    // HP0023 is held: its line is listed as not applied, never paid.
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("ws/out/2027-01/payroll/manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        manifest["lists"]["adjustments_not_applied"],
        serde_json::json!([{"household_id": "HP0023", "amount": "20.00", "reason": "取暖补贴"}])
    );
    assert_eq!(rerun(&["--quiet"], 0).stdout(), "");

    // Two files for one month are refused, naming both, before anything is
    // written (last month's reconciliation is not redone either).
    dir.write(
        "ws/inputs/2027-01/adjustments/more.csv",
        "低保证号,金额,原因\nHP0002,10.00,x\n".as_bytes(),
    );
    std::fs::remove_dir_all(dir.join("ws/out/2026-12/reconcile")).unwrap();
    let before = files(&dir.join("ws/out/2027-01/payroll"));
    let run = rerun(&["--force", "--quiet"], 2);
    assert_eq!(
        run.stderr(),
        "dibao: ws/inputs/2027-01/adjustments 里有 2 个文件（more.csv, 调整.csv）：每月只用一个\
         补发/扣发文件，请合并成一个\n"
    );
    assert!(!dir.join("ws/out/2026-12/reconcile").exists());
    assert_eq!(files(&dir.join("ws/out/2027-01/payroll")), before);

    // A folder misnamed, or a file where the folder should be, stops the
    // run before anything is written.
    std::fs::remove_file(dir.join("ws/inputs/2027-01/adjustments/more.csv")).unwrap();
    dir.write("ws/inputs/2027-01/调整/a.csv", b"x");
    let before = files(&dir.join("ws/out/2027-01/payroll"));
    let run = rerun(&["--quiet", "--force"], 1);
    assert_eq!(
        run.stdout(),
        "错误：ws/inputs/2027-01/调整 不在 bank、checkins 或 adjustments 文件夹中，不会被读取：\
         银行回盘请移入 ws/inputs/2027-01/bank，签到表移入 ws/inputs/2027-01/checkins，\
         补发/扣发文件移入 ws/inputs/2027-01/adjustments\n有错误，未写入任何文件\n"
    );
    assert_eq!(files(&dir.join("ws/out/2027-01/payroll")), before);
    std::fs::remove_dir_all(dir.join("ws/inputs/2027-01/调整")).unwrap();
    std::fs::remove_dir_all(dir.join("ws/inputs/2027-01/adjustments")).unwrap();
    dir.write("ws/inputs/2027-01/adjustments", b"HP0001,50.00,x\n");
    let run = rerun(&["--force", "--quiet"], 2);
    assert!(
        run.stderr()
            .starts_with("dibao: ws/inputs/2027-01/adjustments: "),
        "{}",
        run.stderr()
    );
}

#[test]
fn issue_5_workspace_config_values_are_checked_with_their_line() {
    let dir = Dir::new();
    dir.run(&["demo", "ws", "--quiet"]).expect(0);
    let config = std::fs::read_to_string(dir.join("ws/dibao.toml")).unwrap();
    let lines = config.lines().count();
    let run_ws = || {
        dir.run(&["run", "--workspace", "ws", "--month", "2027-01"])
            .expect(2)
            .stderr()
    };

    // lang in any case; anything else names its line.
    dir.write(
        "ws/dibao.toml",
        config.replace("lang = \"zh\"", "lang = \"EN\"").as_bytes(),
    );
    assert!(
        dir.run(&["run", "--workspace", "ws", "--month", "2027-01"])
            .expect(0)
            .stdout()
            .starts_with("2026-12 reconciliation: done already")
    );
    let lang_line = config.lines().position(|l| l == "lang = \"zh\"").unwrap() + 1;
    dir.write(
        "ws/dibao.toml",
        config.replace("lang = \"zh\"", "lang = \"fr\"").as_bytes(),
    );
    assert_eq!(
        run_ws(),
        format!(
            "dibao: ws/dibao.toml:{lang_line}: lang \"fr\" is neither \"zh\" (中文) nor \"en\" (English)\n"
        )
    );

    // A setting written below a [[bank_profiles]] header.
    dir.write(
        "ws/dibao.toml",
        format!("{config}[[bank_profiles]]\nbank = \"中国农业银行\"\npolicy = \"p.toml\"\n")
            .as_bytes(),
    );
    assert_eq!(
        run_ws(),
        format!(
            "dibao: ws/dibao.toml:{}: policy is written below a [[bank_profiles]] header, so TOML \
             reads it as a key of that profile; move it above the first [[bank_profiles]]\n",
            lines + 3
        )
    );

    // history reads only lang: a mapping file it does not need cannot stop it.
    dir.write(
        "ws/dibao.toml",
        format!("mapping = \"missing.toml\"\n{config}").as_bytes(),
    );
    assert!(run_ws().contains("missing.toml"));
    let run = dir
        .run(&["history", "--workspace", "ws", "--household", "HP0001"])
        .expect(0);
    assert!(run.stdout().starts_with("月份\t"), "{}", run.stdout());
}
