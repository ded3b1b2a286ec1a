//! Connecting Instagram accounts, two ways. Through Facebook Login, an account is a page's
//! `instagram_business_account` and the channel keeps the page's (non-expiring) token, on
//! graph.facebook.com. Through Instagram Login (Business Login for Instagram,
//! <https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login>),
//! the code becomes a one-hour token on api.instagram.com, then a 60-day token
//! (`ig_exchange_token`) renewed with `ig_refresh_token`, on graph.instagram.com.

use serde::Deserialize;
use url::Url;

use super::Instagram;
use crate::connectors::error::{ConnectorError, ConnectorResult};
use crate::connectors::http::Kind;
use crate::connectors::meta::facebook_login;
use crate::connectors::meta::wire::Token;
use crate::connectors::model::{ConnectableAccount, Credentials, OAuthApp};

/// Instagram Login's scopes (the `instagram_business_*` names that replaced `business_*` in
/// January 2025).
pub const SCOPES: [&str; 4] = [
    "instagram_business_basic",
    "instagram_business_content_publish",
    "instagram_business_manage_comments",
    "instagram_business_manage_insights",
];

/// The account fields the channel shows.
pub const USER_FIELDS: &str =
    "id,username,name,profile_picture_url,followers_count,follows_count,media_count";

/// Instagram Login's code exchange answers `{"data": [token]}` (Business Login) or the token
/// itself (older apps).
#[derive(Deserialize)]
#[serde(untagged)]
enum CodeAnswer {
    Wrapped { data: Vec<Token> },
    Bare(Token),
}

impl Instagram {
    /// Through Facebook Login: the Instagram accounts linked to the pages the person runs,
    /// each with its page's token; a page with none is listed as unavailable, with why (Facebook's `authorize_url`, `exchange_code` and
    /// `long_lived` make the user token).
    pub async fn accounts_via_facebook(
        &self,
        user: &Credentials,
    ) -> ConnectorResult<Vec<ConnectableAccount>> {
        let fields =
            format!("id,name,access_token,tasks,instagram_business_account{{{USER_FIELDS}}}");
        let pages = facebook_login::pages(&self.graph, &self.endpoints, user, &fields).await?;
        Ok(pages
            .into_iter()
            .map(|page| {
                let token = page.access_token.clone().filter(|t| !t.is_empty());
                let Some(ig) = page.instagram_business_account else {
                    // Listed so the person learns why the page brings no Instagram account.
                    let mut account = page.account();
                    account.remote_id = format!("page:{}", page.id);
                    return ConnectableAccount::unavailable(
                        account,
                        "No Instagram business or creator account is linked to this Facebook page. Link one in the page's settings (Linked accounts), then connect again.",
                    );
                };
                let Some(token) = token else {
                    return ConnectableAccount::unavailable(
                        ig.account(),
                        "Facebook gave no token for the page this account is linked to.",
                    );
                };
                let mut credentials = Credentials::bearer(token);
                credentials.extra.insert("login".into(), "facebook".into());
                credentials.extra.insert("ig_user_id".into(), ig.id.clone());
                credentials.extra.insert("page_id".into(), page.id);
                if let Some(name) = &ig.username {
                    credentials.extra.insert("username".into(), name.clone());
                }
                ConnectableAccount::new(ig.account(), credentials)
            })
            .collect())
    }

    /// Instagram Login's authorization window.
    pub fn authorize_url(&self, app: &OAuthApp, redirect_uri: &str, state: &str) -> Url {
        let mut url = self.endpoints.instagram_authorize.clone();
        url.query_pairs_mut()
            .append_pair("client_id", &app.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("response_type", "code")
            .append_pair("scope", &SCOPES.join(","))
            .append_pair("state", state);
        url
    }

    /// The window's code as a one-hour token, with the account's id in `extra`.
    pub async fn exchange_code(
        &self,
        app: &OAuthApp,
        redirect_uri: &str,
        code: &str,
    ) -> ConnectorResult<Credentials> {
        let request = self
            .plain
            .http()
            .client()
            .post(self.endpoints.instagram_token.clone())
            .form(&[
                ("client_id", app.client_id.as_str()),
                ("client_secret", app.client_secret.as_str()),
                ("grant_type", "authorization_code"),
                ("redirect_uri", redirect_uri),
                ("code", code),
            ]);
        let token = match self.plain.call::<CodeAnswer>(request, Kind::Write).await? {
            CodeAnswer::Bare(token) => token,
            CodeAnswer::Wrapped { data } => data.into_iter().next().ok_or_else(|| {
                ConnectorError::bad_answer("Instagram answered the code exchange without a token")
            })?,
        };
        let mut credentials = token.credentials(self.plain.now_ms());
        credentials.extra.insert("login".into(), "instagram".into());
        if let Some(id) = token.user_id() {
            credentials.extra.insert("ig_user_id".into(), id);
        }
        Ok(credentials)
    }

    /// A 60-day token for a one-hour one, keeping the account's ids.
    pub async fn long_lived(
        &self,
        app: &OAuthApp,
        short: &Credentials,
    ) -> ConnectorResult<Credentials> {
        let mut credentials = self
            .plain
            .token(
                &self.endpoints.instagram_graph,
                "/access_token",
                &[
                    ("grant_type", "ig_exchange_token"),
                    ("client_secret", app.client_secret.as_str()),
                    ("access_token", short.access_token.as_str()),
                ],
            )
            .await?;
        credentials.extra = short.extra.clone();
        Ok(credentials)
    }

    /// A fresh 60-day token for an unexpired one at least a day old (Instagram Login only).
    pub(super) async fn refresh_token(
        &self,
        credentials: &Credentials,
    ) -> ConnectorResult<Credentials> {
        self.plain
            .token(
                &self.endpoints.instagram_graph,
                "/refresh_access_token",
                &[
                    ("grant_type", "ig_refresh_token"),
                    ("access_token", credentials.access_token.as_str()),
                ],
            )
            .await
    }
}
