//! Bank result files as banks send them: a row is paid only when a status
//! the bank wrote says so, or when the file is declared a success file.

use crate::util::{Dir, november};

fn read(dir: &Dir, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap()
}

/// The account of a household of fixtures/reconcile/roster.csv.
fn account(dir: &Dir, hid: &str) -> String {
    let roster = read(dir, "fixtures/reconcile/roster.csv");
    let row = roster
        .lines()
        .find(|l| l.split(',').nth(1) == Some(hid))
        .unwrap();
    row.split(',').nth(5).unwrap().to_string()
}

/// The ledger row of a household.
fn ledger_row(dir: &Dir, hid: &str) -> Vec<String> {
    let mut r = csv::Reader::from_path(dir.join("rec/ledger.csv")).unwrap();
    r.records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect::<Vec<_>>())
        .find(|f| f[1] == hid)
        .unwrap()
}

#[test]
fn issue11_a_status_column_not_recognised_never_yields_paid() {
    let dir = Dir::new();
    let (a1, a3) = (account(&dir, "XF0001"), account(&dir, "XF0003"));
    // The status is in a column named 交易反馈, which dibao does not know:
    // the refused payment must not come out as paid.
    dir.write(
        "bank.csv",
        format!(
            "收款账号,收款人,金额,交易反馈,备注\n{a1},张伟,330.00,成功,XF0001 2026-11\n\
             {a3},李娜,330.00,指令被拒绝授权,XF0003 2026-11\n"
        )
        .as_bytes(),
    );
    let run = dir
        .run(&november(&["bank.csv"], &[], &["--out", "rec"]))
        .expect(1);
    assert_eq!(
        run.stdout(),
        "bank.csv!1: 错误[BANK_NO_STATUS_COLUMN] 回盘没有可识别的处理结果（状态）列（像状态的列：交易反馈）：\
         无法知道哪些付款成功，所有行都不算已发放 — 在映射文件或 dibao.toml 的 [[bank_profiles]] 中把状态列写进 \
         [aliases] status = [\"列名\"]；银行分开给成功、失败两个文件的，用 outcome = \"success\" 或 \"failure\" 声明\n\
         有错误，未写入任何文件\n"
    );
    assert!(!dir.join("rec").exists());
    // check says the same, and counts nothing as paid.
    let run = dir.run(&["check", "bank.csv"]).expect(1);
    assert!(
        run.stdout()
            .contains("银行回盘，2 笔：成功 0 笔 金额 0.00，失败 0 笔，无法读取 2 笔"),
        "{}",
        run.stdout()
    );

    // Named in a mapping, the column reads, and the refusal is a failure
    // with the bank's own word as its reason.
    dir.write("m.toml", "[aliases]\nstatus = [\"交易反馈\"]\n".as_bytes());
    dir.run(&november(
        &["bank.csv"],
        &[],
        &["--mapping", "m.toml", "--out", "rec", "--quiet"],
    ))
    .expect(0);
    let xf0001 = ledger_row(&dir, "XF0001");
    assert_eq!((&xf0001[6][..], &xf0001[7][..]), ("330.00", "PAID"));
    let xf0003 = ledger_row(&dir, "XF0003");
    assert_eq!((&xf0003[6][..], &xf0003[7][..]), ("", "FAILED"));
    assert_eq!(xf0003[10], "REISSUE");
    assert!(xf0003[11].contains("指令被拒绝授权"), "{:?}", xf0003);
}

#[test]
fn issue11_online_banking_headers_and_words_are_known() {
    let dir = Dir::new();
    let (a1, a3) = (account(&dir, "XF0001"), account(&dir, "XF0003"));
    dir.write(
        "bank.csv",
        format!(
            "收款账号|收款单位名称|金额|网上银行状态|银行反馈信息|用途\n\
             {a1}|张伟|330.00元|处理成功||XF0001 2026-11\n\
             {a3}|李娜|330.00元|指令被拒绝授权|账户已冻结|XF0003 2026-11\n"
        )
        .as_bytes(),
    );
    dir.run(&november(&["bank.csv"], &[], &["--out", "rec", "--quiet"]))
        .expect(0);
    assert_eq!(ledger_row(&dir, "XF0001")[7], "PAID");
    let xf0003 = ledger_row(&dir, "XF0003");
    assert_eq!(xf0003[7], "FAILED");
    assert!(xf0003[11].contains("账户已冻结"), "{:?}", xf0003);
}

