//! What each network's posts can carry, so the composer offers only what works there.

use crate::domain::text::Network;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Capabilities {
    /// Multi-part posts (a thread of replies to oneself).
    pub threads: bool,
    /// A comment posted right after the post (Instagram, Facebook, LinkedIn, X).
    pub first_comment: bool,
    /// Per-network options the composer shows.
    pub visibility: bool,
    pub content_warning: bool,
    pub language: bool,
    pub reply_settings: bool,
    pub instagram_format: bool,
    pub facebook_format: bool,
    pub reply_control: bool,
}

const NONE: Capabilities = Capabilities {
    threads: false,
    first_comment: false,
    visibility: false,
    content_warning: false,
    language: false,
    reply_settings: false,
    instagram_format: false,
    facebook_format: false,
    reply_control: false,
};

pub fn of(network: Network) -> Capabilities {
    match network {
        Network::X => Capabilities {
            threads: true,
            first_comment: true,
            reply_settings: true,
            ..NONE
        },
        Network::Mastodon => Capabilities {
            threads: true,
            visibility: true,
            content_warning: true,
            language: true,
            ..NONE
        },
        Network::Bluesky => Capabilities {
            threads: true,
            language: true,
            ..NONE
        },
        Network::Threads => Capabilities {
            threads: true,
            reply_control: true,
            ..NONE
        },
        Network::Linkedin => Capabilities {
            first_comment: true,
            visibility: true,
            ..NONE
        },
        Network::Instagram => Capabilities {
            first_comment: true,
            instagram_format: true,
            ..NONE
        },
        Network::Facebook => Capabilities {
            first_comment: true,
            facebook_format: true,
            ..NONE
        },
    }
}
