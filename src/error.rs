//! Fatal errors: the ones that stop a command before or instead of a report.
//!
//! Data problems in input rows are never `Error`s; they are collected as
//! [`crate::issue::Issue`] values. An `Error` is a usage, configuration or I/O
//! failure, and maps to exit code 2.

use std::path::PathBuf;

/// Everything that ends a command with exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A `--sheet` named a sheet the workbook does not have.
    #[error("{file}: no sheet named {sheet:?}; the workbook has: {}", available.join(", "))]
    SheetNotFound {
        file: String,
        sheet: String,
        available: Vec<String>,
    },
    /// A mapping, policy or workspace configuration file is wrong.
    #[error("{file}:{line}: {message}")]
    Config {
        file: String,
        line: usize,
        message: String,
    },
    /// A command-line value that clap's syntax check cannot catch.
    #[error("{0}")]
    Usage(String),
    /// Writing a CSV file failed.
    #[error("{}: {source}", path.display())]
    Csv {
        path: PathBuf,
        #[source]
        source: csv::Error,
    },
    /// A reconciliation that does not balance: rows in ≠ rows accounted
    /// for, or Σ paid ≠ Σ successful bank rows. A bug, never written out.
    #[error("the reconciliation does not balance, nothing was written: {0}")]
    Conservation(String),
    /// A table operation failed (a bug: the tables are built from validated rows).
    #[error("table operation failed: {0}")]
    Table(String),
    /// Writing a workbook failed.
    #[error("{}: {source}", path.display())]
    Xlsx {
        path: PathBuf,
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
