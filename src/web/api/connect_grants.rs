//! Picking accounts from an OAuth grant through the API: after the person approved Herald on
//! Facebook, Instagram or LinkedIn (`POST .../channels/oauth`), the listed accounts wait here
//! for the one who started the flow to choose which become channels.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::channel_views::ChannelView;
use super::views::List;
use crate::domain::clock::rfc3339;
use crate::domain::text::Network;
use crate::services::GrantView;
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

/// Accounts one sign-in granted, waiting to be picked. Tokens are never shown.
#[derive(Serialize, ToSchema)]
pub struct GrantBody {
    pub id: Uuid,
    pub network: Network,
    /// Instagram: `instagram` (Instagram Login) or `facebook` (through a Facebook page).
    pub login: Option<String>,
    pub created_at: String,
    /// Pick before then (RFC 3339, UTC); afterwards, connect again.
    pub expires_at: String,
    pub accounts: Vec<GrantAccountBody>,
}

#[derive(Serialize, ToSchema)]
pub struct GrantAccountBody {
    /// The network's id for the account: what `account_ids` names.
    pub id: String,
    pub handle: String,
    pub display_name: String,
    pub avatar_url: Option<String>,
    pub profile_url: Option<String>,
    pub followers: Option<i64>,
    /// False for an account listed only to say why it cannot be connected.
    pub connectable: bool,
    /// Why it cannot be connected (a page with no Instagram account linked...).
    pub unavailable_reason: Option<String>,
    /// The channel that already has this account: picking it reconnects that channel.
    pub channel_id: Option<Uuid>,
}

impl GrantBody {
    fn new(g: GrantView) -> Self {
        GrantBody {
            id: g.id,
            network: g.network,
            login: (!g.login.is_empty()).then_some(g.login),
            created_at: rfc3339(g.created_at_ms),
            expires_at: rfc3339(g.expires_at_ms),
            accounts: g
                .accounts
                .into_iter()
                .map(|a| GrantAccountBody {
                    id: a.account.remote_id,
                    handle: a.account.handle,
                    display_name: a.account.display_name,
                    avatar_url: a.account.avatar_url,
                    profile_url: a.account.profile_url,
                    followers: a.account.followers,
                    connectable: a.unavailable.is_none(),
                    unavailable_reason: a.unavailable,
                    channel_id: a.channel_id,
                })
                .collect(),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PickBody {
    /// The `id`s of the accounts to connect, at least one.
    pub account_ids: Vec<String>,
}

/// Your grants in this workspace still waiting to be picked from, newest first.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/channels/grants", tag = "channels",
    params(("ws" = Uuid, Path)),
    responses((status = 200, body = List<GrantBody>), (status = 404, body = crate::web::problem::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
) -> Result<Json<List<GrantBody>>, ApiError> {
    let grants = state.services.connect_grants(&actor, ws).await?;
    Ok(Json(List::all(
        grants.into_iter().map(GrantBody::new).collect(),
    )))
}

/// The accounts a sign-in listed. Only the person who signed in sees them; an expired grant
/// answers 409.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/channels/grants/{id}", tag = "channels",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = GrantBody), (status = 404, body = crate::web::problem::Problem),
        (status = 409, body = crate::web::problem::Problem)))]
pub async fn get(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Json<GrantBody>, ApiError> {
    let grant = state.services.connect_grant(&actor, ws, id).await?;
    Ok(Json(GrantBody::new(grant)))
}

/// Connects the picked accounts, one channel each (an account the workspace already has
/// reconnects its channel). The grant is used up.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/channels/grants/{id}", tag = "channels",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)), request_body = PickBody,
    responses((status = 201, body = List<ChannelView>), (status = 404, body = crate::web::problem::Problem),
        (status = 409, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn pick(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<PickBody>,
) -> Result<(StatusCode, Json<List<ChannelView>>), ApiError> {
    let channels = state
        .services
        .pick_connect_grant(&actor, ws, id, &body.account_ids)
        .await?;
    let now = state.services.now_ms();
    let views = channels.iter().map(|c| ChannelView::new(c, now)).collect();
    Ok((StatusCode::CREATED, Json(List::all(views))))
}
