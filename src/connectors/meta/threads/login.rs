//! Connecting a Threads account (<https://developers.facebook.com/docs/threads/get-started>):
//! the authorization window on threads.net, the code traded for a one-hour token with the
//! account's id, that token for a 60-day one (`th_exchange_token`), renewed before it ends
//! (`th_refresh_token`, once the token is a day old:
//! <https://developers.facebook.com/docs/threads/get-started/long-lived-tokens/>).

use url::Url;

use super::Threads;
use crate::connectors::connector::join;
use crate::connectors::error::ConnectorResult;
use crate::connectors::http::Kind;
use crate::connectors::meta::wire::Token;
use crate::connectors::model::{Credentials, OAuthApp};

pub const SCOPES: [&str; 6] = [
    "threads_basic",
    "threads_content_publish",
    "threads_manage_replies",
    "threads_read_replies",
    "threads_manage_insights",
    "threads_delete",
];

impl Threads {
    pub fn authorize_url(&self, app: &OAuthApp, redirect_uri: &str, state: &str) -> Url {
        let mut url = self.endpoints.threads_authorize.clone();
        url.query_pairs_mut()
            .append_pair("client_id", &app.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", &SCOPES.join(","))
            .append_pair("response_type", "code")
            .append_pair("state", state);
        url
    }

    /// The window's code as a one-hour token, with the account's id in `extra["user_id"]`.
    /// The code works once, so a lost answer is `OutcomeUnknown`.
    pub async fn exchange_code(
        &self,
        app: &OAuthApp,
        redirect_uri: &str,
        code: &str,
    ) -> ConnectorResult<Credentials> {
        let request = self
            .graph
            .http()
            .client()
            .post(join(self.base(), "/oauth/access_token"))
            .form(&[
                ("client_id", app.client_id.as_str()),
                ("client_secret", app.client_secret.as_str()),
                ("grant_type", "authorization_code"),
                ("redirect_uri", redirect_uri),
                ("code", code),
            ]);
        let token: Token = self.graph.call(request, Kind::Write).await?;
        let mut credentials = token.credentials(self.graph.now_ms());
        if let Some(id) = token.user_id() {
            credentials.extra.insert("user_id".into(), id);
        }
        Ok(credentials)
    }

    /// A 60-day token for a one-hour one, keeping the account's id.
    pub async fn long_lived(
        &self,
        app: &OAuthApp,
        short: &Credentials,
    ) -> ConnectorResult<Credentials> {
        let mut credentials = self
            .graph
            .token(
                self.base(),
                "/access_token",
                &[
                    ("grant_type", "th_exchange_token"),
                    ("client_secret", app.client_secret.as_str()),
                    ("access_token", short.access_token.as_str()),
                ],
            )
            .await?;
        credentials.extra = short.extra.clone();
        Ok(credentials)
    }

    pub(super) async fn refresh_token(
        &self,
        credentials: &Credentials,
    ) -> ConnectorResult<Credentials> {
        self.graph
            .token(
                self.base(),
                "/refresh_access_token",
                &[
                    ("grant_type", "th_refresh_token"),
                    ("access_token", credentials.access_token.as_str()),
                ],
            )
            .await
    }
}
