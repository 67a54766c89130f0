//! Money and files kept safe from the careless officer and the killed
//! process: `--force` on the wrong folder, a backup copy in the workspace,
//! files dropped beside the month's folders, a payroll made before last
//! month's results, one bank result in two formats, a run killed while it
//! replaces its output.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::util::{Dir, csv_rows, files};

/// The demo workspace `ws` with its inputs and nothing run yet: its `out/`
/// empty.
fn demo_inputs_only(dir: &Dir) {
    dir.run(&["demo", "ws", "--quiet"]).expect(0);
    std::fs::remove_dir_all(dir.join("ws/out")).unwrap();
    std::fs::create_dir(dir.join("ws/out")).unwrap();
}

/// The entries of `dir` whose names start with `.dibao-`.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".dibao-"))
        .collect()
}

fn payroll_args<'a>(month: &'a str, out: &'a str) -> Vec<&'a str> {
    vec![
        "payroll",
        "--month",
        month,
        "--roster",
        "fixtures/demo/roster.xlsx",
        "--out",
        out,
    ]
}

#[test]
fn issue10_case1_force_never_deletes_a_folder_dibao_did_not_write() {
    let dir = Dir::new();
    dir.write("home/文档/述职报告.docx", b"mine");
    dir.write("home/照片.jpg", b"photo");
    let mut args = payroll_args("2026-11", "home");
    args.push("--force");
    let run = dir.run(&args).expect(2);
    assert_eq!(
        run.stderr(),
        "dibao: home was not written by dibao (it has no manifest.json of dibao's); --force only \
         replaces dibao's own output folders: choose a new or empty --out\n"
    );
    assert_eq!(
        std::fs::read(dir.join("home/文档/述职报告.docx")).unwrap(),
        b"mine"
    );
    assert_eq!(std::fs::read(dir.join("home/照片.jpg")).unwrap(), b"photo");
    let run = dir
        .run(&["gen", "--households", "3", "--out", "home", "--force"])
        .expect(2);
    assert!(run.stderr().contains("was not written by dibao"));
    assert_eq!(std::fs::read(dir.join("home/照片.jpg")).unwrap(), b"photo");
    assert!(leftovers(dir.path()).is_empty());

    // dibao's own output takes --force; a reconciliation is not a payroll.
    dir.run(&payroll_args("2026-11", "p")).expect(0);
    let mut again = payroll_args("2026-11", "p");
    again.push("--force");
    dir.run(&again).expect(0);
    let run = dir
        .run(&[
            "reconcile",
            "--month",
            "2026-11",
            "--roster",
            "fixtures/demo/roster.xlsx",
            "--bank",
            "fixtures/demo/bank_2026-11.xlsx",
            "--out",
            "p",
            "--force",
        ])
        .expect(2);
    assert_eq!(
        run.stderr(),
        "dibao: p holds the output of `dibao payroll`, not of `dibao reconcile`; --force replaces \
         only a folder of the same command: choose another --out\n"
    );
    // A file the officer put into an output folder is never deleted.
    dir.write("p/签字盖章.pdf", b"signed");
    let run = dir.run(&again).expect(2);
    assert_eq!(
        run.stderr(),
        "dibao: p holds files dibao did not write there (签字盖章.pdf); --force would delete \
         them: move them out or choose another --out\n"
    );
    assert_eq!(
        std::fs::read(dir.join("p/签字盖章.pdf")).unwrap(),
        b"signed"
    );
    // Nor is a workbook Excel holds open.
    std::fs::remove_file(dir.join("p/签字盖章.pdf")).unwrap();
    dir.write("p/~$发放花名册_2026-11.xlsx", b"lock");
    let run = dir.run(&again).expect(2);
    assert_eq!(
        run.stderr(),
        "dibao: a workbook in p is open (~$发放花名册_2026-11.xlsx): close it, then run again\n"
    );
    assert!(leftovers(dir.path()).is_empty());
}

