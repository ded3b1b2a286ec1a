//! Link previews (title, description, image) for the composer, fetched through the SSRF
//! guard with a time and size limit.

use std::sync::LazyLock;
use std::time::Duration;

use regex::Regex;
use serde::Serialize;
use url::Url;

use super::html_text::decode_entities;
use super::ssrf::{self, Refused};

/// Pages are read up to this many bytes; the head, where the tags are, comes first.
pub const MAX_BYTES: usize = 1024 * 1024;

/// A preview's image is refused past this size.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;

/// The image types a preview's image is passed on as (no SVG: it can carry scripts).
pub const IMAGE_TYPES: [&str; 5] = [
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "image/avif",
];

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct LinkPreview {
    /// The address after redirects.
    pub url: String,
    pub title: String,
    pub description: String,
    pub image_url: Option<String>,
    pub site_name: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PreviewError {
    #[error("{0} is not a web address")]
    BadUrl(String),
    #[error(transparent)]
    Refused(#[from] Refused),
    #[error("the site answered {0}")]
    Status(u16),
    #[error("the link leads to {0}, not a web page")]
    NotHtml(String),
    #[error("the link leads to {0}, not an image")]
    NotImage(String),
    #[error("the image is larger than {} MB", .0 / (1024 * 1024))]
    TooLarge(usize),
    #[error("the site did not answer within {0} seconds")]
    Timeout(u64),
    #[error("the site could not be reached: {0}")]
    Unreachable(String),
}

#[derive(Clone)]
pub struct Previewer {
    client: reqwest::Client,
    allow_private: bool,
    timeout: Duration,
}

impl Previewer {
    pub fn new(allow_private: bool, timeout: Duration) -> Result<Self, reqwest::Error> {
        Ok(Previewer {
            client: ssrf::client(allow_private, timeout, "link preview", true)?,
            allow_private,
            timeout,
        })
    }

    pub async fn fetch(&self, raw: &str) -> Result<LinkPreview, PreviewError> {
        let raw = raw.trim();
        let with_scheme = if raw.contains("://") {
            raw.to_owned()
        } else {
            format!("https://{raw}")
        };
        let url = Url::parse(&with_scheme).map_err(|_| PreviewError::BadUrl(raw.to_owned()))?;
        ssrf::check_url(&url, self.allow_private)?;
        let mut response = self
            .client
            .get(url)
            .header("accept", "text/html")
            .send()
            .await
            .map_err(|e| self.explain(e))?;
        if !response.status().is_success() {
            return Err(PreviewError::Status(response.status().as_u16()));
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        if !content_type.starts_with("text/html") && !content_type.starts_with("application/xhtml")
        {
            return Err(PreviewError::NotHtml(if content_type.is_empty() {
                "an unnamed type".into()
            } else {
                content_type
            }));
        }
        let final_url = response.url().clone();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.explain(e))? {
            body.extend_from_slice(&chunk);
            if body.len() >= MAX_BYTES {
                body.truncate(MAX_BYTES);
                break;
            }
        }
        Ok(parse(&String::from_utf8_lossy(&body), &final_url))
    }

    /// A preview's image, for Herald to pass on from its own origin: a raster image type
    /// only, at most `MAX_IMAGE_BYTES`, through the same guard and time limit as pages.
    /// Returns its type and bytes.
    pub async fn fetch_image(&self, raw: &str) -> Result<(String, Vec<u8>), PreviewError> {
        let url = Url::parse(raw.trim()).map_err(|_| PreviewError::BadUrl(raw.to_owned()))?;
        ssrf::check_url(&url, self.allow_private)?;
        let mut response = self
            .client
            .get(url)
            .header("accept", IMAGE_TYPES.join(", "))
            .send()
            .await
            .map_err(|e| self.explain(e))?;
        if !response.status().is_success() {
            return Err(PreviewError::Status(response.status().as_u16()));
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !IMAGE_TYPES.contains(&content_type.as_str()) {
            return Err(PreviewError::NotImage(if content_type.is_empty() {
                "an unnamed type".into()
            } else {
                content_type
            }));
        }
        if response
            .content_length()
            .is_some_and(|n| n > MAX_IMAGE_BYTES as u64)
        {
            return Err(PreviewError::TooLarge(MAX_IMAGE_BYTES));
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.explain(e))? {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_IMAGE_BYTES {
                return Err(PreviewError::TooLarge(MAX_IMAGE_BYTES));
            }
        }
        Ok((content_type, body))
    }

    fn explain(&self, err: reqwest::Error) -> PreviewError {
        if err.is_timeout() {
            return PreviewError::Timeout(self.timeout.as_secs().max(1));
        }
        // The guard's refusal travels inside reqwest's error chain.
        let mut source: Option<&dyn std::error::Error> = Some(&err);
        while let Some(e) = source {
            if let Some(refused) = e.downcast_ref::<Refused>() {
                return PreviewError::Refused(refused.clone());
            }
            source = e.source();
        }
        PreviewError::Unreachable(err.without_url().to_string())
    }
}

// Only the <title> and <meta> tags of a page are read, and pages are arbitrary: a tolerant
// scan of those two tag kinds is enough and avoids a full HTML parser in the binary.
static META: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<meta\s[^>]*>").expect("valid regex"));
static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)([a-z][a-z0-9:_-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#)
        .expect("valid regex")
});
static TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<title[^>]*>(.*?)</title>").expect("valid regex"));

/// Reads Open Graph, Twitter card and plain HTML tags, in that order of preference.
pub fn parse(html: &str, base: &Url) -> LinkPreview {
    let mut tags: Vec<(String, String)> = Vec::new();
    for tag in META.find_iter(html) {
        let mut key = None;
        let mut content = None;
        for attr in ATTR.captures_iter(tag.as_str()) {
            let name = attr[1].to_ascii_lowercase();
            let value = attr
                .get(2)
                .or(attr.get(3))
                .or(attr.get(4))
                .map(|m| m.as_str())
                .unwrap_or("");
            match name.as_str() {
                "property" | "name" => key = Some(value.to_ascii_lowercase()),
                "content" => content = Some(decode_entities(value)),
                _ => {}
            }
        }
        if let (Some(k), Some(c)) = (key, content) {
            tags.push((k, c));
        }
    }
    let first = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| {
                tags.iter()
                    .find(|(key, v)| key == k && !v.trim().is_empty())
                    .map(|(_, v)| clean(v))
            })
            .unwrap_or_default()
    };
    let title = match first(&["og:title", "twitter:title"]) {
        t if !t.is_empty() => t,
        _ => TITLE
            .captures(html)
            .map(|c| clean(&decode_entities(&c[1])))
            .unwrap_or_default(),
    };
    let image = first(&[
        "og:image:secure_url",
        "og:image",
        "og:image:url",
        "twitter:image",
        "twitter:image:src",
    ]);
    LinkPreview {
        url: base.to_string(),
        title: truncate(&title, 300),
        description: truncate(
            &first(&["og:description", "twitter:description", "description"]),
            1000,
        ),
        image_url: base
            .join(&image)
            .ok()
            .filter(|u| !image.is_empty() && matches!(u.scheme(), "http" | "https"))
            .map(|u| u.to_string()),
        site_name: truncate(&first(&["og:site_name", "application-name"]), 200),
    }
}

fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn truncate(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_graph_wins_then_plain_tags() {
        let base = Url::parse("https://acme.coffee/blog/huila").unwrap();
        let html = r#"<html><head><title>Plain  title</title>
            <meta property="og:title" content="Huila &amp; the farm">
            <meta content='Notes of panela &#8212; and apple' name='description'>
            <meta property=og:image content="/img/farm.jpg"><meta property="og:site_name" content="Acme"></head>"#;
        let p = parse(html, &base);
        assert_eq!(p.title, "Huila & the farm");
        assert_eq!(p.description, "Notes of panela — and apple");
        assert_eq!(
            p.image_url.as_deref(),
            Some("https://acme.coffee/img/farm.jpg")
        );
        assert_eq!(p.site_name, "Acme");
        let plain = parse("<title>\n Only a title </title>", &base);
        assert_eq!(
            (plain.title.as_str(), plain.image_url),
            ("Only a title", None)
        );
    }

    #[test]
    fn odd_pages_do_not_break_it() {
        let base = Url::parse("https://a.example/").unwrap();
        for html in [
            "",
            "<meta>",
            "<meta content=\"x\">",
            "<title>",
            "<meta property=\"og:image\" content=\"javascript:alert(1)\">",
            &"x".repeat(100_000),
        ] {
            let p = parse(html, &base);
            assert!(p.image_url.is_none());
        }
        assert_eq!(
            parse(&format!("<title>{}</title>", "é".repeat(400)), &base)
                .title
                .chars()
                .count(),
            301
        );
    }
}
