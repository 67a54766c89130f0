//! `dibao check` on every fixture: exact output and exit codes.

use crate::util::{Dir, assert_lines};

#[test]
fn demo_fixtures_are_clean() {
    let dir = Dir::new();
    let run = dir
        .run(&[
            "check",
            "fixtures/demo/roster.xlsx",
            "fixtures/demo/bank_2026-11.txt",
            "fixtures/demo/bank_2026-11.xlsx",
            "fixtures/demo/checkins_2026-11.xlsx",
        ])
        .expect(0);
    assert_lines(
        &run.stdout(),
        r"fixtures/demo/roster.xlsx[花名册]: 花名册，有效 36 户 61 人 — 41 行 = 表头前 2 + 表头 1 + 数据 36 + 合计 1 + 空行及说明 1；错误 0 处，警告 0 处
fixtures/demo/bank_2026-11.txt: 银行回盘，35 笔：成功 34 笔 金额 18320.00，失败 1 笔，无法读取 0 笔 — 37 行 = 表头前 0 + 表头 1 + 数据 35 + 合计 1 + 空行及说明 0；错误 0 处，警告 0 处
fixtures/demo/bank_2026-11.xlsx[回盘]: 银行回盘，35 笔：成功 34 笔 金额 18320.00，失败 1 笔，无法读取 0 笔 — 38 行 = 表头前 1 + 表头 1 + 数据 35 + 合计 1 + 空行及说明 0；错误 0 处，警告 0 处
fixtures/demo/checkins_2026-11.xlsx[签到]: 签到表，有效 33 条，无效 0 条 — 34 行 = 表头前 0 + 表头 1 + 数据 33 + 合计 0 + 空行及说明 0；错误 0 处，警告 0 处
共 4 个文件：错误 0 处，警告 0 处
",
    );
    assert_eq!(run.stderr(), "");
}

#[test]
fn bank_unknown_and_empty_status() {
    let dir = Dir::new();
    let run = dir
        .run(&["check", "fixtures/bad/bank_unknown_status.csv"])
        .expect(1);
    assert_lines(
        &run.stdout(),
        r"fixtures/bad/bank_unknown_status.csv!D3 (处理结果): 错误[BANK_STATUS_UNKNOWN] 处理结果 “待处理” 既不是成功也不是失败，此行无法读取 — 向银行核实此笔结果；如是该行的固定写法，可在映射文件的 success/failure 中加入
fixtures/bad/bank_unknown_status.csv!D4 (处理结果): 错误[BANK_STATUS_EMPTY] 处理结果为空，无法判断是否到账，此行无法读取 — 向银行核实此笔结果；如是该行的固定写法，可在映射文件的 success/failure 中加入
fixtures/bad/bank_unknown_status.csv: 银行回盘，4 笔：成功 1 笔 金额 330.00，失败 1 笔，无法读取 2 笔 — 5 行 = 表头前 0 + 表头 1 + 数据 4 + 合计 0 + 空行及说明 0；错误 2 处（2 行），警告 0 处
",
    );
    assert_eq!(run.stderr(), "");
}

#[test]
fn empty_file() {
    let dir = Dir::new();
    let run = dir.run(&["check", "fixtures/bad/empty.csv"]).expect(1);
    assert_lines(
        &run.stdout(),
        r"fixtures/bad/empty.csv: 错误[FILE_EMPTY] 文件是空的 — 确认导出的是正确的文件
fixtures/bad/empty.csv: 未能读取 — 错误 1 处，警告 0 处
",
    );
    assert_eq!(run.stderr(), "");
}

#[test]
fn gbk_title_row_fullwidth_and_scientific_account() {
    let dir = Dir::new();
    let run = dir
        .run(&["check", "fixtures/bad/gbk_fullwidth.csv"])
        .expect(1);
    assert_lines(
        &run.stdout(),
        r"fixtures/bad/gbk_fullwidth.csv!G6 (银行账号): 错误[ACCOUNT_SCIENTIFIC] “6.22849E+18” 是科学计数法：Excel 把它当成了数字，后几位已经丢失 — 把此列设为“文本”格式，从原始系统重新导出或重新录入完整号码；不要在 Excel 中直接改数字
fixtures/bad/gbk_fullwidth.csv: 花名册，有效 3 户 6 人 — 6 行 = 表头前 1 + 表头 1 + 数据 4 + 合计 0 + 空行及说明 0；错误 1 处（1 行），警告 0 处
",
    );
    assert_eq!(run.stderr(), "");
}

