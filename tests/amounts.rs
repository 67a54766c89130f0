//! Never wrong money: units in headers, title rows, cells and profiles;
//! spaces inside digits; the bound on one household's month; workbook
//! cells that show the same fen as payroll.csv. Each test is a case that
//! was read wrong before (fen as yuan, `620 00` as 62000.00, a 15-digit
//! approved amount paid, a bank cell 2 fen off payroll.csv).

use calamine::{Data, Reader, open_workbook_auto};

use crate::util::{Dir, assert_lines};

/// A roster of 王芳 (XF0002, two persons: 620.00 a month).
const ROSTER: &str = "低保证号,户主姓名,身份证号,保障人数,银行账号\n\
XF0002,王芳,51010819480705104X,2,6228482036881690996\n";

/// A bank file of one successful payment to 王芳 with this amount header
/// and cell.
fn bank(header: &str, amount: &str) -> String {
    format!(
        "账号,户名,{header},处理结果,备注\n6228482036881690996,王芳,{amount},成功,XF0002 2026-11\n"
    )
}

/// `dibao reconcile --month 2026-11` of `r.csv` with `b.csv`, and `rest`.
fn reconcile<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "reconcile",
        "--month",
        "2026-11",
        "--roster",
        "r.csv",
        "--bank",
        "b.csv",
    ];
    args.extend_from_slice(rest);
    args
}

/// The ledger's rows as (household_id, expected, paid, status, detail).
fn ledger(dir: &Dir, out: &str) -> Vec<[String; 5]> {
    let mut r = csv::Reader::from_path(dir.join(&format!("{out}/ledger.csv"))).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            [1, 5, 6, 7, 11].map(|i| rec[i].to_string())
        })
        .collect()
}

fn row(hid: &str, expected: &str, paid: &str, status: &str, detail: &str) -> [String; 5] {
    [hid, expected, paid, status, detail].map(String::from)
}

/// payroll.csv's (household_id, base, total, status).
fn payroll(dir: &Dir, out: &str) -> Vec<[String; 4]> {
    let mut r = csv::Reader::from_path(dir.join(&format!("{out}/payroll.csv"))).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            [1, 7, 13, 14].map(|i| rec[i].to_string())
        })
        .collect()
}

const CHECKINS_NOT_GIVEN: &str = "--checkins: 警告[CHECKINS_NOT_GIVEN] 签到文件中没有 2026-11 的任何记录：本月签到无法核查，不据此建议停发或复核 — 用 --checkins 给出本月的签到表后重新对账";

#[test]
fn issue10_case2_fen_header_bank_file() {
    let dir = Dir::new();
    dir.write("r.csv", ROSTER.as_bytes());
    for header in [
        "交易金额(分)",
        "交易金额（分）",
        "金额[分]",
        "交易金额 单位：分",
    ] {
        dir.write("b.csv", bank(header, "62000").as_bytes());
        let run = dir.run(&["check", "b.csv"]).expect(0);
        assert_lines(
            &run.stdout(),
            "b.csv: 银行回盘，1 笔：成功 1 笔 金额 620.00，失败 0 笔，无法读取 0 笔 — 2 行 = 表头前 0 + 表头 1 + 数据 1 + 合计 0 + 空行及说明 0；错误 0 处，警告 0 处\n",
        );
        dir.run(&reconcile(&["--out", "rec", "--force"])).expect(0);
        assert_eq!(
            ledger(&dir, "rec"),
            [row("XF0002", "620.00", "620.00", "PAID", "")],
            "{header}"
        );
    }
    // A title row above the header says it for the whole table.
    dir.write(
        "b.csv",
        format!("代发回盘文件,金额单位：分\n{}", bank("金额", "62000")).as_bytes(),
    );
    dir.run(&reconcile(&["--out", "rec", "--force"])).expect(0);
    assert_eq!(
        ledger(&dir, "rec"),
        [row("XF0002", "620.00", "620.00", "PAID", "")]
    );
}

