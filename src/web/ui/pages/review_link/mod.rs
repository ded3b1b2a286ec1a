//! `/review/{token}`: the page a client review link opens, for someone with no account and
//! no session. `show` draws it (the password form first when the link has one), `unlock`
//! takes the password, `decide` takes the client's approval or request for changes.
//!
//! CSRF. These forms cannot carry the session's token (there is no session), so
//! `web/csrf.rs` lets `/review/` through its token check (a foreign `Origin` is still
//! refused there) and the decision form is checked here, through the service, instead:
//! - the address itself holds the link's secret token: a site that does not know it cannot
//!   name the page to post to, and a site that knows it could act without any victim;
//! - for a link with a password, what a forger could ride on is the browser's unlock cookie.
//!   The form carries a token derived from that cookie's value (HMAC with a key of the
//!   install), which a foreign site cannot read; and the cookie is SameSite=Lax, so
//!   browsers do not send it with a cross-site POST at all. Lax rather than Strict so the
//!   client who opens the link again from their email is not asked for the password again.
//! - the unlock cookie is scoped to `/review/{token}`, HttpOnly, `Secure` behind https, and
//!   lives two hours; its value is signed over the link and its password hash.
//!
//! The password form itself needs no token: posting it from elsewhere can only open the
//! page in the victim's own browser, which the password already allows.

mod decide;
mod show;
mod unlock;
mod view;

use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};

pub use decide::decide;
pub use show::show;
pub use unlock::unlock;

use crate::services::AppError;
use crate::services::review_link_access::UNLOCK_TTL_MS;
use crate::web::AppState;
use crate::web::ui::UiError;
use view::ReviewPage;

const UNLOCK_COOKIE: &str = "herald_review";
const NOT_VALID: &str = "This review link is not valid. Check that the whole address was copied, or ask whoever sent it for a new one.";

fn page_path(token: &str) -> String {
    format!("/review/{token}")
}

/// The unlock proof this browser holds for the link (the cookie's path keeps each link's
/// apart).
fn unlock_of(jar: &CookieJar) -> Option<String> {
    jar.get(UNLOCK_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
}

fn unlock_cookie(state: &AppState, token: &str, value: String) -> Cookie<'static> {
    // Parsed rather than built, for Max-Age without the `time` crate (as `cookies.rs`).
    let text = format!("{UNLOCK_COOKIE}={value}; Max-Age={}", UNLOCK_TTL_MS / 1000);
    let mut cookie =
        Cookie::parse(text).unwrap_or_else(|_| Cookie::new(UNLOCK_COOKIE, String::new()));
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Lax);
    cookie.set_path(page_path(token));
    cookie.set_secure(state.config.behind_tls());
    cookie
}

/// The page with `status`, never cached nor indexed. Its address holds the token; the
/// install-wide `Referrer-Policy: same-origin` already keeps it from other sites (not
/// `no-referrer`: browsers then send `Origin: null` with the page's own forms, which the
/// CSRF layer refuses).
fn respond(status: StatusCode, page: ReviewPage) -> Result<Response, UiError> {
    let mut response = (status, Html(page.render()?)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    Ok(response)
}

/// A link that does not open: 404 when no link has this token (mistyped, cut, tampered
/// with), 410 when it expired or was revoked; the words say which, and nothing of the post.
fn unusable(token: &str, err: AppError) -> Result<Response, UiError> {
    match err {
        AppError::NotFound => respond(
            StatusCode::NOT_FOUND,
            ReviewPage::problem(token, NOT_VALID.to_owned()),
        ),
        AppError::Conflict(message) => {
            respond(StatusCode::GONE, ReviewPage::problem(token, message))
        }
        other => Err(other.into()),
    }
}
