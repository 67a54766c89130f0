//! `dibao init` and `dibao run` over a workspace: three months of the
//! fixtures/reconcile community, with the carry-forward guarantees of
//! issue 5 (a failed payment re-issued once, a missed stamp held until the
//! household checks in again, a rerun that changes nothing).

use crate::util::{Dir, files};

/// A workspace in `ws/` with the fixture community's roster and policy and
/// November's bank results and check-ins.
fn workspace(dir: &Dir) {
    dir.run(&["init", "ws"]).expect(0);
    let config = std::fs::read_to_string(dir.join("ws/dibao.toml")).unwrap();
    let config = config
        .replace("roster = \"roster.xlsx\"", "roster = \"roster.csv\"")
        .replace("# policy = \"policy.toml\"", "policy = \"policy.toml\"");
    dir.write("ws/dibao.toml", config.as_bytes());
    for (from, to) in [
        ("roster.csv", "roster.csv"),
        ("policy.toml", "policy.toml"),
        ("bank_icbc.xlsx", "inputs/2026-11/bank/bank_icbc.xlsx"),
        ("bank_ccb.txt", "inputs/2026-11/bank/bank_ccb.txt"),
        ("checkins.csv", "inputs/2026-11/checkins/checkins.csv"),
    ] {
        let bytes = std::fs::read(dir.join(&format!("fixtures/reconcile/{from}"))).unwrap();
        dir.write(&format!("ws/{to}"), &bytes);
    }
}

/// The month's bank results: every DUE household of the month's payroll
/// paid its total, as the bank upload asked.
fn bank_paying_the_payroll(dir: &Dir, month: &str) {
    let payroll =
        std::fs::read_to_string(dir.join(&format!("ws/out/{month}/payroll/payroll.csv"))).unwrap();
    let mut r = csv::Reader::from_reader(payroll.as_bytes());
    let mut out = String::from("账号,户名,金额,处理结果,备注\n");
    for rec in r.records() {
        let rec = rec.unwrap();
        if &rec[14] == "DUE" {
            out.push_str(&format!(
                "{},{},{},成功,{} {month}\n",
                &rec[4], &rec[2], &rec[13], &rec[1]
            ));
        }
    }
    dir.write(&format!("ws/inputs/{month}/bank/bank.csv"), out.as_bytes());
}

fn payroll_line(dir: &Dir, month: &str, hid: &str) -> Vec<String> {
    let mut r =
        csv::Reader::from_path(dir.join(&format!("ws/out/{month}/payroll/payroll.csv"))).unwrap();
    r.records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect::<Vec<_>>())
        .find(|f| f[1] == hid)
        .unwrap()
}

#[test]
fn init_writes_a_commented_config_and_refuses_a_second_time() {
    let dir = Dir::new();
    let run = dir.run(&["init", "ws"]).expect(0);
    assert_eq!(
        run.stdout(),
        "已建立工作区：\n  ws/dibao.toml\n  ws/inputs\n  ws/out\n"
    );
    let config = std::fs::read_to_string(dir.join("ws/dibao.toml")).unwrap();
    assert!(config.contains("roster = \"roster.xlsx\""));
    assert!(config.contains("inputs/YYYY-MM/bank/"));
    let again = dir.run(&["init", "ws"]).expect(2);
    assert!(
        again.stderr().contains("already exists"),
        "{}",
        again.stderr()
    );
}

