//! `/oauth/callback/{network}`: where a network sends the person back after they approved
//! (or refused) Herald. The flow was started by this person (checked with the state), and
//! ends on the workspace's Channels page with the new channel named, or on the picker when
//! the sign-in granted several accounts.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::text::Network;
use crate::services::{AppError, OAuthFinished};
use crate::web::AppState;
use crate::web::auth::SessionUser;
use crate::web::ui::UiError;
use crate::web::ui::forms::UiPath;

/// The callback address to register with a network: on the install's public URL.
pub fn redirect_uri(state: &AppState, network: Network) -> String {
    format!(
        "{}/oauth/callback/{}",
        state.config.public_base().trim_end_matches('/'),
        network.as_str()
    )
}

#[derive(Deserialize)]
pub struct Callback {
    state: Option<String>,
    code: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

pub async fn callback(
    State(state): State<AppState>,
    SessionUser(actor): SessionUser,
    UiPath(network): UiPath<String>,
    Query(query): Query<Callback>,
) -> Result<Response, UiError> {
    let network = Network::parse(&network).ok_or(AppError::NotFound)?;
    if network == Network::Bluesky {
        return Err(AppError::NotFound.into());
    }
    let flow_state = query
        .state
        .as_deref()
        .filter(|s| !s.is_empty() && s.len() <= 200)
        .ok_or_else(|| {
            AppError::Conflict("The network's answer has no state; start connecting again.".into())
        })?;
    let refused = query
        .error
        .as_deref()
        .map(|e| query.error_description.as_deref().unwrap_or(e));
    let (ws, finished) = state
        .services
        .complete_oauth(
            &actor,
            flow_state,
            query.code.as_deref(),
            refused,
            &redirect_uri(&state, network),
        )
        .await?;
    let to = match finished {
        OAuthFinished::Connected(channel) => format!("/w/{ws}/channels?connected={}", channel.id),
        OAuthFinished::Pick(grant) => format!("/w/{ws}/channels/grants/{grant}"),
        OAuthFinished::NotListed(channel) => {
            format!("/w/{ws}/channels?not_listed={}", channel.id)
        }
    };
    Ok(Redirect::to(&to).into_response())
}
