//! Connecting a Mastodon account: the app registered on the instance
//! (`POST /api/v1/apps`), the authorization code flow with PKCE, and the token exchange
//! (<https://docs.joinmastodon.org/client/token/>).

use url::Url;

use super::Mastodon;
use super::api::{App, Token};
use crate::connectors::connector::join;
use crate::connectors::error::ConnectorResult;
use crate::connectors::http::Kind;
use crate::connectors::model::Credentials;

pub const SCOPES: &str = "read write";

impl Mastodon {
    /// Registers Herald on an instance (done once per instance host and kept).
    pub async fn register_app(
        &self,
        instance: &Url,
        redirect_uri: &str,
        website: &str,
    ) -> ConnectorResult<App> {
        let request = self
            .http
            .client()
            .post(join(instance, "/api/v1/apps"))
            .form(&[
                ("client_name", "Herald"),
                ("redirect_uris", redirect_uri),
                ("scopes", SCOPES),
                ("website", website),
            ]);
        // Harmless to send again: at worst the instance keeps one more app registration.
        self.call(request, Kind::Read).await
    }

    /// Where to send the person to approve Herald on their instance.
    pub fn authorize_url(
        instance: &Url,
        client_id: &str,
        redirect_uri: &str,
        state: &str,
        code_challenge: &str,
    ) -> Url {
        let mut url = join(instance, "/oauth/authorize");
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", SCOPES)
            .append_pair("state", state)
            .append_pair("code_challenge", code_challenge)
            .append_pair("code_challenge_method", "S256");
        url
    }

    /// Trades the code the instance sent back for an access token.
    pub async fn exchange_code(
        &self,
        instance: &Url,
        app: &App,
        redirect_uri: &str,
        code: &str,
        code_verifier: &str,
    ) -> ConnectorResult<Credentials> {
        let request = self
            .http
            .client()
            .post(join(instance, "/oauth/token"))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("client_id", app.client_id.as_str()),
                ("client_secret", app.client_secret.as_str()),
                ("redirect_uri", redirect_uri),
                ("code_verifier", code_verifier),
                ("scope", SCOPES),
            ]);
        // Safe to send again: a code is used once, so a repeat either is the first to arrive
        // or is refused; it never makes a second grant.
        let token: Token = self.call(request, Kind::Read).await?;
        Ok(Credentials {
            access_token: token.access_token,
            refresh_token: token.refresh_token,
            expires_at_ms: token
                .expires_in
                .map(|s| self.now_ms().saturating_add(s.saturating_mul(1000))),
            ..Credentials::default()
        })
    }
}
