//! Every connector of the install, built once with the install's HTTP client.

use std::sync::Arc;

use super::bluesky::Bluesky;
use super::connector::Connector;
use super::http::Http;
use super::mastodon::Mastodon;
use super::meta::{self, Facebook, Instagram, Threads};
use crate::domain::Clock;
use crate::domain::text::Network;

#[derive(Clone)]
pub struct Registry {
    pub http: Http,
    pub mastodon: Mastodon,
    pub bluesky: Bluesky,
    // One instance each per install: Meta's usage pause lives inside them.
    pub facebook: Facebook,
    pub instagram: Instagram,
    pub threads: Threads,
}

impl Registry {
    pub fn new(allow_private_hosts: bool, clock: Arc<dyn Clock>) -> Result<Self, reqwest::Error> {
        let http = Http::new(allow_private_hosts)?;
        let endpoints = meta::Endpoints::default();
        Ok(Registry {
            mastodon: Mastodon::new(http.clone(), clock.clone()),
            bluesky: Bluesky::new(http.clone()),
            facebook: Facebook::new(http.clone(), clock.clone(), endpoints.clone()),
            instagram: Instagram::new(http.clone(), clock.clone(), endpoints.clone()),
            threads: Threads::new(http.clone(), clock, endpoints),
            http,
        })
    }

    /// The connector for a network, when Herald has one.
    pub fn get(&self, network: Network) -> Option<&dyn Connector> {
        match network {
            Network::Mastodon => Some(&self.mastodon),
            Network::Bluesky => Some(&self.bluesky),
            Network::Facebook => Some(&self.facebook),
            Network::Instagram => Some(&self.instagram),
            Network::Threads => Some(&self.threads),
            _ => None,
        }
    }
}