#[test]
fn issue10_case2_fen_in_cell() {
    let dir = Dir::new();
    dir.write("r.csv", ROSTER.as_bytes());
    dir.write("b.csv", bank("金额", "62000分").as_bytes());
    dir.run(&reconcile(&["--out", "rec"])).expect(0);
    assert_eq!(
        ledger(&dir, "rec"),
        [row("XF0002", "620.00", "620.00", "PAID", "")]
    );
    // A decimal fraction of a fen is refused; so is a cell that contradicts
    // its header.
    dir.write(
        "b.csv",
        format!(
            "{}6228482036881690996,王芳,620.5分,成功,XF0002 2026-11\n",
            bank("金额", "62000分")
        )
        .as_bytes(),
    );
    dir.write("h.csv", bank("金额(元)", "62000分").as_bytes());
    let run = dir.run(&["check", "-q", "b.csv", "h.csv"]).expect(1);
    assert_lines(
        &run.stdout(),
        "\
b.csv!C3 (金额): 错误[AMOUNT_FEN_FRACTION] 金额 “620.5分” 的单位是分，不应有小数 — 以分计的金额是整数：核对金额，以及表头、单元格或映射文件的 amount_unit 所写的单位
h.csv!C2 (金额(元)): 错误[AMOUNT_UNIT_CONFLICT] 金额 “62000分” 以分计，而表头“金额(元)”写明以元计 — 核对此金额及其单位，使之与此列的单位一致
",
    );
}

#[test]
fn issue10_case2_fen_in_approved_amount() {
    let dir = Dir::new();
    let roster = |header: &str, amount: &str| {
        format!(
            "低保证号,户主姓名,身份证号,保障人数,银行账号,{header}\n\
XF0001,张伟,510108195603121012,1,6228480642064230179,{amount}\n"
        )
    };
    // (header, cell) → base, total (with 50.00 of subsidies).
    let cases = [
        ("核定低保金", "330分", "3.30", "53.30"),
        ("核定低保金", "28000分", "280.00", "330.00"),
        ("核定低保金(分)", "28000", "280.00", "330.00"),
        ("核定低保金（元/月）", "280", "280.00", "330.00"),
    ];
    for (header, amount, base, total) in cases {
        dir.write("r.csv", roster(header, amount).as_bytes());
        dir.run(&[
            "payroll", "--month", "2026-11", "--roster", "r.csv", "--out", "p", "--force",
        ])
        .expect(0);
        assert_eq!(
            payroll(&dir, "p"),
            [["XF0001", base, total, "DUE"].map(String::from)],
            "{header} {amount}"
        );
    }
    dir.write("r.csv", roster("核定低保金(元)", "28000分").as_bytes());
    let run = dir
        .run(&[
            "payroll", "--month", "2026-11", "--roster", "r.csv", "--out", "q",
        ])
        .expect(1);
    assert_lines(
        &run.stdout(),
        "\
r.csv!F2 (核定低保金(元)): 错误[AMOUNT_UNIT_CONFLICT] 金额 “28000分” 以分计，而表头“核定低保金(元)”写明以元计 — 核对此金额及其单位，使之与此列的单位一致
有错误，未写入任何文件（花名册中有错误的户可用 --allow-partial 排除后继续）
",
    );
    assert!(!dir.join("q").exists());
}

#[test]
fn issue10_case2_unit_contradicts_profile() {
    let dir = Dir::new();
    dir.write("r.csv", ROSTER.as_bytes());
    dir.write("yuan.toml", b"name = \"yuan\"\namount_unit = \"yuan\"\n");
    dir.write("b.csv", bank("交易金额(分)", "62000").as_bytes());
    dir.write("c.csv", bank("金额", "62000分").as_bytes());
    let run = dir
        .run(&["check", "-q", "--mapping", "yuan.toml", "b.csv", "c.csv"])
        .expect(1);
    assert_lines(
        &run.stdout(),
        "\
b.csv!C1 (交易金额(分)): 错误[UNIT_CONFLICT] 表头“交易金额(分)”写明单位为分，而映射文件的 amount_unit 为元：此列金额的单位无法确定，各行金额均不读取 — 核对文件的表头（或标题行的单位）与映射文件的 amount_unit，改正其一
b.csv!C2 (交易金额(分)): 错误[AMOUNT_UNIT_UNKNOWN] 此列金额的单位无法确定（见表头处的错误），“62000” 未读取 — 先改正表头处的单位错误
c.csv!C2 (金额): 错误[AMOUNT_UNIT_CONFLICT] 金额 “62000分” 以分计，而映射文件的 amount_unit 写明以元计 — 核对此金额及其单位，使之与此列的单位一致
",
    );
    // In a reconciliation the row's money is unknown: never PAID.
    dir.run(&reconcile(&[
        "--mapping",
        "yuan.toml",
        "--out",
        "rec",
        "--lang",
        "en",
    ]))
    .expect(0);
    assert_eq!(
        ledger(&dir, "rec"),
        [
            row(
                "XF0002",
                "620.00",
                "",
                "MISSING",
                "unreadable bank row b.csv!2"
            ),
            row(
                "XF0002",
                "",
                "",
                "UNREADABLE",
                "the column's unit is unknown (see the problem at its header); \"62000\" is not read"
            ),
        ]
    );
    // A fen profile and a fen header agree.
    dir.write("fen.toml", b"amount_unit = \"fen\"\n");
    dir.run(&["check", "--mapping", "fen.toml", "b.csv"])
        .expect(0);
}

