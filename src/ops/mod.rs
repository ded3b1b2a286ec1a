//! Operator commands: backup and doctor.

pub mod backup;
pub mod check;
pub mod doctor;