#[test]
fn issue11_a_declared_success_file_and_failure_file() {
    let dir = Dir::new();
    let (a1, a3) = (account(&dir, "XF0001"), account(&dir, "XF0003"));
    dir.write(
        "成功_1126.csv",
        format!("账号,户名,金额\n{a1},张伟,330.00\n").as_bytes(),
    );
    dir.write(
        "失败_1126.csv",
        format!("账号,户名,金额,处理结果\n{a3},李娜,330.00,\n").as_bytes(),
    );
    dir.write(
        "m.toml",
        "[[bank_profiles]]\nmatch = \"成功_*\"\noutcome = \"success\"\n\n\
         [[bank_profiles]]\nmatch = \"失败_*\"\noutcome = \"failure\"\n"
            .as_bytes(),
    );
    dir.run(&november(
        &["成功_1126.csv", "失败_1126.csv"],
        &[],
        &["--mapping", "m.toml", "--out", "rec", "--quiet"],
    ))
    .expect(0);
    assert_eq!(ledger_row(&dir, "XF0001")[7], "PAID");
    assert_eq!(ledger_row(&dir, "XF0003")[7], "FAILED");
    // A row of a success file whose own status says it failed: unknown.
    dir.write(
        "成功_1127.csv",
        format!("账号,户名,金额,处理结果\n{a1},张伟,330.00,失败\n").as_bytes(),
    );
    let run = dir
        .run(&["check", "--mapping", "m.toml", "成功_1127.csv"])
        .expect(1);
    assert!(
        run.stdout().contains("[BANK_STATUS_UNKNOWN]"),
        "{}",
        run.stdout()
    );
    // A misspelt outcome names its line.
    dir.write("bad.toml", "name = \"x\"\noutcome = \"paid\"\n".as_bytes());
    let run = dir
        .run(&["check", "--mapping", "bad.toml", "成功_1126.csv"])
        .expect(2);
    assert!(
        run.stderr().contains("bad.toml") && run.stderr().contains("outcome \"paid\""),
        "{}",
        run.stderr()
    );
}

#[test]
fn issue11_a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let dir = Dir::new();
    // A roster of 3,000 rows with a bad ID each: far more problems than a
    // pipe holds, so dibao must still be writing when the reader is gone.
    let mut roster = String::from("低保证号,户主姓名,身份证号,保障人数,银行账号\n");
    for i in 0..3000 {
        roster.push_str(&format!(
            "HP{i:05},张三,51010719520229018{},1,62284811600{i:08}\n",
            i % 10
        ));
    }
    dir.write("roster.csv", roster.as_bytes());
    // Like `dibao check … | head -1`: the reader stops after a line.
    let mut child = Command::new(env!("CARGO_BIN_EXE_dibao"))
        .args(["check", "roster.csv"])
        .current_dir(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The pipe is closed here.
    let out = child.wait_with_output().unwrap();
    // Nothing said, no panic: dibao ends as any Unix tool does.
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    assert_ne!(out.status.code(), Some(101));
}

/// `dibao reconcile` of the demo community's November with these bank files.
fn demo_november<'a>(bank: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "reconcile",
        "--month",
        "2026-11",
        "--roster",
        "fixtures/demo/roster.xlsx",
        "--checkins",
        "fixtures/demo/checkins_2026-11.xlsx",
        "--bank",
    ];
    args.extend_from_slice(bank);
    args.extend_from_slice(&["--out", "rec", "--force", "--quiet"]);
    args
}

/// Every built-in layout's fixture (a success/failure pair is one), the
/// layout check names, and the refusal's reason as the bank wrote it.
const LAYOUT_FIXTURES: [(&[&str], &str, &str); 9] = [
    (
        &["fixtures/banks/icbc_回盘.xls"],
        "工商银行代发回盘（xls）",
        "全部失败",
    ),
    (
        &["fixtures/banks/icbc_回盘.txt"],
        "工商银行代发回盘（txt）",
        "002 户名与账号不符",
    ),
    (
        &["fixtures/banks/icbc_网银.txt"],
        "工商银行网银批量支付明细",
        "户名与账号不符",
    ),
    (
        &["fixtures/banks/cgb_批量支付.txt"],
        "广发银行批量支付明细",
        "户名与账号不符",
    ),
    (
        &["fixtures/banks/ccb_回盘.csv"],
        "建设银行代发回盘（有表头）",
        "户名与账号不符",
    ),
    (
        &["fixtures/banks/ccb_回盘_无表头.csv"],
        "建设银行代发回盘（无表头）",
        "户名与账号不符",
    ),
    (
        &["fixtures/banks/DF3301020001_20261110_RT.txt"],
        "GAPS 代付回盘（_RT）",
        "户名与账号不符",
    ),
    (
        &[
            "fixtures/banks/core_成功_20261110.txt",
            "fixtures/banks/core_失败_20261110.txt",
        ],
        "核心系统代发成功明细",
        "户名与账号不符",
    ),
    (
        &["fixtures/banks/core_失败_20261110.txt"],
        "核心系统代发失败明细",
        "户名与账号不符",
    ),
];