#[test]
fn issue10_case3_space_inside_digits() {
    let dir = Dir::new();
    dir.write("r.csv", ROSTER.as_bytes());
    dir.write(
        "b.csv",
        format!(
            "{}6228480642064230179,张伟,1 234.50,成功,XF0001 2026-11\n6228489039703760099,李娜,¥ 280.00,成功,XF0003 2026-11\n6228486807849093903,刘洋,330 元,成功,XF0004 2026-11\n",
            bank("金额", "620 00")
        )
        .as_bytes(),
    );
    let run = dir.run(&["check", "b.csv"]).expect(1);
    assert_lines(
        &run.stdout(),
        "\
b.csv!C2 (金额): 错误[AMOUNT_SPACE] 金额 “620 00” 的数字中间有空格，无法确定是哪个数 — 删去空格后核对金额（小数点用“.”），或从原系统重新导出
b.csv!C3 (金额): 错误[AMOUNT_SPACE] 金额 “1 234.50” 的数字中间有空格，无法确定是哪个数 — 删去空格后核对金额（小数点用“.”），或从原系统重新导出
b.csv: 银行回盘，4 笔：成功 2 笔 金额 610.00，失败 0 笔，无法读取 2 笔 — 5 行 = 表头前 0 + 表头 1 + 数据 4 + 合计 0 + 空行及说明 0；错误 2 处（2 行），警告 0 处
",
    );
    let run = dir.run(&["--lang", "en", "check", "-q", "b.csv"]).expect(1);
    assert!(
        run.stdout().starts_with("b.csv!C2 (金额): error[AMOUNT_SPACE] amount \"620 00\" has a space between its digits: which number it is cannot be told — remove the space and check the amount (the decimal point is \".\"), or export the file again\n"),
        "{}",
        run.stdout()
    );
    // Full-width and no-break spaces are spaces too.
    dir.write("w.csv", bank("金额", "620\u{3000}00").as_bytes());
    dir.write("n.csv", bank("金额", "620\u{a0}00").as_bytes());
    let run = dir.run(&["check", "-q", "w.csv", "n.csv"]).expect(1);
    assert_eq!(
        run.stdout().matches("[AMOUNT_SPACE]").count(),
        2,
        "{}",
        run.stdout()
    );
}

