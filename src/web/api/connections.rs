//! Connecting channels to their networks, and reading what the networks say about them.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::channel_views::ChannelView;
use super::views::List;
use crate::connectors::model::{Interaction, PublicProfile, RemotePost};
use crate::domain::text::Network;
use crate::services::{AppError, ConnectRequest};
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

/// Credentials for a token-based network: Mastodon (`instance_url`, `access_token`) or
/// Bluesky (`identifier`, `app_password`, and `service_url` when not bsky.social).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectBody {
    pub network: String,
    pub instance_url: Option<String>,
    pub access_token: Option<String>,
    pub service_url: Option<String>,
    pub identifier: Option<String>,
    pub app_password: Option<String>,
}

fn request(body: ConnectBody) -> Result<ConnectRequest, AppError> {
    let need = |field: &str, v: Option<String>| {
        v.filter(|s| !s.trim().is_empty())
            .ok_or_else(|| AppError::field(field, "is required"))
    };
    match Network::parse(&body.network) {
        Some(Network::Mastodon) => Ok(ConnectRequest::Mastodon {
            instance_url: need("instance_url", body.instance_url)?,
            access_token: need("access_token", body.access_token)?,
        }),
        Some(Network::Bluesky) => Ok(ConnectRequest::Bluesky {
            service_url: body.service_url,
            identifier: need("identifier", body.identifier)?,
            app_password: need("app_password", body.app_password)?,
        }),
        Some(other) => Err(AppError::field(
            "network",
            format!(
                "{} connects through its sign-in page: POST .../channels/oauth",
                other.label()
            ),
        )),
        None => Err(AppError::field("network", "is not a network Herald knows")),
    }
}

