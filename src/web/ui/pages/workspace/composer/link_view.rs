//! What a variant panel shows about its links: the preview card of its first link, and its
//! tracked short links with their clicks.

use uuid::Uuid;

use crate::connectors::link_preview::LinkPreview;
use crate::domain::text::EntityKind;
use crate::services::posts::VariantDetail;
use crate::storage::links::LinkStats;

/// The links of a variant's parts, in order, as its network finds them.
pub fn variant_urls(d: &VariantDetail) -> Vec<String> {
    d.checks
        .iter()
        .flat_map(|c| &c.entities)
        .filter(|e| e.kind == EntityKind::Url)
        .map(|e| e.text.clone())
        .collect()
}

/// The link a network would show a card for: the first one.
pub fn first_link(d: &VariantDetail) -> Option<String> {
    variant_urls(d).into_iter().next()
}

/// The preview card of a variant's first link, or why there is none.
pub struct LinkCard {
    /// Where the card leads (the page after redirects).
    pub url: String,
    /// `acme.example`, shown above the title as networks do.
    pub domain: String,
    pub title: String,
    pub description: String,
    /// The page's image, through Herald's own origin (the CSP allows no other).
    pub image: Option<String>,
    /// Why there is no preview, in words.
    pub error: Option<String>,
}

impl LinkCard {
    pub fn of(p: &LinkPreview, image: Option<String>) -> Self {
        LinkCard {
            url: p.url.clone(),
            domain: domain(&p.url),
            title: if p.title.is_empty() {
                p.site_name.clone()
            } else {
                p.title.clone()
            },
            description: p.description.clone(),
            image,
            error: None,
        }
    }

    /// No card for `link`: `reason` says why ("the site answered 404").
    pub fn failed(link: &str, reason: &str) -> Self {
        LinkCard {
            url: String::new(),
            domain: domain(link),
            title: String::new(),
            description: String::new(),
            image: None,
            error: Some(format!("No preview: {reason}.")),
        }
    }
}

/// `https://www.acme.example/a` -> `acme.example`; text that is not a link stays as it is.
pub fn domain(link: &str) -> String {
    let with_scheme = if link.contains("://") {
        link.to_owned()
    } else {
        format!("https://{link}")
    };
    match url::Url::parse(&with_scheme)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
    {
        Some(host) => host.strip_prefix("www.").unwrap_or(&host).to_owned(),
        None => link.to_owned(),
    }
}

/// One tracked short link of a variant.
pub struct TrackedLink {
    pub short: String,
    /// Where it leads, with its UTM parameters.
    pub target: String,
    /// Visits by people.
    pub clicks: i64,
    /// Visits by known bots and link-preview fetchers, counted apart.
    pub bots: i64,
}

impl TrackedLink {
    pub fn of(s: &LinkStats, public_base: &str) -> Self {
        TrackedLink {
            short: format!("{public_base}/l/{}", s.link.code),
            target: s.link.target_url.clone(),
            clicks: s.clicks,
            bots: s.bot_visits,
        }
    }
}

/// The address of a preview image through Herald, signed for this session (`key`, its CSRF
/// token) so the route fetches only what a card of this session showed.
pub fn image_path(ws: Uuid, key: &str, url: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(url.as_bytes()).collect();
    format!(
        "/w/{ws}/link-preview/image?url={encoded}&sig={}",
        sign(key, url)
    )
}

/// HMAC-SHA256 of `url` under `key`, hex, 128 bits.
pub fn sign(key: &str, url: &str) -> String {
    hex::encode(&crate::crypto::hmac::sha256(key.as_bytes(), url.as_bytes())[..16])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_shown_short() {
        assert_eq!(domain("https://www.acme.example/beans?x=1"), "acme.example");
        assert_eq!(domain("acme.example/beans"), "acme.example");
        assert_eq!(domain("http://127.0.0.1:8080/page"), "127.0.0.1");
        assert_eq!(domain("not a link"), "not a link");
    }

    #[test]
    fn image_addresses_are_signed_per_session() {
        // RFC 4231, test case 2.
        assert_eq!(
            sign("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c7"
        );
        let a = image_path(Uuid::nil(), "one", "https://a.example/i.jpg?x=1&y=2");
        assert!(a.contains("url=https%3A%2F%2Fa.example%2Fi.jpg%3Fx%3D1%26y%3D2&sig="));
        assert_ne!(sign("one", "u"), sign("two", "u"));
        assert_ne!(sign("one", "u"), sign("one", "v"));
    }
}
