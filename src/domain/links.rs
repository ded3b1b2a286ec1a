//! Tracked links: UTM parameters per variant, and which visitors are bots (their visits to a
//! short link are not counted as clicks).

use url::Url;

/// The UTM parameters Herald adds to a link in a post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Utm<'a> {
    /// The network, e.g. `mastodon`.
    pub source: &'a str,
    /// Always `social` for posts.
    pub medium: &'a str,
    /// The post's campaign, when it has one.
    pub campaign: Option<&'a str>,
}

/// Adds the UTM parameters to an http(s) link; parameters the author already set are kept.
/// `None` for anything that is not an http(s) URL.
pub fn with_utm(link: &str, utm: &Utm) -> Option<String> {
    let mut url = Url::parse(link).ok()?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return None;
    }
    let existing: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let has = |key: &str| existing.iter().any(|(k, _)| k == key);
    let mut wanted = vec![("utm_source", utm.source), ("utm_medium", utm.medium)];
    if let Some(campaign) = utm.campaign.filter(|c| !c.trim().is_empty()) {
        wanted.push(("utm_campaign", campaign));
    }
    {
        let mut pairs = url.query_pairs_mut();
        for (key, value) in wanted {
            if !has(key) {
                pairs.append_pair(key, value);
            }
        }
    }
    Some(url.to_string())
}

/// Link-preview fetchers and crawlers that open every link they see; counting them would
/// credit a post with clicks nobody made.
const BOT_MARKERS: &[&str] = &[
    "bot",
    "crawler",
    "spider",
    "crawl",
    "slurp",
    "facebookexternalhit",
    "facebookcatalog",
    "embedly",
    "preview",
    "fetcher",
    "whatsapp",
    "skypeuripreview",
    "bitlybot",
    "mastodon/",
    "pleroma",
    "akkoma",
    "misskey",
    "bluesky",
    "cardyb",
    "python-requests",
    "curl/",
    "wget/",
    "go-http-client",
    "okhttp",
    "headlesschrome",
    "lighthouse",
    "monitor",
    "uptime",
];

pub fn is_bot(user_agent: &str) -> bool {
    let ua = user_agent.to_ascii_lowercase();
    ua.trim().is_empty() || BOT_MARKERS.iter().any(|m| ua.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    const UTM: Utm = Utm {
        source: "mastodon",
        medium: "social",
        campaign: Some("Spring launch"),
    };

    #[test]
    fn utm_parameters_are_added_and_the_authors_kept() {
        assert_eq!(
            with_utm("https://acme.example/beans", &UTM).unwrap(),
            "https://acme.example/beans?utm_source=mastodon&utm_medium=social&utm_campaign=Spring+launch"
        );
        assert_eq!(
            with_utm(
                "https://acme.example/?ref=x&utm_source=newsletter#top",
                &UTM
            )
            .unwrap(),
            "https://acme.example/?ref=x&utm_source=newsletter&utm_medium=social&utm_campaign=Spring+launch#top"
        );
        let no_campaign = Utm {
            campaign: None,
            ..UTM
        };
        assert_eq!(
            with_utm("http://a.example", &no_campaign).unwrap(),
            "http://a.example/?utm_source=mastodon&utm_medium=social"
        );
        assert_eq!(with_utm("mailto:hi@acme.example", &UTM), None);
        assert_eq!(with_utm("not a url", &UTM), None);
        assert_eq!(with_utm("javascript:alert(1)", &UTM), None);
    }

    #[test]
    fn preview_fetchers_are_bots_and_browsers_are_not() {
        for ua in [
            "facebookexternalhit/1.1",
            "Twitterbot/1.0",
            "Mozilla/5.0 (compatible; Mastodon/4.3.0; +https://x)",
            "",
            "Slackbot-LinkExpanding 1.0",
        ] {
            assert!(is_bot(ua), "{ua}");
        }
        assert!(!is_bot(
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"
        ));
        assert!(!is_bot(
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
        ));
    }
}
