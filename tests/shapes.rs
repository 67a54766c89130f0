//! Files the tests write themselves in the shapes other tools produce:
//! GBK text as iconv writes it, workbooks as rust_xlsxwriter writes them
//! (with the quirks of hand-made rosters), and garbage that must not panic.

use rust_xlsxwriter::{Format, Workbook};

use crate::util::{Dir, assert_lines};

fn gbk(s: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(s);
    assert!(!unmappable);
    bytes.into_owned()
}

#[test]
fn gbk_checkins_over_two_months_with_every_date_form() {
    let dir = Dir::new();
    let text = "和平社区 低保证签到登记表\r\n\
低保证号|签到日期|所属年月|签到方式|本月领取金额|家庭变化|请假原因|\r\n\
HP0001|２０２６年１１月２６日||本人|330.00|无||\r\n\
HP0002|2026-11-27|2026-11|本人|||||\r\n\
HP0003|20261025||上门|||||\r\n\
HP0004||2026年10月||||住院|\r\n\
HP0005||||||外出|\r\n\
HP0006|||本人|||||\r\n\
HP0007|2026/11/31||本人|||||\r\n\
HP0008|2026.11.25||视频||||\r\n\
|2026-11-26||本人|||||\r\n\
合计|9笔|||330.00||||\r\n";
    dir.write("in/checkins.txt", &gbk(text));
    let run = dir.run(&["check", "in/checkins.txt"]).expect(1);
    assert_lines(
        &run.stdout(),
        "in/checkins.txt!C7 (所属年月): 错误[CHECKIN_NO_MONTH] 没有签到日期时必须填写所属年月 — 补填所属年月
in/checkins.txt!B8 (签到日期): 错误[CHECKIN_NO_DATE] 既没有签到日期也没有请假原因 — 补填签到日期；未签到的请写明请假原因
in/checkins.txt!B9 (签到日期): 错误[DATE_INVALID] “2026/11/31” 不是日期 — 写成 2026-11-25 或 2026年11月25日
in/checkins.txt!D10 (签到方式): 错误[METHOD_UNKNOWN] 签到方式 “视频” 无法识别 — 填写 本人、到站、上门 或 代签
in/checkins.txt!A11 (低保证号): 错误[CHECKIN_NO_KEY] 既没有低保证号也没有身份证号，无法对应到户 — 补填低保证号或身份证号
in/checkins.txt: 签到表，有效 4 条，无效 5 条 — 12 行 = 表头前 1 + 表头 1 + 数据 9 + 合计 1 + 空行及说明 0；错误 5 处（5 行），警告 0 处",
    );
    let loaded =
        dibao::model::load::checkins(&dir.join("in/checkins.txt"), "c", &Default::default())
            .unwrap();
    let months: Vec<String> = loaded
        .reader
        .unwrap()
        .records
        .iter()
        .map(|r| r.month.to_string())
        .collect();
    // HP0008's 方式 视频 is an error, but its stamp still counts (read as
    // in person): a typo must not make a recipient MISSED (issue 4 review).
    assert_eq!(
        months,
        ["2026-11", "2026-11", "2026-10", "2026-10", "2026-11"]
    );
}

