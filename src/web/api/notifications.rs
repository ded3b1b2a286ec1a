//! The account's notifications, and outbound webhooks per workspace.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::views::List;
use crate::domain::clock::rfc3339;
use crate::services::AppError;
use crate::storage::notifications::Notification;
use crate::storage::webhooks::{Delivery, Webhook};
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

#[derive(Serialize, ToSchema)]
pub struct NotificationView {
    pub id: Uuid,
    pub workspace_id: Uuid,
    /// The event: `post.published`, `post.failed`, `channel.reconnect_needed`,
    /// `comment.mentioned`...
    pub kind: String,
    pub title: String,
    pub body: String,
    /// A path in Herald's web UI.
    pub link: String,
    pub created_at: String,
    pub read: bool,
}

impl From<&Notification> for NotificationView {
    fn from(n: &Notification) -> Self {
        NotificationView {
            id: n.id,
            workspace_id: n.workspace_id,
            kind: n.kind.clone(),
            title: n.title.clone(),
            body: n.body.clone(),
            link: n.link.clone(),
            created_at: rfc3339(n.created_at_ms),
            read: n.read_at_ms.is_some(),
        }
    }
}

/// A page of notifications, with how many are unread in all.
#[derive(Serialize, ToSchema)]
pub struct NotificationPage {
    pub items: Vec<NotificationView>,
    pub next: Option<String>,
    pub unread: i64,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// The `next` cursor of the previous page.
    pub cursor: Option<Uuid>,
}

/// The account's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "notifications", params(Page),
    responses((status = 200, body = NotificationPage), (status = 422, body = crate::web::problem::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    page: Result<Query<Page>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<NotificationPage>, ApiError> {
    let Query(page) = page.map_err(|e| AppError::field("cursor", e.body_text()))?;
    let got = state
        .services
        .list_notifications(&actor, page.cursor)
        .await?;
    Ok(Json(NotificationPage {
        items: got.items.iter().map(NotificationView::from).collect(),
        next: got.next.map(|id| id.to_string()),
        unread: got.unread,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkRead {
    /// The notifications to mark read; absent or null marks all of them.
    #[serde(default)]
    pub ids: Option<Vec<Uuid>>,
}

#[derive(Serialize, ToSchema)]
pub struct MarkedRead {
    /// How many were unread and now are read.
    pub marked: u64,
    pub unread: i64,
}

/// Marks notifications read: those listed, or all.
#[utoipa::path(post, path = "/api/v1/me/notifications/read", tag = "notifications",
    request_body = MarkRead,
    responses((status = 200, body = MarkedRead), (status = 422, body = crate::web::problem::Problem)))]
pub async fn mark_read(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiJson(body): ApiJson<MarkRead>,
) -> Result<Json<MarkedRead>, ApiError> {
    let marked = state
        .services
        .mark_notifications_read(&actor, body.ids.as_deref())
        .await?;
    let unread = state.services.unread_notifications(&actor).await?;
    Ok(Json(MarkedRead { marked, unread }))
}

#[derive(Serialize, ToSchema)]
pub struct WebhookView {
    pub id: Uuid,
    pub url: String,
    pub events: Vec<String>,
    pub created_at: String,
}

impl From<&Webhook> for WebhookView {
    fn from(w: &Webhook) -> Self {
        WebhookView {
            id: w.id,
            url: w.url.clone(),
            events: w.events.split_whitespace().map(str::to_owned).collect(),
            created_at: rfc3339(w.created_at_ms),
        }
    }
}

/// A webhook just created, with its signing secret: shown this once.
#[derive(Serialize, ToSchema)]
pub struct NewWebhookView {
    #[serde(flatten)]
    pub webhook: WebhookView,
    /// Verify `X-Herald-Signature` with it: `sha256=` and the hex HMAC-SHA256 of
    /// `{X-Herald-Timestamp}.{body}`.
    pub secret: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhook {
    /// https (http only where the install allows private hosts).
    pub url: String,
    /// Among `post.created`, `post.submitted`, `post.approved`, `post.changes_requested`,
    /// `post.scheduled`, `post.published`, `post.failed`, `channel.reconnect_needed`.
    pub events: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryView {
    pub id: Uuid,
    pub event: String,
    /// `pending`, `retrying`, `delivered` or `failed`.
    pub state: String,
    pub attempts: i64,
    pub response_status: Option<i64>,
    /// The first 2 KB of the receiver's answer.
    pub response_body: String,
    pub error: Option<String>,
    pub next_try_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&Delivery> for DeliveryView {
    fn from(d: &Delivery) -> Self {
        DeliveryView {
            id: d.id,
            event: d.event.clone(),
            state: d.state.clone(),
            attempts: d.attempts,
            response_status: d.response_status,
            response_body: d.response_body.clone(),
            error: d.error.clone(),
            next_try_at: d
                .next_try_at_ms
                .filter(|_| matches!(d.state.as_str(), "pending" | "retrying"))
                .map(rfc3339),
            created_at: rfc3339(d.created_at_ms),
            updated_at: rfc3339(d.updated_at_ms),
        }
    }
}

/// The workspace's webhooks (managers).
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/webhooks", tag = "notifications",
    params(("ws" = Uuid, Path)),
    responses((status = 200, body = List<WebhookView>), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem)))]
pub async fn list_webhooks(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
) -> Result<Json<List<WebhookView>>, ApiError> {
    let hooks = state.services.list_webhooks(&actor, ws).await?;
    Ok(Json(List::all(
        hooks.iter().map(WebhookView::from).collect(),
    )))
}

/// Adds a webhook; the answer carries its signing secret, shown this once.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/webhooks", tag = "notifications",
    params(("ws" = Uuid, Path)), request_body = CreateWebhook,
    responses((status = 201, body = NewWebhookView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn create_webhook(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    ApiJson(body): ApiJson<CreateWebhook>,
) -> Result<(StatusCode, Json<NewWebhookView>), ApiError> {
    let created = state
        .services
        .create_webhook(&actor, ws, &body.url, &body.events)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(NewWebhookView {
            webhook: WebhookView::from(&created.webhook),
            secret: created.secret,
        }),
    ))
}

#[utoipa::path(delete, path = "/api/v1/workspaces/{ws}/webhooks/{id}", tag = "notifications",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = crate::web::problem::Problem)))]
pub async fn delete_webhook(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    state.services.delete_webhook(&actor, ws, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sends a `ping` event to the webhook; its delivery shows in the log.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/webhooks/{id}/test", tag = "notifications",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 202, body = DeliveryView), (status = 404, body = crate::web::problem::Problem)))]
pub async fn test_webhook(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<(StatusCode, Json<DeliveryView>), ApiError> {
    let delivery = state.services.test_webhook(&actor, ws, id).await?;
    Ok((StatusCode::ACCEPTED, Json(DeliveryView::from(&delivery))))
}

/// The webhook's deliveries, newest first: status, tries, the receiver's answer.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/webhooks/{id}/deliveries", tag = "notifications",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path), Page),
    responses((status = 200, body = List<DeliveryView>), (status = 404, body = crate::web::problem::Problem)))]
pub async fn deliveries(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
    page: Result<Query<Page>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<List<DeliveryView>>, ApiError> {
    let Query(page) = page.map_err(|e| AppError::field("cursor", e.body_text()))?;
    let (items, next) = state
        .services
        .webhook_deliveries(&actor, ws, id, page.cursor)
        .await?;
    Ok(Json(List {
        items: items.iter().map(DeliveryView::from).collect(),
        next: next.map(|id| id.to_string()),
    }))
}
