//! Typed records built from ingested rows, and their validation.
//!
//! Every record keeps the [`crate::issue::SourceRef`] of the row it came from.
//! Validation never stops at the first problem: each bad cell becomes an
//! [`crate::issue::Issue`] and the row is still accounted for.

pub mod account;
pub mod adjustment;
pub mod amount;
pub mod bank;
pub mod checkin;
pub mod date;
pub mod idcard;
pub mod load;
pub mod money;
pub mod policy;
pub mod roster;
pub mod totals;
pub mod value;
