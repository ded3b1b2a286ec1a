//! The only code that talks to other hosts: the SSRF guard every outbound request to a
//! user-supplied address goes through, link previews, and one connector per network behind
//! the `Connector` trait.

pub mod bluesky;
pub mod connector;
pub mod error;
pub mod feeds;
mod html_text;
pub mod http;
pub mod link_preview;
pub mod linkedin;
pub mod mastodon;
pub mod meta;
pub mod model;
pub mod pkce;
pub mod rate_limit;
pub mod registry;
pub mod ssrf;
pub mod transcript;
pub mod x;

pub use connector::{Connector, PublishError, Session};
pub use error::{ConnectorError, ConnectorResult};