/// A roster typed by hand in Excel: title rows, the table starting in
/// column B, a number where an ID should be, date cells for months,
/// subtotals per community and a grand total.
#[test]
fn hand_made_workbook_with_subtotals() {
    let dir = Dir::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("2026年11月").unwrap();
    let date = Format::new().set_num_format("yyyy-mm");
    ws.merge_range(0, 1, 0, 7, "幸福街道 2026年11月 低保花名册", &Format::new())
        .unwrap();
    ws.write(1, 1, "制表单位：幸福街道民政办").unwrap();
    let header = [
        "社区",
        "低保证号",
        "户主姓名",
        "身份证号码",
        "享受人数",
        "卡号",
        "起保年月",
        "保障金（元）",
    ];
    for (i, h) in header.iter().enumerate() {
        ws.write(3, 1 + i as u16, *h).unwrap();
    }
    // (community, household, name, ID, members, account, start, approved)
    type Row<'a> = (
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        f64,
        &'a str,
        Option<(u16, u8)>,
        Option<f64>,
    );
    let rows: [Row<'_>; 4] = [
        (
            "和平社区",
            "X01",
            "张三",
            "11010519491231002X",
            1.0,
            "6228480000000000018",
            Some((2021, 3)),
            None,
        ),
        (
            "和平社区",
            "X02",
            "李四",
            "510107195202290185",
            2.0,
            "6228481160003452274",
            Some((2022, 7)),
            Some(600.0),
        ),
        (
            "光明社区",
            "X03",
            "王五",
            "",
            3.0,
            "6228482905076170214",
            None,
            None,
        ),
        (
            "光明社区",
            "X04",
            "赵六",
            "440524188001010014",
            1.0,
            "6228483245023645375",
            None,
            None,
        ),
    ];
    let mut r = 4u32;
    let mut community = "";
    let mut sub = 0.0;
    for (c, hid, name, id, members, account, start, amount) in rows {
        if !community.is_empty() && community != c {
            ws.write(r, 1, "小计").unwrap();
            ws.write(r, 5, sub + 1.0).unwrap(); // wrong on purpose: 3 + 1
            r += 1;
            sub = 0.0;
        }
        community = c;
        ws.write(r, 1, c).unwrap();
        ws.write(r, 2, hid).unwrap();
        ws.write(r, 3, name).unwrap();
        if hid == "X03" {
            ws.write(r, 4, 5.101071974041919e17).unwrap();
        } else {
            ws.write(r, 4, id).unwrap();
        }
        ws.write(r, 5, members).unwrap();
        ws.write(r, 6, account).unwrap();
        if let Some((y, m)) = start {
            let d = rust_xlsxwriter::ExcelDateTime::from_ymd(y, m, 1).unwrap();
            ws.write_with_format(r, 7, &d, &date).unwrap();
        }
        if let Some(a) = amount {
            ws.write(r, 8, a).unwrap();
        }
        sub += members;
        r += 1;
    }
    ws.write(r, 1, "小计").unwrap();
    ws.write(r, 5, sub).unwrap();
    ws.write(r, 1 + 1, "2户").unwrap();
    r += 1;
    ws.write(r, 1, "合 计").unwrap();
    ws.write(r, 2, "4户").unwrap();
    ws.write(r, 5, 7.0).unwrap();
    ws.write(r, 8, "600.00").unwrap();
    std::fs::create_dir_all(dir.join("in")).unwrap();
    wb.save(dir.join("in/roster.xlsx")).unwrap();

    let run = dir.run(&["check", "in/roster.xlsx"]).expect(1);
    assert_lines(
        &run.stdout(),
        "in/roster.xlsx[2026年11月]!F7 (享受人数): 错误[TOTALS_MISMATCH] 合计行的 享受人数 为 4，数据行合计为 3 — 核对数据行与合计行：可能有行被删除、隐藏或合计未更新
in/roster.xlsx[2026年11月]!E8 (身份证号码): 错误[ID_DIGITS_LOST] “510107197404192000” 的末几位被 Excel 变成了 0（Excel 数字只保留 15 位有效数字） — 把此列设为“文本”格式，从原始系统重新导出或重新录入完整号码；不要在 Excel 中直接改数字
in/roster.xlsx[2026年11月]!E9 (身份证号码): 错误[ID_BIRTH_DATE] 身份证号 “440524188001010014” 中的出生日期不是有效日期 — 对照身份证原件逐位核对后改正
in/roster.xlsx[2026年11月]: 花名册，有效 2 户 3 人 — 11 行 = 表头前 3 + 表头 1 + 数据 4 + 合计 3 + 空行及说明 0；错误 3 处（3 行），警告 0 处",
    );
    let loaded =
        dibao::model::load::roster(&dir.join("in/roster.xlsx"), "r", &Default::default()).unwrap();
    let rows = loaded.reader.unwrap().rows;
    let dibao::model::roster::RosterRow::Valid(li) = &rows[1] else {
        panic!("{:?}", rows[1])
    };
    assert_eq!(
        li.start_month.map(|m| m.to_string()).as_deref(),
        Some("2022-07")
    );
    assert_eq!(
        li.approved_amount.map(|m| m.to_string()).as_deref(),
        Some("600.00")
    );
    assert_eq!(li.at.to_string(), "r[2026年11月]!6");
}

