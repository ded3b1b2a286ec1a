//! Connecting LinkedIn: the 3-legged authorization code flow
//! (<https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow>),
//! refresh tokens where LinkedIn grants them to the app (programmatic refresh tokens are
//! for approved partners, and are not rotated: the same refresh token lasts its fixed
//! year), and the accounts a grant gives: the member, and the organisations they administer.

use reqwest::Method;
use serde::Deserialize;
use url::Url;

use super::api::{Acl, Elements};
use super::{AUTHOR, LinkedIn, errors};
use crate::connectors::connector::Session;
use crate::connectors::error::{ConnectorError, ConnectorResult};
use crate::connectors::http::Kind;
use crate::connectors::model::{ConnectableAccount, Credentials, OAuthApp};

/// Signing in (OpenID: `openid profile`), posting as the member, and reading, posting and
/// administering as their organisations.
pub const SCOPES: &str = "openid profile w_member_social r_organization_social w_organization_social rw_organization_admin";

/// Key of `Credentials::extra`: when the refresh token stops working.
pub const REFRESH_EXPIRES_AT_MS: &str = "refresh_expires_at_ms";

#[derive(Debug, Deserialize)]
struct Token {
    access_token: String,
    expires_in: Option<i64>,
    refresh_token: Option<String>,
    refresh_token_expires_in: Option<i64>,
}

impl LinkedIn {
    /// Where to send the person to approve Herald.
    pub fn authorize_url(&self, app: &OAuthApp, redirect_uri: &str, state: &str) -> Url {
        let mut url = self.endpoints.authorize.clone();
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &app.client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("state", state)
            .append_pair("scope", SCOPES);
        url
    }

    /// Trades the code for tokens; the author is learnt later (`verify`,
    /// `connectable_accounts`).
    pub async fn exchange_code(
        &self,
        app: &OAuthApp,
        redirect_uri: &str,
        code: &str,
    ) -> ConnectorResult<Credentials> {
        self.token(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("client_id", &app.client_id),
            ("client_secret", &app.client_secret),
        ])
        .await
    }

    pub async fn refresh_with(&self, app: &OAuthApp, session: &mut Session) -> ConnectorResult<()> {
        let refresh_token = session
            .credentials
            .refresh_token
            .clone()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ConnectorError::auth("LinkedIn gave this channel no refresh token: reconnect it")
            })?;
        let fresh = self
            .token(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", &refresh_token),
                ("client_id", &app.client_id),
                ("client_secret", &app.client_secret),
            ])
            .await?;
        session.credentials.refreshed(fresh);
        session.changed = true;
        Ok(())
    }

    async fn token(&self, form: &[(&str, &str)]) -> ConnectorResult<Credentials> {
        let request = self
            .http
            .client()
            .post(self.endpoints.token.clone())
            .form(form);
        let answer = self.http.send(request, Kind::Read).await?;
        if !answer.is_success() {
            return Err(errors::token(&answer, self.clock.now_ms()));
        }
        let token: Token = answer.json()?;
        let now = self.clock.now_ms();
        let at = |seconds: i64| now.saturating_add(seconds.saturating_mul(1000));
        let mut credentials = Credentials {
            access_token: token.access_token,
            refresh_token: token.refresh_token,
            expires_at_ms: token.expires_in.map(at),
            ..Credentials::default()
        };
        if let Some(seconds) = token.refresh_token_expires_in {
            credentials
                .extra
                .insert(REFRESH_EXPIRES_AT_MS.into(), at(seconds).to_string());
        }
        Ok(credentials)
    }

    /// The member, then each organisation they administer (`organizationAcls`,
    /// <https://learn.microsoft.com/en-us/linkedin/marketing/community-management/organizations/organization-access-control-by-role>),
    /// each with the credentials a channel needs to post as it. An app without the
    /// organisation scopes still connects the member.
    pub async fn connectable_accounts(
        &self,
        session: &Session,
    ) -> ConnectorResult<Vec<ConnectableAccount>> {
        let me = self.userinfo(session).await?;
        let as_author = |urn: &str| {
            let mut credentials = session.credentials.clone();
            credentials.extra.insert(AUTHOR.into(), urn.to_owned());
            credentials
        };
        let author = as_author(&me.urn());
        let mut accounts = vec![ConnectableAccount::new(me.into_account(), author)];
        let path = "/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED";
        let acls: Elements<Acl> = match self
            .call(self.rest(session, Method::GET, path), Kind::Read)
            .await
        {
            Ok(acls) => acls,
            Err(ConnectorError::Rejected { .. }) => return Ok(accounts),
            Err(e) => return Err(e),
        };
        for acl in acls.elements {
            if acl.state.as_deref().is_some_and(|s| s != "APPROVED") {
                continue;
            }
            let account = self.organization(session, &acl.organization).await?;
            accounts.push(ConnectableAccount::new(
                account,
                as_author(&acl.organization),
            ));
        }
        Ok(accounts)
    }
}
