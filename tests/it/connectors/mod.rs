//! Connector tests: recorded real responses (`../shared/fixtures/`) replayed with wiremock
//! for the networks no local server stands in for, and the real local servers
//! (`scripts/peers/`) for Mastodon and Bluesky.

mod bluesky;
pub mod fixtures;
mod linkedin;
mod mastodon;
mod meta;
mod x;