#[test]
fn impossible_birth_date() {
    let dir = Dir::new();
    let run = dir
        .run(&["check", "fixtures/bad/id_bad_date.csv"])
        .expect(1);
    assert_lines(
        &run.stdout(),
        r"fixtures/bad/id_bad_date.csv!D3 (身份证号): 错误[ID_BIRTH_DATE] 身份证号 “510107196302301050” 中的出生日期不是有效日期 — 对照身份证原件逐位核对后改正
fixtures/bad/id_bad_date.csv: 花名册，有效 1 户 1 人 — 3 行 = 表头前 0 + 表头 1 + 数据 2 + 合计 0 + 空行及说明 0；错误 1 处（1 行），警告 0 处
",
    );
    assert_eq!(run.stderr(), "");
}

#[test]
fn wrong_check_character_and_15_digit_upgrade() {
    let dir = Dir::new();
    let run = dir
        .run(&["check", "fixtures/bad/id_check_char.csv"])
        .expect(1);
    assert_lines(
        &run.stdout(),
        r"fixtures/bad/id_check_char.csv!D3 (身份证号): 错误[ID_CHECK_CHAR] 身份证号 “110105196303011114” 校验位不符（GB 11643），号码中有录错的位 — 对照身份证原件逐位核对后改正
fixtures/bad/id_check_char.csv!D4 (身份证号): 警告[ID_UPGRADED] 15 位身份证号 “110105630301203” 已升为 18 位 “110105196303012034” — 核对后在花名册中改为 18 位号码
fixtures/bad/id_check_char.csv: 花名册，有效 3 户 3 人 — 5 行 = 表头前 0 + 表头 1 + 数据 4 + 合计 0 + 空行及说明 0；错误 1 处（1 行），警告 1 处
",
    );
    assert_eq!(run.stderr(), "");
}

#[test]
fn ids_and_accounts_mangled_by_excel() {
    let dir = Dir::new();
    let run = dir
        .run(&["check", "fixtures/bad/id_scientific.xlsx"])
        .expect(1);
    assert_lines(
        &run.stdout(),
        r"fixtures/bad/id_scientific.xlsx[花名册]!D3 (身份证号): 错误[ID_DIGITS_LOST] “110105196303011000” 的末几位被 Excel 变成了 0（Excel 数字只保留 15 位有效数字） — 把此列设为“文本”格式，从原始系统重新导出或重新录入完整号码；不要在 Excel 中直接改数字
fixtures/bad/id_scientific.xlsx[花名册]!D4 (身份证号): 错误[ID_SCIENTIFIC] “3.10104E+17” 是科学计数法：Excel 把它当成了数字，后几位已经丢失 — 把此列设为“文本”格式，从原始系统重新导出或重新录入完整号码；不要在 Excel 中直接改数字
fixtures/bad/id_scientific.xlsx[花名册]!F5 (银行账号): 错误[ACCOUNT_DIGITS_LOST] “6228488353374060000” 的末几位被 Excel 变成了 0（Excel 数字只保留 15 位有效数字） — 把此列设为“文本”格式，从原始系统重新导出或重新录入完整号码；不要在 Excel 中直接改数字
fixtures/bad/id_scientific.xlsx[花名册]: 花名册，有效 1 户 1 人 — 5 行 = 表头前 0 + 表头 1 + 数据 4 + 合计 0 + 空行及说明 0；错误 3 处（3 行），警告 0 处
",
    );
    assert_eq!(run.stderr(), "");
}

