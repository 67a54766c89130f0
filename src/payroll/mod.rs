//! The month's payroll rules: who is due, who is held, and how much each
//! due household gets (SPEC §2.1, §3).

pub mod entitlement;
