//! Output directories written all at once: files go into a temporary
//! directory beside the target, which is moved into place only when
//! everything was written.
//!
//! Invariants:
//! - a failed run leaves nothing half-written: the target is either the old
//!   complete folder or the new complete one;
//! - an existing non-empty folder is replaced only with `--force`, and only
//!   when dibao wrote it with the same command: its `manifest.json` is
//!   dibao's and names every file the folder holds. Anything else (a home
//!   folder, a folder of photos, a reconciliation given to `payroll`, a
//!   folder where the officer put a file of their own) is refused;
//! - replacing is two renames: the old folder moved aside
//!   (`.dibao-old-NAME-…`), the new one moved in, then the old one removed.
//!   When the second rename fails (a workbook held open, a read-only
//!   folder), the old folder is put back;
//! - what a killed run leaves beside the target (`.dibao-tmp-NAME-…`,
//!   `.dibao-old-NAME-…`) is cleaned up by the next run on the same output:
//!   a staging folder is removed, an old folder is put back when the target
//!   is missing (the run was killed between the two renames) and removed
//!   otherwise.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// The manifest that marks a folder as dibao's own.
const MANIFEST: &str = "manifest.json";

/// A directory being written.
pub struct Staging {
    temp: tempfile::TempDir,
    parent: PathBuf,
    target: PathBuf,
    force: bool,
    command: &'static str,
}

/// The file name of `target`, for naming its staging and old folders.
fn base_name(target: &Path) -> String {
    target
        .file_name()
        .map_or_else(|| "out".to_string(), |n| n.to_string_lossy().into_owned())
}

fn tmp_prefix(name: &str) -> String {
    format!(".dibao-tmp-{name}-")
}

fn old_prefix(name: &str) -> String {
    format!(".dibao-old-{name}-")
}

