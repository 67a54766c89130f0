//! Hostile and damaged input: files in two encodings, workbooks damaged in
//! transit, values that would be formulas in a spreadsheet, control
//! characters and values too long for any bank. Each test names the case
//! it reproduces.

use std::io::{Read, Write};

use rust_xlsxwriter::Workbook;

use crate::util::{Dir, assert_lines};

const HEADER: &str = "低保证号,户主姓名,身份证号,保障人数,银行账号,开户银行";

/// Four valid households: (household, name, ID, members, account, bank).
const HOUSEHOLDS: [[&str; 6]; 4] = [
    [
        "XF0001",
        "张伟",
        "510108195603121012",
        "1",
        "6228480642064230179",
        "中国农业银行",
    ],
    [
        "XF0002",
        "王芳",
        "51010819480705104X",
        "2",
        "6228482036881690996",
        "中国邮政储蓄银行",
    ],
    [
        "XF0003",
        "李娜",
        "510108197001011069",
        "1",
        "6228489039703760099",
        "中国农业银行",
    ],
    [
        "XF0004",
        "刘洋",
        "510108197511201073",
        "3",
        "6228486807849093903",
        "中国农业银行",
    ],
];

fn gbk(s: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(s);
    assert!(!unmappable);
    bytes.into_owned()
}

/// A CSV line of one household, the name replaced when `name` is given.
fn line(h: &[&str; 6], name: Option<&str>) -> String {
    let mut cells: Vec<String> = h.iter().map(|c| c.to_string()).collect();
    if let Some(name) = name {
        cells[1] = format!("\"{}\"", name.replace('"', "\"\""));
    }
    cells.join(",") + "\r\n"
}

/// A roster workbook with the households' names replaced by `names`.
fn roster_xlsx(names: &[&str]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("花名册").unwrap();
    for (c, h) in HEADER.split(',').enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (r, h) in HOUSEHOLDS.iter().enumerate() {
        for (c, v) in h.iter().enumerate() {
            let row = r as u32 + 1;
            match c {
                1 => ws.write_string(row, 1, names[r]).unwrap(),
                3 => ws.write_number(row, 3, v.parse::<f64>().unwrap()).unwrap(),
                _ => ws.write_string(row, c as u16, *v).unwrap(),
            };
        }
    }
    wb.save_to_buffer().unwrap()
}

fn payroll_rows(dir: &Dir, out: &str) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(dir.join(&format!("{out}/payroll.csv"))).unwrap();
    r.records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect()
}

fn names(dir: &Dir, out: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir.join(out))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn payroll_args<'a>(roster: &'a str, out: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "payroll", "--month", "2026-11", "--roster", roster, "--out", out,
    ];
    args.extend_from_slice(rest);
    args
}

#[test]
fn issue10_case4_gbk_file_with_utf8_row() {
    let dir = Dir::new();
    let mut bytes = gbk(&format!("{HEADER}\r\n{}", line(&HOUSEHOLDS[0], None)));
    // 王芳 of 中国邮政储蓄银行, pasted in from a UTF-8 file.
    bytes.extend_from_slice(line(&HOUSEHOLDS[1], None).as_bytes());
    bytes.extend(gbk(&format!(
        "{}{}",
        line(&HOUSEHOLDS[2], None),
        line(&HOUSEHOLDS[3], None)
    )));
    dir.write("in/roster.csv", &bytes);
    let run = dir.run(&["check", "in/roster.csv"]).expect(1);
    assert_lines(
        &run.stdout(),
        "in/roster.csv!3: 错误[ENCODING_MIXED] 此行是 UTF-8 编码，而文件其余部分是 GBK：此行不作为有效数据 — 把整个文件用同一种编码保存（如用 Excel 打开后另存为“CSV UTF-8”），然后重新检查
in/roster.csv: 花名册，有效 3 户 5 人 — 5 行 = 表头前 0 + 表头 1 + 数据 4 + 合计 0 + 空行及说明 0；错误 1 处（1 行），警告 0 处",
    );
    let run = dir
        .run(&["--lang", "en", "check", "in/roster.csv"])
        .expect(1);
    assert!(
        run.stdout().starts_with(
            "in/roster.csv!3: error[ENCODING_MIXED] this line is UTF-8 while the file is GBK; the row is not used — save the whole file in one encoding"
        ),
        "{}",
        run.stdout()
    );

    // The payroll stops; with --allow-partial the row is left out and
    // named, and no bank upload is made for a garbled bank name.
    dir.run(&payroll_args("in/roster.csv", "out/p", &[]))
        .expect(1);
    assert!(!dir.join("out/p").exists());
    dir.run(&payroll_args(
        "in/roster.csv",
        "out/p",
        &["--allow-partial"],
    ))
    .expect(0);
    assert_eq!(
        names(&dir, "out/p"),
        [
            "manifest.json",
            "payroll.csv",
            "公示_2026-11.xlsx",
            "发放花名册_2026-11.xlsx",
            "报盘_中国农业银行_2026-11.xlsx"
        ]
    );
    let rows = payroll_rows(&dir, "out/p");
    let summary: Vec<[&str; 4]> = rows
        .iter()
        .map(|r| [r[1].as_str(), r[2].as_str(), r[14].as_str(), r[16].as_str()])
        .collect();
    assert_eq!(
        summary,
        [
            ["XF0001", "张伟", "DUE", ""],
            ["XF0002", "王芳", "EXCLUDED", "ENCODING_MIXED"],
            ["XF0003", "李娜", "DUE", ""],
            ["XF0004", "刘洋", "DUE", ""],
        ]
    );
}

