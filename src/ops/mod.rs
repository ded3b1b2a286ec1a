//! Operator commands: backup and doctor.

pub mod backup;
pub mod doctor;
