//! The SSRF guard: outbound requests to addresses users supply (a link to preview, a
//! Mastodon instance, a PDS) must not reach loopback, private, link-local or other internal
//! addresses, unless the install allows it (`--allow-private-hosts`, for tests and local
//! peers).
//!
//! Names are checked after resolution, by the resolver the HTTP client connects with, so a
//! name that resolves to an internal address (or re-resolves to one: DNS rebinding) is
//! refused at connect time. IP literals never reach a resolver, so `check_url` refuses them
//! before the request and on every redirect.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use url::{Host, Url};

#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refused {
    #[error("only http and https links can be fetched")]
    Scheme,
    #[error("the link has no host")]
    NoHost,
    #[error("{0} is an internal address; Herald does not fetch internal addresses")]
    Internal(String),
}

/// Whether an address is on the public internet. Refuses loopback, private (RFC 1918),
/// carrier-grade NAT, link-local (cloud metadata lives at 169.254.169.254), unique local,
/// multicast, broadcast, documentation and reserved ranges, and IPv6 forms that embed one of
/// those (IPv4-mapped, NAT64, 6to4).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (18..20).contains(&b))
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address inside.
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        return is_public_v4(Ipv4Addr::new(
            (s[6] >> 8) as u8,
            s[6] as u8,
            (s[7] >> 8) as u8,
            s[7] as u8,
        ));
    }
    if s[0] == 0x2002 {
        return is_public_v4(Ipv4Addr::new(
            (s[1] >> 8) as u8,
            s[1] as u8,
            (s[2] >> 8) as u8,
            s[2] as u8,
        ));
    }
    !(ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00
        || (s[0] & 0xffc0) == 0xfe80
        || (s[0] & 0xffc0) == 0xfec0
        || (s[0] == 0x2001 && s[1] == 0x0db8)
        || s[0] == 0x0100 && s[1..4] == [0, 0, 0])
}

/// Checks a URL before it is requested (and each redirect): http(s) only, and an IP literal
/// host must be public unless `allow_private`.
pub fn check_url(url: &Url, allow_private: bool) -> Result<(), Refused> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Refused::Scheme);
    }
    let ip = match url.host().ok_or(Refused::NoHost)? {
        Host::Ipv4(ip) => IpAddr::V4(ip),
        Host::Ipv6(ip) => IpAddr::V6(ip),
        Host::Domain(name) => {
            if !allow_private
                && (name.eq_ignore_ascii_case("localhost") || name.ends_with(".localhost"))
            {
                return Err(Refused::Internal(name.to_owned()));
            }
            return Ok(());
        }
    };
    if allow_private || is_public(ip) {
        Ok(())
    } else {
        Err(Refused::Internal(ip.to_string()))
    }
}

/// A resolver that drops internal addresses (and fails when none is left).
struct GuardedResolver {
    allow_private: bool,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = addrs
                .into_iter()
                .filter(|a| allow_private || is_public(a.ip()))
                .collect();
            if allowed.is_empty() {
                return Err(
                    Box::new(Refused::Internal(host)) as Box<dyn std::error::Error + Send + Sync>
                );
            }
            Ok(Box::new(allowed.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// An HTTP client for user-supplied addresses: guarded resolver, checked redirects (at most
/// five), a total timeout, and a User-Agent that names Herald and `purpose`; connections kept
/// for reuse only with `keep_alive`.
pub fn client(
    allow_private: bool,
    timeout: Duration,
    purpose: &str,
    keep_alive: bool,
) -> Result<reqwest::Client, reqwest::Error> {
    let policy = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() >= 5 {
            return attempt.error("too many redirects");
        }
        match check_url(attempt.url(), allow_private) {
            Ok(()) => attempt.follow(),
            Err(refused) => attempt.error(refused),
        }
    });
    reqwest::Client::builder()
        .dns_resolver(Arc::new(GuardedResolver { allow_private }))
        .redirect(policy)
        .timeout(timeout)
        .connect_timeout(timeout)
        .pool_max_idle_per_host(if keep_alive { 8 } else { 0 })
        .user_agent(format!("Herald/{} ({purpose})", env!("CARGO_PKG_VERSION")))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_refused() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fc00::1",
            "fd12::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "2002:a00:1::",
            "2001:db8::1",
            "192.0.0.8",
            "198.18.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in [
            "93.184.216.34",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn urls_are_checked_before_any_request() {
        let check = |u: &str, allow: bool| check_url(&Url::parse(u).unwrap(), allow);
        assert_eq!(check("https://acme.coffee/x", false), Ok(()));
        assert_eq!(check("ftp://acme.coffee/x", false), Err(Refused::Scheme));
        assert_eq!(check("file:///etc/passwd", false), Err(Refused::Scheme));
        assert!(check("http://127.0.0.1:8080/", false).is_err());
        assert!(check("http://[::1]/", false).is_err());
        assert!(check("http://localhost/", false).is_err());
        assert!(
            check("http://2130706433/", false).is_err(),
            "decimal form of 127.0.0.1"
        );
        assert!(
            check("http://0x7f.1/", false).is_err(),
            "hex form of 127.0.0.1"
        );
        assert_eq!(check("http://127.0.0.1:8080/", true), Ok(()));
    }
}