/// The folders beside a target that are its own leftovers: `prefix`
/// followed by exactly what this module puts after it (`tail`), so that
/// the leftovers of `2026-11-补` are never taken for those of `2026-11`.
/// In name order.
fn leftovers(parent: &Path, prefix: &str, tail: fn(&str) -> bool) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_prefix(prefix))
                .is_some_and(tail)
                && e.file_type().is_ok_and(|t| t.is_dir())
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// What tempfile puts after a staging folder's prefix: six random letters
/// and digits.
fn tmp_tail(rest: &str) -> bool {
    rest.len() == 6 && rest.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// What [`Staging::aside_name`] puts after an old folder's prefix:
/// `{pid}-{n}`.
fn old_tail(rest: &str) -> bool {
    rest.split_once('-').is_some_and(|(pid, n)| {
        !pid.is_empty()
            && !n.is_empty()
            && pid.bytes().all(|b| b.is_ascii_digit())
            && n.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Cleans up after a run on `target` that was killed: an old folder moved
/// aside is put back when the target is missing, removed otherwise;
/// staging folders are removed.
///
/// # Errors
/// [`Error::Io`] when an old folder cannot be put back.
pub fn recover(target: &Path) -> Result<(), Error> {
    let parent = parent_of(target);
    let name = base_name(target);
    for old in leftovers(&parent, &old_prefix(&name), old_tail) {
        if target.exists() {
            // The swap finished; only the removal of the old one did not.
            let _ = std::fs::remove_dir_all(&old);
        } else {
            std::fs::rename(&old, target).map_err(|e| Error::io(&old, e))?;
            eprintln!(
                "dibao: {} was put back from {} (an earlier run stopped while replacing it)",
                target.display(),
                old.display()
            );
        }
    }
    for tmp in leftovers(&parent, &tmp_prefix(&name), tmp_tail) {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    Ok(())
}

fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Why a non-empty folder may not be replaced by `command`'s output; `None`
/// when it is dibao's own output of that command and holds nothing else.
fn not_ours(dir: &Path, command: &str) -> Result<Option<String>, Error> {
    let manifest_path = dir.join(MANIFEST);
    let foreign = || {
        Some(format!(
            "{} was not written by dibao (it has no manifest.json of dibao's); --force only \
             replaces dibao's own output folders: choose a new or empty --out",
            dir.display()
        ))
    };
    let Ok(text) = std::fs::read_to_string(&manifest_path) else {
        return Ok(foreign());
    };
    let Ok(manifest) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Ok(foreign());
    };
    if manifest["tool"]["name"] != "dibao" {
        return Ok(foreign());
    }
    let written = manifest["command"].as_str().unwrap_or("");
    if written != command {
        return Ok(Some(format!(
            "{} holds the output of `dibao {written}`, not of `dibao {command}`; --force replaces \
             only a folder of the same command: choose another --out",
            dir.display()
        )));
    }
    let listed: BTreeSet<OsString> = manifest["outputs"]
        .as_array()
        .map(|outputs| {
            outputs
                .iter()
                .filter_map(|o| o["path"].as_str())
                .map(OsString::from)
                .collect()
        })
        .unwrap_or_default();
    let mut open = Vec::new();
    let mut extra = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let name = entry.file_name();
        let text = name.to_string_lossy().into_owned();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if text.starts_with("~$") {
            open.push(text);
        } else if !(is_file && (name == MANIFEST || listed.contains(&name))) {
            extra.push(text);
        }
    }
    if !open.is_empty() {
        open.sort();
        return Ok(Some(format!(
            "a workbook in {} is open ({}): close it, then run again",
            dir.display(),
            open.join(", ")
        )));
    }
    if !extra.is_empty() {
        extra.sort();
        let shown: Vec<&str> = extra.iter().take(5).map(String::as_str).collect();
        let more = if extra.len() > 5 {
            format!(" and {} more", extra.len() - 5)
        } else {
            String::new()
        };
        return Ok(Some(format!(
            "{} holds files dibao did not write there ({}{more}); --force would delete them: \
             move them out or choose another --out",
            dir.display(),
            shown.join(", ")
        )));
    }
    Ok(None)
}

impl Staging {
    /// Checks `target` may be written by `command` (`payroll`, `reconcile`,
    /// `gen`), cleans up after a killed run on it, and makes the temporary
    /// directory.
    ///
    /// # Errors
    /// [`Error::Usage`] when `target` is a file, holds the current
    /// directory, or is not empty and either `force` is off or it is not
    /// `command`'s own output; [`Error::Io`] when the parent cannot be written.
    pub fn new(target: &Path, force: bool, command: &'static str) -> Result<Staging, Error> {
        // Replacing the directory one stands in (or one above it) would
        // take everything in it.
        if let (Ok(t), Ok(cwd)) = (
            target.canonicalize(),
            std::env::current_dir().and_then(|d| d.canonicalize()),
        ) && cwd.starts_with(&t)
        {
            return Err(Error::Usage(format!(
                "{} is the current directory or holds it; choose an output directory of its own",
                target.display()
            )));
        }
        recover(target)?;
        check_replaceable(target, force, command)?;
        let parent = parent_of(target);
        std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
        let temp = tempfile::Builder::new()
            .prefix(&tmp_prefix(&base_name(target)))
            .tempdir_in(&parent)
            .map_err(|e| Error::io(&parent, e))?;
        Ok(Staging {
            temp,
            parent,
            target: target.to_path_buf(),
            force,
            command,
        })
    }

    /// Refuses an output directory that holds one of the inputs: `--force`
    /// would delete it.
    ///
    /// # Errors
    /// [`Error::Usage`] naming the input.
    pub fn guard_inputs(&self, inputs: &[&Path]) -> Result<(), Error> {
        let Ok(target) = self.target.canonicalize() else {
            return Ok(()); // it does not exist yet: it holds nothing
        };
        for input in inputs {
            if input.canonicalize().is_ok_and(|p| p.starts_with(&target)) {
                return Err(Error::Usage(format!(
                    "{} is inside the output directory {}, which would be replaced; write the output elsewhere",
                    input.display(),
                    self.target.display()
                )));
            }
        }
        Ok(())
    }

    /// Where to write the files.
    pub fn path(&self) -> &Path {
        self.temp.path()
    }

    /// The final directory.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Moves the written directory into place: the old one (when there is
    /// one) aside, the new one in, the old one removed. When the new one
    /// cannot be moved in, the old one is put back.
    ///
    /// # Errors
    /// [`Error::Usage`] when the target changed since [`Staging::new`] so
    /// that it may no longer be replaced; [`Error::Io`] when a rename fails
    /// (the old folder is then still in place).
    pub fn commit(self) -> Result<PathBuf, Error> {
        let target = self.target.clone();
        // Looked at again: the officer may have put a file in it meanwhile.
        check_replaceable(&target, self.force, self.command)?;
        let aside = if target.exists() {
            let aside = self.aside_name();
            std::fs::rename(&target, &aside).map_err(|e| replace_error(&target, e))?;
            Some(aside)
        } else {
            None
        };
        let temp = self.temp.keep();
        if let Err(e) = std::fs::rename(&temp, &target) {
            if let Some(aside) = &aside {
                // Put the old one back; if even that fails, recover() will
                // on the next run.
                let _ = std::fs::rename(aside, &target);
            }
            let _ = std::fs::remove_dir_all(&temp);
            return Err(replace_error(&target, e));
        }
        if let Some(aside) = aside {
            // A failure here leaves the old folder aside; the next run on
            // this output removes it.
            let _ = std::fs::remove_dir_all(&aside);
        }
        Ok(target)
    }

    /// A free name beside the target for its old folder.
    fn aside_name(&self) -> PathBuf {
        let prefix = old_prefix(&base_name(&self.target));
        let pid = std::process::id();
        let mut n = 0u32;
        loop {
            let candidate = self.parent.join(format!("{prefix}{pid}-{n}"));
            if !candidate.exists() {
                return candidate;
            }
            n += 1;
        }
    }
}

/// The refusals of [`Staging::new`] for an existing target.
fn check_replaceable(target: &Path, force: bool, command: &str) -> Result<(), Error> {
    if !target.exists() {
        return Ok(());
    }
    if !target.is_dir() {
        return Err(Error::Usage(format!(
            "{} exists and is not a directory",
            target.display()
        )));
    }
    let non_empty = std::fs::read_dir(target)
        .map_err(|e| Error::io(target, e))?
        .next()
        .is_some();
    if !non_empty {
        return Ok(());
    }
    if !force {
        return Err(Error::Usage(format!(
            "{} is not empty; choose another --out or add --force to replace it",
            target.display()
        )));
    }
    match not_ours(target, command)? {
        Some(why) => Err(Error::Usage(why)),
        None => Ok(()),
    }
}

/// A failed rename while replacing `target`, with what usually causes it.
fn replace_error(target: &Path, e: std::io::Error) -> Error {
    Error::Io {
        path: target.to_path_buf(),
        source: std::io::Error::new(
            e.kind(),
            format!(
                "{e}; the folder was left as it was (a file in it may be open in another \
                 program: close it and run again)"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(command: &str, outputs: &[&str]) -> String {
        let outputs: Vec<serde_json::Value> = outputs
            .iter()
            .map(|p| serde_json::json!({ "path": p, "sha256": "" }))
            .collect();
        serde_json::json!({
            "tool": { "name": "dibao" },
            "command": command,
            "outputs": outputs,
        })
        .to_string()
    }

    #[test]
    fn a_folder_without_our_manifest_is_never_replaced() {
        let tmp = tempfile::tempdir().expect("tmp");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&home).expect("mkdir");
        std::fs::write(home.join("letter.docx"), "x").expect("write");
        let err = Staging::new(&home, true, "payroll").err().expect("refused");
        assert!(
            err.to_string().contains("was not written by dibao"),
            "{err}"
        );
        assert!(home.join("letter.docx").exists());
    }

    #[test]
    fn our_folder_with_a_file_of_the_officers_is_refused() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("out");
        std::fs::create_dir_all(&out).expect("mkdir");
        std::fs::write(out.join(MANIFEST), manifest("payroll", &["payroll.csv"])).expect("w");
        std::fs::write(out.join("payroll.csv"), "x").expect("w");
        assert!(Staging::new(&out, true, "payroll").is_ok());
        let err = Staging::new(&out, true, "reconcile")
            .err()
            .expect("other command");
        assert!(err.to_string().contains("dibao payroll"), "{err}");
        std::fs::write(out.join("签字扫描.pdf"), "x").expect("w");
        let err = Staging::new(&out, true, "payroll")
            .err()
            .expect("extra file");
        assert!(err.to_string().contains("签字扫描.pdf"), "{err}");
    }

    #[test]
    fn a_killed_swap_is_put_back() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("out");
        let old = tmp.path().join(".dibao-old-out-1-0");
        let stale = tmp.path().join(".dibao-tmp-out-abc123");
        // Another output's leftovers are not this one's.
        let other = tmp.path().join(".dibao-old-out-补-1-0");
        std::fs::create_dir_all(&other).expect("mkdir");
        std::fs::create_dir_all(&old).expect("mkdir");
        std::fs::write(old.join(MANIFEST), "{}").expect("w");
        std::fs::create_dir_all(&stale).expect("mkdir");
        recover(&out).expect("recover");
        assert!(out.join(MANIFEST).exists());
        assert!(!old.exists() && !stale.exists());
        assert!(other.exists());
    }

    #[test]
    fn a_failed_move_in_puts_the_old_folder_back() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("out");
        std::fs::create_dir_all(&out).expect("mkdir");
        std::fs::write(out.join(MANIFEST), manifest("gen", &[])).expect("w");
        let staging = Staging::new(&out, true, "gen").expect("staging");
        // The staged folder vanishes: the move-in fails.
        std::fs::remove_dir_all(staging.path()).expect("rm");
        assert!(staging.commit().is_err());
        assert!(out.join(MANIFEST).exists(), "the old folder is back");
        assert!(leftovers(tmp.path(), ".dibao-", |_| true).is_empty());
    }
}
