//! LinkedIn, Instagram and Facebook text rules: plain character limits plus Instagram's
//! hashtag and mention caps.

use super::{Check, Network, unimplemented_network};

pub fn check(network: Network, text: &str) -> Check {
    let _ = text;
    unimplemented_network(network)
}
