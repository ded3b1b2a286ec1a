//! The composer's "Client review link" section, `/w/{ws}/posts/{id}/review-links`: the
//! composer page loads it (one line in `composer.html`, htmx on load), and its forms answer
//! with the section again. Approvers of a post in review create a link (expiry, optional
//! password), copy its address (shown once), and revoke links. Without JavaScript the same
//! address is a page of its own.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;

use crate::domain::post::VariantState;
use crate::services::review_links::LinkStatus;
use crate::services::{Actor, AppError};
use crate::web::AppState;
use crate::web::api::review_url;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::format::when;
use crate::web::ui::forms::{Errors, UiForm, UiPath};
use crate::web::ui::render::{Htmx, Toast, page, render};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "composer_review_links.html", blocks = ["main", "topbar"])]
pub struct ReviewLinksSection {
    shell: Shell,
    ws: Uuid,
    post: Uuid,
    /// Only approvers see the section, and only for a post in review or with links.
    visible: bool,
    in_review: bool,
    links: Vec<LinkRow>,
    /// The link just created: its address, shown this once.
    created: Option<CreatedLink>,
    form: LinkForm,
    errors: Errors,
}
page!(ReviewLinksSection);

impl ReviewLinksSection {
    fn action(&self) -> String {
        format!("/w/{}/posts/{}/review-links", self.ws, self.post)
    }
}

pub struct LinkRow {
    pub created: String,
    pub expires: String,
    pub status: &'static str,
    pub active: bool,
    pub has_password: bool,
    pub revoke: String,
}

pub struct CreatedLink {
    pub url: String,
    pub expires: String,
    pub has_password: bool,
}

#[derive(Deserialize)]
#[serde(default)]
pub struct LinkForm {
    expires_in_days: String,
    /// Never sent back into the page.
    password: String,
}

impl Default for LinkForm {
    fn default() -> Self {
        LinkForm {
            expires_in_days: "7".into(),
            password: String::new(),
        }
    }
}

async fn load(
    state: &AppState,
    actor: &Actor,
    ws_id: Uuid,
    post: Uuid,
) -> Result<ReviewLinksSection, UiError> {
    let ws = state.services.workspace(actor, ws_id).await?;
    let detail = state.services.get_post(actor, ws_id, post).await?;
    let shell = Shell::in_workspace(state, actor, &ws, "Client review links", "posts").await?;
    let in_review = detail
        .variants
        .iter()
        .any(|v| v.variant.state == VariantState::InReview);
    let (links, may) = match state.services.list_review_links(actor, ws_id, post).await {
        Ok(links) => (links, true),
        Err(AppError::Forbidden(_)) => (Vec::new(), false),
        Err(e) => return Err(e.into()),
    };
    let now = state.services.now_ms();
    let tz = &ws.workspace.time_zone;
    let rows = links
        .iter()
        .map(|l| {
            let status = LinkStatus::of(l, now);
            LinkRow {
                created: when(l.created_at_ms, tz),
                expires: when(l.expires_at_ms, tz),
                status: status.as_str(),
                active: status == LinkStatus::Active,
                has_password: l.password_hash.is_some(),
                revoke: format!("/w/{ws_id}/posts/{post}/review-links/{}/revoke", l.id),
            }
        })
        .collect::<Vec<_>>();
    Ok(ReviewLinksSection {
        shell,
        ws: ws_id,
        post,
        visible: may && (in_review || !rows.is_empty()),
        in_review,
        links: rows,
        created: None,
        form: LinkForm::default(),
        errors: Errors::default(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws, post)): UiPath<(Uuid, Uuid)>,
) -> Result<Response, UiError> {
    let section = load(&state, &actor, ws, post).await?;
    render(htmx, StatusCode::OK, section)
}

pub async fn create(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    headers: HeaderMap,
    UiPath((ws, post)): UiPath<(Uuid, Uuid)>,
    UiForm(form): UiForm<LinkForm>,
) -> Result<Response, UiError> {
    let days = match form.expires_in_days.trim() {
        "" => Ok(None),
        d => d.parse::<i64>().map(Some).map_err(|_| {
            AppError::field("expires_in_days", "must be a whole number of days, 1 to 90")
        }),
    };
    let created = match days {
        Ok(days) => {
            state
                .services
                .create_review_link(&actor, ws, post, days, Some(&form.password))
                .await
        }
        Err(e) => Err(e),
    };
    // Loaded after the attempt, so a new link is already in the list.
    let mut section = load(&state, &actor, ws, post).await?;
    match created {
        Ok(new) => {
            section.created = Some(CreatedLink {
                url: review_url(&state, &headers, &new.token),
                expires: when(new.link.expires_at_ms, &section_zone(&section)),
                has_password: new.link.password_hash.is_some(),
            });
            render(htmx, StatusCode::OK, section)
        }
        Err(e) => {
            section.errors = Errors::from_app(e)?;
            section.form = LinkForm {
                password: String::new(),
                ..form
            };
            render(htmx, StatusCode::UNPROCESSABLE_ENTITY, section)
        }
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
    UiPath((ws, post, link)): UiPath<(Uuid, Uuid, Uuid)>,
) -> Result<Response, UiError> {
    state
        .services
        .revoke_review_link(&actor, ws, post, link)
        .await?;
    let mut section = load(&state, &actor, ws, post).await?;
    section.shell.toasts.push(Toast::ok(
        "The review link is withdrawn: it no longer opens.",
    ));
    render(htmx, StatusCode::OK, section)
}

fn section_zone(section: &ReviewLinksSection) -> String {
    section
        .shell
        .current
        .as_ref()
        .map(|c| c.time_zone.clone())
        .unwrap_or_else(|| "UTC".to_owned())
}
