//! Client review links of a post: create (the address is in that answer only), list,
//! revoke. The page a link opens is the UI's `/review/{token}`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::views::List;
use crate::domain::clock::rfc3339;
use crate::services::review_links::LinkStatus;
use crate::storage::review_links::ReviewLink;
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, ApiPath, AppState};

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct CreateReviewLink {
    /// 1 to 90; 7 when absent.
    pub expires_in_days: Option<i64>,
    /// Asked before the post is shown (8 to 200 characters); none when absent or empty.
    pub password: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewLinkView {
    pub id: Uuid,
    pub post_id: Uuid,
    /// The address to send the client: only in the answer that created the link (Herald
    /// keeps a hash of its token, not the token).
    pub url: Option<String>,
    pub has_password: bool,
    /// active, expired or revoked.
    pub status: String,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
}

impl ReviewLinkView {
    pub fn new(link: &ReviewLink, now_ms: i64, url: Option<String>) -> Self {
        ReviewLinkView {
            id: link.id,
            post_id: link.post_id,
            url,
            has_password: link.password_hash.is_some(),
            status: LinkStatus::of(link, now_ms).as_str().to_owned(),
            created_at: rfc3339(link.created_at_ms),
            expires_at: rfc3339(link.expires_at_ms),
            revoked_at: link.revoked_at_ms.map(rfc3339),
        }
    }
}

/// The address a client opens: on the configured public URL when there is one, else on the
/// host this request came to (an install reached by its address alone).
pub fn review_url(state: &AppState, headers: &HeaderMap, token: &str) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        });
    let base = match (&state.config.public_url, host) {
        (None, Some(host)) => format!("http://{host}"),
        _ => state.config.public_base(),
    };
    format!("{base}/review/{token}")
}

/// Creates a link for a client to review a post in review (approvers).
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/posts/{id}/review-links", tag = "review",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)), request_body = CreateReviewLink,
    responses((status = 201, body = ReviewLinkView), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem), (status = 409, body = crate::web::problem::Problem),
        (status = 422, body = crate::web::problem::Problem)))]
pub async fn create(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    headers: HeaderMap,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
    ApiJson(body): ApiJson<CreateReviewLink>,
) -> Result<(StatusCode, Json<ReviewLinkView>), ApiError> {
    let created = state
        .services
        .create_review_link(
            &actor,
            ws,
            id,
            body.expires_in_days,
            body.password.as_deref(),
        )
        .await?;
    let url = review_url(&state, &headers, &created.token);
    let now = state.services.now_ms();
    Ok((
        StatusCode::CREATED,
        Json(ReviewLinkView::new(&created.link, now, Some(url))),
    ))
}

/// The post's review links, newest first, without their addresses (approvers).
#[utoipa::path(get, path = "/api/v1/workspaces/{ws}/posts/{id}/review-links", tag = "review",
    params(("ws" = Uuid, Path), ("id" = Uuid, Path)),
    responses((status = 200, body = List<ReviewLinkView>), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem)))]
pub async fn list(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id)): ApiPath<(Uuid, Uuid)>,
) -> Result<Json<List<ReviewLinkView>>, ApiError> {
    let links = state.services.list_review_links(&actor, ws, id).await?;
    let now = state.services.now_ms();
    Ok(Json(List::all(
        links
            .iter()
            .map(|l| ReviewLinkView::new(l, now, None))
            .collect(),
    )))
}

/// Revokes a review link: it stops opening at once.
#[utoipa::path(post, path = "/api/v1/workspaces/{ws}/posts/{id}/review-links/{link_id}/revoke",
    tag = "review", params(("ws" = Uuid, Path), ("id" = Uuid, Path), ("link_id" = Uuid, Path)),
    responses((status = 204), (status = 403, body = crate::web::problem::Problem),
        (status = 404, body = crate::web::problem::Problem)))]
pub async fn revoke(
    State(state): State<AppState>,
    TokenUser(actor): TokenUser,
    ApiPath((ws, id, link_id)): ApiPath<(Uuid, Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    state
        .services
        .revoke_review_link(&actor, ws, id, link_id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