#[test]
fn issue10_case4_utf8_file_with_gbk_row() {
    let dir = Dir::new();
    let mut bytes = format!("{HEADER}\r\n{}", line(&HOUSEHOLDS[0], None)).into_bytes();
    bytes.extend(gbk(&line(&HOUSEHOLDS[1], None)));
    bytes.extend_from_slice(
        format!(
            "{}{}",
            line(&HOUSEHOLDS[2], None),
            line(&HOUSEHOLDS[3], None)
        )
        .as_bytes(),
    );
    dir.write("in/roster.csv", &bytes);
    // Read as UTF-8, not switched whole to GB18030: the roster is found,
    // the other rows are good, and the GBK line is named.
    let run = dir.run(&["check", "in/roster.csv"]).expect(1);
    assert_lines(
        &run.stdout(),
        "in/roster.csv!3: 错误[ENCODING_MIXED] 此行是 GBK 编码，而文件其余部分是 UTF-8：此行不作为有效数据 — 把整个文件用同一种编码保存（如用 Excel 打开后另存为“CSV UTF-8”），然后重新检查
in/roster.csv: 花名册，有效 3 户 5 人 — 5 行 = 表头前 0 + 表头 1 + 数据 4 + 合计 0 + 空行及说明 0；错误 1 处（1 行），警告 0 处",
    );
    // The same in a bank file: the line pays nobody, it is UNREADABLE.
    let mut bank = "账号,户名,金额,状态,备注\r\n6228480642064230179,张伟,330.00,成功,XF0001\r\n"
        .as_bytes()
        .to_vec();
    bank.extend(gbk("6228482036881690996,王芳,620.00,成功,XF0002\r\n"));
    dir.write("in/bank.csv", &bank);
    let run = dir.run(&["check", "in/bank.csv"]).expect(1);
    assert_lines(
        &run.stdout(),
        "in/bank.csv!3: 错误[ENCODING_MIXED] 此行是 GBK 编码，而文件其余部分是 UTF-8：此行不作为有效数据 — 把整个文件用同一种编码保存（如用 Excel 打开后另存为“CSV UTF-8”），然后重新检查
in/bank.csv: 银行回盘，2 笔：成功 1 笔 金额 330.00，失败 0 笔，无法读取 1 笔 — 3 行 = 表头前 0 + 表头 1 + 数据 2 + 合计 0 + 空行及说明 0；错误 1 处（1 行），警告 0 处",
    );
    // --encoding still forces: read as GBK, the UTF-8 lines fail as such.
    let run = dir
        .run(&["check", "--encoding", "gbk", "in/roster.csv"])
        .expect(1);
    assert!(!run.stdout().contains("ENCODING_MIXED"), "{}", run.stdout());
}

/// A workbook of stored (uncompressed) members, as `members` gives them.
fn stored_zip(members: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, body) in members {
        w.start_file(name.as_str(), options).unwrap();
        w.write_all(body).unwrap();
    }
    w.finish().unwrap().into_inner()
}