/// Connects a channel with credentials (a Mastodon access token, a Bluesky app password).
/// Connecting an account the workspace already has reconnects that channel.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/channels", tag = "channels", params(("ws" = Uuid, Path)),
    request_body = ConnectBody,
    responses((status = 201, body = ChannelView), (status = 404, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn connect(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    ApiJson(body): ApiJson<ConnectBody>,
) -> Result<(StatusCode, Json<ChannelView>), ApiError> {
    let channel = state
        .services
        .connect_channel(&actor, ws, request(body)?, None)
        .await?;
    let now = state.services.now_ms();
    Ok((StatusCode::CREATED, Json(ChannelView::new(&channel, now))))
}

/// Reconnects a channel in place (it keeps its posts); the credentials must be for the same
/// account.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/channels/{id}/reconnect", tag = "channels",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)), request_body = ConnectBody,
    responses((status = 200, body = ChannelView), (status = 404, body = crate::web::problem::Problem),
        (status = 409, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn reconnect(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<ConnectBody>,
) -> Result<Json<ChannelView>, ApiError> {
    let channel = state
        .services
        .connect_channel(&actor, ws, request(body)?, Some(id))
        .await?;
    Ok(Json(ChannelView::new(&channel, state.services.now_ms())))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OAuthStart {
    pub network: String,
    /// Mastodon: the instance, e.g. `mastodon.social`.
    pub instance_url: Option<String>,
    /// Reconnect this channel in place.
    pub channel_id: Option<Uuid>,
    /// Instagram: `instagram` (Instagram Login, the default) or `facebook` (the account
    /// linked to a Facebook page, signing in with Facebook Login).
    pub login: Option<String>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct OAuthStarted {
    /// Where to send the person; the network sends them back to Herald's callback.
    pub authorize_url: String,
}

/// Starts connecting through the network's sign-in page. Facebook, Instagram and LinkedIn
/// grant several accounts: after the person approves, their pick waits at
/// `GET .../channels/grants` (reconnecting a channel takes its account without a pick).
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/channels/oauth", tag = "channels", params(("ws" = Uuid, Path)),
    request_body = OAuthStart,
    responses((status = 200, body = OAuthStarted), (status = 404, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn start_oauth(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath(ws): ApiPath<Uuid>,
    ApiJson(body): ApiJson<OAuthStart>,
) -> Result<Json<OAuthStarted>, ApiError> {
    let url = match Network::parse(&body.network) {
        Some(Network::Mastodon) => {
            let redirect = crate::web::ui::pages::oauth::redirect_uri(&state, Network::Mastodon);
            state
                .services
                .start_mastodon_oauth(
                    &actor,
                    ws,
                    body.instance_url.as_deref().unwrap_or_default(),
                    &redirect,
                    body.channel_id,
                )
                .await?
        }
        Some(Network::Bluesky) => {
            return Err(AppError::field(
                "network",
                "Bluesky connects with an app password: POST .../channels",
            )
            .into());
        }
        Some(network) => {
            let login = body.login.unwrap_or_default();
            let redirect = crate::web::ui::pages::oauth::redirect_uri(
                &state,
                crate::services::sign_in_network(network, &login),
            );
            state
                .services
                .start_network_oauth(&actor, ws, network, &login, &redirect, body.channel_id)
                .await?
        }
        None => return Err(AppError::field("network", "is not a network Herald knows").into()),
    };
    Ok(Json(OAuthStarted {
        authorize_url: url.to_string(),
    }))
}

/// Checks the credentials with the network and refreshes the account's counts.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/channels/{id}/check", tag = "channels",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = ChannelView), (status = 404, body = crate::web::problem::Problem),
        (status = 409, body = crate::web::problem::Problem)))]
pub async fn check(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Json<ChannelView>, ApiError> {
    let channel = state.services.check_channel(&actor, ws, id).await?;
    Ok(Json(ChannelView::new(&channel, state.services.now_ms())))
}

/// Forgets the channel's credentials; the channel and its posts stay.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/channels/{id}/disconnect", tag = "channels",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = ChannelView), (status = 404, body = crate::web::problem::Problem)))]
pub async fn disconnect(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Json<ChannelView>, ApiError> {
    let channel = state.services.disconnect_channel(&actor, ws, id).await?;
    Ok(Json(ChannelView::new(&channel, state.services.now_ms())))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReadParams {
    /// At most this many (1 to 100; 20 when absent).
    pub limit: Option<usize>,
    /// For lookups: the account, e.g. `@someone@example.social` or `someone.bsky.social`.
    pub handle: Option<String>,
}

fn limit(p: &ReadParams) -> Result<usize, AppError> {
    match p.limit {
        None => Ok(20),
        Some(n @ 1..=100) => Ok(n),
        Some(_) => Err(AppError::field("limit", "must be between 1 and 100")),
    }
}

type Params = Result<Query<ReadParams>, axum::extract::rejection::QueryRejection>;

fn params(p: Params) -> Result<ReadParams, AppError> {
    p.map(|Query(p)| p)
        .map_err(|e| AppError::field("query", e.body_text()))
}

/// The channel's own recent posts on the network, with their metrics.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/channels/{id}/remote-posts", tag = "channels",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path), ReadParams),
    responses((status = 200, body = List<RemotePost>), (status = 404, body = crate::web::problem::Problem),
        (status = 409, body = crate::web::problem::Problem)))]
pub async fn remote_posts(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
    p: Params,
) -> Result<Json<List<RemotePost>>, ApiError> {
    let p = params(p)?;
    let posts = state
        .services
        .channel_posts(&actor, ws, id, limit(&p)?)
        .await?;
    Ok(Json(List::all(posts)))
}

/// Replies, mentions, likes, reposts and follows the channel received.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/channels/{id}/interactions", tag = "channels",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path), ReadParams),
    responses((status = 200, body = List<Interaction>), (status = 404, body = crate::web::problem::Problem),
        (status = 409, body = crate::web::problem::Problem)))]
pub async fn interactions(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
    p: Params,
) -> Result<Json<List<Interaction>>, ApiError> {
    let p = params(p)?;
    let items = state
        .services
        .channel_interactions(&actor, ws, id, limit(&p)?)
        .await?;
    Ok(Json(List::all(items)))
}

/// Another account's public profile and recent posts, read through this channel.
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/channels/{id}/lookup", tag = "channels",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path), ReadParams),
    responses((status = 200, body = PublicProfile), (status = 404, body = crate::web::problem::Problem),
        (status = 409, body = crate::web::problem::Problem), (status = 422, body = crate::web::problem::Problem)))]
pub async fn lookup(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
    p: Params,
) -> Result<Json<PublicProfile>, ApiError> {
    let p = params(p)?;
    let n = limit(&p)?;
    let profile = state
        .services
        .channel_lookup(&actor, ws, id, p.handle.as_deref().unwrap_or_default(), n)
        .await?;
    Ok(Json(profile))
}
