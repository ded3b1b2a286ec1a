//! The account's notification settings: whether notifications also come by email.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, AppState};

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationSettings {
    /// Every in-app notification is emailed too (when the instance has an SMTP server).
    pub email: bool,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationSettingsView {
    pub email: bool,
    /// Whether this instance sends email at all (an operator sets up SMTP).
    pub email_available: bool,
}

async fn view(
    state: &AppState,
    actor: &crate::services::Actor,
) -> Result<Json<NotificationSettingsView>, ApiError> {
    Ok(Json(NotificationSettingsView {
        email: state.services.email_notifications(actor).await?,
        email_available: state.services.sends_email(),
    }))
}

#[utoipa::path(get, path = "/api/v1/me/notification-settings", tag = "notifications",
    responses((status = 200, body = NotificationSettingsView)))]
pub async fn get(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
) -> Result<Json<NotificationSettingsView>, ApiError> {
    view(&state, &actor).await
}

/// Turns notification emails on or off for the account.
#[utoipa::path(put, path = "/api/v1/me/notification-settings", tag = "notifications",
    request_body = NotificationSettings,
    responses((status = 200, body = NotificationSettingsView), (status = 422, body = crate::web::problem::Problem)))]
pub async fn put(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiJson(body): ApiJson<NotificationSettings>,
) -> Result<Json<NotificationSettingsView>, ApiError> {
    state
        .services
        .set_email_notifications(&actor, body.email)
        .await?;
    view(&state, &actor).await
}
