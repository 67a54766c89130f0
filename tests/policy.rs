//! `dibao policy show`: the policy in force, as TOML that reads back.

use crate::util::{Dir, assert_lines};

#[test]
fn the_built_in_default() {
    let dir = Dir::new();
    let run = dir.run(&["policy", "show"]).expect(0);
    assert_lines(
        &run.stdout(),
        r#"# 现行政策：内置默认（源社区标准）
[standard]
single = "280.00"
per_person = "260.00"

[subsidies]
"副食品补贴" = "35.00"
"生活补助费" = "15.00"

[addons]

[checkin]
window = [25, 28]
grace_days = 0
suspend_after_missed = 1

[payment]
default_bank = "中国农业银行"
rounding = "fen"
max_household_total = "16500.00"
"#,
    );
}

#[test]
fn a_partial_file_over_the_default_reads_back_the_same() {
    let dir = Dir::new();
    dir.write(
        "p.toml",
        "[standard]\nsingle = 300\n[addons]\n\"重残\" = { per_person = \"50.00\" }\n\"老年\" = { percent_of_base = \"12.5\" }\n[payment]\nrounding = \"yuan\"\n".as_bytes(),
    );
    let run = dir
        .run(&["--lang", "en", "policy", "show", "--policy", "p.toml"])
        .expect(0);
    let shown = run.stdout();
    assert!(
        shown.starts_with("# Policy in force: p.toml (keys it omits from the built-in default)\n"),
        "{shown}"
    );
    assert!(
        shown.contains("single = \"300.00\"\nper_person = \"260.00\"\n"),
        "{shown}"
    );
    assert!(shown.contains("[addons]\n\"重残\" = { per_person = \"50.00\" }\n\"老年\" = { percent_of_base = \"12.5\" }\n"), "{shown}");
    assert!(shown.contains("rounding = \"yuan\""), "{shown}");
    // The output is a complete policy file: shown again, it is the same.
    dir.write("again.toml", shown.as_bytes());
    let again = dir
        .run(&["--lang", "en", "policy", "show", "--policy", "again.toml"])
        .expect(0);
    assert_eq!(
        again.stdout().lines().skip(1).collect::<Vec<_>>(),
        shown.lines().skip(1).collect::<Vec<_>>()
    );
}

#[test]
fn a_bad_policy_names_its_line() {
    let dir = Dir::new();
    dir.write(
        "p.toml",
        "[standard]\nsingle = \"280.00\"\n\nper_person = 260.5\n".as_bytes(),
    );
    let run = dir.run(&["policy", "show", "--policy", "p.toml"]).expect(2);
    assert_eq!(run.stdout(), "");
    assert_eq!(
        run.stderr(),
        "dibao: p.toml:4: standard.per_person: write the amount 260.5 as a string, \"260.50\": a TOML number with a point is not exact\n"
    );
}
