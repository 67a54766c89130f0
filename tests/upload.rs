//! Bank upload files as banks take them (issue 11): each bank's layout,
//! its field limits checked before anything is written, the 备注 that
//! always fits, and a result whose 备注 the bank cut still matching back.

use calamine::{Data, Reader, open_workbook_auto};

use crate::util::{Dir, csv_rows};

const HEADER: &str = "低保证号,户主姓名,身份证号,保障人数,银行账号,开户银行,社区,状态\n";

/// A roster line: valid IDs and accounts from the reconcile fixture.
fn line(hid: &str, name: &str, n: usize, bank: &str) -> String {
    const PEOPLE: [(&str, &str); 6] = [
        ("510108195603121012", "6228480642064230179"),
        ("51010819480705104X", "6228482036881690996"),
        ("510108197001011069", "6228489039703760099"),
        ("510108197511201073", "6228486807849093903"),
        ("510108196202141105", "6228485763990082651"),
        ("510108198306211170", "6228487589952405780"),
    ];
    let (id, account) = PEOPLE[n];
    format!("{hid},{name},{id},1,{account},{bank},幸福社区,在保\n")
}

fn roster(lines: &[String]) -> Vec<u8> {
    let mut text = HEADER.to_string();
    for l in lines {
        text.push_str(l);
    }
    text.into_bytes()
}

fn payroll<'a>(roster: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["payroll", "--month", "2026-11", "--roster", roster];
    args.extend_from_slice(rest);
    args
}

fn sheet(path: &std::path::Path) -> Vec<Vec<Data>> {
    let mut book = open_workbook_auto(path).unwrap();
    let range = book.worksheet_range("代发明细").unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

fn gbk(path: &std::path::Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "GBK, not UTF-8");
    let (text, _, bad) = encoding_rs::GBK.decode(&bytes);
    assert!(!bad);
    text.into_owned()
}

fn gbk_len(s: &str) -> usize {
    encoding_rs::GBK.encode(s).0.len()
}

/// ICBC takes 12 bytes of 备注: `HP0001 2026-11` (14) would be cut, so the
/// household number goes alone; ABC keeps the month.
#[test]
fn issue11_icbc_reference_is_the_household_number_alone() {
    let dir = Dir::new();
    dir.write(
        "r.csv",
        &roster(&[
            line("HP0001", "张伟", 0, "中国工商银行"),
            line("HP0002", "王芳", 1, "中国农业银行"),
        ]),
    );
    dir.run(&payroll("r.csv", &["--out", "p", "-q"])).expect(0);
    let icbc = sheet(&dir.join("p/报盘_中国工商银行_2026-11.xlsx"));
    assert_eq!(icbc[1][5], Data::String("HP0001".into()));
    assert!(gbk_len("HP0001") <= 12);
    let abc = sheet(&dir.join("p/报盘_中国农业银行_2026-11.xlsx"));
    assert_eq!(abc[1][5], Data::String("HP0002 2026-11".into()));
}