#[test]
fn issue10_case5_zip_member_crc_mismatch() {
    let dir = Dir::new();
    let names = HOUSEHOLDS.map(|h| h[1]);
    let xlsx = roster_xlsx(&names);
    // Stored again without compression, so that a byte can be changed.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let members: Vec<(String, Vec<u8>)> = (0..archive.len())
        .map(|i| {
            let mut m = archive.by_index(i).unwrap();
            let mut body = Vec::new();
            m.read_to_end(&mut body).unwrap();
            (m.name().unwrap().to_string(), body)
        })
        .collect();
    let good = stored_zip(&members);
    dir.write("in/good.xlsx", &good);
    dir.run(&["check", "in/good.xlsx"]).expect(0);
    // XF0001's members, 1, becomes 7 in transit.
    let at = good
        .windows(8)
        .position(|w| w == b"<v>1</v>")
        .expect("a members cell");
    let mut bad = good.clone();
    bad[at + 3] = b'7';
    dir.write("in/roster.xlsx", &bad);
    let run = dir.run(&["check", "in/roster.xlsx"]).expect(1);
    assert_lines(
        &run.stdout(),
        "in/roster.xlsx: 错误[FILE_UNREADABLE] 无法按 xlsx 格式读取：文件已损坏，压缩包成员 “xl/worksheets/sheet1.xml” 的内容与其校验和（CRC）不符 — 请向发送方重新索取此文件；不要用这份文件发放或对账
in/roster.xlsx: 未能读取 — 错误 1 处，警告 0 处",
    );
    let run = dir
        .run(&["--lang", "en", "check", "in/roster.xlsx"])
        .expect(1);
    assert!(
        run.stdout().starts_with(
            "in/roster.xlsx: error[FILE_UNREADABLE] cannot be read as xlsx: damaged, checksum mismatch in member \"xl/worksheets/sheet1.xml\" — ask for the file again"
        ),
        "{}",
        run.stdout()
    );
    dir.run(&payroll_args("in/roster.xlsx", "out/p", &[]))
        .expect(1);
    assert!(!dir.join("out/p").exists());
}

#[test]
fn issue10_case9_formula_in_ledger_csv() {
    let dir = Dir::new();
    let evil = "=HYPERLINK(\"http://evil\",\"x\")";
    let roster = format!(
        "{HEADER}\r\n{}{}",
        line(&HOUSEHOLDS[0], None),
        line(&HOUSEHOLDS[2], Some(evil))
    );
    dir.write("in/roster.csv", roster.as_bytes());
    // A bank row for no household, its 户名 a formula.
    let bank = format!(
        "账号,户名,金额,状态,备注\r\n6228480642064230179,张伟,330.00,成功,XF0001\r\n6228489039703760099,李娜,330.00,成功,XF0003\r\n6217993630841152702,\"{}\",330.00,成功,\r\n",
        evil.replace('"', "\"\"")
    );
    dir.write("in/bank.csv", bank.as_bytes());
    dir.run(&[
        "reconcile",
        "--month",
        "2026-11",
        "--roster",
        "in/roster.csv",
        "--bank",
        "in/bank.csv",
        "--out",
        "out/r",
    ])
    .expect(0);
    let ledger = std::fs::read_to_string(dir.join("out/r/ledger.csv")).unwrap();
    assert_lines(
        &ledger,
        r#"month,household_id,name,id_number,account,expected,paid,status,flags,checkin,actions,detail,source
2026-11,XF0001,张伟,510108195603121012,6228480642064230179,330.00,330.00,PAID,,MISSED,,,bank.csv!2
2026-11,XF0003,"'=HYPERLINK(""http://evil"",""x"")",510108197001011069,6228489039703760099,330.00,330.00,PAID,NAME_MISMATCH,MISSED,REVIEW,bank name 李娜,bank.csv!3
2026-11,,"'=HYPERLINK(""http://evil"",""x"")",,6217993630841152702,,330.00,UNEXPECTED,,,RECOVER,,bank.csv!4"#,
    );
    // payroll.csv likewise.
    dir.run(&payroll_args("in/roster.csv", "out/p", &[]))
        .expect(0);
    let payroll = std::fs::read_to_string(dir.join("out/p/payroll.csv")).unwrap();
    assert!(
        payroll.contains(
            "\n2026-11,XF0003,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",510108197001011069,"
        ),
        "{payroll}"
    );
}

