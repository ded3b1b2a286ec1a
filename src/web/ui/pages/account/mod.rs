//! `/account`: name, password, notification emails, sessions and personal API tokens. Account pages belong to no
//! workspace, so they show times in UTC, labelled.

pub mod email;
pub mod profile;
pub mod sessions;
pub mod tokens;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use uuid::Uuid;

use crate::services::Actor;
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::format::{browser_summary, when_utc};
use crate::web::ui::forms::Errors;
use crate::web::ui::render::{Htmx, ok, page};
use crate::web::ui::shell::Shell;

#[derive(Template)]
#[template(path = "account.html", blocks = ["main", "topbar"])]
pub struct AccountPage {
    shell: Shell,
    display_name: String,
    name_errors: Errors,
    password_errors: Errors,
    sessions: Vec<SessionRow>,
    tokens: Vec<TokenRow>,
    token_name: String,
    token_errors: Errors,
    /// A token just created: its secret is shown this once.
    new_token: Option<NewTokenView>,
    /// Notifications by email: the person's choice, and whether this install sends email.
    email_on: bool,
    email_available: bool,
    email_address: String,
}
page!(AccountPage);

pub struct SessionRow {
    id: Uuid,
    browser: String,
    ip: String,
    started: String,
    last_seen: String,
    this_device: bool,
}

pub struct TokenRow {
    id: Uuid,
    name: String,
    prefix: String,
    created: String,
    last_used: String,
}

pub struct NewTokenView {
    name: String,
    secret: String,
}

impl AccountPage {
    pub async fn load(state: &AppState, actor: &Actor) -> Result<Self, UiError> {
        let sessions = state.services.list_sessions(actor).await?;
        let tokens = state.services.list_tokens(actor).await?;
        Ok(AccountPage {
            shell: Shell::load(state, actor, "Account", "account").await?,
            display_name: actor.user.display_name.clone(),
            name_errors: Errors::default(),
            password_errors: Errors::default(),
            sessions: sessions
                .into_iter()
                .map(|s| SessionRow {
                    id: s.id,
                    browser: browser_summary(&s.user_agent),
                    ip: s.ip,
                    started: when_utc(s.created_at_ms),
                    last_seen: when_utc(s.last_seen_at_ms),
                    this_device: Some(s.id) == actor.session_id,
                })
                .collect(),
            tokens: tokens
                .into_iter()
                .map(|t| TokenRow {
                    id: t.id,
                    name: t.name,
                    prefix: t.token_prefix,
                    created: when_utc(t.created_at_ms),
                    last_used: t
                        .last_used_at_ms
                        .map(when_utc)
                        .unwrap_or_else(|| "never".to_owned()),
                })
                .collect(),
            token_name: String::new(),
            token_errors: Errors::default(),
            new_token: None,
            email_on: state.services.email_notifications(actor).await?,
            email_available: state.services.sends_email(),
            email_address: actor.user.email.clone(),
        })
    }
}

pub async fn show(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    htmx: Htmx,
) -> Result<Response, UiError> {
    ok(htmx, AccountPage::load(&state, &actor).await?)
}