#[test]
fn issue11_each_builtin_layout_reconciles_without_a_profile() {
    let dir = Dir::new();
    // The failure file alone is checked below; reconciled, it comes with
    // its success file.
    for (files, layout, reason) in &LAYOUT_FIXTURES[..8] {
        dir.run(&demo_november(files)).expect(0);
        let ledger = dir.join("rec/ledger.csv");
        let rows = |hid: &str| crate::util::csv_rows(&ledger, hid);
        // (status, expected, paid, actions, detail)
        let short = &rows("HP0004")[0];
        assert_eq!(
            (&short[7][..], &short[5][..], &short[6][..]),
            ("UNDERPAID", "930.00", "920.00"),
            "{layout}"
        );
        assert!(short[10].contains("TOP_UP"), "{layout}: {short:?}");
        let refused = &rows("HP0007")[0];
        assert_eq!(
            (&refused[7][..], &refused[6][..]),
            ("FAILED", ""),
            "{layout}"
        );
        assert!(refused[10].contains("REISSUE"), "{layout}: {refused:?}");
        assert_eq!(refused[11], *reason, "{layout}");
        let twice = rows("HP0019");
        let statuses: Vec<&str> = twice.iter().map(|r| &r[7][..]).collect();
        assert_eq!(statuses, ["PAID", "DUPLICATE"], "{layout}");
        assert!(twice[1][10].contains("RECOVER"), "{layout}");
        let absent = &rows("HP0026")[0];
        assert_eq!(
            (&absent[7][..], &absent[6][..]),
            ("MISSING", ""),
            "{layout}"
        );
        // Everyone else due was paid in full: 34 due − the four above + HP0019.
        let mut r = csv::Reader::from_path(&ledger).unwrap();
        let paid = r
            .records()
            .filter(|rec| rec.as_ref().unwrap().get(7) == Some("PAID"))
            .count();
        assert_eq!(paid, 31, "{layout}");
    }
}

#[test]
fn issue11_check_names_the_layout_that_read_a_file() {
    let dir = Dir::new();
    for (files, layout, _) in &LAYOUT_FIXTURES {
        let file = files[0];
        let run = dir.run(&["check", file]).expect(0);
        assert!(
            run.stdout().contains(&format!("按内置格式“{layout}”读取")),
            "{file}: {}",
            run.stdout()
        );
        assert!(run.stdout().contains("错误 0 处"), "{}", run.stdout());
    }
    let run = dir
        .run(&["check", "--lang", "en", "fixtures/banks/icbc_回盘.txt"])
        .expect(0);
    assert!(
        run.stdout()
            .contains("icbc_回盘.txt: read as the built-in layout \"ICBC payroll result (txt)\""),
        "{}",
        run.stdout()
    );
    // A profile of the user's wins: no layout reads the file.
    dir.write(
        "m.toml",
        "delimiter = \"|\"\nskip_lines = 1\nsuccess = [\"0\"]\nfailure = [\"1\"]\n".as_bytes(),
    );
    let run = dir
        .run(&[
            "check",
            "--mapping",
            "m.toml",
            "fixtures/banks/cgb_批量支付.txt",
        ])
        .expect(0);
    assert!(!run.stdout().contains("内置格式"), "{}", run.stdout());
    assert!(run.stdout().contains("成功 33 笔"), "{}", run.stdout());
}

#[test]
fn issue11_a_summary_line_that_disagrees_is_an_error_naming_the_line() {
    let dir = Dir::new();
    let path = dir.join("fixtures/banks/icbc_回盘.txt");
    let bytes = std::fs::read(&path).unwrap();
    let (text, _, _) = encoding_rs::GBK.decode(&bytes);
    let text = text.replace("总笔数:34", "总笔数:35");
    dir.write("icbc.txt", &encoding_rs::GBK.encode(&text).0);
    let run = dir.run(&["check", "icbc.txt"]).expect(1);
    assert!(
        run.stdout().contains("icbc.txt!35: 错误[TOTALS_MISMATCH]"),
        "{}",
        run.stdout()
    );
    assert!(run.stdout().contains("总笔数:35"), "{}", run.stdout());
}

