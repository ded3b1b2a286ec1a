//! Herald: a self-hosted social media management platform.
//!
//! Layers (see `DESIGN.md`): `domain` is pure, `services` hold the use cases and every
//! permission check, `storage` is the only code with SQL, `web` is HTTP only.
#![forbid(unsafe_code)]

pub mod app;
pub mod blobs;
pub mod cli;
pub mod config;
pub mod connectors;
pub mod crypto;
pub mod domain;
pub mod imaging;
pub mod jobs;
pub mod mail;
pub mod ops;
pub mod services;
pub mod storage;
pub mod telemetry;
pub mod web;