/// Copies a folder and everything in it.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn issue10_case6_backup_copy_does_not_cancel_a_reissue() {
    let dir = Dir::new();
    dir.run(&["demo", "ws", "--quiet"]).expect(0);
    // December's payroll is to be made again before it is sent: its bank
    // results, its reconciliation and January are not there yet.
    for gone in [
        "ws/out/2027-01",
        "ws/out/2026-12/reconcile",
        "ws/inputs/2026-12/bank",
    ] {
        std::fs::remove_dir_all(dir.join(gone)).unwrap();
    }
    // Backups as officers make them: a copy beside the payroll folder, and
    // the whole month copied by Windows Explorer.
    copy_tree(
        &dir.join("ws/out/2026-12/payroll"),
        &dir.join("ws/out/2026-12/payroll-备份"),
    );
    copy_tree(
        &dir.join("ws/out/2026-12"),
        &dir.join("ws/out/2026-12 - 副本"),
    );
    let run = dir
        .run(&["run", "--workspace", "ws", "--month", "2026-12", "--force"])
        .expect(0);
    let warning = "警告[PAYROLL_NOT_COUNTED] 这个 payroll.csv 不在本工作区的月份文件夹（out/年-月/payroll/）中，\
                   是副本或别处的文件：其中的补发不算已发放 — 备份请放在工作区的 out 文件夹之外\n";
    for copy in [
        "ws/out/2026-12 - 副本/payroll-备份/payroll.csv",
        "ws/out/2026-12 - 副本/payroll/payroll.csv",
        "ws/out/2026-12/payroll-备份/payroll.csv",
    ] {
        assert!(
            run.stdout().contains(&format!("{copy}: {warning}")),
            "{copy}: {}",
            run.stdout()
        );
    }
    assert!(!run.stdout().contains("REISSUE_ALREADY_PAID"));
    let dec = dir.join("ws/out/2026-12/payroll/payroll.csv");
    let hp0007 = &csv_rows(&dec, "HP0007")[0];
    // reissue, reissue_for, total
    assert_eq!(
        (&hp0007[10][..], &hp0007[11][..], &hp0007[13][..]),
        ("330.00", "2026-11", "660.00")
    );
}

#[test]
fn issue10_case6_force_does_not_redo_a_payroll_that_was_sent() {
    let dir = Dir::new();
    dir.run(&["demo", "ws", "--quiet"]).expect(0);
    let before = files(&dir.join("ws/out/2026-12/payroll"));
    let run = dir
        .run(&[
            "run",
            "--workspace",
            "ws",
            "--month",
            "2026-12",
            "--force",
            "--quiet",
        ])
        .expect(0);
    assert_eq!(
        run.stdout(),
        "2026-12 发放：已报送银行（已有 ws/inputs/2026-12/bank/bank_2026-12.txt），--force 也不重做：\
         银行按原来的报盘付款，以后各月也据此核对；与对账不符之处见下，缺少的补发、补差自动计入下月，多付的请追回\n"
    );
    assert_eq!(files(&dir.join("ws/out/2026-12/payroll")), before);
}

#[test]
fn issue10_case6_a_subfolder_of_bank_stops_the_run() {
    let dir = Dir::new();
    demo_inputs_only(&dir);
    std::fs::create_dir(dir.join("ws/inputs/2026-11/bank/工行")).unwrap();
    std::fs::rename(
        dir.join("ws/inputs/2026-11/bank/bank_2026-11.xlsx"),
        dir.join("ws/inputs/2026-11/bank/工行/bank_2026-11.xlsx"),
    )
    .unwrap();
    let run = dir
        .run(&["run", "--workspace", "ws", "--month", "2026-12"])
        .expect(1);
    assert_eq!(
        run.stdout(),
        "错误：ws/inputs/2026-11/bank/工行 是子文件夹或链接，不会被读取：把其中的文件直接放进它所在的文件夹\n\
         有错误，未写入任何文件\n"
    );
    assert!(files(&dir.join("ws/out")).is_empty(), "nothing written");
}

