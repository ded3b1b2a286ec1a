//! Every connector of the install, built once with the install's HTTP client.

use std::sync::Arc;

use super::bluesky::Bluesky;
use super::connector::Connector;
use super::http::Http;
use super::mastodon::Mastodon;
use crate::domain::Clock;
use crate::domain::text::Network;

#[derive(Clone)]
pub struct Registry {
    pub http: Http,
    pub mastodon: Mastodon,
    pub bluesky: Bluesky,
}

impl Registry {
    pub fn new(allow_private_hosts: bool, clock: Arc<dyn Clock>) -> Result<Self, reqwest::Error> {
        let http = Http::new(allow_private_hosts)?;
        Ok(Registry {
            mastodon: Mastodon::new(http.clone(), clock),
            bluesky: Bluesky::new(http.clone()),
            http,
        })
    }

    /// The connector for a network, when Herald has one.
    pub fn get(&self, network: Network) -> Option<&dyn Connector> {
        match network {
            Network::Mastodon => Some(&self.mastodon),
            Network::Bluesky => Some(&self.bluesky),
            _ => None,
        }
    }
}