#[test]
fn issue10_case3_amount_above_bound() {
    let dir = Dir::new();
    let roster = |amount: &str| {
        format!(
            "低保证号,户主姓名,身份证号,保障人数,银行账号,核定低保金\n\
XF0001,张伟,510108195603121012,1,6228480642064230179,{amount}\n"
        )
    };
    let payroll_run = |out: &str, rest: &[&str]| {
        let mut args = vec![
            "payroll", "--month", "2026-11", "--roster", "r.csv", "--out", out,
        ];
        args.extend_from_slice(rest);
        dir.run(&args)
    };
    dir.write("r.csv", roster("999999999999999").as_bytes());
    let run = payroll_run("p1", &[]).expect(1);
    assert_lines(
        &run.stdout(),
        "\
r.csv!F2 (核定低保金): 错误[AMOUNT_TOO_LARGE] 金额 “999999999999999” 大得不可能是一笔发放 — 核对金额是否多输了数字
有错误，未写入任何文件（花名册中有错误的户可用 --allow-partial 排除后继续）
",
    );
    assert!(!dir.join("p1").exists());

    dir.write("r.csv", roster("28000").as_bytes());
    let run = payroll_run("p2", &[]).expect(1);
    assert_lines(
        &run.stdout(),
        "\
r.csv!F2 (核定低保金): 错误[AMOUNT_ABOVE_LIMIT] 金额 “28000” 超过一户一个月发放合计的上限 16500.00 — 核对是否多输了数字或把分当成了元；确实无误时在政策文件的 [payment] 中调高 max_household_total
有错误，未写入任何文件（花名册中有错误的户可用 --allow-partial 排除后继续）
",
    );
    assert!(!dir.join("p2").exists());

    // Below the bound, but the month's total (with 50.00 of subsidies) is above it.
    dir.write("r.csv", roster("16480.00").as_bytes());
    let run = payroll_run("p3", &[]).expect(1);
    assert_lines(
        &run.stdout(),
        "\
r.csv!2: 警告[APPROVED_ABOVE_STANDARD] 核定低保金 16480.00 高于该户人数的标准 280.00（可能超标准） — 核对核定低保金的审批依据
r.csv!2: 错误[TOTAL_ABOVE_LIMIT] “XF0001” 本月发放合计 16530.00 超过一户一个月的上限 16500.00 — 核对是否多输了数字或把分当成了元；确实无误时在政策文件的 [payment] 中调高 max_household_total
有错误，未写入任何文件
",
    );
    assert!(!dir.join("p3").exists());
    // --allow-partial does not let it through.
    payroll_run("p3", &["--allow-partial"]).expect(1);
    assert!(!dir.join("p3").exists());

    // An adjustment can take a household over it, and is held to it itself.
    dir.write("r.csv", roster("330.00").as_bytes());
    dir.write(
        "adj.csv",
        "低保证号,金额,原因\nXF0001,16200.00,补发\n".as_bytes(),
    );
    let run = payroll_run("p4", &["--adjustments", "adj.csv"]).expect(1);
    assert!(
        run.stdout()
            .contains("错误[TOTAL_ABOVE_LIMIT] “XF0001” 本月发放合计 16580.00"),
        "{}",
        run.stdout()
    );
    dir.write(
        "adj.csv",
        "低保证号,金额,原因\nXF0001,-16500.01,扣发\n".as_bytes(),
    );
    let run = payroll_run("p4", &["--adjustments", "adj.csv"]).expect(1);
    assert!(
        run.stdout()
            .starts_with("adj.csv!B2 (金额): 错误[AMOUNT_ABOVE_LIMIT] 金额 “-16500.01” 超过"),
        "{}",
        run.stdout()
    );
    assert!(!dir.join("p4").exists());

    // A policy that raises the bound pays it, with the warning.
    dir.write("r.csv", roster("16480.00").as_bytes());
    dir.write("p.toml", b"[payment]\nmax_household_total = \"20000.00\"\n");
    let run = payroll_run("p5", &["--policy", "p.toml"]).expect(0);
    assert!(
        run.stdout().contains("警告[APPROVED_ABOVE_STANDARD]"),
        "{}",
        run.stdout()
    );
    assert_eq!(
        payroll(&dir, "p5"),
        [["XF0001", "16480.00", "16530.00", "DUE"].map(String::from)]
    );

    // A bank row above the bound is unreadable, not OVERPAID.
    dir.write("r.csv", ROSTER.as_bytes());
    dir.write("b.csv", bank("金额", "62000").as_bytes());
    let run = dir.run(&["check", "-q", "b.csv"]).expect(1);
    assert_lines(
        &run.stdout(),
        "b.csv!C2 (金额): 错误[AMOUNT_ABOVE_LIMIT] 金额 “62000” 超过一户一个月发放合计的上限 16500.00 — 核对是否多输了数字或把分当成了元；确实无误时在政策文件的 [payment] 中调高 max_household_total\n",
    );
    dir.run(&["check", "-q", "--policy", "p.toml", "b.csv"])
        .expect(1);
    dir.write("big.toml", b"[payment]\nmax_household_total = 100000\n");
    dir.run(&["check", "-q", "--policy", "big.toml", "b.csv"])
        .expect(0);
    dir.run(&reconcile(&["--out", "rec"])).expect(0);
    assert_eq!(
        ledger(&dir, "rec")[0],
        row(
            "XF0002",
            "620.00",
            "",
            "MISSING",
            "unreadable bank row b.csv!2"
        )
    );
}