#[test]
fn missing_required_column() {
    let dir = Dir::new();
    let run = dir
        .run(&["check", "fixtures/bad/missing_column.csv"])
        .expect(1);
    assert_lines(
        &run.stdout(),
        r"fixtures/bad/missing_column.csv!1: 错误[MISSING_COLUMN] 找不到花名册的表头：最接近的是第 1 行，缺少列 身份证号 (id_number) — 加上缺少的列，或把列名改成说明书中的名称（也可用 --mapping 增加别名）
fixtures/bad/missing_column.csv: 未能读取 — 错误 1 处，警告 0 处
",
    );
    assert_eq!(run.stderr(), "");
}

#[test]
fn pdf_renamed_xlsx() {
    let dir = Dir::new();
    let run = dir
        .run(&["check", "fixtures/bad/not_a_spreadsheet.xlsx"])
        .expect(1);
    assert_lines(
        &run.stdout(),
        r"fixtures/bad/not_a_spreadsheet.xlsx: 错误[NOT_A_SPREADSHEET] 这不是表格文件，看起来是 PDF — 请提供 .xlsx/.xls/.ods/.csv/.txt 格式的原始数据文件
fixtures/bad/not_a_spreadsheet.xlsx: 未能读取 — 错误 1 处，警告 0 处
",
    );
    assert_eq!(run.stderr(), "");
}

#[test]
fn random_bytes_named_xls() {
    let dir = Dir::new();
    let run = dir.run(&["check", "fixtures/bad/random.xls"]).expect(1);
    assert_lines(
        &run.stdout(),
        r"fixtures/bad/random.xls: 错误[FILE_UNREADABLE] 无法按 xls 格式读取：二进制数据 — 文件可能损坏或未传完整：重新导出，或用 Excel 打开后另存为 .xlsx
fixtures/bad/random.xls: 未能读取 — 错误 1 处，警告 0 处
",
    );
    assert_eq!(run.stderr(), "");
}

#[test]
fn shared_account_and_duplicate_id() {
    let dir = Dir::new();
    let run = dir
        .run(&["check", "fixtures/bad/shared_account.csv"])
        .expect(1);
    assert_lines(
        &run.stdout(),
        r"fixtures/bad/shared_account.csv!F3 (银行账号): 错误[SHARED_ACCOUNT] 账号 “6228483982597919071” 与第 2 行共用 — 每户应有自己的账号：核实两户账号后改正
fixtures/bad/shared_account.csv!D5 (身份证号): 错误[DUPLICATE_ID_NUMBER] 身份证号 “310104194806151222” 与第 4 行重复（重复享受） — 同一人不能在两户中享受：核实后删除多余的一户
fixtures/bad/shared_account.csv: 花名册，有效 0 户 0 人 — 5 行 = 表头前 0 + 表头 1 + 数据 4 + 合计 0 + 空行及说明 0；错误 2 处（2 行），警告 0 处
",
    );
    assert_eq!(run.stderr(), "");
}

#[test]
fn totals_row_disagrees() {
    let dir = Dir::new();
    let run = dir
        .run(&["check", "fixtures/bad/totals_mismatch.xlsx"])
        .expect(1);
    assert_lines(
        &run.stdout(),
        r"fixtures/bad/totals_mismatch.xlsx[花名册]!E6 (保障人数): 错误[TOTALS_MISMATCH] 合计行的 保障人数 为 9，数据行合计为 8 — 核对数据行与合计行：可能有行被删除、隐藏或合计未更新
fixtures/bad/totals_mismatch.xlsx[花名册]: 花名册，有效 4 户 8 人 — 6 行 = 表头前 0 + 表头 1 + 数据 4 + 合计 1 + 空行及说明 0；错误 1 处（1 行），警告 0 处
",
    );
    assert_eq!(run.stderr(), "");
}

#[test]
fn truncated_xlsx() {
    let dir = Dir::new();
    let run = dir.run(&["check", "fixtures/bad/truncated.xlsx"]).expect(1);
    assert_lines(
        &run.stdout(),
        r"fixtures/bad/truncated.xlsx: 错误[FILE_UNREADABLE] 无法按 xlsx 格式读取：Zip error: invalid Zip archive: Could not find EOCD — 文件可能损坏或未传完整：重新导出，或用 Excel 打开后另存为 .xlsx
fixtures/bad/truncated.xlsx: 未能读取 — 错误 1 处，警告 0 处
",
    );
    assert_eq!(run.stderr(), "");
}