#[test]
fn issue11_two_layouts_fitting_is_an_error_asking_for_a_profile() {
    let dir = Dir::new();
    dir.write(
        "bank.csv",
        "账号,户名,应处理金额,实处理金额,处理标志,币种,钞汇标志,处理结果\n\
         6228481160003452274,张秀兰,330.00,330.00,全部成功,人民币,钞,成功\n"
            .as_bytes(),
    );
    let run = dir.run(&["check", "bank.csv"]).expect(1);
    assert_eq!(
        run.stdout(),
        "bank.csv: 错误[LAYOUT_AMBIGUOUS] 文件同时符合多种内置银行格式（工商银行代发回盘（xls）、建设银行代发回盘（有表头））：\
         不猜测按哪一种读取，文件未读 — 在映射文件（--mapping）或 dibao.toml 的 [[bank_profiles]] 中写明这家银行的格式；\
         dibao layouts 列出各内置格式及其写法\n\
         bank.csv: 未能读取 — 错误 1 处，警告 0 处\n"
    );
    // Reconcile stops too: nothing is paid on a guess.
    dir.run(&demo_november(&["bank.csv"])).expect(1);
    assert!(!dir.join("rec").exists());
}

#[test]
fn issue11_a_headerless_file_of_no_known_layout_gets_the_columns_hint() {
    let dir = Dir::new();
    dir.write(
        "bank.txt",
        "6228481160003452274 张秀兰 330.00 成功\n6228482905076170214 王建国 620.00 成功\n"
            .as_bytes(),
    );
    let run = dir.run(&["check", "bank.txt"]).expect(1);
    assert!(
        run.stdout().starts_with(
            "bank.txt: 错误[NO_HEADER_ROW] 文件似乎没有表头：第一行就是数据（“6228481160003452274 张秀兰 330.00 成功”），\
             也不符合任何内置银行格式 — 在映射文件中按位置写出各列，例如 columns = [\"account\", \"account_name\", \"amount\", \"status\"]"
        ),
        "{}",
        run.stdout()
    );
    // Written as the hint says, it reads.
    dir.write(
        "m.toml",
        "split = \"whitespace\"\ncolumns = [\"account\", \"account_name\", \"amount\", \"status\"]\n"
            .as_bytes(),
    );
    let run = dir
        .run(&["check", "--mapping", "m.toml", "bank.txt"])
        .expect(0);
    assert!(
        run.stdout().contains("成功 2 笔 金额 950.00"),
        "{}",
        run.stdout()
    );
    // A bad key value names its line.
    dir.write(
        "bad.toml",
        "split = \"whitespace\"\ncolumns = [\"acount\", \"amount\"]\n".as_bytes(),
    );
    let run = dir
        .run(&["check", "--mapping", "bad.toml", "bank.txt"])
        .expect(2);
    assert!(
        run.stderr().contains("bad.toml")
            && run.stderr().contains("2")
            && run.stderr().contains("acount"),
        "{}",
        run.stderr()
    );
}

#[test]
fn issue11_layouts_lists_every_builtin_layout_with_a_sample() {
    let dir = Dir::new();
    let run = dir.run(&["layouts", "--lang", "en"]).expect(0);
    for id in [
        "icbc-xls",
        "icbc-txt",
        "icbc-online",
        "cgb",
        "ccb",
        "ccb-plain",
        "gaps-rt",
        "core-success",
        "core-failure",
    ] {
        assert!(
            run.stdout()
                .lines()
                .any(|l| l.starts_with(&format!("{id}  "))),
            "{id}: {}",
            run.stdout()
        );
    }
    assert_eq!(run.stdout().matches("  sample: ").count(), 9);
}

/// A fixture's bytes with `from` replaced by `to` (both encoded in GBK).
fn gbk_edit(dir: &Dir, rel: &str, from: &str, to: &str) -> Vec<u8> {
    let bytes = std::fs::read(dir.join(rel)).unwrap();
    let (text, _, _) = encoding_rs::GBK.decode(&bytes);
    assert!(text.contains(from), "{rel} holds no {from:?}");
    let edited = text.replace(from, to);
    let (out, _, _) = encoding_rs::GBK.encode(&edited);
    out.into_owned()
}

