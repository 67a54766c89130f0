//! `dibao gen`: deterministic synthetic data that the readers accept.

use crate::util::{Dir, files};

#[test]
fn same_options_same_bytes() {
    let dir = Dir::new();
    for format in ["csv", "xlsx"] {
        let a = format!("a-{format}");
        let b = format!("b-{format}");
        for out in [&a, &b] {
            dir.run(&[
                "gen",
                "--households",
                "150",
                "--seed",
                "9",
                "--anomalies",
                "0.2",
                "--format",
                format,
                "--out",
                out,
            ])
            .expect(0);
        }
        // The manifest records the command line, which names the folder.
        let data = |d: &str| {
            let mut f = files(&dir.join(d));
            f.retain(|(name, _)| name != "manifest.json");
            f
        };
        let (fa, fb) = (data(&a), data(&b));
        assert_eq!(fa.len(), 4);
        assert!(fa == fb, "{format} output differs between runs");
    }
    dir.run(&["gen", "--households", "150", "--seed", "10", "--out", "c"])
        .expect(0);
    assert!(
        files(&dir.join("c")) != files(&dir.join("a-csv")),
        "another seed, other data"
    );
}

#[test]
fn generated_files_pass_check_except_the_injected_unreadable_rows() {
    let dir = Dir::new();
    let run = dir
        .run(&[
            "gen",
            "--households",
            "300",
            "--seed",
            "4",
            "--anomalies",
            "0.2",
            "--out",
            "g",
        ])
        .expect(0);
    assert!(
        run.stdout().starts_with("已生成 300 户 "),
        "{}",
        run.stdout()
    );

    let roster = dir
        .run(&["check", "-q", "g/roster.csv", "g/checkins.csv"])
        .expect(0);
    assert!(!roster.stdout().contains("错误"), "{}", roster.stdout());

    // Exactly the UNREADABLE rows of the ground truth are errors in check.
    let truth = std::fs::read_to_string(dir.join("g/truth.csv")).unwrap();
    let mut expected: Vec<String> = truth
        .lines()
        .filter(|l| l.split(',').nth(2) == Some("UNREADABLE"))
        .map(|l| l.rsplit(',').next().unwrap().to_string())
        .collect();
    expected.sort();
    assert!(!expected.is_empty());
    let bank = dir.run(&["check", "-q", "g/bank.csv"]).expect(1);
    let mut rows: Vec<String> = bank
        .stdout()
        .lines()
        .map(|l| {
            let cell = l
                .split(' ')
                .next()
                .unwrap()
                .trim_start_matches("g/bank.csv!");
            cell.trim_start_matches(|c: char| c.is_ascii_uppercase())
                .to_string()
        })
        .collect();
    rows.sort();
    assert_eq!(rows, expected, "{}", bank.stdout());
}

#[test]
fn xlsx_output_reads_back_with_its_title_row() {
    let dir = Dir::new();
    dir.run(&[
        "gen",
        "--households",
        "120",
        "--format",
        "xlsx",
        "--out",
        "x",
    ])
    .expect(0);
    let loaded = dibao::model::load::roster(
        &dir.join("x/roster.xlsx"),
        "roster.xlsx",
        &Default::default(),
    )
    .unwrap();
    assert_eq!(loaded.summary.header_row, Some(2));
    assert_eq!(loaded.summary.data_rows, 120);
    assert_eq!(loaded.summary.errors, 0, "{:?}", loaded.issues);
    let rows = loaded.reader.unwrap().rows;
    assert_eq!(rows.len(), 120);
    assert!(
        rows.iter()
            .all(|r| matches!(r, dibao::model::roster::RosterRow::Valid(_)))
    );
}

#[test]
fn refuses_a_non_empty_directory_without_force() {
    let dir = Dir::new();
    dir.write("out/keep.txt", b"mine");
    let run = dir
        .run(&["gen", "--households", "5", "--out", "out"])
        .expect(2);
    assert_eq!(
        run.stderr(),
        "dibao: out is not empty; choose another --out or add --force to replace it\n"
    );
    assert_eq!(std::fs::read(dir.join("out/keep.txt")).unwrap(), b"mine");
    // --force replaces only what gen wrote: a folder of the user's stays.
    let run = dir
        .run(&["gen", "--households", "5", "--out", "out", "--force"])
        .expect(2);
    assert_eq!(
        run.stderr(),
        "dibao: out was not written by dibao (it has no manifest.json of dibao's); --force only \
         replaces dibao's own output folders: choose a new or empty --out\n"
    );
    assert_eq!(std::fs::read(dir.join("out/keep.txt")).unwrap(), b"mine");
    dir.run(&["gen", "--households", "5", "--out", "g"])
        .expect(0);
    dir.run(&["gen", "--households", "6", "--out", "g", "--force"])
        .expect(0);
    assert!(dir.join("g/roster.csv").exists());
    // Nothing is left behind beside the output.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".dibao-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_rate_outside_zero_to_one_is_a_usage_error() {
    let dir = Dir::new();
    let run = dir
        .run(&[
            "gen",
            "--households",
            "5",
            "--anomalies",
            "1.5",
            "--out",
            "o",
        ])
        .expect(2);
    assert_eq!(
        run.stderr(),
        "dibao: --anomalies 1.5 is not between 0 and 1\n"
    );
    assert!(!dir.join("o").exists());
}
