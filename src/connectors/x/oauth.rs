//! Connecting an X account: OAuth 2.0 authorization code with PKCE, a confidential client
//! (Basic auth with the app's id and secret on the token endpoint), and refresh tokens that
//! X rotates on every refresh
//! (<https://docs.x.com/fundamentals/authentication/oauth-2-0/authorization-code>).

use serde::Deserialize;
use url::Url;

use super::{X, errors};
use crate::connectors::connector::Session;
use crate::connectors::error::{ConnectorError, ConnectorResult};
use crate::connectors::http::Kind;
use crate::connectors::model::{Credentials, OAuthApp};

/// What Herald asks for: posting with media, reading the account, its mentions, likes,
/// follows and DMs; `offline.access` for a refresh token.
pub const SCOPES: &str =
    "tweet.read tweet.write users.read offline.access media.write like.read follows.read dm.read";

#[derive(Debug, Deserialize)]
struct Token {
    access_token: String,
    refresh_token: Option<String>,
    expires_in: Option<i64>,
}

impl X {
    /// Where to send the person to approve Herald; `code_challenge` is the S256 challenge
    /// of a verifier kept until the code comes back.
    pub fn authorize_url(
        &self,
        app: &OAuthApp,
        redirect_uri: &str,
        state: &str,
        code_challenge: &str,
    ) -> Url {
        let mut url = self.endpoints.authorize.clone();
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &app.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", SCOPES)
            .append_pair("state", state)
            .append_pair("code_challenge", code_challenge)
            .append_pair("code_challenge_method", "S256");
        url
    }

    /// Trades the code (valid for 30 seconds) for tokens.
    pub async fn exchange_code(
        &self,
        app: &OAuthApp,
        redirect_uri: &str,
        code: &str,
        code_verifier: &str,
    ) -> ConnectorResult<Credentials> {
        self.token(
            app,
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", redirect_uri),
                ("code_verifier", code_verifier),
                ("client_id", &app.client_id),
            ],
        )
        .await
    }

    /// A new access token from the refresh token; X sends a new refresh token too, and
    /// the old one stops working, so the session must be stored again (`changed`).
    pub async fn refresh_with(&self, app: &OAuthApp, session: &mut Session) -> ConnectorResult<()> {
        let refresh_token = session
            .credentials
            .refresh_token
            .clone()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ConnectorError::auth("the channel has no refresh token: reconnect it")
            })?;
        let fresh = self
            .token(
                app,
                &[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", &refresh_token),
                    ("client_id", &app.client_id),
                ],
            )
            .await?;
        session.credentials.refreshed(fresh);
        session.changed = true;
        Ok(())
    }

    async fn token(&self, app: &OAuthApp, form: &[(&str, &str)]) -> ConnectorResult<Credentials> {
        let request = self
            .http
            .client()
            .post(self.endpoints.token.clone())
            .basic_auth(&app.client_id, Some(&app.client_secret))
            .form(form);
        let answer = self.http.send(request, Kind::Read).await?;
        if !answer.is_success() {
            return Err(errors::token(&answer));
        }
        let token: Token = answer.json()?;
        Ok(Credentials {
            access_token: token.access_token,
            refresh_token: token.refresh_token,
            expires_at_ms: token
                .expires_in
                .map(|s| self.clock.now_ms().saturating_add(s.saturating_mul(1000))),
            ..Credentials::default()
        })
    }
}
