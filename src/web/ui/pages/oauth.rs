//! `/oauth/callback/{network}`: where a network sends the person back after they approved
//! (or refused) Herald. The flow was started by this person (checked with the state), and
//! ends on the workspace's Channels page with the new channel named.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::domain::text::Network;
use crate::services::AppError;
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
    if !matches!(network, Network::Mastodon | Network::X | Network::Threads) {
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
    let (ws, channel) = state
        .services
        .finish_oauth(
            &actor,
            flow_state,
            query.code.as_deref(),
            refused,
            &redirect_uri(&state, network),
        )
        .await?;
    Ok(Redirect::to(&format!("/w/{ws}/channels?connected={}", channel.id)).into_response())
}