#[test]
fn issue10_case8_a_month_left_aside_by_a_killed_run_is_put_back_first() {
    let dir = Dir::new();
    dir.run(&["demo", "ws", "--quiet"]).expect(0);
    let nov = dir.join("ws/out/2026-11/payroll");
    let before = files(&nov);
    // Killed between the two renames while replacing November's payroll.
    std::fs::rename(&nov, dir.join("ws/out/2026-11/.dibao-old-payroll-4242-0")).unwrap();
    std::fs::create_dir(dir.join("ws/out/2026-11/.dibao-tmp-payroll-Ab12Cd")).unwrap();
    let run = dir
        .run(&["run", "--workspace", "ws", "--month", "2027-01", "--quiet"])
        .expect(0);
    assert_eq!(
        run.stderr(),
        "dibao: ws/out/2026-11/payroll was put back from ws/out/2026-11/.dibao-old-payroll-4242-0 \
         (an earlier run stopped while replacing it)\n"
    );
    assert_eq!(files(&nov), before);
    assert!(leftovers(&dir.join("ws/out/2026-11")).is_empty());
}

#[test]
fn issue10_case6_files_beside_the_bank_folder_stop_the_run() {
    let dir = Dir::new();
    demo_inputs_only(&dir);
    std::fs::rename(
        dir.join("ws/inputs/2026-11/bank/bank_2026-11.xlsx"),
        dir.join("ws/inputs/2026-11/bank_2026-11.xlsx"),
    )
    .unwrap();
    let run = dir
        .run(&["run", "--workspace", "ws", "--month", "2026-12"])
        .expect(1);
    assert_eq!(
        run.stdout(),
        "错误：ws/inputs/2026-11/bank_2026-11.xlsx 不在 bank、checkins 或 adjustments 文件夹中，\
         不会被读取：银行回盘请移入 ws/inputs/2026-11/bank，签到表移入 ws/inputs/2026-11/checkins，\
         补发/扣发文件移入 ws/inputs/2026-11/adjustments\n有错误，未写入任何文件\n"
    );
    assert!(files(&dir.join("ws/out")).is_empty(), "nothing written");
}

#[test]
fn issue10_case6_a_payroll_made_before_last_months_results_is_named_and_its_reissue_carried() {
    let dir = Dir::new();
    demo_inputs_only(&dir);
    let hold = dir.join("hold");
    std::fs::create_dir(&hold).unwrap();
    for (month, name) in [
        ("2026-11", "bank_2026-11.xlsx"),
        ("2026-12", "bank_2026-12.txt"),
    ] {
        let from = dir.join(&format!("ws/inputs/{month}/bank/{name}"));
        std::fs::rename(from, hold.join(name)).unwrap();
    }
    let run = |month: &str| {
        dir.run(&["run", "--workspace", "ws", "--month", month, "--quiet"])
            .expect(0)
    };
    assert_eq!(run("2026-11").stdout(), "");
    // December is made before November's results are in: the run says so.
    assert_eq!(
        run("2026-12").stdout(),
        "注意：2026-11 已发放，但还没有它的银行回盘：本次 2026-12 发放不含 2026-11 的补发和停发；\
         回盘放入 ws/inputs/2026-11/bank 后再运行本命令，会列出本月发放缺少的内容\n"
    );
    // The results arrive: November is reconciled, and December's payroll
    // (sent already) is named with what it lacks.
    std::fs::rename(
        hold.join("bank_2026-11.xlsx"),
        dir.join("ws/inputs/2026-11/bank/bank_2026-11.xlsx"),
    )
    .unwrap();
    assert_eq!(
        run("2026-12").stdout(),
        "注意：2026-12 的发放是在 2026-11 的对账之前（或对账重做之前）做成的，与对账不符：\
         HP0007 补发 2026-11 330.00；HP0009 应停发（未签到）却发放。尚未报送银行的，用 --force 重做；\
         已报送的，缺少的补发、补差会自动计入下月发放，停发和恢复发放的户请人工核对（未发的月份可用补发/扣发文件补上）\n"
    );
    let dec = dir.join("ws/out/2026-12/payroll/payroll.csv");
    assert_eq!(csv_rows(&dec, "HP0007")[0][11], "");
    // January pays the re-issue December lacked, read from November's
    // ledger two months back.
    run("2027-01");
    let jan = dir.join("ws/out/2027-01/payroll/payroll.csv");
    let hp0007 = &csv_rows(&jan, "HP0007")[0];
    assert_eq!(
        (&hp0007[10][..], &hp0007[11][..], &hp0007[13][..]),
        ("330.00", "2026-11", "660.00")
    );
    // And once paid, never again: February finds it carried by January.
    run("2027-02");
    let feb = dir.join("ws/out/2027-02/payroll/payroll.csv");
    assert_eq!(csv_rows(&feb, "HP0007")[0][11], "");
}

