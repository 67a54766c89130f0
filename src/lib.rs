//! dibao: the monthly bank disbursement of minimum-living-guarantee (低保)
//! benefits, as a batch pipeline.
//!
//! Data flows one way: [`cli`] (arguments) → [`ingest`] (files into rows with
//! provenance) → [`model`] (typed households, bank lines, check-ins and their
//! validation) → the commands in [`cmd`]. [`synth`] makes synthetic inputs.
//! [`issue`] and [`error`] are shared by every layer.

pub mod cli;
pub mod cmd;
pub mod error;
pub mod ingest;
pub mod issue;
pub mod model;
pub mod payroll;
pub mod reconcile;
pub mod report;
pub mod sanitize;
#[path = "gen/mod.rs"]
pub mod synth;
