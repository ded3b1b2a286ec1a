//! RSS and Atom feeds: fetched through the SSRF guard with a time and size limit and a
//! conditional GET (ETag, Last-Modified), parsed by feed-rs (RSS 0.9x, 1.0, 2.0, Atom and
//! JSON Feed).

use std::time::Duration;

use url::Url;

use super::html_text::to_text;
use super::ssrf::{self, Refused};

/// Larger feeds are refused (a 500-item feed with full content is about 2 MB).
pub const MAX_FEED_BYTES: usize = 5 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("{0} is not a web address")]
    BadUrl(String),
    #[error(transparent)]
    Refused(#[from] Refused),
    #[error("the feed's address answered {0}")]
    Status(u16),
    #[error("the feed is larger than {} MB", .0 / (1024 * 1024))]
    TooLarge(usize),
    #[error("the feed's server did not answer within {0} seconds")]
    Timeout(u64),
    #[error("the feed's server could not be reached: {0}")]
    Unreachable(String),
    #[error("the address serves a web page, not an RSS or Atom feed")]
    WebPage,
    #[error("this is not an RSS or Atom feed ({0})")]
    NotAFeed(String),
}

/// One entry of a feed, as Herald keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedItem {
    /// The item's own id (RSS `guid`, Atom `id`), when it has one.
    pub guid: Option<String>,
    pub link: Option<String>,
    pub title: String,
    /// Plain text of the summary (HTML removed).
    pub summary: String,
    pub published_ms: Option<i64>,
}

impl FeedItem {
    /// What recognises the item on a later poll: its id and its link, each alone, so an
    /// item whose id changed while its link stayed (a blog moved to a new engine) is not
    /// taken for a new one. An item with neither is known by its title.
    pub fn keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        if let Some(guid) = &self.guid {
            keys.push(format!("guid:{guid}"));
        }
        if let Some(link) = &self.link {
            keys.push(format!("link:{link}"));
        }
        if keys.is_empty() {
            keys.push(format!("title:{}", self.title));
        }
        keys
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedFeed {
    pub title: String,
    /// Newest first.
    pub items: Vec<FeedItem>,
}

#[derive(Clone, Debug)]
pub enum Fetched {
    /// 304: nothing new since the last poll.
    NotModified,
    Feed {
        feed: ParsedFeed,
        etag: Option<String>,
        last_modified: Option<String>,
    },
}

#[derive(Clone)]
pub struct FeedFetcher {
    client: reqwest::Client,
    allow_private: bool,
    timeout: Duration,
}

impl FeedFetcher {
    pub fn new(allow_private: bool, timeout: Duration) -> Result<Self, reqwest::Error> {
        Ok(FeedFetcher {
            client: ssrf::client(allow_private, timeout, "feed reader", true)?,
            allow_private,
            timeout,
        })
    }

    /// Checks an address people give before it is saved: http(s), and not internal.
    pub fn check(&self, raw: &str) -> Result<Url, FeedError> {
        let url = Url::parse(raw.trim()).map_err(|_| FeedError::BadUrl(raw.trim().to_owned()))?;
        ssrf::check_url(&url, self.allow_private)?;
        Ok(url)
    }

    pub async fn fetch(
        &self,
        raw: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<Fetched, FeedError> {
        let url = self.check(raw)?;
        let mut request = self.client.get(url).header(
            "accept",
            "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
        );
        if let Some(etag) = etag {
            request = request.header("if-none-match", etag);
        }
        if let Some(at) = last_modified {
            request = request.header("if-modified-since", at);
        }
        let mut response = request.send().await.map_err(|e| self.explain(e))?;
        if response.status() == reqwest::StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        if !response.status().is_success() {
            return Err(FeedError::Status(response.status().as_u16()));
        }
        let header = |name: reqwest::header::HeaderName| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE).unwrap_or_default();
        let etag = header(reqwest::header::ETAG);
        let last_modified = header(reqwest::header::LAST_MODIFIED);
        if response
            .content_length()
            .is_some_and(|n| n > MAX_FEED_BYTES as u64)
        {
            return Err(FeedError::TooLarge(MAX_FEED_BYTES));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.explain(e))? {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_FEED_BYTES {
                return Err(FeedError::TooLarge(MAX_FEED_BYTES));
            }
        }
        let feed = parse(&body, &content_type)?;
        Ok(Fetched::Feed {
            feed,
            etag,
            last_modified,
        })
    }