#[test]
fn issue_5_three_months_carry_forward_once_and_reruns_change_nothing() {
    let dir = Dir::new();
    workspace(&dir);
    // November: nothing to reconcile before it; the payroll is made.
    let run = dir
        .run(&[
            "run",
            "--workspace",
            "ws",
            "--month",
            "2026-11",
            "--lang",
            "en",
        ])
        .expect(0);
    assert!(
        run.stdout().starts_with("2026-10 reconciliation: no bank results under ws/inputs/2026-10/bank, skipped\n2026-11: 18 households"),
        "{}",
        run.stdout()
    );
    // December: November is reconciled against what was sent, then paid on.
    // The lock file Excel leaves beside an open workbook is not an input.
    dir.write("ws/inputs/2026-11/bank/~$bank_icbc.xlsx", b"\x0bowner");
    dir.run(&["run", "--workspace", "ws", "--month", "2026-12"])
        .expect(0);
    let ledger = std::fs::read_to_string(dir.join("ws/out/2026-11/reconcile/ledger.csv")).unwrap();
    assert!(ledger.contains(",XF0004,刘洋,"));
    assert!(
        ledger.contains(",930.00,,FAILED,,EARLY,REISSUE,"),
        "{ledger}"
    );
    // The failed payment is re-issued in December; XF0016 (missed October
    // and November) is held for its check-in.
    let xf0004 = payroll_line(&dir, "2026-12", "XF0004");
    assert_eq!((&*xf0004[13], &*xf0004[11]), ("1860.00", "2026-11"));
    let xf0016 = payroll_line(&dir, "2026-12", "XF0016");
    assert_eq!((&*xf0016[14], &*xf0016[15]), ("HELD", "CHECKIN"));

    // A second run of December writes nothing new and says so.
    let before = files(&dir.join("ws/out/2026-12/payroll"));
    let run = dir
        .run(&[
            "run",
            "--workspace",
            "ws",
            "--month",
            "2026-12",
            "--lang",
            "en",
        ])
        .expect(0);
    assert_eq!(
        run.stdout(),
        "2026-11 reconciliation: done already (ws/out/2026-11/reconcile), skipped; --force redoes it\n\
2026-12 payroll: done already (ws/out/2026-12/payroll), skipped; --force redoes it\n"
    );
    assert!(files(&dir.join("ws/out/2026-12/payroll")) == before);

    // December is paid as sent; XF0016 checks in during December.
    bank_paying_the_payroll(&dir, "2026-12");
    dir.write(
        "ws/inputs/2026-12/checkins/checkins.csv",
        "低保证号,签到日期\nXF0016,2026-12-26\n".as_bytes(),
    );
    dir.run(&["run", "--workspace", "ws", "--month", "2027-01"])
        .expect(0);
    let ledger = std::fs::read_to_string(dir.join("ws/out/2026-12/reconcile/ledger.csv")).unwrap();
    let line = ledger.lines().find(|l| l.contains(",XF0016,")).unwrap();
    assert!(
        line.contains(",HELD,CHECKIN_HOLD,ON_TIME,REVIEW,"),
        "{line}"
    );
    // January: the re-issue is not paid again; XF0016 is due again.
    let xf0004 = payroll_line(&dir, "2027-01", "XF0004");
    assert_eq!((&*xf0004[13], &*xf0004[11]), ("930.00", ""));
    let xf0016 = payroll_line(&dir, "2027-01", "XF0016");
    assert_eq!((&*xf0016[14], &*xf0016[13]), ("DUE", "330.00"));

    // dibao history shows those events month by month.
    let history = |hid: &str| {
        let run = dir
            .run(&[
                "history",
                "--workspace",
                "ws",
                "--household",
                hid,
                "--lang",
                "en",
            ])
            .expect(0);
        let header = "month\thousehold_id\tname\tpayroll\ttotal\treissue (for)\treconcile\tpaid\tcheckin\tactions\n";
        run.stdout().strip_prefix(header).unwrap().to_string()
    };
    assert_eq!(
        history("XF0004"),
        "2026-11\tXF0004\t刘洋\tDUE\t930.00\t\tFAILED\t\tEARLY\tREISSUE
2026-12\tXF0004\t刘洋\tDUE\t1860.00\t930.00 (2026-11)\tPAID\t1860.00\tMISSED\t
2027-01\tXF0004\t刘洋\tDUE\t930.00\t\t\t\t\t
"
    );
    assert_eq!(
        history("XF0016"),
        "2026-11\tXF0016\t郭涛\tDUE\t330.00\t\tPAID\t330.00\tMISSED\tSUSPEND
2026-12\tXF0016\t郭涛\tHELD CHECKIN\t\t\tHELD\t\tON_TIME\tREVIEW
2027-01\tXF0016\t郭涛\tDUE\t330.00\t\t\t\t\t
"
    );
}

#[test]
fn a_workspace_without_config_is_an_error() {
    let dir = Dir::new();
    let run = dir
        .run(&["run", "--workspace", "nowhere", "--month", "2026-12"])
        .expect(2);
    assert!(
        run.stderr().contains("nowhere/dibao.toml"),
        "{}",
        run.stderr()
    );
}