#[test]
fn issue10_case6_an_edited_workspace_payroll_stops_the_next_one() {
    let dir = Dir::new();
    dir.run(&["demo", "ws", "--quiet"]).expect(0);
    let dec = dir.join("ws/out/2026-12/payroll/payroll.csv");
    let text = std::fs::read_to_string(&dec).unwrap();
    std::fs::write(&dec, text.replace("REISSUE 2026-11 330.00", "")).unwrap();
    // December's reconciliation is done; January's payroll is made again.
    std::fs::remove_dir_all(dir.join("ws/out/2027-01")).unwrap();
    let run = dir
        .run(&["run", "--workspace", "ws", "--month", "2027-01"])
        .expect(2);
    assert!(
        run.stderr().contains(
            "this payroll was changed after dibao made it (its sha256 \
             "
        ) && run.stderr().contains("which re-issues it paid is unknown"),
        "{}",
        run.stderr()
    );
}

#[test]
fn issue10_case7_one_batch_in_two_formats_is_refused() {
    let dir = Dir::new();
    let run = dir
        .run(&[
            "reconcile",
            "--month",
            "2026-11",
            "--roster",
            "fixtures/demo/roster.xlsx",
            "--bank",
            "fixtures/demo/bank_2026-11.xlsx",
            "--bank",
            "fixtures/demo/bank_2026-11.txt",
            "--out",
            "r",
        ])
        .expect(2);
    assert_eq!(
        run.stderr(),
        "dibao: --bank fixtures/demo/bank_2026-11.xlsx 和 fixtures/demo/bank_2026-11.txt 是同一批付款\
         （35 笔的账号、金额、结果相同，备注或流水号也相同）：同一份回盘的两种格式或副本只能给一次。\
         如果银行确实付了两次，请银行提供带交易流水号的回盘\n"
    );
    assert!(!dir.join("r").exists());
    // In a workspace, the same.
    dir.run(&["demo", "ws", "--quiet"]).expect(0);
    std::fs::copy(
        dir.join("fixtures/demo/bank_2026-11.txt"),
        dir.join("ws/inputs/2026-11/bank/bank_2026-11.txt"),
    )
    .unwrap();
    let run = dir
        .run(&["run", "--workspace", "ws", "--month", "2026-12", "--force"])
        .expect(2);
    assert!(run.stderr().contains("是同一批付款"), "{}", run.stderr());
}