    fn explain(&self, err: reqwest::Error) -> FeedError {
        if err.is_timeout() {
            return FeedError::Timeout(self.timeout.as_secs().max(1));
        }
        // The guard's refusal travels inside reqwest's error chain.
        let mut source: Option<&dyn std::error::Error> = Some(&err);
        while let Some(e) = source {
            if let Some(refused) = e.downcast_ref::<Refused>() {
                return FeedError::Refused(refused.clone());
            }
            source = e.source();
        }
        FeedError::Unreachable(err.without_url().to_string())
    }
}

/// Parses a feed; a web page is named as such (the usual mistake: the blog's address
/// instead of its feed's).
pub fn parse(bytes: &[u8], content_type: &str) -> Result<ParsedFeed, FeedError> {
    // An empty id where the feed gives none, so Herald's own keys (link, title) decide
    // instead of feed-rs's generated ones.
    let parser = feed_rs::parser::Builder::new()
        .id_generator(|_, _, _| String::new())
        .build();
    let feed = match parser.parse(bytes) {
        Ok(feed) => feed,
        Err(e) => {
            let head =
                String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
            if content_type.starts_with("text/html") || head.contains("<html") {
                return Err(FeedError::WebPage);
            }
            return Err(FeedError::NotAFeed(e.to_string()));
        }
    };
    let mut items: Vec<FeedItem> = feed
        .entries
        .into_iter()
        .map(|e| {
            let link = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(e.links.first())
                .map(|l| l.href.trim().to_owned())
                .filter(|l| !l.is_empty());
            FeedItem {
                guid: Some(e.id.trim().to_owned()).filter(|id| !id.is_empty()),
                link,
                title: e
                    .title
                    .map(|t| to_text(&t.content).trim().to_owned())
                    .unwrap_or_default(),
                summary: e
                    .summary
                    .map(|t| to_text(&t.content).trim().to_owned())
                    .unwrap_or_default(),
                published_ms: e.published.or(e.updated).map(|t| t.timestamp_millis()),
            }
        })
        .collect();
    // Newest first; items without a date keep the feed's order (newest first by custom).
    items.sort_by_key(|i| std::cmp::Reverse(i.published_ms));
    Ok(ParsedFeed {
        title: feed
            .title
            .map(|t| to_text(&t.content).trim().to_owned())
            .unwrap_or_default(),
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Acme &amp; Co</title><link>https://acme.coffee</link>
<item><title>Older</title><link>https://acme.coffee/older</link><guid isPermaLink="false">a-1</guid>
<pubDate>Mon, 02 Mar 2026 09:00:00 +0100</pubDate></item>
<item><title>Newer &lt;b&gt;bold&lt;/b&gt;</title><link>https://acme.coffee/newer</link>
<description>&lt;p&gt;Fresh &amp;amp; hot&lt;/p&gt;</description>
<pubDate>Tue, 03 Mar 2026 09:00:00 +0100</pubDate></item>
<item><title>No link, no id</title></item>
</channel></rss>"#;

    #[test]
    fn rss_items_come_newest_first_with_their_keys() {
        let feed = parse(RSS.as_bytes(), "application/rss+xml").unwrap();
        assert_eq!(feed.title, "Acme & Co");
        let titles: Vec<_> = feed.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, ["Newer bold", "Older", "No link, no id"]);
        assert_eq!(feed.items[0].guid, None);
        assert_eq!(feed.items[0].keys(), ["link:https://acme.coffee/newer"]);
        assert_eq!(feed.items[0].summary, "Fresh & hot");
        assert_eq!(
            feed.items[1].keys(),
            ["guid:a-1", "link:https://acme.coffee/older"]
        );
        assert_eq!(feed.items[2].keys(), ["title:No link, no id"]);
    }

    #[test]
    fn pages_and_junk_are_named() {
        let page = "<!doctype html><html><head><title>Blog</title></head><body></body></html>";
        assert!(matches!(
            parse(page.as_bytes(), "text/html; charset=utf-8"),
            Err(FeedError::WebPage)
        ));
        assert!(matches!(
            parse(b"", "application/xml"),
            Err(FeedError::NotAFeed(_))
        ));
        assert!(matches!(
            parse(b"{\"a\": 1}", "application/json"),
            Err(FeedError::NotAFeed(_))
        ));
        assert!(matches!(
            parse("\u{feff}not xml at all".as_bytes(), ""),
            Err(FeedError::NotAFeed(_))
        ));
    }
}
