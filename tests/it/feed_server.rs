//! A real HTTP server on 127.0.0.1 serving feed files with ETags (answering conditional GETs
//! with 304), a slow address and a huge one; and sample feeds shaped like real ones.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Files served by path, each with an ETag; counts the answers 304 gave.
#[derive(Clone, Default)]
pub struct Files {
    files: Arc<Mutex<HashMap<String, (String, String)>>>,
    not_modified: Arc<Mutex<usize>>,
}

pub struct FeedServer {
    url: String,
    files: Files,
}

impl FeedServer {
    pub async fn start() -> FeedServer {
        let files = Files::default();
        let app = axum::Router::new()
            .route("/slow.xml", axum::routing::get(slow))
            .route("/huge.xml", axum::routing::get(huge))
            .route("/{*path}", axum::routing::get(serve))
            .with_state(files.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        FeedServer { url, files }
    }

    pub fn put(&self, path: &str, content_type: &str, body: String) {
        self.files
            .files
            .lock()
            .unwrap()
            .insert(path.to_owned(), (content_type.to_owned(), body));
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.url)
    }

    pub fn not_modified(&self) -> usize {
        *self.files.not_modified.lock().unwrap()
    }
}

async fn serve(
    State(files): State<Files>,
    Path(path): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some((content_type, body)) = files.files.lock().unwrap().get(&path).cloned() else {
        return (StatusCode::NOT_FOUND, "Not Found").into_response();
    };
    let etag = format!(
        "\"{:x}\"",
        body.len() * 31 + body.bytes().map(usize::from).sum::<usize>()
    );
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        *files.not_modified.lock().unwrap() += 1;
        return StatusCode::NOT_MODIFIED.into_response();
    }
    (
        [(header::CONTENT_TYPE, content_type), (header::ETAG, etag)],
        body,
    )
        .into_response()
}

async fn slow() -> Response {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "late".into_response()
}

async fn huge() -> Response {
    let mut body = String::from("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>");
    body.push_str(&"<!-- padding -->".repeat(400_000));
    ([(header::CONTENT_TYPE, "application/rss+xml")], body).into_response()
}

/// An RSS 2.0 document shaped like WordPress writes them.
pub fn rss(items: &[(&str, &str, &str, &str)]) -> String {
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
  <title>Acme Coffee Journal</title>
  <atom:link href="https://acme.coffee/feed/" rel="self" type="application/rss+xml" />
  <link>https://acme.coffee</link>
  <description>Roasting notes &amp; news</description>
  <lastBuildDate>Sun, 01 Mar 2026 10:00:00 +0000</lastBuildDate>
  <language>en-US</language>
  <generator>https://wordpress.org/?v=6.7</generator>
"#,
    );
    for (guid, title, link, date) in items {
        out.push_str(&format!(
            r#"  <item>
    <title>{title}</title>
    <link>{link}</link>
    <dc:creator><![CDATA[Maya]]></dc:creator>
    <pubDate>{date}</pubDate>
    <category><![CDATA[Roasting]]></category>
    <guid isPermaLink="false">{guid}</guid>
    <description><![CDATA[<p>{title}: what we learned this week&#8230;</p>]]></description>
    <content:encoded><![CDATA[<p>Full text of {title}.</p>]]></content:encoded>
  </item>
"#
        ));
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

pub const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Acme Engineering</title>
  <subtitle>How the roastery runs</subtitle>
  <link href="https://eng.acme.coffee/atom.xml" rel="self"/>
  <link href="https://eng.acme.coffee/"/>
  <updated>2026-02-28T18:30:02Z</updated>
  <id>tag:eng.acme.coffee,2026:feed</id>
  <entry>
    <title>Our roaster's new firmware</title>
    <link rel="alternate" type="text/html" href="https://eng.acme.coffee/2026/02/firmware"/>
    <id>tag:eng.acme.coffee,2026-02-28:/firmware</id>
    <published>2026-02-28T18:30:02Z</published>
    <updated>2026-02-28T18:30:02Z</updated>
    <author><name>Sam</name></author>
    <summary type="html">&lt;p&gt;Shorter roasts, same taste.&lt;/p&gt;</summary>
  </entry>
  <entry>
    <title>Measuring bean moisture</title>
    <link rel="alternate" type="text/html" href="https://eng.acme.coffee/2026/01/moisture"/>
    <id>tag:eng.acme.coffee,2026-01-15:/moisture</id>
    <published>2026-01-15T09:00:00Z</published>
    <updated>2026-01-16T10:00:00Z</updated>
    <author><name>Sam</name></author>
    <summary>A cheap sensor and a spreadsheet.</summary>
  </entry>
</feed>
"#;
