//! Every connector of the install, built once with the install's HTTP client.

use std::sync::Arc;

use super::bluesky::Bluesky;
use super::connector::Connector;
use super::http::Http;
use super::linkedin::{self, LinkedIn};
use super::mastodon::Mastodon;
use super::meta::{self, Facebook, Instagram, Threads};
use super::x::{self, X};
use crate::domain::Clock;
use crate::domain::text::Network;

/// How many calls Herald makes to one network at once, across all of its channels: enough
/// to keep a burst moving, few enough that one workspace's burst does not trip the network's
/// abuse limits for everyone on the install.
fn concurrency(network: Network) -> usize {
    match network {
        Network::Mastodon | Network::Bluesky => 8,
        Network::X | Network::Linkedin => 4,
        Network::Facebook | Network::Instagram | Network::Threads => 4,
    }
}

#[derive(Clone)]
pub struct Registry {
    pub http: Http,
    permits: Arc<[(Network, Arc<tokio::sync::Semaphore>); 7]>,
    pub mastodon: Mastodon,
    pub bluesky: Bluesky,
    // One instance each per install: Meta's usage pause lives inside them.
    pub facebook: Facebook,
    pub instagram: Instagram,
    pub threads: Threads,
    /// X and LinkedIn refresh with the install's app, given with `set_app`.
    pub x: X,
    pub linkedin: LinkedIn,
}

impl Registry {
    /// `base`: every single-host network at one server (tests), else their own hosts.
    pub fn new(
        allow_private_hosts: bool,
        timeout: std::time::Duration,
        base: Option<&url::Url>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, reqwest::Error> {
        let http = Http::with_timeout(allow_private_hosts, timeout)?;
        let endpoints = base.map_or_else(meta::Endpoints::default, meta::Endpoints::on);
        let x_endpoints = base.map_or_else(x::Endpoints::default, x::Endpoints::on);
        let linkedin_endpoints =
            base.map_or_else(linkedin::Endpoints::default, linkedin::Endpoints::on);
        let permits = Arc::new(
            Network::ALL.map(|n| (n, Arc::new(tokio::sync::Semaphore::new(concurrency(n))))),
        );
        Ok(Registry {
            permits,
            mastodon: Mastodon::new(http.clone(), clock.clone()),
            bluesky: Bluesky::new(http.clone()),
            facebook: Facebook::new(http.clone(), clock.clone(), endpoints.clone()),
            instagram: Instagram::new(http.clone(), clock.clone(), endpoints.clone()),
            threads: Threads::new(http.clone(), clock.clone(), endpoints),
            x: X::new(http.clone(), clock.clone(), x_endpoints),
            linkedin: LinkedIn::new(http.clone(), clock, linkedin_endpoints),
            http,
        })
    }

    /// Waits for a turn to call `network` (see `concurrency`); the turn ends when the permit
    /// is dropped.
    /// The same registry with `limit` calls in flight per network (the
    /// `network_concurrency` setting), for installs that publish in large bursts.
    pub fn with_concurrency(mut self, limit: usize) -> Self {
        let limit = limit.clamp(1, 4096);
        self.permits =
            Arc::new(Network::ALL.map(|n| (n, Arc::new(tokio::sync::Semaphore::new(limit)))));
        self
    }

    pub async fn permit(&self, network: Network) -> Option<tokio::sync::OwnedSemaphorePermit> {
        let (_, semaphore) = self.permits.iter().find(|(n, _)| *n == network)?;
        semaphore.clone().acquire_owned().await.ok()
    }

    /// The connector for a network.
    pub fn get(&self, network: Network) -> &dyn Connector {
        match network {
            Network::Mastodon => &self.mastodon,
            Network::Bluesky => &self.bluesky,
            Network::Facebook => &self.facebook,
            Network::Instagram => &self.instagram,
            Network::Threads => &self.threads,
            Network::X => &self.x,
            Network::Linkedin => &self.linkedin,
        }
    }
}