/// The bank upload's amount cells, as the workbook holds them.
fn upload_amounts(path: &std::path::Path) -> Vec<f64> {
    let mut book = open_workbook_auto(path).unwrap();
    let first = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&first).unwrap();
    range
        .rows()
        .filter_map(|r| match r.get(3) {
            Some(Data::Float(x)) => Some(*x),
            _ => None,
        })
        .collect()
}

#[test]
fn issue10_case3_cell_round_trip() {
    let dir = Dir::new();
    let roster = |amount: &str| {
        format!(
            "低保证号,户主姓名,身份证号,保障人数,银行账号,核定低保金\n\
XF0001,张伟,510108195603121012,1,6228480642064230179,{amount}\n"
        )
    };
    // The largest amount a workbook cell shows to the fen: written, and the
    // same in the bank upload as in payroll.csv.
    dir.write(
        "p.toml",
        b"[payment]\nmax_household_total = \"9999999999999.99\"\n",
    );
    dir.write("r.csv", roster("9999999999949.99").as_bytes());
    // A bank's line takes less than 1亿 unless its profile says more.
    dir.write(
        "m.toml",
        "bank = \"中国农业银行\"\n[upload]\nmax_amount = \"9999999999999.99\"\n".as_bytes(),
    );
    dir.run(&[
        "payroll",
        "--month",
        "2026-11",
        "--roster",
        "r.csv",
        "--policy",
        "p.toml",
        "--mapping",
        "m.toml",
        "--out",
        "p",
    ])
    .expect(0);
    let rows = payroll(&dir, "p");
    assert_eq!(rows[0][2], "9999999999999.99");
    let cells = upload_amounts(&dir.join("p/报盘_中国农业银行_2026-11.xlsx"));
    assert_eq!(
        cells.iter().map(|x| format!("{x:.2}")).collect::<Vec<_>>(),
        ["9999999999999.99", "9999999999999.99"],
        "the household's line and the control line"
    );
    // Beyond it a cell cannot show the fen: refused when read, whatever the
    // policy — the case that was written 2 fen off.
    dir.write("r.csv", roster("92233720368547.75").as_bytes());
    let run = dir
        .run(&[
            "payroll", "--month", "2026-11", "--roster", "r.csv", "--policy", "p.toml", "--out",
            "q",
        ])
        .expect(1);
    assert!(
        run.stdout()
            .starts_with("r.csv!F2 (核定低保金): 错误[AMOUNT_TOO_LARGE] 金额 “92233720368547.75”"),
        "{}",
        run.stdout()
    );
    assert!(!dir.join("q").exists());
    // A bound above what a cell can show is refused (exit 2, naming the line).
    dir.write(
        "huge.toml",
        b"[payment]\nmax_household_total = \"92233720368547.75\"\n",
    );
    let run = dir
        .run(&["policy", "show", "--policy", "huge.toml"])
        .expect(2);
    assert!(run.stderr().contains("huge.toml:2:"), "{}", run.stderr());
}

#[test]
fn issue10_not_a_number_is_said_so() {
    let dir = Dir::new();
    dir.write(
        "b.csv",
        format!(
            "{}6228480642064230179,张伟,330.00 -,成功,XF0001 2026-11\n",
            bank("金额", "1.2.3")
        )
        .as_bytes(),
    );
    let run = dir.run(&["check", "-q", "b.csv"]).expect(1);
    assert_lines(
        &run.stdout(),
        "\
b.csv!C2 (金额): 错误[AMOUNT_INVALID] 金额 “1.2.3” 不是数字 — 填写以元为单位、最多两位小数的金额
b.csv!C3 (金额): 错误[AMOUNT_INVALID] 金额 “330.00 -” 不是数字 — 填写以元为单位、最多两位小数的金额
",
    );
}

#[test]
fn issue10_reconcile_prints_no_problem_for_a_fen_file() {
    let dir = Dir::new();
    dir.write("r.csv", ROSTER.as_bytes());
    dir.write("b.csv", bank("交易金额(分)", "62000").as_bytes());
    let run = dir.run(&reconcile(&["--out", "rec"])).expect(0);
    assert!(
        run.stdout().starts_with(CHECKINS_NOT_GIVEN),
        "{}",
        run.stdout()
    );
    assert!(
        run.stdout()
            .contains("应发 620.00 元，银行成功 620.00 元；已发放 1，少发 0，多发 0"),
        "{}",
        run.stdout()
    );
}
