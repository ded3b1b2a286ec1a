//! The JSON API under `/api/v1`, documented by the OpenAPI document at `/api/openapi.json`.

mod brand_kit;
pub mod calendar;
mod calendar_events;
mod calendar_feed;
mod channel_views;
mod channels;
mod check;
mod connect_grants;
mod connections;
mod evergreen;
mod feeds;
mod imports;
mod invites;
mod me;
mod media;
mod members;
mod notification_settings;
mod notifications;
mod post_views;
mod posts;
mod queue;
mod recurrence;
mod review;
mod review_links;
mod schedule;
mod tokens;
pub mod views;
mod workspaces;

use axum::extract::DefaultBodyLimit;
use axum::routing::{any, delete, get, patch, post, put};
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

pub use calendar_feed::feed_url;
pub use invites::invite_url;
pub use review_links::review_url;

use super::AppState;
use super::upload::UPLOAD_SLACK_BYTES;

/// Routes whose bodies may be large (uploads): they get their own body limit and timeout.
pub fn upload_routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/workspaces/{ws}/media", post(media::upload))
        // The imports' files are read into memory: their own limits, not the media's.
        .route(
            "/api/v1/workspaces/{ws}/imports/posts.csv",
            post(imports::posts_csv).layer(DefaultBodyLimit::max(
                crate::services::imports::MAX_CSV_BYTES + UPLOAD_SLACK_BYTES,
            )),
        )
        .route(
            "/api/v1/workspaces/{ws}/calendar-events/import",
            post(calendar_events::import).layer(DefaultBodyLimit::max(
                crate::domain::ical::MAX_INPUT_BYTES + UPLOAD_SLACK_BYTES,
            )),
        )
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/openapi.json", get(openapi_json))
        .route("/api/v1/check", post(check::check))
        .route("/api/v1/me", get(me::me).patch(me::update_me))
        .route("/api/v1/me/password", post(me::change_password))
        .route(
            "/api/v1/me/sessions",
            get(me::sessions).delete(me::end_all_sessions),
        )
        .route("/api/v1/me/sessions/{id}", delete(me::end_session))
        .route("/api/v1/tokens", get(tokens::list).post(tokens::create))
        .route("/api/v1/tokens/{id}", delete(tokens::revoke))
        .route(
            "/api/v1/workspaces",
            get(workspaces::list).post(workspaces::create),
        )
        .route(
            "/api/v1/workspaces/{ws}",
            get(workspaces::get).patch(workspaces::update),
        )
        .route("/api/v1/workspaces/{ws}/archive", post(workspaces::archive))
        .route("/api/v1/workspaces/{ws}/restore", post(workspaces::restore))
        .route("/api/v1/workspaces/{ws}/members", get(members::list))
        .route(
            "/api/v1/workspaces/{ws}/members/{user}",
            patch(members::change_role).delete(members::remove),
        )
        .route(
            "/api/v1/workspaces/{ws}/invites",
            get(invites::list).post(invites::create),
        )
        .route(
            "/api/v1/workspaces/{ws}/invites/{id}",
            delete(invites::revoke),
        )
        .route("/api/v1/invites/{token}/accept", post(invites::accept))
        .route(
            "/api/v1/workspaces/{ws}/channels",
            get(channels::list).post(connections::connect),
        )
        .route(
            "/api/v1/workspaces/{ws}/channels/oauth",
            post(connections::start_oauth),
        )
        .route(
            "/api/v1/workspaces/{ws}/channels/grants",
            get(connect_grants::list),
        )
        .route(
            "/api/v1/workspaces/{ws}/channels/grants/{id}",
            get(connect_grants::get).post(connect_grants::pick),
        )
        .route(
            "/api/v1/workspaces/{ws}/channels/{id}/reconnect",
            post(connections::reconnect),
        )
        .route(
            "/api/v1/workspaces/{ws}/channels/{id}/check",
            post(connections::check),
        )
        .route(
            "/api/v1/workspaces/{ws}/channels/{id}/disconnect",
            post(connections::disconnect),
        )
        .route(
            "/api/v1/workspaces/{ws}/channels/{id}/remote-posts",
            get(connections::remote_posts),
        )
        .route(
            "/api/v1/workspaces/{ws}/channels/{id}/interactions",
            get(connections::interactions),
        )
        .route(
            "/api/v1/workspaces/{ws}/channels/{id}/lookup",
            get(connections::lookup),
        )
        .route(
            "/api/v1/workspaces/{ws}/tags",
            get(channels::list_tags).post(channels::create_tag),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts",
            get(posts::list).post(posts::create),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts/{id}",
            get(posts::get).patch(posts::update).delete(posts::delete),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts/{id}/variants/{variant}",
            patch(posts::update_variant),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts/{id}/schedule",
            post(schedule::schedule),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts/{id}/publish-now",
            post(schedule::publish_now),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts/{id}/cancel",
            post(schedule::cancel),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts/{id}/retry",
            post(schedule::retry),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts/{id}/attempts",
            get(schedule::attempts),
        )
        .route("/api/v1/workspaces/{ws}/calendar", get(calendar::calendar))
        .route(
            "/api/v1/workspaces/{ws}/calendar.json",
            get(calendar::calendar_json),
        )
        .route(
            "/api/v1/workspaces/{ws}/calendar.csv",
            get(calendar::calendar_csv),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts/{id}/submit",
            post(review::submit),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts/{id}/approve",
            post(review::approve),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts/{id}/request-changes",
            post(review::request_changes),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts/{id}/comments",
            get(review::comments).post(review::comment),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts/{id}/events",
            get(review::events),
        )
        .route(
            "/api/v1/workspaces/{ws}/approval",
            put(review::set_approval),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts/{id}/review-links",
            get(review_links::list).post(review_links::create),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts/{id}/review-links/{link_id}/revoke",
            post(review_links::revoke),
        )
        .route(
            "/api/v1/workspaces/{ws}/channels/{id}/slots",
            put(queue::set_slots),
        )
        .route(
            "/api/v1/workspaces/{ws}/publishing",
            put(queue::set_publishing),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts/{id}/variants/{variant}/track-links",
            post(posts::track_links),
        )
        .route("/api/v1/workspaces/{ws}/links", get(channels::list_links))
        .route("/api/v1/workspaces/{ws}/media", get(media::list))
        .route(
            "/api/v1/workspaces/{ws}/media/{id}",
            get(media::get).patch(media::update).delete(media::delete),
        )
        .route("/api/v1/workspaces/{ws}/media/{id}/file", get(media::file))
        .route(
            "/api/v1/workspaces/{ws}/media/{id}/thumbnail",
            get(media::thumbnail),
        )
        .route(
            "/api/v1/workspaces/{ws}/media/{id}/renditions/{network}",
            get(media::rendition),
        )
        .route(
            "/api/v1/workspaces/{ws}/brand-kit",
            get(brand_kit::get).patch(brand_kit::update),
        )
        .route(
            "/api/v1/workspaces/{ws}/brand-kit/review",
            post(brand_kit::review),
        )
        .route(
            "/api/v1/workspaces/{ws}/brand-kit/profile-images/{file}",
            get(brand_kit::image),
        )
        .route(
            "/api/v1/workspaces/{ws}/brand-kit/profile-images.zip",
            get(brand_kit::zip),
        )
        .route(
            "/api/v1/workspaces/{ws}/link-preview",
            post(posts::link_preview),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts/{id}/variants/{variant}/split",
            post(posts::split),
        )
        .route(
            "/api/v1/workspaces/{ws}/calendar-feed",
            get(calendar_feed::status)
                .post(calendar_feed::rotate)
                .delete(calendar_feed::revoke),
        )
        .route(
            "/api/v1/workspaces/{ws}/calendar.ics",
            get(calendar_feed::feed),
        )
        .route(
            "/api/v1/workspaces/{ws}/calendar-events",
            get(calendar_events::list).post(calendar_events::create),
        )
        .route(
            "/api/v1/workspaces/{ws}/calendar-events/{id}",
            delete(calendar_events::delete),
        )
        .route("/api/v1/me/notifications", get(notifications::list))
        .route(
            "/api/v1/me/notifications/read",
            post(notifications::mark_read),
        )
        .route(
            "/api/v1/me/notification-settings",
            get(notification_settings::get).put(notification_settings::put),
        )
        .route(
            "/api/v1/workspaces/{ws}/webhooks",
            get(notifications::list_webhooks).post(notifications::create_webhook),
        )
        .route(
            "/api/v1/workspaces/{ws}/webhooks/{id}",
            delete(notifications::delete_webhook),
        )
        .route(
            "/api/v1/workspaces/{ws}/webhooks/{id}/test",
            post(notifications::test_webhook),
        )
        .route(
            "/api/v1/workspaces/{ws}/webhooks/{id}/deliveries",
            get(notifications::deliveries),
        )
        .route(
            "/api/v1/workspaces/{ws}/evergreen",
            get(evergreen::get).put(evergreen::set),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts/{id}/evergreen",
            put(evergreen::mark).delete(evergreen::unmark),
        )
        .route(
            "/api/v1/workspaces/{ws}/posts/{id}/recurrence",
            get(recurrence::get)
                .put(recurrence::set)
                .delete(recurrence::cancel),
        )
        .route(
            "/api/v1/workspaces/{ws}/feeds",
            get(feeds::list).post(feeds::create),
        )
        .route(
            "/api/v1/workspaces/{ws}/feeds/{id}",
            get(feeds::get).delete(feeds::delete),
        )
        .route("/api/v1/workspaces/{ws}/feeds/{id}/poll", post(feeds::poll))
        // Unknown API paths answer problem+json, not the UI's HTML 404.
        .route("/api/{*rest}", any(api_not_found))
}