#[test]
fn duplicate_columns_utf16_and_semicolons_with_quotes() {
    let dir = Dir::new();
    // Two amount columns: the leftmost is used, with a warning.
    dir.write(
        "in/bank.csv",
        "账号;户名;金额;实发金额;处理结果;备注\n6228481160003452274;\"张, 秀兰\";330.00;999;成功;\"HP0001\n2026-11\"\n".as_bytes(),
    );
    let run = dir.run(&["check", "in/bank.csv"]).expect(0);
    assert_lines(
        &run.stdout(),
        "in/bank.csv!D1 (实发金额): 警告[DUPLICATE_COLUMN] 列 “金额” 和 “实发金额” 都对应字段 amount，使用左边的 “金额” — 删除或改名多余的列
in/bank.csv: 银行回盘，1 笔：成功 1 笔 金额 330.00，失败 0 笔，无法读取 0 笔 — 2 行 = 表头前 0 + 表头 1 + 数据 1 + 合计 0 + 空行及说明 0；错误 0 处，警告 1 处",
    );
    // UTF-16 with a BOM, as some Windows tools save "Unicode text".
    let mut utf16 = vec![0xff, 0xfe];
    for u in
        "账号\t户名\t金额\t状态\r\n6228481160003452274\t张秀兰\t¥330.00\t成功\r\n".encode_utf16()
    {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    dir.write("in/unicode.txt", &utf16);
    let run = dir.run(&["check", "-q", "in/unicode.txt"]).expect(0);
    assert_eq!(run.stdout(), "");
}

#[test]
fn garbage_never_panics() {
    let dir = Dir::new();
    let cases: [(&str, &[u8]); 10] = [
        ("a.csv", b"\"unterminated,quote\n1,2"),
        (
            "b.csv",
            "低保证号,户主姓名,身份证号,保障人数,银行账号\n".as_bytes(),
        ),
        ("c.csv", b"\xef\xbb\xbf"),
        ("d.csv", &[b','; 100_000]),
        ("e.txt", b"\x00\x01\x02\x03garbage"),
        ("f.xlsx", b"PK\x03\x04\x14\x00\x00\x00garbage"),
        ("g.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1garbage"),
        (
            "h.ods",
            b"<html><body><table><tr><td>1</td></tr></table></body></html>",
        ),
        (
            "i.csv",
            "账号,户名,金额\n,,\n6228481160003452274,张三,1e400\n6228481160003452274,张三,-5\n"
                .as_bytes(),
        ),
        // Sums beyond 64 bits of fen.
        (
            "j.csv",
            "账号,户名,金额\n6228481160003452274,张三,90000000000000000\n6228481160003452274,张三,90000000000000000\n合计,,1\n"
                .as_bytes(),
        ),
    ];
    for (name, bytes) in cases {
        let rel = format!("in/{name}");
        dir.write(&rel, bytes);
        let run = dir.run(&["check", &rel]);
        assert!(
            matches!(run.code(), 0 | 1),
            "{name}: {}\n{}",
            run.code(),
            run.stderr()
        );
        assert!(run.stderr().is_empty(), "{name}: {}", run.stderr());
        assert!(run.stdout().contains(&rel), "{name}: {}", run.stdout());
    }
}

/// A damaged byte rejects its cell, not the whole file.
#[test]
fn damaged_bytes_are_named_cell_by_cell() {
    let dir = Dir::new();
    let mut utf8 = "低保证号,户主姓名,身份证号,保障人数,银行账号\n\
HP01,张三,11010519491231002X,1,6228481160003452274\n\
HP02,李"
        .as_bytes()
        .to_vec();
    utf8.push(0xe5); // half of a character
    utf8.extend_from_slice(",510107195202290185,2,6228482905076170214\n".as_bytes());
    dir.write("in/damaged.csv", &utf8);
    let run = dir.run(&["check", "in/damaged.csv"]).expect(1);
    assert_lines(
        &run.stdout(),
        "in/damaged.csv: 警告[ENCODING_DAMAGED] 按 UTF-8 读取，有 1 处字节无法解码（下面逐格列出） — 文件可能损坏或被不同编码拼接：从原系统重新导出，或另存为 UTF-8；也可用 --encoding 指定编码
in/damaged.csv!B3 (户主姓名): 错误[BAD_BYTES] “李\u{fffd}” 含有无法解码的字节（显示为 �） — 文件可能损坏或被不同编码拼接：从原系统重新导出，或另存为 UTF-8；也可用 --encoding 指定编码
in/damaged.csv: 花名册，有效 1 户 1 人 — 3 行 = 表头前 0 + 表头 1 + 数据 2 + 合计 0 + 空行及说明 0；错误 1 处（1 行），警告 1 处",
    );
}

/// The data is on the second sheet: no guessing, but the message says where.
#[test]
fn a_header_on_another_sheet_is_pointed_at() {
    let dir = Dir::new();
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet().set_name("填表说明").unwrap();
    notes.write(0, 0, "身份证号一列请设为文本格式").unwrap();
    let data = wb.add_worksheet().set_name("花名册").unwrap();
    for (i, h) in ["低保证号", "户主姓名", "身份证号", "保障人数", "银行账号"]
        .iter()
        .enumerate()
    {
        data.write(0, i as u16, *h).unwrap();
    }
    for (i, v) in [
        "HP01",
        "张三",
        "11010519491231002X",
        "1",
        "6228481160003452274",
    ]
    .iter()
    .enumerate()
    {
        data.write(1, i as u16, *v).unwrap();
    }
    std::fs::create_dir_all(dir.join("in")).unwrap();
    wb.save(dir.join("in/two.xlsx")).unwrap();
    let run = dir.run(&["check", "in/two.xlsx"]).expect(1);
    assert_lines(
        &run.stdout(),
        "in/two.xlsx[填表说明]: 错误[KIND_UNKNOWN] 认不出这是花名册、银行回盘还是签到表：没有一行含有任一种文件的全部必需列 — 用 --kind roster|bank|checkins 指明文件种类，并核对表头
in/two.xlsx[填表说明]: 警告[HEADER_ON_OTHER_SHEET] 工作表 “花名册” 有花名册的表头 — 用 --sheet 加工作表名读取它
in/two.xlsx[填表说明]: 未能读取 — 错误 1 处，警告 1 处",
    );
    let run = dir
        .run(&["check", "--sheet", "花名册", "in/two.xlsx"])
        .expect(0);
    assert!(run.stdout().contains("有效 1 户 1 人"), "{}", run.stdout());
}

/// Workbooks that made the reader panic or try to allocate half a
/// terabyte: a damaged .xls, and a stray cell at XFD1048576.
#[test]
fn damaged_and_sprawling_workbooks_are_problems_not_crashes() {
    let dir = Dir::new();
    let mut xls = std::fs::read(dir.join("fixtures/formats/roster_libreoffice.xls")).unwrap();
    xls[0x644] = 0x38;
    dir.write("in/damaged.xls", &xls);
    let run = dir.run(&["check", "in/damaged.xls"]).expect(1);
    assert!(
        run.stdout()
            .starts_with("in/damaged.xls: 错误[FILE_UNREADABLE] 无法按 xls 格式读取："),
        "{}",
        run.stdout()
    );
    assert_eq!(run.stderr(), "");

    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (i, h) in ["账号", "户名", "金额", "状态"].iter().enumerate() {
        ws.write(0, i as u16, *h).unwrap();
    }
    ws.write(1, 0, "6228481160003452274").unwrap();
    ws.write(1, 1, "张三").unwrap();
    ws.write(1, 2, 330.0).unwrap();
    ws.write(1, 3, "成功").unwrap();
    ws.write(1_048_575, 16_383, "x").unwrap();
    std::fs::create_dir_all(dir.join("in")).unwrap();
    wb.save(dir.join("in/far.xlsx")).unwrap();
    let run = dir.run(&["check", "in/far.xlsx"]).expect(0);
    assert_lines(
        &run.stdout(),
        "in/far.xlsx[Sheet1]!1048576: 警告[ROW_SKIPPED] 此行没有任何必填列的值，未作为数据读取：“x” — 如果这是数据行，请补全低保证号、姓名等必填列
in/far.xlsx[Sheet1]: 银行回盘，1 笔：成功 1 笔 金额 330.00，失败 0 笔，无法读取 0 笔 — 1048576 行 = 表头前 0 + 表头 1 + 数据 1 + 合计 0 + 空行及说明 1048574；错误 0 处，警告 1 处",
    );
}

// Findings of a second reading of the readers, each a file that once was
// read wrong: rows vanished, figures went unchecked, or a row was misread.

#[test]
fn regression_remarks_that_read_like_totals_are_data() {
    let dir = Dir::new();
    dir.write(
        "in/ck.csv",
        "低保证号,签到日期,说明\nHP0001,2026-11-25,\nHP0002,,共计3天住院\nHP0003,,\n".as_bytes(),
    );
    let run = dir.run(&["check", "in/ck.csv"]).expect(1);
    assert_lines(
        &run.stdout(),
        r#"in/ck.csv!3: 错误[CHECKIN_NO_MONTH] 没有签到日期时必须填写所属年月 — 补填所属年月
in/ck.csv!B4 (签到日期): 错误[CHECKIN_NO_DATE] 既没有签到日期也没有请假原因 — 补填签到日期；未签到的请写明请假原因
in/ck.csv: 签到表，有效 1 条，无效 2 条 — 4 行 = 表头前 0 + 表头 1 + 数据 3 + 合计 0 + 空行及说明 0；错误 2 处（2 行），警告 0 处"#,
    );
}

#[test]
fn regression_a_bank_remark_that_reads_like_totals_is_data() {
    let dir = Dir::new();
    dir.write("in/bank.csv", "账号,户名,金额,处理结果,备注\n6228481160003452274,张三,330.00,成功,合计2个月补发\n6228482905076170214,李四,620.00,成功,\n".as_bytes());
    let run = dir.run(&["check", "in/bank.csv"]).expect(0);
    assert_lines(
        &run.stdout(),
        r#"in/bank.csv: 银行回盘，2 笔：成功 2 笔 金额 950.00，失败 0 笔，无法读取 0 笔 — 3 行 = 表头前 0 + 表头 1 + 数据 2 + 合计 0 + 空行及说明 0；错误 0 处，警告 0 处"#,
    );
}

#[test]
fn regression_bank_trailer_figures_are_checked() {
    let dir = Dir::new();
    dir.write("in/trailer.txt", "账号|户名|金额|处理结果|\n6228481160003452274|张三|330.00|成功|\n6228482905076170214|李四|620.00|失败|\n总笔数：3|总金额：990.00|||\n".as_bytes());
    let run = dir.run(&["check", "in/trailer.txt"]).expect(1);
    assert_lines(
        &run.stdout(),
        r#"in/trailer.txt!A4 (账号): 错误[TOTALS_MISMATCH] 合计行写 总笔数：3，实际数据行为 2 行 — 核对数据行与合计行：可能有行被删除、隐藏或合计未更新
in/trailer.txt!B4 (户名): 错误[TOTALS_MISMATCH] 合计行写 总金额：990.00，数据行金额合计为 950.00 — 核对数据行与合计行：可能有行被删除、隐藏或合计未更新
in/trailer.txt: 银行回盘，2 笔：成功 1 笔 金额 330.00，失败 1 笔，无法读取 0 笔 — 4 行 = 表头前 0 + 表头 1 + 数据 2 + 合计 1 + 空行及说明 0；错误 2 处（1 行），警告 0 处"#,
    );
}

#[test]
fn regression_group_and_page_totals() {
    let dir = Dir::new();
    dir.write("in/sub.csv", "序号,低保证号,户主姓名,身份证号,保障人数,银行账号\n1,HP0001,张秀兰,510107195202290185,1,6228481160003452274\n和平社区小计,1户,,,1,\n2,HP0002,王建国,510107196805120251,2,6228482905076170214\n本页合计,2户,,,3,\n".as_bytes());
    let run = dir.run(&["check", "in/sub.csv"]).expect(0);
    assert_lines(
        &run.stdout(),
        r#"in/sub.csv: 花名册，有效 2 户 3 人 — 5 行 = 表头前 0 + 表头 1 + 数据 2 + 合计 2 + 空行及说明 0；错误 0 处，警告 0 处"#,
    );
}

#[test]
fn regression_a_decimal_comma_is_not_a_thousands_separator() {
    let dir = Dir::new();
    dir.write(
        "in/semi.csv",
        "账号;户名;金额;处理结果\n6228481160003452274;张三;330,00;成功\n".as_bytes(),
    );
    let run = dir.run(&["check", "in/semi.csv"]).expect(1);
    assert_lines(
        &run.stdout(),
        r#"in/semi.csv!C2 (金额): 错误[AMOUNT_COMMA] 金额 “330,00” 中的逗号不是千位分隔符 — 小数点请用“.”（330.00），千位分隔用“,”（1,234.50）
in/semi.csv: 银行回盘，1 笔：成功 0 笔 金额 0.00，失败 0 笔，无法读取 1 笔 — 2 行 = 表头前 0 + 表头 1 + 数据 1 + 合计 0 + 空行及说明 0；错误 1 处（1 行），警告 0 处"#,
    );
}

#[test]
fn regression_a_bank_file_with_an_unknown_name_header_is_not_check_ins() {
    let dir = Dir::new();
    dir.write("in/noname.csv", "账号,客户名称,金额,身份证号,日期\n6228481160003452274,张三,330.00,510107195202290185,2026-11-10\n".as_bytes());
    let run = dir.run(&["check", "in/noname.csv"]).expect(1);
    assert_lines(
        &run.stdout(),
        r#"in/noname.csv!1: 错误[MISSING_COLUMN] 找不到银行回盘的表头：最接近的是第 1 行，缺少列 户名 (account_name) — 加上缺少的列，或把列名改成说明书中的名称（也可用 --mapping 增加别名）
in/noname.csv: 未能读取 — 错误 1 处，警告 0 处"#,
    );
}

#[test]
fn regression_cr_line_ends_and_ids_in_bank_files() {
    let dir = Dir::new();
    dir.write("in/cr.csv", "账号,户名,金额,身份证号,处理结果\r6228481160003452274,张三,330.00,110105630301203,成功\r6228482905076170214,李四,620.00,110105196303011114,成功\r".as_bytes());
    let run = dir.run(&["check", "in/cr.csv"]).expect(1);
    assert_lines(
        &run.stdout(),
        r#"in/cr.csv!D2 (身份证号): 警告[ID_UPGRADED] 15 位身份证号 “110105630301203” 已升为 18 位 “110105196303012034” — 核对后在花名册中改为 18 位号码
in/cr.csv!D3 (身份证号): 错误[ID_CHECK_CHAR] 身份证号 “110105196303011114” 校验位不符（GB 11643），号码中有录错的位 — 对照身份证原件逐位核对后改正
in/cr.csv: 银行回盘，2 笔：成功 2 笔 金额 950.00，失败 0 笔，无法读取 0 笔 — 3 行 = 表头前 0 + 表头 1 + 数据 2 + 合计 0 + 空行及说明 0；错误 1 处（1 行），警告 1 处"#,
    );
}

#[test]
fn regression_an_unclosed_quote_is_named() {
    let dir = Dir::new();
    dir.write("in/quote.csv", "低保证号,户主姓名,身份证号,保障人数,银行账号,备注\nHP0001,张三,510107195202290185,1,6228481160003452274,\"老党员\nHP0002,李四,510107196805120251,2,6228482905076170214,\nHP0003,王五,51010719490817048X,1,6228483245023645375,\n".as_bytes());
    let run = dir.run(&["check", "in/quote.csv"]).expect(1);
    assert_lines(
        &run.stdout(),
        r#"in/quote.csv!2: 错误[UNCLOSED_QUOTE] 此行的引号没有配对，到第 4 行为止的内容都被读成了一个单元格，其中的行没有作为数据读取 — 删去多余的引号（"）或补上另一半，然后重新检查
in/quote.csv: 花名册，有效 1 户 1 人 — 2 行 = 表头前 0 + 表头 1 + 数据 1 + 合计 0 + 空行及说明 0；错误 1 处（1 行），警告 0 处"#,
    );
}

#[test]
fn regression_empty_text_marks_are_empty() {
    let dir = Dir::new();
    dir.write("in/eq.csv", "低保证号,户主姓名,身份证号,保障人数,银行账号,备注\n=\"\",张三,=\"510107195202290185\",1,=\"6228481160003452274\",\n=\"HP0002\",李四,=\"510107196805120251\",2,=\"\",\n=\"\",,=\"\",,=\"\",=\"\"\n\n\n".as_bytes());
    let run = dir.run(&["check", "in/eq.csv"]).expect(1);
    assert_lines(
        &run.stdout(),
        r#"in/eq.csv!A2 (低保证号): 错误[MISSING_VALUE] 必填项 低保证号 为空 — 补填此项
in/eq.csv!E3 (银行账号): 错误[MISSING_VALUE] 必填项 银行账号 为空 — 补填此项
in/eq.csv: 花名册，有效 0 户 0 人 — 6 行 = 表头前 0 + 表头 1 + 数据 2 + 合计 0 + 空行及说明 3；错误 2 处（2 行），警告 0 处"#,
    );
}

/// `0000` typed into Excel is the number 0; a profile's header row may lie
/// below the usual 50-row search.
#[test]
fn numeric_status_codes_and_a_deep_header_row() {
    let dir = Dir::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("回盘").unwrap();
    for r in 0..55u32 {
        ws.write(r, 0, format!("说明第{}行", r + 1)).unwrap();
    }
    for (i, h) in ["账号", "户名", "金额", "处理结果"].iter().enumerate() {
        ws.write(55, i as u16, *h).unwrap();
    }
    for (r, status) in [(56u32, 0.0), (57, 9999.0)] {
        ws.write(r, 0, "6228481160003452274").unwrap();
        ws.write(r, 1, "张三").unwrap();
        ws.write(r, 2, 330.0).unwrap();
        ws.write(r, 3, status).unwrap();
    }
    std::fs::create_dir_all(dir.join("in")).unwrap();
    wb.save(dir.join("in/deep.xlsx")).unwrap();
    dir.write(
        "in/deep.toml",
        b"header_row = 56\nfailure = [\"9999\", \"F\"]\nsuccess = [\"0000\"]\n",
    );
    let run = dir
        .run(&["check", "--mapping", "in/deep.toml", "in/deep.xlsx"])
        .expect(0);
    assert_lines(
        &run.stdout(),
        "in/deep.xlsx[回盘]: 银行回盘，2 笔：成功 1 笔 金额 330.00，失败 1 笔，无法读取 0 笔 — 58 行 = 表头前 55 + 表头 1 + 数据 2 + 合计 0 + 空行及说明 0；错误 0 处，警告 0 处",
    );
}
