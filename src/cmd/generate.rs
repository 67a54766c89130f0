//! `dibao gen`: writes synthetic inputs into a staged output directory,
//! with a `manifest.json` that marks the folder as dibao's own (so that
//! `gen --force` may replace it, and nothing else).

use serde_json::{Value, json};

use crate::cmd::outdir::Staging;
use crate::error::Error;
use crate::report::manifest::Manifest;
use crate::synth::{GenOptions, GenReport, generate};

/// Generates into `opts.out` (replaced only with `force`, and only when it
/// is an earlier `gen` output); `args` is the command line, recorded in the
/// manifest.
///
/// # Errors
/// As [`Staging::new`] and [`generate`].
pub fn run(opts: &GenOptions, force: bool, args: &[String]) -> Result<GenReport, Error> {
    let staging = Staging::new(&opts.out, force, "gen")?;
    let staged = GenOptions {
        households: opts.households,
        seed: opts.seed,
        anomalies: opts.anomalies,
        format: opts.format,
        month: opts.month,
        out: staging.path().to_path_buf(),
    };
    let mut report = generate(&staged)?;
    let outputs: Vec<(String, &std::path::Path)> = report
        .files
        .iter()
        .filter_map(|f| Some((f.file_name()?.to_string_lossy().into_owned(), f.as_path())))
        .collect();
    Manifest {
        command: "gen",
        args,
        policy: Value::Null,
        inputs: &[],
        outputs: &outputs,
        counts: json!({
            "households": report.households,
            "persons": report.persons,
            "bank_rows": report.bank_rows,
            "checkin_rows": report.checkin_rows,
            "anomalies": report.anomalies,
        }),
        control_totals: Value::Null,
        lists: Value::Null,
    }
    .write(&staged.out.join("manifest.json"))?;
    let target = staging.commit()?;
    for f in &mut report.files {
        if let Ok(rel) = f.strip_prefix(&staged.out) {
            *f = target.join(rel);
        }
    }
    Ok(report)
}
