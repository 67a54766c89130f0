//! A temporary working directory holding a copy of `fixtures/`, and a way
//! to run the binary in it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Dir {
    tmp: tempfile::TempDir,
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

impl Dir {
    /// A fresh directory with `fixtures/` copied in.
    pub fn new() -> Dir {
        let tmp = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
            &tmp.path().join("fixtures"),
        );
        Dir { tmp }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) -> PathBuf {
        let p = self.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p
    }

    /// Runs `dibao ARGS` in this directory.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_dibao"))
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap();
        Run(out)
    }
}

/// The outcome of one run.
pub struct Run(pub Output);

impl Run {
    pub fn stdout(&self) -> String {
        String::from_utf8(self.0.stdout.clone()).unwrap()
    }

    pub fn stderr(&self) -> String {
        String::from_utf8(self.0.stderr.clone()).unwrap()
    }

    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }

    /// Asserts the exit code, with the output in the message.
    pub fn expect(self, code: i32) -> Run {
        assert_eq!(
            self.code(),
            code,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
}

/// Compares line by line, so a failure shows the first differing line.
pub fn assert_lines(actual: &str, expected: &str) {
    let a: Vec<&str> = actual.lines().collect();
    let e: Vec<&str> = expected.lines().collect();
    for (i, (x, y)) in a.iter().zip(&e).enumerate() {
        assert_eq!(x, y, "line {} differs; whole output:\n{actual}", i + 1);
    }
    assert_eq!(
        a.len(),
        e.len(),
        "line count differs; whole output:\n{actual}"
    );
}

/// Every file of a directory, by name, with its bytes (sorted by name).
pub fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

/// The input of a `manifest.json` with this role.
pub fn manifest_input(manifest: &Path, role: &str) -> serde_json::Value {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(manifest).unwrap()).unwrap();
    manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["role"] == role)
        .unwrap_or_else(|| panic!("no {role} among the inputs of {}", manifest))
        .clone()
}

/// The rows of a CSV file (payroll.csv, ledger.csv) whose second column
/// (`household_id`) is `key`.
pub fn csv_rows(path: &Path, key: &str) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    r.records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect::<Vec<_>>())
        .filter(|f| f[1] == key)
        .collect()
}

/// `dibao reconcile` of the fixtures/reconcile community's November with
/// these bank and check-in files, then `rest`.
pub fn november<'a>(bank: &[&'a str], checkins: &[&'a str], rest: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "reconcile",
        "--month",
        "2026-11",
        "--roster",
        "fixtures/reconcile/roster.csv",
        "--policy",
        "fixtures/reconcile/policy.toml",
        "--bank",
    ];
    args.extend_from_slice(bank);
    if !checkins.is_empty() {
        args.push("--checkins");
        args.extend_from_slice(checkins);
    }
    args.extend_from_slice(rest);
    args
}
