//! threads text rules.

use super::{Check, Network, unimplemented_network};

pub fn check(text: &str) -> Check {
    let _ = text;
    unimplemented_network(Network::Threads)
}
