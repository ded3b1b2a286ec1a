//! Sharing someone else's content: the link to the original and a credit naming its author,
//! by their handle on each network where one is known (so the mention notifies them there),
//! else by name. The credit line is added to the text of every variant that follows the
//! post, so the counter and the preview include it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::domain::Validation;
use crate::domain::text::Network;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credit {
    /// The original content's address.
    #[serde(default)]
    pub url: String,
    /// The author's name, used where no handle is given.
    #[serde(default)]
    pub author: String,
    /// The author's handle per network, e.g. `{"x": "@ana", "mastodon": "@ana@social.coop"}`.
    #[serde(default)]
    pub handles: BTreeMap<Network, String>,
}

impl Credit {
    pub fn is_empty(&self) -> bool {
        self.url.is_empty() && self.author.is_empty() && self.handles.is_empty()
    }

    /// Trims, checks each field and names the one at fault (`credit.url`,
    /// `credit.handles.x`, ...).
    pub fn validated(mut self, v: &mut Validation) -> Credit {
        self.url = self.url.trim().to_owned();
        self.author = self.author.trim().to_owned();
        if self.is_empty() {
            return self;
        }
        let scheme_ok = self.url.starts_with("https://") || self.url.starts_with("http://");
        let host_ok = self
            .url
            .split_once("://")
            .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""))
            .is_some_and(|host| host.contains('.') && !host.contains(char::is_whitespace));
        if !scheme_ok || !host_ok || self.url.len() > 2_000 {
            v.add(
                "credit.url",
                "must be the original's address, starting with https://",
            );
        }
        if self.author.chars().count() > 100 || self.author.chars().any(char::is_control) {
            v.add("credit.author", "must be a name of at most 100 characters");
        }
        for (network, handle) in self.handles.iter_mut() {
            *handle = handle.trim().to_owned();
            let bare = handle.trim_start_matches('@');
            if !handle_ok(*network, bare) {
                v.add(
                    &format!("credit.handles.{}", network.as_str()),
                    handle_hint(*network),
                );
            }
            *handle = format!("@{bare}");
        }
        self.handles.retain(|_, h| h.len() > 1);
        self
    }

    /// The line added to a variant on `network`: "Via @handle: url", or the author's name.
    pub fn line(&self, network: Network) -> String {
        let who = self
            .handles
            .get(&network)
            .cloned()
            .or_else(|| (!self.author.is_empty()).then(|| self.author.clone()));
        match who {
            Some(who) => format!("Via {who}: {}", self.url),
            None => format!("Via {}", self.url),
        }
    }
}

/// The text a variant that follows the post carries on `network`.
pub fn text_with_credit(text: &str, credit: Option<&Credit>, network: Network) -> String {
    match credit.filter(|c| !c.url.is_empty()) {
        Some(c) if text.is_empty() => c.line(network),
        Some(c) => format!("{text}\n\n{}", c.line(network)),
        None => text.to_owned(),
    }
}

fn handle_ok(network: Network, bare: &str) -> bool {
    let word = |s: &str, max: usize, extra: &[char]| {
        !s.is_empty()
            && s.chars().count() <= max
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || extra.contains(&c))
    };
    match network {
        // X: letters, digits, underscore, up to 15.
        Network::X => word(bare, 15, &[]),
        // Instagram and Threads share usernames: letters, digits, `.` and `_`, up to 30.
        Network::Instagram | Network::Threads => word(bare, 30, &['.']),
        // Mastodon: user@instance, so the mention reaches the right server.
        Network::Mastodon => bare.split_once('@').is_some_and(|(user, host)| {
            word(user, 30, &[]) && host.contains('.') && word(host, 253, &['.', '-'])
        }),
        // Bluesky: a domain handle such as ana.bsky.social.
        Network::Bluesky => bare.contains('.') && word(bare, 253, &['.', '-']),
        // LinkedIn and Facebook mentions are not plain text: a name is what can be written.
        Network::Linkedin | Network::Facebook => {
            !bare.is_empty() && bare.chars().count() <= 100 && !bare.chars().any(char::is_control)
        }
    }
}

fn handle_hint(network: Network) -> &'static str {
    match network {
        Network::X => "must be an X handle: letters, digits or _, at most 15",
        Network::Instagram | Network::Threads => {
            "must be a username: letters, digits, . or _, at most 30"
        }
        Network::Mastodon => "must be a full Mastodon handle such as @ana@social.coop",
        Network::Bluesky => "must be a Bluesky handle such as @ana.bsky.social",
        Network::Linkedin | Network::Facebook => "must be a name of at most 100 characters",
    }
}
