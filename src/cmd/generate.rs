//! `dibao gen`: writes synthetic inputs into a staged output directory.

use crate::cmd::outdir::Staging;
use crate::error::Error;
use crate::synth::{GenOptions, GenReport, generate};

/// Generates into `opts.out` (replaced only with `force`).
///
/// # Errors
/// As [`Staging::new`] and [`generate`].
pub fn run(opts: &GenOptions, force: bool) -> Result<GenReport, Error> {
    let staging = Staging::new(&opts.out, force)?;
    let staged = GenOptions {
        households: opts.households,
        seed: opts.seed,
        anomalies: opts.anomalies,
        format: opts.format,
        month: opts.month,
        out: staging.path().to_path_buf(),
    };
    let mut report = generate(&staged)?;
    let target = staging.commit()?;
    for f in &mut report.files {
        if let Ok(rel) = f.strip_prefix(&staged.out) {
            *f = target.join(rel);
        }
    }
    Ok(report)
}
