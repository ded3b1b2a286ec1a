//! `TestApp`: a whole Herald (router, services, database) in the test process, driven with
//! `tower::ServiceExt::oneshot`, with a clock the test moves.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use herald::app::App;
use herald::config::Config;
use herald::domain::FixedClock;
use herald::services::{Actor, NewAccount, Services};
use herald::storage::users::User;
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use super::db::{Backend, fresh_postgres};

/// 2026-03-01T12:00:00Z
pub const START_MS: i64 = 1_772_366_400_000;

pub struct TestApp {
    pub app: App,
    pub clock: FixedClock,
    _dir: tempfile::TempDir,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("not JSON ({}): {}", self.status, self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn content_type(&self) -> &str {
        self.headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// The `field` of each validation error, in order.
    pub fn error_fields(&self) -> Vec<String> {
        self.json()["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl TestApp {
    pub async fn new(backend: Backend) -> TestApp {
        Self::with_config(backend, |_| {}).await
    }

    /// As `new`, with a change to the configuration first (e.g. allowing private hosts).
    pub async fn with_config(backend: Backend, change: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = match &backend {
            Backend::Sqlite => None,
            Backend::Postgres(server) => Some(fresh_postgres(server).await),
        };
        let mut config = Config {
            data_dir: dir.path().join("data"),
            database_url,
            public_url: Some("http://herald.test".into()),
            ..Config::default()
        };
        change(&mut config);
        let clock = FixedClock::at(START_MS);
        let app = App::open_with_clock(config, Arc::new(clock.clone()))
            .await
            .expect("open app");
        TestApp {
            app,
            clock,
            _dir: dir,
        }
    }

    /// Runs every queued job that is due by the test's clock, as a worker would; returns how
    /// many ran.
    pub async fn run_jobs(&self) -> usize {
        let ran = self.app.worker().run_due().await.expect("run jobs");
        // A batch of the engine's writes that failed as a whole is written again one by
        // one: the outcome is the same, so only this says a batched write broke.
        assert_eq!(
            self.services().commits.failed_batches(),
            0,
            "a group commit failed"
        );
        ran
    }

    pub fn services(&self) -> &Services {
        &self.app.state.services
    }

    /// Creates an account (not an instance admin) and an API token for it.
    pub async fn user(&self, email: &str) -> (User, String) {
        let account = NewAccount {
            email,
            display_name: "",
            password: "correct horse battery",
            is_admin: false,
        };
        let user = self
            .services()
            .create_user(account)
            .await
            .expect("create user");
        let token = self
            .services()
            .create_token(&actor(&user), "tests")
            .await
            .expect("token")
            .secret;
        (user, token)
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        let body = match body {
            Some(json) => {
                builder = builder.header(header::CONTENT_TYPE, "application/json");
                Body::from(json.to_string())
            }
            None => Body::empty(),
        };
        self.send(builder.body(body).expect("request")).await
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self
            .app
            .router()
            .oneshot(request)
            .await
            .expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes()
            .to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.request(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.request(Method::POST, path, Some(token), Some(body))
            .await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Reply {
        self.request(Method::PATCH, path, Some(token), Some(body))
            .await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        self.request(Method::DELETE, path, Some(token), None).await
    }

    /// Creates a workspace through the API and returns its id.
    pub async fn workspace(&self, token: &str, name: &str) -> String {
        let reply = self
            .post(
                "/api/v1/workspaces",
                token,
                serde_json::json!({"name": name, "time_zone": "Europe/Paris"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
        reply.json()["id"].as_str().expect("id").to_owned()
    }

    /// Invites and accepts: `token`'s user joins `ws` with `role`.
    pub async fn join(&self, owner_token: &str, ws: &str, member_token: &str, role: &str) {
        let invite = self
            .post(
                &format!("/api/v1/workspaces/{ws}/invites"),
                owner_token,
                serde_json::json!({"role": role}),
            )
            .await;
        assert_eq!(invite.status, StatusCode::CREATED, "{}", invite.text());
        let url = invite.json()["url"].as_str().expect("url").to_owned();
        let code = url.rsplit('/').next().expect("code");
        let accepted = self
            .post(
                &format!("/api/v1/invites/{code}/accept"),
                member_token,
                serde_json::json!({}),
            )
            .await;
        assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text());
    }
}

pub fn actor(user: &User) -> Actor {
    Actor {
        user: user.clone(),
        session_id: None,
        csrf_token: None,
    }
}

/// Adds a channel record to `ws` as the user of `token`; returns its id.
pub async fn channel(app: &TestApp, token: &str, ws: &str, network: &str) -> String {
    let actor = app
        .services()
        .actor_for_token(token)
        .await
        .expect("auth")
        .expect("live token");
    let new = herald::services::NewChannel {
        network: herald::domain::text::Network::parse(network).expect("network"),
        handle: &format!("@brand-{network}"),
        display_name: "",
        service_url: "",
        max_characters: None,
        chars_per_url: None,
    };
    let ws = ws.parse().expect("workspace id");
    app.services()
        .add_channel(&actor, ws, new)
        .await
        .expect("channel")
        .id
        .to_string()
}
