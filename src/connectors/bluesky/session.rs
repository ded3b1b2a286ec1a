//! Bluesky sign-in with a handle (or DID) and an app password: `createSession` on the
//! service the person names (bsky.social by default), then every call on the PDS their DID
//! document names. `refreshSession` renews the access token; when the refresh token has
//! expired too, the app password (kept encrypted) signs in again.

use url::Url;

use super::Bluesky;
use super::api::SessionAnswer;
use crate::connectors::connector::{Session, join};
use crate::connectors::error::{ConnectorError, ConnectorResult};
use crate::connectors::http::Kind;
use crate::connectors::model::Credentials;

/// Keys of `Credentials::extra`.
pub const DID: &str = "did";
pub const HANDLE: &str = "handle";
pub const PDS: &str = "pds";
pub const APP_PASSWORD: &str = "app_password";

impl Bluesky {
    /// Signs in and returns the session to keep: the base URL is the PDS.
    pub async fn sign_in(
        &self,
        service: &Url,
        identifier: &str,
        app_password: &str,
    ) -> ConnectorResult<Session> {
        self.http.check(service)?;
        let request = self
            .http
            .client()
            .post(join(service, "/xrpc/com.atproto.server.createSession"))
            .json(&serde_json::json!({
                "identifier": identifier.trim().trim_start_matches('@'),
                "password": app_password,
            }));
        let answer = self.http.send(request, Kind::Read).await?;
        if !answer.is_success() {
            let error = super::errors::classify(&answer);
            // A wrong password is 401 AuthenticationRequired: say it plainly.
            return Err(match error {
                ConnectorError::AuthExpired { message } => ConnectorError::auth(format!(
                    "Bluesky does not accept this handle and app password ({message})"
                )),
                other => other,
            });
        }
        let signed: SessionAnswer = answer.json()?;
        let pds = match signed.pds() {
            Some(pds) => {
                let url = Url::parse(&pds).map_err(|_| {
                    ConnectorError::bad_answer(format!(
                        "the account's PDS address {pds:?} is not a URL"
                    ))
                })?;
                // The DID document is the network's word, but still user-controlled data.
                self.http.check(&url)?;
                url
            }
            None => service.clone(),
        };
        let mut credentials = Credentials {
            access_token: signed.access_jwt,
            refresh_token: Some(signed.refresh_jwt),
            expires_at_ms: None,
            ..Credentials::default()
        };
        credentials.extra.insert(DID.into(), signed.did);
        credentials.extra.insert(HANDLE.into(), signed.handle);
        credentials.extra.insert(PDS.into(), pds.to_string());
        credentials
            .extra
            .insert(APP_PASSWORD.into(), app_password.to_owned());
        credentials.expires_at_ms = jwt_expiry(&credentials.access_token);
        let mut session = Session::new(pds, credentials);
        session.changed = true;
        Ok(session)
    }

    /// `refreshSession`, or a new sign-in with the app password when the refresh token is
    /// refused too.
    pub(super) async fn renew(&self, session: &mut Session) -> ConnectorResult<()> {
        let refresh = session
            .credentials
            .refresh_token
            .clone()
            .unwrap_or_default();
        let request = self
            .http
            .client()
            .post(session.url("/xrpc/com.atproto.server.refreshSession"))
            .bearer_auth(refresh);
        let answer = self.http.send(request, Kind::Read).await?;
        if answer.is_success() {
            let renewed: SessionAnswer = answer.json()?;
            let mut fresh = Credentials {
                expires_at_ms: jwt_expiry(&renewed.access_jwt),
                access_token: renewed.access_jwt,
                refresh_token: Some(renewed.refresh_jwt),
                ..Credentials::default()
            };
            fresh.extra.insert(HANDLE.into(), renewed.handle);
            session.credentials.refreshed(fresh);
            session.changed = true;
            return Ok(());
        }
        let error = super::errors::classify(&answer);
        let password = session.credentials.extra.get(APP_PASSWORD).cloned();
        match (error, password) {
            (ConnectorError::AuthExpired { .. }, Some(password)) => {
                let identifier = session
                    .credentials
                    .extra
                    .get(DID)
                    .cloned()
                    .unwrap_or_default();
                let base = session.base_url.clone();
                *session = self.sign_in(&base, &identifier, &password).await?;
                Ok(())
            }
            (error, _) => Err(error),
        }
    }
}

/// The `exp` claim of an access JWT, in milliseconds: read (not verified; the PDS verifies)
/// so the refresh job can renew ahead of expiry.
pub fn jwt_expiry(jwt: &str) -> Option<i64> {
    use base64::Engine;
    let payload = jwt.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    claims["exp"].as_i64().map(|s| s.saturating_mul(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expiry_is_read_from_the_token() {
        // {"alg":"none"}.{"exp":1700000000}.
        assert_eq!(
            jwt_expiry("eyJhbGciOiJub25lIn0.eyJleHAiOjE3MDAwMDAwMDB9.x"),
            Some(1_700_000_000_000)
        );
        assert_eq!(jwt_expiry("not a jwt"), None);
    }
}
