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