async fn api_not_found() -> super::ApiError {
    crate::services::AppError::NotFound.into()
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Herald API", version = "1", description = "Self-hosted social media management. \
        Authenticate with a personal access token: `Authorization: Bearer hrld_...`."),
    paths(
        me::me, me::update_me, me::change_password, me::sessions, me::end_session, me::end_all_sessions,
        tokens::list, tokens::create, tokens::revoke,
        workspaces::list, workspaces::create, workspaces::get, workspaces::update,
        workspaces::archive, workspaces::restore,
        members::list, members::change_role, members::remove,
        invites::list, invites::create, invites::revoke, invites::accept,
        check::check,
        channels::list, channels::list_tags, channels::create_tag,
        channels::list_links,
        connections::connect, connections::reconnect, connections::start_oauth, connections::check,
        connections::disconnect, connections::remote_posts, connections::interactions,
        connections::lookup,
        connect_grants::list, connect_grants::get, connect_grants::pick,
        posts::track_links,
        posts::split,
        posts::link_preview,
        calendar_feed::status, calendar_feed::rotate, calendar_feed::revoke, calendar_feed::feed,
        calendar_events::list, calendar_events::create, calendar_events::delete, calendar_events::import,
        imports::posts_csv,
        media::list, media::upload, media::get, media::update, media::delete, media::file,
        media::thumbnail, media::rendition,
        brand_kit::get, brand_kit::update, brand_kit::review, brand_kit::image, brand_kit::zip,
        posts::list, posts::create, posts::get, posts::update, posts::delete, posts::update_variant,
        calendar::calendar, calendar::calendar_json, calendar::calendar_csv,
        schedule::schedule, schedule::publish_now, schedule::cancel, schedule::retry,
        schedule::attempts, queue::set_slots, queue::set_publishing,
        review::submit, review::approve, review::request_changes, review::comments,
        review::comment, review::events, review::set_approval,
        review_links::create, review_links::list, review_links::revoke,
        notifications::list, notifications::mark_read, notifications::list_webhooks,
        notifications::create_webhook, notifications::delete_webhook, notifications::test_webhook,
        notifications::deliveries,
        evergreen::get, evergreen::set, evergreen::mark, evergreen::unmark,
        recurrence::set, recurrence::get, recurrence::cancel,
        feeds::list, feeds::create, feeds::get, feeds::delete, feeds::poll,
        notification_settings::get, notification_settings::put,
    ),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
