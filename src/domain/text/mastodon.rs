//! Mastodon text rules.

use super::{Check, CheckOptions, Network, unimplemented_network};

pub fn check(text: &str, options: &CheckOptions) -> Check {
    let _ = (text, options);
    unimplemented_network(Network::Mastodon)
}