#[test]
fn issue10_case9_escaped_values_round_trip_through_payroll_and_ledger() {
    let dir = Dir::new();
    let evil = "=HYPERLINK(\"http://evil\",\"x\")";
    // A household number that looks like a formula (-A01) and a name that is one.
    let mut odd = HOUSEHOLDS[2];
    odd[0] = "-A01";
    let roster = format!(
        "{HEADER}\r\n{}{}",
        line(&HOUSEHOLDS[0], None),
        line(&odd, Some(evil))
    );
    dir.write("in/roster.csv", roster.as_bytes());
    dir.run(&payroll_args("in/roster.csv", "out/2026-11/payroll", &[]))
        .expect(0);
    let payroll = std::fs::read_to_string(dir.join("out/2026-11/payroll/payroll.csv")).unwrap();
    assert!(
        payroll.contains("\n2026-11,'-A01,\"'=HYPERLINK("),
        "{payroll}"
    );
    // The bank paid XF0001 and failed -A01 (matched by account).
    let bank = "账号,户名,金额,状态,失败原因\r\n6228480642064230179,张伟,330.00,成功,\r\n6228489039703760099,李娜,330.00,失败,账户冻结\r\n";
    dir.write("in/bank.csv", bank.as_bytes());
    dir.run(&[
        "reconcile",
        "--month",
        "2026-11",
        "--roster",
        "in/roster.csv",
        "--bank",
        "in/bank.csv",
        "--payroll",
        "out/2026-11/payroll",
        "--out",
        "out/2026-11/reconcile",
    ])
    .expect(0);
    // Read back from payroll.csv: -A01 was due 330.00 and failed.
    let ledger = std::fs::read_to_string(dir.join("out/2026-11/reconcile/ledger.csv")).unwrap();
    let row = ledger
        .lines()
        .find(|l| l.starts_with("2026-11,'-A01,"))
        .unwrap_or_else(|| panic!("{ledger}"));
    assert!(row.contains(",330.00,,FAILED,"), "{row}");
    // Read back from ledger.csv: next month re-issues it to -A01.
    let mut args = vec!["payroll", "--month", "2026-12", "--roster", "in/roster.csv"];
    args.extend([
        "--previous",
        "out/2026-11/reconcile",
        "--out",
        "out/2026-12/payroll",
    ]);
    dir.run(&args).expect(0);
    // (A plain CSV reader sees the marks, as a spreadsheet would.)
    let rows = payroll_rows(&dir, "out/2026-12/payroll");
    let a01 = rows
        .iter()
        .find(|r| r[1] == "'-A01")
        .expect("-A01 read back");
    assert_eq!(
        (
            a01[2].as_str(),
            a01[10].as_str(),
            a01[11].as_str(),
            a01[13].as_str()
        ),
        (
            "'=HYPERLINK(\"http://evil\",\"x\")",
            "330.00",
            "2026-11",
            "660.00"
        )
    );
}

