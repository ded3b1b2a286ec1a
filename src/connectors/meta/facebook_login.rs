//! Facebook Login, shared by Facebook pages and Instagram accounts linked to pages: the
//! dialog, the code exchange, the long-lived user token, and the pages the person runs with
//! each page's own token (<https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow>,
//! <https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived>).

use serde::Deserialize;
use url::Url;

use super::graph::Graph;
use super::instagram::api::IgUser;
use super::wire::{Paged, Token};
use super::{Endpoints, encode};
use crate::connectors::error::ConnectorResult;
use crate::connectors::http::Kind;
use crate::connectors::model::{Account, Credentials, OAuthApp};

/// One grant covers pages and their Instagram accounts, so a person logs in once for both.
pub const SCOPES: [&str; 11] = [
    "pages_show_list",
    "pages_read_engagement",
    "pages_manage_posts",
    "pages_read_user_content",
    "pages_manage_engagement",
    "read_insights",
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_comments",
    "instagram_manage_insights",
    "business_management",
];

/// How many pages of `/me/accounts` Herald reads (100 pages each): more than anyone runs.
const MAX_LISTS: usize = 10;

pub fn authorize_url(
    endpoints: &Endpoints,
    app: &OAuthApp,
    redirect_uri: &str,
    state: &str,
) -> Url {
    let mut url = endpoints.facebook_authorize.clone();
    url.query_pairs_mut()
        .append_pair("client_id", &app.client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("state", state)
        .append_pair("response_type", "code")
        .append_pair("scope", &SCOPES.join(","));
    url
}

/// Trades the dialog's code for a (short-lived) user token. The code works once, so a lost
/// answer is `OutcomeUnknown`.
pub async fn exchange_code(
    graph: &Graph,
    endpoints: &Endpoints,
    app: &OAuthApp,
    redirect_uri: &str,
    code: &str,
) -> ConnectorResult<Credentials> {
    let request = graph
        .http()
        .client()
        .get(crate::connectors::connector::join(
            &endpoints.graph,
            "/oauth/access_token",
        ))
        .query(&[
            ("client_id", app.client_id.as_str()),
            ("redirect_uri", redirect_uri),
            ("client_secret", app.client_secret.as_str()),
            ("code", code),
        ]);
    let token: Token = graph.call(request, Kind::Write).await?;
    Ok(token.credentials(graph.now_ms()))
}

/// A long-lived (60-day) user token for a short-lived one. Page tokens read with it do not
/// expire, which is why Herald asks for it before listing pages.
pub async fn long_lived(
    graph: &Graph,
    endpoints: &Endpoints,
    app: &OAuthApp,
    user: &Credentials,
) -> ConnectorResult<Credentials> {
    let request = graph
        .http()
        .client()
        .get(crate::connectors::connector::join(
            &endpoints.graph,
            "/oauth/access_token",
        ))
        .query(&[
            ("grant_type", "fb_exchange_token"),
            ("client_id", app.client_id.as_str()),
            ("client_secret", app.client_secret.as_str()),
            ("fb_exchange_token", user.access_token.as_str()),
        ]);
    let token: Token = graph.call(request, Kind::Read).await?;
    Ok(token.credentials(graph.now_ms()))
}

/// A page as `/me/accounts` and `/{page-id}` describe it.
#[derive(Debug, Deserialize)]
pub struct Page {
    pub id: String,
    pub name: Option<String>,
    pub username: Option<String>,
    pub link: Option<String>,
    pub picture: Option<Picture>,
    pub followers_count: Option<i64>,
    pub fan_count: Option<i64>,
    pub access_token: Option<String>,
    pub tasks: Option<Vec<String>>,
    pub instagram_business_account: Option<IgUser>,
}

/// `picture{url}`: `{"data": {"url": ...}}`.
#[derive(Debug, Deserialize)]
pub struct Picture {
    pub data: Option<PictureData>,
}

#[derive(Debug, Deserialize)]
pub struct PictureData {
    pub url: Option<String>,
}

impl Page {
    pub fn account(&self) -> Account {
        let name = self.name.clone().unwrap_or_default();
        Account {
            remote_id: self.id.clone(),
            handle: match &self.username {
                Some(u) => format!("@{u}"),
                None => name.clone(),
            },
            display_name: if name.is_empty() {
                self.id.clone()
            } else {
                name
            },
            avatar_url: self
                .picture
                .as_ref()
                .and_then(|p| p.data.as_ref())
                .and_then(|d| d.url.clone()),
            profile_url: self.link.clone().or_else(|| {
                Some(format!(
                    "https://www.facebook.com/{}",
                    self.username.as_deref().unwrap_or(&self.id)
                ))
            }),
            // Pages in the new experience count followers; classic ones only fans (likes).
            followers: self.followers_count.or(self.fan_count),
            following: None,
            posts: None,
        }
    }

    /// Whether the person may publish as the page. `tasks` is absent for some grants
    /// (business-managed pages); then the first publish will tell.
    pub fn can_publish(&self) -> bool {
        self.tasks.as_ref().is_none_or(|t| {
            t.iter()
                .any(|task| task == "CREATE_CONTENT" || task == "MANAGE")
        })
    }
}

/// Every page the user token reaches, with the fields asked for. Pages come 100 at a time;
/// the next list is asked for by cursor on Herald's own base (never by following
/// `paging.next`, which names Meta's host).
pub async fn pages(
    graph: &Graph,
    endpoints: &Endpoints,
    user: &Credentials,
    fields: &str,
) -> ConnectorResult<Vec<Page>> {
    let mut all = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..MAX_LISTS {
        let mut query = vec![("fields", fields), ("limit", "100")];
        if let Some(cursor) = after.as_deref() {
            query.push(("after", cursor));
        }
        let request = graph.get(&endpoints.graph, "/me/accounts", &user.access_token, &query);
        let list: Paged<Page> = graph.call(request, Kind::Read).await?;
        after = list.after();
        let done = list.data.is_empty();
        all.extend(list.data);
        if after.is_none() || done {
            break;
        }
    }
    Ok(all)
}

/// A Facebook post id (`{page-id}_{post-id}`) as the address people open.
pub fn post_url(id: &str) -> Option<String> {
    let (page, post) = id.split_once('_')?;
    Some(format!(
        "https://www.facebook.com/{}/posts/{}",
        encode(page),
        encode(post)
    ))
}