#[test]
fn english_messages() {
    let dir = Dir::new();
    let run = dir
        .run(&["check", "--lang", "en", "fixtures/bad/shared_account.csv"])
        .expect(1);
    assert_lines(
        &run.stdout(),
        "fixtures/bad/shared_account.csv!F3 (银行账号): error[SHARED_ACCOUNT] account \"6228483982597919071\" is shared with row 2 — each household needs its own account: check both and correct them
fixtures/bad/shared_account.csv!D5 (身份证号): error[DUPLICATE_ID_NUMBER] ID number \"310104194806151222\" also stands on row 4 (double benefit) — one person cannot be covered twice: check and remove one of the households
fixtures/bad/shared_account.csv: roster, 0 valid households, 0 persons — 5 rows = 0 above the header + 1 header + 4 data + 0 totals + 0 blank or notes; 2 errors in 2 rows, 0 warnings",
    );
}

#[test]
fn quiet_prints_problems_only() {
    let dir = Dir::new();
    let run = dir
        .run(&[
            "check",
            "-q",
            "fixtures/demo/roster.xlsx",
            "fixtures/bad/id_bad_date.csv",
        ])
        .expect(1);
    assert_lines(
        &run.stdout(),
        "fixtures/bad/id_bad_date.csv!D3 (身份证号): 错误[ID_BIRTH_DATE] 身份证号 “510107196302301050” 中的出生日期不是有效日期 — 对照身份证原件逐位核对后改正",
    );
}

#[test]
fn every_tool_and_shape_reads_the_same_households() {
    let dir = Dir::new();
    let files: Vec<String> = std::fs::read_dir(dir.join("fixtures/formats"))
        .unwrap()
        .map(|e| {
            format!(
                "fixtures/formats/{}",
                e.unwrap().file_name().to_string_lossy()
            )
        })
        .collect();
    assert!(files.len() >= 8, "{files:?}");
    let mut args = vec!["check", "-q"];
    args.extend(files.iter().map(String::as_str));
    let run = dir.run(&args).expect(0);
    assert_eq!(run.stdout(), "");

    let read = |f: &str| {
        let loaded = dibao::model::load::roster(&dir.join(f), f, &Default::default()).unwrap();
        assert!(loaded.issues.is_empty(), "{f}: {:?}", loaded.issues);
        loaded
            .reader
            .unwrap()
            .rows
            .into_iter()
            .map(|r| match r {
                dibao::model::roster::RosterRow::Valid(h) => (
                    h.household_id,
                    h.name,
                    h.id_number.to_string(),
                    h.members,
                    h.account.to_string(),
                    h.bank,
                    h.status,
                ),
                other => panic!("{f}: {other:?}"),
            })
            .collect::<Vec<_>>()
    };
    let first = read(&files[0]);
    assert_eq!(first.len(), 4);
    for f in &files[1..] {
        assert_eq!(read(f), first, "{f} differs from {}", files[0]);
    }
}

#[test]
fn bank_text_and_workbook_hold_the_same_payments() {
    use dibao::model::bank::PayStatus;
    let dir = Dir::new();
    let read = |f: &str| {
        let loaded = dibao::model::load::bank(&dir.join(f), f, &Default::default()).unwrap();
        assert!(loaded.issues.is_empty(), "{f}: {:?}", loaded.issues);
        loaded.reader.unwrap().lines
    };
    let txt = read("fixtures/demo/bank_2026-11.txt");
    let xlsx = read("fixtures/demo/bank_2026-11.xlsx");
    assert_eq!(txt.len(), 35);
    assert_eq!(xlsx.len(), 35);
    for (t, x) in txt.iter().zip(&xlsx) {
        assert_eq!(t.account, x.account);
        assert_eq!(t.account_name, x.account_name, "dots unified");
        assert_eq!(t.amount, x.amount);
        assert_eq!(t.status, x.status);
        assert_eq!(t.reference, x.reference);
        assert_eq!(x.at.row.unwrap(), t.at.row.unwrap() + 1);
    }
    let failed: Vec<_> = txt
        .iter()
        .filter(|l| l.status == Some(PayStatus::Failure))
        .collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].at.to_string(), "fixtures/demo/bank_2026-11.txt!8");
    assert_eq!(failed[0].reason.as_deref(), Some("卡或账号已销户"));
    assert_eq!(txt[23].account_name, "阿依古丽·买买提");
    assert_eq!(xlsx[0].date, chrono::NaiveDate::from_ymd_opt(2026, 11, 10));
    let total: i64 = txt.iter().filter_map(|l| l.amount).map(|m| m.fen()).sum();
    assert_eq!(total, 1_865_000);
}

