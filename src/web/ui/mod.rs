//! The web UI: server-rendered askama pages, enhanced with htmx. One handler renders the
//! whole page or, for htmx, only the fragment asked for; errors render in `error.rs`.

mod client;
mod cookies;
mod error;
mod format;
mod forms;
pub(crate) mod pages;
mod render;
mod shell;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get, post};

pub use error::UiError;

use super::AppState;
use super::upload::UPLOAD_SLACK_BYTES;
use pages::{account, home, invite, login, setup, workspace, workspaces};

/// UI routes whose bodies may be large (the media library's upload).
pub fn upload_routes() -> Router<AppState> {
    Router::new().route("/w/{ws}/media", post(workspace::media::upload::upload))
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::show))
        .route("/setup", get(setup::show).post(setup::submit))
        .route("/login", get(login::show).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/account", get(account::show))
        .route("/notifications", get(pages::notifications::show))
        .route("/notifications/read", post(pages::notifications::mark_read))
        .route("/account/name", post(account::profile::rename))
        .route("/account/password", post(account::profile::change_password))
        .route("/account/email", post(account::email::save))
        .route("/account/sessions/{id}/end", post(account::sessions::end))
        .route(
            "/account/sessions/end-all",
            post(account::sessions::end_all),
        )
        .route("/account/tokens", post(account::tokens::create))
        .route("/account/tokens/{id}/revoke", post(account::tokens::revoke))
        .route(
            "/workspaces",
            get(workspaces::show).post(workspaces::create),
        )
        .route("/w/{ws}", get(workspace::home::show))
        .route(
            "/w/{ws}/settings",
            get(workspace::settings::show).post(workspace::settings::save),
        )
        .route(
            "/w/{ws}/settings/calendar-feed",
            post(workspace::calendar_feed::rotate),
        )
        .route(
            "/w/{ws}/settings/calendar-feed/revoke",
            post(workspace::calendar_feed::revoke),
        )
        .route(
            "/w/{ws}/settings/webhooks",
            post(workspace::webhooks::create),
        )
        .route(
            "/w/{ws}/settings/webhooks/{id}/delete",
            post(workspace::webhooks::delete),
        )
        .route(
            "/w/{ws}/settings/webhooks/{id}/test",
            post(workspace::webhooks::test),
        )
        .route("/w/{ws}/channels", get(workspace::channels::show))
        .route("/oauth/callback/{network}", get(pages::oauth::callback))
        .route("/admin/networks", get(pages::admin::show))
        .route("/admin/networks/{network}", post(pages::admin::save))
        .route(
            "/w/{ws}/channels/connect/mastodon",
            post(workspace::channels::connect::mastodon),
        )
        .route(
            "/w/{ws}/channels/connect/bluesky",
            post(workspace::channels::connect::bluesky),
        )
        .route(
            "/w/{ws}/channels/grants/{grant}",
            get(workspace::channels::picker::show).post(workspace::channels::picker::pick),
        )
        .route(
            "/w/{ws}/channels/connect/{network}",
            post(workspace::channels::connect::network),
        )
        .route(
            "/w/{ws}/channels/{id}/check",
            post(workspace::channels::actions::check),
        )
        .route(
            "/w/{ws}/channels/{id}/disconnect",
            post(workspace::channels::actions::disconnect),
        )
        .route("/w/{ws}/media", get(workspace::media::library::show))
        .route(
            "/w/{ws}/media/{id}",
            get(workspace::media::item::show).post(workspace::media::item::save),
        )
        .route(
            "/w/{ws}/media/{id}/focal-point",
            post(workspace::media::item::focal_point),
        )
        .route(
            "/w/{ws}/media/{id}/delete",
            post(workspace::media::item::delete),
        )
        .route(
            "/w/{ws}/media/{id}/file",
            get(workspace::media::files::file),
        )
        .route(
            "/w/{ws}/media/{id}/thumbnail",
            get(workspace::media::files::thumbnail),
        )
        .route(
            "/w/{ws}/media/{id}/renditions/{network}",
            get(workspace::media::files::rendition),
        )
        .route(
            "/w/{ws}/posts",
            get(workspace::posts::show).post(workspace::composer::create),
        )
        .route("/w/{ws}/posts/new", get(workspace::composer::new))
        .route(
            "/w/{ws}/posts/media-picker",
            get(workspace::composer::media_picker),
        )
        .route(
            "/w/{ws}/posts/{id}",
            get(workspace::composer::show).post(workspace::composer::save),
        )
        .route(
            "/w/{ws}/posts/{id}/delete",
            post(workspace::composer::delete),
        )
        .route(
            "/w/{ws}/posts/{id}/schedule",
            post(workspace::composer::schedule),
        )
        .route(
            "/w/{ws}/posts/{id}/cancel",
            post(workspace::composer::cancel),
        )
        .route(
            "/w/{ws}/posts/{id}/repeat",
            post(workspace::composer::set_repeat),
        )
        .route(
            "/w/{ws}/posts/{id}/repeat/stop",
            post(workspace::composer::stop_repeat),
        )
        .route(
            "/w/{ws}/posts/{id}/evergreen",
            post(workspace::composer::switch_evergreen),
        )
        .route("/w/{ws}/posts/{id}/retry", post(workspace::composer::retry))
        .route(
            "/w/{ws}/posts/{id}/when",
            get(workspace::composer::when_poll),
        )
        .route(
            "/w/{ws}/posts/{id}/submit",
            post(workspace::composer::submit),
        )
        .route(
            "/w/{ws}/posts/{id}/approve",
            post(workspace::composer::approve),
        )
        .route(
            "/w/{ws}/posts/{id}/request-changes",
            post(workspace::composer::request_changes),
        )
        .route(
            "/w/{ws}/posts/{id}/comments",
            post(workspace::composer::comment),
        )
        .route(
            "/w/{ws}/posts/{id}/review-links",
            get(workspace::composer::review_links::show)
                .post(workspace::composer::review_links::create),
        )
        .route(
            "/w/{ws}/posts/{id}/review-links/{link}/revoke",
            post(workspace::composer::review_links::revoke),
        )
        .route(
            "/w/{ws}/posts/{id}/variants/{variant}",
            post(workspace::composer::save_variant),
        )
        .route(
            "/w/{ws}/posts/{id}/variants/{variant}/track-links",
            post(workspace::composer::track_links),
        )
        .route(
            "/w/{ws}/posts/{id}/variants/{variant}/link-preview",
            get(workspace::composer::link_preview),
        )
        .route(
            "/w/{ws}/link-preview/image",
            get(workspace::composer::link_image),
        )
        .route(
            "/w/{ws}/campaigns",
            post(workspace::composer::create_campaign),
        )
        .route(
            "/w/{ws}/tags",
            get(workspace::tags::show).post(workspace::tags::create),
        )
        .route(
            "/w/{ws}/brand",
            get(workspace::brand::show).post(workspace::brand::save),
        )
        .route("/w/{ws}/brand/review", post(workspace::brand::review))
        .route(
            "/w/{ws}/brand/images/{file}",
            get(workspace::brand_files::image),
        )
        .route("/w/{ws}/brand/images.zip", get(workspace::brand_files::zip))
        .route(
            "/w/{ws}/brand/pictures/{id}",
            get(workspace::media::files::thumbnail),
        )
        .route("/w/{ws}/archive", post(workspace::archive::archive))
        .route("/w/{ws}/restore", post(workspace::archive::restore))
        .route("/w/{ws}/evergreen", get(workspace::evergreen::show))
        .route(
            "/w/{ws}/evergreen/settings",
            post(workspace::evergreen::settings),
        )
        .route("/w/{ws}/evergreen/add", post(workspace::evergreen::add))
        .route(
            "/w/{ws}/evergreen/{id}/remove",
            post(workspace::evergreen::remove),
        )
        .route(
            "/w/{ws}/feeds",
            get(workspace::feeds::show).post(workspace::feeds::add),
        )
        .route("/w/{ws}/feeds/{id}/poll", post(workspace::feeds::poll))
        .route("/w/{ws}/feeds/{id}/remove", post(workspace::feeds::remove))
        .route("/w/{ws}/calendar", get(workspace::calendar::show))
        .route("/w/{ws}/calendar.csv", get(workspace::calendar::csv))
        .route("/w/{ws}/calendar.json", get(workspace::calendar::json))
        .route(
            "/w/{ws}/calendar/move/{post}",
            get(workspace::calendar_move::show).post(workspace::calendar_move::submit),
        )
        .route(
            "/w/{ws}/calendar/events",
            post(workspace::calendar_events::add),
        )
        .route(
            "/w/{ws}/calendar/events/{id}/delete",
            post(workspace::calendar_events::delete),
        )
        // The two uploads take their files' limits (.ics 5 MB, CSV 32 MB) and room for the
        // rest of the form (`web::upload`), not the forms' 256 kB.
        .route(
            "/w/{ws}/calendar/events/import",
            post(workspace::calendar_events::import).layer(DefaultBodyLimit::max(
                crate::domain::ical::MAX_INPUT_BYTES + UPLOAD_SLACK_BYTES,
            )),
        )
        .route(
            "/w/{ws}/calendar/import/posts",
            post(workspace::calendar_import::upload).layer(DefaultBodyLimit::max(
                crate::services::imports::MAX_CSV_BYTES + UPLOAD_SLACK_BYTES,
            )),
        )
        .route("/w/{ws}/members", get(workspace::members::show))
        .route(
            "/w/{ws}/members/{user}/role",
            post(workspace::members::change_role),
        )
        .route(
            "/w/{ws}/members/{user}/remove",
            post(workspace::members::remove),
        )
        .route("/w/{ws}/leave", post(workspace::members::leave))
        .route("/w/{ws}/invites", post(workspace::invites::create))
        .route(
            "/w/{ws}/invites/{id}/revoke",
            post(workspace::invites::revoke),
        )
        .route("/invite/{token}", get(invite::show))
        .route("/invite/{token}/accept", post(invite::accept))
        .route("/invite/{token}/register", post(invite::register))
        .route("/review/{token}", get(pages::review_link::show))
        .route("/review/{token}/unlock", post(pages::review_link::unlock))
        .route("/review/{token}/decide", post(pages::review_link::decide))
        // A catch-all rather than a fallback: the API router owns the fallback, and axum
        // refuses to merge two. Static routes (API, assets, health) still win over it.
        .route("/{*rest}", any(pages::not_found))
        .layer(axum::middleware::from_fn(error::render_errors))
}
