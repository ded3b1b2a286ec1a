//! How the UI names and draws each network: a label, a coloured badge (CSS class
//! `net-{slug}`, no inline styles under the CSP) and its text rules in words.

use crate::domain::text::{self, Network};
use crate::storage::channels::Channel;

/// The networks in the order the UI lists them.
pub const ORDER: [Network; 7] = [
    Network::Mastodon,
    Network::Bluesky,
    Network::X,
    Network::Threads,
    Network::Linkedin,
    Network::Instagram,
    Network::Facebook,
];

pub fn label(network: Network) -> &'static str {
    network.label()
}

/// The letter on the network's badge.
pub fn letter(network: Network) -> &'static str {
    match network {
        Network::X => "X",
        Network::Mastodon => "M",
        Network::Bluesky => "B",
        Network::Threads => "@",
        Network::Linkedin => "in",
        Network::Instagram => "IG",
        Network::Facebook => "f",
    }
}

/// The longest post on `channel`, as its network counts it.
pub fn limit(channel: &Channel) -> usize {
    match channel.max_characters {
        Some(n) => n.max(0) as usize,
        None => text::check(channel.network, "", &Default::default()).limit,
    }
}

/// The network's text rules, in words, for the channels page.
pub fn rules(channel: &Channel) -> String {
    match channel.network {
        Network::X => "280 characters, weighted as X counts them (most emoji and CJK count 2, \
                       every link 23)"
            .to_owned(),
        Network::Mastodon => format!(
            "{} characters (this instance's limit), every link counts {}, a remote mention \
             counts only its user name, the content warning counts too",
            group(channel.max_characters.map_or(500, |n| n.max(0) as usize)),
            channel.chars_per_url.unwrap_or(23)
        ),
        Network::Bluesky => {
            "300 characters (as people see them, emoji included) and 3,000 bytes".to_owned()
        }
        Network::Threads => {
            "500 characters, each emoji counting its UTF-8 bytes; at most 5 links".to_owned()
        }
        Network::Linkedin => "3,000 characters".to_owned(),
        Network::Instagram => {
            "2,200 characters, at most 30 hashtags and 20 mentions; an image or video is required"
                .to_owned()
        }
        Network::Facebook => "63,206 characters".to_owned(),
    }
}

/// `63206` -> `63,206`.
pub fn group(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A channel as the pages show it.
pub struct ChannelLook {
    pub id: uuid::Uuid,
    pub network: &'static str,
    pub network_label: &'static str,
    pub letter: &'static str,
    pub handle: String,
    pub display_name: String,
}

impl ChannelLook {
    pub fn of(c: &Channel) -> Self {
        ChannelLook {
            id: c.id,
            network: c.network.as_str(),
            network_label: label(c.network),
            letter: letter(c.network),
            handle: c.handle.clone(),
            display_name: c.display_name.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(group(0), "0");
        assert_eq!(group(300), "300");
        assert_eq!(group(3000), "3,000");
        assert_eq!(group(63206), "63,206");
        assert_eq!(group(1_234_567), "1,234,567");
    }
}