#[test]
fn issue11_a_success_table_is_known_by_its_title_not_its_columns() {
    let dir = Dir::new();
    // The success file with its account column headed 收款账号: still the
    // success file (its title says so), every row paid as before.
    let edited = gbk_edit(
        &dir,
        "fixtures/banks/core_成功_20261110.txt",
        "│账号      ",
        "│收款账号  ",
    );
    dir.write("成功.txt", &edited);
    dir.run(&demo_november(&[
        "成功.txt",
        "fixtures/banks/core_失败_20261110.txt",
    ]))
    .expect(0);
    let ledger = dir.join("rec/ledger.csv");
    assert_eq!(crate::util::csv_rows(&ledger, "HP0001")[0][7], "PAID");
    assert_eq!(crate::util::csv_rows(&ledger, "HP0007")[0][7], "FAILED");
    // A drawn table whose title says neither is no layout of the pair:
    // its empty 处理结果 cells pay nobody.
    let untitled = gbk_edit(
        &dir,
        "fixtures/banks/core_成功_20261110.txt",
        "代发成功明细",
        "代发明细",
    );
    dir.write("明细.txt", &untitled);
    let run = dir.run(&["check", "明细.txt"]).expect(1);
    assert!(
        run.stdout().contains("成功 0 笔") && run.stdout().contains("[BANK_STATUS_EMPTY]"),
        "{}",
        run.stdout()
    );
}

#[test]
fn issue11_a_missing_summary_line_stops_reconcile() {
    let dir = Dir::new();
    let (a1, a3) = (account(&dir, "XF0001"), account(&dir, "XF0003"));
    // The profile says the last line is the summary; this month the bank
    // sent none: the last payment must not be taken for it.
    dir.write(
        "bank.txt",
        format!("{a1}|张伟|330.00|成功|XF0001 2026-11\n{a3}|李娜|330.00|成功|XF0003 2026-11\n")
            .as_bytes(),
    );
    dir.write(
        "m.toml",
        "kind = \"bank\"\ndelimiter = \"|\"\n\
         columns = [\"account\", \"account_name\", \"amount\", \"status\", \"reference\"]\n\
         summary = \"last\"\n"
            .as_bytes(),
    );
    let run = dir
        .run(&november(
            &["bank.txt"],
            &[],
            &["--mapping", "m.toml", "--out", "rec"],
        ))
        .expect(1);
    assert!(
        run.stdout().contains("[SUMMARY_UNREADABLE]"),
        "{}",
        run.stdout()
    );
    assert!(!dir.join("rec").exists());
}

#[test]
fn issue11_empty_status_and_status_codes_never_guess() {
    let dir = Dir::new();
    let (a1, a3, a5) = (
        account(&dir, "XF0001"),
        account(&dir, "XF0003"),
        account(&dir, "XF0005"),
    );
    // Whitespace columns: XF0003's reason is there but its status cell is
    // not (the line is short): not paid. `001 失败` says two things;
    // `成功/已退票` is no code.
    dir.write(
        "bank.txt",
        format!(
            "{a1} 张伟 330.00 账户正常 001\n{a3} 李娜 330.00 失败\n{a5} 陈静 330.00 正常 001/失败\n"
        )
        .as_bytes(),
    );
    dir.write(
        "m.toml",
        "split = \"whitespace\"\ncolumns = [\"account\", \"account_name\", \"amount\", \"reason\", \"status\"]\n\
         success = [\"001\"]\nfailure = [\"002\", \"失败\"]\nstatus_prefix = true\nempty_status = \"success\"\n"
            .as_bytes(),
    );
    let run = dir
        .run(&["check", "--kind", "bank", "--mapping", "m.toml", "bank.txt"])
        .expect(1);
    assert!(
        run.stdout()
            .contains("银行回盘，3 笔：成功 1 笔 金额 330.00，失败 0 笔，无法读取 2 笔"),
        "{}",
        run.stdout()
    );
}

#[test]
fn issue11_a_utf8_copy_of_a_fixed_width_gbk_file_is_not_read_by_its_widths() {
    let dir = Dir::new();
    let bytes = std::fs::read(dir.join("fixtures/banks/icbc_回盘.txt")).unwrap();
    let (text, _, _) = encoding_rs::GBK.decode(&bytes);
    dir.write("icbc_utf8.txt", text.as_bytes());
    let run = dir.run(&["check", "icbc_utf8.txt"]).expect(1);
    assert!(!run.stdout().contains("按内置格式"), "{}", run.stdout());
    assert!(!run.stdout().contains("成功 3"), "{}", run.stdout());
    // A headerless line whose status starts with a Chinese character right
    // after a short code: no panic.
    dir.write(
        "odd.txt",
        "6228481160003452274 张秀兰              33000         HP0001 2026-11  0成功\n总笔数:1\n"
            .as_bytes(),
    );
    let run = dir.run(&["check", "odd.txt"]);
    assert!(!run.stderr().contains("panicked"), "{}", run.stderr());
}
