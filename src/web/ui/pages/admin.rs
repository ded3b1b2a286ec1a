//! `/admin/networks`: the install's app credentials on X, Facebook, Instagram, LinkedIn and
//! Threads (instance admins only), with the callback address each app must register.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use crate::domain::text::Network;
use crate::services::network_apps::NetworkAppStatus;
use crate::services::{Actor, AppError};
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::format::when_utc;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast, page, render};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "admin_networks.html", blocks = ["main", "topbar"])]
pub struct NetworksPage {
    shell: Shell,
    rows: Vec<Row>,
    /// The network whose form the errors belong to.
    failed: Option<&'static str>,
    errors: Errors,
}
page!(NetworksPage);

pub struct Row {
    network: &'static str,
    label: &'static str,
    letter: &'static str,
    client_id: String,
    configured: Option<String>,
    callback: String,
    help: &'static str,
}

fn help(network: Network) -> &'static str {
    match network {
        Network::X => {
            "developer.x.com → Projects & Apps → your app → User authentication settings: OAuth 2.0, type Web App (confidential client)."
        }
        Network::Facebook => {
            "developers.facebook.com → your app → Facebook Login for Business; the same app serves Instagram accounts linked to pages."
        }
        Network::Instagram => {
            "developers.facebook.com → your app → Instagram → API setup with Instagram business login."
        }
        Network::Linkedin => {
            "linkedin.com/developers → your app → Auth; add the Share on LinkedIn and Community Management products."
        }
        Network::Threads => "developers.facebook.com → your app → Threads use case → Settings.",
        _ => "",
    }
}

async fn page_for(state: &AppState, actor: &Actor) -> Result<NetworksPage, UiError> {
    let statuses: Vec<NetworkAppStatus> = state.services.network_app_statuses(actor).await?;
    Ok(NetworksPage {
        shell: Shell::load(state, actor, "Networks", "admin").await?,
        rows: statuses
            .into_iter()
            .map(|s| Row {
                network: s.network.as_str(),
                label: s.network.label(),
                letter: super::workspace::networks::letter(s.network),
                client_id: s.client_id.unwrap_or_default(),
                configured: s.updated_at_ms.map(when_utc),
                callback: super::oauth::redirect_uri(state, s.network),
                help: help(s.network),
            })
            .collect(),
        failed: None,
        errors: Errors::default(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
) -> Result<Response, UiError> {
    let page = page_for(&state, &actor).await?;
    render(htmx, StatusCode::OK, page)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AppForm {
    client_id: String,
    client_secret: String,
}

pub async fn save(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath(network): UiPath<String>,
    UiForm(form): UiForm<AppForm>,
) -> Result<Response, UiError> {
    let network = Network::parse(&network).ok_or(AppError::NotFound)?;
    let outcome = state
        .services
        .save_network_app(&actor, network, &form.client_id, &form.client_secret)
        .await;
    let mut page = page_for(&state, &actor).await?;
    match outcome {
        Ok(()) => {
            page.shell.toasts.push(Toast::ok(format!(
                "{}'s app credentials are saved.",
                network.label()
            )));
            render(htmx, StatusCode::OK, page)
        }
        Err(e) => {
            page.errors = Errors::from_app(e)?;
            page.failed = Some(network.as_str());
            if let Some(row) = page.rows.iter_mut().find(|r| r.network == network.as_str()) {
                row.client_id = form.client_id;
            }
            page.shell.toasts.push(Toast::error(
                "Not saved: please fix the fields marked below.",
            ));
            render(htmx, StatusCode::UNPROCESSABLE_ENTITY, page)
        }
    }
}

impl NetworksPage {
    fn error(&self, network: &str, field: &str) -> Option<String> {
        (self.failed == Some(network))
            .then(|| self.errors.get(field))
            .flatten()
    }
}