#[test]
fn checkin_dates_from_every_kind_of_cell() {
    use dibao::model::checkin::{Method, Record};
    let dir = Dir::new();
    let f = "fixtures/demo/checkins_2026-11.xlsx";
    let loaded = dibao::model::load::checkins(&dir.join(f), f, &Default::default()).unwrap();
    assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
    let records = loaded.reader.unwrap().records;
    assert_eq!(records.len(), 33);
    let by = |hid: &str| {
        records
            .iter()
            .find(|r| r.household_id.as_deref() == Some(hid))
            .unwrap()
    };
    let d = |day| chrono::NaiveDate::from_ymd_opt(2026, 11, day).unwrap();
    assert_eq!(
        by("HP0001").record,
        Record::Stamp(d(26), Method::InPerson),
        "date cell"
    );
    assert_eq!(
        by("HP0003").record,
        Record::Stamp(d(26), Method::InPerson),
        "text 2026/11/26"
    );
    assert_eq!(
        by("HP0005").record,
        Record::Stamp(d(27), Method::InPerson),
        "text 2026年11月27日"
    );
    assert_eq!(
        by("HP0010").record,
        Record::Stamp(d(28), Method::InPerson),
        "serial number"
    );
    assert_eq!(by("HP0014").record, Record::Stamp(d(30), Method::InPerson));
    assert_eq!(by("HP0017").record, Record::Stamp(d(25), Method::Proxy));
    assert_eq!(by("HP0025").record, Record::Excuse);
    assert_eq!(by("HP0025").excuse.as_deref(), Some("住院"));
    assert_eq!(by("HP0025").month.to_string(), "2026-11");
    assert_eq!(by("HP0035").record, Record::HomeVisit(d(20)));
    assert_eq!(
        by("HP0021").changes.as_deref(),
        Some("儿子就业，月收入3000元")
    );
    assert_eq!(by("HP0001").changes, None, "无 is no change");
    assert_eq!(by("HP0007").reported_amount.map(|m| m.fen()), Some(0));
    assert!(
        records
            .iter()
            .all(|r| r.household_id.as_deref() != Some("HP0009"))
    );
}

#[test]
fn mapping_profile_with_fen_amounts_and_a_two_character_delimiter() {
    let dir = Dir::new();
    let run = dir
        .run(&[
            "check",
            "--mapping",
            "fixtures/mapping/bank_profile.toml",
            "fixtures/mapping/bank_fen.txt",
        ])
        .expect(0);
    assert_lines(
        &run.stdout(),
        "fixtures/mapping/bank_fen.txt: 银行回盘，4 笔：成功 3 笔 金额 2190.00，失败 1 笔，无法读取 0 笔 — 7 行 = 表头前 2 + 表头 1 + 数据 4 + 合计 0 + 空行及说明 0；错误 0 处，警告 0 处",
    );
    // Without the profile the file cannot be read: the header is split on `|!`.
    let run = dir
        .run(&["check", "fixtures/mapping/bank_fen.txt"])
        .expect(1);
    assert!(
        run.stdout().contains("KIND_UNKNOWN") || run.stdout().contains("MISSING_COLUMN"),
        "{}",
        run.stdout()
    );
}

