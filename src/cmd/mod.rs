//! The commands, each a plain function over an options struct (no clap
//! here): `check` validates inputs, `gen` writes synthetic data.

pub mod check;
pub mod generate;
pub mod history;
pub mod inputs;
pub mod outdir;
pub mod payroll;
pub mod policy;
pub mod reconcile;
pub mod workspace;
