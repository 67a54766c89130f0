//! Integration tests: the real binary on the files in `fixtures/` and on
//! files the tests write in the shapes other tools produce.

mod util;

mod amounts;
mod banks;
mod check;
mod demo;
mod generate;
mod hostile;
mod payroll;
mod policy;
mod reconcile;
mod safety;
mod shapes;
mod upload;
mod workspace;
