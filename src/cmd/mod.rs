//! The commands, each a plain function over an options struct (no clap
//! here): `check` validates inputs, `gen` writes synthetic data, `payroll`
//! and `reconcile` do a month's two steps, `workspace` runs them over a
//! workspace, `history` reads it back, `demo` writes and runs the built-in one.

pub mod check;
pub mod demo;
pub mod generate;
pub mod history;
pub mod inputs;
pub mod layouts;
pub mod outdir;
pub mod payroll;
pub mod policy;
pub mod reconcile;
pub mod workspace;
