use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::text::{self, Check, CheckOptions, MastodonLimits, Network};
use crate::services::AppError;
use crate::web::auth::TokenUser;
use crate::web::{ApiError, ApiJson, AppState};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckRequest {
    /// x, mastodon, bluesky, threads, linkedin, instagram or facebook.
    pub network: String,
    pub text: String,
    /// Mastodon's content warning, which counts toward the limit.
    pub content_warning: Option<String>,
    /// A Mastodon instance's limits; a stock instance's (500, 23) when absent.
    pub instance: Option<InstanceLimits>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstanceLimits {
    pub max_characters: usize,
    pub characters_reserved_per_url: usize,
}

/// The longest text accepted, in bytes: above every network's limit, below abuse.
const MAX_TEXT_BYTES: usize = 100_000;

/// Checks post text as one network counts it: length, limit, entities with UTF-8 byte
/// offsets, and each problem in words with its position. Same answer as `herald check`.
#[utoipa::path(post, path = "/api/v1/check", tag = "compose", request_body = CheckRequest,
    responses((status = 200, body = Check), (status = 422, body = crate::web::problem::Problem)))]
pub async fn check(
    State(_state): State<AppState>,
    TokenUser(_actor): TokenUser,
    ApiJson(body): ApiJson<CheckRequest>,
) -> Result<Json<Check>, ApiError> {
    let network = Network::parse(&body.network).ok_or_else(|| {
        AppError::field(
            "network",
            "must be one of x, mastodon, bluesky, threads, linkedin, instagram, facebook",
        )
    })?;
    if body.text.len() > MAX_TEXT_BYTES {
        return Err(
            AppError::field("text", format!("must be at most {MAX_TEXT_BYTES} bytes")).into(),
        );
    }
    let options = CheckOptions {
        mastodon: body.instance.map(|i| MastodonLimits {
            max_characters: i.max_characters,
            characters_reserved_per_url: i.characters_reserved_per_url,
        }),
        content_warning: body.content_warning,
    };
    Ok(Json(text::check(network, &body.text, &options)))
}
