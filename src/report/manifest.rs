//! `manifest.json`: what a run read and wrote, so that a file can be traced
//! and an edit noticed (SPEC §5.1): the tool version, the command line, the
//! policy in force, every input (path, sha256, rows read, rows rejected),
//! every output (path, sha256), counts and control totals.
//!
//! Invariant: nothing in it depends on the clock; keys keep a fixed order.

use std::io::Read;
use std::path::Path;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use crate::error::Error;

/// The sha256 of a file, lower-case hex.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read.
pub fn sha256(path: &Path) -> Result<String, Error> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

/// Reads a `manifest.json` back.
///
/// # Errors
/// [`Error::Io`] when it cannot be read; [`Error::Config`] (with the line)
/// when it is not JSON.
pub fn read(path: &Path) -> Result<Value, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    serde_json::from_str(&text).map_err(|e| Error::Config {
        file: path.display().to_string(),
        line: e.line(),
        message: format!("not a manifest: {e}"),
    })
}

/// The sha256 a manifest recorded for the first entry of `section`
/// (`inputs` or `outputs`) whose `key` is `value`.
pub fn recorded_sha<'a>(
    manifest: &'a Value,
    section: &str,
    key: &str,
    value: &str,
) -> Option<&'a str> {
    manifest[section]
        .as_array()?
        .iter()
        .find(|entry| entry[key] == value)?["sha256"]
        .as_str()
}

/// An input as the manifest records it.
pub struct Input {
    pub role: &'static str,
    pub path: String,
    pub sha256: String,
    pub rows_read: u64,
    pub rows_rejected: u64,
}

impl Input {
    /// A file read whole (a policy, a mapping, a ledger): its sha256, no
    /// row counts.
    ///
    /// # Errors
    /// [`Error::Io`] when it cannot be read.
    pub fn whole(role: &'static str, path: &Path) -> Result<Input, Error> {
        Ok(Input {
            role,
            path: path.display().to_string(),
            sha256: sha256(path)?,
            rows_read: 0,
            rows_rejected: 0,
        })
    }
}

/// What a manifest says; `outputs` are (file name, path on disk).
pub struct Manifest<'a> {
    pub command: &'a str,
    pub args: &'a [String],
    pub policy: Value,
    pub inputs: &'a [Input],
    pub outputs: &'a [(String, &'a Path)],
    pub counts: Value,
    pub control_totals: Value,
    /// Lists a reader of the manifest needs whole (owed, recover, …); `Null` for none.
    pub lists: Value,
}

impl Manifest<'_> {
    /// Hashes the outputs and writes the manifest to `path`.
    ///
    /// # Errors
    /// [`Error::Io`] when an output cannot be hashed or the manifest written.
    pub fn write(&self, path: &Path) -> Result<(), Error> {
        let mut out = Vec::new();
        for (name, file) in self.outputs {
            out.push(json!({ "path": name, "sha256": sha256(file)? }));
        }
        let inputs: Vec<Value> = self
            .inputs
            .iter()
            .map(|i| json!({ "role": i.role, "path": i.path, "sha256": i.sha256, "rows_read": i.rows_read, "rows_rejected": i.rows_rejected }))
            .collect();
        let mut m = Map::new();
        m.insert(
            "tool".into(),
            json!({ "name": "dibao", "version": env!("CARGO_PKG_VERSION") }),
        );
        m.insert("command".into(), json!(self.command));
        m.insert("args".into(), json!(self.args));
        m.insert("policy".into(), self.policy.clone());
        m.insert("inputs".into(), Value::Array(inputs));
        m.insert("outputs".into(), Value::Array(out));
        m.insert("counts".into(), self.counts.clone());
        m.insert("control_totals".into(), self.control_totals.clone());
        if !self.lists.is_null() {
            m.insert("lists".into(), self.lists.clone());
        }
        let text = serde_json::to_string_pretty(&Value::Object(m)).unwrap_or_default();
        std::fs::write(path, text + "\n").map_err(|e| Error::io(path, e))
    }
}
