//! Shared test harness: a `TestApp` on either database, and helpers to call it.

pub mod db;
#[path = "../../support/fake_mastodon.rs"]
pub mod fake_mastodon;
pub mod smtp_sink;
pub mod test_app;

pub use db::{Backend, backends};
pub use test_app::{Reply, TestApp};
