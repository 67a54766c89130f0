//! `dibao gen`: deterministic synthetic data that the readers accept.