/// Every built-in layout's text file, read back: GBK, the shape (CCB's
/// fixed widths), the 备注 within the bank's limit, and the control line's
/// count and total against payroll.csv.
#[test]
fn issue11_every_built_in_layout_as_text() {
    let dir = Dir::new();
    let banks = [
        "中国工商银行",
        "中国建设银行",
        "广发银行",
        "中国农业银行",
        "邮储银行",
    ];
    let mut lines = Vec::new();
    for (i, bank) in banks.iter().enumerate() {
        lines.push(line(&format!("HP000{}", i + 1), "张伟", i, bank));
    }
    lines.push(line("HP0006", "王芳", 5, "中国工商银行"));
    dir.write("r.csv", &roster(&lines));
    let mut mapping = String::new();
    for bank in banks {
        mapping.push_str(&format!(
            "[[bank_profiles]]\nbank = \"{bank}\"\n[bank_profiles.upload]\nformat = \"text\"\n"
        ));
    }
    dir.write("banks.toml", mapping.as_bytes());
    dir.run(&payroll(
        "r.csv",
        &["--mapping", "banks.toml", "--out", "p", "-q"],
    ))
    .expect(0);
    let paid: i64 = csv_rows(&dir.join("p/payroll.csv"), "HP0001")[0][13]
        .replace('.', "")
        .parse()
        .unwrap();
    let txt = |bank: &str| gbk(&dir.join(&format!("p/报盘_{bank}_2026-11.txt")));
    let yuan = |fen: i64| format!("{}.{:02}", fen / 100, fen % 100);

    // ICBC: `|`, no header, control line last, 备注 ≤ 12 bytes.
    let icbc = txt("中国工商银行");
    let l: Vec<&str> = icbc.lines().collect();
    assert_eq!(l.len(), 3, "{icbc}");
    assert_eq!(
        l[0],
        format!(
            "6228480642064230179|张伟|{}|510108195603121012|HP0001",
            yuan(paid)
        )
    );
    assert!(l[1].ends_with("|HP0006"), "{icbc}");
    assert_eq!(l[2], format!("合计|2笔|{}||", yuan(2 * paid)));
    assert!(icbc.ends_with("\r\n"));

    // CCB: fixed width 6+32+40+15+18+20 GBK bytes, fen, control line first.
    let ccb = txt("中国建设银行");
    let l: Vec<&str> = ccb.lines().collect();
    assert_eq!(l.len(), 2, "{ccb}");
    for line in &l {
        assert_eq!(gbk_len(line), 6 + 32 + 40 + 15 + 18 + 20, "{line:?}");
    }
    let (control, data) = (
        encoding_rs::GBK.encode(l[0]).0,
        encoding_rs::GBK.encode(l[1]).0,
    );
    let field = |b: &[u8], from: usize, len: usize| {
        encoding_rs::GBK
            .decode(&b[from..from + len])
            .0
            .trim_end()
            .to_string()
    };
    assert_eq!(field(&control, 0, 6), "合计");
    assert_eq!(field(&control, 6, 32), "1笔");
    assert_eq!(field(&control, 78, 15), format!("{paid:015}"));
    assert_eq!(field(&data, 0, 6), "000001");
    assert_eq!(field(&data, 6, 32), "6228482036881690996");
    assert_eq!(field(&data, 38, 40), "张伟");
    assert_eq!(field(&data, 78, 15), format!("{paid:015}"));
    assert_eq!(field(&data, 111, 20), "HP0002 2026-11");

    // CGB: a header line, commas, no 序号.
    let cgb = txt("广发银行");
    let l: Vec<&str> = cgb.lines().collect();
    assert_eq!(l[0], "账号,户名,金额,身份证号,备注");
    assert!(l[1].ends_with(",HP0003 2026-11"), "{cgb}");
    assert_eq!(l[2], format!("合计,1笔,{},,", yuan(paid)));

    // ABC: today's layout.
    let abc = txt("中国农业银行");
    assert_eq!(
        abc.lines().last().unwrap(),
        format!("合计|1笔|{}||", yuan(paid))
    );
    assert!(abc.contains("|HP0004 2026-11\r\n"));

    // PSBC: as ABC.
    let psbc = txt("邮储银行");
    let l: Vec<&str> = psbc.lines().collect();
    assert!(l[0].ends_with("|HP0005 2026-11"));
    assert_eq!(l[1], format!("合计|1笔|{}||", yuan(paid)));

    // The workbooks keep their control line last (CCB's text has it first).
    let ccb_book = sheet(&dir.join("p/报盘_中国建设银行_2026-11.xlsx"));
    assert_eq!(ccb_book[1][5], Data::String("HP0002 2026-11".into()));
    assert_eq!(ccb_book[2][0], Data::String("合计".into()));

    // Every 备注 within 20 bytes; the workbooks hold the same ones.
    let icbc_book = sheet(&dir.join("p/报盘_中国工商银行_2026-11.xlsx"));
    assert_eq!(icbc_book[2][5], Data::String("HP0006".into()));
    assert_eq!(icbc_book[3][1], Data::String("2笔".into()));
}

/// A 户名 over ICBC's 60 bytes: exit 1, the roster cell named, nothing
/// written.
#[test]
fn issue11_name_over_the_bank_limit_writes_nothing() {
    let dir = Dir::new();
    // 31 characters, 62 GBK bytes.
    let long = "阿卜杜热依木·艾合买提江·买买提依明·阿不都克热木·吐尔逊托合";
    assert_eq!(gbk_len(long), 62);
    dir.write(
        "r.csv",
        &roster(&[
            line("HP0001", "张伟", 0, "中国农业银行"),
            line("HP0002", long, 1, "中国工商银行"),
        ]),
    );
    let run = dir.run(&payroll("r.csv", &["--out", "p"])).expect(1);
    assert_eq!(
        run.stdout(),
        format!(
            "r.csv!B3 (户主姓名): 错误[UPLOAD_TOO_LONG] HP0002 的户名 “{long}” 为 62 字节（GBK），中国工商银行的报盘最多 60 字节，银行会截断 — 在花名册中缩短户名（与银行开户名一致）；或向银行确认上限后，在该银行映射的 [upload] 中设 name_bytes\n有错误，未写入任何文件\n"
        )
    );
    assert!(!dir.join("p").exists(), "no output folder");
    let leftovers = std::fs::read_dir(dir.path())
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

    // The bank says it takes 64: a profile raises the limit.
    dir.write(
        "banks.toml",
        "[[bank_profiles]]\nbank = \"工商银行\"\n[bank_profiles.upload]\nname_bytes = 64\n"
            .as_bytes(),
    );
    dir.run(&payroll(
        "r.csv",
        &["--mapping", "banks.toml", "--out", "p", "-q"],
    ))
    .expect(0);
    // English, and a household number too long even alone.
    dir.write(
        "r2.csv",
        &roster(&[line("HP0000000000001", "张伟", 0, "工行")]),
    );
    let run = dir
        .run(&payroll("r2.csv", &["--out", "q", "--lang", "en"]))
        .expect(1);
    assert!(
        run.stdout().starts_with(
            "r2.csv!A2 (低保证号): error[UPLOAD_TOO_LONG] HP0000000000001's 备注 \"HP0000000000001\" (the household number alone) takes 15 bytes (GBK); the upload for 工行 takes at most 12"
        ),
        "{}",
        run.stdout()
    );
    assert!(!dir.join("q").exists());
}