#[test]
fn a_mapping_error_names_its_line() {
    let dir = Dir::new();
    let run = dir
        .run(&[
            "check",
            "--mapping",
            "fixtures/mapping/bad_profile.toml",
            "fixtures/mapping/bank_fen.txt",
        ])
        .expect(2);
    assert_eq!(run.stdout(), "");
    assert!(
        run.stderr()
            .starts_with("dibao: fixtures/mapping/bad_profile.toml:4: unknown field `delimitter`"),
        "{}",
        run.stderr()
    );
}

#[test]
fn a_missing_sheet_is_a_usage_error_listing_the_sheets() {
    let dir = Dir::new();
    let run = dir
        .run(&["check", "--sheet", "Sheet9", "fixtures/demo/roster.xlsx"])
        .expect(2);
    assert_eq!(
        run.stderr(),
        "dibao: fixtures/demo/roster.xlsx: no sheet named \"Sheet9\"; the workbook has: 花名册\n"
    );
}

#[test]
fn a_missing_file_is_an_io_error() {
    let dir = Dir::new();
    let run = dir.run(&["check", "nope.csv"]).expect(2);
    assert_eq!(
        run.stderr(),
        "dibao: nope.csv: No such file or directory (os error 2)\n"
    );
}

#[test]
fn a_forced_kind_names_the_missing_columns() {
    let dir = Dir::new();
    let run = dir
        .run(&[
            "check",
            "--kind",
            "bank",
            "fixtures/demo/checkins_2026-11.xlsx",
        ])
        .expect(1);
    assert_lines(
        &run.stdout(),
        "fixtures/demo/checkins_2026-11.xlsx[签到]!1: 错误[MISSING_COLUMN] 找不到银行回盘的表头：最接近的是第 1 行，缺少列 账号 (account)、金额 (amount) — 加上缺少的列，或把列名改成说明书中的名称（也可用 --mapping 增加别名）
fixtures/demo/checkins_2026-11.xlsx[签到]: 未能读取 — 错误 1 处，警告 0 处",
    );
}

/// On a terminal the progress bar is drawn on standard error; writing a
/// problem under it once deadlocked (the bar's lock was taken twice).
#[test]
fn regression_progress_bar_on_a_terminal_does_not_hang() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};
    let dir = Dir::new();
    // `script` gives the binary a terminal; without it there is nothing to test.
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("script(1) not available: skipped");
        return;
    }
    let cmd = format!(
        "{} check fixtures/bad/empty.csv fixtures/demo/roster.xlsx > out.txt",
        env!("CARGO_BIN_EXE_dibao")
    );
    let mut child = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("dibao check hung on a terminal");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(1));
    let out = std::fs::read_to_string(dir.join("out.txt")).unwrap();
    assert!(
        out.starts_with("fixtures/bad/empty.csv: 错误[FILE_EMPTY]"),
        "{out}"
    );
    assert!(out.contains("花名册，有效 36 户 61 人"), "{out}");
}

/// Both households of a shared account or ID are out (the message stands at
/// the later row), so that a payroll can leave both out.
#[test]
fn both_rows_of_a_shared_account_or_id_are_rejected() {
    use dibao::model::roster::RosterRow;
    let dir = Dir::new();
    let f = "fixtures/bad/shared_account.csv";
    let loaded = dibao::model::load::roster(&dir.join(f), f, &Default::default()).unwrap();
    let reader = loaded.reader.unwrap();
    let codes: Vec<(u32, Vec<&str>)> = reader
        .rows
        .iter()
        .map(|r| match r {
            RosterRow::Rejected(r) => (r.at.row.unwrap(), r.codes.clone()),
            RosterRow::Valid(h) => panic!("{} is valid", h.household_id),
        })
        .collect();
    assert_eq!(
        codes,
        vec![
            (2, vec!["SHARED_ACCOUNT"]),
            (3, vec!["SHARED_ACCOUNT"]),
            (4, vec!["DUPLICATE_ID_NUMBER"]),
            (5, vec!["DUPLICATE_ID_NUMBER"]),
        ]
    );
    assert_eq!(
        reader.conflicts,
        vec![(2, 3, "SHARED_ACCOUNT"), (4, 5, "DUPLICATE_ID_NUMBER")]
    );
    assert_eq!((reader.households, reader.persons), (0, 0));
}
