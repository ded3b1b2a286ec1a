//! Connecting Facebook pages, Instagram accounts (both sign-ins) and LinkedIn through their
//! sign-in pages and the account picker, against a local stand-in for the networks
//! (`network_base_url`): what Herald sends, the grant it keeps (encrypted), the channels the
//! pick makes, and every way a pick is refused. Runs on each database.

mod facebook;
mod instagram;
mod linkedin;
mod refusals;

use std::collections::HashMap;

use axum::http::StatusCode;
use herald::connectors::model::Credentials;
use herald::services::{AppResult, OAuthFinished};
use herald::storage::channels::{self, Channel};
use herald::storage::users::User;
use serde_json::Value;
use uuid::Uuid;
use wiremock::{MockServer, Request, ResponseTemplate};

use crate::support::test_app::actor;
use crate::support::{Backend, TestApp};

pub const CALLBACK: &str = "http://herald.test/oauth/callback";

pub struct Setup {
    pub app: TestApp,
    pub server: MockServer,
    pub owner: User,
    pub token: String,
    pub ws: String,
}

/// Herald with every network on one mock server, an owner with a workspace, and the
/// install's Facebook, Instagram and LinkedIn apps entered by an admin.
pub async fn setup(backend: Backend) -> Setup {
    let server = MockServer::start().await;
    let base = server.uri();
    let app = TestApp::with_config(backend, |c| {
        c.allow_private_hosts = true;
        c.network_base_url = Some(base);
    })
    .await;
    let (owner, token) = app.user("owner@example.com").await;
    let ws = app.workspace(&token, "Acme").await;
    let mut admin = actor(&owner);
    admin.user.is_admin = true;
    for (network, id) in [
        (herald::domain::text::Network::Facebook, "fb"),
        (herald::domain::text::Network::Instagram, "ig"),
        (herald::domain::text::Network::Linkedin, "li"),
    ] {
        app.services()
            .save_network_app(
                &admin,
                network,
                &format!("{id}-client"),
                &format!("{id}-secret"),
            )
            .await
            .expect("admin saves the app");
    }
    Setup {
        app,
        server,
        owner,
        token,
        ws,
    }
}

impl Setup {
    /// Starts a flow through the API; returns the sign-in address and its query.
    pub async fn start(&self, body: Value) -> (url::Url, HashMap<String, String>) {
        let started = self
            .app
            .post(
                &format!("/api/v1/workspaces/{}/channels/oauth", self.ws),
                &self.token,
                body,
            )
            .await;
        assert_eq!(started.status, StatusCode::OK, "{}", started.text());
        let url = url::Url::parse(started.json()["authorize_url"].as_str().unwrap()).unwrap();
        let query = url.query_pairs().into_owned().collect();
        (url, query)
    }

    /// The network sends `user` back with `code` to Herald's `callback` (a network name).
    pub async fn finish(
        &self,
        user: &User,
        state: &str,
        callback: &str,
    ) -> AppResult<(Uuid, OAuthFinished)> {
        self.app
            .services()
            .complete_oauth(
                &actor(user),
                state,
                Some("the-code"),
                None,
                &format!("{CALLBACK}/{callback}"),
            )
            .await
    }

    /// Starts and finishes a flow as the owner, expecting a grant; returns its id.
    pub async fn grant(&self, body: Value, callback: &str) -> String {
        let (_, q) = self.start(body).await;
        match self.finish(&self.owner, &q["state"], callback).await {
            Ok((_, OAuthFinished::Pick(id))) => id.to_string(),
            other => panic!("expected accounts to pick, got {other:?}"),
        }
    }

    pub fn grant_path(&self, id: &str) -> String {
        format!("/api/v1/workspaces/{}/channels/grants/{id}", self.ws)
    }

    /// A channel's row and its credentials, decrypted with the row's own binding.
    pub async fn stored(&self, channel: &str) -> (Channel, Credentials) {
        let services = self.app.services();
        let ws: Uuid = self.ws.parse().unwrap();
        let row = channels::get(&services.db, ws, channel.parse().unwrap())
            .await
            .unwrap()
            .expect("channel row");
        let sealed = row.credentials.clone().expect("credentials kept");
        assert!(sealed.starts_with("v1."), "encrypted at rest: {sealed}");
        let plain = services
            .secrets
            .decrypt(&sealed, &Channel::credentials_aad(row.id))
            .expect("decrypts for its own row");
        (row, serde_json::from_slice(&plain).unwrap())
    }
}

/// A project fixture under `tests/fixtures/connectors/`.
pub fn own(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(crate::connectors::fixtures::own(name))
}

/// The requests the server received for `method path`.
pub async fn sent(server: &MockServer, method: &str, path: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.method.as_str() == method && r.url.path() == path)
        .collect()
}

pub fn query(r: &Request) -> HashMap<String, String> {
    r.url.query_pairs().into_owned().collect()
}

pub fn form(r: &Request) -> HashMap<String, String> {
    url::form_urlencoded::parse(&r.body).into_owned().collect()
}

/// The ids of a grant's accounts, in order, with whether each can be connected.
pub fn listed(grant: &Value) -> Vec<(String, bool)> {
    grant["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_owned(),
                a["connectable"].as_bool().unwrap(),
            )
        })
        .collect()
}