#[test]
fn issue10_case7_household_numbers_differing_in_case_are_one_household() {
    let dir = Dir::new();
    let roster = std::fs::read_to_string(dir.join("fixtures/reconcile/roster.csv")).unwrap();
    let first = roster
        .lines()
        .find(|l| l.contains("XF0001"))
        .unwrap()
        .replace("XF0001", "xf0001");
    dir.write("roster.csv", format!("{roster}{first}\n").as_bytes());
    let run = dir.run(&["check", "roster.csv"]).expect(1);
    assert!(
        run.stdout().contains("[DUPLICATE_HOUSEHOLD_ID]"),
        "{}",
        run.stdout()
    );
}

/// Runs the binary in `dir` and kills it (SIGKILL) after `after`.
fn run_killed(dir: &Path, args: &[&str], after: Duration) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dibao"))
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    let _ = child.kill();
    let _ = child.wait();
}

/// The files of an output folder without its manifest (which records the
/// command line).
fn outputs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut f = files(dir);
    f.retain(|(n, _)| n != "manifest.json");
    f
}

#[test]
fn issue10_case8_a_killed_payroll_leaves_the_old_or_the_new_output() {
    let dir = Dir::new();
    dir.run(&[
        "gen",
        "--households",
        "2000",
        "--month",
        "2026-11",
        "--out",
        "g",
    ])
    .expect(0);
    let args = |month: &'static str, out: &'static str| {
        vec![
            "payroll",
            "--month",
            month,
            "--roster",
            "g/roster.csv",
            "--out",
            out,
            "--force",
        ]
    };
    // The old output (November) and what the new one (December) must be.
    let started = Instant::now();
    dir.run(&args("2026-11", "out/p")).expect(0);
    let took = started.elapsed();
    dir.run(&args("2026-12", "out/new")).expect(0);
    let old = outputs(&dir.join("out/p"));
    let new = outputs(&dir.join("out/new"));
    assert_ne!(old, new);
    let (mut saw_old, mut saw_new) = (false, false);
    // The last kill comes long after the run has ended: the new output.
    for tenth in [1u32, 4, 7, 9, 10, 12, 40] {
        run_killed(dir.path(), &args("2026-12", "out/p"), took * tenth / 10);
        let p = dir.join("out/p");
        if p.exists() {
            let now = outputs(&p);
            assert!(now == old || now == new, "a mix after a kill at {tenth}/10");
            saw_old |= now == old;
            saw_new |= now == new;
        } else {
            // Killed between the two renames: the old folder is aside,
            // whole, and the next run puts it back.
            let aside: Vec<String> = leftovers(&dir.join("out"))
                .into_iter()
                .filter(|n| n.starts_with(".dibao-old-p-"))
                .collect();
            assert_eq!(aside.len(), 1, "{aside:?}");
        }
        // The next run on the same output cleans up and finishes.
        dir.run(&args("2026-11", "out/p")).expect(0);
        assert_eq!(outputs(&dir.join("out/p")), old);
        assert!(leftovers(&dir.join("out")).is_empty());
    }
    assert!(saw_old, "no kill landed before the swap");
    assert!(saw_new, "no run finished");
}

#[test]
fn issue10_case6_a_sent_payroll_paying_a_reissue_no_longer_owed_is_named() {
    let dir = Dir::new();
    dir.run(&["demo", "ws", "--quiet"]).expect(0);
    // December (sent) re-issued HP0007's failed November payment. Then a
    // later result file of November's shows the bank retried and paid it:
    // the reconciliation, redone, owes nothing, so December paid too much.
    dir.write(
        "ws/inputs/2026-11/bank/z_重发.csv",
        "账号,户名,金额,处理结果,备注\n6228480388126574911,赵淑芬,330.00,成功,HP0007 2026-11\n"
            .as_bytes(),
    );
    let run = dir
        .run(&[
            "run",
            "--workspace",
            "ws",
            "--month",
            "2026-12",
            "--force",
            "--quiet",
        ])
        .expect(0);
    assert!(
        run.stdout()
            .contains("HP0007 补发 2026-11 而对账不再欠发（多付，应追回）"),
        "{}",
        run.stdout()
    );
}
