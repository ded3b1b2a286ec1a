//! Meta's three networks on one Graph API plumbing: Facebook Pages, Instagram professional
//! accounts (through Facebook Login or Instagram Login) and Threads.
//!
//! What they share lives here: the addresses (`Endpoints`, one per install, so tests point them
//! at a local server), the calls with their token and `appsecret_proof` (`graph`), the error
//! classification by Graph error code (`errors`), and the media containers Instagram and
//! Threads publish through (`containers`). Each network's own rules are in its folder.
//!
//! Meta connectors read their addresses from `Endpoints`, never from `Session::base_url`: the
//! Graph hosts are per install, not per channel. A channel's credentials carry the ids the
//! calls need in `extra` (`page_id`, `ig_user_id`, `user_id`, `login`).

mod containers;
pub mod errors;
mod facebook;
mod facebook_login;
pub mod graph;
mod instagram;
mod threads;
mod wire;

use std::time::Duration;

use url::Url;

use super::model::MediaFile;

pub use containers::Polling;
pub use facebook::Facebook;
pub use instagram::Instagram;
pub use threads::Threads;

/// The Graph API version every Facebook and Instagram call names. v24.0 (October 2025) is
/// the version Herald was written and tested against; Meta keeps a version for at least two
/// years after the next one ships (<https://developers.facebook.com/docs/graph-api/changelog/versions>),
/// so moving on is a deliberate change here, checked against the changelog.
pub const GRAPH_VERSION: &str = "v24.0";

/// The Threads API version (<https://developers.facebook.com/docs/threads/overview>).
pub const THREADS_VERSION: &str = "v1.0";

/// Where an install talks to Meta. Every field is a base to which API paths are appended.
#[derive(Clone, Debug)]
pub struct Endpoints {
    /// Graph API for Facebook pages and for Instagram through Facebook Login.
    pub graph: Url,
    /// Where Facebook takes video files (<https://developers.facebook.com/docs/video-api/guides/publishing>).
    pub graph_video: Url,
    /// Facebook Login's dialog.
    pub facebook_authorize: Url,
    /// Graph API for Instagram through Instagram Login (versioned like `graph`, so both paths
    /// speak the same API version).
    pub instagram_graph: Url,
    /// Instagram Login's authorization window.
    pub instagram_authorize: Url,
    /// Where Instagram Login trades a code for a token (on `api.instagram.com`, not the graph:
    /// <https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login>).
    pub instagram_token: Url,
    /// Threads API.
    pub threads_graph: Url,
    /// Threads' authorization window.
    pub threads_authorize: Url,
}

impl Default for Endpoints {
    fn default() -> Self {
        let url = |s: String| Url::parse(&s).unwrap_or_else(|_| unreachable!("a constant URL"));
        Endpoints {
            graph: url(format!("https://graph.facebook.com/{GRAPH_VERSION}")),
            graph_video: url(format!("https://graph-video.facebook.com/{GRAPH_VERSION}")),
            facebook_authorize: url(format!(
                "https://www.facebook.com/{GRAPH_VERSION}/dialog/oauth"
            )),
            instagram_graph: url(format!("https://graph.instagram.com/{GRAPH_VERSION}")),
            instagram_authorize: url("https://api.instagram.com/oauth/authorize".into()),
            instagram_token: url("https://api.instagram.com/oauth/access_token".into()),
            threads_graph: url(format!("https://graph.threads.net/{THREADS_VERSION}")),
            threads_authorize: url("https://threads.net/oauth/authorize".into()),
        }
    }
}

impl Endpoints {
    /// Every address on one server (tests: a wiremock server), keeping the real paths.
    pub fn on(server: &Url) -> Self {
        let at = |path: &str| super::connector::join(server, path);
        Endpoints {
            graph: at(&format!("/{GRAPH_VERSION}")),
            graph_video: at(&format!("/video/{GRAPH_VERSION}")),
            facebook_authorize: at(&format!("/{GRAPH_VERSION}/dialog/oauth")),
            instagram_graph: at(&format!("/instagram/{GRAPH_VERSION}")),
            instagram_authorize: at("/oauth/authorize"),
            instagram_token: at("/oauth/access_token"),
            threads_graph: at(&format!("/threads/{THREADS_VERSION}")),
            threads_authorize: at("/threads/oauth/authorize"),
        }
    }
}

/// How long one media upload (a Facebook video, a photo) may take.
pub(crate) const UPLOAD_TIMEOUT: Duration = Duration::from_secs(600);

/// A file's public address, or a refusal that says what is missing. Instagram and Threads
/// never take uploaded bytes: they fetch `image_url`/`video_url` themselves
/// (<https://developers.facebook.com/docs/instagram-platform/content-publishing/>), from the
/// install's signed address the services put in the file.
pub(crate) fn public_url(file: &MediaFile) -> super::error::ConnectorResult<String> {
    file.public_url
        .clone()
        .filter(|u| !u.is_empty())
        .ok_or_else(|| {
            super::error::ConnectorError::rejected(
                format!(
                    "{} has no public address for the network to fetch it from",
                    file.file_name
                ),
                Some("no_public_url".into()),
            )
        })
}

/// `s` as one URL path segment or query value.
pub(crate) fn encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