#[test]
fn issue10_case9_control_characters_in_name() {
    let dir = Dir::new();
    let xlsx = roster_xlsx(&["张\u{7}伟", "王\u{1b}[31m芳", "李\u{0}娜", "刘\u{202e}洋"]);
    dir.write("in/roster.xlsx", &xlsx);
    let run = dir.run(&["check", "in/roster.xlsx"]).expect(1);
    assert!(
        !run.0.stdout.contains(&0x1b),
        "a raw ESC reached the terminal"
    );
    assert!(!run.0.stdout.contains(&0x07));
    assert_lines(
        &run.stdout(),
        r"in/roster.xlsx[花名册]!B2 (户主姓名): 错误[CONTROL_CHARACTER] “张\u{7}伟” 含有控制字符 U+0007（看不见，会破坏银行文件和屏幕显示） — 清空此单元格后重新手工输入（不要从网页、聊天软件或其他系统复制粘贴）
in/roster.xlsx[花名册]!B3 (户主姓名): 错误[CONTROL_CHARACTER] “王\u{1b}[31m芳” 含有控制字符 U+001B（看不见，会破坏银行文件和屏幕显示） — 清空此单元格后重新手工输入（不要从网页、聊天软件或其他系统复制粘贴）
in/roster.xlsx[花名册]!B4 (户主姓名): 错误[CONTROL_CHARACTER] “李\u{0}娜” 含有控制字符 U+0000（看不见，会破坏银行文件和屏幕显示） — 清空此单元格后重新手工输入（不要从网页、聊天软件或其他系统复制粘贴）
in/roster.xlsx[花名册]!B5 (户主姓名): 错误[INVISIBLE_CHARACTER] “刘\u{202e}洋” 含有不可见的格式字符 U+202E（会改变文字的显示顺序或藏起差别） — 清空此单元格后重新手工输入（不要从网页、聊天软件或其他系统复制粘贴）
in/roster.xlsx[花名册]: 花名册，有效 0 户 0 人 — 5 行 = 表头前 0 + 表头 1 + 数据 4 + 合计 0 + 空行及说明 0；错误 4 处（4 行），警告 0 处",
    );
    // Nothing reaches a bank upload.
    dir.run(&payroll_args("in/roster.xlsx", "out/p", &[]))
        .expect(1);
    assert!(!dir.join("out/p").exists());
    // The same in a bank file's 户名, and a file name with ESC in it.
    let bank =
        "账号,户名,金额,状态\r\n6228480642064230179,\"张\u{1b}]0;title\u{7}伟\",330.00,成功\r\n";
    dir.write("in/b\u{1b}[2J.csv", bank.as_bytes());
    let run = dir.run(&["check", "in/b\u{1b}[2J.csv"]).expect(1);
    assert!(!run.0.stdout.contains(&0x1b), "{}", run.stdout());
    assert!(
        run.stdout().starts_with(
            r"in/b\u{1b}[2J.csv!B2 (户名): 错误[CONTROL_CHARACTER] “张\u{1b}]0;title\u{7}伟” 含有控制字符 U+001B"
        ),
        "{}",
        run.stdout()
    );
    // A fatal error echoing the path escapes it as well.
    let run = dir.run(&["check", "in/missing\u{1b}[2J.csv"]).expect(2);
    assert!(!run.0.stderr.contains(&0x1b), "{}", run.stderr());
    assert!(
        run.stderr()
            .starts_with(r"dibao: in/missing\u{1b}[2J.csv: "),
        "{}",
        run.stderr()
    );
}

#[test]
fn issue10_case9_very_long_name() {
    let dir = Dir::new();
    let long = "张".repeat(40_000);
    let roster = format!(
        "{HEADER}\r\n{}{}",
        line(&HOUSEHOLDS[0], None),
        line(&HOUSEHOLDS[2], Some(&long))
    );
    dir.write("in/roster.csv", roster.as_bytes());
    let shown = "张".repeat(40);
    let expected = format!(
        "in/roster.csv!B3 (户主姓名): 错误[TEXT_TOO_LONG] “{shown}…” 长 40000 个字符，姓名、户名最多 60 个 — 核对此单元格：可能把整段文字误粘贴了进来"
    );
    let run = dir.run(&["check", "in/roster.csv"]).expect(1);
    assert_lines(
        &run.stdout(),
        &format!(
            "{expected}\nin/roster.csv: 花名册，有效 1 户 1 人 — 3 行 = 表头前 0 + 表头 1 + 数据 2 + 合计 0 + 空行及说明 0；错误 1 处（1 行），警告 0 处"
        ),
    );
    // payroll refuses with exit 1 naming the cell, not exit 2 naming a
    // temporary path.
    let run = dir
        .run(&payroll_args("in/roster.csv", "out/p", &[]))
        .expect(1);
    assert_eq!(run.stderr(), "");
    assert_lines(
        &run.stdout(),
        &format!(
            "{expected}\n有错误，未写入任何文件（花名册中有错误的户可用 --allow-partial 排除后继续）"
        ),
    );
    assert!(!dir.join("out/p").exists());
    // A 户名 of 61 characters is one too many for the bank.
    let name61 = "阿".repeat(61);
    let roster = format!("{HEADER}\r\n{}", line(&HOUSEHOLDS[0], Some(&name61)));
    dir.write("in/roster61.csv", roster.as_bytes());
    let run = dir.run(&["check", "in/roster61.csv"]).expect(1);
    assert!(
        run.stdout().contains("长 61 个字符，姓名、户名最多 60 个"),
        "{}",
        run.stdout()
    );
}