/// An amount over the profile's max_amount, and a bad [upload] key.
#[test]
fn issue11_amount_limit_and_bad_upload_keys() {
    let dir = Dir::new();
    dir.write(
        "r.csv",
        &roster(&[line("HP0001", "张伟", 0, "中国农业银行")]),
    );
    dir.write(
        "m.toml",
        "bank = \"中国农业银行\"\n[upload]\nmax_amount = \"100\"\n".as_bytes(),
    );
    let run = dir
        .run(&payroll("r.csv", &["--mapping", "m.toml", "--out", "p"]))
        .expect(1);
    assert!(
        run.stdout()
            .starts_with("r.csv!2: 错误[UPLOAD_AMOUNT_TOO_LARGE] HP0001 的金额"),
        "{}",
        run.stdout()
    );
    assert!(!dir.join("p").exists());
    dir.write(
        "m.toml",
        "bank = \"中国农业银行\"\n[upload]\nformat = \"xlsx\"\nsummary = \"middle\"\n".as_bytes(),
    );
    let run = dir
        .run(&payroll("r.csv", &["--mapping", "m.toml", "--out", "p"]))
        .expect(2);
    assert_eq!(
        run.stderr(),
        "dibao: m.toml:4: upload summary \"middle\" is not first, last or none\n"
    );
}

/// The bank cut the 备注 it echoed: `HP0001 2026-` and `HP00012 20` still
/// match their households, whatever the account; `HP000` (a cut
/// household number) matches nobody.
#[test]
fn issue11_reference_cut_by_the_bank_matches_back() {
    let dir = Dir::new();
    dir.write(
        "r.csv",
        &roster(&[
            line("HP0001", "张伟", 0, "中国工商银行"),
            line("HP00012", "王芳", 1, "中国工商银行"),
            line("HP0002", "李娜", 2, "中国工商银行"),
        ]),
    );
    dir.run(&payroll("r.csv", &["--out", "p", "-q"])).expect(0);
    let amount = |hid: &str| csv_rows(&dir.join("p/payroll.csv"), hid)[0][13].clone();
    // HP0001 paid to HP00012's account, HP00012 to an account not on the
    // roster: only the 备注 can tell.
    let bank = format!(
        "账号,户名,金额,状态,备注\n\
         6228482036881690996,张伟,{},成功,HP0001 2026-\n\
         6222020012345678,王芳,{},成功,HP00012 20\n\
         6222020012345686,李娜,{},成功,HP000\n",
        amount("HP0001"),
        amount("HP00012"),
        amount("HP0002"),
    );
    dir.write("bank.csv", bank.as_bytes());
    dir.run(&[
        "reconcile",
        "--month",
        "2026-11",
        "--roster",
        "r.csv",
        "--payroll",
        "p",
        "--bank",
        "bank.csv",
        "--out",
        "rec",
        "-q",
    ])
    .expect(0);
    let ledger = dir.join("rec/ledger.csv");
    let row = |hid: &str| csv_rows(&ledger, hid).remove(0);
    let (hp1, hp12, hp2) = (row("HP0001"), row("HP00012"), row("HP0002"));
    assert_eq!((hp1[7].as_str(), hp1[12].as_str()), ("PAID", "bank.csv!2"));
    assert_eq!(
        (hp12[7].as_str(), hp12[12].as_str()),
        ("PAID", "bank.csv!3")
    );
    assert_eq!(hp2[7], "MISSING", "HP000 is not HP0002's number");
    assert_eq!(csv_rows(&ledger, "HP000").len(), 0);
    let mut r = csv::Reader::from_path(&ledger).unwrap();
    let extra: Vec<csv::StringRecord> = r
        .records()
        .map(|x| x.unwrap())
        .filter(|x| &x[12] == "bank.csv!4")
        .collect();
    assert_eq!(extra.len(), 1);
    assert_eq!(&extra[0][1], "", "the cut number matches no household");
    assert_eq!(&extra[0][7], "UNEXPECTED");
}
